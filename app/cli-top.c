/* cli-top.c — vgg-scope-cli top: the images of a data set that excite one channel most
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Scans the data set once for every channel of every conv layer (engine/scan/, vgg-scan.h),
 * keeping the index in the cache folder, so asking for another channel afterwards is instant
 * and an interrupted scan (Ctrl+C) goes on where it stopped.
 */
#include "config.h"

#include "cli.h"
#include "scope-engine-environment.h"
#include "vgg-scan.h"

#include <json-glib/json-glib.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static VggScan *volatile interrupted_scan;

static void
on_interrupt (int signal_number)
{
  VggScan *scan = interrupted_scan;

  (void) signal_number;
  if (scan != NULL)
    vgg_scan_cancel (scan);   /* one atomic store: safe in a signal handler */
}

typedef struct
{
  gboolean show;
  double   start;
  double   last;
} Progress;

static bool
on_progress (const VggScanProgress *progress,
             void                  *user_data)
{
  Progress *self = user_data;
  double now = g_get_monotonic_time () / 1e6;
  double rate;

  if (!self->show || (now - self->last < 0.5 && progress->done < progress->total))
    return true;
  self->last = now;
  rate = (progress->done - progress->resumed) / MAX (now - self->start, 1e-9);
  fprintf (stderr, "\rscanning: %" G_GINT64_FORMAT " of %" G_GINT64_FORMAT " images "
           "(%.0f images/s, %.0f s left)%s", progress->done, progress->total, rate,
           rate > 0 ? (progress->total - progress->done) / rate : 0.0,
           progress->done == progress->total ? "\n" : "");
  return true;
}

int
cli_top (int    argc,
         char **argv)
{
  g_autofree char *weights = NULL, *layer_name = NULL;
  gboolean json = FALSE;
  int channel = -1, k = VGG_SCAN_DEFAULT_K, threads = 0, batch = 0;
  GOptionEntry entries[] = {
    { "weights", 'w', 0, G_OPTION_ARG_FILENAME, &weights,
      "Weight file; default: the built-in model", "FILE" },
    { "layer", 'l', 0, G_OPTION_ARG_STRING, &layer_name, "Conv layer (conv1_1, …)", "NAME" },
    { "channel", 'c', 0, G_OPTION_ARG_INT, &channel, "Channel of the layer (from 0)", "C" },
    { "k", 'k', 0, G_OPTION_ARG_INT, &k, "Images per channel (default: 9)", "K" },
    { "batch", 'b', 0, G_OPTION_ARG_INT, &batch, "Images per forward pass (default: "
      "sized for the model)", "N" },
    { "threads", 't', 0, G_OPTION_ARG_INT, &threads, "Threads (default: all CPUs)", "N" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print the result as JSON", NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("DATASET — a channel's top images");
  g_autoptr (GError) error = NULL;
  VggModel *model = NULL;
  VggDataset *dataset = NULL;
  VggScan *scan = NULL;
  VggError vgg_error = { 0 };
  VggRunOptions run_options;
  VggScanOptions options = { 0 };
  VggScanHit *hits = NULL;
  Progress progress = { 0 };
  const VggLayer *layer;
  int layer_index, n_hits, status = CLI_EXIT_FAILURE;
  VggStatus scan_status;

  g_option_context_set_summary (context,
    "Runs every image of DATASET through the model once and prints the K images whose\n"
    "largest unit of the channel (after ReLU) is largest: rank, image, value, y, x.\n"
    "DATASET is a folder of pictures (searched recursively, in bytewise order of the\n"
    "paths), an IDX image file (.gz or plain; fed as 'eval' feeds Fashion-MNIST), or a\n"
    "folder holding t10k-images-idx3-ubyte(.gz). The scan covers every conv channel and is\n"
    "kept in the cache folder: another channel is then instant, and an interrupted scan\n"
    "resumes. An image is a path relative to DATASET, or an index from 0 in an IDX file.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return cli_usage_error (context, "%s", error->message);
  if (argc < 2)
    return cli_usage_error (context, "no DATASET (a folder of pictures or an IDX file)");
  if (argc > 2)
    return cli_usage_error (context, "unexpected argument '%s'", argv[2]);
  if (layer_name == NULL)
    return cli_usage_error (context, "--layer NAME is required");
  if (channel < 0)
    return cli_usage_error (context, "--channel C is required (from 0)");
  if (k < 1 || k > VGG_SCAN_MAX_K)
    return cli_usage_error (context, "--k must be from 1 to %d", VGG_SCAN_MAX_K);
  if (batch < 0 || batch > 4096)
    return cli_usage_error (context, "--batch must be from 1 to 4096");
  if (threads > 0)
    vgg_set_threads (threads);

  model = cli_load_model (weights);
  if (model == NULL)
    return CLI_EXIT_FAILURE;
  layer_index = vgg_model_find_layer (model, layer_name);
  layer = layer_index >= 0 ? vgg_model_layer (model, layer_index) : NULL;
  if (layer == NULL || layer->kind != VGG_LAYER_CONV)
    {
      g_autoptr (GString) names = g_string_new (NULL);

      for (int i = 0; i < vgg_model_n_layers (model); i++)
        if (vgg_model_layer (model, i)->kind == VGG_LAYER_CONV)
          g_string_append_printf (names, "%s%s", names->len > 0 ? ", " : "",
                                  vgg_model_layer (model, i)->name);
      fprintf (stderr, "vgg-scope-cli: %s: %s; the conv layers of %s are %s\n",
               cli_escaped (layer_name), layer == NULL ? "no such layer" : "not a conv layer",
               cli_escaped (vgg_model_name (model)), names->str);
      goto out;
    }
  if (channel >= layer->channels_out)
    {
      fprintf (stderr, "vgg-scope-cli: channel %d: %s has %d channels (0 to %d)\n", channel,
               layer->name, layer->channels_out, layer->channels_out - 1);
      goto out;
    }

  if (vgg_dataset_open (&dataset, argv[1], &vgg_error) != VGG_STATUS_OK)
    {
      cli_print_error (&vgg_error);
      goto out;
    }
  scope_engine_environment_run_options (&run_options);
  options.k = k;
  options.batch = batch;
  options.run_options = &run_options;
  options.cache_dir = scope_engine_environment_load_options ()->cache_dir;
  options.progress = on_progress;
  options.user_data = &progress;
  progress.show = isatty (STDERR_FILENO);
  progress.start = g_get_monotonic_time () / 1e6;
  if (vgg_scan_new (&scan, model, dataset, &options, &vgg_error) != VGG_STATUS_OK)
    {
      cli_print_error (&vgg_error);
      goto out;
    }

  interrupted_scan = scan;
  signal (SIGINT, on_interrupt);
  signal (SIGTERM, on_interrupt);
  scan_status = vgg_scan_run (scan, &vgg_error);
  signal (SIGINT, SIG_DFL);
  signal (SIGTERM, SIG_DFL);
  interrupted_scan = NULL;
  if (scan_status == VGG_STATUS_CANCELLED)
    {
      fprintf (stderr, "\nvgg-scope-cli: interrupted after %" G_GINT64_FORMAT " of %"
               G_GINT64_FORMAT " images; run the same command again to resume\n",
               vgg_scan_n_done (scan), vgg_dataset_count (dataset));
      goto out;
    }
  if (scan_status != VGG_STATUS_OK)
    {
      cli_print_error (&vgg_error);
      goto out;
    }
  if (vgg_scan_n_skipped (scan) > 0)
    fprintf (stderr, "vgg-scope-cli: %" G_GINT64_FORMAT " of %" G_GINT64_FORMAT " pictures "
             "could not be read and were skipped (the first: %s)\n", vgg_scan_n_skipped (scan),
             vgg_dataset_count (dataset), cli_escaped (vgg_scan_first_skip_reason (scan)));

  hits = g_new0 (VggScanHit, k);
  n_hits = vgg_scan_top (scan, layer_index, channel, hits, k);
  if (json)
    {
      g_autoptr (JsonBuilder) builder = json_builder_new ();
      g_autoptr (JsonGenerator) generator = json_generator_new ();
      g_autoptr (JsonNode) root = NULL;
      g_autofree char *text = NULL, *safe = NULL;

      json_builder_begin_array (builder);
      for (int i = 0; i < n_hits; i++)
        {
          const char *name = vgg_dataset_name (dataset, hits[i].image);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "rank");
          json_builder_add_int_value (builder, i + 1);
          json_builder_set_member_name (builder, "image");
          if (name != NULL)
            json_builder_add_string_value (builder, name);
          else
            json_builder_add_int_value (builder, hits[i].image);
          json_builder_set_member_name (builder, "value");
          json_builder_add_double_value (builder, hits[i].value);
          json_builder_set_member_name (builder, "y");
          json_builder_add_int_value (builder, hits[i].y);
          json_builder_set_member_name (builder, "x");
          json_builder_add_int_value (builder, hits[i].x);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      root = json_builder_get_root (builder);
      json_generator_set_root (generator, root);
      json_generator_set_pretty (generator, TRUE);
      text = json_generator_to_data (generator, NULL);
      safe = cli_escape (text, CLI_ESCAPE_JSON);
      printf ("%s\n", safe);
    }
  else
    {
      printf ("%s channel %d, top %d of %" G_GINT64_FORMAT " images%s:\n", layer->name, channel,
              n_hits, vgg_dataset_count (dataset),
              vgg_scan_from_cache (scan) ? " (from the saved index)" : "");
      printf ("%4s  %-40s %12s %5s %5s\n", "rank", "image", "value", "y", "x");
      for (int i = 0; i < n_hits; i++)
        {
          const char *name = vgg_dataset_name (dataset, hits[i].image);
          g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, hits[i].image);

          printf ("%4d  %-40s %12.6g %5d %5d\n", i + 1,
                  cli_escaped (name != NULL ? name : number), hits[i].value, hits[i].y,
                  hits[i].x);
        }
    }
  status = CLI_EXIT_OK;

out:
  g_free (hits);
  vgg_scan_free (scan);
  vgg_dataset_free (dataset);
  vgg_model_free (model);
  return status;
}
