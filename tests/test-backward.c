/* test-backward.c — the backward pass against finite differences, layer by layer and end to end
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every naive backward kernel is checked against central differences of its forward kernel;
 * every fast (batched C,N,H,W) kernel against its naive twin; then the whole trainer (conv,
 * batch norm in training mode, ReLU, max-pool, flatten, FC, dropout, softmax cross-entropy)
 * and the input-gradient call on inference models against differences of the loss or unit.
 */
#include "config.h"

#include "vgg-train.h"
#include "kernels.h"
#include "train/backward.h"
#include "test-engine-util.h"

#include <math.h>
#include <string.h>

/* ---- helpers ---- */

static void
fill_random (float *data, size_t count, GRand *rand, double low, double high)
{
  for (size_t i = 0; i < count; i++)
    data[i] = (float) g_rand_double_range (rand, low, high);
}

typedef double (*LossFunc) (gpointer user_data);

/* Central differences of @loss w.r.t. every element of @param (perturbed in place). */
static double *
finite_differences (float *param, size_t count, float step, LossFunc loss, gpointer user_data)
{
  double *fd = g_new (double, count);

  for (size_t i = 0; i < count; i++)
    {
      float saved = param[i];
      double plus, minus;

      param[i] = saved + step;
      plus = loss (user_data);
      param[i] = saved - step;
      minus = loss (user_data);
      param[i] = saved;
      fd[i] = (plus - minus) / (2.0 * (double) step);
    }
  return fd;
}

/* ‖fd − analytic‖ / ‖fd‖ must be below @tolerance (and ‖fd‖ not zero: the check must see
 * something). */
static void
assert_gradient_close (const double *fd, const float *analytic, size_t count, double tolerance,
                       const char *what)
{
  double diff = 0.0, norm = 0.0;

  for (size_t i = 0; i < count; i++)
    {
      diff += (fd[i] - analytic[i]) * (fd[i] - analytic[i]);
      norm += fd[i] * fd[i];
    }
  diff = sqrt (diff);
  norm = sqrt (norm);
  if (!(norm > 0.0))
    g_error ("%s: the finite differences are all zero", what);
  if (!(diff <= tolerance * norm))
    g_error ("%s: ‖fd − analytic‖ = %g, ‖fd‖ = %g (relative %g > %g)", what, diff, norm,
             diff / norm, tolerance);
}

/* Element-wise, skipping kinks: when the one-sided differences (f(x+h) − f(x))/h and
 * (f(x) − f(x−h))/h disagree, a ReLU or max-pool switched within the step and the element
 * says nothing. Every other element must match the analytic gradient within
 * 2e-2·|analytic| + 2e-3·max |analytic| (+ rounding), and at least 80% of the elements must be usable. */
static void
assert_input_gradient_off_kinks (float *input, size_t count, float step, LossFunc value,
                                 gpointer user_data, const float *analytic, const char *what)
{
  double max = test_max_abs (analytic, count);
  double center = value (user_data);
  size_t used = 0;

  if (!(max > 0.0))
    g_error ("%s: the gradient is all zero", what);
  for (size_t i = 0; i < count; i++)
    {
      /* the last term: float rounding of the value, amplified by 1/step */
      double tolerance = 2e-2 * fabs (analytic[i]) + 2e-3 * max
                         + 4e-7 * (fabs (center) + 1e-3) / step;
      float saved = input[i];
      double plus, minus, forward, backward;

      input[i] = saved + step;
      plus = value (user_data);
      input[i] = saved - step;
      minus = value (user_data);
      input[i] = saved;
      forward = (plus - center) / step;
      backward = (center - minus) / step;
      if (fabs (forward - backward) > tolerance)
        continue;
      used++;
      if (!(fabs (0.5 * (forward + backward) - analytic[i]) <= tolerance))
        g_error ("%s: element %zu: finite differences %g, analytic %g", what, i,
                 0.5 * (forward + backward), (double) analytic[i]);
    }
  if (used < count * 4 / 5)
    g_error ("%s: only %zu of %zu elements away from kinks", what, used, count);
}

static void
assert_floats_close (const float *expected, const float *actual, size_t count,
                     double relative, const char *what)
{
  double max = test_max_abs (expected, count);
  double diff = test_max_abs_diff (expected, actual, count);

  g_assert_cmpfloat (max, >, 0.0);
  if (!(diff <= relative * max))
    g_error ("%s: max diff %g (max |value| %g)", what, diff, max);
}

static double
dot (const float *a, const float *b, size_t count)
{
  double sum = 0.0;

  for (size_t i = 0; i < count; i++)
    sum += (double) a[i] * b[i];
  return sum;
}

/* ---- convolution ---- */

typedef struct
{
  int    c_in, h, w, c_out;
  float *in, *weight, *bias, *out, *r;
} ConvCase;

static double
conv_loss (gpointer user_data)
{
  ConvCase *c = user_data;

  vgg_conv3x3_naive (c->out, c->in, c->weight, c->bias, c->c_in, c->h, c->w, c->c_out);
  return dot (c->out, c->r, (size_t) c->c_out * c->h * c->w);
}

static void
test_conv_naive (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (11);
  ConvCase c = { .c_in = 3, .h = 5, .w = 4, .c_out = 2 };
  size_t n_in = (size_t) c.c_in * c.h * c.w, n_out = (size_t) c.c_out * c.h * c.w;
  size_t n_w = (size_t) c.c_out * c.c_in * 9;
  g_autofree float *grad_in = g_new (float, n_in);
  g_autofree float *grad_w = g_new0 (float, n_w);
  g_autofree float *grad_b = g_new0 (float, c.c_out);
  g_autofree double *fd_in = NULL, *fd_w = NULL, *fd_b = NULL;

  c.in = g_new (float, n_in);
  c.weight = g_new (float, n_w);
  c.bias = g_new (float, c.c_out);
  c.out = g_new (float, n_out);
  c.r = g_new (float, n_out);
  fill_random (c.in, n_in, rand, -1, 1);
  fill_random (c.weight, n_w, rand, -1, 1);
  fill_random (c.bias, c.c_out, rand, -1, 1);
  fill_random (c.r, n_out, rand, -1, 1);

  vgg_conv3x3_backward_naive (grad_in, grad_w, grad_b, c.r, c.in, c.weight, c.c_in, c.h, c.w,
                              c.c_out);
  fd_in = finite_differences (c.in, n_in, 1e-2f, conv_loss, &c);
  fd_w = finite_differences (c.weight, n_w, 1e-2f, conv_loss, &c);
  fd_b = finite_differences (c.bias, c.c_out, 1e-2f, conv_loss, &c);
  assert_gradient_close (fd_in, grad_in, n_in, 1e-4, "conv d/d input");
  assert_gradient_close (fd_w, grad_w, n_w, 1e-4, "conv d/d weight");
  assert_gradient_close (fd_b, grad_b, c.c_out, 1e-4, "conv d/d bias");

  g_free (c.in);
  g_free (c.weight);
  g_free (c.bias);
  g_free (c.out);
  g_free (c.r);
}

/* The batched C,N,H,W kernels against the naive ones image by image, with the scratch both
 * roomy and forced down to one image per GEMM. */
static void
check_conv_fast (int c_in, int batch, int h, int w, int c_out, gboolean small_scratch)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed ((guint32) (c_in * 7 + batch * 3 + h + w));
  size_t plane = (size_t) h * w, n_w = (size_t) c_out * c_in * 9;
  size_t n_in = (size_t) batch * c_in * plane, n_out = (size_t) batch * c_out * plane;
  size_t scratch_size = small_scratch ? (size_t) c_in * 9 * plane
                                      : vgg_conv3x3_cnhw_scratch (c_in, batch, h, w);
  g_autofree float *in = g_new (float, n_in), *in_cnhw = g_new (float, n_in);
  g_autofree float *weight = g_new (float, n_w), *bias = g_new (float, c_out);
  g_autofree float *out = g_new (float, n_out), *out_cnhw = g_new (float, n_out);
  g_autofree float *out_fast = g_new (float, n_out);
  g_autofree float *g_out = g_new (float, n_out), *g_out_cnhw = g_new (float, n_out);
  g_autofree float *g_in = g_new (float, n_in), *g_in_fast = g_new (float, n_in);
  g_autofree float *g_in_cnhw = g_new (float, n_in);
  g_autofree float *g_w = g_new0 (float, n_w), *g_w_fast = g_new0 (float, n_w);
  g_autofree float *g_b = g_new0 (float, c_out), *g_b_fast = g_new0 (float, c_out);
  g_autofree float *scratch = g_new (float, scratch_size);

  fill_random (in, n_in, rand, -1, 1);
  fill_random (weight, n_w, rand, -1, 1);
  fill_random (bias, c_out, rand, -1, 1);
  fill_random (g_out, n_out, rand, -1, 1);
  for (int n = 0; n < batch; n++)
    {
      vgg_conv3x3_naive (out + n * c_out * plane, in + n * c_in * plane, weight, bias, c_in, h,
                         w, c_out);
      vgg_conv3x3_backward_naive (g_in + n * c_in * plane, g_w, g_b, g_out + n * c_out * plane,
                                  in + n * c_in * plane, weight, c_in, h, w, c_out);
    }

  vgg_nchw_to_cnhw (in_cnhw, in, batch, c_in, plane);
  vgg_nchw_to_cnhw (g_out_cnhw, g_out, batch, c_out, plane);
  vgg_conv3x3_forward_cnhw (out_cnhw, in_cnhw, weight, bias, c_in, batch, h, w, c_out, scratch,
                            scratch_size);
  vgg_cnhw_to_nchw (out_fast, out_cnhw, batch, c_out, plane);
  vgg_conv3x3_backward_cnhw (g_in_cnhw, g_w_fast, g_b_fast, g_out_cnhw, in_cnhw, weight, c_in,
                             batch, h, w, c_out, scratch, scratch_size);
  vgg_cnhw_to_nchw (g_in_fast, g_in_cnhw, batch, c_in, plane);

  assert_floats_close (out, out_fast, n_out, 1e-5, "batched conv forward");
  assert_floats_close (g_in, g_in_fast, n_in, 1e-5, "batched conv d/d input");
  assert_floats_close (g_w, g_w_fast, n_w, 1e-5, "batched conv d/d weight");
  assert_floats_close (g_b, g_b_fast, c_out, 1e-5, "batched conv d/d bias");
}

static void
test_conv_fast (void)
{
  check_conv_fast (1, 5, 9, 7, 4, FALSE);
  check_conv_fast (3, 4, 6, 6, 5, TRUE);
  check_conv_fast (8, 3, 1, 1, 3, FALSE);
  check_conv_fast (4, 2, 1, 5, 2, FALSE);
  check_conv_fast (16, 9, 12, 12, 8, FALSE);
}

/* ---- max-pool, ReLU ---- */

typedef struct
{
  int    channels, h, w;
  float *in, *out, *r;
} PoolCase;

static double
pool_loss (gpointer user_data)
{
  PoolCase *c = user_data;

  vgg_maxpool2x2 (c->out, c->in, c->channels, c->h, c->w);
  return dot (c->out, c->r, (size_t) c->channels * (c->h / 2) * (c->w / 2));
}

static void
test_pool (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (12);
  PoolCase c = { .channels = 3, .h = 7, .w = 6 };   /* odd height: floor mode drops a row */
  size_t n_in = (size_t) c.channels * c.h * c.w, n_out = (size_t) c.channels * 3 * 3;
  g_autofree float *grad = g_new (float, n_in), *grad_fast = g_new (float, n_in);
  g_autofree float *out_fast = g_new (float, n_out);
  g_autofree uint8_t *argmax = g_new (uint8_t, n_out);
  g_autofree double *fd = NULL;
  float ties[16] = { 1, 1, 0, 2, 1, 1, 2, 2, 5, 3, 3, 3, 4, 5, 3, 3 };
  float ties_out[4], ties_r[4] = { 1, 2, 3, 4 }, ties_grad[16], ties_grad_fast[16];
  uint8_t ties_arg[4];

  c.in = g_new (float, n_in);
  c.out = g_new (float, n_out);
  c.r = g_new (float, n_out);
  /* values spaced well apart so a step of 1e-3 never changes a winner */
  for (size_t i = 0; i < n_in; i++)
    c.in[i] = (float) ((i * 37) % n_in) * 0.1f - 2.0f;
  fill_random (c.r, n_out, rand, -1, 1);

  vgg_maxpool2x2_backward_naive (grad, c.r, c.in, c.channels, c.h, c.w);
  fd = finite_differences (c.in, n_in, 1e-3f, pool_loss, &c);
  assert_gradient_close (fd, grad, n_in, 1e-3, "max-pool d/d input");

  vgg_maxpool2x2_forward_argmax (out_fast, argmax, c.in, (size_t) c.channels, c.h, c.w);
  vgg_maxpool2x2 (c.out, c.in, c.channels, c.h, c.w);
  g_assert_cmpmem (out_fast, n_out * sizeof (float), c.out, n_out * sizeof (float));
  vgg_maxpool2x2_backward_argmax (grad_fast, c.r, argmax, (size_t) c.channels, c.h, c.w);
  g_assert_cmpmem (grad_fast, n_in * sizeof (float), grad, n_in * sizeof (float));

  /* ties go where the forward kernel's comparisons put them: exactly one input each */
  vgg_maxpool2x2_forward_argmax (ties_out, ties_arg, ties, 1, 4, 4);
  vgg_maxpool2x2_backward_naive (ties_grad, ties_r, ties, 1, 4, 4);
  vgg_maxpool2x2_backward_argmax (ties_grad_fast, ties_r, ties_arg, 1, 4, 4);
  g_assert_cmpmem (ties_grad, sizeof ties_grad, ties_grad_fast, sizeof ties_grad);
  {
    double total = 0.0;
    for (int i = 0; i < 16; i++)
      total += ties_grad[i];
    g_assert_cmpfloat (total, ==, 10.0);
  }
  /* and to the first maximum in row-major order, as PyTorch's max_pool2d does */
  {
    float expected[16] = { 1, 0, 0, 2, 0, 0, 0, 0, 3, 0, 4, 0, 0, 0, 0, 0 };
    g_assert_cmpmem (ties_grad, sizeof ties_grad, expected, sizeof expected);
  }

  g_free (c.in);
  g_free (c.out);
  g_free (c.r);
}

static void
test_relu (void)
{
  float out[6] = { 0.0f, 1.5f, 0.0f, 2.0f, 1e-30f, 0.0f };
  float grad[6] = { 1, 2, 3, 4, 5, 6 };
  const float expected[6] = { 0, 2, 0, 4, 5, 0 };

  vgg_relu_backward (grad, out, 6);
  g_assert_cmpmem (grad, sizeof grad, expected, sizeof expected);
}

/* ---- fully connected ---- */

typedef struct
{
  int    batch, n_in, n_out;
  float *in, *weight, *bias, *out, *r;
} LinearCase;

static double
linear_loss (gpointer user_data)
{
  LinearCase *c = user_data;

  vgg_linear_naive (c->out, c->in, c->weight, c->bias, c->batch, c->n_in, c->n_out);
  return dot (c->out, c->r, (size_t) c->batch * c->n_out);
}

static void
test_linear (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (13);
  LinearCase c = { .batch = 3, .n_in = 7, .n_out = 5 };
  size_t n_in = (size_t) c.batch * c.n_in, n_w = (size_t) c.n_out * c.n_in;
  size_t n_out = (size_t) c.batch * c.n_out;
  g_autofree float *g_in = g_new (float, n_in), *g_w = g_new0 (float, n_w);
  g_autofree float *g_b = g_new0 (float, c.n_out);
  g_autofree float *g_in_fast = g_new (float, n_in), *g_w_fast = g_new0 (float, n_w);
  g_autofree float *g_b_fast = g_new0 (float, c.n_out);
  g_autofree double *fd_in = NULL, *fd_w = NULL, *fd_b = NULL;

  c.in = g_new (float, n_in);
  c.weight = g_new (float, n_w);
  c.bias = g_new (float, c.n_out);
  c.out = g_new (float, n_out);
  c.r = g_new (float, n_out);
  fill_random (c.in, n_in, rand, -1, 1);
  fill_random (c.weight, n_w, rand, -1, 1);
  fill_random (c.bias, c.n_out, rand, -1, 1);
  fill_random (c.r, n_out, rand, -1, 1);

  vgg_linear_backward_naive (g_in, g_w, g_b, c.r, c.in, c.weight, c.batch, c.n_in, c.n_out);
  fd_in = finite_differences (c.in, n_in, 1e-2f, linear_loss, &c);
  fd_w = finite_differences (c.weight, n_w, 1e-2f, linear_loss, &c);
  fd_b = finite_differences (c.bias, c.n_out, 1e-2f, linear_loss, &c);
  assert_gradient_close (fd_in, g_in, n_in, 1e-4, "FC d/d input");
  assert_gradient_close (fd_w, g_w, n_w, 1e-4, "FC d/d weight");
  assert_gradient_close (fd_b, g_b, c.n_out, 1e-4, "FC d/d bias");

  vgg_linear_backward (g_in_fast, g_w_fast, g_b_fast, c.r, c.in, c.weight, c.batch, c.n_in,
                       c.n_out);
  assert_floats_close (g_in, g_in_fast, n_in, 1e-5, "sgemm FC d/d input");
  assert_floats_close (g_w, g_w_fast, n_w, 1e-5, "sgemm FC d/d weight");
  assert_floats_close (g_b, g_b_fast, c.n_out, 1e-5, "sgemm FC d/d bias");

  g_free (c.in);
  g_free (c.weight);
  g_free (c.bias);
  g_free (c.out);
  g_free (c.r);
}

/* ---- batch norm (training mode) ---- */

typedef struct
{
  int    channels;
  size_t count;
  float *x, *gamma, *beta, *y, *r;
} NormCase;

static double
norm_loss (gpointer user_data)
{
  NormCase *c = user_data;

  vgg_batch_norm_forward_naive (c->y, c->x, c->gamma, c->beta, c->channels, c->count, 1e-5f);
  return dot (c->y, c->r, (size_t) c->channels * c->count);
}

static void
test_batch_norm (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (14);
  NormCase c = { .channels = 3, .count = 10 };
  size_t n = (size_t) c.channels * c.count;
  g_autofree float *g_x = g_new (float, n), *g_gamma = g_new0 (float, c.channels);
  g_autofree float *g_beta = g_new0 (float, c.channels);
  g_autofree float *y_fast = g_new (float, n), *x_hat = g_new (float, n);
  g_autofree float *inv_std = g_new (float, c.channels);
  g_autofree float *g_x_fast = g_new (float, n), *g_gamma_fast = g_new0 (float, c.channels);
  g_autofree float *g_beta_fast = g_new0 (float, c.channels);
  g_autofree double *fd_x = NULL, *fd_gamma = NULL, *fd_beta = NULL;
  float running_mean[3] = { 0, 0, 0 }, running_var[3] = { 1, 1, 1 };

  c.x = g_new (float, n);
  c.gamma = g_new (float, c.channels);
  c.beta = g_new (float, c.channels);
  c.y = g_new (float, n);
  c.r = g_new (float, n);
  fill_random (c.x, n, rand, -2, 3);
  fill_random (c.gamma, c.channels, rand, 0.5, 1.5);
  fill_random (c.beta, c.channels, rand, -1, 1);
  fill_random (c.r, n, rand, -1, 1);

  vgg_batch_norm_backward_naive (g_x, g_gamma, g_beta, c.r, c.x, c.gamma, c.channels, c.count,
                                 1e-5f);
  fd_x = finite_differences (c.x, n, 1e-2f, norm_loss, &c);
  fd_gamma = finite_differences (c.gamma, c.channels, 1e-2f, norm_loss, &c);
  fd_beta = finite_differences (c.beta, c.channels, 1e-2f, norm_loss, &c);
  assert_gradient_close (fd_x, g_x, n, 1e-3, "batch norm d/d x");
  assert_gradient_close (fd_gamma, g_gamma, c.channels, 1e-3, "batch norm d/d γ");
  assert_gradient_close (fd_beta, g_beta, c.channels, 1e-3, "batch norm d/d β");

  /* the fast form (through saved x̂ and 1/σ) against the textbook one */
  norm_loss (&c);
  vgg_batch_norm_forward_train (y_fast, x_hat, inv_std, c.x, c.gamma, c.beta, running_mean,
                                running_var, 0.1f, c.channels, c.count, 1e-5f);
  assert_floats_close (c.y, y_fast, n, 1e-5, "batch norm forward");
  vgg_batch_norm_backward_train (g_x_fast, g_gamma_fast, g_beta_fast, c.r, x_hat, inv_std,
                                 c.gamma, c.channels, c.count);
  assert_floats_close (g_x, g_x_fast, n, 1e-4, "batch norm fast d/d x");
  assert_floats_close (g_gamma, g_gamma_fast, c.channels, 1e-4, "batch norm fast d/d γ");
  assert_floats_close (g_beta, g_beta_fast, c.channels, 1e-4, "batch norm fast d/d β");

  /* running statistics: 0.9·0 + 0.1·mean, 0.9·1 + 0.1·unbiased variance */
  for (int ch = 0; ch < c.channels; ch++)
    {
      double mean = 0.0, var = 0.0;
      for (size_t i = 0; i < c.count; i++)
        mean += c.x[ch * c.count + i];
      mean /= (double) c.count;
      for (size_t i = 0; i < c.count; i++)
        var += (c.x[ch * c.count + i] - mean) * (c.x[ch * c.count + i] - mean);
      var /= (double) (c.count - 1);
      g_assert_cmpfloat_with_epsilon (running_mean[ch], 0.1 * mean, 1e-5);
      g_assert_cmpfloat_with_epsilon (running_var[ch], 0.9 + 0.1 * var, 1e-5);
    }

  g_free (c.x);
  g_free (c.gamma);
  g_free (c.beta);
  g_free (c.y);
  g_free (c.r);
}

/* ---- softmax and the loss ---- */

typedef struct
{
  int    batch, n;
  float *logits, *probs, *r;
  int   *labels;
} SoftmaxCase;

static double
cross_entropy_loss (gpointer user_data)
{
  SoftmaxCase *c = user_data;

  return vgg_softmax_cross_entropy (NULL, c->logits, c->labels, c->batch, c->n, NULL);
}

static double
softmax_loss (gpointer user_data)
{
  SoftmaxCase *c = user_data;

  vgg_softmax (c->probs, c->logits, c->batch, c->n);
  return dot (c->probs, c->r, (size_t) c->batch * c->n);
}

static void
test_softmax (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (15);
  int labels[4] = { 2, 0, 4, 4 };
  SoftmaxCase c = { .batch = 4, .n = 5, .labels = labels };
  size_t n = (size_t) c.batch * c.n;
  g_autofree float *grad = g_new (float, n);
  g_autofree double *fd = NULL;
  int correct;
  double loss;

  c.logits = g_new (float, n);
  c.probs = g_new (float, n);
  c.r = g_new (float, n);
  fill_random (c.logits, n, rand, -3, 3);
  fill_random (c.r, n, rand, -1, 1);

  loss = vgg_softmax_cross_entropy (grad, c.logits, labels, c.batch, c.n, &correct);
  g_assert_cmpfloat (loss, >, 0.0);
  g_assert_cmpint (correct, >=, 0);
  fd = finite_differences (c.logits, n, 1e-2f, cross_entropy_loss, &c);
  assert_gradient_close (fd, grad, n, 1e-3, "cross-entropy d/d logits");
  g_free (fd);

  vgg_softmax (c.probs, c.logits, c.batch, c.n);
  vgg_softmax_backward (grad, c.r, c.probs, c.batch, c.n);
  fd = finite_differences (c.logits, n, 1e-2f, softmax_loss, &c);
  assert_gradient_close (fd, grad, n, 1e-3, "softmax d/d logits");

  /* a uniform prediction costs log n; a huge logit must not overflow */
  memset (c.logits, 0, n * sizeof (float));
  loss = vgg_softmax_cross_entropy (NULL, c.logits, labels, c.batch, c.n, NULL);
  g_assert_cmpfloat_with_epsilon (loss, log (5.0), 1e-6);
  c.logits[2] = 1e30f;
  loss = vgg_softmax_cross_entropy (grad, c.logits, labels, 1, c.n, &correct);
  g_assert_true (isfinite (loss));
  g_assert_cmpint (correct, ==, 1);

  g_free (c.logits);
  g_free (c.probs);
  g_free (c.r);
}

/* ---- the whole trainer ---- */

typedef struct
{
  VggTrainer  *trainer;
  const float *input;
  const int   *labels;
  int          batch;
  VggPass      pass;
} TrainerCase;

static double
trainer_loss (gpointer user_data)
{
  TrainerCase *c = user_data;
  VggError error = { 0 };
  const float *logits;
  int n_classes = vgg_trainer_config (c->trainer)->n_classes;

  /* the same dropout mask for every evaluation */
  vgg_trainer_seed_dropout (c->trainer, 99);
  test_assert_ok (vgg_trainer_forward (c->trainer, c->input, c->batch, c->pass, &error),
                  &error);
  logits = vgg_trainer_logits (c->trainer);
  /* in double from the logits, so the differences see more than float rounding */
  return vgg_softmax_cross_entropy (NULL, logits, c->labels, c->batch, n_classes, NULL);
}

static VggConfig
small_config (gboolean batch_norm)
{
  VggConfig config = {
    .n_blocks = 2,
    .block_widths = { 3, 4 },
    .block_convs = { 2, 1 },
    .input_channels = 2,
    .input_height = 8,
    .input_width = 6,
    .n_hidden_fc = 1,
    .hidden_fc_widths = { 7 },
    .n_classes = 3,
    .batch_norm = batch_norm,
  };
  return config;
}

static void
check_trainer (gboolean batch_norm, float dropout, VggPass pass, float step)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (16);
  VggTrainerOptions options = { small_config (batch_norm), dropout, 4, 7 };
  VggTrainer *trainer = NULL;
  VggError error = { 0 };
  int labels[4] = { 0, 2, 1, 2 };
  size_t n_input = 4 * 2 * 8 * 6, n_params;
  g_autofree float *input = g_new (float, n_input);
  g_autofree float *grad_input = g_new (float, n_input);
  g_autofree float *grads = NULL;
  g_autofree double *fd_params = NULL, *fd_input = NULL;
  TrainerCase c;
  float loss;

  test_assert_ok (vgg_trainer_new (&trainer, &options, &error), &error);
  fill_random (input, n_input, rand, 0, 1);
  n_params = vgg_trainer_n_params (trainer);
  /* larger than He-initialised weights so every layer matters to the loss */
  fill_random (vgg_trainer_params (trainer), n_params, rand, -0.6, 0.6);

  c = (TrainerCase) { trainer, input, labels, 4, pass };
  if (pass == VGG_PASS_EVAL && batch_norm)
    {
      /* give the running statistics something to hold */
      vgg_trainer_seed_dropout (trainer, 99);
      test_assert_ok (vgg_trainer_forward (trainer, input, 4, VGG_PASS_TRAIN, &error), &error);
    }
  trainer_loss (&c);
  loss = vgg_trainer_loss (trainer, labels, NULL);
  g_assert_true (isfinite (loss));
  test_assert_ok (vgg_trainer_backward (trainer, grad_input, &error), &error);
  grads = g_memdup2 (vgg_trainer_grads (trainer), n_params * sizeof (float));

  /* A training pass updates the running statistics, but they do not enter its output. The
   * step must stay small enough not to cross ReLU kinks: without batch statistics (an eval
   * pass) the pre-activations are not normalised and some sit close to zero. */
  fd_params = finite_differences (vgg_trainer_params (trainer), n_params, step, trainer_loss,
                                  &c);
  fd_input = finite_differences (input, n_input, 3 * step, trainer_loss, &c);
  assert_gradient_close (fd_params, grads, n_params, 2e-2, "trainer d loss / d parameters");
  assert_gradient_close (fd_input, grad_input, n_input, 2e-2, "trainer d loss / d input");

  vgg_trainer_free (trainer);
}

static void
test_end_to_end_plain (void)
{
  check_trainer (FALSE, 0.0f, VGG_PASS_TRAIN, 1e-3f);
}

static void
test_end_to_end_batch_norm (void)
{
  check_trainer (TRUE, 0.0f, VGG_PASS_TRAIN, 1e-3f);
}

static void
test_end_to_end_dropout (void)
{
  check_trainer (TRUE, 0.4f, VGG_PASS_TRAIN, 1e-3f);
}

static void
test_end_to_end_eval (void)
{
  check_trainer (TRUE, 0.4f, VGG_PASS_EVAL, 1e-4f);
}

/* ---- the input gradient of an inference model ---- */

typedef struct
{
  VggGradient   *gradient;
  const VggUnit *unit;
  float         *input;
} UnitCase;

static double
unit_value (gpointer user_data)
{
  UnitCase *c = user_data;
  VggError error = { 0 };
  float value;

  test_assert_ok (vgg_gradient_compute (c->gradient, c->input, c->unit, NULL, &value, &error),
                  &error);
  return value;
}

static void
test_input_gradient (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (17);
  VggConfig config = small_config (FALSE);
  VggModel *model = NULL;
  VggGradient *gradient = NULL;
  VggRun *run = NULL;
  VggError error = { 0 };
  size_t n_input = 2 * 8 * 6;
  g_autofree float *input = g_new (float, n_input);
  g_autofree float *grad = g_new (float, n_input);
  int conv = -1, pool = -1, fc = -1, classifier = -1, prob = -1;

  config.n_blocks = 2;
  test_assert_ok (vgg_model_new_random (&model, &config, 5, &error), &error);
  test_assert_ok (vgg_gradient_new (&gradient, model, &error), &error);
  fill_random (input, n_input, rand, 0, 1);
  for (int i = 0; i < vgg_model_n_layers (model); i++)
    {
      const VggLayer *layer = vgg_model_layer (model, i);
      if (layer->kind == VGG_LAYER_CONV && conv < 0)
        conv = i + 1;                       /* conv1_2 */
      if (layer->kind == VGG_LAYER_POOL)
        pool = i;                           /* the last pool */
      if (layer->kind == VGG_LAYER_FC && layer->relu && fc < 0)
        fc = i;
      if (layer->kind == VGG_LAYER_FC && !layer->relu)
        classifier = i;
      if (layer->kind == VGG_LAYER_SOFTMAX)
        prob = i;
    }
  g_assert_cmpint (classifier, >, 0);

  {
    /* A unit deep in a random network sees the input through many ReLUs and max-pools, and
     * some of their kinks lie within any useful step: assert_input_gradient_off_kinks()
     * recognises and skips those inputs. */
    const VggUnit units[] = {
      { conv, VGG_STAGE_PRE_ACTIVATION, 1, 3, 2 },
      { conv, VGG_STAGE_OUTPUT, 2, -1, -1 },
      { pool, VGG_STAGE_OUTPUT, 3, 1, 0 },
      { fc, VGG_STAGE_PRE_ACTIVATION, 4, 0, 0 },
      { classifier, VGG_STAGE_OUTPUT, 2, 0, 0 },
      { prob, VGG_STAGE_OUTPUT, 1, 0, 0 },
    };

    for (size_t u = 0; u < G_N_ELEMENTS (units); u++)
      {
        UnitCase c = { gradient, &units[u], input };
        g_autofree char *what = g_strdup_printf ("input gradient of unit %zu (layer %d)", u,
                                                 units[u].layer_index);
        float value;

        test_assert_ok (vgg_gradient_compute (gradient, input, &units[u], grad, &value, &error),
                        &error);
        assert_input_gradient_off_kinks (input, n_input, 2e-3f, unit_value, &c, grad, what);
      }
  }

  /* the forward pass here is the inference engine's */
  {
    VggUnit unit = { classifier, VGG_STAGE_OUTPUT, 0, 0, 0 };
    const float *logits;
    float value;

    test_assert_ok (vgg_run_new (&run, model, 1, &error), &error);
    test_assert_ok (vgg_run_forward (run, input, &error), &error);
    logits = vgg_run_logits (run);
    for (int k = 0; k < 3; k++)
      {
        unit.channel = k;
        test_assert_ok (vgg_gradient_compute (gradient, input, &unit, NULL, &value, &error),
                        &error);
        g_assert_cmpfloat_with_epsilon (value, logits[k], 1e-5 * (1 + fabs (logits[k])));
      }
    /* layer tensors: the classifier's gradient is one-hot at the unit */
    {
      const float *g = vgg_gradient_layer_gradient (gradient, classifier);
      g_assert_nonnull (g);
      g_assert_cmpfloat (g[2], ==, 1.0f);
      g_assert_cmpfloat (g[0], ==, 0.0f);
      g_assert_nonnull (vgg_gradient_layer_output (gradient, conv));
      g_assert_null (vgg_gradient_layer_output (gradient, 999));
    }
  }

  /* bad units are refused with a message */
  {
    VggUnit bad = { conv, VGG_STAGE_OUTPUT, 99, 0, 0 };
    g_assert_cmpint (vgg_gradient_compute (gradient, input, &bad, grad, NULL, &error), ==,
                     VGG_STATUS_INVALID_ARGUMENT);
    g_assert_cmpstr (error.message, !=, "");
    bad = (VggUnit) { pool, VGG_STAGE_PRE_ACTIVATION, 0, 0, 0 };
    g_assert_cmpint (vgg_gradient_compute (gradient, input, &bad, grad, NULL, &error), ==,
                     VGG_STATUS_INVALID_ARGUMENT);
    bad = (VggUnit) { conv, VGG_STAGE_OUTPUT, 0, 8, 0 };
    g_assert_cmpint (vgg_gradient_compute (gradient, input, &bad, grad, NULL, &error), ==,
                     VGG_STATUS_INVALID_ARGUMENT);
  }

  vgg_run_free (run);
  vgg_gradient_free (gradient);
  vgg_model_free (model);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/backward/conv-naive", test_conv_naive);
  g_test_add_func ("/backward/conv-fast", test_conv_fast);
  g_test_add_func ("/backward/pool", test_pool);
  g_test_add_func ("/backward/relu", test_relu);
  g_test_add_func ("/backward/linear", test_linear);
  g_test_add_func ("/backward/batch-norm", test_batch_norm);
  g_test_add_func ("/backward/softmax", test_softmax);
  g_test_add_func ("/backward/end-to-end-plain", test_end_to_end_plain);
  g_test_add_func ("/backward/end-to-end-batch-norm", test_end_to_end_batch_norm);
  g_test_add_func ("/backward/end-to-end-dropout", test_end_to_end_dropout);
  g_test_add_func ("/backward/end-to-end-eval", test_end_to_end_eval);
  g_test_add_func ("/backward/input-gradient", test_input_gradient);
  return g_test_run ();
}
