/* scope-compare-job.c — two pictures through one model on a worker thread
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The task data owns its copies: the model, the first picture's input, the second's source.
 * Nothing here touches GTK.
 */
#include "config.h"

#include "scope-capture.h"
#include "scope-compare-job.h"
#include "scope-engine-environment.h"
#include "scope-engine-error.h"
#include "scope-source.h"
#include "vgg-compare.h"

typedef struct
{
  ScopeModel  *model;
  GBytes      *input_a;
  ScopeSource *source_b;
  double      *cosines;
  GPtrArray   *captures_a, *captures_b;
} CompareJob;

static void
compare_job_free (CompareJob *job)
{
  g_clear_object (&job->model);
  g_clear_pointer (&job->input_a, g_bytes_unref);
  g_clear_object (&job->source_b);
  g_free (job->cosines);
  g_clear_pointer (&job->captures_a, g_ptr_array_unref);
  g_clear_pointer (&job->captures_b, g_ptr_array_unref);
  g_free (job);
}

static bool
keep_layer (const VggHookEvent *event,
            void               *user_data)
{
  g_ptr_array_add (user_data, scope_capture_new_from_event (event));
  return true;
}

static gboolean
capture_all (const VggModel *model,
             const float    *input,
             GPtrArray      *captures,
             GError        **error)
{
  VggRunOptions options;
  VggError engine_error = { 0 };
  VggRun *run = NULL;

  scope_engine_environment_run_options (&options);
  if (vgg_run_new_with_options (&run, model, 1, &options, &engine_error) == VGG_STATUS_OK)
    {
      vgg_run_set_hook (run, keep_layer, captures);
      vgg_run_watch (run, -1, VGG_STAGE_OUTPUT);
      vgg_run_forward (run, input, &engine_error);
    }
  vgg_run_free (run);
  if (engine_error.status != VGG_STATUS_OK)
    return scope_engine_error_set (error, &engine_error, NULL, NULL);
  return TRUE;
}

static void
compare_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  CompareJob *job = task_data;
  const VggModel *model = scope_model_get_engine (job->model);
  const float *input_a = g_bytes_get_data (job->input_a, NULL);
  const VggConfig *config = vgg_model_config (model);
  g_autofree float *input_b = g_new (float, (gsize) config->input_channels
                                            * config->input_height * config->input_width);
  VggImage image = { 0 };
  VggError engine_error = { 0 };
  VggRunOptions options;
  GError *error = NULL;

  if (!scope_source_decode (job->source_b, &image, cancellable, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (vgg_model_preprocess (model, input_b, &image, NULL, &engine_error) != VGG_STATUS_OK)
    {
      vgg_image_clear (&image);
      scope_engine_error_set (&error, &engine_error, NULL, NULL);
      g_task_return_error (task, error);
      return;
    }
  vgg_image_clear (&image);
  job->cosines = g_new (double, vgg_model_n_layers (model));
  scope_engine_environment_run_options (&options);
  if (vgg_compare_inputs (model, &options, input_a, input_b, job->cosines, &engine_error)
      != VGG_STATUS_OK)
    {
      scope_engine_error_set (&error, &engine_error, NULL, NULL);
      g_task_return_error (task, error);
      return;
    }
  job->captures_a = g_ptr_array_new_with_free_func ((GDestroyNotify) scope_capture_unref);
  job->captures_b = g_ptr_array_new_with_free_func ((GDestroyNotify) scope_capture_unref);
  if (!capture_all (model, input_a, job->captures_a, &error)
      || !capture_all (model, input_b, job->captures_b, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

void
scope_comparison_free (ScopeComparison *comparison)
{
  if (comparison == NULL)
    return;
  g_clear_object (&comparison->model);
  g_free (comparison->cosines);
  g_clear_pointer (&comparison->captures_a, g_ptr_array_unref);
  g_clear_pointer (&comparison->captures_b, g_ptr_array_unref);
  g_free (comparison);
}

void
scope_compare_job_run_async (GObject             *source_object,
                             ScopeModel          *model,
                             GBytes              *input_a,
                             GFile               *second,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (source_object, cancellable, callback, user_data);
  CompareJob *job = g_new0 (CompareJob, 1);

  job->model = g_object_ref (model);
  job->input_a = g_bytes_ref (input_a);
  job->source_b = scope_source_new_for_file (second);
  g_task_set_source_tag (task, scope_compare_job_run_async);
  g_task_set_task_data (task, job, (GDestroyNotify) compare_job_free);
  g_task_run_in_thread (task, compare_thread);
}

ScopeComparison *
scope_compare_job_finish (GAsyncResult  *result,
                          GError       **error)
{
  CompareJob *job;
  ScopeComparison *comparison;

  g_return_val_if_fail (G_IS_TASK (result), NULL);
  if (!g_task_propagate_boolean (G_TASK (result), error))
    return NULL;
  job = g_task_get_task_data (G_TASK (result));
  comparison = g_new0 (ScopeComparison, 1);
  comparison->model = g_object_ref (job->model);
  comparison->cosines = g_steal_pointer (&job->cosines);
  comparison->captures_a = g_steal_pointer (&job->captures_a);
  comparison->captures_b = g_steal_pointer (&job->captures_b);
  return comparison;
}
