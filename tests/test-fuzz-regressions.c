/* test-fuzz-regressions.c — replays the fuzz seeds and every input a fuzz target ever crashed
 *                           on through the same loader code, without libFuzzer
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tests/fuzz/corpus/<target>/ (the seeds) and tests/fuzz/regressions/<target>/ (crashes found
 * by tools/fuzz, kept after the fix) are fed one file at a time to fuzz-inputs.c's function for
 * the target; run-tests runs this under ASan and UBSan too. The outcome must be a success or a
 * refusal with a message, never a crash. Keras HDF5 inputs go through the vgg-scope-h5-reader
 * program as in the engine (the fuzz build reads them in process): libhdf5 may crash there,
 * which the engine turns into a refusal.
 */
#include "config.h"

#include "fuzz-inputs.h"
#include "test-util.h"

#include <string.h>

typedef struct
{
  char        *target;
  char        *path;
  VggFuzzInput input;   /* NULL: keras-h5, through the reader program */
  bool         refuse;  /* a damaged HDF5 file that crashed libhdf5: must be refused */
} Replay;

static void
replay_free (gpointer data)
{
  Replay *replay = data;

  g_free (replay->target);
  g_free (replay->path);
  g_free (replay);
}

static void
test_replay (gconstpointer data)
{
  const Replay *replay = data;
  VggError error = { 0 };
  VggStatus status;

  if (replay->input != NULL)
    {
      g_autofree char *bytes = NULL;
      gsize size = 0;
      g_autoptr (GError) gerror = NULL;

      g_file_get_contents (replay->path, &bytes, &size, &gerror);
      g_assert_no_error (gerror);
      status = replay->input ((const uint8_t *) bytes, size, &error);
    }
  else
    {
      VggModel *model = NULL;

      status = test_model_load (&model, replay->path, &error);
      vgg_model_free (model);
    }

  g_test_message ("%s: %s%s%s", replay->path, vgg_status_string (status),
                  status != VGG_STATUS_OK ? ": " : "",
                  status != VGG_STATUS_OK ? error.message : "");
  if (replay->refuse)
    g_assert_cmpint (status, !=, VGG_STATUS_OK);
  if (status != VGG_STATUS_OK)
    {
      g_assert_cmpint (error.status, ==, status);
      g_assert_cmpstr (error.message, !=, "");
    }
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* One test case per file in tests/fuzz/@kind/@target/ (missing folders have none). */
static int
add_replays (const char  *kind,
             const char  *target,
             VggFuzzInput input)
{
  g_autofree char *dir_path = g_build_filename (g_test_get_dir (G_TEST_DIST), "fuzz", kind,
                                                target, NULL);
  g_autoptr (GDir) dir = g_dir_open (dir_path, 0, NULL);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (dir == NULL)
    return 0;
  while ((name = g_dir_read_name (dir)) != NULL)
    if (name[0] != '.' && strcmp (name, "README.md") != 0)
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);

  for (guint i = 0; i < names->len; i++)
    {
      Replay *replay = g_new0 (Replay, 1);
      g_autofree char *test_path = NULL;

      replay->target = g_strdup (target);
      replay->path = g_build_filename (dir_path, names->pdata[i], NULL);
      replay->input = input;
      replay->refuse = input == NULL && strcmp (kind, "regressions") == 0;
      test_path = g_strdup_printf ("/fuzz-regressions/%s/%s/%s", kind, target,
                                   (const char *) names->pdata[i]);
      g_test_add_data_func_full (test_path, replay, test_replay, replay_free);
    }
  return (int) names->len;
}

int
main (int    argc,
      char **argv)
{
  int n_seeds = 0;

  g_test_init (&argc, &argv, NULL);

  for (const VggFuzzTarget *t = vgg_fuzz_targets; t->name != NULL; t++)
    {
      n_seeds += add_replays ("corpus", t->name, t->input);
      add_replays ("regressions", t->name, t->input);
    }
  n_seeds += add_replays ("corpus", "keras-h5", NULL);
  add_replays ("regressions", "keras-h5", NULL);
  /* the seeds are committed: none found means the folders moved */
  g_assert_cmpint (n_seeds, >, 0);

  return g_test_run ();
}
