/* scope-unit-job.h — one unit's breakdown computed on a worker thread
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The computation runs on a VggUnitProbe (vgg-unit.h), which the caller owns between jobs and
 * lends to one job at a time: the job hands it back with the result (or with the error), so
 * its runs and the layer it keeps are reused by the next unit. Cancelling the cancellable
 * stops the engine's passes.
 */
#pragma once

#include <gio/gio.h>

#include "scope-model.h"
#include "vgg-unit.h"

G_BEGIN_DECLS

/* @probe (owned by the job until finish) must be @model's; @input the network input
 * [C, H, W] (ScopeResult's). */
void              scope_unit_run_async  (ScopeModel          *model,
                                         VggUnitProbe        *probe,
                                         GBytes              *input,
                                         int                  layer_index,
                                         int                  channel,
                                         int                  y,
                                         int                  x,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
/* The breakdown (free with vgg_unit_breakdown_free()), or NULL with G_IO_ERROR_CANCELLED or an
 * engine error. *@probe receives the probe back in every case. */
VggUnitBreakdown *scope_unit_run_finish (GAsyncResult        *result,
                                         VggUnitProbe       **probe,
                                         GError             **error);

G_END_DECLS
