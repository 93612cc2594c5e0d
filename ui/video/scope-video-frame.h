/* scope-video-frame.h — one decoded video frame as an 8-bit RGB picture
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Frames come out of an appsink whose caps are video/x-raw,format=RGB at the stream's own
 * size (videoconvert with its default settings did the YUV → RGB conversion). GStreamer pads
 * rows to 4 bytes, so the rows are copied one by one with GstVideoInfo's stride into the
 * engine's tightly packed VggImage.
 */
#pragma once

#include <gst/gst.h>

#include "vgg.h"

G_BEGIN_DECLS

typedef struct
{
  VggImage image;    /* RGB8, stride 3 × width; owned (vgg_image_clear()) */
  gint64   index;    /* 0-based among the frames decoded */
  double   time;     /* presentation time in seconds, or -1 when the buffer has none */
} ScopeVideoFrame;

/* The caps every appsink of the app and the command line asks for. */
#define SCOPE_VIDEO_FRAME_CAPS "video/x-raw,format=RGB"

/* Copies @sample's picture into @frame->image and its PTS into @frame->time (@frame->index is
 * left alone). FALSE with @error when the sample has no buffer, caps that are not RGB, or
 * no memory. */
gboolean scope_video_frame_from_sample (ScopeVideoFrame *frame,
                                        GstSample       *sample,
                                        GError         **error);

void     scope_video_frame_clear       (ScopeVideoFrame *frame);

G_END_DECLS
