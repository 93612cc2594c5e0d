/* cli-eval.c — vgg-scope-cli eval: a model's accuracy on the Fashion-MNIST test set
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs the inference engine (the same forward pass the app uses, BN folded) on the test
 * images, fed exactly as in training: the 28×28 garment centred on the model's black input.
 */
#include "config.h"

#include "cli.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

int
cli_eval (int    argc,
          char **argv)
{
  g_autofree char *weights = NULL, *data_dir = NULL;
  gboolean json = FALSE, train_set = FALSE;
  int limit = 0, batch = 100, threads = 0;
  GOptionEntry entries[] = {
    { "weights", 'w', 0, G_OPTION_ARG_FILENAME, &weights,
      "Weight file (.safetensors, .pth); default: the built-in model", "FILE" },
    { "data", 'd', 0, G_OPTION_ARG_FILENAME, &data_dir,
      "Fashion-MNIST IDX files (default: " CLI_FASHION_MNIST_DIR ")", "DIR" },
    { "limit", 'n', 0, G_OPTION_ARG_INT, &limit,
      "Only the first N test images", "N" },
    { "train-set", 0, 0, G_OPTION_ARG_NONE, &train_set,
      "Measure on the 60,000 training images instead", NULL },
    { "batch", 'b', 0, G_OPTION_ARG_INT, &batch, "Images per forward pass (default: 100)", "N" },
    { "threads", 't', 0, G_OPTION_ARG_INT, &threads, "Threads (default: all CPUs)", "N" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print the result as JSON", NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("— accuracy on Fashion-MNIST");
  g_autoptr (GError) error = NULL;
  VggIdx images = { 0 }, labels = { 0 };
  VggModel *model = NULL;
  VggRun *run = NULL;
  VggError vgg_error = { 0 };
  const VggConfig *config;
  g_autofree float *input = NULL;
  int per_class_total[CLI_FASHION_MNIST_N_CLASSES] = { 0 };
  int per_class_correct[CLI_FASHION_MNIST_N_CLASSES] = { 0 };
  int confusion[CLI_FASHION_MNIST_N_CLASSES][CLI_FASHION_MNIST_N_CLASSES] = { { 0 } };
  int n, correct = 0, status = CLI_EXIT_FAILURE;
  size_t per_image;
  double loss = 0.0, start, seconds;

  g_option_context_set_summary (context,
    "Classifies the Fashion-MNIST test images (10,000, or --limit N) with the model and\n"
    "prints its top-1 accuracy, mean cross-entropy and per-class accuracy.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return cli_usage_error (context, "%s", error->message);
  if (argc > 1)
    return cli_usage_error (context, "unexpected argument '%s'", argv[1]);
  if (limit < 0 || batch < 1 || batch > 4096)
    return cli_usage_error (context, "--limit and --batch must be positive");
  if (data_dir == NULL)
    data_dir = g_strdup (CLI_FASHION_MNIST_DIR);
  if (threads > 0)
    vgg_set_threads (threads);

  model = cli_load_model (weights);
  if (model == NULL)
    return CLI_EXIT_FAILURE;
  config = vgg_model_config (model);
  if (!json)
    cli_print_model_banner (model, stdout);
  if (config->input_channels != 1 || config->n_classes != CLI_FASHION_MNIST_N_CLASSES
      || config->input_height < 28 || config->input_width < 28)
    {
      fprintf (stderr, "vgg-scope-cli: %s takes %d×%d×%d inputs and has %d classes; a "
               "Fashion-MNIST model takes one grey channel of at least 28×28 and has 10\n",
               cli_escaped (vgg_model_name (model)), config->input_channels, config->input_height,
               config->input_width, config->n_classes);
      goto out;
    }

  if (!cli_fashion_mnist_load (data_dir, train_set, &images, &labels))
    {
      goto out;   /* cli_fashion_mnist_load() has said why */
    }
  n = limit > 0 ? MIN (limit, images.count) : images.count;
  batch = MIN (batch, n);
  if (cli_run_new (&run, model, batch, &vgg_error) != VGG_STATUS_OK)
    {
      cli_print_error (&vgg_error);
      goto out;
    }
  per_image = (size_t) config->input_height * config->input_width;
  input = g_new (float, (size_t) batch * per_image);

  start = g_get_monotonic_time () / 1e6;
  for (int first = 0; first < n; first += batch)
    {
      int count = MIN (batch, n - first);
      const float *probs;

      /* a short last batch: the run is planned for @batch, so pad with copies */
      for (int i = 0; i < batch; i++)
        {
          int k = first + MIN (i, count - 1);
          cli_fashion_mnist_input (input + i * per_image, config->input_height,
                                   config->input_width,
                                   images.data + (size_t) k * images.height * images.width,
                                   images.height, images.width, 0, 0, FALSE);
        }
      if (vgg_run_forward (run, input, &vgg_error) != VGG_STATUS_OK)
        {
          cli_print_error (&vgg_error);
          goto out;
        }
      probs = vgg_run_probs (run);
      for (int i = 0; i < count; i++)
        {
          int label = labels.data[first + i], best;
          float p;

          vgg_run_top_k (run, i, 1, &best, &p);
          correct += best == label;
          per_class_total[label]++;
          per_class_correct[label] += best == label;
          confusion[label][best]++;
          loss -= log (MAX (probs[(size_t) i * CLI_FASHION_MNIST_N_CLASSES + label], 1e-30f));
        }
    }
  seconds = g_get_monotonic_time () / 1e6 - start;

  if (json)
    {
      g_autoptr (JsonBuilder) builder = json_builder_new ();
      g_autoptr (JsonGenerator) generator = json_generator_new ();
      g_autoptr (JsonNode) root = NULL;
      g_autofree char *text = NULL, *safe = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "model");
      json_builder_add_string_value (builder, vgg_model_name (model));
      json_builder_set_member_name (builder, "images");
      json_builder_add_int_value (builder, n);
      json_builder_set_member_name (builder, "correct");
      json_builder_add_int_value (builder, correct);
      json_builder_set_member_name (builder, "accuracy");
      json_builder_add_double_value (builder, (double) correct / n);
      json_builder_set_member_name (builder, "loss");
      json_builder_add_double_value (builder, loss / n);
      json_builder_set_member_name (builder, "seconds");
      json_builder_add_double_value (builder, seconds);
      json_builder_set_member_name (builder, "per_class");
      json_builder_begin_array (builder);
      for (int k = 0; k < CLI_FASHION_MNIST_N_CLASSES; k++)
        {
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "name");
          json_builder_add_string_value (builder, vgg_model_class_name (model, k));
          json_builder_set_member_name (builder, "images");
          json_builder_add_int_value (builder, per_class_total[k]);
          json_builder_set_member_name (builder, "correct");
          json_builder_add_int_value (builder, per_class_correct[k]);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      json_generator_set_root (generator, root);
      json_generator_set_pretty (generator, TRUE);
      text = json_generator_to_data (generator, NULL);
      safe = cli_escape (text, CLI_ESCAPE_JSON);
      printf ("%s\n", safe);
    }
  else
    {
      printf ("\n%-14s %8s %9s   most often mistaken for\n", "class", "images", "accuracy");
      for (int k = 0; k < CLI_FASHION_MNIST_N_CLASSES; k++)
        {
          int worst = -1;
          for (int j = 0; j < CLI_FASHION_MNIST_N_CLASSES; j++)
            if (j != k && confusion[k][j] > 0 && (worst < 0 || confusion[k][j] > confusion[k][worst]))
              worst = j;
          printf ("%-14s %8d %8.2f%%   %s\n", cli_escaped (vgg_model_class_name (model, k)),
                  per_class_total[k],
                  per_class_total[k] > 0 ? 100.0 * per_class_correct[k] / per_class_total[k]
                                         : 0.0,
                  worst >= 0 ? cli_escaped (vgg_model_class_name (model, worst)) : "—");
        }
      printf ("\n%s set: %d images, %d correct: accuracy %.2f%%, mean cross-entropy %.4f "
              "(%.1f s, %.0f images/s)\n", train_set ? "training" : "test", n, correct,
              100.0 * correct / n, loss / n, seconds, n / MAX (seconds, 1e-9));
    }
  status = CLI_EXIT_OK;

out:
  vgg_run_free (run);
  vgg_model_free (model);
  vgg_idx_clear (&images);
  vgg_idx_clear (&labels);
  return status;
}
