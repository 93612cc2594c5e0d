/* vgg-occlusion.h — occlusion maps: how much a class's logit drops when a square of the input
 *                   is hidden
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "Why this class?": a patch × patch square of the network input is set to 0 and slid with a
 * stride over the picture; at each position the map holds
 *
 *     map[i, j] = logit_k (clean input) − logit_k (input with the square at (i·stride, j·stride))
 *
 * for positions y₀ = 0, S, 2S, … while y₀ + P ≤ H (the same for x). A large positive value
 * means the hidden part mattered for class k. Zero in the preprocessed tensor is the mean
 * colour for the torchvision and Caffe presets and black for the others.
 *
 * Two ways to compute the same map:
 *   incremental (the default)  the clean pass's activations are kept and, for each position,
 *                              only the units whose receptive field meets the patch are
 *                              recomputed, layer by layer (a convolution unit changes iff its
 *                              3×3 window touches a changed unit, a pool unit iff its 2×2
 *                              window does), then the classifier; positions go in batches.
 *   exhaustive                 every occluded picture runs through the whole network, in
 *                              batches: the reference the incremental one is held to.
 * Both run the same code (im2col, then a matrix product) over rectangles of units: the whole
 * layers for every picture in the exhaustive mode, only the changed units in the incremental
 * one. The product is the engine's ordered GEMM, in which every unit is one chain of
 * multiply-adds over its inputs in a fixed order, whatever else is computed with it (an
 * optimised sgemm such as OpenBLAS's rounds a unit differently depending on the shape of the
 * product it is in); the classifier is computed the same way, each logit in full. So the two
 * maps are equal bit for bit — the tests ask for 1e-5 of the map's largest value — and both
 * are within float32 rounding of the engine's ordinary forward pass and of PyTorch. Winograd
 * was not used: its tiles mix a whole 6×6 input patch into every output, so only whole,
 * grid-aligned tiles could be recomputed (the gain capped by the tile-granular bound, about
 * 4.9× for P = 32, S = 16 on VGG16, against 6.8× for exactly the touched units).
 *
 * Objects and lifetimes: a VggOcclusion belongs to one thread (like a VggRun) except
 * vgg_occlusion_cancel(), which any thread may call. It keeps a pointer to its model, which
 * must outlive it. Its memory is planned when a computation first needs it for a shape (the
 * model, patch, stride, batch and mode) and reused while the shape stays the same; a new
 * shape replaces it. Nothing is allocated per position.
 *
 * Layouts: the input is one preprocessed picture [C_in, H, W] (C order, as vgg_model_preprocess
 * writes it); the map is [n_y, n_x], row-major, n_y = (H − patch) / stride + 1 and
 * n_x = (W − patch) / stride + 1 (vgg_occlusion_map_size()).
 */
#pragma once

#include "vgg.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct
{
  int   class_index;  /* k: the class whose logit is compared, 0 … n_classes − 1 */
  int   patch;        /* P: the square's side in input pixels, 1 … min (H, W) */
  int   stride;       /* S: the step between positions, ≥ 1 */
  bool  exhaustive;   /* recompute every occluded picture in full (the reference) */
  int   batch;        /* positions per pass; 0: a default sized for the model's memory */
  /* Called on the computing thread after every batch of positions, with @done of @total
   * positions finished; @map is the partial map [n_y, n_x] in which unfinished positions are
   * NaN. It is valid only during the call and must not be written. May be NULL. */
  void (*progress) (int done, int total, const float *map, void *user_data);
  void *user_data;
} VggOcclusionOptions;

/* The map's size for @model and a patch and stride: VGG_STATUS_INVALID_ARGUMENT when the
 * patch or stride is not positive or the patch is larger than the input. */
VggStatus vgg_occlusion_map_size (const VggModel *model, int patch, int stride, int *n_y,
                                  int *n_x, VggError *error);

typedef struct VggOcclusion VggOcclusion;

/* A computation object for @model (borrowed: it must outlive the object). Allocates nothing
 * large: memory comes with the first vgg_occlusion_compute(). */
VggStatus vgg_occlusion_new (VggOcclusion **occlusion, const VggModel *model, VggError *error);

/* Fills @map [n_y, n_x] for @input [C_in, H, W] (preprocessed, not modified). Errors:
 * VGG_STATUS_INVALID_ARGUMENT for a class outside the model's classes, a model without a
 * classifier, or a bad patch, stride or batch (the message says which and the limits);
 * VGG_STATUS_CANCELLED after vgg_occlusion_cancel() (@map then holds NaN where unfinished);
 * VGG_STATUS_NO_MEMORY. */
VggStatus vgg_occlusion_compute (VggOcclusion *occlusion, const float *input,
                                 const VggOcclusionOptions *options, float *map,
                                 VggError *error);

/* Asks a running vgg_occlusion_compute() to stop before its next layer; it then returns
 * VGG_STATUS_CANCELLED. Safe from any thread. A request made while nothing runs is dropped
 * when the next computation starts. */
void      vgg_occlusion_cancel (VggOcclusion *occlusion);

void      vgg_occlusion_free (VggOcclusion *occlusion);

#ifdef __cplusplus
}
#endif
