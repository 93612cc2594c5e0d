/* scope-video-reader.c — every frame of a video file, in order, as RGB pictures
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gst/app/gstappsink.h>
#include <gst/pbutils/pbutils.h>
#include <sys/stat.h>

#include "scope-video-error.h"
#include "scope-video-reader.h"

/* How long one wait for a frame lasts before the bus is looked at again. */
#define POLL_INTERVAL (50 * GST_MSECOND)

struct _ScopeVideoReader
{
  GObject     parent_instance;

  /* owned */
  GstElement *pipeline;
  GstElement *convert;      /* the video branch: convert → sink, linked at the first video pad */
  GstElement *sink;
  char       *display_name;
  char       *missing;      /* what a missing-plugin message said, or NULL */
  char       *warning;      /* the first warning a demuxer or decoder gave, or NULL */

  /* plain state */
  gint64      n_frames;
  double      last_time;
  double      last_duration;
  gboolean    finished;     /* the end or a failure was reported */
  int         video_linked; /* atomic: a video pad reached the converter */
  int         pads_done;    /* atomic: uridecodebin has no more pads */
};

G_DEFINE_FINAL_TYPE (ScopeVideoReader, scope_video_reader, G_TYPE_OBJECT)

static void
scope_video_reader_dispose (GObject *object)
{
  ScopeVideoReader *self = SCOPE_VIDEO_READER (object);

  if (self->pipeline != NULL)
    gst_element_set_state (self->pipeline, GST_STATE_NULL);
  gst_clear_object (&self->pipeline);
  gst_clear_object (&self->convert);
  gst_clear_object (&self->sink);

  G_OBJECT_CLASS (scope_video_reader_parent_class)->dispose (object);
}

static void
scope_video_reader_finalize (GObject *object)
{
  ScopeVideoReader *self = SCOPE_VIDEO_READER (object);

  g_free (self->display_name);
  g_free (self->missing);
  g_free (self->warning);

  G_OBJECT_CLASS (scope_video_reader_parent_class)->finalize (object);
}

static void
scope_video_reader_class_init (ScopeVideoReaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = scope_video_reader_dispose;
  object_class->finalize = scope_video_reader_finalize;
}

static void
scope_video_reader_init (ScopeVideoReader *self)
{
  self->last_time = -1.0;
}

/* Streaming thread. Audio is never decoded: its pad is exposed as it is and discarded. */
static gboolean
on_autoplug_continue (GstElement *bin,
                      GstPad     *pad,
                      GstCaps    *caps,
                      gpointer    user_data)
{
  return !(gst_caps_get_size (caps) > 0
           && g_str_has_prefix (gst_structure_get_name (gst_caps_get_structure (caps, 0)),
                                "audio/"));
}

/* Streaming thread: the first raw video pad goes to the converter, anything else to a
 * fakesink so an unlinked stream cannot stop the demuxer. */
static void
on_pad_added (GstElement       *decodebin,
              GstPad           *pad,
              ScopeVideoReader *self)
{
  g_autoptr(GstCaps) caps = gst_pad_get_current_caps (pad);
  const char *name = caps != NULL && gst_caps_get_size (caps) > 0
                     ? gst_structure_get_name (gst_caps_get_structure (caps, 0)) : "";

  if (g_str_equal (name, "video/x-raw") && g_atomic_int_compare_and_exchange (&self->video_linked, 0, 1))
    {
      g_autoptr(GstPad) sink_pad = gst_element_get_static_pad (self->convert, "sink");

      if (gst_pad_link (pad, sink_pad) == GST_PAD_LINK_OK)
        return;
      g_atomic_int_set (&self->video_linked, 0);
    }
  {
    GstElement *discard = gst_element_factory_make ("fakesink", NULL);
    g_autoptr(GstPad) sink_pad = NULL;

    if (discard == NULL)
      return;
    g_object_set (discard, "sync", FALSE, "async", FALSE, NULL);
    gst_bin_add (GST_BIN (self->pipeline), discard);
    gst_element_sync_state_with_parent (discard);
    sink_pad = gst_element_get_static_pad (discard, "sink");
    gst_pad_link (pad, sink_pad);
  }
}

static void
on_no_more_pads (GstElement       *decodebin,
                 ScopeVideoReader *self)
{
  g_atomic_int_set (&self->pads_done, 1);
}

ScopeVideoReader *
scope_video_reader_new (const char  *path,
                        GError     **error)
{
  g_autoptr(ScopeVideoReader) self = NULL;
  g_autoptr(GError) uri_error = NULL;
  g_autofree char *uri = NULL;
  g_autoptr(GstCaps) caps = NULL;
  GstElement *decode;
  GStatBuf st;

  g_return_val_if_fail (path != NULL, NULL);

  if (g_stat (path, &st) != 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), "%s: %s", path,
                   saved == ENOENT ? _("no such file") : g_strerror (saved));
      return NULL;
    }
  if (!S_ISREG (st.st_mode))
    {
      /* a FIFO would block the file source for ever */
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, _("%s: not a regular file"), path);
      return NULL;
    }
  if (!gst_is_initialized ())
    gst_init (NULL, NULL);

  self = g_object_new (SCOPE_TYPE_VIDEO_READER, NULL);
  self->display_name = g_filename_display_name (path);
  uri = gst_filename_to_uri (path, &uri_error);
  if (uri == NULL)
    {
      g_set_error (error, SCOPE_VIDEO_ERROR, SCOPE_VIDEO_ERROR_FAILED, "%s: %s",
                   self->display_name, uri_error->message);
      return NULL;
    }

  self->pipeline = gst_object_ref_sink (gst_pipeline_new ("video-reader"));
  decode = gst_element_factory_make ("uridecodebin", NULL);
  self->convert = gst_element_factory_make ("videoconvert", NULL);
  self->sink = gst_element_factory_make ("appsink", NULL);
  if (decode == NULL || self->convert == NULL || self->sink == NULL)
    {
      if (decode != NULL)
        gst_object_unref (gst_object_ref_sink (decode));
      g_set_error (error, SCOPE_VIDEO_ERROR, SCOPE_VIDEO_ERROR_MISSING_DECODER,
                   _("GStreamer's uridecodebin, videoconvert or appsink is not installed; "
                     "install the package gstreamer1.0-plugins-base"));
      return NULL;
    }
  gst_object_ref_sink (self->convert);
  gst_object_ref_sink (self->sink);

  caps = gst_caps_from_string (SCOPE_VIDEO_FRAME_CAPS);
  /* every frame, in order, as fast as the caller takes them: no clock, no dropping */
  g_object_set (self->sink, "caps", caps, "sync", FALSE, "max-buffers", 2, "drop", FALSE,
                "emit-signals", FALSE, NULL);
  g_object_set (decode, "uri", uri, NULL);
  g_signal_connect (decode, "autoplug-continue", G_CALLBACK (on_autoplug_continue), NULL);
  g_signal_connect (decode, "pad-added", G_CALLBACK (on_pad_added), self);
  g_signal_connect (decode, "no-more-pads", G_CALLBACK (on_no_more_pads), self);

  gst_bin_add_many (GST_BIN (self->pipeline), decode, self->convert, self->sink, NULL);
  if (!gst_element_link (self->convert, self->sink))
    {
      g_set_error (error, SCOPE_VIDEO_ERROR, SCOPE_VIDEO_ERROR_FAILED,
                   "videoconvert cannot produce RGB");
      return NULL;
    }
  if (gst_element_set_state (self->pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    {
      /* the reason is on the bus; next() reports it */
    }
  return g_steal_pointer (&self);
}

/* Looks at what the bus holds; TRUE when an error ended the stream (@error set). */
static gboolean
poll_bus (ScopeVideoReader  *self,
          GError           **error)
{
  g_autoptr(GstBus) bus = gst_element_get_bus (self->pipeline);
  GstMessage *message;

  while ((message = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR | GST_MESSAGE_WARNING
                                               | GST_MESSAGE_ELEMENT)) != NULL)
    {
      gboolean failed = FALSE;

      if (gst_is_missing_plugin_message (message))
        {
          if (self->missing == NULL)
            self->missing = scope_video_error_describe_missing (message);
        }
      else if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_WARNING && self->warning == NULL)
        {
          g_autoptr(GError) warning = NULL;

          gst_message_parse_warning (message, &warning, NULL);
          self->warning = g_strdup (warning->message);
        }
      else if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR)
        {
          scope_video_error_from_message (error, message, self->missing, self->display_name);
          failed = TRUE;
        }
      gst_message_unref (message);
      if (failed)
        return TRUE;
    }
  return FALSE;
}

/* The stream ended: is that its real end? A demuxer that knows the duration and stopped
 * more than two frames short of it, or that warned, read a cut-off file (@error set). */
static void
check_complete (ScopeVideoReader  *self,
                GError           **error)
{
  gint64 duration = -1;
  double end = self->last_time + MAX (self->last_duration, 0.0);

  if (self->warning != NULL)
    {
      g_set_error (error, SCOPE_VIDEO_ERROR, SCOPE_VIDEO_ERROR_TRUNCATED,
                   _("%s: the video stops after %lld frames (%s)"),
                   self->display_name, (long long) self->n_frames, self->warning);
      return;
    }
  if (gst_element_query_duration (self->pipeline, GST_FORMAT_TIME, &duration) && duration > 0
      && self->last_time >= 0.0
      && end + 2.0 * MAX (self->last_duration, 0.001) < (double) duration / GST_SECOND)
    {
      g_set_error (error, SCOPE_VIDEO_ERROR, SCOPE_VIDEO_ERROR_TRUNCATED,
                   _("%s: the file is cut off: its frames end at %.3f s of %.3f s"),
                   self->display_name, end, (double) duration / GST_SECOND);
    }
}

gboolean
scope_video_reader_next (ScopeVideoReader  *self,
                         ScopeVideoFrame   *frame,
                         GError           **error)
{
  g_return_val_if_fail (SCOPE_IS_VIDEO_READER (self), FALSE);
  g_return_val_if_fail (frame != NULL, FALSE);

  if (self->finished)
    return FALSE;

  for (;;)
    {
      GstSample *sample = gst_app_sink_try_pull_sample (GST_APP_SINK (self->sink),
                                                        POLL_INTERVAL);

      if (sample != NULL)
        {
          GstBuffer *buffer = gst_sample_get_buffer (sample);
          gboolean ok = scope_video_frame_from_sample (frame, sample, error);

          if (ok)
            {
              frame->index = self->n_frames++;
              self->last_time = frame->time;
              self->last_duration = buffer != NULL && GST_BUFFER_DURATION_IS_VALID (buffer)
                                    ? (double) GST_BUFFER_DURATION (buffer) / GST_SECOND
                                    : 0.0;
            }
          else
            self->finished = TRUE;
          gst_sample_unref (sample);
          return ok;
        }

      if (poll_bus (self, error))
        break;
      if (gst_app_sink_is_eos (GST_APP_SINK (self->sink)))
        {
          self->finished = TRUE;
          poll_bus (self, NULL);   /* a last warning */
          if (self->n_frames == 0)
            {
              g_set_error (error, SCOPE_VIDEO_ERROR, SCOPE_VIDEO_ERROR_NOT_VIDEO,
                           _("%s: the video has no frames"), self->display_name);
              return FALSE;
            }
          check_complete (self, error);
          return FALSE;
        }
      if (g_atomic_int_get (&self->pads_done) && !g_atomic_int_get (&self->video_linked))
        {
          if (self->missing != NULL)
            g_set_error (error, SCOPE_VIDEO_ERROR, SCOPE_VIDEO_ERROR_MISSING_DECODER, "%s: %s",
                         self->display_name, self->missing);
          else
            g_set_error (error, SCOPE_VIDEO_ERROR, SCOPE_VIDEO_ERROR_NOT_VIDEO,
                         _("%s: the file has no video stream"), self->display_name);
          break;
        }
    }
  self->finished = TRUE;
  gst_element_set_state (self->pipeline, GST_STATE_NULL);
  return FALSE;
}
