/* scope-draw.c — small helpers the custom-drawn views share (theme colours, text)
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "scope-draw.h"

void
scope_draw_lookup_color (GtkWidget  *widget,
                         const char *name,
                         const char *fallback,
                         GdkRGBA    *color)
{
  GtkStyleContext *context;
  gboolean found;

  /* GTK 4.10 deprecates style-context colour lookups without a replacement for named
   * colours; 4.8 has nothing else. */
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  context = gtk_widget_get_style_context (widget);
  found = gtk_style_context_lookup_color (context, name, color);
  G_GNUC_END_IGNORE_DEPRECATIONS

  if (!found && !gdk_rgba_parse (color, fallback))
    *color = (GdkRGBA) { 0.5f, 0.5f, 0.5f, 1.0f };
}

void
scope_draw_get_fg_color (GtkWidget *widget,
                         GdkRGBA   *color)
{
#if GTK_CHECK_VERSION (4, 10, 0)
  gtk_widget_get_color (widget, color);
#else
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), color);
#endif
}

void
scope_draw_outline (GtkSnapshot           *snapshot,
                    const graphene_rect_t *bounds,
                    float                  width,
                    const GdkRGBA         *color)
{
  GskRoundedRect outline;
  const float widths[4] = { width, width, width, width };
  const GdkRGBA colors[4] = { *color, *color, *color, *color };

  gsk_rounded_rect_init_from_rect (&outline, bounds, 0);
  gtk_snapshot_append_border (snapshot, &outline, widths, colors);
}

static gboolean
renders_with_cairo (GtkWidget *widget)
{
  GtkNative *native = gtk_widget_get_native (widget);
  GskRenderer *renderer = native != NULL ? gtk_native_get_renderer (native) : NULL;

  return renderer != NULL && GSK_IS_CAIRO_RENDERER (renderer);
}

#define SURFACE_KEY "scope-draw-cairo-surface"

GdkTexture *
scope_draw_texture_new_bgra (int     width,
                             int     height,
                             GBytes *bytes)
{
  static const cairo_user_data_key_t bytes_key;
  GdkTexture *texture;
  cairo_surface_t *surface;
  gsize stride = (gsize) width * 4;

  g_return_val_if_fail (width > 0 && height > 0, NULL);
  g_return_val_if_fail (g_bytes_get_size (bytes) >= stride * height, NULL);

  texture = gdk_memory_texture_new (width, height, GDK_MEMORY_B8G8R8A8_PREMULTIPLIED, bytes,
                                    stride);
  /* cairo's ARGB32 rows are 4 × width bytes: the same memory serves both */
  if (cairo_format_stride_for_width (CAIRO_FORMAT_ARGB32, width) != (int) stride
      || G_BYTE_ORDER != G_LITTLE_ENDIAN)
    return texture;
  surface = cairo_image_surface_create_for_data ((guchar *) g_bytes_get_data (bytes, NULL),
                                                 CAIRO_FORMAT_ARGB32, width, height,
                                                 (int) stride);
  cairo_surface_set_user_data (surface, &bytes_key, g_bytes_ref (bytes),
                               (cairo_destroy_func_t) g_bytes_unref);
  g_object_set_data_full (G_OBJECT (texture), SURFACE_KEY, surface,
                          (GDestroyNotify) cairo_surface_destroy);
  return texture;
}

/* @texture's pixels as a cairo image surface, made on first use and kept with the texture. */
static cairo_surface_t *
texture_surface (GdkTexture *texture)
{
  static const char key[] = SURFACE_KEY;
  cairo_surface_t *surface = g_object_get_data (G_OBJECT (texture), key);

  if (surface == NULL)
    {
      surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32,
                                            gdk_texture_get_width (texture),
                                            gdk_texture_get_height (texture));
      if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
        {
          cairo_surface_destroy (surface);
          return NULL;
        }
      /* gdk_texture_download() writes cairo's ARGB32 layout */
      gdk_texture_download (texture, cairo_image_surface_get_data (surface),
                            (gsize) cairo_image_surface_get_stride (surface));
      cairo_surface_mark_dirty (surface);
      g_object_set_data_full (G_OBJECT (texture), key, surface,
                              (GDestroyNotify) cairo_surface_destroy);
    }
  return surface;
}

cairo_surface_t *
scope_draw_texture_get_surface (GdkTexture *texture)
{
  g_return_val_if_fail (GDK_IS_TEXTURE (texture), NULL);
  return texture_surface (texture);
}

void
scope_draw_texture (GtkSnapshot           *snapshot,
                    GtkWidget             *widget,
                    GdkTexture            *texture,
                    const graphene_rect_t *bounds)
{
  if (renders_with_cairo (widget))
    scope_draw_texture_kept (snapshot, texture, bounds);
  else
    gtk_snapshot_append_texture (snapshot, texture, bounds);
}

/* The kept surface reaches the node's recording as a raster source, by reference: painted
 * as a plain surface pattern, the recording would hold a copy-on-write snapshot of it, and
 * when the texture went first (a new picture or camera frame replaces it while GTK still
 * holds the last frame's nodes) cairo would copy every such picture just to free it —
 * 640 × 480 thirty times a second on the main thread while a camera plays. The pixels of a
 * texture never change, so sharing them is safe. */
static cairo_surface_t *
kept_acquire (cairo_pattern_t             *pattern,
              void                        *surface,
              cairo_surface_t             *target,
              const cairo_rectangle_int_t *extents)
{
  return cairo_surface_reference (surface);
}

static void
kept_release (cairo_pattern_t *pattern,
              void            *data,
              cairo_surface_t *surface)
{
  cairo_surface_destroy (surface);
}

static cairo_status_t
kept_copy (cairo_pattern_t       *pattern,
           void                  *surface,
           const cairo_pattern_t *other)
{
  cairo_surface_reference (surface);   /* each copy holds the surface until its finish */
  return CAIRO_STATUS_SUCCESS;
}

static void
kept_finish (cairo_pattern_t *pattern,
             void            *surface)
{
  cairo_surface_destroy (surface);
}

void
scope_draw_texture_kept (GtkSnapshot           *snapshot,
                         GdkTexture            *texture,
                         const graphene_rect_t *bounds)
{
  cairo_surface_t *surface;
  cairo_pattern_t *pattern;
  cairo_matrix_t matrix;
  cairo_t *cr;

  if (bounds->size.width <= 0 || bounds->size.height <= 0)
    return;
  if ((surface = texture_surface (texture)) == NULL)
    {
      gtk_snapshot_append_texture (snapshot, texture, bounds);
      return;
    }

  /* what GTK's texture node does under Cairo: the picture stretched over the bounds, its
   * edge pixels extended */
  cr = gtk_snapshot_append_cairo (snapshot, bounds);
  pattern = cairo_pattern_create_raster_source (cairo_surface_reference (surface),
                                                CAIRO_CONTENT_COLOR_ALPHA,
                                                gdk_texture_get_width (texture),
                                                gdk_texture_get_height (texture));
  cairo_raster_source_pattern_set_acquire (pattern, kept_acquire, kept_release);
  cairo_raster_source_pattern_set_copy (pattern, kept_copy);
  cairo_raster_source_pattern_set_finish (pattern, kept_finish);
  cairo_pattern_set_extend (pattern, CAIRO_EXTEND_PAD);
  cairo_matrix_init_scale (&matrix, gdk_texture_get_width (texture) / bounds->size.width,
                           gdk_texture_get_height (texture) / bounds->size.height);
  cairo_matrix_translate (&matrix, -bounds->origin.x, -bounds->origin.y);
  cairo_pattern_set_matrix (pattern, &matrix);
  cairo_set_source (cr, pattern);
  cairo_rectangle (cr, bounds->origin.x, bounds->origin.y, bounds->size.width,
                   bounds->size.height);
  cairo_fill (cr);
  cairo_pattern_destroy (pattern);
  cairo_destroy (cr);
}

void
scope_draw_layout (GtkSnapshot   *snapshot,
                   PangoLayout   *layout,
                   float          x,
                   float          y,
                   const GdkRGBA *color)
{
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

graphene_rect_t
scope_draw_units_rect (const graphene_rect_t *map,
                       int                    map_height,
                       int                    map_width,
                       const VggRect         *units)
{
  float unit_w = map->size.width / map_width, unit_h = map->size.height / map_height;

  return GRAPHENE_RECT_INIT (map->origin.x + units->x * unit_w, map->origin.y + units->y * unit_h,
                             units->width * unit_w, units->height * unit_h);
}

void
scope_draw_unit_marker (GtkSnapshot           *snapshot,
                        const graphene_rect_t *map,
                        int                    map_height,
                        int                    map_width,
                        int                    y,
                        int                    x)
{
  static const GdkRGBA light = { 1, 1, 1, 0.95f }, dark = { 0, 0, 0, 0.6f };
  VggRect one = { .x = x, .y = y, .width = 1, .height = 1 };
  graphene_rect_t unit = scope_draw_units_rect (map, map_height, map_width, &one), outer;

  graphene_rect_inset_r (&unit, -1.0f, -1.0f, &outer);
  gtk_snapshot_push_clip (snapshot, map);
  scope_draw_outline (snapshot, &outer, 1.0f, &dark);
  scope_draw_outline (snapshot, &unit, CLAMP (unit.size.width / 4.0f, 1.0f, 2.0f), &light);
  gtk_snapshot_pop (snapshot);
}
