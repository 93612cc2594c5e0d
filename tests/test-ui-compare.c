/* test-ui-compare.c — the Compare view and the exports, driven as a user would
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The view must show the engine's own numbers (vgg_compare_inputs() on the same two inputs),
 * the visualization must be the engine's picture for the same request, and every export must
 * write what it says: the .npy is read back by NumPy (skipped, and said so, without
 * python3-numpy) and compared with the layer's values exactly.
 */
#include "config.h"

#include <math.h>
#include <sys/wait.h>

#include "scope-compare-panel.h"
#include "scope-engine-environment.h"
#include "scope-export.h"
#include "test-ui-util.h"
#include "vgg-compare.h"
#include "vgg-visualize.h"

#define TIMEOUT_MS 60000

typedef TestUiWindowFixture Fixture;

static gboolean
panel_idle (gpointer data)
{
  return !scope_compare_panel_get_busy (data);
}

static gboolean
panel_compared (gpointer data)
{
  return !scope_compare_panel_get_busy (data) && !isnan (scope_compare_panel_get_cosine (data, 0));
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  user_data)
{
  test_ui_window_fixture_setup (fixture, "test-ui-compare", TIMEOUT_MS);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  user_data)
{
  test_ui_wait_until (panel_idle, scope_window_get_compare_panel (fixture->window), TIMEOUT_MS);
  test_ui_window_fixture_teardown (fixture, TIMEOUT_MS);
}

static char *
fashion_sample (const char *name)
{
  return g_build_filename (g_test_get_dir (G_TEST_DIST), "..", "data", "fashion-mnist",
                           "samples", name, NULL);
}

static void
open_picture (ScopeWindow *window,
              const char  *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  scope_window_open_file (window, file);
  test_ui_wait_until (test_ui_result_done, window, TIMEOUT_MS);
}

/* Two pictures: every layer's cosine in the view is the engine's, and its row says so. */
static void
test_cosines (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_autofree char *path_a = fashion_sample ("coat-6.png");
  g_autofree char *path_b = fashion_sample ("pullover-1.png");
  g_autoptr(GFile) file_b = g_file_new_for_path (path_b);
  ScopeComparePanel *panel = scope_window_get_compare_panel (fixture->window);
  ScopeWorkspace *workspace = scope_window_get_workspace (fixture->window);
  ScopeResult *result;
  const VggModel *model;
  g_autofree float *input_b = NULL;
  g_autofree double *cosines = NULL;
  VggImage image = { 0 };
  VggRunOptions options;
  int n_layers;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-view", "s",
                                             "compare"));
  open_picture (fixture->window, path_a);
  scope_compare_panel_set_second (panel, file_b);
  test_ui_wait_until (panel_compared, panel, TIMEOUT_MS);

  result = scope_workspace_get_result (workspace);
  model = scope_model_get_engine (scope_result_get_model (result));
  n_layers = vgg_model_n_layers (model);
  input_b = g_new (float, g_bytes_get_size (scope_result_get_input (result)) / sizeof (float));
  g_assert_cmpint (vgg_image_load (&image, path_b, NULL), ==, VGG_STATUS_OK);
  g_assert_cmpint (vgg_model_preprocess (model, input_b, &image, NULL, NULL), ==, VGG_STATUS_OK);
  vgg_image_clear (&image);
  cosines = g_new (double, n_layers);
  scope_engine_environment_run_options (&options);
  g_assert_cmpint (vgg_compare_inputs (model, &options,
                                       g_bytes_get_data (scope_result_get_input (result), NULL),
                                       input_b, cosines, NULL), ==, VGG_STATUS_OK);
  for (int l = 0; l < n_layers; l++)
    {
      g_autofree char *want = g_strdup_printf ("%.4f", cosines[l]);

      g_assert_cmpfloat (scope_compare_panel_get_cosine (panel, l), ==, cosines[l]);
      g_assert_cmpstr (scope_compare_panel_get_cosine_text (panel, l), ==, want);
      g_assert_cmpfloat (cosines[l], <, 1.0);
    }

  /* the same picture twice: 1 everywhere */
  {
    g_autoptr(GFile) file_a = g_file_new_for_path (path_a);

    scope_compare_panel_set_second (panel, file_a);
    test_ui_wait_until (panel_idle, panel, TIMEOUT_MS);
    for (int l = 0; l < n_layers; l++)
      g_assert_cmpfloat (fabs (scope_compare_panel_get_cosine (panel, l) - 1.0), <, 1e-6);
  }
}

/* "Visualize" shows the engine's picture for the selected layer and channel. */
static void
test_visualize (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autofree char *path_a = fashion_sample ("bag-18.png");
  ScopeComparePanel *panel = scope_window_get_compare_panel (fixture->window);
  ScopeWorkspace *workspace = scope_window_get_workspace (fixture->window);
  const VggModel *model;
  const VggConfig *config;
  VggVisualizeRequest request;
  g_autofree float *want = NULL;
  const float *shown;
  int layer, steps = 0;
  size_t count;

  open_picture (fixture->window, path_a);
  model = scope_model_get_engine (scope_workspace_get_model (workspace));
  layer = vgg_model_find_layer (model, "conv2_1");
  scope_workspace_set_selected_layer (workspace, layer);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (panel), "compare.visualize", NULL));
  g_assert_true (scope_compare_panel_get_busy (panel));
  test_ui_wait_until (panel_idle, panel, TIMEOUT_MS);
  shown = scope_compare_panel_get_visualization (panel, &steps);
  g_assert_nonnull (shown);

  config = vgg_model_config (model);
  count = (size_t) config->input_channels * config->input_height * config->input_width;
  want = g_new (float, count);
  vgg_visualize_request_init (&request, model, layer, 0);
  g_assert_cmpint (steps, ==, request.steps);
  g_assert_cmpint (vgg_visualize (model, &request, want, NULL, NULL, NULL, NULL), ==,
                   VGG_STATUS_OK);
  g_assert_cmpmem (shown, count * sizeof (float), want, count * sizeof (float));
}

/* Whether the async export to @data (a path) has finished: a whole PNG is there. */
static gboolean
file_written (gpointer data)
{
  g_autoptr(GdkTexture) texture = NULL;

  if (!g_file_test (data, G_FILE_TEST_IS_REGULAR))
    return FALSE;
  texture = gdk_texture_new_from_filename (data, NULL);
  return texture != NULL;
}

static gboolean
cka_idle (gpointer data)
{
  return !scope_cka_view_get_busy (data);
}

/* Every layer's Gram matrices of @model over the sample pictures, as the view lists them. */
static double *
sample_grams (const VggModel *model,
              int            *n_pictures)
{
  static const char *const folders[] = { "samples", "fashion-mnist/samples" };
  const VggConfig *config = vgg_model_config (model);
  size_t count = (size_t) config->input_channels * config->input_height * config->input_width;
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  g_autofree float *inputs = NULL;
  VggRunOptions options;
  double *grams;
  int n;

  for (gsize f = 0; f < G_N_ELEMENTS (folders); f++)
    {
      g_autofree char *dir = g_build_filename (SOURCE_DATADIR, folders[f], NULL);
      const char *names[] = { "astronaut.jpg", "cat.jpg", "coffee.jpg", "ankle-boot-0.png",
                              "bag-18.png", "coat-6.png", "dress-13.png", "pullover-1.png",
                              "sandal-8.png", "shirt-4.png", "sneaker-9.png", "t-shirt-19.png",
                              "trouser-2.png" };
      for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
        {
          char *path = g_build_filename (dir, names[i], NULL);
          if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
            g_ptr_array_add (paths, path);
          else
            g_free (path);
        }
    }
  n = (int) paths->len;
  g_assert_cmpint (n, ==, 13);
  inputs = g_new (float, count * n);
  for (int i = 0; i < n; i++)
    {
      VggImage image = { 0 };
      g_assert_cmpint (vgg_image_load (&image, g_ptr_array_index (paths, i), NULL), ==,
                       VGG_STATUS_OK);
      g_assert_cmpint (vgg_model_preprocess (model, inputs + count * i, &image, NULL, NULL), ==,
                       VGG_STATUS_OK);
      vgg_image_clear (&image);
    }
  grams = g_new (double, (size_t) vgg_model_n_layers (model) * n * n);
  scope_engine_environment_run_options (&options);
  g_assert_cmpint (vgg_layer_grams (model, &options, inputs, n, 0.0, grams, NULL, NULL, NULL),
                   ==, VGG_STATUS_OK);
  *n_pictures = n;
  return grams;
}

/* Two models: the heat map holds the engine's CKA of every pair of layers over the samples,
 * and B's top 5 is shown. */
static void
test_cka (Fixture       *fixture,
          gconstpointer  user_data)
{
  g_autofree char *path_a = fashion_sample ("trouser-2.png");
  g_autofree char *weights_b = test_fixture_path ("reference", "narrow-vgg16.safetensors", NULL);
  g_autoptr(GFile) file_b = g_file_new_for_path (weights_b);
  ScopeCkaView *view =
    scope_compare_panel_get_cka_view (scope_window_get_compare_panel (fixture->window));
  ScopeWorkspace *workspace = scope_window_get_workspace (fixture->window);
  g_autofree double *grams_a = NULL, *grams_b = NULL;
  const double *matrix;
  VggModel *model_b = NULL;
  const VggModel *model_a;
  int n_a, n_b, n_pictures, n;

  open_picture (fixture->window, path_a);
  scope_cka_view_set_model_b (view, file_b);
  g_assert_true (scope_cka_view_get_busy (view));
  test_ui_wait_until (cka_idle, view, TIMEOUT_MS);
  matrix = scope_cka_view_get_matrix (view, &n_a, &n_b, &n_pictures);
  g_assert_nonnull (matrix);
  model_a = scope_model_get_engine (scope_workspace_get_model (workspace));
  g_assert_cmpint (vgg_model_load (&model_b, weights_b, NULL), ==, VGG_STATUS_OK);
  g_assert_cmpint (n_a, ==, vgg_model_n_layers (model_a));
  g_assert_cmpint (n_b, ==, vgg_model_n_layers (model_b));
  grams_a = sample_grams (model_a, &n);
  grams_b = sample_grams (model_b, &n);
  g_assert_cmpint (n_pictures, ==, n);
  for (int i = 0; i < n_a; i++)
    for (int j = 0; j < n_b; j++)
      {
        double want = vgg_linear_cka (grams_a + (size_t) i * n * n, grams_b + (size_t) j * n * n,
                                      n);
        /* the same computation; only the last bits of a Winograd pass may differ between a
         * worker and the main thread */
        g_assert_cmpfloat (fabs (matrix[(size_t) i * n_b + j] - want), <, 1e-9);
      }
  g_assert_nonnull (strstr (scope_cka_view_get_top5_text (view), "%"));
  vgg_model_free (model_b);
}

static gboolean
have_numpy (void)
{
  const char *argv[] = { "/usr/bin/python3", "-c", "import numpy", NULL };
  int wait_status = -1;

  return g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                       NULL, NULL, &wait_status, NULL)
         && WIFEXITED (wait_status) && WEXITSTATUS (wait_status) == 0;
}

/* The exports: the layer as .npy (NumPy reads the same numbers), the table as CSV, PNG at 2×. */
static void
test_exports (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_autofree char *path_a = fashion_sample ("sneaker-9.png");
  ScopeWorkspace *workspace = scope_window_get_workspace (fixture->window);
  g_autofree char *npy = g_build_filename (fixture->tmpdir, "layer.npy", NULL);
  g_autofree char *raw = g_build_filename (fixture->tmpdir, "layer.raw", NULL);
  g_autofree char *csv_path = g_build_filename (fixture->tmpdir, "layers.csv", NULL);
  g_autofree char *csv = NULL;
  g_auto(GStrv) lines = NULL;
  const VggModel *model;
  ScopeCapture *capture;
  const VggLayer *layer;

  open_picture (fixture->window, path_a);
  model = scope_model_get_engine (scope_workspace_get_model (workspace));
  scope_workspace_set_selected_layer (workspace, vgg_model_find_layer (model, "conv2_2"));
  test_ui_wait_until (test_ui_result_done, fixture->window, TIMEOUT_MS);
  capture = scope_workspace_get_capture (workspace);
  g_assert_nonnull (capture);
  layer = scope_workspace_get_layer_info (workspace);
  g_assert_cmpstr (layer->name, ==, "conv2_2");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window),
                                             "win.export-activations", "s", npy));
  g_assert_true (g_file_test (npy, G_FILE_TEST_IS_REGULAR));
  g_assert_nonnull (strstr (scope_window_get_last_toast (fixture->window), "layer.npy"));
  g_assert_true (g_file_set_contents (raw, (const char *) capture->data,
                                      (gssize) ((size_t) capture->channels * capture->height
                                                * capture->width * sizeof (float)), NULL));
  if (have_numpy ())
    {
      g_autofree char *shape = g_strdup_printf ("(1, %d, %d, %d)", capture->channels,
                                                capture->height, capture->width);
      const char *argv[] = {
        "/usr/bin/python3", "-c",
        "import sys, numpy as np\n"
        "a = np.load(sys.argv[1])\n"
        "b = np.fromfile(sys.argv[2], dtype='<f4')\n"
        "assert a.dtype == np.dtype('<f4'), a.dtype\n"
        "assert str(a.shape) == sys.argv[3], (a.shape, sys.argv[3])\n"
        "assert np.array_equal(a.ravel(), b), 'values differ'\n",
        npy, raw, shape, NULL,
      };
      g_autofree char *err = NULL;
      int wait_status = -1;

      g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL,
                                   &err, &wait_status, NULL));
      if (!WIFEXITED (wait_status) || WEXITSTATUS (wait_status) != 0)
        g_error ("NumPy does not read the export back: %s", err);
    }
  else
    g_test_message ("python3-numpy is missing: the .npy export is checked by the engine only");
  {
    VggNpy back = { 0 };

    g_assert_cmpint (vgg_npy_load (&back, npy, NULL), ==, VGG_STATUS_OK);
    g_assert_cmpint (back.ndim, ==, 4);
    g_assert_cmpmem (back.data, back.count * sizeof (float), capture->data,
                     (size_t) capture->channels * capture->height * capture->width
                     * sizeof (float));
    vgg_npy_clear (&back);
  }

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window),
                                             "win.export-layer-table", "s", csv_path));
  g_assert_true (g_file_get_contents (csv_path, &csv, NULL, NULL));
  lines = g_strsplit (csv, "\r\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, vgg_model_n_layers (model) + 2);
  g_assert_true (g_str_has_prefix (lines[0], "name,kind,block,"));
  g_assert_true (g_str_has_prefix (lines[1], "conv1_1,conv,1,1,32,32,32,32,32,"));

  /* the Compare view as PNG, at its size and at 2× */
  {
    g_autofree char *view_png = g_build_filename (fixture->tmpdir, "view.png", NULL);
    g_autofree char *view_png2 = g_build_filename (fixture->tmpdir, "view@2x.png", NULL);
    GtkWidget *panel = GTK_WIDGET (scope_window_get_compare_panel (fixture->window));
    g_autoptr(GdkTexture) one = NULL, two = NULL;

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-view",
                                               "s", "compare"));
    test_ui_wait_drawn (panel, TIMEOUT_MS);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.export-view",
                                               "s", view_png));
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window),
                                               "win.export-view-large", "s", view_png2));
    test_ui_wait_until (file_written, view_png, TIMEOUT_MS);
    test_ui_wait_until (file_written, view_png2, TIMEOUT_MS);
    one = gdk_texture_new_from_filename (view_png, NULL);
    two = gdk_texture_new_from_filename (view_png2, NULL);
    g_assert_nonnull (one);
    g_assert_nonnull (two);
    g_assert_cmpint (gdk_texture_get_width (one), ==, gtk_widget_get_width (panel));
    g_assert_cmpint (gdk_texture_get_height (one), ==, gtk_widget_get_height (panel));
    g_assert_cmpint (gdk_texture_get_width (two), ==, 2 * gtk_widget_get_width (panel));
    g_assert_cmpint (gdk_texture_get_height (two), ==, 2 * gtk_widget_get_height (panel));
  }

  /* PNG at 2×: twice the size, every pixel a 2 × 2 square of the original's */
  {
    g_autoptr(GdkTexture) texture =
      scope_maps_panel_render (fixture->window->maps_panel, NULL);
    g_autoptr(GBytes) png = NULL;
    g_autoptr(GdkTexture) large = NULL;
    g_autofree guint8 *small_pixels = NULL, *large_pixels = NULL;
    int w, h;

    g_assert_nonnull (texture);
    png = scope_export_png (texture, 2);
    large = gdk_texture_new_from_bytes (png, NULL);
    g_assert_nonnull (large);
    w = gdk_texture_get_width (texture);
    h = gdk_texture_get_height (texture);
    g_assert_cmpint (gdk_texture_get_width (large), ==, 2 * w);
    g_assert_cmpint (gdk_texture_get_height (large), ==, 2 * h);
    small_pixels = g_malloc ((gsize) w * h * 4);
    large_pixels = g_malloc ((gsize) w * h * 16);
    gdk_texture_download (texture, small_pixels, (gsize) w * 4);
    gdk_texture_download (large, large_pixels, (gsize) w * 8);
    for (int y = 0; y < 2 * h; y++)
      for (int x = 0; x < 2 * w; x++)
        g_assert_cmpmem (large_pixels + ((gsize) y * 2 * w + x) * 4, 4,
                         small_pixels + ((gsize) (y / 2) * w + x / 2) * 4, 4);
  }
}

int
main (int    argc,
      char **argv)
{
  test_ui_init (&argc, &argv);
  g_test_add ("/ui-compare/cosines", Fixture, NULL, fixture_setup, test_cosines,
              fixture_teardown);
  g_test_add ("/ui-compare/visualize", Fixture, NULL, fixture_setup, test_visualize,
              fixture_teardown);
  g_test_add ("/ui-compare/cka", Fixture, NULL, fixture_setup, test_cka, fixture_teardown);
  g_test_add ("/ui-compare/exports", Fixture, NULL, fixture_setup, test_exports,
              fixture_teardown);
  return g_test_run ();
}
