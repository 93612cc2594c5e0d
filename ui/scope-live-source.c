/* scope-live-source.c — frames from a camera, a test camera or a video file, newest first
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <gst/app/gstappsink.h>
#include <gst/pbutils/pbutils.h>
#include <stdlib.h>

#include "scope-enum-types.h"
#include "scope-live-frame.h"
#include "scope-live-source.h"
#include "scope-tsan.h"
#include "scope-video-frame.h"
#include "scope-video-error.h"

/* playbin's flags: decode video only, and add no converter of its own (ours is the only one,
 * with its default settings) */
#define PLAY_FLAG_VIDEO        (1 << 0)
#define PLAY_FLAG_NATIVE_VIDEO (1 << 6)

struct _ScopeLiveSource
{
  GObject          parent_instance;

  /* owned */
  GstElement      *pipeline;
  GstElement      *sink;          /* the appsink, inside the pipeline */
  GMainContext    *context;       /* where "frame" is emitted */
  char            *name;
  char            *missing;       /* a missing-plugin message's text */
  ScopeLiveFrame  *waiting;       /* newest frame not yet taken by the main context; lock */
  GMutex           lock;

  /* plain state */
  guint            bus_watch;
  guint            idle_id;       /* the hand-over is scheduled; lock */
  ScopeLiveState   state;
  gboolean         is_file;
  gboolean         loop;
  double           duration;
  double           position;
  double           frame_duration;  /* lock */
  int              n_arrived;     /* atomic */
  guint64          n_delivered;
};

enum {
  PROP_0,
  PROP_STATE,
  PROP_IS_FILE,
  PROP_NAME,
  PROP_DURATION,
  PROP_POSITION,
  PROP_LOOP,
  N_PROPS
};

enum {
  FRAME,
  FAILED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (ScopeLiveSource, scope_live_source, G_TYPE_OBJECT)

static void
set_state (ScopeLiveSource *self,
           ScopeLiveState   state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

/* ---- frames: streaming thread → main context ---- */

/* Main context: the newest frame becomes a picture and a texture. */
static gboolean
deliver_frame (gpointer user_data)
{
  ScopeLiveSource *self = user_data;
  g_autoptr(ScopeLiveFrame) frame = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(ScopeSource) source = NULL;
  double time;

  scope_mutex_lock (&self->lock);
  frame = g_steal_pointer (&self->waiting);
  self->idle_id = 0;
  scope_mutex_unlock (&self->lock);
  if (frame == NULL)
    return G_SOURCE_REMOVE;

  time = scope_live_frame_get_time (frame);
  scope_live_frame_take (frame, self->name, &source, &texture);
  if (time >= 0.0 && time != self->position)
    {
      self->position = time;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POSITION]);
    }
  self->n_delivered++;
  g_signal_emit (self, signals[FRAME], 0, source, texture);
  return G_SOURCE_REMOVE;
}

/* Streaming thread. */
static void
take_sample (ScopeLiveSource *self,
             GstSample       *sample)
{
  ScopeLiveFrame *frame;
  GstBuffer *buffer = gst_sample_get_buffer (sample);

  SCOPE_TSAN_ACQUIRE (self);   /* what the main thread set before streaming began */
  frame = scope_live_frame_new_from_sample (sample);

  if (frame == NULL)
    return;
  g_atomic_int_inc (&self->n_arrived);

  scope_mutex_lock (&self->lock);
  if (buffer != NULL && GST_BUFFER_DURATION_IS_VALID (buffer))
    self->frame_duration = (double) GST_BUFFER_DURATION (buffer) / GST_SECOND;
  /* the newest frame wins: one waiting, never a queue */
  scope_live_frame_free (self->waiting);
  self->waiting = frame;
  if (self->idle_id == 0)
    {
      GSource *idle = g_idle_source_new ();

      /* the default priority, as the inference's hand-overs: below it (under the frame
       * clock's GDK_PRIORITY_REDRAW) a window that draws continuously starves the frames */
      g_source_set_priority (idle, G_PRIORITY_DEFAULT);
      g_source_set_callback (idle, deliver_frame, g_object_ref (self), g_object_unref);
      g_source_set_static_name (idle, "[vgg-scope] live frame");
      self->idle_id = g_source_attach (idle, self->context);
      g_source_unref (idle);
    }
  scope_mutex_unlock (&self->lock);
}

static GstFlowReturn
on_new_sample (GstAppSink *sink,
               gpointer    user_data)
{
  GstSample *sample = gst_app_sink_pull_sample (sink);

  if (sample == NULL)
    return GST_FLOW_EOS;
  take_sample (user_data, sample);
  gst_sample_unref (sample);
  return GST_FLOW_OK;
}

/* A paused file shows the frame it prerolled (after a step or a seek). */
static GstFlowReturn
on_new_preroll (GstAppSink *sink,
                gpointer    user_data)
{
  ScopeLiveSource *self = user_data;
  GstSample *sample;
  GstState target;

  SCOPE_TSAN_ACQUIRE (self);   /* the pipeline, set up on the main thread */
  target = GST_STATE_TARGET (self->pipeline);
  SCOPE_TSAN_RELEASE (self);   /* to close_pipeline(), after the streaming threads end */

  if (target == GST_STATE_PLAYING)
    return GST_FLOW_OK;   /* new_sample will have the same buffer */
  sample = gst_app_sink_pull_preroll (sink);
  if (sample == NULL)
    return GST_FLOW_OK;
  take_sample (self, sample);
  gst_sample_unref (sample);
  return GST_FLOW_OK;
}

/* GStreamer starts with the first thing opened, not with the window: gst_init() reads its
 * plugin registry, 13–17 ms here, which every start-up paid on the main thread before the
 * window appeared. */
static void
ensure_gstreamer (void)
{
  if (!gst_is_initialized ())
    gst_init (NULL, NULL);
}

/* ---- the pipeline ---- */

static void
close_pipeline (ScopeLiveSource *self)
{
  if (self->pipeline == NULL)
    return;
  /* blocks until the streaming threads are gone: no frame arrives after this */
  gst_element_set_state (self->pipeline, GST_STATE_NULL);
  SCOPE_TSAN_ACQUIRE (self);   /* what they did: on_new_preroll() */
  if (self->bus_watch != 0)
    {
      g_autoptr(GstBus) bus = gst_element_get_bus (self->pipeline);

      gst_bus_remove_watch (bus);
      self->bus_watch = 0;
    }
  gst_clear_object (&self->sink);
  gst_clear_object (&self->pipeline);
  scope_mutex_lock (&self->lock);
  g_clear_pointer (&self->waiting, scope_live_frame_free);
  scope_mutex_unlock (&self->lock);
  g_clear_pointer (&self->missing, g_free);
}

static void
fail (ScopeLiveSource *self,
      GError          *error)
{
  close_pipeline (self);
  set_state (self, SCOPE_LIVE_STATE_STOPPED);
  g_signal_emit (self, signals[FAILED], 0, error);
}

static void
update_duration (ScopeLiveSource *self)
{
  gint64 duration = 0;
  double seconds = 0.0;

  if (self->is_file && self->pipeline != NULL
      && gst_element_query_duration (self->pipeline, GST_FORMAT_TIME, &duration) && duration > 0)
    seconds = (double) duration / GST_SECOND;
  if (seconds != self->duration)
    {
      self->duration = seconds;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DURATION]);
    }
}

static gboolean
on_bus_message (GstBus     *bus,
                GstMessage *message,
                gpointer    user_data)
{
  ScopeLiveSource *self = user_data;

  switch (GST_MESSAGE_TYPE (message))
    {
    case GST_MESSAGE_ERROR:
      {
        g_autoptr(GError) error = NULL;

        scope_video_error_from_message (&error, message, self->missing, self->name);
        fail (self, error);
        return G_SOURCE_REMOVE;   /* the watch went with the pipeline */
      }

    case GST_MESSAGE_ELEMENT:
      if (gst_is_missing_plugin_message (message) && self->missing == NULL)
        self->missing = scope_video_error_describe_missing (message);
      break;

    case GST_MESSAGE_EOS:
      if (self->is_file && self->loop)
        gst_element_seek_simple (self->pipeline, GST_FORMAT_TIME,
                                 GST_SEEK_FLAG_FLUSH | GST_SEEK_FLAG_ACCURATE, 0);
      else if (self->is_file)
        {
          double frame_duration;

          SCOPE_TSAN_RELEASE (self);   /* what the main thread set, to the streaming thread */
          gst_element_set_state (self->pipeline, GST_STATE_PAUSED);
          set_state (self, SCOPE_LIVE_STATE_PAUSED);
          scope_mutex_lock (&self->lock);
          frame_duration = self->frame_duration > 0.0 ? self->frame_duration : 0.04;
          scope_mutex_unlock (&self->lock);
          /* a file that stops more than two frames before its stated duration is cut off:
           * said, and its last frame stays */
          update_duration (self);
          if (self->duration > 0.0 && self->position + 3.0 * frame_duration < self->duration)
            {
              g_autoptr(GError) error =
                /* Translators: %s is a file name, then two times in seconds */
                g_error_new (SCOPE_VIDEO_ERROR, SCOPE_VIDEO_ERROR_TRUNCATED,
                             _("%s is cut off: its frames end at %.1f s of %.1f s"), self->name,
                             self->position + frame_duration, self->duration);

              g_signal_emit (self, signals[FAILED], 0, error);
            }
        }
      else
        {
          g_autoptr(GError) error =
            /* Translators: %s names a camera */
            g_error_new (SCOPE_VIDEO_ERROR, SCOPE_VIDEO_ERROR_FAILED, _("%s stopped sending pictures"),
                         self->name);

          fail (self, error);
          return G_SOURCE_REMOVE;
        }
      break;

    case GST_MESSAGE_ASYNC_DONE:
    case GST_MESSAGE_DURATION_CHANGED:
      update_duration (self);
      break;

    default:
      break;
    }
  return G_SOURCE_CONTINUE;
}

static GstElement *
make_sink (ScopeLiveSource *self,
           gboolean         sync)
{
  GstAppSinkCallbacks callbacks = { 0 };
  g_autoptr(GstCaps) caps = gst_caps_from_string (SCOPE_VIDEO_FRAME_CAPS);
  GstElement *sink = gst_element_factory_make ("appsink", NULL);

  if (sink == NULL)
    return NULL;
  callbacks.new_sample = on_new_sample;
  callbacks.new_preroll = on_new_preroll;
  /* one buffer, the newest: a slow consumer never builds a backlog */
  g_object_set (sink, "caps", caps, "max-buffers", 1, "drop", TRUE, "sync", sync,
                "emit-signals", FALSE, "enable-last-sample", FALSE, NULL);
  gst_app_sink_set_callbacks (GST_APP_SINK (sink), &callbacks, self, NULL);
  return sink;
}

/* Takes @pipeline (floating or not); @sink is in it. */
static gboolean
start (ScopeLiveSource *self,
       GstElement      *pipeline,
       GstElement      *sink,
       const char      *name,
       gboolean         is_file,
       GError         **error)
{
  g_autoptr(GstBus) bus = NULL;

  close_pipeline (self);
  self->pipeline = gst_object_ref_sink (pipeline);
  self->sink = gst_object_ref (sink);
  g_free (self->name);
  self->name = g_strdup (name);
  self->is_file = is_file;
  self->position = 0.0;
  self->frame_duration = 0.0;
  bus = gst_element_get_bus (self->pipeline);
  self->bus_watch = gst_bus_add_watch (bus, on_bus_message, self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IS_FILE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POSITION]);
  update_duration (self);

  SCOPE_TSAN_RELEASE (self);   /* what the main thread set, to the streaming thread */
  if (gst_element_set_state (self->pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    {
      g_autoptr(GstMessage) message = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);

      if (message != NULL)
        scope_video_error_from_message (error, message, NULL, name);
      else
        /* Translators: %s names a camera or a file */
        g_set_error (error, SCOPE_VIDEO_ERROR, SCOPE_VIDEO_ERROR_FAILED,
                     _("%s could not be started"), name);
      close_pipeline (self);
      set_state (self, SCOPE_LIVE_STATE_STOPPED);
      return FALSE;
    }
  set_state (self, SCOPE_LIVE_STATE_PLAYING);
  return TRUE;
}

/* @source ! videoconvert ! appsink, for live sources. Takes @source. */
static gboolean
start_live (ScopeLiveSource *self,
            GstElement      *source,
            const char      *name,
            GError         **error)
{
  GstElement *pipeline = gst_pipeline_new ("live");
  GstElement *convert = gst_element_factory_make ("videoconvert", NULL);
  GstElement *sink = make_sink (self, FALSE);

  if (convert == NULL || sink == NULL)
    {
      g_set_error (error, SCOPE_VIDEO_ERROR, SCOPE_VIDEO_ERROR_MISSING_DECODER,
                   _("GStreamer's videoconvert or appsink is not installed; install the package "
                     "gstreamer1.0-plugins-base"));
      gst_object_unref (gst_object_ref_sink (source));
      gst_object_unref (gst_object_ref_sink (pipeline));
      return FALSE;
    }
  gst_bin_add_many (GST_BIN (pipeline), source, convert, sink, NULL);
  if (!gst_element_link_many (source, convert, sink, NULL))
    {
      /* Translators: %s names a camera */
      g_set_error (error, SCOPE_VIDEO_ERROR, SCOPE_VIDEO_ERROR_FAILED,
                   _("%s gives no video that can be shown"), name);
      gst_object_unref (gst_object_ref_sink (pipeline));
      return FALSE;
    }
  return start (self, pipeline, sink, name, FALSE, error);
}

gboolean
scope_live_source_open_description (ScopeLiveSource *self,
                                    const char      *description,
                                    const char      *name,
                                    GError         **error)
{
  g_autoptr(GError) parse_error = NULL;
  g_autofree char *whole = NULL;
  GstElement *bin;

  g_return_val_if_fail (SCOPE_IS_LIVE_SOURCE (self), FALSE);
  g_return_val_if_fail (description != NULL, FALSE);

  ensure_gstreamer ();

  /* caps at the end of a description ("… ! video/x-raw,width=640") need an element after
   * them to become a capsfilter */
  whole = g_strdup_printf ("%s ! identity", description);
  bin = gst_parse_bin_from_description (whole, TRUE, &parse_error);
  if (bin == NULL)
    {
      /* Translators: the first %s is a GStreamer pipeline, the second why it is wrong */
      g_set_error (error, SCOPE_VIDEO_ERROR, SCOPE_VIDEO_ERROR_FAILED,
                   _("The test camera “%s” cannot be used: %s"), description,
                   parse_error->message);
      return FALSE;
    }
  return start_live (self, bin, name, error);
}

gboolean
scope_live_source_open_device (ScopeLiveSource *self,
                               GstDevice       *device,
                               GError         **error)
{
  g_autofree char *name = NULL;
  GstElement *source;

  g_return_val_if_fail (SCOPE_IS_LIVE_SOURCE (self), FALSE);
  ensure_gstreamer ();
  g_return_val_if_fail (GST_IS_DEVICE (device), FALSE);

  name = gst_device_get_display_name (device);
  source = gst_device_create_element (device, NULL);
  if (source == NULL)
    {
      /* Translators: %s names a camera */
      g_set_error (error, SCOPE_VIDEO_ERROR, SCOPE_VIDEO_ERROR_FAILED,
                   _("%s cannot be opened"), name);
      return FALSE;
    }
  return start_live (self, source, name, error);
}

gboolean
scope_live_source_open_pipewire_fd (ScopeLiveSource *self,
                                    int              fd,
                                    GError         **error)
{
  GstElement *source;

  g_return_val_if_fail (SCOPE_IS_LIVE_SOURCE (self), FALSE);

  ensure_gstreamer ();
  source = gst_element_factory_make ("pipewiresrc", NULL);

  if (source == NULL)
    {
      g_set_error (error, SCOPE_VIDEO_ERROR, SCOPE_VIDEO_ERROR_MISSING_DECODER,
                   _("GStreamer's PipeWire source is not installed; install the package "
                     "gstreamer1.0-pipewire"));
      return FALSE;
    }
  g_object_set (source, "fd", fd, NULL);
  /* Translators: the camera the desktop's camera portal gave */
  return start_live (self, source, _("Camera"), error);
}

gboolean
scope_live_source_open_file (ScopeLiveSource *self,
                             GFile           *file,
                             GError         **error)
{
  g_autofree char *uri = NULL;
  g_autofree char *name = NULL;
  g_autofree char *basename = g_file_get_basename (file);
  GstElement *playbin, *bin, *convert, *sink;
  GstPad *pad;

  g_return_val_if_fail (SCOPE_IS_LIVE_SOURCE (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  ensure_gstreamer ();

  uri = g_file_get_uri (file);
  name = g_filename_display_name (basename != NULL ? basename : uri);
  playbin = gst_element_factory_make ("playbin", NULL);
  convert = gst_element_factory_make ("videoconvert", NULL);
  sink = make_sink (self, TRUE);   /* real time: the clock paces the frames */
  if (playbin == NULL || convert == NULL || sink == NULL)
    {
      g_set_error (error, SCOPE_VIDEO_ERROR, SCOPE_VIDEO_ERROR_MISSING_DECODER,
                   _("GStreamer's playbin is not installed; install the package "
                     "gstreamer1.0-plugins-base"));
      return FALSE;
    }
  bin = gst_bin_new ("video-sink");
  gst_bin_add_many (GST_BIN (bin), convert, sink, NULL);
  gst_element_link (convert, sink);
  pad = gst_element_get_static_pad (convert, "sink");
  gst_element_add_pad (bin, gst_ghost_pad_new ("sink", pad));
  gst_object_unref (pad);
  /* muted: audio is not even decoded */
  g_object_set (playbin, "uri", uri, "video-sink", bin,
                "flags", PLAY_FLAG_VIDEO | PLAY_FLAG_NATIVE_VIDEO, NULL);
  return start (self, playbin, sink, name, TRUE, error);
}

void
scope_live_source_play (ScopeLiveSource *self)
{
  g_return_if_fail (SCOPE_IS_LIVE_SOURCE (self));

  if (self->pipeline == NULL || self->state == SCOPE_LIVE_STATE_PLAYING)
    return;
  SCOPE_TSAN_RELEASE (self);
  gst_element_set_state (self->pipeline, GST_STATE_PLAYING);
  set_state (self, SCOPE_LIVE_STATE_PLAYING);
}

void
scope_live_source_pause (ScopeLiveSource *self)
{
  g_return_if_fail (SCOPE_IS_LIVE_SOURCE (self));

  if (self->pipeline == NULL || self->state != SCOPE_LIVE_STATE_PLAYING)
    return;
  /* a camera is closed (its light goes off); a file keeps its place */
  SCOPE_TSAN_RELEASE (self);
  gst_element_set_state (self->pipeline, self->is_file ? GST_STATE_PAUSED : GST_STATE_NULL);
  if (!self->is_file)
    {
      scope_mutex_lock (&self->lock);
      g_clear_pointer (&self->waiting, scope_live_frame_free);
      scope_mutex_unlock (&self->lock);
    }
  set_state (self, SCOPE_LIVE_STATE_PAUSED);
}

void
scope_live_source_stop (ScopeLiveSource *self)
{
  g_return_if_fail (SCOPE_IS_LIVE_SOURCE (self));

  close_pipeline (self);
  set_state (self, SCOPE_LIVE_STATE_STOPPED);
}

void
scope_live_source_step (ScopeLiveSource *self,
                        int              direction)
{
  g_return_if_fail (SCOPE_IS_LIVE_SOURCE (self));

  if (self->pipeline == NULL || !self->is_file)
    return;
  scope_live_source_pause (self);
  if (direction > 0)
    gst_element_send_event (self->pipeline,
                            gst_event_new_step (GST_FORMAT_BUFFERS, 1, 1.0, TRUE, FALSE));
  else
    {
      double step;

      scope_mutex_lock (&self->lock);
      step = self->frame_duration > 0.0 ? self->frame_duration : 1.0 / 30.0;
      scope_mutex_unlock (&self->lock);
      scope_live_source_seek (self, MAX (0.0, self->position - step));
    }
}

void
scope_live_source_seek (ScopeLiveSource *self,
                        double           seconds)
{
  g_return_if_fail (SCOPE_IS_LIVE_SOURCE (self));

  if (self->pipeline == NULL || !self->is_file)
    return;
  /* a frame from before the seek that still waits for the main context is stale */
  scope_mutex_lock (&self->lock);
  g_clear_pointer (&self->waiting, scope_live_frame_free);
  scope_mutex_unlock (&self->lock);
  gst_element_seek_simple (self->pipeline, GST_FORMAT_TIME,
                           GST_SEEK_FLAG_FLUSH | GST_SEEK_FLAG_ACCURATE,
                           (gint64) (MAX (0.0, seconds) * GST_SECOND));
}

/* ---- properties ---- */

ScopeLiveState
scope_live_source_get_state (ScopeLiveSource *self)
{
  g_return_val_if_fail (SCOPE_IS_LIVE_SOURCE (self), SCOPE_LIVE_STATE_STOPPED);
  return self->state;
}

gboolean
scope_live_source_get_is_file (ScopeLiveSource *self)
{
  g_return_val_if_fail (SCOPE_IS_LIVE_SOURCE (self), FALSE);
  return self->is_file;
}

const char *
scope_live_source_get_name (ScopeLiveSource *self)
{
  g_return_val_if_fail (SCOPE_IS_LIVE_SOURCE (self), NULL);
  return self->name;
}

double
scope_live_source_get_duration (ScopeLiveSource *self)
{
  g_return_val_if_fail (SCOPE_IS_LIVE_SOURCE (self), 0.0);
  return self->duration;
}

double
scope_live_source_get_position (ScopeLiveSource *self)
{
  g_return_val_if_fail (SCOPE_IS_LIVE_SOURCE (self), 0.0);
  return self->position;
}

void
scope_live_source_set_loop (ScopeLiveSource *self,
                            gboolean         loop)
{
  g_return_if_fail (SCOPE_IS_LIVE_SOURCE (self));

  loop = !!loop;
  if (self->loop == loop)
    return;
  self->loop = loop;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOOP]);
}

gboolean
scope_live_source_get_loop (ScopeLiveSource *self)
{
  g_return_val_if_fail (SCOPE_IS_LIVE_SOURCE (self), FALSE);
  return self->loop;
}

guint64
scope_live_source_get_n_delivered (ScopeLiveSource *self)
{
  g_return_val_if_fail (SCOPE_IS_LIVE_SOURCE (self), 0);
  return self->n_delivered;
}

guint64
scope_live_source_get_n_arrived (ScopeLiveSource *self)
{
  g_return_val_if_fail (SCOPE_IS_LIVE_SOURCE (self), 0);
  return (guint64) (guint) g_atomic_int_get (&self->n_arrived);
}

static void
scope_live_source_dispose (GObject *object)
{
  ScopeLiveSource *self = SCOPE_LIVE_SOURCE (object);

  close_pipeline (self);

  G_OBJECT_CLASS (scope_live_source_parent_class)->dispose (object);
}

static void
scope_live_source_finalize (GObject *object)
{
  ScopeLiveSource *self = SCOPE_LIVE_SOURCE (object);

  g_clear_pointer (&self->context, g_main_context_unref);
  g_free (self->name);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (scope_live_source_parent_class)->finalize (object);
}

static void
scope_live_source_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  ScopeLiveSource *self = SCOPE_LIVE_SOURCE (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_IS_FILE:
      g_value_set_boolean (value, self->is_file);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_DURATION:
      g_value_set_double (value, self->duration);
      break;
    case PROP_POSITION:
      g_value_set_double (value, self->position);
      break;
    case PROP_LOOP:
      g_value_set_boolean (value, self->loop);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
scope_live_source_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  ScopeLiveSource *self = SCOPE_LIVE_SOURCE (object);

  switch (prop_id)
    {
    case PROP_LOOP:
      scope_live_source_set_loop (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
scope_live_source_class_init (ScopeLiveSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = scope_live_source_dispose;
  object_class->finalize = scope_live_source_finalize;
  object_class->get_property = scope_live_source_get_property;
  object_class->set_property = scope_live_source_set_property;

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, SCOPE_TYPE_LIVE_STATE, SCOPE_LIVE_STATE_STOPPED,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_IS_FILE] =
    g_param_spec_boolean ("is-file", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DURATION] =
    g_param_spec_double ("duration", NULL, NULL, 0.0, G_MAXDOUBLE, 0.0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_POSITION] =
    g_param_spec_double ("position", NULL, NULL, 0.0, G_MAXDOUBLE, 0.0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOOP] =
    g_param_spec_boolean ("loop", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* A new frame (the newest; older ones that were still waiting are gone): the picture for
   * the network and the same pixels as a texture for the preview. */
  signals[FRAME] = g_signal_new ("frame", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                 NULL, NULL, NULL, G_TYPE_NONE, 2, SCOPE_TYPE_SOURCE,
                                 GDK_TYPE_TEXTURE);
  /* The source stopped with an error (state is stopped), or a video file ended before its
   * stated duration (SCOPE_VIDEO_ERROR_TRUNCATED; paused at its last frame). */
  signals[FAILED] = g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
scope_live_source_init (ScopeLiveSource *self)
{
  g_mutex_init (&self->lock);
  self->context = g_main_context_ref_thread_default ();
}

ScopeLiveSource *
scope_live_source_new (void)
{
  return g_object_new (SCOPE_TYPE_LIVE_SOURCE, NULL);
}
