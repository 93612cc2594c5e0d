/* scope-ui-driver.c — drives the real main window for screenshots and the UI benchmark
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   scope-ui-driver screenshot OUT.png [--image PATH [--also PATH]...] [--layer NAME] [--unit Y,X]
 *                   [--channel N] [--dark] [--size WxH] [--table] [--empty]
 *                   [--view maps|explain|learn [--method NICK] [--learn-page NAME]]
 *                   [--view compare [--second PATH] [--weights-b FILE] [--visualize]]
 *                   [--view dataset [--dataset PATH]]
 *                   [--weights-dialog [--weights-download] [--weights-base-url URL]]
 *                   [--model-menu] [--models DIR] [--weights FILE]
 *                   [--code-panel [--language pytorch|keras]]
 *   scope-ui-driver bench [--image PATH] [--runs N] [--model vgg16|default] [--trace]
 *   scope-ui-driver load --weights FILE    (how long the window stalls while FILE loads)
 *   scope-ui-driver startup [--weights FILE] [--image PATH]
 *                                          (from this process's start to the picture's
 *                                           prediction on screen, as the app on a picture)
 *   scope-ui-driver stress [--count N]     (N pictures dropped in quick succession, models
 *                                           switched meanwhile, a window closed mid-run;
 *                                           resident memory before and after)
 *
 * Used by tools/screenshot and tools/bench-ui (run them under Xvfb). The screenshot is
 * rendered by GTK itself (the window's render nodes through its own renderer), so it does
 * not depend on the X server's pixels.
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <sys/resource.h>
#include <unistd.h>

#include "scope-background.h"
#include "scope-code-panel.h"
#include "scope-engine-environment.h"
#include "scope-settings.h"
#include "scope-enum-types.h"
#include "scope-inference-private.h"
#include "scope-memory.h"
#include "scope-model-paths.h"
#include "scope-model.h"
#include "scope-preprocess-view.h"
#include "scope-tsan.h"
#include "scope-unit-panel.h"
#include "scope-window-private.h"

#include "bench-thread-clock.h"

typedef struct
{
  /* options */
  char        *mode;
  char        *output;
  char        *image;
  char       **also;      /* more pictures dropped with the first (the picture strip) */
  char        *layer;
  char        *unit;
  char        *model;
  char        *action;
  char        *weights_base_url;
  gboolean     weights_dialog;
  gboolean     code_panel;
  char        *language;
  gboolean     weights_download;
  gboolean     model_menu;
  char        *models;
  char        *weights;
  char        *home;      /* a temporary home for the weights dialog, removed at the end */
  int          channel;
  gboolean     dark;
  char        *view;          /* "maps", "explain", "learn", "compare" or "dataset" */
  char        *second;        /* compare: the second picture */
  char        *weights_b;     /* compare: the second model */
  gboolean     visualize;     /* compare: grow the selected channel's picture */
  char        *dataset;       /* the Data Set view's folder or IDX file */
  char        *method;        /* the explanation's method (nick) */
  char        *learn_page;    /* the Learn view's page: layer, filters, preprocessing, … */
  gboolean     table;
  gboolean     empty;
  int          width;
  int          height;
  int          runs;
  int          count;

  /* state */
  GMainLoop   *loop;
  ScopeWindow *window;
  ScopeModelStore *store;  /* borrowed */
  int          status;

  /* bench */
  gint64       start;
  gint64       first_maps;
  gint64       prediction;
  gint64       last_tick;
  gint64       longest_stall;
  gint64       main_cpu;      /* the main thread's CPU time at the drop, then its use */
  int          frames;
  gboolean     trace;
  gint64       main_at;        /* startup: when main() began, the app activated, the window */
  gint64       activated_at;   /* was made */
  gint64       window_at;
  gboolean     measuring;
  GArray      *first_maps_ms;
  GArray      *prediction_ms;
  GArray      *stall_ms;
  GArray      *bare_ms;
  int          run;
} Driver;

/* ---- waiting ---- */

static gboolean
quit_loop (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static void
spin (Driver *driver,
      guint   milliseconds)
{
  g_timeout_add (milliseconds, quit_loop, driver->loop);
  g_main_loop_run (driver->loop);
}

static gboolean
result_done (ScopeWindow *window)
{
  ScopeResult *result = scope_workspace_get_result (scope_window_get_workspace (window));

  return result != NULL && scope_workspace_get_pending_result (scope_window_get_workspace (window)) == NULL
         && scope_result_get_status (result) >= SCOPE_RESULT_DONE;
}

static gboolean
wait_for (Driver   *driver,
          gboolean (*predicate) (ScopeWindow *window),
          int       timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!predicate (driver->window))
    {
      if (g_get_monotonic_time () > end)
        return FALSE;
      g_main_context_iteration (NULL, TRUE);
    }
  return TRUE;
}

static gboolean
model_ready (ScopeWindow *window)
{
  return scope_workspace_get_model (scope_window_get_workspace (window)) != NULL;
}

static gboolean
window_mapped (ScopeWindow *window)
{
  return gtk_widget_get_mapped (GTK_WIDGET (window));
}

/* ---- screenshot ---- */

static gboolean
save_window_png (GtkNative  *window,
                 const char *path)
{
  GtkWidget *widget = GTK_WIDGET (window);
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (window));

  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  if (node == NULL)
    return FALSE;
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  return gdk_texture_save_to_png (texture, path);
}

/* Drops @paths (NULL-terminated) on the window at once, exactly as a drop does. */
static void
drop_files (Driver      *driver,
            char *const *paths)
{
  GSList *list = NULL;
  GValue value = G_VALUE_INIT;

  for (guint i = 0; paths[i] != NULL; i++)
    list = g_slist_prepend (list, g_file_new_for_commandline_arg (paths[i]));
  list = g_slist_reverse (list);
  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_value_set_boxed (&value, list);
  scope_window_open_value (driver->window, &value);
  g_value_unset (&value);
  g_slist_free_full (list, g_object_unref);
}

static void
open_image (Driver *driver)
{
  g_autoptr(GPtrArray) paths = g_ptr_array_new ();

  g_ptr_array_add (paths, driver->image);
  for (guint i = 0; driver->also != NULL && driver->also[i] != NULL; i++)
    g_ptr_array_add (paths, driver->also[i]);
  g_ptr_array_add (paths, NULL);
  drop_files (driver, (char *const *) paths->pdata);
}

static void
screenshot (Driver *driver)
{
  if (!wait_for (driver, window_mapped, 10000) || !wait_for (driver, model_ready, 30000))
    {
      g_printerr ("the window did not come up\n");
      driver->status = 1;
      return;
    }

  if (driver->weights != NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (driver->weights);
      g_autofree char *uri = g_file_get_uri (file);
      ScopeModel *before = scope_workspace_get_model (scope_window_get_workspace (driver->window));

      scope_model_store_add_file (driver->store, file);
      gtk_widget_activate_action (GTK_WIDGET (driver->window), "win.model", "s", uri);
      while (scope_workspace_get_model (scope_window_get_workspace (driver->window)) == before)
        g_main_context_iteration (NULL, TRUE);
    }

  if (!driver->empty)
    {
      open_image (driver);
      if (!wait_for (driver, result_done, 60000))
        {
          g_printerr ("no result: %s\n", scope_window_get_last_toast (driver->window));
          driver->status = 1;
          return;
        }
      if (driver->layer != NULL)
        {
          int index = vgg_model_find_layer (
            scope_model_get_engine (scope_workspace_get_model (scope_window_get_workspace (driver->window))), driver->layer);

          if (index < 0)
            g_printerr ("no layer %s\n", driver->layer);
          else
            scope_workspace_set_selected_layer (scope_window_get_workspace (driver->window), index);
        }
      spin (driver, 200);
      if (driver->unit != NULL)
        {
          int y = -1, x = -1;

          if (sscanf (driver->unit, "%d,%d", &y, &x) == 2)
            scope_view_state_set_unit (scope_window_get_view_state (driver->window), y, x);
        }
      if (driver->channel >= 0)
        {
          scope_feature_grid_set_selected_channel (scope_window_get_feature_grid (driver->window),
                                                   driver->channel);
          g_signal_emit_by_name (scope_window_get_feature_grid (driver->window),
                                 "channel-activated", driver->channel);
        }
    }
  if (driver->action != NULL)
    {
      gtk_widget_activate_action (GTK_WIDGET (driver->window), driver->action, NULL);
      spin (driver, 3000);
    }
  if (g_strcmp0 (driver->view, "dataset") == 0)
    {
      ScopeDatasetRoom *room = scope_window_get_dataset_room (driver->window);

      if (driver->dataset != NULL)
        scope_dataset_room_set_path (room, driver->dataset);
      gtk_widget_activate_action (GTK_WIDGET (driver->window), "win.show-view", "s", "dataset");
      /* until the scan is done and the tiles are in (10,000 images take a few seconds) */
      for (int i = 0; i < 1200; i++)
        {
          ScopeDatasetScan *scan = scope_dataset_room_get_scan (room);

          if (scan != NULL && scope_dataset_scan_get_complete (scan)
              && scope_dataset_room_get_n_tiles (room) > 0)
            break;
          spin (driver, 100);
        }
    }
  else if (driver->view != NULL)
    {
      ScopeExplainPanel *panel = scope_window_get_explain_panel (driver->window);

      if (driver->method != NULL)
        {
          GEnumClass *methods = g_type_class_ref (SCOPE_TYPE_EXPLAIN_METHOD);
          GEnumValue *value = g_enum_get_value_by_nick (methods, driver->method);

          if (value != NULL)
            scope_explain_panel_set_method (panel, value->value);
          g_type_class_unref (methods);
        }
      if (driver->learn_page != NULL)
        scope_learn_room_show_page (scope_window_get_learn_room (driver->window),
                                    driver->learn_page);
      gtk_widget_activate_action (GTK_WIDGET (driver->window), "win.show-view", "s",
                                  driver->view);
      if (g_strcmp0 (driver->view, "compare") == 0)
        {
          ScopeComparePanel *compare = scope_window_get_compare_panel (driver->window);
          ScopeCkaView *cka = scope_compare_panel_get_cka_view (compare);

          if (driver->second != NULL)
            {
              g_autoptr(GFile) file = g_file_new_for_path (driver->second);
              scope_compare_panel_set_second (compare, file);
            }
          if (driver->weights_b != NULL)
            {
              g_autoptr(GFile) file = g_file_new_for_path (driver->weights_b);
              scope_cka_view_set_model_b (cka, file);
            }
          for (int i = 0; i < 600 && (scope_compare_panel_get_busy (compare)
                                      || scope_cka_view_get_busy (cka)); i++)
            spin (driver, 100);
          if (driver->visualize)
            gtk_widget_activate_action (GTK_WIDGET (compare), "compare.visualize", NULL);
          for (int i = 0; i < 1200 && scope_compare_panel_get_busy (compare); i++)
            spin (driver, 100);
        }
      /* until the explanation is there (occlusion and SmoothGrad take a while) */
      for (int i = 0; g_strcmp0 (driver->view, "explain") == 0 && i < 600; i++)
        {
          ScopeExplanation *explanation = scope_explain_panel_get_explanation (panel);

          if (explanation != NULL
              && scope_explanation_get_status (explanation) >= SCOPE_RESULT_DONE)
            break;
          spin (driver, 100);
        }
      /* until the worked unit is there (a full-size VGG runs twice up to the unit's layer) */
      for (int i = 0; g_strcmp0 (driver->learn_page, "unit") == 0 && i < 1200; i++)
        {
          ScopeLearnRoom *room = scope_window_get_learn_room (driver->window);
          ScopeUnitPanel *unit = SCOPE_UNIT_PANEL (scope_learn_room_get_child (room, "unit"));

          if (i > 2 && !scope_unit_panel_get_busy (unit)
              && scope_unit_panel_get_breakdown (unit) != NULL)
            break;
          spin (driver, 100);
        }
      /* until the preprocessing steps are there */
      for (int i = 0; g_strcmp0 (driver->learn_page, "preprocessing") == 0 && i < 600; i++)
        {
          ScopeLearnRoom *room = scope_window_get_learn_room (driver->window);
          GtkWidget *view = scope_learn_room_get_child (room, "preprocessing");

          if (scope_preprocess_view_get_ready (SCOPE_PREPROCESS_VIEW (view)))
            break;
          spin (driver, 100);
        }
    }
  /* let transitions and the progress bar settle */
  spin (driver, 900);

  if (driver->model_menu)
    {
      GtkWidget *child = GTK_WIDGET (driver->window);
      GtkPopover *popover = NULL;

      /* the header bar's model button: the menu button whose menu has the models list */
      while (child != NULL && popover == NULL)
        {
          if (GTK_IS_MENU_BUTTON (child)
              && g_strcmp0 (gtk_widget_get_tooltip_text (child), "Choose the Model") == 0)
            popover = gtk_menu_button_get_popover (GTK_MENU_BUTTON (child));
          if (gtk_widget_get_first_child (child) != NULL)
            child = gtk_widget_get_first_child (child);
          else
            {
              while (child != NULL && gtk_widget_get_next_sibling (child) == NULL)
                child = gtk_widget_get_parent (child);
              if (child != NULL)
                child = gtk_widget_get_next_sibling (child);
            }
        }
      if (popover == NULL)
        {
          g_printerr ("no model menu\n");
          driver->status = 1;
          return;
        }
      gtk_popover_popup (popover);
      spin (driver, 3000);
      if (!save_window_png (GTK_NATIVE (popover), driver->output))
        driver->status = 1;
      else
        g_print ("wrote %s\n", driver->output);
      return;
    }
  if (driver->code_panel)
    {
      /* the network as code, in a window of its own (no room of the window holds it yet) */
      GtkWidget *panel = scope_code_panel_new (scope_window_get_workspace (driver->window));
      GtkWindow *window = GTK_WINDOW (gtk_window_new ());
      VggCodeLanguage language = VGG_CODE_PYTORCH;

      if (driver->language != NULL)
        vgg_code_language_from_name (driver->language, &language);
      scope_code_panel_set_language (SCOPE_CODE_PANEL (panel), language);
      gtk_window_set_default_size (window, 900, 720);
      gtk_window_set_child (window, panel);
      gtk_window_present (window);
      spin (driver, 900);
      if (!save_window_png (GTK_NATIVE (window), driver->output))
        driver->status = 1;
      else
        g_print ("wrote %s\n", driver->output);
      gtk_window_destroy (window);
      return;
    }
  if (driver->weights_dialog)
    {
      ScopeWeightsDialog *dialog;

      if (driver->weights_base_url != NULL)
        g_setenv ("VGG_SCOPE_MODEL_BASE_URL", driver->weights_base_url, TRUE);
      dialog = scope_window_show_weights_dialog (driver->window);
      if (driver->weights_download)
        {
          scope_weights_dialog_download (dialog);
          spin (driver, 4000);
        }
      spin (driver, 900);
      if (!save_window_png (GTK_NATIVE (dialog), driver->output))
        {
          g_printerr ("could not save %s\n", driver->output);
          driver->status = 1;
        }
      else
        g_print ("wrote %s (%d × %d)\n", driver->output,
                 gtk_widget_get_width (GTK_WIDGET (dialog)),
                 gtk_widget_get_height (GTK_WIDGET (dialog)));
      return;
    }

  if (!save_window_png (GTK_NATIVE (driver->window), driver->output))
    {
      g_printerr ("could not save %s\n", driver->output);
      driver->status = 1;
    }
  else
    g_print ("wrote %s (%d × %d)\n", driver->output,
             gtk_widget_get_width (GTK_WIDGET (driver->window)),
             gtk_widget_get_height (GTK_WIDGET (driver->window)));
}

/* ---- bench ---- */

static gboolean
on_tick (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       user_data)
{
  Driver *driver = user_data;
  gint64 now = g_get_monotonic_time ();

  if (driver->measuring && driver->last_tick > 0)
    driver->longest_stall = MAX (driver->longest_stall, now - driver->last_tick);
  driver->last_tick = now;
  /* keep the frame clock running, as an animation would */
  gtk_widget_queue_draw (widget);
  return G_SOURCE_CONTINUE;
}

static void
on_traced_capture (ScopeResult *result,
                   int          index,
                   Driver      *driver)
{
  g_print ("  layer %d captured at %.1f ms (selected %d)\n", index,
           (g_get_monotonic_time () - driver->start) / 1000.0,
           scope_workspace_get_selected_layer (scope_window_get_workspace (driver->window)));
}

static void
on_traced_phase (GdkFrameClock *clock,
                 Driver        *driver)
{
  if (driver->measuring)
    g_print ("    %s at %.1f ms (main CPU %.1f ms)\n",
             (const char *) g_object_get_data (G_OBJECT (clock), "phase"),
             (g_get_monotonic_time () - driver->start) / 1000.0,
             (bench_thread_cpu_time () - driver->main_cpu) / 1000.0);
}

static void
on_traced_layout (GdkFrameClock *clock, Driver *driver)
{
  g_object_set_data (G_OBJECT (clock), "phase", (gpointer) "layout");
  on_traced_phase (clock, driver);
}

static void
on_traced_paint (GdkFrameClock *clock, Driver *driver)
{
  g_object_set_data (G_OBJECT (clock), "phase", (gpointer) "paint");
  on_traced_phase (clock, driver);
}

static void
on_traced_update (GdkFrameClock *clock, Driver *driver)
{
  g_object_set_data (G_OBJECT (clock), "phase", (gpointer) "update");
  on_traced_phase (clock, driver);
}

static void
on_traced_result (ScopeWorkspace *workspace,
                  GParamSpec     *pspec,
                  Driver         *driver)
{
  ScopeResult *result = scope_workspace_get_pending_result (workspace);

  if (result == NULL)
    result = scope_workspace_get_result (workspace);
  g_print ("  result changed at %.1f ms\n", (g_get_monotonic_time () - driver->start) / 1000.0);
  if (result != NULL)
    g_signal_connect (result, "layer-captured", G_CALLBACK (on_traced_capture), driver);
}

static void
on_after_paint (GdkFrameClock *clock,
                Driver        *driver)
{
  gint64 now = g_get_monotonic_time ();
  ScopeResult *result;

  if (!driver->measuring)
    return;
  result = scope_workspace_get_result (scope_window_get_workspace (driver->window));
  if (driver->first_maps == 0 && result != NULL
      && scope_workspace_get_pending_result (scope_window_get_workspace (driver->window)) == NULL
      && scope_feature_grid_get_n_channels (scope_window_get_feature_grid (driver->window)) > 0
      && gtk_widget_get_mapped (GTK_WIDGET (scope_window_get_feature_grid (driver->window))))
    driver->first_maps = now;
  driver->frames++;
  if (driver->trace)
    g_print ("  frame at %.1f ms (main CPU %.1f ms)\n", (now - driver->start) / 1000.0,
             (bench_thread_cpu_time () - driver->main_cpu) / 1000.0);
  if (driver->prediction == 0 && result_done (driver->window)
      && scope_result_get_status (result) == SCOPE_RESULT_DONE)
    {
      driver->prediction = now;
      driver->main_cpu = bench_thread_cpu_time () - driver->main_cpu;
    }
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
median (GArray *values)
{
  g_array_sort (values, compare_double);
  if (values->len == 0)
    return 0;
  return g_array_index (values, double, values->len / 2);
}

static double
maximum (GArray *values)
{
  double m = 0;

  for (guint i = 0; i < values->len; i++)
    m = MAX (m, g_array_index (values, double, i));
  return m;
}

/* The same model's forward pass with nothing watching, on the run the window uses (between
 * two of its passes), from a background thread as the window's own pass is: the bare time
 * that "prediction on screen" is compared with. */
typedef struct
{
  ScopeModel *model;
  float      *input;
  double      ms;
} BareForward;

static gpointer
bare_forward_thread (gpointer data)
{
  BareForward *bare = data;
  g_autoptr(GError) error = NULL;
  VggError engine_error = { 0 };
  VggRun *run;
  gint64 start;

  scope_background_lower_this_thread ();
  run = scope_model_acquire_run (bare->model, &error);
  if (run == NULL)
    {
      g_printerr ("bare forward: %s\n", error->message);
      bare->ms = -1;
      return NULL;
    }
  start = g_get_monotonic_time ();
  if (vgg_run_forward (run, bare->input, &engine_error) != VGG_STATUS_OK)
    {
      g_printerr ("bare forward: %s\n", engine_error.message);
      bare->ms = -1;
    }
  else
    bare->ms = (g_get_monotonic_time () - start) / 1000.0;
  scope_model_release_run (bare->model, run);
  return NULL;
}

static double
bare_forward (ScopeModel *model)
{
  const VggConfig *config = vgg_model_config (scope_model_get_engine (model));
  size_t count = (size_t) config->input_channels * config->input_height * config->input_width;
  BareForward bare = { model, g_new (float, count), 0 };
  GRand *rand = g_rand_new_with_seed (7);

  for (size_t i = 0; i < count; i++)
    bare.input[i] = (float) g_rand_double_range (rand, -2.0, 2.0);
  g_rand_free (rand);
  g_thread_join (g_thread_new ("bare-forward", bare_forward_thread, &bare));
  g_free (bare.input);
  return bare.ms;
}

static gboolean
run_measured (ScopeWindow *window)
{
  return result_done (window);
}

static void
bench (Driver *driver)
{
  GdkFrameClock *clock;

  if (!wait_for (driver, window_mapped, 10000) || !wait_for (driver, model_ready, 30000))
    {
      g_printerr ("the window did not come up\n");
      driver->status = 1;
      return;
    }

  if (g_strcmp0 (driver->model, "vgg16") == 0)
    {
      VggConfig config;
      VggModel *model = NULL;
      VggError error = { 0 };
      g_autoptr(ScopeModel) scope_model = NULL;
      gint64 t0 = g_get_monotonic_time ();

      vgg_config_for_name (&config, "vgg16", NULL);
      if (vgg_model_new_random (&model, &config, 16, &error) != VGG_STATUS_OK)
        {
          g_printerr ("vgg16: %s\n", error.message);
          driver->status = 1;
          return;
        }
      scope_model = scope_model_new_take (model, NULL);
      scope_workspace_set_model (scope_window_get_workspace (driver->window), scope_model);
      g_print ("model: random VGG16 (%.1f M parameters), built in %.2f s\n",
               vgg_model_n_params (model) / 1e6, (g_get_monotonic_time () - t0) / 1e6);
    }
  else
    g_print ("model: %s\n", scope_model_get_name (scope_workspace_get_model (scope_window_get_workspace (driver->window))));
  g_print ("threads: engine %d, cores %u\n", vgg_get_threads (), g_get_num_processors ());

  clock = gtk_widget_get_frame_clock (GTK_WIDGET (driver->window));
  g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), driver);
  if (driver->trace)
    {
      g_signal_connect (clock, "update", G_CALLBACK (on_traced_update), driver);
      g_signal_connect (clock, "layout", G_CALLBACK (on_traced_layout), driver);
      g_signal_connect (clock, "paint", G_CALLBACK (on_traced_paint), driver);
      g_signal_connect (scope_window_get_workspace (driver->window), "notify::pending-result",
                        G_CALLBACK (on_traced_result), driver);
      g_signal_connect (scope_window_get_workspace (driver->window), "notify::result",
                        G_CALLBACK (on_traced_result), driver);
    }
  gtk_widget_add_tick_callback (GTK_WIDGET (scope_window_get_arch_diagram (driver->window)),
                                on_tick, driver, NULL);

  driver->first_maps_ms = g_array_new (FALSE, FALSE, sizeof (double));
  driver->prediction_ms = g_array_new (FALSE, FALSE, sizeof (double));
  driver->stall_ms = g_array_new (FALSE, FALSE, sizeof (double));
  driver->bare_ms = g_array_new (FALSE, FALSE, sizeof (double));

  /* one warm-up run: the first touches the run's memory */
  for (driver->run = -1; driver->run < driver->runs; driver->run++)
    {
      double first, predicted, stall, bare;

      spin (driver, 300);
      driver->first_maps = driver->prediction = 0;
      driver->longest_stall = 0;
      driver->last_tick = 0;
      driver->measuring = TRUE;
      driver->frames = 0;
      driver->main_cpu = bench_thread_cpu_time ();
      driver->start = g_get_monotonic_time ();
      if (driver->trace)   /* to line the timeline up with a profiler's (perf record -k mono) */
        g_print ("run %d starts at monotonic %.6f s\n", driver->run, driver->start / 1e6);
      open_image (driver);
      if (!wait_for (driver, run_measured, 120000))
        {
          g_printerr ("no result: %s\n", scope_window_get_last_toast (driver->window));
          driver->status = 1;
          return;
        }
      /* the paint that shows the prediction */
      while (driver->prediction == 0 && g_get_monotonic_time () - driver->start < 130000000)
        g_main_context_iteration (NULL, TRUE);
      driver->measuring = FALSE;

      first = (driver->first_maps - driver->start) / 1000.0;
      predicted = (driver->prediction - driver->start) / 1000.0;
      stall = driver->longest_stall / 1000.0;
      spin (driver, 100);
      bare = bare_forward (scope_workspace_get_model (scope_window_get_workspace (driver->window)));
      g_print ("run %d%s: first feature maps on screen %.0f ms, prediction on screen %.0f ms "
               "(its forward pass %.0f ms; bare forward %.0f ms), longest frame gap %.0f ms; "
               "main thread %.0f ms of CPU in %d frames\n",
               driver->run + 1, driver->run < 0 ? " (warm-up)" : "", first, predicted,
               scope_result_get_elapsed (scope_workspace_get_result (scope_window_get_workspace (driver->window))) * 1000,
               bare, stall, driver->main_cpu / 1000.0, driver->frames);
      if (driver->run >= 0)
        {
          g_array_append_val (driver->first_maps_ms, first);
          g_array_append_val (driver->prediction_ms, predicted);
          g_array_append_val (driver->stall_ms, stall);
          g_array_append_val (driver->bare_ms, bare);
        }
    }

  g_print ("\nmedian of %d runs: first feature maps %.0f ms, prediction %.0f ms, "
           "longest frame gap %.0f ms (worst %.0f ms), bare forward %.0f ms; "
           "prediction on screen / bare forward %.2f×\n",
           driver->runs, median (driver->first_maps_ms), median (driver->prediction_ms),
           median (driver->stall_ms), maximum (driver->stall_ms), median (driver->bare_ms),
           median (driver->prediction_ms) / MAX (median (driver->bare_ms), 1e-3));
}

/* ---- startup: from process start to the prediction on screen ---- */

/* When this process started, in g_get_monotonic_time()'s clock: /proc/self/stat's field 22
 * counts clock ticks since boot, and CLOCK_BOOTTIME tells how long ago boot was. Coarse
 * (a tick is 10 ms) but it includes the dynamic loader and GTK's initialisation. */
static gint64
process_start_monotonic (void)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) fields = NULL;
  struct timespec boot;
  const char *after;
  double ticks, since_boot;

  if (!g_file_get_contents ("/proc/self/stat", &text, NULL, NULL)
      || (after = strrchr (text, ')')) == NULL)
    return 0;
  fields = g_strsplit (after + 2, " ", -1);
  if (g_strv_length (fields) < 20)
    return 0;
  ticks = g_ascii_strtod (fields[19], NULL); /* field 22; state is field 3 */
  clock_gettime (CLOCK_BOOTTIME, &boot);
  since_boot = (double) boot.tv_sec + boot.tv_nsec * 1e-9;
  return g_get_monotonic_time () - (gint64) ((since_boot - ticks / sysconf (_SC_CLK_TCK)) * 1e6);
}

static void
startup (Driver *driver)
{
  gint64 started = process_start_monotonic ();
  gint64 model_ready_at = 0;
  GdkFrameClock *clock;

  /* the picture was opened as the window was made (on_activate), as `vgg-scope PICTURE`
   * does: it decodes while the window comes up and runs once the model is there */
  if (!wait_for (driver, window_mapped, 10000))
    {
      g_printerr ("the window did not come up\n");
      driver->status = 1;
      return;
    }
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (driver->window));
  g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), driver);
  if (driver->trace)
    {
      g_signal_connect (clock, "update", G_CALLBACK (on_traced_update), driver);
      g_signal_connect (clock, "layout", G_CALLBACK (on_traced_layout), driver);
      g_signal_connect (clock, "paint", G_CALLBACK (on_traced_paint), driver);
    }
  driver->first_maps = driver->prediction = 0;
  driver->measuring = TRUE;
  while (driver->prediction == 0 && g_get_monotonic_time () - started < 120000000
         && scope_window_get_last_toast (driver->window) == NULL)
    {
      if (model_ready_at == 0 && model_ready (driver->window))
        model_ready_at = g_get_monotonic_time ();
      gtk_widget_queue_draw (GTK_WIDGET (driver->window));
      g_main_context_iteration (NULL, TRUE);
    }
  driver->measuring = FALSE;
  if (driver->trace)
    g_print ("  main() at %.0f ms, activated at %.0f ms, window made at %.0f ms, "
             "model ready at %.0f ms\n", (driver->main_at - started) / 1000.0,
             (driver->activated_at - started) / 1000.0, (driver->window_at - started) / 1000.0,
             (model_ready_at - started) / 1000.0);
  if (driver->prediction == 0 || started == 0)
    {
      g_printerr ("no prediction on screen: %s\n", scope_window_get_last_toast (driver->window));
      driver->status = 1;
      return;
    }
  g_print ("startup: %s: model ready %.0f ms after the process started, prediction on "
           "screen %.0f ms after it\n",
           scope_model_get_name (scope_workspace_get_model (scope_window_get_workspace (driver->window))),
           (model_ready_at - started) / 1000.0, (driver->prediction - started) / 1000.0);
}

/* ---- load: the window keeps drawing while a large weight file loads ---- */

static void
load (Driver *driver)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *uri = NULL;
  ScopeModel *before;
  gint64 start, end, idle_stall;

  if (driver->weights == NULL || !wait_for (driver, window_mapped, 10000)
      || !wait_for (driver, model_ready, 30000))
    {
      g_printerr ("usage: scope-ui-driver load --weights FILE\n");
      driver->status = 1;
      return;
    }
  file = g_file_new_for_commandline_arg (driver->weights);
  uri = g_file_get_uri (file);
  /* (the window itself: the explorer is not mapped before a picture is open) */
  gtk_widget_add_tick_callback (GTK_WIDGET (driver->window), on_tick, driver, NULL);
  spin (driver, 500);

  /* the same measure with nothing happening, to compare */
  driver->longest_stall = 0;
  driver->last_tick = 0;
  driver->measuring = TRUE;
  spin (driver, 1000);
  driver->measuring = FALSE;
  idle_stall = driver->longest_stall;

  before = scope_workspace_get_model (scope_window_get_workspace (driver->window));
  driver->longest_stall = 0;
  driver->last_tick = 0;
  driver->measuring = TRUE;
  start = g_get_monotonic_time ();
  scope_model_store_add_file (driver->store, file);
  gtk_widget_activate_action (GTK_WIDGET (driver->window), "win.model", "s", uri);
  while (scope_workspace_get_model (scope_window_get_workspace (driver->window)) == before
         && g_strcmp0 (scope_window_get_last_toast (driver->window), NULL) == 0)
    g_main_context_iteration (NULL, TRUE);
  end = g_get_monotonic_time ();
  spin (driver, 300);
  driver->measuring = FALSE;
  if (scope_workspace_get_model (scope_window_get_workspace (driver->window)) == before)
    {
      g_printerr ("%s\n", scope_window_get_last_toast (driver->window));
      driver->status = 1;
      return;
    }
  g_print ("loaded %s (%s) in %.2f s; longest gap between frames meanwhile: %.0f ms "
           "(idle: %.0f ms)\n", driver->weights,
           scope_model_get_name (scope_workspace_get_model (scope_window_get_workspace (driver->window))), (end - start) / 1e6,
           driver->longest_stall / 1e3, idle_stall / 1e3);
}


/* ---- stress: a burst of drops, model switches, a window closed mid-inference ---- */

/* Resident memory in MiB, from /proc/self/statm (its second field is in pages). */
static double
resident_mib (void)
{
  g_autofree char *statm = NULL;
  unsigned long long size = 0, resident = 0;

  if (!g_file_get_contents ("/proc/self/statm", &statm, NULL, NULL)
      || sscanf (statm, "%llu %llu", &size, &resident) != 2)
    return -1;
  return (double) resident * (double) sysconf (_SC_PAGESIZE) / (1024.0 * 1024.0);
}

/* Resident memory by kind, from /proc/self/status: anonymous (the heap, thread stacks,
 * OpenBLAS's buffers), file-backed (code and data files as they are touched), shared. */
static void
print_rss_kinds (void)
{
  g_autofree char *status = NULL;
  g_auto(GStrv) lines = NULL;
  GString *out = g_string_new ("   ");

  if (g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    {
      lines = g_strsplit (status, "\n", -1);
      for (guint i = 0; lines[i] != NULL; i++)
        if (g_str_has_prefix (lines[i], "RssAnon") || g_str_has_prefix (lines[i], "RssFile")
            || g_str_has_prefix (lines[i], "RssShmem"))
          {
            g_auto(GStrv) words = g_strsplit_set (lines[i], " \t", -1);
            guint n = g_strv_length (words);

            g_string_append_printf (out, " %s %.1f MiB", words[0],
                                    n >= 2 ? g_ascii_strtod (words[n - 2], NULL) / 1024 : -1);
          }
    }
#ifdef __GLIBC__
  {
    /* where the anonymous memory is: blocks in use, freed but kept by malloc, or mapped */
    struct mallinfo2 info = mallinfo2 ();

    g_string_append_printf (out, "; malloc: %.1f MiB in use, %.1f MiB free in its heaps, "
                            "%.1f MiB mapped", (info.uordblks + info.hblkhd) / 1048576.0,
                            info.fordblks / 1048576.0, info.hblkhd / 1048576.0);
  }
#endif
  g_print ("%s\n", out->str);
  g_string_free (out, TRUE);
}

static gboolean
everything_idle (ScopeWindow *window)
{
  return scope_inference_get_n_in_flight () == 0
         && scope_workspace_get_pending_result (scope_window_get_workspace (window)) == NULL
         && !scope_workspace_get_model_loading (scope_window_get_workspace (window));
}

/* The pictures the burst cycles through: the samples and one of each decoded format. */
static GPtrArray *
stress_pictures (void)
{
  static const char *samples[] = { "cat.jpg", "coffee.jpg", "astronaut.jpg" };
  static const char *formats[] = { "picture.webp", "picture.gif", "picture.bmp", "picture.tif",
                                   "rgba.webp", "transparent.gif" };
  static const char *fashion[] = { "ankle-boot-0.png", "bag-18.png", "sneaker-9.png" };
  GPtrArray *paths = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < G_N_ELEMENTS (samples); i++)
    g_ptr_array_add (paths, g_build_filename (SOURCE_DATADIR, "samples", samples[i], NULL));
  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    g_ptr_array_add (paths, g_build_filename (SOURCE_DATADIR, "..", "tests", "fixtures",
                                              "images", "formats", formats[i], NULL));
  for (guint i = 0; i < G_N_ELEMENTS (fashion); i++)
    g_ptr_array_add (paths, g_build_filename (SOURCE_DATADIR, "fashion-mnist", "samples",
                                              fashion[i], NULL));
  return paths;
}

/* A small random VGG11-shaped network to switch to and from. */
static ScopeModel *
small_model (void)
{
  VggConfig config;
  VggModel *engine = NULL;
  VggError error = { 0 };

  vgg_config_for_name (&config, "vgg11", NULL);
  for (int b = 0; b < config.n_blocks; b++)
    config.block_widths[b] /= 16;
  config.hidden_fc_widths[0] = config.hidden_fc_widths[1] = 64;
  if (vgg_model_new_random (&engine, &config, 7, &error) != VGG_STATUS_OK)
    {
      g_printerr ("cannot make the small model: %s\n", error.message);
      return NULL;
    }
  return scope_model_new_take (engine, NULL);
}

/* Runs the main loop for whatever is ready now, without waiting. */
static void
iterate_pending (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* Drops @count pictures in quick succession, from index @first on: a drop every few
 * milliseconds, every tenth one three files at once (then a step in the strip), and a model
 * switch every 15 drops (to the small network directly, back to the built-in model through
 * its action, which loads it on a thread). Then waits until everything has settled. */
static gboolean
stress_burst (Driver      *driver,
              GPtrArray   *pictures,
              ScopeModel  *small,
              const char  *builtin_id,
              int          first,
              int          count)
{
  for (int i = first; i < first + count; i++)
    {
      char *path = g_ptr_array_index (pictures, (guint) i % pictures->len);

      if (i % 10 == 9)
        {
          char *several[] = { path, g_ptr_array_index (pictures, (guint) (i + 1) % pictures->len),
                              g_ptr_array_index (pictures, (guint) (i + 2) % pictures->len),
                              NULL };

          drop_files (driver, several);
          gtk_widget_activate_action (GTK_WIDGET (driver->window), "win.next-picture", NULL);
        }
      else
        {
          char *one[] = { path, NULL };

          drop_files (driver, one);
        }
      if (i % 15 == 7)
        scope_workspace_set_model (scope_window_get_workspace (driver->window), small);
      else if (i % 15 == 14)
        gtk_widget_activate_action (GTK_WIDGET (driver->window), "win.model", "s", builtin_id);
      iterate_pending ();
      g_usleep (2000);
      iterate_pending ();
    }
  if (!wait_for (driver, everything_idle, 300000) || !wait_for (driver, result_done, 60000))
    return FALSE;
  spin (driver, 1000);   /* past the app's delayed release of free memory */
  return TRUE;
}

static void
stress (Driver       *driver,
        GApplication *application)
{
  g_autoptr(GPtrArray) pictures = stress_pictures ();
  g_autoptr(ScopeModel) small = small_model ();
  g_autofree char *builtin_id = NULL;
  double first_mib, burst_mib = 0, closed_mib;
  gint64 start;
  int count = driver->count > 0 ? driver->count : 100;
  int done = 0;
  /* the closed windows and their workspaces, each slot cleared when its object goes */
  g_autoptr(GPtrArray) closed = g_ptr_array_sized_new (15);

  if (small == NULL || !wait_for (driver, window_mapped, 10000)
      || !wait_for (driver, model_ready, 60000))
    {
      g_printerr ("the window did not come up\n");
      driver->status = 1;
      return;
    }
  builtin_id =
    g_strdup (scope_workspace_get_model_id (scope_window_get_workspace (driver->window)));

  /* The first picture, seen by both models (each allocates its buffers once: the small
   * network's 224 × 224 input needs far more than the built-in 32 × 32), and the memory
   * that leaves: the baseline. */
  driver->image = g_ptr_array_index (pictures, 0);
  open_image (driver);
  if (!wait_for (driver, result_done, 120000))
    {
      g_printerr ("no result for the first picture\n");
      driver->status = 1;
      return;
    }
  scope_workspace_set_model (scope_window_get_workspace (driver->window), small);
  wait_for (driver, everything_idle, 120000);
  gtk_widget_activate_action (GTK_WIDGET (driver->window), "win.model", "s", builtin_id);
  if (!wait_for (driver, everything_idle, 120000) || !wait_for (driver, result_done, 120000))
    {
      g_printerr ("no result for the first picture with both models\n");
      driver->status = 1;
      return;
    }
  spin (driver, 1000);
  first_mib = resident_mib ();
  g_print ("resident memory after the first picture (both models): %.1f MiB\n", first_mib);
  print_rss_kinds ();

  /* the burst, in rounds of 50 with the memory after each */
  start = g_get_monotonic_time ();
  while (done < count)
    {
      int round = MIN (50, count - done);

      if (!stress_burst (driver, pictures, small, builtin_id, done + 1, round))
        {
          g_printerr ("the burst did not settle within 5 minutes (a deadlock?)\n");
          driver->status = 1;
          return;
        }
      done += round;
      burst_mib = resident_mib ();
      g_print ("  after %4d more pictures: %.1f MiB (%+.1f %%)\n", done, burst_mib,
               100.0 * (burst_mib - first_mib) / first_mib);
      print_rss_kinds ();
    }
  g_print ("%d pictures dropped in %.1f s (settled)\n", count,
           (g_get_monotonic_time () - start) / 1e6);

  /* close windows in the middle of an inference, some with a model switch pending too */
  for (int round = 0; round < 5; round++)
    {
      ScopeWindow *window = scope_window_new (GTK_APPLICATION (application), driver->store);
      ScopeWindow *main_window = driver->window;
      char *one[] = { g_ptr_array_index (pictures, (guint) round % pictures->len), NULL };

      g_ptr_array_add (closed, window);
      g_object_add_weak_pointer (G_OBJECT (window), &g_ptr_array_index (closed, closed->len - 1));
      g_ptr_array_add (closed, scope_window_get_workspace (window));
      g_object_add_weak_pointer (G_OBJECT (scope_window_get_workspace (window)),
                                 &g_ptr_array_index (closed, closed->len - 1));
      gtk_window_present (GTK_WINDOW (window));
      driver->window = window;
      wait_for (driver, model_ready, 60000);
      if (scope_workspace_get_model (scope_window_get_workspace (window)) != NULL)
        {
          g_ptr_array_add (closed, scope_workspace_get_model (scope_window_get_workspace (window)));
          g_object_add_weak_pointer (G_OBJECT (g_ptr_array_index (closed, closed->len - 1)),
                                     &g_ptr_array_index (closed, closed->len - 1));
        }
      drop_files (driver, one);
      iterate_pending ();
      g_usleep (1000 * (guint) round);
      if (round % 2 == 1)
        scope_workspace_set_model (scope_window_get_workspace (window), small);
      gtk_window_destroy (GTK_WINDOW (window));
      driver->window = main_window;
    }
  if (!wait_for (driver, everything_idle, 120000))
    {
      g_printerr ("the closed windows' jobs did not finish (a deadlock?)\n");
      driver->status = 1;
      return;
    }
  spin (driver, 1000);
  g_print ("at once after closing 5 windows mid-inference: %.1f MiB (%+.1f %%)\n",
           resident_mib (), 100.0 * (resident_mib () - first_mib) / first_mib);
  /* the models keep a spare explainer (an effective receptive field may have been computed
   * when the pointer crossed the main window as the others closed) until it has been unused
   * for a while: memory that would stay is what counts */
  spin (driver, (SCOPE_MODEL_SPARE_EXPIRY_SECONDS + 1) * 1000);
  for (guint i = 0; i < closed->len; i++)
    if (g_ptr_array_index (closed, i) != NULL)
      {
        g_printerr ("a closed window's %s is still alive\n",
                    G_OBJECT_TYPE_NAME (g_ptr_array_index (closed, i)));
        driver->status = 1;
      }
  closed_mib = resident_mib ();
  g_print ("%d s later: %.1f MiB (%+.1f %%)\n", SCOPE_MODEL_SPARE_EXPIRY_SECONDS + 1, closed_mib,
           100.0 * (closed_mib - first_mib) / first_mib);
  print_rss_kinds ();
#ifdef SCOPE_TSAN
  /* ThreadSanitizer's shadow memory and its allocator's caches grow with every page the
   * program touches: the memory is measured on a normal build; this run looks for races,
   * crashes and deadlocks */
  g_print ("(resident memory not checked under ThreadSanitizer)\n");
#else
  if (burst_mib > first_mib * 1.10 || closed_mib > first_mib * 1.10)
    {
      g_printerr ("resident memory grew by more than 10 %%\n");
      driver->status = 1;
    }
#endif
}

/* ---- main ---- */

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      remove_tree (child);
    }
  g_remove (path);
}

static void
on_activate (GApplication *application,
             Driver       *driver)
{
  g_autoptr(ScopeModelStore) store = NULL;
  g_autoptr(GFile) models = NULL;
  g_autofree char *models_path = NULL;

  /* the weights dialog gets an empty models folder in the temporary home (main()) */
  if (driver->home != NULL)
    models_path = scope_model_paths_dup_models_dir ();
  models = g_file_new_for_path (models_path != NULL ? models_path
                                : driver->models != NULL ? driver->models : "/nonexistent");

  if (driver->dark)
    adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                        ADW_COLOR_SCHEME_FORCE_DARK);
  else
    adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                        ADW_COLOR_SCHEME_FORCE_LIGHT);

  /* an empty models folder: only the built-in model, whatever the machine has */
  store = scope_model_store_new (models);
  driver->store = store;
  driver->activated_at = g_get_monotonic_time ();
  if (g_strcmp0 (driver->mode, "startup") == 0 && driver->weights != NULL)
    {
      /* a model chosen in an earlier session: the window loads it straight away */
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (driver->weights);
      g_autoptr(GSettings) settings = scope_settings_new ();
      g_autofree char *uri = g_file_get_uri (file);

      scope_model_store_add_file (store, file);
      if (settings != NULL)
        g_settings_set_string (settings, "model", uri);
    }
  driver->window = scope_window_new (GTK_APPLICATION (application), store);
  driver->window_at = g_get_monotonic_time ();
  if (g_strcmp0 (driver->mode, "startup") == 0)
    open_image (driver);
  gtk_window_set_default_size (GTK_WINDOW (driver->window), driver->width, driver->height);
  if (driver->table)
    gtk_widget_activate_action (GTK_WIDGET (driver->window), "win.toggle-sidebar", NULL);
  gtk_window_present (GTK_WINDOW (driver->window));

  g_application_hold (application);
  if (g_strcmp0 (driver->mode, "bench") == 0)
    bench (driver);
  else if (g_strcmp0 (driver->mode, "load") == 0)
    load (driver);
  else if (g_strcmp0 (driver->mode, "startup") == 0)
    startup (driver);
  else if (g_strcmp0 (driver->mode, "stress") == 0)
    stress (driver, application);
  else
    screenshot (driver);
  gtk_window_destroy (GTK_WINDOW (driver->window));
  g_application_release (application);
}

int
main (int   argc,
      char *argv[])
{
  Driver driver = { .main_at = g_get_monotonic_time () };

  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *size = NULL;
  g_autoptr(AdwApplication) application = NULL;
  GOptionEntry entries[] = {
    { "image", 0, 0, G_OPTION_ARG_FILENAME, &driver.image, "The picture", "PATH" },
    { "also", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &driver.also,
      "Drop this picture with the first (repeatable)", "PATH" },
    { "layer", 0, 0, G_OPTION_ARG_STRING, &driver.layer, "Select this layer", "NAME" },
    { "unit", 0, 0, G_OPTION_ARG_STRING, &driver.unit, "Point at this unit", "Y,X" },
    { "channel", 0, 0, G_OPTION_ARG_INT, &driver.channel, "Enlarge this channel", "N" },
    { "dark", 0, 0, G_OPTION_ARG_NONE, &driver.dark, "Dark style", NULL },
    { "view", 0, 0, G_OPTION_ARG_STRING, &driver.view,
      "Show this view (maps, explain, learn, dataset, compare)", "NAME" },
    { "learn-page", 0, 0, G_OPTION_ARG_STRING, &driver.learn_page,
      "The Learn view's page (layer, filters, preprocessing, unit, code)", "NAME" },
    { "second", 0, 0, G_OPTION_ARG_FILENAME, &driver.second,
      "compare: the second picture", "PATH" },
    { "weights-b", 0, 0, G_OPTION_ARG_FILENAME, &driver.weights_b,
      "compare: the second model (linear CKA)", "FILE" },
    { "visualize", 0, 0, G_OPTION_ARG_NONE, &driver.visualize,
      "compare: visualize the selected channel", NULL },
    { "dataset", 0, 0, G_OPTION_ARG_FILENAME, &driver.dataset, "The Data Set view's folder or "
      "IDX file (default: Fashion-MNIST for its model)", "PATH" },
    { "method", 0, 0, G_OPTION_ARG_STRING, &driver.method,
      "The explanation method (saliency, gradcam, occlusion, …)", "NAME" },
    { "table", 0, 0, G_OPTION_ARG_NONE, &driver.table, "Show the layer table", NULL },
    { "empty", 0, 0, G_OPTION_ARG_NONE, &driver.empty, "No picture: the empty state", NULL },
    { "size", 0, 0, G_OPTION_ARG_STRING, &size, "Window size", "WxH" },
    { "runs", 0, 0, G_OPTION_ARG_INT, &driver.runs, "Measured runs", "N" },
    { "trace", 0, 0, G_OPTION_ARG_NONE, &driver.trace,
      "bench: print each run's timeline (frames, their phases, layers captured)", NULL },
    { "count", 0, 0, G_OPTION_ARG_INT, &driver.count, "Pictures in the stress burst", "N" },
    { "model", 0, 0, G_OPTION_ARG_STRING, &driver.model, "vgg16 or default", "NAME" },
    { "weights-dialog", 0, 0, G_OPTION_ARG_NONE, &driver.weights_dialog,
      "Screenshot the Get ImageNet Weights dialog instead", NULL },
    { "weights-download", 0, 0, G_OPTION_ARG_NONE, &driver.weights_download,
      "Start downloading the selected file (and wait 4 s)", NULL },
    { "weights-base-url", 0, 0, G_OPTION_ARG_STRING, &driver.weights_base_url,
      "Download from here", "URL" },
    { "code-panel", 0, 0, G_OPTION_ARG_NONE, &driver.code_panel,
      "Screenshot the network as code (ScopeCodePanel) instead", NULL },
    { "language", 0, 0, G_OPTION_ARG_STRING, &driver.language, "pytorch or keras", "NAME" },
    { "model-menu", 0, 0, G_OPTION_ARG_NONE, &driver.model_menu,
      "Screenshot the open model menu instead", NULL },
    { "models", 0, 0, G_OPTION_ARG_FILENAME, &driver.models, "The models folder", "DIR" },
    { "weights", 0, 0, G_OPTION_ARG_FILENAME, &driver.weights, "Use this weight file", "FILE" },
    { "action", 0, 0, G_OPTION_ARG_STRING, &driver.action,
      "Activate this window action before the screenshot (and wait 3 s)", "NAME" },
    { NULL }
  };

  driver.channel = -1;
  driver.runs = 5;
  driver.width = 1440;
  driver.height = 900;

  context = g_option_context_new ("screenshot OUT.png | bench");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc < 2
      || (g_strcmp0 (argv[1], "screenshot") == 0 && argc < 3))
    {
      g_printerr ("%s\n", error != NULL ? error->message
                                        : "usage: scope-ui-driver screenshot OUT.png | bench");
      return 2;
    }
  driver.mode = argv[1];
  driver.output = argc > 2 ? argv[2] : NULL;
  scope_memory_limit_arenas ();     /* as the app's main() */
  scope_engine_environment_apply_threads ();  /* VGG_SCOPE_THREADS, as the app */
  scope_background_init ();                   /* workers below the main thread, as the app */
  if (driver.image == NULL)
    driver.image = g_build_filename (SOURCE_DATADIR, "samples", "cat.jpg", NULL);
  if (size != NULL)
    sscanf (size, "%dx%d", &driver.width, &driver.height);

  if (driver.weights_dialog)
    {
      /* a fresh home: the dialog shows ~/.local/share/vgg-scope/models with nothing in it */
      driver.home = g_dir_make_tmp ("scope-ui-driver-XXXXXX", NULL);
      g_setenv ("HOME", driver.home, TRUE);
      g_unsetenv ("XDG_DATA_HOME");
    }

  driver.loop = g_main_loop_new (NULL, FALSE);
  application = g_object_new (ADW_TYPE_APPLICATION,
                              "application-id", APPLICATION_ID ".Driver",
                              "resource-base-path", "/org/vggscope/VggScope",
                              "flags", G_APPLICATION_NON_UNIQUE,
                              NULL);
  g_signal_connect (application, "activate", G_CALLBACK (on_activate), &driver);
  g_application_run (G_APPLICATION (application), 0, NULL);
  g_main_loop_unref (driver.loop);
  if (driver.home != NULL)
    remove_tree (driver.home);
  return driver.status;
}
