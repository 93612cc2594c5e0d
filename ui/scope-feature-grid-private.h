/* scope-feature-grid-private.h — the feature grid's state, shared by its drawing and input files
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * scope-feature-grid.c lays out and draws the tiles; scope-feature-grid-input.c turns pointer,
 * keys and scrolling into a hovered unit, a selected channel and a scroll position.
 */
#pragma once

#include "scope-feature-grid.h"
#include "scope-tile-layout.h"

G_BEGIN_DECLS

#define MARGIN SCOPE_TILE_LAYOUT_MARGIN

struct _ScopeFeatureGrid
{
  GtkWidget           parent_instance;

  /* owned */
  ScopeCapture       *capture;
  ScopeViewState     *view_state;
  GtkAdjustment      *hadjustment;
  GtkAdjustment      *vadjustment;
  GPtrArray          *textures;        /* GdkTexture or NULL per channel, built when seen */
  GPtrArray          *stale_textures;  /* the last maps', drawn while the new ones render */
  GCancellable       *render;          /* the new maps' tiles rendering on a thread, or NULL */
  int                *order;           /* display position → channel */

  /* plain state */
  int                 selected_channel;
  int                 hover_channel;
  VggRect             lit_units;       /* units that see the input pixel pointed at */
  gboolean            has_lit_units;
  double              zoom;
  guint               hscroll_policy : 1;
  guint               vscroll_policy : 1;

  ScopeTileLayout     layout;          /* from the last allocation */
  int                 texture_scale;   /* texture pixels per unit (0: reduced) */
  int                 reduced_width;   /* the reduced textures' size, when maps are larger */
  int                 reduced_height;  /* than their tiles; else 0 */
};

float _scope_feature_grid_scroll_offset              (ScopeFeatureGrid *self);
void  _scope_feature_grid_tile_bounds_at             (ScopeFeatureGrid *self,
                                                      int               position,
                                                      graphene_rect_t  *bounds);
int   _scope_feature_grid_position_of_channel        (ScopeFeatureGrid *self,
                                                      int               channel);
/* The display position under (@x, @y) and the unit there, or -1. */
int   _scope_feature_grid_hit_test                   (ScopeFeatureGrid *self,
                                                      double            x,
                                                      double            y,
                                                      int              *unit_y,
                                                      int              *unit_x);
void  _scope_feature_grid_configure_adjustments      (ScopeFeatureGrid *self);
/* Whether new maps' tiles are rendering on a thread (the last maps drawn meanwhile). */
gboolean _scope_feature_grid_get_rendering           (ScopeFeatureGrid *self);

/* scope-feature-grid-input.c */
void  _scope_feature_grid_init_input                 (ScopeFeatureGrid *self);
void  _scope_feature_grid_set_adjustment             (ScopeFeatureGrid  *self,
                                                      GtkAdjustment    **slot,
                                                      GtkAdjustment     *adjustment);
void  _scope_feature_grid_on_adjustment_value_changed (GtkAdjustment    *adjustment,
                                                       ScopeFeatureGrid *self);

G_END_DECLS
