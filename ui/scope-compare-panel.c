/* scope-compare-panel.c — the Compare view: two pictures side by side on one model, and what a
 *                         channel wants to see
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The current picture (A) and a second one (B) run on the workspace's model in a GTask
 * (scope-compare-job.c): the engine's per-layer cosine and both pictures' outputs.
 * The layer selected in the window drives both sides: A's channel, B's channel, A − B. The
 * visualization (vgg_visualize()) runs in another GTask; its progress callback copies the
 * picture under a mutex and a timeout on the main thread shows it, so the worker never
 * touches GTK.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "scope-capture.h"
#include "scope-cka-view.h"
#include "scope-compare-job.h"
#include "scope-compare-panel.h"
#include "scope-engine-error.h"
#include "scope-map-render.h"
#include "scope-model.h"
#include "scope-result.h"
#include "scope-source.h"
#include "vgg-compare.h"
#include "vgg-visualize.h"

#define VIEW_SIDE 160   /* the smallest side a map or picture is drawn at */

struct _ScopeComparePanel
{
  GtkBox           parent_instance;

  /* template children */
  GtkLabel        *second_label;
  GtkListBox      *cosine_list;
  GtkPicture      *picture_a;
  GtkPicture      *picture_b;
  GtkPicture      *picture_diff;
  GtkSpinButton   *channel_spin;
  GtkLabel        *maps_label;
  GtkPicture      *viz_picture;
  GtkProgressBar  *viz_progress;
  GtkLabel        *viz_label;
  ScopeCkaView    *cka_view;

  /* owned */
  ScopeWorkspace  *workspace;
  ScopeViewState  *view_state;
  GFile           *second;
  GCancellable    *compare_cancellable;
  GCancellable    *viz_cancellable;
  double          *cosines;          /* [n_layers] of the last comparison */
  GPtrArray       *captures_a;       /* ScopeCapture per layer */
  GPtrArray       *captures_b;
  GPtrArray       *cosine_texts;     /* what each row shows */
  GStrv            layer_names;      /* [n_layers] of the compared model */
  float           *viz_latest;       /* the picture forming, under viz_lock */
  float           *viz_final;
  GMutex           viz_lock;

  /* plain state */
  int              n_layers;
  int              viz_step, viz_steps, viz_shown, viz_final_steps;
  float            viz_objective;
  guint            viz_timeout;
  int              viz_channels, viz_height, viz_width;
  VggPreset        viz_preset;
};

G_DEFINE_FINAL_TYPE (ScopeComparePanel, scope_compare_panel, GTK_TYPE_BOX)

/* ---- drawing ---- */

/* An RGB8 picture as a texture, enlarged without smoothing to at least VIEW_SIDE. */
static GdkTexture *
texture_from_image (const VggImage *image)
{
  int scale = MAX (1, VIEW_SIDE / MAX (1, MIN (image->width, image->height)));
  gsize stride = (gsize) image->width * scale * 3;
  guint8 *pixels = g_malloc (stride * image->height * scale);
  g_autoptr(GBytes) bytes = NULL;

  for (int y = 0; y < image->height * scale; y++)
    for (int x = 0; x < image->width * scale; x++)
      memcpy (pixels + y * stride + x * 3,
              image->pixels + ((gsize) (y / scale) * image->width + x / scale) * 3, 3);
  bytes = g_bytes_new_take (pixels, stride * image->height * scale);
  return gdk_memory_texture_new (image->width * scale, image->height * scale,
                                 GDK_MEMORY_R8G8B8, bytes, stride);
}

static void
show_maps (ScopeComparePanel *self)
{
  int layer = self->workspace != NULL ? scope_workspace_get_selected_layer (self->workspace)
                                      : -1;
  ScopeCapture *a, *b;
  g_autoptr(ScopeCapture) diff = NULL;
  g_autoptr(GdkTexture) ta = NULL, tb = NULL, td = NULL;
  g_autofree float *delta = NULL;
  const guint8 *lut;
  int channel, scale;
  size_t plane;

  if (self->captures_a == NULL || layer < 0 || layer >= self->n_layers || self->view_state == NULL)
    {
      gtk_picture_set_paintable (self->picture_a, NULL);
      gtk_picture_set_paintable (self->picture_b, NULL);
      gtk_picture_set_paintable (self->picture_diff, NULL);
      gtk_label_set_text (self->maps_label, "");
      return;
    }
  a = g_ptr_array_index (self->captures_a, layer);
  b = g_ptr_array_index (self->captures_b, layer);
  gtk_spin_button_set_range (self->channel_spin, 0, a->channels - 1);
  channel = CLAMP (gtk_spin_button_get_value_as_int (self->channel_spin), 0, a->channels - 1);
  plane = (size_t) a->height * a->width;
  delta = g_new (float, plane);
  for (size_t i = 0; i < plane; i++)
    delta[i] = a->data[channel * plane + i] - b->data[channel * plane + i];
  diff = scope_capture_new (layer, 1, a->height, a->width, delta);
  lut = scope_view_state_get_lut (self->view_state);
  scale = MAX (1, VIEW_SIDE / MAX (1, MIN (a->height, a->width)));
  /* both sides on one scale, so equal values look equal */
  ta = scope_map_render_channel (a, channel, SCOPE_NORMALIZATION_LAYER, lut, scale);
  tb = scope_map_render_channel (b, channel, SCOPE_NORMALIZATION_LAYER, lut, scale);
  td = scope_map_render_channel (diff, 0, SCOPE_NORMALIZATION_CHANNEL, lut, scale);
  gtk_picture_set_paintable (self->picture_a, GDK_PAINTABLE (ta));
  gtk_picture_set_paintable (self->picture_b, GDK_PAINTABLE (tb));
  gtk_picture_set_paintable (self->picture_diff, GDK_PAINTABLE (td));
  {
    g_autofree char *text =
      /* Translators: above the two maps; %s a layer, %d a channel, %.4f the layer's cosine */
      g_strdup_printf (_("%s, channel %d — cosine of the whole layer %.4f"),
                       self->layer_names[layer], channel, self->cosines[layer]);
    gtk_label_set_text (self->maps_label, text);
  }
}

static void
fill_cosine_list (ScopeComparePanel *self,
                  ScopeModel        *model)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->cosine_list))) != NULL)
    gtk_list_box_remove (self->cosine_list, child);
  g_clear_pointer (&self->cosine_texts, g_ptr_array_unref);
  if (self->cosines == NULL)
    return;
  self->cosine_texts = g_ptr_array_new_with_free_func (g_free);
  for (int l = 0; l < self->n_layers; l++)
    {
      const VggLayer *layer = scope_model_get_layer (model, l);
      GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
      GtkWidget *name = gtk_label_new (layer->name);
      GtkWidget *bar = gtk_level_bar_new_for_interval (0.0, 1.0);
      char *text = g_strdup_printf ("%.4f", self->cosines[l]);
      GtkWidget *value = gtk_label_new (text);
      g_autofree char *description =
        /* Translators: a screen reader's name for one row; %s the layer, then its cosine */
        g_strdup_printf (_("%s: cosine similarity %s"), layer->name, text);

      g_ptr_array_add (self->cosine_texts, text);
      gtk_label_set_xalign (GTK_LABEL (name), 0.0f);
      gtk_label_set_width_chars (GTK_LABEL (name), 9);
      gtk_level_bar_set_value (GTK_LEVEL_BAR (bar), CLAMP (self->cosines[l], 0.0, 1.0));
      gtk_widget_set_hexpand (bar, TRUE);
      gtk_widget_set_valign (bar, GTK_ALIGN_CENTER);
      gtk_label_set_width_chars (GTK_LABEL (value), 7);
      gtk_box_append (GTK_BOX (row), name);
      gtk_box_append (GTK_BOX (row), bar);
      gtk_box_append (GTK_BOX (row), value);
      gtk_list_box_append (self->cosine_list, row);
      gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_widget_get_parent (row)),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, description, -1);
    }
}

/* ---- the comparison ---- */

static void
on_compared (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  ScopeComparePanel *self = SCOPE_COMPARE_PANEL (object);
  ScopeComparison *comparison;
  g_autoptr(GError) error = NULL;

  comparison = scope_compare_job_finish (result, &error);
  if (comparison == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
          || g_task_get_cancellable (G_TASK (result)) != self->compare_cancellable)
        return;
      /* an unreadable second picture: say so where its name would be */
      g_clear_object (&self->compare_cancellable);
      gtk_label_set_text (self->second_label, error->message);
      return;
    }
  /* a result is applied only if its cancellable is still the current one */
  if (g_task_get_cancellable (G_TASK (result)) != self->compare_cancellable)
    {
      scope_comparison_free (comparison);
      return;
    }
  g_clear_object (&self->compare_cancellable);
  g_free (self->cosines);
  self->cosines = g_steal_pointer (&comparison->cosines);
  g_clear_pointer (&self->captures_a, g_ptr_array_unref);
  g_clear_pointer (&self->captures_b, g_ptr_array_unref);
  self->captures_a = g_steal_pointer (&comparison->captures_a);
  self->captures_b = g_steal_pointer (&comparison->captures_b);
  self->n_layers = scope_model_get_n_layers (comparison->model);
  g_strfreev (self->layer_names);
  self->layer_names = g_new0 (char *, self->n_layers + 1);
  for (int l = 0; l < self->n_layers; l++)
    self->layer_names[l] = g_strdup (scope_model_get_layer (comparison->model, l)->name);
  fill_cosine_list (self, comparison->model);
  scope_comparison_free (comparison);
  show_maps (self);
}

static void
start_compare (ScopeComparePanel *self)
{
  ScopeResult *result;

  g_cancellable_cancel (self->compare_cancellable);
  g_clear_object (&self->compare_cancellable);
  result = self->workspace != NULL ? scope_workspace_get_result (self->workspace) : NULL;
  if (self->second == NULL || result == NULL || scope_result_get_input (result) == NULL
      || scope_result_get_status (result) != SCOPE_RESULT_DONE)
    return;
  self->compare_cancellable = g_cancellable_new ();
  scope_compare_job_run_async (G_OBJECT (self), scope_result_get_model (result),
                               scope_result_get_input (result), self->second,
                               self->compare_cancellable, on_compared, NULL);
}

void
scope_compare_panel_set_second (ScopeComparePanel *self,
                                GFile             *file)
{
  g_autofree char *name = NULL;

  g_return_if_fail (SCOPE_IS_COMPARE_PANEL (self));
  g_set_object (&self->second, file);
  name = g_file_get_basename (file);
  gtk_label_set_text (self->second_label, name);
  start_compare (self);
}

static void
on_choose_response (GtkNativeDialog   *dialog,
                    int                response,
                    ScopeComparePanel *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
  if (file != NULL)
    scope_compare_panel_set_second (self, file);
  g_object_unref (self);
}

static void
choose_second_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkFileChooserNative *dialog =
    gtk_file_chooser_native_new (_("Choose the Second Picture"),
                                 GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                 GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));

  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect (dialog, "response", G_CALLBACK (on_choose_response), g_object_ref (widget));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* ---- the visualization ---- */

typedef struct
{
  ScopeComparePanel   *self;       /* only for its lock and buffer, which outlive the task */
  ScopeModel          *model;
  VggVisualizeRequest  request;
  float               *input;
  GCancellable        *cancellable;
} VisualizeJob;

static void
visualize_job_free (VisualizeJob *job)
{
  g_clear_object (&job->model);
  g_free (job->input);
  g_free (job);
}

static bool
on_viz_step (int          step,
             int          n_steps,
             float        objective,
             const float *input,
             void        *user_data)
{
  VisualizeJob *job = user_data;
  ScopeComparePanel *self = job->self;
  size_t count = (size_t) self->viz_channels * self->viz_height * self->viz_width;

  g_mutex_lock (&self->viz_lock);
  memcpy (self->viz_latest, input, count * sizeof (float));
  self->viz_step = step;
  self->viz_objective = objective;
  g_mutex_unlock (&self->viz_lock);
  return !g_cancellable_is_cancelled (job->cancellable);
}

static void
visualize_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  VisualizeJob *job = task_data;
  VggError engine_error = { 0 };
  GError *error = NULL;

  job->cancellable = cancellable;
  if (vgg_visualize (scope_model_get_engine (job->model), &job->request, job->input,
                     on_viz_step, job, NULL, &engine_error) != VGG_STATUS_OK)
    {
      if (engine_error.status == VGG_STATUS_CANCELLED)
        g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s",
                                 engine_error.message);
      else
        {
          scope_engine_error_set (&error, &engine_error, NULL, NULL);
          g_task_return_error (task, error);
        }
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
show_viz (ScopeComparePanel *self,
          const float       *input,
          int                step,
          float              objective)
{
  VggImage image = { 0 };
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *text = NULL;

  if (vgg_input_to_image (&image, input, self->viz_channels, self->viz_height, self->viz_width,
                          self->viz_preset, NULL) != VGG_STATUS_OK)
    return;
  texture = texture_from_image (&image);
  vgg_image_clear (&image);
  gtk_picture_set_paintable (self->viz_picture, GDK_PAINTABLE (texture));
  gtk_progress_bar_set_fraction (self->viz_progress, (double) step / MAX (1, self->viz_steps));
  /* Translators: under the forming picture; step of steps, then the channel's mean value */
  text = g_strdup_printf (_("Step %d of %d — mean value before ReLU %.4f"), step,
                          self->viz_steps, objective);
  gtk_label_set_text (self->viz_label, text);
}

static gboolean
on_viz_tick (gpointer user_data)
{
  ScopeComparePanel *self = user_data;
  g_autofree float *copy = NULL;
  size_t count = (size_t) self->viz_channels * self->viz_height * self->viz_width;
  int step;
  float objective;

  g_mutex_lock (&self->viz_lock);
  step = self->viz_step;
  objective = self->viz_objective;
  if (step != self->viz_shown)
    copy = g_memdup2 (self->viz_latest, count * sizeof (float));
  g_mutex_unlock (&self->viz_lock);
  if (copy != NULL)
    {
      self->viz_shown = step;
      show_viz (self, copy, step, objective);
    }
  return G_SOURCE_CONTINUE;
}

static void
update_actions (ScopeComparePanel *self)
{
  gboolean running = self->viz_cancellable != NULL;
  gboolean has_model = self->workspace != NULL
                       && scope_workspace_get_model (self->workspace) != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "compare.visualize", !running && has_model);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "compare.stop-visualize", running);
}

static void
on_visualized (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  ScopeComparePanel *self = SCOPE_COMPARE_PANEL (object);
  VisualizeJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  gboolean ok = g_task_propagate_boolean (G_TASK (result), &error);

  if (g_task_get_cancellable (G_TASK (result)) != self->viz_cancellable)
    return;
  g_clear_object (&self->viz_cancellable);
  g_clear_handle_id (&self->viz_timeout, g_source_remove);
  update_actions (self);
  if (!ok)
    {
      gtk_label_set_text (self->viz_label,
                          g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                            /* Translators: the visualization was stopped by the user */
                            ? _("Stopped") : error->message);
      return;
    }
  g_free (self->viz_final);
  self->viz_final = g_steal_pointer (&job->input);
  self->viz_final_steps = job->request.steps;
  show_viz (self, self->viz_final, job->request.steps, self->viz_objective);
}

static void
visualize_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  ScopeComparePanel *self = SCOPE_COMPARE_PANEL (widget);
  ScopeModel *model = scope_workspace_get_model (self->workspace);
  int layer = scope_workspace_get_selected_layer (self->workspace);
  const VggModel *engine;
  const VggConfig *config;
  g_autoptr(GTask) task = NULL;
  VisualizeJob *job;

  if (model == NULL || self->viz_cancellable != NULL)
    return;
  engine = scope_model_get_engine (model);
  if (layer < 0 || vgg_model_layer (engine, layer)->kind == VGG_LAYER_SOFTMAX)
    layer = vgg_model_n_layers (engine) - 2;   /* the softmax: its class's logit */
  config = vgg_model_config (engine);
  self->viz_channels = config->input_channels;
  self->viz_height = config->input_height;
  self->viz_width = config->input_width;
  self->viz_preset = vgg_model_preset (engine);
  g_free (self->viz_latest);
  self->viz_latest = g_new0 (float, (gsize) self->viz_channels * self->viz_height
                                    * self->viz_width);
  self->viz_step = self->viz_shown = 0;
  job = g_new0 (VisualizeJob, 1);
  job->self = self;
  job->model = g_object_ref (model);
  vgg_visualize_request_init (&job->request, engine, layer,
                              MIN (gtk_spin_button_get_value_as_int (self->channel_spin),
                                   vgg_model_layer (engine, layer)->channels_out - 1));
  job->input = g_new (float, (gsize) self->viz_channels * self->viz_height * self->viz_width);
  self->viz_steps = job->request.steps;
  self->viz_cancellable = g_cancellable_new ();
  task = g_task_new (self, self->viz_cancellable, on_visualized, NULL);
  g_task_set_source_tag (task, visualize_action);
  g_task_set_task_data (task, job, (GDestroyNotify) visualize_job_free);
  self->viz_timeout = g_timeout_add (100, on_viz_tick, self);
  update_actions (self);
  g_task_run_in_thread (task, visualize_thread);
}

static void
stop_visualize_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  g_cancellable_cancel (SCOPE_COMPARE_PANEL (widget)->viz_cancellable);
}

/* ---- following the workspace ---- */

static void
on_channel_changed (ScopeComparePanel *self)
{
  show_maps (self);
}

static void
on_result_changed (ScopeComparePanel *self)
{
  ScopeResult *result = scope_workspace_get_result (self->workspace);

  if (result != NULL)
    g_signal_connect_object (result, "notify::status", G_CALLBACK (start_compare), self,
                             G_CONNECT_SWAPPED);
  start_compare (self);
  update_actions (self);
}

void
scope_compare_panel_set_workspace (ScopeComparePanel *self,
                                   ScopeWorkspace    *workspace)
{
  g_return_if_fail (SCOPE_IS_COMPARE_PANEL (self));
  g_return_if_fail (self->workspace == NULL);
  self->workspace = g_object_ref (workspace);
  scope_cka_view_set_workspace (self->cka_view, workspace);
  g_signal_connect_object (workspace, "notify::result", G_CALLBACK (on_result_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (workspace, "notify::selected-layer", G_CALLBACK (show_maps), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (workspace, "notify::model", G_CALLBACK (update_actions), self,
                           G_CONNECT_SWAPPED);
  on_result_changed (self);
}

static void
on_view_state_changed (ScopeComparePanel *self,
                       GParamSpec        *pspec)
{
  if (g_str_equal (pspec->name, "colormap"))
    show_maps (self);
}

void
scope_compare_panel_set_view_state (ScopeComparePanel *self,
                                    ScopeViewState    *view_state)
{
  g_return_if_fail (SCOPE_IS_COMPARE_PANEL (self));
  scope_view_state_follow (&self->view_state, view_state, G_CALLBACK (on_view_state_changed),
                           self);
  scope_cka_view_set_view_state (self->cka_view, view_state);
}

ScopeCkaView *
scope_compare_panel_get_cka_view (ScopeComparePanel *self)
{
  g_return_val_if_fail (SCOPE_IS_COMPARE_PANEL (self), NULL);
  return self->cka_view;
}

gboolean
scope_compare_panel_get_busy (ScopeComparePanel *self)
{
  g_return_val_if_fail (SCOPE_IS_COMPARE_PANEL (self), FALSE);
  return self->compare_cancellable != NULL || self->viz_cancellable != NULL;
}

double
scope_compare_panel_get_cosine (ScopeComparePanel *self,
                                int                index)
{
  g_return_val_if_fail (SCOPE_IS_COMPARE_PANEL (self), NAN);
  if (self->cosines == NULL || index < 0 || index >= self->n_layers)
    return NAN;
  return self->cosines[index];
}

const char *
scope_compare_panel_get_cosine_text (ScopeComparePanel *self,
                                     int                index)
{
  g_return_val_if_fail (SCOPE_IS_COMPARE_PANEL (self), NULL);
  if (self->cosine_texts == NULL || index < 0 || index >= (int) self->cosine_texts->len)
    return NULL;
  return g_ptr_array_index (self->cosine_texts, index);
}

const float *
scope_compare_panel_get_visualization (ScopeComparePanel *self,
                                       int               *steps)
{
  g_return_val_if_fail (SCOPE_IS_COMPARE_PANEL (self), NULL);
  if (steps != NULL)
    *steps = self->viz_final != NULL ? self->viz_final_steps : 0;
  return self->viz_final;
}

/* ---- the object ---- */

static void
scope_compare_panel_dispose (GObject *object)
{
  ScopeComparePanel *self = SCOPE_COMPARE_PANEL (object);

  g_cancellable_cancel (self->compare_cancellable);
  g_cancellable_cancel (self->viz_cancellable);
  g_clear_object (&self->compare_cancellable);
  g_clear_object (&self->viz_cancellable);
  g_clear_handle_id (&self->viz_timeout, g_source_remove);
  g_clear_object (&self->workspace);
  g_clear_object (&self->view_state);
  g_clear_object (&self->second);
  gtk_widget_dispose_template (GTK_WIDGET (self), SCOPE_TYPE_COMPARE_PANEL);
  G_OBJECT_CLASS (scope_compare_panel_parent_class)->dispose (object);
}

static void
scope_compare_panel_finalize (GObject *object)
{
  ScopeComparePanel *self = SCOPE_COMPARE_PANEL (object);

  g_free (self->cosines);
  g_clear_pointer (&self->captures_a, g_ptr_array_unref);
  g_clear_pointer (&self->captures_b, g_ptr_array_unref);
  g_clear_pointer (&self->cosine_texts, g_ptr_array_unref);
  g_strfreev (self->layer_names);
  g_free (self->viz_latest);
  g_free (self->viz_final);
  g_mutex_clear (&self->viz_lock);
  G_OBJECT_CLASS (scope_compare_panel_parent_class)->finalize (object);
}

static void
scope_compare_panel_class_init (ScopeComparePanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = scope_compare_panel_dispose;
  object_class->finalize = scope_compare_panel_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/vggscope/VggScope/ui/scope-compare-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, ScopeComparePanel, second_label);
  gtk_widget_class_bind_template_child (widget_class, ScopeComparePanel, cosine_list);
  gtk_widget_class_bind_template_child (widget_class, ScopeComparePanel, picture_a);
  gtk_widget_class_bind_template_child (widget_class, ScopeComparePanel, picture_b);
  gtk_widget_class_bind_template_child (widget_class, ScopeComparePanel, picture_diff);
  gtk_widget_class_bind_template_child (widget_class, ScopeComparePanel, channel_spin);
  gtk_widget_class_bind_template_child (widget_class, ScopeComparePanel, maps_label);
  gtk_widget_class_bind_template_child (widget_class, ScopeComparePanel, viz_picture);
  gtk_widget_class_bind_template_child (widget_class, ScopeComparePanel, viz_progress);
  gtk_widget_class_bind_template_child (widget_class, ScopeComparePanel, viz_label);
  gtk_widget_class_bind_template_child (widget_class, ScopeComparePanel, cka_view);
  gtk_widget_class_bind_template_callback (widget_class, on_channel_changed);

  gtk_widget_class_install_action (widget_class, "compare.choose-second", NULL,
                                   choose_second_action);
  gtk_widget_class_install_action (widget_class, "compare.visualize", NULL, visualize_action);
  gtk_widget_class_install_action (widget_class, "compare.stop-visualize", NULL,
                                   stop_visualize_action);
}

static void
scope_compare_panel_init (ScopeComparePanel *self)
{
  g_type_ensure (SCOPE_TYPE_CKA_VIEW);
  g_mutex_init (&self->viz_lock);
  gtk_widget_init_template (GTK_WIDGET (self));
  update_actions (self);
}
