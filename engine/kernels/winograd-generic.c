/* winograd-generic.c — the SIMD kernels for the baseline instruction set (SSE2 on x86-64): 4 floats per vector
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Compiled with its own instruction-set flags (engine/meson.build); only called after the
 * CPU has been checked (vgg_simd_kernels()).
 */
#include "config.h"

#define SIMD_VL      4
#define SIMD_NV_MAX  1
#define SIMD_NAME    "generic"
#define SIMD_KERNELS vgg_simd_kernels_generic

#include "winograd-simd.h"
