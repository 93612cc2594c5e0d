/* compare.c — per-layer cosine similarity of two inputs; Gram matrices and linear CKA
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The definitions are in vgg-compare.h. Both comparisons read the layers through the run's
 * hook, so nothing beyond what the hook hands over (and, for the Gram matrices, the outputs of
 * the inputs kept) is ever stored.
 */
#include "config.h"

#include "vgg-compare.h"
#include "engine-private.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define COSINE_EPS 1e-8

static double
dot (const float *a,
     const float *b,
     size_t       count)
{
  /* four partial sums: the compiler keeps them in registers; the order is fixed */
  double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
  size_t i = 0;

  for (; i + 4 <= count; i += 4)
    {
      s0 += (double) a[i] * b[i];
      s1 += (double) a[i + 1] * b[i + 1];
      s2 += (double) a[i + 2] * b[i + 2];
      s3 += (double) a[i + 3] * b[i + 3];
    }
  for (; i < count; i++)
    s0 += (double) a[i] * b[i];
  return (s0 + s1) + (s2 + s3);
}

double
vgg_cosine_similarity (const float *a,
                       const float *b,
                       size_t       count)
{
  double ab = dot (a, b, count), aa = dot (a, a, count), bb = dot (b, b, count);
  double norms = sqrt (aa) * sqrt (bb);

  return ab / (norms > COSINE_EPS ? norms : COSINE_EPS);
}

typedef struct
{
  double *cosines;
  int     seen;
} CosineJob;

static bool
cosine_hook (const VggHookEvent *event,
             void               *user_data)
{
  CosineJob *job = user_data;
  size_t per_input = event->count / 2;

  job->cosines[event->layer_index] = vgg_cosine_similarity (event->data,
                                                            event->data + per_input, per_input);
  job->seen++;
  return true;
}

VggStatus
vgg_compare_inputs (const VggModel      *model,
                    const VggRunOptions *options,
                    const float         *input_a,
                    const float         *input_b,
                    double              *cosines,
                    VggError            *error)
{
  const VggConfig *config;
  CosineJob job = { cosines, 0 };
  VggRun *run = NULL;
  float *inputs;
  size_t count;
  VggStatus status;

  if (model == NULL || input_a == NULL || input_b == NULL || cosines == NULL)
    return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT, "no model, inputs or result");
  config = vgg_model_config (model);
  count = (size_t) config->input_channels * config->input_height * config->input_width;
  inputs = malloc (2 * count * sizeof (float));
  if (inputs == NULL)
    return vgg_error_set (error, VGG_STATUS_NO_MEMORY, "out of memory");
  memcpy (inputs, input_a, count * sizeof (float));
  memcpy (inputs + count, input_b, count * sizeof (float));
  /* one run at batch 2: both pictures go through every layer together */
  status = vgg_run_new_with_options (&run, model, 2, options, error);
  if (status == VGG_STATUS_OK)
    {
      vgg_run_set_hook (run, cosine_hook, &job);
      vgg_run_watch (run, -1, VGG_STAGE_OUTPUT);
      status = vgg_run_forward (run, inputs, error);
    }
  if (status == VGG_STATUS_OK && job.seen != vgg_model_n_layers (model))
    status = vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT,
                            "the run reported %d of %d layers", job.seen,
                            vgg_model_n_layers (model));
  vgg_run_free (run);
  free (inputs);
  return status;
}

/* ---- Gram matrices ---- */

typedef struct
{
  int       n, n_layers;
  size_t   *offsets;     /* [n_layers + 1]: where each layer starts in one input's store */
  float    *store;       /* [kept, offsets[n_layers]]: the kept inputs' outputs */
  int       kept;        /* how many inputs' outputs the store holds */
  int       first, block; /* the inputs kept now: [first, first + block) */
  int       current;     /* the input running now */
  bool      storing;     /* the current input is one of the kept (at slot current − first) */
  double   *grams;
} GramJob;

static bool
gram_hook (const VggHookEvent *event,
           void               *user_data)
{
  GramJob *job = user_data;
  int l = event->layer_index, n = job->n;
  size_t count = job->offsets[l + 1] - job->offsets[l];
  size_t stride = job->offsets[job->n_layers];
  double *gram = job->grams + (size_t) l * n * n;
  int last = job->storing ? job->current - job->first : job->block;

  if (event->count != count)
    return false;
  if (job->storing)
    {
      float *slot = job->store + (size_t) (job->current - job->first) * stride + job->offsets[l];

      memcpy (slot, event->data, count * sizeof (float));
      gram[(size_t) job->current * n + job->current] = dot (slot, slot, count);
    }
  /* against the kept inputs before this one (all of them when this one is not kept) */
  for (int a = 0; a < last; a++)
    {
      int i = job->first + a;
      double v = dot (event->data, job->store + (size_t) a * stride + job->offsets[l], count);

      gram[(size_t) i * n + job->current] = v;
      gram[(size_t) job->current * n + i] = v;
    }
  return true;
}

VggStatus
vgg_layer_grams (const VggModel         *model,
                 const VggRunOptions    *options,
                 const float            *inputs,
                 int                     n,
                 double                  budget_mib,
                 double                 *grams,
                 VggCompareProgressFunc  progress,
                 void                   *user_data,
                 VggError               *error)
{
  const VggConfig *config;
  GramJob job = { 0 };
  VggRun *run = NULL;
  size_t input_count, per_input;
  double passes = 0.0, done = 0.0;
  VggStatus status = VGG_STATUS_OK;

  if (model == NULL || inputs == NULL || grams == NULL || n < 1)
    return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT,
                          "Gram matrices need a model, at least one input and a result");
  config = vgg_model_config (model);
  input_count = (size_t) config->input_channels * config->input_height * config->input_width;
  job.n = n;
  job.n_layers = vgg_model_n_layers (model);
  job.grams = grams;
  job.offsets = calloc ((size_t) job.n_layers + 1, sizeof (size_t));
  if (job.offsets == NULL)
    return vgg_error_set (error, VGG_STATUS_NO_MEMORY, "out of memory");
  for (int l = 0; l < job.n_layers; l++)
    {
      const VggLayer *layer = vgg_model_layer (model, l);
      job.offsets[l + 1] = job.offsets[l]
                           + (size_t) layer->channels_out * layer->height_out * layer->width_out;
    }
  per_input = job.offsets[job.n_layers];
  if (budget_mib <= 0.0)
    budget_mib = 256.0;
  job.kept = (int) (budget_mib * 1048576.0 / ((double) per_input * sizeof (float)));
  job.kept = job.kept < 1 ? 1 : job.kept > n ? n : job.kept;
  job.store = malloc ((size_t) job.kept * per_input * sizeof (float));
  if (job.store == NULL)
    {
      free (job.offsets);
      return vgg_error_set (error, VGG_STATUS_NO_MEMORY,
                            "out of memory for %d inputs' layer outputs", job.kept);
    }
  for (int first = 0; first < n; first += job.kept)
    passes += n - first < job.kept ? n : first + job.kept;

  status = vgg_run_new_with_options (&run, model, 1, options, error);
  if (status == VGG_STATUS_OK)
    {
      vgg_run_set_hook (run, gram_hook, &job);
      vgg_run_watch (run, -1, VGG_STAGE_OUTPUT);
    }
  for (int first = 0; first < n && status == VGG_STATUS_OK; first += job.kept)
    {
      int end = first + job.kept < n ? first + job.kept : n;

      job.first = first;
      job.block = end - first;
      /* the kept block itself, then every input before it against the block */
      for (int k = first; k < end + first && status == VGG_STATUS_OK; k++)
        {
          job.current = k < end ? k : k - end;
          job.storing = k < end;
          status = vgg_run_forward (run, inputs + (size_t) job.current * input_count, error);
          if (status == VGG_STATUS_STOPPED)
            status = vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT,
                                    "a layer's output did not have its planned size");
          done += 1.0;
          if (status == VGG_STATUS_OK && progress != NULL && !progress (done / passes, user_data))
            status = vgg_error_set (error, VGG_STATUS_CANCELLED, "the comparison was stopped");
        }
    }
  vgg_run_free (run);
  free (job.store);
  free (job.offsets);
  return status;
}

double
vgg_linear_cka (const double *gram_a,
                const double *gram_b,
                int           n)
{
  double *row_a, *row_b, all_a = 0.0, all_b = 0.0, ab = 0.0, aa = 0.0, bb = 0.0;

  if (gram_a == NULL || gram_b == NULL || n < 1)
    return NAN;
  row_a = calloc ((size_t) n, sizeof (double));
  row_b = calloc ((size_t) n, sizeof (double));
  if (row_a == NULL || row_b == NULL)
    {
      free (row_a);
      free (row_b);
      return NAN;
    }
  for (int i = 0; i < n; i++)
    {
      for (int j = 0; j < n; j++)
        {
          row_a[i] += gram_a[(size_t) i * n + j];
          row_b[i] += gram_b[(size_t) i * n + j];
        }
      all_a += row_a[i];
      all_b += row_b[i];
      row_a[i] /= n;
      row_b[i] /= n;
    }
  all_a /= (double) n * n;
  all_b /= (double) n * n;
  /* HKH: K_ij − mean of row i − mean of column j + mean of all (K is symmetric) */
  for (int i = 0; i < n; i++)
    for (int j = 0; j < n; j++)
      {
        double a = gram_a[(size_t) i * n + j] - row_a[i] - row_a[j] + all_a;
        double b = gram_b[(size_t) i * n + j] - row_b[i] - row_b[j] + all_b;

        ab += a * b;
        aa += a * a;
        bb += b * b;
      }
  free (row_a);
  free (row_b);
  if (!(aa > 0.0 && bb > 0.0))
    return NAN;
  return ab / (sqrt (aa) * sqrt (bb));
}
