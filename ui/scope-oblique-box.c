/* scope-oblique-box.c — a box drawn in oblique projection, as in the classic VGG figure
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "scope-oblique-box.h"

static void
append_quad (GtkSnapshot   *snapshot,
             const GdkRGBA *color,
             float          x0, float y0,
             float          x1, float y1,
             float          x2, float y2,
             float          x3, float y3)
{
  cairo_t *cr;
  float min_x = MIN (MIN (x0, x1), MIN (x2, x3)), max_x = MAX (MAX (x0, x1), MAX (x2, x3));
  float min_y = MIN (MIN (y0, y1), MIN (y2, y3)), max_y = MAX (MAX (y0, y1), MAX (y2, y3));

  cr = gtk_snapshot_append_cairo (snapshot,
                                  &GRAPHENE_RECT_INIT (min_x - 1, min_y - 1,
                                                       max_x - min_x + 2, max_y - min_y + 2));
  cairo_move_to (cr, x0, y0);
  cairo_line_to (cr, x1, y1);
  cairo_line_to (cr, x2, y2);
  cairo_line_to (cr, x3, y3);
  cairo_close_path (cr);
  gdk_cairo_set_source_rgba (cr, color);
  cairo_fill (cr);
  cairo_destroy (cr);
}

void
scope_oblique_box_fill (GtkSnapshot           *snapshot,
                        const ScopeObliqueBox *box,
                        const GdkRGBA         *front)
{
  float x = box->x, y = box->y, w = box->width, h = box->height, d = box->depth;
  GdkRGBA top, side;

  top = *front;
  side = *front;
  top.red = MIN (1.0f, front->red * 1.15f + 0.06f);
  top.green = MIN (1.0f, front->green * 1.15f + 0.06f);
  top.blue = MIN (1.0f, front->blue * 1.15f + 0.06f);
  side.red *= 0.72f;
  side.green *= 0.72f;
  side.blue *= 0.72f;

  /* top face: front-top edge to the back */
  append_quad (snapshot, &top, x, y, x + w, y, x + w + d, y - d, x + d, y - d);
  /* side face */
  append_quad (snapshot, &side, x + w, y, x + w + d, y - d, x + w + d, y + h - d, x + w, y + h);
  gtk_snapshot_append_color (snapshot, front, &GRAPHENE_RECT_INIT (x, y, w, h));
}

void
scope_oblique_box_outline (GtkSnapshot           *snapshot,
                           const ScopeObliqueBox *box,
                           const GdkRGBA         *color,
                           float                  line_width)
{
  float x = box->x, y = box->y, w = box->width, h = box->height, d = box->depth;
  cairo_t *cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (x - 4, y - d - 4,
                                                                          w + d + 8, h + d + 8));

  cairo_set_line_width (cr, line_width);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_move_to (cr, x, y + h);
  cairo_line_to (cr, x, y);
  cairo_line_to (cr, x + d, y - d);
  cairo_line_to (cr, x + w + d, y - d);
  cairo_line_to (cr, x + w + d, y + h - d);
  cairo_line_to (cr, x + w, y + h);
  cairo_close_path (cr);
  cairo_move_to (cr, x, y);
  cairo_line_to (cr, x + w, y);
  cairo_line_to (cr, x + w + d, y - d);
  cairo_move_to (cr, x + w, y);
  cairo_line_to (cr, x + w, y + h);
  gdk_cairo_set_source_rgba (cr, color);
  cairo_stroke (cr);
  cairo_destroy (cr);
}

void
scope_oblique_box_mark_side (GtkSnapshot           *snapshot,
                             const ScopeObliqueBox *box,
                             double                 row_0,
                             double                 row_1,
                             double                 column_0,
                             double                 column_1,
                             const GdkRGBA         *color)
{
  float x = box->x + box->width, y = box->y, h = box->height, d = box->depth;

  /* rows run down the side face, columns into the depth */
  append_quad (snapshot, color,
               x + column_0 * d, y + row_0 * h - column_0 * d,
               x + column_1 * d, y + row_0 * h - column_1 * d,
               x + column_1 * d, y + row_1 * h - column_1 * d,
               x + column_0 * d, y + row_1 * h - column_0 * d);
}
