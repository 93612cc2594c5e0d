/* scope-view-state.c — how the feature maps are shown, shared by every view that shows them
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "scope-enum-types.h"
#include "scope-map-render.h"
#include "scope-view-state.h"

struct _ScopeViewState
{
  GObject             parent_instance;

  ScopeColormap       colormap;
  ScopeNormalization  normalization;
  gboolean            sort_by_activation;
  guint8              lut[SCOPE_LUT_SIZE * 3];   /* the colour map, filled once per change */
  int                 unit_y;
  int                 unit_x;
  int                 channel;
  int                 pixel_y;
  int                 pixel_x;
};

enum {
  PROP_0,
  PROP_COLORMAP,
  PROP_NORMALIZATION,
  PROP_SORT_BY_ACTIVATION,
  PROP_UNIT_Y,
  PROP_UNIT_X,
  PROP_CHANNEL,
  PROP_PIXEL_Y,
  PROP_PIXEL_X,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (ScopeViewState, scope_view_state, G_TYPE_OBJECT)

static void
scope_view_state_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  ScopeViewState *self = SCOPE_VIEW_STATE (object);

  switch (prop_id)
    {
    case PROP_COLORMAP:
      g_value_set_enum (value, self->colormap);
      break;
    case PROP_NORMALIZATION:
      g_value_set_enum (value, self->normalization);
      break;
    case PROP_SORT_BY_ACTIVATION:
      g_value_set_boolean (value, self->sort_by_activation);
      break;
    case PROP_UNIT_Y:
      g_value_set_int (value, self->unit_y);
      break;
    case PROP_UNIT_X:
      g_value_set_int (value, self->unit_x);
      break;
    case PROP_CHANNEL:
      g_value_set_int (value, self->channel);
      break;
    case PROP_PIXEL_Y:
      g_value_set_int (value, self->pixel_y);
      break;
    case PROP_PIXEL_X:
      g_value_set_int (value, self->pixel_x);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
scope_view_state_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  ScopeViewState *self = SCOPE_VIEW_STATE (object);

  switch (prop_id)
    {
    case PROP_COLORMAP:
      scope_view_state_set_colormap (self, g_value_get_enum (value));
      break;
    case PROP_NORMALIZATION:
      scope_view_state_set_normalization (self, g_value_get_enum (value));
      break;
    case PROP_SORT_BY_ACTIVATION:
      scope_view_state_set_sort_by_activation (self, g_value_get_boolean (value));
      break;
    case PROP_UNIT_Y:
      scope_view_state_set_unit (self, g_value_get_int (value), self->unit_x);
      break;
    case PROP_UNIT_X:
      scope_view_state_set_unit (self, self->unit_y, g_value_get_int (value));
      break;
    case PROP_CHANNEL:
      scope_view_state_set_channel (self, g_value_get_int (value));
      break;
    case PROP_PIXEL_Y:
      scope_view_state_set_pixel (self, g_value_get_int (value), self->pixel_x);
      break;
    case PROP_PIXEL_X:
      scope_view_state_set_pixel (self, self->pixel_y, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
scope_view_state_class_init (ScopeViewStateClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->get_property = scope_view_state_get_property;
  object_class->set_property = scope_view_state_set_property;

  properties[PROP_COLORMAP] =
    g_param_spec_enum ("colormap", NULL, NULL, SCOPE_TYPE_COLORMAP, SCOPE_COLORMAP_VIRIDIS,
                       flags);
  properties[PROP_NORMALIZATION] =
    g_param_spec_enum ("normalization", NULL, NULL, SCOPE_TYPE_NORMALIZATION,
                       SCOPE_NORMALIZATION_CHANNEL, flags);
  properties[PROP_SORT_BY_ACTIVATION] =
    g_param_spec_boolean ("sort-by-activation", NULL, NULL, FALSE, flags);
  properties[PROP_UNIT_Y] = g_param_spec_int ("unit-y", NULL, NULL, -1, G_MAXINT, -1, flags);
  properties[PROP_UNIT_X] = g_param_spec_int ("unit-x", NULL, NULL, -1, G_MAXINT, -1, flags);
  properties[PROP_CHANNEL] = g_param_spec_int ("channel", NULL, NULL, -1, G_MAXINT, -1, flags);
  properties[PROP_PIXEL_Y] = g_param_spec_int ("pixel-y", NULL, NULL, -1, G_MAXINT, -1, flags);
  properties[PROP_PIXEL_X] = g_param_spec_int ("pixel-x", NULL, NULL, -1, G_MAXINT, -1, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
scope_view_state_init (ScopeViewState *self)
{
  self->unit_y = -1;
  self->unit_x = -1;
  self->channel = -1;
  self->pixel_y = -1;
  self->pixel_x = -1;
  scope_colormap_fill_lut (self->colormap, self->lut);
}

ScopeViewState *
scope_view_state_new (void)
{
  return g_object_new (SCOPE_TYPE_VIEW_STATE, NULL);
}

ScopeColormap
scope_view_state_get_colormap (ScopeViewState *self)
{
  g_return_val_if_fail (SCOPE_IS_VIEW_STATE (self), SCOPE_COLORMAP_VIRIDIS);
  return self->colormap;
}

void
scope_view_state_set_colormap (ScopeViewState *self,
                               ScopeColormap   colormap)
{
  g_return_if_fail (SCOPE_IS_VIEW_STATE (self));

  if (self->colormap == colormap)
    return;
  self->colormap = colormap;
  scope_colormap_fill_lut (colormap, self->lut);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COLORMAP]);
}

const guint8 *
scope_view_state_get_lut (ScopeViewState *self)
{
  g_return_val_if_fail (SCOPE_IS_VIEW_STATE (self), NULL);
  return self->lut;
}

ScopeNormalization
scope_view_state_get_normalization (ScopeViewState *self)
{
  g_return_val_if_fail (SCOPE_IS_VIEW_STATE (self), SCOPE_NORMALIZATION_CHANNEL);
  return self->normalization;
}

void
scope_view_state_set_normalization (ScopeViewState     *self,
                                    ScopeNormalization  normalization)
{
  g_return_if_fail (SCOPE_IS_VIEW_STATE (self));

  if (self->normalization == normalization)
    return;
  self->normalization = normalization;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NORMALIZATION]);
}

gboolean
scope_view_state_get_sort_by_activation (ScopeViewState *self)
{
  g_return_val_if_fail (SCOPE_IS_VIEW_STATE (self), FALSE);
  return self->sort_by_activation;
}

void
scope_view_state_set_sort_by_activation (ScopeViewState *self,
                                         gboolean        sort)
{
  g_return_if_fail (SCOPE_IS_VIEW_STATE (self));

  sort = !!sort;
  if (self->sort_by_activation == sort)
    return;
  self->sort_by_activation = sort;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SORT_BY_ACTIVATION]);
}

/* Sets a (y, x) pair, notifying both after both are set. */
static void
set_pair (ScopeViewState *self,
          int            *slot_y,
          int            *slot_x,
          int             y,
          int             x,
          int             property_y,
          int             property_x)
{
  if (y < 0 || x < 0)
    y = x = -1;
  if (*slot_y == y && *slot_x == x)
    return;

  g_object_freeze_notify (G_OBJECT (self));
  if (*slot_y != y)
    {
      *slot_y = y;
      g_object_notify_by_pspec (G_OBJECT (self), properties[property_y]);
    }
  if (*slot_x != x)
    {
      *slot_x = x;
      g_object_notify_by_pspec (G_OBJECT (self), properties[property_x]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

void
scope_view_state_set_unit (ScopeViewState *self,
                           int             y,
                           int             x)
{
  g_return_if_fail (SCOPE_IS_VIEW_STATE (self));
  set_pair (self, &self->unit_y, &self->unit_x, y, x, PROP_UNIT_Y, PROP_UNIT_X);
}

void
scope_view_state_set_pixel (ScopeViewState *self,
                            int             y,
                            int             x)
{
  g_return_if_fail (SCOPE_IS_VIEW_STATE (self));
  set_pair (self, &self->pixel_y, &self->pixel_x, y, x, PROP_PIXEL_Y, PROP_PIXEL_X);
}

void
scope_view_state_get_pixel (ScopeViewState *self,
                            int            *y,
                            int            *x)
{
  g_return_if_fail (SCOPE_IS_VIEW_STATE (self));

  if (y != NULL)
    *y = self->pixel_y;
  if (x != NULL)
    *x = self->pixel_x;
}

void
scope_view_state_set_channel (ScopeViewState *self,
                              int             channel)
{
  g_return_if_fail (SCOPE_IS_VIEW_STATE (self));

  channel = MAX (channel, -1);
  if (self->channel == channel)
    return;
  self->channel = channel;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHANNEL]);
}

int
scope_view_state_get_channel (ScopeViewState *self)
{
  g_return_val_if_fail (SCOPE_IS_VIEW_STATE (self), -1);
  return self->channel;
}

void
scope_view_state_get_unit (ScopeViewState *self,
                           int            *y,
                           int            *x)
{
  g_return_if_fail (SCOPE_IS_VIEW_STATE (self));

  if (y != NULL)
    *y = self->unit_y;
  if (x != NULL)
    *x = self->unit_x;
}

gboolean
scope_view_state_follow (ScopeViewState **slot,
                         ScopeViewState  *view_state,
                         GCallback        on_changed,
                         gpointer         instance)
{
  g_return_val_if_fail (slot != NULL, FALSE);
  g_return_val_if_fail (view_state == NULL || SCOPE_IS_VIEW_STATE (view_state), FALSE);

  if (*slot == view_state)
    return FALSE;
  if (*slot != NULL)
    g_signal_handlers_disconnect_by_func (*slot, on_changed, instance);
  g_set_object (slot, view_state);
  if (view_state != NULL)
    g_signal_connect_object (view_state, "notify", on_changed, instance, G_CONNECT_SWAPPED);
  return TRUE;
}
