/* scope-view-state.h — how the feature maps are shown, shared by every view that shows them
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One object holds the colour map, the normalisation, the channel order and the unit the
 * user points at, so the grid, the large channel view and the receptive-field overlay read
 * the same values instead of each keeping a copy. The window binds the first three to
 * GSettings; the views set the unit as the pointer moves.
 */
#pragma once

#include <glib-object.h>

#include "scope-enums.h"

G_BEGIN_DECLS

#define SCOPE_TYPE_VIEW_STATE (scope_view_state_get_type ())

G_DECLARE_FINAL_TYPE (ScopeViewState, scope_view_state, SCOPE, VIEW_STATE, GObject)

ScopeViewState     *scope_view_state_new                   (void);

ScopeColormap       scope_view_state_get_colormap          (ScopeViewState     *self);
void                scope_view_state_set_colormap          (ScopeViewState     *self,
                                                            ScopeColormap       colormap);
/* The colour map as SCOPE_LUT_SIZE RGB triples (see scope-map-render.h). Borrowed; changes
 * with the colour map. */
const guint8       *scope_view_state_get_lut               (ScopeViewState     *self);
ScopeNormalization  scope_view_state_get_normalization     (ScopeViewState     *self);
void                scope_view_state_set_normalization     (ScopeViewState     *self,
                                                            ScopeNormalization  normalization);
gboolean            scope_view_state_get_sort_by_activation (ScopeViewState    *self);
void                scope_view_state_set_sort_by_activation (ScopeViewState    *self,
                                                             gboolean           sort);

/* The unit (row, column of the selected layer's maps) the user points at; -1, -1 for none.
 * Both coordinates change together: "notify::unit-y" and "notify::unit-x" are emitted after
 * both are set, so a listener never sees half of a move. */
void                scope_view_state_set_unit              (ScopeViewState     *self,
                                                            int                 y,
                                                            int                 x);
void                scope_view_state_get_unit              (ScopeViewState     *self,
                                                            int                *y,
                                                            int                *x);

/* The channel of the unit pointed at (the tile under the pointer, or the channel shown large),
 * or -1. With the unit, it names one unit, whose effective receptive field the input shows. */
void                scope_view_state_set_channel           (ScopeViewState     *self,
                                                            int                 channel);
int                 scope_view_state_get_channel           (ScopeViewState     *self);

/* The network-input pixel (row, column) pointed at on the input pictures, or -1, -1: every
 * unit that sees it lights up in the maps and the diagram. Notified as the unit is. */
void                scope_view_state_set_pixel             (ScopeViewState     *self,
                                                            int                 y,
                                                            int                 x);
void                scope_view_state_get_pixel             (ScopeViewState     *self,
                                                            int                *y,
                                                            int                *x);

/* For a view that shows maps: replaces the view state in @slot (a reference) by @view_state
 * and calls @on_changed (instance, pspec) whenever one of its properties changes. FALSE
 * when @slot already held it. */
gboolean            scope_view_state_follow                (ScopeViewState    **slot,
                                                            ScopeViewState     *view_state,
                                                            GCallback           on_changed,
                                                            gpointer            instance);

G_END_DECLS
