/* scope-cka-view.h — two models side by side: linear CKA between every pair of their layers
 *                    over the sample pictures, as a heat map, and both models' top 5
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "scope-view-state.h"
#include "scope-workspace.h"

G_BEGIN_DECLS

#define SCOPE_TYPE_CKA_VIEW (scope_cka_view_get_type ())

G_DECLARE_FINAL_TYPE (ScopeCkaView, scope_cka_view, SCOPE, CKA_VIEW, GtkBox)

void          scope_cka_view_set_workspace  (ScopeCkaView   *self,
                                             ScopeWorkspace *workspace);
void          scope_cka_view_set_view_state (ScopeCkaView   *self,
                                             ScopeViewState *view_state);
/* Compares the workspace's model with the one in @file (loaded here). */
void          scope_cka_view_set_model_b    (ScopeCkaView   *self,
                                             GFile          *file);

/* For tests. */
gboolean      scope_cka_view_get_busy       (ScopeCkaView   *self);
/* [n_a × n_b] row-major (A's layers down), or NULL; the pictures' count. */
const double *scope_cka_view_get_matrix     (ScopeCkaView   *self,
                                             int            *n_a,
                                             int            *n_b,
                                             int            *n_pictures);
const char   *scope_cka_view_get_top5_text  (ScopeCkaView   *self);

G_END_DECLS
