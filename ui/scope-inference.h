/* scope-inference.h — classify a picture on a worker thread, layer by layer
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One job decodes the source, preprocesses it for the model and runs the network with a hook
 * watching every layer. As the run goes, the job hands the input pictures and each layer's
 * capture to @result on the caller's main context, through a weak reference and only while
 * @cancellable is not cancelled, so a superseded job never touches what the window shows.
 * The prediction comes back through _finish(); the caller applies it to @result only if the
 * job is still its current one.
 */
#pragma once

#include <gio/gio.h>

#include "scope-model.h"
#include "scope-result.h"
#include "scope-source.h"

G_BEGIN_DECLS

#define SCOPE_INFERENCE_TOP_K 5

typedef struct
{
  int    k;                                       /* rows filled */
  int    classes[SCOPE_INFERENCE_TOP_K];
  float  probabilities[SCOPE_INFERENCE_TOP_K];
  double elapsed;                                 /* seconds of the forward pass alone */
} ScopeInferenceOutcome;

void     scope_inference_run_async  (ScopeModel            *model,
                                     ScopeSource           *source,
                                     ScopeResult           *result,
                                     GCancellable          *cancellable,
                                     GAsyncReadyCallback    callback,
                                     gpointer               user_data);
/* On success fills @outcome. Fails with G_IO_ERROR_CANCELLED, a decoding error
 * (SCOPE_ENGINE_ERROR) or a GIO error. */
gboolean scope_inference_run_finish (GAsyncResult          *result,
                                     ScopeInferenceOutcome *outcome,
                                     GError               **error);

G_END_DECLS
