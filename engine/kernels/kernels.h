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

#include <stdbool.h>
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

/* The nine rows of an im2col matrix one input plane [h, w] gives, for output rows
 * [y0, y0 + rows) of a 3×3 "same" convolution: row t = ky·3 + kx starts at col + t·col_stride
 * and holds plane (y + ky − 1, x + kx − 1) (zero outside the plane) at (y − y0)·w + x. Used
 * by the inference convolution (per image, in bands) and by training (per batch chunk). */
void   vgg_im2col_plane (float *col, size_t col_stride, const float *plane, int h, int w,
                         int y0, int rows);
/* The adjoint of vgg_im2col_plane() over the whole plane (y0 = 0, rows = h): adds the nine
 * rows back into @plane. */
void   vgg_col2im_plane (float *plane, const float *col, size_t col_stride, int h, int w);

/* Row-major C [m, n] = alpha · op(A) [m, k] · op(B) [k, n] + beta · C, like cblas_sgemm, cut
 * into blocks of columns (or rows) over the engine's threads (OpenBLAS itself stays
 * single-threaded, threads.h). Results do not depend on the thread count. */
void   vgg_sgemm_threaded (bool trans_a, bool trans_b, int m, int n, int k, float alpha,
                           const float *a, int lda, const float *b, int ldb, float beta,
                           float *c, int ldc);

/* In place: x = max (x, 0). */
void   vgg_relu (float *data, size_t count);

/* 2×2 stride-2 max-pool, floor mode: out [channels, h/2, w/2] from in [channels, h, w]. */
void   vgg_maxpool2x2 (float *out, const float *in, int channels, int h, int w);

/* Fully connected over a batch: out [batch, n_out] = in [batch, n_in] · weightᵀ + bias, with
 * weight [n_out, n_in] (PyTorch's layout). */
void   vgg_linear (float *out, const float *in, const float *weight, const float *bias,
                   int batch, int n_in, int n_out);
/* Only outputs [o0, o1) of every batch item (the rest of @out is left alone), so a caller can
 * split the rows over threads: the forward pass does (run.c), one block of rows per task. */
void   vgg_linear_rows (float *out, const float *in, const float *weight, const float *bias,
                        int batch, int n_in, int n_out, int o0, int o1);
void   vgg_linear_naive (float *out, const float *in, const float *weight, const float *bias,
                         int batch, int n_in, int n_out);

/* Row-wise softmax of in [batch, n] into out (may alias). */
void   vgg_softmax (float *out, const float *in, int batch, int n);

/* ---- layers over a changed rectangle (kernels/patched.c), for incremental inference ---- */

/* A tensor [channels, h, w] that equals @base except inside a rectangle, whose values are
 * kept apart: element (c, y, x) with y in [y, y + height), x in [x, x + width) is
 * data[c·ld + (y − rect.y)·rect.width + (x − rect.x)]. An empty rectangle (width or height 0)
 * means the tensor is @base. Several patched tensors of one layer can share a @data matrix
 * [channels, ld], each in its own columns. */
typedef struct
{
  const float *base;
  const float *data;
  size_t       ld;
  int          x, y, width, height;
} VggPatched;

/* The im2col rows of input channels [c0, c1) of @in (a [*, h, w] patched tensor) for the
 * output units [oy, oy + oh) × [ox, ox + ow) of a 3×3 "same" convolution (zero outside the
 * plane): row (c − c0)·9 + ky·3 + kx starts at col + row·col_stride and holds input
 * (c, y + ky − 1, x + kx − 1) at (y − oy)·ow + (x − ox). */
void   vgg_im2col_patched (float *col, size_t col_stride, const VggPatched *in, int c0, int c1,
                           int h, int w, int oy, int ox, int oh, int ow);

/* 2×2/2 max-pool of channels [c0, c1) of @in (a [*, h, w] patched tensor) for the output units
 * [oy, oy + oh) × [ox, ox + ow): unit (c, y, x) goes to out[(c − c0)·ld_out + (y − oy)·ow +
 * (x − ox)]. */
void   vgg_maxpool2x2_patched (float *out, size_t ld_out, const VggPatched *in, int c0, int c1,
                               int h, int w, int oy, int ox, int oh, int ow);

/* Copies channels [c0, c1) of @in (a [*, h, w] patched tensor) into the dense out [c1 − c0, h, w]. */
void   vgg_patched_dense (float *out, const VggPatched *in, int c0, int c1, int h, int w);

/* vgg_linear() with its output rows split over the engine's threads, as the forward pass
 * runs its fully connected layers. */
void   vgg_linear_threaded (float *out, const float *in, const float *weight, const float *bias,
                            int batch, int n_in, int n_out);
