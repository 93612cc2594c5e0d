/* cli-dump.c — vgg-scope-cli dump: one layer's feature maps to PNG or .npy
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "cli.h"

#include <stdio.h>
#include <string.h>

typedef struct
{
  float  *data;    /* [C, H, W] copy of the watched layer's output */
  size_t  count;
} Capture;

static bool
capture_layer (const VggHookEvent *event,
               void               *user_data)
{
  Capture *capture = user_data;

  capture->count = event->count;
  capture->data = g_memdup2 (event->data, event->count * sizeof (float));
  return false; /* nothing after this layer is needed */
}

int
cli_dump (int    argc,
          char **argv)
{
  g_autofree char *weights = NULL, *layer_name = NULL, *out = NULL, *stage_name = NULL;
  g_autofree char *colormap_name = NULL;
  int columns = 0, scale = 0;
  gboolean per_layer = FALSE;
  GOptionEntry entries[] = {
    { "weights", 'w', 0, G_OPTION_ARG_FILENAME, &weights,
      "Weight file (.pth, .safetensors, Keras .h5 or .onnx); default: the built-in model", "FILE" },
    { "layer", 'l', 0, G_OPTION_ARG_STRING, &layer_name,
      "Layer to dump (conv1_1 … pool5, fc6 …, prob); see 'info'", "NAME" },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out,
      "Output file: .png for a colour-mapped grid, .npy for the exact float32 tensor", "FILE" },
    { "stage", 0, 0, G_OPTION_ARG_STRING, &stage_name,
      "'output' (after ReLU, the default) or 'pre' (before ReLU)", "STAGE" },
    { "columns", 0, 0, G_OPTION_ARG_INT, &columns, "Grid columns (default: near square)", "N" },
    { "scale", 0, 0, G_OPTION_ARG_INT, &scale, "Pixels per unit in the grid (default: auto)",
      "N" },
    { "per-layer", 0, 0, G_OPTION_ARG_NONE, &per_layer,
      "Normalise colours over the whole layer instead of per channel", NULL },
    { "colormap", 0, 0, G_OPTION_ARG_STRING, &colormap_name,
      "viridis (default), magma or grey", "NAME" },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("INPUT — write a layer's "
                                                             "feature maps");
  g_autoptr (GError) error = NULL;
  g_autofree float *input = NULL;
  Capture capture = { 0 };
  VggError engine_error = { 0 };
  VggModel *model = NULL;
  VggRun *run = NULL;
  VggStage stage = VGG_STAGE_OUTPUT;
  VggColormap colormap = VGG_COLORMAP_VIRIDIS;
  const VggConfig *config;
  const VggLayer *layer;
  VggStatus status;
  int exit_code = CLI_EXIT_FAILURE;
  int index;
  gboolean png;

  g_option_context_set_summary (context,
    "INPUT is an image or a preprocessed .npy tensor, as for 'classify'. The .npy output has\n"
    "shape (1, C, H, W) (or (1, C) for fully connected layers), exactly as the engine computed\n"
    "it.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return cli_usage_error (context, "%s", error->message);
  if (argc != 2)
    return cli_usage_error (context, argc < 2 ? "no input given" : "give exactly one input");
  if (layer_name == NULL)
    return cli_usage_error (context, "--layer NAME is required");
  if (out == NULL)
    return cli_usage_error (context, "--out FILE is required");
  if (g_str_has_suffix (out, ".png") || g_str_has_suffix (out, ".PNG"))
    png = TRUE;
  else if (g_str_has_suffix (out, ".npy"))
    png = FALSE;
  else
    return cli_usage_error (context, "--out must end in .png or .npy");
  if (stage_name != NULL)
    {
      if (strcmp (stage_name, "pre") == 0)
        stage = VGG_STAGE_PRE_ACTIVATION;
      else if (strcmp (stage_name, "output") != 0)
        return cli_usage_error (context, "--stage must be 'output' or 'pre'");
    }
  if (colormap_name != NULL)
    {
      if (strcmp (colormap_name, "magma") == 0)
        colormap = VGG_COLORMAP_MAGMA;
      else if (strcmp (colormap_name, "grey") == 0 || strcmp (colormap_name, "gray") == 0)
        colormap = VGG_COLORMAP_GREY;
      else if (strcmp (colormap_name, "viridis") != 0)
        return cli_usage_error (context, "unknown colour map '%s'", colormap_name);
    }
  if (columns < 0 || scale < 0 || scale > 64)
    return cli_usage_error (context, "--columns and --scale must be positive (scale ≤ 64)");

  model = cli_load_model (weights);
  if (model == NULL)
    return CLI_EXIT_FAILURE;

  index = vgg_model_find_layer (model, layer_name);
  if (index < 0)
    {
      GString *names = g_string_new (NULL);
      for (int i = 0; i < vgg_model_n_layers (model); i++)
        g_string_append_printf (names, "%s%s", i > 0 ? ", " : "", vgg_model_layer (model, i)->name);
      fprintf (stderr, "vgg-scope-cli: %s has no layer '%s' (layers: %s)\n",
               cli_escaped (vgg_model_name (model)), cli_escaped (layer_name), names->str);
      g_string_free (names, TRUE);
      goto out;
    }
  layer = vgg_model_layer (model, index);
  if (stage == VGG_STAGE_PRE_ACTIVATION && !layer->relu)
    {
      fprintf (stderr, "vgg-scope-cli: %s has no ReLU, so no 'pre' stage\n", layer->name);
      goto out;
    }

  config = vgg_model_config (model);
  input = g_new (float, (gsize) config->input_channels * config->input_height
                        * config->input_width);
  if (!cli_load_input (model, argv[1], input))
    goto out;

  if (cli_run_new (&run, model, 1, &engine_error) != VGG_STATUS_OK)
    {
      cli_print_error (&engine_error);
      goto out;
    }
  vgg_run_set_hook (run, capture_layer, &capture);
  vgg_run_watch (run, index, stage);
  status = vgg_run_forward (run, input, &engine_error);
  if (status != VGG_STATUS_STOPPED || capture.data == NULL)
    {
      cli_print_error (&engine_error);
      goto out;
    }

  if (png)
    {
      VggImage grid = { 0 };
      int tile = scale;

      /* vectors (FC, prob) are 1×1 maps: one square per unit, coloured over the whole layer */
      gboolean vector = layer->height_out == 1 && layer->width_out == 1;

      if (tile == 0)
        tile = vector ? 8 : layer->height_out >= 64 ? 1 : layer->height_out >= 16 ? 2 : 4;
      status = vgg_render_grid (&grid, capture.data, layer->channels_out, layer->height_out,
                                layer->width_out, columns, tile, per_layer || vector, colormap,
                                &engine_error);
      if (status == VGG_STATUS_OK)
        status = vgg_image_save_png (&grid, out, &engine_error);
      vgg_image_clear (&grid);
    }
  else
    {
      int64_t shape[4] = { 1, layer->channels_out, layer->height_out, layer->width_out };
      int ndim = layer->kind == VGG_LAYER_FC || layer->kind == VGG_LAYER_SOFTMAX ? 2 : 4;

      status = vgg_npy_save (out, capture.data, ndim, shape, &engine_error);
    }
  if (status != VGG_STATUS_OK)
    {
      cli_print_error (&engine_error);
      goto out;
    }
  printf ("%s: %s %s, %d×%d×%d → %s\n", argv[1], layer->name,
          stage == VGG_STAGE_PRE_ACTIVATION ? "(before ReLU)" : "output", layer->channels_out,
          layer->height_out, layer->width_out, out);
  exit_code = CLI_EXIT_OK;

out:
  g_free (capture.data);
  vgg_run_free (run);
  vgg_model_free (model);
  return exit_code;
}
