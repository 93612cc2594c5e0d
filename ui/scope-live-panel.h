/* scope-live-panel.h — the Live view: a camera, a test camera or a video drives the network
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A source list (the test camera named by VGG_SCOPE_TEST_CAMERA, the camera portal's camera,
 * the device monitor's cameras), the preview (optionally mirrored), what the network sees and
 * its prediction, predictions per second and per-frame latency; play and pause (Space), one
 * frame either way and scrubbing for files, loop, full screen. Frames go to the workspace
 * through a ScopeLiveRunner (the newest frame wins); pausing classifies the frame shown, so
 * every other view works on it as on a still picture. Problems are told through "message".
 */
#pragma once

#include <gtk/gtk.h>

#include "scope-live-runner.h"
#include "scope-live-source.h"
#include "scope-workspace.h"

G_BEGIN_DECLS

#define SCOPE_TYPE_LIVE_PANEL (scope_live_panel_get_type ())

G_DECLARE_FINAL_TYPE (ScopeLivePanel, scope_live_panel, SCOPE, LIVE_PANEL, GtkWidget)

void             scope_live_panel_set_workspace (ScopeLivePanel *self,
                                                 ScopeWorkspace *workspace);
/* Plays a video file. */
void             scope_live_panel_open_file     (ScopeLivePanel *self,
                                                 GFile          *file);
/* Starts the source chosen in the list (the first: the test camera when there is one). */
void             scope_live_panel_start         (ScopeLivePanel *self);

/* For tests and tools. */
ScopeLiveSource *scope_live_panel_get_source    (ScopeLivePanel *self);
ScopeLiveRunner *scope_live_panel_get_runner    (ScopeLivePanel *self);
/* The status page's title ("No Camera Found") while nothing plays, else NULL. */
const char      *scope_live_panel_get_status    (ScopeLivePanel *self);

G_END_DECLS
