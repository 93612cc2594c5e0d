/* scope-explain-panel.h — why the network chose a class: a heat map over the picture
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Explains the workspace's current result with the method and class chosen (the top class by
 * default), Grad-CAM at the selected layer when it is a convolution or a pool (else the last
 * convolution). Works only while shown ("active"); a new picture, model, method, class or
 * layer cancels what runs. Explanations are kept per picture, model, method, layer and class,
 * so going back to one is instant.
 */
#pragma once

#include <gtk/gtk.h>

#include "scope-explanation.h"
#include "scope-image-view.h"
#include "scope-view-state.h"
#include "scope-workspace.h"

G_BEGIN_DECLS

#define SCOPE_TYPE_EXPLAIN_PANEL (scope_explain_panel_get_type ())

G_DECLARE_FINAL_TYPE (ScopeExplainPanel, scope_explain_panel, SCOPE, EXPLAIN_PANEL, GtkBox)

void              scope_explain_panel_set_workspace  (ScopeExplainPanel  *self,
                                                      ScopeWorkspace     *workspace);
void              scope_explain_panel_set_view_state (ScopeExplainPanel  *self,
                                                      ScopeViewState     *view_state);
/* Computes only while active (the panel is on screen). */
void              scope_explain_panel_set_active     (ScopeExplainPanel  *self,
                                                      gboolean            active);

void              scope_explain_panel_set_method     (ScopeExplainPanel  *self,
                                                      ScopeExplainMethod  method);
ScopeExplainMethod scope_explain_panel_get_method    (ScopeExplainPanel  *self);
/* @class_index among the model's classes; -1: the top class. */
void              scope_explain_panel_set_class      (ScopeExplainPanel  *self,
                                                      int                 class_index);
/* The explanation shown (or being computed), or NULL. */
ScopeExplanation *scope_explain_panel_get_explanation (ScopeExplainPanel *self);
ScopeImageView   *scope_explain_panel_get_image_view (ScopeExplainPanel  *self);

G_END_DECLS
