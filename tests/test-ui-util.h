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

/* Iterates the default main context until @predicate (@data) holds; fails the test, naming
 * the predicate and the caller's line, when it does not within @timeout_ms. Every GUI test
 * waits through this (or test_ui_wait()), never for a fixed time. */
#define test_ui_wait_until(predicate, data, timeout_ms) \
  test_ui_wait_until_at ((predicate), (data), (timeout_ms), #predicate, __FILE__, __LINE__, \
                         G_STRFUNC)
void   test_ui_wait_until_at   (gboolean  (*predicate) (gpointer data),
                                gpointer    data,
                                int         timeout_ms,
                                const char *what,
                                const char *file,
                                int         line,
                                const char *func);

/* Whether no inference job has anything more to deliver (a predicate for the waits): every
 * job started so far has finished and its hand-overs have reached the main context. */
gboolean test_ui_inference_idle (gpointer unused);

/* Whether only one reference to the GObject @object is left: the test's own (a predicate for
 * the waits before g_assert_finalize_object()). */
gboolean test_ui_last_reference (gpointer object);

/* Queues a redraw of @widget and waits (failing the test after @timeout_ms) until its frame
 * clock has painted a frame after that: what a test needs before looking at what is drawn. */
void   test_ui_wait_drawn      (GtkWidget *widget,
                                int        timeout_ms);

/* Asserts that the prediction chart @chart shows @predictions (a GListModel of
 * ScopePrediction), read from what the chart's row widgets show: one row per prediction in
 * order, its class name label, a percentage label matching the probability, decreasing down
 * the rows, and an accessible name "class: percentage" saying the same. */
void   test_ui_assert_chart_shows (GtkWidget  *chart,
                                   GListModel *predictions);

/* Whether the ScopeWindow @window has a model (a predicate for test_ui_wait()). */
gboolean test_ui_model_ready   (gpointer window);

/* Whether @window's current result is complete, nothing pending (a predicate for
 * test_ui_wait()). */
gboolean test_ui_result_done   (gpointer window);

/* The set-up most GUI tests share: a window (test_ui_window_new()) over a store whose models
 * folder is empty, in a temporary directory named after @name. */
typedef struct
{
  ScopeWindow     *window;
  ScopeModelStore *store;
  char            *tmpdir;
} TestUiWindowFixture;

void test_ui_window_fixture_setup    (TestUiWindowFixture *fixture,
                                      const char          *name,
                                      int                  timeout_ms);
/* Waits for every inference job, closes the window, asserts that it and the store are
 * finalised and removes the directory. */
void test_ui_window_fixture_teardown (TestUiWindowFixture *fixture,
                                      int                  timeout_ms);

/* A new window over @store, presented, once its model is ready (asserted within
 * @timeout_ms); the caller owns the reference. */
ScopeWindow *test_ui_window_new (ScopeModelStore *store,
                                 int              timeout_ms);

/* Iterates the main context until @window's model is the file at @uri or @timeout_ms passes;
 * returns whether it is. */
gboolean test_ui_wait_for_model (ScopeWindow *window,
                                 const char  *uri,
                                 int          timeout_ms);
