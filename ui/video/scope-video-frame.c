/* scope-video-frame.c — one decoded video frame as an 8-bit RGB picture
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gst/video/video.h>
#include <stdlib.h>
#include <string.h>

#include "scope-video-error.h"
#include "scope-video-frame.h"

gboolean
scope_video_frame_from_sample (ScopeVideoFrame *frame,
                               GstSample       *sample,
                               GError         **error)
{
  GstBuffer *buffer = gst_sample_get_buffer (sample);
  GstCaps *caps = gst_sample_get_caps (sample);
  GstVideoInfo info;
  GstVideoFrame mapped;
  const guint8 *rows;
  gsize row_size;
  int stride;
  uint8_t *pixels;

  g_return_val_if_fail (frame != NULL, FALSE);

  if (buffer == NULL || caps == NULL || !gst_video_info_from_caps (&info, caps)
      || GST_VIDEO_INFO_FORMAT (&info) != GST_VIDEO_FORMAT_RGB)
    {
      g_set_error (error, SCOPE_VIDEO_ERROR, SCOPE_VIDEO_ERROR_FAILED,
                   "a video frame came without RGB pixels");
      return FALSE;
    }
  if (GST_VIDEO_INFO_WIDTH (&info) <= 0 || GST_VIDEO_INFO_HEIGHT (&info) <= 0
      || (gint64) GST_VIDEO_INFO_WIDTH (&info) * GST_VIDEO_INFO_HEIGHT (&info)
         > VGG_IMAGE_MAX_PIXELS)
    {
      g_set_error (error, SCOPE_VIDEO_ERROR, SCOPE_VIDEO_ERROR_FAILED,
                   "a video frame of %d × %d pixels is not supported",
                   GST_VIDEO_INFO_WIDTH (&info), GST_VIDEO_INFO_HEIGHT (&info));
      return FALSE;
    }
  if (!gst_video_frame_map (&mapped, &info, buffer, GST_MAP_READ))
    {
      g_set_error (error, SCOPE_VIDEO_ERROR, SCOPE_VIDEO_ERROR_FAILED,
                   "a video frame could not be read");
      return FALSE;
    }

  row_size = (gsize) GST_VIDEO_INFO_WIDTH (&info) * 3;
  pixels = malloc (row_size * GST_VIDEO_INFO_HEIGHT (&info));
  if (pixels == NULL)
    {
      gst_video_frame_unmap (&mapped);
      g_set_error (error, SCOPE_VIDEO_ERROR, SCOPE_VIDEO_ERROR_FAILED,
                   "not enough memory for a %d × %d frame", GST_VIDEO_INFO_WIDTH (&info),
                   GST_VIDEO_INFO_HEIGHT (&info));
      return FALSE;
    }
  /* rows are padded to a multiple of 4 bytes: the frame's own stride, never 3 × width */
  rows = GST_VIDEO_FRAME_PLANE_DATA (&mapped, 0);
  stride = GST_VIDEO_FRAME_PLANE_STRIDE (&mapped, 0);
  for (int y = 0; y < GST_VIDEO_INFO_HEIGHT (&info); y++)
    memcpy (pixels + (gsize) y * row_size, rows + (gsize) y * stride, row_size);
  gst_video_frame_unmap (&mapped);

  vgg_image_clear (&frame->image);
  frame->image.width = GST_VIDEO_INFO_WIDTH (&info);
  frame->image.height = GST_VIDEO_INFO_HEIGHT (&info);
  frame->image.pixels = pixels;
  frame->time = GST_BUFFER_PTS_IS_VALID (buffer)
                ? (double) GST_BUFFER_PTS (buffer) / GST_SECOND : -1.0;
  return TRUE;
}

void
scope_video_frame_clear (ScopeVideoFrame *frame)
{
  vgg_image_clear (&frame->image);
  frame->index = 0;
  frame->time = -1.0;
}
