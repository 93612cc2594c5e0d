/* scope-unit-panel.h — one unit worked out by hand with the current picture's numbers
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shows how the unit the view state points at (its channel, and its row and column for a
 * convolution or a pool) in the workspace's selected layer gets its value for the current
 * picture: a convolution's 3×3 windows and filters of its strongest input channels, every
 * input channel's partial sum with a bar, the bias, the value before and after ReLU, and for
 * a batch-norm model how the fold changed the weights and the bias; a pool's window and
 * winner; a fully connected unit's largest weight × activation; a softmax's exponentials.
 * Beside the worked value: the engine's exact value and its fast (Winograd) one, and their
 * differences. Computed off the main thread (vgg-unit.h through ScopeUnitJob) while the
 * panel is mapped; a new unit, layer, picture or model cancels what runs.
 */
#pragma once

#include <gtk/gtk.h>

#include "scope-view-state.h"
#include "scope-workspace.h"
#include "vgg-unit.h"

G_BEGIN_DECLS

#define SCOPE_TYPE_UNIT_PANEL (scope_unit_panel_get_type ())

G_DECLARE_FINAL_TYPE (ScopeUnitPanel, scope_unit_panel, SCOPE, UNIT_PANEL, GtkBox)

GtkWidget              *scope_unit_panel_new           (ScopeWorkspace *workspace,
                                                        ScopeViewState *view_state);

/* The breakdown shown, or NULL (no unit, or still computing). Borrowed: valid until the
 * panel shows another ("notify::breakdown"). */
const VggUnitBreakdown *scope_unit_panel_get_breakdown (ScopeUnitPanel *self);

/* TRUE while a breakdown is being computed. */
gboolean                scope_unit_panel_get_busy      (ScopeUnitPanel *self);

G_END_DECLS
