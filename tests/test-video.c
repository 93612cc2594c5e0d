/* test-video.c — the video library (ui/video/): frames copied by stride, the package table
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gst/pbutils/pbutils.h>
#include <gst/video/video.h>
#include <string.h>

#include "scope-video-error.h"
#include "scope-video-frame.h"

/* A 5 × 3 RGB frame: GStreamer pads each 15-byte row to 16; the copy must be packed. */
static void
test_frame_stride (void)
{
  GstVideoInfo info;
  g_autoptr(GstCaps) caps = NULL;
  g_autoptr(GstBuffer) buffer = NULL;
  g_autoptr(GstSample) sample = NULL;
  g_autoptr(GError) error = NULL;
  ScopeVideoFrame frame = { .time = -1.0 };
  GstMapInfo map;
  int stride;

  gst_video_info_set_format (&info, GST_VIDEO_FORMAT_RGB, 5, 3);
  stride = GST_VIDEO_INFO_PLANE_STRIDE (&info, 0);
  g_assert_cmpint (stride, ==, 16);
  buffer = gst_buffer_new_allocate (NULL, GST_VIDEO_INFO_SIZE (&info), NULL);
  g_assert_true (gst_buffer_map (buffer, &map, GST_MAP_WRITE));
  memset (map.data, 0xee, map.size);   /* the padding: must never reach the picture */
  for (int y = 0; y < 3; y++)
    for (int x = 0; x < 15; x++)
      map.data[y * stride + x] = (guint8) (16 * y + x);
  gst_buffer_unmap (buffer, &map);
  GST_BUFFER_PTS (buffer) = 3 * GST_SECOND / 2;
  caps = gst_video_info_to_caps (&info);
  sample = gst_sample_new (buffer, caps, NULL, NULL);

  g_assert_true (scope_video_frame_from_sample (&frame, sample, &error));
  g_assert_no_error (error);
  g_assert_cmpint (frame.image.width, ==, 5);
  g_assert_cmpint (frame.image.height, ==, 3);
  g_assert_cmpfloat (frame.time, ==, 1.5);
  for (int y = 0; y < 3; y++)
    for (int x = 0; x < 15; x++)
      g_assert_cmpint (frame.image.pixels[y * 15 + x], ==, 16 * y + x);
  scope_video_frame_clear (&frame);
}

/* Anything but RGB is refused, not misread. */
static void
test_frame_wrong_format (void)
{
  GstVideoInfo info;
  g_autoptr(GstCaps) caps = NULL;
  g_autoptr(GstBuffer) buffer = NULL;
  g_autoptr(GstSample) sample = NULL;
  g_autoptr(GError) error = NULL;
  ScopeVideoFrame frame = { .time = -1.0 };

  gst_video_info_set_format (&info, GST_VIDEO_FORMAT_I420, 4, 4);
  buffer = gst_buffer_new_allocate (NULL, GST_VIDEO_INFO_SIZE (&info), NULL);
  caps = gst_video_info_to_caps (&info);
  sample = gst_sample_new (buffer, caps, NULL, NULL);
  g_assert_false (scope_video_frame_from_sample (&frame, sample, &error));
  g_assert_error (error, SCOPE_VIDEO_ERROR, SCOPE_VIDEO_ERROR_FAILED);
  g_assert_null (frame.image.pixels);
}

static void
test_package_table (void)
{
  g_assert_cmpstr (scope_video_error_package_for_type ("video/x-h264"), ==,
                   "gstreamer1.0-libav");
  g_assert_cmpstr (scope_video_error_package_for_type ("video/x-vp8"), ==,
                   "gstreamer1.0-plugins-good");
  g_assert_cmpstr (scope_video_error_package_for_type ("video/x-matroska"), ==,
                   "gstreamer1.0-plugins-good");
  g_assert_cmpstr (scope_video_error_package_for_type ("video/quicktime"), ==,
                   "gstreamer1.0-plugins-good");
  g_assert_null (scope_video_error_package_for_type ("video/x-no-such-codec"));
}

/* A missing-plugin message for H.264, as decodebin posts it, in words naming the package. */
static void
test_describe_missing (void)
{
  g_autoptr(GstCaps) caps = gst_caps_from_string ("video/x-h264, profile=(string)high");
  GstElement *element = gst_element_factory_make ("fakesink", NULL);
  GstMessage *message;
  g_autofree char *text = NULL;

  g_assert_nonnull (element);
  message = gst_missing_decoder_message_new (element, caps);
  text = scope_video_error_describe_missing (message);
  g_assert_nonnull (strstr (text, "H.264"));
  g_assert_nonnull (strstr (text, "install the package gstreamer1.0-libav"));
  gst_message_unref (message);
  gst_object_unref (gst_object_ref_sink (element));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  gst_init (NULL, NULL);

  g_test_add_func ("/video/frame-stride", test_frame_stride);
  g_test_add_func ("/video/frame-wrong-format", test_frame_wrong_format);
  g_test_add_func ("/video/package-table", test_package_table);
  g_test_add_func ("/video/describe-missing", test_describe_missing);
  return g_test_run ();
}
