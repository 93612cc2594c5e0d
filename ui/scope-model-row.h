/* scope-model-row.h — one model in the model menu: its name, what it is, and a check
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "scope-model-entry.h"

G_BEGIN_DECLS

#define SCOPE_TYPE_MODEL_ROW (scope_model_row_get_type ())

G_DECLARE_FINAL_TYPE (ScopeModelRow, scope_model_row, SCOPE, MODEL_ROW, GtkListBoxRow)

GtkWidget       *scope_model_row_new        (ScopeModelEntry *entry);
ScopeModelEntry *scope_model_row_get_entry  (ScopeModelRow   *self);
/* Whether the row's model is the one in use (shows the check). */
void             scope_model_row_set_active (ScopeModelRow   *self,
                                             gboolean         active);
gboolean         scope_model_row_get_active (ScopeModelRow   *self);

G_END_DECLS
