/* scope-video-error.h — how reading a video fails, in words a user can act on
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GStreamer reports a missing decoder as "Your GStreamer installation is missing a plug-in"
 * and names no package; scope_video_error_package_for_caps() keeps the small table of which
 * Debian package holds the decoder or demuxer for a stream type.
 */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

#define SCOPE_VIDEO_ERROR (scope_video_error_quark ())

typedef enum
{
  SCOPE_VIDEO_ERROR_NOT_VIDEO,        /* not a video file, or one without a video stream */
  SCOPE_VIDEO_ERROR_MISSING_DECODER,  /* a decoder or demuxer is not installed */
  SCOPE_VIDEO_ERROR_TRUNCATED,        /* the stream stops before its end */
  SCOPE_VIDEO_ERROR_NO_CAMERA,        /* no camera to open */
  SCOPE_VIDEO_ERROR_PERMISSION,       /* the camera may not be used */
  SCOPE_VIDEO_ERROR_BUSY,             /* another program holds the camera */
  SCOPE_VIDEO_ERROR_FAILED,           /* anything else GStreamer reports */
} ScopeVideoError;

GQuark      scope_video_error_quark            (void);

/* The Debian package that decodes or demuxes @media_type ("video/x-h264"), or NULL when the
 * table does not know it. */
const char *scope_video_error_package_for_type (const char *media_type);

/* A missing-plugin element message (gst_is_missing_plugin_message()) in words:
 * "No decoder for H.264 video is installed; install the package gstreamer1.0-libav".
 * Free with g_free(). */
char       *scope_video_error_describe_missing (GstMessage *message);

/* Sets @error from a GStreamer error message on the bus; @missing (nullable) is the text of
 * a missing-plugin message seen before it. @what names the file or device. */
void        scope_video_error_from_message     (GError    **error,
                                                GstMessage *message,
                                                const char *missing,
                                                const char *what);

G_END_DECLS
