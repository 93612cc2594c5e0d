/* scope-input-panel.h — the picture the network was given, the receptive field, the prediction
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shows the workspace's current picture as decoded and as the network sees it, outlines the
 * input pixels that the unit pointed at (in the shared view state) sees, and below them the
 * top classes with what the model is and whether it was trained.
 */
#pragma once

#include <gtk/gtk.h>

#include "scope-image-view.h"
#include "scope-prob-chart.h"
#include "scope-view-state.h"
#include "scope-workspace.h"

G_BEGIN_DECLS

#define SCOPE_TYPE_INPUT_PANEL (scope_input_panel_get_type ())

G_DECLARE_FINAL_TYPE (ScopeInputPanel, scope_input_panel, SCOPE, INPUT_PANEL, GtkBox)

void            scope_input_panel_set_workspace  (ScopeInputPanel *self,
                                                  ScopeWorkspace  *workspace);
void            scope_input_panel_set_view_state (ScopeInputPanel *self,
                                                  ScopeViewState  *view_state);

ScopeImageView *scope_input_panel_get_image_view (ScopeInputPanel *self);
ScopeProbChart *scope_input_panel_get_prob_chart (ScopeInputPanel *self);
/* How many effective receptive fields the panel has started computing (for tests: one per
 * unit pointed at, however many notifications pointing at it makes). */
guint           scope_input_panel_get_erf_runs   (ScopeInputPanel *self);

G_END_DECLS
