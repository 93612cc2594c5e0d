/* scope-live-frame.c — one camera or video frame on its way from GStreamer to the window
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdlib.h>

#include "scope-draw.h"
#include "scope-live-frame.h"
#include "scope-video-frame.h"

struct _ScopeLiveFrame
{
  ScopeVideoFrame  video;     /* RGB, for the network */
  guint8          *display;   /* the same in cairo's layout, for the preview; or NULL */
};

/* B, G, R, A bytes: made on the streaming thread it costs the main thread nothing, where
 * GTK 4.8 would convert an RGB texture through floats on every paint. */
static guint8 *
display_pixels (const VggImage *image)
{
  gsize n = (gsize) image->width * image->height;
  guint8 *out = g_try_malloc (n * 4);

  if (out == NULL)
    return NULL;
  for (gsize i = 0; i < n; i++)
    {
      out[4 * i + 0] = image->pixels[3 * i + 2];
      out[4 * i + 1] = image->pixels[3 * i + 1];
      out[4 * i + 2] = image->pixels[3 * i + 0];
      out[4 * i + 3] = 255;
    }
  return out;
}

ScopeLiveFrame *
scope_live_frame_new_from_sample (GstSample *sample)
{
  ScopeLiveFrame *frame = g_new0 (ScopeLiveFrame, 1);

  if (!scope_video_frame_from_sample (&frame->video, sample, NULL))
    {
      scope_live_frame_free (frame);
      return NULL;
    }
  frame->display = display_pixels (&frame->video.image);
  return frame;
}

void
scope_live_frame_free (ScopeLiveFrame *frame)
{
  if (frame == NULL)
    return;
  scope_video_frame_clear (&frame->video);
  g_free (frame->display);
  g_free (frame);
}

double
scope_live_frame_get_time (const ScopeLiveFrame *frame)
{
  return frame->video.time;
}

void
scope_live_frame_take (ScopeLiveFrame  *frame,
                       const char      *name,
                       ScopeSource    **source,
                       GdkTexture     **texture)
{
  int width = frame->video.image.width, height = frame->video.image.height;
  gsize size = (gsize) width * height * 3;
  g_autoptr(GBytes) pixels = NULL;

  pixels = g_bytes_new_with_free_func (frame->video.image.pixels, size, free,
                                       frame->video.image.pixels);
  frame->video.image.pixels = NULL;
  if (frame->display != NULL)
    {
      g_autoptr(GBytes) display = g_bytes_new_take (g_steal_pointer (&frame->display),
                                                    (gsize) width * height * 4);

      *texture = scope_draw_texture_new_bgra (width, height, display);
    }
  else
    *texture = gdk_memory_texture_new (width, height, GDK_MEMORY_R8G8B8, pixels,
                                       (gsize) width * 3);
  *source = scope_source_new_for_rgb (pixels, width, height, name);
}
