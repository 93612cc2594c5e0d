/* test-render.c — colormaps and feature-map grids
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib.h>
#include <math.h>
#include <string.h>

#include "test-engine-util.h"
#include "vgg.h"

static const guint8 gap_rgb[3] = { 0x30, 0x30, 0x30 };

static void
assert_rgb (const guint8 *rgb,
            unsigned      r,
            unsigned      g,
            unsigned      b)
{
  if (rgb[0] != r || rgb[1] != g || rgb[2] != b)
    g_error ("colour (%u, %u, %u), expected (%u, %u, %u)", rgb[0], rgb[1], rgb[2], r, g, b);
}

static const guint8 *
pixel_at (const VggImage *image,
          int             x,
          int             y)
{
  g_assert_cmpint (x, >=, 0);
  g_assert_cmpint (y, >=, 0);
  g_assert_cmpint (x, <, image->width);
  g_assert_cmpint (y, <, image->height);
  return image->pixels + ((size_t) y * image->width + x) * 3;
}

static void
test_colormap (void)
{
  guint8 rgb[3], other[3];

  /* matplotlib's endpoints: viridis #440154 … #fde725, magma #000004 … #fcfdbf */
  vgg_colormap_lookup (VGG_COLORMAP_VIRIDIS, 0.0f, rgb);
  assert_rgb (rgb, 0x44, 0x01, 0x54);
  vgg_colormap_lookup (VGG_COLORMAP_VIRIDIS, 1.0f, rgb);
  assert_rgb (rgb, 0xfd, 0xe7, 0x25);
  vgg_colormap_lookup (VGG_COLORMAP_VIRIDIS, 0.5f, rgb);
  assert_rgb (rgb, 0x21, 0x91, 0x8c);   /* viridis(0.5) = #21918c */
  vgg_colormap_lookup (VGG_COLORMAP_MAGMA, 0.0f, rgb);
  assert_rgb (rgb, 0x00, 0x00, 0x04);
  vgg_colormap_lookup (VGG_COLORMAP_MAGMA, 1.0f, rgb);
  assert_rgb (rgb, 0xfc, 0xfd, 0xbf);
  vgg_colormap_lookup (VGG_COLORMAP_GREY, 0.0f, rgb);
  assert_rgb (rgb, 0, 0, 0);
  vgg_colormap_lookup (VGG_COLORMAP_GREY, 1.0f, rgb);
  assert_rgb (rgb, 255, 255, 255);
  vgg_colormap_lookup (VGG_COLORMAP_GREY, 0.5f, rgb);
  assert_rgb (rgb, 128, 128, 128);

  /* clamping, and NaN as the low end */
  vgg_colormap_lookup (VGG_COLORMAP_VIRIDIS, -3.0f, rgb);
  assert_rgb (rgb, 0x44, 0x01, 0x54);
  vgg_colormap_lookup (VGG_COLORMAP_VIRIDIS, 7.0f, rgb);
  assert_rgb (rgb, 0xfd, 0xe7, 0x25);
  vgg_colormap_lookup (VGG_COLORMAP_VIRIDIS, NAN, rgb);
  assert_rgb (rgb, 0x44, 0x01, 0x54);
  vgg_colormap_lookup (VGG_COLORMAP_VIRIDIS, INFINITY, rgb);
  assert_rgb (rgb, 0xfd, 0xe7, 0x25);

  vgg_colormap_lookup (VGG_COLORMAP_MAGMA, 0.5f, rgb);
  assert_rgb (rgb, 0xb7, 0x37, 0x79);   /* magma(0.5) = #b73779 */

  /* the tables are smooth: neighbouring entries differ by at most 3 per channel */
  for (VggColormap map = 0; map < VGG_COLORMAP_N_COLORMAPS; map++)
    for (int i = 1; i < 256; i++)
      {
        vgg_colormap_lookup (map, ((float) i - 0.5f) / 256.0f, other);
        vgg_colormap_lookup (map, ((float) i + 0.5f) / 256.0f, rgb);
        for (int c = 0; c < 3; c++)
          g_assert_cmpint (ABS ((int) rgb[c] - (int) other[c]), <=, 3);
      }
}

static void
test_grid_size (void)
{
  static const struct
  {
    int channels, height, width, columns, scale;
    int image_width, image_height;
  } cases[] = {
    { 10, 3, 5, 0, 1, 4 * 5 + 3, 3 * 3 + 2 },     /* near-square: 4 columns, 3 rows */
    { 10, 3, 5, 0, 2, 4 * 10 + 3, 3 * 6 + 2 },
    { 10, 3, 5, 3, 1, 3 * 5 + 2, 4 * 3 + 3 },     /* 3 columns, 4 rows */
    { 10, 3, 5, 20, 1, 10 * 5 + 9, 3 },           /* more columns than maps: one row */
    { 1, 7, 9, 0, 3, 27, 21 },                    /* one map, no gaps */
    { 64, 14, 14, 0, 1, 8 * 14 + 7, 8 * 14 + 7 },
    { 512, 7, 7, 0, 1, 23 * 7 + 22, 23 * 7 + 22 },/* ceil(√512) = 23 columns, 23 rows */
  };

  for (size_t n = 0; n < G_N_ELEMENTS (cases); n++)
    {
      size_t count = (size_t) cases[n].channels * cases[n].height * cases[n].width;
      float *maps = g_new0 (float, count);
      VggImage image;
      VggError error = { 0 };

      test_assert_ok (vgg_render_grid (&image, maps, cases[n].channels, cases[n].height,
                                       cases[n].width, cases[n].columns, cases[n].scale, false,
                                       VGG_COLORMAP_VIRIDIS, &error), &error);
      g_assert_cmpint (image.width, ==, cases[n].image_width);
      g_assert_cmpint (image.height, ==, cases[n].image_height);
      vgg_image_clear (&image);
      g_free (maps);
    }
}

static void
test_normalisation (void)
{
  /* 3 maps of 2 × 3: a ramp 0…5, a constant, and a ramp 100…105 */
  float maps[3 * 6];
  VggImage image;
  VggError error = { 0 };
  guint8 rgb[3];

  for (int i = 0; i < 6; i++)
    {
      maps[i] = (float) i;
      maps[6 + i] = 42.0f;
      maps[12 + i] = 100.0f + (float) i;
    }

  /* per map, 3 columns, scale 2: tiles of 6 × 4 at x = 0, 7, 14 */
  test_assert_ok (vgg_render_grid (&image, maps, 3, 2, 3, 3, 2, false, VGG_COLORMAP_GREY, &error),
                  &error);
  g_assert_cmpint (image.width, ==, 3 * 6 + 2);
  g_assert_cmpint (image.height, ==, 4);
  assert_rgb (pixel_at (&image, 0, 0), 0, 0, 0);         /* map 0 minimum */
  assert_rgb (pixel_at (&image, 1, 1), 0, 0, 0);         /* nearest-neighbour upscaling */
  assert_rgb (pixel_at (&image, 5, 3), 255, 255, 255);   /* map 0 maximum */
  vgg_colormap_lookup (VGG_COLORMAP_GREY, 2.0f / 5.0f, rgb);
  assert_rgb (pixel_at (&image, 4, 0), rgb[0], rgb[1], rgb[2]);
  g_assert_cmpmem (pixel_at (&image, 6, 0), 3, gap_rgb, 3); /* the gap */
  g_assert_cmpmem (pixel_at (&image, 13, 2), 3, gap_rgb, 3);
  for (int x = 7; x < 13; x++)                           /* the constant map: colour 0 */
    assert_rgb (pixel_at (&image, x, 2), 0, 0, 0);
  assert_rgb (pixel_at (&image, 14, 0), 0, 0, 0);        /* map 2 normalised on its own */
  assert_rgb (pixel_at (&image, 19, 3), 255, 255, 255);
  vgg_image_clear (&image);

  /* per layer: one range 0…105 for all */
  test_assert_ok (vgg_render_grid (&image, maps, 3, 2, 3, 3, 1, true, VGG_COLORMAP_GREY, &error),
                  &error);
  assert_rgb (pixel_at (&image, 0, 0), 0, 0, 0);
  vgg_colormap_lookup (VGG_COLORMAP_GREY, 5.0f / 105.0f, rgb);
  assert_rgb (pixel_at (&image, 2, 1), rgb[0], rgb[1], rgb[2]);
  vgg_colormap_lookup (VGG_COLORMAP_GREY, 42.0f / 105.0f, rgb);
  assert_rgb (pixel_at (&image, 4, 0), rgb[0], rgb[1], rgb[2]);
  assert_rgb (pixel_at (&image, 10, 1), 255, 255, 255);
  vgg_image_clear (&image);

  /* empty cells of the last row are gap-coloured */
  test_assert_ok (vgg_render_grid (&image, maps, 3, 2, 3, 2, 1, false, VGG_COLORMAP_VIRIDIS,
                                   &error), &error);
  g_assert_cmpint (image.width, ==, 7);
  g_assert_cmpint (image.height, ==, 5);
  g_assert_cmpmem (pixel_at (&image, 5, 4), 3, gap_rgb, 3);
  vgg_image_clear (&image);
}

static void
test_non_finite (void)
{
  float maps[4] = { 1.0f, NAN, INFINITY, 3.0f };
  VggImage image;
  VggError error = { 0 };

  test_assert_ok (vgg_render_grid (&image, maps, 1, 1, 4, 0, 1, false, VGG_COLORMAP_GREY, &error),
                  &error);
  assert_rgb (pixel_at (&image, 0, 0), 0, 0, 0);          /* finite range 1…3 */
  assert_rgb (pixel_at (&image, 1, 0), 0, 0, 0);          /* NaN: low end */
  assert_rgb (pixel_at (&image, 2, 0), 255, 255, 255);    /* +inf: high end */
  assert_rgb (pixel_at (&image, 3, 0), 255, 255, 255);
  vgg_image_clear (&image);
}

static void
test_limits (void)
{
  float *maps = g_new0 (float, 4096);
  float one = 0.0f;
  VggImage image;
  VggError error = { 0 };

  /* 4096 maps of 1 × 1 at scale 300: 64 × 64 tiles of 300 pixels, far beyond 16384 */
  g_assert_cmpint (vgg_render_grid (&image, maps, 4096, 1, 1, 0, 300, false,
                                    VGG_COLORMAP_VIRIDIS, &error), ==, VGG_STATUS_TOO_LARGE);
  g_assert_null (image.pixels);
  /* the limit itself: 16384 pixels wide fits, one more does not */
  {
    float *row = g_new0 (float, 16385);

    test_assert_ok (vgg_render_grid (&image, row, 1, 1, 16384, 0, 1, false,
                                     VGG_COLORMAP_VIRIDIS, &error), &error);
    g_assert_cmpint (image.width, ==, 16384);
    vgg_image_clear (&image);
    g_assert_cmpint (vgg_render_grid (&image, row, 1, 1, 16385, 0, 1, false,
                                      VGG_COLORMAP_VIRIDIS, &error), ==, VGG_STATUS_TOO_LARGE);
    /* two tiles of 8192 and the gap: 16385 */
    g_assert_cmpint (vgg_render_grid (&image, row, 2, 1, 8192, 2, 1, false,
                                      VGG_COLORMAP_VIRIDIS, &error), ==, VGG_STATUS_TOO_LARGE);
    g_free (row);
  }
  /* a single row of 4096 tiles */
  g_assert_cmpint (vgg_render_grid (&image, maps, 4096, 1, 1, 4096, 4, false,
                                    VGG_COLORMAP_VIRIDIS, &error), ==, VGG_STATUS_TOO_LARGE);
  /* products that would overflow 32 or 64 bits */
  g_assert_cmpint (vgg_render_grid (&image, &one, 1, 1, 1, 0, G_MAXINT, false,
                                    VGG_COLORMAP_VIRIDIS, &error), ==, VGG_STATUS_TOO_LARGE);
  g_assert_cmpint (vgg_render_grid (&image, &one, G_MAXINT, G_MAXINT, G_MAXINT, 0, G_MAXINT,
                                    false, VGG_COLORMAP_VIRIDIS, &error), ==,
                   VGG_STATUS_TOO_LARGE);

  g_assert_cmpint (vgg_render_grid (&image, maps, 0, 1, 1, 0, 1, false, VGG_COLORMAP_VIRIDIS,
                                    &error), ==, VGG_STATUS_INVALID_ARGUMENT);
  g_assert_cmpint (vgg_render_grid (&image, maps, 1, 1, 1, 0, 0, false, VGG_COLORMAP_VIRIDIS,
                                    &error), ==, VGG_STATUS_INVALID_ARGUMENT);
  g_assert_cmpint (vgg_render_grid (&image, maps, 1, 1, 1, -1, 1, false, VGG_COLORMAP_VIRIDIS,
                                    &error), ==, VGG_STATUS_INVALID_ARGUMENT);
  g_assert_cmpint (vgg_render_grid (&image, NULL, 1, 1, 1, 0, 1, false, VGG_COLORMAP_VIRIDIS,
                                    &error), ==, VGG_STATUS_INVALID_ARGUMENT);
  g_assert_cmpint (vgg_render_grid (&image, maps, 1, 1, 1, 0, 1, false,
                                    VGG_COLORMAP_N_COLORMAPS, &error), ==,
                   VGG_STATUS_INVALID_ARGUMENT);
  g_free (maps);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/render/colormap", test_colormap);
  g_test_add_func ("/render/grid-size", test_grid_size);
  g_test_add_func ("/render/normalisation", test_normalisation);
  g_test_add_func ("/render/non-finite", test_non_finite);
  g_test_add_func ("/render/limits", test_limits);

  return g_test_run ();
}
