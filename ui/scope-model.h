/* scope-model.h — a loaded network, shared by the views and the inference worker
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Wraps an immutable VggModel: its layer table and names are read on the main thread, its
 * weights on the worker. The model also keeps one spare VggRun, so repeated runs reuse their
 * planned (already touched) memory instead of allocating it again.
 */
#pragma once

#include <gio/gio.h>

#include "vgg.h"
#include "vgg-explain.h"
#include "vgg-occlusion.h"

G_BEGIN_DECLS

#define SCOPE_TYPE_MODEL (scope_model_get_type ())

/* Seconds a model keeps an unused spare explainer or occlusion pass before freeing it. */
#define SCOPE_MODEL_SPARE_EXPIRY_SECONDS 10

G_DECLARE_FINAL_TYPE (ScopeModel, scope_model, SCOPE, MODEL, GObject)

/* Takes ownership of @model. @file is where it came from (NULL: built in). */
ScopeModel     *scope_model_new_take       (VggModel  *model,
                                            GFile     *file);

/* Loads @file, or the embedded default when @file is NULL, on a worker thread. */
void            scope_model_load_async     (GFile               *file,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
ScopeModel     *scope_model_load_finish    (GAsyncResult        *result,
                                            GError             **error);

const VggModel *scope_model_get_engine     (ScopeModel *self);
GFile          *scope_model_get_file       (ScopeModel *self);
const char     *scope_model_get_name       (ScopeModel *self);
gboolean        scope_model_get_trained    (ScopeModel *self);
int             scope_model_get_n_layers   (ScopeModel *self);
const VggLayer *scope_model_get_layer      (ScopeModel *self,
                                            int         index);

/* A run for this model: the spare one if free, else a new one. Any thread. */
VggRun         *scope_model_acquire_run    (ScopeModel *self,
                                            GError    **error);
/* Gives @run back (kept as the spare, or freed). Any thread. */
void            scope_model_release_run    (ScopeModel *self,
                                            VggRun     *run);

/* An explainer (gradient methods) or an occlusion object for this model, kept like the spare
 * run, since an explainer's transformed kernels take a while to make. Any thread. */
VggExplainer   *scope_model_acquire_explainer (ScopeModel    *self,
                                               GError       **error);
void            scope_model_release_explainer (ScopeModel    *self,
                                               VggExplainer  *explainer);
VggOcclusion   *scope_model_acquire_occlusion (ScopeModel    *self,
                                               GError       **error);
void            scope_model_release_occlusion (ScopeModel    *self,
                                               VggOcclusion  *occlusion);

G_END_DECLS
