/* vgg-compare.h — side by side: two pictures on one model, two models on many pictures
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An engine header (conventions as vgg.h's; no GLib).
 *
 * Two pictures, one model: for every layer, the cosine similarity of the two flattened outputs
 * (after the ReLU where the layer has one; a pool's output; the softmax's probabilities), as
 * PyTorch's F.cosine_similarity (a, b, dim=0, eps=1e-8) gives it: a·b / max (‖a‖·‖b‖, 1e-8),
 * so a layer where one picture gives all zeros has cosine 0.
 *
 * Two models, n pictures: channels of separately trained networks do not correspond, so the
 * comparison is between representations. Linear CKA (Kornblith, Norouzi, Lee and Hinton,
 * "Similarity of Neural Network Representations Revisited", ICML 2019) of layer X of one model
 * ([n, p₁]: one flattened output per picture) and layer Y of the other ([n, p₂]), both with
 * their columns centred:
 *     CKA (X, Y) = ‖YᵀX‖²_F / (‖XᵀX‖_F · ‖YᵀY‖_F)
 * computed in its kernel form, which needs only the n × n Gram matrices K = XXᵀ and L = YYᵀ of
 * the uncentred outputs (so a layer of millions of values costs n² numbers, not n·p):
 *     K' = HKH, L' = HLH with H = I − 11ᵀ/n,   CKA = ⟨K', L'⟩ / (‖K'‖_F · ‖L'‖_F)
 * It is 1 for representations that differ by a rotation and a uniform scale, and undefined
 * (NAN here) when a layer's centred outputs are all zero (fewer than two distinct pictures).
 * Sums are in double precision.
 */
#pragma once

#include "vgg.h"

#ifdef __cplusplus
extern "C" {
#endif

/* a·b / max (‖a‖·‖b‖, 1e-8), in double precision. */
double    vgg_cosine_similarity (const float *a, const float *b, size_t count);

/* Runs @input_a and @input_b ([C, H, W] each, preprocessed for @model) and writes every
 * layer's cosine similarity to @cosines (vgg_model_n_layers() values, in layer order).
 * @options as vgg_run_new_with_options() (NULL: the defaults). */
VggStatus vgg_compare_inputs (const VggModel *model, const VggRunOptions *options,
                              const float *input_a, const float *input_b, double *cosines,
                              VggError *error);

/* Called after each forward pass with the fraction done; return false to stop (the call then
 * returns VGG_STATUS_CANCELLED). */
typedef bool (*VggCompareProgressFunc) (double fraction, void *user_data);

/* The Gram matrices of every layer's output over @n inputs (@inputs: n × [C, H, W],
 * preprocessed for @model): @grams receives n_layers × n × n doubles, grams[l][i][j] the dot
 * product of input i's and input j's flattened layer-l outputs. It keeps as many inputs'
 * outputs (every layer of them) as fit in @budget_mib (≤ 0: 256 MiB; at least one input) and
 * runs the others past them, so memory does not grow with n beyond that: n forward passes when
 * all fit, about n²/(2·kept) more when not. @progress may be NULL. */
VggStatus vgg_layer_grams (const VggModel *model, const VggRunOptions *options,
                           const float *inputs, int n, double budget_mib, double *grams,
                           VggCompareProgressFunc progress, void *user_data, VggError *error);

/* Linear CKA from the two uncentred n × n Gram matrices (row-major), as above; NAN when
 * undefined. */
double    vgg_linear_cka (const double *gram_a, const double *gram_b, int n);

#ifdef __cplusplus
}
#endif
