/* scope-preprocess-job.c — every preset that fits a model, applied to one picture, off the
 * main thread
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "scope-engine-error.h"
#include "scope-preprocess-job.h"

#define RESIZED_MAX_SIZE 512

typedef struct
{
  ScopeModel  *model;
  ScopeSource *source;
} Job;

static void
job_free (gpointer data)
{
  Job *job = data;

  g_clear_object (&job->model);
  g_clear_object (&job->source);
  g_free (job);
}

static void
pixels_clear (ScopePixels *pixels)
{
  g_clear_pointer (&pixels->pixels, g_bytes_unref);
}

void
scope_preprocess_outcome_free (ScopePreprocessOutcome *outcome)
{
  if (outcome == NULL)
    return;
  for (int i = 0; i < outcome->n_presets; i++)
    {
      ScopePresetOutcome *preset = &outcome->presets[i];

      pixels_clear (&preset->resized);
      pixels_clear (&preset->seen);
      for (int c = 0; c < 3; c++)
        pixels_clear (&preset->planes[c]);
    }
  g_free (outcome);
}

gboolean
scope_preset_fits_model (VggPreset       preset,
                         const VggModel *model)
{
  const VggConfig *config = vgg_model_config (model);

  switch (preset)
    {
    case VGG_PRESET_TORCHVISION:
    case VGG_PRESET_CAFFE:
      return config->input_channels == 3;
    case VGG_PRESET_FASHION_MNIST:
      return config->input_channels == 1;
    case VGG_PRESET_PLAIN:
      return TRUE;
    case VGG_PRESET_N_PRESETS:
    default:
      return FALSE;
    }
}

/* An area-averaging reduction of @image to fit @max_size. */
static ScopePixels
pixels_reduce (const VggImage *image,
               int             max_size)
{
  ScopePixels out;
  int factor = 1;
  guint8 *pixels;

  while (image->width / factor > max_size || image->height / factor > max_size)
    factor++;
  out.width = MAX (1, image->width / factor);
  out.height = MAX (1, image->height / factor);
  pixels = g_malloc ((gsize) out.width * out.height * 3);
  for (int y = 0; y < out.height; y++)
    for (int x = 0; x < out.width; x++)
      for (int c = 0; c < 3; c++)
        {
          guint sum = 0;

          for (int dy = 0; dy < factor; dy++)
            for (int dx = 0; dx < factor; dx++)
              sum += image->pixels[((gsize) (y * factor + dy) * image->width + x * factor + dx)
                                   * 3 + c];
          pixels[((gsize) y * out.width + x) * 3 + c] = (guint8) (sum / (guint) (factor * factor));
        }
  out.pixels = g_bytes_new_take (pixels, (gsize) out.width * out.height * 3);
  return out;
}

/* Input channel @plane stretched from its range to grey. */
static ScopePixels
pixels_from_plane (const float *plane,
                   int          width,
                   int          height,
                   float       *low,
                   float       *high)
{
  ScopePixels out = { NULL, width, height };
  gsize n = (gsize) width * height;
  guint8 *pixels = g_malloc (n * 3);
  float range;

  *low = INFINITY;
  *high = -INFINITY;
  for (gsize i = 0; i < n; i++)
    {
      *low = MIN (*low, plane[i]);
      *high = MAX (*high, plane[i]);
    }
  range = *high > *low ? *high - *low : 1.0f;
  for (gsize i = 0; i < n; i++)
    pixels[3 * i] = pixels[3 * i + 1] = pixels[3 * i + 2]
      = (guint8) lrintf ((plane[i] - *low) / range * 255.0f);
  out.pixels = g_bytes_new_take (pixels, n * 3);
  return out;
}

static void
on_cancelled (GCancellable *cancellable,
              gpointer      run)
{
  vgg_run_cancel (run);
}

/* The preset's steps, pictures and top-5 on @image; FALSE with @error set on failure. */
static gboolean
apply_preset (ScopePresetOutcome *outcome,
              ScopeModel         *scope_model,
              const VggImage     *image,
              VggPreset           preset,
              GCancellable       *cancellable,
              GError            **error)
{
  const VggModel *model = scope_model_get_engine (scope_model);
  const VggConfig *config = vgg_model_config (model);
  int channels = config->input_channels, height = config->input_height;
  int width = config->input_width;
  gsize plane = (gsize) height * width;
  g_autofree float *input = g_new (float, plane * channels);
  VggImage resized = { 0 }, seen = { 0 };
  VggError engine_error = { 0 };
  VggStatus status;
  VggRun *run;
  gulong handler = 0;

  status = vgg_preprocess_steps (&outcome->steps, channels, height, width, image, preset,
                                 &resized, &engine_error);
  if (status == VGG_STATUS_OK)
    status = vgg_preprocess (input, channels, height, width, image, preset, &seen,
                             &engine_error);
  if (status != VGG_STATUS_OK)
    {
      vgg_image_clear (&resized);
      scope_engine_error_set (error, &engine_error, NULL, NULL);
      return FALSE;
    }
  outcome->resized = pixels_reduce (&resized, RESIZED_MAX_SIZE);
  outcome->seen.width = seen.width;
  outcome->seen.height = seen.height;
  outcome->seen.pixels = g_bytes_new (seen.pixels, (gsize) seen.width * seen.height * 3);
  memcpy (outcome->centre, seen.pixels + ((gsize) (height / 2) * width + width / 2) * 3, 3);
  for (int c = 0; c < channels; c++)
    {
      outcome->planes[c] = pixels_from_plane (input + c * plane, width, height,
                                              &outcome->plane_min[c], &outcome->plane_max[c]);
      outcome->centre_input[c] = input[c * plane + (gsize) (height / 2) * width + width / 2];
    }
  vgg_image_clear (&resized);
  vgg_image_clear (&seen);

  if (vgg_model_n_classes (model) == 0)
    return TRUE;
  run = scope_model_acquire_run (scope_model, error);
  if (run == NULL)
    return FALSE;
  vgg_run_set_hook (run, NULL, NULL);
  vgg_run_watch (run, -1, 0);
  if (cancellable != NULL)
    handler = g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled), run, NULL);
  status = vgg_run_forward (run, input, &engine_error);
  if (cancellable != NULL)
    g_cancellable_disconnect (cancellable, handler);
  if (status == VGG_STATUS_OK)
    outcome->k = vgg_run_top_k (run, 0, SCOPE_PREPROCESS_TOP_K, outcome->classes,
                                outcome->probabilities);
  scope_model_release_run (scope_model, run);
  if (status != VGG_STATUS_OK)
    {
      if (status == VGG_STATUS_CANCELLED)
        g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "cancelled");
      else
        scope_engine_error_set (error, &engine_error, NULL, NULL);
      return FALSE;
    }
  return TRUE;
}

static void
preprocess_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  Job *job = task_data;
  const VggModel *model = scope_model_get_engine (job->model);
  g_autoptr(ScopePreprocessOutcome) outcome = g_new0 (ScopePreprocessOutcome, 1);
  g_autoptr(GError) error = NULL;
  VggImage image = { 0 };
  VggPreset own = vgg_model_preset (model);

  if (!scope_source_decode (job->source, &image, cancellable, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* the model's own preset first, then the others in the enum's order */
  for (int pass = 0; pass < 2; pass++)
    for (int p = 0; p < VGG_PRESET_N_PRESETS; p++)
      {
        VggPreset preset = (VggPreset) p;

        if ((pass == 0) != (preset == own) || !scope_preset_fits_model (preset, model))
          continue;
        if (g_task_return_error_if_cancelled (task))
          {
            vgg_image_clear (&image);
            return;
          }
        if (!apply_preset (&outcome->presets[outcome->n_presets], job->model, &image, preset,
                           cancellable, &error))
          {
            /* what was filled of this one is freed with the outcome */
            outcome->n_presets++;
            vgg_image_clear (&image);
            g_task_return_error (task, g_steal_pointer (&error));
            return;
          }
        outcome->n_presets++;
      }
  vgg_image_clear (&image);
  g_task_return_pointer (task, g_steal_pointer (&outcome),
                         (GDestroyNotify) scope_preprocess_outcome_free);
}

void
scope_preprocess_job_run_async (ScopeModel          *model,
                                ScopeSource         *source,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Job *job;

  g_return_if_fail (SCOPE_IS_MODEL (model));
  g_return_if_fail (SCOPE_IS_SOURCE (source));

  job = g_new0 (Job, 1);
  job->model = g_object_ref (model);
  job->source = g_object_ref (source);
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, scope_preprocess_job_run_async);
  g_task_set_name (task, "[vgg-scope] preprocessing steps");
  g_task_set_task_data (task, job, job_free);
  g_task_run_in_thread (task, preprocess_thread);
}

ScopePreprocessOutcome *
scope_preprocess_job_run_finish (GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result))
                        == scope_preprocess_job_run_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
