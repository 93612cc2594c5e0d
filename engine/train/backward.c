/* backward.c — the backward pass: naive references, batched C,N,H,W kernels, batch norm, loss
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "backward.h"
#include "kernels.h"
#include "parallel.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The batched convolution unfolds this many floats at most per GEMM (16 MiB), at least one
 * image. */
#define VGG_CNHW_CHUNK_FLOATS ((size_t) 1 << 22)

/* ---- naive references ---- */

void
vgg_conv3x3_backward_naive (float       *grad_in,
                            float       *grad_weight,
                            float       *grad_bias,
                            const float *grad_out,
                            const float *in,
                            const float *weight,
                            int          c_in,
                            int          h,
                            int          w,
                            int          c_out)
{
  size_t plane = (size_t) h * w;

  if (grad_bias != NULL)
    for (int o = 0; o < c_out; o++)
      {
        double sum = 0.0;
        for (size_t i = 0; i < plane; i++)
          sum += grad_out[o * plane + i];
        grad_bias[o] += (float) sum;
      }

  if (grad_weight != NULL)
    for (int o = 0; o < c_out; o++)
      for (int c = 0; c < c_in; c++)
        for (int ky = 0; ky < 3; ky++)
          for (int kx = 0; kx < 3; kx++)
            {
              double sum = 0.0;
              for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                  {
                    int iy = y + ky - 1, ix = x + kx - 1;
                    if (iy < 0 || iy >= h || ix < 0 || ix >= w)
                      continue;
                    sum += (double) grad_out[o * plane + (size_t) y * w + x]
                           * in[c * plane + (size_t) iy * w + ix];
                  }
              grad_weight[((size_t) (o * c_in + c) * 3 + ky) * 3 + kx] += (float) sum;
            }

  if (grad_in != NULL)
    for (int c = 0; c < c_in; c++)
      for (int iy = 0; iy < h; iy++)
        for (int ix = 0; ix < w; ix++)
          {
            double sum = 0.0;
            for (int o = 0; o < c_out; o++)
              for (int ky = 0; ky < 3; ky++)
                for (int kx = 0; kx < 3; kx++)
                  {
                    int y = iy - ky + 1, x = ix - kx + 1;
                    if (y < 0 || y >= h || x < 0 || x >= w)
                      continue;
                    sum += (double) grad_out[o * plane + (size_t) y * w + x]
                           * weight[((size_t) (o * c_in + c) * 3 + ky) * 3 + kx];
                  }
            grad_in[c * plane + (size_t) iy * w + ix] = (float) sum;
          }
}

/* Which of the four inputs a 2×2 window routes its gradient to: 0 top-left, 1 top-right,
 * 2 bottom-left, 3 bottom-right; on ties the first maximum in row-major order, as PyTorch's
 * max_pool2d does (the forward value is the same whichever tied input wins). */
static inline int
pool_winner (const float *row0,
             const float *row1,
             int          x)
{
  int a = row0[2 * x + 1] > row0[2 * x] ? 1 : 0;
  int b = row1[2 * x + 1] > row1[2 * x] ? 3 : 2;
  float va = row0[2 * x + a];
  float vb = row1[2 * x + (b & 1)];

  return vb > va ? b : a;
}

void
vgg_maxpool2x2_backward_naive (float       *grad_in,
                               const float *grad_out,
                               const float *in,
                               int          channels,
                               int          h,
                               int          w)
{
  int h_out = h / 2, w_out = w / 2;

  memset (grad_in, 0, sizeof (float) * (size_t) channels * h * w);
  for (int c = 0; c < channels; c++)
    for (int y = 0; y < h_out; y++)
      for (int x = 0; x < w_out; x++)
        {
          const float *row0 = in + ((size_t) c * h + 2 * y) * w;
          int k = pool_winner (row0, row0 + w, x);
          size_t at = ((size_t) c * h + 2 * y + (k >> 1)) * w + 2 * x + (k & 1);

          grad_in[at] += grad_out[((size_t) c * h_out + y) * w_out + x];
        }
}

void
vgg_linear_backward_naive (float       *grad_in,
                           float       *grad_weight,
                           float       *grad_bias,
                           const float *grad_out,
                           const float *in,
                           const float *weight,
                           int          batch,
                           int          n_in,
                           int          n_out)
{
  for (int o = 0; o < n_out; o++)
    {
      double sum_b = 0.0;
      for (int n = 0; n < batch; n++)
        sum_b += grad_out[(size_t) n * n_out + o];
      if (grad_bias != NULL)
        grad_bias[o] += (float) sum_b;
      if (grad_weight != NULL)
        for (int i = 0; i < n_in; i++)
          {
            double sum = 0.0;
            for (int n = 0; n < batch; n++)
              sum += (double) grad_out[(size_t) n * n_out + o] * in[(size_t) n * n_in + i];
            grad_weight[(size_t) o * n_in + i] += (float) sum;
          }
    }
  if (grad_in != NULL)
    for (int n = 0; n < batch; n++)
      for (int i = 0; i < n_in; i++)
        {
          double sum = 0.0;
          for (int o = 0; o < n_out; o++)
            sum += (double) grad_out[(size_t) n * n_out + o] * weight[(size_t) o * n_in + i];
          grad_in[(size_t) n * n_in + i] = (float) sum;
        }
}

static void
channel_moments (const float *x,
                 size_t       count,
                 double      *mean_out,
                 double      *var_out)
{
  double mean = 0.0, var = 0.0;

  for (size_t i = 0; i < count; i++)
    mean += x[i];
  mean /= (double) count;
  for (size_t i = 0; i < count; i++)
    var += ((double) x[i] - mean) * ((double) x[i] - mean);
  *mean_out = mean;
  *var_out = var / (double) count;
}

void
vgg_batch_norm_forward_naive (float       *y,
                              const float *x,
                              const float *gamma,
                              const float *beta,
                              int          channels,
                              size_t       count,
                              float        eps)
{
  for (int c = 0; c < channels; c++)
    {
      const float *xc = x + c * count;
      double mean, var, inv;

      channel_moments (xc, count, &mean, &var);
      inv = 1.0 / sqrt (var + eps);
      for (size_t i = 0; i < count; i++)
        y[c * count + i] = (float) (gamma[c] * ((xc[i] - mean) * inv) + beta[c]);
    }
}

void
vgg_batch_norm_backward_naive (float       *grad_x,
                               float       *grad_gamma,
                               float       *grad_beta,
                               const float *grad_y,
                               const float *x,
                               const float *gamma,
                               int          channels,
                               size_t       count,
                               float        eps)
{
  /* the textbook form: through x̂, var and mean separately */
  for (int c = 0; c < channels; c++)
    {
      const float *xc = x + c * count, *gy = grad_y + c * count;
      double mean, var, inv, d_var = 0.0, d_mean = 0.0, sum_dy = 0.0, sum_dy_xhat = 0.0;
      double m = (double) count;

      channel_moments (xc, count, &mean, &var);
      inv = 1.0 / sqrt (var + eps);
      for (size_t i = 0; i < count; i++)
        {
          double d_xhat = (double) gy[i] * gamma[c];
          d_var += d_xhat * (xc[i] - mean) * -0.5 * inv * inv * inv;
          d_mean += -d_xhat * inv;
          sum_dy += gy[i];
          sum_dy_xhat += gy[i] * (xc[i] - mean) * inv;
        }
      /* d var / d mean = −2 Σ (x − mean)/m = 0 */
      for (size_t i = 0; i < count; i++)
        {
          double d_xhat = (double) gy[i] * gamma[c];
          grad_x[c * count + i] = (float) (d_xhat * inv + d_var * 2.0 * (xc[i] - mean) / m
                                           + d_mean / m);
        }
      if (grad_gamma != NULL)
        grad_gamma[c] += (float) sum_dy_xhat;
      if (grad_beta != NULL)
        grad_beta[c] += (float) sum_dy;
    }
}

/* ---- shared ---- */

void
vgg_relu_backward (float       *grad,
                   const float *out,
                   size_t       count)
{
  for (size_t i = 0; i < count; i++)
    grad[i] = out[i] > 0.0f ? grad[i] : 0.0f;
}

double
vgg_softmax_cross_entropy (float       *grad_logits,
                           const float *logits,
                           const int   *labels,
                           int          batch,
                           int          n,
                           int         *n_correct)
{
  double loss = 0.0;
  int correct = 0;

  for (int b = 0; b < batch; b++)
    {
      const float *z = logits + (size_t) b * n;
      double max = z[0], sum = 0.0;
      int best = 0;

      for (int k = 1; k < n; k++)
        if (z[k] > max)
          max = z[k], best = k;
      for (int k = 0; k < n; k++)
        sum += exp (z[k] - max);
      loss += log (sum) - (z[labels[b]] - max);
      correct += best == labels[b];
      if (grad_logits != NULL)
        for (int k = 0; k < n; k++)
          grad_logits[(size_t) b * n + k] = (float) ((exp (z[k] - max) / sum
                                                      - (k == labels[b] ? 1.0 : 0.0))
                                                     / batch);
    }
  if (n_correct != NULL)
    *n_correct = correct;
  return batch > 0 ? loss / batch : 0.0;
}

void
vgg_softmax_backward (float       *grad_in,
                      const float *grad_out,
                      const float *probs,
                      int          batch,
                      int          n)
{
  for (int b = 0; b < batch; b++)
    {
      const float *p = probs + (size_t) b * n, *g = grad_out + (size_t) b * n;
      float *d = grad_in + (size_t) b * n;
      double dot = 0.0;

      for (int k = 0; k < n; k++)
        dot += (double) g[k] * p[k];
      for (int k = 0; k < n; k++)
        d[k] = (float) (p[k] * (g[k] - dot));
    }
}

/* ---- fast batched kernels ---- */

static int
chunk_images (int c_in,
              int batch,
              int h,
              int w)
{
  size_t per_image = (size_t) c_in * 9 * (size_t) h * w;
  size_t n = VGG_CNHW_CHUNK_FLOATS / (per_image > 0 ? per_image : 1);

  if (n < 1)
    n = 1;
  if (n > (size_t) batch)
    n = (size_t) batch;
  return (int) n;
}

size_t
vgg_conv3x3_cnhw_scratch (int c_in,
                          int batch,
                          int h,
                          int w)
{
  return (size_t) chunk_images (c_in, batch, h, w) * c_in * 9 * (size_t) h * w;
}

/* The arguments of im2col_cnhw and col2im_cnhw, split over channels. */
typedef struct
{
  float       *col;
  const float *in;
  float       *grad_in;
  int          batch, h, w, n0, n_images;
} ColumnJob;

static void
im2col_channels (size_t  c_first,
                 size_t  c_end,
                 void   *data)
{
  const ColumnJob *job = data;
  size_t plane = (size_t) job->h * job->w, row_len = (size_t) job->n_images * plane;

  for (size_t c = c_first; c < c_end; c++)
    for (int n = 0; n < job->n_images; n++)
      vgg_im2col_plane (job->col + c * 9 * row_len + (size_t) n * plane, row_len,
                        job->in + (c * (size_t) job->batch + (size_t) (job->n0 + n)) * plane,
                        job->h, job->w, 0, job->h);
}

static void
col2im_channels (size_t  c_first,
                 size_t  c_end,
                 void   *data)
{
  const ColumnJob *job = data;
  size_t plane = (size_t) job->h * job->w, row_len = (size_t) job->n_images * plane;

  for (size_t c = c_first; c < c_end; c++)
    for (int n = 0; n < job->n_images; n++)
      vgg_col2im_plane (job->grad_in + (c * (size_t) job->batch + (size_t) (job->n0 + n)) * plane,
                        job->col + c * 9 * row_len + (size_t) n * plane, row_len, job->h,
                        job->w);
}

/* col [c_in·9, n_images·h·w] from images [n0, n0 + n_images) of in [c_in, batch, h, w]. */
static void
im2col_cnhw (float       *col,
             const float *in,
             int          c_in,
             int          batch,
             int          h,
             int          w,
             int          n0,
             int          n_images)
{
  ColumnJob job = { col, in, NULL, batch, h, w, n0, n_images };

  vgg_train_parallel ((size_t) c_in, 1, im2col_channels, &job);
}

/* The adjoint of im2col_cnhw: adds col back into images [n0, n0 + n_images) of grad_in,
 * which the caller has zeroed. */
static void
col2im_cnhw (float       *grad_in,
             const float *col,
             int          c_in,
             int          batch,
             int          h,
             int          w,
             int          n0,
             int          n_images)
{
  ColumnJob job = { (float *) col, NULL, grad_in, batch, h, w, n0, n_images };

  vgg_train_parallel ((size_t) c_in, 1, col2im_channels, &job);
}

void
vgg_conv3x3_forward_cnhw (float       *out,
                          const float *in,
                          const float *weight,
                          const float *bias,
                          int          c_in,
                          int          batch,
                          int          h,
                          int          w,
                          int          c_out,
                          float       *scratch,
                          size_t       scratch_size)
{
  size_t plane = (size_t) h * w, total = (size_t) batch * plane;
  int k = c_in * 9;
  int chunk = chunk_images (c_in, batch, h, w);

  while (chunk > 1 && (size_t) chunk * k * plane > scratch_size)
    chunk--;

  for (int o = 0; o < c_out; o++)
    {
      float b = bias != NULL ? bias[o] : 0.0f;
      float *dst = out + (size_t) o * total;
      for (size_t i = 0; i < total; i++)
        dst[i] = b;
    }

  for (int n0 = 0; n0 < batch; n0 += chunk)
    {
      int nb = n0 + chunk <= batch ? chunk : batch - n0;
      int n = (int) ((size_t) nb * plane);

      im2col_cnhw (scratch, in, c_in, batch, h, w, n0, nb);
      vgg_sgemm_threaded (false, false, c_out, n, k, 1.0f, weight, k, scratch, n, 1.0f,
                          out + (size_t) n0 * plane, (int) total);
    }
}

typedef struct
{
  float       *grad_bias;
  const float *grad_out;
  size_t       total;
} BiasJob;

static void
bias_sum_channels (size_t  first,
                   size_t  end,
                   void   *data)
{
  const BiasJob *job = data;

  for (size_t o = first; o < end; o++)
    {
      const float *g = job->grad_out + o * job->total;
      double sum = 0.0;
      for (size_t i = 0; i < job->total; i++)
        sum += g[i];
      job->grad_bias[o] += (float) sum;
    }
}

void
vgg_conv3x3_backward_cnhw (float       *grad_in,
                           float       *grad_weight,
                           float       *grad_bias,
                           const float *grad_out,
                           const float *in,
                           const float *weight,
                           int          c_in,
                           int          batch,
                           int          h,
                           int          w,
                           int          c_out,
                           float       *scratch,
                           size_t       scratch_size)
{
  size_t plane = (size_t) h * w, total = (size_t) batch * plane;
  int k = c_in * 9;
  int chunk = chunk_images (c_in, batch, h, w);

  while (chunk > 1 && (size_t) chunk * k * plane > scratch_size)
    chunk--;

  if (grad_bias != NULL)
    {
      BiasJob job = { grad_bias, grad_out, total };
      vgg_train_parallel ((size_t) c_out, 1, bias_sum_channels, &job);
    }

  if (grad_in != NULL)
    memset (grad_in, 0, sizeof (float) * (size_t) c_in * total);

  for (int n0 = 0; n0 < batch; n0 += chunk)
    {
      int nb = n0 + chunk <= batch ? chunk : batch - n0;
      int n = (int) ((size_t) nb * plane);

      if (grad_weight != NULL)
        {
          im2col_cnhw (scratch, in, c_in, batch, h, w, n0, nb);
          /* grad_weight [c_out, k] += grad_out [c_out, n] · colᵀ [n, k] */
          vgg_sgemm_threaded (false, true, c_out, k, n, 1.0f, grad_out + (size_t) n0 * plane,
                              (int) total, scratch, n, 1.0f, grad_weight, k);
        }
      if (grad_in != NULL)
        {
          /* grad_col [k, n] = weightᵀ [k, c_out] · grad_out [c_out, n] */
          vgg_sgemm_threaded (true, false, k, n, c_out, 1.0f, weight, k,
                              grad_out + (size_t) n0 * plane, (int) total, 0.0f, scratch, n);
          col2im_cnhw (grad_in, scratch, c_in, batch, h, w, n0, nb);
        }
    }
}

typedef struct
{
  float         *out;
  uint8_t       *argmax;
  const float   *in;
  int            h, w;
} PoolJob;

static void
pool_forward_planes (size_t  first,
                     size_t  end,
                     void   *data)
{
  const PoolJob *job = data;
  int h = job->h, w = job->w, h_out = h / 2, w_out = w / 2;

  for (size_t p = first; p < end; p++)
    {
      const float *src = job->in + p * h * w;
      float *dst = job->out + p * h_out * w_out;
      uint8_t *arg = job->argmax + p * h_out * w_out;

      for (int y = 0; y < h_out; y++)
        {
          const float *row0 = src + (size_t) (2 * y) * w, *row1 = row0 + w;

          for (int x = 0; x < w_out; x++)
            {
              int k = pool_winner (row0, row1, x);

              arg[y * w_out + x] = (uint8_t) k;
              dst[y * w_out + x] = (k < 2 ? row0 : row1)[2 * x + (k & 1)];
            }
        }
    }
}

void
vgg_maxpool2x2_forward_argmax (float       *out,
                               uint8_t     *argmax,
                               const float *in,
                               size_t       planes,
                               int          h,
                               int          w)
{
  PoolJob job = { out, argmax, in, h, w };

  vgg_train_parallel (planes, 16, pool_forward_planes, &job);
}

static void
pool_backward_planes (size_t  first,
                      size_t  end,
                      void   *data)
{
  const PoolJob *job = data;
  int h = job->h, w = job->w, h_out = h / 2, w_out = w / 2;

  for (size_t p = first; p < end; p++)
    {
      float *dst = job->out + p * h * w;
      const float *g = job->in + p * h_out * w_out;
      const uint8_t *arg = job->argmax + p * h_out * w_out;

      memset (dst, 0, sizeof (float) * h * w);
      for (int y = 0; y < h_out; y++)
        for (int x = 0; x < w_out; x++)
          {
            int k = arg[y * w_out + x];
            dst[(size_t) (2 * y + (k >> 1)) * w + 2 * x + (k & 1)] = g[y * w_out + x];
          }
    }
}

void
vgg_maxpool2x2_backward_argmax (float         *grad_in,
                                const float   *grad_out,
                                const uint8_t *argmax,
                                size_t         planes,
                                int            h,
                                int            w)
{
  PoolJob job = { grad_in, (uint8_t *) argmax, grad_out, h, w };

  vgg_train_parallel (planes, 16, pool_backward_planes, &job);
}

typedef struct
{
  float       *y, *x_hat, *inv_std, *running_mean, *running_var;
  const float *x, *gamma, *beta, *grad_y;
  float       *grad_x, *grad_gamma, *grad_beta;
  float        momentum, eps;
  size_t       count;
} NormJob;

static void
norm_forward_channels (size_t  c_first,
                       size_t  c_end,
                       void   *data)
{
  const NormJob *job = data;
  size_t count = job->count;

  for (size_t c = c_first; c < c_end; c++)
    {
      const float *xc = job->x + c * count;
      float *yc = job->y + c * count, *hc = job->x_hat + c * count;
      double mean, var;
      float m, inv;

      channel_moments (xc, count, &mean, &var);
      m = (float) mean;
      inv = (float) (1.0 / sqrt (var + job->eps));
      for (size_t i = 0; i < count; i++)
        {
          float v = (xc[i] - m) * inv;
          hc[i] = v;
          yc[i] = job->gamma[c] * v + job->beta[c];
        }
      job->inv_std[c] = inv;
      if (job->running_mean != NULL && job->running_var != NULL)
        {
          double unbiased = count > 1 ? var * (double) count / (double) (count - 1) : var;
          job->running_mean[c] = (float) ((1.0 - job->momentum) * job->running_mean[c]
                                          + job->momentum * mean);
          job->running_var[c] = (float) ((1.0 - job->momentum) * job->running_var[c]
                                         + job->momentum * unbiased);
        }
    }
}

void
vgg_batch_norm_forward_train (float       *y,
                              float       *x_hat,
                              float       *inv_std,
                              const float *x,
                              const float *gamma,
                              const float *beta,
                              float       *running_mean,
                              float       *running_var,
                              float        momentum,
                              int          channels,
                              size_t       count,
                              float        eps)
{
  NormJob job = {
    .y = y, .x_hat = x_hat, .inv_std = inv_std, .running_mean = running_mean,
    .running_var = running_var, .x = x, .gamma = gamma, .beta = beta, .momentum = momentum,
    .eps = eps, .count = count,
  };

  vgg_train_parallel ((size_t) channels, 1, norm_forward_channels, &job);
}

void
vgg_batch_norm_forward_eval (float       *y,
                             const float *x,
                             const float *gamma,
                             const float *beta,
                             const float *running_mean,
                             const float *running_var,
                             int          channels,
                             size_t       count,
                             float        eps)
{
  for (int c = 0; c < channels; c++)
    {
      float scale = gamma[c] / sqrtf (running_var[c] + eps);
      float shift = beta[c] - running_mean[c] * scale;
      const float *xc = x + c * count;
      float *yc = y + c * count;

      for (size_t i = 0; i < count; i++)
        yc[i] = xc[i] * scale + shift;
    }
}

static void
norm_backward_channels (size_t  c_first,
                        size_t  c_end,
                        void   *data)
{
  const NormJob *job = data;
  size_t count = job->count;

  /* dx = γ/σ · (dy − mean(dy) − x̂·mean(dy·x̂)) */
  for (size_t c = c_first; c < c_end; c++)
    {
      const float *gy = job->grad_y + c * count, *hc = job->x_hat + c * count;
      float *gx = job->grad_x + c * count;
      double sum_dy = 0.0, sum_dy_xhat = 0.0;
      float mean_dy, mean_dy_xhat, scale;

      for (size_t i = 0; i < count; i++)
        {
          sum_dy += gy[i];
          sum_dy_xhat += (double) gy[i] * hc[i];
        }
      if (job->grad_gamma != NULL)
        job->grad_gamma[c] += (float) sum_dy_xhat;
      if (job->grad_beta != NULL)
        job->grad_beta[c] += (float) sum_dy;
      mean_dy = (float) (sum_dy / (double) count);
      mean_dy_xhat = (float) (sum_dy_xhat / (double) count);
      scale = job->gamma[c] * job->inv_std[c];
      for (size_t i = 0; i < count; i++)
        gx[i] = scale * (gy[i] - mean_dy - hc[i] * mean_dy_xhat);
    }
}

void
vgg_batch_norm_backward_train (float       *grad_x,
                               float       *grad_gamma,
                               float       *grad_beta,
                               const float *grad_y,
                               const float *x_hat,
                               const float *inv_std,
                               const float *gamma,
                               int          channels,
                               size_t       count)
{
  NormJob job = {
    .x_hat = (float *) x_hat, .inv_std = (float *) inv_std, .gamma = gamma,
    .grad_y = grad_y, .grad_x = grad_x, .grad_gamma = grad_gamma, .grad_beta = grad_beta,
    .count = count,
  };

  vgg_train_parallel ((size_t) channels, 1, norm_backward_channels, &job);
}

void
vgg_batch_norm_backward_eval (float       *grad_x,
                              float       *grad_gamma,
                              float       *grad_beta,
                              const float *grad_y,
                              const float *x,
                              const float *gamma,
                              const float *running_mean,
                              const float *running_var,
                              int          channels,
                              size_t       count,
                              float        eps)
{
  for (int c = 0; c < channels; c++)
    {
      float inv = 1.0f / sqrtf (running_var[c] + eps);
      const float *gy = grad_y + c * count, *xc = x + c * count;
      float *gx = grad_x + c * count;
      double sum_dy = 0.0, sum_dy_xhat = 0.0;

      for (size_t i = 0; i < count; i++)
        {
          sum_dy += gy[i];
          sum_dy_xhat += (double) gy[i] * (xc[i] - running_mean[c]) * inv;
          gx[i] = gy[i] * gamma[c] * inv;
        }
      if (grad_gamma != NULL)
        grad_gamma[c] += (float) sum_dy_xhat;
      if (grad_beta != NULL)
        grad_beta[c] += (float) sum_dy;
    }
}

void
vgg_linear_backward (float       *grad_in,
                     float       *grad_weight,
                     float       *grad_bias,
                     const float *grad_out,
                     const float *in,
                     const float *weight,
                     int          batch,
                     int          n_in,
                     int          n_out)
{
  if (grad_bias != NULL)
    for (int o = 0; o < n_out; o++)
      {
        double sum = 0.0;
        for (int n = 0; n < batch; n++)
          sum += grad_out[(size_t) n * n_out + o];
        grad_bias[o] += (float) sum;
      }
  if (grad_weight != NULL)
    vgg_sgemm_threaded (true, false, n_out, n_in, batch, 1.0f, grad_out, n_out, in, n_in, 1.0f,
                        grad_weight, n_in);
  if (grad_in != NULL)
    vgg_sgemm_threaded (false, false, batch, n_in, n_out, 1.0f, grad_out, n_out, weight, n_in,
                        0.0f, grad_in, n_in);
}

void
vgg_nchw_to_cnhw (float       *out,
                  const float *in,
                  int          batch,
                  int          channels,
                  size_t       plane)
{
  for (int n = 0; n < batch; n++)
    for (int c = 0; c < channels; c++)
      memcpy (out + ((size_t) c * batch + n) * plane, in + ((size_t) n * channels + c) * plane,
              sizeof (float) * plane);
}

void
vgg_cnhw_to_nchw (float       *out,
                  const float *in,
                  int          batch,
                  int          channels,
                  size_t       plane)
{
  for (int n = 0; n < batch; n++)
    for (int c = 0; c < channels; c++)
      memcpy (out + ((size_t) n * channels + c) * plane, in + ((size_t) c * batch + n) * plane,
              sizeof (float) * plane);
}
