/* scope-background.h — the scheduling priority of the app's background work
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The nice value of every thread that works for the window in the background (inference,
 * explanations, model loading, thumbnails, map tiles, the engine's pool): above the main
 * thread's, so that on a machine whose every core runs a forward pass the main thread still
 * gets the processor when a frame is due. 10 rather than 5: with a camera driving VGG16 on
 * two cores the main thread, in its frames over 20 ms, waited 22–38 ms a second for a core at 5, 17–29 ms at 10
 * (tools/bench-live --trace, interleaved), for the same predictions per second. */
#define SCOPE_BACKGROUND_NICENESS 10

void scope_background_init              (void);
void scope_background_lower_this_thread (void);

G_END_DECLS
