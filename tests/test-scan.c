/* test-scan.c — data-set scans against torch's top images, ties, resume, the cache, bad input
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tests/fixtures/scan/ (tools/gen-scan-fixtures.py): 44 Fashion-MNIST-like images as an IDX
 * file, a gzip-compressed IDX file in a t10k folder and a folder of PNGs with a damaged one,
 * and torch's top 5 images of every channel of the built-in model.
 */
#include "config.h"

#include "test-util.h"
#include "vgg-scan.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>
#include <signal.h>
#include <sys/wait.h>

#define FIXTURE_K 5

static JsonObject *
expected (void)
{
  static JsonParser *parser;

  if (parser == NULL)
    {
      g_autofree char *path = test_fixture_path ("scan", "expected.json", NULL);
      g_autoptr (GError) error = NULL;

      parser = json_parser_new ();
      if (!json_parser_load_from_file (parser, path, &error))
        g_error ("%s: %s", path, error->message);
    }
  return json_node_get_object (json_parser_get_root (parser));
}

static VggModel *
default_model (void)
{
  VggModel *model = NULL;
  VggError error = { 0 };

  test_assert_ok (vgg_model_new_default (&model, &error), &error);
  return model;
}

/* rm -r */
static void
remove_tree (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  if (dir != NULL)
    g_dir_close (dir);
  g_rmdir (path);
}

static char *
temp_dir (void)
{
  g_autoptr (GError) error = NULL;
  char *dir = g_dir_make_tmp ("vgg-scan-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

/* Every channel's hits are sorted by value, and equal values go by increasing image. */
static void
assert_ordered (const VggScan  *scan,
                const VggModel *model)
{
  VggScanHit hits[VGG_SCAN_MAX_K];

  for (int i = 0; i < vgg_model_n_layers (model); i++)
    {
      const VggLayer *layer = vgg_model_layer (model, i);

      if (layer->kind != VGG_LAYER_CONV)
        {
          g_assert_cmpint (vgg_scan_top (scan, i, 0, hits, VGG_SCAN_MAX_K), ==, -1);
          continue;
        }
      g_assert_cmpint (vgg_scan_top (scan, i, layer->channels_out, hits, 1), ==, -1);
      for (int c = 0; c < layer->channels_out; c++)
        {
          int n = vgg_scan_top (scan, i, c, hits, VGG_SCAN_MAX_K);

          g_assert_cmpint (n, ==, MIN (vgg_scan_k (scan),
                                       vgg_scan_n_done (scan) - vgg_scan_n_skipped (scan)));
          for (int r = 1; r < n; r++)
            {
              g_assert_cmpfloat (hits[r - 1].value, >=, hits[r].value);
              if (hits[r - 1].value == hits[r].value)
                g_assert_cmpint (hits[r - 1].image, <, hits[r].image);
            }
          for (int r = 0; r < n; r++)
            {
              g_assert_cmpint (hits[r].y, >=, 0);
              g_assert_cmpint (hits[r].y, <, layer->height_out);
              g_assert_cmpint (hits[r].x, >=, 0);
              g_assert_cmpint (hits[r].x, <, layer->width_out);
            }
        }
    }
}

/* The scan's hits against torch's (@which: "idx" or "folder"): every value within 1e-4 of the
 * layer's largest, the image and the unit exact wherever rounding cannot reorder them. */
static void
assert_matches_torch (const VggScan  *scan,
                      const VggModel *model,
                      const char     *which)
{
  JsonObject *layers = json_object_get_object_member (expected (), which);
  JsonArray *names = json_object_get_array_member (expected (), "layers");
  int n_clear = 0, n_checked = 0;

  g_assert_cmpint (json_array_get_length (names), ==, 6);
  for (guint l = 0; l < json_array_get_length (names); l++)
    {
      const char *name = json_array_get_string_element (names, l);
      int index = vgg_model_find_layer (model, name);
      JsonArray *channels = json_object_get_array_member (layers, name);
      double largest = 0;

      g_assert_cmpint (index, >=, 0);
      g_assert_cmpint (json_array_get_length (channels), ==,
                       vgg_model_layer (model, index)->channels_out);
      for (guint c = 0; c < json_array_get_length (channels); c++)
        {
          JsonArray *ref = json_array_get_array_element (channels, c);
          largest = MAX (largest, json_object_get_double_member (
                           json_array_get_object_element (ref, 0), "value"));
        }
      for (guint c = 0; c < json_array_get_length (channels); c++)
        {
          JsonArray *ref = json_array_get_array_element (channels, c);
          VggScanHit hits[FIXTURE_K];
          int n = vgg_scan_top (scan, index, (int) c, hits, FIXTURE_K);

          g_assert_cmpint (n, ==, (int) json_array_get_length (ref));
          for (int r = 0; r < n; r++)
            {
              JsonObject *hit = json_array_get_object_element (ref, r);
              double value = json_object_get_double_member (hit, "value");

              if (fabs (hits[r].value - value) > 1e-4 * largest)
                g_error ("%s %s channel %u rank %d: value %.7g, torch %.7g", which, name, c,
                         r + 1, hits[r].value, value);
              n_checked++;
              if (!json_object_get_boolean_member (hit, "clear"))
                continue;
              n_clear++;
              if (hits[r].image != json_object_get_int_member (hit, "image")
                  || hits[r].y != json_object_get_int_member (hit, "y")
                  || hits[r].x != json_object_get_int_member (hit, "x"))
                g_error ("%s %s channel %u rank %d: image %" G_GINT64_FORMAT " at (%d, %d), "
                         "torch: image %" G_GINT64_FORMAT " at (%" G_GINT64_FORMAT ", %"
                         G_GINT64_FORMAT ")", which, name, c, r + 1, hits[r].image, hits[r].y,
                         hits[r].x, json_object_get_int_member (hit, "image"),
                         json_object_get_int_member (hit, "y"),
                         json_object_get_int_member (hit, "x"));
            }
        }
    }
  /* most hits are clear of rounding: the test really compares images and positions */
  g_assert_cmpint (n_clear, >, n_checked * 3 / 4);
}

/* Field by field: the struct has padding. */
static void
assert_hits_equal (const VggScanHit *x,
                   const VggScanHit *y,
                   int               n)
{
  for (int r = 0; r < n; r++)
    {
      g_assert_cmpint (x[r].image, ==, y[r].image);
      g_assert_cmpfloat (x[r].value, ==, y[r].value);
      g_assert_cmpint (x[r].y, ==, y[r].y);
      g_assert_cmpint (x[r].x, ==, y[r].x);
    }
}

static VggScan *
scan_fixture (const VggModel *model,
              VggDataset     *dataset,
              bool            exact,
              int             batch,
              const char     *cache_dir)
{
  VggRunOptions run_options = { .exact = exact };
  VggScanOptions options = { .k = FIXTURE_K, .batch = batch, .run_options = &run_options,
                             .cache_dir = cache_dir };
  VggError error = { 0 };
  VggScan *scan = NULL;

  test_assert_ok (vgg_scan_new (&scan, model, dataset, &options, &error), &error);
  test_assert_ok (vgg_scan_run (scan, &error), &error);
  g_assert_true (vgg_scan_is_complete (scan));
  return scan;
}

static VggDataset *
open_fixture (const char *name)
{
  g_autofree char *path = test_fixture_path ("scan", name, NULL);
  VggDataset *dataset = NULL;
  VggError error = { 0 };

  test_assert_ok (vgg_dataset_open (&dataset, path, &error), &error);
  return dataset;
}

static void
test_idx_against_torch (void)
{
  VggModel *model = default_model ();
  VggDataset *dataset = open_fixture ("images-idx3-ubyte");
  const bool modes[] = { true, false };
  const int batches[] = { 7, 0 };   /* 44 = 6 × 7 + 2: a padded last batch */

  g_assert_cmpint (vgg_dataset_kind (dataset), ==, VGG_DATASET_IDX);
  g_assert_cmpint (vgg_dataset_count (dataset), ==, 44);
  g_assert_cmpint (vgg_dataset_idx_rows (dataset), ==, 28);
  g_assert_null (vgg_dataset_name (dataset, 0));
  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    {
      VggScan *scan = scan_fixture (model, dataset, modes[i], batches[i], NULL);

      g_assert_cmpint (vgg_scan_n_skipped (scan), ==, 0);
      g_assert_false (vgg_scan_from_cache (scan));
      assert_ordered (scan, model);
      assert_matches_torch (scan, model, "idx");
      vgg_scan_free (scan);
    }
  vgg_dataset_free (dataset);
  vgg_model_free (model);
}

/* The gzip-compressed file in a t10k folder gives exactly the plain file's hits. */
static void
test_gzip_folder (void)
{
  VggModel *model = default_model ();
  VggDataset *plain = open_fixture ("images-idx3-ubyte");
  VggDataset *gzipped = open_fixture ("t10k");
  VggScan *a = scan_fixture (model, plain, true, 8, NULL);
  VggScan *b = scan_fixture (model, gzipped, true, 8, NULL);
  int conv = vgg_model_find_layer (model, "conv2_2");

  g_assert_cmpint (vgg_dataset_kind (gzipped), ==, VGG_DATASET_IDX);
  g_assert_true (g_str_has_suffix (vgg_dataset_source_path (gzipped),
                                   "t10k-images-idx3-ubyte.gz"));
  for (int c = 0; c < vgg_model_layer (model, conv)->channels_out; c++)
    {
      VggScanHit x[FIXTURE_K], y[FIXTURE_K];

      int n = vgg_scan_top (a, conv, c, x, FIXTURE_K);

      g_assert_cmpint (n, ==, vgg_scan_top (b, conv, c, y, FIXTURE_K));
      assert_hits_equal (x, y, n);
    }
  vgg_scan_free (a);
  vgg_scan_free (b);
  vgg_dataset_free (plain);
  vgg_dataset_free (gzipped);
  vgg_model_free (model);
}

/* A folder: bytewise order of the paths, subfolders, the damaged picture skipped and counted,
 * the text file and the hidden file left out. */
static void
test_folder_against_torch (void)
{
  VggModel *model = default_model ();
  VggDataset *dataset = open_fixture ("pictures");
  JsonArray *listing = json_object_get_array_member (expected (), "folder_listing");
  VggScan *scan;

  g_assert_cmpint (vgg_dataset_kind (dataset), ==, VGG_DATASET_FOLDER);
  g_assert_cmpint (vgg_dataset_count (dataset), ==, json_array_get_length (listing));
  for (guint i = 0; i < json_array_get_length (listing); i++)
    g_assert_cmpstr (vgg_dataset_name (dataset, i), ==,
                     json_array_get_string_element (listing, i));
  scan = scan_fixture (model, dataset, false, 6, NULL);
  g_assert_cmpint (vgg_scan_n_skipped (scan), ==, 1);
  g_assert_nonnull (strstr (vgg_scan_first_skip_reason (scan), "broken.png"));
  assert_ordered (scan, model);
  assert_matches_torch (scan, model, "folder");
  vgg_scan_free (scan);
  vgg_dataset_free (dataset);
  vgg_model_free (model);
}

static char *
write_idx (const char    *dir,
           const char    *name,
           int            count,
           int            rows,
           int            cols,
           const uint8_t *pixels)
{
  g_autoptr (GByteArray) bytes = g_byte_array_new ();
  char *path = g_build_filename (dir, name, NULL);
  g_autoptr (GError) error = NULL;
  uint32_t header[4] = { GUINT32_TO_BE (0x803), GUINT32_TO_BE (count), GUINT32_TO_BE (rows),
                         GUINT32_TO_BE (cols) };

  g_byte_array_append (bytes, (const guint8 *) header, sizeof header);
  g_byte_array_append (bytes, pixels, (guint) count * rows * cols);
  g_file_set_contents (path, (const char *) bytes->data, bytes->len, &error);
  g_assert_no_error (error);
  return path;
}

/* Ties: twelve black images give every channel of every layer the same map and value, so the
 * hits are images 0 … k−1 in order, each at the map's first unit where the map is flat. */
static void
test_ties (void)
{
  g_autofree char *dir = temp_dir ();
  g_autofree uint8_t *black = g_malloc0 (12 * 28 * 28);
  g_autofree char *path = write_idx (dir, "black-idx3-ubyte", 12, 28, 28, black);
  VggModel *model = default_model ();
  VggDataset *dataset = NULL;
  VggError error = { 0 };
  VggScan *scan;
  int conv1 = vgg_model_find_layer (model, "conv1_1");

  test_assert_ok (vgg_dataset_open (&dataset, path, &error), &error);
  scan = scan_fixture (model, dataset, true, 5, NULL);
  for (int i = 0; i < vgg_model_n_layers (model); i++)
    {
      const VggLayer *layer = vgg_model_layer (model, i);

      if (layer->kind != VGG_LAYER_CONV)
        continue;
      for (int c = 0; c < layer->channels_out; c++)
        {
          VggScanHit hits[FIXTURE_K];

          g_assert_cmpint (vgg_scan_top (scan, i, c, hits, FIXTURE_K), ==, FIXTURE_K);
          for (int r = 0; r < FIXTURE_K; r++)
            {
              g_assert_cmpint (hits[r].image, ==, r);
              g_assert_cmpfloat (hits[r].value, ==, hits[0].value);
              g_assert_cmpint (hits[r].y, ==, hits[0].y);
              g_assert_cmpint (hits[r].x, ==, hits[0].x);
              /* conv1_1 on black is its bias everywhere: a flat map, first unit (0, 0) */
              if (i == conv1)
                {
                  g_assert_cmpint (hits[r].y, ==, 0);
                  g_assert_cmpint (hits[r].x, ==, 0);
                }
            }
        }
    }
  vgg_scan_free (scan);
  vgg_dataset_free (dataset);
  vgg_model_free (model);
  remove_tree (dir);
}

typedef struct
{
  int batches;
  int stop_after;
  int64_t last_done;
  int64_t resumed;
} CancelCounter;

static bool
cancel_after (const VggScanProgress *progress,
              void                  *user_data)
{
  CancelCounter *counter = user_data;

  g_assert_cmpint (progress->done, >, counter->last_done);
  g_assert_cmpint (progress->total, ==, 44);
  counter->last_done = progress->done;
  counter->resumed = progress->resumed;
  return ++counter->batches != counter->stop_after;
}

static void
assert_same_hits (const VggScan  *a,
                  const VggScan  *b,
                  const VggModel *model)
{
  for (int i = 0; i < vgg_model_n_layers (model); i++)
    {
      const VggLayer *layer = vgg_model_layer (model, i);

      for (int c = 0; layer->kind == VGG_LAYER_CONV && c < layer->channels_out; c++)
        {
          VggScanHit x[FIXTURE_K] = { 0 }, y[FIXTURE_K] = { 0 };

          int n = vgg_scan_top (a, i, c, x, FIXTURE_K);

          g_assert_cmpint (n, ==, vgg_scan_top (b, i, c, y, FIXTURE_K));
          assert_hits_equal (x, y, n);
        }
    }
}

/* Cancelled after two batches of 8: the saved index holds 16 images, a new scan resumes at
 * image 16 and ends with exactly the hits of a scan that never stopped; a third scan is the
 * saved complete index, at once; a changed data set (a new modification time) is not. */
static void
test_resume_and_cache (void)
{
  g_autofree char *cache = temp_dir ();
  g_autofree char *copy = temp_dir ();
  g_autofree char *source = test_fixture_path ("scan", "images-idx3-ubyte", NULL);
  g_autofree char *pictures = g_build_filename (copy, "pictures-idx3-ubyte", NULL);
  g_autofree char *contents = NULL;
  gsize length;
  VggModel *model = default_model ();
  VggDataset *dataset = NULL;
  VggError error = { 0 };
  VggRunOptions run_options = { .exact = true };
  CancelCounter counter = { .stop_after = 2 };
  VggScanOptions options = { .k = FIXTURE_K, .batch = 8, .run_options = &run_options,
                             .cache_dir = cache, .progress = cancel_after,
                             .user_data = &counter };
  VggScan *reference, *scan;
  struct timespec times[2] = { { 0, UTIME_OMIT }, { 1000000000, 0 } };

  g_assert_true (g_file_get_contents (source, &contents, &length, NULL));
  g_assert_true (g_file_set_contents (pictures, contents, (gssize) length, NULL));
  test_assert_ok (vgg_dataset_open (&dataset, pictures, &error), &error);
  reference = scan_fixture (model, dataset, true, 8, NULL);

  test_assert_ok (vgg_scan_new (&scan, model, dataset, &options, &error), &error);
  g_assert_false (vgg_scan_from_cache (scan));
  g_assert_cmpint (vgg_scan_run (scan, &error), ==, VGG_STATUS_CANCELLED);
  g_assert_cmpint (vgg_scan_n_done (scan), ==, 16);
  g_assert_false (vgg_scan_is_complete (scan));
  g_assert_true (g_file_test (vgg_scan_index_path (scan), G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_str_has_prefix (vgg_scan_index_path (scan), cache));
  vgg_scan_free (scan);

  counter = (CancelCounter) { .stop_after = -1 };
  test_assert_ok (vgg_scan_new (&scan, model, dataset, &options, &error), &error);
  g_assert_false (vgg_scan_from_cache (scan));
  g_assert_cmpint (vgg_scan_n_done (scan), ==, 16);
  test_assert_ok (vgg_scan_run (scan, &error), &error);
  g_assert_cmpint (counter.batches, ==, 4);   /* 28 images left: batches of 8, 8, 8, 4 */
  g_assert_cmpint (counter.resumed, ==, 16);
  assert_same_hits (scan, reference, model);
  vgg_scan_free (scan);

  counter = (CancelCounter) { .stop_after = -1 };
  test_assert_ok (vgg_scan_new (&scan, model, dataset, &options, &error), &error);
  g_assert_true (vgg_scan_from_cache (scan));
  g_assert_true (vgg_scan_is_complete (scan));
  test_assert_ok (vgg_scan_run (scan, &error), &error);
  g_assert_cmpint (counter.batches, ==, 0);
  assert_same_hits (scan, reference, model);
  vgg_scan_free (scan);
  vgg_dataset_free (dataset);

  /* the same bytes with another modification time: another data set for the cache */
  g_assert_cmpint (utimensat (AT_FDCWD, pictures, times, 0), ==, 0);
  test_assert_ok (vgg_dataset_open (&dataset, pictures, &error), &error);
  test_assert_ok (vgg_scan_new (&scan, model, dataset, &options, &error), &error);
  g_assert_false (vgg_scan_from_cache (scan));
  g_assert_cmpint (vgg_scan_n_done (scan), ==, 0);
  vgg_scan_free (scan);

  /* a damaged index is ignored, not trusted */
  {
    g_autofree char *index_path = NULL;

    scan = scan_fixture (model, dataset, true, 8, cache);
    index_path = g_strdup (vgg_scan_index_path (scan));
    vgg_scan_free (scan);
    g_free (contents);
    g_assert_true (g_file_get_contents (index_path, &contents, &length, NULL));
    contents[length / 2] ^= 0x55;
    g_assert_true (g_file_set_contents (index_path, contents, (gssize) length, NULL));
    options.progress = NULL;
    test_assert_ok (vgg_scan_new (&scan, model, dataset, &options, &error), &error);
    g_assert_false (vgg_scan_from_cache (scan));
    g_assert_cmpint (vgg_scan_n_done (scan), ==, 0);
    vgg_scan_free (scan);
  }

  vgg_scan_free (reference);
  vgg_dataset_free (dataset);
  vgg_model_free (model);
  remove_tree (cache);
  remove_tree (copy);
}

static void
assert_open_refused (const char *path,
                     VggStatus   status,
                     const char *part)
{
  VggDataset *dataset = (VggDataset *) 1;
  VggError error = { 0 };

  g_assert_cmpint (vgg_dataset_open (&dataset, path, &error), ==, status);
  g_assert_null (dataset);
  if (strstr (error.message, part) == NULL)
    g_error ("%s: message '%s' does not say '%s'", path, error.message, part);
}

static void
test_bad_input (void)
{
  g_autofree char *dir = temp_dir ();
  g_autofree char *empty = g_build_filename (dir, "empty", NULL);
  g_autofree char *texts = g_build_filename (dir, "texts", NULL);
  g_autofree char *broken = g_build_filename (dir, "broken", NULL);
  g_autofree char *labels = g_build_filename (dir, "labels-idx1-ubyte", NULL);
  g_autofree char *truncated = g_build_filename (dir, "truncated-idx3-ubyte", NULL);
  g_autofree char *wide = NULL;
  g_autofree char *text_file = g_build_filename (texts, "a.txt", NULL);
  g_autofree char *fake_png = g_build_filename (broken, "a.png", NULL);
  g_autofree char *cut_jpeg = g_build_filename (broken, "b.jpg", NULL);
  g_autofree uint8_t *pixels = g_malloc0 (2 * 40 * 40);
  uint8_t labels_bytes[] = { 0, 0, 8, 1, 0, 0, 0, 2, 3, 4 };
  uint8_t truncated_bytes[] = { 0, 0, 8, 3, 0, 0, 0, 9, 0, 0, 0, 28, 0, 0, 0, 28, 1, 2, 3 };
  VggModel *model = default_model ();
  VggModel *rgb = NULL;
  VggDataset *dataset = NULL;
  VggScan *scan = NULL;
  VggError error = { 0 };
  VggConfig config;

  g_assert_cmpint (g_mkdir (empty, 0700), ==, 0);
  g_assert_cmpint (g_mkdir (texts, 0700), ==, 0);
  g_assert_cmpint (g_mkdir (broken, 0700), ==, 0);
  g_assert_true (g_file_set_contents (text_file, "text", -1, NULL));
  g_assert_true (g_file_set_contents (fake_png, "text", -1, NULL));
  g_assert_true (g_file_set_contents (cut_jpeg, "\xff\xd8\xff", 3, NULL));
  g_assert_true (g_file_set_contents (labels, (const char *) labels_bytes, sizeof labels_bytes,
                                      NULL));
  g_assert_true (g_file_set_contents (truncated, (const char *) truncated_bytes,
                                      sizeof truncated_bytes, NULL));

  assert_open_refused (empty, VGG_STATUS_FORMAT, "no pictures");
  assert_open_refused (texts, VGG_STATUS_FORMAT, "no pictures");
  assert_open_refused (labels, VGG_STATUS_UNSUPPORTED, "labels");
  assert_open_refused (truncated, VGG_STATUS_FORMAT, "truncated");
  assert_open_refused ("/nonexistent/folder", VGG_STATUS_IO, "no such file");
  assert_open_refused (text_file, VGG_STATUS_FORMAT,
                       "neither a folder of pictures nor an IDX");

  /* a folder whose pictures are all damaged: every one skipped, then an error */
  test_assert_ok (vgg_dataset_open (&dataset, broken, &error), &error);
  g_assert_cmpint (vgg_dataset_count (dataset), ==, 2);
  test_assert_ok (vgg_scan_new (&scan, model, dataset, NULL, &error), &error);
  g_assert_cmpint (vgg_scan_run (scan, &error), ==, VGG_STATUS_FORMAT);
  g_assert_nonnull (strstr (error.message, "none of its 2 pictures"));
  g_assert_cmpint (vgg_scan_n_skipped (scan), ==, 2);
  vgg_scan_free (scan);
  vgg_dataset_free (dataset);

  /* IDX images larger than the model's input, and a model that is not grey */
  wide = write_idx (dir, "wide-idx3-ubyte", 2, 40, 40, pixels);
  test_assert_ok (vgg_dataset_open (&dataset, wide, &error), &error);
  g_assert_cmpint (vgg_scan_new (&scan, model, dataset, NULL, &error), ==, VGG_STATUS_SHAPE);
  g_assert_null (scan);
  g_assert_nonnull (strstr (error.message, "40 × 40"));
  vgg_dataset_free (dataset);
  dataset = open_fixture ("images-idx3-ubyte");
  test_assert_ok (vgg_config_for_name (&config, "vgg11", &error), &error);
  config.block_widths[0] = 4;
  config.block_widths[1] = 4;
  config.block_widths[2] = 4;
  config.block_widths[3] = 4;
  config.block_widths[4] = 4;
  config.input_height = config.input_width = 32;
  config.hidden_fc_widths[0] = config.hidden_fc_widths[1] = 8;
  config.n_classes = 3;
  test_assert_ok (vgg_model_new_random (&rgb, &config, 1, &error), &error);
  g_assert_cmpint (vgg_scan_new (&scan, rgb, dataset, NULL, &error), ==, VGG_STATUS_SHAPE);
  g_assert_nonnull (strstr (error.message, "one input channel"));
  {
    VggScanOptions options = { .k = VGG_SCAN_MAX_K + 1 };
    g_assert_cmpint (vgg_scan_new (&scan, model, dataset, &options, &error), ==,
                     VGG_STATUS_INVALID_ARGUMENT);
  }
  vgg_dataset_free (dataset);
  vgg_model_free (rgb);
  vgg_model_free (model);
  remove_tree (dir);
}

/* ---- the command line ---- */

typedef struct
{
  int   status;
  char *out, *err;
} CliResult;

static CliResult
run_top (const char *cache,
         ...)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_auto (GStrv) env = g_environ_setenv (g_get_environ (), "VGG_SCOPE_CACHE_DIR", cache, TRUE);
  g_autoptr (GError) error = NULL;
  CliResult result = { 0 };
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, (gpointer) g_getenv ("VGG_SCOPE_CLI"));
  g_ptr_array_add (argv, (gpointer) "top");
  va_start (args, cache);
  for (arg = va_arg (args, const char *); arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  if (!g_spawn_sync (NULL, (char **) argv->pdata, env, G_SPAWN_DEFAULT, NULL, NULL,
                     &result.out, &result.err, &result.status, &error))
    g_error ("cannot run vgg-scope-cli: %s", error->message);
  g_assert_true (WIFEXITED (result.status));   /* never a crash */
  result.status = WEXITSTATUS (result.status);
  return result;
}

static void
cli_result_clear (CliResult *result)
{
  g_clear_pointer (&result->out, g_free);
  g_clear_pointer (&result->err, g_free);
}

static void
test_cli (void)
{
  g_autofree char *cache = temp_dir ();
  g_autofree char *idx = test_fixture_path ("scan", "images-idx3-ubyte", NULL);
  g_autofree char *pictures = test_fixture_path ("scan", "pictures", NULL);
  g_autofree char *empty = g_build_filename (cache, "empty", NULL);
  JsonObject *ref = json_object_get_object_member (expected (), "folder");
  JsonArray *listing = json_object_get_array_member (expected (), "folder_listing");
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  CliResult r;
  JsonArray *rows;

  /* --json for an IDX file: numbers; for a folder: paths relative to it */
  r = run_top (cache, idx, "--layer", "conv3_2", "--channel", "7", "--k", "3", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, r.out, -1, &error));
  rows = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpint (json_array_get_length (rows), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);
      g_assert_cmpint (json_object_get_int_member (row, "rank"), ==, i + 1);
      g_assert_true (JSON_NODE_HOLDS_VALUE (json_object_get_member (row, "image")));
      g_assert_cmpint (json_node_get_value_type (json_object_get_member (row, "image")), ==,
                       G_TYPE_INT64);
    }
  cli_result_clear (&r);

  r = run_top (cache, pictures, "--layer", "conv3_2", "--channel", "0", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.err, "1 of 45 pictures could not be read"));
  g_assert_true (json_parser_load_from_data (parser, r.out, -1, &error));
  rows = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpint (json_array_get_length (rows), ==, 9);
  for (guint i = 0; i < FIXTURE_K; i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);
      JsonObject *hit = json_array_get_object_element (
        json_array_get_array_element (json_object_get_array_member (ref, "conv3_2"), 0), i);

      g_assert_cmpfloat_with_epsilon (json_object_get_double_member (row, "value"),
                                      json_object_get_double_member (hit, "value"), 1e-3);
      if (json_object_get_boolean_member (hit, "clear"))
        {
          g_assert_cmpstr (json_object_get_string_member (row, "image"), ==,
                           json_array_get_string_element (
                             listing, json_object_get_int_member (hit, "image")));
          g_assert_cmpint (json_object_get_int_member (row, "y"), ==,
                           json_object_get_int_member (hit, "y"));
          g_assert_cmpint (json_object_get_int_member (row, "x"), ==,
                           json_object_get_int_member (hit, "x"));
        }
    }
  cli_result_clear (&r);

  /* the second visit comes from the saved index */
  r = run_top (cache, pictures, "--layer", "conv1_1", "--channel", "3", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "from the saved index"));
  g_assert_nonnull (strstr (r.out, "rank"));
  cli_result_clear (&r);

  /* bad input: a clear message and exit status 1 (2 for bad usage) */
  g_assert_cmpint (g_mkdir (empty, 0700), ==, 0);
  r = run_top (cache, empty, "--layer", "conv1_1", "--channel", "0", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "no pictures"));
  cli_result_clear (&r);
  r = run_top (cache, idx, "--layer", "pool1", "--channel", "0", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "not a conv layer"));
  cli_result_clear (&r);
  r = run_top (cache, idx, "--layer", "conv9_9", "--channel", "0", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "no such layer"));
  cli_result_clear (&r);
  r = run_top (cache, idx, "--layer", "conv1_1", "--channel", "32", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "0 to 31"));
  cli_result_clear (&r);
  r = run_top (cache, idx, "--layer", "conv1_1", NULL);
  g_assert_cmpint (r.status, ==, 2);
  cli_result_clear (&r);
  remove_tree (cache);
}

/* Ctrl+C in the middle of `top`: "interrupted … run the same command again", exit 1, the index
 * saved; the same command then finishes with exactly what an uninterrupted scan prints. */
static void
test_cli_interrupt (void)
{
  g_autofree char *cache = temp_dir ();
  g_autofree char *other = temp_dir ();
  g_autofree guint8 *pixels = g_malloc (2500 * 28 * 28);
  g_autofree char *idx = NULL;
  g_autofree char *cli_out = NULL, *cli_err = NULL;
  g_auto (GStrv) env = g_environ_setenv (g_get_environ (), "VGG_SCOPE_CACHE_DIR", cache, TRUE);
  const char *argv[] = { g_getenv ("VGG_SCOPE_CLI"), "top", NULL, "--layer", "conv2_1",
                         "--channel", "9", "--json", "--batch", "50", NULL };
  g_autoptr (GError) error = NULL;
  g_autoptr (GRand) rand = g_rand_new_with_seed (3);
  GPid pid;
  int out_fd, err_fd, wait_status;
  gboolean interrupted;
  CliResult resumed, fresh;

  for (gsize i = 0; i < 2500 * 28 * 28; i++)
    pixels[i] = (guint8) g_rand_int_range (rand, 0, 256);
  idx = write_idx (cache, "random-idx3-ubyte", 2500, 28, 28, pixels);
  argv[2] = idx;
  g_assert_true (g_spawn_async_with_pipes (NULL, (char **) argv, env, G_SPAWN_DO_NOT_REAP_CHILD,
                                           NULL, NULL, &pid, NULL, &out_fd, &err_fd, &error));
  g_usleep (300000);
  kill (pid, SIGINT);
  {
    g_autoptr (GIOChannel) out = g_io_channel_unix_new (out_fd);
    g_autoptr (GIOChannel) err = g_io_channel_unix_new (err_fd);

    g_io_channel_set_close_on_unref (out, TRUE);
    g_io_channel_set_close_on_unref (err, TRUE);
    g_io_channel_read_to_end (out, &cli_out, NULL, NULL);
    g_io_channel_read_to_end (err, &cli_err, NULL, NULL);
  }
  g_assert_cmpint (waitpid (pid, &wait_status, 0), ==, pid);
  g_spawn_close_pid (pid);
  g_assert_true (WIFEXITED (wait_status));
  /* on a fast machine the scan may have finished before the signal: then nothing to resume */
  interrupted = WEXITSTATUS (wait_status) == 1;
  if (interrupted)
    {
      g_assert_nonnull (strstr (cli_err, "interrupted after"));
      g_assert_nonnull (strstr (cli_err, "run the same command again to resume"));
    }
  else
    g_assert_cmpint (WEXITSTATUS (wait_status), ==, 0);

  resumed = run_top (cache, idx, "--layer", "conv2_1", "--channel", "9", "--json", "--batch",
                     "50", NULL);
  fresh = run_top (other, idx, "--layer", "conv2_1", "--channel", "9", "--json", "--batch", "50",
                   NULL);
  g_assert_cmpint (resumed.status, ==, 0);
  g_assert_cmpint (fresh.status, ==, 0);
  g_assert_cmpstr (resumed.out, ==, fresh.out);
  cli_result_clear (&resumed);
  cli_result_clear (&fresh);
  if (!interrupted)
    g_test_message ("the scan ended before the interrupt; only the rerun was checked");
  remove_tree (cache);
  remove_tree (other);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/scan/idx-against-torch", test_idx_against_torch);
  g_test_add_func ("/scan/gzip-folder", test_gzip_folder);
  g_test_add_func ("/scan/folder-against-torch", test_folder_against_torch);
  g_test_add_func ("/scan/ties", test_ties);
  g_test_add_func ("/scan/resume-and-cache", test_resume_and_cache);
  g_test_add_func ("/scan/bad-input", test_bad_input);
  g_test_add_func ("/scan/cli", test_cli);
  g_test_add_func ("/scan/cli-interrupt", test_cli_interrupt);
  return g_test_run ();
}
