/* scope-maps-panel.c — one layer's feature maps: every channel tiled, or one channel large
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "scope-accessible.h"
#include "scope-maps-panel.h"

struct _ScopeMapsPanel
{
  GtkBox            parent_instance;

  /* template children */
  GtkWidget        *back_button;
  GtkLabel         *maps_title;
  GtkLabel         *maps_subtitle;
  GtkWidget        *channel_nav;
  GtkMenuButton    *colormap_button;
  GtkStack         *maps_stack;
  GtkSpinner       *maps_spinner;
  GtkLabel         *maps_waiting_label;
  ScopeFeatureGrid *feature_grid;
  ScopeChannelView *channel_view;
  GtkLabel         *maps_status;

  /* owned */
  ScopeWorkspace   *workspace;
  ScopeResult      *result;        /* the workspace's, watched for arriving layers */
  ScopeViewState   *view_state;

  /* plain state */
  gboolean          showing_channel;
  gboolean          has_maps;
};

enum {
  PROP_0,
  PROP_HAS_MAPS,
  PROP_SHOWING_CHANNEL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (ScopeMapsPanel, scope_maps_panel, GTK_TYPE_BOX)

static const char *
describe_kind (const VggLayer *layer)
{
  switch (layer->kind)
    {
    case VGG_LAYER_CONV:
      return _("3 × 3 convolution, then ReLU");
    case VGG_LAYER_POOL:
      return _("2 × 2 max-pooling");
    case VGG_LAYER_FC:
      return _("Fully connected");
    default:
      return _("Softmax: class probabilities");
    }
}

static void
update_status (ScopeMapsPanel *self)
{
  ScopeCapture *capture = self->workspace != NULL ? scope_workspace_get_capture (self->workspace)
                                                  : NULL;
  const VggLayer *layer = capture != NULL ? scope_workspace_get_layer_info (self->workspace)
                                          : NULL;
  int channel = self->showing_channel ? scope_channel_view_get_channel (self->channel_view)
                                      : scope_feature_grid_get_hover_channel (self->feature_grid);
  g_autofree char *text = NULL;

  if (layer == NULL)
    text = g_strdup ("");
  else if (channel < 0 || channel >= capture->channels)
    /* Translators: hint under the feature maps */
    text = g_strdup (self->showing_channel ? ""
                     : _("Click a map to enlarge it. Point at a map to see what its units see. "
                         "Ctrl+scroll to zoom."));
  else if ((layer->kind == VGG_LAYER_FC && !layer->relu) || layer->kind == VGG_LAYER_SOFTMAX)
    {
      ScopeModel *model = scope_workspace_get_model (self->workspace);
      const char *class_name = vgg_model_class_name (scope_model_get_engine (model), channel);

      /* Translators: status line for a classifier unit: unit number, class name, value */
      text = g_strdup_printf (_("Unit %d (%s): %.4g"), channel, class_name,
                              capture->data[channel]);
    }
  else
    /* Translators: status line for a channel: its number, mean, maximum and the share of
     * units that are zero (switched off by the ReLU) */
    text = g_strdup_printf (_("Channel %d: mean %.3g, max %.3g, %.0f %% zero"), channel,
                            capture->channel_mean[channel], capture->channel_max[channel],
                            capture->channel_zero[channel] * 100.0);
  gtk_label_set_label (self->maps_status, text);
}

/* What to say while the selected layer's maps are not there. */
static char *
describe_waiting (ScopeMapsPanel *self)
{
  ScopeResult *result = self->result;
  int watched = result != NULL ? scope_result_get_watched_layer (result) : -1;

  if (watched >= 0 && watched != scope_workspace_get_selected_layer (self->workspace))
    /* Translators: in the Live view each frame computes only the layer on screen */
    return g_strdup (_("Live frames compute only the layer shown: this one comes with the "
                       "next frame"));
  if (result != NULL && scope_result_get_status (result) == SCOPE_RESULT_RUNNING)
    {
      const VggLayer *current = scope_model_get_layer (scope_result_get_model (result),
                                                       scope_result_get_running_layer (result));

      /* Translators: while the network runs; %s is the layer being computed */
      return g_strdup_printf (_("Computing %s…"), current != NULL ? current->name : "");
    }
  if (result == NULL)
    return g_strdup (_("Open an image to see this layer’s feature maps"));
  return g_strdup (_("This layer was not computed"));
}

static void
update (ScopeMapsPanel *self)
{
  const VggLayer *layer = NULL;
  ScopeCapture *capture = NULL;
  g_autofree char *title = NULL, *subtitle = NULL;
  int channel = scope_channel_view_get_channel (self->channel_view);
  gboolean has_maps;

  if (self->workspace != NULL)
    {
      layer = scope_workspace_get_layer_info (self->workspace);
      capture = scope_workspace_get_capture (self->workspace);
    }
  scope_feature_grid_set_capture (self->feature_grid, capture);
  scope_channel_view_set_capture (self->channel_view, capture);

  if (capture == NULL || channel < 0 || channel >= capture->channels)
    self->showing_channel = FALSE;
  if (layer != NULL && self->showing_channel)
    /* Translators: title over one enlarged channel: layer name, channel, channel count */
    title = g_strdup_printf (_("%s, channel %d of %d"), layer->name, channel, capture->channels);
  else if (layer != NULL)
    title = g_strdup (layer->name);
  if (layer != NULL && layer->height_out * layer->width_out == 1)
    /* Translators: the shape of a fully connected layer's output */
    subtitle = g_strdup_printf (ngettext ("%d unit", "%d units", layer->channels_out),
                                layer->channels_out);
  else if (layer != NULL)
    /* Translators: the shape of a convolution or pooling output: channels, height, width */
    subtitle = g_strdup_printf (_("%d maps of %d × %d"), layer->channels_out,
                                layer->height_out, layer->width_out);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->maps_subtitle),
                               layer != NULL ? describe_kind (layer) : NULL);
  gtk_label_set_label (self->maps_title, title != NULL ? title : "");
  gtk_label_set_label (self->maps_subtitle, subtitle != NULL ? subtitle : "");
  gtk_widget_set_visible (self->back_button, self->showing_channel);
  gtk_widget_set_visible (self->channel_nav, self->showing_channel);

  if (capture != NULL)
    {
      gtk_spinner_set_spinning (self->maps_spinner, FALSE);
      gtk_stack_set_visible_child_name (self->maps_stack,
                                        self->showing_channel ? "channel" : "grid");
    }
  else
    {
      g_autofree char *waiting = layer != NULL ? describe_waiting (self) : NULL;

      gtk_label_set_label (self->maps_waiting_label, waiting != NULL ? waiting : "");
      gtk_spinner_set_spinning (self->maps_spinner,
                                self->result != NULL && scope_result_get_status (self->result)
                                                        == SCOPE_RESULT_RUNNING);
      gtk_stack_set_visible_child_name (self->maps_stack, "waiting");
    }
  update_status (self);

  has_maps = capture != NULL;
  if (self->has_maps != has_maps)
    {
      self->has_maps = has_maps;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_MAPS]);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOWING_CHANNEL]);
}

/* The units of the selected layer that see the input pixel pointed at, lit in every tile. */
static void
update_lit_units (ScopeMapsPanel *self)
{
  ScopeModel *model = self->workspace != NULL ? scope_workspace_get_model (self->workspace) : NULL;
  int y = -1, x = -1;
  VggRect units;

  if (self->view_state != NULL)
    scope_view_state_get_pixel (self->view_state, &y, &x);
  if (model != NULL && y >= 0
      && vgg_model_reverse_receptive_rect (scope_model_get_engine (model),
                                           scope_workspace_get_selected_layer (self->workspace),
                                           y, x, &units))
    scope_feature_grid_set_lit_units (self->feature_grid, &units);
  else
    scope_feature_grid_set_lit_units (self->feature_grid, NULL);
}

static void
on_layer_captured (ScopeMapsPanel *self,
                   int             index)
{
  if (index == scope_workspace_get_selected_layer (self->workspace))
    update (self);
}

static void
on_result_changed (ScopeMapsPanel *self)
{
  ScopeResult *result = scope_workspace_get_result (self->workspace);

  if (self->result != NULL)
    g_signal_handlers_disconnect_by_data (self->result, self);
  g_set_object (&self->result, result);
  if (result != NULL)
    {
      g_signal_connect_object (result, "layer-captured", G_CALLBACK (on_layer_captured), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (result, "notify::status", G_CALLBACK (update), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (result, "notify::fraction", G_CALLBACK (update), self,
                               G_CONNECT_SWAPPED);
    }
  update (self);
}

static void
on_selected_layer_changed (ScopeMapsPanel *self)
{
  self->showing_channel = FALSE;
  update (self);
  update_lit_units (self);
}

void
scope_maps_panel_set_workspace (ScopeMapsPanel *self,
                                ScopeWorkspace *workspace)
{
  g_return_if_fail (SCOPE_IS_MAPS_PANEL (self));
  g_return_if_fail (SCOPE_IS_WORKSPACE (workspace));
  g_return_if_fail (self->workspace == NULL);

  self->workspace = g_object_ref (workspace);
  g_signal_connect_object (workspace, "notify::result", G_CALLBACK (on_result_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (workspace, "notify::selected-layer",
                           G_CALLBACK (on_selected_layer_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (workspace, "notify::model", G_CALLBACK (update), self,
                           G_CONNECT_SWAPPED);
  on_result_changed (self);
}

void
scope_maps_panel_set_view_state (ScopeMapsPanel *self,
                                 ScopeViewState *view_state)
{
  g_return_if_fail (SCOPE_IS_MAPS_PANEL (self));
  g_return_if_fail (SCOPE_IS_VIEW_STATE (view_state));
  g_return_if_fail (self->view_state == NULL);

  self->view_state = g_object_ref (view_state);
  scope_feature_grid_set_view_state (self->feature_grid, view_state);
  scope_channel_view_set_view_state (self->channel_view, view_state);
  /* (pixel-x is notified with pixel-y, after both are set) */
  g_signal_connect_object (view_state, "notify::pixel-x", G_CALLBACK (update_lit_units), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (view_state, "notify::pixel-y", G_CALLBACK (update_lit_units), self,
                           G_CONNECT_SWAPPED);
}

void
scope_maps_panel_show_channel (ScopeMapsPanel *self,
                               int             channel)
{
  g_return_if_fail (SCOPE_IS_MAPS_PANEL (self));

  scope_feature_grid_set_selected_channel (self->feature_grid, channel);
  scope_channel_view_set_channel (self->channel_view, channel);
  if (self->view_state != NULL)
    scope_view_state_set_channel (self->view_state, channel);
  self->showing_channel = TRUE;
  update (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->channel_view));
}

void
scope_maps_panel_show_grid (ScopeMapsPanel *self)
{
  g_return_if_fail (SCOPE_IS_MAPS_PANEL (self));

  if (!self->showing_channel)
    return;
  self->showing_channel = FALSE;
  update (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->feature_grid));
}

void
scope_maps_panel_step_channel (ScopeMapsPanel *self,
                               int             step)
{
  ScopeCapture *capture = scope_feature_grid_get_capture (self->feature_grid);
  const int *order = scope_feature_grid_get_order (self->feature_grid);
  int channel = scope_channel_view_get_channel (self->channel_view), position = 0;

  g_return_if_fail (SCOPE_IS_MAPS_PANEL (self));

  if (capture == NULL || order == NULL || !self->showing_channel)
    return;
  for (int i = 0; i < capture->channels; i++)
    if (order[i] == channel)
      position = i;
  position = CLAMP (position + step, 0, capture->channels - 1);
  scope_maps_panel_show_channel (self, order[position]);
}

gboolean
scope_maps_panel_get_showing_channel (ScopeMapsPanel *self)
{
  g_return_val_if_fail (SCOPE_IS_MAPS_PANEL (self), FALSE);
  return self->showing_channel;
}

gboolean
scope_maps_panel_get_has_maps (ScopeMapsPanel *self)
{
  g_return_val_if_fail (SCOPE_IS_MAPS_PANEL (self), FALSE);
  return self->has_maps;
}

GdkTexture *
scope_maps_panel_render (ScopeMapsPanel  *self,
                         char           **file_name)
{
  const VggLayer *layer;

  g_return_val_if_fail (SCOPE_IS_MAPS_PANEL (self), NULL);

  layer = self->workspace != NULL ? scope_workspace_get_layer_info (self->workspace) : NULL;
  if (layer == NULL || !self->has_maps)
    return NULL;
  if (self->showing_channel)
    {
      if (file_name != NULL)
        *file_name = g_strdup_printf ("%s-channel-%d.png", layer->name,
                                      scope_channel_view_get_channel (self->channel_view));
      return scope_channel_view_render (self->channel_view);
    }
  if (file_name != NULL)
    *file_name = g_strdup_printf ("%s.png", layer->name);
  return scope_feature_grid_render (self->feature_grid);
}

ScopeFeatureGrid *
scope_maps_panel_get_feature_grid (ScopeMapsPanel *self)
{
  g_return_val_if_fail (SCOPE_IS_MAPS_PANEL (self), NULL);
  return self->feature_grid;
}

ScopeChannelView *
scope_maps_panel_get_channel_view (ScopeMapsPanel *self)
{
  g_return_val_if_fail (SCOPE_IS_MAPS_PANEL (self), NULL);
  return self->channel_view;
}

static void
on_channel_activated (ScopeMapsPanel *self,
                      int             channel)
{
  scope_maps_panel_show_channel (self, channel);
}

static void
scope_maps_panel_dispose (GObject *object)
{
  ScopeMapsPanel *self = SCOPE_MAPS_PANEL (object);

  if (self->result != NULL)
    g_signal_handlers_disconnect_by_data (self->result, self);
  g_clear_object (&self->result);
  g_clear_object (&self->workspace);
  g_clear_object (&self->view_state);
  gtk_widget_dispose_template (GTK_WIDGET (self), SCOPE_TYPE_MAPS_PANEL);

  G_OBJECT_CLASS (scope_maps_panel_parent_class)->dispose (object);
}

static void
scope_maps_panel_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  ScopeMapsPanel *self = SCOPE_MAPS_PANEL (object);

  switch (prop_id)
    {
    case PROP_HAS_MAPS:
      g_value_set_boolean (value, self->has_maps);
      break;
    case PROP_SHOWING_CHANNEL:
      g_value_set_boolean (value, self->showing_channel);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
scope_maps_panel_class_init (ScopeMapsPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = scope_maps_panel_dispose;
  object_class->get_property = scope_maps_panel_get_property;

  properties[PROP_HAS_MAPS] =
    g_param_spec_boolean ("has-maps", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SHOWING_CHANNEL] =
    g_param_spec_boolean ("showing-channel", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (SCOPE_TYPE_CHANNEL_VIEW);
  g_type_ensure (SCOPE_TYPE_FEATURE_GRID);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/vggscope/VggScope/ui/scope-maps-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, ScopeMapsPanel, back_button);
  gtk_widget_class_bind_template_child (widget_class, ScopeMapsPanel, maps_title);
  gtk_widget_class_bind_template_child (widget_class, ScopeMapsPanel, maps_subtitle);
  gtk_widget_class_bind_template_child (widget_class, ScopeMapsPanel, channel_nav);
  gtk_widget_class_bind_template_child (widget_class, ScopeMapsPanel, colormap_button);
  gtk_widget_class_bind_template_child (widget_class, ScopeMapsPanel, maps_stack);
  gtk_widget_class_bind_template_child (widget_class, ScopeMapsPanel, maps_spinner);
  gtk_widget_class_bind_template_child (widget_class, ScopeMapsPanel, maps_waiting_label);
  gtk_widget_class_bind_template_child (widget_class, ScopeMapsPanel, feature_grid);
  gtk_widget_class_bind_template_child (widget_class, ScopeMapsPanel, channel_view);
  gtk_widget_class_bind_template_child (widget_class, ScopeMapsPanel, maps_status);
  gtk_widget_class_bind_template_callback (widget_class, on_channel_activated);
}

static void
scope_maps_panel_init (ScopeMapsPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* Translators: accessible name of the colour map menu */
  scope_accessible_name_menu_button (self->colormap_button, _("Colour Map"));
  g_signal_connect_object (self->feature_grid, "notify::hover-channel",
                           G_CALLBACK (update_status), self, G_CONNECT_SWAPPED);
  update (self);
}
