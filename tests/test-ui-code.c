/* test-ui-code.c — the network as code: the panel's text for the built-in model, the language
 * switch, and Copy
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The panel stands alone here (the window does not hold it yet), over a workspace that loads
 * the built-in model. The code itself is run by PyTorch in tests/test-code.c; here the
 * question is whether the panel shows the engine's code for the workspace's model, follows
 * the switch, and puts exactly that text on the clipboard.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "scope-code-panel.h"
#include "scope-model.h"
#include "test-ui-util.h"
#include "vgg-code.h"

#define TIMEOUT_MS 60000

typedef struct
{
  ScopeModelStore *store;
  ScopeWorkspace  *workspace;
  GtkWindow       *window;
  ScopeCodePanel  *panel;
  char            *tmpdir;
} Fixture;

static gboolean
model_ready (gpointer data)
{
  return scope_workspace_get_model (data) != NULL
         && !scope_workspace_get_model_loading (data);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autoptr (GFile) models = NULL;

  fixture->tmpdir = g_dir_make_tmp ("test-ui-code-XXXXXX", NULL);
  g_assert_nonnull (fixture->tmpdir);
  models = g_file_new_build_filename (fixture->tmpdir, "models", NULL);
  fixture->store = scope_model_store_new (models);
  fixture->workspace = scope_workspace_new (fixture->store, NULL);
  test_ui_wait_until (model_ready, fixture->workspace, TIMEOUT_MS);

  fixture->panel = SCOPE_CODE_PANEL (scope_code_panel_new (fixture->workspace));
  fixture->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (fixture->window, 900, 700);
  gtk_window_set_child (fixture->window, GTK_WIDGET (fixture->panel));
  gtk_window_present (fixture->window);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  user_data)
{
  gtk_window_destroy (fixture->window);
  test_ui_wait_until (test_ui_inference_idle, NULL, TIMEOUT_MS);
  test_ui_wait_until (test_ui_last_reference, fixture->workspace, TIMEOUT_MS);
  g_assert_finalize_object (fixture->workspace);
  test_ui_wait_until (test_ui_last_reference, fixture->store, TIMEOUT_MS);
  g_assert_finalize_object (fixture->store);
  test_remove_tree (fixture->tmpdir);
  g_free (fixture->tmpdir);
}

/* What the engine writes for the workspace's model. */
static char *
engine_code (ScopeWorkspace  *workspace,
             VggCodeLanguage  language)
{
  ScopeModel *model = scope_workspace_get_model (workspace);
  VggError error = { 0 };
  char *text = NULL, *copy;

  g_assert_cmpint (vgg_model_write_code (scope_model_get_engine (model), language, NULL, &text,
                                         &error), ==, VGG_STATUS_OK);
  copy = g_strdup (text);
  free (text);
  return copy;
}

static void
test_text (Fixture       *fixture,
           gconstpointer  user_data)
{
  g_autofree char *shown = scope_code_panel_dup_text (fixture->panel);
  g_autofree char *expected = engine_code (fixture->workspace, VGG_CODE_PYTORCH);
  g_autofree char *keras = NULL, *keras_expected = NULL;

  /* the built-in model: 1 × 32 × 32 grey, three blocks, fc 2048 → 256 → 10 */
  g_assert_cmpint (scope_code_panel_get_language (fixture->panel), ==, VGG_CODE_PYTORCH);
  g_assert_cmpstr (shown, ==, expected);
  g_assert_nonnull (strstr (shown, "class VGG(nn.Module):"));
  g_assert_nonnull (strstr (shown, "nn.Conv2d(1, 32, kernel_size=3, padding=1),"));
  g_assert_nonnull (strstr (shown, "nn.Linear(128 * 4 * 4, 256),"));
  g_assert_nonnull (strstr (shown, "FashionMNISTStyle(32, 32)"));
  g_assert_nonnull (strstr (shown, "\nmodel = VGG()\n"));

  /* the switch, as the toggle buttons use it */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->panel), "code.language", "s",
                                             "keras"));
  g_assert_cmpint (scope_code_panel_get_language (fixture->panel), ==, VGG_CODE_KERAS);
  keras = scope_code_panel_dup_text (fixture->panel);
  keras_expected = engine_code (fixture->workspace, VGG_CODE_KERAS);
  g_assert_cmpstr (keras, ==, keras_expected);
  g_assert_nonnull (strstr (keras, "inputs = keras.Input(shape=(32, 32, 1), name=\"input\")"));
  g_assert_nonnull (strstr (keras, "layers.Conv2D(32, (3, 3), padding=\"same\", "
                                   "activation=\"relu\", name=\"block1_conv1\")"));

  scope_code_panel_set_language (fixture->panel, VGG_CODE_PYTORCH);
  g_clear_pointer (&shown, g_free);
  shown = scope_code_panel_dup_text (fixture->panel);
  g_assert_cmpstr (shown, ==, expected);
}

typedef struct
{
  char    *text;
  gboolean done;
} ClipboardRead;

static void
on_read_text (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  ClipboardRead *read = data;
  g_autoptr (GError) error = NULL;

  read->text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, &error);
  g_assert_no_error (error);
  read->done = TRUE;
}

static gboolean
read_done (gpointer data)
{
  return ((ClipboardRead *) data)->done;
}

static gboolean
copied_hidden (gpointer data)
{
  GObject *revealer = gtk_widget_get_template_child (data, SCOPE_TYPE_CODE_PANEL,
                                                     "copied_revealer");

  return !gtk_revealer_get_reveal_child (GTK_REVEALER (revealer));
}

static void
test_copy (Fixture       *fixture,
           gconstpointer  user_data)
{
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (fixture->panel));
  g_autofree char *shown = NULL;
  ClipboardRead read = { 0 };

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->panel), "code.language", "s",
                                             "keras"));
  shown = scope_code_panel_dup_text (fixture->panel);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->panel), "code.copy", NULL));
  g_assert_false (copied_hidden (fixture->panel));   /* "Copied" is shown */

  gdk_clipboard_read_text_async (clipboard, NULL, on_read_text, &read);
  test_ui_wait_until (read_done, &read, TIMEOUT_MS);
  g_assert_cmpstr (read.text, ==, shown);
  g_free (read.text);

  /* and goes away by itself */
  test_ui_wait_until (copied_hidden, fixture->panel, TIMEOUT_MS);
}

/* Without a model there is nothing to copy. */
static void
test_no_workspace (void)
{
  GtkWidget *panel = g_object_ref_sink (scope_code_panel_new (NULL));
  g_autofree char *text = scope_code_panel_dup_text (SCOPE_CODE_PANEL (panel));

  g_assert_cmpstr (text, ==, "");
  scope_code_panel_copy (SCOPE_CODE_PANEL (panel));   /* does nothing, no warning */
  g_assert_finalize_object (panel);
}

int
main (int    argc,
      char **argv)
{
  test_ui_init (&argc, &argv);

  g_test_add ("/ui-code/text", Fixture, NULL, fixture_setup, test_text, fixture_teardown);
  g_test_add ("/ui-code/copy", Fixture, NULL, fixture_setup, test_copy, fixture_teardown);
  g_test_add_func ("/ui-code/no-workspace", test_no_workspace);
  return g_test_run ();
}
