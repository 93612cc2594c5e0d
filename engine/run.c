/* run.c — the forward driver: planned memory, layer loop, watch mask, hooks, cancellation
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "engine-private.h"
#include "kernels.h"
#include "model-private.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

struct VggRun
{
  const VggModel *model;
  int             batch;

  /* one block, planned once: two ping-pong activation buffers, im2col scratch, logits,
   * probabilities */
  void           *block;
  size_t          block_size;
  float          *activations[2];  /* each batch × the largest layer output */
  float          *scratch;
  float          *logits;          /* [batch, n_classes] */
  float          *probs;           /* [batch, n_classes] */

  unsigned       *watch;           /* VggStage mask per layer */
  VggHookFunc     hook;
  void           *hook_data;
  atomic_bool     cancel_requested;
};

static size_t
layer_output_count (const VggLayer *layer)
{
  return (size_t) layer->channels_out * layer->height_out * layer->width_out;
}

static size_t
round_up_64 (size_t count)
{
  return (count + 15) & ~(size_t) 15; /* in floats: 64 bytes */
}

VggStatus
vgg_run_new (VggRun         **run_out,
             const VggModel  *model,
             int              batch,
             VggError        *error)
{
  VggRun *run;
  size_t max_output = 0, max_scratch = 0, classes, act, total, bytes;
  float *p;

  *run_out = NULL;
  if (model == NULL || batch < 1 || batch > 4096)
    return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT,
                          "a run needs a model and a batch size of 1 to 4096");

  for (int i = 0; i < model->n_layers; i++)
    {
      const VggLayer *layer = &model->layers[i];
      size_t count = layer_output_count (layer);

      if (count > max_output)
        max_output = count;
      if (layer->kind == VGG_LAYER_CONV)
        {
          size_t s = vgg_conv3x3_im2col_scratch (layer->channels_in, layer->height_in,
                                                 layer->width_in);
          if (s > max_scratch)
            max_scratch = s;
        }
    }
  classes = (size_t) (model->config.n_classes > 0 ? model->config.n_classes : 1);

  if (!vgg_mul_size (max_output, (size_t) batch, &act))
    return vgg_error_set (error, VGG_STATUS_TOO_LARGE, "batch %d is too large", batch);
  act = round_up_64 (act);
  total = 2 * act + round_up_64 (max_scratch) + 2 * round_up_64 (classes * (size_t) batch);
  if (!vgg_mul_size (total, sizeof (float), &bytes))
    return vgg_error_set (error, VGG_STATUS_TOO_LARGE, "batch %d is too large", batch);

  run = calloc (1, sizeof *run);
  if (run == NULL)
    return vgg_error_set (error, VGG_STATUS_NO_MEMORY, "out of memory");
  run->watch = calloc ((size_t) model->n_layers, sizeof *run->watch);
  run->block = vgg_alloc_big (bytes);
  if (run->watch == NULL || run->block == NULL)
    {
      free (run->watch);
      free (run);
      return vgg_error_set (error, VGG_STATUS_NO_MEMORY,
                            "out of memory: a run at batch %d needs %zu MiB", batch,
                            bytes >> 20);
    }
  run->block_size = bytes;
  p = run->block;
  run->activations[0] = p;
  p += act;
  run->activations[1] = p;
  p += act;
  run->scratch = p;
  p += round_up_64 (max_scratch);
  run->logits = p;
  p += round_up_64 (classes * (size_t) batch);
  run->probs = p;

  run->model = model;
  run->batch = batch;
  atomic_init (&run->cancel_requested, false);
  *run_out = run;
  return VGG_STATUS_OK;
}

void
vgg_run_free (VggRun *run)
{
  if (run == NULL)
    return;
  vgg_free_big (run->block, run->block_size);
  free (run->watch);
  free (run);
}

int
vgg_run_batch (const VggRun *run)
{
  return run->batch;
}

void
vgg_run_set_hook (VggRun      *run,
                  VggHookFunc  hook,
                  void        *user_data)
{
  run->hook = hook;
  run->hook_data = user_data;
}

void
vgg_run_watch (VggRun   *run,
               int       index,
               unsigned  stages)
{
  stages &= VGG_STAGE_PRE_ACTIVATION | VGG_STAGE_OUTPUT;
  if (index < 0)
    {
      for (int i = 0; i < run->model->n_layers; i++)
        run->watch[i] = stages;
    }
  else if (index < run->model->n_layers)
    run->watch[index] = stages;
}

void
vgg_run_cancel (VggRun *run)
{
  atomic_store (&run->cancel_requested, true);
}

/* Calls the hook if it watches this stage; false means stop. */
static bool
notify (VggRun         *run,
        const VggLayer *layer,
        VggStage        stage,
        const float    *data)
{
  VggHookEvent event;

  if (run->hook == NULL || (run->watch[layer->index] & stage) == 0)
    return true;
  event.layer_index = layer->index;
  event.layer = layer;
  event.stage = stage;
  event.batch = run->batch;
  event.data = data;
  event.count = layer_output_count (layer) * (size_t) run->batch;
  return run->hook (&event, run->hook_data);
}

static void
forward_layer (VggRun         *run,
               const VggLayer *layer,
               float          *out,
               const float    *in)
{
  const VggLayerWeights *weights = &run->model->weights[layer->index];
  size_t count_in = (size_t) layer->channels_in * layer->height_in * layer->width_in;
  size_t count_out = layer_output_count (layer);

  switch (layer->kind)
    {
    case VGG_LAYER_CONV:
      for (int n = 0; n < run->batch; n++)
        vgg_conv3x3_im2col (out + n * count_out, in + n * count_in, weights->weight,
                            weights->bias, layer->channels_in, layer->height_in,
                            layer->width_in, layer->channels_out, run->scratch);
      break;
    case VGG_LAYER_POOL:
      for (int n = 0; n < run->batch; n++)
        vgg_maxpool2x2 (out + n * count_out, in + n * count_in, layer->channels_in,
                        layer->height_in, layer->width_in);
      break;
    case VGG_LAYER_FC:
      /* NCHW is already the C,H,W flatten order the weights expect */
      vgg_linear (out, in, weights->weight, weights->bias, run->batch, (int) count_in,
                  layer->channels_out);
      break;
    case VGG_LAYER_SOFTMAX:
      vgg_softmax (out, in, run->batch, layer->channels_out);
      break;
    case VGG_LAYER_N_KINDS:
      break;
    }
}

VggStatus
vgg_run_forward (VggRun      *run,
                 const float *input,
                 VggError    *error)
{
  const VggModel *model;
  const float *in;
  int target = 0;

  if (run == NULL || input == NULL)
    return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT, "no run or no input");
  model = run->model;
  vgg_get_threads (); /* applies the thread setting to OpenBLAS once */

  in = input;
  for (int i = 0; i < model->n_layers; i++)
    {
      const VggLayer *layer = &model->layers[i];
      float *out = run->activations[target];
      size_t count = layer_output_count (layer) * (size_t) run->batch;

      if (atomic_exchange (&run->cancel_requested, false))
        return vgg_error_set (error, VGG_STATUS_CANCELLED, "cancelled before %s", layer->name);

      forward_layer (run, layer, out, in);

      if (layer->relu)
        {
          if (!notify (run, layer, VGG_STAGE_PRE_ACTIVATION, out))
            return vgg_error_set (error, VGG_STATUS_STOPPED, "stopped after %s", layer->name);
          vgg_relu (out, count);
        }
      if (layer->kind == VGG_LAYER_FC && !layer->relu)
        memcpy (run->logits, out, count * sizeof (float));
      else if (layer->kind == VGG_LAYER_SOFTMAX)
        memcpy (run->probs, out, count * sizeof (float));

      if (!notify (run, layer, VGG_STAGE_OUTPUT, out))
        return vgg_error_set (error, VGG_STATUS_STOPPED, "stopped after %s", layer->name);

      in = out;
      target ^= 1;
    }

  return VGG_STATUS_OK;
}

const float *
vgg_run_probs (const VggRun *run)
{
  return run->model->config.n_classes > 0 ? run->probs : NULL;
}

const float *
vgg_run_logits (const VggRun *run)
{
  return run->model->config.n_classes > 0 ? run->logits : NULL;
}

int
vgg_run_top_k (const VggRun *run,
               int           n,
               int           k,
               int          *classes,
               float        *probs)
{
  int n_classes = run->model->config.n_classes;
  const float *row;
  int found = 0;

  if (n_classes == 0 || n < 0 || n >= run->batch || k < 1)
    return 0;
  if (k > n_classes)
    k = n_classes;
  row = run->probs + (size_t) n * n_classes;

  /* insertion into a sorted top-k list: k is small */
  for (int c = 0; c < n_classes; c++)
    {
      int pos = found < k ? found : k;

      if (found == k && row[c] <= probs[k - 1])
        continue;
      while (pos > 0 && row[c] > probs[pos - 1])
        {
          if (pos < k)
            {
              probs[pos] = probs[pos - 1];
              classes[pos] = classes[pos - 1];
            }
          pos--;
        }
      if (pos < k)
        {
          probs[pos] = row[c];
          classes[pos] = c;
        }
      if (found < k)
        found++;
    }
  return found;
}
