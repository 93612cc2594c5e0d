/* test-ui-window.c — the main window, driven the way a user drives it
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Pictures go in through scope_window_open_value(), the same function a drop calls. Each
 * test spins the main loop until the inference job has delivered, then looks at the views.
 */
#include "config.h"

#include <gst/gst.h>
#include <math.h>

#include "scope-application.h"
#include "scope-arch-diagram.h"
#include "scope-layer-item.h"
#include "scope-prediction.h"
#include "scope-window-private.h"
#include "test-ui-util.h"

#include <glib/gstdio.h>
#include <string.h>

#define TIMEOUT_MS 60000

typedef struct
{
  ScopeWindow     *window;
  ScopeModelStore *store;
  char            *tmpdir;
} Fixture;

static gboolean
result_done (gpointer data)
{
  ScopeWindow *window = data;
  ScopeResult *result = scope_workspace_get_result (scope_window_get_workspace (window));

  return result != NULL && scope_workspace_get_pending_result (scope_window_get_workspace (window)) == NULL
         && scope_result_get_status (result) == SCOPE_RESULT_DONE;
}

static gboolean
toast_shown (gpointer data)
{
  return scope_window_get_last_toast (data) != NULL;
}

static gboolean
toast_replaced (gpointer data)
{
  return g_strcmp0 (scope_window_get_last_toast (data), "reset") != 0;
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(GFile) models = NULL;

  fixture->tmpdir = g_dir_make_tmp ("test-ui-window-XXXXXX", NULL);
  g_assert_nonnull (fixture->tmpdir);
  models = g_file_new_build_filename (fixture->tmpdir, "models", NULL);
  fixture->store = scope_model_store_new (models);
  fixture->window = test_ui_window_new (fixture->store, TIMEOUT_MS);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  user_data)
{
  /* let every job finish, so nothing holds the window any more */
  test_ui_wait_until (test_ui_inference_idle, NULL, TIMEOUT_MS);
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  test_ui_wait_until (test_ui_last_reference, fixture->window, TIMEOUT_MS);
  g_assert_finalize_object (fixture->window);
  /* the window's workspace lets go of the store once a model load it cancelled returns */
  test_ui_wait_until (test_ui_last_reference, fixture->store, TIMEOUT_MS);
  g_assert_finalize_object (fixture->store);
  test_remove_tree (fixture->tmpdir);
  g_free (fixture->tmpdir);
  {
    g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);

    g_settings_reset (settings, "model");
  }
}

/* What a drop of one file does. */
static void
drop_file (ScopeWindow *window,
           const char  *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  GSList list = { file, NULL };
  GValue value = G_VALUE_INIT;

  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_value_set_boxed (&value, &list);
  g_assert_true (scope_window_open_value (window, &value));
  g_value_unset (&value);
}

static void
drop_sample (ScopeWindow *window,
             const char  *name)
{
  g_autofree char *path = test_ui_sample_path (name);

  drop_file (window, path);
}

/* Layers are picked by what they are, not by name, so the tests hold for whatever network
 * the built-in model is: the first layer of kind @kind in block @block (0: any block), or the
 * last one of that kind when @last. -1 if there is none. */
static int
find_layer (const VggModel *model,
            VggLayerKind    kind,
            int             block,
            gboolean        last)
{
  int found = -1;

  for (int i = 0; i < vgg_model_n_layers (model); i++)
    {
      const VggLayer *layer = vgg_model_layer (model, i);

      if (layer->kind != kind || (block > 0 && layer->block != block))
        continue;
      found = i;
      if (!last)
        break;
    }
  return found;
}

static void
test_prediction (Fixture       *fixture,
                 gconstpointer  user_data)
{
  ScopeResult *result;
  GListModel *prediction;
  double sum = 0, previous = 1.0;

  /* GStreamer waits for the Live view to open something: gst_init() would cost every
   * start-up 13-17 ms on the main thread (this is the binary's first test and window) */
  g_assert_false (gst_is_initialized ());

  drop_sample (fixture->window, "cat.jpg");
  g_assert_true (test_ui_wait (result_done, fixture->window, TIMEOUT_MS));

  result = scope_workspace_get_result (scope_window_get_workspace (fixture->window));
  g_assert_cmpstr (scope_source_get_display_name (scope_result_get_source (result)), ==,
                   "cat.jpg");
  prediction = scope_result_get_prediction (result);
  g_assert_cmpuint (g_list_model_get_n_items (prediction), ==, 5);
  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(ScopePrediction) row = g_list_model_get_item (prediction, i);
      double p = scope_prediction_get_probability (row);

      g_assert_cmpint (scope_prediction_get_rank (row), ==, (int) i + 1);
      g_assert_nonnull (scope_prediction_get_label (row));
      g_assert_cmpfloat (p, >=, 0.0);
      g_assert_cmpfloat (p, <=, previous);
      previous = p;
      sum += p;
    }
  g_assert_cmpfloat (sum, <=, 1.0 + 1e-6);

  /* the chart shows exactly that list */
  test_ui_assert_chart_shows (GTK_WIDGET (scope_window_get_prob_chart (fixture->window)),
                              prediction);
  /* the input pictures reached the image view */
  g_assert_nonnull (scope_image_view_get_seen (scope_window_get_image_view (fixture->window)));
  g_assert_cmpint (gdk_texture_get_width (scope_result_get_seen (result)), ==,
                   vgg_model_config (scope_model_get_engine (
                     scope_workspace_get_model (scope_window_get_workspace (fixture->window))))->input_width);
}

typedef struct
{
  ScopeWindow *window;
  ScopeResult *first;           /* the result shown before the drop */
  int          shown;           /* results made current since */
  gboolean     shown_with_maps; /* each with its first layer's maps (or done) */
  gint64       pending_since;   /* when the newest pending result appeared, or 0 */
  gboolean     early_progress;  /* a progress bar within 150 ms of a pending result */
} Handover;

static void
on_handover_result (ScopeWorkspace *workspace,
                    GParamSpec     *pspec,
                    Handover       *handover)
{
  ScopeResult *result = scope_workspace_get_result (workspace);

  if (result == NULL || result == handover->first)
    return;
  handover->shown++;
  if (scope_result_get_capture (result, 0) == NULL
      && scope_result_get_status (result) != SCOPE_RESULT_DONE)
    handover->shown_with_maps = FALSE;
}

static void
on_handover_pending (ScopeWorkspace *workspace,
                     GParamSpec     *pspec,
                     Handover       *handover)
{
  if (scope_workspace_get_pending_result (workspace) == NULL)
    handover->pending_since = 0;
  else if (handover->pending_since == 0)
    handover->pending_since = g_get_monotonic_time ();
}

static void
on_handover_progress (GtkWidget  *progress_bar,
                      GParamSpec *pspec,
                      Handover   *handover)
{
  if (gtk_widget_get_visible (progress_bar) && handover->pending_since != 0
      && g_get_monotonic_time () - handover->pending_since < 150 * 1000)
    handover->early_progress = TRUE;
}

static gboolean
handover_done (gpointer user_data)
{
  Handover *handover = user_data;

  return result_done (handover->window)
         && scope_workspace_get_result (scope_window_get_workspace (handover->window))
              != handover->first;
}

/* A new picture replaces the last one together with its first layer's maps, in one frame,
 * not before them; a progress bar appears only for a picture that takes longer than
 * that (150 ms) to start. */
static void
test_picture_with_first_maps (Fixture       *fixture,
                              gconstpointer  user_data)
{
  ScopeWorkspace *workspace = scope_window_get_workspace (fixture->window);
  Handover handover = { fixture->window, NULL, 0, TRUE, 0, FALSE };
  gulong handlers[3];

  drop_sample (fixture->window, "cat.jpg");
  g_assert_true (test_ui_wait (result_done, fixture->window, TIMEOUT_MS));
  handover.first = scope_workspace_get_result (workspace);
  g_assert_nonnull (handover.first);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (fixture->window->progress_bar)));

  handlers[0] = g_signal_connect (workspace, "notify::result",
                                  G_CALLBACK (on_handover_result), &handover);
  handlers[1] = g_signal_connect (workspace, "notify::pending-result",
                                  G_CALLBACK (on_handover_pending), &handover);
  handlers[2] = g_signal_connect (fixture->window->progress_bar, "notify::visible",
                                  G_CALLBACK (on_handover_progress), &handover);
  drop_sample (fixture->window, "coffee.jpg");
  /* the last picture stays until the new one comes with its maps */
  g_assert_true (scope_workspace_get_result (workspace) == handover.first);
  g_assert_nonnull (scope_workspace_get_pending_result (workspace));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (fixture->window->progress_bar)));
  test_ui_wait_until (handover_done, &handover, TIMEOUT_MS);
  g_signal_handler_disconnect (workspace, handlers[0]);
  g_signal_handler_disconnect (workspace, handlers[1]);
  g_signal_handler_disconnect (fixture->window->progress_bar, handlers[2]);

  g_assert_cmpint (handover.shown, ==, 1);
  g_assert_true (handover.shown_with_maps);
  g_assert_false (handover.early_progress);
  g_assert_cmpstr (scope_source_get_display_name (
                     scope_result_get_source (scope_workspace_get_result (workspace))), ==,
                   "coffee.jpg");
}

static void
test_layers (Fixture       *fixture,
             gconstpointer  user_data)
{
  ScopeModel *model = scope_workspace_get_model (scope_window_get_workspace (fixture->window));
  const VggModel *engine = scope_model_get_engine (model);
  ScopeLayerList *list = scope_window_get_layer_list (fixture->window);
  ScopeFeatureGrid *grid = scope_window_get_feature_grid (fixture->window);
  GListModel *items = scope_layer_list_get_items (list);
  ScopeResult *result;
  int conv2_1 = find_layer (engine, VGG_LAYER_CONV, 2, FALSE);   /* block 2's first conv */
  int fc = find_layer (engine, VGG_LAYER_FC, 0, FALSE);

  drop_sample (fixture->window, "cat.jpg");
  g_assert_true (test_ui_wait (result_done, fixture->window, TIMEOUT_MS));
  result = scope_workspace_get_result (scope_window_get_workspace (fixture->window));

  /* one row per layer, in order */
  g_assert_cmpuint (g_list_model_get_n_items (items), ==, (guint) vgg_model_n_layers (engine));
  for (int i = 0; i < vgg_model_n_layers (engine); i++)
    {
      g_autoptr(ScopeLayerItem) item = g_list_model_get_item (items, (guint) i);

      g_assert_cmpint (scope_layer_item_get_index (item), ==, i);
      g_assert_cmpstr (scope_layer_item_get_name (item), ==, vgg_model_layer (engine, i)->name);
      /* every layer was captured */
      g_assert_nonnull (scope_result_get_capture (result, i));
    }

  /* selecting in the table selects everywhere */
  g_assert_cmpint (conv2_1, >, 0);
  scope_layer_list_set_selected_layer (list, conv2_1);
  g_assert_cmpint (scope_workspace_get_selected_layer (scope_window_get_workspace (fixture->window)), ==, conv2_1);
  g_assert_cmpint (scope_arch_diagram_get_selected_layer (
                     SCOPE_ARCH_DIAGRAM (scope_window_get_arch_diagram (fixture->window))),
                   ==, conv2_1);
  g_assert_cmpint (scope_feature_grid_get_n_channels (grid), ==,
                   vgg_model_layer (engine, conv2_1)->channels_out);

  /* and in the diagram */
  scope_arch_diagram_set_selected_layer (
    SCOPE_ARCH_DIAGRAM (scope_window_get_arch_diagram (fixture->window)), conv2_1 + 2);
  g_assert_cmpint (scope_layer_list_get_selected_layer (list), ==, conv2_1 + 2);
  g_assert_cmpint (scope_feature_grid_get_n_channels (grid), ==,
                   vgg_model_layer (engine, conv2_1 + 2)->channels_out);

  /* next/previous layer actions */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.next-layer", NULL);
  g_assert_cmpint (scope_workspace_get_selected_layer (scope_window_get_workspace (fixture->window)), ==, conv2_1 + 3);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.previous-layer", NULL);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.previous-layer", NULL);
  g_assert_cmpint (scope_layer_list_get_selected_layer (list), ==, conv2_1 + 1);

  /* fully connected layers: one 1 × 1 "map" per unit */
  g_assert_cmpint (fc, >, 0);
  scope_workspace_set_selected_layer (scope_window_get_workspace (fixture->window), fc);
  g_assert_cmpint (scope_feature_grid_get_n_channels (grid), ==,
                   vgg_model_layer (engine, fc)->channels_out);
}

static void
test_receptive_field (Fixture       *fixture,
                      gconstpointer  user_data)
{
  const VggModel *engine = scope_model_get_engine (scope_workspace_get_model (scope_window_get_workspace (fixture->window)));
  ScopeFeatureGrid *grid = scope_window_get_feature_grid (fixture->window);
  ScopeImageView *image_view = scope_window_get_image_view (fixture->window);
  ScopeChannelView *channel_view = scope_window_get_channel_view (fixture->window);
  ScopeViewState *view_state = scope_window_get_view_state (fixture->window);
  /* the first conv, a middle one, the last pool, the last conv */
  int layers[] = {
    0,
    find_layer (engine, VGG_LAYER_CONV, vgg_model_config (engine)->n_blocks / 2 + 1, TRUE),
    find_layer (engine, VGG_LAYER_POOL, 0, TRUE),
    find_layer (engine, VGG_LAYER_CONV, 0, TRUE),
  };

  drop_sample (fixture->window, "coffee.jpg");
  g_assert_true (test_ui_wait (result_done, fixture->window, TIMEOUT_MS));

  for (guint i = 0; i < G_N_ELEMENTS (layers); i++)
    {
      int index = layers[i];
      const VggLayer *layer = vgg_model_layer (engine, index);
      int y = layer->height_out / 3, x = layer->width_out - 1;
      VggRect expected, shown;
      int unit_y, unit_x;
      float value;

      scope_workspace_set_selected_layer (scope_window_get_workspace (fixture->window), index);
      /* (the X server's pointer may rest over the grid and have pointed at a unit) */
      scope_view_state_set_unit (view_state, -1, -1);
      g_assert_false (scope_image_view_get_receptive_rect (image_view, NULL));

      scope_view_state_set_unit (view_state, y, x);
      g_assert_true (vgg_model_receptive_rect (engine, index, y, x, &expected));
      g_assert_true (scope_image_view_get_receptive_rect (image_view, &shown));
      g_assert_cmpint (shown.x, ==, expected.x);
      g_assert_cmpint (shown.y, ==, expected.y);
      g_assert_cmpint (shown.width, ==, expected.width);
      g_assert_cmpint (shown.height, ==, expected.height);

      /* the large channel view marks the same unit and reads its value */
      scope_view_state_get_unit (view_state, &unit_y, &unit_x);
      g_assert_cmpint (unit_y, ==, y);
      g_assert_cmpint (unit_x, ==, x);
      g_signal_emit_by_name (grid, "channel-activated", 1);
      g_assert_cmpint (scope_channel_view_get_channel (channel_view), ==, 1);
      g_assert_true (scope_channel_view_get_value (channel_view, &value));
      g_assert_cmpfloat (value, ==,
                         scope_capture_value (scope_result_get_capture (
                                                scope_workspace_get_result (scope_window_get_workspace (fixture->window)), index),
                                              1, y, x));
      gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-grid", NULL);

      /* and the other way round: a unit picked in the channel view moves the rectangle */
      scope_view_state_set_unit (view_state, 0, 0);
      g_assert_true (vgg_model_receptive_rect (engine, index, 0, 0, &expected));
      g_assert_true (scope_image_view_get_receptive_rect (image_view, &shown));
      g_assert_cmpint (shown.x, ==, expected.x);
      g_assert_cmpint (shown.width, ==, expected.width);
    }
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  user_data)
{
  g_autoptr(ScopeResult) first = NULL;
  ScopeResult *second;

  /* two pictures in a row, without the main loop running in between */
  drop_sample (fixture->window, "astronaut.jpg");
  first = g_object_ref (scope_workspace_get_pending_result (scope_window_get_workspace (fixture->window)));
  drop_sample (fixture->window, "cat.jpg");
  second = scope_workspace_get_pending_result (scope_window_get_workspace (fixture->window));
  g_assert_true (first != second);
  g_assert_cmpint (scope_result_get_status (first), ==, SCOPE_RESULT_CANCELLED);

  g_assert_true (test_ui_wait (result_done, fixture->window, TIMEOUT_MS));
  /* let any late hand-over from the first job arrive */
  test_ui_wait_until (test_ui_inference_idle, NULL, TIMEOUT_MS);

  g_assert_true (scope_workspace_get_result (scope_window_get_workspace (fixture->window)) == second);
  g_assert_cmpstr (scope_source_get_display_name (scope_result_get_source (second)), ==,
                   "cat.jpg");
  /* the first result was never applied */
  g_assert_cmpint (scope_result_get_status (first), ==, SCOPE_RESULT_CANCELLED);
  g_assert_cmpuint (g_list_model_get_n_items (scope_result_get_prediction (first)), ==, 0);
  g_assert_null (scope_result_get_original (first));
  g_assert_null (scope_result_get_capture (first, 0));
}

/* Whether the result that was pending when the wait began is the one on screen. */
static gboolean
result_is_pending (gpointer window)
{
  ScopeResult *pending = g_object_get_data (window, "test-pending");

  return scope_workspace_get_result (scope_window_get_workspace (window)) == pending;
}

static void
test_cancel_while_running (Fixture       *fixture,
                           gconstpointer  user_data)
{
  g_autoptr(ScopeResult) first = NULL;
  ScopeResultStatus status;
  guint n_predicted;
  double fraction;

  drop_sample (fixture->window, "astronaut.jpg");
  first = g_object_ref (scope_workspace_get_pending_result (scope_window_get_workspace (fixture->window)));
  g_object_set_data (G_OBJECT (fixture->window), "test-pending", first);
  /* wait until the first job is on screen, then replace it */
  test_ui_wait_until (result_is_pending, fixture->window, TIMEOUT_MS);
  drop_sample (fixture->window, "coffee.jpg");

  /* whatever the first job had delivered by now, nothing more may arrive */
  status = scope_result_get_status (first);
  n_predicted = g_list_model_get_n_items (scope_result_get_prediction (first));
  fraction = scope_result_get_fraction (first);
  g_assert_true (status == SCOPE_RESULT_CANCELLED || status == SCOPE_RESULT_DONE);
  if (status == SCOPE_RESULT_CANCELLED)
    g_assert_cmpuint (n_predicted, ==, 0);

  g_assert_true (test_ui_wait (result_done, fixture->window, TIMEOUT_MS));
  test_ui_wait_until (test_ui_inference_idle, NULL, TIMEOUT_MS);

  g_assert_true (scope_workspace_get_result (scope_window_get_workspace (fixture->window)) != first);
  g_assert_cmpint (scope_result_get_status (first), ==, status);
  g_assert_cmpuint (g_list_model_get_n_items (scope_result_get_prediction (first)), ==,
                    n_predicted);
  g_assert_cmpfloat (scope_result_get_fraction (first), ==, fraction);
}

static void
test_broken_file (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autofree char *path = g_build_filename (fixture->tmpdir, "broken.jpg", NULL);
  const char *toast;
  ScopeResult *good;

  g_assert_true (g_file_set_contents (path, "this is not a picture\n", -1, NULL));

  /* first with nothing on screen */
  drop_file (fixture->window, path);
  g_assert_true (test_ui_wait (toast_shown, fixture->window, TIMEOUT_MS));
  toast = scope_window_get_last_toast (fixture->window);
  g_test_message ("toast: %s", toast);
  g_assert_nonnull (strstr (toast, "broken.jpg"));
  g_assert_null (scope_workspace_get_result (scope_window_get_workspace (fixture->window)));
  g_assert_null (scope_workspace_get_pending_result (scope_window_get_workspace (fixture->window)));

  /* then over a good picture, which stays */
  drop_sample (fixture->window, "cat.jpg");
  g_assert_true (test_ui_wait (result_done, fixture->window, TIMEOUT_MS));
  good = scope_workspace_get_result (scope_window_get_workspace (fixture->window));
  scope_window_show_toast (fixture->window, "reset");
  drop_file (fixture->window, path);
  test_ui_wait_until (toast_replaced, fixture->window, TIMEOUT_MS);
  g_assert_nonnull (strstr (scope_window_get_last_toast (fixture->window), "broken.jpg"));
  g_assert_true (scope_workspace_get_result (scope_window_get_workspace (fixture->window)) == good);
  g_assert_cmpint (scope_result_get_status (good), ==, SCOPE_RESULT_DONE);

  g_unlink (path);
}

static void
test_texture_drop (Fixture       *fixture,
                   gconstpointer  user_data)
{
  /* image data from a browser arrives as a texture */
  guchar pixels[64 * 48 * 4];
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GValue value = G_VALUE_INIT;
  ScopeResult *result;

  for (gsize i = 0; i < sizeof pixels; i += 4)
    {
      pixels[i + 0] = (guchar) (i % 256);
      pixels[i + 1] = 128;
      pixels[i + 2] = (guchar) (255 - i % 256);
      pixels[i + 3] = 255;
    }
  bytes = g_bytes_new (pixels, sizeof pixels);
  texture = gdk_memory_texture_new (64, 48, GDK_MEMORY_R8G8B8A8, bytes, 64 * 4);
  g_value_init (&value, GDK_TYPE_TEXTURE);
  g_value_set_object (&value, texture);
  g_assert_true (scope_window_open_value (fixture->window, &value));
  g_value_unset (&value);

  g_assert_true (test_ui_wait (result_done, fixture->window, TIMEOUT_MS));
  result = scope_workspace_get_result (scope_window_get_workspace (fixture->window));
  g_assert_cmpint (gdk_texture_get_width (scope_result_get_original (result)), ==, 64);
  g_assert_cmpuint (g_list_model_get_n_items (scope_result_get_prediction (result)), ==, 5);
}

static void
test_settings (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  ScopeFeatureGrid *grid = scope_window_get_feature_grid (fixture->window);
  /* the grid draws from the window's view state, which the settings and actions drive */
  ScopeViewState *view_state = scope_feature_grid_get_view_state (grid);
  g_autofree char *normalization = NULL;

  g_assert_true (view_state == scope_window_get_view_state (fixture->window));
  /* toggles are property actions (enum ↔ nick) backed by GSettings */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "maps.normalization", "s", "layer");
  g_assert_cmpint (scope_view_state_get_normalization (view_state), ==,
                   SCOPE_NORMALIZATION_LAYER);
  normalization = g_settings_get_string (settings, "normalization");
  g_assert_cmpstr (normalization, ==, "layer");

  g_settings_set_string (settings, "colormap", "magma");
  g_assert_cmpint (scope_view_state_get_colormap (view_state), ==, SCOPE_COLORMAP_MAGMA);

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "maps.sort-by-activation", NULL);
  g_assert_true (scope_view_state_get_sort_by_activation (view_state));
  g_assert_true (g_settings_get_boolean (settings, "sort-by-activation"));

  g_settings_reset (settings, "normalization");
  g_settings_reset (settings, "colormap");
  g_settings_reset (settings, "sort-by-activation");
}

static void
test_model_switch (Fixture       *fixture,
                   gconstpointer  user_data)
{
  VggConfig config;
  VggModel *engine = NULL;
  VggError error = { 0 };
  g_autoptr(ScopeModel) model = NULL;
  ScopeResult *result;

  drop_sample (fixture->window, "cat.jpg");
  g_assert_true (test_ui_wait (result_done, fixture->window, TIMEOUT_MS));

  /* a small VGG11-shaped network: switching re-runs the current picture */
  vgg_config_for_name (&config, "vgg11", NULL);
  for (int b = 0; b < config.n_blocks; b++)
    config.block_widths[b] /= 16;
  config.hidden_fc_widths[0] = config.hidden_fc_widths[1] = 64;
  g_assert_cmpint (vgg_model_new_random (&engine, &config, 7, &error), ==, VGG_STATUS_OK);
  model = scope_model_new_take (engine, NULL);
  scope_workspace_set_model (scope_window_get_workspace (fixture->window), model);
  g_assert_nonnull (scope_workspace_get_pending_result (scope_window_get_workspace (fixture->window)));
  g_assert_true (test_ui_wait (result_done, fixture->window, TIMEOUT_MS));

  result = scope_workspace_get_result (scope_window_get_workspace (fixture->window));
  g_assert_true (scope_result_get_model (result) == model);
  g_assert_cmpstr (scope_source_get_display_name (scope_result_get_source (result)), ==,
                   "cat.jpg");
  g_assert_cmpuint (g_list_model_get_n_items (
                      scope_layer_list_get_items (scope_window_get_layer_list (fixture->window))),
                    ==, (guint) vgg_model_n_layers (engine));
}

static void
test_model_menu (Fixture       *fixture,
                 gconstpointer  user_data)
{
  g_autofree char *broken = g_build_filename (fixture->tmpdir, "models", "broken.safetensors",
                                              NULL);
  g_autofree char *dir = g_path_get_dirname (broken);
  g_autoptr(GFile) file = g_file_new_for_path (broken);
  g_autofree char *uri = g_file_get_uri (file);
  ScopeModel *before = scope_workspace_get_model (scope_window_get_workspace (fixture->window));

  /* a weight file in the models folder shows up in the menu */
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (broken, "not a weight file", -1, NULL));
  scope_model_store_add_file (fixture->store, file);
  g_assert_nonnull (scope_model_store_find (fixture->store, uri));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->store)), >=, 2);

  /* choosing a broken one says why and keeps the model in use */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.model", "s", uri);
  g_assert_true (test_ui_wait (toast_shown, fixture->window, TIMEOUT_MS));
  g_test_message ("toast: %s", scope_window_get_last_toast (fixture->window));
  g_assert_nonnull (strstr (scope_window_get_last_toast (fixture->window), "broken.safetensors"));
  g_assert_true (scope_workspace_get_model (scope_window_get_workspace (fixture->window)) == before);

  g_unlink (broken);
  g_rmdir (dir);
}

/* ---- model information ---- */

/* The first widget under @root of type @type (and, for labels, whose text contains @text). */
static GtkWidget *
find_widget (GtkWidget  *root,
             GType       type,
             const char *text)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type)
      && (text == NULL
          || (GTK_IS_LABEL (root)
              && strstr (gtk_label_get_label (GTK_LABEL (root)), text) != NULL)))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, type, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
label_shown (ScopeWindow *window,
             const char  *text)
{
  GtkWidget *label = find_widget (GTK_WIDGET (window), GTK_TYPE_LABEL, text);

  return label != NULL && gtk_widget_is_visible (label);
}

/* narrow-vgg16.safetensors (10 classes, 3 × 64 × 64) with its metadata replaced by
 * @preset and ten class names, written to @path. */
static void
write_model_with_classes (const char *path,
                          const char *preset)
{
  g_autofree char *source = g_test_build_filename (G_TEST_DIST, "fixtures", "reference",
                                                   "narrow-vgg16.safetensors", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *header = NULL;
  g_autofree char *metadata = NULL;
  g_autoptr(GString) rewritten = NULL;
  gsize length = 0;
  guint64 header_size, new_size;
  const char *begin, *end;

  g_assert_true (g_file_get_contents (source, &contents, &length, NULL));
  memcpy (&header_size, contents, 8);
  header_size = GUINT64_FROM_LE (header_size);
  header = g_strndup (contents + 8, header_size);
  /* the fixture's metadata holds no braces: its object ends at the first '}' */
  begin = strstr (header, "\"__metadata__\"");
  g_assert_nonnull (begin);
  end = strchr (begin, '}');
  g_assert_nonnull (end);
  metadata = g_strdup_printf ("\"__metadata__\":{\"vgg_scope.name\":\"Ten Things\","
                              "\"vgg_scope.preset\":\"%s\",\"vgg_scope.trained\":\"true\","
                              "\"vgg_scope.classes\":\"Alpha\\nBeta\\nGamma\\nDelta\\n"
                              "Epsilon\\nZeta\\nEta\\nTheta\\nIota\\nKappa\"}", preset);
  rewritten = g_string_new_len (header, begin - header);
  g_string_append (rewritten, metadata);
  g_string_append (rewritten, end + 1);
  /* keep the data 8-byte aligned */
  while ((8 + rewritten->len) % 8 != 0)
    g_string_append_c (rewritten, ' ');
  new_size = GUINT64_TO_LE ((guint64) rewritten->len);
  {
    g_autoptr(GByteArray) file = g_byte_array_new ();

    g_byte_array_append (file, (const guint8 *) &new_size, 8);
    g_byte_array_append (file, (const guint8 *) rewritten->str, rewritten->len);
    g_byte_array_append (file, (const guint8 *) contents + 8 + header_size,
                         length - 8 - header_size);
    g_assert_true (g_file_set_contents (path, (const char *) file->data, file->len, NULL));
  }
}

static void
test_no_classifier (Fixture       *fixture,
                    gconstpointer  user_data)
{
  VggConfig config;
  VggModel *engine = NULL;
  g_autoptr(ScopeModel) model = NULL;
  ScopeResult *result;
  GtkWidget *chart;

  drop_sample (fixture->window, "cat.jpg");
  g_assert_true (test_ui_wait (result_done, fixture->window, TIMEOUT_MS));
  chart = GTK_WIDGET (scope_window_get_prob_chart (fixture->window));
  g_assert_true (gtk_widget_is_visible (chart));
  g_assert_false (label_shown (fixture->window, "Feature Maps Only"));

  /* a Keras "notop"-like network: convolutions and pools, no classifier */
  vgg_config_for_name (&config, "vgg11", NULL);
  for (int b = 0; b < config.n_blocks; b++)
    config.block_widths[b] /= 16;
  config.n_hidden_fc = 0;
  config.n_classes = 0;
  g_assert_cmpint (vgg_model_new_random (&engine, &config, 3, NULL), ==, VGG_STATUS_OK);
  model = scope_model_new_take (engine, NULL);
  scope_workspace_set_model (scope_window_get_workspace (fixture->window), model);
  g_assert_true (test_ui_wait (result_done, fixture->window, TIMEOUT_MS));

  /* no prediction view; the app says why */
  result = scope_workspace_get_result (scope_window_get_workspace (fixture->window));
  g_assert_true (scope_result_get_model (result) == model);
  g_assert_cmpuint (g_list_model_get_n_items (scope_result_get_prediction (result)), ==, 0);
  g_assert_false (gtk_widget_is_visible (chart));
  g_assert_true (label_shown (fixture->window, "Feature Maps Only"));
  g_assert_true (label_shown (fixture->window, "no classifier"));
  /* every layer still has its feature maps */
  for (int i = 0; i < vgg_model_n_layers (engine); i++)
    g_assert_nonnull (scope_result_get_capture (result, i));
  {
    g_autofree char *description = scope_model_describe (engine);

    g_assert_nonnull (strstr (description, "no classifier: feature maps only"));
  }
}

static void
test_own_classes (Fixture       *fixture,
                  gconstpointer  user_data)
{
  g_autofree char *dir = g_build_filename (fixture->tmpdir, "models", NULL);
  g_autofree char *path = g_build_filename (dir, "ten-things.safetensors", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *uri = g_file_get_uri (file);
  AdwWindowTitle *title;
  ScopeModelEntry *entry;
  g_auto(GStrv) samples = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  write_model_with_classes (path, "plain");
  entry = scope_model_store_add_file (fixture->store, file);

  /* loading happens on a worker thread; the header names the file meanwhile */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.model", "s", uri);
  title = ADW_WINDOW_TITLE (find_widget (GTK_WIDGET (fixture->window), ADW_TYPE_WINDOW_TITLE,
                                         NULL));
  g_assert_cmpstr (adw_window_title_get_subtitle (title), ==, "Loading ten-things.safetensors…");
  g_assert_true (test_ui_wait_for_model (fixture->window, uri, TIMEOUT_MS));
  g_assert_cmpstr (adw_window_title_get_subtitle (title), ==, "Ten Things");

  /* the menu says what it is; the prediction area what it recognises */
  g_assert_cmpstr (scope_model_entry_get_description (entry), ==,
                   "Ten Things\nsafetensors · plain preprocessing · 10 classes");
  g_assert_true (label_shown (fixture->window,
                              "Recognises 10 classes: Alpha, Beta, Gamma, Delta, Epsilon, Zeta, "
                              "Eta, Theta, Iota, Kappa"));

  /* a plain model gets the photographs */
  samples = scope_window_dup_sample_paths (fixture->window);
  g_assert_cmpuint (g_strv_length (samples), ==, 3);
  g_assert_true (g_str_has_suffix (samples[0], "cat.jpg"));
}

static void
test_fashion_samples (Fixture       *fixture,
                      gconstpointer  user_data)
{
  g_autofree char *dir = g_build_filename (fixture->tmpdir, "models", NULL);
  g_autofree char *path = g_build_filename (dir, "fashion.safetensors", NULL);
  g_autofree char *fashion = g_build_filename (SOURCE_DATADIR, "fashion-mnist", "samples", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *uri = g_file_get_uri (file);
  g_auto(GStrv) samples = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  write_model_with_classes (path, "fashion-mnist");
  scope_model_store_add_file (fixture->store, file);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.model", "s", uri);
  g_assert_true (test_ui_wait_for_model (fixture->window, uri, TIMEOUT_MS));

  g_assert_true (label_shown (fixture->window, "Recognises 10 Fashion-MNIST classes: Alpha, "));
  samples = scope_window_dup_sample_paths (fixture->window);
  g_assert_cmpuint (g_strv_length (samples), >, 0);
  if (!g_file_test (fashion, G_FILE_TEST_IS_DIR))
    {
      /* no Fashion-MNIST pictures in this tree: the photographs stand in */
      g_assert_true (g_str_has_suffix (samples[0], "cat.jpg"));
      return;
    }
  for (guint i = 0; samples[i] != NULL; i++)
    {
      g_assert_true (g_str_has_prefix (samples[i], fashion));
      g_assert_true (g_str_has_suffix (samples[i], ".png"));
    }
}

static gboolean
all_described (gpointer data)
{
  GListModel *store = data;

  for (guint i = 0; i < g_list_model_get_n_items (store); i++)
    {
      g_autoptr(ScopeModelEntry) entry = g_list_model_get_item (store, i);

      if (!scope_model_entry_get_described (entry))
        return FALSE;
    }
  return TRUE;
}

static void
test_model_descriptions (Fixture       *fixture,
                         gconstpointer  user_data)
{
  g_autofree char *dir = g_build_filename (fixture->tmpdir, "models", NULL);
  g_autofree char *good = g_build_filename (dir, "ten-things.safetensors", NULL);
  g_autofree char *broken = g_build_filename (dir, "broken.pth", NULL);
  g_autoptr(GFile) good_file = g_file_new_for_path (good);
  g_autoptr(GFile) broken_file = g_file_new_for_path (broken);
  ScopeModelEntry *good_entry, *broken_entry, *builtin;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  write_model_with_classes (good, "plain");
  g_assert_true (g_file_set_contents (broken, "not a weight file", -1, NULL));
  good_entry = scope_model_store_add_file (fixture->store, good_file);
  broken_entry = scope_model_store_add_file (fixture->store, broken_file);
  g_assert_cmpstr (scope_model_entry_get_description (good_entry), ==, "");

  /* what opening the model menu does: each file is read once, on a worker thread */
  scope_model_store_describe_all (fixture->store);
  g_assert_true (test_ui_wait (all_described, fixture->store, TIMEOUT_MS));
  g_assert_cmpstr (scope_model_entry_get_description (good_entry), ==,
                   "Ten Things\nsafetensors · plain preprocessing · 10 classes");
  g_test_message ("broken: %s", scope_model_entry_get_description (broken_entry));
  g_assert_true (g_str_has_prefix (scope_model_entry_get_description (broken_entry),
                                   "Cannot be used: "));
  g_assert_nonnull (strstr (scope_model_entry_get_description (broken_entry), "broken.pth"));
  g_assert_true (scope_model_entry_get_broken (broken_entry));
  g_assert_false (scope_model_entry_get_broken (good_entry));
  /* the built-in model names its format and preset too */
  builtin = scope_model_store_find (fixture->store, SCOPE_MODEL_ENTRY_DEFAULT_ID);
  g_test_message ("built-in: %s", scope_model_entry_get_description (builtin));
  g_assert_nonnull (strstr (scope_model_entry_get_description (builtin), " preprocessing · "));
}

/* ---- several pictures at once: one window, a strip to step through ---- */

/* cat.jpg, coffee.jpg, a WebP (as a browser hands one over), astronaut.jpg; NULL-terminated */
static GFile **
four_files (void)
{
  static const char *names[] = { "cat.jpg", "coffee.jpg", NULL, "astronaut.jpg" };
  GFile **files = g_new0 (GFile *, G_N_ELEMENTS (names) + 1);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = names[i] != NULL
        ? test_ui_sample_path (names[i])
        : test_fixture_path ("images", "formats", "picture.webp", NULL);

      files[i] = g_file_new_for_path (path);
    }
  return files;
}

static void
free_files (GFile **files)
{
  for (GFile **f = files; *f != NULL; f++)
    g_object_unref (*f);
  g_free (files);
}

static const char *
shown_name (ScopeWindow *window)
{
  ScopeSource *source = scope_workspace_get_source (scope_window_get_workspace (window));

  return source != NULL ? scope_source_get_display_name (source) : NULL;
}

static guint
count_scope_windows (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();   /* borrowed */
  guint count = 0;

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      count += SCOPE_IS_WINDOW (window);
    }
  return count;
}

/* The strip's previous and next buttons follow their actions' enabled state. */
static void
assert_strip (ScopeWindow *window,
              const char  *counter,
              const char  *name,
              gboolean     previous,
              gboolean     next)
{
  ScopePictureStrip *strip = scope_window_get_picture_strip (window);
  GtkWidget *previous_button = gtk_widget_get_first_child (GTK_WIDGET (strip));
  GtkWidget *next_button = gtk_widget_get_last_child (GTK_WIDGET (strip));

  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (strip)));
  g_assert_cmpstr (scope_picture_strip_get_counter (strip), ==, counter);
  g_assert_cmpstr (scope_picture_strip_get_name (strip), ==, name);
  g_assert_cmpstr (shown_name (window), ==, name);
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (previous_button)), ==,
                   "win.previous-picture");
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (next_button)), ==,
                   "win.next-picture");
  g_assert_cmpint (gtk_widget_get_sensitive (previous_button), ==, previous);
  g_assert_cmpint (gtk_widget_get_sensitive (next_button), ==, next);
}

static void
test_picture_strip (Fixture       *fixture,
                    gconstpointer  user_data)
{
  GFile **files = four_files ();
  ScopePictureList *pictures = scope_window_get_pictures (fixture->window);
  ScopePictureStrip *strip = scope_window_get_picture_strip (fixture->window);
  GSList *list = NULL;
  GValue value = G_VALUE_INIT;
  ScopeResult *result;

  /* one picture: no strip */
  drop_sample (fixture->window, "cat.jpg");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (strip)));

  /* four dropped at once: the first is shown, the others wait; still one window */
  for (int i = 3; i >= 0; i--)
    list = g_slist_prepend (list, files[i]);
  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_value_set_boxed (&value, list);
  g_assert_true (scope_window_open_value (fixture->window, &value));
  g_value_unset (&value);
  g_slist_free (list);
  g_assert_cmpuint (scope_picture_list_get_n_items (pictures), ==, 4);
  g_assert_cmpuint (count_scope_windows (), ==, 1);
  assert_strip (fixture->window, "1 of 4", "cat.jpg", FALSE, TRUE);

  /* Alt+Right and Alt+Left step, the ends stop */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.next-picture",
                                             NULL));
  assert_strip (fixture->window, "2 of 4", "coffee.jpg", TRUE, TRUE);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.next-picture", NULL);
  assert_strip (fixture->window, "3 of 4", "picture.webp", TRUE, TRUE);
  /* the WebP decodes and classifies like any picture */
  g_assert_true (test_ui_wait (result_done, fixture->window, TIMEOUT_MS));
  result = scope_workspace_get_result (scope_window_get_workspace (fixture->window));
  g_assert_cmpstr (scope_source_get_display_name (scope_result_get_source (result)), ==,
                   "picture.webp");
  g_assert_cmpint (gdk_texture_get_width (scope_result_get_original (result)), ==, 360);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.next-picture", NULL);
  assert_strip (fixture->window, "4 of 4", "astronaut.jpg", TRUE, FALSE);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.next-picture", NULL);
  assert_strip (fixture->window, "4 of 4", "astronaut.jpg", TRUE, FALSE);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.previous-picture", NULL);
  assert_strip (fixture->window, "3 of 4", "picture.webp", TRUE, TRUE);
  g_assert_cmpuint (count_scope_windows (), ==, 1);

  /* one picture opened on its own ends the strip */
  drop_sample (fixture->window, "coffee.jpg");
  g_assert_cmpstr (shown_name (fixture->window), ==, "coffee.jpg");
  g_assert_cmpuint (scope_picture_list_get_n_items (pictures), ==, 0);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (strip)));
  g_assert_true (test_ui_wait (result_done, fixture->window, TIMEOUT_MS));

  free_files (files);
}

/* `vgg-scope a.jpg b.jpg …`: the application's open handler puts them all in one window. */
static void
test_application_open (void)
{
  g_autoptr(ScopeApplication) app = scope_application_new ();
  g_autoptr(GError) error = NULL;
  GFile **files = four_files ();
  ScopeWindow *window;
  GList *windows;

  g_application_set_flags (G_APPLICATION (app),
                           G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

  g_application_open (G_APPLICATION (app), files, 4, "");
  windows = gtk_application_get_windows (GTK_APPLICATION (app));
  g_assert_cmpuint (g_list_length (windows), ==, 1);
  window = SCOPE_WINDOW (windows->data);
  g_assert_cmpuint (scope_picture_list_get_n_items (scope_window_get_pictures (window)), ==, 4);
  assert_strip (window, "1 of 4", "cat.jpg", FALSE, TRUE);

  /* a second batch goes to the same window */
  g_application_open (G_APPLICATION (app), files + 2, 2, "");
  g_assert_cmpuint (g_list_length (gtk_application_get_windows (GTK_APPLICATION (app))), ==, 1);
  assert_strip (window, "1 of 2", "picture.webp", FALSE, TRUE);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.next-picture", NULL);
  assert_strip (window, "2 of 2", "astronaut.jpg", TRUE, FALSE);
  g_assert_cmpuint (count_scope_windows (), ==, 1);

  g_object_ref (window);
  test_ui_wait_until (test_ui_inference_idle, NULL, TIMEOUT_MS);
  gtk_window_destroy (GTK_WINDOW (window));
  test_ui_wait_until (test_ui_last_reference, window, TIMEOUT_MS);
  g_assert_finalize_object (window);
  free_files (files);
}

int
main (int   argc,
      char *argv[])
{
  test_ui_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/ui-window/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("prediction", test_prediction);
  ADD ("picture-with-first-maps", test_picture_with_first_maps);
  ADD ("layers", test_layers);
  ADD ("receptive-field", test_receptive_field);
  ADD ("cancel", test_cancel);
  ADD ("cancel-while-running", test_cancel_while_running);
  ADD ("broken-file", test_broken_file);
  ADD ("texture-drop", test_texture_drop);
  ADD ("settings", test_settings);
  ADD ("model-switch", test_model_switch);
  ADD ("model-menu", test_model_menu);
  ADD ("no-classifier", test_no_classifier);
  ADD ("own-classes", test_own_classes);
  ADD ("fashion-samples", test_fashion_samples);
  ADD ("model-descriptions", test_model_descriptions);
  ADD ("picture-strip", test_picture_strip);
#undef ADD
  g_test_add_func ("/ui-window/application-open", test_application_open);

  return g_test_run ();
}
