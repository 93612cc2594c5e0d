/* backward.h — training kernels: batched forward with saved state, and the backward pass (internal)
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Outputs first, then const inputs, then sizes (kernels.h's rule). Two layouts:
 *   - the naive references work on one image in C,H,W order (or [batch, n] for FC) and
 *     accumulate in double; they are what the tests check against finite differences;
 *   - the fast kernels work on a whole batch in C,N,H,W order ("CNHW": channel-major, the
 *     batch inside), so a convolution over the batch is one GEMM per chunk and each channel's
 *     values for batch norm are contiguous. For batch 1 the two layouts are the same.
 * Gradients of weights and biases are accumulated (+=) so callers can sum over images;
 * gradients of inputs are overwritten.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* ---- naive references (one image, C,H,W) ---- */

/* d/d in, weight, bias of out = conv3x3 (in, weight) + bias. @grad_in may be NULL. */
void   vgg_conv3x3_backward_naive (float *grad_in, float *grad_weight, float *grad_bias,
                                   const float *grad_out, const float *in, const float *weight,
                                   int c_in, int h, int w, int c_out);

/* Routes each output's gradient to the input the forward kernel picked (ties: the
 * first maximum in row-major order wins, as in PyTorch). Overwrites grad_in [channels, h, w]. */
void   vgg_maxpool2x2_backward_naive (float *grad_in, const float *grad_out, const float *in,
                                      int channels, int h, int w);

/* out [batch, n_out] = in [batch, n_in] · weightᵀ + bias. @grad_in may be NULL. */
void   vgg_linear_backward_naive (float *grad_in, float *grad_weight, float *grad_bias,
                                  const float *grad_out, const float *in, const float *weight,
                                  int batch, int n_in, int n_out);

/* Batch norm in training mode over x [channels, count] (each channel's count values
 * contiguous): y = γ·(x − mean)/√(var + eps) + β with the biased batch variance. */
void   vgg_batch_norm_forward_naive (float *y, const float *x, const float *gamma,
                                     const float *beta, int channels, size_t count, float eps);
void   vgg_batch_norm_backward_naive (float *grad_x, float *grad_gamma, float *grad_beta,
                                      const float *grad_y, const float *x, const float *gamma,
                                      int channels, size_t count, float eps);

/* ---- shared by both ---- */

/* In place: grad *= (out > 0), where out is the ReLU's output. */
void   vgg_relu_backward (float *grad, const float *out, size_t count);

/* Mean cross-entropy of softmax(logits [batch, n]) against labels; writes
 * grad_logits = (softmax − one-hot)/batch (may be NULL) and counts argmax hits. */
double vgg_softmax_cross_entropy (float *grad_logits, const float *logits, const int *labels,
                                  int batch, int n, int *n_correct);

/* grad_in = p ⊙ (grad_out − Σ grad_out ⊙ p) for p = softmax rows [batch, n]; may alias. */
void   vgg_softmax_backward (float *grad_in, const float *grad_out, const float *probs,
                             int batch, int n);

/* ---- fast batched kernels (C,N,H,W) ---- */

/* Floats of im2col scratch the batched convolution wants for these sizes (it works in chunks
 * of images so the scratch stays a few MiB). */
size_t vgg_conv3x3_cnhw_scratch (int c_in, int batch, int h, int w);

/* out [c_out, batch, h, w] = weight ⋆ in [c_in, batch, h, w] + bias (bias may be NULL). */
void   vgg_conv3x3_forward_cnhw (float *out, const float *in, const float *weight,
                                 const float *bias, int c_in, int batch, int h, int w,
                                 int c_out, float *scratch, size_t scratch_size);

/* Gradients of the same: grad_in (may be NULL; overwritten), grad_weight and grad_bias
 * (may be NULL; accumulated). */
void   vgg_conv3x3_backward_cnhw (float *grad_in, float *grad_weight, float *grad_bias,
                                  const float *grad_out, const float *in, const float *weight,
                                  int c_in, int batch, int h, int w, int c_out, float *scratch,
                                  size_t scratch_size);

/* 2×2/2 max-pool over @planes planes of h × w (any layout whose planes are contiguous),
 * saving which of the four inputs won (0–3) in @argmax [planes, h/2, w/2]. */
void   vgg_maxpool2x2_forward_argmax (float *out, uint8_t *argmax, const float *in, size_t planes,
                                      int h, int w);
void   vgg_maxpool2x2_backward_argmax (float *grad_in, const float *grad_out,
                                       const uint8_t *argmax, size_t planes, int h, int w);

/* Batch norm in training mode over [channels, count] (C,N,H,W: count = batch·h·w). Saves
 * x̂ and 1/√(var + eps) per channel for the backward pass; updates the running statistics
 * (PyTorch's rule: r = (1 − m)·r + m·batch value, unbiased variance) if they are not NULL. */
void   vgg_batch_norm_forward_train (float *y, float *x_hat, float *inv_std, const float *x,
                                     const float *gamma, const float *beta, float *running_mean,
                                     float *running_var, float momentum, int channels,
                                     size_t count, float eps);
/* Inference: y = γ·(x − running mean)/√(running var + eps) + β. */
void   vgg_batch_norm_forward_eval (float *y, const float *x, const float *gamma,
                                    const float *beta, const float *running_mean,
                                    const float *running_var, int channels, size_t count,
                                    float eps);
/* Training-mode backward from the saved x̂ and inv_std; grad_gamma, grad_beta accumulate. */
void   vgg_batch_norm_backward_train (float *grad_x, float *grad_gamma, float *grad_beta,
                                      const float *grad_y, const float *x_hat,
                                      const float *inv_std, const float *gamma, int channels,
                                      size_t count);
/* Eval-mode backward (a per-channel affine map): grad_x = grad_y·γ/√(running var + eps);
 * grad_gamma += Σ grad_y·x̂, grad_beta += Σ grad_y with x̂ from the running statistics. */
void   vgg_batch_norm_backward_eval (float *grad_x, float *grad_gamma, float *grad_beta,
                                     const float *grad_y, const float *x, const float *gamma,
                                     const float *running_mean, const float *running_var,
                                     int channels, size_t count, float eps);

/* FC backward through sgemm: grad_in [batch, n_in] (may be NULL, overwritten), grad_weight
 * [n_out, n_in] and grad_bias [n_out] accumulated. */
void   vgg_linear_backward (float *grad_in, float *grad_weight, float *grad_bias,
                            const float *grad_out, const float *in, const float *weight,
                            int batch, int n_in, int n_out);

/* Layout changes between N,C,H,W and C,N,H,W (@plane = h·w). */
void   vgg_nchw_to_cnhw (float *out, const float *in, int batch, int channels, size_t plane);
void   vgg_cnhw_to_nchw (float *out, const float *in, int batch, int channels, size_t plane);
