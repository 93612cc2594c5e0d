/* test-ui-util.h — helpers shared by the GUI tests
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "scope-model-store.h"
#include "scope-window-private.h"
#include "test-util.h"

/* g_test_init + gtk_init + adw_init, with HOME and the per-user XDG folders in a temporary
 * folder (removed at exit), so no models folder or setting from the machine leaks in. */
void   test_ui_init            (int     *argc,
                                char  ***argv);

/* A sample picture from data/samples; free with g_free. */
char  *test_ui_sample_path     (const char *name);

/* Iterates the default main context until @predicate (@data) holds or @timeout_ms passes;
 * returns whether it held. */
gboolean test_ui_wait          (gboolean (*predicate) (gpointer data),
                                gpointer  data,
                                int       timeout_ms);

/* Iterates the main context for @milliseconds. */
void   test_ui_spin            (int milliseconds);

/* Whether the ScopeWindow @window has a model (a predicate for test_ui_wait()). */
gboolean test_ui_model_ready   (gpointer window);

/* A new window over @store, presented, once its model is ready (asserted within
 * @timeout_ms); the caller owns the reference. */
ScopeWindow *test_ui_window_new (ScopeModelStore *store,
                                 int              timeout_ms);

/* Iterates the main context until @window's model is the file at @uri or @timeout_ms passes;
 * returns whether it is. */
gboolean test_ui_wait_for_model (ScopeWindow *window,
                                 const char  *uri,
                                 int          timeout_ms);
