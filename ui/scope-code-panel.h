/* scope-code-panel.h — the loaded network as PyTorch or Keras code, to read and copy
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shows the workspace's model as the engine writes it (vgg-code.h): a torchvision-style
 * PyTorch module with its preprocessing, or a Keras functional model. Follows the workspace's
 * model; "code.copy" puts the text on the clipboard and says so beside the button.
 */
#pragma once

#include <gtk/gtk.h>

#include "scope-workspace.h"
#include "vgg-code.h"

G_BEGIN_DECLS

#define SCOPE_TYPE_CODE_PANEL (scope_code_panel_get_type ())

G_DECLARE_FINAL_TYPE (ScopeCodePanel, scope_code_panel, SCOPE, CODE_PANEL, GtkBox)

GtkWidget       *scope_code_panel_new           (ScopeWorkspace  *workspace);
void             scope_code_panel_set_workspace (ScopeCodePanel  *self,
                                                 ScopeWorkspace  *workspace);
ScopeWorkspace  *scope_code_panel_get_workspace (ScopeCodePanel  *self);

/* The "language" property holds the name ("pytorch", "keras"), so toggle buttons can use it
 * as a property action (code.language). */
void             scope_code_panel_set_language  (ScopeCodePanel  *self,
                                                 VggCodeLanguage  language);
VggCodeLanguage  scope_code_panel_get_language  (ScopeCodePanel  *self);

/* The code shown ("" without a model); free with g_free(). */
char            *scope_code_panel_dup_text      (ScopeCodePanel  *self);
/* Copies the code to the clipboard (the code.copy action). */
void             scope_code_panel_copy          (ScopeCodePanel  *self);

G_END_DECLS
