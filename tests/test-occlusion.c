/* test-occlusion.c — occlusion maps: the changed-rectangle kernels, incremental against
 *                    exhaustive, exhaustive against PyTorch, bad options, cancellation
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fixtures: tests/fixtures/reference/ (the narrow models and their input, sample 0) and
 * tests/fixtures/occlusion/ (tools/gen-occlusion-fixtures.py: maps computed with torchvision,
 * one full forward per occluded picture).
 */
#include "config.h"

#include "kernels.h"
#include "tensor-file.h"
#include "test-engine-util.h"
#include "vgg-occlusion.h"
#include "winograd.h"

#include <math.h>

/* ---- the kernels over a changed rectangle, against the whole-tensor ones ---- */

/* A random [c, h, w] base and new values on @rect, and the dense tensor they make. */
static void
make_patched (VggPatched *patched,
              float     **base,
              float     **data,
              float     **dense,
              int         c,
              int         h,
              int         w,
              VggRect     rect,
              GRand      *rng)
{
  size_t ld = (size_t) rect.width * rect.height + 3; /* a row stride wider than the data */

  *base = g_new (float, (size_t) c * h * w);
  *data = g_new0 (float, (size_t) c * ld + 1);
  *dense = g_new (float, (size_t) c * h * w);
  for (size_t i = 0; i < (size_t) c * h * w; i++)
    (*base)[i] = (float) g_rand_double_range (rng, -1.0, 1.0);
  memcpy (*dense, *base, sizeof (float) * (size_t) c * h * w);
  for (int k = 0; k < c; k++)
    for (int y = 0; y < rect.height; y++)
      for (int x = 0; x < rect.width; x++)
        {
          float v = (float) g_rand_double_range (rng, -2.0, 2.0);

          (*data)[(size_t) k * ld + (size_t) y * rect.width + x] = v;
          (*dense)[((size_t) k * h + rect.y + y) * w + rect.x + x] = v;
        }
  *patched = (VggPatched) { *base, *data, ld, rect.x, rect.y, rect.width, rect.height };
}

static void
test_kernels (void)
{
  /* rectangles inside, at each border, covering all, empty */
  static const VggRect rects[] = {
    { 3, 2, 4, 5 }, { 0, 0, 3, 3 }, { 8, 7, 3, 4 }, { 0, 4, 11, 2 }, { 0, 0, 11, 11 },
    { 5, 5, 0, 0 },
  };
  static const VggRect outputs[] = {
    { 0, 0, 11, 11 }, { 2, 1, 6, 7 }, { 9, 9, 2, 2 }, { 0, 0, 1, 11 },
  };
  int c = 5, h = 11, w = 11, c_out = 3;
  GRand *rng = g_rand_new_with_seed (7);
  const VggSimdKernels *simd = vgg_simd_kernels_best (NULL);
  float *scratch = aligned_alloc (64, vgg_gemm_ordered_scratch (simd, 1) * sizeof (float));
  float weight[3 * 5 * 9], bias[3];

  for (size_t i = 0; i < G_N_ELEMENTS (weight); i++)
    weight[i] = (float) g_rand_double_range (rng, -0.5, 0.5);
  for (int i = 0; i < c_out; i++)
    bias[i] = (float) g_rand_double_range (rng, -0.5, 0.5);

  for (size_t r = 0; r < G_N_ELEMENTS (rects); r++)
    {
      VggPatched patched;
      float *base, *data, *dense;
      g_autofree float *conv = g_new (float, (size_t) c_out * h * w);
      g_autofree float *pool = g_new (float, (size_t) c * (h / 2) * (w / 2));
      g_autofree float *flat = g_new (float, (size_t) c * h * w);

      make_patched (&patched, &base, &data, &dense, c, h, w, rects[r], rng);
      vgg_conv3x3_naive (conv, dense, weight, bias, c, h, w, c_out);
      vgg_maxpool2x2 (pool, dense, c, h, w);

      /* the convolution of any output rectangle: unfold + the ordered GEMM the pass uses */
      for (size_t o = 0; o < G_N_ELEMENTS (outputs); o++)
        {
          VggRect out = outputs[o];
          int n = out.width * out.height;
          g_autofree float *col = g_new (float, (size_t) 9 * c * n);
          g_autofree float *result = g_new (float, (size_t) c_out * n);

          vgg_im2col_patched (col, (size_t) n, &patched, 0, c, h, w, out.y, out.x, out.height,
                              out.width);
          for (int k = 0; k < c_out; k++)
            for (int i = 0; i < n; i++)
              result[(size_t) k * n + i] = bias[k];
          vgg_gemm_ordered_threaded (simd, result, (size_t) n, weight, (size_t) 9 * c, col,
                                     (size_t) n, c_out, n, 9 * c, scratch, 1);
          for (int k = 0; k < c_out; k++)
            for (int y = 0; y < out.height; y++)
              for (int x = 0; x < out.width; x++)
                g_assert_cmpfloat_with_epsilon (result[(size_t) k * n + y * out.width + x],
                                                conv[((size_t) k * h + out.y + y) * w + out.x + x],
                                                1e-5);
        }

      /* the pool of the whole map and of a corner, channels 1 … 3 only */
      {
        int ho = h / 2, wo = w / 2;
        g_autofree float *result = g_new (float, (size_t) c * ho * wo);

        vgg_maxpool2x2_patched (result, (size_t) ho * wo, &patched, 0, c, h, w, 0, 0, ho, wo);
        g_assert_cmpmem (result, sizeof (float) * (size_t) c * ho * wo, pool,
                         sizeof (float) * (size_t) c * ho * wo);
        vgg_maxpool2x2_patched (result, 6, &patched, 1, 4, h, w, 3, 2, 2, 3);
        for (int k = 1; k < 4; k++)
          for (int y = 0; y < 2; y++)
            for (int x = 0; x < 3; x++)
              g_assert_cmpfloat (result[(size_t) (k - 1) * 6 + y * 3 + x], ==,
                                 pool[((size_t) k * ho + 3 + y) * wo + 2 + x]);
      }

      vgg_patched_dense (flat, &patched, 0, c, h, w);
      g_assert_cmpmem (flat, sizeof (float) * (size_t) c * h * w, dense,
                       sizeof (float) * (size_t) c * h * w);
      g_free (base);
      g_free (data);
      g_free (dense);
    }
  free (scratch);
  g_rand_free (rng);
}

/* ---- helpers ---- */

static VggModel *
load_reference_model (const char *name)
{
  g_autofree char *file = g_strdup_printf ("%s.safetensors", name);
  g_autofree char *path = test_fixture_path ("reference", file, NULL);
  VggModel *model = NULL;
  VggError error = { 0 };

  test_assert_ok (test_model_load (&model, path, &error), &error);
  return model;
}

/* sample 0 of the reference input, [3, 64, 64] */
static float *
load_reference_input (const char *name)
{
  g_autofree char *file = g_strdup_printf ("%s-input.npy", name);
  g_autofree char *path = test_fixture_path ("reference", file, NULL);
  VggNpy npy = { 0 };
  VggError error = { 0 };
  float *input;

  test_assert_ok (vgg_npy_load (&npy, path, &error), &error);
  input = g_memdup2 (npy.data, sizeof (float) * 3 * 64 * 64);
  vgg_npy_clear (&npy);
  return input;
}

static float *
compute_map (VggOcclusion *occlusion,
             const VggModel *model,
             const float  *input,
             int           patch,
             int           stride,
             int           k,
             bool          exhaustive,
             int           batch,
             int          *n_y,
             int          *n_x)
{
  VggOcclusionOptions options = { .class_index = k, .patch = patch, .stride = stride,
                                  .exhaustive = exhaustive, .batch = batch };
  VggError error = { 0 };
  float *map;

  test_assert_ok (vgg_occlusion_map_size (model, patch, stride, n_y, n_x, &error), &error);
  map = g_new (float, (size_t) *n_y * *n_x);
  test_assert_ok (vgg_occlusion_compute (occlusion, input, &options, map, &error), &error);
  return map;
}

/* max |a − b| / max |b| */
static double
relative_difference (const float *a,
                     const float *b,
                     size_t       count)
{
  double largest = test_max_abs (b, count);

  g_assert_cmpfloat (largest, >, 0.0);
  return test_max_abs_diff (a, b, count) / largest;
}

/* ---- incremental against exhaustive, exhaustive against PyTorch ---- */

/* The largest |logit| of the clean picture (an exact run). */
static double
largest_logit (const VggModel *model,
               const float    *input)
{
  static const VggRunOptions exact = { .exact = true };
  VggRun *run = NULL;
  VggError error = { 0 };
  double largest;

  test_assert_ok (vgg_run_new_with_options (&run, model, 1, &exact, &error), &error);
  test_assert_ok (vgg_run_forward (run, input, &error), &error);
  largest = test_max_abs (vgg_run_logits (run), (size_t) vgg_model_n_classes (model));
  vgg_run_free (run);
  return largest;
}

/* How far a map may be from PyTorch's: @relative of the map's largest value plus float32
 * rounding of the logits themselves (maps of small patches are much smaller than the logits
 * they are differences of, and PyTorch sums in another order): 1e-6 of the largest |logit|. */
static double
map_tolerance (double       relative,
               const float *map,
               size_t       count,
               double       logit)
{
  return relative * test_max_abs (map, count) + 1e-6 * logit;
}

/* How far incremental and exhaustive maps may be apart: 1e-5 of the map's largest value, as
 * the issue "Why this class" asks, nothing more. Both modes compute every unit and logit with
 * the same ordered GEMM, so they are in fact equal bit for bit (the message says so). */
static double
exact_tolerance (const float *map,
                 size_t       count)
{
  return 1e-5 * test_max_abs (map, count);
}

typedef struct
{
  int patch, stride, k, batch;
} Setting;

static void
check_incremental (const char    *name,
                   const Setting *settings,
                   size_t         n_settings)
{
  VggModel *model = load_reference_model (name);
  g_autofree float *input = load_reference_input (name);
  VggOcclusion *occlusion = NULL;
  VggError error = { 0 };
  test_assert_ok (vgg_occlusion_new (&occlusion, model, &error), &error);
  for (size_t i = 0; i < n_settings; i++)
    {
      const Setting *s = &settings[i];
      int n_y, n_x, n_y2, n_x2;
      g_autofree float *exhaustive = compute_map (occlusion, model, input, s->patch, s->stride,
                                                  s->k, true, s->batch, &n_y, &n_x);
      g_autofree float *incremental = compute_map (occlusion, model, input, s->patch,
                                                   s->stride, s->k, false, s->batch, &n_y2,
                                                   &n_x2);
      size_t count = (size_t) n_y * n_x;
      double difference = test_max_abs_diff (incremental, exhaustive, count);

      g_assert_cmpint (n_y2, ==, n_y);
      g_assert_cmpint (n_x2, ==, n_x);
      g_test_message ("%s P=%d S=%d k=%d batch %d: %d×%d map, incremental within %.2g of "
                      "exhaustive's largest value (%.3g)%s", name, s->patch, s->stride, s->k,
                      s->batch, n_x, n_y, difference / test_max_abs (exhaustive, count),
                      test_max_abs (exhaustive, count),
                      memcmp (incremental, exhaustive, count * sizeof (float)) == 0
                      ? ": equal bit for bit" : "");
      g_assert_cmpfloat (difference, <=, exact_tolerance (exhaustive, count));
    }
  vgg_occlusion_free (occlusion);
  vgg_model_free (model);
}

static void
test_incremental_plain (void)
{
  /* borders reached or not, strides that do not divide the free size, a one-pixel patch, the
   * whole picture, odd sizes, batches of 1, 3 and the default */
  static const Setting settings[] = {
    { 8, 8, 3, 0 }, { 13, 10, 7, 0 }, { 5, 3, 1, 0 }, { 64, 1, 0, 0 }, { 1, 9, 5, 3 },
    { 7, 5, 2, 1 }, { 31, 17, 4, 3 }, { 16, 16, 9, 0 }, { 3, 29, 6, 2 },
  };

  check_incremental ("narrow-vgg16", settings, G_N_ELEMENTS (settings));
}

static void
test_incremental_batch_norm (void)
{
  static const Setting settings[] = {
    { 8, 8, 2, 0 }, { 13, 10, 4, 0 }, { 20, 7, 9, 2 }, { 1, 5, 0, 0 }, { 33, 31, 6, 1 },
  };

  check_incremental ("narrow-vgg11-bn", settings, G_N_ELEMENTS (settings));
}

static void
check_pytorch (const char *name)
{
  VggModel *model = load_reference_model (name);
  g_autofree float *input = load_reference_input (name);
  g_autofree char *file = g_strdup_printf ("%s-occlusion.safetensors", name);
  g_autofree char *path = test_fixture_path ("occlusion", file, NULL);
  VggTensorFile *maps = NULL;
  VggOcclusion *occlusion = NULL;
  VggError error = { 0 };
  double logit = largest_logit (model, input);

  test_assert_ok (vgg_tensor_file_open (&maps, path, &error), &error);
  test_assert_ok (vgg_occlusion_new (&occlusion, model, &error), &error);
  g_assert_cmpuint (maps->n_tensors, >=, 3);
  for (size_t i = 0; i < maps->n_tensors; i++)
    {
      const VggTensor *reference = &maps->tensors[i];
      int patch, stride, k, n_y, n_x;

      g_assert_cmpint (sscanf (reference->name, "p%d-s%d-k%d", &patch, &stride, &k), ==, 3);
      for (int exhaustive = 1; exhaustive >= 0; exhaustive--)
        {
          g_autofree float *map = compute_map (occlusion, model, input, patch, stride, k,
                                               exhaustive, 0, &n_y, &n_x);
          double difference;

          g_assert_cmpint (reference->dtype, ==, VGG_DTYPE_F32);
          g_assert_cmpint (reference->ndim, ==, 2);
          g_assert_cmpint (reference->shape[0], ==, n_y);
          g_assert_cmpint (reference->shape[1], ==, n_x);
          difference = test_max_abs_diff (map, reference->data, (size_t) n_y * n_x);
          g_test_message ("%s %s %s: within %.2g of PyTorch's map's largest value (%.3g)",
                          name, reference->name, exhaustive ? "exhaustive" : "incremental",
                          relative_difference (map, reference->data, (size_t) n_y * n_x),
                          test_max_abs (reference->data, (size_t) n_y * n_x));
          g_assert_cmpfloat (difference, <=,
                             map_tolerance (1e-4, reference->data, (size_t) n_y * n_x, logit));
        }
    }
  vgg_occlusion_free (occlusion);
  vgg_tensor_file_free (maps);
  vgg_model_free (model);
}

static void
test_pytorch_plain (void)
{
  check_pytorch ("narrow-vgg16");
}

static void
test_pytorch_batch_norm (void)
{
  check_pytorch ("narrow-vgg11-bn");
}

/* ---- options, progress, cancellation ---- */

static void
expect_refused (VggOcclusion              *occlusion,
                const float               *input,
                const VggOcclusionOptions *options,
                const char                *fragment)
{
  VggError error = { 0 };
  float map[64 * 64];

  g_assert_cmpint (vgg_occlusion_compute (occlusion, input, options, map, &error), ==,
                   VGG_STATUS_INVALID_ARGUMENT);
  g_assert_cmpint (error.status, ==, VGG_STATUS_INVALID_ARGUMENT);
  if (strstr (error.message, fragment) == NULL)
    g_error ("expected “%s” in “%s”", fragment, error.message);
}

static void
test_bad_options (void)
{
  VggModel *model = load_reference_model ("narrow-vgg16");
  g_autofree float *input = load_reference_input ("narrow-vgg16");
  VggOcclusion *occlusion = NULL;
  VggError error = { 0 };
  VggOcclusionOptions good = { .class_index = 1, .patch = 8, .stride = 8 };
  VggOcclusionOptions bad;
  int n_y = -1, n_x = -1;

  test_assert_ok (vgg_occlusion_new (&occlusion, model, &error), &error);

  bad = good, bad.class_index = 10;
  expect_refused (occlusion, input, &bad, "class 10 does not exist (the model has classes 0 to 9)");
  bad = good, bad.class_index = -1;
  expect_refused (occlusion, input, &bad, "class -1 does not exist");
  bad = good, bad.patch = 65;
  expect_refused (occlusion, input, &bad, "65-pixel patch does not fit the model's 64×64 input");
  bad = good, bad.patch = 0;
  expect_refused (occlusion, input, &bad, "patch must be at least 1 pixel wide (got 0)");
  bad = good, bad.stride = 0;
  expect_refused (occlusion, input, &bad, "stride must be at least 1 pixel (got 0)");
  bad = good, bad.stride = -4;
  expect_refused (occlusion, input, &bad, "stride must be at least 1 pixel (got -4)");
  bad = good, bad.batch = -1;
  expect_refused (occlusion, input, &bad, "batch -1 is outside 0 (the default) to 4096");
  expect_refused (occlusion, input, NULL, "no options");

  g_assert_cmpint (vgg_occlusion_map_size (model, 70, 1, &n_y, &n_x, &error), ==,
                   VGG_STATUS_INVALID_ARGUMENT);
  g_assert_cmpint (vgg_occlusion_map_size (model, 8, 0, &n_y, &n_x, NULL), ==,
                   VGG_STATUS_INVALID_ARGUMENT);
  g_assert_cmpint (vgg_occlusion_map_size (model, -1, 2, &n_y, &n_x, NULL), ==,
                   VGG_STATUS_INVALID_ARGUMENT);
  test_assert_ok (vgg_occlusion_map_size (model, 13, 10, &n_y, &n_x, &error), &error);
  g_assert_cmpint (n_y, ==, 6);
  g_assert_cmpint (n_x, ==, 6);
  test_assert_ok (vgg_occlusion_map_size (model, 64, 5, &n_y, &n_x, &error), &error);
  g_assert_cmpint (n_y, ==, 1);

  /* the object still works after refusals */
  {
    float map[64];

    test_assert_ok (vgg_occlusion_compute (occlusion, input, &good, map, &error), &error);
    for (int i = 0; i < 64; i++)
      g_assert_true (isfinite (map[i]));
  }
  vgg_occlusion_free (occlusion);
  vgg_model_free (model);

  /* a model without a classifier has no logit to compare */
  {
    VggConfig config;

    test_assert_ok (vgg_config_for_name (&config, "vgg11", &error), &error);
    config.input_height = config.input_width = 32;
    for (int b = 0; b < config.n_blocks; b++)
      config.block_widths[b] = 2;
    config.n_hidden_fc = 0;
    config.n_classes = 0;
    test_assert_ok (vgg_model_new_random (&model, &config, 3, &error), &error);
    test_assert_ok (vgg_occlusion_new (&occlusion, model, &error), &error);
    good.class_index = 0;
    {
      g_autofree float *zeros = g_new0 (float, 3 * 32 * 32);

      expect_refused (occlusion, zeros, &good, "has no classifier");
    }
    vgg_occlusion_free (occlusion);
    vgg_model_free (model);
  }
}

typedef struct
{
  int       calls;
  int       last_done;
  int       total;
  gboolean  ok;
} Progress;

static void
record_progress (int          done,
                 int          total,
                 const float *map,
                 void        *user_data)
{
  Progress *progress = user_data;

  progress->calls++;
  progress->total = total;
  /* the finished positions come first, row-major, and are numbers; the rest is NaN */
  if (done <= progress->last_done || done > total)
    progress->ok = FALSE;
  for (int i = 0; i < total; i++)
    if ((i < done) != !isnan (map[i]))
      progress->ok = FALSE;
  progress->last_done = done;
}

static void
test_progress (void)
{
  VggModel *model = load_reference_model ("narrow-vgg16");
  g_autofree float *input = load_reference_input ("narrow-vgg16");
  VggOcclusion *occlusion = NULL;
  VggError error = { 0 };
  float map[20 * 20];

  test_assert_ok (vgg_occlusion_new (&occlusion, model, &error), &error);
  for (int exhaustive = 0; exhaustive < 2; exhaustive++)
    {
      Progress progress = { 0, 0, 0, TRUE };
      VggOcclusionOptions options = { .class_index = 1, .patch = 5, .stride = 3,
                                      .exhaustive = exhaustive, .batch = 7,
                                      .progress = record_progress, .user_data = &progress };

      test_assert_ok (vgg_occlusion_compute (occlusion, input, &options, map, &error), &error);
      g_assert_true (progress.ok);
      g_assert_cmpint (progress.total, ==, 400);
      g_assert_cmpint (progress.last_done, ==, 400);
      /* 401 jobs (the clean picture first) in batches of 7 */
      g_assert_cmpint (progress.calls, ==, (401 + 6) / 7);
    }
  vgg_occlusion_free (occlusion);
  vgg_model_free (model);
}

typedef struct
{
  VggOcclusion *occlusion;
  GMutex        lock;
  GCond         changed;
  gboolean      started;
  int           calls;
} CancelState;

static void
signal_started (int          done,
                int          total,
                const float *map,
                void        *user_data)
{
  CancelState *state = user_data;

  g_mutex_lock (&state->lock);
  state->started = TRUE;
  state->calls++;
  g_cond_signal (&state->changed);
  g_mutex_unlock (&state->lock);
}

static gpointer
cancel_thread (gpointer data)
{
  CancelState *state = data;

  g_mutex_lock (&state->lock);
  while (!state->started)
    g_cond_wait (&state->changed, &state->lock);
  g_mutex_unlock (&state->lock);
  vgg_occlusion_cancel (state->occlusion);
  return NULL;
}

static void
test_cancel (void)
{
  VggModel *model = load_reference_model ("narrow-vgg16");
  g_autofree float *input = load_reference_input ("narrow-vgg16");
  g_autofree float *map = g_new (float, 64 * 64);
  VggError error = { 0 };

  for (int exhaustive = 0; exhaustive < 2; exhaustive++)
    {
      /* 4,096 positions one at a time: far longer than the other thread takes to cancel */
      CancelState state = { 0 };
      VggOcclusionOptions options = { .class_index = 1, .patch = 1, .stride = 1,
                                      .exhaustive = exhaustive, .batch = 1,
                                      .progress = signal_started, .user_data = &state };
      GThread *thread;
      int finished = 0;

      g_mutex_init (&state.lock);
      g_cond_init (&state.changed);
      test_assert_ok (vgg_occlusion_new (&state.occlusion, model, &error), &error);
      thread = g_thread_new ("cancel", cancel_thread, &state);
      g_assert_cmpint (vgg_occlusion_compute (state.occlusion, input, &options, map, &error),
                       ==, VGG_STATUS_CANCELLED);
      g_thread_join (thread);
      g_assert_cmpint (error.status, ==, VGG_STATUS_CANCELLED);
      for (int i = 0; i < 64 * 64; i++)
        finished += !isnan (map[i]);
      g_test_message ("%s: cancelled after %d of 4096 positions",
                      exhaustive ? "exhaustive" : "incremental", finished);
      g_assert_cmpint (finished, <, 64 * 64);

      /* a cancel made while nothing runs does not stop the next computation */
      vgg_occlusion_cancel (state.occlusion);
      options.patch = 32;
      options.stride = 32;
      options.progress = NULL;
      test_assert_ok (vgg_occlusion_compute (state.occlusion, input, &options, map, &error),
                      &error);
      for (int i = 0; i < 4; i++)
        g_assert_true (isfinite (map[i]));
      vgg_occlusion_free (state.occlusion);
      g_mutex_clear (&state.lock);
      g_cond_clear (&state.changed);
    }
  vgg_model_free (model);
}

/* ---- the full-size VGG16 (tools/run-tests' last step) ---- */

/* P = 32, S = 16 (all 169 positions): incremental against exhaustive, within 1e-5 of the map
 * (equal bit for bit, in fact); and the exhaustive reference against the engine's own forward
 * pass (an exact VggRun: im2col + OpenBLAS's sgemm, which sums in another order) for a subset
 * of positions: the four corners, the middle of each border, the centre and one off-grid
 * position. */
static void
test_full_vgg16 (void)
{
  static const int positions[][2] = {
    { 0, 0 }, { 0, 12 }, { 12, 0 }, { 12, 12 }, { 0, 6 }, { 6, 0 }, { 12, 6 }, { 6, 12 },
    { 6, 6 }, { 3, 9 },
  };
  const char *dir = g_getenv ("VGG_SCOPE_VGG16_REFERENCE");
  int n = G_N_ELEMENTS (positions);
  g_autofree char *model_path = NULL, *input_path = NULL;
  g_autofree float *incremental = g_new (float, 13 * 13);
  g_autofree float *exhaustive = g_new (float, 13 * 13);
  float *maps[2] = { incremental, exhaustive };
  g_autofree float *pictures = NULL;
  g_autofree float *expected = g_new (float, n);
  g_autofree float *found = g_new (float, n);
  static const VggRunOptions exact = { .exact = true };
  VggModel *model = NULL;
  VggOcclusion *occlusion = NULL;
  VggRun *run = NULL;
  VggNpy input = { 0 };
  VggError error = { 0 };
  size_t count = (size_t) 3 * 224 * 224;
  int k = 0, n_y, n_x;
  double difference, logit;

  if (dir == NULL)
    {
      g_test_skip ("set VGG_SCOPE_VGG16_REFERENCE (tools/gen-vgg16-reference.py) to run");
      return;
    }
  model_path = g_build_filename (dir, "vgg16-legacy.pth", NULL);
  input_path = g_build_filename (dir, "input.npy", NULL);
  test_assert_ok (test_model_load (&model, model_path, &error), &error);
  test_assert_ok (vgg_npy_load (&input, input_path, &error), &error);
  g_assert_cmpuint (input.count, >=, count);

  /* the class the clean picture scores highest, and the subset through exact runs */
  test_assert_ok (vgg_run_new_with_options (&run, model, n + 1, &exact, &error), &error);
  pictures = g_new (float, count * (n + 1));
  for (int i = 0; i <= n; i++)
    memcpy (pictures + count * i, input.data, count * sizeof (float));
  for (int i = 0; i < n; i++)
    for (int c = 0; c < 3; c++)
      for (int y = 0; y < 32; y++)
        memset (pictures + count * (i + 1) + ((size_t) c * 224 + positions[i][0] * 16 + y) * 224
                + positions[i][1] * 16, 0, 32 * sizeof (float));
  test_assert_ok (vgg_run_forward (run, pictures, &error), &error);
  vgg_run_top_k (run, 0, 1, &k, &(float) { 0 });
  logit = test_max_abs (vgg_run_logits (run), 1000);
  for (int i = 0; i < n; i++)
    expected[i] = vgg_run_logits (run)[k] - vgg_run_logits (run)[(size_t) (i + 1) * 1000 + k];
  vgg_run_free (run);

  test_assert_ok (vgg_occlusion_new (&occlusion, model, &error), &error);
  test_assert_ok (vgg_occlusion_map_size (model, 32, 16, &n_y, &n_x, &error), &error);
  g_assert_cmpint (n_y * n_x, ==, 169);
  for (int mode = 0; mode < 2; mode++)
    {
      VggOcclusionOptions options = { .class_index = k, .patch = 32, .stride = 16,
                                      .exhaustive = mode == 1 };

      test_assert_ok (vgg_occlusion_compute (occlusion, input.data, &options, maps[mode],
                                             &error), &error);
      for (int i = 0; i < 169; i++)
        g_assert_true (isfinite (maps[mode][i]));
    }

  difference = test_max_abs_diff (maps[0], maps[1], 169);
  g_test_message ("VGG16 P=32 S=16 class %d: incremental within %.2g of the exhaustive map's "
                  "largest value (%.4g)%s", k, difference / test_max_abs (maps[1], 169),
                  test_max_abs (maps[1], 169),
                  memcmp (maps[0], maps[1], 169 * sizeof (float)) == 0 ? ": equal bit for bit"
                                                                       : "");
  g_assert_cmpfloat (difference, <=, exact_tolerance (maps[1], 169));

  for (int i = 0; i < n; i++)
    found[i] = maps[1][positions[i][0] * 13 + positions[i][1]];
  difference = test_max_abs_diff (found, expected, n);
  g_test_message ("VGG16 P=32 S=16 class %d: %d positions of the exhaustive map within %.2g of "
                  "the map's largest value from exact runs (largest logit %.4g)", k, n,
                  difference / test_max_abs (maps[1], 169), logit);
  g_assert_cmpfloat (difference, <=, map_tolerance (1e-4, maps[1], 169, logit));
  vgg_occlusion_free (occlusion);
  vgg_npy_clear (&input);
  vgg_model_free (model);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/occlusion/kernels", test_kernels);
  g_test_add_func ("/occlusion/incremental-plain", test_incremental_plain);
  g_test_add_func ("/occlusion/incremental-batch-norm", test_incremental_batch_norm);
  g_test_add_func ("/occlusion/pytorch-plain", test_pytorch_plain);
  g_test_add_func ("/occlusion/pytorch-batch-norm", test_pytorch_batch_norm);
  g_test_add_func ("/occlusion/bad-options", test_bad_options);
  g_test_add_func ("/occlusion/progress", test_progress);
  g_test_add_func ("/occlusion/cancel", test_cancel);
  g_test_add_func ("/occlusion/full-vgg16", test_full_vgg16);
  return g_test_run ();
}
