/* test-ui-explain.c — the Explain view and the receptive fields, driven as a user would
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window runs the built-in model. The engine's explanation numbers are checked against
 * PyTorch in tests/test-explain*.c; here the question is whether the window asks for the
 * right explanation, shows what the engine computed, and drops what a new picture replaces.
 */
#include "config.h"

#include <math.h>

#include "scope-explain-panel.h"
#include "scope-prediction.h"
#include "test-ui-util.h"
#include "vgg-explain.h"

#define TIMEOUT_MS 60000

typedef TestUiWindowFixture Fixture;

static gboolean
explanation_done (gpointer data)
{
  ScopeExplanation *explanation = scope_explain_panel_get_explanation (data);

  return explanation != NULL && scope_explanation_get_status (explanation) == SCOPE_RESULT_DONE;
}

static gboolean
explanation_final (gpointer data)
{
  return scope_explanation_get_status (data) >= SCOPE_RESULT_DONE;
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  user_data)
{
  test_ui_window_fixture_setup (fixture, "test-ui-explain", TIMEOUT_MS);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  user_data)
{
  ScopeExplanation *explanation =
    scope_explain_panel_get_explanation (scope_window_get_explain_panel (fixture->window));

  if (explanation != NULL)
    test_ui_wait_until (explanation_final, explanation, TIMEOUT_MS);
  test_ui_window_fixture_teardown (fixture, TIMEOUT_MS);
}

static void
open_sample (ScopeWindow *window,
             const char  *name)
{
  g_autofree char *path = test_ui_sample_path (name);
  g_autoptr(GFile) file = g_file_new_for_path (path);

  scope_window_open_file (window, file);
}

/* The engine's own map for @request on the window's current picture. */
static float *
engine_map (ScopeWindow             *window,
            const VggExplainRequest *request,
            int                     *n)
{
  ScopeResult *result = scope_workspace_get_result (scope_window_get_workspace (window));
  const VggModel *model = scope_model_get_engine (scope_result_get_model (result));
  GBytes *input = scope_result_get_input (result);
  VggExplainer *explainer = NULL;
  VggExplainerOptions options = { 0 };
  float *map;
  int channels, height, width;

  g_assert_cmpint (vgg_explainer_new (&explainer, model, &options, NULL), ==, VGG_STATUS_OK);
  g_assert_cmpint (vgg_explainer_map_shape (explainer, request, &channels, &height, &width, NULL),
                   ==, VGG_STATUS_OK);
  *n = channels * height * width;
  map = g_new (float, *n);
  g_assert_cmpint (vgg_explainer_compute (explainer, g_bytes_get_data (input, NULL), request, map,
                                          NULL, NULL), ==, VGG_STATUS_OK);
  vgg_explainer_free (explainer);
  return map;
}

static void
assert_raw_equals (ScopeExplanation        *explanation,
                   ScopeWindow             *window,
                   const VggExplainRequest *request)
{
  int n, channels, height, width;
  g_autofree float *expected = engine_map (window, request, &n);
  GBytes *raw = scope_explanation_get_raw (explanation, &channels, &height, &width);
  const float *shown = g_bytes_get_data (raw, NULL);

  g_assert_cmpint (channels * height * width, ==, n);
  for (int i = 0; i < n; i++)
    g_assert_cmpfloat_with_epsilon (shown[i], expected[i], 1e-6f + 1e-5f * fabsf (expected[i]));
}

static int
top_class (ScopeWindow *window,
           guint        rank)
{
  ScopeResult *result = scope_workspace_get_result (scope_window_get_workspace (window));
  g_autoptr(ScopePrediction) row = g_list_model_get_item (scope_result_get_prediction (result),
                                                          rank);

  return scope_prediction_get_class_index (row);
}

/* Saliency of the top class by default, then of a class picked from the prediction. */
static void
test_class (Fixture       *fixture,
            gconstpointer  user_data)
{
  ScopeExplainPanel *panel = scope_window_get_explain_panel (fixture->window);
  ScopeExplanation *explanation;
  VggExplainRequest request;

  open_sample (fixture->window, "cat.jpg");
  test_ui_wait_until (test_ui_result_done, fixture->window, TIMEOUT_MS);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-view", "s", "explain");
  scope_explain_panel_set_method (panel, SCOPE_EXPLAIN_SALIENCY);
  test_ui_wait_until (explanation_done, panel, TIMEOUT_MS);

  explanation = scope_explain_panel_get_explanation (panel);
  g_assert_cmpint (scope_explanation_get_class (explanation), ==, top_class (fixture->window, 0));
  g_assert_nonnull (scope_image_view_get_overlay (scope_explain_panel_get_image_view (panel)));
  vgg_explain_request_init (&request, VGG_EXPLAIN_SALIENCY);
  request.class_index = top_class (fixture->window, 0);
  assert_raw_equals (explanation, fixture->window, &request);

  /* the second class of the prediction */
  scope_explain_panel_set_class (panel, top_class (fixture->window, 1));
  test_ui_wait_until (explanation_done, panel, TIMEOUT_MS);
  explanation = scope_explain_panel_get_explanation (panel);
  g_assert_cmpint (scope_explanation_get_class (explanation), ==, top_class (fixture->window, 1));
  request.class_index = top_class (fixture->window, 1);
  assert_raw_equals (explanation, fixture->window, &request);

  /* back to the first: the same object, from the cache */
  {
    ScopeExplanation *second = explanation;

    scope_explain_panel_set_class (panel, top_class (fixture->window, 0));
    g_assert_true (explanation_done (panel));
    g_assert_true (scope_explain_panel_get_explanation (panel) != second);
  }
}

static int
find_layer (const VggModel *model,
            VggLayerKind    kind,
            int             nth)
{
  for (int i = 0, seen = 0; i < vgg_model_n_layers (model); i++)
    if (vgg_model_layer (model, i)->kind == kind && seen++ == nth)
      return i;
  return -1;
}

/* Grad-CAM follows the layer picked in the diagram or the table. */
static void
test_layer (Fixture       *fixture,
            gconstpointer  user_data)
{
  ScopeExplainPanel *panel = scope_window_get_explain_panel (fixture->window);
  ScopeWorkspace *workspace = scope_window_get_workspace (fixture->window);
  const VggModel *model = scope_model_get_engine (scope_workspace_get_model (workspace));
  int pool = find_layer (model, VGG_LAYER_POOL, 1), last_conv = -1;
  VggExplainRequest request;

  for (int i = 0; i < vgg_model_n_layers (model); i++)
    if (vgg_model_layer (model, i)->kind == VGG_LAYER_CONV)
      last_conv = i;

  open_sample (fixture->window, "coffee.jpg");
  test_ui_wait_until (test_ui_result_done, fixture->window, TIMEOUT_MS);
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-view", "s", "explain");
  scope_explain_panel_set_method (panel, SCOPE_EXPLAIN_GRADCAM);

  /* a fully connected layer selected: the last convolution */
  scope_workspace_set_selected_layer (workspace, vgg_model_n_layers (model) - 1);
  test_ui_wait_until (explanation_done, panel, TIMEOUT_MS);
  g_assert_cmpint (scope_explanation_get_layer (scope_explain_panel_get_explanation (panel)), ==,
                   last_conv);

  /* a pool picked in the table */
  scope_workspace_set_selected_layer (workspace, pool);
  test_ui_wait_until (explanation_done, panel, TIMEOUT_MS);
  g_assert_cmpint (scope_explanation_get_layer (scope_explain_panel_get_explanation (panel)), ==,
                   pool);
  vgg_explain_request_init (&request, VGG_EXPLAIN_GRADCAM);
  request.class_index = top_class (fixture->window, 0);
  request.layer_index = pool;
  assert_raw_equals (scope_explain_panel_get_explanation (panel), fixture->window, &request);
}

/* A new picture cancels the explanation in flight; its map never shows. */
static void
test_cancel (Fixture       *fixture,
             gconstpointer  user_data)
{
  ScopeExplainPanel *panel = scope_window_get_explain_panel (fixture->window);
  g_autoptr(ScopeExplanation) first = NULL;
  ScopeResult *first_result;

  open_sample (fixture->window, "astronaut.jpg");
  test_ui_wait_until (test_ui_result_done, fixture->window, TIMEOUT_MS);
  first_result = scope_workspace_get_result (scope_window_get_workspace (fixture->window));
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-view", "s", "explain");
  scope_explain_panel_set_method (panel, SCOPE_EXPLAIN_OCCLUSION);
  first = g_object_ref (scope_explain_panel_get_explanation (panel));
  g_assert_cmpint (scope_explanation_get_status (first), ==, SCOPE_RESULT_RUNNING);

  open_sample (fixture->window, "cat.jpg");
  test_ui_wait_until (explanation_final, first, TIMEOUT_MS);
  test_ui_wait_until (test_ui_result_done, fixture->window, TIMEOUT_MS);
  g_assert_true (scope_workspace_get_result (scope_window_get_workspace (fixture->window))
                 != first_result);
  /* the occlusion of the new picture is computed instead */
  test_ui_wait_until (explanation_done, panel, TIMEOUT_MS);
  g_assert_true (scope_explain_panel_get_explanation (panel) != first);
  g_assert_cmpint (scope_explanation_get_method (scope_explain_panel_get_explanation (panel)), ==,
                   SCOPE_EXPLAIN_OCCLUSION);

  /* hidden, the view computes nothing */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-view", "s", "maps");
  scope_explain_panel_set_method (panel, SCOPE_EXPLAIN_DECONV);
  g_assert_null (scope_explain_panel_get_explanation (panel));
}

static gboolean
overlay_shown (gpointer image_view)
{
  return scope_image_view_get_overlay (image_view) != NULL;
}

static guint erf_runs_expected;

static gboolean
erf_runs_changed (gpointer input_panel)
{
  return scope_input_panel_get_erf_runs (input_panel) != erf_runs_expected;
}

/* Pointing at a unit shows its effective receptive field; pointing at a pixel lights the
 * units that see it. */
static void
test_receptive_fields (Fixture       *fixture,
                       gconstpointer  user_data)
{
  ScopeWorkspace *workspace = scope_window_get_workspace (fixture->window);
  ScopeViewState *view_state = scope_window_get_view_state (fixture->window);
  ScopeImageView *image_view = scope_window_get_image_view (fixture->window);
  ScopeInputPanel *input_panel = fixture->window->input_panel;
  const VggModel *model = scope_model_get_engine (scope_workspace_get_model (workspace));
  int conv = find_layer (model, VGG_LAYER_CONV, 2);
  guint runs;
  const VggLayer *layer = vgg_model_layer (model, conv);
  VggRect expected, lit;

  open_sample (fixture->window, "cat.jpg");
  test_ui_wait_until (test_ui_result_done, fixture->window, TIMEOUT_MS);
  scope_workspace_set_selected_layer (workspace, conv);

  g_object_freeze_notify (G_OBJECT (view_state));
  scope_view_state_set_channel (view_state, 3);
  scope_view_state_set_unit (view_state, layer->height_out / 2, layer->width_out / 2);
  g_object_thaw_notify (G_OBJECT (view_state));
  test_ui_wait_until (overlay_shown, image_view, TIMEOUT_MS);
  g_assert_true (scope_image_view_get_receptive_rect (image_view, NULL));

  /* one hover, one computation: a move to the diagonal neighbour notifies the channel and
   * both coordinates, and the same unit notified again restarts nothing */
  runs = scope_input_panel_get_erf_runs (input_panel);
  g_object_freeze_notify (G_OBJECT (view_state));
  scope_view_state_set_channel (view_state, 3);
  scope_view_state_set_unit (view_state, layer->height_out / 2 + 1, layer->width_out / 2 + 1);
  g_object_thaw_notify (G_OBJECT (view_state));
  g_assert_null (scope_image_view_get_overlay (image_view));
  test_ui_wait_until (overlay_shown, image_view, TIMEOUT_MS);
  g_assert_cmpuint (scope_input_panel_get_erf_runs (input_panel), ==, runs + 1);
  g_object_notify (G_OBJECT (view_state), "unit-y");
  g_object_notify (G_OBJECT (view_state), "unit-x");
  g_object_notify (G_OBJECT (view_state), "channel");
  g_assert_nonnull (scope_image_view_get_overlay (image_view));
  /* nothing starts later either: well past the 150 ms the pointer must rest */
  erf_runs_expected = runs + 1;
  g_assert_false (test_ui_wait (erf_runs_changed, input_panel, 600));

  scope_view_state_set_pixel (view_state, 10, 20);
  g_assert_true (vgg_model_reverse_receptive_rect (model, conv, 10, 20, &expected));
  g_assert_true (scope_feature_grid_get_lit_units (scope_window_get_feature_grid (fixture->window),
                                                   &lit));
  g_assert_cmpint (lit.x, ==, expected.x);
  g_assert_cmpint (lit.y, ==, expected.y);
  g_assert_cmpint (lit.width, ==, expected.width);
  g_assert_cmpint (lit.height, ==, expected.height);
  scope_view_state_set_pixel (view_state, -1, -1);
  g_assert_false (scope_feature_grid_get_lit_units (scope_window_get_feature_grid (fixture->window),
                                                    NULL));
}

int
main (int   argc,
      char *argv[])
{
  test_ui_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/ui-explain/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("class", test_class);
  ADD ("layer", test_layer);
  ADD ("cancel", test_cancel);
  ADD ("receptive-fields", test_receptive_fields);
#undef ADD

  return g_test_run ();
}
