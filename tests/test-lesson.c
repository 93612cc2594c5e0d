/* test-lesson.c — the Learn view's arithmetic, against numbers worked out by hand
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every expected number below is written out from the formulas on paper (and checked against
 * torchvision's published VGG parameter counts where those exist), never copied from the
 * engine's output.
 */
#include "config.h"

#include "model-private.h"
#include "test-engine-util.h"
#include "vgg-lesson.h"

/* The layer table of @name, no weights. */
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

static VggLayerLesson
layer_lesson (const VggModel *model,
              const char     *name)
{
  VggLayerLesson lesson;
  int index = vgg_model_find_layer (model, name);

  g_assert_cmpint (index, >=, 0);
  g_assert_true (vgg_lesson_layer (model, index, &lesson));
  /* the formula's sum is the count the engine's layer table holds */
  g_assert_cmpint (lesson.params, ==, vgg_model_layer (model, index)->params);
  g_assert_cmpint (lesson.macs, ==, vgg_model_layer (model, index)->macs);
  return lesson;
}

static void
test_vgg16_layers (void)
{
  VggModel *model = shape_model ("vgg16");
  VggLayerLesson lesson;
  int64_t total = 0;

  /* conv1_1: 3·3·3·64 + 64 = 1,728 + 64; MACs 1,728·224·224 */
  lesson = layer_lesson (model, "conv1_1");
  g_assert_cmpint (lesson.kind, ==, VGG_LAYER_CONV);
  g_assert_cmpint (lesson.weights, ==, 1728);
  g_assert_cmpint (lesson.biases, ==, 64);
  g_assert_cmpint (lesson.params, ==, 1792);
  g_assert_cmpint (lesson.macs, ==, INT64_C (86704128));
  g_assert_cmpint (lesson.rf_in, ==, 1);
  g_assert_cmpint (lesson.jump_in, ==, 1);
  g_assert_cmpint (lesson.rf_out, ==, 3);
  g_assert_cmpint (lesson.jump_out, ==, 1);

  /* conv1_2: 9·64·64 + 64 = 36,928; 36,864·224·224 = 1,849,688,064 MACs */
  lesson = layer_lesson (model, "conv1_2");
  g_assert_cmpint (lesson.params, ==, 36928);
  g_assert_cmpint (lesson.macs, ==, INT64_C (1849688064));
  g_assert_cmpint (lesson.rf_out, ==, 5);

  /* pool1: r = 5 + (2 − 1)·1 = 6, j = 1·2 = 2 */
  lesson = layer_lesson (model, "pool1");
  g_assert_cmpint (lesson.kernel, ==, 2);
  g_assert_cmpint (lesson.params, ==, 0);
  g_assert_cmpint (lesson.rf_in, ==, 5);
  g_assert_cmpint (lesson.rf_out, ==, 6);
  g_assert_cmpint (lesson.jump_out, ==, 2);

  /* conv2_1: r = 6 + 2·2 = 10 */
  lesson = layer_lesson (model, "conv2_1");
  g_assert_cmpint (lesson.rf_in, ==, 6);
  g_assert_cmpint (lesson.jump_in, ==, 2);
  g_assert_cmpint (lesson.rf_out, ==, 10);

  /* conv5_3: r = 164 + 2·16 = 196, the published 196 */
  lesson = layer_lesson (model, "conv5_3");
  g_assert_cmpint (lesson.params, ==, 2359808);   /* 9·512·512 + 512 */
  g_assert_cmpint (lesson.rf_out, ==, 196);
  g_assert_cmpint (lesson.jump_out, ==, 16);

  /* fc6: 512·7·7 = 25,088 inputs; 25,088·4,096 + 4,096 */
  lesson = layer_lesson (model, "fc6");
  g_assert_cmpint (lesson.weights, ==, INT64_C (102760448));
  g_assert_cmpint (lesson.params, ==, INT64_C (102764544));
  g_assert_cmpint (lesson.rf_out, ==, 224);
  g_assert_cmpint (lesson.jump_out, ==, 0);
  lesson = layer_lesson (model, "fc8");
  g_assert_cmpint (lesson.params, ==, 4097000);

  /* the sum over every layer is torchvision's published count */
  for (int i = 0; i < vgg_model_n_layers (model); i++)
    {
      g_assert_true (vgg_lesson_layer (model, i, &lesson));
      total += lesson.params;
    }
  g_assert_cmpint (total, ==, INT64_C (138357544));

  /* activation memory: conv1_1's 64·224·224 floats, fc8's 1,000 */
  g_assert_cmpint (vgg_lesson_activation_bytes (model, vgg_model_find_layer (model, "conv1_1")),
                   ==, INT64_C (12845056));
  g_assert_cmpint (vgg_lesson_activation_bytes (model, vgg_model_find_layer (model, "fc8")),
                   ==, 4000);
  g_assert_false (vgg_lesson_layer (model, vgg_model_n_layers (model), &lesson));
  g_assert_false (vgg_lesson_layer (model, -1, &lesson));
  vgg_model_free (model);
}

static void
test_vgg16_blocks (void)
{
  VggModel *model = shape_model ("vgg16");
  VggBlockLesson lesson;

  /* block 1: two 3×3 see 5×5; 9·3·64 + 9·64² = 1,728 + 36,864 against 25·3·64 = 4,800: the
   * first convolution widens 3 channels to 64, so here the stack costs more */
  g_assert_true (vgg_lesson_block (model, 1, &lesson));
  g_assert_cmpint (lesson.n_convs, ==, 2);
  g_assert_cmpint (lesson.field, ==, 5);
  g_assert_cmpint (lesson.channels_in, ==, 3);
  g_assert_cmpint (lesson.channels, ==, 64);
  g_assert_cmpint (lesson.stacked_weights, ==, 38592);
  g_assert_cmpint (lesson.large_weights, ==, 4800);
  g_assert_cmpint (lesson.stacked_relus, ==, 2);
  g_assert_cmpint (lesson.large_relus, ==, 1);
  g_assert_cmpint (lesson.stacked_macs, ==, INT64_C (38592) * 224 * 224);

  /* block 3: three see 7×7; 9·128·256 + 2·9·256² = 294,912 + 1,179,648 against
   * 49·128·256 = 1,605,632 */
  g_assert_true (vgg_lesson_block (model, 3, &lesson));
  g_assert_cmpint (lesson.n_convs, ==, 3);
  g_assert_cmpint (lesson.field, ==, 7);
  g_assert_cmpint (lesson.stacked_weights, ==, 1474560);
  g_assert_cmpint (lesson.large_weights, ==, 1605632);
  g_assert_cmpint (lesson.height, ==, 56);

  /* block 5: C_in = C = 512, the paper's case: 27·512² against 49·512² */
  g_assert_true (vgg_lesson_block (model, 5, &lesson));
  g_assert_cmpint (lesson.stacked_weights, ==, INT64_C (7077888));
  g_assert_cmpint (lesson.large_weights, ==, INT64_C (12845056));
  g_assert_cmpint (lesson.first_layer, ==, vgg_model_find_layer (model, "conv5_1"));

  g_assert_false (vgg_lesson_block (model, 0, &lesson));
  g_assert_false (vgg_lesson_block (model, 6, &lesson));
  vgg_model_free (model);
}

static void
test_vgg11_blocks (void)
{
  VggModel *model = shape_model ("vgg11");
  VggBlockLesson lesson;

  /* configuration A: blocks 1 and 2 hold one convolution: a 3×3 is all there is */
  g_assert_true (vgg_lesson_block (model, 1, &lesson));
  g_assert_cmpint (lesson.n_convs, ==, 1);
  g_assert_cmpint (lesson.field, ==, 3);
  g_assert_cmpint (lesson.stacked_weights, ==, lesson.large_weights);
  g_assert_true (vgg_lesson_block (model, 2, &lesson));
  g_assert_cmpint (lesson.n_convs, ==, 1);

  /* block 3: 9·128·256 + 9·256² = 884,736 against 25·128·256 = 819,200 */
  g_assert_true (vgg_lesson_block (model, 3, &lesson));
  g_assert_cmpint (lesson.n_convs, ==, 2);
  g_assert_cmpint (lesson.field, ==, 5);
  g_assert_cmpint (lesson.stacked_weights, ==, 884736);
  g_assert_cmpint (lesson.large_weights, ==, 819200);
  vgg_model_free (model);
}

static void
test_vgg16_bn (void)
{
  VggModel *model = shape_model ("vgg16_bn");
  VggLayerLesson lesson = layer_lesson (model, "conv1_1");

  /* γ and β of 64 channels are parameters; the running statistics are buffers */
  g_assert_cmpint (lesson.batch_norm, ==, 128);
  g_assert_cmpint (lesson.params, ==, 1792 + 128);
  vgg_model_free (model);
}

static void
test_builtin (void)
{
  VggModel *model = NULL;
  VggError error = { 0 };
  VggLayerLesson lesson;
  VggBlockLesson block;

  /* the built-in model: 1 × 32 × 32 input, blocks of two convolutions of 32, 64, 128
   * channels, fc 256, 10 classes (813,546 parameters) */
  test_assert_ok (vgg_model_new_default (&model, &error), &error);
  lesson = layer_lesson (model, "conv1_1");
  g_assert_cmpint (lesson.weights, ==, 288);       /* 3·3·1·32 */
  g_assert_cmpint (lesson.biases, ==, 32);
  g_assert_cmpint (lesson.batch_norm, ==, 0);      /* folded: the file has no γ, β */
  g_assert_cmpint (lesson.macs, ==, 294912);       /* 288·32·32 */
  lesson = layer_lesson (model, "conv3_2");
  g_assert_cmpint (lesson.params, ==, 147584);     /* 9·128·128 + 128 */
  /* 3, 5; pool 6 (j 2); 10, 14; pool 16 (j 4); 24, 32 */
  g_assert_cmpint (lesson.rf_out, ==, 32);
  g_assert_cmpint (lesson.jump_out, ==, 4);
  lesson = layer_lesson (model, "fc4");
  g_assert_cmpint (lesson.weights, ==, 2048 * 256); /* 128·4·4 inputs */
  g_assert_cmpint (lesson.params, ==, 524544);

  /* block 1: 9·1·32 + 9·32² = 9,504 against 25·1·32 = 800 */
  g_assert_true (vgg_lesson_block (model, 1, &block));
  g_assert_cmpint (block.stacked_weights, ==, 9504);
  g_assert_cmpint (block.large_weights, ==, 800);
  g_assert_cmpint (block.height, ==, 32);
  /* block 3: 9·64·128 + 9·128² = 221,184 against 25·64·128 = 204,800 */
  g_assert_true (vgg_lesson_block (model, 3, &block));
  g_assert_cmpint (block.stacked_weights, ==, 221184);
  g_assert_cmpint (block.large_weights, ==, 204800);
  g_assert_cmpint (vgg_model_n_params (model), ==, 813546);
  vgg_model_free (model);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/lesson/vgg16-layers", test_vgg16_layers);
  g_test_add_func ("/lesson/vgg16-blocks", test_vgg16_blocks);
  g_test_add_func ("/lesson/vgg11-blocks", test_vgg11_blocks);
  g_test_add_func ("/lesson/vgg16-bn", test_vgg16_bn);
  g_test_add_func ("/lesson/builtin", test_builtin);
  return g_test_run ();
}
