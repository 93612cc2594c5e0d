/* vgg-lesson.h — the arithmetic of a VGG lesson: parameter counts, multiply-adds, receptive
 * fields layer by layer, and what stacked 3×3 convolutions save against one large filter
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Pure functions of a model's layer table (vgg_model_layer()); no weights are read, so they
 * work on any model, and every number the app's Learn view prints comes from here.
 */
#pragma once

#include "vgg.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One layer, with the numbers its formulas need. */
typedef struct
{
  VggLayerKind kind;
  int          kernel;          /* k: 3 for a convolution, 2 for a pool, 0 for FC and softmax */
  int          stride;          /* s: 1 for a convolution, 2 for a pool, 0 for FC and softmax */
  /* parameters: weights + biases (+ 2·C_out for batch norm's γ and β, as in the file) */
  int64_t      weights;         /* conv: k·k·C_in·C_out; FC: n_in·n_out; otherwise 0 */
  int64_t      biases;          /* conv: C_out; FC: n_out */
  int64_t      batch_norm;      /* conv of a BN model: 2·C_out (γ, β); otherwise 0 */
  int64_t      params;          /* the sum, equal to VggLayer.params */
  int64_t      macs;            /* conv: k·k·C_in·C_out·H_out·W_out; FC: n_in·n_out; else 0 */
  int64_t      n_outputs;       /* C_out·H_out·W_out */
  /* receptive field: r_l = r_(l−1) + (k − 1)·j_(l−1), j_l = j_(l−1)·s; the input has r = j = 1.
   * FC and softmax units see the whole input: rf_out is then the input's larger side. */
  int          rf_in, jump_in;  /* r_(l−1), j_(l−1) */
  int          rf_out, jump_out;/* r_l, j_l */
} VggLayerLesson;

/* Fills @lesson for layer @index of @model; false if there is no such layer. */
bool vgg_lesson_layer (const VggModel *model, int index, VggLayerLesson *lesson);

/* The lesson of a block of stacked 3×3 convolutions: n of them, each followed by a ReLU, see
 * a (2n + 1) × (2n + 1) window of the block's input, with 9·C_in·C + (n − 1)·9·C² weights,
 * where one (2n + 1) × (2n + 1) convolution would need (2n + 1)²·C_in·C weights and give one
 * ReLU. Biases are left out of both sides (they are C per convolution). */
typedef struct
{
  int     block;                /* 1-based */
  int     n_convs;              /* n (1 for VGG11's first blocks: then there is no lesson) */
  int     first_layer;          /* the index of the block's first convolution */
  int     channels_in;          /* C_in: the block's input channels */
  int     channels;             /* C: the block's width */
  int     height, width;        /* the convolutions' output size (before the pool) */
  int     field;                /* 2n + 1 */
  int64_t stacked_weights;      /* 9·C_in·C + (n − 1)·9·C² */
  int64_t large_weights;        /* field²·C_in·C */
  int64_t stacked_macs;         /* stacked_weights·H·W */
  int64_t large_macs;           /* large_weights·H·W */
  int     stacked_relus;        /* n */
  int     large_relus;          /* 1 */
} VggBlockLesson;

/* Fills @lesson for block @block (1-based) of @model; false if there is no such block. */
bool vgg_lesson_block (const VggModel *model, int block, VggBlockLesson *lesson);

/* The bytes of layer @index's output at batch 1 (float32), what a run keeps for it when
 * the layer is watched; 0 if there is no such layer. */
int64_t vgg_lesson_activation_bytes (const VggModel *model, int index);

#ifdef __cplusplus
}
#endif
