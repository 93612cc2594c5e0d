/* scope-unit-panel.c — one unit worked out by hand with the current picture's numbers
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The value labels carry widget names ("pre-value", "post-value", "exact-value",
 * "fast-value", "bias-value", "sum-value", "term-value-N") so tests and tools can find them.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "scope-engine-environment.h"
#include "scope-unit-job.h"
#include "scope-unit-panel.h"
#include "scope-unit-sheet.h"

/* What is asked or shown: a unit of a layer for one input of one model. */
typedef struct
{
  ScopeModel *model;        /* not a reference: compared only */
  GBytes     *input;        /* a reference */
  int         layer, channel, y, x;
} Request;

struct _ScopeUnitPanel
{
  GtkBox            parent_instance;

  /* template children (most of them in the sheet) */
  ScopeUnitSheet    sheet;
  GtkLabel         *status_label;
  GtkWidget        *content_box;

  /* owned */
  ScopeWorkspace   *workspace;
  ScopeViewState   *view_state;
  ScopeResult      *result;        /* the workspace's, watched for its input */
  VggUnitProbe     *probe;         /* NULL while lent to a job */
  ScopeModel       *probe_model;   /* the model the probe was made for */
  GCancellable     *cancellable;   /* of the running job */
  VggUnitBreakdown *breakdown;     /* shown */
  Request           shown;         /* what the breakdown is of */
  Request           running;       /* what the running job computes */
  Request           failed;        /* what the last failed job computed: not retried */

  /* plain state */
  gboolean          busy;
};

G_DEFINE_FINAL_TYPE (ScopeUnitPanel, scope_unit_panel, GTK_TYPE_BOX)

enum
{
  PROP_0,
  PROP_WORKSPACE,
  PROP_VIEW_STATE,
  PROP_BREAKDOWN,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void schedule (ScopeUnitPanel *self);

static void
request_clear (Request *request)
{
  g_clear_pointer (&request->input, g_bytes_unref);
  request->model = NULL;
}

/* The same model, input and layer: the probe's kept values serve both. */
static gboolean
request_same_layer (const Request *a,
                    const Request *b)
{
  return a->model == b->model && a->input == b->input && a->layer == b->layer;
}

static gboolean
request_equal (const Request *a,
               const Request *b)
{
  return request_same_layer (a, b) && a->channel == b->channel && a->y == b->y
         && a->x == b->x;
}

static void
set_busy (ScopeUnitPanel *self,
          gboolean        busy)
{
  if (self->busy == busy)
    return;
  self->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
show_breakdown (ScopeUnitPanel *self)
{
  gtk_widget_set_visible (self->content_box, self->breakdown != NULL);
  if (self->breakdown == NULL)
    {
      scope_unit_sheet_clear (&self->sheet);
      return;
    }
  gtk_label_set_text (self->status_label, "");
  scope_unit_sheet_show (&self->sheet, self->breakdown,
                         scope_model_get_engine (self->shown.model));
}

static void
set_breakdown (ScopeUnitPanel   *self,
               VggUnitBreakdown *breakdown,
               const Request    *request)
{
  g_clear_pointer (&self->breakdown, vgg_unit_breakdown_free);
  request_clear (&self->shown);
  self->breakdown = breakdown;
  if (breakdown != NULL)
    {
      self->shown = *request;
      self->shown.input = g_bytes_ref (request->input);
    }
  show_breakdown (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BREAKDOWN]);
}

static void
show_message (ScopeUnitPanel *self,
              const char     *message)
{
  if (self->breakdown != NULL)
    set_breakdown (self, NULL, NULL);
  gtk_label_set_text (self->sheet.title_label, _("How One Unit Is Computed"));
  gtk_label_set_text (self->sheet.subtitle_label, "");
  gtk_label_set_text (self->status_label, message);
}

/* What the panel should show now; FALSE with a message when there is nothing to compute. */
static gboolean
current_request (ScopeUnitPanel  *self,
                 Request         *request,
                 const char     **message)
{
  const VggLayer *layer;
  GBytes *input;

  *request = (Request) { 0 };
  request->model = scope_workspace_get_model (self->workspace);
  input = self->result != NULL ? scope_result_get_input (self->result) : NULL;
  if (request->model == NULL || input == NULL
      || scope_result_get_model (self->result) != request->model)
    {
      *message = _("Open a picture to see how its numbers flow through one unit.");
      return FALSE;
    }
  request->layer = scope_workspace_get_selected_layer (self->workspace);
  if (request->layer < 0 || request->layer >= scope_model_get_n_layers (request->model))
    {
      *message = _("Choose a layer, then a unit in its maps.");
      return FALSE;
    }
  layer = scope_model_get_layer (request->model, request->layer);
  request->channel = scope_view_state_get_channel (self->view_state);
  scope_view_state_get_unit (self->view_state, &request->y, &request->x);
  if (layer->kind == VGG_LAYER_FC || layer->kind == VGG_LAYER_SOFTMAX)
    request->y = request->x = 0;
  if (vgg_unit_check (scope_model_get_engine (request->model), request->layer,
                      request->channel, request->y, request->x, NULL) != VGG_STATUS_OK)
    {
      *message = _("Click a unit in the feature maps to see how it is computed.");
      return FALSE;
    }
  request->input = input;   /* borrowed until copied */
  return TRUE;
}

static void
on_computed (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  GWeakRef *weak = user_data;
  ScopeUnitPanel *self = g_weak_ref_get (weak);
  VggUnitProbe *probe = NULL;
  g_autoptr (GError) error = NULL;
  VggUnitBreakdown *breakdown = scope_unit_run_finish (result, &probe, &error);

  g_weak_ref_clear (weak);
  g_free (weak);
  if (self == NULL)
    {
      vgg_unit_probe_free (probe);
      vgg_unit_breakdown_free (breakdown);
      return;
    }
  /* the probe comes back unless the model changed meanwhile */
  if (self->probe == NULL && self->running.model == self->probe_model)
    self->probe = probe;
  else
    vgg_unit_probe_free (probe);
  g_clear_object (&self->cancellable);
  set_busy (self, FALSE);

  if (breakdown != NULL)
    {
      Request now;
      const char *message;

      if (current_request (self, &now, &message) && request_equal (&now, &self->running))
        set_breakdown (self, breakdown, &self->running);
      else
        vgg_unit_breakdown_free (breakdown);
    }
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      show_message (self, error->message);
      request_clear (&self->failed);
      self->failed = self->running;
      self->running.input = NULL;   /* moved */
    }
  request_clear (&self->running);
  schedule (self);
  g_object_unref (self);
}

/* Starts computing what the view state and the workspace point at, unless it is shown or
 * already running; a running job for something else is cancelled and this one starts when
 * it has finished. */
static void
schedule (ScopeUnitPanel *self)
{
  Request request;
  const char *message = NULL;
  GWeakRef *weak;

  if (self->workspace == NULL || self->view_state == NULL)
    return;
  if (!current_request (self, &request, &message))
    {
      if (self->cancellable != NULL)
        g_cancellable_cancel (self->cancellable);
      show_message (self, message);
      return;
    }
  if ((self->breakdown != NULL && request_equal (&request, &self->shown))
      || request_equal (&request, &self->failed))
    return;
  if (self->busy)
    {
      /* another unit of the layer being computed waits for it (then it costs no pass);
       * anything else cancels it */
      if (!request_same_layer (&request, &self->running) && self->cancellable != NULL)
        g_cancellable_cancel (self->cancellable);
      return;
    }
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;   /* computed when shown */

  if (self->probe == NULL || self->probe_model != request.model)
    {
      VggRunOptions options;
      VggError error = { 0 };

      g_clear_pointer (&self->probe, vgg_unit_probe_free);
      g_set_object (&self->probe_model, request.model);
      scope_engine_environment_run_options (&options);
      if (vgg_unit_probe_new (&self->probe, scope_model_get_engine (request.model), &options,
                              &error) != VGG_STATUS_OK)
        {
          show_message (self, error.message);
          return;
        }
    }
  self->running = request;
  self->running.input = g_bytes_ref (request.input);
  self->cancellable = g_cancellable_new ();
  weak = g_new0 (GWeakRef, 1);
  g_weak_ref_init (weak, self);
  set_busy (self, TRUE);
  if (self->breakdown == NULL)
    gtk_label_set_text (self->status_label, _("Computing…"));
  scope_unit_run_async (request.model, g_steal_pointer (&self->probe), request.input,
                        request.layer, request.channel, request.y, request.x,
                        self->cancellable, on_computed, weak);
}

static void
on_result_changed (ScopeUnitPanel *self)
{
  ScopeResult *result = scope_workspace_get_result (self->workspace);

  if (self->result != result)
    {
      if (self->result != NULL)
        g_signal_handlers_disconnect_by_data (self->result, self);
      g_set_object (&self->result, result);
      if (result != NULL)
        g_signal_connect_object (result, "notify::seen", G_CALLBACK (schedule), self,
                                 G_CONNECT_SWAPPED);
    }
  schedule (self);
}

static void
scope_unit_panel_set_workspace (ScopeUnitPanel *self,
                                ScopeWorkspace *workspace)
{
  g_return_if_fail (self->workspace == NULL);
  self->workspace = g_object_ref (workspace);
  g_signal_connect_object (workspace, "notify::result", G_CALLBACK (on_result_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (workspace, "notify::selected-layer", G_CALLBACK (schedule), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (workspace, "notify::model", G_CALLBACK (schedule), self,
                           G_CONNECT_SWAPPED);
}

static void
scope_unit_panel_set_view_state (ScopeUnitPanel *self,
                                 ScopeViewState *view_state)
{
  g_return_if_fail (self->view_state == NULL);
  self->view_state = g_object_ref (view_state);
  g_signal_connect_object (view_state, "notify::unit-x", G_CALLBACK (schedule), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (view_state, "notify::channel", G_CALLBACK (schedule), self,
                           G_CONNECT_SWAPPED);
}

GtkWidget *
scope_unit_panel_new (ScopeWorkspace *workspace,
                      ScopeViewState *view_state)
{
  g_return_val_if_fail (SCOPE_IS_WORKSPACE (workspace), NULL);
  g_return_val_if_fail (SCOPE_IS_VIEW_STATE (view_state), NULL);

  return g_object_new (SCOPE_TYPE_UNIT_PANEL, "workspace", workspace, "view-state", view_state,
                       NULL);
}

const VggUnitBreakdown *
scope_unit_panel_get_breakdown (ScopeUnitPanel *self)
{
  g_return_val_if_fail (SCOPE_IS_UNIT_PANEL (self), NULL);
  return self->breakdown;
}

gboolean
scope_unit_panel_get_busy (ScopeUnitPanel *self)
{
  g_return_val_if_fail (SCOPE_IS_UNIT_PANEL (self), FALSE);
  return self->busy;
}

static void
scope_unit_panel_constructed (GObject *object)
{
  ScopeUnitPanel *self = SCOPE_UNIT_PANEL (object);

  G_OBJECT_CLASS (scope_unit_panel_parent_class)->constructed (object);
  on_result_changed (self);
}

static void
scope_unit_panel_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  ScopeUnitPanel *self = SCOPE_UNIT_PANEL (object);

  switch (prop_id)
    {
    case PROP_WORKSPACE:
      g_value_set_object (value, self->workspace);
      break;
    case PROP_VIEW_STATE:
      g_value_set_object (value, self->view_state);
      break;
    case PROP_BREAKDOWN:
      g_value_set_pointer (value, self->breakdown);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
scope_unit_panel_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  ScopeUnitPanel *self = SCOPE_UNIT_PANEL (object);

  switch (prop_id)
    {
    case PROP_WORKSPACE:
      scope_unit_panel_set_workspace (self, g_value_get_object (value));
      break;
    case PROP_VIEW_STATE:
      scope_unit_panel_set_view_state (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
scope_unit_panel_dispose (GObject *object)
{
  ScopeUnitPanel *self = SCOPE_UNIT_PANEL (object);

  /* a running job keeps the probe and frees it when it ends */
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->result != NULL)
    g_signal_handlers_disconnect_by_data (self->result, self);
  g_clear_object (&self->result);
  g_clear_object (&self->workspace);
  g_clear_object (&self->view_state);
  g_clear_pointer (&self->probe, vgg_unit_probe_free);
  g_clear_object (&self->probe_model);
  g_clear_pointer (&self->breakdown, vgg_unit_breakdown_free);
  request_clear (&self->shown);
  request_clear (&self->running);
  request_clear (&self->failed);
  gtk_widget_dispose_template (GTK_WIDGET (self), SCOPE_TYPE_UNIT_PANEL);

  G_OBJECT_CLASS (scope_unit_panel_parent_class)->dispose (object);
}

static void
scope_unit_panel_class_init (ScopeUnitPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = scope_unit_panel_constructed;
  object_class->get_property = scope_unit_panel_get_property;
  object_class->set_property = scope_unit_panel_set_property;
  object_class->dispose = scope_unit_panel_dispose;

  properties[PROP_WORKSPACE] =
    g_param_spec_object ("workspace", NULL, NULL, SCOPE_TYPE_WORKSPACE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VIEW_STATE] =
    g_param_spec_object ("view-state", NULL, NULL, SCOPE_TYPE_VIEW_STATE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BREAKDOWN] =
    g_param_spec_pointer ("breakdown", NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/vggscope/VggScope/ui/scope-unit-panel.ui");
  gtk_widget_class_bind_template_child_full (widget_class, "title_label", FALSE,
                                             G_STRUCT_OFFSET (ScopeUnitPanel, sheet.title_label));
  gtk_widget_class_bind_template_child_full (widget_class, "subtitle_label", FALSE,
                                             G_STRUCT_OFFSET (ScopeUnitPanel,
                                                              sheet.subtitle_label));
  gtk_widget_class_bind_template_child (widget_class, ScopeUnitPanel, status_label);
  gtk_widget_class_bind_template_child (widget_class, ScopeUnitPanel, content_box);
  gtk_widget_class_bind_template_child_full (widget_class, "windows_box", FALSE,
                                             G_STRUCT_OFFSET (ScopeUnitPanel, sheet.windows_box));
  gtk_widget_class_bind_template_child_full (widget_class, "terms_heading", FALSE,
                                             G_STRUCT_OFFSET (ScopeUnitPanel, sheet.terms_heading));
  gtk_widget_class_bind_template_child_full (widget_class, "terms_grid", FALSE,
                                             G_STRUCT_OFFSET (ScopeUnitPanel, sheet.terms_grid));
  gtk_widget_class_bind_template_child_full (widget_class, "sum_grid", FALSE,
                                             G_STRUCT_OFFSET (ScopeUnitPanel, sheet.sum_grid));
  gtk_widget_class_bind_template_child_full (widget_class, "note_label", FALSE,
                                             G_STRUCT_OFFSET (ScopeUnitPanel, sheet.note_label));
  gtk_widget_class_bind_template_child_full (widget_class, "engine_grid", FALSE,
                                             G_STRUCT_OFFSET (ScopeUnitPanel, sheet.engine_grid));
}

static void
scope_unit_panel_init (ScopeUnitPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_visible (self->content_box, FALSE);
  g_signal_connect (self, "map", G_CALLBACK (schedule), NULL);
}
