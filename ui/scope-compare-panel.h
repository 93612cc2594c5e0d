/* scope-compare-panel.h — the Compare view: two pictures side by side on one model, and what a
 *                         channel wants to see
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "scope-cka-view.h"
#include "scope-view-state.h"
#include "scope-workspace.h"

G_BEGIN_DECLS

#define SCOPE_TYPE_COMPARE_PANEL (scope_compare_panel_get_type ())

G_DECLARE_FINAL_TYPE (ScopeComparePanel, scope_compare_panel, SCOPE, COMPARE_PANEL, GtkBox)

void        scope_compare_panel_set_workspace  (ScopeComparePanel *self,
                                                ScopeWorkspace    *workspace);
void        scope_compare_panel_set_view_state (ScopeComparePanel *self,
                                                ScopeViewState    *view_state);
/* The picture the current one is compared with; comparing starts at once. */
void        scope_compare_panel_set_second     (ScopeComparePanel *self,
                                                GFile             *file);

/* For tests: whether a comparison or a visualization runs, and what the view shows. */
gboolean    scope_compare_panel_get_busy       (ScopeComparePanel *self);
/* The cosine of layer @index as computed (NAN before), and the text its row shows. */
double      scope_compare_panel_get_cosine     (ScopeComparePanel *self,
                                                int                index);
const char *scope_compare_panel_get_cosine_text (ScopeComparePanel *self,
                                                 int                index);
/* The last visualization's picture ([C, H, W] input tensor) and its step, or NULL / 0. */
const float *scope_compare_panel_get_visualization (ScopeComparePanel *self,
                                                    int               *steps);

/* The two-model part of the view. */
ScopeCkaView *scope_compare_panel_get_cka_view (ScopeComparePanel *self);

G_END_DECLS
