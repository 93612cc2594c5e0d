/* scope-image-view.c — the input picture beside what the network sees, with the receptive field
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "scope-draw.h"
#include "scope-image-view.h"

#define SPACING       16.0f
#define CAPTION_SPACE 24.0f

struct _ScopeImageView
{
  GtkWidget   parent_instance;

  /* owned */
  GdkTexture *original;
  GdkTexture *seen;
  GdkTexture *overlay;       /* laid over the network input (and its place in the original) */

  /* plain state */
  double      overlay_opacity;
  VggPreset   preset;
  VggRect     rect;
  gboolean    has_rect;
  int         pointer_y;     /* network-input pixel under the pointer, or -1 */
  int         pointer_x;
  /* from the last snapshot, for the pointer */
  graphene_rect_t seen_box;
  graphene_rect_t crop_box;  /* the network's input within the original */
  graphene_rect_t window;    /* the same in fractions of the original, when known */
  gboolean        has_window;
};

enum {
  PROP_0,
  PROP_POINTER_Y,
  PROP_POINTER_X,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (ScopeImageView, scope_image_view, GTK_TYPE_WIDGET)

/* Where the network's input lies in the original, in original-picture units, and how many
 * input pixels one original unit is. */
static void
compute_crop (ScopeImageView *self,
              double          original_w,
              double          original_h,
              double         *crop_x,
              double         *crop_y,
              double         *scale_x,
              double         *scale_y)
{
  double seen_w = gdk_texture_get_width (self->seen), seen_h = gdk_texture_get_height (self->seen);
  double s;

  if (self->has_window)
    {
      *crop_x = self->window.origin.x * original_w;
      *crop_y = self->window.origin.y * original_h;
      *scale_x = seen_w / (self->window.size.width * original_w);
      *scale_y = seen_h / (self->window.size.height * original_h);
      return;
    }
  switch (self->preset)
    {
    case VGG_PRESET_CAFFE:
      /* squashed to the input size */
      *scale_x = seen_w / original_w;
      *scale_y = seen_h / original_h;
      *crop_x = *crop_y = 0;
      return;
    case VGG_PRESET_TORCHVISION:
      /* shorter side to 256 (for a 224 input), centre crop */
      s = (256.0 * seen_w / 224.0) / MIN (original_w, original_h);
      break;
    case VGG_PRESET_PLAIN:
    default:
      s = MAX (seen_w / original_w, seen_h / original_h);
      break;
    }
  *scale_x = *scale_y = s;
  *crop_x = (original_w - seen_w / s) / 2;
  *crop_y = (original_h - seen_h / s) / 2;
}

/* Fits a @w × @h picture into @area, centred. */
static graphene_rect_t
fit (const graphene_rect_t *area,
     double                 w,
     double                 h)
{
  double scale = MIN (area->size.width / w, area->size.height / h);
  double fw = floor (w * scale), fh = floor (h * scale);

  return GRAPHENE_RECT_INIT ((float) floor (area->origin.x + (area->size.width - fw) / 2),
                             (float) floor (area->origin.y + (area->size.height - fh) / 2),
                             (float) fw, (float) fh);
}

static void
draw_caption (ScopeImageView        *self,
              GtkSnapshot           *snapshot,
              const char            *text,
              const graphene_rect_t *area,
              float                  y,
              const GdkRGBA         *color)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  int w, h;

  pango_layout_set_width (layout, (int) (area->size.width * PANGO_SCALE));
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
  pango_layout_get_pixel_size (layout, &w, &h);
  scope_draw_layout (snapshot, layout, area->origin.x, y, color);
}

static void
draw_rect_with_label (ScopeImageView        *self,
                      GtkSnapshot           *snapshot,
                      const graphene_rect_t *picture,
                      const graphene_rect_t *rect,
                      const GdkRGBA         *accent,
                      const char            *label)
{
  GdkRGBA fill = scope_draw_alpha (accent, 0.18f), shadow = { 0, 0, 0, 0.55f };
  GdkRGBA white = { 1, 1, 1, 1 };
  graphene_rect_t outer;

  gtk_snapshot_push_clip (snapshot, picture);
  gtk_snapshot_append_color (snapshot, &fill, rect);
  graphene_rect_inset_r (rect, -1, -1, &outer);
  scope_draw_outline (snapshot, &outer, 1, &shadow);
  scope_draw_outline (snapshot, rect, 2, accent);
  gtk_snapshot_pop (snapshot);

  if (label != NULL)
    {
      g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), label);
      PangoAttrList *attrs = pango_attr_list_new ();
      GskRoundedRect pill;
      int w, h;
      float x, y;

      pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
      pango_attr_list_insert (attrs, pango_attr_scale_new (0.85));
      pango_layout_set_attributes (layout, attrs);
      pango_attr_list_unref (attrs);
      pango_layout_get_pixel_size (layout, &w, &h);

      /* above the rectangle, or inside it at the top when there is no room */
      x = CLAMP (rect->origin.x, picture->origin.x,
                 picture->origin.x + picture->size.width - w - 10);
      y = rect->origin.y - h - 6;
      if (y < picture->origin.y)
        y = rect->origin.y + 4;
      gsk_rounded_rect_init_from_rect (&pill, &GRAPHENE_RECT_INIT (x, y, w + 10, h + 2), 4);
      gtk_snapshot_push_rounded_clip (snapshot, &pill);
      gtk_snapshot_append_color (snapshot, accent, &pill.bounds);
      gtk_snapshot_pop (snapshot);
      scope_draw_layout (snapshot, layout, x + 5, y + 1, &white);
    }
}

static void
scope_image_view_snapshot (GtkWidget   *widget,
                           GtkSnapshot *snapshot)
{
  ScopeImageView *self = SCOPE_IMAGE_VIEW (widget);
  float width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  graphene_rect_t left, right, original_box, seen_box;
  double orig_w, orig_h, crop_x, crop_y, scale_x, scale_y, seen_w, seen_h, k;
  g_autofree char *seen_caption = NULL, *size_label = NULL;
  GdkRGBA fg, dim, accent, veil = { 0, 0, 0, 0.5f };

  if (self->original == NULL || self->seen == NULL)
    return;

  scope_draw_get_fg_color (widget, &fg);
  dim = scope_draw_alpha (&fg, 0.7f);
  scope_draw_lookup_color (widget, "accent_bg_color", "#3584e4", &accent);

  graphene_rect_init (&left, 0, 0, (width - SPACING) / 2, height - CAPTION_SPACE);
  graphene_rect_init (&right, (width + SPACING) / 2, 0, (width - SPACING) / 2,
                      height - CAPTION_SPACE);

  orig_w = gdk_texture_get_width (self->original);
  orig_h = gdk_texture_get_height (self->original);
  seen_w = gdk_texture_get_width (self->seen);
  seen_h = gdk_texture_get_height (self->seen);
  original_box = fit (&left, orig_w, orig_h);
  seen_box = fit (&right, seen_w, seen_h);

  scope_draw_texture (snapshot, GTK_WIDGET (self), self->original, &original_box);
  scope_draw_texture (snapshot, GTK_WIDGET (self), self->seen, &seen_box);
  if (self->overlay != NULL)
    {
      gtk_snapshot_push_opacity (snapshot, self->overlay_opacity);
      scope_draw_texture (snapshot, GTK_WIDGET (self), self->overlay, &seen_box);
      gtk_snapshot_pop (snapshot);
    }

  /* veil what the crop leaves out of the original */
  compute_crop (self, orig_w, orig_h, &crop_x, &crop_y, &scale_x, &scale_y);
  k = original_box.size.width / orig_w;
  {
    graphene_rect_t crop = GRAPHENE_RECT_INIT ((float) (original_box.origin.x + crop_x * k),
                                               (float) (original_box.origin.y + crop_y * k),
                                               (float) (seen_w / scale_x * k),
                                               (float) (seen_h / scale_y * k));
    GdkRGBA edge = { 1, 1, 1, 0.8f };

    self->seen_box = seen_box;
    self->crop_box = crop;

    gtk_snapshot_push_clip (snapshot, &original_box);
    if (crop.origin.y > original_box.origin.y)
      {
        gtk_snapshot_append_color (snapshot, &veil,
                                   &GRAPHENE_RECT_INIT (original_box.origin.x,
                                                        original_box.origin.y,
                                                        original_box.size.width,
                                                        crop.origin.y - original_box.origin.y));
        gtk_snapshot_append_color (snapshot, &veil,
                                   &GRAPHENE_RECT_INIT (original_box.origin.x,
                                                        crop.origin.y + crop.size.height,
                                                        original_box.size.width,
                                                        original_box.size.height));
      }
    if (crop.origin.x > original_box.origin.x)
      {
        gtk_snapshot_append_color (snapshot, &veil,
                                   &GRAPHENE_RECT_INIT (original_box.origin.x, crop.origin.y,
                                                        crop.origin.x - original_box.origin.x,
                                                        crop.size.height));
        gtk_snapshot_append_color (snapshot, &veil,
                                   &GRAPHENE_RECT_INIT (crop.origin.x + crop.size.width,
                                                        crop.origin.y, original_box.size.width,
                                                        crop.size.height));
      }
    if (self->overlay != NULL)
      {
        gtk_snapshot_push_opacity (snapshot, self->overlay_opacity);
        scope_draw_texture (snapshot, GTK_WIDGET (self), self->overlay, &crop);
        gtk_snapshot_pop (snapshot);
      }
    if (self->preset != VGG_PRESET_CAFFE)
      scope_draw_outline (snapshot, &crop, 1, &edge);
    gtk_snapshot_pop (snapshot);

    if (self->has_rect)
      {
        double sk = seen_box.size.width / seen_w;
        graphene_rect_t on_seen = GRAPHENE_RECT_INIT ((float) (seen_box.origin.x + self->rect.x * sk),
                                                      (float) (seen_box.origin.y + self->rect.y * sk),
                                                      (float) (self->rect.width * sk),
                                                      (float) (self->rect.height * sk));
        graphene_rect_t on_original =
          GRAPHENE_RECT_INIT ((float) (crop.origin.x + self->rect.x / scale_x * k),
                              (float) (crop.origin.y + self->rect.y / scale_y * k),
                              (float) (self->rect.width / scale_x * k),
                              (float) (self->rect.height / scale_y * k));

        /* Translators: the receptive field's size on the input picture, width × height */
        size_label = g_strdup_printf (_("%d × %d px"), self->rect.width, self->rect.height);
        draw_rect_with_label (self, snapshot, &seen_box, &on_seen, &accent, size_label);
        draw_rect_with_label (self, snapshot, &original_box, &on_original, &accent, NULL);
      }
  }

  /* Translators: caption under the original picture */
  draw_caption (self, snapshot, _("Original"), &left, height - CAPTION_SPACE + 4, &dim);
  /* Translators: caption under the network's input; %d × %d is its size in pixels */
  seen_caption = g_strdup_printf (_("Network input, %d × %d"), (int) seen_w, (int) seen_h);
  draw_caption (self, snapshot, seen_caption, &right, height - CAPTION_SPACE + 4, &dim);
}

static void
scope_image_view_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 240;
      *natural = 360;
    }
  else
    {
      /* two square-ish pictures side by side */
      int width = for_size > 0 ? for_size : 360;

      *minimum = 120;
      *natural = (int) ((width - SPACING) / 2 + CAPTION_SPACE);
    }
}

static GtkSizeRequestMode
scope_image_view_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
scope_image_view_dispose (GObject *object)
{
  ScopeImageView *self = SCOPE_IMAGE_VIEW (object);

  g_clear_object (&self->original);
  g_clear_object (&self->seen);
  g_clear_object (&self->overlay);

  G_OBJECT_CLASS (scope_image_view_parent_class)->dispose (object);
}

static void
set_pointer (ScopeImageView *self,
             int             y,
             int             x)
{
  if (y < 0 || x < 0)
    y = x = -1;
  if (self->pointer_y == y && self->pointer_x == x)
    return;
  g_object_freeze_notify (G_OBJECT (self));
  self->pointer_y = y;
  self->pointer_x = x;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POINTER_Y]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POINTER_X]);
  g_object_thaw_notify (G_OBJECT (self));
}

/* The network-input pixel at (@px, @py) on either picture. */
static void
on_motion (GtkEventControllerMotion *controller,
           double                    px,
           double                    py,
           ScopeImageView           *self)
{
  graphene_point_t point = GRAPHENE_POINT_INIT ((float) px, (float) py);
  const graphene_rect_t *box = NULL;
  double seen_w, seen_h;

  if (self->seen == NULL)
    return;
  if (graphene_rect_contains_point (&self->seen_box, &point))
    box = &self->seen_box;
  else if (graphene_rect_contains_point (&self->crop_box, &point))
    box = &self->crop_box;
  if (box == NULL || box->size.width <= 0 || box->size.height <= 0)
    {
      set_pointer (self, -1, -1);
      return;
    }
  seen_w = gdk_texture_get_width (self->seen);
  seen_h = gdk_texture_get_height (self->seen);
  set_pointer (self,
               CLAMP ((int) ((py - box->origin.y) / box->size.height * seen_h), 0, (int) seen_h - 1),
               CLAMP ((int) ((px - box->origin.x) / box->size.width * seen_w), 0, (int) seen_w - 1));
}

static void
on_leave (GtkEventControllerMotion *controller,
          ScopeImageView           *self)
{
  set_pointer (self, -1, -1);
}

static void
scope_image_view_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  ScopeImageView *self = SCOPE_IMAGE_VIEW (object);

  switch (prop_id)
    {
    case PROP_POINTER_Y:
      g_value_set_int (value, self->pointer_y);
      break;
    case PROP_POINTER_X:
      g_value_set_int (value, self->pointer_x);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
scope_image_view_class_init (ScopeImageViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = scope_image_view_dispose;
  object_class->get_property = scope_image_view_get_property;

  properties[PROP_POINTER_Y] =
    g_param_spec_int ("pointer-y", NULL, NULL, -1, G_MAXINT, -1,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_POINTER_X] =
    g_param_spec_int ("pointer-x", NULL, NULL, -1, G_MAXINT, -1,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  widget_class->snapshot = scope_image_view_snapshot;
  widget_class->measure = scope_image_view_measure;
  widget_class->get_request_mode = scope_image_view_get_request_mode;

  gtk_widget_class_set_css_name (widget_class, "imageview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
scope_image_view_init (ScopeImageView *self)
{
  GtkEventController *motion = gtk_event_controller_motion_new ();

  self->pointer_y = self->pointer_x = -1;
  g_signal_connect (motion, "motion", G_CALLBACK (on_motion), self);
  g_signal_connect (motion, "leave", G_CALLBACK (on_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  /* Translators: accessible name of the input pictures */
                                  _("Input picture and network input"), -1);
}

GtkWidget *
scope_image_view_new (void)
{
  return g_object_new (SCOPE_TYPE_IMAGE_VIEW, NULL);
}

void
scope_image_view_set_pictures (ScopeImageView *self,
                               GdkTexture     *original,
                               GdkTexture     *seen,
                               VggPreset       preset)
{
  g_return_if_fail (SCOPE_IS_IMAGE_VIEW (self));
  g_return_if_fail (original == NULL || GDK_IS_TEXTURE (original));
  g_return_if_fail (seen == NULL || GDK_IS_TEXTURE (seen));

  g_set_object (&self->original, original);
  g_set_object (&self->seen, seen);
  self->preset = preset;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
scope_image_view_set_input_window (ScopeImageView        *self,
                                   const graphene_rect_t *window)
{
  g_return_if_fail (SCOPE_IS_IMAGE_VIEW (self));

  self->has_window = window != NULL && window->size.width > 0 && window->size.height > 0;
  if (self->has_window)
    self->window = *window;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

GdkTexture *
scope_image_view_get_seen (ScopeImageView *self)
{
  g_return_val_if_fail (SCOPE_IS_IMAGE_VIEW (self), NULL);
  return self->seen;
}

void
scope_image_view_set_receptive_rect (ScopeImageView *self,
                                     const VggRect  *rect)
{
  g_autofree char *description = NULL;

  g_return_if_fail (SCOPE_IS_IMAGE_VIEW (self));

  if (rect == NULL && !self->has_rect)
    return;
  if (rect != NULL && self->has_rect && rect->x == self->rect.x && rect->y == self->rect.y
      && rect->width == self->rect.width && rect->height == self->rect.height)
    return;

  self->has_rect = rect != NULL;
  if (rect != NULL)
    {
      self->rect = *rect;
      /* Translators: accessible description of the receptive field: width, height, x, y */
      description = g_strdup_printf (_("Receptive field: %d × %d pixels at %d, %d"),
                                     rect->width, rect->height, rect->x, rect->y);
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  description != NULL ? description : "", -1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gboolean
scope_image_view_get_receptive_rect (ScopeImageView *self,
                                     VggRect        *rect)
{
  g_return_val_if_fail (SCOPE_IS_IMAGE_VIEW (self), FALSE);

  if (self->has_rect && rect != NULL)
    *rect = self->rect;
  return self->has_rect;
}

void
scope_image_view_set_overlay (ScopeImageView *self,
                              GdkTexture     *overlay,
                              double          opacity)
{
  g_return_if_fail (SCOPE_IS_IMAGE_VIEW (self));
  g_return_if_fail (overlay == NULL || GDK_IS_TEXTURE (overlay));

  if (self->overlay == overlay && self->overlay_opacity == opacity)
    return;
  g_set_object (&self->overlay, overlay);
  self->overlay_opacity = CLAMP (opacity, 0.0, 1.0);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

GdkTexture *
scope_image_view_get_overlay (ScopeImageView *self)
{
  g_return_val_if_fail (SCOPE_IS_IMAGE_VIEW (self), NULL);
  return self->overlay;
}

void
scope_image_view_get_pointer (ScopeImageView *self,
                              int            *y,
                              int            *x)
{
  g_return_if_fail (SCOPE_IS_IMAGE_VIEW (self));

  if (y != NULL)
    *y = self->pointer_y;
  if (x != NULL)
    *x = self->pointer_x;
}
