/* scope-explain-panel.c — why the network chose a class: a heat map over the picture
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "scope-accessible.h"
#include "scope-explain-job.h"
#include "scope-explain-panel.h"
#include "scope-prediction.h"

/* Explanations kept for going back: VGG16's gradient maps are about 600 KB each */
#define CACHE_SIZE 24

struct _ScopeExplainPanel
{
  GtkBox            parent_instance;

  /* template children */
  GtkLabel         *title_label;
  GtkLabel         *subtitle_label;
  GtkDropDown      *method_dropdown;
  GtkDropDown      *class_dropdown;
  GtkAdjustment    *opacity;
  GtkProgressBar   *progress_bar;
  ScopeImageView   *image_view;
  GtkLabel         *summary_label;

  /* owned */
  ScopeWorkspace   *workspace;
  ScopeViewState   *view_state;
  ScopeResult      *result;        /* the workspace's, watched for its input and prediction */
  ScopeExplanation *explanation;   /* shown */
  GCancellable     *cancellable;   /* of the job computing it */
  GHashTable       *cache;         /* key → ScopeExplanation */
  GQueue           *cache_order;   /* keys, oldest first (owned by the table) */
  GArray           *classes;       /* int: the class dropdown's class indices */

  /* plain state */
  gboolean          active;
  int               class_index;   /* chosen; -1: the top class */
  int               layer_index;   /* Grad-CAM's, picked while shown; -1: the last conv */
};

G_DEFINE_FINAL_TYPE (ScopeExplainPanel, scope_explain_panel, GTK_TYPE_BOX)

static void update            (ScopeExplainPanel *self);
static void on_class_selected (ScopeExplainPanel *self);

static const char *
method_title (ScopeExplainMethod method)
{
  switch (method)
    {
    case SCOPE_EXPLAIN_SALIENCY:
      return _("Saliency: which pixels the class score is most sensitive to.");
    case SCOPE_EXPLAIN_SMOOTHGRAD:
      return _("SmoothGrad: saliency averaged over noisy copies of the picture.");
    case SCOPE_EXPLAIN_GRADIENT_INPUT:
      return _("Gradient × input: each pixel’s first-order share of the score.");
    case SCOPE_EXPLAIN_GRADCAM:
      return _("Grad-CAM: where a layer’s feature maps speak for the class.");
    case SCOPE_EXPLAIN_GUIDED:
      return _("Guided backprop: the gradient through positive paths only.");
    case SCOPE_EXPLAIN_GUIDED_GRADCAM:
      return _("Guided Grad-CAM: guided backprop weighted by Grad-CAM.");
    case SCOPE_EXPLAIN_DECONV:
      return _("Deconvnet: Zeiler and Fergus’s projection back to the pixels.");
    case SCOPE_EXPLAIN_INTEGRATED:
      return _("Integrated gradients: gradients summed along the path from the zero input.");
    case SCOPE_EXPLAIN_OCCLUSION:
    default:
      return _("Occlusion: how much the score drops when a square is hidden.");
    }
}

/* The layer Grad-CAM uses: the convolution or pool picked in the diagram or the table while
 * this view is shown, else the last convolution. */
static int
gradcam_layer (ScopeExplainPanel *self)
{
  ScopeModel *model = scope_workspace_get_model (self->workspace);
  int last_conv = -1;

  if (model != NULL && self->layer_index >= 0 && self->layer_index < scope_model_get_n_layers (model))
    return self->layer_index;
  for (int i = 0; model != NULL && i < scope_model_get_n_layers (model); i++)
    if (scope_model_get_layer (model, i)->kind == VGG_LAYER_CONV)
      last_conv = i;
  return last_conv;
}

static gboolean
uses_layer (ScopeExplainMethod method)
{
  return method == SCOPE_EXPLAIN_GRADCAM || method == SCOPE_EXPLAIN_GUIDED_GRADCAM;
}

/* The class explained: the chosen one, else the result's top class. */
static int
current_class (ScopeExplainPanel *self)
{
  GListModel *prediction;
  g_autoptr(ScopePrediction) top = NULL;

  if (self->class_index >= 0)
    return self->class_index;
  if (self->result == NULL)
    return -1;
  prediction = scope_result_get_prediction (self->result);
  top = g_list_model_get_item (prediction, 0);
  return top != NULL ? scope_prediction_get_class_index (top) : -1;
}

static char *
cache_key (ScopeExplainPanel  *self,
           ScopeExplainMethod  method,
           int                 layer,
           int                 class_index)
{
  ScopeSource *source = scope_result_get_source (self->result);
  GFile *file = scope_source_get_file (source);
  g_autofree char *picture = file != NULL ? g_file_get_uri (file)
                                          : g_strdup_printf ("%p", (void *) source);

  return g_strdup_printf ("%s|%p|%d|%d|%d", picture,
                          (void *) scope_result_get_model (self->result), method, layer,
                          class_index);
}

static void
cache_add (ScopeExplainPanel *self,
           char              *key,
           ScopeExplanation  *explanation)
{
  while (g_queue_get_length (self->cache_order) >= CACHE_SIZE)
    g_hash_table_remove (self->cache, g_queue_pop_head (self->cache_order));
  g_queue_push_tail (self->cache_order, key);
  g_hash_table_insert (self->cache, key, g_object_ref (explanation));
}

/* Drops the entry for @key (a failed or cancelled explanation, about to be redone). */
static void
cache_remove (ScopeExplainPanel *self,
              const char        *key)
{
  gpointer stored;

  if (!g_hash_table_lookup_extended (self->cache, key, &stored, NULL))
    return;
  g_queue_remove (self->cache_order, stored);
  g_hash_table_remove (self->cache, key);
}

static void
show_map (ScopeExplainPanel *self)
{
  g_autoptr(GdkTexture) texture = NULL;

  if (self->explanation != NULL && self->view_state != NULL)
    texture = scope_explanation_render (self->explanation,
                                        scope_view_state_get_lut (self->view_state));
  scope_image_view_set_overlay (self->image_view, texture, gtk_adjustment_get_value (self->opacity));
}

static void
show_status (ScopeExplainPanel *self)
{
  ScopeResultStatus status = self->explanation != NULL
                             ? scope_explanation_get_status (self->explanation)
                             : SCOPE_RESULT_PENDING;
  g_autofree char *text = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), status == SCOPE_RESULT_RUNNING);
  if (self->explanation != NULL)
    gtk_progress_bar_set_fraction (self->progress_bar,
                                   scope_explanation_get_fraction (self->explanation));
  if (status == SCOPE_RESULT_FAILED)
    /* Translators: under the heat map when an explanation failed; %s says why */
    text = g_strdup_printf (_("Could not explain: %s"),
                            scope_explanation_get_error (self->explanation));
  else if (status == SCOPE_RESULT_RUNNING)
    text = g_strdup (_("Computing…"));
  else if (self->explanation != NULL)
    text = g_strdup (scope_explanation_get_summary (self->explanation));
  else if (self->result == NULL)
    text = g_strdup (_("Open an image to see why the network chose its class"));
  else
    text = g_strdup ("");
  gtk_label_set_label (self->summary_label, text);
}

static void
on_explained (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(ScopeExplanation) explanation = user_data;
  g_autoptr(GError) error = NULL;

  if (scope_explain_run_finish (result, &error))
    scope_explanation_set_status (explanation, SCOPE_RESULT_DONE, NULL);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    scope_explanation_set_status (explanation, SCOPE_RESULT_CANCELLED, NULL);
  else
    scope_explanation_set_status (explanation, SCOPE_RESULT_FAILED, error->message);
}

static void
set_explanation (ScopeExplainPanel *self,
                 ScopeExplanation  *explanation)
{
  if (self->explanation == explanation)
    return;
  if (self->explanation != NULL)
    g_signal_handlers_disconnect_by_data (self->explanation, self);
  g_set_object (&self->explanation, explanation);
  if (explanation != NULL)
    {
      g_signal_connect_object (explanation, "notify::map", G_CALLBACK (show_map), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (explanation, "notify::status", G_CALLBACK (show_status), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (explanation, "notify::fraction", G_CALLBACK (show_status), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (explanation, "notify::summary", G_CALLBACK (show_status), self,
                               G_CONNECT_SWAPPED);
    }
  show_map (self);
  show_status (self);
}

static void
update_titles (ScopeExplainPanel *self,
               ScopeExplainMethod method,
               int                layer)
{
  ScopeModel *model = scope_workspace_get_model (self->workspace);
  int class_index = current_class (self);
  g_autofree char *title = NULL, *subtitle = NULL;
  const char *hint;

  if (model != NULL && class_index >= 0)
    /* Translators: the Explain view's title; %s is the class explained */
    title = g_strdup_printf (_("Why “%s”?"),
                             vgg_model_class_name (scope_model_get_engine (model), class_index));
  gtk_label_set_label (self->title_label, title != NULL ? title : _("Why This Class?"));
  if (method == SCOPE_EXPLAIN_OCCLUSION)
    hint = _("Brighter: hiding that part lowered the class’s score most.");
  else
    hint = _("Brighter: more influence on the class’s score.");
  if (uses_layer (method) && model != NULL && layer >= 0)
    /* Translators: under the Explain view's title: the method, the layer it looks at, and
     * how to read the map */
    subtitle = g_strdup_printf (_("%s At %s (pick another convolution or pool in the diagram "
                                  "or the layer table). %s"), method_title (method),
                                scope_model_get_layer (model, layer)->name, hint);
  else
    subtitle = g_strdup_printf ("%s %s", method_title (method), hint);
  gtk_label_set_label (self->subtitle_label, subtitle);
}

/* Shows the explanation for what is chosen now: from the cache, or computed. */
static void
update (ScopeExplainPanel *self)
{
  ScopeExplainMethod method = gtk_drop_down_get_selected (self->method_dropdown);
  ScopeModel *model;
  ScopeExplainRequest request;
  g_autoptr(ScopeExplanation) explanation = NULL;
  ScopeExplanation *cached;
  char *key;
  GBytes *input;
  int layer, class_index;

  if (self->workspace == NULL)
    return;
  layer = uses_layer (method) ? gradcam_layer (self) : -1;
  update_titles (self, method, layer);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  model = self->result != NULL ? scope_result_get_model (self->result) : NULL;
  input = self->result != NULL ? scope_result_get_input (self->result) : NULL;
  class_index = current_class (self);
  if (model == NULL || input == NULL || class_index < 0)
    {
      set_explanation (self, NULL);
      return;
    }

  key = cache_key (self, method, layer, class_index);
  cached = g_hash_table_lookup (self->cache, key);
  if (cached != NULL && scope_explanation_get_status (cached) == SCOPE_RESULT_DONE)
    {
      g_free (key);
      set_explanation (self, cached);
      return;
    }
  /* anything else (never made, cancelled, failed) is made anew, and only while on screen: a
   * fresh object, so a late word from a cancelled job never lands on the new one */
  if (cached != NULL)
    cache_remove (self, key);
  if (!self->active)
    {
      g_free (key);
      set_explanation (self, NULL);
      return;
    }
  explanation = scope_explanation_new (method, class_index, layer);
  cache_add (self, key, explanation);
  set_explanation (self, explanation);

  scope_explain_request_init (&request, method, model);
  request.class_index = class_index;
  request.layer_index = layer;
  self->cancellable = g_cancellable_new ();
  scope_explain_run_async (model, input, &request, explanation, self->cancellable, on_explained,
                           g_object_ref (explanation));
}

static void
update_classes (ScopeExplainPanel *self)
{
  GListModel *prediction = self->result != NULL ? scope_result_get_prediction (self->result)
                                                : NULL;
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  guint n = prediction != NULL ? g_list_model_get_n_items (prediction) : 0;
  guint selected = 0;

  g_array_set_size (self->classes, 0);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ScopePrediction) row = g_list_model_get_item (prediction, i);
      int class_index = scope_prediction_get_class_index (row);

      gtk_string_list_append (labels, scope_prediction_get_label (row));
      g_array_append_val (self->classes, class_index);
      if (class_index == self->class_index)
        selected = i;
    }
  g_signal_handlers_block_by_func (self->class_dropdown, on_class_selected, self);
  gtk_drop_down_set_model (self->class_dropdown, G_LIST_MODEL (labels));
  gtk_drop_down_set_selected (self->class_dropdown, selected);
  g_signal_handlers_unblock_by_func (self->class_dropdown, on_class_selected, self);
  gtk_widget_set_sensitive (GTK_WIDGET (self->class_dropdown), n > 0);
}

static void
on_class_selected (ScopeExplainPanel *self)
{
  guint selected = gtk_drop_down_get_selected (self->class_dropdown);

  if (selected < self->classes->len)
    self->class_index = g_array_index (self->classes, int, selected);
  update (self);
}

static void
on_result_status (ScopeExplainPanel *self)
{
  update_classes (self);
  update (self);
}

static void
show_pictures (ScopeExplainPanel *self)
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
on_result_changed (ScopeExplainPanel *self)
{
  ScopeResult *result = scope_workspace_get_result (self->workspace);

  if (self->result == result)
    return;
  if (self->result != NULL)
    g_signal_handlers_disconnect_by_data (self->result, self);
  g_set_object (&self->result, result);
  /* a new picture: explain its top class again */
  self->class_index = -1;
  if (result != NULL)
    {
      g_signal_connect_object (result, "notify::status", G_CALLBACK (on_result_status), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (result, "notify::seen", G_CALLBACK (show_pictures), self,
                               G_CONNECT_SWAPPED);
    }
  show_pictures (self);
  on_result_status (self);
}

/* A convolution or pool picked while the view is shown becomes Grad-CAM's layer. */
static void
on_selected_layer_changed (ScopeExplainPanel *self)
{
  const VggLayer *selected = scope_workspace_get_layer_info (self->workspace);

  if (!self->active || selected == NULL
      || (selected->kind != VGG_LAYER_CONV && selected->kind != VGG_LAYER_POOL))
    return;
  self->layer_index = scope_workspace_get_selected_layer (self->workspace);
  if (uses_layer (gtk_drop_down_get_selected (self->method_dropdown)))
    update (self);
}

/* Another model: its own last convolution. */
static void
on_model_changed (ScopeExplainPanel *self)
{
  self->layer_index = -1;
}

void
scope_explain_panel_set_workspace (ScopeExplainPanel *self,
                                   ScopeWorkspace    *workspace)
{
  g_return_if_fail (SCOPE_IS_EXPLAIN_PANEL (self));
  g_return_if_fail (SCOPE_IS_WORKSPACE (workspace));
  g_return_if_fail (self->workspace == NULL);

  self->workspace = g_object_ref (workspace);
  g_signal_connect_object (workspace, "notify::result", G_CALLBACK (on_result_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (workspace, "notify::selected-layer",
                           G_CALLBACK (on_selected_layer_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (workspace, "notify::model", G_CALLBACK (on_model_changed), self,
                           G_CONNECT_SWAPPED);
  on_result_changed (self);
}

void
scope_explain_panel_set_view_state (ScopeExplainPanel *self,
                                    ScopeViewState    *view_state)
{
  g_return_if_fail (SCOPE_IS_EXPLAIN_PANEL (self));
  g_return_if_fail (SCOPE_IS_VIEW_STATE (view_state));
  g_return_if_fail (self->view_state == NULL);

  self->view_state = g_object_ref (view_state);
  g_signal_connect_object (view_state, "notify::colormap", G_CALLBACK (show_map), self,
                           G_CONNECT_SWAPPED);
  show_map (self);
}

void
scope_explain_panel_set_active (ScopeExplainPanel *self,
                                gboolean           active)
{
  g_return_if_fail (SCOPE_IS_EXPLAIN_PANEL (self));

  active = !!active;
  if (self->active == active)
    return;
  self->active = active;
  /* hidden, it stops computing; shown again, it picks up (or finds the cached map) */
  if (!active && self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  if (active)
    update (self);
}

void
scope_explain_panel_set_method (ScopeExplainPanel  *self,
                                ScopeExplainMethod  method)
{
  g_return_if_fail (SCOPE_IS_EXPLAIN_PANEL (self));
  gtk_drop_down_set_selected (self->method_dropdown, method);
}

ScopeExplainMethod
scope_explain_panel_get_method (ScopeExplainPanel *self)
{
  g_return_val_if_fail (SCOPE_IS_EXPLAIN_PANEL (self), 0);
  return gtk_drop_down_get_selected (self->method_dropdown);
}

void
scope_explain_panel_set_class (ScopeExplainPanel *self,
                               int                class_index)
{
  g_return_if_fail (SCOPE_IS_EXPLAIN_PANEL (self));

  self->class_index = class_index;
  update_classes (self);
  update (self);
}

ScopeExplanation *
scope_explain_panel_get_explanation (ScopeExplainPanel *self)
{
  g_return_val_if_fail (SCOPE_IS_EXPLAIN_PANEL (self), NULL);
  return self->explanation;
}

ScopeImageView *
scope_explain_panel_get_image_view (ScopeExplainPanel *self)
{
  g_return_val_if_fail (SCOPE_IS_EXPLAIN_PANEL (self), NULL);
  return self->image_view;
}

static void
scope_explain_panel_dispose (GObject *object)
{
  ScopeExplainPanel *self = SCOPE_EXPLAIN_PANEL (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->result != NULL)
    g_signal_handlers_disconnect_by_data (self->result, self);
  if (self->explanation != NULL)
    g_signal_handlers_disconnect_by_data (self->explanation, self);
  g_clear_object (&self->result);
  g_clear_object (&self->explanation);
  g_clear_object (&self->workspace);
  g_clear_object (&self->view_state);
  g_clear_pointer (&self->cache, g_hash_table_unref);
  if (self->cache_order != NULL)
    g_queue_free (g_steal_pointer (&self->cache_order));
  g_clear_pointer (&self->classes, g_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), SCOPE_TYPE_EXPLAIN_PANEL);

  G_OBJECT_CLASS (scope_explain_panel_parent_class)->dispose (object);
}

static void
scope_explain_panel_class_init (ScopeExplainPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = scope_explain_panel_dispose;

  g_type_ensure (SCOPE_TYPE_IMAGE_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/vggscope/VggScope/ui/scope-explain-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, ScopeExplainPanel, title_label);
  gtk_widget_class_bind_template_child (widget_class, ScopeExplainPanel, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, ScopeExplainPanel, method_dropdown);
  gtk_widget_class_bind_template_child (widget_class, ScopeExplainPanel, class_dropdown);
  gtk_widget_class_bind_template_child (widget_class, ScopeExplainPanel, opacity);
  gtk_widget_class_bind_template_child (widget_class, ScopeExplainPanel, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, ScopeExplainPanel, image_view);
  gtk_widget_class_bind_template_child (widget_class, ScopeExplainPanel, summary_label);
}

static void
scope_explain_panel_init (ScopeExplainPanel *self)
{
  self->class_index = -1;
  self->layer_index = -1;
  /* the table owns the keys; the queue borrows them */
  self->cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->cache_order = g_queue_new ();
  self->classes = g_array_new (FALSE, FALSE, sizeof (int));

  gtk_widget_init_template (GTK_WIDGET (self));
  /* Translators: accessible name of the explanation method chooser */
  scope_accessible_name_drop_down (self->method_dropdown, _("Explanation method"));
  /* Translators: accessible name of the chooser of the class to explain */
  scope_accessible_name_drop_down (self->class_dropdown, _("Class to explain"));

  g_signal_connect_object (self->method_dropdown, "notify::selected", G_CALLBACK (update), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->class_dropdown, "notify::selected",
                           G_CALLBACK (on_class_selected), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->opacity, "value-changed", G_CALLBACK (show_map), self,
                           G_CONNECT_SWAPPED);
  show_status (self);
}
