/* scope-feature-grid.c — every channel of one layer's output, tiled
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "scope-draw.h"
#include "scope-enum-types.h"
#include "scope-feature-grid.h"
#include "scope-map-render.h"

#define MARGIN      12.0f
#define GAP         6.0f
#define GAP_VECTOR  2.0f   /* between the 1 × 1 "tiles" of fully connected layers */
#define TILE_VECTOR 14.0f

struct _ScopeFeatureGrid
{
  GtkWidget           parent_instance;

  /* owned */
  ScopeCapture       *capture;
  GtkAdjustment      *hadjustment;
  GtkAdjustment      *vadjustment;
  GPtrArray          *textures;        /* GdkTexture or NULL per channel, built when seen */
  int                *order;           /* display position → channel */

  /* plain state */
  ScopeColormap       colormap;
  ScopeNormalization  normalization;
  gboolean            sort_by_activation;
  guint8              lut[SCOPE_LUT_SIZE * 3];
  int                 selected_channel;
  int                 hover_channel;
  int                 unit_y;
  int                 unit_x;
  double              zoom;
  guint               hscroll_policy : 1;
  guint               vscroll_policy : 1;

  /* layout, from the last allocation */
  int                 columns;
  int                 rows;
  float               tile_width;
  float               tile_height;
  float               gap;
  float               origin_x;
  float               content_height;
  int                 texture_scale;   /* texture pixels per unit (0: native, downscaled) */
};

enum {
  PROP_0,
  PROP_CAPTURE,
  PROP_N_CHANNELS,
  PROP_COLORMAP,
  PROP_NORMALIZATION,
  PROP_SORT_BY_ACTIVATION,
  PROP_SELECTED_CHANNEL,
  PROP_HOVER_CHANNEL,
  PROP_UNIT_Y,
  PROP_UNIT_X,
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
invalidate_textures (ScopeFeatureGrid *self)
{
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
  if (self->sort_by_activation)
    g_qsort_with_data (self->order, n, sizeof (int), compare_by_mean,
                  (gpointer) self->capture->channel_mean);
}

/* ---- layout ---- */

/* The tile size for this capture at this zoom: small maps are magnified by a whole factor so
 * every unit is a crisp square; big ones are shown reduced. */
static void
compute_tile (ScopeFeatureGrid *self,
              float            *tile_width,
              float            *tile_height,
              float            *gap,
              int              *unit_scale)
{
  const ScopeCapture *capture = self->capture;
  double target;

  if (capture->height * capture->width == 1)
    {
      *tile_width = *tile_height = roundf (TILE_VECTOR * (float) MAX (self->zoom, 0.75));
      *gap = GAP_VECTOR;
      *unit_scale = 1;
      return;
    }

  target = capture->channels <= 64 ? 112 : capture->channels <= 128 ? 84 : 56;
  target *= self->zoom;
  *gap = GAP;
  if (capture->width <= target)
    {
      int scale = MAX (1, (int) floor (target / capture->width));

      *tile_width = (float) (capture->width * scale);
      *tile_height = (float) (capture->height * scale);
      *unit_scale = scale;
    }
  else
    {
      *tile_width = (float) round (target);
      *tile_height = (float) round (target * capture->height / capture->width);
      *unit_scale = 0;
    }
}

static void
compute_layout (ScopeFeatureGrid *self,
                int               width)
{
  int n, unit_scale, texture_scale;

  if (self->capture == NULL)
    {
      self->columns = self->rows = 0;
      self->content_height = 0;
      return;
    }

  n = self->capture->channels;
  compute_tile (self, &self->tile_width, &self->tile_height, &self->gap, &unit_scale);
  self->columns = MAX (1, (int) ((width - 2 * MARGIN + self->gap)
                                 / (self->tile_width + self->gap)));
  self->columns = MIN (self->columns, n);
  self->rows = (n + self->columns - 1) / self->columns;
  self->origin_x = floorf ((width - (self->columns * (self->tile_width + self->gap) - self->gap))
                           / 2.0f);
  self->content_height = 2 * MARGIN + self->rows * (self->tile_height + self->gap) - self->gap;

  texture_scale = unit_scale * gtk_widget_get_scale_factor (GTK_WIDGET (self));
  if (self->capture->height * self->capture->width == 1)
    texture_scale = 1;   /* one colour: scaling is free */
  if (texture_scale != self->texture_scale)
    {
      self->texture_scale = texture_scale;
      invalidate_textures (self);
    }
}

static float
scroll_offset (ScopeFeatureGrid *self)
{
  return self->vadjustment != NULL ? (float) gtk_adjustment_get_value (self->vadjustment) : 0.0f;
}

static void
tile_bounds_at (ScopeFeatureGrid *self,
                int               position,
                graphene_rect_t  *bounds)
{
  int row = position / self->columns, column = position % self->columns;

  graphene_rect_init (bounds,
                      self->origin_x + column * (self->tile_width + self->gap),
                      MARGIN + row * (self->tile_height + self->gap) - scroll_offset (self),
                      self->tile_width, self->tile_height);
}

static int
position_of_channel (ScopeFeatureGrid *self,
                     int               channel)
{
  if (self->order == NULL)
    return -1;
  for (int i = 0; i < self->capture->channels; i++)
    if (self->order[i] == channel)
      return i;
  return -1;
}

/* The display position under (@x, @y) and the unit there, or -1. */
static int
hit_test (ScopeFeatureGrid *self,
          double            x,
          double            y,
          int              *unit_y,
          int              *unit_x)
{
  double content_y, column_f, row_f, within_x, within_y;
  int column, row, position;

  if (self->capture == NULL || self->columns == 0)
    return -1;
  content_y = y + scroll_offset (self) - MARGIN;
  column_f = (x - self->origin_x) / (self->tile_width + self->gap);
  row_f = content_y / (self->tile_height + self->gap);
  if (column_f < 0 || row_f < 0)
    return -1;
  column = (int) column_f;
  row = (int) row_f;
  within_x = x - self->origin_x - column * (self->tile_width + self->gap);
  within_y = content_y - row * (self->tile_height + self->gap);
  if (column >= self->columns || within_x >= self->tile_width || within_y >= self->tile_height)
    return -1;
  position = row * self->columns + column;
  if (position >= self->capture->channels)
    return -1;
  *unit_x = CLAMP ((int) (within_x / self->tile_width * self->capture->width), 0,
                   self->capture->width - 1);
  *unit_y = CLAMP ((int) (within_y / self->tile_height * self->capture->height), 0,
                   self->capture->height - 1);
  return position;
}

/* ---- drawing ---- */

static GdkTexture *
ensure_texture (ScopeFeatureGrid *self,
                int               channel)
{
  GdkTexture *texture = g_ptr_array_index (self->textures, channel);

  if (texture == NULL)
    {
      texture = scope_map_render_channel (self->capture, channel, self->normalization, self->lut,
                                          MAX (1, self->texture_scale));
      g_ptr_array_index (self->textures, channel) = texture;
    }
  return texture;
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
  GdkRGBA accent, fg, marker_light = { 1, 1, 1, 0.95f }, marker_dark = { 0, 0, 0, 0.6f };

  if (self->capture == NULL || self->columns == 0)
    return;

  scope_draw_lookup_color (widget, "accent_color", "#3584e4", &accent);
  scope_draw_get_fg_color (widget, &fg);
  vector = self->capture->height * self->capture->width == 1;

  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));

  offset = scroll_offset (self);
  pitch = self->tile_height + self->gap;
  first_row = MAX (0, (int) floorf ((offset - MARGIN) / pitch));
  last_row = MIN (self->rows - 1, (int) ceilf ((offset + height - MARGIN) / pitch));

  for (int row = first_row; row <= last_row; row++)
    for (int column = 0; column < self->columns; column++)
      {
        int position = row * self->columns + column;
        int channel;
        graphene_rect_t bounds;

        if (position >= self->capture->channels)
          break;
        channel = self->order[position];
        tile_bounds_at (self, position, &bounds);
        gtk_snapshot_append_texture (snapshot, ensure_texture (self, channel), &bounds);

        if (!vector && self->unit_y >= 0 && self->unit_x >= 0)
          {
            float unit_w = bounds.size.width / self->capture->width;
            float unit_h = bounds.size.height / self->capture->height;
            graphene_rect_t unit = GRAPHENE_RECT_INIT (bounds.origin.x + self->unit_x * unit_w,
                                                       bounds.origin.y + self->unit_y * unit_h,
                                                       unit_w, unit_h);
            graphene_rect_t outer;

            graphene_rect_inset_r (&unit, -1.0f, -1.0f, &outer);
            gtk_snapshot_push_clip (snapshot, &bounds);
            scope_draw_outline (snapshot, &outer, 1.0f, &marker_dark);
            scope_draw_outline (snapshot, &unit, MIN (1.0f, unit_w / 3.0f), &marker_light);
            gtk_snapshot_pop (snapshot);
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
      float tile_w, tile_h, gap;
      int scale;

      compute_tile (self, &tile_w, &tile_h, &gap, &scale);
      *minimum = (int) (tile_w + 2 * MARGIN);
      *natural = (int) (8 * (tile_w + gap) + 2 * MARGIN);
    }
  else
    {
      compute_layout (self, for_size > 0 ? for_size : 600);
      *natural = (int) ceilf (self->content_height);
    }
}

static void
configure_adjustments (ScopeFeatureGrid *self)
{
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));

  if (self->vadjustment != NULL)
    {
      double upper = MAX (self->content_height, height);
      double value = CLAMP (gtk_adjustment_get_value (self->vadjustment), 0, upper - height);

      gtk_adjustment_configure (self->vadjustment, value, 0, upper,
                                self->tile_height + self->gap, height * 0.9, height);
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
  configure_adjustments (self);
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
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HOVER_CHANNEL]);
}

static void
on_motion (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           ScopeFeatureGrid         *self)
{
  int unit_y = -1, unit_x = -1;
  int position = hit_test (self, x, y, &unit_y, &unit_x);

  if (position < 0)
    {
      set_hover (self, -1);
      return;
    }
  set_hover (self, self->order[position]);
  scope_feature_grid_set_unit (self, unit_y, unit_x);
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
  g_signal_emit (self, signals[CHANNEL_ACTIVATED], 0, channel);
}

static void
on_click_released (GtkGestureClick  *gesture,
                   int               n_press,
                   double            x,
                   double            y,
                   ScopeFeatureGrid *self)
{
  int unit_y, unit_x;
  int position = hit_test (self, x, y, &unit_y, &unit_x);

  if (position < 0)
    return;
  gtk_widget_grab_focus (GTK_WIDGET (self));
  scope_feature_grid_set_unit (self, unit_y, unit_x);
  activate_channel (self, self->order[position]);
}

static void
scroll_to_position (ScopeFeatureGrid *self,
                    int               position)
{
  graphene_rect_t bounds;
  double value, height;

  if (self->vadjustment == NULL || self->columns == 0)
    return;
  tile_bounds_at (self, position, &bounds);
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

  if (self->capture == NULL || (state & (GDK_CONTROL_MASK | GDK_ALT_MASK)) != 0)
    return GDK_EVENT_PROPAGATE;
  n = self->capture->channels;
  position = MAX (0, position_of_channel (self, self->selected_channel));

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
      step = -self->columns;
      break;
    case GDK_KEY_Down:
    case GDK_KEY_KP_Down:
      step = self->columns;
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
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ZOOM]);
  gtk_widget_queue_resize (GTK_WIDGET (self));
  return GDK_EVENT_STOP;
}

/* ---- GtkScrollable ---- */

static void
on_adjustment_value_changed (GtkAdjustment    *adjustment,
                             ScopeFeatureGrid *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
set_adjustment (ScopeFeatureGrid  *self,
                GtkAdjustment    **slot,
                GtkAdjustment     *adjustment)
{
  if (*slot == adjustment && adjustment != NULL)
    return;
  if (*slot != NULL)
    {
      g_signal_handlers_disconnect_by_func (*slot, on_adjustment_value_changed, self);
      g_clear_object (slot);
    }
  if (adjustment == NULL)
    adjustment = gtk_adjustment_new (0, 0, 0, 0, 0, 0);
  *slot = g_object_ref_sink (adjustment);
  g_signal_connect (adjustment, "value-changed", G_CALLBACK (on_adjustment_value_changed), self);
  configure_adjustments (self);
}

/* ---- GObject ---- */

static void
scope_feature_grid_dispose (GObject *object)
{
  ScopeFeatureGrid *self = SCOPE_FEATURE_GRID (object);

  if (self->hadjustment != NULL)
    g_signal_handlers_disconnect_by_func (self->hadjustment, on_adjustment_value_changed, self);
  if (self->vadjustment != NULL)
    g_signal_handlers_disconnect_by_func (self->vadjustment, on_adjustment_value_changed, self);
  g_clear_object (&self->hadjustment);
  g_clear_object (&self->vadjustment);
  g_clear_pointer (&self->textures, g_ptr_array_unref);
  g_clear_pointer (&self->capture, scope_capture_unref);
  g_clear_pointer (&self->order, g_free);

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
    case PROP_COLORMAP:
      g_value_set_enum (value, self->colormap);
      break;
    case PROP_NORMALIZATION:
      g_value_set_enum (value, self->normalization);
      break;
    case PROP_SORT_BY_ACTIVATION:
      g_value_set_boolean (value, self->sort_by_activation);
      break;
    case PROP_SELECTED_CHANNEL:
      g_value_set_int (value, self->selected_channel);
      break;
    case PROP_HOVER_CHANNEL:
      g_value_set_int (value, self->hover_channel);
      break;
    case PROP_UNIT_Y:
      g_value_set_int (value, self->unit_y);
      break;
    case PROP_UNIT_X:
      g_value_set_int (value, self->unit_x);
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
    case PROP_COLORMAP:
      scope_feature_grid_set_colormap (self, g_value_get_enum (value));
      break;
    case PROP_NORMALIZATION:
      scope_feature_grid_set_normalization (self, g_value_get_enum (value));
      break;
    case PROP_SORT_BY_ACTIVATION:
      scope_feature_grid_set_sort_by_activation (self, g_value_get_boolean (value));
      break;
    case PROP_SELECTED_CHANNEL:
      scope_feature_grid_set_selected_channel (self, g_value_get_int (value));
      break;
    case PROP_UNIT_Y:
      scope_feature_grid_set_unit (self, g_value_get_int (value), self->unit_x);
      break;
    case PROP_UNIT_X:
      scope_feature_grid_set_unit (self, self->unit_y, g_value_get_int (value));
      break;
    case PROP_ZOOM:
      self->zoom = g_value_get_double (value);
      gtk_widget_queue_resize (GTK_WIDGET (self));
      break;
    case PROP_HADJUSTMENT:
      set_adjustment (self, &self->hadjustment, g_value_get_object (value));
      break;
    case PROP_VADJUSTMENT:
      set_adjustment (self, &self->vadjustment, g_value_get_object (value));
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
  properties[PROP_COLORMAP] =
    g_param_spec_enum ("colormap", NULL, NULL, SCOPE_TYPE_COLORMAP, SCOPE_COLORMAP_VIRIDIS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NORMALIZATION] =
    g_param_spec_enum ("normalization", NULL, NULL, SCOPE_TYPE_NORMALIZATION,
                       SCOPE_NORMALIZATION_CHANNEL,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SORT_BY_ACTIVATION] =
    g_param_spec_boolean ("sort-by-activation", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SELECTED_CHANNEL] =
    g_param_spec_int ("selected-channel", NULL, NULL, -1, G_MAXINT, -1,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HOVER_CHANNEL] =
    g_param_spec_int ("hover-channel", NULL, NULL, -1, G_MAXINT, -1,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_UNIT_Y] =
    g_param_spec_int ("unit-y", NULL, NULL, -1, G_MAXINT, -1,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_UNIT_X] =
    g_param_spec_int ("unit-x", NULL, NULL, -1, G_MAXINT, -1,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
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
  GtkEventController *controller;

  self->selected_channel = -1;
  self->hover_channel = -1;
  self->unit_y = self->unit_x = -1;
  self->zoom = 1.0;
  scope_colormap_fill_lut (self->colormap, self->lut);

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);

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
  gboolean same_shape;

  g_return_if_fail (SCOPE_IS_FEATURE_GRID (self));

  if (self->capture == capture)
    return;

  same_shape = self->capture != NULL && capture != NULL
               && self->capture->channels == capture->channels
               && self->capture->height == capture->height
               && self->capture->width == capture->width;

  g_clear_pointer (&self->textures, g_ptr_array_unref);
  g_clear_pointer (&self->capture, scope_capture_unref);
  if (capture != NULL)
    {
      self->capture = scope_capture_ref (capture);
      self->textures = g_ptr_array_new_full ((guint) capture->channels, unref_texture);
      g_ptr_array_set_size (self->textures, capture->channels);
    }
  update_order (self);

  if (!same_shape)
    {
      self->selected_channel = -1;
      self->unit_y = self->unit_x = -1;
      if (self->vadjustment != NULL)
        gtk_adjustment_set_value (self->vadjustment, 0);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_CHANNEL]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNIT_Y]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNIT_X]);
    }
  self->hover_channel = -1;
  self->texture_scale = -1;

  update_accessible_description (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
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

void
scope_feature_grid_set_colormap (ScopeFeatureGrid *self,
                                 ScopeColormap     colormap)
{
  g_return_if_fail (SCOPE_IS_FEATURE_GRID (self));

  if (self->colormap == colormap)
    return;
  self->colormap = colormap;
  scope_colormap_fill_lut (colormap, self->lut);
  invalidate_textures (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COLORMAP]);
}

ScopeColormap
scope_feature_grid_get_colormap (ScopeFeatureGrid *self)
{
  g_return_val_if_fail (SCOPE_IS_FEATURE_GRID (self), SCOPE_COLORMAP_VIRIDIS);
  return self->colormap;
}

void
scope_feature_grid_set_normalization (ScopeFeatureGrid   *self,
                                      ScopeNormalization  normalization)
{
  g_return_if_fail (SCOPE_IS_FEATURE_GRID (self));

  if (self->normalization == normalization)
    return;
  self->normalization = normalization;
  invalidate_textures (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NORMALIZATION]);
}

ScopeNormalization
scope_feature_grid_get_normalization (ScopeFeatureGrid *self)
{
  g_return_val_if_fail (SCOPE_IS_FEATURE_GRID (self), SCOPE_NORMALIZATION_CHANNEL);
  return self->normalization;
}

void
scope_feature_grid_set_sort_by_activation (ScopeFeatureGrid *self,
                                           gboolean          sort)
{
  g_return_if_fail (SCOPE_IS_FEATURE_GRID (self));

  sort = !!sort;
  if (self->sort_by_activation == sort)
    return;
  self->sort_by_activation = sort;
  update_order (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SORT_BY_ACTIVATION]);
}

gboolean
scope_feature_grid_get_sort_by_activation (ScopeFeatureGrid *self)
{
  g_return_val_if_fail (SCOPE_IS_FEATURE_GRID (self), FALSE);
  return self->sort_by_activation;
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

void
scope_feature_grid_set_unit (ScopeFeatureGrid *self,
                             int               y,
                             int               x)
{
  g_return_if_fail (SCOPE_IS_FEATURE_GRID (self));

  if (self->capture == NULL || y < 0 || x < 0
      || y >= self->capture->height || x >= self->capture->width)
    y = x = -1;
  if (self->unit_y == y && self->unit_x == x)
    return;

  g_object_freeze_notify (G_OBJECT (self));
  if (self->unit_y != y)
    {
      self->unit_y = y;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNIT_Y]);
    }
  if (self->unit_x != x)
    {
      self->unit_x = x;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNIT_X]);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_thaw_notify (G_OBJECT (self));
}

void
scope_feature_grid_get_unit (ScopeFeatureGrid *self,
                             int              *y,
                             int              *x)
{
  g_return_if_fail (SCOPE_IS_FEATURE_GRID (self));

  if (y != NULL)
    *y = self->unit_y;
  if (x != NULL)
    *x = self->unit_x;
}

int
scope_feature_grid_get_hover_channel (ScopeFeatureGrid *self)
{
  g_return_val_if_fail (SCOPE_IS_FEATURE_GRID (self), -1);
  return self->hover_channel;
}

gboolean
scope_feature_grid_get_tile_bounds (ScopeFeatureGrid *self,
                                    int               channel,
                                    graphene_rect_t  *bounds)
{
  int position;

  g_return_val_if_fail (SCOPE_IS_FEATURE_GRID (self), FALSE);
  g_return_val_if_fail (bounds != NULL, FALSE);

  position = position_of_channel (self, channel);
  if (position < 0 || self->columns == 0)
    return FALSE;
  tile_bounds_at (self, position, bounds);
  return TRUE;
}

GdkTexture *
scope_feature_grid_render (ScopeFeatureGrid *self)
{
  static const guint8 gap[3] = { 0x30, 0x30, 0x30 };
  int columns, scale;

  g_return_val_if_fail (SCOPE_IS_FEATURE_GRID (self), NULL);

  if (self->capture == NULL)
    return NULL;
  columns = (int) ceil (sqrt ((double) self->capture->channels));
  scale = MAX (1, 64 / MAX (self->capture->width, 1));
  if (self->capture->width * self->capture->height == 1)
    scale = 12;
  return scope_map_render_grid (self->capture, self->order, columns, self->normalization,
                                self->lut, scale, gap);
}
