/* test-preprocess.c — the presets against torchvision, PIL and Keras's "caffe" recipe
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * References come from tools/gen-image-fixtures.py (torchvision 0.14 and PIL 9.4 from Debian):
 *   tv224-*.png    the 224 × 224 picture torchvision's Resize(256) + CenterCrop(224) hands to
 *                  ToTensor (the generator checks that the tensor is exactly ToTensor +
 *                  Normalize of it; a float32 .npy of it would be 600 KB)
 *   tv48-*.npy     the whole torchvision pipeline as float32 tensors, at the preset's 48 × 48
 *                  (Resize(55), CenterCrop(48))
 *   caffe28-*.npy, plain28-grey-*.npy, plain24x40-*.npy   the other presets
 *
 * Tolerance: we implement PIL's resize arithmetic exactly, so the resized pictures must be
 * identical and the tensors equal to float32 rounding. We assert max |diff| ≤ 1e-6 on
 * tensors (a single grey level would be 1/255/0.225 ≈ 0.017 after normalisation) and zero
 * difference on the 8-bit pictures.
 */
#include "config.h"

#include <glib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "image-private.h"   /* vgg_resample_bilinear() */
#include "test-engine-util.h"
#include "vgg.h"

#define TENSOR_TOLERANCE 1e-6

static const float tv_mean[3] = { 0.485f, 0.456f, 0.406f };
static const float tv_std[3] = { 0.229f, 0.224f, 0.225f };

static double
mean_abs_diff (const float *a,
               const float *b,
               size_t       count)
{
  double sum = 0.0;

  for (size_t i = 0; i < count; i++)
    sum += fabs ((double) a[i] - (double) b[i]);
  return count > 0 ? sum / (double) count : 0.0;
}

static void
assert_tensor_close (const float *input,
                     const float *expected,
                     size_t       count,
                     const char  *what)
{
  double max = test_max_abs_diff (input, expected, count);

  g_test_message ("%s: max |diff| %.3g, mean |diff| %.3g over %zu values", what, max,
                  mean_abs_diff (input, expected, count), count);
  g_assert_cmpfloat (max, <=, TENSOR_TOLERANCE);
}

/* Preprocesses fixture @name and compares the tensor with the .npy @expected_name. */
static void
check_against_npy (const char *name,
                   VggPreset   preset,
                   int         channels,
                   int         height,
                   int         width,
                   const char *expected_name)
{
  VggImage image, seen;
  VggNpy expected;
  VggError error = { 0 };
  size_t count = (size_t) channels * height * width;
  float *input = g_new0 (float, count);

  test_load_image_fixture (&image, name);
  test_load_npy_fixture (&expected, expected_name);
  g_assert_cmpint (expected.ndim, ==, 3);
  g_assert_cmpint (expected.shape[0], ==, channels);
  g_assert_cmpint (expected.shape[1], ==, height);
  g_assert_cmpint (expected.shape[2], ==, width);

  test_assert_ok (vgg_preprocess (input, channels, height, width, &image, preset, &seen,
                                  &error), &error);
  g_assert_cmpint (seen.width, ==, width);
  g_assert_cmpint (seen.height, ==, height);
  assert_tensor_close (input, expected.data, count, expected_name);

  vgg_image_clear (&seen);
  vgg_image_clear (&image);
  vgg_npy_clear (&expected);
  g_free (input);
}

/* The 224 × 224 torchvision preset on fixture @name against torchvision's picture. */
static void
check_torchvision_224 (const char *name,
                       const char *expected_name)
{
  VggImage image, seen, expected;
  VggError error = { 0 };
  const size_t plane = 224 * 224;
  float *input = g_new0 (float, 3 * plane);
  float *reference = g_new0 (float, 3 * plane);
  int max_pixel_diff = 0;

  test_load_image_fixture (&image, name);
  test_load_image_fixture (&expected, expected_name);
  test_assert_ok (vgg_preprocess (input, 3, 224, 224, &image, VGG_PRESET_TORCHVISION, &seen,
                                  &error), &error);

  g_assert_cmpint (seen.width, ==, 224);
  g_assert_cmpint (seen.height, ==, 224);
  for (size_t i = 0; i < plane * 3; i++)
    max_pixel_diff = MAX (max_pixel_diff, abs ((int) seen.pixels[i] - expected.pixels[i]));
  g_test_message ("%s: resized picture max |diff| %d grey levels", name, max_pixel_diff);
  g_assert_cmpint (max_pixel_diff, ==, 0);

  /* torchvision's ToTensor + Normalize on its own picture, in float32 as torch computes it */
  for (size_t i = 0; i < plane; i++)
    for (int c = 0; c < 3; c++)
      reference[c * plane + i] = ((float) expected.pixels[i * 3 + c] / 255.0f - tv_mean[c])
                                 / tv_std[c];
  assert_tensor_close (input, reference, 3 * plane, name);

  vgg_image_clear (&seen);
  vgg_image_clear (&expected);
  vgg_image_clear (&image);
  g_free (input);
  g_free (reference);
}

static void
test_torchvision_224 (void)
{
  /* 360 × 270 → 341 × 256 (a real reduction), crop at left round(58.5) = 58 */
  check_torchvision_224 ("picture.png", "tv224-picture-png.png");
  /* 60 × 45 → 341 × 256 (an enlargement) */
  check_torchvision_224 ("small.png", "tv224-small-png.png");
}

static void
test_torchvision_48 (void)
{
  check_against_npy ("picture.png", VGG_PRESET_TORCHVISION, 3, 48, 48, "tv48-picture-png.npy");
  /* the JPEG path: decoding must match PIL's too */
  check_against_npy ("picture.jpg", VGG_PRESET_TORCHVISION, 3, 48, 48, "tv48-picture-jpg.npy");
  /* a lossy WebP (tools/gen-picture-formats.py): libwebp's decoding as PIL does it */
  check_against_npy ("formats/picture.webp", VGG_PRESET_TORCHVISION, 3, 48, 48,
                     "formats/tv48-picture-webp.npy");
}

static void
test_caffe (void)
{
  check_against_npy ("picture.png", VGG_PRESET_CAFFE, 3, 28, 28, "caffe28-picture-png.npy");
}

static void
test_plain (void)
{
  VggImage image, seen;
  VggError error = { 0 };
  float input[28 * 28];

  check_against_npy ("picture.png", VGG_PRESET_PLAIN, 1, 28, 28,
                     "plain28-grey-picture-png.npy");
  check_against_npy ("picture.png", VGG_PRESET_PLAIN, 3, 24, 40, "plain24x40-picture-png.npy");

  /* grey input: the network and @seen get the same grey */
  test_load_image_fixture (&image, "picture.png");
  test_assert_ok (vgg_preprocess (input, 1, 28, 28, &image, VGG_PRESET_PLAIN, &seen, &error),
                  &error);
  for (int i = 0; i < 28 * 28; i++)
    {
      g_assert_cmpint (seen.pixels[i * 3], ==, seen.pixels[i * 3 + 1]);
      g_assert_cmpint (seen.pixels[i * 3], ==, seen.pixels[i * 3 + 2]);
      g_assert_cmpfloat (input[i], ==, (float) seen.pixels[i * 3] / 255.0f);
    }
  vgg_image_clear (&seen);
  vgg_image_clear (&image);
}

/* PIL's resize computed for a window of the output (resample.c) must give the same bytes as
 * resizing everything and cropping afterwards. */
static void
test_resample_window (void)
{
  static const struct { int width_in, height_in, width_out, height_out; } cases[] = {
    { 50, 37, 123, 71 },    /* enlargement */
    { 50, 37, 17, 9 },      /* reduction */
    { 50, 37, 80, 20 },     /* mixed */
    { 50, 37, 50, 11 },     /* width kept: the horizontal pass is skipped */
    { 50, 37, 19, 37 },     /* height kept */
    { 50, 37, 50, 37 },     /* nothing to do: a copy */
    { 1, 1, 7, 5 },
  };
  GRand *rand = g_rand_new_with_seed (7);

  for (size_t n = 0; n < G_N_ELEMENTS (cases); n++)
    {
      const int wi = cases[n].width_in, hi = cases[n].height_in;
      const int wo = cases[n].width_out, ho = cases[n].height_out;
      guint8 *in = g_malloc ((size_t) wi * hi * 3);
      guint8 *full = g_malloc ((size_t) wo * ho * 3);
      VggError error = { 0 };

      for (int i = 0; i < wi * hi * 3; i++)
        in[i] = (guint8) g_rand_int_range (rand, 0, 256);
      test_assert_ok (vgg_resample_bilinear (full, 0, 0, wo, ho, wo, ho, in, wi, hi, 3, &error),
                      &error);
      if (wo == wi && ho == hi)
        g_assert_cmpmem (full, wi * hi * 3, in, wi * hi * 3);

      for (int trial = 0; trial < 20; trial++)
        {
          int x0 = g_rand_int_range (rand, 0, wo), y0 = g_rand_int_range (rand, 0, ho);
          int w = g_rand_int_range (rand, 1, wo - x0 + 1);
          int h = g_rand_int_range (rand, 1, ho - y0 + 1);
          guint8 *window = g_malloc ((size_t) w * h * 3);

          test_assert_ok (vgg_resample_bilinear (window, x0, y0, w, h, wo, ho, in, wi, hi, 3,
                                                 &error), &error);
          for (int y = 0; y < h; y++)
            g_assert_cmpmem (window + (size_t) y * w * 3, w * 3,
                             full + ((size_t) (y0 + y) * wo + x0) * 3, w * 3);
          g_free (window);
        }

      /* a window outside the output is refused */
      g_assert_cmpint (vgg_resample_bilinear (full, 1, 0, wo, ho, wo, ho, in, wi, hi, 3, &error),
                       ==, VGG_STATUS_INVALID_ARGUMENT);
      g_free (in);
      g_free (full);
    }
  g_rand_free (rand);
}

/* A very elongated picture: the full torchvision resize would be 85 333 × 256; only the crop
 * is computed. Mirroring the picture mirrors the result. */
static void
test_elongated (void)
{
  VggImage image = { 0 }, seen, flipped = { 0 }, seen_flipped;
  VggError error = { 0 };
  float *input = g_new (float, 3 * 224 * 224);
  const int width = 1000, height = 3;

  image.width = width;
  image.height = height;
  image.pixels = g_malloc ((size_t) width * height * 3);
  flipped = image;
  flipped.pixels = g_malloc ((size_t) width * height * 3);
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      for (int c = 0; c < 3; c++)
        {
          guint8 v = (guint8) ((x * 7 + y * 50 + c * 30) % 256);
          image.pixels[((size_t) y * width + x) * 3 + c] = v;
          flipped.pixels[((size_t) y * width + (width - 1 - x)) * 3 + c] = v;
        }

  test_assert_ok (vgg_preprocess (input, 3, 224, 224, &image, VGG_PRESET_TORCHVISION, &seen,
                                  &error), &error);
  test_assert_ok (vgg_preprocess (input, 3, 224, 224, &flipped, VGG_PRESET_TORCHVISION,
                                  &seen_flipped, &error), &error);
  /* 85333 − 224 is odd: both crops start at round(42554.5) = 42554, so column x of one is
   * column 224 − x of the other (x = 1 … 223); allow one level for rounding in mirrored
   * coefficients. */
  for (int y = 0; y < 224; y++)
    for (int x = 1; x < 224; x++)
      for (int c = 0; c < 3; c++)
        g_assert_cmpint (abs ((int) seen.pixels[((size_t) y * 224 + x) * 3 + c]
                              - (int) seen_flipped.pixels[((size_t) y * 224 + 224 - x) * 3 + c]),
                         <=, 1);

  vgg_image_clear (&seen);
  vgg_image_clear (&seen_flipped);
  vgg_image_clear (&image);
  vgg_image_clear (&flipped);

  /* plain preset at the picture's own size: no resampling at all */
  test_load_image_fixture (&image, "picture.png");
  g_free (input);
  input = g_new (float, 3 * 270 * 360);
  test_assert_ok (vgg_preprocess (input, 3, 270, 360, &image, VGG_PRESET_PLAIN, &seen, &error),
                  &error);
  g_assert_cmpmem (seen.pixels, 270 * 360 * 3, image.pixels, 270 * 360 * 3);
  vgg_image_clear (&seen);
  vgg_image_clear (&image);
  g_free (input);
}

static void
test_seen_optional (void)
{
  VggImage image;
  VggError error = { 0 };
  float *with_seen = g_new (float, 3 * 32 * 32), *without = g_new (float, 3 * 32 * 32);
  VggImage seen;

  test_load_image_fixture (&image, "small.png");
  test_assert_ok (vgg_preprocess (with_seen, 3, 32, 32, &image, VGG_PRESET_TORCHVISION, &seen,
                                  &error), &error);
  test_assert_ok (vgg_preprocess (without, 3, 32, 32, &image, VGG_PRESET_TORCHVISION, NULL,
                                  &error), &error);
  g_assert_cmpmem (with_seen, 3 * 32 * 32 * sizeof (float), without,
                   3 * 32 * 32 * sizeof (float));
  vgg_image_clear (&seen);
  vgg_image_clear (&image);
  g_free (with_seen);
  g_free (without);
}

static void
test_errors (void)
{
  VggImage image, seen;
  VggError error = { 0 };
  float input[3 * 8 * 8];

  test_load_image_fixture (&image, "grey.png");
  g_assert_cmpint (vgg_preprocess (input, 2, 8, 8, &image, VGG_PRESET_PLAIN, &seen, &error),
                   ==, VGG_STATUS_INVALID_ARGUMENT);
  g_assert_null (seen.pixels);
  g_assert_cmpint (vgg_preprocess (input, 1, 8, 8, &image, VGG_PRESET_TORCHVISION, NULL,
                                   &error), ==, VGG_STATUS_UNSUPPORTED);
  g_assert_nonnull (strstr (error.message, "3 input channels"));
  g_assert_cmpint (vgg_preprocess (input, 1, 8, 8, &image, VGG_PRESET_CAFFE, NULL, &error), ==,
                   VGG_STATUS_UNSUPPORTED);
  g_assert_cmpint (vgg_preprocess (input, 3, 0, 8, &image, VGG_PRESET_PLAIN, NULL, &error), ==,
                   VGG_STATUS_INVALID_ARGUMENT);
  g_assert_cmpint (vgg_preprocess (input, 3, 8, 8, &image, VGG_PRESET_N_PRESETS, NULL, &error),
                   ==, VGG_STATUS_INVALID_ARGUMENT);
  g_assert_cmpint (vgg_preprocess (NULL, 3, 8, 8, &image, VGG_PRESET_PLAIN, NULL, &error), ==,
                   VGG_STATUS_INVALID_ARGUMENT);
  vgg_image_clear (&image);
  g_assert_cmpint (vgg_preprocess (input, 3, 8, 8, &image, VGG_PRESET_PLAIN, NULL, &error), ==,
                   VGG_STATUS_INVALID_ARGUMENT);
}

/* vgg_preprocess_steps() describes what vgg_preprocess() does: cropping its resized picture
 * at the offsets it gives yields the picture the network sees, and its normalisation numbers
 * turn that picture into the input tensor, for every preset. */
static void
check_steps (const char *name,
             VggPreset   preset,
             int         channels,
             int         height,
             int         width)
{
  VggImage image, seen, resized;
  VggPreprocessSteps steps;
  VggError error = { 0 };
  const size_t plane = (size_t) height * width;
  float *input = g_new0 (float, (size_t) channels * plane);

  test_load_image_fixture (&image, name);
  test_assert_ok (vgg_preprocess (input, channels, height, width, &image, preset, &seen,
                                  &error), &error);
  test_assert_ok (vgg_preprocess_steps (&steps, channels, height, width, &image, preset,
                                        &resized, &error), &error);
  g_assert_cmpint (steps.image_width, ==, image.width);
  g_assert_cmpint (steps.image_height, ==, image.height);
  g_assert_cmpint (resized.width, ==, steps.resize_width);
  g_assert_cmpint (resized.height, ==, steps.resize_height);

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        const uint8_t *from = resized.pixels + ((size_t) (steps.crop_top + y) * resized.width
                                                + steps.crop_left + x) * 3;
        const uint8_t *to = seen.pixels + ((size_t) y * width + x) * 3;

        for (int c = 0; c < channels; c++)
          {
            int source = steps.bgr ? 2 - c : c;
            float v = steps.grey ? (float) to[0] : (float) from[source];
            float expected = (v / steps.scale - steps.mean[c]) / steps.std[c];

            if (!steps.grey)
              g_assert_cmpint (from[c], ==, to[c]);
            g_assert_cmpfloat (fabsf (input[c * plane + (size_t) y * width + x] - expected), <=,
                               1e-6f);
          }
      }
  vgg_image_clear (&resized);
  vgg_image_clear (&seen);
  vgg_image_clear (&image);
  g_free (input);
}

static void
test_steps (void)
{
  VggImage image, resized;
  VggPreprocessSteps steps;
  VggError error = { 0 };

  check_steps ("picture.png", VGG_PRESET_TORCHVISION, 3, 224, 224);
  check_steps ("picture.png", VGG_PRESET_TORCHVISION, 3, 48, 48);
  check_steps ("picture.png", VGG_PRESET_CAFFE, 3, 28, 28);
  check_steps ("picture.png", VGG_PRESET_PLAIN, 3, 24, 40);
  check_steps ("picture.png", VGG_PRESET_PLAIN, 1, 28, 28);

  /* the numbers a teacher reads: 360 × 270 → 341 × 256 (shorter side 256), crop 224 at
   * left round((341 − 224)/2) = round(58.5) = 58 (half to even), top 16; ImageNet's mean and
   * deviation */
  test_load_image_fixture (&image, "picture.png");
  test_assert_ok (vgg_preprocess_steps (&steps, 3, 224, 224, &image, VGG_PRESET_TORCHVISION,
                                        NULL, &error), &error);
  g_assert_cmpint (steps.resize_width, ==, 341);
  g_assert_cmpint (steps.resize_height, ==, 256);
  g_assert_cmpint (steps.crop_left, ==, 58);
  g_assert_cmpint (steps.crop_top, ==, 16);
  g_assert_false (steps.bgr);
  g_assert_cmpfloat (steps.scale, ==, 255.0f);
  g_assert_cmpfloat (steps.mean[0], ==, 0.485f);
  g_assert_cmpfloat (steps.std[2], ==, 0.225f);

  /* caffe: squashed to the input size, BGR, 0–255 minus the BGR means */
  test_assert_ok (vgg_preprocess_steps (&steps, 3, 224, 224, &image, VGG_PRESET_CAFFE, NULL,
                                        &error), &error);
  g_assert_cmpint (steps.resize_width, ==, 224);
  g_assert_cmpint (steps.resize_height, ==, 224);
  g_assert_true (steps.bgr);
  g_assert_cmpfloat (steps.scale, ==, 1.0f);
  g_assert_cmpfloat (steps.mean[0], ==, 103.939f);

  /* presets that do not fit the input are refused as vgg_preprocess() refuses them */
  g_assert_cmpint (vgg_preprocess_steps (&steps, 1, 28, 28, &image, VGG_PRESET_TORCHVISION,
                                         &resized, &error), ==, VGG_STATUS_UNSUPPORTED);
  g_assert_null (resized.pixels);
  g_assert_cmpint (vgg_preprocess_steps (&steps, 3, 28, 28, &image, VGG_PRESET_FASHION_MNIST,
                                         NULL, &error), ==, VGG_STATUS_UNSUPPORTED);
  vgg_image_clear (&image);
}

/* fashion-mnist: the box, cut from the stretched grey picture and scaled to the fit size,
 * centred on the input, is what the network gets. */
static void
test_steps_fashion (void)
{
  VggImage image, resized, seen;
  VggPreprocessSteps steps;
  VggError error = { 0 };
  float input[32 * 32];
  uint8_t *box, *fit;

  test_load_image_fixture (&image, "picture.png");
  test_assert_ok (vgg_preprocess (input, 1, 32, 32, &image, VGG_PRESET_FASHION_MNIST, &seen,
                                  &error), &error);
  test_assert_ok (vgg_preprocess_steps (&steps, 1, 32, 32, &image, VGG_PRESET_FASHION_MNIST,
                                        &resized, &error), &error);
  g_assert_cmpint (steps.side, ==, 28);
  g_assert_cmpint (resized.width, ==, image.width);
  g_assert_cmpint (MAX (steps.fit_width, steps.fit_height), ==, 28);
  g_assert_cmpint (steps.box_width, >, 0);
  g_assert_cmpint (steps.box_x + steps.box_width, <=, image.width);
  g_assert_true (steps.invert == (steps.background > 127));

  box = g_malloc ((size_t) steps.box_width * steps.box_height);
  fit = g_malloc ((size_t) steps.fit_width * steps.fit_height);
  for (int y = 0; y < steps.box_height; y++)
    for (int x = 0; x < steps.box_width; x++)
      box[y * steps.box_width + x] = resized.pixels[((size_t) (steps.box_y + y) * resized.width
                                                     + steps.box_x + x) * 3];
  test_assert_ok (vgg_resample_bilinear (fit, 0, 0, steps.fit_width, steps.fit_height,
                                         steps.fit_width, steps.fit_height, box,
                                         steps.box_width, steps.box_height, 1, &error), &error);
  for (int y = 0; y < steps.fit_height; y++)
    for (int x = 0; x < steps.fit_width; x++)
      {
        int iy = (32 - 28) / 2 + (28 - steps.fit_height) / 2 + y;
        int ix = (32 - 28) / 2 + (28 - steps.fit_width) / 2 + x;

        g_assert_cmpfloat (input[iy * 32 + ix], ==, (float) fit[y * steps.fit_width + x] / 255.0f);
      }
  g_free (box);
  g_free (fit);
  vgg_image_clear (&resized);
  vgg_image_clear (&seen);
  vgg_image_clear (&image);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/preprocess/torchvision/224", test_torchvision_224);
  g_test_add_func ("/preprocess/torchvision/48", test_torchvision_48);
  g_test_add_func ("/preprocess/caffe", test_caffe);
  g_test_add_func ("/preprocess/plain", test_plain);
  g_test_add_func ("/preprocess/resample-window", test_resample_window);
  g_test_add_func ("/preprocess/elongated", test_elongated);
  g_test_add_func ("/preprocess/seen-optional", test_seen_optional);
  g_test_add_func ("/preprocess/errors", test_errors);
  g_test_add_func ("/preprocess/steps", test_steps);
  g_test_add_func ("/preprocess/steps-fashion", test_steps_fashion);

  return g_test_run ();
}
