/* scope-explain-job.c — compute one explanation on a worker thread, filling it in as it goes
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "scope-background.h"
#include "scope-engine-error.h"
#include "scope-explain-job.h"
#include "scope-heatmap.h"
#include "scope-tsan.h"

/* A gradient map is scaled by its 99th percentile, Grad-CAM and occlusion by their maximum */
#define GRADIENT_PERCENTILE 99.0
#define MAP_PERCENTILE      100.0

typedef struct
{
  ScopeModel          *model;
  GBytes              *input;
  ScopeExplainRequest  request;
  GWeakRef             explanation;
  GMainContext        *context;
  GCancellable        *cancellable;
  gint64               last_delivery;   /* µs, worker thread: partial maps at most every 50 ms */
} Job;

/* One hand-over to the main context. */
typedef struct
{
  GWeakRef      explanation;
  GCancellable *cancellable;
  double        fraction;
  float        *map;            /* display map, or NULL for progress alone */
  int           height, width;
  GBytes       *raw;
  int           raw_channels, raw_height, raw_width;
  char         *summary;
} Delivery;

static void
job_free (gpointer data)
{
  Job *job = data;

  /* the last reference to the task may go on the main thread or on the worker */
  SCOPE_TSAN_ACQUIRE (job);
  g_clear_object (&job->model);
  g_clear_pointer (&job->input, g_bytes_unref);
  g_weak_ref_clear (&job->explanation);
  g_clear_pointer (&job->context, g_main_context_unref);
  g_clear_object (&job->cancellable);
  g_free (job);
}

static void
delivery_free (gpointer data)
{
  Delivery *delivery = data;

  SCOPE_TSAN_ACQUIRE (delivery);   /* filled on the worker: deliver() */
  g_weak_ref_clear (&delivery->explanation);
  g_clear_object (&delivery->cancellable);
  g_free (delivery->map);
  g_clear_pointer (&delivery->raw, g_bytes_unref);
  g_free (delivery->summary);
  g_free (delivery);
}

static gboolean
delivery_apply (gpointer data)
{
  Delivery *delivery = data;
  g_autoptr(ScopeExplanation) explanation = NULL;

  SCOPE_TSAN_ACQUIRE (delivery);   /* filled on the worker: deliver() */
  explanation = g_weak_ref_get (&delivery->explanation);
  if (explanation == NULL
      || (delivery->cancellable != NULL && g_cancellable_is_cancelled (delivery->cancellable)))
    return G_SOURCE_REMOVE;
  if (delivery->map != NULL)
    scope_explanation_set_map (explanation, g_steal_pointer (&delivery->map), delivery->height,
                               delivery->width, delivery->raw, delivery->raw_channels,
                               delivery->raw_height, delivery->raw_width);
  if (delivery->summary != NULL)
    scope_explanation_set_summary (explanation, delivery->summary);
  scope_explanation_set_progress (explanation, delivery->fraction);
  return G_SOURCE_REMOVE;
}

/* Through an idle source: g_main_context_invoke() would run it here, on the worker, whenever
 * the main thread is not iterating its context. Takes @delivery. */
static void
deliver (Job      *job,
         Delivery *delivery)
{
  GSource *source = g_idle_source_new ();
  g_autoptr(ScopeExplanation) explanation = g_weak_ref_get (&job->explanation);

  g_weak_ref_init (&delivery->explanation, explanation);
  delivery->cancellable = job->cancellable != NULL ? g_object_ref (job->cancellable) : NULL;
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, delivery_apply, delivery, delivery_free);
  g_source_set_static_name (source, "[vgg-scope] explanation delivery");
  SCOPE_TSAN_RELEASE (delivery);
  g_source_attach (source, job->context);
  g_source_unref (source);
}

static void
on_explainer_progress (double  fraction,
                       void   *user_data)
{
  Job *job = user_data;
  Delivery *delivery = g_new0 (Delivery, 1);

  delivery->fraction = fraction;
  deliver (job, delivery);
}

static void
on_occlusion_progress (int          done,
                       int          total,
                       const float *map,
                       void        *user_data)
{
  Job *job = user_data;
  const VggConfig *config = vgg_model_config (scope_model_get_engine (job->model));
  gint64 now = g_get_monotonic_time ();
  Delivery *delivery;
  gsize plane = (gsize) config->input_height * config->input_width;
  int n_y, n_x;

  /* the map fills in as positions finish, at most 20 times a second */
  if (done < total && now - job->last_delivery < 50000)
    return;
  job->last_delivery = now;
  if (vgg_occlusion_map_size (scope_model_get_engine (job->model), job->request.patch,
                              job->request.stride, &n_y, &n_x, NULL) != VGG_STATUS_OK)
    return;
  delivery = g_new0 (Delivery, 1);
  delivery->fraction = total > 0 ? (double) done / total : 1.0;
  delivery->map = g_new (float, plane);
  delivery->height = config->input_height;
  delivery->width = config->input_width;
  scope_heatmap_from_occlusion (delivery->map, delivery->height, delivery->width, map, n_y, n_x,
                                job->request.patch, job->request.stride);
  scope_heatmap_normalize (delivery->map, plane, MAP_PERCENTILE);
  deliver (job, delivery);
}

/* On the thread that cancels, with what the worker made before connecting (scope-tsan.h) */
static void
cancel_explainer (GCancellable *cancellable,
                  gpointer      explainer)
{
  SCOPE_TSAN_ACQUIRE (explainer);
  vgg_explainer_cancel (explainer);
  SCOPE_TSAN_RELEASE (explainer);
}

static void
cancel_occlusion (GCancellable *cancellable,
                  gpointer      occlusion)
{
  SCOPE_TSAN_ACQUIRE (occlusion);
  vgg_occlusion_cancel (occlusion);
  SCOPE_TSAN_RELEASE (occlusion);
}

/* Occlusion, on the worker: the map arrives in pieces through on_occlusion_progress(). */
static gboolean
run_occlusion (Job       *job,
               Delivery  *done,
               GError   **error)
{
  const VggModel *model = scope_model_get_engine (job->model);
  VggOcclusionOptions options = { 0 };
  VggError engine_error = { 0 };
  VggOcclusion *occlusion;
  g_autofree float *map = NULL;
  gulong handler = 0;
  VggStatus status;
  int n_y, n_x;

  if (vgg_occlusion_map_size (model, job->request.patch, job->request.stride, &n_y, &n_x,
                              &engine_error) != VGG_STATUS_OK)
    {
      scope_engine_error_set (error, &engine_error, NULL, NULL);
      return FALSE;
    }
  occlusion = scope_model_acquire_occlusion (job->model, error);
  if (occlusion == NULL)
    return FALSE;
  options.class_index = job->request.class_index;
  options.patch = job->request.patch;
  options.stride = job->request.stride;
  options.progress = on_occlusion_progress;
  options.user_data = job;
  map = g_new (float, (gsize) n_y * n_x);
  if (job->cancellable != NULL)
    {
      SCOPE_TSAN_RELEASE (occlusion);
      handler = g_cancellable_connect (job->cancellable, G_CALLBACK (cancel_occlusion),
                                       occlusion, NULL);
    }
  status = vgg_occlusion_compute (occlusion, g_bytes_get_data (job->input, NULL), &options, map,
                                  &engine_error);
  if (job->cancellable != NULL)
    {
      g_cancellable_disconnect (job->cancellable, handler);   /* waits for a running handler */
      SCOPE_TSAN_ACQUIRE (occlusion);
    }
  scope_model_release_occlusion (job->model, occlusion);
  if (status != VGG_STATUS_OK)
    {
      scope_engine_error_set (error, &engine_error, NULL, NULL);
      return FALSE;
    }

  done->raw = g_bytes_new_take (g_steal_pointer (&map), (gsize) n_y * n_x * sizeof (float));
  done->raw_channels = 1;
  done->raw_height = n_y;
  done->raw_width = n_x;
  done->map = g_new (float, (gsize) done->height * done->width);
  scope_heatmap_from_occlusion (done->map, done->height, done->width,
                                g_bytes_get_data (done->raw, NULL), n_y, n_x, job->request.patch,
                                job->request.stride);
  scope_heatmap_normalize (done->map, (gsize) done->height * done->width, MAP_PERCENTILE);
  return TRUE;
}

static void
describe (Delivery               *done,
          ScopeExplainMethod      method,
          const VggExplainResult *result)
{
  if (method == SCOPE_EXPLAIN_ERF)
    /* Translators: the effective receptive field's statistics: the share of the gradient in
     * the central square of half the theoretical field's side, and the radii (in input
     * pixels) around its centre that hold half and nine tenths of it */
    done->summary = g_strdup_printf (_("Effective field: %.0f %% inside the central half, "
                                       "50 %% within %.1f px and 90 %% within %.1f px of the "
                                       "centre (theoretical field %d px)"),
                                     result->center_share * 100.0, result->radius_50,
                                     result->radius_90, result->field_size);
  else if (method == SCOPE_EXPLAIN_INTEGRATED)
    /* Translators: integrated gradients' completeness check: Σ IG should equal the score's
     * change from the baseline; %.4g are the sum, the change and the gap */
    done->summary = g_strdup_printf (_("Σ attributions %.4g, score change %.4g, "
                                       "completeness gap %.2g"),
                                     result->ig_sum, result->score - result->baseline_score,
                                     result->completeness_gap);
  else
    /* Translators: %.4g is the class score (logit) explained, %.0f the time in ms */
    done->summary = g_strdup_printf (_("Score %.4g, computed in %.0f ms"), result->score,
                                     result->seconds * 1000.0);
}

/* A gradient method, on the worker. */
static gboolean
run_gradients (Job       *job,
               Delivery  *done,
               GError   **error)
{
  VggExplainRequest request;
  VggExplainResult result = { 0 };
  VggError engine_error = { 0 };
  VggExplainer *explainer;
  g_autofree float *raw = NULL;
  gulong handler = 0;
  VggStatus status;
  int channels, height, width;

  switch (job->request.method)
    {
    case SCOPE_EXPLAIN_SALIENCY:
    case SCOPE_EXPLAIN_SMOOTHGRAD:
    case SCOPE_EXPLAIN_GRADIENT_INPUT:
      vgg_explain_request_init (&request, VGG_EXPLAIN_SALIENCY);
      request.times_input = job->request.method == SCOPE_EXPLAIN_GRADIENT_INPUT;
      if (job->request.method == SCOPE_EXPLAIN_SMOOTHGRAD)
        {
          request.smooth_samples = job->request.smooth_samples;
          request.noise_sigma = job->request.noise_sigma;
        }
      break;
    case SCOPE_EXPLAIN_GRADCAM:
      vgg_explain_request_init (&request, VGG_EXPLAIN_GRADCAM);
      break;
    case SCOPE_EXPLAIN_GUIDED:
      vgg_explain_request_init (&request, VGG_EXPLAIN_GUIDED);
      break;
    case SCOPE_EXPLAIN_GUIDED_GRADCAM:
      vgg_explain_request_init (&request, VGG_EXPLAIN_GUIDED_GRADCAM);
      break;
    case SCOPE_EXPLAIN_DECONV:
      vgg_explain_request_init (&request, VGG_EXPLAIN_DECONV);
      break;
    case SCOPE_EXPLAIN_ERF:
      vgg_explain_request_init (&request, VGG_EXPLAIN_ERF);
      request.layer_index = job->request.layer_index;
      request.unit_channel = job->request.unit_channel;
      request.unit_y = job->request.unit_y;
      request.unit_x = job->request.unit_x;
      break;
    case SCOPE_EXPLAIN_INTEGRATED:
    default:
      vgg_explain_request_init (&request, VGG_EXPLAIN_INTEGRATED_GRADIENTS);
      request.steps = job->request.steps;
      break;
    }
  request.class_index = job->request.class_index;
  if (job->request.method == SCOPE_EXPLAIN_GRADCAM
      || job->request.method == SCOPE_EXPLAIN_GUIDED_GRADCAM)
    request.layer_index = job->request.layer_index;

  explainer = scope_model_acquire_explainer (job->model, error);
  if (explainer == NULL)
    return FALSE;
  if (vgg_explainer_map_shape (explainer, &request, &channels, &height, &width, &engine_error)
      != VGG_STATUS_OK)
    {
      scope_model_release_explainer (job->model, explainer);
      scope_engine_error_set (error, &engine_error, NULL, NULL);
      return FALSE;
    }
  raw = g_new (float, (gsize) channels * height * width);
  vgg_explainer_set_progress (explainer, on_explainer_progress, job);
  if (job->cancellable != NULL)
    {
      SCOPE_TSAN_RELEASE (explainer);
      handler = g_cancellable_connect (job->cancellable, G_CALLBACK (cancel_explainer),
                                       explainer, NULL);
    }
  status = vgg_explainer_compute (explainer, g_bytes_get_data (job->input, NULL), &request, raw,
                                  &result, &engine_error);
  if (job->cancellable != NULL)
    {
      g_cancellable_disconnect (job->cancellable, handler);   /* waits for a running handler */
      SCOPE_TSAN_ACQUIRE (explainer);
    }
  scope_model_release_explainer (job->model, explainer);
  if (status != VGG_STATUS_OK)
    {
      scope_engine_error_set (error, &engine_error, NULL, NULL);
      return FALSE;
    }

  done->map = g_new (float, (gsize) done->height * done->width);
  if (job->request.method == SCOPE_EXPLAIN_GRADCAM)
    {
      vgg_explain_upsample (done->map, raw, height, width, done->height, done->width);
      scope_heatmap_normalize (done->map, (gsize) done->height * done->width, MAP_PERCENTILE);
    }
  else
    {
      /* attributions that add up, and the ERF's Σ|g| (as its statistics count it), are
       * summed over the channels */
      gboolean sums = job->request.method == SCOPE_EXPLAIN_GRADIENT_INPUT
                      || job->request.method == SCOPE_EXPLAIN_INTEGRATED
                      || job->request.method == SCOPE_EXPLAIN_ERF;

      scope_heatmap_reduce_channels (done->map, raw, channels, height, width,
                                     sums ? SCOPE_HEATMAP_CHANNELS_SUM_ABS
                                          : SCOPE_HEATMAP_CHANNELS_MAX_ABS);
      scope_heatmap_normalize (done->map, (gsize) height * width,
                               job->request.method == SCOPE_EXPLAIN_ERF ? MAP_PERCENTILE
                                                                        : GRADIENT_PERCENTILE);
    }
  done->raw = g_bytes_new_take (g_steal_pointer (&raw),
                                (gsize) channels * height * width * sizeof (float));
  done->raw_channels = channels;
  done->raw_height = height;
  done->raw_width = width;
  describe (done, job->request.method, &result);
  return TRUE;
}

static void
explain_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Job *job = task_data;
  const VggConfig *config;
  Delivery *done = g_new0 (Delivery, 1);
  g_autoptr(GError) error = NULL;
  gboolean ok;

  scope_background_lower_this_thread ();
  SCOPE_TSAN_ACQUIRE (task);   /* the job, filled on the main thread */
  config = vgg_model_config (scope_model_get_engine (job->model));
  done->height = config->input_height;
  done->width = config->input_width;
  done->fraction = 1.0;
  if (job->request.method == SCOPE_EXPLAIN_OCCLUSION)
    ok = run_occlusion (job, done, &error);
  else
    ok = run_gradients (job, done, &error);

  if (ok)
    deliver (job, done);
  else
    g_clear_pointer (&done, delivery_free);
  /* everything this thread did, to the callback and to job_free() */
  SCOPE_TSAN_RELEASE (task);
  SCOPE_TSAN_RELEASE (job);
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

void
scope_explain_request_init (ScopeExplainRequest *request,
                            ScopeExplainMethod   method,
                            ScopeModel          *model)
{
  const VggConfig *config = vgg_model_config (scope_model_get_engine (model));
  int side = MIN (config->input_height, config->input_width);

  *request = (ScopeExplainRequest) {
    .method = method,
    .class_index = 0,
    .layer_index = -1,
    .unit_channel = -1,
    .unit_y = -1,
    .unit_x = -1,
    .patch = MAX (1, (int) lround (side / 7.0)),
    .smooth_samples = 16,
    .steps = 32,
  };
  request->stride = MAX (1, request->patch / 2);
  /* 15 % of the input's range: about 0.15 · (2.64 − (−2.12)) for torchvision's normalisation,
   * 0.15 for inputs in [0, 1], 0.15 · 255 for Caffe's */
  switch (vgg_model_preset (scope_model_get_engine (model)))
    {
    case VGG_PRESET_TORCHVISION:
      request->noise_sigma = 0.15f * 4.76f;
      break;
    case VGG_PRESET_CAFFE:
      request->noise_sigma = 0.15f * 255.0f;
      break;
    default:
      request->noise_sigma = 0.15f;
      break;
    }
}

void
scope_explain_run_async (ScopeModel                *model,
                         GBytes                    *input,
                         const ScopeExplainRequest *request,
                         ScopeExplanation          *explanation,
                         GCancellable              *cancellable,
                         GAsyncReadyCallback        callback,
                         gpointer                   user_data)
{
  g_autoptr(GTask) task = NULL;
  Job *job;

  g_return_if_fail (SCOPE_IS_MODEL (model));
  g_return_if_fail (input != NULL);
  g_return_if_fail (request != NULL);
  g_return_if_fail (SCOPE_IS_EXPLANATION (explanation));

  job = g_new0 (Job, 1);
  job->model = g_object_ref (model);
  job->input = g_bytes_ref (input);
  job->request = *request;
  g_weak_ref_init (&job->explanation, explanation);
  job->context = g_main_context_ref_thread_default ();
  job->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;

  scope_explanation_set_status (explanation, SCOPE_RESULT_RUNNING, NULL);
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, scope_explain_run_async);
  g_task_set_name (task, "[vgg-scope] explanation");
  g_task_set_task_data (task, job, job_free);
  SCOPE_TSAN_RELEASE (task);   /* the job, to explain_thread() */
  g_task_run_in_thread (task, explain_thread);
}

gboolean
scope_explain_run_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == scope_explain_run_async,
                        FALSE);

  SCOPE_TSAN_ACQUIRE (result);   /* what explain_thread() did */
  return g_task_propagate_boolean (G_TASK (result), error);
}
