/* vgg-unit.h — one unit worked out by hand: the numbers that make its value
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For one unit of one layer and one input, the breakdown holds every number a student needs
 * to redo the unit's computation on paper, and the value summed from exactly those numbers
 * ("worked"), beside what the engine computed for the same unit:
 *
 *   convolution  the 3×3×C_in window of the previous layer's output around the unit (zeros
 *                where it hangs over the border: "same" padding), the output channel's filter
 *                (batch norm folded in), the 9·C_in products, one partial sum per input
 *                channel, the bias; pre = Σ partials + bias (in channel order), post =
 *                ReLU(pre). For a model that had batch norm, the layer's own γ, β, running
 *                mean and variance, ε and the convolution's bias before folding, so the fold
 *                w' = w·γ/√(σ²+ε), b' = (b − μ)·γ/√(σ²+ε) + β can be shown with real numbers.
 *   max-pool     the 2×2 window at (2y, 2x) of the previous output, row-major, and which
 *                value won: on ties the first in row-major order, as PyTorch's max_pool2d
 *                picks (and the engine's backward pass); post = that value.
 *   fully conn.  the VGG_UNIT_TOP_TERMS inputs whose weight × activation is largest in
 *                magnitude (largest first, ties by input index), the sum of all the other
 *                products, the bias; pre = Σ shown products + rest + bias; post = ReLU(pre)
 *                for hidden layers (fc6, fc7), pre itself for the classifier (fc8).
 *   softmax      every logit, its exponential, their sum and the unit's probability.
 *                Computed in the numerically stable form: with m the largest logit,
 *                probability = exp(l_k − m) / Σ exp(l_i − m); the true exponentials shown are
 *                exp(l_i − m)·e^m (and their sum Σ exp(l_i − m)·e^m), which is the same
 *                number where double precision can hold it (logits below about 709).
 *
 * Every product is formed in double precision from the float32 weight and activation, so it
 * is exact (24 + 24 bits fit in 53); sums are in double. The worked pre-activation equals the
 * engine's exact run (VggRunOptions.exact: the first convolution direct, the others im2col +
 * sgemm) within VGG_UNIT_RELATIVE_TOLERANCE × magnitude, where magnitude = Σ|w·x| + |b| over
 * the unit's terms (a max-pool's value is equal; a probability within that fraction of
 * itself). The breakdown also carries the default run's value (Winograd convolutions where
 * the engine's cost model picks them), whose difference from the exact one is float32
 * rounding in another order: a lesson in floating point, not a bug.
 *
 * Objects and lifetimes: a VggUnitProbe belongs to one thread at a time (like a VggRun),
 * except vgg_unit_probe_cancel(), which any thread may call. It borrows its model, which must
 * outlive it. It makes two runs on first use (exact, and default with the caller's options)
 * and keeps, for the last input and layer asked, the previous layer's exact output and the
 * layer's exact and default values, so further units of the same layer cost no forward pass.
 * A breakdown is owned by the caller (vgg_unit_breakdown_free()); it borrows nothing but its
 * layer descriptor, which lives as long as the model.
 */
#pragma once

#include "vgg.h"

#ifdef __cplusplus
extern "C" {
#endif

#define VGG_UNIT_TOP_TERMS          20     /* fully connected: products shown one by one */
#define VGG_UNIT_RELATIVE_TOLERANCE 1e-5   /* worked vs exact, relative to the magnitude */

/* One term of a fully connected unit: input @input of the flattened previous output (C,H,W
 * order: index = (c·H + y)·W + x). */
typedef struct
{
  int    input;
  float  weight;
  float  activation;
  double product;       /* weight × activation, exact */
} VggUnitTerm;

/* The batch norm of one output channel, as the file had it. */
typedef struct
{
  float  gamma;         /* BN weight */
  float  beta;          /* BN bias */
  float  mean;          /* running mean μ */
  float  var;           /* running variance σ² */
  double eps;           /* ε (1e-5, PyTorch's default) */
  float  conv_bias;     /* the convolution's bias b before folding */
  double scale;         /* γ / √(σ² + ε): every weight of the channel is multiplied by it */
  double folded_bias;   /* (b − μ)·scale + β, what the folded model adds (as float: bias) */
} VggUnitBatchNorm;

typedef struct
{
  int     channels_in;
  float  *window;       /* [channels_in, 3, 3]: previous output at rows y−1…y+1, columns
                           x−1…x+1; 0 where outside the map */
  bool    inside[9];    /* which of the 9 positions lie inside the map */
  float  *filter;       /* [channels_in, 3, 3]: weights of output channel c (BN folded) */
  double *products;     /* [channels_in, 3, 3]: window × filter */
  double *partials;     /* [channels_in]: the sum of each input channel's 9 products */
  int    *order;        /* [channels_in]: input channels by |partial|, largest first (ties by
                           channel) */
  bool    has_batch_norm;
  VggUnitBatchNorm batch_norm;   /* when has_batch_norm */
} VggUnitConv;

typedef struct
{
  float window[4];      /* rows 2y, 2y+1 × columns 2x, 2x+1 of the previous output, row-major */
  int   argmax_y;       /* the winner's row and column in the window (0 or 1) */
  int   argmax_x;
} VggUnitPool;

typedef struct
{
  int         n_inputs;
  int         n_top;                      /* min (n_inputs, VGG_UNIT_TOP_TERMS) */
  VggUnitTerm top[VGG_UNIT_TOP_TERMS];    /* largest |product| first */
  double      rest;                       /* the sum of the other n_inputs − n_top products */
  double      rest_magnitude;             /* and of their magnitudes */
} VggUnitDense;

typedef struct
{
  int     n_classes;
  float  *logits;       /* [n_classes], the exact run's */
  double *exps;         /* [n_classes], exp(logit) as stated above (+inf beyond double) */
  double  sum;          /* Σ exps */
  double  max_logit;    /* m */
  double  shifted_sum;  /* Σ exp(l_i − m), in [1, n_classes] */
} VggUnitSoftmax;

typedef struct
{
  int             layer_index;
  const VggLayer *layer;        /* borrowed from the model */
  VggLayerKind    kind;
  int             channel;      /* conv and pool: the unit is (channel, y, x); fully connected
                                   and softmax: the unit is channel, y = x = 0 */
  int             y, x;

  float           bias;         /* conv and fully connected (BN folded) */
  double          pre;          /* worked: the value before the ReLU (pool: the max; softmax:
                                   the logit) */
  double          post;         /* worked: the layer's output for the unit (softmax: the
                                   probability) */
  double          magnitude;    /* Σ|w·x| + |b| over the unit's terms (pool: |post|; softmax:
                                   the probability) */
  float           exact_pre, exact_post;   /* the engine's exact run */
  float           fast_pre, fast_post;     /* the engine's default run */
  const char     *exact_algorithm;         /* what computed the layer in each run, as
                                              vgg_run_layer_profile() names it
                                              ("im2col-sgemm", "winograd-f4x4+relu", …) */
  const char     *fast_algorithm;

  VggUnitConv     conv;         /* the part for the layer's kind; the others are zero */
  VggUnitPool     pool;
  VggUnitDense    dense;
  VggUnitSoftmax  softmax;
} VggUnitBreakdown;

void vgg_unit_breakdown_free (VggUnitBreakdown *breakdown);

typedef struct VggUnitProbe VggUnitProbe;

/* A probe for @model (borrowed). @fast_options are the default run's options (NULL: the
 * defaults); their exact flag is ignored (the probe's second run is always exact). Allocates
 * nothing large until the first vgg_unit_probe_compute(). */
VggStatus vgg_unit_probe_new (VggUnitProbe **probe, const VggModel *model,
                              const VggRunOptions *fast_options, VggError *error);
void      vgg_unit_probe_free (VggUnitProbe *probe);

/* Asks a computation running on @probe to stop (it returns VGG_STATUS_CANCELLED). Any
 * thread. A request made while nothing runs is dropped when the next computation starts. */
void      vgg_unit_probe_cancel (VggUnitProbe *probe);

/* Checks that (@channel, @y, @x) names a unit of layer @layer_index: conv and pool take all
 * three within the layer's output; fully connected and softmax a channel (class) and y = x = 0.
 * VGG_STATUS_INVALID_ARGUMENT with a message giving the valid ranges otherwise. */
VggStatus vgg_unit_check (const VggModel *model, int layer_index, int channel, int y, int x,
                          VggError *error);

/* Works out unit (@channel, @y, @x) of layer @layer_index for @input [C_in, H, W] (one
 * preprocessed picture, not modified) into a new *@breakdown. Runs the network up to that
 * layer (exact and default) unless the last call had the same input and layer. Errors:
 * VGG_STATUS_INVALID_ARGUMENT (vgg_unit_check()), VGG_STATUS_NOT_FINITE (the input),
 * VGG_STATUS_CANCELLED, VGG_STATUS_NO_MEMORY. */
VggStatus vgg_unit_probe_compute (VggUnitProbe *probe, const float *input, int layer_index,
                                  int channel, int y, int x, VggUnitBreakdown **breakdown,
                                  VggError *error);

/* The batch norm folded into output channel @channel of conv layer @layer_index: false when
 * the layer had none (or is no conv of @model). */
bool      vgg_model_batch_norm (const VggModel *model, int layer_index, int channel,
                                VggUnitBatchNorm *batch_norm);

#ifdef __cplusplus
}
#endif
