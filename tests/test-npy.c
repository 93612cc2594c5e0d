/* test-npy.c — .npy round trips, files written by NumPy, and broken files
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "test-engine-util.h"
#include "vgg.h"

/* A version 1.0 file with header text @dict (padded as NumPy does) and @data_size bytes of
 * data. */
static char *
write_npy (TestTempDir *fixture,
           const char  *name,
           const char  *dict,
           size_t       data_size)
{
  GByteArray *bytes = g_byte_array_new ();
  size_t length = strlen (dict), padded = (10 + length + 1 + 63) / 64 * 64;
  guint8 prefix[10] = { 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0 };
  char *path;

  prefix[8] = (guint8) ((padded - 10) & 0xFF);
  prefix[9] = (guint8) ((padded - 10) >> 8);
  g_byte_array_append (bytes, prefix, 10);
  g_byte_array_append (bytes, (const guint8 *) dict, (guint) length);
  while (bytes->len < padded - 1)
    g_byte_array_append (bytes, (const guint8 *) " ", 1);
  g_byte_array_append (bytes, (const guint8 *) "\n", 1);
  for (size_t i = 0; i < data_size; i++)
    g_byte_array_append (bytes, (const guint8 *) "\0", 1);
  path = test_temp_dir_write (fixture, name, bytes->data, bytes->len);
  g_byte_array_unref (bytes);
  return path;
}

static void
assert_load_fails (const char *path,
                   VggStatus   status,
                   const char *words)
{
  VggNpy npy;
  VggError error = { 0 };
  VggStatus found = vgg_npy_load (&npy, path, &error);

  g_test_message ("%s → %s: %s", path, vgg_status_string (found), error.message);
  g_assert_cmpint (found, ==, status);
  g_assert_nonnull (strstr (error.message, path));
  if (words != NULL)
    g_assert_nonnull (strstr (error.message, words));
  g_assert_null (npy.data);
  g_assert_cmpuint (npy.count, ==, 0);
}

static void
test_round_trip (TestTempDir  *fixture,
                 gconstpointer data)
{
  const int64_t shapes[][3] = { { 2, 3, 4 }, { 7, 0, 0 }, { 0, 0, 0 } };
  const int ndims[] = { 3, 1, 0 };

  for (size_t n = 0; n < G_N_ELEMENTS (ndims); n++)
    {
      char *path = g_build_filename (fixture->dir, "round-trip.npy", NULL);
      size_t count = 1;
      float *values;
      VggNpy npy;
      VggError error = { 0 };
      char *contents = NULL;
      gsize length = 0;
      size_t header;

      for (int d = 0; d < ndims[n]; d++)
        count *= (size_t) shapes[n][d];
      values = g_new (float, count);
      for (size_t i = 0; i < count; i++)
        values[i] = (float) i * 0.25f - 1.5f;

      test_assert_ok (vgg_npy_save (path, values, ndims[n], shapes[n], &error), &error);

      /* NumPy's layout: version 1.0, data aligned to 64 bytes, header ending in '\n' */
      g_file_get_contents (path, &contents, &length, NULL);
      g_assert_cmpmem (contents, 8, "\x93NUMPY\x01\x00", 8);
      header = (guint8) contents[8] | (size_t) (guint8) contents[9] << 8;
      g_assert_cmpuint ((10 + header) % 64, ==, 0);
      g_assert_cmpint (contents[10 + header - 1], ==, '\n');
      g_assert_cmpuint (length, ==, 10 + header + count * sizeof (float));
      g_test_message ("header: %.*s", (int) header - 1, contents + 10);
      if (ndims[n] == 1)
        g_assert_nonnull (strstr (contents + 10, "'shape': (7,)"));
      if (ndims[n] == 0)
        g_assert_nonnull (strstr (contents + 10, "'shape': ()"));
      g_free (contents);

      test_assert_ok (vgg_npy_load (&npy, path, &error), &error);
      g_assert_cmpint (npy.ndim, ==, ndims[n]);
      for (int d = 0; d < ndims[n]; d++)
        g_assert_cmpint (npy.shape[d], ==, shapes[n][d]);
      g_assert_cmpuint (npy.count, ==, count);
      g_assert_cmpmem (npy.data, count * sizeof (float), values, count * sizeof (float));
      vgg_npy_clear (&npy);
      vgg_npy_clear (&npy);   /* twice is harmless */
      g_free (values);
      g_free (path);
    }
}

static void
test_numpy_files (void)
{
  const char *names[] = { "numpy-f4.npy", "numpy-f8.npy", "numpy-v2.npy" };
  VggNpy npy;

  /* np.arange(24).reshape(2, 3, 4) * 0.5 − 3, as float32, float64 and format 2.0 */
  for (size_t n = 0; n < G_N_ELEMENTS (names); n++)
    {
      test_load_npy_fixture (&npy, names[n]);
      g_assert_cmpint (npy.ndim, ==, 3);
      g_assert_cmpint (npy.shape[0], ==, 2);
      g_assert_cmpint (npy.shape[1], ==, 3);
      g_assert_cmpint (npy.shape[2], ==, 4);
      g_assert_cmpuint (npy.count, ==, 24);
      for (int i = 0; i < 24; i++)
        g_assert_cmpfloat (npy.data[i], ==, (float) i * 0.5f - 3.0f);
      vgg_npy_clear (&npy);
    }

  test_load_npy_fixture (&npy, "numpy-u1.npy");
  g_assert_cmpint (npy.ndim, ==, 2);
  g_assert_cmpint (npy.shape[0], ==, 3);
  g_assert_cmpint (npy.shape[1], ==, 2);
  for (int i = 0; i < 6; i++)
    g_assert_cmpfloat (npy.data[i], ==, (float) (i * 40));
  vgg_npy_clear (&npy);

  test_load_npy_fixture (&npy, "numpy-scalar.npy");
  g_assert_cmpint (npy.ndim, ==, 0);
  g_assert_cmpuint (npy.count, ==, 1);
  g_assert_cmpfloat (npy.data[0], ==, 2.5f);
  vgg_npy_clear (&npy);
}

static void
test_unsupported (void)
{
  char *fortran = test_fixture_path ("images", "numpy-fortran.npy", NULL);
  char *int64 = test_fixture_path ("images", "numpy-i8.npy", NULL);

  assert_load_fails (fortran, VGG_STATUS_UNSUPPORTED, "Fortran order");
  assert_load_fails (int64, VGG_STATUS_UNSUPPORTED, "'<i8'");
  g_free (fortran);
  g_free (int64);
}

static void
test_bad_files (TestTempDir  *fixture,
                gconstpointer data)
{
  static const guint8 not_npy[] = "PK\x03\x04 not a numpy file";
  static const guint8 short_prefix[] = { 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, 0x40 };
  static const guint8 long_header[] = { 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, 0xF0, 0x00, '{' };
  static const guint8 version_9[] = { 0x93, 'N', 'U', 'M', 'P', 'Y', 9, 0, 0x00, 0x00 };
  static const guint8 huge_v2[] = { 0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0, 0xFF, 0xFF, 0xFF, 0x7F };
  const char *f4 = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
  char *path = g_build_filename (fixture->dir, "missing.npy", NULL);

  assert_load_fails (path, VGG_STATUS_IO, "No such file");
  g_free (path);

#define BAD_BYTES(name, bytes, size, status, words)                                     \
  G_STMT_START {                                                                       \
    char *bad_ = test_temp_dir_write (fixture, name, bytes, size);                              \
    assert_load_fails (bad_, status, words);                                           \
    g_free (bad_);                                                                     \
  } G_STMT_END
#define BAD_DICT(name, dict, data_size, status, words)                                 \
  G_STMT_START {                                                                       \
    char *bad_ = write_npy (fixture, name, dict, data_size);                           \
    assert_load_fails (bad_, status, words);                                           \
    g_free (bad_);                                                                     \
  } G_STMT_END

  BAD_BYTES ("empty.npy", "", 0, VGG_STATUS_FORMAT, "not a NumPy .npy file");
  BAD_BYTES ("zip.npy", not_npy, sizeof not_npy - 1, VGG_STATUS_FORMAT, "not a NumPy");
  BAD_BYTES ("short.npy", short_prefix, sizeof short_prefix, VGG_STATUS_FORMAT, NULL);
  BAD_BYTES ("cut-header.npy", long_header, sizeof long_header, VGG_STATUS_FORMAT,
             "truncated .npy header");
  BAD_BYTES ("version-9.npy", version_9, sizeof version_9, VGG_STATUS_UNSUPPORTED,
             "version 9.0");
  BAD_BYTES ("huge-header.npy", huge_v2, sizeof huge_v2, VGG_STATUS_FORMAT, "too long");

  /* the data must be exactly what the shape says */
  BAD_DICT ("truncated.npy", f4, 23, VGG_STATUS_FORMAT, "truncated .npy data");
  BAD_DICT ("oversized.npy", f4, 25, VGG_STATUS_FORMAT, "oversized .npy data");
  BAD_DICT ("no-data.npy", f4, 0, VGG_STATUS_FORMAT, "needs 24 bytes");

  /* headers */
  BAD_DICT ("not-dict.npy", "[1, 2]", 0, VGG_STATUS_FORMAT, "not a dict");
  BAD_DICT ("no-shape.npy", "{'descr': '<f4', 'fortran_order': False, }", 4, VGG_STATUS_FORMAT,
            "lacks");
  BAD_DICT ("repeated.npy",
            "{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (), }", 4,
            VGG_STATUS_FORMAT, "repeated");
  BAD_DICT ("unknown-key.npy",
            "{'descr': '<f4', 'fortran_order': False, 'shape': (), 'extra': 1}", 4,
            VGG_STATUS_FORMAT, "unexpected");
  BAD_DICT ("negative.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }", 4,
            VGG_STATUS_FORMAT, "'shape'");
  BAD_DICT ("nine-dims.npy",
            "{'descr': '<f4', 'fortran_order': False, 'shape': (1,1,1,1,1,1,1,1,1), }", 4,
            VGG_STATUS_FORMAT, "at most 8");
  BAD_DICT ("overflow.npy",
            "{'descr': '<f4', 'fortran_order': False, "
            "'shape': (4611686018427387903, 4611686018427387903), }", 4,
            VGG_STATUS_FORMAT, "overflows");
  BAD_DICT ("too-big.npy",
            "{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,), }", 4,
            VGG_STATUS_FORMAT, "'shape'");
  BAD_DICT ("unterminated.npy", "{'descr': '<f4", 4, VGG_STATUS_FORMAT, "'descr'");
  BAD_DICT ("structured.npy",
            "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }", 4,
            VGG_STATUS_FORMAT, "structured");
  BAD_DICT ("big-endian.npy", "{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }", 4,
            VGG_STATUS_UNSUPPORTED, "'>f4'");
  BAD_DICT ("trailing.npy",
            "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), } junk", 4,
            VGG_STATUS_FORMAT, "extra text");

  /* a NUL inside the header */
  {
    char dict[] = "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }";
    char *bad = write_npy (fixture, "nul.npy", dict, 4);
    char *contents;
    gsize length;

    g_file_get_contents (bad, &contents, &length, NULL);
    contents[12] = '\0';
    g_file_set_contents (bad, contents, (gssize) length, NULL);
    assert_load_fails (bad, VGG_STATUS_FORMAT, "invalid .npy header");
    g_free (contents);
    g_free (bad);
  }
#undef BAD_BYTES
#undef BAD_DICT
}

static void
test_save_errors (TestTempDir  *fixture,
                  gconstpointer data)
{
  char *path = g_build_filename (fixture->dir, "no-such-folder", "x.npy", NULL);
  char *good = g_build_filename (fixture->dir, "x.npy", NULL);
  const int64_t shape[9] = { 1, 1, 1, 1, 1, 1, 1, 1, 1 };
  const int64_t negative[1] = { -2 };
  float value = 1.0f;
  VggError error = { 0 };

  g_assert_cmpint (vgg_npy_save (path, &value, 1, shape, &error), ==, VGG_STATUS_IO);
  g_assert_nonnull (strstr (error.message, path));
  g_assert_cmpint (vgg_npy_save (good, &value, 9, shape, &error), ==,
                   VGG_STATUS_INVALID_ARGUMENT);
  g_assert_cmpint (vgg_npy_save (good, &value, 1, negative, &error), ==,
                   VGG_STATUS_INVALID_ARGUMENT);
  g_assert_cmpint (vgg_npy_save (good, NULL, 1, shape, &error), ==,
                   VGG_STATUS_INVALID_ARGUMENT);
  g_assert_false (g_file_test (good, G_FILE_TEST_EXISTS));
  g_free (path);
  g_free (good);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/npy/round-trip", TestTempDir, NULL, test_temp_dir_setup, test_round_trip,
              test_temp_dir_teardown);
  g_test_add_func ("/npy/numpy-files", test_numpy_files);
  g_test_add_func ("/npy/unsupported", test_unsupported);
  g_test_add ("/npy/bad-files", TestTempDir, NULL, test_temp_dir_setup, test_bad_files,
              test_temp_dir_teardown);
  g_test_add ("/npy/save-errors", TestTempDir, NULL, test_temp_dir_setup, test_save_errors,
              test_temp_dir_teardown);

  return g_test_run ();
}
