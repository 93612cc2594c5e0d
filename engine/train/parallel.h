/* parallel.h — the element-wise training kernels split over the engine's threads (internal)
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <stddef.h>

/* Computes [start, end) of the loop. */
typedef void (*VggRangeFunc) (size_t start, size_t end, void *data);

/* Calls @func on contiguous parts of [0, @n), one per engine thread, each at least @grain
 * long, and returns when all are done. */
void vgg_train_parallel (size_t n, size_t grain, VggRangeFunc func, void *data);
