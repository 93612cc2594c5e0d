/* scope-model-entry.h — a model the user can pick: the built-in one or a weight file
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define SCOPE_TYPE_MODEL_ENTRY (scope_model_entry_get_type ())

/* The id of the built-in model's entry. */
#define SCOPE_MODEL_ENTRY_DEFAULT_ID "default"

G_DECLARE_FINAL_TYPE (ScopeModelEntry, scope_model_entry, SCOPE, MODEL_ENTRY, GObject)

/* @file NULL: the built-in model. */
ScopeModelEntry *scope_model_entry_new          (GFile           *file);

/* "default" or the file's URI: what the settings store. */
const char      *scope_model_entry_get_id       (ScopeModelEntry *self);
const char      *scope_model_entry_get_title    (ScopeModelEntry *self);
GFile           *scope_model_entry_get_file     (ScopeModelEntry *self);

G_END_DECLS
