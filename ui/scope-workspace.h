/* scope-workspace.h — the picture, the model, the running job and the result: what views bind to
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One workspace per window, no widgets. Opening a picture (drop, paste, dialog, command line)
 * starts an inference job and cancels the previous one; the new result becomes the current
 * one once its picture has decoded, so a broken file leaves the last good one in place. Choosing
 * a model loads it on a worker thread; a file that cannot be used leaves the model in use.
 * What went wrong is told through the "message" signal, which the window shows as a toast.
 */
#pragma once

#include <gio/gio.h>

#include "scope-model-store.h"
#include "scope-model.h"
#include "scope-result.h"
#include "scope-source.h"

G_BEGIN_DECLS

#define SCOPE_TYPE_WORKSPACE (scope_workspace_get_type ())

G_DECLARE_FINAL_TYPE (ScopeWorkspace, scope_workspace, SCOPE, WORKSPACE, GObject)

/* @store is shared between windows; @settings (nullable) remembers the model chosen. The
 * model remembered in @settings, or the built-in one, starts loading at once. */
ScopeWorkspace  *scope_workspace_new                  (ScopeModelStore *store,
                                                       GSettings       *settings);
ScopeModelStore *scope_workspace_get_store            (ScopeWorkspace  *self);

void             scope_workspace_open_source          (ScopeWorkspace  *self,
                                                       ScopeSource     *source);
/* The same, capturing only layer @watched_layer (-1: every layer) for the views. */
void             scope_workspace_open_source_watching (ScopeWorkspace  *self,
                                                       ScopeSource     *source,
                                                       int              watched_layer);
void             scope_workspace_open_file            (ScopeWorkspace  *self,
                                                       GFile           *file);
/* The current picture, or NULL. */
ScopeSource     *scope_workspace_get_source           (ScopeWorkspace  *self);

/* Loads the store's entry @id ("default", or a file's URI) on a worker thread. */
void             scope_workspace_load_model           (ScopeWorkspace  *self,
                                                       const char      *id);
const char      *scope_workspace_get_model_id         (ScopeWorkspace  *self);
/* TRUE while a model loads. */
gboolean         scope_workspace_get_model_loading    (ScopeWorkspace  *self);
/* Uses @model from now on (and re-runs the current picture). */
void             scope_workspace_set_model            (ScopeWorkspace  *self,
                                                       ScopeModel      *model);
ScopeModel      *scope_workspace_get_model            (ScopeWorkspace  *self);

/* The current result, or NULL. */
ScopeResult     *scope_workspace_get_result           (ScopeWorkspace  *self);
/* The result being prepared (its picture not decoded yet), or NULL. */
ScopeResult     *scope_workspace_get_pending_result   (ScopeWorkspace  *self);

/* The layer every view shows; kept by name when the model changes. */
void             scope_workspace_set_selected_layer   (ScopeWorkspace  *self,
                                                       int              index);
int              scope_workspace_get_selected_layer   (ScopeWorkspace  *self);
/* The selected layer's description and, once computed, its output; NULL otherwise. */
const VggLayer  *scope_workspace_get_layer_info       (ScopeWorkspace  *self);
ScopeCapture    *scope_workspace_get_capture          (ScopeWorkspace  *self);

/* Stops every job (the window closes). */
void             scope_workspace_cancel               (ScopeWorkspace  *self);

G_END_DECLS
