/* test-ui-dataset.c — the Data Set view, driven as a user would: scan, cancel, resume, open
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window runs the built-in model. The scan's numbers are checked against PyTorch in
 * tests/test-scan.c; here: the progress shows while the scan runs, Cancel stops it with the
 * index saved, Resume goes on from there (not from the start), a second visit is the saved
 * index at once, the tiles are the engine's hits of the selected channel, and activating one
 * opens that picture.
 */
#include "config.h"

#include <glib/gstdio.h>

#include "scope-dataset-room.h"
#include "test-ui-util.h"

#define TIMEOUT_MS 60000
#define N_IMAGES   2500

typedef TestUiWindowFixture Fixture;

static gboolean
scan_progressing (gpointer data)
{
  ScopeDatasetScan *scan = scope_dataset_room_get_scan (data);

  return scan != NULL && scope_dataset_scan_get_running (scan)
         && scope_dataset_scan_get_done (scan) > 0;
}

static gboolean
scan_stopped (gpointer data)
{
  ScopeDatasetScan *scan = scope_dataset_room_get_scan (data);

  return scan != NULL && !scope_dataset_scan_get_running (scan);
}

static gboolean
scan_complete (gpointer data)
{
  ScopeDatasetScan *scan = scope_dataset_room_get_scan (data);

  return scan != NULL && scope_dataset_scan_get_complete (scan);
}

static gboolean
tiles_shown (gpointer data)
{
  GtkWidget *flow_box = GTK_WIDGET (scope_dataset_room_get_flow_box (data));

  return scope_dataset_room_get_n_tiles (data) == VGG_SCAN_DEFAULT_K
         && gtk_widget_get_first_child (flow_box) != NULL;
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autofree char *sample = test_ui_sample_path ("cat.jpg");
  g_autoptr (GFile) file = g_file_new_for_path (sample);

  test_ui_window_fixture_setup (fixture, "test-ui-dataset", TIMEOUT_MS);
  scope_window_open_file (fixture->window, file);
  test_ui_wait_until (test_ui_result_done, fixture->window, TIMEOUT_MS);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  user_data)
{
  ScopeDatasetRoom *room = scope_window_get_dataset_room (fixture->window);

  if (scope_dataset_room_get_scan (room) != NULL)
    {
      scope_dataset_room_cancel (room);
      test_ui_wait_until (scan_stopped, room, TIMEOUT_MS);
    }
  test_ui_window_fixture_teardown (fixture, TIMEOUT_MS);
}

/* An IDX file of N_IMAGES seeded random 28 × 28 garments-to-be. */
static char *
write_idx (const char *dir)
{
  gsize size = 16 + (gsize) N_IMAGES * 28 * 28;
  g_autofree guint8 *bytes = g_malloc (size);
  char *path = g_build_filename (dir, "random-idx3-ubyte", NULL);
  guint32 header[4] = { GUINT32_TO_BE (0x803), GUINT32_TO_BE (N_IMAGES), GUINT32_TO_BE (28),
                        GUINT32_TO_BE (28) };
  g_autoptr (GRand) rand = g_rand_new_with_seed (12);

  memcpy (bytes, header, sizeof header);
  for (gsize i = 16; i < size; i++)
    bytes[i] = (guint8) g_rand_int_range (rand, 0, 256);
  g_assert_true (g_file_set_contents (path, (const char *) bytes, (gssize) size, NULL));
  return path;
}

/* The first conv layer is selected, channel 3 picked. */
static void
select_channel (Fixture *fixture,
                int      channel)
{
  ScopeWorkspace *workspace = scope_window_get_workspace (fixture->window);
  ScopeModel *model = scope_workspace_get_model (workspace);
  int conv = -1;

  for (int i = 0; i < scope_model_get_n_layers (model) && conv < 0; i++)
    if (scope_model_get_layer (model, i)->kind == VGG_LAYER_CONV)
      conv = i;
  for (int i = scope_model_get_n_layers (model) - 1; i >= 0; i--)
    if (scope_model_get_layer (model, i)->kind == VGG_LAYER_CONV)
      {
        conv = i;   /* the last convolution: its units see most of the picture */
        break;
      }
  scope_workspace_set_selected_layer (workspace, conv);
  scope_view_state_set_channel (scope_window_get_view_state (fixture->window), channel);
}

/* Scan, cancel after the first progress, resume from the saved index, the tiles, a second
 * visit from the index, and activating a tile opens its picture. */
static void
test_scan_cancel_resume (Fixture       *fixture,
                         gconstpointer  user_data)
{
  ScopeDatasetRoom *room = scope_window_get_dataset_room (fixture->window);
  ScopeWorkspace *workspace = scope_window_get_workspace (fixture->window);
  g_autofree char *idx = write_idx (fixture->tmpdir);
  ScopeDatasetScan *scan;
  GtkWidget *first_tile;
  VggScanHit hits[VGG_SCAN_DEFAULT_K];
  gint64 stopped_at;
  int layer;

  select_channel (fixture, 3);
  layer = scope_workspace_get_selected_layer (workspace);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-view", "s", "dataset");
  scope_dataset_room_set_path (room, idx);

  /* progress: the bar with images per second and time left, Cancel on offer */
  test_ui_wait_until (scan_progressing, room, TIMEOUT_MS);
  scan = scope_dataset_room_get_scan (room);
  g_assert_cmpint (scope_dataset_scan_get_total (scan), ==, N_IMAGES);
  {
    GtkProgressBar *bar = scope_dataset_room_get_progress_bar (room);

    g_assert_true (gtk_widget_get_visible (GTK_WIDGET (bar)));
    g_assert_nonnull (strstr (gtk_progress_bar_get_text (bar), "images/s"));
    g_assert_nonnull (strstr (gtk_progress_bar_get_text (bar), "left"));
  }
  scope_dataset_room_cancel (room);
  test_ui_wait_until (scan_stopped, room, TIMEOUT_MS);
  g_assert_false (scope_dataset_scan_get_complete (scan));
  stopped_at = scope_dataset_scan_get_done (scan);
  g_assert_cmpint (stopped_at, >, 0);
  g_assert_cmpint (stopped_at, <, N_IMAGES);
  g_assert_cmpint (scope_dataset_scan_get_hits (scan, layer, 3, hits, 9), ==, 0);

  /* Resume: the first progress already counts what the saved index holds */
  gtk_widget_activate_action (GTK_WIDGET (room), "dataset.scan", NULL);
  g_assert_true (scope_dataset_room_get_scan (room) == scan);
  test_ui_wait_until (scan_progressing, room, TIMEOUT_MS);
  g_assert_cmpint (scope_dataset_scan_get_done (scan), >=, stopped_at);
  test_ui_wait_until (scan_complete, room, TIMEOUT_MS);
  g_assert_false (scope_dataset_scan_get_from_cache (scan));
  g_assert_cmpint (scope_dataset_scan_get_done (scan), ==, N_IMAGES);

  /* the tiles: the engine's hits of the channel, in order */
  test_ui_wait_until (tiles_shown, room, TIMEOUT_MS);
  g_assert_cmpint (scope_dataset_scan_get_hits (scan, layer, 3, hits, 9), ==, 9);
  for (int r = 1; r < 9; r++)
    g_assert_cmpfloat (hits[r - 1].value, >=, hits[r].value);
  for (int r = 0; r < 9; r++)
    {
      GtkWidget *tile = gtk_flow_box_child_get_child (gtk_flow_box_get_child_at_index (
                                                        scope_dataset_room_get_flow_box (room), r));
      g_autofree char *name = g_strdup_printf ("image %" G_GINT64_FORMAT, hits[r].image);

      g_assert_cmpstr (gtk_widget_get_tooltip_text (tile), ==, name);
    }

  /* a second visit: the whole index from the cache folder, at once */
  scope_dataset_room_set_path (room, idx);
  g_assert_true (scope_dataset_room_get_scan (room) != scan);
  test_ui_wait_until (scan_complete, room, TIMEOUT_MS);
  scan = scope_dataset_room_get_scan (room);
  g_assert_true (scope_dataset_scan_get_from_cache (scan));
  {
    VggScanHit again[VGG_SCAN_DEFAULT_K];

    g_assert_cmpint (scope_dataset_scan_get_hits (scan, layer, 3, again, 9), ==, 9);
    for (int r = 0; r < 9; r++)
      {
        g_assert_cmpint (again[r].image, ==, hits[r].image);
        g_assert_cmpfloat (again[r].value, ==, hits[r].value);
      }
  }
  test_ui_wait_until (tiles_shown, room, TIMEOUT_MS);

  /* activating the first tile opens "image N" as the picture, in the feature maps */
  first_tile = gtk_flow_box_child_get_child (gtk_flow_box_get_child_at_index (
                                               scope_dataset_room_get_flow_box (room), 0));
  g_assert_true (GTK_IS_BUTTON (first_tile));
  g_signal_emit_by_name (first_tile, "clicked");
  test_ui_wait_until (test_ui_result_done, fixture->window, TIMEOUT_MS);
  {
    g_autofree char *name = g_strdup_printf ("image %" G_GINT64_FORMAT, hits[0].image);

    g_assert_cmpstr (scope_source_get_display_name (scope_workspace_get_source (workspace)), ==,
                     name);
  }
}

/* A folder with a damaged picture: skipped and counted; activating a tile opens the file. */
static void
test_folder_opens_file (Fixture       *fixture,
                        gconstpointer  user_data)
{
  ScopeDatasetRoom *room = scope_window_get_dataset_room (fixture->window);
  ScopeWorkspace *workspace = scope_window_get_workspace (fixture->window);
  g_autofree char *pictures = g_build_filename (g_test_get_dir (G_TEST_DIST), "fixtures", "scan",
                                                "pictures", NULL);
  ScopeDatasetScan *scan;
  GtkWidget *tile;
  GFile *opened;
  g_autofree char *opened_path = NULL;

  select_channel (fixture, 0);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-view", "s", "dataset");
  scope_dataset_room_set_path (room, pictures);
  test_ui_wait_until (scan_complete, room, TIMEOUT_MS);
  scan = scope_dataset_room_get_scan (room);
  g_assert_cmpint (scope_dataset_scan_get_skipped (scan), ==, 1);
  test_ui_wait_until (tiles_shown, room, TIMEOUT_MS);

  tile = gtk_flow_box_child_get_child (gtk_flow_box_get_child_at_index (
                                         scope_dataset_room_get_flow_box (room), 0));
  g_signal_emit_by_name (tile, "clicked");
  test_ui_wait_until (test_ui_result_done, fixture->window, TIMEOUT_MS);
  opened = scope_source_get_file (scope_workspace_get_source (workspace));
  g_assert_nonnull (opened);
  opened_path = g_file_get_path (opened);
  g_assert_true (g_str_has_prefix (opened_path, pictures));
  g_assert_true (g_str_has_suffix (opened_path, ".png"));
}

static gboolean
toast_shown (gpointer data)
{
  return scope_window_get_last_toast (data) != NULL;
}

/* An empty folder: a toast that says so, no progress, no tiles. */
static void
test_empty_folder (Fixture       *fixture,
                   gconstpointer  user_data)
{
  ScopeDatasetRoom *room = scope_window_get_dataset_room (fixture->window);
  g_autofree char *empty = g_build_filename (fixture->tmpdir, "empty", NULL);

  g_assert_cmpint (g_mkdir (empty, 0700), ==, 0);
  select_channel (fixture, 0);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-view", "s", "dataset");
  scope_dataset_room_set_path (room, empty);
  test_ui_wait_until (toast_shown, fixture->window, TIMEOUT_MS);
  g_assert_nonnull (strstr (scope_window_get_last_toast (fixture->window), "no pictures"));
  test_ui_wait_until (scan_stopped, room, TIMEOUT_MS);
  g_assert_false (gtk_widget_get_visible (gtk_widget_get_parent (
                    GTK_WIDGET (scope_dataset_room_get_progress_bar (room)))));
  g_assert_cmpuint (scope_dataset_room_get_n_tiles (room), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  test_ui_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/ui-dataset/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("scan-cancel-resume", test_scan_cancel_resume);
  ADD ("folder-opens-file", test_folder_opens_file);
  ADD ("empty-folder", test_empty_folder);
#undef ADD

  return g_test_run ();
}
