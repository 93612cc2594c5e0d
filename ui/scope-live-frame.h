/* scope-live-frame.h — one camera or video frame on its way from GStreamer to the window
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gst/gst.h>
#include <gtk/gtk.h>

#include "scope-source.h"

G_BEGIN_DECLS

typedef struct _ScopeLiveFrame ScopeLiveFrame;

/* Streaming thread: @sample's picture (RGB, for the network) and the same laid out for the
 * preview in cairo's byte order, so that the main thread converts nothing. NULL when the
 * sample has no usable picture or memory runs out. */
ScopeLiveFrame *scope_live_frame_new_from_sample (GstSample      *sample);
void            scope_live_frame_free            (ScopeLiveFrame *frame);
/* The frame's presentation time in seconds, or -1. */
double          scope_live_frame_get_time        (const ScopeLiveFrame *frame);

/* Main context: gives the frame's pixels away as a picture for the network (named @name)
 * and a texture for the preview; then @frame is only good for scope_live_frame_free(). */
void            scope_live_frame_take            (ScopeLiveFrame  *frame,
                                                  const char      *name,
                                                  ScopeSource    **source,
                                                  GdkTexture     **texture);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScopeLiveFrame, scope_live_frame_free)

G_END_DECLS
