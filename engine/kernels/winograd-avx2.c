/* winograd-avx2.c — the SIMD kernels for AVX2 + FMA: 8 floats per vector, 8 accumulators of the 16 registers
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Compiled with its own instruction-set flags (engine/meson.build); only called after the
 * CPU has been checked (vgg_simd_kernels()).
 */
#include "config.h"

#define SIMD_VL      8
#define SIMD_NV_MAX  1
#define SIMD_NAME    "avx2"
#define SIMD_KERNELS vgg_simd_kernels_avx2

#include "winograd-simd.h"
