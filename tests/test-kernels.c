/* test-kernels.c — every fast kernel against its naive reference
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "kernels.h"
#include "winograd.h"
#include "test-engine-util.h"

#include <math.h>

static void
fill_random (float *data, size_t count, GRand *rand)
{
  for (size_t i = 0; i < count; i++)
    data[i] = (float) g_rand_double_range (rand, -1.0, 1.0);
}

static void
check_conv (int c_in, int h, int w, int c_out)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed ((guint32) (c_in * 1000 + h * 10 + w + c_out));
  size_t n_in = (size_t) c_in * h * w, n_out = (size_t) c_out * h * w;
  g_autofree float *in = g_new (float, n_in);
  g_autofree float *weight = g_new (float, (size_t) c_out * c_in * 9);
  g_autofree float *bias = g_new (float, c_out);
  g_autofree float *expected = g_new (float, n_out);
  g_autofree float *actual = g_new (float, n_out);
  g_autofree float *scratch = g_new (float, vgg_conv3x3_im2col_scratch (c_in, h, w));
  double max_abs, diff;

  fill_random (in, n_in, rand);
  fill_random (weight, (size_t) c_out * c_in * 9, rand);
  fill_random (bias, c_out, rand);
  vgg_conv3x3_naive (expected, in, weight, bias, c_in, h, w, c_out);
  vgg_conv3x3_im2col (actual, in, weight, bias, c_in, h, w, c_out, scratch);
  max_abs = test_max_abs (expected, n_out);
  diff = test_max_abs_diff (expected, actual, n_out);
  g_assert_cmpfloat (max_abs, >, 0.0);
  if (diff > 1e-5 * max_abs)
    g_error ("conv %d→%d at %d×%d: max diff %g (max |value| %g)", c_in, c_out, h, w, diff,
             max_abs);
}

static void
test_conv_shapes (void)
{
  /* the first layer, odd sizes, 1×1 and 1×N maps, a map large enough for several bands */
  check_conv (3, 17, 23, 8);
  check_conv (8, 1, 1, 5);
  check_conv (4, 1, 9, 3);
  check_conv (5, 9, 1, 3);
  check_conv (16, 14, 14, 32);
  check_conv (64, 96, 96, 4);
}

static void
test_conv_known_values (void)
{
  /* a 3×3 all-ones kernel sums each pixel's neighbourhood: corners see 4 pixels */
  float in[9] = { 1, 1, 1, 1, 1, 1, 1, 1, 1 };
  float weight[9] = { 1, 1, 1, 1, 1, 1, 1, 1, 1 };
  float bias[1] = { 0.5f };
  float out[9];
  float scratch[81];
  const float expected[9] = { 4.5f, 6.5f, 4.5f, 6.5f, 9.5f, 6.5f, 4.5f, 6.5f, 4.5f };

  g_assert_cmpuint (vgg_conv3x3_im2col_scratch (1, 3, 3), <=, G_N_ELEMENTS (scratch));
  vgg_conv3x3_im2col (out, in, weight, bias, 1, 3, 3, 1, scratch);
  for (int i = 0; i < 9; i++)
    g_assert_cmpfloat (out[i], ==, expected[i]);
  vgg_conv3x3_naive (out, in, weight, bias, 1, 3, 3, 1);
  for (int i = 0; i < 9; i++)
    g_assert_cmpfloat (out[i], ==, expected[i]);
}

static void
test_linear (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (7);
  const int n_in = 300, n_out = 70;

  for (int batch = 1; batch <= 3; batch++)
    {
      g_autofree float *in = g_new (float, (size_t) batch * n_in);
      g_autofree float *weight = g_new (float, (size_t) n_out * n_in);
      g_autofree float *bias = g_new (float, n_out);
      g_autofree float *expected = g_new (float, (size_t) batch * n_out);
      g_autofree float *actual = g_new (float, (size_t) batch * n_out);

      fill_random (in, (size_t) batch * n_in, rand);
      fill_random (weight, (size_t) n_out * n_in, rand);
      fill_random (bias, n_out, rand);
      vgg_linear_naive (expected, in, weight, bias, batch, n_in, n_out);
      vgg_linear (actual, in, weight, bias, batch, n_in, n_out);
      g_assert_cmpfloat (test_max_abs_diff (expected, actual, (size_t) batch * n_out), <,
                         1e-5 * test_max_abs (expected, (size_t) batch * n_out));
    }
}

static void
test_pool_relu_softmax (void)
{
  /* 1 channel 3×5 → 1×2 (floor mode drops the last row and column) */
  const float in[15] = { 1, 5, 2, 0, 9,
                         3, 4, -1, 7, 9,
                         8, 8, 8, 8, 8 };
  float out[2];
  float values[4] = { -1.0f, 0.0f, 2.0f, -0.0f };
  float logits[3] = { 1000.0f, 1000.0f, -1000.0f };
  float probs[3];

  vgg_maxpool2x2 (out, in, 1, 3, 5);
  g_assert_cmpfloat (out[0], ==, 5.0f);
  g_assert_cmpfloat (out[1], ==, 7.0f);

  vgg_relu (values, 4);
  g_assert_cmpfloat (values[0], ==, 0.0f);
  g_assert_cmpfloat (values[2], ==, 2.0f);

  /* large logits must not overflow */
  vgg_softmax (probs, logits, 1, 3);
  g_assert_cmpfloat_with_epsilon (probs[0], 0.5, 1e-6);
  g_assert_cmpfloat_with_epsilon (probs[1], 0.5, 1e-6);
  g_assert_cmpfloat (probs[2], ==, 0.0f);
}

/* The ordered GEMM of every kernel set this CPU runs: right (against double sums), and each
 * element the same float whatever product it is computed in — the whole matrix at once
 * (threaded), every sub-block of rows and columns at odd offsets, one column alone — which is
 * what lets incremental occlusion equal the exhaustive map bit for bit. */
static void
test_gemm_ordered (void)
{
  enum { M = 37, N = 203, K = 611 };
  GRand *rng = g_rand_new_with_seed (11);
  g_autofree float *a = g_new (float, M * K);
  g_autofree float *b = g_new (float, K * N);
  g_autofree float *c = g_new (float, M * N);
  g_autofree float *part = g_new (float, M * N);
  int sets = 0;

  for (int i = 0; i < M * K; i++)
    a[i] = (float) g_rand_double_range (rng, -1.0, 1.0);
  for (int i = 0; i < K * N; i++)
    b[i] = (float) g_rand_double_range (rng, -1.0, 1.0);

  for (int level = 0; level < VGG_SIMD_N_LEVELS; level++)
    {
      const VggSimdKernels *simd = vgg_simd_kernels ((VggSimdLevel) level);
      int threads = vgg_get_threads ();
      float *scratch;

      if (simd == NULL)
        continue;
      sets++;
      scratch = aligned_alloc (64, vgg_gemm_ordered_scratch (simd, threads) * sizeof (float));
      for (int i = 0; i < M * N; i++)
        c[i] = (float) (i % 7) - 3.0f;
      vgg_gemm_ordered_threaded (simd, c, N, a, K, b, N, M, N, K, scratch, threads);
      for (int i = 0; i < M; i++)
        for (int j = 0; j < N; j++)
          {
            double sum = (double) ((i * N + j) % 7) - 3.0;

            for (int p = 0; p < K; p++)
              sum += (double) a[i * K + p] * b[p * N + j];
            g_assert_cmpfloat_with_epsilon (c[i * N + j], sum, 1e-4);
          }

      /* blocks [i0, i1) × [j0, j1) computed on their own, from the same start */
      for (int i0 = 0; i0 < M; i0 += 5)
        for (int j0 = 0; j0 < N; j0 += 23)
          {
            int i1 = i0 + 1 + (i0 * 3 + j0) % 9 < M ? i0 + 1 + (i0 * 3 + j0) % 9 : M;
            int j1 = j0 + 1 + (j0 * 7 + i0) % 41 < N ? j0 + 1 + (j0 * 7 + i0) % 41 : N;

            for (int i = i0; i < i1; i++)
              for (int j = j0; j < j1; j++)
                part[i * N + j] = (float) ((i * N + j) % 7) - 3.0f;
            simd->gemm_ordered (part + i0 * N + j0, N, a + i0 * K, K, b + j0, N, i1 - i0,
                                j1 - j0, K, scratch);
            for (int i = i0; i < i1; i++)
              for (int j = j0; j < j1; j++)
                if (part[i * N + j] != c[i * N + j])
                  g_error ("%s: element (%d, %d) of block [%d, %d) × [%d, %d) is %.9g, %.9g in "
                           "the whole product", simd->name, i, j, i0, i1, j0, j1,
                           part[i * N + j], c[i * N + j]);
          }
      free (scratch);
    }
  g_assert_cmpint (sets, >=, 1);
  g_rand_free (rng);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/kernels/conv-shapes", test_conv_shapes);
  g_test_add_func ("/kernels/conv-known-values", test_conv_known_values);
  g_test_add_func ("/kernels/linear", test_linear);
  g_test_add_func ("/kernels/pool-relu-softmax", test_pool_relu_softmax);
  g_test_add_func ("/kernels/gemm-ordered", test_gemm_ordered);
  return g_test_run ();
}
