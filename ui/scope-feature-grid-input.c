/* scope-feature-grid-input.c — pointer, keys and scrolling in the feature grid
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "scope-feature-grid-private.h"

int
_scope_feature_grid_position_of_channel (ScopeFeatureGrid *self,
                                         int               channel)
{
  if (self->order == NULL)
    return -1;
  for (int i = 0; i < self->capture->channels; i++)
    if (self->order[i] == channel)
      return i;
  return -1;
}

gboolean
scope_feature_grid_get_tile_bounds (ScopeFeatureGrid *self,
                                    int               channel,
                                    graphene_rect_t  *bounds)
{
  int position;

  g_return_val_if_fail (SCOPE_IS_FEATURE_GRID (self), FALSE);
  g_return_val_if_fail (bounds != NULL, FALSE);

  position = _scope_feature_grid_position_of_channel (self, channel);
  if (position < 0 || self->layout.columns == 0)
    return FALSE;
  _scope_feature_grid_tile_bounds_at (self, position, bounds);
  return TRUE;
}

/* ---- input ---- */

static void
set_hover (ScopeFeatureGrid *self,
           int               channel)
{
  if (self->hover_channel == channel)
    return;
  self->hover_channel = channel;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify (G_OBJECT (self), "hover-channel");
}

static void
on_motion (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           ScopeFeatureGrid         *self)
{
  int unit_y = -1, unit_x = -1;
  int position = _scope_feature_grid_hit_test (self, x, y, &unit_y, &unit_x);

  if (position < 0)
    {
      set_hover (self, -1);
      return;
    }
  set_hover (self, self->order[position]);
  g_object_freeze_notify (G_OBJECT (self->view_state));
  scope_view_state_set_channel (self->view_state, self->order[position]);
  scope_view_state_set_unit (self->view_state, unit_y, unit_x);
  g_object_thaw_notify (G_OBJECT (self->view_state));
}

static void
on_leave (GtkEventControllerMotion *controller,
          ScopeFeatureGrid         *self)
{
  /* the unit stays marked (and its receptive field shown) after the pointer leaves */
  set_hover (self, -1);
}

static void
activate_channel (ScopeFeatureGrid *self,
                  int               channel)
{
  scope_feature_grid_set_selected_channel (self, channel);
  g_signal_emit_by_name (self, "channel-activated", channel);
}

static void
on_click_released (GtkGestureClick  *gesture,
                   int               n_press,
                   double            x,
                   double            y,
                   ScopeFeatureGrid *self)
{
  int unit_y, unit_x;
  int position = _scope_feature_grid_hit_test (self, x, y, &unit_y, &unit_x);

  if (position < 0)
    return;
  gtk_widget_grab_focus (GTK_WIDGET (self));
  scope_view_state_set_unit (self->view_state, unit_y, unit_x);
  activate_channel (self, self->order[position]);
}

static void
scroll_to_position (ScopeFeatureGrid *self,
                    int               position)
{
  graphene_rect_t bounds;
  double value, height;

  if (self->vadjustment == NULL || self->layout.columns == 0)
    return;
  _scope_feature_grid_tile_bounds_at (self, position, &bounds);
  value = gtk_adjustment_get_value (self->vadjustment);
  height = gtk_widget_get_height (GTK_WIDGET (self));
  if (bounds.origin.y < MARGIN)
    gtk_adjustment_set_value (self->vadjustment, value + bounds.origin.y - MARGIN);
  else if (bounds.origin.y + bounds.size.height > height - MARGIN)
    gtk_adjustment_set_value (self->vadjustment,
                              value + bounds.origin.y + bounds.size.height - height + MARGIN);
}

static gboolean
on_key_pressed (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                ScopeFeatureGrid      *self)
{
  int n, position, step = 0;

  if (self->capture == NULL || self->view_state == NULL
      || (state & (GDK_CONTROL_MASK | GDK_ALT_MASK)) != 0)
    return GDK_EVENT_PROPAGATE;
  n = self->capture->channels;
  position = MAX (0, _scope_feature_grid_position_of_channel (self, self->selected_channel));

  switch (keyval)
    {
    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
      step = gtk_widget_get_direction (GTK_WIDGET (self)) == GTK_TEXT_DIR_RTL ? 1 : -1;
      break;
    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
      step = gtk_widget_get_direction (GTK_WIDGET (self)) == GTK_TEXT_DIR_RTL ? -1 : 1;
      break;
    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
      step = -self->layout.columns;
      break;
    case GDK_KEY_Down:
    case GDK_KEY_KP_Down:
      step = self->layout.columns;
      break;
    case GDK_KEY_Home:
      step = -position;
      break;
    case GDK_KEY_End:
      step = n - 1 - position;
      break;
    case GDK_KEY_Return:
    case GDK_KEY_KP_Enter:
    case GDK_KEY_space:
      activate_channel (self, self->order[position]);
      return GDK_EVENT_STOP;
    default:
      return GDK_EVENT_PROPAGATE;
    }

  if (self->selected_channel < 0)
    step = 0;
  position = CLAMP (position + step, 0, n - 1);
  scope_feature_grid_set_selected_channel (self, self->order[position]);
  scroll_to_position (self, position);
  return GDK_EVENT_STOP;
}

static gboolean
on_scroll (GtkEventControllerScroll *controller,
           double                    dx,
           double                    dy,
           ScopeFeatureGrid         *self)
{
  GdkModifierType state;

  state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (controller));
  if ((state & GDK_CONTROL_MASK) == 0 || dy == 0)
    return GDK_EVENT_PROPAGATE;
  self->zoom = CLAMP (self->zoom * (dy < 0 ? 1.25 : 0.8), 0.5, 2.5);
  g_object_notify (G_OBJECT (self), "zoom");
  gtk_widget_queue_resize (GTK_WIDGET (self));
  return GDK_EVENT_STOP;
}

/* ---- GtkScrollable ---- */

void
_scope_feature_grid_on_adjustment_value_changed (GtkAdjustment    *adjustment,
                                                 ScopeFeatureGrid *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
_scope_feature_grid_set_adjustment (ScopeFeatureGrid  *self,
                                    GtkAdjustment    **slot,
                                    GtkAdjustment     *adjustment)
{
  if (*slot == adjustment && adjustment != NULL)
    return;
  if (*slot != NULL)
    {
      g_signal_handlers_disconnect_by_func (*slot, _scope_feature_grid_on_adjustment_value_changed,
                                            self);
      g_clear_object (slot);
    }
  if (adjustment == NULL)
    adjustment = gtk_adjustment_new (0, 0, 0, 0, 0, 0);
  *slot = g_object_ref_sink (adjustment);
  g_signal_connect (adjustment, "value-changed", G_CALLBACK (_scope_feature_grid_on_adjustment_value_changed), self);
  _scope_feature_grid_configure_adjustments (self);
}

void
_scope_feature_grid_init_input (ScopeFeatureGrid *self)
{
  GtkEventController *controller;

  controller = gtk_event_controller_motion_new ();
  g_signal_connect (controller, "motion", G_CALLBACK (on_motion), self);
  g_signal_connect (controller, "enter", G_CALLBACK (on_motion), self);
  g_signal_connect (controller, "leave", G_CALLBACK (on_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = GTK_EVENT_CONTROLLER (gtk_gesture_click_new ());
  g_signal_connect (controller, "released", G_CALLBACK (on_click_released), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_event_controller_key_new ();
  g_signal_connect (controller, "key-pressed", G_CALLBACK (on_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);
  g_signal_connect (controller, "scroll", G_CALLBACK (on_scroll), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}
