/* test-model.c — configurations, layer tables, parameter and MAC counts
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "model-private.h"
#include "test-engine-util.h"

#include <glib/gstdio.h>
#include <utime.h>
#include <string.h>

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
  /* torchvision's published parameter counts; MACs counted as 9·C_in·C_out·H·W per conv and
   * n_in·n_out per dense layer (VGG16: 15.47 G) */
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
  g_assert_true (vgg_model_has_class_names (model));   /* ImageNet's */
  g_assert_true (vgg_model_preset (model) == VGG_PRESET_TORCHVISION);
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
  g_assert_false (vgg_model_has_class_names (model));  /* generated "class N" */
  g_assert_false (vgg_model_is_trained (model));
  g_assert_cmpint (vgg_model_preset (model), ==, VGG_PRESET_PLAIN);
  vgg_model_free (model);
}

static void
test_default_model (void)
{
  VggError error = { 0 };
  VggModel *model = NULL;
  const VggConfig *config;

  /* the embedded, trained Fashion-MNIST VGG (data/fashion-vgg.md) */
  test_assert_ok (vgg_model_new_default (&model, &error), &error);
  config = vgg_model_config (model);
  g_assert_nonnull (strstr (vgg_model_name (model), "Fashion-MNIST"));
  g_assert_true (vgg_model_is_trained (model));
  g_assert_cmpint (vgg_model_n_classes (model), ==, 10);
  g_assert_cmpstr (vgg_model_class_name (model, 0), ==, "T-shirt/top");
  g_assert_cmpstr (vgg_model_class_name (model, 9), ==, "Ankle boot");
  g_assert_true (vgg_model_has_class_names (model));   /* from the metadata */
  g_assert_cmpstr (vgg_preset_name (vgg_model_preset (model)), ==, "fashion-mnist");
  g_assert_true (vgg_model_preset (model) == VGG_PRESET_FASHION_MNIST);
  g_assert_cmpint (config->input_channels, ==, 1);
  g_assert_cmpint (config->n_blocks, ==, 3);
  g_assert_false (config->batch_norm); /* folded on export */
  g_assert_cmpint (vgg_model_find_layer (model, "conv3_2"), >=, 0);
  vgg_model_free (model);
}

/* Writes a safetensors file laid out as torchvision's vgg<depth>[_bn] with every conv 2
 * channels wide, and checks the configuration read back from the tensor names alone. */
static void
test_arch_inference (void)
{
  static const char *const names[] = { "vgg11", "vgg13", "vgg16", "vgg19" };
  g_autofree char *dir = g_dir_make_tmp ("vgg-arch-XXXXXX", NULL);

  for (size_t n = 0; n < G_N_ELEMENTS (names); n++)
    for (int bn = 0; bn < 2; bn++)
      {
        g_autofree char *name = g_strdup_printf ("%s%s", names[n], bn ? "_bn" : "");
        g_autofree char *path = g_strdup_printf ("%s/%s.safetensors", dir, name);
        GString *header = g_string_new ("{");
        VggConfig paper, config;
        VggError error = { 0 };
        VggModel *model = NULL;
        size_t offset = 0;
        int index = 0, c_in = 3;
        guint64 header_size;
        GByteArray *bytes;

#define ADD_TENSOR(key, ...)                                                              \
        G_STMT_START {                                                                    \
          const int64_t dims_[] = { __VA_ARGS__ };                                        \
          size_t count_ = 1;                                                              \
          g_string_append_printf (header, "%s\"%s\":{\"dtype\":\"F32\",\"shape\":[",             \
                                  header->len > 1 ? "," : "", key);                       \
          for (size_t d_ = 0; d_ < G_N_ELEMENTS (dims_); d_++)                            \
            {                                                                             \
              g_string_append_printf (header, "%s%" G_GINT64_FORMAT, d_ ? "," : "",       \
                                      dims_[d_]);                                         \
              count_ *= (size_t) dims_[d_];                                               \
            }                                                                             \
          g_string_append_printf (header, "],\"data_offsets\":[%zu,%zu]}", offset,        \
                                  offset + 4 * count_);                                   \
          offset += 4 * count_;                                                           \
        } G_STMT_END

        test_assert_ok (vgg_config_for_name (&paper, name, &error), &error);
        for (int b = 0; b < paper.n_blocks; b++)
          {
            for (int k = 0; k < paper.block_convs[b]; k++)
              {
                char key[64];
                snprintf (key, sizeof key, "features.%d.weight", index);
                ADD_TENSOR (key, 2, c_in, 3, 3);
                snprintf (key, sizeof key, "features.%d.bias", index);
                ADD_TENSOR (key, 2);
                if (bn)
                  {
                    static const char *const parts[] = { "weight", "bias", "running_mean",
                                                         "running_var" };
                    for (int p = 0; p < 4; p++)
                      {
                        snprintf (key, sizeof key, "features.%d.%s", index + 1, parts[p]);
                        ADD_TENSOR (key, 2);
                      }
                  }
                c_in = 2;
                index += bn ? 3 : 2;
              }
            index++; /* the max-pool */
          }
        ADD_TENSOR ("classifier.0.weight", 8, 2 * 7 * 7);
        ADD_TENSOR ("classifier.0.bias", 8);
        ADD_TENSOR ("classifier.3.weight", 8, 8);
        ADD_TENSOR ("classifier.3.bias", 8);
        ADD_TENSOR ("classifier.6.weight", 1000, 8);
        ADD_TENSOR ("classifier.6.bias", 1000);
#undef ADD_TENSOR
        g_string_append (header, "}");
        while ((header->len + 8) % 8 != 0)
          g_string_append_c (header, ' ');

        bytes = g_byte_array_new ();
        header_size = GUINT64_TO_LE (header->len);
        g_byte_array_append (bytes, (const guint8 *) &header_size, 8);
        g_byte_array_append (bytes, (const guint8 *) header->str, header->len);
        g_byte_array_set_size (bytes, bytes->len + offset);
        memset (bytes->data + 8 + header->len, 0, offset);
        g_assert_true (g_file_set_contents (path, (const char *) bytes->data, bytes->len, NULL));
        g_byte_array_unref (bytes);
        g_string_free (header, TRUE);

        test_assert_ok (test_model_load (&model, path, &error), &error);
        config = *vgg_model_config (model);
        g_assert_cmpint (config.n_blocks, ==, 5);
        for (int b = 0; b < 5; b++)
          {
            g_assert_cmpint (config.block_convs[b], ==, paper.block_convs[b]);
            g_assert_cmpint (config.block_widths[b], ==, 2);
          }
        g_assert_cmpint (config.batch_norm, ==, bn);
        g_assert_cmpint (config.input_height, ==, 224);
        g_assert_cmpint (config.n_hidden_fc, ==, 2);
        g_assert_cmpint (config.n_classes, ==, 1000);
        g_assert_cmpint (vgg_model_preset (model), ==, VGG_PRESET_TORCHVISION);
        g_assert_cmpstr (vgg_model_class_name (model, 1), ==, "goldfish");
        vgg_model_free (model);
        g_unlink (path);
      }
  g_rmdir (dir);
}

static int
count_files (const char *dir)
{
  g_autoptr (GDir) handle = g_dir_open (dir, 0, NULL);
  int n = 0;

  while (handle != NULL && g_dir_read_name (handle) != NULL)
    n++;
  return n;
}

static void
logits_of (const VggModel *model,
           float          *logits)
{
  const VggConfig *c = vgg_model_config (model);
  size_t count = (size_t) c->input_channels * c->input_height * c->input_width;
  g_autofree float *input = g_new (float, count);
  VggError error = { 0 };
  VggRun *run = NULL;

  for (size_t i = 0; i < count; i++)
    input[i] = (float) ((i * 37) % 101) / 50.0f - 1.0f;
  test_assert_ok (vgg_run_new (&run, model, 1, &error), &error);
  test_assert_ok (vgg_run_forward (run, input, &error), &error);
  memcpy (logits, vgg_run_logits (run), sizeof (float) * (size_t) c->n_classes);
  vgg_run_free (run);
}

/* Keras and ONNX weights are converted once into a mapped safetensors cache. */
static void
test_conversion_cache (void)
{
  g_autofree char *dir = g_dir_make_tmp ("vgg-cache-XXXXXX", NULL);
  g_autofree char *cache = g_build_filename (dir, "cache", NULL);
  g_autofree char *fixture = test_fixture_path ("keras", "narrow-vgg16-published.h5", NULL);
  g_autofree char *copy = g_build_filename (dir, "weights.h5", NULL);
  g_autofree char *contents = NULL;
  VggLoadOptions options = *test_load_options ();
  float first[10], again[10];
  VggError error = { 0 };
  VggModel *model = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (fixture, &contents, &length, NULL));
  g_assert_true (g_file_set_contents (copy, contents, (gssize) length, NULL));
  options.cache_dir = cache;

  test_assert_ok (vgg_model_load_with_options (&model, copy, &options, &error), &error);
  g_assert_cmpint (vgg_model_source (model), ==, VGG_SOURCE_KERAS_H5);
  g_assert_cmpint (vgg_model_preset (model), ==, VGG_PRESET_CAFFE);
  logits_of (model, first);
  vgg_model_free (model);
  g_assert_cmpint (count_files (cache), ==, 1);

  /* the second load comes from the cache: same source, preset and numbers */
  test_assert_ok (vgg_model_load_with_options (&model, copy, &options, &error), &error);
  g_assert_cmpint (vgg_model_source (model), ==, VGG_SOURCE_KERAS_H5);
  g_assert_cmpint (vgg_model_preset (model), ==, VGG_PRESET_CAFFE);
  logits_of (model, again);
  g_assert_cmpmem (first, sizeof first, again, sizeof again);
  vgg_model_free (model);
  g_assert_cmpint (count_files (cache), ==, 1);

  /* a changed file is converted afresh */
  g_assert_cmpint (g_utime (copy, &(struct utimbuf) { .actime = 1000000, .modtime = 1000000 }),
                   ==, 0);
  test_assert_ok (vgg_model_load_with_options (&model, copy, &options, &error), &error);
  vgg_model_free (model);
  g_assert_cmpint (count_files (cache), ==, 2);

  /* no cache folder (NULL or empty) turns the cache off */
  options.cache_dir = "";
  g_assert_cmpint (g_utime (copy, &(struct utimbuf) { .actime = 2000000, .modtime = 2000000 }),
                   ==, 0);
  test_assert_ok (vgg_model_load_with_options (&model, copy, &options, &error), &error);
  vgg_model_free (model);
  g_assert_cmpint (count_files (cache), ==, 2);

  options.cache_dir = NULL;
  test_assert_ok (vgg_model_load_with_options (&model, copy, &options, &error), &error);
  vgg_model_free (model);
  g_assert_cmpint (count_files (cache), ==, 2);
  /* nor does the plain entry point cache anything */
  test_assert_ok (vgg_model_load (&model, copy, &error), &error);
  vgg_model_free (model);
  g_assert_cmpint (count_files (cache), ==, 2);
  {
    g_autoptr (GDir) handle = g_dir_open (cache, 0, NULL);
    const char *name;
    while ((name = g_dir_read_name (handle)) != NULL)
      {
        g_autofree char *path = g_build_filename (cache, name, NULL);
        g_unlink (path);
      }
  }
  g_rmdir (cache);
  g_unlink (copy);
  g_rmdir (dir);
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
  g_test_add_func ("/model/arch-inference", test_arch_inference);
  g_test_add_func ("/model/conversion-cache", test_conversion_cache);
  return g_test_run ();
}
