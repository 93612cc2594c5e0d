/* unit-private.h — the arithmetic of vgg-unit.h, apart from the runs that feed it (internal)
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vgg-unit.h"

/* The layer's tensors for one picture, from the probe's two runs (batch 1). */
typedef struct
{
  const float *previous;    /* the exact output of the layer before ([C_in, H_in, W_in]), or
                               the input for the first layer */
  const float *exact_pre;   /* the layer's exact pre-activation (= exact_out without ReLU) */
  const float *exact_out;
  const float *fast_pre;
  const float *fast_out;
  const char  *exact_algorithm;   /* constant strings (vgg_run_layer_profile()) */
  const char  *fast_algorithm;
} VggUnitTensors;

/* Builds the breakdown of a unit that vgg_unit_check() accepted. */
VggStatus vgg_unit_breakdown_build (VggUnitBreakdown     **breakdown,
                                    const VggModel        *model,
                                    int                    layer_index,
                                    int                    channel,
                                    int                    y,
                                    int                    x,
                                    const VggUnitTensors  *tensors,
                                    VggError              *error);
