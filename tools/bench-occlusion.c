/* bench-occlusion.c — incremental against exhaustive occlusion maps on a full-size VGG16
 *                     (the program behind tools/bench-occlusion; not a test)
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * usage: bench-occlusion [--weights FILE] [--patch P] [--stride S] [--runs N] [--batch B]
 *                        [--threads T]
 * Without --weights, a random VGG16 (He-initialised, 138 M parameters). The input is a fixed
 * pseudo-random picture; the class is the one the clean picture scores highest. Each run
 * computes the map both ways, alternating; it prints every wall and CPU time, the medians, the
 * speed-ups, how far the two maps are apart (relative to the map's largest value; exit status
 * 1 beyond 1e-5 of it, as the tests allow; both modes compute every unit with the same
 * ordered GEMM, so the maps are expected to be equal bit for bit) and the peak resident
 * memory of each phase (VmHWM, reset between phases through /proc/self/clear_refs).
 */
#include "config.h"

#include "vgg-occlusion.h"

#include <math.h>
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

/* CPU seconds of every thread of the process: on a loaded machine, where the wall time
 * depends on what else runs, the fairer measure of the work each way does */
static double
cpu_now (void)
{
  struct timespec t;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &t);
  return (double) t.tv_sec + 1e-9 * (double) t.tv_nsec;
}

/* the process's peak resident memory in MiB since the last reset */
static double
peak_mib (void)
{
  FILE *status = fopen ("/proc/self/status", "re");
  char line[256];
  double kib = -1.0;

  if (status == NULL)
    return -1.0;
  while (fgets (line, sizeof line, status) != NULL)
    if (strncmp (line, "VmHWM:", 6) == 0)
      kib = strtod (line + 6, NULL);
  fclose (status);
  return kib / 1024.0;
}

static void
reset_peak (void)
{
  FILE *refs = fopen ("/proc/self/clear_refs", "we");

  if (refs != NULL)
    {
      fputs ("5", refs);
      fclose (refs);
    }
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
median (double *values,
        int     n)
{
  qsort (values, (size_t) n, sizeof *values, compare_doubles);
  return n % 2 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

static int
fail (const char *what,
      const VggError *error)
{
  fprintf (stderr, "bench-occlusion: %s: %s\n", what, error->message);
  return 1;
}

int
main (int    argc,
      char **argv)
{
  const char *weights = NULL;
  int patch = 32, stride = 16, runs = 3, batch = 0, threads = 0;
  VggModel *model = NULL;
  VggOcclusion *occlusion = NULL;
  VggRun *run = NULL;
  VggError error = { 0 };
  VggConfig config;
  float *input, *maps[2];
  double *times[2], *cpu_times[2], peaks[2] = { 0.0, 0.0 }, logit = 0.0;
  bool agree = false;
  size_t count;
  int n_y, n_x, k = 0;

  /* options come in pairs: NAME VALUE */
  for (int i = 1; i < argc; i += 2)
    {
      const char *value = i + 1 < argc ? argv[i + 1] : NULL;

      if (value == NULL)
        {
          fprintf (stderr, "usage: bench-occlusion [--weights FILE] [--patch P] [--stride S] "
                   "[--runs N] [--batch B] [--threads T]\n");
          return 2;
        }
      if (strcmp (argv[i], "--weights") == 0)
        weights = value;
      else if (strcmp (argv[i], "--patch") == 0)
        patch = atoi (value);
      else if (strcmp (argv[i], "--stride") == 0)
        stride = atoi (value);
      else if (strcmp (argv[i], "--runs") == 0)
        runs = atoi (value);
      else if (strcmp (argv[i], "--batch") == 0)
        batch = atoi (value);
      else if (strcmp (argv[i], "--threads") == 0)
        threads = atoi (value);
      else
        {
          fprintf (stderr, "bench-occlusion: unknown option %s\n", argv[i]);
          return 2;
        }
    }
  if (runs < 1)
    runs = 1;
  vgg_set_threads (threads);

  if (weights != NULL)
    {
      if (vgg_model_load (&model, weights, &error) != VGG_STATUS_OK)
        return fail (weights, &error);
    }
  else if (vgg_config_for_name (&config, "vgg16", &error) != VGG_STATUS_OK
           || vgg_model_new_random (&model, &config, 16, &error) != VGG_STATUS_OK)
    return fail ("random VGG16", &error);
  config = *vgg_model_config (model);
  if (vgg_occlusion_map_size (model, patch, stride, &n_y, &n_x, &error) != VGG_STATUS_OK)
    return fail ("map size", &error);

  /* a fixed picture: smooth blobs plus noise, in the range of a normalised photograph */
  count = (size_t) config.input_channels * config.input_height * config.input_width;
  input = malloc (count * sizeof (float));
  srand (2026);
  for (int c = 0; c < config.input_channels; c++)
    for (int y = 0; y < config.input_height; y++)
      for (int x = 0; x < config.input_width; x++)
        input[((size_t) c * config.input_height + y) * config.input_width + x]
          = (float) (1.5 * sin (0.05 * x * (c + 1)) * cos (0.07 * y) - 0.3 * c
                     + 0.5 * (rand () / (double) RAND_MAX - 0.5));

  if (vgg_run_new (&run, model, 1, &error) != VGG_STATUS_OK
      || vgg_run_forward (run, input, &error) != VGG_STATUS_OK)
    return fail ("clean forward", &error);
  vgg_run_top_k (run, 0, 1, &k, &(float) { 0 });
  for (int c = 0; c < vgg_model_n_classes (model); c++)
    logit = fmax (logit, fabs (vgg_run_logits (run)[c]));
  vgg_run_free (run);

  printf ("bench-occlusion: %s, %d×%d input, class %d, P = %d, S = %d: %d×%d = %d positions, "
          "%d threads, %d runs\n", vgg_model_name (model), config.input_width,
          config.input_height, k, patch, stride, n_x, n_y, n_x * n_y, vgg_get_threads (), runs);
  if (vgg_occlusion_new (&occlusion, model, &error) != VGG_STATUS_OK)
    return fail ("occlusion", &error);
  for (int mode = 0; mode < 2; mode++)
    {
      maps[mode] = malloc ((size_t) n_y * n_x * sizeof (float));
      times[mode] = calloc ((size_t) runs, sizeof (double));
      cpu_times[mode] = calloc ((size_t) runs, sizeof (double));
    }

  for (int r = 0; r < runs; r++)
    for (int mode = 0; mode < 2; mode++)
      {
        VggOcclusionOptions options = { .class_index = k, .patch = patch, .stride = stride,
                                        .exhaustive = mode == 1, .batch = batch };
        double start, cpu_start;

        reset_peak ();
        start = now ();
        cpu_start = cpu_now ();
        if (vgg_occlusion_compute (occlusion, input, &options, maps[mode], &error)
            != VGG_STATUS_OK)
          return fail (mode ? "exhaustive" : "incremental", &error);
        times[mode][r] = now () - start;
        cpu_times[mode][r] = cpu_now () - cpu_start;
        peaks[mode] = fmax (peaks[mode], peak_mib ());
        printf ("  run %d %-11s %8.2f s (CPU %.2f s)\n", r + 1,
                mode ? "exhaustive" : "incremental", times[mode][r], cpu_times[mode][r]);
        fflush (stdout);
      }

  {
    double largest = 0.0, difference = 0.0;
    double t_incremental = median (times[0], runs), t_exhaustive = median (times[1], runs);

    for (int i = 0; i < n_y * n_x; i++)
      {
        largest = fmax (largest, fabs (maps[1][i]));
        difference = fmax (difference, fabs ((double) maps[0][i] - maps[1][i]));
      }
    agree = difference <= 1e-5 * largest;
    double c_incremental = median (cpu_times[0], runs), c_exhaustive = median (cpu_times[1], runs);

    printf ("median: incremental %.2f s, exhaustive %.2f s: %.2f× faster\n", t_incremental,
            t_exhaustive, t_exhaustive / t_incremental);
    printf ("median CPU time: incremental %.2f s, exhaustive %.2f s: %.2f× less\n",
            c_incremental, c_exhaustive, c_exhaustive / c_incremental);
    printf ("peak resident memory: incremental %.0f MiB, exhaustive %.0f MiB (model "
            "included)\n", peaks[0], peaks[1]);
    printf ("maps: largest |value| %.4g (largest |logit| %.4g), incremental within %.2g of it "
            "from exhaustive: %s\n", largest, logit, largest > 0.0 ? difference / largest : 0.0,
            difference == 0.0 ? "equal bit for bit" : agree ? "agree (1e-5 of the map)" : "DISAGREE");
  }

  vgg_occlusion_free (occlusion);
  vgg_model_free (model);
  for (int mode = 0; mode < 2; mode++)
    {
      free (maps[mode]);
      free (times[mode]);
      free (cpu_times[mode]);
    }
  free (input);
  return agree ? 0 : 1;
}
