/* scope-channel-view.c — one channel of a feature map, large, with the value under the pointer
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "scope-channel-view.h"
#include "scope-draw.h"
#include "scope-enum-types.h"
#include "scope-map-render.h"

#define LEGEND_HEIGHT 44.0f
#define BAR_WIDTH     180.0f
#define BAR_HEIGHT    10.0f

struct _ScopeChannelView
{
  GtkWidget           parent_instance;

  /* owned */
  ScopeCapture       *capture;
  ScopeViewState     *view_state;
  GdkTexture         *texture;       /* the channel at texture_scale, built on demand */
  GdkTexture         *bar;           /* the colour map as a strip */

  /* plain state */
  int                 channel;
  int                 texture_scale;
  graphene_rect_t     map_bounds;    /* from the last snapshot */
};

enum {
  PROP_0,
  PROP_CAPTURE,
  PROP_CHANNEL,
  PROP_VIEW_STATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (ScopeChannelView, scope_channel_view, GTK_TYPE_WIDGET)

/* The unit the view state points at, if it lies in this view's maps. */
static gboolean
get_unit (ScopeChannelView *self,
          int              *y,
          int              *x)
{
  *y = *x = -1;
  if (self->view_state == NULL || self->capture == NULL)
    return FALSE;
  scope_view_state_get_unit (self->view_state, y, x);
  if (*y < 0 || *x < 0 || *y >= self->capture->height || *x >= self->capture->width)
    {
      *y = *x = -1;
      return FALSE;
    }
  return TRUE;
}

static void
invalidate (ScopeChannelView *self)
{
  g_clear_object (&self->texture);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static gboolean
has_channel (ScopeChannelView *self)
{
  return self->capture != NULL && self->channel >= 0 && self->channel < self->capture->channels;
}

static void
compute_map_bounds (ScopeChannelView *self,
                    graphene_rect_t  *bounds)
{
  float width = gtk_widget_get_width (GTK_WIDGET (self));
  float height = gtk_widget_get_height (GTK_WIDGET (self)) - LEGEND_HEIGHT;
  float scale, map_w, map_h;

  if (!has_channel (self) || width <= 0 || height <= 0)
    {
      graphene_rect_init (bounds, 0, 0, 0, 0);
      return;
    }
  scale = MIN (width / self->capture->width, height / self->capture->height);
  /* whole device pixels per unit when magnifying, so every unit is the same size */
  if (scale > 1.0f)
    scale = floorf (scale);
  map_w = scale * self->capture->width;
  map_h = scale * self->capture->height;
  graphene_rect_init (bounds, floorf ((width - map_w) / 2), floorf ((height - map_h) / 2),
                      map_w, map_h);
}

static GdkTexture *
ensure_bar (ScopeChannelView *self)
{
  if (self->bar == NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (scope_view_state_get_lut (self->view_state),
                                             SCOPE_LUT_SIZE * 3);

      self->bar = gdk_memory_texture_new (SCOPE_LUT_SIZE, 1, GDK_MEMORY_R8G8B8, bytes,
                                          SCOPE_LUT_SIZE * 3);
    }
  return self->bar;
}

static void
scope_channel_view_snapshot (GtkWidget   *widget,
                             GtkSnapshot *snapshot)
{
  ScopeChannelView *self = SCOPE_CHANNEL_VIEW (widget);
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  int scale_factor = gtk_widget_get_scale_factor (widget), texture_scale;
  g_autoptr(PangoLayout) layout = NULL;
  g_autofree char *text = NULL;
  GdkRGBA fg, dim;
  float low, high, legend_y, bar_x;
  int text_w, text_h, unit_y, unit_x;
  ScopeNormalization normalization;

  compute_map_bounds (self, &self->map_bounds);
  if (!has_channel (self) || self->view_state == NULL || self->map_bounds.size.width <= 0)
    return;
  normalization = scope_view_state_get_normalization (self->view_state);
  get_unit (self, &unit_y, &unit_x);

  scope_draw_get_fg_color (widget, &fg);
  dim = scope_draw_alpha (&fg, 0.7f);

  texture_scale = MAX (1, (int) (self->map_bounds.size.width * scale_factor / self->capture->width));
  texture_scale = MIN (texture_scale, 64);
  if (self->texture == NULL || self->texture_scale != texture_scale)
    {
      g_clear_object (&self->texture);
      self->texture_scale = texture_scale;
      self->texture = scope_map_render_channel (self->capture, self->channel, normalization,
                                                scope_view_state_get_lut (self->view_state),
                                                texture_scale);
    }
  scope_draw_texture (snapshot, GTK_WIDGET (self), self->texture, &self->map_bounds);

  if (unit_y >= 0)
    scope_draw_unit_marker (snapshot, &self->map_bounds, self->capture->height,
                            self->capture->width, unit_y, unit_x);

  /* the legend: colour bar with its range, and the value under the pointer */
  scope_capture_channel_range (self->capture, self->channel, normalization, &low, &high);
  legend_y = height - LEGEND_HEIGHT + 8;
  bar_x = 0;
  layout = gtk_widget_create_pango_layout (widget, NULL);

  text = g_strdup_printf ("%.3g", low);
  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_size (layout, &text_w, &text_h);
  scope_draw_layout (snapshot, layout, bar_x, legend_y + BAR_HEIGHT + 4, &dim);
  g_free (text);
  gtk_snapshot_append_texture (snapshot, ensure_bar (self),
                               &GRAPHENE_RECT_INIT (bar_x, legend_y, BAR_WIDTH, BAR_HEIGHT));
  text = g_strdup_printf ("%.3g", high);
  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_size (layout, &text_w, &text_h);
  scope_draw_layout (snapshot, layout, bar_x + BAR_WIDTH - text_w, legend_y + BAR_HEIGHT + 4,
                     &dim);
  g_free (text);

  if (unit_y >= 0)
    {
      float value = scope_capture_value (self->capture, self->channel, unit_y, unit_x);

      /* Translators: the value under the pointer in the large channel view:
       * row, column, value */
      text = g_strdup_printf (_("Unit (%d, %d) = %.4g"), unit_y, unit_x, value);
    }
  else
    /* Translators: hint in the large channel view */
    text = g_strdup (_("Point at a unit to read its value"));
  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_size (layout, &text_w, &text_h);
  scope_draw_layout (snapshot, layout, MAX (BAR_WIDTH + 24, width - text_w), legend_y,
                     unit_y >= 0 ? &fg : &dim);
}

static void
scope_channel_view_measure (GtkWidget      *widget,
                            GtkOrientation  orientation,
                            int             for_size,
                            int            *minimum,
                            int            *natural,
                            int            *minimum_baseline,
                            int            *natural_baseline)
{
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 360 : 160;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 560 : 560 + (int) LEGEND_HEIGHT;
}

static void
unit_at (ScopeChannelView *self,
         double            x,
         double            y)
{
  const graphene_rect_t *b = &self->map_bounds;

  if (!has_channel (self) || self->view_state == NULL || b->size.width <= 0
      || !graphene_rect_contains_point (b, &GRAPHENE_POINT_INIT (x, y)))
    return;
  scope_view_state_set_unit (self->view_state,
                               CLAMP ((int) ((y - b->origin.y) / b->size.height
                                             * self->capture->height),
                                      0, self->capture->height - 1),
                               CLAMP ((int) ((x - b->origin.x) / b->size.width
                                             * self->capture->width),
                                      0, self->capture->width - 1));
}

static void
on_motion (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           ScopeChannelView         *self)
{
  unit_at (self, x, y);
}

static void
on_pressed (GtkGestureClick  *gesture,
            int               n_press,
            double            x,
            double            y,
            ScopeChannelView *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self));
  unit_at (self, x, y);
  /* a double click opens the unit's computation, worked out by hand */
  if (n_press == 2 && has_channel (self))
    gtk_widget_activate_action (GTK_WIDGET (self), "win.work-out-unit", NULL);
}

static gboolean
on_key_pressed (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                ScopeChannelView      *self)
{
  int dy = 0, dx = 0, unit_y, unit_x;

  if (!has_channel (self) || self->view_state == NULL || (state & (GDK_CONTROL_MASK | GDK_ALT_MASK)) != 0)
    return GDK_EVENT_PROPAGATE;
  switch (keyval)
    {
    case GDK_KEY_Left:  dx = -1; break;
    case GDK_KEY_Right: dx = 1; break;
    case GDK_KEY_Up:    dy = -1; break;
    case GDK_KEY_Down:  dy = 1; break;
    case GDK_KEY_Return:
    case GDK_KEY_KP_Enter:
      /* Enter opens the unit's computation, worked out by hand */
      gtk_widget_activate_action (GTK_WIDGET (self), "win.work-out-unit", NULL);
      return GDK_EVENT_STOP;
    default:
      return GDK_EVENT_PROPAGATE;
    }
  get_unit (self, &unit_y, &unit_x);
  scope_view_state_set_unit (self->view_state,
                             CLAMP (MAX (unit_y, 0) + dy, 0, self->capture->height - 1),
                             CLAMP (MAX (unit_x, 0) + dx, 0, self->capture->width - 1));
  return GDK_EVENT_STOP;
}

static void
scope_channel_view_dispose (GObject *object)
{
  ScopeChannelView *self = SCOPE_CHANNEL_VIEW (object);

  g_clear_object (&self->texture);
  g_clear_object (&self->bar);
  g_clear_pointer (&self->capture, scope_capture_unref);
  g_clear_object (&self->view_state);

  G_OBJECT_CLASS (scope_channel_view_parent_class)->dispose (object);
}

static void
scope_channel_view_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  ScopeChannelView *self = SCOPE_CHANNEL_VIEW (object);

  switch (prop_id)
    {
    case PROP_CAPTURE:
      g_value_set_boxed (value, self->capture);
      break;
    case PROP_CHANNEL:
      g_value_set_int (value, self->channel);
      break;
    case PROP_VIEW_STATE:
      g_value_set_object (value, self->view_state);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
scope_channel_view_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  ScopeChannelView *self = SCOPE_CHANNEL_VIEW (object);

  switch (prop_id)
    {
    case PROP_CAPTURE:
      scope_channel_view_set_capture (self, g_value_get_boxed (value));
      break;
    case PROP_CHANNEL:
      scope_channel_view_set_channel (self, g_value_get_int (value));
      break;
    case PROP_VIEW_STATE:
      scope_channel_view_set_view_state (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
scope_channel_view_class_init (ScopeChannelViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = scope_channel_view_dispose;
  object_class->get_property = scope_channel_view_get_property;
  object_class->set_property = scope_channel_view_set_property;

  widget_class->snapshot = scope_channel_view_snapshot;
  widget_class->measure = scope_channel_view_measure;

  properties[PROP_CAPTURE] =
    g_param_spec_boxed ("capture", NULL, NULL, SCOPE_TYPE_CAPTURE,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CHANNEL] =
    g_param_spec_int ("channel", NULL, NULL, -1, G_MAXINT, -1,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VIEW_STATE] =
    g_param_spec_object ("view-state", NULL, NULL, SCOPE_TYPE_VIEW_STATE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "channelview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
scope_channel_view_init (ScopeChannelView *self)
{
  GtkEventController *controller;

  self->channel = -1;
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);

  controller = gtk_event_controller_motion_new ();
  g_signal_connect (controller, "motion", G_CALLBACK (on_motion), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = GTK_EVENT_CONTROLLER (gtk_gesture_click_new ());
  g_signal_connect (controller, "pressed", G_CALLBACK (on_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_event_controller_key_new ();
  g_signal_connect (controller, "key-pressed", G_CALLBACK (on_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  /* Translators: accessible name of the large channel view */
                                  _("Channel"), -1);
}

GtkWidget *
scope_channel_view_new (void)
{
  return g_object_new (SCOPE_TYPE_CHANNEL_VIEW, NULL);
}

void
scope_channel_view_set_capture (ScopeChannelView *self,
                                ScopeCapture     *capture)
{
  g_return_if_fail (SCOPE_IS_CHANNEL_VIEW (self));

  if (self->capture == capture)
    return;
  g_clear_pointer (&self->capture, scope_capture_unref);
  if (capture != NULL)
    self->capture = scope_capture_ref (capture);
  invalidate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAPTURE]);
}

ScopeCapture *
scope_channel_view_get_capture (ScopeChannelView *self)
{
  g_return_val_if_fail (SCOPE_IS_CHANNEL_VIEW (self), NULL);
  return self->capture;
}

void
scope_channel_view_set_channel (ScopeChannelView *self,
                                int               channel)
{
  g_return_if_fail (SCOPE_IS_CHANNEL_VIEW (self));

  if (self->channel == channel)
    return;
  self->channel = channel;
  invalidate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHANNEL]);
}

int
scope_channel_view_get_channel (ScopeChannelView *self)
{
  g_return_val_if_fail (SCOPE_IS_CHANNEL_VIEW (self), -1);
  return self->channel;
}

static void
on_view_state_changed (ScopeChannelView *self,
                       GParamSpec       *pspec)
{
  if (g_str_equal (g_param_spec_get_name (pspec), "colormap"))
    g_clear_object (&self->bar);
  if (g_str_equal (g_param_spec_get_name (pspec), "colormap")
      || g_str_equal (g_param_spec_get_name (pspec), "normalization"))
    invalidate (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
scope_channel_view_set_view_state (ScopeChannelView *self,
                                   ScopeViewState   *view_state)
{
  g_return_if_fail (SCOPE_IS_CHANNEL_VIEW (self));
  g_return_if_fail (view_state == NULL || SCOPE_IS_VIEW_STATE (view_state));

  if (!scope_view_state_follow (&self->view_state, view_state,
                                G_CALLBACK (on_view_state_changed), self))
    return;
  g_clear_object (&self->bar);
  invalidate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VIEW_STATE]);
}

gboolean
scope_channel_view_get_value (ScopeChannelView *self,
                              float            *value)
{
  int unit_y, unit_x;

  g_return_val_if_fail (SCOPE_IS_CHANNEL_VIEW (self), FALSE);

  if (!has_channel (self) || !get_unit (self, &unit_y, &unit_x))
    return FALSE;
  if (value != NULL)
    *value = scope_capture_value (self->capture, self->channel, unit_y, unit_x);
  return TRUE;
}

GdkTexture *
scope_channel_view_render (ScopeChannelView *self)
{
  g_return_val_if_fail (SCOPE_IS_CHANNEL_VIEW (self), NULL);

  if (!has_channel (self) || self->view_state == NULL)
    return NULL;
  return scope_map_render_channel (self->capture, self->channel,
                                   scope_view_state_get_normalization (self->view_state),
                                   scope_view_state_get_lut (self->view_state),
                                   MAX (1, (224 + self->capture->width - 1) / self->capture->width));
}
