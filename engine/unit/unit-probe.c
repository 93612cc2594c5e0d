/* unit-probe.c — the runs behind a unit's breakdown: exact and default, up to its layer
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The probe runs the network only as far as the layer asked (its hook stops the pass there),
 * watching the layer before it (the window's numbers) and the layer itself (pre-activation
 * and output), once exact and once with the default algorithms. What it copies out is kept
 * for the next unit of the same layer and picture.
 */
#include "config.h"

#include "engine-private.h"
#include "model-private.h"
#include "unit-private.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

struct VggUnitProbe
{
  const VggModel *model;
  VggRunOptions   fast_options;
  /* made on first use; atomic because vgg_unit_probe_cancel() reads them from any thread */
  _Atomic (VggRun *) exact_run;
  _Atomic (VggRun *) fast_run;

  /* what the buffers below hold: the input and layer they were computed for */
  float          *input;
  size_t          input_count;
  int             layer_index;      /* -1: nothing yet */

  float          *previous;         /* [count of the layer's input] */
  const char     *exact_algorithm, *fast_algorithm;   /* what ran at the layer */
  float          *exact_pre, *exact_out, *fast_pre, *fast_out;   /* [count of its output] */
  size_t          previous_count, output_count;

  atomic_bool     cancel_requested;
};

/* What the hook of one pass copies. */
typedef struct
{
  VggUnitProbe *probe;
  int           layer_index;
  float        *previous;           /* NULL: not wanted */
  float        *pre, *out;
} Capture;

VggStatus
vgg_unit_probe_new (VggUnitProbe        **probe_out,
                    const VggModel       *model,
                    const VggRunOptions  *fast_options,
                    VggError             *error)
{
  VggUnitProbe *probe;
  const VggConfig *config;

  if (probe_out == NULL || model == NULL)
    return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT, "no model for the unit probe");
  *probe_out = NULL;
  probe = calloc (1, sizeof *probe);
  if (probe == NULL)
    return vgg_error_set (error, VGG_STATUS_NO_MEMORY, "out of memory");
  config = vgg_model_config (model);
  probe->model = model;
  if (fast_options != NULL)
    probe->fast_options = *fast_options;
  probe->fast_options.exact = false;
  probe->layer_index = -1;
  probe->input_count = (size_t) config->input_channels * config->input_height
                       * config->input_width;
  probe->input = malloc (probe->input_count * sizeof *probe->input);
  if (probe->input == NULL)
    {
      free (probe);
      return vgg_error_set (error, VGG_STATUS_NO_MEMORY, "out of memory");
    }
  atomic_init (&probe->cancel_requested, false);
  atomic_init (&probe->exact_run, NULL);
  atomic_init (&probe->fast_run, NULL);
  *probe_out = probe;
  return VGG_STATUS_OK;
}

static void
clear_buffers (VggUnitProbe *probe)
{
  free (probe->previous);
  free (probe->exact_pre);
  free (probe->exact_out);
  free (probe->fast_pre);
  free (probe->fast_out);
  probe->previous = probe->exact_pre = probe->exact_out = probe->fast_pre = probe->fast_out
    = NULL;
  probe->layer_index = -1;
}

void
vgg_unit_probe_free (VggUnitProbe *probe)
{
  if (probe == NULL)
    return;
  clear_buffers (probe);
  vgg_run_free (atomic_load (&probe->exact_run));
  vgg_run_free (atomic_load (&probe->fast_run));
  free (probe->input);
  free (probe);
}

void
vgg_unit_probe_cancel (VggUnitProbe *probe)
{
  VggRun *exact, *fast;

  if (probe == NULL)
    return;
  atomic_store (&probe->cancel_requested, true);
  /* the runs are made once and freed only with the probe: safe to reach from here */
  exact = atomic_load (&probe->exact_run);
  fast = atomic_load (&probe->fast_run);
  if (exact != NULL)
    vgg_run_cancel (exact);
  if (fast != NULL)
    vgg_run_cancel (fast);
}

VggStatus
vgg_unit_check (const VggModel *model,
                int             layer_index,
                int             channel,
                int             y,
                int             x,
                VggError       *error)
{
  const VggLayer *layer;

  if (model == NULL)
    return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT, "no model");
  if (layer_index < 0 || layer_index >= vgg_model_n_layers (model))
    return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT,
                          "layer %d does not exist (the model has layers 0…%d)", layer_index,
                          vgg_model_n_layers (model) - 1);
  layer = vgg_model_layer (model, layer_index);
  if (layer->kind == VGG_LAYER_FC || layer->kind == VGG_LAYER_SOFTMAX)
    {
      if (channel < 0 || channel >= layer->channels_out || y != 0 || x != 0)
        return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT,
                              "%s is a %s layer of %d units: a unit is one number, 0…%d",
                              layer->name, layer->kind == VGG_LAYER_FC ? "fully connected"
                                                                       : "softmax",
                              layer->channels_out, layer->channels_out - 1);
      return VGG_STATUS_OK;
    }
  if (channel < 0 || channel >= layer->channels_out || y < 0 || y >= layer->height_out
      || x < 0 || x >= layer->width_out)
    return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT,
                          "unit (%d, %d, %d) is outside %s, whose output is %d channels × %d "
                          "rows × %d columns (channel 0…%d, row 0…%d, column 0…%d)", channel, y,
                          x, layer->name, layer->channels_out, layer->height_out,
                          layer->width_out, layer->channels_out - 1, layer->height_out - 1,
                          layer->width_out - 1);
  return VGG_STATUS_OK;
}

static bool
capture_hook (const VggHookEvent *event,
              void               *user_data)
{
  Capture *capture = user_data;
  size_t bytes = event->count * sizeof (float);

  if (atomic_load (&capture->probe->cancel_requested))
    return false;
  if (event->layer_index == capture->layer_index - 1 && capture->previous != NULL)
    memcpy (capture->previous, event->data, bytes);
  if (event->layer_index != capture->layer_index)
    return true;
  if (event->stage == VGG_STAGE_PRE_ACTIVATION)
    {
      memcpy (capture->pre, event->data, bytes);
      return true;
    }
  memcpy (capture->out, event->data, bytes);
  if (!event->layer->relu)
    memcpy (capture->pre, event->data, bytes);
  return false; /* nothing after this layer is needed */
}

/* One pass of @run up to layer @index. */
static VggStatus
run_to_layer (VggUnitProbe *probe,
              VggRun       *run,
              const float  *input,
              int           index,
              Capture      *capture,
              VggError     *error)
{
  const VggLayer *layer = vgg_model_layer (probe->model, index);
  VggStatus status;

  vgg_run_watch (run, -1, 0);
  if (capture->previous != NULL && index > 0)
    vgg_run_watch (run, index - 1, VGG_STAGE_OUTPUT);
  vgg_run_watch (run, index, VGG_STAGE_OUTPUT | (layer->relu ? VGG_STAGE_PRE_ACTIVATION : 0));
  vgg_run_set_hook (run, capture_hook, capture);
  status = vgg_run_forward (run, input, error);
  vgg_run_set_hook (run, NULL, NULL);
  if (atomic_load (&probe->cancel_requested))
    return vgg_error_set (error, VGG_STATUS_CANCELLED, "cancelled");
  if (status == VGG_STATUS_STOPPED)
    {
      vgg_error_clear (error);
      status = VGG_STATUS_OK;
    }
  return status;
}

/* Fills the buffers for @input and layer @index. */
static VggStatus
compute_layer (VggUnitProbe *probe,
               const float  *input,
               int           index,
               VggError     *error)
{
  const VggLayer *layer = vgg_model_layer (probe->model, index);
  size_t previous_count = (size_t) layer->channels_in * layer->height_in * layer->width_in;
  size_t output_count = (size_t) layer->channels_out * layer->height_out * layer->width_out;
  Capture capture;
  VggStatus status;

  clear_buffers (probe);
  if (atomic_load (&probe->exact_run) == NULL)
    {
      VggRunOptions exact = probe->fast_options;
      VggRun *run = NULL;

      exact.exact = true;
      status = vgg_run_new_with_options (&run, probe->model, 1, &exact, error);
      if (status != VGG_STATUS_OK)
        return status;
      atomic_store (&probe->exact_run, run);
    }
  if (atomic_load (&probe->fast_run) == NULL)
    {
      VggRun *run = NULL;

      status = vgg_run_new_with_options (&run, probe->model, 1, &probe->fast_options, error);
      if (status != VGG_STATUS_OK)
        return status;
      atomic_store (&probe->fast_run, run);
    }
  probe->previous = malloc (previous_count * sizeof (float));
  probe->exact_pre = malloc (output_count * sizeof (float));
  probe->exact_out = malloc (output_count * sizeof (float));
  probe->fast_pre = malloc (output_count * sizeof (float));
  probe->fast_out = malloc (output_count * sizeof (float));
  if (probe->previous == NULL || probe->exact_pre == NULL || probe->exact_out == NULL
      || probe->fast_pre == NULL || probe->fast_out == NULL)
    {
      clear_buffers (probe);
      return vgg_error_set (error, VGG_STATUS_NO_MEMORY, "out of memory for %s's values",
                            layer->name);
    }
  probe->previous_count = previous_count;
  probe->output_count = output_count;
  if (index == 0)
    memcpy (probe->previous, input, previous_count * sizeof (float));

  capture = (Capture) { probe, index, index > 0 ? probe->previous : NULL, probe->exact_pre,
                        probe->exact_out };
  status = run_to_layer (probe, atomic_load (&probe->exact_run), input, index, &capture,
                         error);
  if (status == VGG_STATUS_OK)
    {
      capture = (Capture) { probe, index, NULL, probe->fast_pre, probe->fast_out };
      status = run_to_layer (probe, atomic_load (&probe->fast_run), input, index, &capture,
                             error);
    }
  if (status != VGG_STATUS_OK)
    {
      clear_buffers (probe);
      return status;
    }
  {
    VggLayerProfile profile;

    vgg_run_layer_profile (atomic_load (&probe->exact_run), index, &profile);
    probe->exact_algorithm = profile.algorithm;
    vgg_run_layer_profile (atomic_load (&probe->fast_run), index, &profile);
    probe->fast_algorithm = profile.algorithm;
  }
  if (layer->kind == VGG_LAYER_SOFTMAX)
    {
      /* the softmax's "pre-activation" is its logit: the layer before's output */
      memcpy (probe->exact_pre, probe->previous, output_count * sizeof (float));
      memcpy (probe->fast_pre, probe->previous, output_count * sizeof (float));
    }
  memcpy (probe->input, input, probe->input_count * sizeof (float));
  probe->layer_index = index;
  return VGG_STATUS_OK;
}

VggStatus
vgg_unit_probe_compute (VggUnitProbe      *probe,
                        const float       *input,
                        int                layer_index,
                        int                channel,
                        int                y,
                        int                x,
                        VggUnitBreakdown **breakdown,
                        VggError          *error)
{
  VggUnitTensors tensors;
  VggStatus status;

  if (probe == NULL || input == NULL || breakdown == NULL)
    return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT, "no probe, input or result");
  *breakdown = NULL;
  status = vgg_unit_check (probe->model, layer_index, channel, y, x, error);
  if (status != VGG_STATUS_OK)
    return status;
  /* a request left from before this computation is dropped (as vgg_run_cancel()'s) */
  atomic_store (&probe->cancel_requested, false);

  if (probe->layer_index != layer_index
      || memcmp (probe->input, input, probe->input_count * sizeof (float)) != 0)
    {
      status = compute_layer (probe, input, layer_index, error);
      if (status != VGG_STATUS_OK)
        return status;
    }
  tensors = (VggUnitTensors) { probe->previous, probe->exact_pre, probe->exact_out,
                               probe->fast_pre, probe->fast_out, probe->exact_algorithm,
                               probe->fast_algorithm };
  return vgg_unit_breakdown_build (breakdown, probe->model, layer_index, channel, y, x,
                                   &tensors, error);
}
