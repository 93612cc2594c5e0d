/* cli-bench.c — vgg-scope-cli bench: forward-pass timings per layer and in total
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The machine this runs on is usually shared and noisy: every figure is a median over
 * --runs forward passes, printed with its spread, and comparisons belong in one invocation
 * (tools/bench-peers interleaves the engine with PyTorch and OpenCV).
 */
#include "config.h"

#include "cli.h"
#include "scope-engine-environment.h"

#include <json-glib/json-glib.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double
now_seconds (void)
{
  struct timespec t;

  clock_gettime (CLOCK_MONOTONIC, &t);
  return (double) t.tv_sec + 1e-9 * (double) t.tv_nsec;
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

/* The @q quantile (0…1) of @count values; sorts a copy. */
static double
quantile (const double *values,
          int           count,
          double        q)
{
  g_autofree double *sorted = g_memdup2 (values, sizeof (double) * (size_t) count);
  double position = q * (count - 1);
  int below = (int) floor (position);
  int above = below + 1 < count ? below + 1 : below;

  qsort (sorted, (size_t) count, sizeof (double), compare_doubles);
  return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
}

typedef struct
{
  int      runs;
  int      warmup;
  gboolean exact;
  gboolean json;
  gboolean quiet;      /* totals only */
} BenchOptions;

/* Benchmarks @model at @batch; prints a table (or one JSON line). */
static gboolean
bench_model (const VggModel     *model,
             const char         *label,
             int                 batch,
             double              load_seconds,
             const BenchOptions *options)
{
  const VggConfig *config = vgg_model_config (model);
  int n_layers = vgg_model_n_layers (model);
  size_t count = (size_t) batch * config->input_channels * config->input_height
                 * config->input_width;
  g_autofree float *input = g_new (float, count);
  g_autofree double *totals = g_new0 (double, options->runs);
  g_autofree double *layer_seconds = g_new0 (double, (size_t) options->runs * n_layers);
  g_autoptr (GRand) rand = g_rand_new_with_seed (42);
  VggError error = { 0 };
  VggRunOptions run_options;
  VggRun *run = NULL;
  double start, plan_seconds, median, total_macs = 0.0;

  for (size_t i = 0; i < count; i++)
    input[i] = (float) g_rand_double_range (rand, -2.0, 2.0);

  scope_engine_environment_run_options (&run_options);
  if (options->exact)
    run_options.exact = true;
  start = now_seconds ();
  if (vgg_run_new_with_options (&run, model, batch, &run_options, &error) != VGG_STATUS_OK)
    {
      cli_print_error (&error);
      return FALSE;
    }
  plan_seconds = now_seconds () - start;

  for (int r = -options->warmup; r < options->runs; r++)
    {
      start = now_seconds ();
      if (vgg_run_forward (run, input, &error) != VGG_STATUS_OK)
        {
          cli_print_error (&error);
          vgg_run_free (run);
          return FALSE;
        }
      if (r < 0)
        continue;
      totals[r] = now_seconds () - start;
      for (int i = 0; i < n_layers; i++)
        {
          VggLayerProfile profile;
          vgg_run_layer_profile (run, i, &profile);
          layer_seconds[(size_t) i * options->runs + r] = profile.seconds;
        }
    }

  median = quantile (totals, options->runs, 0.5);
  for (int i = 0; i < n_layers; i++)
    total_macs += (double) vgg_model_layer (model, i)->macs * batch;

  if (options->json)
    {
      /* the name as a JSON string: quoted and escaped by json-glib, then by cli_escape() */
      g_autoptr (JsonNode) node = json_node_init_string (json_node_alloc (), label);
      g_autofree char *quoted = json_to_string (node, FALSE);
      g_autofree char *safe = cli_escape (quoted, CLI_ESCAPE_JSON);

      printf ("{\"model\": %s, \"batch\": %d, \"threads\": %d, \"exact\": %s, "
              "\"load_ms\": %.3f, \"plan_ms\": %.3f, \"median_ms\": %.3f, \"min_ms\": %.3f, "
              "\"max_ms\": %.3f, \"runs_ms\": [", safe, batch, vgg_get_threads (),
              vgg_run_get_exact (run) ? "true" : "false", load_seconds * 1e3, plan_seconds * 1e3,
              median * 1e3,
              quantile (totals, options->runs, 0.0) * 1e3,
              quantile (totals, options->runs, 1.0) * 1e3);
      for (int r = 0; r < options->runs; r++)
        printf ("%s%.3f", r > 0 ? ", " : "", totals[r] * 1e3);
      printf ("]}\n");
      fflush (stdout);
      vgg_run_free (run);
      return TRUE;
    }

  printf ("%s, batch %d, %d threads%s: %d runs after %d warm-up\n", cli_escaped (label), batch,
          vgg_get_threads (), vgg_run_get_exact (run) ? ", exact" : "", options->runs, options->warmup);
  if (!options->quiet)
    {
      printf ("  %-8s %10s %11s  %s\n", "layer", "median ms", "GFLOP/s", "algorithm");
      for (int i = 0; i < n_layers; i++)
        {
          const VggLayer *layer = vgg_model_layer (model, i);
          VggLayerProfile profile;
          double t = quantile (layer_seconds + (size_t) i * options->runs, options->runs, 0.5);

          vgg_run_layer_profile (run, i, &profile);
          if (layer->macs > 0 && t > 0.0)
            printf ("  %-8s %10.2f %11.1f  %s\n", layer->name, t * 1e3,
                    2.0 * (double) layer->macs * batch / t * 1e-9, profile.algorithm);
          else
            printf ("  %-8s %10.2f %11s  %s\n", layer->name, t * 1e3, "", profile.algorithm);
        }
    }
  printf ("  total: median %.1f ms (min %.1f, quartiles %.1f–%.1f, max %.1f); %.1f images/s; "
          "%.0f GFLOP/s direct-equivalent; run planned (weights transformed) in %.0f ms\n",
          median * 1e3, quantile (totals, options->runs, 0.0) * 1e3,
          quantile (totals, options->runs, 0.25) * 1e3,
          quantile (totals, options->runs, 0.75) * 1e3,
          quantile (totals, options->runs, 1.0) * 1e3, batch / median,
          2.0 * total_macs / median * 1e-9, plan_seconds * 1e3);
  fflush (stdout);
  vgg_run_free (run);
  return TRUE;
}

static gboolean
parse_list (const char *text,
            GPtrArray  *items)
{
  g_auto (GStrv) parts = g_strsplit (text, ",", -1);

  for (int i = 0; parts[i] != NULL; i++)
    {
      g_strstrip (parts[i]);
      if (parts[i][0] == '\0')
        return FALSE;
      g_ptr_array_add (items, g_strdup (parts[i]));
    }
  return TRUE;
}

int
cli_bench (int    argc,
           char **argv)
{
  g_autofree char *weights = NULL, *models_text = NULL, *batches_text = NULL;
  BenchOptions options = { .runs = 10, .warmup = 2 };
  int threads = 0;
  GOptionEntry entries[] = {
    { "weights", 'w', 0, G_OPTION_ARG_FILENAME, &weights,
      "Benchmark this weight file instead of random paper models", "FILE" },
    { "models", 'm', 0, G_OPTION_ARG_STRING, &models_text,
      "Random-weight configurations (default: vgg11,vgg13,vgg16,vgg19)", "LIST" },
    { "batch", 'b', 0, G_OPTION_ARG_STRING, &batches_text,
      "Batch sizes (default: 1,8)", "LIST" },
    { "runs", 'n', 0, G_OPTION_ARG_INT, &options.runs, "Timed forward passes (default: 10)",
      "N" },
    { "warmup", 0, 0, G_OPTION_ARG_INT, &options.warmup,
      "Untimed passes first (default: 2)", "N" },
    { "threads", 't', 0, G_OPTION_ARG_INT, &threads,
      "Threads (default: VGG_SCOPE_THREADS, else all CPUs)", "N" },
    { "exact", 0, 0, G_OPTION_ARG_NONE, &options.exact,
      "Exact convolutions (im2col + sgemm) instead of Winograd", NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &options.json,
      "One JSON object per model and batch, totals only", NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &options.quiet, "Totals only, no per-layer table",
      NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("— time forward passes");
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) models = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) batches = g_ptr_array_new_with_free_func (g_free);
  gboolean ok = TRUE;

  g_option_context_set_summary (context,
    "Times forward passes of VGG11/13/16/19 with random weights (or of --weights FILE) at\n"
    "batch 1 and 8: per layer the median time, GFLOP/s counted as a direct convolution\n"
    "(2 × multiply-accumulates / time, whatever the algorithm) and the algorithm that ran;\n"
    "in total the median, quartiles and extremes over --runs passes.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return cli_usage_error (context, "%s", error->message);
  if (argc > 1)
    return cli_usage_error (context, "unexpected argument '%s'", argv[1]);
  if (options.runs < 1 || options.runs > 100000 || options.warmup < 0)
    return cli_usage_error (context, "--runs must be at least 1 and --warmup at least 0");
  if (threads < 0 || threads > 256)
    return cli_usage_error (context, "--threads must be between 1 and 256");
  if (!parse_list (models_text != NULL ? models_text : "vgg11,vgg13,vgg16,vgg19", models)
      || !parse_list (batches_text != NULL ? batches_text : "1,8", batches))
    return cli_usage_error (context, "empty item in a list");
  if (threads > 0)
    vgg_set_threads (threads);

  for (guint b = 0; b < batches->len && ok; b++)
    {
      char *end;
      long batch = strtol (g_ptr_array_index (batches, b), &end, 10);

      if (*end != '\0' || batch < 1 || batch > 4096)
        return cli_usage_error (context, "bad batch size '%s'",
                                (char *) g_ptr_array_index (batches, b));
    }

  if (weights != NULL)
    {
      double start = now_seconds ();
      VggModel *model = cli_load_model (weights);
      double load_seconds = now_seconds () - start;

      if (model == NULL)
        return CLI_EXIT_FAILURE;
      if (!options.json)
        printf ("%s loaded in %.0f ms\n", weights, load_seconds * 1e3);
      for (guint b = 0; b < batches->len && ok; b++)
        ok = bench_model (model, vgg_model_name (model),
                          atoi (g_ptr_array_index (batches, b)), load_seconds, &options);
      vgg_model_free (model);
      return ok ? CLI_EXIT_OK : CLI_EXIT_FAILURE;
    }

  for (guint m = 0; m < models->len && ok; m++)
    {
      const char *name = g_ptr_array_index (models, m);
      VggConfig config;
      VggModel *model = NULL;
      VggError verror = { 0 };

      if (vgg_config_for_name (&config, name, &verror) != VGG_STATUS_OK
          || vgg_model_new_random (&model, &config, 2026, &verror) != VGG_STATUS_OK)
        {
          cli_print_error (&verror);
          return CLI_EXIT_FAILURE;
        }
      for (guint b = 0; b < batches->len && ok; b++)
        ok = bench_model (model, vgg_model_name (model),
                          atoi (g_ptr_array_index (batches, b)), 0.0, &options);
      vgg_model_free (model);
    }
  return ok ? CLI_EXIT_OK : CLI_EXIT_FAILURE;
}
