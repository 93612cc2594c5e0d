/* winograd-avx512.c — the SIMD kernels for AVX-512F: 16 floats per vector, 8 × 3 accumulators of the 32 registers
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Compiled with its own instruction-set flags (engine/meson.build); only called after the
 * CPU has been checked (vgg_simd_kernels()).
 */
#include "config.h"

#define SIMD_VL      16
#define SIMD_NV_MAX  3
#define SIMD_NAME    "avx512"
#define SIMD_KERNELS vgg_simd_kernels_avx512

#include "winograd-simd.h"
