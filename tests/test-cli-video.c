/* test-cli-video.c — vgg-scope-cli classify --video against frames GStreamer wrote as PNG
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The videos come from tools/make-test-videos, made once per run in a temporary folder. The
 * reference for every frame is an independent path through GStreamer: decodebin → videoconvert
 * → RGB → pngenc, one PNG per frame, classified as pictures; the logits must be identical.
 */
#include "config.h"

#include "test-util.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <sys/wait.h>

static char *videos;   /* the folder tools/make-test-videos filled */

typedef struct
{
  char *out;
  char *err;
  int   status;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

/* Runs @argv (NULL-terminated) with @envp (NULL: ours); asserts it exited, not crashed. */
static Run
run_argv (const char * const *argv,
          char              **envp)
{
  g_autoptr(GError) error = NULL;
  Run run = { 0 };
  int wait_status;

  if (!g_spawn_sync (NULL, (char **) argv, envp, G_SPAWN_SEARCH_PATH, NULL, NULL, &run.out,
                     &run.err, &wait_status, &error))
    g_error ("cannot run %s: %s", argv[0], error->message);
  g_assert_true (WIFEXITED (wait_status));
  run.status = WEXITSTATUS (wait_status);
  return run;
}

static char *
video_path (const char *name)
{
  return g_build_filename (videos, name, NULL);
}

static char *
weights_path (void)
{
  return test_fixture_path ("reference", "narrow-vgg11-bn.safetensors", NULL);
}

/* multifilesink's name for frame @index in @dir */
static char *
frame_png (const char *dir,
           int         index)
{
  g_autofree char *name = g_strdup_printf ("frame-%05d.png", index);

  return g_build_filename (dir, name, NULL);
}

static JsonArray *
parse_results (JsonParser *parser,
               const char *text)
{
  g_autoptr(GError) error = NULL;

  if (!json_parser_load_from_data (parser, text, -1, &error))
    g_error ("the CLI's JSON does not parse: %s\n%s", error->message, text);
  return json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                       "results");
}

/* Every frame of @name through the CLI and through PNG files: identical logits. */
static void
check_frames_equal_pngs (const char *name,
                         const char *weights,
                         int         expected_frames)
{
  g_autofree char *video = video_path (name);
  g_autofree char *dir = g_dir_make_tmp ("vgg-scope-frames-XXXXXX", NULL);
  g_autofree char *location = g_build_filename (dir, "frame-%05d.png", NULL);
  g_autofree char *src = g_strdup_printf ("location=%s", video);
  g_autofree char *sink = g_strdup_printf ("location=%s", location);
  const char *extract[] = { "gst-launch-1.0", "-q", "filesrc", src, "!", "decodebin", "!",
                            "videoconvert", "!", "video/x-raw,format=RGB", "!", "pngenc", "!",
                            "multifilesink", sink, NULL };
  g_autoptr(GPtrArray) classify = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JsonParser) video_parser = json_parser_new ();
  g_autoptr(JsonParser) png_parser = json_parser_new ();
  JsonArray *video_results, *png_results;
  Run r;

  r = run_argv (extract, NULL);
  g_assert_cmpint (r.status, ==, 0);
  run_clear (&r);

  g_ptr_array_add (classify, g_strdup (g_getenv ("VGG_SCOPE_CLI")));
  g_ptr_array_add (classify, g_strdup ("classify"));
  g_ptr_array_add (classify, g_strdup ("--json"));
  g_ptr_array_add (classify, g_strdup ("-k"));
  g_ptr_array_add (classify, g_strdup ("3"));
  if (weights != NULL)
    {
      g_ptr_array_add (classify, g_strdup ("--weights"));
      g_ptr_array_add (classify, g_strdup (weights));
    }
  for (int i = 0; i < expected_frames; i++)
    g_ptr_array_add (classify, frame_png (dir, i));
  g_ptr_array_add (classify, NULL);
  r = run_argv ((const char * const *) classify->pdata, NULL);
  g_assert_cmpstr (r.err, ==, "");
  g_assert_cmpint (r.status, ==, 0);
  png_results = parse_results (png_parser, r.out);
  g_free (g_steal_pointer (&r.out));
  run_clear (&r);

  {
    const char *argv[] = { g_getenv ("VGG_SCOPE_CLI"), "classify", "--json", "-k", "3",
                           "--video", video, weights != NULL ? "--weights" : NULL, weights,
                           NULL };
    r = run_argv (argv, NULL);
  }
  g_assert_cmpstr (r.err, ==, "");
  g_assert_cmpint (r.status, ==, 0);
  video_results = parse_results (video_parser, r.out);
  run_clear (&r);

  g_assert_cmpuint (json_array_get_length (video_results), ==, expected_frames);
  g_assert_cmpuint (json_array_get_length (png_results), ==, expected_frames);
  /* GStreamer wrote exactly that many PNGs: the CLI decoded every frame, no more */
  {
    g_autofree char *extra = frame_png (dir, expected_frames);
    g_assert_false (g_file_test (extra, G_FILE_TEST_EXISTS));
  }
  for (int i = 0; i < expected_frames; i++)
    {
      JsonObject *from_video = json_array_get_object_element (video_results, i);
      JsonObject *from_png = json_array_get_object_element (png_results, i);
      JsonArray *video_logits = json_object_get_array_member (from_video, "logits");
      JsonArray *png_logits = json_object_get_array_member (from_png, "logits");

      g_assert_cmpint (json_object_get_int_member (from_video, "frame"), ==, i);
      g_assert_true (json_object_has_member (from_video, "time"));
      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (from_video, "top")),
                        ==, 3);
      g_assert_cmpuint (json_array_get_length (video_logits), >, 0);
      g_assert_cmpuint (json_array_get_length (video_logits), ==,
                        json_array_get_length (png_logits));
      for (guint c = 0; c < json_array_get_length (video_logits); c++)
        g_assert_cmpfloat (json_array_get_double_element (video_logits, c), ==,
                           json_array_get_double_element (png_logits, c));
    }
  test_remove_tree (dir);
}

static void
test_webm_rgb_model (void)
{
  g_autofree char *weights = weights_path ();

  check_frames_equal_pngs ("smpte.webm", weights, 12);
}

static void
test_odd_width (void)
{
  g_autofree char *weights = weights_path ();

  /* 75 pixels: 225-byte rows, padded to 228 in GStreamer's buffers */
  check_frames_equal_pngs ("odd.webm", weights, 8);
  check_frames_equal_pngs ("odd.webm", NULL, 8);
}

static void
test_mp4 (void)
{
  g_autofree char *mp4 = video_path ("ball.mp4");
  g_autofree char *weights = weights_path ();

  if (!g_file_test (mp4, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("x264enc (gstreamer1.0-plugins-ugly) is not installed: no MP4 to test");
      return;
    }
  check_frames_equal_pngs ("ball.mp4", weights, 10);
}

/* --every 5 on 12 frames: 0, 5 and 10, each with the time of its own frame. */
static void
test_every (void)
{
  g_autofree char *video = video_path ("smpte.webm");
  const char *argv[] = { g_getenv ("VGG_SCOPE_CLI"), "classify", "--json", "--every", "5",
                         "--video", video, NULL };
  g_autoptr(JsonParser) parser = json_parser_new ();
  Run r = run_argv (argv, NULL);
  JsonArray *results;

  g_assert_cmpint (r.status, ==, 0);
  results = parse_results (parser, r.out);
  g_assert_cmpuint (json_array_get_length (results), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      JsonObject *entry = json_array_get_object_element (results, i);

      g_assert_cmpint (json_object_get_int_member (entry, "frame"), ==, 5 * i);
      /* 10 frames per second from 0 */
      g_assert_cmpfloat_with_epsilon (json_object_get_double_member (entry, "time"),
                                      0.5 * i, 1e-6);
    }
  run_clear (&r);

  /* the text form: one line per frame, with its number */
  {
    const char *text_argv[] = { g_getenv ("VGG_SCOPE_CLI"), "classify", "-k", "2", "--every",
                                "4", "--video", video, NULL };
    g_auto(GStrv) lines = NULL;
    int frames = 0;

    r = run_argv (text_argv, NULL);
    g_assert_cmpint (r.status, ==, 0);
    lines = g_strsplit (r.out, "\n", -1);
    for (int i = 0; lines[i] != NULL; i++)
      if (g_str_has_prefix (lines[i], "frame "))
        {
          g_autofree char *start = g_strdup_printf ("frame %d ", 4 * frames);
          g_assert_true (g_str_has_prefix (lines[i], start));
          frames++;
        }
    g_assert_cmpint (frames, ==, 3);
    run_clear (&r);
  }
}

static void
test_truncated (void)
{
  g_autofree char *video = video_path ("truncated.webm");
  const char *argv[] = { g_getenv ("VGG_SCOPE_CLI"), "classify", "--json", "--video", video,
                         NULL };
  g_autoptr(JsonParser) parser = json_parser_new ();
  Run r = run_argv (argv, NULL);
  JsonArray *results;

  /* what was decoded is printed (a valid document), then the message, exit status 1 */
  g_assert_cmpint (r.status, ==, 1);
  results = parse_results (parser, r.out);
  g_assert_cmpuint (json_array_get_length (results), >, 5);
  g_assert_cmpuint (json_array_get_length (results), <, 40);
  g_assert_nonnull (strstr (r.err, "truncated.webm"));
  g_assert_nonnull (strstr (r.err, "cut off"));
  run_clear (&r);
}

static void
test_not_a_video (void)
{
  g_autofree char *text = video_path ("text.webm");
  g_autofree char *missing = video_path ("no-such-file.webm");
  g_autofree char *picture = test_fixture_path ("images", "exif-1.jpg", NULL);
  const char *argv[] = { g_getenv ("VGG_SCOPE_CLI"), "classify", "--video", text, NULL };
  Run r = run_argv (argv, NULL);

  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "text.webm: not a video file"));
  g_assert_null (strstr (r.out, "frame "));
  run_clear (&r);

  argv[3] = missing;
  r = run_argv (argv, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "no such file"));
  run_clear (&r);

  argv[3] = videos;   /* a folder */
  r = run_argv (argv, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "not a regular file"));
  run_clear (&r);

  /* a still picture: GStreamer decodes a JPEG as one frame; anything is fine but a crash or a
   * hang, and the answer must be the same as for the picture itself */
  argv[3] = picture;
  r = run_argv (argv, NULL);
  g_assert_cmpint (r.status, <=, 1);
  run_clear (&r);

  {
    const char *both[] = { g_getenv ("VGG_SCOPE_CLI"), "classify", "--video", text, picture,
                           NULL };
    const char *every[] = { g_getenv ("VGG_SCOPE_CLI"), "classify", "--every", "0", "--video",
                            text, NULL };
    const char *lonely[] = { g_getenv ("VGG_SCOPE_CLI"), "classify", "--every", "2", picture,
                             NULL };

    r = run_argv (both, NULL);
    g_assert_cmpint (r.status, ==, 2);
    run_clear (&r);
    r = run_argv (every, NULL);
    g_assert_cmpint (r.status, ==, 2);
    run_clear (&r);
    r = run_argv (lonely, NULL);
    g_assert_cmpint (r.status, ==, 2);
    run_clear (&r);
  }
}

/* GStreamer's decodebin does not pick a decoder whose rank is 0 ("none"): with the H.264
 * decoder ranked so, the MP4 meets exactly the path a machine without gstreamer1.0-libav
 * takes (a missing-plugin message, then "missing a plug-in"). */
static void
test_missing_decoder (void)
{
  g_autofree char *mp4 = video_path ("ball.mp4");
  const char *argv[] = { g_getenv ("VGG_SCOPE_CLI"), "classify", "--video", mp4, NULL };
  g_auto(GStrv) envp = g_get_environ ();
  Run r;

  if (!g_file_test (mp4, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("x264enc (gstreamer1.0-plugins-ugly) is not installed: no MP4 to test");
      return;
    }
  envp = g_environ_setenv (envp, "GST_PLUGIN_FEATURE_RANK",
                           "avdec_h264:0,openh264dec:0,v4l2h264dec:0,vah264dec:0,vaapih264dec:0",
                           TRUE);
  r = run_argv (argv, envp);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "H.264"));
  g_assert_nonnull (strstr (r.err, "install the package gstreamer1.0-libav"));
  run_clear (&r);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *script = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  videos = g_dir_make_tmp ("vgg-scope-videos-XXXXXX", NULL);
  script = g_build_filename (g_test_get_dir (G_TEST_DIST), "..", "tools", "make-test-videos",
                             NULL);
  {
    const char *make[] = { script, videos, NULL };
    Run r = run_argv (make, NULL);

    if (r.status != 0)
      g_error ("tools/make-test-videos failed: %s", r.err);
    run_clear (&r);
  }

  g_test_add_func ("/cli-video/webm-rgb-model", test_webm_rgb_model);
  g_test_add_func ("/cli-video/odd-width", test_odd_width);
  g_test_add_func ("/cli-video/mp4", test_mp4);
  g_test_add_func ("/cli-video/every", test_every);
  g_test_add_func ("/cli-video/truncated", test_truncated);
  g_test_add_func ("/cli-video/not-a-video", test_not_a_video);
  g_test_add_func ("/cli-video/missing-decoder", test_missing_decoder);
  status = g_test_run ();
  test_remove_tree (videos);
  g_free (videos);
  return status;
}
