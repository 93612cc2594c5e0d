/* gradient.c — gradients of one unit of an inference model w.r.t. its input and layers
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "train-private.h"
#include "engine-private.h"

#include <stdlib.h>
#include <string.h>

struct VggGradient
{
  const VggModel *model;
  VggNet          net;
  bool            computed;
};

VggStatus
vgg_gradient_new (VggGradient    **gradient_out,
                  const VggModel  *model,
                  VggError        *error)
{
  VggGradient *gradient;
  VggStatus status;

  if (gradient_out == NULL || model == NULL)
    return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT, "no model");
  *gradient_out = NULL;
  gradient = calloc (1, sizeof *gradient);
  if (gradient == NULL)
    return vgg_error_set (error, VGG_STATUS_NO_MEMORY, "out of memory");
  gradient->model = model;
  /* the model's BN (if any) is folded into its convs: plain conv + bias here */
  status = vgg_net_init (&gradient->net, &model->config, model->layers, model->n_layers, 1,
                         false, 0.0f, error);
  if (status != VGG_STATUS_OK)
    {
      free (gradient);
      return status;
    }
  for (int i = 0; i < model->n_layers; i++)
    {
      /* read-only: the net never writes parameters without gradients to apply */
      gradient->net.layers[i].weight = (float *) model->weights[i].weight;
      gradient->net.layers[i].bias = (float *) model->weights[i].bias;
    }
  *gradient_out = gradient;
  return VGG_STATUS_OK;
}

void
vgg_gradient_free (VggGradient *gradient)
{
  if (gradient == NULL)
    return;
  vgg_net_clear (&gradient->net);
  free (gradient);
}

VggStatus
vgg_gradient_compute (VggGradient   *gradient,
                      const float   *input,
                      const VggUnit *unit,
                      float         *grad_input,
                      float         *value,
                      VggError      *error)
{
  VggNet *net;
  VggNetLayer *nl;
  const VggLayer *layer;
  bool pre;
  size_t plane;
  float *seed;
  const float *values;
  double sum = 0.0;
  VggStatus status;

  if (gradient == NULL || input == NULL || unit == NULL)
    return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT, "no gradient, input or unit");
  net = &gradient->net;
  gradient->computed = false;
  if (unit->layer_index < 0 || unit->layer_index >= net->n_layers)
    return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT,
                          "layer %d does not exist (the model has %d)", unit->layer_index,
                          net->n_layers);
  nl = &net->layers[unit->layer_index];
  layer = nl->layer;
  if (unit->stage != VGG_STAGE_OUTPUT && unit->stage != VGG_STAGE_PRE_ACTIVATION)
    return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT, "a unit needs one stage");
  pre = unit->stage == VGG_STAGE_PRE_ACTIVATION;
  if (pre && !layer->relu)
    return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT,
                          "layer %s has no ReLU, so no pre-activation stage", layer->name);
  if (unit->channel < 0 || unit->channel >= layer->channels_out)
    return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT,
                          "layer %s has %d channels; %d asked for", layer->name,
                          layer->channels_out, unit->channel);
  if (!(unit->y == -1 && unit->x == -1)
      && (unit->y < 0 || unit->y >= layer->height_out || unit->x < 0
          || unit->x >= layer->width_out))
    return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT,
                          "unit (%d, %d) is outside layer %s's %d×%d map", unit->y, unit->x,
                          layer->name, layer->height_out, layer->width_out);

  status = vgg_net_forward (net, input, 1, VGG_PASS_EVAL, error);
  if (status != VGG_STATUS_OK)
    return status;

  for (int i = 0; i < net->n_layers; i++)
    {
      memset (net->layers[i].grad, 0, net->layers[i].count * sizeof (float));
      memset (net->layers[i].grad_pre, 0, net->layers[i].count * sizeof (float));
    }

  /* batch 1: C,N,H,W is C,H,W */
  plane = (size_t) layer->height_out * layer->width_out;
  seed = pre ? nl->grad_pre : nl->grad;
  values = pre ? nl->pre : nl->out;
  if (unit->y == -1)
    for (size_t k = 0; k < plane; k++)
      {
        seed[unit->channel * plane + k] = 1.0f;
        sum += values[unit->channel * plane + k];
      }
  else
    {
      size_t at = unit->channel * plane + (size_t) unit->y * layer->width_out + unit->x;
      seed[at] = 1.0f;
      sum = values[at];
    }
  if (value != NULL)
    *value = (float) sum;

  status = vgg_net_backward (net, unit->layer_index, pre, grad_input, error);
  if (status == VGG_STATUS_OK)
    gradient->computed = true;
  return status;
}

const float *
vgg_gradient_layer_output (const VggGradient *gradient,
                           int                index)
{
  if (gradient == NULL || !gradient->computed || index < 0 || index >= gradient->net.n_layers)
    return NULL;
  return gradient->net.layers[index].out;
}

const float *
vgg_gradient_layer_gradient (const VggGradient *gradient,
                             int                index)
{
  if (gradient == NULL || !gradient->computed || index < 0 || index >= gradient->net.n_layers)
    return NULL;
  return gradient->net.layers[index].grad;
}
