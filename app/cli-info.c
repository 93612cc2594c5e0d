/* cli-info.c — vgg-scope-cli info: the table of layers
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "cli.h"

#include <stdio.h>

/* 1234567 → "1,234,567" */
static char *
format_count (int64_t value)
{
  g_autofree char *digits = g_strdup_printf ("%" G_GINT64_FORMAT, value);
  GString *out = g_string_new (NULL);
  size_t len = strlen (digits);

  for (size_t i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append_c (out, ',');
      g_string_append_c (out, digits[i]);
    }
  return g_string_free (out, FALSE);
}

int
cli_info (int    argc,
          char **argv)
{
  g_autofree char *weights = NULL;
  GOptionEntry entries[] = {
    { "weights", 'w', 0, G_OPTION_ARG_FILENAME, &weights,
      "Weight file (.pth, .safetensors, Keras .h5 or .onnx); default: the built-in model", "FILE" },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("— describe the network's layers");
  g_autoptr (GError) error = NULL;
  g_autofree char *params = NULL, *macs = NULL;
  VggModel *model;

  g_option_context_set_summary (context,
    "Prints each layer's output shape (C×H×W), parameters, multiply-accumulates at batch 1\n"
    "and receptive field (size in input pixels, jump between neighbouring units).");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return cli_usage_error (context, "%s", error->message);
  if (argc > 1)
    return cli_usage_error (context, "unexpected argument '%s'", argv[1]);

  model = cli_load_model (weights);
  if (model == NULL)
    return CLI_EXIT_FAILURE;

  cli_print_model_banner (model, stdout);
  printf ("\n%-9s %-8s %-16s %14s %16s %9s %5s\n", "layer", "kind", "output", "params", "MACs",
          "RF", "jump");
  for (int i = 0; i < vgg_model_n_layers (model); i++)
    {
      const VggLayer *layer = vgg_model_layer (model, i);
      g_autofree char *shape = g_strdup_printf ("%d×%d×%d", layer->channels_out,
                                                layer->height_out, layer->width_out);
      g_autofree char *p = format_count (layer->params);
      g_autofree char *m = format_count (layer->macs);
      g_autofree char *rf = g_strdup_printf ("%d×%d", layer->receptive_field.size,
                                             layer->receptive_field.size);

      /* "×" is two bytes in UTF-8: pad by hand so columns line up */
      printf ("%-9s %-8s %-*s %14s %16s %*s %5d\n", layer->name,
              vgg_layer_kind_name (layer->kind), 16 + 4, shape, p, m, 9 + 2, rf,
              layer->receptive_field.jump);
    }
  params = format_count (vgg_model_n_params (model));
  macs = format_count (vgg_model_n_macs (model));
  printf ("\ntotal: %s parameters, %s multiply-accumulates per image\n", params, macs);

  vgg_model_free (model);
  return CLI_EXIT_OK;
}
