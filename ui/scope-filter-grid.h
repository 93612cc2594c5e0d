/* scope-filter-grid.h — a convolution's filters as pictures
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For the first convolution, every filter as a 3 × 3 patch, enlarged (RGB for a colour
 * input, grey for a grey one); for a deeper convolution, the C_in kernels of one output
 * channel (the view state's channel) as grey patches. Normalised together or one by one,
 * optionally sorted by norm. Activating a filter emits "filter-activated" with the output
 * channel it makes.
 */
#pragma once

#include <gtk/gtk.h>

#include "scope-view-state.h"
#include "scope-workspace.h"

G_BEGIN_DECLS

#define SCOPE_TYPE_FILTER_GRID (scope_filter_grid_get_type ())

G_DECLARE_FINAL_TYPE (ScopeFilterGrid, scope_filter_grid, SCOPE, FILTER_GRID, GtkWidget)

ScopeFilterGrid *scope_filter_grid_new            (void);
void             scope_filter_grid_set_workspace  (ScopeFilterGrid *self,
                                                   ScopeWorkspace  *workspace);
void             scope_filter_grid_set_view_state (ScopeFilterGrid *self,
                                                   ScopeViewState  *view_state);

/* How many patches are shown (0 for a layer without filters). */
guint            scope_filter_grid_get_n_filters  (ScopeFilterGrid *self);
/* The output channel whose kernels are shown for a deeper layer (-1 for the first layer). */
int              scope_filter_grid_get_channel    (ScopeFilterGrid *self);
/* The output channel (first layer) or input channel (deeper) of patch @position. */
int              scope_filter_grid_get_filter_at  (ScopeFilterGrid *self,
                                                   guint            position);
/* Activates patch @position, as a click would. */
void             scope_filter_grid_activate       (ScopeFilterGrid *self,
                                                   guint            position);
void             scope_filter_grid_set_sorted     (ScopeFilterGrid *self,
                                                   gboolean         sorted);
void             scope_filter_grid_set_each       (ScopeFilterGrid *self,
                                                   gboolean         each);

G_END_DECLS
