/* trainer.c — a trainable VGG: parameters, loss, backward, SGD, one-cycle schedule
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "trainer-private.h"
#include "backward.h"
#include "engine-private.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

VggStatus
vgg_trainer_new (VggTrainer              **trainer_out,
                 const VggTrainerOptions  *options,
                 VggError                 *error)
{
  VggTrainer *trainer;
  VggStatus status;
  size_t n_params = 0, n_running = 0;
  float *p, *g, *r;
  uint64_t rng;

  if (trainer_out == NULL || options == NULL)
    return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT, "no trainer options");
  *trainer_out = NULL;
  if (options->config.n_classes < 2)
    return vgg_error_set (error, VGG_STATUS_UNSUPPORTED,
                          "a network to train needs a classifier with at least 2 classes");
  if (!(options->dropout >= 0.0f && options->dropout < 1.0f))
    return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT,
                          "dropout %g is outside [0, 1)", (double) options->dropout);

  trainer = calloc (1, sizeof *trainer);
  if (trainer == NULL)
    return vgg_error_set (error, VGG_STATUS_NO_MEMORY, "out of memory");
  trainer->options = *options;
  status = vgg_model_new_for_config (&trainer->model, &options->config, error);
  if (status != VGG_STATUS_OK)
    {
      free (trainer);
      return status;
    }

  status = vgg_net_init (&trainer->net, &trainer->model->config, trainer->model->layers,
                         trainer->model->n_layers, options->max_batch,
                         options->config.batch_norm, options->dropout, error);
  if (status != VGG_STATUS_OK)
    {
      vgg_model_free (trainer->model);
      free (trainer);
      return status;
    }

  for (int i = 0; i < trainer->net.n_layers; i++)
    {
      const VggNetLayer *nl = &trainer->net.layers[i];
      const VggLayer *layer = nl->layer;

      if (layer->kind == VGG_LAYER_CONV)
        {
          n_params += (size_t) layer->channels_out * layer->channels_in * 9;
          n_params += (size_t) layer->channels_out * (nl->bn ? 2 : 1);
          if (nl->bn)
            n_running += 2 * (size_t) layer->channels_out;
        }
      else if (layer->kind == VGG_LAYER_FC)
        n_params += (size_t) layer->channels_out
                    * ((size_t) layer->channels_in * layer->height_in * layer->width_in + 1);
    }

  trainer->n_params = n_params;
  trainer->n_running = n_running;
  trainer->params = vgg_alloc_big (n_params * sizeof (float));
  trainer->grads = vgg_alloc_big (n_params * sizeof (float));
  trainer->velocity = vgg_alloc_big (n_params * sizeof (float));
  trainer->running = vgg_alloc_big ((n_running > 0 ? n_running : 1) * sizeof (float));
  trainer->grad_logits = calloc ((size_t) options->max_batch * options->config.n_classes,
                                 sizeof (float));
  if (trainer->params == NULL || trainer->grads == NULL || trainer->velocity == NULL
      || trainer->running == NULL || trainer->grad_logits == NULL)
    {
      vgg_trainer_free (trainer);
      return vgg_error_set (error, VGG_STATUS_NO_MEMORY, "out of memory for %zu parameters",
                            n_params);
    }

  /* He initialisation (fan-in) for convs and hidden FCs; N(0, 0.01) for the classifier, as
   * torchvision initialises VGG; zero biases, γ = 1, β = 0, running var 1. */
  rng = options->seed;
  p = trainer->params;
  g = trainer->grads;
  r = trainer->running;
  for (int i = 0; i < trainer->net.n_layers; i++)
    {
      VggNetLayer *nl = &trainer->net.layers[i];
      const VggLayer *layer = nl->layer;
      size_t n_w, n_out = (size_t) layer->channels_out;
      float std;

      if (layer->kind != VGG_LAYER_CONV && layer->kind != VGG_LAYER_FC)
        continue;
      n_w = layer->kind == VGG_LAYER_CONV
            ? n_out * layer->channels_in * 9
            : n_out * layer->channels_in * layer->height_in * layer->width_in;
      /* n_w / n_out is the fan-in */
      std = layer->kind == VGG_LAYER_FC && !layer->relu
            ? 0.01f : sqrtf (2.0f * (float) n_out / (float) n_w);
      nl->weight = p;
      nl->grad_weight = g;
      for (size_t k = 0; k < n_w; k++)
        p[k] = std * vgg_random_normal (&rng);
      p += n_w;
      g += n_w;
      if (nl->bn)
        {
          nl->gamma = p;
          nl->grad_gamma = g;
          for (size_t k = 0; k < n_out; k++)
            p[k] = 1.0f;
          p += n_out;
          g += n_out;
          nl->beta = p;
          nl->grad_beta = g;
          p += n_out;
          g += n_out;
          nl->running_mean = r;
          r += n_out;
          nl->running_var = r;
          for (size_t k = 0; k < n_out; k++)
            r[k] = 1.0f;
          r += n_out;
        }
      else
        {
          nl->bias = p;
          nl->grad_bias = g;
          p += n_out;
          g += n_out;
        }
    }
  vgg_trainer_seed_dropout (trainer, options->seed ^ 0x5deece66dull);
  *trainer_out = trainer;
  return VGG_STATUS_OK;
}

void
vgg_trainer_free (VggTrainer *trainer)
{
  if (trainer == NULL)
    return;
  vgg_net_clear (&trainer->net);
  vgg_free_big (trainer->params, trainer->n_params * sizeof (float));
  vgg_free_big (trainer->grads, trainer->n_params * sizeof (float));
  vgg_free_big (trainer->velocity, trainer->n_params * sizeof (float));
  vgg_free_big (trainer->running, trainer->n_running * sizeof (float));
  free (trainer->grad_logits);
  vgg_model_free (trainer->model);
  free (trainer);
}

const VggLayer *
vgg_trainer_layer (const VggTrainer *trainer,
                   int               index)
{
  if (trainer == NULL || index < 0 || index >= trainer->model->n_layers)
    return NULL;
  return &trainer->model->layers[index];
}

int
vgg_trainer_n_layers (const VggTrainer *trainer)
{
  return trainer != NULL ? trainer->model->n_layers : 0;
}

const VggConfig *
vgg_trainer_config (const VggTrainer *trainer)
{
  return trainer != NULL ? &trainer->model->config : NULL;
}

size_t
vgg_trainer_n_params (const VggTrainer *trainer)
{
  return trainer != NULL ? trainer->n_params : 0;
}

float *
vgg_trainer_params (VggTrainer *trainer)
{
  return trainer != NULL ? trainer->params : NULL;
}

const float *
vgg_trainer_grads (const VggTrainer *trainer)
{
  return trainer != NULL ? trainer->grads : NULL;
}

void
vgg_trainer_seed_dropout (VggTrainer *trainer,
                          uint64_t    seed)
{
  trainer->net.rng = seed;
}

VggStatus
vgg_trainer_forward (VggTrainer  *trainer,
                     const float *input,
                     int          batch,
                     VggPass      pass,
                     VggError    *error)
{
  if (trainer == NULL || input == NULL)
    return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT, "no trainer or input");
  trainer->have_loss = false;
  return vgg_net_forward (&trainer->net, input, batch, pass, error);
}

/* The classifier: the last FC layer (the softmax layer after it is not trained through). */
static int
classifier_index (const VggTrainer *trainer)
{
  for (int i = trainer->net.n_layers - 1; i >= 0; i--)
    if (trainer->net.layers[i].layer->kind == VGG_LAYER_FC)
      return i;
  return -1;
}

const float *
vgg_trainer_logits (const VggTrainer *trainer)
{
  int i = trainer != NULL ? classifier_index (trainer) : -1;

  return i >= 0 ? trainer->net.layers[i].pre : NULL;
}

float
vgg_trainer_loss (VggTrainer *trainer,
                  const int  *labels,
                  int        *n_correct)
{
  int n = trainer->model->config.n_classes;
  double loss;

  for (int b = 0; b < trainer->net.batch; b++)
    if (labels[b] < 0 || labels[b] >= n)
      {
        if (n_correct != NULL)
          *n_correct = 0;
        return NAN;
      }
  loss = vgg_softmax_cross_entropy (trainer->grad_logits, vgg_trainer_logits (trainer), labels,
                                    trainer->net.batch, n, n_correct);
  trainer->have_loss = true;
  return (float) loss;
}

VggStatus
vgg_trainer_backward (VggTrainer *trainer,
                      float      *grad_input,
                      VggError   *error)
{
  int from;
  VggNetLayer *nl;

  if (trainer == NULL || !trainer->have_loss)
    return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT,
                          "vgg_trainer_backward() needs a forward pass and a loss");
  from = classifier_index (trainer);
  nl = &trainer->net.layers[from];
  memcpy (nl->grad, trainer->grad_logits,
          sizeof (float) * (size_t) trainer->net.batch * nl->layer->channels_out);
  memset (trainer->grads, 0, trainer->n_params * sizeof (float));
  return vgg_net_backward (&trainer->net, from, false, grad_input, error);
}

void
vgg_trainer_sgd_step (VggTrainer *trainer,
                      float       learning_rate,
                      float       momentum,
                      float       weight_decay,
                      bool        nesterov)
{
  for (int i = 0; i < trainer->net.n_layers; i++)
    {
      const VggNetLayer *nl = &trainer->net.layers[i];
      const VggLayer *layer = nl->layer;
      size_t start, n_w, n_rest;

      if (layer->kind != VGG_LAYER_CONV && layer->kind != VGG_LAYER_FC)
        continue;
      start = (size_t) (nl->weight - trainer->params);
      n_w = layer->kind == VGG_LAYER_CONV
            ? (size_t) layer->channels_out * layer->channels_in * 9
            : (size_t) layer->channels_out * layer->channels_in * layer->height_in
              * layer->width_in;
      n_rest = (size_t) layer->channels_out * (nl->bn ? 2 : 1);

      for (size_t k = start; k < start + n_w + n_rest; k++)
        {
          float decay = k < start + n_w ? weight_decay : 0.0f;
          float grad = trainer->grads[k] + decay * trainer->params[k];
          float v = momentum * trainer->velocity[k] + grad;

          trainer->velocity[k] = v;
          trainer->params[k] -= learning_rate * (nesterov ? grad + momentum * v : v);
        }
    }
}

float
vgg_one_cycle_learning_rate (float   peak,
                             int64_t step,
                             int64_t total,
                             float   warmup)
{
  double start = peak / 25.0, end = peak / 1e4;
  int64_t n_up = (int64_t) (warmup * (double) total);

  if (total <= 0)
    return peak;
  if (step < 0)
    step = 0;
  if (step >= total)
    step = total - 1;
  if (step < n_up)
    return (float) (start + (peak - start) * (double) step / (double) n_up);
  {
    double t = (double) (step - n_up) / (double) (total - n_up > 1 ? total - n_up - 1 : 1);
    return (float) (end + (peak - end) * 0.5 * (1.0 + cos (M_PI * t)));
  }
}
