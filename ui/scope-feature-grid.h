/* scope-feature-grid.h — every channel of one layer's output, tiled
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A GtkScrollable that draws only the tiles in view, from textures it builds on first sight
 * and keeps until the capture or the colouring changes, so 512 channels scroll smoothly.
 * Hovering a tile sets the unit under the pointer (the same unit is marked in every tile);
 * clicking or Enter activates the channel.
 */
#pragma once

#include <gtk/gtk.h>

#include "scope-capture.h"
#include "scope-enums.h"
#include "vgg.h"
#include "scope-view-state.h"

G_BEGIN_DECLS

#define SCOPE_TYPE_FEATURE_GRID (scope_feature_grid_get_type ())

G_DECLARE_FINAL_TYPE (ScopeFeatureGrid, scope_feature_grid, SCOPE, FEATURE_GRID, GtkWidget)

GtkWidget          *scope_feature_grid_new                  (void);

void                scope_feature_grid_set_capture          (ScopeFeatureGrid *self,
                                                             ScopeCapture     *capture);
ScopeCapture       *scope_feature_grid_get_capture          (ScopeFeatureGrid *self);
/* Channels shown (0 without a capture). */
int                 scope_feature_grid_get_n_channels       (ScopeFeatureGrid *self);

/* Colour map, normalisation, order and the marked unit come from @view_state (shared with
 * the other views); pointing at a tile sets its unit there. */
void                scope_feature_grid_set_view_state       (ScopeFeatureGrid *self,
                                                             ScopeViewState   *view_state);
ScopeViewState     *scope_feature_grid_get_view_state       (ScopeFeatureGrid *self);
/* Lights @units (a rectangle of unit rows and columns: the units that see the input pixel
 * pointed at) in every tile; NULL for none. */
void                scope_feature_grid_set_lit_units        (ScopeFeatureGrid *self,
                                                             const VggRect    *units);
gboolean            scope_feature_grid_get_lit_units        (ScopeFeatureGrid *self,
                                                             VggRect          *units);
/* The channel at display position @position (the order depends on sorting). */
int                 scope_feature_grid_get_channel_at       (ScopeFeatureGrid *self,
                                                             int               position);
/* The display order, n_channels entries. Borrowed. */
const int          *scope_feature_grid_get_order            (ScopeFeatureGrid *self);

/* The highlighted channel, or -1. */
void                scope_feature_grid_set_selected_channel (ScopeFeatureGrid *self,
                                                             int               channel);
int                 scope_feature_grid_get_selected_channel (ScopeFeatureGrid *self);

/* The channel under the pointer, or -1. */
int                 scope_feature_grid_get_hover_channel    (ScopeFeatureGrid *self);

/* Where channel @channel's tile is drawn, in widget coordinates (for tests and tools). */
gboolean            scope_feature_grid_get_tile_bounds      (ScopeFeatureGrid *self,
                                                             int               channel,
                                                             graphene_rect_t  *bounds);

/* The whole grid at the maps' own resolution, as shown (order, colours), for export. */
GdkTexture         *scope_feature_grid_render               (ScopeFeatureGrid *self);

G_END_DECLS
