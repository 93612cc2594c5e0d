/* test-ui-util.c — helpers shared by the GUI tests
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "test-ui-util.h"

#include <stdlib.h>
#include <string.h>

#include "scope-inference-private.h"
#include "scope-prediction.h"

static char *home;

static void
remove_home (void)
{
  g_autofree char *command = g_strdup_printf ("rm -rf '%s'", home);

  /* only ever our own g_dir_make_tmp() folder */
  if (home != NULL && g_str_has_prefix (home, g_get_tmp_dir ()))
    (void) !system (command);
}

void
test_ui_init (int    *argc,
              char ***argv)
{
  /* Not G_TEST_OPTION_ISOLATE_DIRS: it also replaces XDG_DATA_DIRS, and GTK then finds
   * neither the icon themes nor the MIME database. Only the per-user folders move. */
  home = g_dir_make_tmp ("test-ui-home-XXXXXX", NULL);
  g_assert_nonnull (home);
  g_setenv ("HOME", home, TRUE);
  g_setenv ("XDG_DATA_HOME", home, TRUE);
  g_setenv ("XDG_CACHE_HOME", home, TRUE);
  g_setenv ("XDG_CONFIG_HOME", home, TRUE);
  atexit (remove_home);

  g_test_init (argc, argv, NULL);
  gtk_init ();
  adw_init ();
}

char *
test_ui_sample_path (const char *name)
{
  return g_build_filename (SOURCE_DATADIR, "samples", name, NULL);
}

static gboolean
on_timeout (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

gboolean
test_ui_wait (gboolean (*predicate) (gpointer data),
              gpointer  data,
              int       timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, on_timeout, &timed_out);

  while (!predicate (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  return predicate (data);
}

void
test_ui_wait_until_at (gboolean  (*predicate) (gpointer data),
                       gpointer    data,
                       int         timeout_ms,
                       const char *what,
                       const char *file,
                       int         line,
                       const char *func)
{
  g_autofree char *message = NULL;

  if (test_ui_wait (predicate, data, timeout_ms))
    return;
  message = g_strdup_printf ("timed out after %d ms waiting for %s", timeout_ms, what);
  g_assertion_message (G_LOG_DOMAIN, file, line, func, message);
}

gboolean
test_ui_inference_idle (gpointer unused)
{
  return scope_inference_get_n_in_flight () == 0;
}

gboolean
test_ui_last_reference (gpointer object)
{
  return g_atomic_int_get ((int *) &G_OBJECT (object)->ref_count) == 1;
}

static void
on_after_paint (GdkFrameClock *clock,
                gboolean      *painted)
{
  *painted = TRUE;
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

static gboolean
realized (gpointer widget)
{
  return gtk_widget_get_realized (widget);
}

void
test_ui_wait_drawn (GtkWidget *widget,
                    int        timeout_ms)
{
  gboolean painted = FALSE;
  GdkFrameClock *clock;
  gulong handler;

  /* a widget gets a frame clock once its window is realized */
  test_ui_wait_until (realized, widget, timeout_ms);
  clock = gtk_widget_get_frame_clock (widget);
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), &painted);
  gtk_widget_queue_draw (widget);
  test_ui_wait_until (is_true, &painted, timeout_ms);
  g_signal_handler_disconnect (clock, handler);
}

/* The first GtkLabel child of @widget after @after (from the first child when NULL). */
static GtkWidget *
next_label (GtkWidget *widget,
            GtkWidget *after)
{
  for (GtkWidget *child = after != NULL ? gtk_widget_get_next_sibling (after)
                                        : gtk_widget_get_first_child (widget);
       child != NULL; child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LABEL (child))
      return child;
  return NULL;
}

void
test_ui_assert_chart_shows (GtkWidget  *chart,
                            GListModel *predictions)
{
  guint n = g_list_model_get_n_items (predictions), i = 0;
  double previous = G_MAXDOUBLE;

  for (GtkWidget *row = gtk_widget_get_first_child (chart); row != NULL;
       row = gtk_widget_get_next_sibling (row), i++)
    {
      g_autoptr(ScopePrediction) prediction = NULL;
      GtkWidget *class_label = next_label (row, NULL);
      GtkWidget *value_label = class_label != NULL ? next_label (row, class_label) : NULL;
      const char *class_text, *value_text;
      g_autofree char *spoken = NULL;
      char *error, *end;
      double p, shown;

      g_assert_cmpuint (i, <, n);
      g_assert_true (gtk_widget_get_visible (row));
      g_assert_cmpint (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (row)), ==,
                       GTK_ACCESSIBLE_ROLE_LIST_ITEM);
      g_assert_nonnull (value_label);
      prediction = g_list_model_get_item (predictions, i);
      p = scope_prediction_get_probability (prediction);
      class_text = gtk_label_get_text (GTK_LABEL (class_label));
      value_text = gtk_label_get_text (GTK_LABEL (value_label));
      g_test_message ("chart row %u: %s | %s", i, class_text, value_text);

      /* the class, and its probability as a percentage with one decimal */
      g_assert_cmpstr (class_text, ==, scope_prediction_get_label (prediction));
      g_assert_true (g_str_has_suffix (value_text, " %"));
      if (g_str_has_prefix (value_text, "< "))
        {
          g_assert_cmpstr (value_text, ==, "< 0.1 %");
          g_assert_cmpfloat (p, <, 0.001);
          shown = 0.0;
        }
      else
        {
          shown = g_ascii_strtod (value_text, &end);
          g_assert_true (end != value_text && strcmp (end, " %") == 0);
          g_assert_cmpfloat_with_epsilon (shown, p * 100.0, 0.05 + 1e-9);
        }
      g_assert_cmpfloat (shown, <=, previous);
      previous = shown;

      /* a screen reader hears the same */
      spoken = g_strdup_printf ("%s: %s", class_text, value_text);
      error = gtk_test_accessible_check_property (GTK_ACCESSIBLE (row),
                                                  GTK_ACCESSIBLE_PROPERTY_LABEL, spoken);
      if (error != NULL)
        g_error ("chart row %u: accessible label: %s", i, error);
    }
  g_assert_cmpuint (i, ==, MIN (n, 5));
}

gboolean
test_ui_model_ready (gpointer window)
{
  return scope_workspace_get_model (scope_window_get_workspace (window)) != NULL;
}

ScopeWindow *
test_ui_window_new (ScopeModelStore *store,
                    int              timeout_ms)
{
  ScopeWindow *window = scope_window_new (NULL, store);

  g_object_ref_sink (window);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (test_ui_wait (test_ui_model_ready, window, timeout_ms));
  return window;
}

typedef struct
{
  ScopeWindow *window;
  const char  *uri;
} ModelWait;

static gboolean
model_in_use (gpointer data)
{
  ModelWait *wait = data;
  ScopeModel *model = scope_workspace_get_model (scope_window_get_workspace (wait->window));
  GFile *file = model != NULL ? scope_model_get_file (model) : NULL;
  g_autofree char *uri = file != NULL ? g_file_get_uri (file) : NULL;

  return g_strcmp0 (uri, wait->uri) == 0;
}

gboolean
test_ui_wait_for_model (ScopeWindow *window,
                        const char  *uri,
                        int          timeout_ms)
{
  ModelWait wait = { window, uri };

  return test_ui_wait (model_in_use, &wait, timeout_ms);
}

gboolean
test_ui_result_done (gpointer window)
{
  ScopeWorkspace *workspace = scope_window_get_workspace (window);
  ScopeResult *result = scope_workspace_get_result (workspace);

  return result != NULL && scope_workspace_get_pending_result (workspace) == NULL
         && scope_result_get_status (result) == SCOPE_RESULT_DONE;
}

void
test_ui_window_fixture_setup (TestUiWindowFixture *fixture,
                              const char          *name,
                              int                  timeout_ms)
{
  g_autofree char *template = g_strdup_printf ("%s-XXXXXX", name);
  g_autoptr(GFile) models = NULL;

  fixture->tmpdir = g_dir_make_tmp (template, NULL);
  g_assert_nonnull (fixture->tmpdir);
  models = g_file_new_build_filename (fixture->tmpdir, "models", NULL);
  fixture->store = scope_model_store_new (models);
  fixture->window = test_ui_window_new (fixture->store, timeout_ms);
}

void
test_ui_window_fixture_teardown (TestUiWindowFixture *fixture,
                                 int                  timeout_ms)
{
  test_ui_wait_until (test_ui_inference_idle, NULL, timeout_ms);
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  test_ui_wait_until (test_ui_last_reference, fixture->window, timeout_ms);
  g_assert_finalize_object (fixture->window);
  test_ui_wait_until (test_ui_last_reference, fixture->store, timeout_ms);
  g_assert_finalize_object (fixture->store);
  test_remove_tree (fixture->tmpdir);
  g_free (fixture->tmpdir);
}
