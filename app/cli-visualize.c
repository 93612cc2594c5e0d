/* cli-visualize.c — vgg-scope-cli visualize: the picture a channel (or a class) wants to see
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "cli.h"
#include "vgg-visualize.h"

#include <stdio.h>
#include <string.h>

typedef struct
{
  gboolean verbose;
} Progress;

static bool
on_step (int          step,
         int          n_steps,
         float        objective,
         const float *input,
         void        *user_data)
{
  Progress *progress = user_data;

  (void) input;
  if (progress->verbose && (step % 32 == 0 || step == n_steps))
    fprintf (stderr, "step %d/%d: objective %.4f\n", step, n_steps, objective);
  return true;
}

int
cli_visualize (int    argc,
               char **argv)
{
  g_autofree char *weights = NULL, *layer_name = NULL, *out = NULL, *npy_out = NULL;
  int channel = -1, class_index = -1, steps = 0, scale_out = 0;
  gint64 seed = 0;
  gboolean verbose = FALSE;
  GOptionEntry entries[] = {
    { "weights", 'w', 0, G_OPTION_ARG_FILENAME, &weights,
      "Weight file (.pth, .safetensors, Keras .h5 or .onnx); default: the built-in model", "FILE" },
    { "layer", 'l', 0, G_OPTION_ARG_STRING, &layer_name,
      "Layer of the channel (conv1_1 …, pool1 …, fc6 …); see 'info'", "NAME" },
    { "channel", 'c', 0, G_OPTION_ARG_INT, &channel, "Channel (or unit) to excite, from 0", "C" },
    { "class", 'k', 0, G_OPTION_ARG_INT, &class_index,
      "Excite this class's logit instead of a channel (no --layer needed)", "K" },
    { "steps", 0, 0, G_OPTION_ARG_INT, &steps, "Gradient ascent steps (default 256)", "N" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, "Seed of the noise and transformations "
      "(default 0): the same seed gives the same picture", "S" },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out, "Output PNG (the picture, as 8-bit RGB)",
      "FILE.png" },
    { "npy", 0, 0, G_OPTION_ARG_FILENAME, &npy_out,
      "Also write the input tensor (1, C, H, W) as .npy", "FILE.npy" },
    { "scale", 0, 0, G_OPTION_ARG_INT, &scale_out,
      "Enlarge the PNG this many times, pixels kept square (default 1)", "N" },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose, "Print the objective as it rises", NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("— grow the picture a channel "
                                                             "wants to see");
  g_autoptr (GError) error = NULL;
  g_autofree float *input = NULL;
  VggVisualizeRequest request;
  VggVisualizeResult result = { 0 };
  VggError engine_error = { 0 };
  VggImage image = { 0 };
  Progress progress = { 0 };
  VggModel *model = NULL;
  const VggConfig *config;
  const VggLayer *layer;
  VggStatus status;
  int exit_code = CLI_EXIT_FAILURE;
  int index;

  g_option_context_set_summary (context,
    "Gradient ascent on the input, from seeded noise, on the mean value of one channel before\n"
    "its ReLU (or a class's logit), with random jitter, scale and rotation and a low-pass\n"
    "filtered gradient (Olah et al., \"Feature Visualization\", Distill 2017).");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return cli_usage_error (context, "%s", error->message);
  if (argc != 1)
    return cli_usage_error (context, "visualize takes no input picture");
  if (out == NULL)
    return cli_usage_error (context, "--out FILE.png is required");
  if (!g_str_has_suffix (out, ".png") && !g_str_has_suffix (out, ".PNG"))
    return cli_usage_error (context, "--out must end in .png");
  if (npy_out != NULL && !g_str_has_suffix (npy_out, ".npy"))
    return cli_usage_error (context, "--npy must end in .npy");
  if (class_index < 0 && (layer_name == NULL || channel < 0))
    return cli_usage_error (context, "give --layer NAME and --channel C (from 0), or --class K");
  if (class_index >= 0 && channel >= 0)
    return cli_usage_error (context, "give either --channel or --class, not both");
  if (steps < 0 || steps > 100000)
    return cli_usage_error (context, "--steps must be between 1 and 100000");
  if (seed < 0)
    return cli_usage_error (context, "--seed must not be negative");
  if (scale_out < 0 || scale_out > 32)
    return cli_usage_error (context, "--scale must be between 1 and 32");

  model = cli_load_model (weights);
  if (model == NULL)
    return CLI_EXIT_FAILURE;
  if (class_index >= 0)
    {
      /* the logits: the last fully connected layer, before the softmax */
      index = vgg_model_n_classes (model) > 0 ? vgg_model_n_layers (model) - 2 : -1;
      if (index < 0)
        {
          fprintf (stderr, "vgg-scope-cli: %s has no classifier, so no class to visualize\n",
                   cli_escaped (vgg_model_name (model)));
          goto out;
        }
      if (layer_name != NULL && vgg_model_find_layer (model, layer_name) != index)
        {
          fprintf (stderr, "vgg-scope-cli: --class needs the logits layer %s, not '%s'\n",
                   vgg_model_layer (model, index)->name, cli_escaped (layer_name));
          goto out;
        }
      channel = class_index;
    }
  else
    {
      index = vgg_model_find_layer (model, layer_name);
      if (index < 0)
        {
          fprintf (stderr, "vgg-scope-cli: %s has no layer '%s' (see 'vgg-scope-cli info')\n",
                   cli_escaped (vgg_model_name (model)), cli_escaped (layer_name));
          goto out;
        }
    }
  layer = vgg_model_layer (model, index);
  config = vgg_model_config (model);
  vgg_visualize_request_init (&request, model, index, channel);
  if (steps > 0)
    request.steps = steps;
  request.seed = (uint64_t) seed;
  input = g_new (float, (gsize) config->input_channels * config->input_height
                        * config->input_width);
  progress.verbose = verbose;
  status = vgg_visualize (model, &request, input, on_step, &progress, &result, &engine_error);
  if (status != VGG_STATUS_OK)
    {
      cli_print_error (&engine_error);
      goto out;
    }
  status = vgg_input_to_image (&image, input, config->input_channels, config->input_height,
                               config->input_width, vgg_model_preset (model), &engine_error);
  if (status == VGG_STATUS_OK && scale_out > 1)
    {
      VggImage large = { config->input_width * scale_out, config->input_height * scale_out,
                         g_malloc ((gsize) config->input_width * scale_out
                                   * config->input_height * scale_out * 3) };
      for (int y = 0; y < large.height; y++)
        for (int x = 0; x < large.width; x++)
          memcpy (large.pixels + ((size_t) y * large.width + x) * 3,
                  image.pixels + ((size_t) (y / scale_out) * image.width + x / scale_out) * 3, 3);
      vgg_image_clear (&image);
      image = large;
    }
  if (status == VGG_STATUS_OK)
    status = vgg_image_save_png (&image, out, &engine_error);
  if (status == VGG_STATUS_OK && npy_out != NULL)
    {
      int64_t shape[4] = { 1, config->input_channels, config->input_height,
                           config->input_width };
      status = vgg_npy_save (npy_out, input, 4, shape, &engine_error);
    }
  if (status != VGG_STATUS_OK)
    {
      cli_print_error (&engine_error);
      goto out;
    }
  printf ("%s %s %d: objective %.4f → %.4f in %d steps (%.1f s, seed %" G_GINT64_FORMAT ") → %s\n",
          layer->name, class_index >= 0 ? "class" : "channel", channel, result.objective_start,
          result.objective, result.steps, result.seconds, seed, out);
  exit_code = CLI_EXIT_OK;

out:
  vgg_image_clear (&image);
  vgg_model_free (model);
  return exit_code;
}
