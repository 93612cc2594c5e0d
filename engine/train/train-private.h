/* train-private.h — the network that runs forward with saved state and backward (internal)
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One VggNet serves both the trainer (own weights, BN, dropout, parameter gradients, batches)
 * and VggGradient (a borrowed inference model at batch 1, input gradients only). Conv
 * activations are C,N,H,W (see backward.h); FC activations are [batch, n].
 */
#pragma once

#include "vgg-train.h"
#include "model-private.h"

#define VGG_BN_EPSILON  1e-5f
#define VGG_BN_MOMENTUM 0.1f

typedef struct
{
  const VggLayer *layer;
  bool      bn;                 /* conv followed by batch norm (then no conv bias) */
  bool      flatten;            /* an FC layer whose input is a conv or pool map */
  float     dropout;            /* hidden FC: drop probability after the ReLU */

  /* parameters: owned by the trainer or borrowed (read-only) from a model */
  float    *weight, *bias, *gamma, *beta, *running_mean, *running_var;
  /* their gradients, or NULL when the net computes input gradients only */
  float    *grad_weight, *grad_bias, *grad_gamma, *grad_beta;

  /* per-batch state, sized for max_batch */
  size_t    count;              /* elements of one output at max_batch */
  float    *pre;                /* after bias / BN, before the ReLU (== out without a ReLU) */
  float    *out;                /* after the ReLU and dropout */
  float    *x_hat;              /* BN: normalised conv output (training pass) */
  float    *inv_std;            /* BN: [c_out] */
  uint8_t  *argmax;             /* pool: winners */
  uint8_t  *keep;               /* dropout: 1 kept, 0 dropped */
  float    *grad;               /* d / d out */
  float    *grad_pre;           /* d / d pre */
} VggNetLayer;

typedef struct
{
  const VggConfig *config;
  VggNetLayer     *layers;
  int              n_layers;
  int              max_batch;
  int              batch;        /* of the last forward */
  VggPass          pass;         /* of the last forward */
  uint64_t         rng;          /* dropout masks */

  float           *input;        /* [C, batch, H, W] */
  float           *grad_input;   /* [C, batch, H, W] */
  float           *flat;         /* [batch, n_in] of the first FC */
  float           *grad_flat;
  float           *raw;          /* a conv's output before BN */
  float           *scratch;      /* im2col */
  size_t           scratch_size;

  void           **blocks;       /* every buffer above, freed together */
  size_t          *block_sizes;
  int              n_blocks, n_blocks_allocated;
} VggNet;

/* Plans the buffers for @layers (a model's layer table) at @max_batch; parameters (and, for
 * training, their gradients) are set by the caller afterwards. @bn: every conv layer is
 * followed by batch norm; @dropout: after every hidden FC layer's ReLU. */
VggStatus vgg_net_init (VggNet *net, const VggConfig *config, const VggLayer *layers,
                        int n_layers, int max_batch, bool bn, float dropout, VggError *error);
void      vgg_net_clear (VggNet *net);

/* input [batch, C, H, W] (N,C,H,W). */
VggStatus vgg_net_forward (VggNet *net, const float *input, int batch, VggPass pass,
                           VggError *error);

/* Back from layer @from, whose seed gradient the caller has written into its grad (d / d out)
 * or, with @seed_pre, into its grad_pre. Overwrites the parameter gradients of layers
 * [0, from] (the caller zeroes them if it wants them overwritten, as the trainer does). If
 * @grad_input is not NULL it receives d / d input [batch, C, H, W]. */
VggStatus vgg_net_backward (VggNet *net, int from, bool seed_pre, float *grad_input,
                            VggError *error);

/* The input of layer @index in its own layout (conv/pool: C,N,H,W; FC: [batch, n_in]). */
const float *vgg_net_layer_input (const VggNet *net, int index);

/* splitmix64, and a uniform float in [0, 1) and a standard normal from it. */
uint64_t  vgg_random_next (uint64_t *state);
float     vgg_random_uniform (uint64_t *state);
float     vgg_random_normal (uint64_t *state);

