/* scope-unit-job.c — one unit's breakdown computed on a worker thread
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "scope-engine-error.h"
#include "scope-unit-job.h"

typedef struct
{
  ScopeModel   *model;      /* keeps the engine model alive while the probe uses it */
  VggUnitProbe *probe;      /* lent by the caller, handed back by finish */
  GBytes       *input;
  int           layer_index, channel, y, x;
} UnitJob;

static void
unit_job_free (UnitJob *job)
{
  /* a job whose result was never collected still owns the probe */
  vgg_unit_probe_free (job->probe);
  g_clear_object (&job->model);
  g_clear_pointer (&job->input, g_bytes_unref);
  g_free (job);
}

static void
on_cancelled (GCancellable *cancellable,
              VggUnitProbe *probe)
{
  vgg_unit_probe_cancel (probe);
}

static void
unit_job_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  UnitJob *job = task_data;
  VggUnitBreakdown *breakdown = NULL;
  VggError error = { 0 };
  VggStatus status;
  gulong handler = 0;

  if (cancellable != NULL)
    handler = g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled), job->probe, NULL);
  if (g_task_return_error_if_cancelled (task))
    {
      g_cancellable_disconnect (cancellable, handler);
      return;
    }
  status = vgg_unit_probe_compute (job->probe, g_bytes_get_data (job->input, NULL),
                                   job->layer_index, job->channel, job->y, job->x, &breakdown,
                                   &error);
  if (cancellable != NULL)
    g_cancellable_disconnect (cancellable, handler);
  if (g_task_return_error_if_cancelled (task))
    vgg_unit_breakdown_free (breakdown);
  else if (status != VGG_STATUS_OK)
    {
      GError *gerror = NULL;

      scope_engine_error_set (&gerror, &error, NULL, NULL);
      g_task_return_error (task, gerror);
    }
  else
    g_task_return_pointer (task, breakdown, (GDestroyNotify) vgg_unit_breakdown_free);
}

void
scope_unit_run_async (ScopeModel          *model,
                      VggUnitProbe        *probe,
                      GBytes              *input,
                      int                  layer_index,
                      int                  channel,
                      int                  y,
                      int                  x,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr (GTask) task = NULL;
  UnitJob *job;

  g_return_if_fail (SCOPE_IS_MODEL (model));
  g_return_if_fail (probe != NULL);
  g_return_if_fail (input != NULL);

  job = g_new0 (UnitJob, 1);
  job->model = g_object_ref (model);
  job->probe = probe;
  job->input = g_bytes_ref (input);
  job->layer_index = layer_index;
  job->channel = channel;
  job->y = y;
  job->x = x;
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, scope_unit_run_async);
  g_task_set_name (task, "[vgg-scope] unit breakdown");
  g_task_set_task_data (task, job, (GDestroyNotify) unit_job_free);
  g_task_run_in_thread (task, unit_job_thread);
}

VggUnitBreakdown *
scope_unit_run_finish (GAsyncResult  *result,
                       VggUnitProbe **probe,
                       GError       **error)
{
  GTask *task = G_TASK (result);
  UnitJob *job;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (task) == scope_unit_run_async, NULL);

  job = g_task_get_task_data (task);
  *probe = g_steal_pointer (&job->probe);
  return g_task_propagate_pointer (task, error);
}
