/* scope-inference.c — classify a picture on a worker thread, layer by layer
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "scope-background.h"
#include "scope-draw.h"
#include "scope-engine-error.h"
#include "scope-inference-private.h"
#include "scope-memory.h"
#include "scope-tsan.h"

/* The original is shown small; a 24-megapixel photo need not travel to the GPU whole. */
#define ORIGINAL_MAX_SIZE 1024

typedef struct
{
  ScopeModel   *model;
  ScopeSource  *source;
  GWeakRef      result;        /* ScopeResult, touched only on the main context */
  GMainContext *context;
  GCancellable *cancellable;   /* nullable */
  int           watched_layer; /* -1: every layer */
  GAsyncReadyCallback callback;
  gpointer      user_data;
} Job;

/* Jobs and deliveries alive (scope_inference_get_n_in_flight()). */
static int n_in_flight;

/* One hand-over from the worker to the main context. */
typedef struct
{
  GWeakRef      result;
  GCancellable *cancellable;
  ScopeCapture *capture;       /* a layer, or NULL for the input pictures: */
  GBytes       *original;
  int           original_width, original_height;
  GBytes       *seen;
  int           seen_width, seen_height;
  GBytes       *input;         /* the preprocessed tensor */
  graphene_rect_t seen_region; /* where the input comes from, in fractions of the picture */
  graphene_rect_t input_window;/* the input's whole window on the picture, the same way */
  GArray       *profile;       /* or each layer's seconds (double), after the pass */
} Delivery;

/* The last job or delivery gone: nothing runs, so what the inferences freed (megabytes of
 * activations and maps, in the workers' malloc arenas) goes back to the system. */
static void
in_flight_done (void)
{
  if (g_atomic_int_dec_and_test (&n_in_flight))
    scope_memory_release_soon ();
}

static void
job_free (gpointer data)
{
  Job *job = data;

  /* the last reference to the task may go on the main thread or on the worker */
  SCOPE_TSAN_ACQUIRE (job);
  g_clear_object (&job->model);
  g_clear_object (&job->source);
  g_weak_ref_clear (&job->result);
  g_clear_pointer (&job->context, g_main_context_unref);
  g_clear_object (&job->cancellable);
  g_free (job);
  in_flight_done ();
}

static void
delivery_free (gpointer data)
{
  Delivery *delivery = data;

  SCOPE_TSAN_ACQUIRE (delivery);
  g_weak_ref_clear (&delivery->result);
  g_clear_object (&delivery->cancellable);
  g_clear_pointer (&delivery->capture, scope_capture_unref);
  g_clear_pointer (&delivery->original, g_bytes_unref);
  g_clear_pointer (&delivery->seen, g_bytes_unref);
  g_clear_pointer (&delivery->input, g_bytes_unref);
  g_clear_pointer (&delivery->profile, g_array_unref);
  g_free (delivery);
  in_flight_done ();
}

/* Main context. */
static gboolean
delivery_apply (gpointer data)
{
  Delivery *delivery = data;
  g_autoptr(ScopeResult) result = NULL;

  SCOPE_TSAN_ACQUIRE (delivery);   /* filled on the worker: delivery_send() */
  result = g_weak_ref_get (&delivery->result);
  if (result == NULL)
    return G_SOURCE_REMOVE;
  if (delivery->cancellable != NULL && g_cancellable_is_cancelled (delivery->cancellable))
    return G_SOURCE_REMOVE;

  if (delivery->profile != NULL)
    scope_result_set_profile (result, (const double *) (gpointer) delivery->profile->data,
                              (int) delivery->profile->len);
  else if (delivery->capture != NULL)
    scope_result_add_capture (result, delivery->capture);
  else
    {
      /* laid out for cairo on the worker: no conversion on this thread */
      g_autoptr(GdkTexture) original = scope_draw_texture_new_bgra (delivery->original_width,
                                                                    delivery->original_height,
                                                                    delivery->original);
      g_autoptr(GdkTexture) seen = scope_draw_texture_new_bgra (delivery->seen_width,
                                                                delivery->seen_height,
                                                                delivery->seen);

      scope_result_set_seen_region (result, &delivery->seen_region, &delivery->input_window);
      scope_result_set_input (result, original, seen, delivery->input);
    }
  return G_SOURCE_REMOVE;
}

static Delivery *
delivery_new (Job *job)
{
  Delivery *delivery = g_new0 (Delivery, 1);
  g_autoptr(ScopeResult) result = g_weak_ref_get (&job->result);

  g_atomic_int_inc (&n_in_flight);
  g_weak_ref_init (&delivery->result, result);
  delivery->cancellable = job->cancellable != NULL ? g_object_ref (job->cancellable) : NULL;
  return delivery;
}

/* Always through an idle source: g_main_context_invoke() would run the function right here,
 * on the worker, whenever the main thread is not iterating its (default) context. */
static void
delivery_send (Job      *job,
               Delivery *delivery)
{
  GSource *source = g_idle_source_new ();

  SCOPE_TSAN_RELEASE (delivery);
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, delivery_apply, delivery, delivery_free);
  g_source_set_static_name (source, "[vgg-scope] inference delivery");
  g_source_attach (source, job->context);
  g_source_unref (source);
}

/* An area-averaging reduction of @image to fit @max_size, as B, G, R, A bytes (cairo's
 * layout: scope_draw_texture_new_bgra()). */
static GBytes *
image_reduce (const VggImage *image,
              int             max_size,
              int            *width_out,
              int            *height_out)
{
  int factor = 1, width, height;
  guchar *pixels;

  while (image->width / factor > max_size || image->height / factor > max_size)
    factor++;
  width = MAX (1, image->width / factor);
  height = MAX (1, image->height / factor);
  *width_out = width;
  *height_out = height;

  pixels = g_malloc ((gsize) width * height * 4);
  if (factor == 1)
    {
      /* no reduction: reordered only (three divisions a pixel were 3 ms of the worker's
       * time before a picture's first layer, for 451 × 300) */
      for (gsize i = 0; i < (gsize) width * height; i++)
        {
          pixels[4 * i + 0] = image->pixels[3 * i + 2];
          pixels[4 * i + 1] = image->pixels[3 * i + 1];
          pixels[4 * i + 2] = image->pixels[3 * i + 0];
          pixels[4 * i + 3] = 255;
        }
      return g_bytes_new_take (pixels, (gsize) width * height * 4);
    }
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guint sum[3] = { 0, 0, 0 };
        guchar *out = pixels + ((gsize) y * width + x) * 4;

        for (int dy = 0; dy < factor; dy++)
          {
            const uint8_t *row = image->pixels
                                 + ((gsize) (y * factor + dy) * image->width + x * factor) * 3;

            for (int dx = 0; dx < factor; dx++)
              for (int c = 0; c < 3; c++)
                sum[c] += row[dx * 3 + c];
          }
        out[0] = (guchar) (sum[2] / (guint) (factor * factor));
        out[1] = (guchar) (sum[1] / (guint) (factor * factor));
        out[2] = (guchar) (sum[0] / (guint) (factor * factor));
        out[3] = 255;
      }
  return g_bytes_new_take (pixels, (gsize) width * height * 4);
}

/* Where the network's input comes from in @image and where its whole window lies, as
 * fractions of the picture's size (empty when the steps cannot be told). */
static void
seen_region (const VggModel  *model,
             const VggImage  *image,
             graphene_rect_t *region,
             graphene_rect_t *window)
{
  const VggConfig *config = vgg_model_config (model);
  VggPreprocessSteps steps = { 0 };
  VggError error = { 0 };

  graphene_rect_init (region, 0, 0, 0, 0);
  graphene_rect_init (window, 0, 0, 0, 0);
  if (vgg_preprocess_steps (&steps, config->input_channels, config->input_height,
                            config->input_width, image, vgg_model_preset (model), NULL,
                            &error) != VGG_STATUS_OK
      || image->width <= 0 || image->height <= 0)
    return;
  if (steps.preset == VGG_PRESET_FASHION_MNIST)
    {
      /* the box, scaled to fit_width × fit_height, sits in the middle of a side × side
       * square in the middle of the input (as the engine's preprocessing places it) */
      double per_x = (double) steps.box_width / steps.fit_width;
      double per_y = (double) steps.box_height / steps.fit_height;
      int left = (steps.width - steps.side) / 2 + (steps.side - steps.fit_width) / 2;
      int top = (steps.height - steps.side) / 2 + (steps.side - steps.fit_height) / 2;

      graphene_rect_init (region, (float) steps.box_x / image->width,
                          (float) steps.box_y / image->height,
                          (float) steps.box_width / image->width,
                          (float) steps.box_height / image->height);
      graphene_rect_init (window, (float) ((steps.box_x - left * per_x) / image->width),
                          (float) ((steps.box_y - top * per_y) / image->height),
                          (float) (steps.width * per_x / image->width),
                          (float) (steps.height * per_y / image->height));
      return;
    }
  if (steps.resize_width > 0 && steps.resize_height > 0)
    /* the input's window in the resized picture, back in the picture's own units */
    graphene_rect_init (region, (float) steps.crop_left / steps.resize_width,
                        (float) steps.crop_top / steps.resize_height,
                        (float) MIN (steps.width, steps.resize_width) / steps.resize_width,
                        (float) MIN (steps.height, steps.resize_height) / steps.resize_height);
  *window = *region;
}

/* Worker thread, inside vgg_run_forward(). */
static bool
inference_hook (const VggHookEvent *event,
                void               *user_data)
{
  Job *job = user_data;
  Delivery *delivery;

  if (job->cancellable != NULL && g_cancellable_is_cancelled (job->cancellable))
    return false;

  delivery = delivery_new (job);
  delivery->capture = scope_capture_new_from_event (event);
  delivery_send (job, delivery);
  return true;
}

/* On the thread that cancels (the main thread), or on the worker when the cancellable was
 * cancelled before it was connected. */
static void
on_cancelled (GCancellable *cancellable,
              gpointer      user_data)
{
  SCOPE_TSAN_ACQUIRE (user_data);   /* the run, made on the worker */
  vgg_run_cancel (user_data);
  SCOPE_TSAN_RELEASE (user_data);
}

static void
inference_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  Job *job = task_data;
  const VggModel *model;
  const VggConfig *config;
  VggImage image = { 0 }, seen = { 0 };
  VggError engine_error = { 0 };
  VggStatus status;
  VggRun *run = NULL;
  ScopeInferenceOutcome *outcome = NULL;
  Delivery *delivery;
  g_autofree float *input = NULL;
  g_autoptr(GError) error = NULL;
  gint64 forward_start = 0, forward_end = 0;
  gulong handler = 0;

  SCOPE_TSAN_ACQUIRE (task);   /* the job, filled on the main thread */
  scope_background_lower_this_thread ();
  model = scope_model_get_engine (job->model);
  config = vgg_model_config (model);
  if (!scope_source_decode (job->source, &image, cancellable, &error)
      || g_cancellable_set_error_if_cancelled (cancellable, &error))
    goto out;

  input = g_new (float, (gsize) config->input_channels * config->input_height
                        * config->input_width);
  if (vgg_model_preprocess (model, input, &image, &seen, &engine_error) != VGG_STATUS_OK)
    {
      scope_engine_error_set (&error, &engine_error, "image data",
                              scope_source_get_display_name (job->source));
      goto out;
    }

  delivery = delivery_new (job);
  seen_region (model, &image, &delivery->seen_region, &delivery->input_window);
  delivery->original = image_reduce (&image, ORIGINAL_MAX_SIZE, &delivery->original_width,
                                     &delivery->original_height);
  /* (at its own size: a copy in cairo's layout) */
  delivery->seen = image_reduce (&seen, MAX (seen.width, seen.height), &delivery->seen_width,
                                 &delivery->seen_height);
  delivery->input = g_bytes_new (input, (gsize) config->input_channels * config->input_height
                                        * config->input_width * sizeof (float));
  delivery_send (job, delivery);
  vgg_image_clear (&image);

  run = scope_model_acquire_run (job->model, &error);
  if (run == NULL)
    goto out;
  vgg_run_set_hook (run, inference_hook, job);
  vgg_run_watch (run, job->watched_layer, VGG_STAGE_OUTPUT);
  if (cancellable != NULL)
    {
      SCOPE_TSAN_RELEASE (run);   /* to on_cancelled() */
      handler = g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled), run, NULL);
    }

  forward_start = g_get_monotonic_time ();
  status = vgg_run_forward (run, input, &engine_error);
  forward_end = g_get_monotonic_time ();

  if (cancellable != NULL)
    {
      g_cancellable_disconnect (cancellable, handler);   /* waits for a running handler */
      SCOPE_TSAN_ACQUIRE (run);
    }

  /* the run goes back to the model's pool even when cancelled: vgg_run_forward() drops a
   * stale cancel request when the next pass starts, so reusing it costs no re-planning */
  if (g_cancellable_set_error_if_cancelled (cancellable, &error))
    goto out;
  if (status != VGG_STATUS_OK)
    {
      scope_engine_error_set (&error, &engine_error, NULL, NULL);
      goto out;
    }

  /* where the time went, layer by layer, for the layer table */
  delivery = delivery_new (job);
  delivery->profile = g_array_new (FALSE, FALSE, sizeof (double));
  for (int i = 0; i < vgg_model_n_layers (model); i++)
    {
      VggLayerProfile profile = { 0 };
      double seconds = vgg_run_layer_profile (run, i, &profile) ? profile.seconds : -1.0;

      g_array_append_val (delivery->profile, seconds);
    }
  delivery_send (job, delivery);

  outcome = g_new0 (ScopeInferenceOutcome, 1);
  outcome->k = vgg_run_top_k (run, 0, SCOPE_INFERENCE_TOP_K, outcome->classes,
                              outcome->probabilities);
  outcome->elapsed = (double) (forward_end - forward_start) / G_USEC_PER_SEC;

out:
  if (run != NULL)
    scope_model_release_run (job->model, run);
  vgg_image_clear (&image);
  vgg_image_clear (&seen);

  /* everything this thread did, to scope_inference_run_finish() and to job_free() (the task's
   * last reference can go on either thread) */
  SCOPE_TSAN_RELEASE (task);
  SCOPE_TSAN_RELEASE (job);
  if (outcome != NULL)
    g_task_return_pointer (task, outcome, g_free);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

/* Main context, before the caller's callback: the picture's last reference from the job goes
 * here, so the source (which the main thread reads too) is never finalised on a worker. */
static void
on_task_done (GObject      *source_object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Job *job = user_data;

  SCOPE_TSAN_ACQUIRE (job);   /* the worker's last touch of the job: inference_thread() */
  g_clear_object (&job->source);
  if (job->callback != NULL)
    job->callback (source_object, result, job->user_data);
  SCOPE_TSAN_RELEASE (job);   /* to job_free(), wherever the task goes last */
}

void
scope_inference_run_async (ScopeModel          *model,
                           ScopeSource         *source,
                           ScopeResult         *result,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Job *job;

  g_return_if_fail (SCOPE_IS_MODEL (model));
  g_return_if_fail (SCOPE_IS_SOURCE (source));
  g_return_if_fail (SCOPE_IS_RESULT (result));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  g_atomic_int_inc (&n_in_flight);
  job = g_new0 (Job, 1);
  job->model = g_object_ref (model);
  job->source = g_object_ref (source);
  g_weak_ref_init (&job->result, result);
  job->context = g_main_context_ref_thread_default ();
  job->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  job->watched_layer = scope_result_get_watched_layer (result);
  job->callback = callback;
  job->user_data = user_data;

  /* the job outlives the callback: the task holds it until it is finalised */
  task = g_task_new (NULL, cancellable, on_task_done, job);
  g_task_set_source_tag (task, scope_inference_run_async);
  g_task_set_name (task, "[vgg-scope] inference");
  g_task_set_task_data (task, job, job_free);
  SCOPE_TSAN_RELEASE (task);   /* the job, to inference_thread() */
  g_task_run_in_thread (task, inference_thread);
}

gboolean
scope_inference_run_finish (GAsyncResult           *result,
                            ScopeInferenceOutcome  *outcome,
                            GError                **error)
{
  g_autofree ScopeInferenceOutcome *found = NULL;

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == scope_inference_run_async,
                        FALSE);

  SCOPE_TSAN_ACQUIRE (result);   /* the outcome, from inference_thread() */
  found = g_task_propagate_pointer (G_TASK (result), error);
  if (found == NULL)
    return FALSE;
  if (outcome != NULL)
    *outcome = *found;
  return TRUE;
}

guint
scope_inference_get_n_in_flight (void)
{
  return (guint) g_atomic_int_get (&n_in_flight);
}
