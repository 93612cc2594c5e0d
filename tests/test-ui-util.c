/* test-ui-util.c — helpers shared by the GUI tests
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "test-ui-util.h"

#include <stdlib.h>

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

static gboolean
never (gpointer data)
{
  return FALSE;
}

void
test_ui_spin (int milliseconds)
{
  test_ui_wait (never, NULL, milliseconds);
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
