/* scope-tile-layout.h — where the tiles of a feature-map grid go, and what lies under a point
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Plain geometry, no widget: a layer's C maps of H × W units laid out as tiles in rows, in
 * content coordinates (y = 0 at the top of the scrolled content). Small maps are magnified by
 * a whole factor so every unit is a crisp square; big ones are shown reduced; 1 × 1 maps
 * (fully connected layers) become small squares packed tightly.
 */
#pragma once

#include <graphene.h>

G_BEGIN_DECLS

#define SCOPE_TILE_LAYOUT_MARGIN 12.0f

typedef struct
{
  /* inputs */
  int   channels;
  int   height;          /* of one map, in units */
  int   width;
  /* results */
  float tile_width;
  float tile_height;
  float gap;
  int   unit_scale;      /* display pixels per unit, 0 when maps are reduced */
  int   columns;
  int   rows;
  float origin_x;
  float content_height;
} ScopeTileLayout;

/* The tile size alone (for measuring): fills tile_width, tile_height, gap and unit_scale. */
void     scope_tile_layout_size_tiles (ScopeTileLayout *layout,
                                       int              channels,
                                       int              height,
                                       int              width,
                                       double           zoom);
/* The whole layout for a widget @width pixels wide. */
void     scope_tile_layout_compute    (ScopeTileLayout *layout,
                                       int              channels,
                                       int              height,
                                       int              width,
                                       double           zoom,
                                       int              widget_width);
/* The tile at display @position, in content coordinates. */
void     scope_tile_layout_bounds     (const ScopeTileLayout *layout,
                                       int                    position,
                                       graphene_rect_t       *bounds);
/* The display position at content point (@x, @y) and the unit there; -1 between tiles. */
int      scope_tile_layout_hit        (const ScopeTileLayout *layout,
                                       double                 x,
                                       double                 y,
                                       int                   *unit_y,
                                       int                   *unit_x);

G_END_DECLS
