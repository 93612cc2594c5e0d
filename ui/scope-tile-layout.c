/* scope-tile-layout.c — where the tiles of a feature-map grid go, and what lies under a point
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib.h>
#include <math.h>

#include "scope-tile-layout.h"

#define GAP         6.0f
#define GAP_VECTOR  2.0f   /* between the 1 × 1 "tiles" of fully connected layers */
#define TILE_VECTOR 14.0f

void
scope_tile_layout_size_tiles (ScopeTileLayout *layout,
                              int              channels,
                              int              height,
                              int              width,
                              double           zoom)
{
  double target;

  layout->channels = channels;
  layout->height = height;
  layout->width = width;
  if (height * width == 1)
    {
      layout->tile_width = layout->tile_height = roundf (TILE_VECTOR * (float) MAX (zoom, 0.75));
      layout->gap = GAP_VECTOR;
      layout->unit_scale = 1;
      return;
    }

  /* few channels get big tiles, many get small ones */
  target = (channels <= 64 ? 112 : channels <= 128 ? 84 : 56) * zoom;
  layout->gap = GAP;
  if (width <= target)
    {
      int scale = MAX (1, (int) floor (target / width));

      layout->tile_width = (float) (width * scale);
      layout->tile_height = (float) (height * scale);
      layout->unit_scale = scale;
    }
  else
    {
      layout->tile_width = (float) round (target);
      layout->tile_height = (float) round (target * height / width);
      layout->unit_scale = 0;
    }
}

void
scope_tile_layout_compute (ScopeTileLayout *layout,
                           int              channels,
                           int              height,
                           int              width,
                           double           zoom,
                           int              widget_width)
{
  float pitch_x, margin = SCOPE_TILE_LAYOUT_MARGIN;

  scope_tile_layout_size_tiles (layout, channels, height, width, zoom);
  pitch_x = layout->tile_width + layout->gap;
  layout->columns = MAX (1, (int) ((widget_width - 2 * margin + layout->gap) / pitch_x));
  layout->columns = MIN (layout->columns, MAX (channels, 1));
  layout->rows = (channels + layout->columns - 1) / layout->columns;
  layout->origin_x = floorf ((widget_width - (layout->columns * pitch_x - layout->gap)) / 2.0f);
  layout->content_height = 2 * margin + layout->rows * (layout->tile_height + layout->gap)
                           - layout->gap;
}

void
scope_tile_layout_bounds (const ScopeTileLayout *layout,
                          int                    position,
                          graphene_rect_t       *bounds)
{
  int row = position / layout->columns, column = position % layout->columns;

  graphene_rect_init (bounds, layout->origin_x + column * (layout->tile_width + layout->gap),
                      SCOPE_TILE_LAYOUT_MARGIN + row * (layout->tile_height + layout->gap),
                      layout->tile_width, layout->tile_height);
}

int
scope_tile_layout_hit (const ScopeTileLayout *layout,
                       double                 x,
                       double                 y,
                       int                   *unit_y,
                       int                   *unit_x)
{
  double column_f, row_f, within_x, within_y;
  int column, row, position;

  if (layout->columns == 0)
    return -1;
  y -= SCOPE_TILE_LAYOUT_MARGIN;
  column_f = (x - layout->origin_x) / (layout->tile_width + layout->gap);
  row_f = y / (layout->tile_height + layout->gap);
  if (column_f < 0 || row_f < 0)
    return -1;
  column = (int) column_f;
  row = (int) row_f;
  within_x = x - layout->origin_x - column * (layout->tile_width + layout->gap);
  within_y = y - row * (layout->tile_height + layout->gap);
  if (column >= layout->columns || within_x >= layout->tile_width
      || within_y >= layout->tile_height)
    return -1;
  position = row * layout->columns + column;
  if (position >= layout->channels)
    return -1;
  *unit_x = CLAMP ((int) (within_x / layout->tile_width * layout->width), 0, layout->width - 1);
  *unit_y = CLAMP ((int) (within_y / layout->tile_height * layout->height), 0, layout->height - 1);
  return position;
}
