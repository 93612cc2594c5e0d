/* scope-heatmap.h — an explanation's raw result turned into one map over the network input
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Plain functions on float arrays (any thread), so the worker prepares what the panel shows:
 *   gradients [C, H, W]   the largest |value| over the channels at each pixel (Simonyan et
 *                         al. 2013); attributions that sum (gradient × input, integrated
 *                         gradients) add |value| over the channels instead
 *   Grad-CAM [H_L, W_L]   up-sampled bilinearly to [H, W], as PyTorch's interpolate
 *   occlusion [n_y, n_x]  each input pixel gets the mean drop of the positions whose patch
 *                         covers it, its positive part (hiding it lowered the class's score)
 * then scaled to [0, 1] by a high percentile, so one extreme pixel does not wash out the rest.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  SCOPE_HEATMAP_CHANNELS_MAX_ABS,  /* max_c |v| */
  SCOPE_HEATMAP_CHANNELS_SUM_ABS,  /* Σ_c |v| */
} ScopeHeatmapReduce;

/* @out [H, W] from @raw [C, H, W]. */
void  scope_heatmap_reduce_channels (float              *out,
                                     const float        *raw,
                                     int                 channels,
                                     int                 height,
                                     int                 width,
                                     ScopeHeatmapReduce  reduce);
/* @out [H, W] from an occlusion map [n_y, n_x] of @patch × @patch squares every @stride
 * pixels; NaN positions (not computed yet) are left out, and pixels no finished patch covers
 * are NaN. */
void  scope_heatmap_from_occlusion  (float              *out,
                                     int                 height,
                                     int                 width,
                                     const float        *map,
                                     int                 n_y,
                                     int                 n_x,
                                     int                 patch,
                                     int                 stride);
/* Divides @map (@n values) by its @percentile-th value among the positive finite ones and
 * clamps to [0, 1] (NaN stays NaN); returns that scale (0 when nothing is positive). */
float scope_heatmap_normalize       (float              *map,
                                     gsize               n,
                                     double              percentile);

G_END_DECLS
