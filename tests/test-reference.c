/* test-reference.c — every layer against torchvision's outputs, for each weight container
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fixtures: tools/gen-reference-fixtures.py (torchvision's own VGG building blocks). Each
 * layer's output must be within 1e-4 of that layer's max |value|.
 */
#include "config.h"

#include "tensor-file.h"
#include "test-engine-util.h"

#include <math.h>

#define TOLERANCE 1e-4

static void
check_against_reference (const char *model_file,
                         const char *reference_name,
                         gboolean    batch_norm,
                         VggSource   source)
{
  g_autofree char *model_path = test_fixture_path ("reference", model_file, NULL);
  g_autofree char *outputs_name = g_strdup_printf ("%s-outputs.safetensors", reference_name);
  g_autofree char *input_name = g_strdup_printf ("%s-input.npy", reference_name);
  g_autofree char *outputs_path = test_fixture_path ("reference", outputs_name, NULL);
  g_autofree char *input_path = test_fixture_path ("reference", input_name, NULL);
  VggTensorFile *reference = NULL;
  VggModel *model = NULL;
  VggNpy input = { 0 };
  VggError error = { 0 };
  TestComparison comparison = { .tolerance = TOLERANCE, .check_shapes = TRUE };
  const VggConfig *config;

  test_assert_ok (test_model_load (&model, model_path, &error), &error);
  test_assert_ok (vgg_tensor_file_open (&reference, outputs_path, &error), &error);
  test_assert_ok (vgg_npy_load (&input, input_path, &error), &error);

  /* the architecture comes from the tensors alone */
  config = vgg_model_config (model);
  g_assert_cmpint (vgg_model_source (model), ==, source);
  g_assert_cmpint (config->n_blocks, ==, 5);
  g_assert_cmpint (config->batch_norm, ==, batch_norm);
  g_assert_cmpint (config->input_channels, ==, 3);
  g_assert_cmpint (config->input_height, ==, 64);
  g_assert_cmpint (config->input_width, ==, 64);
  g_assert_cmpint (config->n_hidden_fc, ==, 2);
  g_assert_cmpint (config->hidden_fc_widths[0], ==, 24);
  g_assert_cmpint (config->n_classes, ==, 10);
  g_assert_cmpint (config->block_widths[0], ==, 4);
  g_assert_cmpint (config->block_widths[4], ==, 32);

  g_assert_cmpint (input.ndim, ==, 4);
  g_assert_cmpint (input.shape[0], ==, 2);
  comparison.reference = reference;
  test_compare_with_reference (&comparison, model, &input);
  g_test_message ("%s: %d tensors compared, worst %s at %.2g of its max", model_file,
                  comparison.compared, comparison.worst_layer, comparison.worst);

  vgg_npy_clear (&input);
  vgg_tensor_file_free (reference);
  vgg_model_free (model);
}

static void
test_vgg16_safetensors (void)
{
  check_against_reference ("narrow-vgg16.safetensors", "narrow-vgg16", FALSE,
                           VGG_SOURCE_SAFETENSORS);
}

static void
test_vgg16_pth_zip (void)
{
  check_against_reference ("narrow-vgg16-zip.pth", "narrow-vgg16", FALSE, VGG_SOURCE_PTH_ZIP);
}

static void
test_vgg16_pth_legacy (void)
{
  check_against_reference ("narrow-vgg16-legacy.pth", "narrow-vgg16", FALSE,
                           VGG_SOURCE_PTH_LEGACY);
}

static void
test_vgg11_bn_safetensors (void)
{
  check_against_reference ("narrow-vgg11-bn.safetensors", "narrow-vgg11-bn", TRUE,
                           VGG_SOURCE_SAFETENSORS);
}

static void
test_vgg11_bn_pth_zip (void)
{
  check_against_reference ("narrow-vgg11-bn-zip.pth", "narrow-vgg11-bn", TRUE,
                           VGG_SOURCE_PTH_ZIP);
}

static void
test_vgg11_bn_pth_legacy (void)
{
  check_against_reference ("narrow-vgg11-bn-legacy.pth", "narrow-vgg11-bn", TRUE,
                           VGG_SOURCE_PTH_LEGACY);
}

static void
test_metadata (void)
{
  g_autofree char *path = test_fixture_path ("reference", "narrow-vgg16.safetensors", NULL);
  VggModel *model = NULL;
  VggError error = { 0 };

  test_assert_ok (test_model_load (&model, path, &error), &error);
  g_assert_cmpstr (vgg_model_name (model), ==, "Narrow VGG16 (test fixture)");
  g_assert_cmpint (vgg_model_preset (model), ==, VGG_PRESET_PLAIN);
  g_assert_false (vgg_model_is_trained (model));
  vgg_model_free (model);
}

static void
test_bad_shape (void)
{
  g_autofree char *path = test_fixture_path ("reference", "narrow-vgg16-badshape.safetensors",
                                             NULL);
  VggModel *model = NULL;
  VggError error = { 0 };

  g_assert_cmpint (test_model_load (&model, path, &error), ==, VGG_STATUS_SHAPE);
  g_assert_null (model);
  g_assert_nonnull (strstr (error.message, "classifier.3.weight"));
  g_assert_nonnull (strstr (error.message, "[24, 23]"));
  g_assert_nonnull (strstr (error.message, "expected [24, 24]"));
  g_assert_nonnull (strstr (error.message, path));
}

static void
test_missing_tensor (void)
{
  g_autofree char *path = test_fixture_path ("reference", "narrow-vgg16-missing.safetensors",
                                             NULL);
  VggModel *model = NULL;
  VggError error = { 0 };

  g_assert_cmpint (test_model_load (&model, path, &error), ==, VGG_STATUS_SHAPE);
  g_assert_nonnull (strstr (error.message, "features.7.bias"));
  g_assert_nonnull (strstr (error.message, "missing"));
}

/* The full-size VGG16 check: tools/gen-vgg16-reference.py writes a torchvision VGG16 with
 * random weights, its input and every layer's output into $VGG_SCOPE_VGG16_REFERENCE. */
static void
test_full_vgg16 (void)
{
  const char *dir = g_getenv ("VGG_SCOPE_VGG16_REFERENCE");
  g_autofree char *model_path = NULL, *input_path = NULL, *outputs_path = NULL;
  VggTensorFile *reference = NULL;
  VggModel *model = NULL;
  VggRun *run = NULL;
  VggNpy input = { 0 };
  VggError error = { 0 };
  TestComparison comparison = { .tolerance = TOLERANCE, .check_shapes = TRUE };

  if (dir == NULL)
    {
      g_test_skip ("set VGG_SCOPE_VGG16_REFERENCE (tools/gen-vgg16-reference.py) to run");
      return;
    }
  model_path = g_build_filename (dir, "vgg16-legacy.pth", NULL);
  input_path = g_build_filename (dir, "input.npy", NULL);
  outputs_path = g_build_filename (dir, "outputs.safetensors", NULL);
  test_assert_ok (test_model_load (&model, model_path, &error), &error);
  g_assert_cmpstr (vgg_model_name (model), ==, "VGG16");
  g_assert_cmpint (vgg_model_n_params (model), ==, 138357544);
  test_assert_ok (vgg_tensor_file_open (&reference, outputs_path, &error), &error);
  test_assert_ok (vgg_npy_load (&input, input_path, &error), &error);
  test_assert_ok (vgg_run_new (&run, model, 1, &error), &error);
  comparison.reference = reference;
  vgg_run_set_hook (run, test_compare_layer, &comparison);
  vgg_run_watch (run, -1, VGG_STAGE_PRE_ACTIVATION | VGG_STAGE_OUTPUT);
  test_assert_ok (vgg_run_forward (run, input.data, &error), &error);
  g_assert_cmpint (comparison.compared, ==, 2 * 15 + 5 + 2);
  g_test_message ("VGG16: worst %s at %.2g of its max", comparison.worst_layer,
                  comparison.worst);
  vgg_run_free (run);
  vgg_npy_clear (&input);
  vgg_tensor_file_free (reference);
  vgg_model_free (model);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/reference/vgg16-safetensors", test_vgg16_safetensors);
  g_test_add_func ("/reference/vgg16-pth-zip", test_vgg16_pth_zip);
  g_test_add_func ("/reference/vgg16-pth-legacy", test_vgg16_pth_legacy);
  g_test_add_func ("/reference/vgg11-bn-safetensors", test_vgg11_bn_safetensors);
  g_test_add_func ("/reference/vgg11-bn-pth-zip", test_vgg11_bn_pth_zip);
  g_test_add_func ("/reference/vgg11-bn-pth-legacy", test_vgg11_bn_pth_legacy);
  g_test_add_func ("/reference/metadata", test_metadata);
  g_test_add_func ("/reference/bad-shape", test_bad_shape);
  g_test_add_func ("/reference/missing-tensor", test_missing_tensor);
  g_test_add_func ("/reference/full-vgg16", test_full_vgg16);
  return g_test_run ();
}
