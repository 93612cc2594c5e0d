/* bench-watch.c — what watching every layer costs a forward pass (the program behind
 *                 tools/bench-watch; not a test)
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * usage: bench-watch [--model NAME] [--runs N] [--batch B] [--hook copy|none]
 * A random model of the named architecture (default vgg16: He-initialised, 138 M
 * parameters) on a fixed pseudo-random input. Each round runs the forward pass twice, in
 * alternating order: bare (no hook) and watched (every layer's OUTPUT watched by a hook that
 * does what the app's captures do: copy batch item 0 into a buffer kept from pass to pass and
 * compute each channel's mean, min, max and fraction of zeros in the same pass
 * (vgg_channel_statistics(), on the engine's pool); --hook none:
 * a hook that only looks, which leaves the engine's own cost of watching). Prints each round,
 * the medians with their spread, the time spent inside the hook, the ratio watched / bare
 * and the load average, then the same for the CPU time of all threads (the work done, which
 * a loaded machine disturbs less than the wall time).
 */
#include "config.h"

#include "vgg.h"

#include <float.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double
now (void)
{
  struct timespec t;

  clock_gettime (CLOCK_MONOTONIC, &t);
  return (double) t.tv_sec + 1e-9 * (double) t.tv_nsec;
}

/* CPU time of all the process's threads: less disturbed by a loaded machine than wall time */
static double
cpu_now (void)
{
  struct timespec t;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &t);
  return (double) t.tv_sec + 1e-9 * (double) t.tv_nsec;
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (double *values,
        int     n)
{
  qsort (values, (size_t) n, sizeof *values, compare_doubles);
  return n % 2 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

typedef struct
{
  float  **copies;    /* per layer, made at the first pass */
  float  **stats;     /* per layer: mean, min, max, zero per channel */
  size_t   bytes;     /* copied per pass */
  double   seconds;   /* spent in the hook per pass */
  bool     copy;      /* false: --hook none */
} Captures;

/* The app's capture: copy item 0 and gather each channel's statistics in the same pass
 * (vgg_channel_statistics(), as ui/scope-capture.c). */
static bool
capture_hook (const VggHookEvent *event,
              void               *user_data)
{
  Captures *captures = user_data;
  const VggLayer *layer = event->layer;
  size_t plane = (size_t) layer->height_out * layer->width_out;
  int channels = layer->channels_out;
  float *copy, *stats;
  double start = now ();

  if (!captures->copy)
    return event->data != NULL;
  if (captures->copies[event->layer_index] == NULL)
    {
      captures->copies[event->layer_index] = malloc (plane * channels * sizeof (float));
      captures->stats[event->layer_index] = malloc (4 * (size_t) channels * sizeof (float));
      if (captures->copies[event->layer_index] == NULL
          || captures->stats[event->layer_index] == NULL)
        {
          fprintf (stderr, "bench-watch: out of memory\n");
          exit (1);
        }
    }
  copy = captures->copies[event->layer_index];
  stats = captures->stats[event->layer_index];
  vgg_channel_statistics (copy, event->data, channels, plane, stats, stats + channels,
                          stats + 2 * channels, stats + 3 * channels);
  captures->bytes += plane * channels * sizeof (float);
  captures->seconds += now () - start;
  return true;
}

int
main (int    argc,
      char **argv)
{
  const char *name = "vgg16";
  int runs = 9, batch = 1;
  VggConfig config;
  VggModel *model = NULL;
  VggRun *run = NULL;
  VggError error = { 0 };
  Captures captures = { .copy = true };
  double *bare, *watched, *hook, *bare_cpu, *watched_cpu, loads[3] = { 0 };
  float *input;
  size_t count;
  unsigned seed = 12345;
  FILE *loadavg;

  for (int i = 1; i < argc; i++)
    {
      if (strcmp (argv[i], "--model") == 0 && i + 1 < argc)
        name = argv[++i];
      else if (strcmp (argv[i], "--runs") == 0 && i + 1 < argc)
        runs = atoi (argv[++i]);
      else if (strcmp (argv[i], "--batch") == 0 && i + 1 < argc)
        batch = atoi (argv[++i]);
      else if (strcmp (argv[i], "--hook") == 0 && i + 1 < argc
               && (strcmp (argv[i + 1], "copy") == 0 || strcmp (argv[i + 1], "none") == 0))
        captures.copy = strcmp (argv[++i], "copy") == 0;
      else
        {
          fprintf (stderr, "usage: bench-watch [--model NAME] [--runs N] [--batch B] "
                   "[--hook copy|none]\n");
          return 2;
        }
    }
  if (runs < 1 || runs > 1000 || batch < 1 || batch > 64)
    {
      fprintf (stderr, "bench-watch: --runs 1…1000, --batch 1…64\n");
      return 2;
    }
  if (vgg_config_for_name (&config, name, &error) != VGG_STATUS_OK
      || vgg_model_new_random (&model, &config, 1, &error) != VGG_STATUS_OK
      || vgg_run_new (&run, model, batch, &error) != VGG_STATUS_OK)
    {
      fprintf (stderr, "bench-watch: %s\n", error.message);
      return 1;
    }
  count = (size_t) batch * config.input_channels * config.input_height * config.input_width;
  input = malloc (count * sizeof (float));
  bare = calloc ((size_t) runs, sizeof (double));
  watched = calloc ((size_t) runs, sizeof (double));
  hook = calloc ((size_t) runs, sizeof (double));
  bare_cpu = calloc ((size_t) runs, sizeof (double));
  watched_cpu = calloc ((size_t) runs, sizeof (double));
  captures.copies = calloc ((size_t) vgg_model_n_layers (model), sizeof (float *));
  captures.stats = calloc ((size_t) vgg_model_n_layers (model), sizeof (float *));
  if (input == NULL || bare == NULL || watched == NULL || hook == NULL || bare_cpu == NULL
      || watched_cpu == NULL || captures.copies == NULL
      || captures.stats == NULL)
    return 1;
  for (size_t i = 0; i < count; i++)
    {
      seed = seed * 1103515245u + 12345u;
      input[i] = (float) ((seed >> 8) & 0xffff) / 32768.0f - 1.0f;
    }

  /* a warm-up of each kind: the tap and the captures are made at their first pass */
  for (int kind = 0; kind < 2; kind++)
    {
      vgg_run_set_hook (run, kind ? capture_hook : NULL, &captures);
      vgg_run_watch (run, -1, kind ? VGG_STAGE_OUTPUT : 0);
      if (vgg_run_forward (run, input, &error) != VGG_STATUS_OK)
        {
          fprintf (stderr, "bench-watch: %s\n", error.message);
          return 1;
        }
    }

  for (int r = 0; r < runs; r++)
    for (int step = 0; step < 2; step++)
      {
        int kind = (r + step) % 2;  /* bare first in even rounds, watched first in odd */
        double start, cpu_start;

        vgg_run_set_hook (run, kind ? capture_hook : NULL, &captures);
        vgg_run_watch (run, -1, kind ? VGG_STAGE_OUTPUT : 0);
        if (kind)
          captures.bytes = 0, captures.seconds = 0.0;
        start = now ();
        cpu_start = cpu_now ();
        if (vgg_run_forward (run, input, &error) != VGG_STATUS_OK)
          {
            fprintf (stderr, "bench-watch: %s\n", error.message);
            return 1;
          }
        (kind ? watched : bare)[r] = now () - start;
        (kind ? watched_cpu : bare_cpu)[r] = cpu_now () - cpu_start;
        if (kind)
          hook[r] = captures.seconds;
        if (step == 1)
          printf ("round %d: bare %.1f ms, watched %.1f ms (%.1f MB copied in %.1f ms)\n",
                  r + 1, 1e3 * bare[r], 1e3 * watched[r], (double) captures.bytes / 1e6,
                  1e3 * hook[r]);
        if (step == 1)
          printf ("         CPU time (all threads): bare %.1f ms, watched %.1f ms\n",
                  1e3 * bare_cpu[r], 1e3 * watched_cpu[r]);
      }

  loadavg = fopen ("/proc/loadavg", "re");
  if (loadavg != NULL)
    {
      if (fscanf (loadavg, "%lf %lf %lf", &loads[0], &loads[1], &loads[2]) != 3)
        loads[0] = loads[1] = loads[2] = 0.0;
      fclose (loadavg);
    }
  {
    double ratios[1000];
    double bare_min, bare_max, watched_min, watched_max, b, w;

    for (int r = 0; r < runs; r++)
      ratios[r] = watched[r] / bare[r];
    b = median (bare, runs);
    w = median (watched, runs);
    bare_min = bare[0], bare_max = bare[runs - 1];
    watched_min = watched[0], watched_max = watched[runs - 1];
    printf ("%s batch %d, hook %s, %d rounds: bare median %.1f ms (%.1f–%.1f), watched median "
            "%.1f ms (%.1f–%.1f), of it in the hook %.1f ms; watched / bare %.2f (median of "
            "the rounds' ratios %.2f); load average %.2f %.2f %.2f\n", vgg_model_name (model),
            batch, captures.copy ? "copy" : "none", runs, 1e3 * b, 1e3 * bare_min,
            1e3 * bare_max, 1e3 * w, 1e3 * watched_min, 1e3 * watched_max,
            1e3 * median (hook, runs), w / b, median (ratios, runs), loads[0], loads[1],
            loads[2]);
    b = median (bare_cpu, runs);
    w = median (watched_cpu, runs);
    printf ("CPU time of all threads: bare median %.1f ms, watched median %.1f ms; watched / "
            "bare %.2f\n", 1e3 * b, 1e3 * w, w / b);
  }

  for (int i = 0; i < vgg_model_n_layers (model); i++)
    {
      free (captures.copies[i]);
      free (captures.stats[i]);
    }
  free (captures.copies);
  free (captures.stats);
  free (bare);
  free (watched);
  free (hook);
  free (bare_cpu);
  free (watched_cpu);
  free (input);
  vgg_run_free (run);
  vgg_model_free (model);
  return 0;
}
