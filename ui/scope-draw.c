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
