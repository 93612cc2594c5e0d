/* bench-unit.c — one unit worked out by hand on a full-size VGG16: time and agreement
 *                (the program behind tools/bench-unit; not a test)
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * usage: bench-unit [--weights FILE] [--units N]
 * Without --weights, a random VGG16 (He-initialised). The input is a fixed pseudo-random
 * picture. For each of a few layers it times the first unit (two passes up to the layer, plus
 * the probe's runs for the very first) and the next ones (no pass: the layer's values are
 * kept), and over N random units of the layer it prints the largest |worked − exact| and
 * |fast − exact| relative to Σ|w·x| + |b|. Exit status 1 if worked and exact are further
 * apart than vgg-unit.h promises (1e-5 of that sum; a pool's value exactly).
 */
#include "config.h"

#include "vgg-unit.h"

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

int
main (int    argc,
      char **argv)
{
  static const char *const layers[] = { "conv1_1", "conv1_2", "conv3_3", "conv5_3", "pool5",
                                        "fc6", "fc8", "prob" };
  const char *weights = NULL;
  int n_units = 50, failures = 0;
  VggModel *model = NULL;
  VggUnitProbe *probe = NULL;
  VggError error = { 0 };
  const VggConfig *config;
  float *input;
  size_t count;
  uint64_t state = 0x9e3779b97f4a7c15ull;

  for (int i = 1; i < argc; i++)
    if (strcmp (argv[i], "--weights") == 0 && i + 1 < argc)
      weights = argv[++i];
    else if (strcmp (argv[i], "--units") == 0 && i + 1 < argc)
      n_units = atoi (argv[++i]);
    else
      {
        fprintf (stderr, "usage: bench-unit [--weights FILE] [--units N]\n");
        return 2;
      }

  if (weights != NULL)
    {
      if (vgg_model_load (&model, weights, &error) != VGG_STATUS_OK)
        goto fail;
    }
  else
    {
      VggConfig vgg16;
      if (vgg_config_for_name (&vgg16, "vgg16", &error) != VGG_STATUS_OK
          || vgg_model_new_random (&model, &vgg16, 1, &error) != VGG_STATUS_OK)
        goto fail;
    }
  config = vgg_model_config (model);
  count = (size_t) config->input_channels * config->input_height * config->input_width;
  input = malloc (count * sizeof *input);
  for (size_t i = 0; i < count; i++)
    {
      state = state * 6364136223846793005ull + 1442695040888963407ull;
      input[i] = (float) ((double) (state >> 11) / 9007199254740992.0 * 4.0 - 2.0);
    }
  if (vgg_unit_probe_new (&probe, model, NULL, &error) != VGG_STATUS_OK)
    goto fail;

  printf ("%s, %d random units per layer\n", vgg_model_name (model), n_units);
  printf ("%-8s %12s %12s %16s %16s\n", "layer", "first (ms)", "next (ms)", "worked−exact",
          "fast−exact");
  for (size_t l = 0; l < sizeof layers / sizeof layers[0]; l++)
    {
      int index = vgg_model_find_layer (model, layers[l]);
      const VggLayer *layer;
      double first = 0.0, next = 0.0, worst = 0.0, worst_fast = 0.0;

      if (index < 0)
        continue;
      layer = vgg_model_layer (model, index);
      for (int u = 0; u < n_units; u++)
        {
          bool dense = layer->kind == VGG_LAYER_FC || layer->kind == VGG_LAYER_SOFTMAX;
          VggUnitBreakdown *b = NULL;
          int c, y = 0, x = 0;
          double start, scale, worked, exact, fast;

          state = state * 6364136223846793005ull + 1442695040888963407ull;
          c = (int) ((state >> 33) % (uint64_t) layer->channels_out);
          if (!dense)
            {
              y = (int) ((state >> 20) % (uint64_t) layer->height_out);
              x = (int) ((state >> 7) % (uint64_t) layer->width_out);
            }
          start = now ();
          if (vgg_unit_probe_compute (probe, input, index, c, y, x, &b, &error)
              != VGG_STATUS_OK)
            goto fail;
          if (u == 0)
            first = now () - start;
          else
            next += (now () - start) / (n_units - 1);
          worked = layer->relu ? b->pre : b->post;
          exact = layer->relu ? b->exact_pre : b->exact_post;
          fast = layer->relu ? b->fast_pre : b->fast_post;
          scale = b->magnitude > 0.0 ? b->magnitude : 1.0;
          worst = fmax (worst, fabs (worked - exact) / scale);
          worst_fast = fmax (worst_fast, fabs (fast - exact) / scale);
          if (layer->kind == VGG_LAYER_POOL ? worked != exact
                                            : !(fabs (worked - exact) <= 1e-5 * scale))
            failures++;
          vgg_unit_breakdown_free (b);
        }
      printf ("%-8s %12.1f %12.3f %16.3g %16.3g\n", layer->name, first * 1e3, next * 1e3, worst,
              worst_fast);
    }
  vgg_unit_probe_free (probe);
  vgg_model_free (model);
  free (input);
  if (failures > 0)
    printf ("%d units outside the promised agreement\n", failures);
  return failures > 0 ? 1 : 0;

fail:
  fprintf (stderr, "bench-unit: %s\n", error.message);
  return 1;
}
