/* scope-explain-job.h — compute one explanation on a worker thread, filling it in as it goes
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The gradient methods run on the model's explainer, occlusion on its occlusion object
 * (ScopeModel keeps a spare of each). Progress and, for occlusion, the partial map reach the
 * ScopeExplanation on the main context through idle sources; nothing is applied once the
 * cancellable is cancelled. Cancelling stops the engine's computation.
 */
#pragma once

#include <gio/gio.h>

#include "scope-explanation.h"
#include "scope-model.h"

G_BEGIN_DECLS

typedef struct
{
  ScopeExplainMethod method;
  int                class_index;    /* resolved: 0 … n_classes − 1 */
  int                layer_index;    /* Grad-CAM's layer (resolved), the ERF unit's, else -1 */
  int                unit_channel;   /* ERF: the unit */
  int                unit_y;
  int                unit_x;
  int                patch;          /* occlusion */
  int                stride;
  int                smooth_samples; /* SmoothGrad */
  float              noise_sigma;
  int                steps;          /* integrated gradients */
} ScopeExplainRequest;

/* Fills @request with what the app uses by default for @method on @model: occlusion patches of
 * about a seventh of the input's side with half that stride, SmoothGrad with 16 copies at
 * σ = 15 % of the input's range, 32 integration steps. */
void     scope_explain_request_init (ScopeExplainRequest *request,
                                     ScopeExplainMethod   method,
                                     ScopeModel          *model);

/* @input is the network input [C, H, W] (ScopeResult's). */
void     scope_explain_run_async    (ScopeModel                *model,
                                     GBytes                    *input,
                                     const ScopeExplainRequest *request,
                                     ScopeExplanation          *explanation,
                                     GCancellable              *cancellable,
                                     GAsyncReadyCallback        callback,
                                     gpointer                   user_data);
/* TRUE when @explanation holds the whole map; G_IO_ERROR_CANCELLED or an engine error else. */
gboolean scope_explain_run_finish   (GAsyncResult              *result,
                                     GError                   **error);

G_END_DECLS
