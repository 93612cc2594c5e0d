/* kernels.h — the layer kernels: plain functions over contiguous float arrays (internal)
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Outputs first, then const inputs, then sizes. Every tensor is one image in C,H,W order
 * unless a batch is named. Each fast kernel has a naive twin kept as the reference the
 * tests hold it to.
 */
#pragma once

#include <stddef.h>

/* 3×3 stride-1 "same" (zero-padded) convolution plus bias, one image:
 * out [c_out, h, w] = weight [c_out, c_in, 3, 3] ⋆ in [c_in, h, w] + bias [c_out]. */
void   vgg_conv3x3_naive (float *out, const float *in, const float *weight, const float *bias,
                          int c_in, int h, int w, int c_out);

/* The same through im2col and sgemm, in bands of rows so @scratch stays small; @scratch
 * holds at least vgg_conv3x3_im2col_scratch() floats. */
void   vgg_conv3x3_im2col (float *out, const float *in, const float *weight, const float *bias,
                           int c_in, int h, int w, int c_out, float *scratch);
size_t vgg_conv3x3_im2col_scratch (int c_in, int h, int w);

/* In place: x = max (x, 0). */
void   vgg_relu (float *data, size_t count);

/* 2×2 stride-2 max-pool, floor mode: out [channels, h/2, w/2] from in [channels, h, w]. */
void   vgg_maxpool2x2 (float *out, const float *in, int channels, int h, int w);

/* Fully connected over a batch: out [batch, n_out] = in [batch, n_in] · weightᵀ + bias, with
 * weight [n_out, n_in] (PyTorch's layout). */
void   vgg_linear (float *out, const float *in, const float *weight, const float *bias,
                   int batch, int n_in, int n_out);
void   vgg_linear_naive (float *out, const float *in, const float *weight, const float *bias,
                         int batch, int n_in, int n_out);

/* Row-wise softmax of in [batch, n] into out (may alias). */
void   vgg_softmax (float *out, const float *in, int batch, int n);
