/* test-winograd.c — the fast convolution paths against the naive reference, for every SIMD
 *                    kernel set this CPU runs
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "kernels.h"
#include "test-engine-util.h"
#include "threads.h"
#include "winograd.h"

#include <math.h>

/* Winograd F(4×4,3×3) in float32 stays within a few 1e-6 of a layer's max |value|
 * (measured against float64: direct 3e-7, F(4×4) 2–4e-6); the engine's exactness criterion is
 * 1e-4. */
#define WINOGRAD_TOLERANCE 2e-5
#define DIRECT_TOLERANCE 1e-5

static void
fill_random (float *data, size_t count, GRand *rand)
{
  for (size_t i = 0; i < count; i++)
    data[i] = (float) g_rand_double_range (rand, -1.0, 1.0);
}

/* The naive convolution of a batch, then the epilogue the fast path fuses. */
static void
reference_conv (float *out, const float *in, const float *weight, const float *bias, int batch,
                int c_in, int h, int w, int c_out, gboolean relu, gboolean pool)
{
  size_t count_in = (size_t) c_in * h * w, count_out = (size_t) c_out * h * w;
  g_autofree float *full = g_new (float, count_out);

  for (int n = 0; n < batch; n++)
    {
      vgg_conv3x3_naive (full, in + n * count_in, weight, bias, c_in, h, w, c_out);
      if (relu)
        vgg_relu (full, count_out);
      if (pool)
        vgg_maxpool2x2 (out + (size_t) n * c_out * (h / 2) * (w / 2), full, c_out, h, w);
      else
        memcpy (out + n * count_out, full, count_out * sizeof (float));
    }
}

typedef struct
{
  int batch, c_in, h, w, c_out;
} Shape;

static void
check_winograd (const VggSimdKernels *simd, int tile, const Shape *s, gboolean relu,
                gboolean pool, size_t block_kib)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed ((guint32) (s->c_in * 7919 + s->h * 31 + s->w
                                                            + s->c_out * 3 + s->batch));
  VggWinogradPlan plan;
  size_t n_in = (size_t) s->batch * s->c_in * s->h * s->w;
  size_t n_out = (size_t) s->batch * s->c_out * (pool ? (s->h / 2) * (s->w / 2) : s->h * s->w);
  g_autofree float *in = g_new (float, n_in);
  g_autofree float *weight = g_new (float, (size_t) s->c_out * s->c_in * 9);
  g_autofree float *bias = g_new (float, s->c_out);
  g_autofree float *expected = g_new (float, n_out);
  g_autofree float *actual = g_new (float, n_out);
  g_autofree float *u = NULL, *scratch = NULL;
  double max_abs, diff;

  vgg_winograd_plan (&plan, simd, tile, s->batch, s->c_in, s->h, s->w, s->c_out, relu, pool,
                     block_kib << 10);
  g_assert_cmpint (plan.block_tiles % plan.nt, ==, 0);
  u = g_malloc (plan.u_count * sizeof (float));
  scratch = g_malloc0 (plan.scratch_count * sizeof (float));

  fill_random (in, n_in, rand);
  fill_random (weight, (size_t) s->c_out * s->c_in * 9, rand);
  fill_random (bias, s->c_out, rand);
  reference_conv (expected, in, weight, bias, s->batch, s->c_in, s->h, s->w, s->c_out, relu,
                  pool);
  /* a canary: every output must be written */
  for (size_t i = 0; i < n_out; i++)
    actual[i] = NAN;
  vgg_winograd_transform_weights (&plan, u, weight);
  vgg_winograd_conv (&plan, actual, in, u, bias, scratch);

  max_abs = test_max_abs (expected, n_out);
  diff = test_max_abs_diff (expected, actual, n_out);
  for (size_t i = 0; i < n_out; i++)
    if (isnan (actual[i]))
      g_error ("%s winograd F(%d) %d×%d→%d at %d×%d: output %zu not written", simd->name, tile,
               s->batch, s->c_in, s->c_out, s->h, s->w, i);
  g_assert_cmpfloat (max_abs, >, 0.0);
  if (!(diff <= WINOGRAD_TOLERANCE * max_abs))
    g_error ("%s winograd F(%d) batch %d, %d→%d at %d×%d (relu %d pool %d, %d tiles per "
             "block): max diff %g (max |value| %g)", simd->name, tile, s->batch, s->c_in,
             s->c_out, s->h, s->w, relu, pool, plan.block_tiles, diff, max_abs);
  g_test_message ("%s winograd F(%d) %d→%d %dx%d x%d: %.2g of max", simd->name, tile, s->c_in,
                  s->c_out, s->h, s->w, s->batch, diff / max_abs);

  if (pool)
    {
      /* with a tap: the pooled output the same bits, and the tap exactly what the same
       * convolution writes unpooled (edge tiles included: a NaN canary must not survive) */
      size_t n_full = (size_t) s->batch * s->c_out * s->h * s->w;
      g_autofree float *tap = g_new (float, n_full);
      g_autofree float *full = g_new (float, n_full);
      g_autofree float *pooled = g_new (float, n_out);
      VggWinogradPlan tapped = plan, unpooled = plan;

      for (size_t i = 0; i < n_full; i++)
        tap[i] = full[i] = NAN;
      tapped.tap = tap;
      unpooled.pool = FALSE;
      vgg_winograd_conv (&tapped, pooled, in, u, bias, scratch);
      vgg_winograd_conv (&unpooled, full, in, u, bias, scratch);
      for (size_t i = 0; i < n_full; i++)
        if (isnan (tap[i]) || memcmp (&tap[i], &full[i], sizeof (float)) != 0)
          g_error ("%s winograd F(%d) batch %d, %d→%d at %d×%d (relu %d): tap %zu is %g, "
                   "unpooled %g", simd->name, tile, s->batch, s->c_in, s->c_out, s->h, s->w,
                   relu, i, tap[i], full[i]);
      g_assert_cmpmem (pooled, n_out * sizeof (float), actual, n_out * sizeof (float));
    }
}

static const Shape shapes[] = {
  /* odd sizes, 1×1 and 1×N maps, channel counts that are not multiples of 8 or of the
   * vector width, a few tiles and many, several images */
  { 1, 3, 17, 23, 8 },
  { 1, 8, 1, 1, 5 },
  { 1, 4, 1, 9, 3 },
  { 1, 5, 9, 1, 3 },
  { 2, 16, 14, 14, 32 },
  { 1, 64, 28, 28, 64 },
  { 3, 13, 7, 11, 19 },
  { 1, 130, 6, 10, 70 },
  { 2, 32, 56, 40, 24 },
  /* wide maps: groups of tiles side by side in one row take the vector row path */
  { 1, 8, 9, 200, 8 },
  { 2, 5, 10, 131, 7 },
  { 1, 16, 16, 224, 16 },
};

static void
test_winograd_shapes (void)
{
  for (int level = 0; level < VGG_SIMD_N_LEVELS; level++)
    {
      const VggSimdKernels *simd = vgg_simd_kernels ((VggSimdLevel) level);

      if (simd == NULL)
        {
          g_test_message ("SIMD level %d: not on this CPU", level);
          continue;
        }
      for (int tile = 2; tile <= 4; tile += 2)
        for (size_t i = 0; i < G_N_ELEMENTS (shapes); i++)
          {
            check_winograd (simd, tile, &shapes[i], FALSE, FALSE, 0);
            check_winograd (simd, tile, &shapes[i], TRUE, FALSE, 0);
            if (shapes[i].h >= 2 && shapes[i].w >= 2)
              {
                check_winograd (simd, tile, &shapes[i], TRUE, TRUE, 0);
                check_winograd (simd, tile, &shapes[i], FALSE, TRUE, 0);
              }
          }
    }
}

static void
test_winograd_blocks (void)
{
  /* tiny blocks: many blocks per layer, a partial last one */
  static const Shape block_shapes[] = {
    { 2, 16, 30, 26, 16 },
    { 1, 40, 23, 17, 9 },
  };

  for (int level = 0; level < VGG_SIMD_N_LEVELS; level++)
    {
      const VggSimdKernels *simd = vgg_simd_kernels ((VggSimdLevel) level);

      if (simd == NULL)
        continue;
      for (int tile = 2; tile <= 4; tile += 2)
        for (size_t i = 0; i < G_N_ELEMENTS (block_shapes); i++)
          {
            check_winograd (simd, tile, &block_shapes[i], TRUE, FALSE, 1);
            check_winograd (simd, tile, &block_shapes[i], TRUE, TRUE, 64);
          }
    }
}

static void
check_direct (const VggSimdKernels *simd, int batch, int c_in, int h, int w, int c_out,
              gboolean relu)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed ((guint32) (c_in + h * 100 + w * 7 + c_out));
  size_t n_in = (size_t) batch * c_in * h * w, n_out = (size_t) batch * c_out * h * w;
  g_autofree float *in = g_new (float, n_in);
  g_autofree float *weight = g_new (float, (size_t) c_out * c_in * 9);
  g_autofree float *bias = g_new (float, c_out);
  g_autofree float *expected = g_new (float, n_out);
  g_autofree float *actual = g_new (float, n_out);
  double max_abs, diff;

  fill_random (in, n_in, rand);
  fill_random (weight, (size_t) c_out * c_in * 9, rand);
  fill_random (bias, c_out, rand);
  reference_conv (expected, in, weight, bias, batch, c_in, h, w, c_out, relu, FALSE);
  for (size_t i = 0; i < n_out; i++)
    actual[i] = NAN;
  vgg_conv3x3_direct (simd, actual, in, weight, bias, batch, c_in, h, w, c_out, relu);
  max_abs = test_max_abs (expected, n_out);
  diff = test_max_abs_diff (expected, actual, n_out);
  for (size_t i = 0; i < n_out; i++)
    g_assert_false (isnan (actual[i]));
  if (!(diff <= DIRECT_TOLERANCE * max_abs))
    g_error ("%s direct %d→%d at %d×%d: max diff %g (max |value| %g)", simd->name, c_in, c_out,
             h, w, diff, max_abs);
}

static void
test_direct_shapes (void)
{
  for (int level = 0; level < VGG_SIMD_N_LEVELS; level++)
    {
      const VggSimdKernels *simd = vgg_simd_kernels ((VggSimdLevel) level);

      if (simd == NULL)
        continue;
      check_direct (simd, 1, 3, 17, 23, 8, FALSE);
      check_direct (simd, 2, 3, 9, 300, 13, TRUE);   /* more than one column chunk */
      check_direct (simd, 1, 1, 1, 1, 5, FALSE);
      check_direct (simd, 1, 4, 5, 1, 64, TRUE);
      check_direct (simd, 1, 3, 32, 32, 64, TRUE);
    }
}

/* The default (Winograd) path against the exact one on a full-size VGG16 with random
 * weights: logits within 1e-3 of the largest |logit|, the same top-5 classes (where the
 * exact logits separate them by more than twice the largest logit error). */
static void
test_vgg16_criteria (void)
{
  VggConfig config;
  VggModel *model = NULL;
  VggRun *run = NULL;
  VggError error = { 0 };
  g_autoptr (GRand) rand = g_rand_new_with_seed (16);
  size_t count = (size_t) 3 * 224 * 224;
  g_autofree float *input = g_new (float, count);
  g_autofree float *exact = NULL;
  const float *logits;
  double max_logit = 0.0, max_diff = 0.0;
  VggRunOptions exact_options = { .exact = true };
  int exact_top[6], fast_top[5];
  float exact_probs[6], fast_probs[5];

  if (!g_test_slow () && g_getenv ("VGG_SCOPE_TEST_VGG16") == NULL)
    {
      g_test_skip ("slow: run with -m slow or VGG_SCOPE_TEST_VGG16=1");
      return;
    }

  test_assert_ok (vgg_config_for_name (&config, "vgg16", &error), &error);
  test_assert_ok (vgg_model_new_random (&model, &config, 1234, &error), &error);
  for (size_t i = 0; i < count; i++)
    input[i] = (float) g_rand_double_range (rand, -2.0, 2.0);

  /* exact versus fast is chosen when the run is made: one run of each */
  test_assert_ok (vgg_run_new_with_options (&run, model, 1, &exact_options, &error), &error);
  g_assert_true (vgg_run_get_exact (run));
  test_assert_ok (vgg_run_forward (run, input, &error), &error);
  exact = g_memdup2 (vgg_run_logits (run), sizeof (float) * 1000);
  g_assert_cmpint (vgg_run_top_k (run, 0, 6, exact_top, exact_probs), ==, 6);
  vgg_run_free (run);

  test_assert_ok (vgg_run_new (&run, model, 1, &error), &error);
  g_assert_false (vgg_run_get_exact (run));
  test_assert_ok (vgg_run_forward (run, input, &error), &error);
  logits = vgg_run_logits (run);
  g_assert_cmpint (vgg_run_top_k (run, 0, 5, fast_top, fast_probs), ==, 5);
  for (int i = 0; i < 1000; i++)
    {
      max_logit = MAX (max_logit, fabs (exact[i]));
      max_diff = MAX (max_diff, fabs ((double) exact[i] - logits[i]));
    }
  g_test_message ("VGG16 fast vs exact: logits within %.2g of the largest (%.3g)",
                  max_diff / max_logit, max_logit);
  g_assert_cmpfloat (max_diff, <=, 1e-3 * max_logit);
  for (int i = 0; i < 5; i++)
    {
      double gap_before = i > 0 ? exact[exact_top[i - 1]] - exact[exact_top[i]] : INFINITY;
      double gap_after = exact[exact_top[i]] - exact[exact_top[i + 1]];

      if (gap_before > 2 * max_diff && gap_after > 2 * max_diff)
        g_assert_cmpint (fast_top[i], ==, exact_top[i]);
    }

  vgg_run_free (run);
  vgg_model_free (model);
}

typedef struct
{
  int    events;
  int    pre_events;
  double worst_relu;   /* the largest |OUTPUT − max (PRE, 0)| over convolutions */
  bool   saw_negative; /* a PRE tensor with negative values */
  float *pre;          /* the last PRE tensor, copied */
  size_t pre_count;
} HookLog;

static bool
log_hook (const VggHookEvent *event,
          void               *user_data)
{
  HookLog *log = user_data;

  log->events++;
  if (event->stage == VGG_STAGE_PRE_ACTIVATION)
    {
      log->pre_events++;
      g_free (log->pre);
      log->pre = g_memdup2 (event->data, event->count * sizeof (float));
      log->pre_count = event->count;
      for (size_t i = 0; i < event->count; i++)
        if (event->data[i] < 0.0f)
          log->saw_negative = true;
    }
  else if (log->pre != NULL && log->pre_count == event->count)
    {
      for (size_t i = 0; i < event->count; i++)
        log->worst_relu = MAX (log->worst_relu,
                               fabs (event->data[i] - MAX (log->pre[i], 0.0f)));
      g_clear_pointer (&log->pre, g_free);
    }
  return true;
}

/* Fusing the ReLU and the pool into the convolution must not change what anyone sees: a
 * watched pre-activation is really before the ReLU, a watched convolution output is really
 * not pooled, and the logits are the same whatever is watched. */
static void
test_fusion_and_hooks (void)
{
  VggConfig config = {
    .n_blocks = 3,
    .block_widths = { 32, 48, 64 },
    .block_convs = { 2, 2, 2 },
    .input_channels = 3,
    .input_height = 40,
    .input_width = 36,
    .n_hidden_fc = 1,
    .hidden_fc_widths = { 32 },
    .n_classes = 10,
  };
  VggModel *model = NULL;
  VggError error = { 0 };
  g_autoptr (GRand) rand = g_rand_new_with_seed (5);
  size_t count = (size_t) 2 * 3 * 40 * 36;
  g_autofree float *input = g_new (float, count);
  float reference[20];
  int conv1_2, pool1;

  test_assert_ok (vgg_model_new_random (&model, &config, 77, &error), &error);
  conv1_2 = vgg_model_find_layer (model, "conv1_2");
  pool1 = vgg_model_find_layer (model, "pool1");
  g_assert_cmpint (conv1_2, >=, 0);
  for (size_t i = 0; i < count; i++)
    input[i] = (float) g_rand_double_range (rand, -1.0, 1.0);

  for (int mode = 0; mode < 3; mode++)
    {
      static const unsigned stages[3] = { 0, VGG_STAGE_OUTPUT,
                                          VGG_STAGE_PRE_ACTIVATION | VGG_STAGE_OUTPUT };
      HookLog log = { 0 };
      VggRun *run = NULL;
      VggLayerProfile conv_profile, pool_profile;

      test_assert_ok (vgg_run_new (&run, model, 2, &error), &error);
      g_assert_false (vgg_run_get_exact (run));
      if (mode > 0)
        {
          vgg_run_set_hook (run, log_hook, &log);
          vgg_run_watch (run, -1, stages[mode]);
        }
      test_assert_ok (vgg_run_forward (run, input, &error), &error);
      g_assert_true (vgg_run_layer_profile (run, conv1_2, &conv_profile));
      g_assert_true (vgg_run_layer_profile (run, pool1, &pool_profile));
      g_test_message ("mode %d: conv1_2 %s, pool1 %s", mode, conv_profile.algorithm,
                      pool_profile.algorithm);

      if (mode == 0)
        {
          memcpy (reference, vgg_run_logits (run), sizeof reference);
          g_assert_nonnull (strstr (conv_profile.algorithm, "winograd"));
          g_assert_nonnull (strstr (conv_profile.algorithm, "+relu+pool"));
          g_assert_cmpstr (pool_profile.algorithm, ==, "fused into the convolution");
        }
      else
        {
          if (mode == 1)
            {
              /* watching the outputs keeps the fusion: the convolution's output comes from
               * the tap */
              g_assert_nonnull (strstr (conv_profile.algorithm, "+relu+pool"));
              g_assert_cmpstr (pool_profile.algorithm, ==, "fused into the convolution");
            }
          else
            {
              /* a watched pre-activation needs the convolution unfused */
              g_assert_null (strstr (conv_profile.algorithm, "pool"));
              g_assert_cmpstr (pool_profile.algorithm, ==, "maxpool");
            }
          for (int i = 0; i < 20; i++)
            g_assert_cmpfloat (vgg_run_logits (run)[i], ==, reference[i]);
        }
      if (mode == 1)
        g_assert_cmpint (log.events, ==, vgg_model_n_layers (model));
      if (mode == 2)
        {
          int relus = 0;
          for (int i = 0; i < vgg_model_n_layers (model); i++)
            relus += vgg_model_layer (model, i)->relu;
          g_assert_cmpint (log.pre_events, ==, relus);
          g_assert_true (log.saw_negative);
          g_assert_cmpfloat (log.worst_relu, ==, 0.0);
          g_assert_null (strstr (conv_profile.algorithm, "relu"));
        }
      g_free (log.pre);
      vgg_run_free (run);
    }
  vgg_model_free (model);
}

typedef struct
{
  int counts[64];
} TaskCounts;

static void
count_task (void *context, int task, int thread)
{
  TaskCounts *counts = context;

  g_assert_cmpint (thread, >=, 0);
  g_assert_cmpint (thread, <, vgg_parallel_threads ());
  __atomic_fetch_add (&counts->counts[task], 1, __ATOMIC_RELAXED);
}

static void
test_parallel_for (void)
{
  /* every task exactly once, for several thread counts and many loops in a row */
  for (int threads = 1; threads <= 3; threads++)
    {
      vgg_set_threads (threads);
      for (int round = 0; round < 200; round++)
        {
          TaskCounts counts = { 0 };
          int n = 1 + round % 64;

          vgg_parallel_for (n, count_task, &counts);
          for (int i = 0; i < n; i++)
            g_assert_cmpint (counts.counts[i], ==, 1);
        }
    }
  vgg_set_threads (0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/winograd/shapes", test_winograd_shapes);
  g_test_add_func ("/winograd/blocks", test_winograd_blocks);
  g_test_add_func ("/winograd/direct", test_direct_shapes);
  g_test_add_func ("/winograd/parallel-for", test_parallel_for);
  g_test_add_func ("/winograd/fusion-and-hooks", test_fusion_and_hooks);
  g_test_add_func ("/winograd/vgg16-criteria", test_vgg16_criteria);
  return g_test_run ();
}
