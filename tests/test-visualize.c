/* test-visualize.c — feature visualization: the objective really rises, one seed one picture
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tests/fixtures/visualize/fashion-vgg-p99.txt comes from tools/gen-visualize-fixtures.py
 * (PyTorch, float64): per channel of every conv of the built-in model, the 99th percentile
 * over the Fashion-MNIST test set of the channel's mean value before its ReLU. Many channels
 * sit at or below zero on noise, so a ratio to the start proves nothing; beating what 99 % of
 * real garments reach does.
 */
#include "config.h"

#include "test-util.h"
#include "vgg-visualize.h"

#include <math.h>
#include <string.h>

static VggModel *
default_model (void)
{
  VggModel *model = NULL;
  VggError error = { 0 };

  g_assert_cmpint (vgg_model_new_default (&model, &error), ==, VGG_STATUS_OK);
  return model;
}

/* The fixture's value for (layer, channel), or NAN. */
static double
p99_for (const char *layer,
         int         channel)
{
  static GHashTable *table = NULL;
  double *value;
  char key[64];

  if (table == NULL)
    {
      g_autofree char *path = test_fixture_path ("visualize", "fashion-vgg-p99.txt", NULL);
      g_autofree char *text = NULL;
      g_auto (GStrv) lines = NULL;

      g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
      table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      lines = g_strsplit (text, "\n", -1);
      for (int i = 0; lines[i] != NULL; i++)
        {
          g_auto (GStrv) parts = g_strsplit (lines[i], " ", 3);
          double *v;

          if (lines[i][0] == '#' || g_strv_length (parts) != 3)
            continue;
          v = g_new (double, 1);
          *v = g_ascii_strtod (parts[2], NULL);
          g_hash_table_insert (table, g_strdup_printf ("%s/%s", parts[0], parts[1]), v);
        }
    }
  g_snprintf (key, sizeof key, "%s/%d", layer, channel);
  value = g_hash_table_lookup (table, key);
  return value != NULL ? *value : NAN;
}

typedef struct
{
  int    layer;
  float *pre;
} Capture;

static bool
capture_pre (const VggHookEvent *event,
             void               *user_data)
{
  Capture *capture = user_data;

  if (event->layer_index == capture->layer && event->stage == VGG_STAGE_PRE_ACTIVATION)
    capture->pre = g_memdup2 (event->data, event->count * sizeof (float));
  return event->layer_index < capture->layer;
}

/* The channel's mean before its ReLU by an exact forward pass: not the gradient's code. */
static double
forward_channel_mean (const VggModel *model,
                      const float    *input,
                      int             layer_index,
                      int             channel)
{
  const VggLayer *layer = vgg_model_layer (model, layer_index);
  VggRunOptions options = { .exact = true };
  Capture capture = { layer_index, NULL };
  VggRun *run = NULL;
  size_t plane = (size_t) layer->height_out * layer->width_out;
  double sum = 0.0;

  g_assert_cmpint (vgg_run_new_with_options (&run, model, 1, &options, NULL), ==,
                   VGG_STATUS_OK);
  vgg_run_set_hook (run, capture_pre, &capture);
  vgg_run_watch (run, layer_index, VGG_STAGE_PRE_ACTIVATION);
  vgg_run_forward (run, input, NULL);
  g_assert_nonnull (capture.pre);
  for (size_t i = 0; i < plane; i++)
    sum += capture.pre[channel * plane + i];
  g_free (capture.pre);
  vgg_run_free (run);
  return sum / (double) plane;
}

/* A few channels of every block beat the test set's 99th percentile. */
static void
test_objective_rises (void)
{
  VggModel *model = default_model ();
  const VggConfig *config = vgg_model_config (model);
  size_t count = (size_t) config->input_channels * config->input_height * config->input_width;
  g_autofree float *input = g_new (float, count);
  static const struct { const char *layer; int channel; } cases[] = {
    { "conv1_1", 0 }, { "conv1_2", 5 }, { "conv1_2", 17 },
    { "conv2_1", 9 }, { "conv2_2", 3 }, { "conv2_2", 40 },
    { "conv3_1", 11 }, { "conv3_2", 3 }, { "conv3_2", 100 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      int index = vgg_model_find_layer (model, cases[i].layer);
      double p99 = p99_for (cases[i].layer, cases[i].channel), check;
      VggVisualizeRequest request;
      VggVisualizeResult result = { 0 };
      VggError error = { 0 };

      g_assert_cmpint (index, >=, 0);
      g_assert_false (isnan (p99));
      vgg_visualize_request_init (&request, model, index, cases[i].channel);
      request.seed = 7 + i;
      request.steps = 128;
      g_assert_cmpint (vgg_visualize (model, &request, input, NULL, NULL, &result, &error), ==,
                       VGG_STATUS_OK);
      g_assert_cmpint (result.steps, ==, request.steps);
      /* every value inside the preset's range: a picture could give this input */
      for (size_t q = 0; q < count; q++)
        g_assert_true (input[q] >= 0.0f && input[q] <= 1.0f);
      check = forward_channel_mean (model, input, index, cases[i].channel);
      g_test_message ("%s channel %d: %.4f → %.4f (forward %.4f), test-set p99 %.4f",
                      cases[i].layer, cases[i].channel, result.objective_start,
                      result.objective, check, p99);
      g_assert_cmpfloat (fabs (check - result.objective), <=, 1e-4 * (1.0 + fabs (check)));
      g_assert_cmpfloat (check, >, p99);
    }
  vgg_model_free (model);
}

static void
run_once (const VggModel *model,
          uint64_t        seed,
          float          *input)
{
  VggVisualizeRequest request;

  vgg_visualize_request_init (&request, model, vgg_model_find_layer (model, "conv2_2"), 3);
  request.steps = 64;
  request.seed = seed;
  g_assert_cmpint (vgg_visualize (model, &request, input, NULL, NULL, NULL, NULL), ==,
                   VGG_STATUS_OK);
}

/* One seed gives one picture, byte for byte, whatever the thread count. */
static void
test_deterministic (void)
{
  VggModel *model = default_model ();
  const VggConfig *config = vgg_model_config (model);
  size_t count = (size_t) config->input_channels * config->input_height * config->input_width;
  g_autofree float *a = g_new (float, count), *b = g_new (float, count);
  g_autofree float *c = g_new (float, count), *d = g_new (float, count);
  int threads = vgg_get_threads ();
  VggImage image_a = { 0 }, image_b = { 0 };

  vgg_set_threads (1);
  run_once (model, 11, a);
  vgg_set_threads (2);
  run_once (model, 11, b);
  vgg_set_threads (3);
  run_once (model, 11, c);
  vgg_set_threads (threads);
  run_once (model, 12, d);
  g_assert_cmpmem (a, count * sizeof (float), b, count * sizeof (float));
  g_assert_cmpmem (a, count * sizeof (float), c, count * sizeof (float));
  g_assert_true (memcmp (a, d, count * sizeof (float)) != 0);
  /* the PNG's pixels too */
  g_assert_cmpint (vgg_input_to_image (&image_a, a, config->input_channels, config->input_height,
                                       config->input_width, vgg_model_preset (model), NULL),
                   ==, VGG_STATUS_OK);
  g_assert_cmpint (vgg_input_to_image (&image_b, b, config->input_channels, config->input_height,
                                       config->input_width, vgg_model_preset (model), NULL),
                   ==, VGG_STATUS_OK);
  g_assert_cmpmem (image_a.pixels, (gsize) image_a.width * image_a.height * 3, image_b.pixels,
                   (gsize) image_b.width * image_b.height * 3);
  vgg_image_clear (&image_a);
  vgg_image_clear (&image_b);
  vgg_model_free (model);
}

typedef struct
{
  int   calls;
  int   stop_at;
  float last;
} Watch;

static bool
watch_step (int          step,
            int          n_steps,
            float        objective,
            const float *input,
            void        *user_data)
{
  Watch *watch = user_data;

  g_assert_cmpint (step, ==, watch->calls + 1);
  g_assert_cmpint (n_steps, ==, 40);
  g_assert_nonnull (input);
  watch->calls++;
  watch->last = objective;
  return step < watch->stop_at;
}

/* The progress function sees every step and can stop the ascent. */
static void
test_progress_and_cancel (void)
{
  VggModel *model = default_model ();
  const VggConfig *config = vgg_model_config (model);
  g_autofree float *input = g_new (float, (size_t) config->input_channels
                                          * config->input_height * config->input_width);
  VggVisualizeRequest request;
  VggVisualizeResult result = { 0 };
  VggError error = { 0 };
  Watch watch = { 0, 1000, 0.0f };

  vgg_visualize_request_init (&request, model, vgg_model_find_layer (model, "conv1_2"), 2);
  request.steps = 40;
  g_assert_cmpint (vgg_visualize (model, &request, input, watch_step, &watch, &result, &error),
                   ==, VGG_STATUS_OK);
  g_assert_cmpint (watch.calls, ==, 40);
  watch = (Watch) { 0, 10, 0.0f };
  g_assert_cmpint (vgg_visualize (model, &request, input, watch_step, &watch, &result, &error),
                   ==, VGG_STATUS_CANCELLED);
  g_assert_cmpint (watch.calls, ==, 10);
  g_assert_cmpint (result.steps, ==, 10);
  vgg_model_free (model);
}

/* A class's logit rises above what the class's own test pictures typically give. */
static void
test_class (void)
{
  VggModel *model = default_model ();
  const VggConfig *config = vgg_model_config (model);
  g_autofree float *input = g_new (float, (size_t) config->input_channels
                                          * config->input_height * config->input_width);
  int logits = vgg_model_n_layers (model) - 2;
  VggVisualizeRequest request;
  VggVisualizeResult result = { 0 };
  VggRun *run = NULL;

  vgg_visualize_request_init (&request, model, logits, 1);   /* trouser */
  request.steps = 128;
  g_assert_cmpint (vgg_visualize (model, &request, input, NULL, NULL, &result, NULL), ==,
                   VGG_STATUS_OK);
  g_assert_cmpfloat (result.objective, >, result.objective_start + 5.0f);
  g_assert_cmpint (vgg_run_new (&run, model, 1, NULL), ==, VGG_STATUS_OK);
  g_assert_cmpint (vgg_run_forward (run, input, NULL), ==, VGG_STATUS_OK);
  g_assert_cmpfloat (fabsf (vgg_run_logits (run)[1] - result.objective), <, 1e-3f);
  g_assert_cmpfloat (vgg_run_probs (run)[1], >, 0.99f);
  vgg_run_free (run);
  vgg_model_free (model);
}

static void
test_bad_requests (void)
{
  VggModel *model = default_model ();
  float input[1024];
  VggVisualizeRequest request;
  VggError error = { 0 };
  int conv = vgg_model_find_layer (model, "conv1_1");

  vgg_visualize_request_init (&request, model, conv, 32);
  g_assert_cmpint (vgg_visualize (model, &request, input, NULL, NULL, NULL, &error), ==,
                   VGG_STATUS_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error.message, "has 32 channels"));
  vgg_visualize_request_init (&request, model, vgg_model_n_layers (model) - 1, 0);
  g_assert_cmpint (vgg_visualize (model, &request, input, NULL, NULL, NULL, &error), ==,
                   VGG_STATUS_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error.message, "softmax"));
  vgg_visualize_request_init (&request, model, 99, 0);
  g_assert_cmpint (vgg_visualize (model, &request, input, NULL, NULL, NULL, &error), ==,
                   VGG_STATUS_INVALID_ARGUMENT);
  vgg_visualize_request_init (&request, model, conv, 0);
  request.steps = 0;
  g_assert_cmpint (vgg_visualize (model, &request, input, NULL, NULL, NULL, &error), ==,
                   VGG_STATUS_INVALID_ARGUMENT);
  vgg_model_free (model);
}

/* Preprocessing then vgg_input_to_image() gives back the picture the network saw, for every
 * colour preset. */
static void
test_input_to_image (void)
{
  uint8_t pixels[8 * 8 * 3];
  VggImage image = { 8, 8, pixels };
  float input[3 * 8 * 8];

  for (gsize i = 0; i < sizeof pixels; i++)
    pixels[i] = (uint8_t) (i * 37 % 256);
  for (int preset = 0; preset < VGG_PRESET_FASHION_MNIST; preset++)
    {
      VggImage seen = { 0 }, back = { 0 };
      float lo, hi;

      g_assert_cmpint (vgg_preprocess (input, 3, 8, 8, &image, preset, &seen, NULL), ==,
                       VGG_STATUS_OK);
      g_assert_cmpint (vgg_input_to_image (&back, input, 3, 8, 8, preset, NULL), ==,
                       VGG_STATUS_OK);
      g_assert_cmpmem (back.pixels, sizeof pixels, seen.pixels, sizeof pixels);
      for (int c = 0; c < 3; c++)
        {
          vgg_preset_input_range (preset, c, &lo, &hi);
          for (int i = 0; i < 64; i++)
            g_assert_true (input[c * 64 + i] >= lo - 1e-4f && input[c * 64 + i] <= hi + 1e-4f);
        }
      vgg_image_clear (&back);
      vgg_image_clear (&seen);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/visualize/objective-rises", test_objective_rises);
  g_test_add_func ("/visualize/deterministic", test_deterministic);
  g_test_add_func ("/visualize/progress-and-cancel", test_progress_and_cancel);
  g_test_add_func ("/visualize/class", test_class);
  g_test_add_func ("/visualize/bad-requests", test_bad_requests);
  g_test_add_func ("/visualize/input-to-image", test_input_to_image);
  return g_test_run ();
}
