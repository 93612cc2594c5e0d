/* explain-private.h — the explainer's insides, shared by its core and its methods (internal)
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A forward pass saves, per input of the batch, one byte per unit of every conv and hidden FC
 * layer (z > 0) and one per pool output (which input of its window won); the activations
 * themselves live only in two ping-pong buffers, which the backward pass then reuses for the
 * gradients. One layer's values of the first input can be captured on the way (Grad-CAM's A,
 * a unit's value).
 */
#pragma once

#include "vgg-explain.h"
#include "model-private.h"
#include "winograd.h"

#include <stdatomic.h>
#include <stdint.h>

typedef struct
{
  const float    *weight, *bias;       /* the model's, or the sanity check's random ones */
  int             tile_forward;        /* conv: 4 or 2 (Winograd), 0 (im2col), -1 (direct) */
  int             tile_backward;       /* 4 or 2 (Winograd) or 0 (im2col with weight_back) */
  VggWinogradPlan forward[2];          /* [0] at batch 1, [1] at max_batch */
  VggWinogradPlan backward[2];
  float          *u, *u_back;          /* transformed kernels of both directions */
  float          *weight_back;         /* [c_in][c_out][3][3], flipped: the im2col backward's */
  uint8_t        *mask;                /* conv, hidden FC: [max_batch, count] z > 0 */
  uint8_t        *argmax;              /* pool: [max_batch, count] 0–3, the window's winner */
} ExplainLayer;

struct VggExplainer
{
  const VggModel        *model;
  const VggLayer        *layers;
  int                    n_layers;
  int                    classifier;   /* the logits layer, or -1 */
  int                    max_batch;
  const VggSimdKernels  *simd;
  bool                   exact;
  ExplainLayer          *ex;

  size_t                 input_count;  /* C·H·W */
  size_t                 max_count;    /* the largest of input_count and every layer's output */
  float                 *buffers[2];   /* max_batch × max_count each */
  float                 *capture;      /* max_count: one layer's values for input 0 */
  float                 *scratch;
  size_t                 scratch_count;
  float                 *logits;       /* [max_batch, n_classes] */
  float                 *inputs;       /* [max_batch, C, H, W]: a batch being built */
  float                 *sum;          /* [C, H, W] accumulators and results */
  float                 *aux;          /* [C, H, W] */
  void                  *rings;        /* [H·W] (distance², value) pairs: ERF statistics */
  float                 *random;       /* the sanity check's weights */
  size_t                 random_count;

  void                 **blocks;
  size_t                *block_sizes;
  int                    n_blocks;

  atomic_bool            cancel_requested;
  VggExplainProgressFunc progress;
  void                  *progress_data;
};

/* Forward @batch (1 or max_batch) inputs [batch, C, H, W] through layers [0, last]; the logits
 * (when the classifier is reached) go to explainer->logits; layer @capture's values for input 0
 * (before the ReLU) to explainer->capture (-1: none). Cancellable. */
VggStatus explain_forward (VggExplainer *explainer, const float *input, int batch, int last,
                           int capture, VggError *error);

/* Back from layer @from (@at_pre: the gradient in buffer @*slot is with respect to its value
 * before the ReLU) down to layer @stop's output (-1: the input) with @rule; the result stays
 * in explainer->buffers[*slot] ([batch, …] of the stop layer's output, or of the input). */
VggStatus explain_backward (VggExplainer *explainer, int batch, int from, bool at_pre,
                            VggReluRule rule, int stop, int *slot, VggError *error);

/* Writes the class seed into @grad: the gradient of logit @k with respect to the classifier's
 * input, which is row @k of its weights. */
void      explain_class_seed (VggExplainer *explainer, float *grad, int k);

/* A standard normal sample: splitmix64 and Box–Muller, as vgg-explain.h documents. */
float     vgg_explain_random_normal (uint64_t *state);

/* Calls the progress function, if any. */
void      explain_progress (VggExplainer *explainer, double fraction);
bool      explain_cancelled (VggExplainer *explainer);
