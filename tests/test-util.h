/* test-util.h — helpers shared by the tests
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "vgg.h"

/* The path of a file under tests/fixtures (from G_TEST_SRCDIR); free with g_free. */
char *test_fixture_path (const char *first_part, ...) G_GNUC_NULL_TERMINATED;

/* Loads the picture / the .npy file tests/fixtures/images/@name, asserting it works. */
void test_load_image_fixture (VggImage *image, const char *name);
void test_load_npy_fixture (VggNpy *npy, const char *name);

/* The load options every test uses: the conversion cache folder and the HDF5 reader program
 * tests/meson.build names in VGG_SCOPE_CACHE_DIR and VGG_SCOPE_H5_READER (the engine reads
 * no environment; the tests do, here). */
const VggLoadOptions *test_load_options (void);
/* vgg_model_load_with_options() with test_load_options(). */
VggStatus test_model_load (VggModel **model, const char *path, VggError *error);
/* Asserts @status is VGG_STATUS_OK, printing the engine's message otherwise. */
#define test_assert_ok(status, error)                                                  \
  G_STMT_START {                                                                       \
    VggStatus test_status_ = (status);                                                 \
    if (test_status_ != VGG_STATUS_OK)                                                 \
      g_error ("%s:%d: expected success, got %s: %s", __FILE__, __LINE__,              \
               vgg_status_string (test_status_), (error)->message);                    \
  } G_STMT_END

/* A fresh temporary folder for one test, as a GTest fixture: add a case with
 * g_test_add (path, TestTempDir, NULL, test_temp_dir_setup, func, test_temp_dir_teardown).
 * The teardown removes the folder with the files and empty folders in it. */
typedef struct
{
  char *dir;
  int   serial;   /* for the caller's numbered file names; 0 after setup */
} TestTempDir;

void  test_temp_dir_setup    (TestTempDir   *tmp,
                              gconstpointer  data);
void  test_temp_dir_teardown (TestTempDir   *tmp,
                              gconstpointer  data);
/* Writes @size bytes (-1: a NUL-terminated string) to @name in the folder, asserting it
 * worked; returns the path, to free with g_free. */
char *test_temp_dir_write    (TestTempDir   *tmp,
                              const char    *name,
                              const void    *bytes,
                              gssize         size);

/* Asserts vgg_model_load() refuses tests/fixtures/@dir/@file_name with @status, leaving no
 * model, and a message naming the file, @first_part and (unless NULL) @second_part. */
void   test_assert_load_refused    (const char *dir,
                                    const char *file_name,
                                    VggStatus   status,
                                    const char *first_part,
                                    const char *second_part);

/* Removes @path and, if it is a folder, everything in it. */
void   test_remove_tree            (const char *path);

/* The largest |a − b| over @count floats. */
double test_max_abs_diff (const float *a, const float *b, size_t count);
/* The largest |a| over @count floats. */
double test_max_abs (const float *a, size_t count);
