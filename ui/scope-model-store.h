/* scope-model-store.h — the models the app knows: built-in, the models folder, opened files
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A GListModel of ScopeModelEntry: the built-in model first, then every weight file (.pth,
 * .pt, .safetensors, .h5, .onnx) in the models folder ($XDG_DATA_HOME/vgg-scope/models,
 * watched for changes), then files opened during this session. Entries only name models;
 * loading happens when one is chosen, and describing them (scope_model_store_describe_all(),
 * when the model menu opens) reads each file once on a worker thread.
 */
#pragma once

#include <gio/gio.h>

#include "scope-model-entry.h"

G_BEGIN_DECLS

#define SCOPE_TYPE_MODEL_STORE (scope_model_store_get_type ())

G_DECLARE_FINAL_TYPE (ScopeModelStore, scope_model_store, SCOPE, MODEL_STORE, GObject)

/* @directory NULL: the user's models folder. */
ScopeModelStore *scope_model_store_new           (GFile           *directory);

GFile           *scope_model_store_get_directory (ScopeModelStore *self);
/* The entry with @id, or NULL. Borrowed. */
ScopeModelEntry *scope_model_store_find          (ScopeModelStore *self,
                                                  const char      *id);
/* Adds @file unless it is listed already; returns its entry. Borrowed. */
ScopeModelEntry *scope_model_store_add_file      (ScopeModelStore *self,
                                                  GFile           *file);

/* Reads every entry not described yet, one at a time on a worker thread, and describes it
 * (format, preset, classes) when it has been read. Does nothing while a pass is running. */
void             scope_model_store_describe_all  (ScopeModelStore *self);

G_END_DECLS
