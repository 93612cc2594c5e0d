/* scope-video-error.c — how reading a video fails, in words a user can act on
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <gst/pbutils/pbutils.h>
#include <errno.h>
#include <string.h>

#include "scope-video-error.h"

G_DEFINE_QUARK (scope-video-error-quark, scope_video_error)

/* Which Debian 12 package holds the element that handles a stream type. */
static const struct
{
  const char *media_type;
  const char *package;
} packages[] = {
  { "application/ogg", "gstreamer1.0-plugins-base" },
  { "video/mpeg", "gstreamer1.0-libav" },
  { "video/mpegts", "gstreamer1.0-plugins-bad" },
  { "video/quicktime", "gstreamer1.0-plugins-good" },
  { "video/webm", "gstreamer1.0-plugins-good" },
  { "video/x-av1", "gstreamer1.0-plugins-bad" },
  { "video/x-divx", "gstreamer1.0-libav" },
  { "video/x-flv", "gstreamer1.0-plugins-good" },
  { "video/x-h263", "gstreamer1.0-libav" },
  { "video/x-h264", "gstreamer1.0-libav" },
  { "video/x-h265", "gstreamer1.0-libav" },
  { "video/x-matroska", "gstreamer1.0-plugins-good" },
  { "video/x-ms-asf", "gstreamer1.0-plugins-ugly" },
  { "video/x-msmpeg", "gstreamer1.0-libav" },
  { "video/x-msvideo", "gstreamer1.0-plugins-good" },
  { "video/x-theora", "gstreamer1.0-plugins-base" },
  { "video/x-vp8", "gstreamer1.0-plugins-good" },
  { "video/x-vp9", "gstreamer1.0-plugins-good" },
  { "video/x-wmv", "gstreamer1.0-libav" },
  { "video/x-xvid", "gstreamer1.0-libav" },
  { "image/jpeg", "gstreamer1.0-plugins-good" },
};

const char *
scope_video_error_package_for_type (const char *media_type)
{
  g_return_val_if_fail (media_type != NULL, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (packages); i++)
    if (strcmp (media_type, packages[i].media_type) == 0)
      return packages[i].package;
  return NULL;
}

char *
scope_video_error_describe_missing (GstMessage *message)
{
  const GstStructure *structure;
  const GValue *detail;
  g_autofree char *description = NULL;
  const char *package = NULL;

  g_return_val_if_fail (gst_is_missing_plugin_message (message), NULL);

  /* "H.264 (High Profile) decoder": GStreamer's own, translated, name of what is missing */
  description = gst_missing_plugin_message_get_description (message);
  structure = gst_message_get_structure (message);
  detail = gst_structure_get_value (structure, "detail");
  if (detail != NULL && G_VALUE_HOLDS (detail, GST_TYPE_CAPS))
    {
      const GstCaps *caps = gst_value_get_caps (detail);

      if (caps != NULL && gst_caps_get_size (caps) > 0)
        package = scope_video_error_package_for_type (
          gst_structure_get_name (gst_caps_get_structure (caps, 0)));
    }
  if (package != NULL)
    /* Translators: %s is GStreamer's name for what is missing ("H.264 (High Profile)
     * decoder"), then a Debian package name */
    return g_strdup_printf (_("%s is not installed; install the package %s"),
                            description, package);
  /* Translators: %s is GStreamer's name for what is missing ("H.264 (High Profile) decoder") */
  return g_strdup_printf (_("%s is not installed"), description);
}

/* v4l2src reports an open() that failed as "Could not open device" with the errno text
 * ("Permission denied", "Device or resource busy") only in the debug string. */
void
scope_video_error_from_message (GError    **error,
                                GstMessage *message,
                                const char *missing,
                                const char *what)
{
  g_autoptr(GError) gst_error = NULL;
  g_autofree char *debug = NULL;

  gst_message_parse_error (message, &gst_error, &debug);
  if (missing != NULL)
    g_set_error (error, SCOPE_VIDEO_ERROR, SCOPE_VIDEO_ERROR_MISSING_DECODER, "%s: %s", what,
                 missing);
  else if (g_error_matches (gst_error, GST_STREAM_ERROR, GST_STREAM_ERROR_TYPE_NOT_FOUND)
           || g_error_matches (gst_error, GST_STREAM_ERROR, GST_STREAM_ERROR_WRONG_TYPE)
           || g_error_matches (gst_error, GST_STREAM_ERROR, GST_STREAM_ERROR_DEMUX))
    /* Translators: %s is a file name */
    g_set_error (error, SCOPE_VIDEO_ERROR, SCOPE_VIDEO_ERROR_NOT_VIDEO,
                 _("%s: not a video file GStreamer can read (%s)"), what, gst_error->message);
  else if (g_error_matches (gst_error, GST_CORE_ERROR, GST_CORE_ERROR_MISSING_PLUGIN))
    g_set_error (error, SCOPE_VIDEO_ERROR, SCOPE_VIDEO_ERROR_MISSING_DECODER, "%s: %s", what,
                 gst_error->message);
  else if (g_error_matches (gst_error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_NOT_AUTHORIZED)
           || (gst_error->domain == GST_RESOURCE_ERROR && debug != NULL
               && strstr (debug, g_strerror (EACCES)) != NULL))
    /* Translators: %s is a file or device name */
    g_set_error (error, SCOPE_VIDEO_ERROR, SCOPE_VIDEO_ERROR_PERMISSION,
                 _("%s: permission denied"), what);
  else if (g_error_matches (gst_error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_BUSY)
           || (gst_error->domain == GST_RESOURCE_ERROR && debug != NULL
               && strstr (debug, g_strerror (EBUSY)) != NULL))
    /* Translators: %s is a camera's name */
    g_set_error (error, SCOPE_VIDEO_ERROR, SCOPE_VIDEO_ERROR_BUSY,
                 _("%s is busy: another program is using it"), what);
  else
    g_set_error (error, SCOPE_VIDEO_ERROR, SCOPE_VIDEO_ERROR_FAILED, "%s: %s", what,
                 gst_error->message);
}
