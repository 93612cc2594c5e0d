/* cli-compare.c — vgg-scope-cli compare: two pictures on one model (cosine per layer), or two
 *                 models on a set of pictures (linear CKA between every pair of layers)
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "cli.h"
#include "vgg-compare.h"
#include "scope-engine-environment.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Every picture of the sample folders (installed, else the source tree's), sorted. */
static GPtrArray *
sample_pictures (void)
{
  static const char *const folders[] = { "samples", "fashion-mnist/samples" };
  GPtrArray *paths = g_ptr_array_new_with_free_func (g_free);

  for (gsize f = 0; f < G_N_ELEMENTS (folders); f++)
    {
      g_autofree char *installed = g_build_filename (PKGDATADIR, folders[f], NULL);
      g_autofree char *source = g_build_filename (SOURCE_DATADIR, folders[f], NULL);
      const char *dir_path = g_file_test (installed, G_FILE_TEST_IS_DIR) ? installed : source;
      g_autoptr (GDir) dir = g_dir_open (dir_path, 0, NULL);
      g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
      const char *name;

      if (dir == NULL)
        continue;
      while ((name = g_dir_read_name (dir)) != NULL)
        if (g_str_has_suffix (name, ".jpg") || g_str_has_suffix (name, ".png"))
          g_ptr_array_add (names, g_strdup (name));
      g_ptr_array_sort (names, compare_names);
      for (guint i = 0; i < names->len; i++)
        g_ptr_array_add (paths, g_build_filename (dir_path, g_ptr_array_index (names, i), NULL));
    }
  return paths;
}

/* @n pictures preprocessed for @model, or NULL (the error printed). */
static float *
load_inputs (const VggModel *model,
             char          **paths,
             int             n)
{
  const VggConfig *config = vgg_model_config (model);
  size_t count = (size_t) config->input_channels * config->input_height * config->input_width;
  g_autofree float *inputs = g_new (float, count * n);

  for (int i = 0; i < n; i++)
    if (!cli_load_input (model, paths[i], inputs + count * i))
      return NULL;
  return g_steal_pointer (&inputs);
}

static void
print_number (double value)
{
  if (isnan (value))
    printf ("null");
  else
    printf ("%.9g", value);
}

static int
compare_pictures (const char *weights,
                  char      **paths,
                  gboolean    json)
{
  g_autofree float *inputs = NULL;
  g_autofree double *cosines = NULL;
  VggError error = { 0 };
  VggRunOptions options;
  VggModel *model = cli_load_model (weights);
  int n_layers;
  size_t count;

  if (model == NULL)
    return CLI_EXIT_FAILURE;
  inputs = load_inputs (model, paths, 2);
  if (inputs == NULL)
    {
      vgg_model_free (model);
      return CLI_EXIT_FAILURE;
    }
  count = (size_t) vgg_model_config (model)->input_channels
          * vgg_model_config (model)->input_height * vgg_model_config (model)->input_width;
  n_layers = vgg_model_n_layers (model);
  cosines = g_new (double, n_layers);
  scope_engine_environment_run_options (&options);
  if (vgg_compare_inputs (model, &options, inputs, inputs + count, cosines, &error)
      != VGG_STATUS_OK)
    {
      cli_print_error (&error);
      vgg_model_free (model);
      return CLI_EXIT_FAILURE;
    }
  if (json)
    {
      printf ("[");
      for (int l = 0; l < n_layers; l++)
        {
          printf ("%s{\"layer\": \"%s\", \"cosine\": ", l > 0 ? ", " : "",
                  vgg_model_layer (model, l)->name);
          print_number (cosines[l]);
          printf ("}");
        }
      printf ("]\n");
    }
  else
    {
      cli_print_model_banner (model, stdout);
      printf ("%s\n%s\n%-10s %s\n", cli_escaped (paths[0]), cli_escaped (paths[1]), "layer",
              "cosine (after ReLU)");
      for (int l = 0; l < n_layers; l++)
        printf ("%-10s %.6f\n", vgg_model_layer (model, l)->name, cosines[l]);
    }
  vgg_model_free (model);
  return CLI_EXIT_OK;
}

/* Every layer's Gram matrices of @model over the pictures, or NULL (the error printed). */
static double *
model_grams (const VggModel *model,
             char          **paths,
             int             n)
{
  g_autofree float *inputs = load_inputs (model, paths, n);
  g_autofree double *grams = NULL;
  VggError error = { 0 };
  VggRunOptions options;

  if (inputs == NULL)
    return NULL;
  grams = g_new (double, (gsize) vgg_model_n_layers (model) * n * n);
  scope_engine_environment_run_options (&options);
  if (vgg_layer_grams (model, &options, inputs, n, 0.0, grams, NULL, NULL, &error)
      != VGG_STATUS_OK)
    {
      cli_print_error (&error);
      return NULL;
    }
  return g_steal_pointer (&grams);
}

static int
compare_models (const char *weights_a,
                const char *weights_b,
                char      **paths,
                int         n,
                gboolean    json)
{
  g_autofree double *grams_a = NULL, *grams_b = NULL;
  VggModel *model_a = NULL, *model_b = NULL;
  int exit_code = CLI_EXIT_FAILURE;
  int n_a, n_b;

  model_a = cli_load_model (weights_a);
  if (model_a == NULL)
    return CLI_EXIT_FAILURE;
  model_b = cli_load_model (weights_b);
  if (model_b == NULL)
    goto out;
  grams_a = model_grams (model_a, paths, n);
  if (grams_a == NULL)
    goto out;
  grams_b = model_grams (model_b, paths, n);
  if (grams_b == NULL)
    goto out;
  n_a = vgg_model_n_layers (model_a);
  n_b = vgg_model_n_layers (model_b);
  if (json)
    printf ("[");
  else
    {
      printf ("A: ");
      cli_print_model_banner (model_a, stdout);
      printf ("B: ");
      cli_print_model_banner (model_b, stdout);
      printf ("linear CKA over %d pictures (rows: A's layers, columns: B's)\n%-8s", n, "");
      for (int j = 0; j < n_b; j++)
        printf (" %8s", vgg_model_layer (model_b, j)->name);
      printf ("\n");
    }
  for (int i = 0; i < n_a; i++)
    {
      if (!json)
        printf ("%-8s", vgg_model_layer (model_a, i)->name);
      for (int j = 0; j < n_b; j++)
        {
          double cka = vgg_linear_cka (grams_a + (size_t) i * n * n,
                                       grams_b + (size_t) j * n * n, n);
          if (json)
            {
              printf ("%s{\"layer_a\": \"%s\", \"layer_b\": \"%s\", \"cka\": ",
                      i + j > 0 ? ", " : "", vgg_model_layer (model_a, i)->name,
                      vgg_model_layer (model_b, j)->name);
              print_number (cka);
              printf ("}");
            }
          else if (isnan (cka))
            printf (" %8s", "–");
          else
            printf (" %8.4f", cka);
        }
      if (!json)
        printf ("\n");
    }
  if (json)
    printf ("]\n");
  exit_code = CLI_EXIT_OK;

out:
  vgg_model_free (model_a);
  vgg_model_free (model_b);
  return exit_code;
}

int
cli_compare (int    argc,
             char **argv)
{
  g_autofree char *weights = NULL, *weights_b = NULL;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "weights", 'w', 0, G_OPTION_ARG_FILENAME, &weights,
      "Weight file (.pth, .safetensors, Keras .h5 or .onnx); default: the built-in model", "FILE" },
    { "weights-b", 0, 0, G_OPTION_ARG_FILENAME, &weights_b,
      "A second model: compare the two models' layers (linear CKA) instead of two pictures",
      "FILE" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON", NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("PICTURE_A PICTURE_B | --weights-b "
                                                             "FILE [PICTURE…] — side by side");
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) samples = NULL;

  g_option_context_set_summary (context,
    "Two pictures on one model: the cosine similarity of every layer's two outputs (after\n"
    "ReLU). With --weights-b: linear CKA (Kornblith et al., 2019) between every layer of the\n"
    "two models over the pictures given (default: the sample pictures); each model\n"
    "preprocesses the pictures as its preset says. JSON: [{\"layer\", \"cosine\"}] or\n"
    "[{\"layer_a\", \"layer_b\", \"cka\"}]; an undefined CKA (fewer than two different\n"
    "pictures, or a layer that is constant over them) is null.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return cli_usage_error (context, "%s", error->message);
  if (weights_b == NULL)
    {
      if (argc != 3)
        return cli_usage_error (context, "give two pictures (or --weights-b FILE to compare "
                                         "two models)");
      return compare_pictures (weights, argv + 1, json);
    }
  if (argc == 1)
    {
      samples = sample_pictures ();
      if (samples->len < 2)
        {
          fprintf (stderr, "vgg-scope-cli: no sample pictures found; give the pictures\n");
          return CLI_EXIT_FAILURE;
        }
      return compare_models (weights, weights_b, (char **) samples->pdata, (int) samples->len,
                             json);
    }
  if (argc < 3)
    return cli_usage_error (context, "CKA needs at least two pictures");
  return compare_models (weights, weights_b, argv + 1, argc - 1, json);
}
