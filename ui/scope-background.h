/* scope-background.h — the scheduling priority of the app's background work
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The nice value of every thread that works for the window in the background (inference,
 * explanations, model loading, thumbnails, the engine's pool): above the main thread's, so
 * that on a machine whose every core runs a forward pass the main thread still gets the
 * processor when a frame is due. */
#define SCOPE_BACKGROUND_NICENESS 5

void scope_background_init              (void);
void scope_background_lower_this_thread (void);

G_END_DECLS
