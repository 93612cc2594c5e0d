/* test-engine-util.c — helpers for the engine unit tests that reach the engine's internals
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "test-engine-util.h"

#include <math.h>
#include <string.h>

VggStatus
test_tensor_file_open (VggTensorFile **file,
                       const char     *path,
                       VggError       *error)
{
  return vgg_tensor_file_open_with_options (file, path, test_load_options (), error);
}

void
test_assert_open_fails (TestOpenFunc  open_file,
                        const char   *path,
                        const char   *what,
                        VggStatus     expected,
                        const char   *fragment)
{
  VggTensorFile *file = (VggTensorFile *) 0x1;
  VggError error = { 0 };
  VggStatus status = open_file (&file, path, &error);
  g_autofree char *shown = what != NULL ? g_strdup_printf ("%s (%s)", path, what)
                                        : g_strdup (path);

  if (status != expected)
    g_error ("%s: expected %s, got %s: %s", shown, vgg_status_string (expected),
             vgg_status_string (status), error.message);
  g_assert_null (file);
  g_assert_cmpint (error.status, ==, expected);
  g_assert_cmpstr (error.message, !=, "");
  g_assert_nonnull (strstr (error.message, path));
  if (fragment != NULL && strstr (error.message, fragment) == NULL)
    g_error ("%s: message lacks \"%s\": %s", shown, fragment, error.message);
}

bool
test_compare_layer (const VggHookEvent *event,
                    void               *user_data)
{
  TestComparison *comparison = user_data;
  g_autofree char *key = g_strdup_printf ("%s%s", event->layer->name,
                                          event->stage == VGG_STAGE_PRE_ACTIVATION ? ".pre" : "");
  const VggTensor *expected = vgg_tensor_file_find (comparison->reference, key);
  double max_abs, diff;

  if (expected == NULL)
    g_error ("the reference has no tensor '%s'", key);
  if (comparison->check_shapes)
    g_assert_cmpint (expected->dtype, ==, VGG_DTYPE_F32);
  g_assert_cmpint (expected->count, ==, (int64_t) event->count);
  if (comparison->check_shapes)
    {
      /* shapes: (N, C, H, W) for maps, (N, C) for vectors */
      g_assert_cmpint (expected->shape[0], ==, event->batch);
      g_assert_cmpint (expected->shape[1], ==, event->layer->channels_out);
    }

  max_abs = test_max_abs (expected->data, event->count);
  diff = test_max_abs_diff (expected->data, event->data, event->count);
  if (diff > comparison->tolerance * max_abs)
    g_error ("%s: max |diff| %g exceeds %g × max |value| %g", key, diff, comparison->tolerance,
             max_abs);
  if (max_abs > 0 && diff / max_abs > comparison->worst)
    {
      comparison->worst = diff / max_abs;
      g_strlcpy (comparison->worst_layer, key, sizeof comparison->worst_layer);
    }
  comparison->compared++;
  return true;
}

void
test_compare_with_reference (TestComparison *comparison,
                             const VggModel *model,
                             const VggNpy   *input)
{
  VggError error = { 0 };
  VggRun *run = NULL;
  int expected_events = 0;

  test_assert_ok (vgg_run_new (&run, model, (int) input->shape[0], &error), &error);
  vgg_run_set_hook (run, test_compare_layer, comparison);
  vgg_run_watch (run, -1, VGG_STAGE_PRE_ACTIVATION | VGG_STAGE_OUTPUT);
  test_assert_ok (vgg_run_forward (run, input->data, &error), &error);
  for (int i = 0; i < vgg_model_n_layers (model); i++)
    expected_events += vgg_model_layer (model, i)->relu ? 2 : 1;
  g_assert_cmpint (comparison->compared, ==, expected_events);
  vgg_run_free (run);
}
