/* cli-info.c — vgg-scope-cli info: the table of layers, or the network as PyTorch or Keras code
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "cli.h"
#include "vgg-code.h"

#include <stdio.h>
#include <stdlib.h>

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

/* --as: the script on stdout; --save-weights: the weights under its keys */
static int
print_code (const VggModel  *model,
            VggCodeLanguage  language,
            const char      *weights,
            const char      *save_weights)
{
  g_autofree char *weights_name = weights != NULL ? g_filename_display_name (weights) : NULL;
  VggError error = { 0 };
  char *text = NULL;

  if (vgg_model_write_code (model, language, weights_name, &text, &error) != VGG_STATUS_OK)
    {
      cli_print_error (&error);
      return CLI_EXIT_FAILURE;
    }
  if (save_weights != NULL
      && vgg_model_save_torchvision_weights (model, save_weights, &error) != VGG_STATUS_OK)
    {
      free (text);
      cli_print_error (&error);
      return CLI_EXIT_FAILURE;
    }
  fputs (text, stdout);
  free (text);
  if (save_weights != NULL)
    fprintf (stderr, "vgg-scope-cli: wrote the weights under the script's keys to %s\n",
             cli_escaped (save_weights));
  return fflush (stdout) == 0 ? CLI_EXIT_OK : CLI_EXIT_FAILURE;
}

int
cli_info (int    argc,
          char **argv)
{
  g_autofree char *weights = NULL, *as = NULL, *save_weights = NULL;
  GOptionEntry entries[] = {
    { "weights", 'w', 0, G_OPTION_ARG_FILENAME, &weights,
      "Weight file (.pth, .safetensors, Keras .h5 or .onnx); default: the built-in model", "FILE" },
    { "as", 0, 0, G_OPTION_ARG_STRING, &as,
      "Print the network as code instead: 'pytorch' (torchvision-style module, preprocessing) "
      "or 'keras' (functional API)", "LANGUAGE" },
    { "save-weights", 0, 0, G_OPTION_ARG_FILENAME, &save_weights,
      "With --as pytorch: also write the weights under the script's keys (safetensors, batch "
      "norm unfolded) to FILE", "FILE" },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("— describe the network's layers");
  g_autoptr (GError) error = NULL;
  g_autofree char *params = NULL, *macs = NULL;
  VggCodeLanguage language = VGG_CODE_PYTORCH;
  VggModel *model;

  g_option_context_set_summary (context,
    "Prints each layer's output shape (C×H×W), parameters, multiply-accumulates at batch 1\n"
    "and receptive field (size in input pixels, jump between neighbouring units).\n"
    "With --as, prints the network as a PyTorch or Keras script instead.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return cli_usage_error (context, "%s", error->message);
  if (argc > 1)
    return cli_usage_error (context, "unexpected argument '%s'", argv[1]);
  if (as != NULL && !vgg_code_language_from_name (as, &language))
    return cli_usage_error (context, "--as must be 'pytorch' or 'keras', not '%s'", as);
  if (save_weights != NULL && (as == NULL || language != VGG_CODE_PYTORCH))
    return cli_usage_error (context, "--save-weights goes with --as pytorch");
  if (save_weights != NULL && save_weights[0] == '\0')
    return cli_usage_error (context, "--save-weights needs a file name");

  model = cli_load_model (weights);
  if (model == NULL)
    return CLI_EXIT_FAILURE;

  if (as != NULL)
    {
      int status = print_code (model, language, weights, save_weights);
      vgg_model_free (model);
      return status;
    }

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
