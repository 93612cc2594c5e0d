/* scope-live-runner.h — live frames into the workspace's inference: the newest frame wins
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * While the workspace classifies one frame, a newer frame waits in one slot and replaces the
 * frame waiting there; when the job completes, the waiting frame starts. A running job is never
 * cancelled for a newer frame (every job that starts completes, so predictions keep coming
 * even when the network is slower than the camera) and nothing queues. The runner measures
 * predictions per second (over the last two seconds) and each frame's latency (from its arrival
 * to its prediction).
 */
#pragma once

#include "scope-workspace.h"

G_BEGIN_DECLS

#define SCOPE_TYPE_LIVE_RUNNER (scope_live_runner_get_type ())

G_DECLARE_FINAL_TYPE (ScopeLiveRunner, scope_live_runner, SCOPE, LIVE_RUNNER, GObject)

ScopeLiveRunner *scope_live_runner_new                  (ScopeWorkspace  *workspace);

/* A new frame: starts at once if the workspace is idle, else waits (replacing any waiting). */
void             scope_live_runner_submit               (ScopeLiveRunner *self,
                                                         ScopeSource     *frame);
/* While @shown_only (the source plays), runs capture only the workspace's selected layer: the
 * rest would cost frames and nobody sees it go by. Off, they capture every layer (a paused
 * frame is looked at from every side). Off by default. */
void             scope_live_runner_set_shown_only       (ScopeLiveRunner *self,
                                                         gboolean         shown_only);
/* Drops the waiting frame (the source paused or stopped); a running job completes. */
void             scope_live_runner_clear                (ScopeLiveRunner *self);

/* Predictions completed per second, over the last two seconds. */
double           scope_live_runner_get_rate             (ScopeLiveRunner *self);
/* Seconds from the last completed frame's arrival to its prediction. */
double           scope_live_runner_get_latency          (ScopeLiveRunner *self);
/* Counters since creation: frames submitted, started, completed, replaced while waiting. */
guint64          scope_live_runner_get_n_submitted      (ScopeLiveRunner *self);
guint64          scope_live_runner_get_n_completed      (ScopeLiveRunner *self);
guint64          scope_live_runner_get_n_replaced       (ScopeLiveRunner *self);
/* TRUE while a job runs; a frame waits only then. */
gboolean         scope_live_runner_get_busy             (ScopeLiveRunner *self);
gboolean         scope_live_runner_get_has_waiting      (ScopeLiveRunner *self);

G_END_DECLS
