/* scope-inference-private.h — what the tests may ask the inference jobs, and nothing else may
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "scope-inference.h"

G_BEGIN_DECLS

/* Jobs whose completion has not been delivered yet, plus hand-overs (input pictures, layers)
 * still queued for the main context, over all jobs. 0 means nothing more can arrive from any
 * job started so far: a test waits for it instead of for a fixed time. */
guint scope_inference_get_n_in_flight (void);

G_END_DECLS
