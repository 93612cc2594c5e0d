/* scope-maps-panel.h — one layer's feature maps: every channel tiled, or one channel large
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shows the workspace's selected layer of its current result as it arrives, with a title,
 * the layer's shape, a status line about the channel under the pointer, and the tools
 * (normalisation, sorting, colour map, export) whose state lives in the shared view state.
 */
#pragma once

#include <gtk/gtk.h>

#include "scope-channel-view.h"
#include "scope-feature-grid.h"
#include "scope-view-state.h"
#include "scope-workspace.h"

G_BEGIN_DECLS

#define SCOPE_TYPE_MAPS_PANEL (scope_maps_panel_get_type ())

G_DECLARE_FINAL_TYPE (ScopeMapsPanel, scope_maps_panel, SCOPE, MAPS_PANEL, GtkBox)

void              scope_maps_panel_set_workspace    (ScopeMapsPanel *self,
                                                     ScopeWorkspace *workspace);
void              scope_maps_panel_set_view_state   (ScopeMapsPanel *self,
                                                     ScopeViewState *view_state);

/* One channel large (the grid marks it too), or every channel again. */
void              scope_maps_panel_show_channel     (ScopeMapsPanel *self,
                                                     int             channel);
void              scope_maps_panel_show_grid        (ScopeMapsPanel *self);
/* While one channel is large: the next or previous one in the grid's order. */
void              scope_maps_panel_step_channel     (ScopeMapsPanel *self,
                                                     int             step);
gboolean          scope_maps_panel_get_showing_channel (ScopeMapsPanel *self);

/* TRUE when the selected layer's maps are there to show (and export). */
gboolean          scope_maps_panel_get_has_maps     (ScopeMapsPanel *self);
/* What is shown, at the maps' own resolution, and a file name for it; NULL without maps. */
GdkTexture       *scope_maps_panel_render           (ScopeMapsPanel *self,
                                                     char          **file_name);

ScopeFeatureGrid *scope_maps_panel_get_feature_grid (ScopeMapsPanel *self);
ScopeChannelView *scope_maps_panel_get_channel_view (ScopeMapsPanel *self);

G_END_DECLS
