/* scope-layer-lesson.c — the lesson of the selected layer, with the loaded model's numbers
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "scope-layer-lesson.h"
#include "vgg-lesson.h"

struct _ScopeLayerLesson
{
  GtkWidget       parent_instance;

  /* template children */
  GtkWidget      *scroller;
  GtkLabel       *title_label;
  GtkLabel       *kind_label;
  GtkLabel       *shapes_label;
  GtkLabel       *params_label;
  GtkLabel       *macs_label;
  GtkLabel       *field_label;
  GtkLabel       *block_heading;
  GtkLabel       *block_label;

  /* owned */
  ScopeWorkspace *workspace;
};

G_DEFINE_FINAL_TYPE (ScopeLayerLesson, scope_layer_lesson, GTK_TYPE_WIDGET)

/* An integer with the locale's thousands separator (a comma in the C locale, which has
 * none: 4718592 is hard to read). */
static char *
format_int (int64_t value)
{
  const char *separator = localeconv ()->thousands_sep;

  if (separator == NULL || separator[0] == '\0')
    separator = ",";
  g_autofree char *digits = g_strdup_printf ("%" G_GINT64_FORMAT, value < 0 ? -value : value);
  GString *out = g_string_new (value < 0 ? "−" : "");
  size_t n = strlen (digits);

  for (size_t i = 0; i < n; i++)
    {
      if (i > 0 && (n - i) % 3 == 0)
        g_string_append (out, separator);
      g_string_append_c (out, digits[i]);
    }
  return g_string_free (out, FALSE);
}

static void
set_label (GtkLabel   *label,
           const char *markup)
{
  gtk_label_set_markup (label, markup);
  gtk_widget_set_visible (GTK_WIDGET (label), markup[0] != '\0');
}

static char *
kind_text (const VggLayer *layer,
           gboolean        last_fc)
{
  switch (layer->kind)
    {
    case VGG_LAYER_CONV:
      return g_strdup_printf (_("A convolution slides %d filters of 3 × 3 × %d weights over "
                                "its input, one pixel at a time, with a border of one zero "
                                "pixel (“same” padding), so the output keeps the input’s height "
                                "and width. Each filter makes one output channel: at every "
                                "position, the sum of the %d products of its weights with the "
                                "window under it, plus a bias. A ReLU then sets every negative "
                                "sum to zero: that is what lets stacked layers compute more "
                                "than one big linear map."),
                              layer->channels_out, layer->channels_in, 9 * layer->channels_in);
    case VGG_LAYER_POOL:
      return g_strdup (_("Max-pooling keeps the largest value of every 2 × 2 window, stepping "
                         "two pixels at a time: each map halves in height and width, the "
                         "channels stay. It has no weights. It keeps whether a feature was "
                         "found nearby rather than exactly where, and it doubles the jump, so "
                         "every later layer sees twice as far for the same cost."));
    case VGG_LAYER_FC:
      return g_strdup_printf (last_fc
                              ? _("A fully connected layer gives each of its %d outputs its "
                                  "own weight for every one of the %d inputs (the previous "
                                  "layer flattened in channel, row, column order), sums the "
                                  "products and adds a bias. This is the last one: its outputs "
                                  "are the class scores (logits), with no ReLU.")
                              : _("A fully connected layer gives each of its %d outputs its "
                                  "own weight for every one of the %d inputs (the previous "
                                  "layer flattened in channel, row, column order), sums the "
                                  "products, adds a bias and applies a ReLU."),
                              layer->channels_out,
                              layer->channels_in * layer->height_in * layer->width_in);
    case VGG_LAYER_SOFTMAX:
      return g_strdup_printf (_("Softmax turns the %d class scores zᵢ into probabilities: "
                                "pᵢ = e^zᵢ / Σⱼ e^zⱼ. Every pᵢ is positive, they add up to 1, "
                                "and the largest score gets the largest share. It has no "
                                "weights."),
                              layer->channels_out);
    case VGG_LAYER_N_KINDS:
    default:
      return g_strdup ("");
    }
}

static char *
shape_text (int c, int h, int w)
{
  return g_strdup_printf ("%d × %d × %d", c, h, w);
}

static char *
params_text (const VggLayer       *layer,
             const VggLayerLesson *lesson)
{
  g_autofree char *total = format_int (lesson->params);
  g_autofree char *weights = format_int (lesson->weights);

  switch (layer->kind)
    {
    case VGG_LAYER_CONV:
      if (lesson->batch_norm > 0)
        /* Translators: the parameter count of a convolution with batch norm, as a formula with
         * the numbers put in; keep the markup */
        return g_strdup_printf (_("3·3·C<sub>in</sub>·C<sub>out</sub> + C<sub>out</sub> + "
                                  "2·C<sub>out</sub> (batch norm’s γ and β) = 3·3·%d·%d + %d + "
                                  "2·%d = <b>%s</b>"),
                                layer->channels_in, layer->channels_out, layer->channels_out,
                                layer->channels_out, total);
      /* Translators: the parameter count of a convolution as a formula with the numbers put
       * in: weights plus biases; keep the markup */
      return g_strdup_printf (_("3·3·C<sub>in</sub>·C<sub>out</sub> + C<sub>out</sub> = "
                                "3·3·%d·%d + %d = %s + %d = <b>%s</b>"),
                              layer->channels_in, layer->channels_out, layer->channels_out,
                              weights, layer->channels_out, total);
    case VGG_LAYER_FC:
      {
        g_autofree char *n_in = format_int ((int64_t) layer->channels_in * layer->height_in
                                            * layer->width_in);

        /* Translators: the parameter count of a dense layer, as a formula; keep the markup */
        return g_strdup_printf (_("n<sub>in</sub>·n<sub>out</sub> + n<sub>out</sub> = %s·%d + "
                                  "%d = <b>%s</b>"),
                                n_in, layer->channels_out, layer->channels_out, total);
      }
    default:
      return g_strdup (_("None: this layer has no weights."));
    }
}

static char *
macs_text (const VggLayer       *layer,
           const VggLayerLesson *lesson)
{
  g_autofree char *total = format_int (lesson->macs);

  switch (layer->kind)
    {
    case VGG_LAYER_CONV:
      /* Translators: multiply-adds of a convolution per picture, as a formula; keep the markup */
      return g_strdup_printf (_("3·3·C<sub>in</sub>·C<sub>out</sub>·H·W = 3·3·%d·%d·%d·%d = "
                                "<b>%s</b> per picture"),
                              layer->channels_in, layer->channels_out, layer->height_out,
                              layer->width_out, total);
    case VGG_LAYER_FC:
      return g_strdup_printf (_("n<sub>in</sub>·n<sub>out</sub> = <b>%s</b> per picture"), total);
    case VGG_LAYER_POOL:
      {
        g_autofree char *compares = format_int (lesson->n_outputs * 3);

        /* Translators: a pool has no multiply-adds, only comparisons */
        return g_strdup_printf (_("None; %s comparisons (3 per output value)."), compares);
      }
    default:
      return g_strdup (_("None worth counting: one exponential per class and a division."));
    }
}

static char *
field_text (const VggLayerLesson *lesson)
{
  if (lesson->kernel > 0)
    /* Translators: how the receptive field grows over a layer with kernel k and stride s;
     * r is the field's side in input pixels, j the jump (input pixels between neighbouring
     * units); keep the markup */
    return g_strdup_printf (_("r<sub>l</sub> = r<sub>l−1</sub> + (k − 1)·j<sub>l−1</sub> = "
                              "%d + (%d − 1)·%d = <b>%d × %d</b> input pixels\n"
                              "jump j<sub>l</sub> = j<sub>l−1</sub>·s = %d·%d = <b>%d</b>: "
                              "neighbouring units are %d input pixels apart"),
                            lesson->rf_in, lesson->kernel, lesson->jump_in, lesson->rf_out,
                            lesson->rf_out, lesson->jump_in, lesson->stride, lesson->jump_out,
                            lesson->jump_out);
  return g_strdup_printf (_("Every unit sees the whole input picture (%d pixels on its "
                            "longer side): the receptive field ends here."),
                          lesson->rf_out);
}

static char *
block_text (const VggBlockLesson *block)
{
  g_autofree char *stacked = format_int (block->stacked_weights);
  g_autofree char *large = format_int (block->large_weights);
  g_autofree char *formula = NULL, *verdict = NULL;
  int n = block->n_convs;

  if (n == 1)
    return g_strdup_printf (_("Block %d holds a single 3 × 3 convolution (as VGG11’s first "
                              "blocks do): there is no stack to compare with one large filter. "
                              "Its units see 3 × 3 pixels of the block’s input, through one "
                              "ReLU."),
                            block->block);
  if (n == 2)
    formula = g_strdup_printf ("9·C<sub>in</sub>·C + 9·C² = 9·%d·%d + 9·%d²",
                               block->channels_in, block->channels, block->channels);
  else
    formula = g_strdup_printf ("9·C<sub>in</sub>·C + %d·9·C² = 9·%d·%d + %d·9·%d²", n - 1,
                               block->channels_in, block->channels, n - 1, block->channels);

  if (block->stacked_weights < block->large_weights)
    verdict = g_strdup_printf (_("The stack needs %.0f %% fewer weights, and its %d ReLUs let "
                                 "it compute what one linear filter cannot."),
                               100.0 * (1.0 - (double) block->stacked_weights
                                                / (double) block->large_weights),
                               n);
  else
    verdict = g_strdup_printf (_("Here the stack costs more weights, because its first "
                                 "convolution widens %d channels to %d: the saving comes where "
                                 "C<sub>in</sub> = C, the paper’s comparison (%d·9·C² against "
                                 "%d·C²). The %d ReLUs it gains are the other half of the "
                                 "lesson."),
                               block->channels_in, block->channels, n, block->field * block->field,
                               n);

  /* Translators: the stacked-3×3 lesson; the first %s is the weight formula with numbers,
   * keep the markup */
  return g_strdup_printf (_("Block %d stacks %d convolutions of 3 × 3. Together they see a "
                            "<b>%d × %d</b> window of the block’s input, as much as one "
                            "%d × %d filter would:\n"
                            "  stacked: %s = <b>%s</b> weights, %d ReLUs\n"
                            "  one %d × %d filter: %d·C<sub>in</sub>·C = %d·%d·%d = <b>%s</b> "
                            "weights, 1 ReLU\n"
                            "%s"),
                          block->block, n, block->field, block->field, block->field,
                          block->field, formula, stacked, n, block->field, block->field,
                          block->field * block->field, block->field * block->field,
                          block->channels_in, block->channels, large, verdict);
}

static void
update (ScopeLayerLesson *self)
{
  ScopeModel *model = self->workspace != NULL ? scope_workspace_get_model (self->workspace)
                                              : NULL;
  int index = self->workspace != NULL ? scope_workspace_get_selected_layer (self->workspace) : -1;
  const VggModel *engine;
  const VggLayer *layer;
  VggLayerLesson lesson;
  VggBlockLesson block;
  g_autofree char *title = NULL, *kind = NULL, *shapes = NULL, *in = NULL, *out = NULL;
  g_autofree char *params = NULL, *macs = NULL, *field = NULL, *block_heading = NULL;
  g_autofree char *block_body = NULL;

  engine = model != NULL ? scope_model_get_engine (model) : NULL;
  if (engine == NULL || !vgg_lesson_layer (engine, index, &lesson))
    {
      set_label (self->title_label, _("Select a layer"));
      set_label (self->kind_label, _("Pick a layer in the diagram or the layer table to see "
                                     "what it computes, with this model’s numbers."));
      set_label (self->shapes_label, "");
      set_label (self->params_label, "");
      set_label (self->macs_label, "");
      set_label (self->field_label, "");
      set_label (self->block_heading, "");
      set_label (self->block_label, "");
      return;
    }
  layer = vgg_model_layer (engine, index);

  switch (layer->kind)
    {
    case VGG_LAYER_CONV:
      /* Translators: the lesson's title: layer name and its kind */
      title = g_strdup_printf (_("%s: convolution 3 × 3 + ReLU"), layer->name);
      break;
    case VGG_LAYER_POOL:
      title = g_strdup_printf (_("%s: max-pool 2 × 2, stride 2"), layer->name);
      break;
    case VGG_LAYER_FC:
      title = g_strdup_printf (_("%s: fully connected"), layer->name);
      break;
    default:
      title = g_strdup_printf (_("%s: softmax"), layer->name);
      break;
    }
  kind = kind_text (layer, layer->kind == VGG_LAYER_FC && !layer->relu);
  in = shape_text (layer->channels_in, layer->height_in, layer->width_in);
  out = shape_text (layer->channels_out, layer->height_out, layer->width_out);
  /* Translators: input and output shapes, channels × height × width */
  shapes = g_strdup_printf (_("input %s → output <b>%s</b> (channels × height × width)"), in,
                            out);
  params = params_text (layer, &lesson);
  macs = macs_text (layer, &lesson);
  field = field_text (&lesson);

  set_label (self->title_label, title);
  gtk_label_set_text (self->kind_label, kind);
  set_label (self->shapes_label, shapes);
  set_label (self->params_label, params);
  set_label (self->macs_label, macs);
  set_label (self->field_label, field);

  if (layer->block > 0 && vgg_lesson_block (engine, layer->block, &block))
    {
      /* Translators: heading of the stacked-3×3 lesson for the block holding the layer */
      block_heading = g_strdup_printf (_("Stacked 3 × 3 filters in block %d"), layer->block);
      block_body = block_text (&block);
    }
  set_label (self->block_heading, block_heading != NULL ? block_heading : "");
  set_label (self->block_label, block_body != NULL ? block_body : "");
}

void
scope_layer_lesson_set_workspace (ScopeLayerLesson *self,
                                  ScopeWorkspace   *workspace)
{
  g_return_if_fail (SCOPE_IS_LAYER_LESSON (self));

  if (self->workspace == workspace)
    return;
  if (self->workspace != NULL)
    g_signal_handlers_disconnect_by_data (self->workspace, self);
  g_set_object (&self->workspace, workspace);
  if (workspace != NULL)
    {
      g_signal_connect_swapped (workspace, "notify::model", G_CALLBACK (update), self);
      g_signal_connect_swapped (workspace, "notify::selected-layer", G_CALLBACK (update), self);
    }
  update (self);
}

char *
scope_layer_lesson_dup_text (ScopeLayerLesson *self,
                             ScopeLessonPart   part)
{
  GtkLabel *labels[SCOPE_LESSON_N_PARTS];
  GtkLabel *label;

  g_return_val_if_fail (SCOPE_IS_LAYER_LESSON (self), NULL);
  g_return_val_if_fail (part < SCOPE_LESSON_N_PARTS, NULL);

  labels[SCOPE_LESSON_TITLE] = self->title_label;
  labels[SCOPE_LESSON_KIND] = self->kind_label;
  labels[SCOPE_LESSON_SHAPES] = self->shapes_label;
  labels[SCOPE_LESSON_PARAMS] = self->params_label;
  labels[SCOPE_LESSON_MACS] = self->macs_label;
  labels[SCOPE_LESSON_FIELD] = self->field_label;
  labels[SCOPE_LESSON_BLOCK] = self->block_label;
  label = labels[part];
  if (!gtk_widget_get_visible (GTK_WIDGET (label)))
    return g_strdup ("");
  return g_strdup (gtk_label_get_text (label));
}

static void
scope_layer_lesson_dispose (GObject *object)
{
  ScopeLayerLesson *self = SCOPE_LAYER_LESSON (object);

  if (self->workspace != NULL)
    g_signal_handlers_disconnect_by_data (self->workspace, self);
  g_clear_object (&self->workspace);
  gtk_widget_dispose_template (GTK_WIDGET (self), SCOPE_TYPE_LAYER_LESSON);

  G_OBJECT_CLASS (scope_layer_lesson_parent_class)->dispose (object);
}

static void
scope_layer_lesson_class_init (ScopeLayerLessonClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = scope_layer_lesson_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/vggscope/VggScope/ui/scope-layer-lesson.ui");
  gtk_widget_class_bind_template_child (widget_class, ScopeLayerLesson, scroller);
  gtk_widget_class_bind_template_child (widget_class, ScopeLayerLesson, title_label);
  gtk_widget_class_bind_template_child (widget_class, ScopeLayerLesson, kind_label);
  gtk_widget_class_bind_template_child (widget_class, ScopeLayerLesson, shapes_label);
  gtk_widget_class_bind_template_child (widget_class, ScopeLayerLesson, params_label);
  gtk_widget_class_bind_template_child (widget_class, ScopeLayerLesson, macs_label);
  gtk_widget_class_bind_template_child (widget_class, ScopeLayerLesson, field_label);
  gtk_widget_class_bind_template_child (widget_class, ScopeLayerLesson, block_heading);
  gtk_widget_class_bind_template_child (widget_class, ScopeLayerLesson, block_label);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "layerlesson");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
scope_layer_lesson_init (ScopeLayerLesson *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  /* Translators: accessible name of the layer lesson */
                                  _("Lesson of the selected layer"), -1);
  update (self);
}

ScopeLayerLesson *
scope_layer_lesson_new (void)
{
  return g_object_new (SCOPE_TYPE_LAYER_LESSON, NULL);
}
