/* scope-model-menu.h — the header's model button: which model is in use, and the others
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Lists the workspace's store (built-in, the models folder, opened files) as rows saying what
 * each model is; picking one activates win.model. Opening the menu reads the models not yet
 * described, on a worker thread. A spinner beside the button shows while a model loads.
 */
#pragma once

#include <gtk/gtk.h>

#include "scope-workspace.h"

G_BEGIN_DECLS

#define SCOPE_TYPE_MODEL_MENU (scope_model_menu_get_type ())

G_DECLARE_FINAL_TYPE (ScopeModelMenu, scope_model_menu, SCOPE, MODEL_MENU, GtkBox)

void scope_model_menu_set_workspace (ScopeModelMenu *self,
                                     ScopeWorkspace *workspace);

G_END_DECLS
