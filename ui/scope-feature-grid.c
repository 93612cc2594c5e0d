/* scope-feature-grid.c — every channel of one layer's output, tiled
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "scope-draw.h"
#include "scope-enum-types.h"
#include "scope-feature-grid-private.h"
#include "scope-map-render.h"
#include "scope-tile-render.h"



enum {
  PROP_0,
  PROP_CAPTURE,
  PROP_N_CHANNELS,
  PROP_VIEW_STATE,
  PROP_SELECTED_CHANNEL,
  PROP_HOVER_CHANNEL,
  PROP_ZOOM,
  /* GtkScrollable */
  PROP_HADJUSTMENT,
  PROP_VADJUSTMENT,
  PROP_HSCROLL_POLICY,
  PROP_VSCROLL_POLICY,
  N_PROPS
};

enum {
  CHANNEL_ACTIVATED,
  N_SIGNALS
};

static GParamSpec *properties[PROP_HADJUSTMENT];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE_WITH_CODE (ScopeFeatureGrid, scope_feature_grid, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_SCROLLABLE, NULL))

/* Slots stay NULL until their tile is first drawn. */
static void
unref_texture (gpointer texture)
{
  if (texture != NULL)
    g_object_unref (texture);
}

static void
cancel_render (ScopeFeatureGrid *self)
{
  if (self->render != NULL)
    g_cancellable_cancel (self->render);
  g_clear_object (&self->render);
  g_clear_pointer (&self->stale_textures, g_ptr_array_unref);
}

static void
invalidate_textures (ScopeFeatureGrid *self)
{
  cancel_render (self);
  if (self->textures != NULL)
    for (guint i = 0; i < self->textures->len; i++)
      g_clear_object (&g_ptr_array_index (self->textures, i));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static int
compare_by_mean (gconstpointer a,
                 gconstpointer b,
                 gpointer      user_data)
{
  const float *mean = user_data;
  float ma = mean[*(const int *) a], mb = mean[*(const int *) b];

  if (ma != mb)
    return ma > mb ? -1 : 1;
  return *(const int *) a - *(const int *) b;
}

static void
update_order (ScopeFeatureGrid *self)
{
  int n = self->capture != NULL ? self->capture->channels : 0;

  g_clear_pointer (&self->order, g_free);
  if (n == 0)
    return;
  self->order = g_new (int, n);
  for (int i = 0; i < n; i++)
    self->order[i] = i;
  if (self->view_state != NULL && scope_view_state_get_sort_by_activation (self->view_state))
    g_qsort_with_data (self->order, n, sizeof (int), compare_by_mean,
                  (gpointer) self->capture->channel_mean);
}

/* ---- layout ---- */

static void
compute_layout (ScopeFeatureGrid *self,
                int               width)
{
  int texture_scale, scale_factor, reduced_width, reduced_height;

  if (self->capture == NULL)
    {
      memset (&self->layout, 0, sizeof self->layout);
      return;
    }

  scope_tile_layout_compute (&self->layout, self->capture->channels, self->capture->height,
                             self->capture->width, self->zoom, width);
  scale_factor = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  texture_scale = self->layout.unit_scale * scale_factor;
  reduced_width = reduced_height = 0;
  if (self->capture->height * self->capture->width == 1)
    texture_scale = 1;   /* one colour: scaling is free */
  else if (texture_scale == 0)
    {
      /* maps larger than their tiles are drawn at the tiles' size */
      reduced_width = MIN (self->capture->width, (int) ceilf (self->layout.tile_width * scale_factor));
      reduced_height = MIN (self->capture->height,
                            (int) ceilf (self->layout.tile_height * scale_factor));
    }
  if (texture_scale != self->texture_scale || reduced_width != self->reduced_width
      || reduced_height != self->reduced_height)
    {
      self->texture_scale = texture_scale;
      self->reduced_width = reduced_width;
      self->reduced_height = reduced_height;
      invalidate_textures (self);
    }
}

float
_scope_feature_grid_scroll_offset (ScopeFeatureGrid *self)
{
  return self->vadjustment != NULL ? (float) gtk_adjustment_get_value (self->vadjustment) : 0.0f;
}

void
_scope_feature_grid_tile_bounds_at (ScopeFeatureGrid *self,
                                    int               position,
                                    graphene_rect_t  *bounds)
{
  scope_tile_layout_bounds (&self->layout, position, bounds);
  bounds->origin.y -= _scope_feature_grid_scroll_offset (self);
}

/* The display position under (@x, @y) and the unit there, or -1. */
int
_scope_feature_grid_hit_test (ScopeFeatureGrid *self,
                              double            x,
                              double            y,
                              int              *unit_y,
                              int              *unit_x)
{
  if (self->capture == NULL)
    return -1;
  return scope_tile_layout_hit (&self->layout, x, y + _scope_feature_grid_scroll_offset (self), unit_y, unit_x);
}

/* ---- drawing ---- */

static void
get_tile_style (ScopeFeatureGrid *self,
                ScopeTileStyle   *style)
{
  style->normalization = scope_view_state_get_normalization (self->view_state);
  memcpy (style->lut, scope_view_state_get_lut (self->view_state), sizeof style->lut);
  style->reduced_width = self->reduced_width;
  style->reduced_height = self->reduced_height;
  style->scale = MAX (1, self->texture_scale);
}

static GdkTexture *
ensure_texture (ScopeFeatureGrid *self,
                int               channel)
{
  GdkTexture *texture = g_ptr_array_index (self->textures, channel);
  ScopeTileStyle style;

  if (texture != NULL)
    return texture;
  /* the new maps are being rendered: the last ones stay meanwhile */
  if (self->render != NULL && self->stale_textures != NULL
      && g_ptr_array_index (self->stale_textures, channel) != NULL)
    return g_ptr_array_index (self->stale_textures, channel);

  get_tile_style (self, &style);
  texture = scope_tile_render_channel (self->capture, channel, &style);
  g_ptr_array_index (self->textures, channel) = texture;
  return texture;
}

static void
on_tiles_rendered (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(ScopeFeatureGrid) self = user_data;
  g_autoptr(GPtrArray) textures = scope_tile_render_finish (result, NULL);

  /* cancelled, or the capture or the tiles' style changed since: another render is due */
  if (textures == NULL || self->render != g_task_get_cancellable (G_TASK (result)))
    return;
  g_clear_object (&self->render);
  g_clear_pointer (&self->stale_textures, g_ptr_array_unref);
  for (guint i = 0; i < textures->len && i < self->textures->len; i++)
    if (g_ptr_array_index (self->textures, i) == NULL)
      g_ptr_array_index (self->textures, i) = g_object_ref (g_ptr_array_index (textures, i));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gboolean
_scope_feature_grid_get_rendering (ScopeFeatureGrid *self)
{
  return self->render != NULL;
}

/* The same layer's next maps: rendered on a thread while the last ones stay on screen. */
static void
render_replacing (ScopeFeatureGrid *self,
                  GPtrArray        *last)
{
  ScopeTileStyle style;

  cancel_render (self);
  if (last == NULL || self->view_state == NULL
      || (self->reduced_width == 0 && self->texture_scale <= 0))
    return;   /* nothing on screen yet, or no layout: drawn when seen */
  self->stale_textures = g_ptr_array_ref (last);
  self->render = g_cancellable_new ();
  get_tile_style (self, &style);
  scope_tile_render_async (self->capture, &style, self->render, on_tiles_rendered,
                           g_object_ref (self));
}

static void
scope_feature_grid_snapshot (GtkWidget   *widget,
                             GtkSnapshot *snapshot)
{
  ScopeFeatureGrid *self = SCOPE_FEATURE_GRID (widget);
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  float offset, pitch;
  int first_row, last_row;
  gboolean vector;
  GdkRGBA accent, fg;
  int unit_y = -1, unit_x = -1;

  if (self->capture == NULL || self->view_state == NULL || self->layout.columns == 0)
    return;
  scope_view_state_get_unit (self->view_state, &unit_y, &unit_x);
  if (unit_y >= self->capture->height || unit_x >= self->capture->width)
    unit_y = unit_x = -1;

  scope_draw_lookup_color (widget, "accent_color", "#3584e4", &accent);
  scope_draw_get_fg_color (widget, &fg);
  vector = self->capture->height * self->capture->width == 1;

  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));

  offset = _scope_feature_grid_scroll_offset (self);
  pitch = self->layout.tile_height + self->layout.gap;
  first_row = MAX (0, (int) floorf ((offset - MARGIN) / pitch));
  last_row = MIN (self->layout.rows - 1, (int) ceilf ((offset + height - MARGIN) / pitch));

  for (int row = first_row; row <= last_row; row++)
    for (int column = 0; column < self->layout.columns; column++)
      {
        int position = row * self->layout.columns + column;
        int channel;
        graphene_rect_t bounds;

        if (position >= self->capture->channels)
          break;
        channel = self->order[position];
        _scope_feature_grid_tile_bounds_at (self, position, &bounds);
        scope_draw_texture (snapshot, widget, ensure_texture (self, channel), &bounds);

        if (!vector && unit_y >= 0 && unit_x >= 0)
          scope_draw_unit_marker (snapshot, &bounds, self->capture->height,
                                  self->capture->width, unit_y, unit_x);
        if (!vector && self->has_lit_units)
          {
            graphene_rect_t lit = scope_draw_units_rect (&bounds, self->capture->height,
                                                         self->capture->width, &self->lit_units);
            GdkRGBA fill = scope_draw_alpha (&accent, 0.35f);

            gtk_snapshot_append_color (snapshot, &fill, &lit);
            scope_draw_outline (snapshot, &lit, 1.0f, &accent);
          }

        if (channel == self->selected_channel)
          {
            graphene_rect_t ring;

            graphene_rect_inset_r (&bounds, -3.0f, -3.0f, &ring);
            scope_draw_outline (snapshot, &ring, 2.0f, &accent);
          }
        else if (channel == self->hover_channel)
          {
            graphene_rect_t ring;
            GdkRGBA hover = scope_draw_alpha (&fg, 0.5f);

            graphene_rect_inset_r (&bounds, -2.0f, -2.0f, &ring);
            scope_draw_outline (snapshot, &ring, 1.0f, &hover);
          }
      }

  gtk_snapshot_pop (snapshot);
}

/* ---- size ---- */

static GtkSizeRequestMode
scope_feature_grid_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
scope_feature_grid_measure (GtkWidget      *widget,
                            GtkOrientation  orientation,
                            int             for_size,
                            int            *minimum,
                            int            *natural,
                            int            *minimum_baseline,
                            int            *natural_baseline)
{
  ScopeFeatureGrid *self = SCOPE_FEATURE_GRID (widget);

  *minimum = *natural = 0;
  if (self->capture == NULL)
    return;
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      ScopeTileLayout tiles;

      scope_tile_layout_size_tiles (&tiles, self->capture->channels, self->capture->height,
                                    self->capture->width, self->zoom);
      *minimum = (int) (tiles.tile_width + 2 * MARGIN);
      *natural = (int) (8 * (tiles.tile_width + tiles.gap) + 2 * MARGIN);
    }
  else
    {
      compute_layout (self, for_size > 0 ? for_size : 600);
      *natural = (int) ceilf (self->layout.content_height);
    }
}

void
_scope_feature_grid_configure_adjustments (ScopeFeatureGrid *self)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));

  if (self->vadjustment != NULL)
    {
      double upper = MAX (self->layout.content_height, height);
      double value = CLAMP (gtk_adjustment_get_value (self->vadjustment), 0, upper - height);

      gtk_adjustment_configure (self->vadjustment, value, 0, upper,
                                self->layout.tile_height + self->layout.gap, height * 0.9,
                                height);
    }
  if (self->hadjustment != NULL)
    gtk_adjustment_configure (self->hadjustment, 0, 0, width, 10, width * 0.9, width);
}

static void
scope_feature_grid_size_allocate (GtkWidget *widget,
                                  int        width,
                                  int        height,
                                  int        baseline)
{
  ScopeFeatureGrid *self = SCOPE_FEATURE_GRID (widget);

  compute_layout (self, width);
  _scope_feature_grid_configure_adjustments (self);
}

/* ---- GObject ---- */

static void
scope_feature_grid_dispose (GObject *object)
{
  ScopeFeatureGrid *self = SCOPE_FEATURE_GRID (object);

  if (self->hadjustment != NULL)
    g_signal_handlers_disconnect_by_func (self->hadjustment, _scope_feature_grid_on_adjustment_value_changed,
                                          self);
  if (self->vadjustment != NULL)
    g_signal_handlers_disconnect_by_func (self->vadjustment, _scope_feature_grid_on_adjustment_value_changed,
                                          self);
  g_clear_object (&self->hadjustment);
  g_clear_object (&self->vadjustment);
  cancel_render (self);
  g_clear_pointer (&self->textures, g_ptr_array_unref);
  g_clear_pointer (&self->capture, scope_capture_unref);
  g_clear_pointer (&self->order, g_free);
  g_clear_object (&self->view_state);

  G_OBJECT_CLASS (scope_feature_grid_parent_class)->dispose (object);
}

static void
scope_feature_grid_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  ScopeFeatureGrid *self = SCOPE_FEATURE_GRID (object);

  switch (prop_id)
    {
    case PROP_CAPTURE:
      g_value_set_boxed (value, self->capture);
      break;
    case PROP_N_CHANNELS:
      g_value_set_int (value, scope_feature_grid_get_n_channels (self));
      break;
    case PROP_VIEW_STATE:
      g_value_set_object (value, self->view_state);
      break;
    case PROP_SELECTED_CHANNEL:
      g_value_set_int (value, self->selected_channel);
      break;
    case PROP_HOVER_CHANNEL:
      g_value_set_int (value, self->hover_channel);
      break;
    case PROP_ZOOM:
      g_value_set_double (value, self->zoom);
      break;
    case PROP_HADJUSTMENT:
      g_value_set_object (value, self->hadjustment);
      break;
    case PROP_VADJUSTMENT:
      g_value_set_object (value, self->vadjustment);
      break;
    case PROP_HSCROLL_POLICY:
      g_value_set_enum (value, self->hscroll_policy);
      break;
    case PROP_VSCROLL_POLICY:
      g_value_set_enum (value, self->vscroll_policy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
scope_feature_grid_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  ScopeFeatureGrid *self = SCOPE_FEATURE_GRID (object);

  switch (prop_id)
    {
    case PROP_CAPTURE:
      scope_feature_grid_set_capture (self, g_value_get_boxed (value));
      break;
    case PROP_VIEW_STATE:
      scope_feature_grid_set_view_state (self, g_value_get_object (value));
      break;
    case PROP_SELECTED_CHANNEL:
      scope_feature_grid_set_selected_channel (self, g_value_get_int (value));
      break;
    case PROP_ZOOM:
      self->zoom = g_value_get_double (value);
      gtk_widget_queue_resize (GTK_WIDGET (self));
      break;
    case PROP_HADJUSTMENT:
      _scope_feature_grid_set_adjustment (self, &self->hadjustment, g_value_get_object (value));
      break;
    case PROP_VADJUSTMENT:
      _scope_feature_grid_set_adjustment (self, &self->vadjustment, g_value_get_object (value));
      break;
    case PROP_HSCROLL_POLICY:
      self->hscroll_policy = g_value_get_enum (value);
      gtk_widget_queue_resize (GTK_WIDGET (self));
      break;
    case PROP_VSCROLL_POLICY:
      self->vscroll_policy = g_value_get_enum (value);
      gtk_widget_queue_resize (GTK_WIDGET (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
scope_feature_grid_class_init (ScopeFeatureGridClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = scope_feature_grid_dispose;
  object_class->get_property = scope_feature_grid_get_property;
  object_class->set_property = scope_feature_grid_set_property;

  widget_class->snapshot = scope_feature_grid_snapshot;
  widget_class->measure = scope_feature_grid_measure;
  widget_class->get_request_mode = scope_feature_grid_get_request_mode;
  widget_class->size_allocate = scope_feature_grid_size_allocate;

  properties[PROP_CAPTURE] =
    g_param_spec_boxed ("capture", NULL, NULL, SCOPE_TYPE_CAPTURE,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_CHANNELS] =
    g_param_spec_int ("n-channels", NULL, NULL, 0, G_MAXINT, 0,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VIEW_STATE] =
    g_param_spec_object ("view-state", NULL, NULL, SCOPE_TYPE_VIEW_STATE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SELECTED_CHANNEL] =
    g_param_spec_int ("selected-channel", NULL, NULL, -1, G_MAXINT, -1,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HOVER_CHANNEL] =
    g_param_spec_int ("hover-channel", NULL, NULL, -1, G_MAXINT, -1,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ZOOM] =
    g_param_spec_double ("zoom", NULL, NULL, 0.5, 2.5, 1.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, PROP_HADJUSTMENT, properties);

  g_object_class_override_property (object_class, PROP_HADJUSTMENT, "hadjustment");
  g_object_class_override_property (object_class, PROP_VADJUSTMENT, "vadjustment");
  g_object_class_override_property (object_class, PROP_HSCROLL_POLICY, "hscroll-policy");
  g_object_class_override_property (object_class, PROP_VSCROLL_POLICY, "vscroll-policy");

  /**
   * ScopeFeatureGrid::channel-activated:
   * @channel: the channel clicked or chosen with Enter
   */
  signals[CHANNEL_ACTIVATED] =
    g_signal_new ("channel-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);

  gtk_widget_class_set_css_name (widget_class, "featuregrid");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GRID);
}

static void
scope_feature_grid_init (ScopeFeatureGrid *self)
{
  self->selected_channel = -1;
  self->hover_channel = -1;
  self->zoom = 1.0;

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);

  _scope_feature_grid_init_input (self);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  /* Translators: accessible name of the tiled feature maps */
                                  _("Feature maps"),
                                  -1);
}

GtkWidget *
scope_feature_grid_new (void)
{
  return g_object_new (SCOPE_TYPE_FEATURE_GRID, NULL);
}

static void
update_accessible_description (ScopeFeatureGrid *self)
{
  g_autofree char *description = NULL;

  if (self->capture == NULL)
    description = g_strdup ("");
  else
    /* Translators: accessible description of the feature grid: channels, height, width */
    description = g_strdup_printf (_("%d channels of %d × %d units"), self->capture->channels,
                                   self->capture->height, self->capture->width);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description, -1);
}

void
scope_feature_grid_set_capture (ScopeFeatureGrid *self,
                                ScopeCapture     *capture)
{
  g_autoptr(GPtrArray) last = NULL;
  gboolean same_shape;

  g_return_if_fail (SCOPE_IS_FEATURE_GRID (self));

  if (self->capture == capture)
    return;

  same_shape = self->capture != NULL && capture != NULL
               && self->capture->channels == capture->channels
               && self->capture->height == capture->height
               && self->capture->width == capture->width;

  last = g_steal_pointer (&self->textures);
  g_clear_pointer (&self->capture, scope_capture_unref);
  if (capture != NULL)
    {
      self->capture = scope_capture_ref (capture);
      self->textures = g_ptr_array_new_full ((guint) capture->channels, unref_texture);
      g_ptr_array_set_size (self->textures, capture->channels);
    }
  render_replacing (self, same_shape ? last : NULL);
  update_order (self);

  if (!same_shape)
    {
      /* another layer: the unit pointed at in the last one means nothing here */
      self->selected_channel = -1;
      if (self->view_state != NULL)
        scope_view_state_set_unit (self->view_state, -1, -1);
      if (self->vadjustment != NULL)
        gtk_adjustment_set_value (self->vadjustment, 0);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_CHANNEL]);
    }
  self->hover_channel = -1;

  update_accessible_description (self);
  if (same_shape)
    /* the next picture's maps of the same layer (as a live camera sends them): the tiles
     * stay where they are, so no new layout of the window, only a redraw */
    gtk_widget_queue_draw (GTK_WIDGET (self));
  else
    {
      self->texture_scale = -1;
      gtk_widget_queue_resize (GTK_WIDGET (self));
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAPTURE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_CHANNELS]);
}

ScopeCapture *
scope_feature_grid_get_capture (ScopeFeatureGrid *self)
{
  g_return_val_if_fail (SCOPE_IS_FEATURE_GRID (self), NULL);
  return self->capture;
}

int
scope_feature_grid_get_n_channels (ScopeFeatureGrid *self)
{
  g_return_val_if_fail (SCOPE_IS_FEATURE_GRID (self), 0);
  return self->capture != NULL ? self->capture->channels : 0;
}

static void
on_view_state_changed (ScopeFeatureGrid *self,
                       GParamSpec       *pspec)
{
  const char *name = g_param_spec_get_name (pspec);

  if (g_str_equal (name, "sort-by-activation"))
    update_order (self);
  if (g_str_equal (name, "colormap") || g_str_equal (name, "normalization"))
    invalidate_textures (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
scope_feature_grid_set_view_state (ScopeFeatureGrid *self,
                                   ScopeViewState   *view_state)
{
  g_return_if_fail (SCOPE_IS_FEATURE_GRID (self));
  g_return_if_fail (view_state == NULL || SCOPE_IS_VIEW_STATE (view_state));

  if (!scope_view_state_follow (&self->view_state, view_state,
                                G_CALLBACK (on_view_state_changed), self))
    return;
  update_order (self);
  invalidate_textures (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VIEW_STATE]);
}

void
scope_feature_grid_set_lit_units (ScopeFeatureGrid *self,
                                  const VggRect    *units)
{
  g_return_if_fail (SCOPE_IS_FEATURE_GRID (self));

  self->has_lit_units = units != NULL;
  if (units != NULL)
    self->lit_units = *units;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gboolean
scope_feature_grid_get_lit_units (ScopeFeatureGrid *self,
                                  VggRect          *units)
{
  g_return_val_if_fail (SCOPE_IS_FEATURE_GRID (self), FALSE);

  if (self->has_lit_units && units != NULL)
    *units = self->lit_units;
  return self->has_lit_units;
}

ScopeViewState *
scope_feature_grid_get_view_state (ScopeFeatureGrid *self)
{
  g_return_val_if_fail (SCOPE_IS_FEATURE_GRID (self), NULL);
  return self->view_state;
}

int
scope_feature_grid_get_channel_at (ScopeFeatureGrid *self,
                                   int               position)
{
  g_return_val_if_fail (SCOPE_IS_FEATURE_GRID (self), -1);

  if (self->capture == NULL || position < 0 || position >= self->capture->channels)
    return -1;
  return self->order[position];
}

const int *
scope_feature_grid_get_order (ScopeFeatureGrid *self)
{
  g_return_val_if_fail (SCOPE_IS_FEATURE_GRID (self), NULL);
  return self->order;
}

void
scope_feature_grid_set_selected_channel (ScopeFeatureGrid *self,
                                         int               channel)
{
  g_return_if_fail (SCOPE_IS_FEATURE_GRID (self));

  if (self->capture == NULL || channel >= self->capture->channels)
    channel = -1;
  if (self->selected_channel == channel)
    return;
  self->selected_channel = channel;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_CHANNEL]);
}

int
scope_feature_grid_get_selected_channel (ScopeFeatureGrid *self)
{
  g_return_val_if_fail (SCOPE_IS_FEATURE_GRID (self), -1);
  return self->selected_channel;
}

int
scope_feature_grid_get_hover_channel (ScopeFeatureGrid *self)
{
  g_return_val_if_fail (SCOPE_IS_FEATURE_GRID (self), -1);
  return self->hover_channel;
}

GdkTexture *
scope_feature_grid_render (ScopeFeatureGrid *self)
{
  static const guint8 gap[3] = { 0x30, 0x30, 0x30 };
  int columns, scale;

  g_return_val_if_fail (SCOPE_IS_FEATURE_GRID (self), NULL);

  if (self->capture == NULL || self->view_state == NULL)
    return NULL;
  columns = (int) ceil (sqrt ((double) self->capture->channels));
  scale = MAX (1, 64 / MAX (self->capture->width, 1));
  if (self->capture->width * self->capture->height == 1)
    scale = 12;
  return scope_map_render_grid (self->capture, self->order, columns,
                                scope_view_state_get_normalization (self->view_state),
                                scope_view_state_get_lut (self->view_state), scale, gap);
}
