/* scope-draw.h — small helpers the custom-drawn views share (theme colours, text)
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "vgg.h"

G_BEGIN_DECLS

/* The named colour @name of the current theme (libadwaita's "accent_bg_color",
 * "window_fg_color", …), or @fallback (a CSS colour string). Follows dark mode. */
void scope_draw_lookup_color (GtkWidget  *widget,
                              const char *name,
                              const char *fallback,
                              GdkRGBA    *color);

/* The widget's foreground colour. */
void scope_draw_get_fg_color (GtkWidget *widget,
                              GdkRGBA   *color);

/* @color with its alpha multiplied by @alpha. */
static inline GdkRGBA
scope_draw_alpha (const GdkRGBA *color,
                  float          alpha)
{
  GdkRGBA result = *color;

  result.alpha *= alpha;
  return result;
}

/* A rectangle outline of @width pixels inside @bounds. */
void scope_draw_outline (GtkSnapshot           *snapshot,
                         const graphene_rect_t *bounds,
                         float                  width,
                         const GdkRGBA         *color);

/* Where @units (rows and columns of a @map_height × @map_width map) lie on the map drawn at
 * @map. */
graphene_rect_t scope_draw_units_rect (const graphene_rect_t *map,
                                       int                    map_height,
                                       int                    map_width,
                                       const VggRect         *units);
/* The mark of unit (@y, @x) on the map drawn at @map: a light square in a dark ring, seen on
 * any colour map, clipped to the map. */
void scope_draw_unit_marker (GtkSnapshot           *snapshot,
                             const graphene_rect_t *map,
                             int                    map_height,
                             int                    map_width,
                             int                    y,
                             int                    x);

/* Draws @texture scaled into @bounds, as gtk_snapshot_append_texture() does. Under GTK's
 * Cairo renderer the pixels come from a cairo image surface made once per texture and kept
 * with it: GTK 4.8's Cairo renderer otherwise converts every texture it draws, through
 * floats, on every frame the window paints — even frames that change nothing near it — which
 * kept the main thread busy while a network runs (15 ms a frame for a grid of 64 maps). */
void scope_draw_texture (GtkSnapshot           *snapshot,
                         GtkWidget             *widget,
                         GdkTexture            *texture,
                         const graphene_rect_t *bounds);

/* A texture of @width × @height pixels in cairo's own layout (ARGB32: B, G, R, A in memory on
 * a little-endian machine, premultiplied, rows of 4 × @width bytes), whose kept surface shares
 * @bytes: the Cairo renderer's way draws it with no conversion at all. */
GdkTexture *scope_draw_texture_new_bgra (int     width,
                                         int     height,
                                         GBytes *bytes);

/* @texture's pixels as a cairo image surface, kept with the texture (made on first use when
 * it was not made by scope_draw_texture_new_bgra()); NULL when there is no memory. */
cairo_surface_t *scope_draw_texture_get_surface (GdkTexture *texture);

/* The Cairo renderer's way of scope_draw_texture(), whatever the renderer: a cairo node
 * painting the surface kept with @texture. */
void scope_draw_texture_kept (GtkSnapshot           *snapshot,
                              GdkTexture            *texture,
                              const graphene_rect_t *bounds);

/* Draws @layout at (@x, @y) in @color. */
void scope_draw_layout  (GtkSnapshot   *snapshot,
                         PangoLayout   *layout,
                         float          x,
                         float          y,
                         const GdkRGBA *color);

G_END_DECLS
