/* test-ui-unit.c — the unit computation panel: the numbers it shows are the engine's
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The panel sits in a window of its own over a workspace with the built-in model and a
 * Fashion-MNIST sample; units are chosen through the view state as the feature grid chooses
 * them. The engine's breakdowns are checked against PyTorch in tests/test-unit.c; here the
 * question is whether the panel asks for the right unit, shows the engine's numbers as
 * printed, and drops a unit replaced before it was computed.
 *
 * With SCOPE_TEST_SCREENSHOTS=DIR in the environment it also saves what the panel shows for
 * each unit as DIR/unit-LAYER.png (and in dark mode with SCOPE_TEST_DARK=1), for looking at.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "scope-unit-panel.h"
#include "scope-view-state.h"
#include "scope-workspace.h"
#include "test-ui-util.h"
#include "vgg-unit.h"

#define TIMEOUT_MS 60000

typedef struct
{
  char            *tmpdir;
  ScopeModelStore *store;
  ScopeWorkspace  *workspace;
  ScopeViewState  *view_state;
  GtkWidget       *window;
  ScopeUnitPanel  *panel;
} Fixture;

typedef struct
{
  ScopeUnitPanel *panel;
  int             layer, channel, y, x;
} Wanted;

static gboolean
model_ready (gpointer data)
{
  return scope_workspace_get_model (data) != NULL;
}

static gboolean
result_done (gpointer data)
{
  ScopeResult *result = scope_workspace_get_result (data);

  return result != NULL && scope_workspace_get_pending_result (data) == NULL
         && scope_result_get_status (result) == SCOPE_RESULT_DONE;
}

static gboolean
panel_idle (gpointer data)
{
  return !scope_unit_panel_get_busy (data);
}

static gboolean
shows_wanted (gpointer data)
{
  const Wanted *w = data;
  const VggUnitBreakdown *b = scope_unit_panel_get_breakdown (w->panel);

  return b != NULL && !scope_unit_panel_get_busy (w->panel) && b->layer_index == w->layer
         && b->channel == w->channel && b->y == w->y && b->x == w->x;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr (GFile) models = NULL;
  g_autoptr (GFile) picture = NULL;
  g_autofree char *path = g_build_filename (g_test_get_dir (G_TEST_DIST), "..", "data",
                                            "fashion-mnist", "samples", "ankle-boot-0.png",
                                            NULL);

  f->tmpdir = g_dir_make_tmp ("test-ui-unit-XXXXXX", NULL);
  models = g_file_new_build_filename (f->tmpdir, "models", NULL);
  f->store = scope_model_store_new (models);
  f->workspace = scope_workspace_new (f->store, NULL);
  f->view_state = scope_view_state_new ();
  test_ui_wait_until (model_ready, f->workspace, TIMEOUT_MS);

  f->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (f->window), 700, 800);
  f->panel = SCOPE_UNIT_PANEL (scope_unit_panel_new (f->workspace, f->view_state));
  g_object_ref (f->panel);
  gtk_window_set_child (GTK_WINDOW (f->window), GTK_WIDGET (f->panel));
  gtk_window_present (GTK_WINDOW (f->window));

  picture = g_file_new_for_path (path);
  scope_workspace_open_file (f->workspace, picture);
  test_ui_wait_until (result_done, f->workspace, TIMEOUT_MS);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  test_ui_wait_until (panel_idle, f->panel, TIMEOUT_MS);
  test_ui_wait_until (test_ui_inference_idle, NULL, TIMEOUT_MS);
  gtk_window_destroy (GTK_WINDOW (f->window));
  test_ui_wait_until (test_ui_last_reference, f->panel, TIMEOUT_MS);
  g_assert_finalize_object (f->panel);
  scope_workspace_cancel (f->workspace);
  test_ui_wait_until (test_ui_last_reference, f->workspace, TIMEOUT_MS);
  g_assert_finalize_object (f->workspace);
  g_assert_finalize_object (f->view_state);
  test_ui_wait_until (test_ui_last_reference, f->store, TIMEOUT_MS);
  g_assert_finalize_object (f->store);
  test_remove_tree (f->tmpdir);
  g_free (f->tmpdir);
}

/* The label called @name inside @root (depth first), or NULL. */
static GtkWidget *
find_named (GtkWidget  *root,
            const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (root), name) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_named (child, name);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Asserts the label @name shows @value as the panel prints numbers. */
static void
assert_shows (ScopeUnitPanel *panel,
              const char     *name,
              double          value)
{
  GtkWidget *label = find_named (GTK_WIDGET (panel), name);
  g_autofree char *expected = g_strdup_printf ("%.7g", value);

  if (label == NULL)
    g_error ("the panel has no label '%s'", name);
  g_assert_true (GTK_IS_LABEL (label));
  g_assert_true (gtk_widget_is_visible (label));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==, expected);
}

static void
maybe_save_screenshot (ScopeUnitPanel *panel,
                       const char     *layer_name)
{
  const char *dir = g_getenv ("SCOPE_TEST_SCREENSHOTS");
  GtkWidget *widget = GTK_WIDGET (gtk_widget_get_native (GTK_WIDGET (panel)));
  g_autoptr (GdkPaintable) paintable = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  GtkSnapshot *snapshot;
  GskRenderNode *node;
  int width, height;

  if (dir == NULL)
    return;
  test_ui_wait_drawn (widget, TIMEOUT_MS);
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)),
                                         node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  path = g_strdup_printf ("%s/unit-%s.png", dir, layer_name);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  gsk_render_node_unref (node);
}

/* The engine's own breakdown of the unit for the workspace's current input. */
static VggUnitBreakdown *
engine_breakdown (Fixture *f,
                  int      layer,
                  int      channel,
                  int      y,
                  int      x)
{
  ScopeResult *result = scope_workspace_get_result (f->workspace);
  const VggModel *model = scope_model_get_engine (scope_result_get_model (result));
  GBytes *input = scope_result_get_input (result);
  VggUnitProbe *probe = NULL;
  VggUnitBreakdown *b = NULL;
  VggError error = { 0 };

  test_assert_ok (vgg_unit_probe_new (&probe, model, NULL, &error), &error);
  test_assert_ok (vgg_unit_probe_compute (probe, g_bytes_get_data (input, NULL), layer, channel,
                                          y, x, &b, &error), &error);
  vgg_unit_probe_free (probe);
  return b;
}

static void
select_unit (Fixture *f,
             int      layer,
             int      channel,
             int      y,
             int      x)
{
  scope_workspace_set_selected_layer (f->workspace, layer);
  g_object_freeze_notify (G_OBJECT (f->view_state));
  scope_view_state_set_channel (f->view_state, channel);
  scope_view_state_set_unit (f->view_state, y, x);
  g_object_thaw_notify (G_OBJECT (f->view_state));
}

static void
check_unit (Fixture    *f,
            const char *layer_name,
            int         channel,
            int         y,
            int         x)
{
  const VggModel *model = scope_model_get_engine (scope_workspace_get_model (f->workspace));
  int layer = vgg_model_find_layer (model, layer_name);
  Wanted wanted = { f->panel, layer, channel, y, x };
  const VggUnitBreakdown *shown;
  VggUnitBreakdown *b;

  g_assert_cmpint (layer, >=, 0);
  select_unit (f, layer, channel, y, x);
  if (!test_ui_wait (shows_wanted, &wanted, TIMEOUT_MS))
    {
      GtkWidget *status = gtk_widget_get_next_sibling (gtk_widget_get_first_child (
                                                         GTK_WIDGET (f->panel)));
      g_error ("%s (%d, %d, %d) not shown; the panel says: %s", layer_name, channel, y, x,
               gtk_label_get_text (GTK_LABEL (status)));
    }
  shown = scope_unit_panel_get_breakdown (f->panel);
  b = engine_breakdown (f, layer, channel, y, x);

  /* the panel's breakdown is the engine's, number for number */
  g_assert_cmpfloat (shown->pre, ==, b->pre);
  g_assert_cmpfloat (shown->post, ==, b->post);
  g_assert_cmpfloat (shown->exact_pre, ==, b->exact_pre);
  g_assert_cmpfloat (shown->exact_post, ==, b->exact_post);
  g_assert_cmpfloat (shown->fast_post, ==, b->fast_post);

  /* and what it prints is those numbers */
  assert_shows (f->panel, "post-value", b->post);
  assert_shows (f->panel, "exact-value", b->layer->relu ? b->exact_pre : b->exact_post);
  assert_shows (f->panel, "fast-value", b->layer->relu ? b->fast_pre : b->fast_post);
  switch (b->kind)
    {
    case VGG_LAYER_CONV:
      {
        double sum = 0.0;

        for (int c = 0; c < b->conv.channels_in; c++)
          sum += b->conv.partials[c];
        assert_shows (f->panel, "term-value-0", b->conv.partials[b->conv.order[0]]);
        if (b->conv.channels_in > 1)
          assert_shows (f->panel, "term-value-1", b->conv.partials[b->conv.order[1]]);
        assert_shows (f->panel, "sum-value", sum);
        assert_shows (f->panel, "bias-value", b->bias);
        assert_shows (f->panel, "pre-value", b->pre);
        g_assert_cmpfloat (fabs (b->pre - b->exact_pre), <=,
                           VGG_UNIT_RELATIVE_TOLERANCE * b->magnitude);
      }
      break;
    case VGG_LAYER_POOL:
      g_assert_cmpfloat (b->post, ==, b->exact_post);
      break;
    case VGG_LAYER_FC:
      assert_shows (f->panel, "term-value-0", b->dense.top[0].product);
      assert_shows (f->panel, "rest-value", b->dense.rest);
      assert_shows (f->panel, "bias-value", b->bias);
      assert_shows (f->panel, "pre-value", b->pre);
      break;
    case VGG_LAYER_SOFTMAX:
      assert_shows (f->panel, "sum-value", b->softmax.sum);
      assert_shows (f->panel, "pre-value", b->softmax.exps[channel]);
      break;
    case VGG_LAYER_N_KINDS:
      g_assert_not_reached ();
    }
  maybe_save_screenshot (f->panel, layer_name);
  g_test_message ("%s (%d, %d, %d): %.7g, exact %.7g, fast %.7g", layer_name, channel, y, x,
                  b->post, b->exact_post, b->fast_post);
  vgg_unit_breakdown_free (b);
}

static void
test_units (Fixture       *f,
            gconstpointer  data)
{
  /* nothing chosen yet: a hint, no numbers */
  g_assert_null (scope_unit_panel_get_breakdown (f->panel));

  check_unit (f, "conv1_1", 3, 0, 0);       /* a corner: padding in the window */
  check_unit (f, "conv1_1", 3, 5, 9);       /* same layer: no new forward pass */
  check_unit (f, "conv2_2", 17, 4, 6);
  check_unit (f, "conv3_1", 100, 3, 2);
  check_unit (f, "pool2", 40, 2, 3);
  check_unit (f, "fc4", 12, 0, 0);
  check_unit (f, "fc5", 9, 0, 0);
  check_unit (f, "prob", 9, 0, 0);
}

/* A unit replaced before it was computed is never shown; the last one is. */
static void
test_replaced (Fixture       *f,
               gconstpointer  data)
{
  const VggModel *model = scope_model_get_engine (scope_workspace_get_model (f->workspace));
  int conv = vgg_model_find_layer (model, "conv3_2"), pool = vgg_model_find_layer (model, "pool3");
  Wanted wanted = { f->panel, pool, 7, 1, 2 };

  select_unit (f, conv, 5, 4, 4);
  select_unit (f, conv, 6, 1, 1);
  select_unit (f, pool, 7, 1, 2);
  test_ui_wait_until (shows_wanted, &wanted, TIMEOUT_MS);

  /* a unit outside the layer (left from another one): no breakdown */
  select_unit (f, vgg_model_find_layer (model, "fc4"), 300, 0, 0);
  g_assert_null (scope_unit_panel_get_breakdown (f->panel));
}

static gboolean
model_is (gpointer data)
{
  Fixture *f = data;
  ScopeResult *result = scope_workspace_get_result (f->workspace);

  return result_done (f->workspace)
         && scope_result_get_model (result) == scope_workspace_get_model (f->workspace)
         && g_strcmp0 (scope_model_get_name (scope_workspace_get_model (f->workspace)),
                       "Narrow VGG11-BN (test fixture)") == 0;
}

/* A batch-norm model: the fold is explained with the layer's own numbers. */
static void
test_batch_norm (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *path = test_fixture_path ("reference", "narrow-vgg11-bn.safetensors", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (ScopeModel) model = NULL;
  VggModel *engine = NULL;
  VggError error = { 0 };
  VggUnitBatchNorm bn;
  GtkWidget *note;
  g_autofree char *gamma = NULL, *var = NULL, *scale = NULL;
  int layer;

  test_assert_ok (test_model_load (&engine, path, &error), &error);
  model = scope_model_new_take (engine, file);
  scope_workspace_set_model (f->workspace, model);
  test_ui_wait_until (model_is, f, TIMEOUT_MS);
  layer = vgg_model_find_layer (engine, "conv3_2");
  check_unit (f, "conv3_2", 11, 2, 5);
  g_assert_true (vgg_model_batch_norm (engine, layer, 11, &bn));
  note = find_named (GTK_WIDGET (f->panel), "note-label");
  g_assert_nonnull (note);
  gamma = g_strdup_printf ("γ = %.7g,", bn.gamma);
  var = g_strdup_printf ("σ² = %.7g,", bn.var);
  scale = g_strdup_printf ("γ/√(σ² + ε) = %.7g,", bn.scale);
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (note)), gamma));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (note)), var));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (note)), scale));
  check_unit (f, "pool3", 12, 1, 1);
  check_unit (f, "fc7", 3, 0, 0);
}

int
main (int    argc,
      char **argv)
{
  test_ui_init (&argc, &argv);
  if (g_getenv ("SCOPE_TEST_SCREENSHOTS") != NULL)
    {
      /* the app's style sheet, which AdwApplication would load */
      g_autoptr (GtkCssProvider) css = gtk_css_provider_new ();

      gtk_css_provider_load_from_resource (css, "/org/vggscope/VggScope/style.css");
      gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                                  GTK_STYLE_PROVIDER (css),
                                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
    }
  if (g_strcmp0 (g_getenv ("SCOPE_TEST_DARK"), "1") == 0)
    adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                        ADW_COLOR_SCHEME_FORCE_DARK);
  g_test_add ("/ui-unit/units", Fixture, NULL, fixture_setup, test_units, fixture_teardown);
  g_test_add ("/ui-unit/replaced", Fixture, NULL, fixture_setup, test_replaced,
              fixture_teardown);
  g_test_add ("/ui-unit/batch-norm", Fixture, NULL, fixture_setup, test_batch_norm,
              fixture_teardown);
  return g_test_run ();
}
