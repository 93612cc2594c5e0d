/* scope-live-panel.c — the Live view: a camera, a test camera or a video drives the network
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "scope-accessible.h"
#include "scope-camera-list.h"
#include "scope-engine-environment.h"
#include "scope-live-panel.h"
#include "scope-live-preview.h"
#include "scope-prediction.h"

typedef enum
{
  ENTRY_TEST,
  ENTRY_PORTAL,
  ENTRY_DEVICE,
} EntryKind;

typedef struct
{
  EntryKind  kind;
  GstDevice *device;   /* ENTRY_DEVICE */
} Entry;

struct _ScopeLivePanel
{
  GtkWidget        parent_instance;

  /* template children */
  GtkWidget       *toolbar;
  GtkDropDown     *source_drop_down;
  GtkWidget       *start_button;
  GtkWidget       *play_button;
  GtkToggleButton *loop_button;
  GtkToggleButton *mirror_button;
  GtkToggleButton *smooth_button;
  GtkLabel        *rate_label;
  GtkStack        *stack;
  AdwStatusPage   *status_page;
  ScopeLivePreview *preview;
  GtkPicture      *seen_picture;
  GtkLabel        *prediction_label;
  GtkLabel        *others_label;
  GtkWidget       *scrub_scale;
  GtkAdjustment   *scrub_adjustment;

  /* owned */
  ScopeLiveSource *source;
  ScopeLiveRunner *runner;
  ScopeCameraList *cameras;      /* made when the view is first shown */
  GArray          *entries;      /* Entry, one per row of the drop-down */
  ScopeSource     *last_frame;   /* the frame on screen */
  GCancellable    *portal_cancellable;
  GArray          *smoothed;     /* float per class: the moving average shown when smoothing */

  /* borrowed */
  ScopeWorkspace  *workspace;

  /* plain state */
  gboolean         updating_scrub;
};

enum {
  MESSAGE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (ScopeLivePanel, scope_live_panel, GTK_TYPE_WIDGET)

/* Takes @message. */
static void
say (ScopeLivePanel *self,
     char           *message)
{
  g_signal_emit (self, signals[MESSAGE], 0, message);
  g_free (message);
}

static void
entry_clear (gpointer data)
{
  Entry *entry = data;

  gst_clear_object (&entry->device);
}

/* ---- the source list ---- */

static void
update_actions (ScopeLivePanel *self)
{
  ScopeLiveState state = scope_live_source_get_state (self->source);
  gboolean is_file = scope_live_source_get_is_file (self->source);
  GtkWidget *widget = GTK_WIDGET (self);

  gtk_widget_action_set_enabled (widget, "live.start", self->entries->len > 0);
  gtk_widget_action_set_enabled (widget, "live.play-pause", state != SCOPE_LIVE_STATE_STOPPED);
  gtk_widget_action_set_enabled (widget, "live.stop", state != SCOPE_LIVE_STATE_STOPPED);
  gtk_widget_action_set_enabled (widget, "live.step-forward",
                                 is_file && state != SCOPE_LIVE_STATE_STOPPED);
  gtk_widget_action_set_enabled (widget, "live.step-back",
                                 is_file && state != SCOPE_LIVE_STATE_STOPPED);
  gtk_button_set_icon_name (GTK_BUTTON (self->play_button),
                            state == SCOPE_LIVE_STATE_PLAYING ? "media-playback-pause-symbolic"
                                                              : "media-playback-start-symbolic");
  gtk_widget_set_visible (self->scrub_scale, is_file && state != SCOPE_LIVE_STATE_STOPPED);
}

static void
update_status (ScopeLivePanel *self)
{
  if (scope_live_source_get_state (self->source) != SCOPE_LIVE_STATE_STOPPED
      && self->last_frame != NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "preview");
      return;
    }
  gtk_stack_set_visible_child_name (self->stack, "none");
  if (self->entries->len == 0)
    {
      /* Translators: the Live view's title when no camera is connected */
      adw_status_page_set_title (self->status_page, _("No Camera Found"));
      adw_status_page_set_description (self->status_page,
        _("Connect a camera, or open a video file (WebM, Matroska or MP4) to watch the "
          "network follow it frame by frame."));
    }
  else
    {
      /* Translators: the Live view's title while nothing plays */
      adw_status_page_set_title (self->status_page, _("Live Input"));
      adw_status_page_set_description (self->status_page,
        _("Choose a camera and press Start, or open a video file. Hold something up and "
          "watch every layer respond."));
    }
}

static void
rebuild_entries (ScopeLivePanel *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  const char *test = scope_engine_environment_test_camera ();

  g_array_set_size (self->entries, 0);
  if (test != NULL)
    {
      Entry entry = { ENTRY_TEST, NULL };

      g_array_append_val (self->entries, entry);
      /* Translators: a source of the Live view: the pipeline VGG_SCOPE_TEST_CAMERA names */
      gtk_string_list_append (names, _("Test Camera"));
    }
  if (self->cameras != NULL && scope_camera_list_get_portal_camera (self->cameras))
    {
      Entry entry = { ENTRY_PORTAL, NULL };

      g_array_append_val (self->entries, entry);
      /* Translators: a source of the Live view: the camera the desktop gives through its
       * camera portal */
      gtk_string_list_append (names, _("Camera (through the desktop)"));
    }
  if (self->cameras != NULL)
    {
      GListModel *devices = scope_camera_list_get_devices (self->cameras);

      for (guint i = 0; i < g_list_model_get_n_items (devices); i++)
        {
          Entry entry = { ENTRY_DEVICE, g_list_model_get_item (devices, i) };
          g_autofree char *name = gst_device_get_display_name (entry.device);

          g_array_append_val (self->entries, entry);
          gtk_string_list_append (names, name);
        }
    }
  gtk_drop_down_set_model (self->source_drop_down, G_LIST_MODEL (names));
  gtk_widget_set_sensitive (GTK_WIDGET (self->source_drop_down), self->entries->len > 0);
  update_actions (self);
  update_status (self);
}

static void
on_map (ScopeLivePanel *self)
{
  if (self->cameras != NULL)
    return;
  /* the device monitor and the portal only once somebody looks at this view */
  self->cameras = scope_camera_list_new ();
  g_signal_connect_object (scope_camera_list_get_devices (self->cameras), "items-changed",
                           G_CALLBACK (rebuild_entries), self, G_CONNECT_SWAPPED);
  rebuild_entries (self);
}

/* The window goes away (closed, even while something still holds it): the camera is
 * released, its light goes off, and no frame starts a job for a window nobody sees. */
static void
on_unrealize (ScopeLivePanel *self)
{
  if (scope_live_source_get_state (self->source) != SCOPE_LIVE_STATE_STOPPED)
    scope_live_source_stop (self->source);
  if (self->runner != NULL)
    scope_live_runner_clear (self->runner);
}

/* ---- frames and predictions ---- */

static void
on_frame (ScopeLivePanel  *self,
          ScopeSource     *frame,
          GdkTexture      *texture,
          ScopeLiveSource *source)
{
  g_set_object (&self->last_frame, frame);
  scope_live_preview_set_texture (self->preview, texture);
  update_status (self);
  if (self->runner != NULL)
    scope_live_runner_submit (self->runner, frame);
}

/* Smoothing weight of the newest frame: the average spans about three frames. */
#define SMOOTHING 0.4f

/* The top rows of @result's prediction as (class, probability) pairs, smoothed over the last
 * few frames when asked: classes outside a frame's top rows count as 0 for it. */
static guint
smoothed_rows (ScopeLivePanel *self,
               ScopeResult    *result,
               int            *classes,
               float          *probabilities,
               guint           max_rows)
{
  GListModel *prediction = scope_result_get_prediction (result);
  guint n = MIN (g_list_model_get_n_items (prediction), max_rows);
  int n_classes = vgg_model_n_classes (scope_model_get_engine (scope_result_get_model (result)));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ScopePrediction) row = g_list_model_get_item (prediction, i);

      classes[i] = scope_prediction_get_class_index (row);
      probabilities[i] = (float) scope_prediction_get_probability (row);
    }
  if (!gtk_toggle_button_get_active (self->smooth_button) || n_classes <= 0)
    {
      g_array_set_size (self->smoothed, 0);
      return n;
    }

  {
    gboolean fresh = self->smoothed->len != (guint) n_classes;
    float *average;

    g_array_set_size (self->smoothed, n_classes);
    average = (float *) (void *) self->smoothed->data;
    if (fresh)
      memset (average, 0, sizeof (float) * n_classes);
    for (int c = 0; c < n_classes; c++)
      average[c] *= fresh ? 0.0f : 1.0f - SMOOTHING;
    for (guint i = 0; i < n; i++)
      if (classes[i] >= 0 && classes[i] < n_classes)
        average[classes[i]] += (fresh ? 1.0f : SMOOTHING) * probabilities[i];
    /* the largest averages, in order */
    n = MIN (max_rows, (guint) n_classes);
    for (guint i = 0; i < n; i++)
      {
        int best = -1;

        for (int c = 0; c < n_classes; c++)
          {
            gboolean taken = FALSE;

            for (guint j = 0; j < i; j++)
              taken |= classes[j] == c;
            if (!taken && (best < 0 || average[c] > average[best]))
              best = c;
          }
        classes[i] = best;
        probabilities[i] = average[best];
      }
    return n;
  }
}

static void
show_prediction (ScopeLivePanel *self)
{
  ScopeResult *result = self->workspace != NULL ? scope_workspace_get_result (self->workspace)
                                                : NULL;
  g_autofree char *rate = NULL;
  GString *others = g_string_new (NULL);
  int classes[5];
  float probabilities[5];
  guint n;

  /* Translators: predictions the network completes per second, then how long one frame
   * took from its arrival to its prediction */
  rate = g_strdup_printf (_("%.1f predictions/s · %.0f ms per frame"),
                          scope_live_runner_get_rate (self->runner),
                          1000.0 * scope_live_runner_get_latency (self->runner));
  gtk_label_set_label (self->rate_label, rate);
  if (result == NULL || scope_result_get_status (result) != SCOPE_RESULT_DONE)
    {
      g_string_free (others, TRUE);
      return;
    }
  gtk_picture_set_paintable (self->seen_picture, GDK_PAINTABLE (scope_result_get_seen (result)));
  {
    graphene_rect_t region;

    scope_live_preview_set_region (self->preview, scope_result_get_seen_region (result, &region)
                                                  ? &region : NULL);
  }
  n = smoothed_rows (self, result, classes, probabilities, G_N_ELEMENTS (classes));
  for (guint i = 0; i < n; i++)
    {
      const VggModel *model = scope_model_get_engine (scope_result_get_model (result));
      g_autofree char *text = g_strdup_printf ("%.1f %% %s", 100.0 * probabilities[i],
                                               vgg_model_class_name (model, classes[i]));

      if (i == 0)
        gtk_label_set_label (self->prediction_label, text);
      else
        g_string_append_printf (others, "%s%s", i > 1 ? "\n" : "", text);
    }
  gtk_label_set_label (self->others_label, others->str);
  g_string_free (others, TRUE);
}

static void
on_state (ScopeLivePanel *self)
{
  ScopeLiveState state = scope_live_source_get_state (self->source);

  if (self->runner != NULL)
    scope_live_runner_set_shown_only (self->runner, state == SCOPE_LIVE_STATE_PLAYING);
  if (state != SCOPE_LIVE_STATE_PLAYING && self->runner != NULL)
    {
      /* frozen: the frame on screen is the one every view shows, with all its layers */
      scope_live_runner_clear (self->runner);
      if (state == SCOPE_LIVE_STATE_PAUSED && self->last_frame != NULL)
        scope_live_runner_submit (self->runner, self->last_frame);
    }
  if (state == SCOPE_LIVE_STATE_STOPPED)
    g_clear_object (&self->last_frame);
  if (state == SCOPE_LIVE_STATE_STOPPED)
    scope_live_preview_set_region (self->preview, NULL);
  update_actions (self);
  update_status (self);
}

static void
on_failed (ScopeLivePanel  *self,
           GError          *error,
           ScopeLiveSource *source)
{
  say (self, g_strdup (error->message));
}

static void
on_position (ScopeLivePanel *self)
{
  self->updating_scrub = TRUE;
  gtk_adjustment_set_upper (self->scrub_adjustment,
                            MAX (scope_live_source_get_duration (self->source), 0.001));
  gtk_adjustment_set_value (self->scrub_adjustment,
                            scope_live_source_get_position (self->source));
  self->updating_scrub = FALSE;
}

static void
on_scrub (ScopeLivePanel *self)
{
  if (!self->updating_scrub)
    scope_live_source_seek (self->source, gtk_adjustment_get_value (self->scrub_adjustment));
}

static void
on_mirror (ScopeLivePanel *self)
{
  scope_live_preview_set_mirrored (self->preview,
                                   gtk_toggle_button_get_active (self->mirror_button));
}

/* ---- starting ---- */

static void
on_portal_opened (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(ScopeLivePanel) self = user_data;
  g_autoptr(GError) error = NULL;
  int fd = scope_camera_list_open_portal_finish (SCOPE_CAMERA_LIST (object), result, &error);

  if (fd < 0)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        say (self, g_strdup (error->message));
      return;
    }
  if (!scope_live_source_open_pipewire_fd (self->source, fd, &error))
    say (self, g_strdup (error->message));
}

void
scope_live_panel_start (ScopeLivePanel *self)
{
  g_autoptr(GError) error = NULL;
  guint selected;
  Entry *entry;

  g_return_if_fail (SCOPE_IS_LIVE_PANEL (self));

  if (self->cameras == NULL)
    on_map (self);
  selected = gtk_drop_down_get_selected (self->source_drop_down);
  if (selected == GTK_INVALID_LIST_POSITION || selected >= self->entries->len)
    selected = 0;
  if (self->entries->len == 0)
    {
      /* Translators: a toast when Start is pressed without any camera */
      say (self, g_strdup (_("No camera found: connect one, or open a video file")));
      return;
    }
  entry = &g_array_index (self->entries, Entry, selected);
  switch (entry->kind)
    {
    case ENTRY_TEST:
      /* Translators: the name of the frames of the test camera */
      scope_live_source_open_description (self->source, scope_engine_environment_test_camera (),
                                          _("Test camera"), &error);
      break;
    case ENTRY_PORTAL:
      scope_live_source_stop (self->source);
      g_cancellable_cancel (self->portal_cancellable);
      g_clear_object (&self->portal_cancellable);
      self->portal_cancellable = g_cancellable_new ();
      scope_camera_list_open_portal_async (self->cameras, self->portal_cancellable,
                                           on_portal_opened, g_object_ref (self));
      break;
    case ENTRY_DEVICE:
      scope_live_source_open_device (self->source, entry->device, &error);
      break;
    default:
      g_assert_not_reached ();
    }
  if (error != NULL)
    say (self, g_strdup (error->message));
}

void
scope_live_panel_open_file (ScopeLivePanel *self,
                            GFile          *file)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (SCOPE_IS_LIVE_PANEL (self));
  g_return_if_fail (G_IS_FILE (file));

  if (!scope_live_source_open_file (self->source, file, &error))
    say (self, g_strdup (error->message));
}

static void
on_open_response (GtkNativeDialog *dialog,
                  int              response,
                  ScopeLivePanel  *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      if (file != NULL)
        scope_live_panel_open_file (self, file);
    }
  g_object_unref (dialog);
  g_object_unref (self);
}

/* ---- actions ---- */

static void
start_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  scope_live_panel_start (SCOPE_LIVE_PANEL (widget));
}

static void
open_video_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  ScopeLivePanel *self = SCOPE_LIVE_PANEL (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  /* Translators: title of the dialog that opens a video for the Live view */
  dialog = gtk_file_chooser_native_new (_("Open a Video"),
                                        GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_OPEN, NULL, NULL);
  /* Translators: a file filter */
  gtk_file_filter_set_name (filter, _("Videos"));
  gtk_file_filter_add_mime_type (filter, "video/*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  g_signal_connect (dialog, "response", G_CALLBACK (on_open_response), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
play_pause_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  ScopeLivePanel *self = SCOPE_LIVE_PANEL (widget);

  if (scope_live_source_get_state (self->source) == SCOPE_LIVE_STATE_PLAYING)
    scope_live_source_pause (self->source);
  else
    scope_live_source_play (self->source);
}

static void
step_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  ScopeLivePanel *self = SCOPE_LIVE_PANEL (widget);

  scope_live_source_step (self->source, g_str_equal (action_name, "live.step-forward") ? 1 : -1);
}

static void
stop_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  scope_live_source_stop (SCOPE_LIVE_PANEL (widget)->source);
}

static void
fullscreen_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  GtkRoot *root = gtk_widget_get_root (widget);

  if (!GTK_IS_WINDOW (root))
    return;
  if (gtk_window_is_fullscreen (GTK_WINDOW (root)))
    gtk_window_unfullscreen (GTK_WINDOW (root));
  else
    gtk_window_fullscreen (GTK_WINDOW (root));
}

/* ---- the object ---- */

void
scope_live_panel_set_workspace (ScopeLivePanel *self,
                                ScopeWorkspace *workspace)
{
  g_return_if_fail (SCOPE_IS_LIVE_PANEL (self));
  g_return_if_fail (SCOPE_IS_WORKSPACE (workspace));

  if (self->workspace == workspace)
    return;
  self->workspace = workspace;
  g_clear_object (&self->runner);
  self->runner = scope_live_runner_new (workspace);
  scope_live_runner_set_shown_only (self->runner, scope_live_source_get_state (self->source)
                                                  == SCOPE_LIVE_STATE_PLAYING);
  g_signal_connect_object (self->runner, "notify::rate", G_CALLBACK (show_prediction), self,
                           G_CONNECT_SWAPPED);
}

ScopeLiveSource *
scope_live_panel_get_source (ScopeLivePanel *self)
{
  g_return_val_if_fail (SCOPE_IS_LIVE_PANEL (self), NULL);
  return self->source;
}

ScopeLiveRunner *
scope_live_panel_get_runner (ScopeLivePanel *self)
{
  g_return_val_if_fail (SCOPE_IS_LIVE_PANEL (self), NULL);
  return self->runner;
}

const char *
scope_live_panel_get_status (ScopeLivePanel *self)
{
  g_return_val_if_fail (SCOPE_IS_LIVE_PANEL (self), NULL);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "none") != 0)
    return NULL;
  return adw_status_page_get_title (self->status_page);
}

static void
scope_live_panel_dispose (GObject *object)
{
  ScopeLivePanel *self = SCOPE_LIVE_PANEL (object);

  if (self->source != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->source, self);
      scope_live_source_stop (self->source);
    }
  g_cancellable_cancel (self->portal_cancellable);
  g_clear_object (&self->portal_cancellable);
  g_clear_object (&self->source);
  g_clear_object (&self->runner);
  g_clear_object (&self->cameras);
  g_clear_object (&self->last_frame);
  g_clear_pointer (&self->entries, g_array_unref);
  g_clear_pointer (&self->smoothed, g_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), SCOPE_TYPE_LIVE_PANEL);

  G_OBJECT_CLASS (scope_live_panel_parent_class)->dispose (object);
}

static void
scope_live_panel_class_init (ScopeLivePanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = scope_live_panel_dispose;
  g_type_ensure (SCOPE_TYPE_LIVE_PREVIEW);

  /* Something went wrong (a camera that is busy, a missing decoder): a message for a toast. */
  signals[MESSAGE] = g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/vggscope/VggScope/ui/scope-live-panel.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, ScopeLivePanel, toolbar);
  gtk_widget_class_bind_template_child (widget_class, ScopeLivePanel, source_drop_down);
  gtk_widget_class_bind_template_child (widget_class, ScopeLivePanel, start_button);
  gtk_widget_class_bind_template_child (widget_class, ScopeLivePanel, play_button);
  gtk_widget_class_bind_template_child (widget_class, ScopeLivePanel, loop_button);
  gtk_widget_class_bind_template_child (widget_class, ScopeLivePanel, mirror_button);
  gtk_widget_class_bind_template_child (widget_class, ScopeLivePanel, smooth_button);
  gtk_widget_class_bind_template_child (widget_class, ScopeLivePanel, rate_label);
  gtk_widget_class_bind_template_child (widget_class, ScopeLivePanel, stack);
  gtk_widget_class_bind_template_child (widget_class, ScopeLivePanel, status_page);
  gtk_widget_class_bind_template_child (widget_class, ScopeLivePanel, preview);
  gtk_widget_class_bind_template_child (widget_class, ScopeLivePanel, seen_picture);
  gtk_widget_class_bind_template_child (widget_class, ScopeLivePanel, prediction_label);
  gtk_widget_class_bind_template_child (widget_class, ScopeLivePanel, others_label);
  gtk_widget_class_bind_template_child (widget_class, ScopeLivePanel, scrub_scale);
  gtk_widget_class_bind_template_child (widget_class, ScopeLivePanel, scrub_adjustment);

  gtk_widget_class_install_action (widget_class, "live.start", NULL, start_action);
  gtk_widget_class_install_action (widget_class, "live.open-video", NULL, open_video_action);
  gtk_widget_class_install_action (widget_class, "live.play-pause", NULL, play_pause_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_space, 0, "live.play-pause", NULL);
  gtk_widget_class_install_action (widget_class, "live.step-forward", NULL, step_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_period, 0, "live.step-forward",
                                       NULL);
  gtk_widget_class_install_action (widget_class, "live.step-back", NULL, step_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_comma, 0, "live.step-back", NULL);
  gtk_widget_class_install_action (widget_class, "live.stop", NULL, stop_action);
  gtk_widget_class_install_action (widget_class, "live.fullscreen", NULL, fullscreen_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F11, 0, "live.fullscreen", NULL);
}

static void
scope_live_panel_init (ScopeLivePanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_orientable_set_orientation (GTK_ORIENTABLE (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
                                  GTK_ORIENTATION_VERTICAL);

  self->smoothed = g_array_new (FALSE, TRUE, sizeof (float));
  self->entries = g_array_new (FALSE, TRUE, sizeof (Entry));
  g_array_set_clear_func (self->entries, entry_clear);
  self->source = scope_live_source_new ();
  g_signal_connect_object (self->source, "frame", G_CALLBACK (on_frame), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->source, "failed", G_CALLBACK (on_failed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->source, "notify::state", G_CALLBACK (on_state), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->source, "notify::position", G_CALLBACK (on_position), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->source, "notify::duration", G_CALLBACK (on_position), self,
                           G_CONNECT_SWAPPED);
  g_object_bind_property (self->loop_button, "active", self->source, "loop",
                          G_BINDING_SYNC_CREATE);
  g_signal_connect_swapped (self->mirror_button, "toggled", G_CALLBACK (on_mirror), self);
  g_signal_connect_swapped (self->scrub_adjustment, "value-changed", G_CALLBACK (on_scrub), self);
  g_signal_connect_swapped (self, "map", G_CALLBACK (on_map), self);
  g_signal_connect_swapped (self, "unrealize", G_CALLBACK (on_unrealize), self);
  scope_accessible_name_drop_down (self->source_drop_down, _("Camera"));
  rebuild_entries (self);
}
