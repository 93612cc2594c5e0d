/* cli-classify.c — vgg-scope-cli classify: top-k classes of images, tensors or video frames
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "cli.h"
#include "scope-video-reader.h"

#include <json-glib/json-glib.h>
#include <stdio.h>

static void
add_model_json (JsonBuilder    *builder,
                const VggModel *model)
{
  json_builder_set_member_name (builder, "model");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, vgg_model_name (model));
  json_builder_set_member_name (builder, "source");
  json_builder_add_string_value (builder, vgg_source_name (vgg_model_source (model)));
  json_builder_set_member_name (builder, "preset");
  json_builder_add_string_value (builder, vgg_preset_name (vgg_model_preset (model)));
  json_builder_set_member_name (builder, "classes");
  json_builder_add_int_value (builder, vgg_model_n_classes (model));
  json_builder_set_member_name (builder, "trained");
  json_builder_add_boolean_value (builder, vgg_model_is_trained (model));
  json_builder_end_object (builder);
}

/* @frame: the frame's index among those decoded, or -1 for a picture; @time its PTS. */
static void
add_result_json (JsonBuilder    *builder,
                 const VggModel *model,
                 const VggRun   *run,
                 const char     *path,
                 gint64          frame,
                 double          time,
                 int             k)
{
  g_autofree int *classes = g_new (int, k);
  g_autofree float *probs = g_new (float, k);
  const float *logits = vgg_run_logits (run);
  int found = vgg_run_top_k (run, 0, k, classes, probs);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "input");
  json_builder_add_string_value (builder, path);
  if (frame >= 0)
    {
      json_builder_set_member_name (builder, "frame");
      json_builder_add_int_value (builder, frame);
      json_builder_set_member_name (builder, "time");
      if (time >= 0.0)
        json_builder_add_double_value (builder, time);
      else
        json_builder_add_null_value (builder);
    }
  json_builder_set_member_name (builder, "top");
  json_builder_begin_array (builder);
  for (int i = 0; i < found; i++)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "index");
      json_builder_add_int_value (builder, classes[i]);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, vgg_model_class_name (model, classes[i]));
      json_builder_set_member_name (builder, "probability");
      json_builder_add_double_value (builder, probs[i]);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "logits");
  json_builder_begin_array (builder);
  for (int i = 0; i < vgg_model_n_classes (model); i++)
    json_builder_add_double_value (builder, logits[i]);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
}

static void
print_result_text (const VggModel *model,
                   const VggRun   *run,
                   const char     *path,
                   int             k)
{
  g_autofree int *classes = g_new (int, k);
  g_autofree float *probs = g_new (float, k);
  int found = vgg_run_top_k (run, 0, k, classes, probs);

  printf ("%s\n", cli_escaped (path));
  for (int i = 0; i < found; i++)
    printf ("  %2d. %6.2f%%  %s (%d)\n", i + 1, 100.0 * probs[i],
            cli_escaped (vgg_model_class_name (model, classes[i])), classes[i]);
}

/* One line per frame: its number, its time and the top K. */
static void
print_frame_text (const VggModel        *model,
                  const VggRun          *run,
                  const ScopeVideoFrame *frame,
                  int                    k)
{
  g_autofree int *classes = g_new (int, k);
  g_autofree float *probs = g_new (float, k);
  int found = vgg_run_top_k (run, 0, k, classes, probs);

  printf ("frame %" G_GINT64_FORMAT " %9.3f s ", frame->index, frame->time);
  for (int i = 0; i < found; i++)
    printf (" %s%.2f%% %s (%d)", i > 0 ? "| " : "", 100.0 * probs[i],
            cli_escaped (vgg_model_class_name (model, classes[i])), classes[i]);
  printf ("\n");
}

/* Every decoded frame of @path whose index is a multiple of @every, classified in order (the
 * decoder waits for the network: nothing is dropped). Frames classified before a failure are
 * printed; the failure follows on standard error. */
static int
classify_video (const VggModel *model,
                VggRun         *run,
                float          *input,
                const char     *path,
                int             every,
                int             k,
                JsonBuilder    *builder)
{
  g_autoptr(ScopeVideoReader) reader = NULL;
  g_autoptr(GError) error = NULL;
  ScopeVideoFrame frame = { .time = -1.0 };
  VggError run_error = { 0 };
  gboolean failed = FALSE;

  reader = scope_video_reader_new (path, &error);
  if (reader == NULL)
    {
      fprintf (stderr, "vgg-scope-cli: %s\n", cli_escaped (error->message));
      return CLI_EXIT_FAILURE;
    }
  while (scope_video_reader_next (reader, &frame, &error))
    {
      if (frame.index % every != 0)
        continue;
      if (vgg_model_preprocess (model, input, &frame.image, NULL, &run_error) != VGG_STATUS_OK
          || vgg_run_forward (run, input, &run_error) != VGG_STATUS_OK)
        {
          fprintf (stderr, "vgg-scope-cli: %s: frame %" G_GINT64_FORMAT ": %s\n",
                   cli_escaped (path), frame.index, cli_escaped (run_error.message));
          failed = TRUE;
          break;
        }
      if (builder != NULL)
        add_result_json (builder, model, run, path, frame.index, frame.time, k);
      else
        print_frame_text (model, run, &frame, k);
    }
  scope_video_frame_clear (&frame);
  if (error != NULL)
    {
      /* stdout first: the frames decoded so far, then what stopped the rest */
      fflush (stdout);
      fprintf (stderr, "vgg-scope-cli: %s\n", cli_escaped (error->message));
      return CLI_EXIT_FAILURE;
    }
  return failed ? CLI_EXIT_FAILURE : CLI_EXIT_OK;
}

int
cli_classify (int    argc,
              char **argv)
{
  g_autofree char *weights = NULL;
  g_autofree char *video = NULL;
  g_auto (GStrv) inputs = NULL;
  int top_k = 5;
  int every = -1;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "weights", 'w', 0, G_OPTION_ARG_FILENAME, &weights,
      "Weight file (.pth, .safetensors, Keras .h5 or .onnx); default: the built-in model", "FILE" },
    { "top", 'k', 0, G_OPTION_ARG_INT, &top_k, "How many classes to print (default 5)", "K" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      "Print JSON: the model, and per input (or frame) the top K and all logits", NULL },
    { "video", 0, 0, G_OPTION_ARG_FILENAME, &video,
      "Classify every frame of a video file (WebM, Matroska, MP4…) instead of pictures",
      "FILE" },
    { "every", 0, 0, G_OPTION_ARG_INT, &every,
      "With --video: classify frames 0, N, 2N, … only (default 1: every frame)", "N" },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &inputs, NULL, "INPUT…" },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("— classify images");
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonBuilder) builder = NULL;
  g_autofree float *input = NULL;
  VggModel *model;
  VggRun *run = NULL;
  VggError run_error = { 0 };
  int exit_code = CLI_EXIT_OK;
  const VggConfig *config;

  g_option_context_set_summary (context,
    "Each INPUT is a JPEG, PNG, WebP, GIF, BMP or TIFF image (preprocessed as the model\n"
    "expects) or a .npy float32 tensor of shape (1,C,H,W) or (C,H,W) that is already\n"
    "preprocessed.\n"
    "\n"
    "With --video FILE, every decoded frame (or every N-th) is converted to RGB by\n"
    "GStreamer's videoconvert at the video's own size and preprocessed like a picture;\n"
    "each gets one line (or one JSON entry with \"frame\", its 0-based index among the\n"
    "decoded frames, and \"time\", its presentation time in seconds).");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return cli_usage_error (context, "%s", error->message);
  if (video != NULL && inputs != NULL && inputs[0] != NULL)
    return cli_usage_error (context, "give either --video FILE or pictures, not both");
  if (video == NULL && (inputs == NULL || inputs[0] == NULL))
    return cli_usage_error (context, "no input given");
  if (every != -1 && video == NULL)
    return cli_usage_error (context, "--every needs --video");
  if (every == -1)
    every = 1;
  if (every < 1)
    return cli_usage_error (context, "--every must be at least 1");
  if (top_k < 1)
    return cli_usage_error (context, "--top must be at least 1");

  model = cli_load_model (weights);
  if (model == NULL)
    return CLI_EXIT_FAILURE;
  if (vgg_model_n_classes (model) == 0)
    {
      fprintf (stderr, "vgg-scope-cli: %s has no classifier (feature maps only); use dump\n",
               cli_escaped (vgg_model_name (model)));
      vgg_model_free (model);
      return CLI_EXIT_FAILURE;
    }
  if (top_k > vgg_model_n_classes (model))
    top_k = vgg_model_n_classes (model);

  config = vgg_model_config (model);
  input = g_new (float, (gsize) config->input_channels * config->input_height
                        * config->input_width);
  if (cli_run_new (&run, model, 1, &run_error) != VGG_STATUS_OK)
    {
      cli_print_error (&run_error);
      vgg_model_free (model);
      return CLI_EXIT_FAILURE;
    }

  if (json)
    {
      builder = json_builder_new ();
      json_builder_begin_object (builder);
      add_model_json (builder, model);
      json_builder_set_member_name (builder, "results");
      json_builder_begin_array (builder);
    }
  else
    cli_print_model_banner (model, stdout);

  if (video != NULL)
    exit_code = classify_video (model, run, input, video, every, top_k, builder);

  for (int i = 0; video == NULL && inputs[i] != NULL; i++)
    {
      if (!cli_load_input (model, inputs[i], input))
        {
          exit_code = CLI_EXIT_FAILURE;
          continue;
        }
      if (vgg_run_forward (run, input, &run_error) != VGG_STATUS_OK)
        {
          fprintf (stderr, "vgg-scope-cli: %s: %s\n", cli_escaped (inputs[i]),
                   cli_escaped (run_error.message));
          exit_code = CLI_EXIT_FAILURE;
          continue;
        }
      if (json)
        add_result_json (builder, model, run, inputs[i], -1, 0.0, top_k);
      else
        print_result_text (model, run, inputs[i], top_k);
    }

  if (json)
    {
      g_autoptr (JsonGenerator) generator = json_generator_new ();
      g_autoptr (JsonNode) root = NULL;
      g_autofree char *text = NULL, *safe = NULL;

      json_builder_end_array (builder);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      json_generator_set_root (generator, root);
      json_generator_set_pretty (generator, TRUE);
      text = json_generator_to_data (generator, NULL);
      safe = cli_escape (text, CLI_ESCAPE_JSON);
      printf ("%s\n", safe);
    }

  vgg_run_free (run);
  vgg_model_free (model);
  return exit_code;
}
