/* scope-memory.h — keeping the app's resident memory flat across many pictures
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each inference allocates megabytes (activations, captured feature maps) on whichever
 * worker thread runs it, and glibc keeps what is freed in one arena per thread: after a few
 * hundred pictures the app held twice the memory it needs (tools/stress-ui measures it).
 * The app limits the arenas and hands free memory back shortly after the last inference job
 * is gone (ui/scope-inference.c). Elsewhere than glibc this does nothing.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* At start-up, before any thread: at most two malloc arenas (the main thread, the workers),
 * and blocks of 4 MiB and more mapped on their own (until scope_memory_fit_frame). */
void scope_memory_limit_arenas (void);
/* A window of @bytes (width × height × 4 × scale²) paints every frame into a block of up
 * to that size: blocks that big come from the heap from now on (main thread only). */
void scope_memory_fit_frame    (gsize bytes);
/* Returns free heap pages to the system, now, if the process has grown by more than 5 %
 * (at most 32 MiB) since the first call or the last time it did: what one picture frees and
 * the next allocates again stays resident. On the main thread, one window frame's block
 * then stays touched at the heap's top for the next frame. */
void scope_memory_release      (void);
/* The same, on the main context once half a second has passed without another call (any
 * thread may call it; each call pushes the release back); called when no inference job is
 * left. */
void scope_memory_release_soon (void);

G_END_DECLS
