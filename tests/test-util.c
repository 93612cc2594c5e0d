/* test-util.c — helpers shared by the tests
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "test-util.h"

#include <math.h>
#include <stdarg.h>

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
