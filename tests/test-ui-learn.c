/* test-ui-learn.c — the Learn view: the room, the layer lesson, the filters, preprocessing
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window runs the built-in model (1 × 32 × 32 input; blocks of two convolutions of 32,
 * 64 and 128 channels; fc4 of 256; 10 classes). The expected formula numbers below are
 * worked out by hand from that architecture; the filter patches are checked against the
 * model's own weights, and the "what if" prediction against the engine run independently.
 */
#include "config.h"

#include <locale.h>
#include <math.h>

#include "scope-code-panel.h"
#include "scope-filter-grid.h"
#include "scope-layer-item.h"
#include "scope-layer-lesson.h"
#include "scope-prediction.h"
#include "scope-preprocess-view.h"
#include "scope-unit-panel.h"
#include "test-ui-util.h"

#define TIMEOUT_MS 60000

typedef TestUiWindowFixture Fixture;

static gboolean
result_profiled (gpointer data)
{
  ScopeResult *result = scope_workspace_get_result (scope_window_get_workspace (data));

  return result != NULL && scope_result_get_layer_seconds (result, 0) >= 0;
}

static gboolean
preprocess_ready (gpointer data)
{
  return scope_preprocess_view_get_ready (data);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  user_data)
{
  test_ui_window_fixture_setup (fixture, "test-ui-learn", TIMEOUT_MS);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  user_data)
{
  /* leave the Learn view: a preprocessing job in flight is cancelled */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-view", "s", "maps");
  test_ui_window_fixture_teardown (fixture, TIMEOUT_MS);
}

static void
open_path (ScopeWindow *window,
           const char  *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  scope_window_open_file (window, file);
  test_ui_wait_until (test_ui_result_done, window, TIMEOUT_MS);
}

static void
open_fashion_sample (ScopeWindow *window,
                     const char  *name)
{
  g_autofree char *path = g_build_filename (g_test_get_dir (G_TEST_DIST), "..", "data",
                                            "fashion-mnist", "samples", name, NULL);

  open_path (window, path);
}

/* Presses @keyval with @modifiers on @widget through its class's key bindings, as GTK does
 * for a real key press: the shortcut whose trigger matches is activated. */
static gboolean
press_shortcut (GtkWidget       *widget,
                guint            keyval,
                GdkModifierType  modifiers)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);

          if (GTK_IS_KEYVAL_TRIGGER (trigger)
              && gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == keyval
              && gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == modifiers)
            return gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0, widget,
                                                 gtk_shortcut_get_arguments (shortcut));
        }
    }
  return FALSE;
}

static const char *
visible_view (ScopeWindow *window)
{
  AdwViewStack *stack = NULL;

  /* the view stack is the learn room's ancestor */
  for (GtkWidget *w = GTK_WIDGET (scope_window_get_learn_room (window)); w != NULL;
       w = gtk_widget_get_parent (w))
    if (ADW_IS_VIEW_STACK (w))
      {
        stack = ADW_VIEW_STACK (w);
        break;
      }
  g_assert_nonnull (stack);
  return adw_view_stack_get_visible_child_name (stack);
}

/* "9,248" in the C locale, the locale's own grouping otherwise (what the lesson prints). */
static char *
grouped (const char *digits)
{
  const char *separator = localeconv ()->thousands_sep;
  GString *out = g_string_new (NULL);
  size_t n = strlen (digits);

  if (separator == NULL || separator[0] == '\0')
    separator = ",";
  for (size_t i = 0; i < n; i++)
    {
      if (i > 0 && (n - i) % 3 == 0)
        g_string_append (out, separator);
      g_string_append_c (out, digits[i]);
    }
  return g_string_free (out, FALSE);
}

static void
assert_text_has (char       *text,
                 const char *expected)
{
  if (strstr (text, expected) == NULL)
    g_error ("expected “%s” in “%s”", expected, text);
  g_free (text);
}

static void
test_room (Fixture       *fixture,
           gconstpointer  user_data)
{
  ScopeLearnRoom *room = scope_window_get_learn_room (fixture->window);
  GtkWidget *label = gtk_label_new ("worked unit here");
  static const char *pages[] = { "layer", "filters", "preprocessing", "unit", "code" };

  open_fashion_sample (fixture->window, "ankle-boot-0.png");
  g_assert_cmpstr (visible_view (fixture->window), ==, "maps");
  g_assert_true (press_shortcut (GTK_WIDGET (fixture->window), GDK_KEY_3, GDK_CONTROL_MASK));
  g_assert_cmpstr (visible_view (fixture->window), ==, "learn");
  g_assert_cmpstr (scope_learn_room_get_page (room), ==, "layer");
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    g_assert_nonnull (scope_learn_room_get_child (room, pages[i]));
  /* the window puts the worked unit and the code view in, after the room's own lessons */
  g_assert_true (SCOPE_IS_UNIT_PANEL (scope_learn_room_get_child (room, "unit")));
  g_assert_true (SCOPE_IS_CODE_PANEL (scope_learn_room_get_child (room, "code")));

  /* a page added again under its name replaces the child in its place */
  scope_learn_room_add_page (room, label, "unit", "Worked unit");
  g_assert_true (scope_learn_room_get_child (room, "unit") == label);
  g_assert_true (gtk_widget_get_next_sibling (gtk_widget_get_parent (label))
                 == gtk_widget_get_parent (scope_learn_room_get_child (room, "code")));
  g_assert_true (gtk_widget_get_prev_sibling (gtk_widget_get_parent (label))
                 == gtk_widget_get_parent (scope_learn_room_get_child (room, "preprocessing")));
  scope_learn_room_show_page (room, "unit");
  g_assert_cmpstr (scope_learn_room_get_page (room), ==, "unit");

  g_assert_true (press_shortcut (GTK_WIDGET (fixture->window), GDK_KEY_1, GDK_CONTROL_MASK));
  g_assert_cmpstr (visible_view (fixture->window), ==, "maps");

  /* Ctrl+U: the unit pointed at in the maps, worked out in the Learn view */
  scope_learn_room_show_page (room, "layer");
  g_assert_true (press_shortcut (GTK_WIDGET (fixture->window), GDK_KEY_u, GDK_CONTROL_MASK));
  g_assert_cmpstr (visible_view (fixture->window), ==, "learn");
  g_assert_cmpstr (scope_learn_room_get_page (room), ==, "unit");
  g_assert_true (press_shortcut (GTK_WIDGET (fixture->window), GDK_KEY_1, GDK_CONTROL_MASK));
}

static void
test_lesson (Fixture       *fixture,
             gconstpointer  user_data)
{
  ScopeWorkspace *workspace = scope_window_get_workspace (fixture->window);
  ScopeLayerLesson *lesson =
    SCOPE_LAYER_LESSON (scope_learn_room_get_child (scope_window_get_learn_room (fixture->window),
                                                    "layer"));
  g_autofree char *n9216 = grouped ("9216"), *n9248 = grouped ("9248");
  g_autofree char *n9437184 = grouped ("9437184"), *n9504 = grouped ("9504");
  g_autofree char *n2048 = grouped ("2048"), *n524544 = grouped ("524544");
  g_autofree char *n294912 = grouped ("294912");
  g_autofree char *expected = NULL;

  open_fashion_sample (fixture->window, "ankle-boot-0.png");
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-view", "s", "learn");

  /* conv1_1: 3·3·1·32 + 32 = 320; 288·32·32 = 294,912 multiply-adds; r = 1 + 2·1 = 3 */
  scope_workspace_set_selected_layer (workspace, 0);
  assert_text_has (scope_layer_lesson_dup_text (lesson, SCOPE_LESSON_PARAMS),
                   "3·3·1·32 + 32 = 288 + 32 = 320");
  expected = g_strdup_printf ("3·3·1·32·32·32 = %s", n294912);
  assert_text_has (scope_layer_lesson_dup_text (lesson, SCOPE_LESSON_MACS), expected);
  assert_text_has (scope_layer_lesson_dup_text (lesson, SCOPE_LESSON_FIELD),
                   "1 + (3 − 1)·1 = 3 × 3");

  /* conv1_2: 3·3·32·32 + 32 = 9,216 + 32 = 9,248; ×32·32 positions = 9,437,184 MACs;
   * r = 3 + 2·1 = 5; the block: 9·1·32 + 9·32² = 9,504 against 25·1·32 = 800 */
  scope_workspace_set_selected_layer (workspace, 1);
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("3·3·32·32 + 32 = %s + 32 = %s", n9216, n9248);
  assert_text_has (scope_layer_lesson_dup_text (lesson, SCOPE_LESSON_PARAMS), expected);
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("3·3·32·32·32·32 = %s", n9437184);
  assert_text_has (scope_layer_lesson_dup_text (lesson, SCOPE_LESSON_MACS), expected);
  assert_text_has (scope_layer_lesson_dup_text (lesson, SCOPE_LESSON_FIELD),
                   "3 + (3 − 1)·1 = 5 × 5");
  assert_text_has (scope_layer_lesson_dup_text (lesson, SCOPE_LESSON_SHAPES),
                   "32 × 32 × 32 → output 32 × 32 × 32");
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("9·1·32 + 9·32² = %s weights, 2 ReLUs", n9504);
  assert_text_has (scope_layer_lesson_dup_text (lesson, SCOPE_LESSON_BLOCK), expected);
  assert_text_has (scope_layer_lesson_dup_text (lesson, SCOPE_LESSON_BLOCK), "25·1·32 = 800");
  assert_text_has (scope_layer_lesson_dup_text (lesson, SCOPE_LESSON_BLOCK), "5 × 5");

  /* pool2 (index 5): r = 14 + (2 − 1)·2 = 16, jump 2·2 = 4 */
  scope_workspace_set_selected_layer (workspace, 5);
  assert_text_has (scope_layer_lesson_dup_text (lesson, SCOPE_LESSON_FIELD),
                   "14 + (2 − 1)·2 = 16 × 16");
  assert_text_has (scope_layer_lesson_dup_text (lesson, SCOPE_LESSON_FIELD), "2·2 = 4");

  /* fc4 (index 9): 128·4·4 = 2,048 inputs; 2,048·256 + 256 = 524,544; no block lesson */
  scope_workspace_set_selected_layer (workspace, 9);
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("%s·256 + 256 = %s", n2048, n524544);
  assert_text_has (scope_layer_lesson_dup_text (lesson, SCOPE_LESSON_PARAMS), expected);
  g_clear_pointer (&expected, g_free);
  expected = scope_layer_lesson_dup_text (lesson, SCOPE_LESSON_BLOCK);
  g_assert_cmpstr (expected, ==, "");
}

/* The L2 norm of @count weights. */
static double
norm (const float *w,
      int          count)
{
  double sum = 0;

  for (int i = 0; i < count; i++)
    sum += (double) w[i] * w[i];
  return sqrt (sum);
}

static void
test_filters (Fixture       *fixture,
              gconstpointer  user_data)
{
  ScopeWorkspace *workspace = scope_window_get_workspace (fixture->window);
  ScopeLearnRoom *room = scope_window_get_learn_room (fixture->window);
  ScopeFilterGrid *grid = SCOPE_FILTER_GRID (scope_learn_room_get_child (room, "filters"));
  const VggModel *model;
  const float *weight, *bias;
  double previous = INFINITY;
  int first;

  open_fashion_sample (fixture->window, "ankle-boot-0.png");
  model = scope_model_get_engine (scope_workspace_get_model (workspace));
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-view", "s", "learn");
  scope_learn_room_show_page (room, "filters");

  /* the first layer: one patch per filter (C_out = 32) */
  scope_workspace_set_selected_layer (workspace, 0);
  g_assert_cmpuint (scope_filter_grid_get_n_filters (grid), ==,
                    vgg_model_layer (model, 0)->channels_out);
  g_assert_cmpuint (scope_filter_grid_get_n_filters (grid), ==, 32);
  g_assert_cmpint (scope_filter_grid_get_channel (grid), ==, -1);

  /* sorted by norm: the norms, computed here from the weights, never grow along the grid */
  g_assert_true (vgg_model_layer_weights (model, 0, &weight, &bias));
  scope_filter_grid_set_sorted (grid, TRUE);
  g_assert_cmpuint (scope_filter_grid_get_n_filters (grid), ==, 32);
  for (guint i = 0; i < 32; i++)
    {
      double n = norm (weight + scope_filter_grid_get_filter_at (grid, i) * 9, 9);

      g_assert_cmpfloat (n, <=, previous);
      previous = n;
    }
  scope_filter_grid_set_each (grid, TRUE);
  g_assert_cmpuint (scope_filter_grid_get_n_filters (grid), ==, 32);

  /* activating a filter shows the feature map it makes */
  first = scope_filter_grid_get_filter_at (grid, 0);
  scope_filter_grid_activate (grid, 0);
  g_assert_cmpstr (visible_view (fixture->window), ==, "maps");
  g_assert_cmpint (scope_view_state_get_channel (scope_window_get_view_state (fixture->window)),
                   ==, first);
  g_assert_true (scope_window_get_channel_view (fixture->window) != NULL);

  /* a deeper layer: the kernels of one output channel, one per input channel (C_in) */
  scope_workspace_set_selected_layer (workspace, 3);   /* conv2_1: 32 → 64 */
  g_assert_cmpuint (scope_filter_grid_get_n_filters (grid), ==,
                    vgg_model_layer (model, 3)->channels_in);
  g_assert_cmpint (scope_filter_grid_get_channel (grid), ==, first);
  scope_view_state_set_channel (scope_window_get_view_state (fixture->window), 40);
  g_assert_cmpint (scope_filter_grid_get_channel (grid), ==, 40);
  scope_workspace_set_selected_layer (workspace, 6);   /* conv3_1: 64 → 128 */
  g_assert_cmpuint (scope_filter_grid_get_n_filters (grid), ==, 64);

  /* a pool has none */
  scope_workspace_set_selected_layer (workspace, 2);
  g_assert_cmpuint (scope_filter_grid_get_n_filters (grid), ==, 0);
}

/* The engine's own top class for @path under @preset, with nothing of the UI in between. */
static int
engine_top_class (const VggModel *model,
                  const char     *path,
                  VggPreset       preset)
{
  const VggConfig *config = vgg_model_config (model);
  VggImage image = { 0 };
  VggRun *run = NULL;
  g_autofree float *input = g_new (float, (gsize) config->input_channels
                                          * config->input_height * config->input_width);
  int top = -1;
  float probability;

  g_assert_cmpint (vgg_image_load (&image, path, NULL), ==, VGG_STATUS_OK);
  g_assert_cmpint (vgg_preprocess (input, config->input_channels, config->input_height,
                                   config->input_width, &image, preset, NULL, NULL),
                   ==, VGG_STATUS_OK);
  g_assert_cmpint (vgg_run_new (&run, model, 1, NULL), ==, VGG_STATUS_OK);
  g_assert_cmpint (vgg_run_forward (run, input, NULL), ==, VGG_STATUS_OK);
  g_assert_cmpint (vgg_run_top_k (run, 0, 1, &top, &probability), ==, 1);
  vgg_run_free (run);
  vgg_image_clear (&image);
  return top;
}

static void
test_preprocessing (Fixture       *fixture,
                    gconstpointer  user_data)
{
  ScopeWorkspace *workspace = scope_window_get_workspace (fixture->window);
  ScopeLearnRoom *room = scope_window_get_learn_room (fixture->window);
  ScopePreprocessView *view =
    SCOPE_PREPROCESS_VIEW (scope_learn_room_get_child (room, "preprocessing"));
  g_autofree char *path = test_ui_sample_path ("cat.jpg");
  const VggModel *model;
  VggImage image = { 0 };
  VggPreprocessSteps steps;
  g_autofree char *size = NULL, *box = NULL, *top = NULL, *top_plain = NULL;
  g_autoptr(ScopePrediction) first = NULL;

  open_path (fixture->window, path);
  model = scope_model_get_engine (scope_workspace_get_model (workspace));
  /* nothing is computed while the page is not on screen */
  g_assert_false (scope_preprocess_view_get_ready (view));
  scope_learn_room_show_page (room, "preprocessing");
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-view", "s", "learn");
  test_ui_wait_until (preprocess_ready, view, TIMEOUT_MS);

  /* the built-in model takes 1 × 32 × 32: Fashion-MNIST's preset (its own) and plain grey */
  g_assert_cmpuint (scope_preprocess_view_get_n_presets (view), ==, 2);
  /* original, grey and polarity, crop-fit-centre, the one channel's values */
  g_assert_cmpuint (scope_preprocess_view_get_n_steps (view), ==, 4);
  g_assert_cmpint (vgg_image_load (&image, path, NULL), ==, VGG_STATUS_OK);
  g_assert_cmpint (vgg_preprocess_steps (&steps, 1, 32, 32, &image, VGG_PRESET_FASHION_MNIST,
                                         NULL, NULL), ==, VGG_STATUS_OK);
  size = g_strdup_printf ("%d × %d pixels", image.width, image.height);
  assert_text_has (scope_preprocess_view_dup_step_text (view, 0), size);
  assert_text_has (scope_preprocess_view_dup_step_text (view, 1),
                   steps.invert ? "inverted" : "kept");
  box = g_strdup_printf ("%d × %d at (%d, %d), scaled to %d × %d", steps.box_width,
                         steps.box_height, steps.box_x, steps.box_y, steps.fit_width,
                         steps.fit_height);
  assert_text_has (scope_preprocess_view_dup_step_text (view, 2), box);
  assert_text_has (scope_preprocess_view_dup_step_text (view, 3), "v / 255");

  /* what if: the model's own answer beside plain grey's, each the engine's own top class */
  first = g_list_model_get_item (scope_result_get_prediction (scope_workspace_get_result (
                                   workspace)), 0);
  top = g_strdup_printf ("1. %s", vgg_model_class_name (model, engine_top_class (
                                                          model, path,
                                                          VGG_PRESET_FASHION_MNIST)));
  g_assert_cmpstr (top + 3, ==, scope_prediction_get_label (first));
  assert_text_has (scope_preprocess_view_dup_what_if (view, 0), top);
  top_plain = g_strdup_printf ("1. %s", vgg_model_class_name (model, engine_top_class (
                                                                model, path,
                                                                VGG_PRESET_PLAIN)));
  assert_text_has (scope_preprocess_view_dup_what_if (view, 1), top_plain);
  assert_text_has (scope_preprocess_view_dup_what_if (view, 1), "Plain, [0, 1]");

  /* plain grey: original, resize, crop, channel order, the channel's normalisation */
  scope_preprocess_view_set_preset (view, 1);
  g_assert_cmpuint (scope_preprocess_view_get_n_steps (view), ==, 5);
  g_assert_cmpint (vgg_preprocess_steps (&steps, 1, 32, 32, &image, VGG_PRESET_PLAIN, NULL,
                                         NULL), ==, VGG_STATUS_OK);
  g_clear_pointer (&size, g_free);
  size = g_strdup_printf ("cover 32 × 32, keeping the aspect ratio: %d × %d",
                          steps.resize_width, steps.resize_height);
  assert_text_has (scope_preprocess_view_dup_step_text (view, 1), size);
  g_clear_pointer (&box, g_free);
  box = g_strdup_printf ("from left %d, top %d", steps.crop_left, steps.crop_top);
  assert_text_has (scope_preprocess_view_dup_step_text (view, 2), box);
  assert_text_has (scope_preprocess_view_dup_step_text (view, 3), "0.299 R + 0.587 G");
  vgg_image_clear (&image);
}

static void
test_layer_times (Fixture       *fixture,
                  gconstpointer  user_data)
{
  GListModel *items = scope_layer_list_get_items (scope_window_get_layer_list (fixture->window));
  g_autoptr(ScopeLayerItem) conv = NULL, fc = NULL;
  g_autofree char *memory = NULL, *expected = NULL;

  open_fashion_sample (fixture->window, "ankle-boot-0.png");
  test_ui_wait_until (result_profiled, fixture->window, TIMEOUT_MS);
  conv = g_list_model_get_item (items, 0);
  fc = g_list_model_get_item (items, 9);
  /* measured: a time in ms or µs (never a fused layer: the window watches every layer) */
  g_assert_true (g_str_has_suffix (scope_layer_item_get_time (conv), " ms")
                 || g_str_has_suffix (scope_layer_item_get_time (conv), " µs"));
  g_assert_cmpstr (scope_layer_item_get_time (fc), !=, "–");
  /* conv1_1's output: 32 × 32 × 32 floats of 4 bytes */
  g_object_get (conv, "memory", &memory, NULL);
  expected = g_format_size (32 * 32 * 32 * 4);
  g_assert_cmpstr (memory, ==, expected);
}

/* A colour model with batch norm (the narrow VGG11-BN fixture: 3 × 64 × 64 input, conv1_1 of
 * 4 channels, one convolution in blocks 1 and 2, plain preprocessing): RGB filters, the BN
 * terms of the parameter formula, VGG11's single-convolution blocks, the three presets a
 * colour input takes and Caffe's channel order. */
static void
test_rgb_model (Fixture       *fixture,
                gconstpointer  user_data)
{
  ScopeWorkspace *workspace = scope_window_get_workspace (fixture->window);
  ScopeLearnRoom *room = scope_window_get_learn_room (fixture->window);
  ScopeLayerLesson *lesson = SCOPE_LAYER_LESSON (scope_learn_room_get_child (room, "layer"));
  ScopeFilterGrid *grid = SCOPE_FILTER_GRID (scope_learn_room_get_child (room, "filters"));
  ScopePreprocessView *view =
    SCOPE_PREPROCESS_VIEW (scope_learn_room_get_child (room, "preprocessing"));
  g_autofree char *weights = g_test_build_filename (G_TEST_DIST, "fixtures", "reference",
                                                    "narrow-vgg11-bn.safetensors", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (weights);
  g_autofree char *uri = g_file_get_uri (file);
  g_autofree char *photo = test_ui_sample_path ("cat.jpg");
  g_autofree char *caffe_title = NULL;
  guint caffe = 0;

  scope_model_store_add_file (fixture->store, file);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.model", "s", uri);
  g_assert_true (test_ui_wait_for_model (fixture->window, uri, TIMEOUT_MS));
  open_path (fixture->window, photo);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-view", "s", "learn");

  /* conv1_1: 3·3·3·4 + 4 + 2·4 (γ, β) = 108 + 4 + 8 = 120, the file's count */
  scope_workspace_set_selected_layer (workspace, 0);
  assert_text_has (scope_layer_lesson_dup_text (lesson, SCOPE_LESSON_PARAMS),
                   "(batch norm’s γ and β) = 3·3·3·4 + 4 + 2·4 = 120");
  assert_text_has (scope_layer_lesson_dup_text (lesson, SCOPE_LESSON_BLOCK),
                   "Block 1 holds a single 3 × 3 convolution");
  /* block 3 of VGG11 stacks two: 9·8·16 + 9·16² = 1,152 + 2,304 */
  scope_workspace_set_selected_layer (workspace, 5);
  assert_text_has (scope_layer_lesson_dup_text (lesson, SCOPE_LESSON_BLOCK), "9·8·16 + 9·16²");
  assert_text_has (scope_layer_lesson_dup_text (lesson, SCOPE_LESSON_BLOCK), "25·8·16");

  /* the first layer's 4 filters, each one RGB patch */
  scope_learn_room_show_page (room, "filters");
  scope_workspace_set_selected_layer (workspace, 0);
  g_assert_cmpuint (scope_filter_grid_get_n_filters (grid), ==, 4);

  /* preprocessing: plain (its own), torchvision and caffe fit a 3-channel input */
  scope_learn_room_show_page (room, "preprocessing");
  test_ui_wait_until (preprocess_ready, view, TIMEOUT_MS);
  g_assert_cmpuint (scope_preprocess_view_get_n_presets (view), ==, 3);
  /* original, resize, crop, channel order, three channels */
  g_assert_cmpuint (scope_preprocess_view_get_n_steps (view), ==, 7);
  assert_text_has (scope_preprocess_view_dup_step_text (view, 3), "Red, green, blue");
  assert_text_has (scope_preprocess_view_dup_step_text (view, 4), "v / 255");
  /* the model's own first, then the enum's order: torchvision, caffe */
  caffe = 2;
  scope_preprocess_view_set_preset (view, caffe);
  g_assert_cmpuint (scope_preprocess_view_get_n_steps (view), ==, 7);
  assert_text_has (scope_preprocess_view_dup_step_text (view, 1), "Squashed to 64 × 64");
  assert_text_has (scope_preprocess_view_dup_step_text (view, 3), "Blue, green, red");
  /* channel 0 is blue, minus Caffe's blue mean 103.939 */
  assert_text_has (scope_preprocess_view_dup_step_text (view, 4), "Channel 0 (blue)");
  assert_text_has (scope_preprocess_view_dup_step_text (view, 4), "v − 103.939");
  caffe_title = scope_preprocess_view_dup_what_if (view, 1);
  assert_text_has (g_strdup (caffe_title), "Caffe / Keras (BGR)");
  assert_text_has (scope_preprocess_view_dup_what_if (view, 0), "Plain, [0, 1]");
}

int
main (int   argc,
      char *argv[])
{
  test_ui_init (&argc, &argv);
  g_test_add ("/ui-learn/room", Fixture, NULL, fixture_setup, test_room, fixture_teardown);
  g_test_add ("/ui-learn/lesson", Fixture, NULL, fixture_setup, test_lesson, fixture_teardown);
  g_test_add ("/ui-learn/filters", Fixture, NULL, fixture_setup, test_filters, fixture_teardown);
  g_test_add ("/ui-learn/preprocessing", Fixture, NULL, fixture_setup, test_preprocessing,
              fixture_teardown);
  g_test_add ("/ui-learn/layer-times", Fixture, NULL, fixture_setup, test_layer_times,
              fixture_teardown);
  g_test_add ("/ui-learn/rgb-model", Fixture, NULL, fixture_setup, test_rgb_model,
              fixture_teardown);
  return g_test_run ();
}
