/* scope-compare-job.h — two pictures through one model on a worker thread: the engine's
 *                       per-layer cosine and every layer's outputs of both
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "scope-model.h"

G_BEGIN_DECLS

typedef struct
{
  ScopeModel *model;        /* the model both ran on */
  double     *cosines;      /* [n_layers]: vgg_compare_inputs() */
  GPtrArray  *captures_a;   /* ScopeCapture per layer, the first picture's */
  GPtrArray  *captures_b;   /* the second's */
} ScopeComparison;

void             scope_comparison_free        (ScopeComparison *comparison);

/* Runs @input_a (the first picture's network input, [C, H, W]) and the picture in @second
 * (decoded and preprocessed on the worker) on @model. @source_object is the GTask's. */
void             scope_compare_job_run_async  (GObject             *source_object,
                                               ScopeModel          *model,
                                               GBytes              *input_a,
                                               GFile               *second,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
/* The comparison (free with scope_comparison_free()), or NULL with @error set. */
ScopeComparison *scope_compare_job_finish     (GAsyncResult        *result,
                                               GError             **error);

G_END_DECLS
