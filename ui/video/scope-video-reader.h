/* scope-video-reader.h — every frame of a video file, in order, as RGB pictures
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For the command line: uridecodebin → videoconvert (default settings) → an appsink that
 * asks for RGB at the stream's own size, never drops and never waits for the clock, so the
 * file decodes exactly as fast as the caller takes frames. No GTK, no main loop: the bus is
 * polled between frames. Audio streams are not decoded.
 */
#pragma once

#include <glib-object.h>

#include "scope-video-frame.h"

G_BEGIN_DECLS

#define SCOPE_TYPE_VIDEO_READER (scope_video_reader_get_type ())

G_DECLARE_FINAL_TYPE (ScopeVideoReader, scope_video_reader, SCOPE, VIDEO_READER, GObject)

/* Calls gst_init() if nobody did. Starts decoding @path; fails when it is not a regular
 * file. */
ScopeVideoReader *scope_video_reader_new  (const char        *path,
                                           GError           **error);

/* The next frame into @frame (its image replaced). TRUE with a frame; FALSE with @error unset
 * at the end of the stream; FALSE with @error set when decoding failed (SCOPE_VIDEO_ERROR:
 * not a video, a missing decoder, a truncated file…). After a failure or the end, FALSE
 * again. */
gboolean          scope_video_reader_next (ScopeVideoReader  *self,
                                           ScopeVideoFrame   *frame,
                                           GError           **error);

G_END_DECLS
