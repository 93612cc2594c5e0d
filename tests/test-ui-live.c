/* test-ui-live.c — the Live view through the test camera and a test video, under Xvfb
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The test camera is VGG_SCOPE_TEST_CAMERA, a GStreamer pipeline description the app reads
 * (videotestsrc is-live=true at 30 frames per second). The videos come from
 * tools/make-test-videos.
 */
#include "config.h"

#include "scope-live-panel.h"
#include "scope-window-private.h"
#include "test-ui-util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TIMEOUT_MS 60000
#define CAMERA "videotestsrc is-live=true pattern=ball ! video/x-raw,width=320,height=240,framerate=30/1"

typedef struct
{
  ScopeWindow     *window;
  ScopeModelStore *store;
  ScopeLivePanel  *panel;
  char            *tmpdir;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  camera)
{
  g_autoptr(GFile) models = NULL;

  if (camera != NULL)
    g_setenv ("VGG_SCOPE_TEST_CAMERA", camera, TRUE);
  else
    g_unsetenv ("VGG_SCOPE_TEST_CAMERA");
  fixture->tmpdir = g_dir_make_tmp ("test-ui-live-XXXXXX", NULL);
  models = g_file_new_build_filename (fixture->tmpdir, "models", NULL);
  fixture->store = scope_model_store_new (models);
  fixture->window = test_ui_window_new (fixture->store, TIMEOUT_MS);
  fixture->panel = fixture->window->live_panel;
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-view", "s", "live");
  test_ui_wait_drawn (GTK_WIDGET (fixture->panel), TIMEOUT_MS);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  camera)
{
  if (g_object_get_data (G_OBJECT (fixture->window), "leave-running") == NULL)
    {
      scope_live_source_stop (scope_live_panel_get_source (fixture->panel));
      test_ui_wait_until (test_ui_inference_idle, NULL, TIMEOUT_MS);
      gtk_window_destroy (GTK_WINDOW (fixture->window));
    }
  else
    {
      /* the window closes with the camera running, a frame most likely being classified:
       * it must let go of everything itself, and the jobs must end */
      gtk_window_destroy (GTK_WINDOW (fixture->window));
      test_ui_wait_until (test_ui_inference_idle, NULL, TIMEOUT_MS);
    }
  test_ui_wait_until (test_ui_last_reference, fixture->window, TIMEOUT_MS);
  g_assert_finalize_object (fixture->window);
  test_ui_wait_until (test_ui_last_reference, fixture->store, TIMEOUT_MS);
  g_assert_finalize_object (fixture->store);
  test_remove_tree (fixture->tmpdir);
  g_free (fixture->tmpdir);
}

static ScopeLiveSource *
live_source (Fixture *fixture)
{
  return scope_live_panel_get_source (fixture->panel);
}

static ScopeLiveRunner *
runner (Fixture *fixture)
{
  return scope_live_panel_get_runner (fixture->panel);
}

static gboolean
five_predictions (gpointer data)
{
  return scope_live_runner_get_n_completed (runner (data)) >= 5;
}

static gboolean
one_prediction (gpointer data)
{
  return scope_live_runner_get_n_completed (runner (data)) >= 1;
}

static gboolean
toast_shown (gpointer window)
{
  return scope_window_get_last_toast (window) != NULL;
}

static gboolean
source_stopped (gpointer data)
{
  return scope_live_source_get_state (live_source (data)) == SCOPE_LIVE_STATE_STOPPED;
}

static gboolean
frames_arrived (gpointer data)
{
  Fixture *fixture = data;
  guint64 *since = g_object_get_data (G_OBJECT (fixture->panel), "since");

  return scope_live_source_get_n_delivered (live_source (fixture)) > *since;
}

static gboolean
runner_idle (gpointer data)
{
  return !scope_live_runner_get_busy (runner (data))
         && !scope_live_runner_get_has_waiting (runner (data))
         && test_ui_inference_idle (NULL);
}

/* The window's current picture is a live frame of @width × @height, classified. */
static void
assert_frame_classified (Fixture *fixture,
                         int      width)
{
  ScopeResult *result = scope_workspace_get_result (scope_window_get_workspace (fixture->window));
  graphene_rect_t region;

  g_assert_nonnull (result);
  g_assert_cmpint (scope_result_get_status (result), ==, SCOPE_RESULT_DONE);
  g_assert_cmpint (gdk_texture_get_width (scope_result_get_original (result)), ==, width);
  g_assert_cmpuint (g_list_model_get_n_items (scope_result_get_prediction (result)), >, 0);
  /* the region the preview outlines */
  g_assert_true (scope_result_get_seen_region (result, &region));
  g_assert_cmpfloat (region.size.width, >, 0);
}

/* While the camera plays, a frame captures the layer shown and no other; a frozen frame
 * captures every layer. */
static void
assert_layers_captured (Fixture  *fixture,
                        gboolean  all)
{
  ScopeWorkspace *workspace = scope_window_get_workspace (fixture->window);
  ScopeResult *result = scope_workspace_get_result (workspace);
  int selected = scope_workspace_get_selected_layer (workspace);
  int n_layers = scope_model_get_n_layers (scope_result_get_model (result));

  g_assert_cmpint (selected, >=, 0);
  g_assert_cmpint (scope_result_get_watched_layer (result), ==, all ? -1 : selected);
  for (int i = 0; i < n_layers; i++)
    if (all || i == selected)
      g_assert_nonnull (scope_result_get_capture (result, i));
    else
      g_assert_null (scope_result_get_capture (result, i));
}

/* Counts the results the window is given while the camera plays, and those given before
 * they were complete. */
static void
on_shown_result (ScopeWorkspace *workspace,
                 GParamSpec     *pspec,
                 guint          *counts)
{
  ScopeResult *result = scope_workspace_get_result (workspace);

  if (result == NULL)
    return;
  counts[0]++;
  if (scope_result_get_status (result) != SCOPE_RESULT_DONE)
    counts[1]++;
}

static void
test_camera_runs (Fixture       *fixture,
                  gconstpointer  camera)
{
  ScopeWorkspace *workspace = scope_window_get_workspace (fixture->window);
  guint counts[2] = { 0, 0 };
  gulong handler;

  g_assert_cmpstr (scope_live_panel_get_status (fixture->panel), ==, "Live Input");
  handler = g_signal_connect (workspace, "notify::result", G_CALLBACK (on_shown_result), counts);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->panel), "live.start", NULL));
  g_assert_cmpstr (scope_window_get_last_toast (fixture->window), ==, NULL);
  g_assert_cmpint (scope_live_source_get_state (live_source (fixture)), ==,
                   SCOPE_LIVE_STATE_PLAYING);
  test_ui_wait_until (five_predictions, fixture, TIMEOUT_MS);
  g_signal_handler_disconnect (workspace, handler);
  /* a playing frame reaches the views complete: the last one stays on screen meanwhile */
  g_assert_cmpuint (counts[0], >=, 4);
  g_assert_cmpuint (counts[1], ==, 0);
  g_assert_null (scope_live_panel_get_status (fixture->panel));   /* the preview shows */
  assert_frame_classified (fixture, 320);
  assert_layers_captured (fixture, FALSE);
  g_assert_cmpfloat (scope_live_runner_get_rate (runner (fixture)), >, 0.0);
  g_assert_cmpfloat (scope_live_runner_get_latency (runner (fixture)), >, 0.0);
}

/* Pause: the camera closes, no frame arrives, and the frame on screen is classified whole;
 * play: frames again. */
static void
test_pause_resume (Fixture       *fixture,
                   gconstpointer  camera)
{
  guint64 since;

  gtk_widget_activate_action (GTK_WIDGET (fixture->panel), "live.start", NULL);
  test_ui_wait_until (five_predictions, fixture, TIMEOUT_MS);
  gtk_widget_activate_action (GTK_WIDGET (fixture->panel), "live.play-pause", NULL);
  g_assert_cmpint (scope_live_source_get_state (live_source (fixture)), ==,
                   SCOPE_LIVE_STATE_PAUSED);
  test_ui_wait_until (runner_idle, fixture, TIMEOUT_MS);
  assert_frame_classified (fixture, 320);
  assert_layers_captured (fixture, TRUE);

  since = scope_live_source_get_n_delivered (live_source (fixture));
  g_object_set_data (G_OBJECT (fixture->panel), "since", &since);
  /* half a second at 30 frames per second: nothing may come while paused */
  g_assert_false (test_ui_wait (frames_arrived, fixture, 500));

  gtk_widget_activate_action (GTK_WIDGET (fixture->panel), "live.play-pause", NULL);
  g_assert_cmpint (scope_live_source_get_state (live_source (fixture)), ==,
                   SCOPE_LIVE_STATE_PLAYING);
  test_ui_wait_until (frames_arrived, fixture, TIMEOUT_MS);
}

/* A camera that stops sending (20 frames, then the end): a message, no crash, no hang. */
static void
test_camera_ends (Fixture       *fixture,
                  gconstpointer  camera)
{
  gtk_widget_activate_action (GTK_WIDGET (fixture->panel), "live.start", NULL);
  test_ui_wait_until (source_stopped, fixture, TIMEOUT_MS);
  g_assert_nonnull (strstr (scope_window_get_last_toast (fixture->window),
                            "stopped sending pictures"));
  g_assert_cmpuint (scope_live_source_get_n_delivered (live_source (fixture)), >, 0);
  g_assert_nonnull (scope_live_panel_get_status (fixture->panel));
}

/* The window closes while the camera runs and a frame is being classified. */
static void
test_close_while_playing (Fixture       *fixture,
                          gconstpointer  camera)
{
  gtk_widget_activate_action (GTK_WIDGET (fixture->panel), "live.start", NULL);
  test_ui_wait_until (five_predictions, fixture, TIMEOUT_MS);
  g_assert_cmpint (scope_live_source_get_state (live_source (fixture)), ==,
                   SCOPE_LIVE_STATE_PLAYING);
  g_object_set_data (G_OBJECT (fixture->window), "leave-running", GINT_TO_POINTER (1));
}

/* Stop in the middle of the stream: everything closes, the last result stays usable. */
static void
test_stop_mid_stream (Fixture       *fixture,
                      gconstpointer  camera)
{
  guint64 since;

  gtk_widget_activate_action (GTK_WIDGET (fixture->panel), "live.start", NULL);
  test_ui_wait_until (five_predictions, fixture, TIMEOUT_MS);
  gtk_widget_activate_action (GTK_WIDGET (fixture->panel), "live.stop", NULL);
  g_assert_cmpint (scope_live_source_get_state (live_source (fixture)), ==,
                   SCOPE_LIVE_STATE_STOPPED);
  since = scope_live_source_get_n_delivered (live_source (fixture));
  g_object_set_data (G_OBJECT (fixture->panel), "since", &since);
  g_assert_false (test_ui_wait (frames_arrived, fixture, 300));
  test_ui_wait_until (runner_idle, fixture, TIMEOUT_MS);
  assert_frame_classified (fixture, 320);
}

static void
test_no_camera (Fixture       *fixture,
                gconstpointer  camera)
{
  if (g_file_test ("/dev/video0", G_FILE_TEST_EXISTS))
    {
      g_test_skip ("this machine has a camera");
      return;
    }
  g_assert_cmpstr (scope_live_panel_get_status (fixture->panel), ==, "No Camera Found");
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (fixture->panel), "live.start", NULL)
                  && scope_live_source_get_state (live_source (fixture))
                     != SCOPE_LIVE_STATE_STOPPED);
  g_assert_cmpint (scope_live_source_get_state (live_source (fixture)), ==,
                   SCOPE_LIVE_STATE_STOPPED);
}

/* ---- hot-plugging: a device provider of the test's own ---- */

/* A camera that makes a live videotestsrc. */
typedef struct { GstDevice parent_instance; } FakeCamera;
typedef struct { GstDeviceClass parent_class; } FakeCameraClass;
static GType fake_camera_get_type (void);
G_DEFINE_TYPE (FakeCamera, fake_camera, GST_TYPE_DEVICE)

static GstElement *
fake_camera_create_element (GstDevice  *device,
                            const char *name)
{
  GstElement *source = gst_element_factory_make ("videotestsrc", name);

  g_object_set (source, "is-live", TRUE, NULL);
  return source;
}

static void
fake_camera_class_init (FakeCameraClass *klass)
{
  GST_DEVICE_CLASS (klass)->create_element = fake_camera_create_element;
}

static void
fake_camera_init (FakeCamera *self)
{
}

/* The provider the device monitor finds for "Video/Source"; the test plugs cameras in. */
typedef struct { GstDeviceProvider parent_instance; } FakeProvider;
typedef struct { GstDeviceProviderClass parent_class; } FakeProviderClass;
static GType fake_provider_get_type (void);
G_DEFINE_TYPE (FakeProvider, fake_provider, GST_TYPE_DEVICE_PROVIDER)

static GList *
fake_provider_probe (GstDeviceProvider *provider)
{
  return NULL;
}

static gboolean
fake_provider_start (GstDeviceProvider *provider)
{
  return TRUE;
}

static void
fake_provider_class_init (FakeProviderClass *klass)
{
  GstDeviceProviderClass *provider_class = GST_DEVICE_PROVIDER_CLASS (klass);

  provider_class->probe = fake_provider_probe;
  provider_class->start = fake_provider_start;
  gst_device_provider_class_set_static_metadata (provider_class, "Test cameras",
                                                 "Video/Source", "Cameras the test plugs in",
                                                 "VGG Scope");
}

static void
fake_provider_init (FakeProvider *self)
{
}

static gboolean
register_fake_provider (GstPlugin *plugin)
{
  return gst_device_provider_register (plugin, "vggscopetestcameras", GST_RANK_PRIMARY,
                                       fake_provider_get_type ());
}

static gboolean
one_camera_listed (gpointer data)
{
  return g_strcmp0 (scope_live_panel_get_status (data), "Live Input") == 0;
}

static gboolean
no_camera_listed (gpointer data)
{
  return g_strcmp0 (scope_live_panel_get_status (data), "No Camera Found") == 0;
}

/* A camera plugged in appears in the list (and "No Camera Found" goes), runs, and its
 * unplugging takes it out of the list again. */
static void
test_hot_plug (Fixture       *fixture,
               gconstpointer  camera)
{
  g_autoptr(GstDeviceProvider) provider = gst_device_provider_factory_get_by_name ("vggscopetestcameras");
  g_autoptr(GstCaps) caps = gst_caps_new_empty_simple ("video/x-raw");
  GstDevice *device;
  GtkDropDown *list = GTK_DROP_DOWN (gtk_widget_get_template_child (GTK_WIDGET (fixture->panel),
                                                                     SCOPE_TYPE_LIVE_PANEL,
                                                                     "source_drop_down"));

  g_assert_nonnull (provider);
  test_ui_wait_until (no_camera_listed, fixture->panel, TIMEOUT_MS);

  device = g_object_new (fake_camera_get_type (), "display-name", "Plugged Camera",
                         "device-class", "Video/Source", "caps", caps, NULL);
  gst_device_provider_device_add (provider, device);   /* takes the floating reference */
  test_ui_wait_until (one_camera_listed, fixture->panel, TIMEOUT_MS);
  g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (list)), ==, 1);
  g_assert_cmpstr (gtk_string_object_get_string (gtk_drop_down_get_selected_item (list)), ==,
                   "Plugged Camera");

  gtk_widget_activate_action (GTK_WIDGET (fixture->panel), "live.start", NULL);
  test_ui_wait_until (five_predictions, fixture, TIMEOUT_MS);
  g_assert_cmpstr (scope_live_source_get_name (live_source (fixture)), ==, "Plugged Camera");
  scope_live_source_stop (live_source (fixture));

  gst_device_provider_device_remove (provider, device);
  test_ui_wait_until (no_camera_listed, fixture->panel, TIMEOUT_MS);
  g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (list)), ==, 0);
}

/* ---- a video file: pause, step both ways, scrub ---- */

static char *videos;

static gboolean
position_past_zero (gpointer data)
{
  return scope_live_source_get_position (live_source (data)) > 0.15;
}

static gboolean
position_changed (gpointer data)
{
  Fixture *fixture = data;
  double *before = g_object_get_data (G_OBJECT (fixture->panel), "before");

  return fabs (scope_live_source_get_position (live_source (fixture)) - *before) > 1e-6;
}

static gboolean
position_at_half (gpointer data)
{
  return fabs (scope_live_source_get_position (live_source (data)) - 0.5) < 1e-6;
}

static double
step_and_wait (Fixture    *fixture,
               const char *action)
{
  double before = scope_live_source_get_position (live_source (fixture));

  g_object_set_data (G_OBJECT (fixture->panel), "before", &before);
  gtk_widget_activate_action (GTK_WIDGET (fixture->panel), action, NULL);
  test_ui_wait_until (position_changed, fixture, TIMEOUT_MS);
  return scope_live_source_get_position (live_source (fixture)) - before;
}

static void
test_video_step (Fixture       *fixture,
                 gconstpointer  camera)
{
  g_autofree char *path = g_build_filename (videos, "smpte.webm", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);

  /* 12 frames at 10 per second, looped so it does not end under a busy machine */
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (
    gtk_widget_get_template_child (GTK_WIDGET (fixture->panel), SCOPE_TYPE_LIVE_PANEL,
                                   "loop_button")), TRUE);
  scope_live_panel_open_file (fixture->panel, file);
  g_assert_true (scope_live_source_get_is_file (live_source (fixture)));
  test_ui_wait_until (position_past_zero, fixture, TIMEOUT_MS);
  gtk_widget_activate_action (GTK_WIDGET (fixture->panel), "live.play-pause", NULL);
  g_assert_cmpint (scope_live_source_get_state (live_source (fixture)), ==,
                   SCOPE_LIVE_STATE_PAUSED);
  /* one frame is 0.1 s either way */
  scope_live_source_seek (live_source (fixture), 0.5);
  test_ui_wait_until (position_at_half, fixture, TIMEOUT_MS);
  g_assert_cmpfloat_with_epsilon (step_and_wait (fixture, "live.step-forward"), 0.1, 1e-6);
  g_assert_cmpfloat_with_epsilon (step_and_wait (fixture, "live.step-back"), -0.1, 1e-6);
  g_assert_cmpint (scope_live_source_get_state (live_source (fixture)), ==,
                   SCOPE_LIVE_STATE_PAUSED);
  test_ui_wait_until (runner_idle, fixture, TIMEOUT_MS);
  assert_frame_classified (fixture, 96);
}

/* A video dropped or opened on the window (the same function a drop calls) plays in the
 * Live view. */
static void
test_video_dropped (Fixture       *fixture,
                    gconstpointer  camera)
{
  g_autofree char *path = g_build_filename (videos, "odd.webm", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);

  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.show-view", "s", "maps");
  scope_window_open_file (fixture->window, file);
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (fixture->window->view_stack), ==,
                   "live");
  g_assert_true (scope_live_source_get_is_file (live_source (fixture)));
  test_ui_wait_until (one_prediction, fixture, TIMEOUT_MS);
  test_ui_wait_until (runner_idle, fixture, TIMEOUT_MS);
  assert_frame_classified (fixture, 75);
}

/* A video cut off in the middle plays what it has, then says so and stays paused. */
static void
test_video_truncated (Fixture       *fixture,
                      gconstpointer  camera)
{
  g_autofree char *path = g_build_filename (videos, "truncated.webm", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);

  scope_live_panel_open_file (fixture->panel, file);
  test_ui_wait_until (toast_shown, fixture->window, TIMEOUT_MS);
  g_assert_nonnull (strstr (scope_window_get_last_toast (fixture->window), "cut off"));
  g_assert_cmpint (scope_live_source_get_state (live_source (fixture)), ==,
                   SCOPE_LIVE_STATE_PAUSED);
  g_assert_cmpfloat (scope_live_source_get_position (live_source (fixture)), >, 1.0);
}

static void
test_video_not_a_video (Fixture       *fixture,
                        gconstpointer  camera)
{
  g_autofree char *path = g_build_filename (videos, "text.webm", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);

  scope_live_panel_open_file (fixture->panel, file);
  test_ui_wait_until (source_stopped, fixture, TIMEOUT_MS);
  g_assert_nonnull (strstr (scope_window_get_last_toast (fixture->window), "not a video"));
}

/* ---- newest frame wins: a slow model, a fast camera ---- */

static long
resident_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  g_assert_true (g_file_get_contents ("/proc/self/status", &status, NULL, NULL));
  line = strstr (status, "VmRSS:");
  g_assert_nonnull (line);
  return strtol (line + 6, NULL, 10);
}

static gboolean
completed_at_least (gpointer data)
{
  Fixture *fixture = data;
  guint64 *target = g_object_get_data (G_OBJECT (fixture->panel), "target");

  return scope_live_runner_get_n_completed (runner (fixture)) >= *target;
}

static void
test_newest_frame_wins (Fixture       *fixture,
                        gconstpointer  camera)
{
  VggConfig config;
  VggModel *model = NULL;
  VggError error = { 0 };
  g_autoptr(ScopeModel) slow = NULL;
  guint64 target = 3;
  guint64 submitted, completed, replaced, arrived;
  long rss_start, rss_end;

  /* VGG11 at 112 × 112: about a tenth of a second a frame or more, against 30 frames a
   * second */
  vgg_config_for_name (&config, "vgg11", NULL);
  config.input_height = config.input_width = 112;
  test_assert_ok (vgg_model_new_random (&model, &config, 7, &error), &error);
  slow = scope_model_new_take (model, NULL);
  scope_workspace_set_model (scope_window_get_workspace (fixture->window), slow);

  g_object_set_data (G_OBJECT (fixture->panel), "target", &target);
  gtk_widget_activate_action (GTK_WIDGET (fixture->panel), "live.start", NULL);
  test_ui_wait_until (completed_at_least, fixture, TIMEOUT_MS);
  target += 5;   /* the allocator's arenas warm up over the first few frames */
  test_ui_wait_until (completed_at_least, fixture, TIMEOUT_MS);
  rss_start = resident_kib ();
  target += 18;
  test_ui_wait_until (completed_at_least, fixture, TIMEOUT_MS);
  rss_end = resident_kib ();

  submitted = scope_live_runner_get_n_submitted (runner (fixture));
  completed = scope_live_runner_get_n_completed (runner (fixture));
  replaced = scope_live_runner_get_n_replaced (runner (fixture));
  g_test_message ("frames %" G_GUINT64_FORMAT ", classified %" G_GUINT64_FORMAT
                  ", replaced while waiting %" G_GUINT64_FORMAT "; RSS %ld → %ld KiB",
                  submitted, completed, replaced, rss_start, rss_end);
  /* the camera is faster than the network: frames were dropped (replaced while waiting for
   * the worker, or for the main loop), none queued */
  arrived = scope_live_source_get_n_arrived (live_source (fixture));
  g_test_message ("camera frames %" G_GUINT64_FORMAT, arrived);
  g_assert_cmpuint (arrived, >, completed + 2);
  g_assert_cmpuint (replaced + (arrived - scope_live_source_get_n_delivered (live_source (fixture))),
                    >, 0);
  /* every frame is accounted for: classified, replaced, or the one running or waiting */
  g_assert_cmpuint (submitted, <=, completed + replaced + 2);
  g_assert_cmpuint (submitted, >=, completed + replaced);
  /* memory stays flat: eighteen more frames classified, no backlog growing */
  g_assert_cmpint (rss_end - rss_start, <, 48 * 1024);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *script = NULL;
  g_autofree char *ending = g_strdup_printf ("videotestsrc is-live=true num-buffers=20 ! "
                                             "video/x-raw,width=320,height=240,framerate=30/1");
  int status;

  test_ui_init (&argc, &argv);
  gst_init (NULL, NULL);
  /* before any device monitor starts: the provider of the hot-plug test's cameras */
  if (!gst_plugin_register_static (GST_VERSION_MAJOR, GST_VERSION_MINOR, "vggscopetest",
                                   "Cameras for the tests", register_fake_provider, "1.0",
                                   "GPL", "test-ui-live", "vgg-scope", "VGG Scope"))
    g_error ("the test cameras' provider cannot be registered");

  videos = g_dir_make_tmp ("vgg-scope-live-videos-XXXXXX", NULL);
  script = g_build_filename (g_test_get_dir (G_TEST_DIST), "..", "tools", "make-test-videos",
                             NULL);
  {
    const char *make[] = { script, videos, NULL };
    int wait_status;
    g_autoptr(GError) error = NULL;

    if (!g_spawn_sync (NULL, (char **) make, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL,
                       &wait_status, &error)
        || !g_spawn_check_wait_status (wait_status, &error))
      g_error ("tools/make-test-videos: %s", error->message);
  }

  g_test_add ("/ui-live/camera-runs", Fixture, CAMERA, fixture_setup, test_camera_runs,
              fixture_teardown);
  g_test_add ("/ui-live/pause-resume", Fixture, CAMERA, fixture_setup, test_pause_resume,
              fixture_teardown);
  g_test_add ("/ui-live/stop-mid-stream", Fixture, CAMERA, fixture_setup, test_stop_mid_stream,
              fixture_teardown);
  g_test_add ("/ui-live/close-while-playing", Fixture, CAMERA, fixture_setup,
              test_close_while_playing, fixture_teardown);
  g_test_add ("/ui-live/camera-ends", Fixture, ending, fixture_setup, test_camera_ends,
              fixture_teardown);
  g_test_add ("/ui-live/no-camera", Fixture, NULL, fixture_setup, test_no_camera,
              fixture_teardown);
  g_test_add ("/ui-live/hot-plug", Fixture, NULL, fixture_setup, test_hot_plug,
              fixture_teardown);
  g_test_add ("/ui-live/video-step", Fixture, NULL, fixture_setup, test_video_step,
              fixture_teardown);
  g_test_add ("/ui-live/video-dropped", Fixture, NULL, fixture_setup, test_video_dropped,
              fixture_teardown);
  g_test_add ("/ui-live/video-truncated", Fixture, NULL, fixture_setup, test_video_truncated,
              fixture_teardown);
  g_test_add ("/ui-live/video-not-a-video", Fixture, NULL, fixture_setup,
              test_video_not_a_video, fixture_teardown);
  g_test_add ("/ui-live/newest-frame-wins", Fixture, CAMERA, fixture_setup,
              test_newest_frame_wins, fixture_teardown);
  status = g_test_run ();
  test_remove_tree (videos);
  g_free (videos);
  return status;
}
