/* test-receptive-field.c — receptive fields against the published VGG values
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "test-engine-util.h"

/* Shapes only: a model from the configuration, no weights needed. */
static VggModel *
model_for (const char *name)
{
  VggConfig config;
  VggError error = { 0 };
  VggModel *model = NULL;

  test_assert_ok (vgg_config_for_name (&config, name, &error), &error);
  /* random weights at full size would cost 0.5 GB; shrink the FC layers, not the convs */
  config.hidden_fc_widths[0] = config.hidden_fc_widths[1] = 8;
  for (int b = 0; b < config.n_blocks; b++)
    config.block_widths[b] = 2;
  test_assert_ok (vgg_model_new_random (&model, &config, 1, &error), &error);
  return model;
}

static void
expect_size (const VggModel *model,
             const char     *layer,
             int             size,
             int             jump)
{
  int index = vgg_model_find_layer (model, layer);
  const VggLayer *descriptor;

  g_assert_cmpint (index, >=, 0);
  descriptor = vgg_model_layer (model, index);
  g_assert_cmpint (descriptor->receptive_field.size, ==, size);
  g_assert_cmpint (descriptor->receptive_field.jump, ==, jump);
}

static void
test_vgg16_published (void)
{
  VggModel *model = model_for ("vgg16");

  /* the receptive field grows by (k − 1)·j per layer, j the product of the strides before it:
   * 3, 5 in block 1, then 6 after the first pool, … 212 at pool5 */
  expect_size (model, "conv1_1", 3, 1);
  expect_size (model, "conv1_2", 5, 1);
  expect_size (model, "pool1", 6, 2);
  expect_size (model, "conv2_2", 14, 2);
  expect_size (model, "pool2", 16, 4);
  expect_size (model, "conv3_3", 40, 4);
  expect_size (model, "pool3", 44, 8);
  expect_size (model, "conv4_3", 92, 8);
  expect_size (model, "pool4", 100, 16);
  expect_size (model, "conv5_3", 196, 16);
  expect_size (model, "pool5", 212, 32);
  g_assert_cmpfloat (vgg_model_layer (model, vgg_model_find_layer (model, "pool5"))
                       ->receptive_field.start, ==, 15.5);
  vgg_model_free (model);
}

static void
test_vgg19_published (void)
{
  VggModel *model = model_for ("vgg19");

  expect_size (model, "pool3", 52, 8);
  expect_size (model, "pool4", 124, 16);
  expect_size (model, "conv5_4", 252, 16);
  expect_size (model, "pool5", 268, 32);
  vgg_model_free (model);
}

static void
test_rect_clipping (void)
{
  VggModel *model = model_for ("vgg16");
  int conv5_3 = vgg_model_find_layer (model, "conv5_3");
  int pool5 = vgg_model_find_layer (model, "pool5");
  int conv1_1 = vgg_model_find_layer (model, "conv1_1");
  int fc6 = vgg_model_find_layer (model, "fc6");
  VggRect rect;

  /* conv1_1 unit (10, 20) sees the 3×3 pixels around it */
  g_assert_true (vgg_model_receptive_rect (model, conv1_1, 10, 20, &rect));
  g_assert_cmpint (rect.x, ==, 19);
  g_assert_cmpint (rect.y, ==, 9);
  g_assert_cmpint (rect.width, ==, 3);
  g_assert_cmpint (rect.height, ==, 3);

  /* the corner unit is clipped at the image edge */
  g_assert_true (vgg_model_receptive_rect (model, conv1_1, 0, 0, &rect));
  g_assert_cmpint (rect.x, ==, 0);
  g_assert_cmpint (rect.width, ==, 2);

  /* conv5_3 (14×14, jump 16, centre 7.5 + 16·i): unit (7, 7) covers
   * 119.5 ± 97.5 → pixels 22 … 217, a full 196-pixel square inside the image */
  g_assert_true (vgg_model_receptive_rect (model, conv5_3, 7, 7, &rect));
  g_assert_cmpint (rect.x, ==, 22);
  g_assert_cmpint (rect.y, ==, 22);
  g_assert_cmpint (rect.width, ==, 196);
  g_assert_cmpint (rect.height, ==, 196);

  /* pool5 unit (0, 0): centre 15.5, 212 wide → pixels −90 … 121, clipped to 0 … 121 */
  g_assert_true (vgg_model_receptive_rect (model, pool5, 0, 0, &rect));
  g_assert_cmpint (rect.x, ==, 0);
  g_assert_cmpint (rect.width, ==, 122);
  /* pool5 unit (6, 6): centre 207.5 → 102 … 313, clipped to 102 … 223 */
  g_assert_true (vgg_model_receptive_rect (model, pool5, 6, 6, &rect));
  g_assert_cmpint (rect.x, ==, 102);
  g_assert_cmpint (rect.width, ==, 122);

  /* FC units see everything; units outside the map do not exist */
  g_assert_true (vgg_model_receptive_rect (model, fc6, 0, 0, &rect));
  g_assert_cmpint (rect.width, ==, 224);
  g_assert_cmpint (rect.height, ==, 224);
  g_assert_false (vgg_model_receptive_rect (model, pool5, 7, 0, &rect));
  g_assert_false (vgg_model_receptive_rect (model, -1, 0, 0, &rect));
  g_assert_false (vgg_model_receptive_rect (model, 1000, 0, 0, &rect));
  vgg_model_free (model);
}

/* Reverse against forward on one axis of every conv and pool layer: unit u of the layer sees
 * pixel p (forward) exactly when u lies in p's reverse range. The geometry is separable, so
 * rows (x = 0 units, any pixel column) and columns are checked apart, for every pixel and
 * every unit: that covers every (unit, pixel) pair of the 2-D maps. */
static void
check_reverse_exhaustively (const VggModel *model)
{
  const VggConfig *config = vgg_model_config (model);
  int checked = 0;

  for (int l = 0; l < vgg_model_n_layers (model); l++)
    {
      const VggLayer *layer = vgg_model_layer (model, l);
      VggRect units, rect;

      if (layer->kind != VGG_LAYER_CONV && layer->kind != VGG_LAYER_POOL)
        {
          g_assert_false (vgg_model_reverse_receptive_rect (model, l, 0, 0, &units));
          continue;
        }
      for (int axis = 0; axis < 2; axis++)
        {
          int n_pixels = axis == 0 ? config->input_height : config->input_width;
          int n_units = axis == 0 ? layer->height_out : layer->width_out;
          g_autofree int *first = g_new (int, n_pixels);
          g_autofree int *last = g_new (int, n_pixels);

          for (int p = 0; p < n_pixels; p++)
            {
              /* the other coordinate is the middle of the input: any pixel gives the same */
              int y = axis == 0 ? p : config->input_height / 2;
              int x = axis == 0 ? config->input_width / 2 : p;

              first[p] = 1;
              last[p] = 0;
              if (vgg_model_reverse_receptive_rect (model, l, y, x, &units))
                {
                  first[p] = axis == 0 ? units.y : units.x;
                  last[p] = first[p] + (axis == 0 ? units.height : units.width) - 1;
                  g_assert_cmpint (last[p], >=, first[p]);
                }
            }
          for (int u = 0; u < n_units; u++)
            {
              int start, end;

              g_assert_true (vgg_model_receptive_rect (model, l, axis == 0 ? u : 0,
                                                       axis == 0 ? 0 : u, &rect));
              start = axis == 0 ? rect.y : rect.x;
              end = start + (axis == 0 ? rect.height : rect.width);
              for (int p = 0; p < n_pixels; p++)
                {
                  gboolean sees = p >= start && p < end;
                  gboolean lit = u >= first[p] && u <= last[p];

                  if (sees != lit)
                    g_error ("%s unit %d (axis %d) sees pixel %d: forward %d, reverse %d",
                             layer->name, u, axis, p, sees, lit);
                  checked++;
                }
            }
        }
    }
  g_test_message ("%s: %d unit–pixel pairs per axis checked", vgg_model_name (model), checked);
}

static void
test_reverse_vgg16 (void)
{
  VggModel *model = model_for ("vgg16");
  int conv1_1 = vgg_model_find_layer (model, "conv1_1");
  int pool5 = vgg_model_find_layer (model, "pool5");
  int conv5_3 = vgg_model_find_layer (model, "conv5_3");
  int fc6 = vgg_model_find_layer (model, "fc6");
  VggRect units;

  check_reverse_exhaustively (model);

  /* pixel (9, 19) lights the 3×3 conv1_1 units around it; a corner pixel only 2×2 */
  g_assert_true (vgg_model_reverse_receptive_rect (model, conv1_1, 9, 19, &units));
  g_assert_cmpint (units.x, ==, 18);
  g_assert_cmpint (units.y, ==, 8);
  g_assert_cmpint (units.width, ==, 3);
  g_assert_cmpint (units.height, ==, 3);
  g_assert_true (vgg_model_reverse_receptive_rect (model, conv1_1, 0, 223, &units));
  g_assert_cmpint (units.x, ==, 222);
  g_assert_cmpint (units.width, ==, 2);
  g_assert_cmpint (units.y, ==, 0);
  g_assert_cmpint (units.height, ==, 2);

  /* pool5 units (jump 32, centre 15.5 + 32·u, 212 wide) that see pixel 0: centres up to
   * 105.5, so u = 0 … 2 */
  g_assert_true (vgg_model_reverse_receptive_rect (model, pool5, 0, 0, &units));
  g_assert_cmpint (units.x, ==, 0);
  g_assert_cmpint (units.width, ==, 3);
  /* conv5_3 units whose centre 7.5 + 16·u is within 97.5 of pixel 112: u = 1 … 12 */
  g_assert_true (vgg_model_reverse_receptive_rect (model, conv5_3, 112, 112, &units));
  g_assert_cmpint (units.x, ==, 1);
  g_assert_cmpint (units.width, ==, 12);

  /* no rectangle for FC layers or pixels outside the input */
  g_assert_false (vgg_model_reverse_receptive_rect (model, fc6, 0, 0, &units));
  g_assert_false (vgg_model_reverse_receptive_rect (model, conv1_1, -1, 0, &units));
  g_assert_false (vgg_model_reverse_receptive_rect (model, conv1_1, 0, 224, &units));
  g_assert_false (vgg_model_reverse_receptive_rect (model, -1, 0, 0, &units));
  vgg_model_free (model);
}

static void
test_reverse_other_geometries (void)
{
  VggConfig config;
  VggError error = { 0 };
  VggModel *model = NULL;

  model = model_for ("vgg19");
  check_reverse_exhaustively (model);
  vgg_model_free (model);

  /* odd, non-square sizes: floor-mode pools drop a last row or column, whose pixels then
   * light no unit of the later layers */
  test_assert_ok (vgg_config_for_name (&config, "vgg11", &error), &error);
  config.input_height = 45;
  config.input_width = 70;
  config.hidden_fc_widths[0] = config.hidden_fc_widths[1] = 4;
  for (int b = 0; b < config.n_blocks; b++)
    config.block_widths[b] = 2;
  test_assert_ok (vgg_model_new_random (&model, &config, 1, &error), &error);
  check_reverse_exhaustively (model);
  vgg_model_free (model);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/receptive-field/vgg16-published", test_vgg16_published);
  g_test_add_func ("/receptive-field/vgg19-published", test_vgg19_published);
  g_test_add_func ("/receptive-field/rect-clipping", test_rect_clipping);
  g_test_add_func ("/receptive-field/reverse-vgg16", test_reverse_vgg16);
  g_test_add_func ("/receptive-field/reverse-other-geometries", test_reverse_other_geometries);
  return g_test_run ();
}
