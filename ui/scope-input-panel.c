/* scope-input-panel.c — the picture the network was given, the receptive field, the prediction
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "scope-explain-job.h"
#include "scope-input-panel.h"

/* Pointing rests this long on a unit before its effective receptive field is computed */
#define ERF_DELAY_MS 150

/* The unit an effective receptive field is of: one computation per unit. A move to a
 * diagonal neighbour notifies both coordinates (and the grid sets the channel too); each
 * notification after the first finds its unit and changes nothing. A new result clears it. */
typedef struct
{
  int layer, channel, y, x;
} ErfKey;

struct _ScopeInputPanel
{
  GtkBox          parent_instance;

  /* template children */
  ScopeImageView *image_view;
  GtkLabel       *receptive_label;
  GtkLabel       *erf_label;
  GtkWidget      *prediction_box;
  GtkLabel       *elapsed_label;
  GtkWidget      *untrained_box;
  ScopeProbChart *prob_chart;
  GtkLabel       *classes_label;
  GtkWidget      *features_only_box;
  GtkLabel       *model_label;

  /* owned */
  ScopeWorkspace *workspace;
  ScopeViewState *view_state;
  ScopeResult    *result;      /* the workspace's, watched */
  ScopeExplanation *erf;       /* the unit pointed at's effective receptive field */
  GCancellable   *erf_cancellable;

  /* plain state */
  guint           erf_timeout;
  ErfKey          erf_key;     /* what the pending, running or shown ERF is of */
  guint           erf_runs;    /* ERF computations started, for tests */
};

G_DEFINE_FINAL_TYPE (ScopeInputPanel, scope_input_panel, GTK_TYPE_BOX)

/* "Recognises 10 Fashion-MNIST classes: T-shirt/top, Trouser, …" from the model's own names;
 * NULL for ImageNet models and models whose classes have no names. */
static char *
describe_classes (const VggModel *model)
{
  int n_classes = vgg_model_n_classes (model);
  int n_listed = MIN (n_classes, 12);
  g_autoptr(GString) names = g_string_new (NULL);

  if (n_classes == 0 || n_classes == 1000 || !vgg_model_has_class_names (model))
    return NULL;
  for (int i = 0; i < n_listed; i++)
    {
      if (i > 0)
        /* Translators: the separator between class names in a list */
        g_string_append (names, _(", "));
      g_string_append (names, vgg_model_class_name (model, i));
    }
  if (n_listed < n_classes)
    g_string_append (names, "…");

  if (vgg_model_preset (model) == VGG_PRESET_FASHION_MNIST)
    /* Translators: under the prediction; %d is the number of classes, %s their names */
    return g_strdup_printf (ngettext ("Recognises %d Fashion-MNIST class: %s",
                                      "Recognises %d Fashion-MNIST classes: %s", n_classes),
                            n_classes, names->str);
  /* Translators: under the prediction; %d is the number of classes, %s their names */
  return g_strdup_printf (ngettext ("Recognises %d class: %s", "Recognises %d classes: %s",
                                    n_classes), n_classes, names->str);
}

static void
update_model (ScopeInputPanel *self)
{
  ScopeModel *scope_model = scope_workspace_get_model (self->workspace);
  g_autofree char *label = NULL, *classes = NULL;
  const VggModel *model;
  gboolean classifier;

  if (scope_model == NULL)
    return;
  model = scope_model_get_engine (scope_model);
  classifier = vgg_model_n_classes (model) > 0;
  if (!classifier)
    /* Translators: under the feature-maps-only note; %s is the model's name */
    label = g_strdup_printf (_("Model: %s (no classifier)"), vgg_model_name (model));
  else if (vgg_model_is_trained (model))
    /* Translators: under the probability bars; %s is the model's name */
    label = g_strdup_printf (_("Model: %s (trained)"), vgg_model_name (model));
  else
    /* Translators: under the probability bars; %s is the model's name */
    label = g_strdup_printf (_("Model: %s"), vgg_model_name (model));
  gtk_label_set_label (self->model_label, label);

  /* a model without a classifier has no prediction to show: say so instead */
  gtk_widget_set_visible (self->prediction_box, classifier);
  gtk_widget_set_visible (self->features_only_box, !classifier);
  gtk_widget_set_visible (self->untrained_box, classifier && !vgg_model_is_trained (model));
  classes = describe_classes (model);
  gtk_label_set_label (self->classes_label, classes != NULL ? classes : "");
  gtk_widget_set_visible (GTK_WIDGET (self->classes_label), classes != NULL);
}

static void
update_pictures (ScopeInputPanel *self)
{
  graphene_rect_t window;

  if (self->result == NULL)
    {
      scope_image_view_set_pictures (self->image_view, NULL, NULL, VGG_PRESET_TORCHVISION);
      scope_image_view_set_input_window (self->image_view, NULL);
      return;
    }
  scope_image_view_set_pictures (self->image_view, scope_result_get_original (self->result),
                                 scope_result_get_seen (self->result),
                                 vgg_model_preset (scope_model_get_engine (
                                   scope_result_get_model (self->result))));
  scope_image_view_set_input_window (self->image_view,
                                     scope_result_get_input_window (self->result, &window)
                                     ? &window : NULL);
}

static void
update_elapsed (ScopeInputPanel *self)
{
  g_autofree char *elapsed = NULL;

  if (self->result != NULL && scope_result_get_status (self->result) == SCOPE_RESULT_DONE)
    {
      g_autofree char *duration = scope_result_format_elapsed (
        scope_result_get_elapsed (self->result));

      /* Translators: the time of the network's forward pass alone, e.g. "network 89 ms" */
      elapsed = g_strdup_printf (_("network %s"), duration);
    }
  gtk_label_set_label (self->elapsed_label, elapsed != NULL ? elapsed : "");
}

static void
update_receptive (ScopeInputPanel *self)
{
  const VggLayer *layer = scope_workspace_get_layer_info (self->workspace);
  int unit_y = -1, unit_x = -1;
  VggRect rect;
  g_autofree char *text = NULL;

  int pixel_y = -1, pixel_x = -1;
  VggRect units;

  if (self->view_state != NULL)
    {
      scope_view_state_get_unit (self->view_state, &unit_y, &unit_x);
      scope_view_state_get_pixel (self->view_state, &pixel_y, &pixel_x);
    }
  if (layer == NULL || scope_workspace_get_capture (self->workspace) == NULL)
    {
      scope_image_view_set_receptive_rect (self->image_view, NULL);
      return;
    }
  if (pixel_y >= 0
      && vgg_model_reverse_receptive_rect (
           scope_model_get_engine (scope_workspace_get_model (self->workspace)),
           scope_workspace_get_selected_layer (self->workspace), pixel_y, pixel_x, &units))
    {
      /* Translators: the reverse receptive field: input pixel row and column, the number of
       * units, the layer, and the units' rows and columns */
      text = g_strdup_printf (_("Input pixel (%d, %d) is seen by %d units of %s in every map: "
                                "rows %d–%d, columns %d–%d (lit in the maps)."),
                              pixel_y, pixel_x, units.width * units.height, layer->name, units.y,
                              units.y + units.height - 1, units.x, units.x + units.width - 1);
      gtk_label_set_label (self->receptive_label, text);
      return;
    }
  if (layer->kind == VGG_LAYER_FC || layer->kind == VGG_LAYER_SOFTMAX)
    {
      scope_image_view_set_receptive_rect (self->image_view, NULL);
      /* Translators: %s is a fully connected layer's name */
      text = g_strdup_printf (_("Every unit of %s sees the whole picture."), layer->name);
    }
  else if (unit_y >= 0 && unit_x >= 0
           && vgg_model_receptive_rect (
                scope_model_get_engine (scope_workspace_get_model (self->workspace)),
                scope_workspace_get_selected_layer (self->workspace), unit_y, unit_x, &rect))
    {
      scope_image_view_set_receptive_rect (self->image_view, &rect);
      /* Translators: explains the rectangle on the input: layer, unit row and column,
       * rectangle width and height, the full receptive field size, its left and top */
      text = g_strdup_printf (_("Unit (%d, %d) of %s sees %d × %d input pixels "
                                "(receptive field %d px) starting at (%d, %d)."),
                              unit_y, unit_x, layer->name, rect.width, rect.height,
                              layer->receptive_field.size, rect.x, rect.y);
    }
  else
    {
      scope_image_view_set_receptive_rect (self->image_view, NULL);
      /* Translators: hint under the input pictures; %s is a layer name, %d its receptive
       * field size in pixels */
      text = g_strdup_printf (_("Each unit of %s sees up to %d × %d input pixels. "
                                "Point at a feature map to see where."),
                              layer->name, layer->receptive_field.size,
                              layer->receptive_field.size);
    }
  gtk_label_set_label (self->receptive_label, text);
}

static void
show_erf (ScopeInputPanel *self)
{
  g_autoptr(GdkTexture) texture = NULL;
  const char *summary = self->erf != NULL ? scope_explanation_get_summary (self->erf) : "";

  if (self->erf != NULL && self->view_state != NULL)
    texture = scope_explanation_render (self->erf, scope_view_state_get_lut (self->view_state));
  scope_image_view_set_overlay (self->image_view, texture, 0.85);
  gtk_label_set_label (self->erf_label, summary);
  gtk_widget_set_visible (GTK_WIDGET (self->erf_label), summary[0] != '\0');
}

static void
clear_erf (ScopeInputPanel *self)
{
  self->erf_key = (ErfKey) { -1, -1, -1, -1 };
  g_clear_handle_id (&self->erf_timeout, g_source_remove);
  if (self->erf_cancellable != NULL)
    g_cancellable_cancel (self->erf_cancellable);
  g_clear_object (&self->erf_cancellable);
  if (self->erf != NULL)
    g_signal_handlers_disconnect_by_data (self->erf, self);
  g_clear_object (&self->erf);
  show_erf (self);
}

static void
on_erf_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(ScopeExplanation) erf = user_data;

  /* a failure (a model that cannot explain) just leaves the theoretical rectangle */
  scope_explanation_set_status (erf, scope_explain_run_finish (result, NULL) ? SCOPE_RESULT_DONE
                                                                             : SCOPE_RESULT_FAILED,
                                NULL);
}

/* The unit pointed at has rested: its effective receptive field, ∂z/∂x. */
static gboolean
compute_erf (gpointer data)
{
  ScopeInputPanel *self = data;
  ScopeModel *model = scope_workspace_get_model (self->workspace);
  GBytes *input = self->result != NULL ? scope_result_get_input (self->result) : NULL;
  ScopeExplainRequest request;

  self->erf_timeout = 0;
  if (model == NULL || input == NULL || self->view_state == NULL)
    return G_SOURCE_REMOVE;
  scope_explain_request_init (&request, SCOPE_EXPLAIN_ERF, model);
  request.layer_index = scope_workspace_get_selected_layer (self->workspace);
  request.unit_channel = scope_view_state_get_channel (self->view_state);
  scope_view_state_get_unit (self->view_state, &request.unit_y, &request.unit_x);

  self->erf = scope_explanation_new (SCOPE_EXPLAIN_ERF, -1, request.layer_index);
  g_signal_connect_object (self->erf, "notify::map", G_CALLBACK (show_erf), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->erf, "notify::summary", G_CALLBACK (show_erf), self,
                           G_CONNECT_SWAPPED);
  self->erf_cancellable = g_cancellable_new ();
  self->erf_runs++;
  scope_explain_run_async (model, input, &request, self->erf, self->erf_cancellable, on_erf_done,
                           g_object_ref (self->erf));
  return G_SOURCE_REMOVE;
}

/* Pointing at a unit of a convolution or pool shows where in the picture it really looks. */
static void
on_unit_changed (ScopeInputPanel *self)
{
  const VggLayer *layer = scope_workspace_get_layer_info (self->workspace);
  ErfKey key = { scope_workspace_get_selected_layer (self->workspace),
                 scope_view_state_get_channel (self->view_state), -1, -1 };

  scope_view_state_get_unit (self->view_state, &key.y, &key.x);
  if (layer == NULL || (layer->kind != VGG_LAYER_CONV && layer->kind != VGG_LAYER_POOL)
      || key.y < 0 || key.channel < 0 || scope_workspace_get_capture (self->workspace) == NULL)
    {
      clear_erf (self);
      update_receptive (self);
      return;
    }
  /* the same unit again (the second coordinate's notification): nothing to restart */
  if (key.layer == self->erf_key.layer && key.channel == self->erf_key.channel
      && key.y == self->erf_key.y && key.x == self->erf_key.x)
    return;
  clear_erf (self);
  update_receptive (self);
  self->erf_key = key;
  self->erf_timeout = g_timeout_add (ERF_DELAY_MS, compute_erf, self);
}

static void
on_pointer_moved (ScopeInputPanel *self)
{
  int y, x;

  scope_image_view_get_pointer (self->image_view, &y, &x);
  if (self->view_state != NULL)
    scope_view_state_set_pixel (self->view_state, y, x);
}

static void
on_layer_captured (ScopeInputPanel *self,
                   int              index)
{
  if (index == scope_workspace_get_selected_layer (self->workspace))
    update_receptive (self);
}

static void
on_result_changed (ScopeInputPanel *self)
{
  ScopeResult *result = scope_workspace_get_result (self->workspace);

  if (self->result != NULL)
    g_signal_handlers_disconnect_by_data (self->result, self);
  g_set_object (&self->result, result);
  if (result != NULL)
    {
      g_signal_connect_object (result, "notify::original", G_CALLBACK (update_pictures), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (result, "notify::seen", G_CALLBACK (update_pictures), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (result, "notify::status", G_CALLBACK (update_elapsed), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (result, "layer-captured", G_CALLBACK (on_layer_captured), self,
                               G_CONNECT_SWAPPED);
    }
  scope_prob_chart_set_model (self->prob_chart,
                              result != NULL ? scope_result_get_prediction (result) : NULL);
  /* an effective receptive field belongs to the picture it was computed on */
  clear_erf (self);
  update_pictures (self);
  update_elapsed (self);
  update_receptive (self);
}

void
scope_input_panel_set_workspace (ScopeInputPanel *self,
                                 ScopeWorkspace  *workspace)
{
  g_return_if_fail (SCOPE_IS_INPUT_PANEL (self));
  g_return_if_fail (SCOPE_IS_WORKSPACE (workspace));
  g_return_if_fail (self->workspace == NULL);

  self->workspace = g_object_ref (workspace);
  g_signal_connect_object (workspace, "notify::result", G_CALLBACK (on_result_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (workspace, "notify::model", G_CALLBACK (update_model), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (workspace, "notify::selected-layer", G_CALLBACK (update_receptive),
                           self, G_CONNECT_SWAPPED);
  update_model (self);
  on_result_changed (self);
}

void
scope_input_panel_set_view_state (ScopeInputPanel *self,
                                  ScopeViewState  *view_state)
{
  g_return_if_fail (SCOPE_IS_INPUT_PANEL (self));
  g_return_if_fail (SCOPE_IS_VIEW_STATE (view_state));
  g_return_if_fail (self->view_state == NULL);

  self->view_state = g_object_ref (view_state);
  /* (the view state notifies both coordinates after setting both) */
  g_signal_connect_object (view_state, "notify::unit-y", G_CALLBACK (on_unit_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (view_state, "notify::unit-x", G_CALLBACK (on_unit_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (view_state, "notify::channel", G_CALLBACK (on_unit_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (view_state, "notify::pixel-x", G_CALLBACK (update_receptive), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (view_state, "notify::colormap", G_CALLBACK (show_erf), self,
                           G_CONNECT_SWAPPED);
  if (self->workspace != NULL)
    update_receptive (self);
}

ScopeImageView *
scope_input_panel_get_image_view (ScopeInputPanel *self)
{
  g_return_val_if_fail (SCOPE_IS_INPUT_PANEL (self), NULL);
  return self->image_view;
}

guint
scope_input_panel_get_erf_runs (ScopeInputPanel *self)
{
  g_return_val_if_fail (SCOPE_IS_INPUT_PANEL (self), 0);
  return self->erf_runs;
}

ScopeProbChart *
scope_input_panel_get_prob_chart (ScopeInputPanel *self)
{
  g_return_val_if_fail (SCOPE_IS_INPUT_PANEL (self), NULL);
  return self->prob_chart;
}

static void
scope_input_panel_dispose (GObject *object)
{
  ScopeInputPanel *self = SCOPE_INPUT_PANEL (object);

  if (self->result != NULL)
    g_signal_handlers_disconnect_by_data (self->result, self);
  g_clear_handle_id (&self->erf_timeout, g_source_remove);
  if (self->erf_cancellable != NULL)
    g_cancellable_cancel (self->erf_cancellable);
  g_clear_object (&self->erf_cancellable);
  if (self->erf != NULL)
    g_signal_handlers_disconnect_by_data (self->erf, self);
  g_clear_object (&self->erf);
  g_clear_object (&self->result);
  g_clear_object (&self->workspace);
  g_clear_object (&self->view_state);
  gtk_widget_dispose_template (GTK_WIDGET (self), SCOPE_TYPE_INPUT_PANEL);

  G_OBJECT_CLASS (scope_input_panel_parent_class)->dispose (object);
}

static void
scope_input_panel_class_init (ScopeInputPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = scope_input_panel_dispose;

  g_type_ensure (SCOPE_TYPE_IMAGE_VIEW);
  g_type_ensure (SCOPE_TYPE_PROB_CHART);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/vggscope/VggScope/ui/scope-input-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, ScopeInputPanel, image_view);
  gtk_widget_class_bind_template_child (widget_class, ScopeInputPanel, receptive_label);
  gtk_widget_class_bind_template_child (widget_class, ScopeInputPanel, erf_label);
  gtk_widget_class_bind_template_child (widget_class, ScopeInputPanel, prediction_box);
  gtk_widget_class_bind_template_child (widget_class, ScopeInputPanel, elapsed_label);
  gtk_widget_class_bind_template_child (widget_class, ScopeInputPanel, untrained_box);
  gtk_widget_class_bind_template_child (widget_class, ScopeInputPanel, prob_chart);
  gtk_widget_class_bind_template_child (widget_class, ScopeInputPanel, classes_label);
  gtk_widget_class_bind_template_child (widget_class, ScopeInputPanel, features_only_box);
  gtk_widget_class_bind_template_child (widget_class, ScopeInputPanel, model_label);
}

static void
scope_input_panel_init (ScopeInputPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* (pointer-x is notified with pointer-y, after both are set) */
  g_signal_connect_object (self->image_view, "notify::pointer-x", G_CALLBACK (on_pointer_moved),
                           self, G_CONNECT_SWAPPED);
}
