/* test-image.c — decoding JPEG, PNG, WebP, GIF, BMP, TIFF: colour types, orientation, bad files
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Expected pictures come from PIL (tools/gen-image-fixtures.py) or from the formula that made
 * the fixture; decoding must match them exactly.
 */
#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include <jpeglib.h>

#include "test-engine-util.h"
#include "vgg.h"

/* ---------------------------------------------------------------------------------------------
 * Helpers
 */

static guint8 *
read_fixture (const char *name,
              size_t     *size)
{
  char *path = test_fixture_path ("images", name, NULL);
  char *contents = NULL;
  gsize length = 0;
  GError *error = NULL;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  g_free (path);
  *size = length;
  return (guint8 *) contents;
}

static const guint8 *
pixel_at (const VggImage *image,
          int             x,
          int             y)
{
  return image->pixels + ((size_t) y * image->width + x) * 3;
}

static void
assert_pixel (const VggImage *image,
              int             x,
              int             y,
              unsigned        r,
              unsigned        g,
              unsigned        b)
{
  const guint8 *p = pixel_at (image, x, y);

  if (p[0] != r || p[1] != g || p[2] != b)
    g_error ("pixel (%d, %d) is (%u, %u, %u), expected (%u, %u, %u)", x, y, p[0], p[1], p[2],
             r, g, b);
}

static void
assert_same_image (const VggImage *image,
                   const VggImage *expected)
{
  g_assert_cmpint (image->width, ==, expected->width);
  g_assert_cmpint (image->height, ==, expected->height);
  for (int y = 0; y < image->height; y++)
    for (int x = 0; x < image->width; x++)
      {
        const guint8 *e = pixel_at (expected, x, y);
        assert_pixel (image, x, y, e[0], e[1], e[2]);
      }
}

static void
assert_matches_fixture (const char *name,
                        const char *expected_name)
{
  VggImage image, expected;

  test_load_image_fixture (&image, name);
  test_load_image_fixture (&expected, expected_name);
  assert_same_image (&image, &expected);
  vgg_image_clear (&image);
  vgg_image_clear (&expected);
}

static guint8
over_white (unsigned value,
            unsigned alpha)
{
  return (guint8) ((value * alpha + 255u * (255u - alpha) + 127u) / 255u);
}

/* Asserts that loading @path fails with @status and a message naming the file (and containing
 * @words, if not NULL). */
static void
assert_load_fails (const char *path,
                   VggStatus   status,
                   const char *words)
{
  VggImage image = { 0 };
  VggError error = { 0 };
  VggStatus found = vgg_image_load (&image, path, &error);

  g_test_message ("%s → %s: %s", path, vgg_status_string (found), error.message);
  g_assert_cmpint (found, ==, status);
  g_assert_cmpint (error.status, ==, status);
  g_assert_nonnull (strstr (error.message, path));
  if (words != NULL)
    g_assert_nonnull (strstr (error.message, words));
  g_assert_null (image.pixels);
  g_assert_cmpint (image.width, ==, 0);
}

/* ---------------------------------------------------------------------------------------------
 * PNG
 */

static void
test_png_rgb (void)
{
  VggImage image, from_memory;
  VggError error = { 0 };
  guint8 *bytes;
  size_t size;

  test_load_image_fixture (&image, "picture.png");
  g_assert_cmpint (image.width, ==, 360);
  g_assert_cmpint (image.height, ==, 270);

  bytes = read_fixture ("picture.png", &size);
  test_assert_ok (vgg_image_load_memory (&from_memory, bytes, size, &error), &error);
  assert_same_image (&from_memory, &image);
  /* the white outline of the blue rectangle (PIL's ImageDraw in the generator) */
  assert_pixel (&image, (int) (0.08 * 360), (int) (0.1 * 270) + 20, 255, 255, 255);

  vgg_image_clear (&from_memory);
  vgg_image_clear (&image);
  vgg_image_clear (&image);   /* clearing twice is harmless */
  g_free (bytes);
}

static void
test_png_grey (void)
{
  VggImage image;

  test_load_image_fixture (&image, "grey.png");
  g_assert_cmpint (image.width, ==, 40);
  g_assert_cmpint (image.height, ==, 30);
  for (int y = 0; y < 30; y++)
    for (int x = 0; x < 40; x++)
      {
        unsigned v = (unsigned) (x * 3 + y * 5) % 256;
        assert_pixel (&image, x, y, v, v, v);
      }
  vgg_image_clear (&image);
}

static void
test_png_grey_alpha (void)
{
  VggImage image;

  test_load_image_fixture (&image, "grey-alpha.png");
  for (int y = 0; y < 30; y++)
    for (int x = 0; x < 40; x++)
      {
        guint8 v = over_white ((unsigned) (x * 3 + y * 5) % 256, (unsigned) ((x + y) * 9) % 256);
        assert_pixel (&image, x, y, v, v, v);
      }
  vgg_image_clear (&image);
}

static void
test_png_rgba (void)
{
  VggImage image;

  test_load_image_fixture (&image, "rgba.png");
  for (int y = 0; y < 30; y++)
    for (int x = 0; x < 40; x++)
      {
        unsigned alpha = (unsigned) (x * 7 + y * 3) % 256;
        assert_pixel (&image, x, y, over_white ((unsigned) x * 6, alpha),
                      over_white ((unsigned) y * 8, alpha), over_white (128, alpha));
      }
  vgg_image_clear (&image);
}

static void
test_png_palette (void)
{
  VggImage image;

  test_load_image_fixture (&image, "palette.png");
  for (int y = 0; y < 30; y++)
    for (int x = 0; x < 40; x++)
      {
        unsigned i = (unsigned) (x / 4 + y / 4) % 16;
        unsigned alpha = i == 0 ? 0 : i == 1 ? 128 : 255;
        assert_pixel (&image, x, y, over_white (i * 16, alpha), over_white (255 - i * 16, alpha),
                      over_white ((i * 37) % 256, alpha));
      }
  vgg_image_clear (&image);
}

static void
test_png_16bit (void)
{
  VggImage image;

  test_load_image_fixture (&image, "rgb16.png");
  for (int y = 0; y < 30; y++)
    for (int x = 0; x < 40; x++)
      assert_pixel (&image, x, y, (unsigned) (x * 1500) >> 8, (unsigned) (y * 2000) >> 8,
                    (unsigned) (40000 + x) >> 8);
  vgg_image_clear (&image);
}

static void
test_png_interlaced (void)
{
  VggImage image;

  test_load_image_fixture (&image, "interlaced.png");
  for (int y = 0; y < 30; y++)
    for (int x = 0; x < 40; x++)
      assert_pixel (&image, x, y, (unsigned) x * 6, (unsigned) y * 8, (unsigned) (x * y) % 256);
  vgg_image_clear (&image);
}

static void
test_png_save (TestTempDir  *fixture,
               gconstpointer data)
{
  VggImage image = { 0 }, loaded;
  VggError error = { 0 };
  char *path = g_build_filename (fixture->dir, "saved.png", NULL);
  char *bad_path = g_build_filename (fixture->dir, "no-such-folder", "saved.png", NULL);
  guint8 pixels[7 * 5 * 3];

  for (size_t i = 0; i < sizeof pixels; i++)
    pixels[i] = (guint8) (i * 13);
  image.width = 7;
  image.height = 5;
  image.pixels = pixels;
  test_assert_ok (vgg_image_save_png (&image, path, &error), &error);
  test_assert_ok (vgg_image_load (&loaded, path, &error), &error);
  assert_same_image (&loaded, &image);
  vgg_image_clear (&loaded);

  g_assert_cmpint (vgg_image_save_png (&image, bad_path, &error), ==, VGG_STATUS_IO);
  g_assert_nonnull (strstr (error.message, bad_path));
  g_assert_false (g_file_test (bad_path, G_FILE_TEST_EXISTS));

  image.pixels = NULL;
  g_assert_cmpint (vgg_image_save_png (&image, path, &error), ==, VGG_STATUS_INVALID_ARGUMENT);
  g_free (path);
  g_free (bad_path);
}

/* ---------------------------------------------------------------------------------------------
 * JPEG
 */

static void
test_jpeg_exif_orientation (void)
{
  VggImage upright;

  /* The stored picture is 40 × 24; orientations 5–8 swap the sides. */
  for (int orientation = 1; orientation <= 8; orientation++)
    {
      char *name = g_strdup_printf ("exif-%d.jpg", orientation);
      char *expected = g_strdup_printf ("exif-%d-expected.png", orientation);
      VggImage image;

      g_test_message ("orientation %d", orientation);
      assert_matches_fixture (name, expected);
      test_load_image_fixture (&image, name);
      g_assert_cmpint (image.width, ==, orientation >= 5 ? 24 : 40);
      g_assert_cmpint (image.height, ==, orientation >= 5 ? 40 : 24);
      vgg_image_clear (&image);
      g_free (name);
      g_free (expected);
    }

  /* Orientation 6 is "rotate 90° clockwise to display": the stored top-left corner ends up
   * top-right. */
  {
    VggImage rotated;

    test_load_image_fixture (&upright, "exif-1.jpg");
    test_load_image_fixture (&rotated, "exif-6.jpg");
    g_assert_cmpmem (pixel_at (&upright, 0, 0), 3, pixel_at (&rotated, 23, 0), 3);
    g_assert_cmpmem (pixel_at (&upright, 39, 0), 3, pixel_at (&rotated, 23, 39), 3);
    g_assert_cmpmem (pixel_at (&upright, 0, 23), 3, pixel_at (&rotated, 0, 0), 3);
    vgg_image_clear (&rotated);
    vgg_image_clear (&upright);
  }
}

static void
test_jpeg_colour_spaces (void)
{
  VggImage image;

  assert_matches_fixture ("cmyk.jpg", "cmyk-expected.png");
  assert_matches_fixture ("grey.jpg", "grey-jpg-expected.png");
  assert_matches_fixture ("progressive.jpg", "progressive-expected.png");

  test_load_image_fixture (&image, "grey.jpg");
  for (int i = 0; i < image.width * image.height; i++)
    {
      g_assert_cmpint (image.pixels[i * 3], ==, image.pixels[i * 3 + 1]);
      g_assert_cmpint (image.pixels[i * 3], ==, image.pixels[i * 3 + 2]);
    }
  vgg_image_clear (&image);
}

/* A flat grey JPEG of @width × @height made with libjpeg, in memory. */
static guint8 *
encode_grey_jpeg (int            width,
                  int            height,
                  unsigned long *size)
{
  struct jpeg_compress_struct cinfo;
  struct jpeg_error_mgr errors;
  unsigned char *buffer = NULL;
  guint8 *row = g_malloc ((size_t) width);

  memset (row, 100, (size_t) width);
  cinfo.err = jpeg_std_error (&errors);
  jpeg_create_compress (&cinfo);
  jpeg_mem_dest (&cinfo, &buffer, size);
  cinfo.image_width = (JDIMENSION) width;
  cinfo.image_height = (JDIMENSION) height;
  cinfo.input_components = 1;
  cinfo.in_color_space = JCS_GRAYSCALE;
  jpeg_set_defaults (&cinfo);
  jpeg_start_compress (&cinfo, TRUE);
  while (cinfo.next_scanline < cinfo.image_height)
    {
      JSAMPROW rows[1] = { row };
      jpeg_write_scanlines (&cinfo, rows, 1);
    }
  jpeg_finish_compress (&cinfo);
  jpeg_destroy_compress (&cinfo);
  g_free (row);
  return buffer;
}

static void
test_jpeg_scaled (void)
{
  VggImage image;
  VggError error = { 0 };
  unsigned long size = 0;
  guint8 *bytes;

  /* 4200 × 4100 = 17.2 megapixels: above the 16 Mi target, so decoded at 1/2 */
  bytes = encode_grey_jpeg (4200, 4100, &size);
  test_assert_ok (vgg_image_load_memory (&image, bytes, size, &error), &error);
  g_assert_cmpint (image.width, ==, 2100);
  g_assert_cmpint (image.height, ==, 2050);
  assert_pixel (&image, 1000, 1000, 100, 100, 100);
  vgg_image_clear (&image);
  free (bytes);

  /* 4000 × 4000 = 16 megapixels: kept whole */
  bytes = encode_grey_jpeg (4000, 4000, &size);
  test_assert_ok (vgg_image_load_memory (&image, bytes, size, &error), &error);
  g_assert_cmpint (image.width, ==, 4000);
  g_assert_cmpint (image.height, ==, 4000);
  vgg_image_clear (&image);
  free (bytes);
}

/* ---------------------------------------------------------------------------------------------
 * Bad input
 */

static void
test_error_missing (TestTempDir  *fixture,
                    gconstpointer data)
{
  char *path = g_build_filename (fixture->dir, "missing.jpg", NULL);

  assert_load_fails (path, VGG_STATUS_IO, "No such file");
  assert_load_fails (fixture->dir, VGG_STATUS_IO, "folder");
  g_free (path);
}

static void
test_error_empty (TestTempDir  *fixture,
                  gconstpointer data)
{
  char *path = test_temp_dir_write (fixture, "empty.png", "", 0);
  VggImage image;
  VggError error = { 0 };

  assert_load_fails (path, VGG_STATUS_FORMAT, "empty");
  /* pictures in memory are called "image data" in messages */
  g_assert_cmpint (vgg_image_load_memory (&image, "", 0, &error), ==, VGG_STATUS_FORMAT);
  g_assert_cmpstr (error.message, ==, "image data: empty (0 bytes)");
  g_assert_cmpint (vgg_image_load_memory (&image, NULL, 0, &error), ==, VGG_STATUS_FORMAT);
  g_assert_cmpint (vgg_image_load_memory (&image, "PK\3\4", 4, &error), ==, VGG_STATUS_FORMAT);
  g_assert_cmpstr (error.message, ==,
                   "image data: not a JPEG, PNG, WebP, GIF, BMP or TIFF image");
  /* a GIF signature alone is a GIF cut short */
  g_assert_cmpint (vgg_image_load_memory (&image, "GIF89a", 6, &error), ==, VGG_STATUS_FORMAT);
  g_assert_nonnull (strstr (error.message, "truncated GIF"));
  g_free (path);
}

static void
test_error_not_an_image (TestTempDir  *fixture,
                         gconstpointer data)
{
  static const char text[] = "This is a text file, whatever its name says.\n";
  char *path = test_temp_dir_write (fixture, "photo.jpg", text, sizeof text - 1);
  char *short_path = test_temp_dir_write (fixture, "short.png", "\x89PN", 3);

  assert_load_fails (path, VGG_STATUS_FORMAT, "not a JPEG, PNG, WebP, GIF, BMP or TIFF image");
  assert_load_fails (short_path, VGG_STATUS_FORMAT,
                     "not a JPEG, PNG, WebP, GIF, BMP or TIFF image");
  g_free (path);
  g_free (short_path);
}

static void
test_error_truncated_jpeg (TestTempDir  *fixture,
                           gconstpointer data)
{
  size_t size;
  guint8 *bytes = read_fixture ("picture.jpg", &size);
  char *half = test_temp_dir_write (fixture, "half.jpg", bytes, size / 2);
  char *headers = test_temp_dir_write (fixture, "headers.jpg", bytes, 300);
  char *no_eoi = test_temp_dir_write (fixture, "no-eoi.jpg", bytes, size - 2);
  guint8 *progressive = read_fixture ("progressive.jpg", &size);
  char *progressive_half = test_temp_dir_write (fixture, "progressive-half.jpg", progressive,
                                                size / 2);
  assert_load_fails (half, VGG_STATUS_FORMAT, "truncated JPEG");
  assert_load_fails (headers, VGG_STATUS_FORMAT, "truncated JPEG");
  assert_load_fails (progressive_half, VGG_STATUS_FORMAT, "truncated JPEG");

  /* only the end-of-image marker missing: PIL refuses it as truncated, and so do we */
  assert_load_fails (no_eoi, VGG_STATUS_FORMAT, "truncated JPEG");

  g_free (bytes);
  g_free (progressive);
  g_free (half);
  g_free (headers);
  g_free (no_eoi);
  g_free (progressive_half);
}

/* Rewrites the height and width in the SOF0 segment of a baseline JPEG. */
static void
patch_jpeg_size (guint8  *bytes,
                 size_t   size,
                 unsigned width,
                 unsigned height)
{
  for (size_t i = 2; i + 9 < size; i++)
    if (bytes[i] == 0xFF && bytes[i + 1] == 0xC0)
      {
        bytes[i + 5] = (guint8) (height >> 8);
        bytes[i + 6] = (guint8) height;
        bytes[i + 7] = (guint8) (width >> 8);
        bytes[i + 8] = (guint8) width;
        return;
      }
  g_assert_not_reached ();
}

static void
test_error_huge_jpeg (TestTempDir  *fixture,
                      gconstpointer data)
{
  size_t size;
  guint8 *bytes = read_fixture ("picture.jpg", &size);
  char *path;
  gint64 start;

  /* A 60000 × 60000 header over 24 KB of data: refused at once, before any large
   * allocation (even at 1/8 scale it would be 7500 × 7500). */
  patch_jpeg_size (bytes, size, 60000, 60000);
  path = test_temp_dir_write (fixture, "huge.jpg", bytes, size);
  start = g_get_monotonic_time ();
  assert_load_fails (path, VGG_STATUS_FORMAT,
                     "truncated JPEG: the data is too short for a 60000 × 60000");
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
  g_free (path);

  /* Beyond libjpeg's 65500-pixel limit */
  patch_jpeg_size (bytes, size, 65535, 65535);
  path = test_temp_dir_write (fixture, "too-large.jpg", bytes, size);
  assert_load_fails (path, VGG_STATUS_TOO_LARGE, "JPEG too large");
  g_free (path);

  /* A zero size */
  patch_jpeg_size (bytes, size, 0, 100);
  path = test_temp_dir_write (fixture, "empty-size.jpg", bytes, size);
  assert_load_fails (path, VGG_STATUS_FORMAT, "invalid JPEG");
  g_free (path);

  g_free (bytes);
}

static guint32
crc32_of (const guint8 *bytes,
          size_t        size)
{
  guint32 crc = 0xFFFFFFFFu;

  for (size_t i = 0; i < size; i++)
    {
      crc ^= bytes[i];
      for (int k = 0; k < 8; k++)
        crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
  return crc ^ 0xFFFFFFFFu;
}

static void
put_be32 (guint8 *bytes,
          guint32 value)
{
  bytes[0] = (guint8) (value >> 24);
  bytes[1] = (guint8) (value >> 16);
  bytes[2] = (guint8) (value >> 8);
  bytes[3] = (guint8) value;
}

/* Rewrites the IHDR size of a PNG (IHDR always comes first, at byte 8) and its CRC. */
static void
patch_png_size (guint8 *bytes,
                guint32 width,
                guint32 height)
{
  g_assert_cmpmem (bytes + 12, 4, "IHDR", 4);
  put_be32 (bytes + 16, width);
  put_be32 (bytes + 20, height);
  put_be32 (bytes + 29, crc32_of (bytes + 12, 17));
}

static void
test_error_truncated_png (TestTempDir  *fixture,
                          gconstpointer data)
{
  size_t size;
  guint8 *bytes = read_fixture ("picture.png", &size);
  char *half = test_temp_dir_write (fixture, "half.png", bytes, size / 2);
  char *signature = test_temp_dir_write (fixture, "signature.png", bytes, 8);
  char *corrupt;

  assert_load_fails (half, VGG_STATUS_FORMAT, "truncated PNG");
  assert_load_fails (signature, VGG_STATUS_FORMAT, "truncated PNG");

  /* a flipped bit in the pixel data: the chunk's CRC no longer matches */
  bytes[size / 2] ^= 0x10;
  corrupt = test_temp_dir_write (fixture, "corrupt.png", bytes, size);
  assert_load_fails (corrupt, VGG_STATUS_FORMAT, "invalid PNG");

  g_free (bytes);
  g_free (half);
  g_free (signature);
  g_free (corrupt);
}

static void
test_error_huge_png (TestTempDir  *fixture,
                     gconstpointer data)
{
  size_t size;
  guint8 *bytes = read_fixture ("grey.png", &size);
  char *path;

  /* 100000 × 100000: 10 gigapixels, refused from the header */
  patch_png_size (bytes, 100000, 100000);
  path = test_temp_dir_write (fixture, "huge.png", bytes, size);
  assert_load_fails (path, VGG_STATUS_TOO_LARGE, "PNG too large");
  g_free (path);

  /* 16000 × 16000 is within the pixel limit, but 87 bytes cannot hold it */
  patch_png_size (bytes, 16000, 16000);
  path = test_temp_dir_write (fixture, "short.png", bytes, size);
  assert_load_fails (path, VGG_STATUS_FORMAT, "truncated PNG");
  g_free (path);

  /* beyond what the PNG specification allows (2^31 − 1) */
  patch_png_size (bytes, 0x80000000u, 1);
  path = test_temp_dir_write (fixture, "invalid.png", bytes, size);
  assert_load_fails (path, VGG_STATUS_FORMAT, "invalid PNG");
  g_free (path);

  g_free (bytes);
}

/* Above 16 megapixels a plain PNG is decoded at a power-of-two scale, each pixel the mean of
 * its box; up to 16 megapixels it is exact (the other PNG tests). */
static void
test_png_scaled (TestTempDir  *fixture,
                 gconstpointer data)
{
  VggImage big = { 0 }, loaded = { 0 };
  VggError error = { 0 };
  const int width = 8192, height = 2051;   /* 16.8 megapixels: 1/2 scale, a ragged last row */
  g_autofree char *path = g_build_filename (fixture->dir, "big.png", NULL);

  (void) data;
  big.width = width;
  big.height = height;
  big.pixels = g_malloc ((size_t) width * height * 3);
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      for (int c = 0; c < 3; c++)
        big.pixels[((size_t) y * width + x) * 3 + c] = (uint8_t) ((x * 7 + y * 13 + c * 50) & 255);
  g_assert_cmpint (vgg_image_save_png (&big, path, &error), ==, VGG_STATUS_OK);
  g_assert_cmpint (vgg_image_load (&loaded, path, &error), ==, VGG_STATUS_OK);
  g_assert_cmpint (loaded.width, ==, width / 2);
  g_assert_cmpint (loaded.height, ==, (height + 1) / 2);
  for (int oy = 0; oy < loaded.height; oy++)
    for (int ox = 0; ox < loaded.width; ox += 97)
      for (int c = 0; c < 3; c++)
        {
          unsigned sum = 0, n = 0;

          for (int y = oy * 2; y < MIN (oy * 2 + 2, height); y++)
            for (int x = ox * 2; x < ox * 2 + 2; x++, n++)
              sum += big.pixels[((size_t) y * width + x) * 3 + c];
          g_assert_cmpuint (loaded.pixels[((size_t) oy * loaded.width + ox) * 3 + c], ==,
                            (sum + n / 2) / n);
        }
  vgg_image_clear (&loaded);
  g_free (big.pixels);
}

/* ---------------------------------------------------------------------------------------------
 * WebP, GIF, BMP, TIFF: tools/gen-picture-formats.py made each fixture formats/X.ext with PIL
 * and stored PIL's decoding of it (alpha over white) as formats/X-ext-expected.png.
 */

static void
assert_format_fixture (const char *file)
{
  char *name = g_build_filename ("formats", file, NULL);
  char *stem = g_strdelimit (g_strdup (file), ".", '-');
  char *expected = g_strdup_printf ("formats/%s-expected.png", stem);
  VggImage image, from_memory;
  VggError error = { 0 };
  guint8 *bytes;
  size_t size;

  g_test_message ("%s against PIL's decoding", name);
  assert_matches_fixture (name, expected);
  /* the same bytes from memory */
  test_load_image_fixture (&image, name);
  bytes = read_fixture (name, &size);
  test_assert_ok (vgg_image_load_memory (&from_memory, bytes, size, &error), &error);
  assert_same_image (&from_memory, &image);
  vgg_image_clear (&from_memory);
  vgg_image_clear (&image);
  g_free (bytes);
  g_free (name);
  g_free (stem);
  g_free (expected);
}

static void
test_webp (void)
{
  VggImage image;

  assert_format_fixture ("picture.webp");         /* lossy */
  assert_format_fixture ("lossless.webp");
  assert_format_fixture ("rgba.webp");            /* lossless with alpha */
  assert_format_fixture ("rgba-lossy.webp");      /* lossy with alpha */
  assert_format_fixture ("animated.webp");        /* first frame */

  /* the lossless one keeps every pixel: compare with the formula, alpha over white */
  test_load_image_fixture (&image, "formats/rgba.webp");
  for (int y = 0; y < 30; y++)
    for (int x = 0; x < 40; x++)
      {
        unsigned alpha = (unsigned) (x * 7 + y * 3) % 256;
        assert_pixel (&image, x, y, over_white ((unsigned) x * 6, alpha),
                      over_white ((unsigned) y * 8, alpha), over_white (128, alpha));
      }
  vgg_image_clear (&image);
  /* the animation's first frame is the picture, not the green second frame */
  test_load_image_fixture (&image, "formats/animated.webp");
  g_assert_cmpint (image.width, ==, 90);
  g_assert_cmpint (image.height, ==, 68);
  vgg_image_clear (&image);
}

static void
test_gif (void)
{
  VggImage image;

  assert_format_fixture ("palette.gif");
  assert_format_fixture ("interlaced.gif");
  assert_format_fixture ("transparent.gif");
  assert_format_fixture ("picture.gif");
  assert_format_fixture ("animated.gif");

  /* index 0 is transparent: white; the others are the palette's colours */
  test_load_image_fixture (&image, "formats/transparent.gif");
  for (int y = 0; y < 30; y++)
    for (int x = 0; x < 40; x++)
      {
        unsigned i = (unsigned) (x / 4 + y / 4) % 16;

        if (i == 0)
          assert_pixel (&image, x, y, 255, 255, 255);
        else
          assert_pixel (&image, x, y, i * 16, 255 - i * 16, (i * 37) % 256);
      }
  vgg_image_clear (&image);
}

static void
test_bmp (void)
{
  VggImage image;

  assert_format_fixture ("picture.bmp");   /* 24-bit */
  assert_format_fixture ("palette.bmp");   /* 8-bit palette */
  assert_format_fixture ("bilevel.bmp");   /* 1 bit a pixel */
  assert_format_fixture ("grey.bmp");      /* 8-bit grey palette */

  test_load_image_fixture (&image, "formats/grey.bmp");
  for (int y = 0; y < 30; y++)
    for (int x = 0; x < 40; x++)
      {
        unsigned v = (unsigned) (x * 3 + y * 5) % 256;
        assert_pixel (&image, x, y, v, v, v);
      }
  vgg_image_clear (&image);
}

static void
test_tiff (void)
{
  VggImage image;

  assert_format_fixture ("picture.tif");
  assert_format_fixture ("lzw.tif");
  assert_format_fixture ("rgba.tif");      /* unassociated alpha */
  assert_format_fixture ("palette.tif");
  assert_format_fixture ("grey.tif");
  assert_format_fixture ("rgb16.tif");     /* 16-bit samples: their high byte */

  test_load_image_fixture (&image, "formats/rgb16.tif");
  for (int y = 0; y < 30; y++)
    for (int x = 0; x < 40; x++)
      assert_pixel (&image, x, y, (unsigned) (x * 1500) >> 8, (unsigned) (y * 2000) >> 8,
                    (unsigned) (40000 + x) >> 8);
  vgg_image_clear (&image);
}

/* Cuts fixture @file to @length bytes (or flips a byte at @flip, if ≥ 0) and expects the load
 * to fail with @status and @words. */
static void
assert_damaged_fails (TestTempDir *fixture,
                      const char  *file,
                      size_t       length,
                      gssize       flip,
                      VggStatus    status,
                      const char  *words)
{
  char *name = g_build_filename ("formats", file, NULL);
  size_t size;
  guint8 *bytes = read_fixture (name, &size);
  char *damaged_name;
  char *path;

  length = MIN (length, size);
  damaged_name = g_strdup_printf ("damaged-%zu-%zd-%s", length, flip, file);

  if (flip >= 0)
    bytes[flip] ^= 0xFF;
  path = test_temp_dir_write (fixture, damaged_name, bytes, length);
  assert_load_fails (path, status, words);
  g_free (path);
  g_free (damaged_name);
  g_free (bytes);
  g_free (name);
}

static void
test_error_damaged_formats (TestTempDir  *fixture,
                            gconstpointer data)
{
  static const char *files[] = {
    "picture.webp", "lossless.webp", "animated.webp", "picture.gif", "interlaced.gif",
    "picture.bmp", "palette.bmp", "picture.tif", "lzw.tif", "palette.tif",
  };
  static const char *kinds[] = { "WebP", "WebP", "WebP", "GIF", "GIF", "BMP", "BMP", "TIFF",
                                 "TIFF", "TIFF" };

  for (size_t i = 0; i < G_N_ELEMENTS (files); i++)
    {
      char *path = test_fixture_path ("images", "formats", files[i], NULL);
      char *truncated = g_strdup_printf ("truncated %s", kinds[i]);
      GStatBuf st;

      g_assert_cmpint (g_stat (path, &st), ==, 0);
      /* cut in half, and cut just after the signature */
      assert_damaged_fails (fixture, files[i], (size_t) st.st_size / 2, -1, VGG_STATUS_FORMAT,
                            truncated);
      assert_damaged_fails (fixture, files[i], 16, -1, VGG_STATUS_FORMAT, kinds[i]);
      g_free (truncated);
      g_free (path);
    }

  /* corrupt, not short: a WebP whose VP8 chunk tag is broken, a GIF whose LZW code size is
   * impossible, a TIFF whose first directory points past the end, a BMP header of 7 bytes */
  assert_damaged_fails (fixture, "picture.webp", G_MAXSIZE, 12, VGG_STATUS_FORMAT,
                        "invalid WebP");
  assert_damaged_fails (fixture, "lzw.tif", G_MAXSIZE, 4, VGG_STATUS_FORMAT, "TIFF");
  assert_damaged_fails (fixture, "palette.bmp", G_MAXSIZE, 14, VGG_STATUS_UNSUPPORTED,
                        "unsupported BMP");
}

/* Puts @value little-endian at @p. */
static void
put_le32 (guint8  *p,
          guint32  value)
{
  for (int i = 0; i < 4; i++)
    p[i] = (guint8) (value >> (8 * i));
}

static void
test_error_huge_formats (TestTempDir  *fixture,
                         gconstpointer data)
{
  size_t size;
  guint8 *bytes;
  char *path;

  /* BMP: 100000 × 100000 in the header, refused before anything is allocated */
  bytes = read_fixture ("formats/palette.bmp", &size);
  put_le32 (bytes + 18, 100000);
  put_le32 (bytes + 22, 100000);
  path = test_temp_dir_write (fixture, "huge.bmp", bytes, size);
  assert_load_fails (path, VGG_STATUS_TOO_LARGE, "BMP too large");
  g_free (path);
  /* within the limit, but far more rows than the file holds */
  put_le32 (bytes + 18, 10000);
  put_le32 (bytes + 22, 10000);
  path = test_temp_dir_write (fixture, "short.bmp", bytes, size);
  assert_load_fails (path, VGG_STATUS_FORMAT, "truncated BMP");
  g_free (path);
  g_free (bytes);

  /* GIF: a 65535 × 65535 logical screen (4 gigapixels) */
  bytes = read_fixture ("formats/palette.gif", &size);
  bytes[6] = bytes[7] = bytes[8] = bytes[9] = 0xFF;
  path = test_temp_dir_write (fixture, "huge.gif", bytes, size);
  assert_load_fails (path, VGG_STATUS_TOO_LARGE, "GIF too large");
  g_free (path);
  g_free (bytes);

  /* TIFF: ImageWidth and ImageLength (the first two entries PIL writes, LONG or SHORT) */
  bytes = read_fixture ("formats/rgb16.tif", &size);
  put_le32 (bytes + 8 + 2 + 8, 100000);
  put_le32 (bytes + 8 + 2 + 12 + 8, 100000);
  path = test_temp_dir_write (fixture, "huge.tif", bytes, size);
  assert_load_fails (path, VGG_STATUS_TOO_LARGE, "TIFF too large");
  g_free (path);
  g_free (bytes);
}

static void
test_arguments (void)
{
  VggImage image;
  VggError error = { 0 };

  g_assert_cmpint (vgg_image_load (NULL, "x.png", &error), ==, VGG_STATUS_INVALID_ARGUMENT);
  g_assert_cmpint (vgg_image_load (&image, NULL, NULL), ==, VGG_STATUS_INVALID_ARGUMENT);
  g_assert_cmpint (vgg_image_load_memory (&image, NULL, 5, &error), ==,
                   VGG_STATUS_INVALID_ARGUMENT);
  vgg_image_clear (NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/image/png/rgb", test_png_rgb);
  g_test_add_func ("/image/png/grey", test_png_grey);
  g_test_add_func ("/image/png/grey-alpha", test_png_grey_alpha);
  g_test_add_func ("/image/png/rgba", test_png_rgba);
  g_test_add_func ("/image/png/palette", test_png_palette);
  g_test_add_func ("/image/png/16-bit", test_png_16bit);
  g_test_add_func ("/image/png/interlaced", test_png_interlaced);
  g_test_add ("/image/png/save", TestTempDir, NULL, test_temp_dir_setup, test_png_save,
              test_temp_dir_teardown);
  g_test_add ("/image/png/scaled", TestTempDir, NULL, test_temp_dir_setup, test_png_scaled,
              test_temp_dir_teardown);
  g_test_add_func ("/image/jpeg/exif-orientation", test_jpeg_exif_orientation);
  g_test_add_func ("/image/jpeg/colour-spaces", test_jpeg_colour_spaces);
  g_test_add_func ("/image/jpeg/scaled", test_jpeg_scaled);
  g_test_add ("/image/error/missing", TestTempDir, NULL, test_temp_dir_setup, test_error_missing,
              test_temp_dir_teardown);
  g_test_add ("/image/error/empty", TestTempDir, NULL, test_temp_dir_setup, test_error_empty,
              test_temp_dir_teardown);
  g_test_add ("/image/error/not-an-image", TestTempDir, NULL, test_temp_dir_setup,
              test_error_not_an_image, test_temp_dir_teardown);
  g_test_add ("/image/error/truncated-jpeg", TestTempDir, NULL, test_temp_dir_setup,
              test_error_truncated_jpeg, test_temp_dir_teardown);
  g_test_add ("/image/error/huge-jpeg", TestTempDir, NULL, test_temp_dir_setup,
              test_error_huge_jpeg, test_temp_dir_teardown);
  g_test_add ("/image/error/truncated-png", TestTempDir, NULL, test_temp_dir_setup,
              test_error_truncated_png, test_temp_dir_teardown);
  g_test_add ("/image/error/huge-png", TestTempDir, NULL, test_temp_dir_setup, test_error_huge_png,
              test_temp_dir_teardown);
  g_test_add_func ("/image/webp", test_webp);
  g_test_add_func ("/image/gif", test_gif);
  g_test_add_func ("/image/bmp", test_bmp);
  g_test_add_func ("/image/tiff", test_tiff);
  g_test_add ("/image/error/damaged-formats", TestTempDir, NULL, test_temp_dir_setup,
              test_error_damaged_formats, test_temp_dir_teardown);
  g_test_add ("/image/error/huge-formats", TestTempDir, NULL, test_temp_dir_setup,
              test_error_huge_formats, test_temp_dir_teardown);
  g_test_add_func ("/image/arguments", test_arguments);

  return g_test_run ();
}
