/* test-util.c — helpers shared by the tests
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "test-util.h"

#include <glib/gstdio.h>
#include <math.h>
#include <stdarg.h>
#include <string.h>

char *
test_fixture_path (const char *first_part,
                   ...)
{
  GPtrArray *parts = g_ptr_array_new ();
  const char *part;
  char *path;
  va_list args;

  g_ptr_array_add (parts, (gpointer) g_test_get_dir (G_TEST_DIST));
  g_ptr_array_add (parts, (gpointer) "fixtures");
  va_start (args, first_part);
  for (part = first_part; part != NULL; part = va_arg (args, const char *))
    g_ptr_array_add (parts, (gpointer) part);
  va_end (args);
  g_ptr_array_add (parts, NULL);
  path = g_build_filenamev ((char **) parts->pdata);
  g_ptr_array_unref (parts);
  return path;
}

void
test_load_image_fixture (VggImage   *image,
                         const char *name)
{
  g_autofree char *path = test_fixture_path ("images", name, NULL);
  VggError error = { 0 };

  test_assert_ok (vgg_image_load (image, path, &error), &error);
}

void
test_load_npy_fixture (VggNpy     *npy,
                       const char *name)
{
  g_autofree char *path = test_fixture_path ("images", name, NULL);
  VggError error = { 0 };

  test_assert_ok (vgg_npy_load (npy, path, &error), &error);
}

void
test_temp_dir_setup (TestTempDir   *tmp,
                     gconstpointer  data)
{
  g_autofree char *program = g_path_get_basename (g_get_prgname () ? g_get_prgname () : "test");
  g_autofree char *template = g_strdup_printf ("vgg-%s-XXXXXX", program);
  GError *error = NULL;

  tmp->dir = g_dir_make_tmp (template, &error);
  g_assert_no_error (error);
  tmp->serial = 0;
}

void
test_temp_dir_teardown (TestTempDir   *tmp,
                        gconstpointer  data)
{
  GDir *dir = g_dir_open (tmp->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (tmp->dir, name, NULL);
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        g_rmdir (path);
      else
        g_unlink (path);
    }
  if (dir != NULL)
    g_dir_close (dir);
  g_rmdir (tmp->dir);
  g_free (tmp->dir);
}

char *
test_temp_dir_write (TestTempDir *tmp,
                     const char  *name,
                     const void  *bytes,
                     gssize       size)
{
  char *path = g_build_filename (tmp->dir, name, NULL);
  GError *error = NULL;

  g_file_set_contents (path, bytes, size, &error);
  g_assert_no_error (error);
  return path;
}

void
test_remove_tree (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          test_remove_tree (child);
        }
      g_dir_close (dir);
    }
  g_remove (path);
}

double
test_max_abs_diff (const float *a,
                   const float *b,
                   size_t       count)
{
  double max = 0.0;

  for (size_t i = 0; i < count; i++)
    {
      double d = fabs ((double) a[i] - (double) b[i]);
      if (d > max || isnan (d))
        max = isnan (d) ? INFINITY : d;
    }
  return max;
}

double
test_max_abs (const float *a,
              size_t       count)
{
  double max = 0.0;

  for (size_t i = 0; i < count; i++)
    if (fabs ((double) a[i]) > max)
      max = fabs ((double) a[i]);
  return max;
}

void
test_assert_load_refused (const char *dir,
                          const char *file_name,
                          VggStatus   status,
                          const char *first_part,
                          const char *second_part)
{
  g_autofree char *path = test_fixture_path (dir, file_name, NULL);
  VggModel *model = NULL;
  VggError error = { 0 };
  VggStatus got = test_model_load (&model, path, &error);

  g_test_message ("%s: %s", file_name, error.message);
  g_assert_cmpint (got, ==, status);
  g_assert_null (model);
  g_assert_nonnull (strstr (error.message, path));
  g_assert_nonnull (strstr (error.message, first_part));
  if (second_part != NULL)
    g_assert_nonnull (strstr (error.message, second_part));
}

const VggLoadOptions *
test_load_options (void)
{
  static VggLoadOptions options;
  static gsize initialised;

  if (g_once_init_enter (&initialised))
    {
      options.cache_dir = g_getenv ("VGG_SCOPE_CACHE_DIR");
      options.h5_reader = g_getenv ("VGG_SCOPE_H5_READER");
      g_once_init_leave (&initialised, 1);
    }
  return &options;
}

VggStatus
test_model_load (VggModel   **model,
                 const char  *path,
                 VggError    *error)
{
  return vgg_model_load_with_options (model, path, test_load_options (), error);
}
