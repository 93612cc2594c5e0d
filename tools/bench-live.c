/* bench-live.c — the program behind tools/bench-live: the test camera drives the window
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * usage: bench-live [--model default|vgg16] [--seconds S] [--layer N] [--view NAME]
 *                   [--screenshot OUT.png] [--trace]
 * The window comes up with the Live view on the test camera (VGG_SCOPE_TEST_CAMERA, set by
 * tools/bench-live), runs until the first prediction, then shows layer N's feature maps (the
 * Feature Maps view) while it measures for S seconds: predictions completed per second (each
 * one shown: its maps, its prediction), the frames the camera delivered, the last latency,
 * and the longest interval between two frame-clock ticks of the window (a tick callback keeps
 * the clock running, as a video would).
 */
#include "config.h"

#include <adwaita.h>
#include <sys/resource.h>

#include "scope-engine-environment.h"
#include "scope-live-panel.h"
#include "scope-memory.h"
#include "scope-window-private.h"

#include "bench-thread-clock.h"

typedef struct
{
  char        *model;
  char        *view;
  char        *screenshot;
  int          seconds;
  int          layer;
  int          status;
  gboolean     measuring;
  gboolean     trace;
  gint64       last_tick;
  gint64       last_tick_cpu;
  gint64       last_tick_delay;
  gint64       phase_start;
  gint64       paint_time;
  gint64       longest_tick;
  guint        ticks;
  guint        ticks_over_20;
  guint        ticks_over_33;
} Bench;

static double
timeval_seconds (const struct timeval *tv)
{
  return tv->tv_sec + tv->tv_usec / 1e6;
}

static gboolean
on_tick (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       data)
{
  Bench *bench = data;
  gint64 now = g_get_monotonic_time ();
  gint64 cpu = bench->trace ? bench_thread_cpu_time () : 0;
  gint64 delay = bench->trace ? bench_thread_run_delay () : 0;

  if (bench->measuring && bench->last_tick > 0)
    {
      gint64 interval = now - bench->last_tick;

      bench->longest_tick = MAX (bench->longest_tick, interval);
      bench->ticks++;
      bench->ticks_over_20 += interval > 20000;
      bench->ticks_over_33 += interval > 33000;
      /* busy: the main thread worked through the interval; otherwise it waited for a core */
      if (bench->trace && interval > 20000)
        g_print ("  interval %.1f ms, main thread CPU in it %.1f ms, waiting for a core %.1f ms; "
                 "the last frame's paint %.1f ms\n",
                 interval / 1000.0, (cpu - bench->last_tick_cpu) / 1000.0,
                 (delay - bench->last_tick_delay) / 1000.0, bench->paint_time / 1000.0);
    }
  bench->last_tick = now;
  bench->last_tick_cpu = cpu;
  bench->last_tick_delay = delay;
  return G_SOURCE_CONTINUE;
}

/* The last frame's paint: GTK's own handlers run first, so "layout" here is the end of the
 * layout phase and "paint" the end of painting (snapshot and render). */
static void
on_layout (GdkFrameClock *clock,
           Bench         *bench)
{
  bench->phase_start = g_get_monotonic_time ();
}

static void
on_paint (GdkFrameClock *clock,
          Bench         *bench)
{
  bench->paint_time = g_get_monotonic_time () - bench->phase_start;
}

/* Iterates the main context for @ms, or until @done (@data) holds. */
static gboolean
spin (gboolean (*done) (gpointer data),
      gpointer   data,
      int        ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      if (done != NULL && done (data))
        return TRUE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (500);
    }
  return done != NULL && done (data);
}

/* The window as it is drawn, into a PNG. */
static gboolean
save_window_png (GtkWidget  *widget,
                 const char *path)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);

  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  if (node == NULL)
    {
      g_printerr ("bench-live: nothing drawn (%d × %d)\n", width, height);
      return FALSE;
    }
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)),
                                         node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  return gdk_texture_save_to_png (texture, path);
}

static gboolean
has_model (gpointer window)
{
  return scope_workspace_get_model (scope_window_get_workspace (window)) != NULL
         && !scope_workspace_get_model_loading (scope_window_get_workspace (window));
}

static gboolean
has_prediction (gpointer panel)
{
  return scope_live_runner_get_n_completed (scope_live_panel_get_runner (panel)) > 0;
}

static void
on_activate (GtkApplication *application,
             Bench          *bench)
{
  g_autofree char *dir = g_dir_make_tmp ("bench-live-XXXXXX", NULL);
  g_autoptr(GFile) models = g_file_new_for_path (dir);
  g_autoptr(ScopeModelStore) store = scope_model_store_new (models);
  ScopeWindow *window = scope_window_new (application, store);
  ScopeLivePanel *panel = window->live_panel;
  ScopeLiveRunner *runner;
  ScopeLiveSource *source;
  guint64 completed0, delivered0, arrived0;
  gint64 t0, t1, main_cpu0, main_cpu1;
  struct rusage usage0, usage1;

  gtk_window_set_default_size (GTK_WINDOW (window), 1440, 900);
  gtk_window_present (GTK_WINDOW (window));
  if (!spin (has_model, window, 30000))
    {
      g_printerr ("bench-live: the model did not load\n");
      bench->status = 1;
      goto out;
    }
  if (g_strcmp0 (bench->model, "vgg16") == 0)
    {
      VggConfig config;
      VggModel *model = NULL;
      VggError error = { 0 };
      g_autoptr(ScopeModel) scope_model = NULL;

      vgg_config_for_name (&config, "vgg16", NULL);
      if (vgg_model_new_random (&model, &config, 16, &error) != VGG_STATUS_OK)
        {
          g_printerr ("bench-live: vgg16: %s\n", error.message);
          bench->status = 1;
          goto out;
        }
      scope_model = scope_model_new_take (model, NULL);
      scope_workspace_set_model (scope_window_get_workspace (window), scope_model);
    }
  g_print ("model: %s; engine threads %d, cores %u\n",
           vgg_model_name (scope_model_get_engine (scope_workspace_get_model (
             scope_window_get_workspace (window)))), vgg_get_threads (),
           g_get_num_processors ());

  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-view", "s", "live");
  scope_live_panel_start (panel);
  runner = scope_live_panel_get_runner (panel);
  source = scope_live_panel_get_source (panel);
  if (!spin (has_prediction, panel, 60000))
    {
      g_printerr ("bench-live: no prediction within a minute (%s)\n",
                  scope_window_get_last_toast (window));
      bench->status = 1;
      goto out;
    }
  /* one layer's maps on screen while the camera drives the network */
  scope_workspace_set_selected_layer (scope_window_get_workspace (window), bench->layer);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-view", "s",
                              bench->view != NULL ? bench->view : "maps");
  gtk_widget_add_tick_callback (GTK_WIDGET (window), on_tick, bench, NULL);
  if (bench->trace)
    {
      GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));

      g_signal_connect (clock, "layout", G_CALLBACK (on_layout), bench);
      g_signal_connect (clock, "paint", G_CALLBACK (on_paint), bench);
    }
  spin (NULL, NULL, 1000);

  completed0 = scope_live_runner_get_n_completed (runner);
  delivered0 = scope_live_source_get_n_delivered (source);
  arrived0 = scope_live_source_get_n_arrived (source);
  bench->measuring = TRUE;
  bench->last_tick = 0;
  getrusage (RUSAGE_SELF, &usage0);
  main_cpu0 = bench_thread_cpu_time ();
  t0 = g_get_monotonic_time ();
  spin (NULL, NULL, bench->seconds * 1000);
  t1 = g_get_monotonic_time ();
  main_cpu1 = bench_thread_cpu_time ();
  getrusage (RUSAGE_SELF, &usage1);
  bench->measuring = FALSE;

  {
    double seconds = (t1 - t0) / 1e6;

    g_print ("layer shown: %s\n", scope_workspace_get_layer_info (scope_window_get_workspace (window))
                                  ? scope_workspace_get_layer_info (scope_window_get_workspace (window))->name
                                  : "?");
    g_print ("camera frames arrived: %.1f/s, reached the main loop: %.1f/s\n",
             (scope_live_source_get_n_arrived (source) - arrived0) / seconds,
             (scope_live_source_get_n_delivered (source) - delivered0) / seconds);
    g_print ("predictions shown: %.1f/s (%" G_GUINT64_FORMAT " in %.1f s), last latency %.0f ms\n",
             (scope_live_runner_get_n_completed (runner) - completed0) / seconds,
             scope_live_runner_get_n_completed (runner) - completed0, seconds,
             1000.0 * scope_live_runner_get_latency (runner));
    g_print ("longest frame-clock interval: %.1f ms (of %u: %u over 20 ms, %u over 33 ms)\n",
             bench->longest_tick / 1000.0, bench->ticks, bench->ticks_over_20, bench->ticks_over_33);
    g_print ("CPU of this process: %.2f cores (the main thread %.2f); the last frame's forward pass %.0f ms\n",
             (timeval_seconds (&usage1.ru_utime) + timeval_seconds (&usage1.ru_stime)
              - timeval_seconds (&usage0.ru_utime) - timeval_seconds (&usage0.ru_stime)) / seconds,
             (main_cpu1 - main_cpu0) / 1e6 / seconds,
             1000.0 * scope_result_get_elapsed (scope_workspace_get_result (scope_window_get_workspace (window))));
  }

  if (bench->screenshot != NULL)
    {
      gtk_widget_activate_action (GTK_WIDGET (window), "win.show-view", "s",
                                  bench->view != NULL ? bench->view : "live");
      spin (NULL, NULL, 1500);
      if (!save_window_png (adw_application_window_get_content (ADW_APPLICATION_WINDOW (window)),
                            bench->screenshot))
        {
          g_printerr ("bench-live: could not write %s\n", bench->screenshot);
          bench->status = 1;
        }
    }

out:
  scope_live_source_stop (scope_live_panel_get_source (panel));
  gtk_window_destroy (GTK_WINDOW (window));
  spin (NULL, NULL, 200);
  g_application_quit (G_APPLICATION (application));
}

int
main (int   argc,
      char *argv[])
{
  Bench bench = { .seconds = 10, .layer = 1 };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(AdwApplication) application = NULL;
  GOptionEntry entries[] = {
    { "model", 0, 0, G_OPTION_ARG_STRING, &bench.model, "default or vgg16", "NAME" },
    { "seconds", 0, 0, G_OPTION_ARG_INT, &bench.seconds, "How long to measure", "S" },
    { "layer", 0, 0, G_OPTION_ARG_INT, &bench.layer, "The layer whose maps show", "N" },
    { "screenshot", 0, 0, G_OPTION_ARG_FILENAME, &bench.screenshot,
      "At the end, save the window showing the Live view (or --view) here", "PNG" },
    { "trace", 0, 0, G_OPTION_ARG_NONE, &bench.trace,
      "Print each frame-clock interval over 20 ms with the main thread's CPU time in it", NULL },
    { "view", 0, 0, G_OPTION_ARG_STRING, &bench.view,
      "The view shown while measuring (default maps; live: the Live view)", "NAME" },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (scope_engine_environment_test_camera () == NULL)
    {
      g_printerr ("bench-live: set VGG_SCOPE_TEST_CAMERA (tools/bench-live does)\n");
      return 2;
    }
  scope_memory_limit_arenas ();
  scope_engine_environment_apply_threads ();
  application = g_object_new (ADW_TYPE_APPLICATION,
                              "application-id", APPLICATION_ID ".BenchLive",
                              "resource-base-path", "/org/vggscope/VggScope",
                              "flags", G_APPLICATION_NON_UNIQUE,
                              NULL);
  g_signal_connect (application, "activate", G_CALLBACK (on_activate), &bench);
  g_application_run (G_APPLICATION (application), 0, NULL);
  g_free (bench.model);
  g_free (bench.view);
  g_free (bench.screenshot);
  return bench.status;
}
