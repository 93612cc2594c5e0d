/* scope-live-source.h — frames from a camera, a test camera or a video file, newest first
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A GStreamer pipeline ends in videoconvert (default settings) and an appsink asking for RGB
 * at the stream's own size, holding one buffer and dropping older ones: the newest frame
 * wins. Each frame is copied row by row (ui/video/scope-video-frame.c) on the streaming
 * thread and handed to the main context through one idle source; a frame that arrives while
 * the previous one waits there replaces it. "frame" is emitted on the main context.
 *
 * Files play in real time, muted (audio is never decoded), optionally looped, and can be
 * paused, stepped one frame either way and scrubbed. A camera is closed while paused, so its
 * light goes off; the last frame stays. "failed" (a GError) says what went wrong.
 */
#pragma once

#include <gst/gst.h>
#include <gtk/gtk.h>

#include "scope-enums.h"
#include "scope-source.h"

G_BEGIN_DECLS

#define SCOPE_TYPE_LIVE_SOURCE (scope_live_source_get_type ())

G_DECLARE_FINAL_TYPE (ScopeLiveSource, scope_live_source, SCOPE, LIVE_SOURCE, GObject)

ScopeLiveSource *scope_live_source_new               (void);

/* @description: a GStreamer pipeline description that ends in raw video (the test camera);
 * @name is shown as the frames' name. FALSE with @error when it does not parse. */
gboolean         scope_live_source_open_description  (ScopeLiveSource *self,
                                                      const char      *description,
                                                      const char      *name,
                                                      GError         **error);
/* A camera the device monitor found. */
gboolean         scope_live_source_open_device       (ScopeLiveSource *self,
                                                      GstDevice       *device,
                                                      GError         **error);
/* A PipeWire remote for the camera portal's cameras (libportal's fd). */
gboolean         scope_live_source_open_pipewire_fd  (ScopeLiveSource *self,
                                                      int              fd,
                                                      GError         **error);
/* A video file: WebM, Matroska, MP4… */
gboolean         scope_live_source_open_file         (ScopeLiveSource *self,
                                                      GFile           *file,
                                                      GError         **error);

void             scope_live_source_play              (ScopeLiveSource *self);
void             scope_live_source_pause             (ScopeLiveSource *self);
/* Closes the source; the state becomes stopped. */
void             scope_live_source_stop              (ScopeLiveSource *self);
/* Files, while paused: one frame forward (@direction > 0) or back. */
void             scope_live_source_step              (ScopeLiveSource *self,
                                                      int              direction);
/* Files: shows the frame at @seconds. */
void             scope_live_source_seek              (ScopeLiveSource *self,
                                                      double           seconds);

ScopeLiveState   scope_live_source_get_state         (ScopeLiveSource *self);
/* TRUE for a file (seekable, steppable). */
gboolean         scope_live_source_get_is_file       (ScopeLiveSource *self);
const char      *scope_live_source_get_name          (ScopeLiveSource *self);
/* Seconds; 0 when unknown or live. */
double           scope_live_source_get_duration      (ScopeLiveSource *self);
/* The time of the last frame delivered, in seconds. */
double           scope_live_source_get_position      (ScopeLiveSource *self);
void             scope_live_source_set_loop          (ScopeLiveSource *self,
                                                      gboolean         loop);
gboolean         scope_live_source_get_loop          (ScopeLiveSource *self);
/* Frames delivered on the main context, and frames that arrived from GStreamer (the
 * difference was replaced by newer ones before the main loop took them). */
guint64          scope_live_source_get_n_delivered   (ScopeLiveSource *self);
guint64          scope_live_source_get_n_arrived     (ScopeLiveSource *self);

G_END_DECLS
