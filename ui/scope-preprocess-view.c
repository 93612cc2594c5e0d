/* scope-preprocess-view.c — what the network is given: the preprocessing step by step
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "scope-accessible.h"
#include "scope-preprocess-job.h"
#include "scope-preprocess-view.h"

/* Pictures smaller than this are enlarged pixel by pixel rather than blurred. */
#define SMALL_PICTURE 128
#define CARD_SIZE     128

struct _ScopePreprocessView
{
  GtkWidget               parent_instance;

  /* template children */
  GtkWidget              *scroller;
  GtkDropDown            *preset_dropdown;
  GtkLabel               *status_label;
  GtkFlowBox             *steps_box;
  GtkWidget              *what_if_heading;
  GtkWidget              *what_if_box;
  GtkLabel               *own_label;
  GtkLabel               *other_label;

  /* owned */
  ScopeWorkspace         *workspace;
  GCancellable           *cancellable;   /* the job in flight, or NULL */
  ScopePreprocessOutcome *outcome;
  ScopeModel             *outcome_model; /* what the outcome (or the job) is for */
  ScopeSource            *outcome_source;
  GPtrArray              *step_texts;    /* char *: each card's text, for tests */

  /* plain state */
  gboolean                active;
  gboolean                filling;
};

G_DEFINE_FINAL_TYPE (ScopePreprocessView, scope_preprocess_view, GTK_TYPE_WIDGET)

static const char *
preset_title (VggPreset preset)
{
  switch (preset)
    {
    case VGG_PRESET_TORCHVISION:
      /* Translators: a preprocessing preset's name in the preset chooser */
      return _("torchvision");
    case VGG_PRESET_CAFFE:
      return _("Caffe / Keras (BGR)");
    case VGG_PRESET_PLAIN:
      return _("Plain, [0, 1]");
    case VGG_PRESET_FASHION_MNIST:
      return _("Fashion-MNIST");
    case VGG_PRESET_N_PRESETS:
    default:
      return "";
    }
}

static GdkTexture *
texture_new (const ScopePixels *pixels)
{
  int factor = 1, width, height;
  const guint8 *from;
  guint8 *to;
  g_autoptr(GBytes) bytes = NULL;

  if (pixels->pixels == NULL)
    return NULL;
  if (pixels->width < SMALL_PICTURE && pixels->height < SMALL_PICTURE)
    factor = SMALL_PICTURE / MAX (pixels->width, pixels->height);
  if (factor <= 1)
    return gdk_memory_texture_new (pixels->width, pixels->height, GDK_MEMORY_R8G8B8,
                                   pixels->pixels, (gsize) pixels->width * 3);
  width = pixels->width * factor;
  height = pixels->height * factor;
  from = g_bytes_get_data (pixels->pixels, NULL);
  to = g_malloc ((gsize) width * height * 3);
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      memcpy (to + ((gsize) y * width + x) * 3,
              from + ((gsize) (y / factor) * pixels->width + x / factor) * 3, 3);
  bytes = g_bytes_new_take (to, (gsize) width * height * 3);
  return gdk_memory_texture_new (width, height, GDK_MEMORY_R8G8B8, bytes, (gsize) width * 3);
}

/* The picture with its red and blue swapped: a BGR tensor read as if it were RGB. */
static ScopePixels
pixels_swapped (const ScopePixels *pixels)
{
  ScopePixels out = *pixels;
  gsize n = (gsize) pixels->width * pixels->height;
  const guint8 *from = g_bytes_get_data (pixels->pixels, NULL);
  guint8 *to = g_malloc (n * 3);

  for (gsize i = 0; i < n; i++)
    {
      to[3 * i] = from[3 * i + 2];
      to[3 * i + 1] = from[3 * i + 1];
      to[3 * i + 2] = from[3 * i];
    }
  out.pixels = g_bytes_new_take (to, n * 3);
  return out;
}

static void
add_card (ScopePreprocessView *self,
          const char          *title,
          GdkTexture          *texture,
          const char          *caption)
{
  GtkWidget *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *heading = gtk_label_new (title);
  GtkWidget *text = gtk_label_new (caption);

  gtk_widget_add_css_class (card, "card");
  gtk_widget_add_css_class (card, "step-card");
  gtk_widget_add_css_class (heading, "heading");
  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_box_append (GTK_BOX (card), heading);
  if (texture != NULL)
    {
      GtkWidget *picture = gtk_picture_new_for_paintable (GDK_PAINTABLE (texture));

      gtk_widget_set_size_request (picture, CARD_SIZE, CARD_SIZE);
      gtk_picture_set_can_shrink (GTK_PICTURE (picture), TRUE);
      gtk_picture_set_content_fit (GTK_PICTURE (picture), GTK_CONTENT_FIT_CONTAIN);
      gtk_picture_set_alternative_text (GTK_PICTURE (picture), title);
      gtk_box_append (GTK_BOX (card), picture);
    }
  gtk_label_set_wrap (GTK_LABEL (text), TRUE);
  gtk_label_set_xalign (GTK_LABEL (text), 0);
  gtk_label_set_selectable (GTK_LABEL (text), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (text), 22);
  gtk_widget_add_css_class (text, "caption");
  gtk_widget_add_css_class (text, "numeric");
  gtk_box_append (GTK_BOX (card), text);
  gtk_flow_box_append (self->steps_box, card);
  gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_widget_get_parent (card)),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, caption, -1);
  g_ptr_array_add (self->step_texts, g_strdup_printf ("%s\n%s", title, caption));
}

static void
add_pixels_card (ScopePreprocessView *self,
                 const char          *title,
                 const ScopePixels   *pixels,
                 const char          *caption)
{
  g_autoptr(GdkTexture) texture = texture_new (pixels);

  add_card (self, title, texture, caption);
}

static const char *
channel_name (const VggPreprocessSteps *steps,
              int                       c)
{
  static const char *rgb[3] = { N_("red"), N_("green"), N_("blue") };

  if (steps->grey)
    return _("grey");
  return _(rgb[steps->bgr ? 2 - c : c]);
}

static void
add_normalisation_cards (ScopePreprocessView      *self,
                         const ScopePresetOutcome *preset,
                         int                       first_number)
{
  const VggPreprocessSteps *steps = &preset->steps;

  for (int c = 0; c < steps->channels; c++)
    {
      int v = preset->centre[steps->grey ? 0 : steps->bgr ? 2 - c : c];
      g_autofree char *title = NULL, *formula = NULL, *caption = NULL;

      /* Translators: a preprocessing step's title: its number and the input channel */
      title = g_strdup_printf (_("%d · Channel %d (%s)"), first_number + c, c,
                               channel_name (steps, c));
      if (steps->scale == 1.0f)
        formula = g_strdup_printf ("v − %.3f", steps->mean[c]);
      else if (steps->std[c] != 1.0f)
        formula = g_strdup_printf ("(v / 255 − %.3f) / %.3f", steps->mean[c], steps->std[c]);
      else
        formula = g_strdup ("v / 255");
      /* Translators: the normalisation of one input channel: its formula, the range of the
       * values it gives, and the centre pixel worked out */
      caption = g_strdup_printf (_("%s\nvalues from %.3f to %.3f\ncentre pixel: v = %d → %.4f"),
                                 formula, preset->plane_min[c], preset->plane_max[c], v,
                                 preset->centre_input[c]);
      add_pixels_card (self, title, &preset->planes[c], caption);
    }
}

static void
add_crop_steps (ScopePreprocessView      *self,
                const ScopePresetOutcome *preset)
{
  const VggPreprocessSteps *steps = &preset->steps;
  g_autofree char *resize = NULL, *crop = NULL, *order = NULL;
  ScopePixels swapped = { 0 };

  switch (steps->preset)
    {
    case VGG_PRESET_TORCHVISION:
      /* Translators: torchvision's resize, shorter side to a size, with the result's size */
      resize = g_strdup_printf (_("Shorter side to %d, keeping the aspect ratio (bilinear with "
                                  "antialiasing, as PIL does): %d × %d"),
                                MIN (steps->resize_width, steps->resize_height),
                                steps->resize_width, steps->resize_height);
      break;
    case VGG_PRESET_CAFFE:
      resize = g_strdup_printf (_("Squashed to %d × %d: the aspect ratio is not kept"),
                                steps->resize_width, steps->resize_height);
      break;
    default:
      resize = g_strdup_printf (_("Resized to just cover %d × %d, keeping the aspect ratio: "
                                  "%d × %d"),
                                steps->width, steps->height, steps->resize_width,
                                steps->resize_height);
      break;
    }
  add_pixels_card (self, _("2 · Resize"), &preset->resized, resize);

  if (steps->resize_width == steps->width && steps->resize_height == steps->height)
    crop = g_strdup_printf (_("Nothing to cut: the picture is already %d × %d"), steps->width,
                            steps->height);
  else
    /* Translators: the centre crop: its size and where it starts in the resized picture */
    crop = g_strdup_printf (_("The centre %d × %d, from left %d, top %d"), steps->width,
                            steps->height, steps->crop_left, steps->crop_top);
  add_pixels_card (self, _("3 · Crop"), &preset->seen, crop);

  if (steps->grey)
    order = g_strdup (_("One grey channel: Y = 0.299 R + 0.587 G + 0.114 B (ITU-R 601)"));
  else if (steps->bgr)
    order = g_strdup (_("Blue, green, red: channel 0 is blue, as Caffe stored its pictures. "
                        "Read as RGB, the tensor looks like this"));
  else
    order = g_strdup (_("Red, green, blue: channel 0 is red"));
  if (steps->bgr && preset->seen.pixels != NULL)
    swapped = pixels_swapped (&preset->seen);
  add_pixels_card (self, _("4 · Channel order"), steps->bgr ? &swapped : &preset->seen, order);
  g_clear_pointer (&swapped.pixels, g_bytes_unref);
  add_normalisation_cards (self, preset, 5);
}

static void
add_fashion_steps (ScopePreprocessView      *self,
                   const ScopePresetOutcome *preset)
{
  const VggPreprocessSteps *steps = &preset->steps;
  g_autofree char *grey = NULL, *box = NULL;

  if (steps->image_width == 28 && steps->image_height == 28 && steps->side == 28
      && !steps->invert)
    grey = g_strdup (_("Already a Fashion-MNIST picture (28 × 28, light on black): used as it "
                       "is"));
  else
    grey = g_strdup_printf (steps->invert
                          /* Translators: Fashion-MNIST's polarity step; %d is a grey level */
                          ? _("Grey. The border’s mean grey is %d, bright: inverted, so the "
                              "object is light on black as in Fashion-MNIST; background to "
                              "black, the brightest pixel to white")
                          : _("Grey. The border’s mean grey is %d, dark: kept as it is; "
                              "background to black, the brightest pixel to white"),
                          steps->background);
  add_pixels_card (self, _("2 · Grey and polarity"), &preset->resized, grey);
  /* Translators: the object's box and how it is fitted onto the input */
  box = g_strdup_printf (_("The object’s box, %d × %d at (%d, %d), scaled to %d × %d to fit "
                           "%d × %d, centred on the %d × %d input"),
                         steps->box_width, steps->box_height, steps->box_x, steps->box_y,
                         steps->fit_width, steps->fit_height, steps->side, steps->side,
                         steps->width, steps->height);
  add_pixels_card (self, _("3 · Crop, fit and centre"), &preset->seen, box);
  add_normalisation_cards (self, preset, 4);
}

static char *
top_text (const char               *heading,
          const ScopePresetOutcome *preset,
          const VggModel           *model)
{
  GString *text = g_string_new (NULL);

  g_string_append_printf (text, "<b>%s</b>", heading);
  for (int i = 0; i < preset->k; i++)
    {
      const char *name = vgg_model_class_name (model, preset->classes[i]);
      g_autofree char *line = NULL, *escaped = NULL;

      if (preset->probabilities[i] < 0.001f)
        /* Translators: a class and a probability under 0.1 % in the what-if columns */
        line = g_strdup_printf (_("%d. %s — < 0.1 %%"), i + 1, name);
      else
        line = g_strdup_printf ("%d. %s — %.1f %%", i + 1, name,
                                preset->probabilities[i] * 100.0);
      escaped = g_markup_escape_text (line, -1);
      g_string_append_printf (text, "\n%s", escaped);
    }
  return g_string_free (text, FALSE);
}

static void
show_outcome (ScopePreprocessView *self)
{
  const ScopePreprocessOutcome *outcome = self->outcome;
  const VggModel *model;
  const ScopePresetOutcome *preset, *other;
  guint position;
  GtkWidget *child;
  g_autofree char *original = NULL, *own = NULL, *other_text = NULL;
  g_autofree char *own_heading = NULL, *other_heading = NULL;
  g_autoptr(GdkTexture) original_texture = NULL;
  ScopeResult *result;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->steps_box))) != NULL)
    gtk_flow_box_remove (self->steps_box, child);
  g_ptr_array_set_size (self->step_texts, 0);
  if (outcome == NULL || outcome->n_presets == 0)
    {
      gtk_widget_set_visible (self->what_if_heading, FALSE);
      gtk_widget_set_visible (self->what_if_box, FALSE);
      return;
    }
  model = scope_model_get_engine (self->outcome_model);
  position = gtk_drop_down_get_selected (self->preset_dropdown);
  if (position == GTK_INVALID_LIST_POSITION || position >= (guint) outcome->n_presets)
    position = 0;
  preset = &outcome->presets[position];

  /* Translators: the first preprocessing step: the picture as opened */
  original = g_strdup_printf (_("%d × %d pixels, RGB, 8 bits per channel"),
                              preset->steps.image_width, preset->steps.image_height);
  result = self->workspace != NULL ? scope_workspace_get_result (self->workspace) : NULL;
  if (result != NULL && scope_result_get_source (result) == self->outcome_source)
    original_texture = g_object_ref (scope_result_get_original (result));
  add_card (self, _("1 · Original"), original_texture, original);
  if (preset->steps.preset == VGG_PRESET_FASHION_MNIST)
    add_fashion_steps (self, preset);
  else
    add_crop_steps (self, preset);

  /* what if: the model's own preset (position 0) beside the one chosen, or the next one */
  other = position != 0 ? preset : outcome->n_presets > 1 ? &outcome->presets[1] : NULL;
  gtk_widget_set_visible (self->what_if_heading, other != NULL && preset->k > 0);
  gtk_widget_set_visible (self->what_if_box, other != NULL && preset->k > 0);
  if (other == NULL)
    return;
  /* Translators: heading of the what-if column with the model's own preprocessing */
  own_heading = g_strdup_printf (_("With its own preset, %s"),
                                 preset_title (outcome->presets[0].steps.preset));
  /* Translators: heading of the what-if column with another preprocessing */
  other_heading = g_strdup_printf (_("What if it were given %s"),
                                   preset_title (other->steps.preset));
  own = top_text (own_heading, &outcome->presets[0], model);
  other_text = top_text (other_heading, other, model);
  gtk_label_set_markup (self->own_label, own);
  gtk_label_set_markup (self->other_label, other_text);
}

static void
on_preset_selected (ScopePreprocessView *self)
{
  if (!self->filling)
    show_outcome (self);
}

static void
set_outcome (ScopePreprocessView    *self,
             ScopePreprocessOutcome *outcome)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);

  g_clear_pointer (&self->outcome, scope_preprocess_outcome_free);
  self->outcome = outcome;
  for (int i = 0; outcome != NULL && i < outcome->n_presets; i++)
    {
      g_autofree char *name = i == 0
                              /* Translators: the model's own preset in the preset chooser */
                              ? g_strdup_printf (_("%s (this model’s)"),
                                                 preset_title (outcome->presets[i].steps.preset))
                              : g_strdup (preset_title (outcome->presets[i].steps.preset));

      gtk_string_list_append (names, name);
    }
  self->filling = TRUE;
  gtk_drop_down_set_model (self->preset_dropdown, G_LIST_MODEL (names));
  gtk_drop_down_set_selected (self->preset_dropdown, 0);
  self->filling = FALSE;
  show_outcome (self);
}

static void
on_job_done (GObject      *object,
             GAsyncResult *async_result,
             gpointer      user_data)
{
  g_autoptr(ScopePreprocessView) self = user_data;
  g_autoptr(GError) error = NULL;
  ScopePreprocessOutcome *outcome = scope_preprocess_job_run_finish (async_result, &error);
  GCancellable *cancellable = g_task_get_cancellable (G_TASK (async_result));

  if (cancellable != self->cancellable || g_cancellable_is_cancelled (cancellable))
    {
      scope_preprocess_outcome_free (outcome);
      return;
    }
  g_clear_object (&self->cancellable);
  if (outcome == NULL)
    {
      gtk_label_set_text (self->status_label, error->message);
      set_outcome (self, NULL);
      return;
    }
  gtk_label_set_text (self->status_label,
                      _("Each step as a picture, with its numbers. Choose another preset to "
                        "see what it would do, and what the network would then answer."));
  set_outcome (self, outcome);
}

static void
cancel_job (ScopePreprocessView *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
}

/* Starts the job for the workspace's current result, if it is not shown or running yet. */
static void
refresh (ScopePreprocessView *self)
{
  ScopeResult *result = self->workspace != NULL ? scope_workspace_get_result (self->workspace)
                                                : NULL;
  ScopeModel *model = result != NULL ? scope_result_get_model (result) : NULL;
  ScopeSource *source = result != NULL ? scope_result_get_source (result) : NULL;

  if (!self->active)
    return;
  if (model == self->outcome_model && source == self->outcome_source)
    return;
  cancel_job (self);
  g_set_object (&self->outcome_model, model);
  g_set_object (&self->outcome_source, source);
  set_outcome (self, NULL);
  if (model == NULL || source == NULL)
    {
      gtk_label_set_text (self->status_label, _("Open a picture to see how it is prepared."));
      return;
    }
  gtk_label_set_text (self->status_label, _("Preparing the picture under every preset…"));
  self->cancellable = g_cancellable_new ();
  scope_preprocess_job_run_async (model, source, self->cancellable, on_job_done,
                                  g_object_ref (self));
}

void
scope_preprocess_view_set_workspace (ScopePreprocessView *self,
                                     ScopeWorkspace      *workspace)
{
  g_return_if_fail (SCOPE_IS_PREPROCESS_VIEW (self));

  if (self->workspace == workspace)
    return;
  if (self->workspace != NULL)
    g_signal_handlers_disconnect_by_data (self->workspace, self);
  g_set_object (&self->workspace, workspace);
  if (workspace != NULL)
    g_signal_connect_swapped (workspace, "notify::result", G_CALLBACK (refresh), self);
  refresh (self);
}

void
scope_preprocess_view_set_active (ScopePreprocessView *self,
                                  gboolean             active)
{
  g_return_if_fail (SCOPE_IS_PREPROCESS_VIEW (self));

  active = !!active;
  if (self->active == active)
    return;
  self->active = active;
  if (!active && self->cancellable != NULL)
    {
      /* a job stopped halfway is started again next time */
      cancel_job (self);
      g_clear_object (&self->outcome_model);
      g_clear_object (&self->outcome_source);
    }
  refresh (self);
}

gboolean
scope_preprocess_view_get_ready (ScopePreprocessView *self)
{
  g_return_val_if_fail (SCOPE_IS_PREPROCESS_VIEW (self), FALSE);
  return self->outcome != NULL && self->cancellable == NULL;
}

guint
scope_preprocess_view_get_n_presets (ScopePreprocessView *self)
{
  g_return_val_if_fail (SCOPE_IS_PREPROCESS_VIEW (self), 0);
  return self->outcome != NULL ? (guint) self->outcome->n_presets : 0;
}

void
scope_preprocess_view_set_preset (ScopePreprocessView *self,
                                  guint                position)
{
  g_return_if_fail (SCOPE_IS_PREPROCESS_VIEW (self));
  gtk_drop_down_set_selected (self->preset_dropdown, position);
}

guint
scope_preprocess_view_get_n_steps (ScopePreprocessView *self)
{
  g_return_val_if_fail (SCOPE_IS_PREPROCESS_VIEW (self), 0);
  return self->step_texts->len;
}

char *
scope_preprocess_view_dup_step_text (ScopePreprocessView *self,
                                     guint                step)
{
  g_return_val_if_fail (SCOPE_IS_PREPROCESS_VIEW (self), NULL);
  return step < self->step_texts->len ? g_strdup (self->step_texts->pdata[step]) : NULL;
}

char *
scope_preprocess_view_dup_what_if (ScopePreprocessView *self,
                                   guint                column)
{
  g_return_val_if_fail (SCOPE_IS_PREPROCESS_VIEW (self), NULL);
  if (!gtk_widget_get_visible (self->what_if_box))
    return NULL;
  return g_strdup (gtk_label_get_text (column == 0 ? self->own_label : self->other_label));
}

static void
scope_preprocess_view_dispose (GObject *object)
{
  ScopePreprocessView *self = SCOPE_PREPROCESS_VIEW (object);

  cancel_job (self);
  if (self->workspace != NULL)
    g_signal_handlers_disconnect_by_data (self->workspace, self);
  g_clear_object (&self->workspace);
  g_clear_object (&self->outcome_model);
  g_clear_object (&self->outcome_source);
  g_clear_pointer (&self->outcome, scope_preprocess_outcome_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), SCOPE_TYPE_PREPROCESS_VIEW);

  G_OBJECT_CLASS (scope_preprocess_view_parent_class)->dispose (object);
}

static void
scope_preprocess_view_finalize (GObject *object)
{
  ScopePreprocessView *self = SCOPE_PREPROCESS_VIEW (object);

  g_ptr_array_unref (self->step_texts);

  G_OBJECT_CLASS (scope_preprocess_view_parent_class)->finalize (object);
}

static void
scope_preprocess_view_class_init (ScopePreprocessViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = scope_preprocess_view_dispose;
  object_class->finalize = scope_preprocess_view_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/vggscope/VggScope/ui/scope-preprocess-view.ui");
  gtk_widget_class_bind_template_child (widget_class, ScopePreprocessView, scroller);
  gtk_widget_class_bind_template_child (widget_class, ScopePreprocessView, preset_dropdown);
  gtk_widget_class_bind_template_child (widget_class, ScopePreprocessView, status_label);
  gtk_widget_class_bind_template_child (widget_class, ScopePreprocessView, steps_box);
  gtk_widget_class_bind_template_child (widget_class, ScopePreprocessView, what_if_heading);
  gtk_widget_class_bind_template_child (widget_class, ScopePreprocessView, what_if_box);
  gtk_widget_class_bind_template_child (widget_class, ScopePreprocessView, own_label);
  gtk_widget_class_bind_template_child (widget_class, ScopePreprocessView, other_label);
  gtk_widget_class_bind_template_callback (widget_class, on_preset_selected);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "preprocessview");
}

static void
scope_preprocess_view_init (ScopePreprocessView *self)
{
  self->step_texts = g_ptr_array_new_with_free_func (g_free);
  gtk_widget_init_template (GTK_WIDGET (self));
  /* Translators: accessible name of the preprocessing preset chooser */
  scope_accessible_name_drop_down (self->preset_dropdown, _("Preprocessing preset"));
  gtk_label_set_text (self->status_label, _("Open a picture to see how it is prepared."));
  gtk_widget_set_visible (self->what_if_heading, FALSE);
  gtk_widget_set_visible (self->what_if_box, FALSE);
}

ScopePreprocessView *
scope_preprocess_view_new (void)
{
  return g_object_new (SCOPE_TYPE_PREPROCESS_VIEW, NULL);
}
