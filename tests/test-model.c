/* test-model.c — configurations, layer tables, parameter and MAC counts
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "model-private.h"
#include "test-util.h"

/* A model with the layer table of @name but no weights (shape-only checks). */
static VggModel *
shape_model (const char *name)
{
  VggConfig config;
  VggError error = { 0 };
  VggModel *model = NULL;

  test_assert_ok (vgg_config_for_name (&config, name, &error), &error);
  test_assert_ok (vgg_model_new_for_config (&model, &config, &error), &error);
  return model;
}

static void
test_paper_counts (void)
{
  /* torchvision's published parameter counts and FORMATS.md's MACs */
  static const struct
  {
    const char *name;
    int64_t     params;
    int         n_conv;
    const char *display;
  } cases[] = {
    { "vgg11", 132863336, 8, "VGG11" },
    { "vgg11_bn", 132868840, 8, "VGG11-BN" },
    { "vgg13", 133047848, 10, "VGG13" },
    { "vgg13_bn", 133053736, 10, "VGG13-BN" },
    { "vgg16", 138357544, 13, "VGG16" },
    { "vgg16_bn", 138365992, 13, "VGG16-BN" },
    { "vgg19", 143667240, 16, "VGG19" },
    { "vgg19_bn", 143678248, 16, "VGG19-BN" },
  };

  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      VggModel *model = shape_model (cases[i].name);
      int n_conv = 0;

      g_assert_cmpint (vgg_model_n_params (model), ==, cases[i].params);
      g_assert_cmpstr (vgg_model_name (model), ==, cases[i].display);
      for (int l = 0; l < vgg_model_n_layers (model); l++)
        n_conv += vgg_model_layer (model, l)->kind == VGG_LAYER_CONV;
      g_assert_cmpint (n_conv, ==, cases[i].n_conv);
      /* conv + 5 pools + 3 FC + prob */
      g_assert_cmpint (vgg_model_n_layers (model), ==, cases[i].n_conv + 5 + 3 + 1);
      vgg_model_free (model);
    }
}

static void
test_vgg16_table (void)
{
  VggModel *model = shape_model ("vgg16");
  static const char *const names[] = {
    "conv1_1", "conv1_2", "pool1", "conv2_1", "conv2_2", "pool2", "conv3_1", "conv3_2",
    "conv3_3", "pool3", "conv4_1", "conv4_2", "conv4_3", "pool4", "conv5_1", "conv5_2",
    "conv5_3", "pool5", "fc6", "fc7", "fc8", "prob",
  };
  const VggLayer *layer;
  int64_t conv_macs = 0;

  g_assert_cmpint (vgg_model_n_layers (model), ==, G_N_ELEMENTS (names));
  for (int i = 0; i < vgg_model_n_layers (model); i++)
    {
      layer = vgg_model_layer (model, i);
      g_assert_cmpstr (layer->name, ==, names[i]);
      g_assert_cmpint (layer->index, ==, i);
      g_assert_cmpint (vgg_model_find_layer (model, names[i]), ==, i);
      if (layer->kind == VGG_LAYER_CONV)
        conv_macs += layer->macs;
    }
  /* 15.47 G MACs in all, 15.35 G in the convolutions */
  g_assert_cmpint (vgg_model_n_macs (model) / 10000000, ==, 1547);
  g_assert_cmpint (conv_macs / 10000000, ==, 1534);

  layer = vgg_model_layer (model, vgg_model_find_layer (model, "pool5"));
  g_assert_cmpint (layer->channels_out, ==, 512);
  g_assert_cmpint (layer->height_out, ==, 7);
  g_assert_cmpint (layer->width_out, ==, 7);
  layer = vgg_model_layer (model, vgg_model_find_layer (model, "fc6"));
  g_assert_cmpint (layer->params, ==, 25088 * 4096 + 4096);
  g_assert_true (layer->relu);
  layer = vgg_model_layer (model, vgg_model_find_layer (model, "fc8"));
  g_assert_false (layer->relu);
  g_assert_cmpint (layer->channels_out, ==, 1000);
  g_assert_cmpint (vgg_model_find_layer (model, "conv5_4"), ==, -1);
  g_assert_cmpint (vgg_model_find_layer (model, NULL), ==, -1);
  g_assert_cmpstr (vgg_model_class_name (model, 0), ==, "tench");
  g_assert_cmpstr (vgg_model_class_name (model, 999), ==, "toilet tissue");
  g_assert_null (vgg_model_class_name (model, 1000));
  vgg_model_free (model);
}

static void
test_unknown_and_invalid (void)
{
  VggConfig config;
  VggError error = { 0 };
  VggModel *model = NULL;

  g_assert_cmpint (vgg_config_for_name (&config, "vgg17", &error), ==,
                   VGG_STATUS_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error.message, "vgg17"));

  /* too many pools for the input */
  test_assert_ok (vgg_config_for_name (&config, "vgg11", &error), &error);
  config.input_height = config.input_width = 16;
  g_assert_cmpint (vgg_model_new_random (&model, &config, 1, &error), ==,
                   VGG_STATUS_UNSUPPORTED);
  g_assert_null (model);
  g_assert_nonnull (strstr (error.message, "too small"));

  test_assert_ok (vgg_config_for_name (&config, "vgg11", &error), &error);
  config.block_widths[2] = 0;
  g_assert_cmpint (vgg_config_validate (&config, &error), ==, VGG_STATUS_UNSUPPORTED);
}

static void
test_parametric (void)
{
  VggConfig config = {
    .n_blocks = 3,
    .block_widths = { 8, 16, 32 },
    .block_convs = { 1, 2, 2 },
    .input_channels = 1,
    .input_height = 28,
    .input_width = 28,
    .n_hidden_fc = 1,
    .hidden_fc_widths = { 64 },
    .n_classes = 10,
  };
  VggError error = { 0 };
  VggModel *model = NULL;
  const VggLayer *layer;

  test_assert_ok (vgg_model_new_random (&model, &config, 3, &error), &error);
  /* conv1_1 pool1 conv2_1 conv2_2 pool2 conv3_1 conv3_2 pool3 fc4 fc5 prob */
  g_assert_cmpint (vgg_model_n_layers (model), ==, 11);
  layer = vgg_model_layer (model, vgg_model_find_layer (model, "pool3"));
  g_assert_cmpint (layer->height_out, ==, 3); /* 28 → 14 → 7 → 3 (floor) */
  layer = vgg_model_layer (model, vgg_model_find_layer (model, "fc4"));
  g_assert_nonnull (layer);
  g_assert_cmpint (layer->params, ==, 32 * 3 * 3 * 64 + 64);
  g_assert_cmpint (vgg_model_find_layer (model, "fc5"), ==, 9);
  g_assert_cmpstr (vgg_model_class_name (model, 3), ==, "class 3");
  g_assert_false (vgg_model_is_trained (model));
  g_assert_cmpint (vgg_model_preset (model), ==, VGG_PRESET_PLAIN);
  vgg_model_free (model);
}

static void
test_default_model (void)
{
  VggError error = { 0 };
  VggModel *model = NULL;

  test_assert_ok (vgg_model_new_default (&model, &error), &error);
  g_assert_nonnull (strstr (vgg_model_name (model), "Untrained"));
  g_assert_false (vgg_model_is_trained (model));
  g_assert_cmpint (vgg_model_n_classes (model), ==, 1000);
  g_assert_cmpint (vgg_model_find_layer (model, "conv5_3"), >=, 0);
  vgg_model_free (model);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/model/paper-counts", test_paper_counts);
  g_test_add_func ("/model/vgg16-table", test_vgg16_table);
  g_test_add_func ("/model/unknown-and-invalid", test_unknown_and_invalid);
  g_test_add_func ("/model/parametric", test_parametric);
  g_test_add_func ("/model/default", test_default_model);
  return g_test_run ();
}
