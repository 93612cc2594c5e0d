/* lesson.c — the arithmetic the Learn view teaches, from a model's layer table
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Everything is recomputed from the shapes by the textbook formulas rather than copied from
 * VggLayer, so the tests can hold each formula against the layer table the engine runs on.
 */
#include "config.h"

#include "vgg-lesson.h"

#include <string.h>

bool
vgg_lesson_layer (const VggModel *model,
                  int             index,
                  VggLayerLesson *lesson)
{
  const VggLayer *layer;
  const VggConfig *config;

  if (model == NULL || lesson == NULL || index < 0 || index >= vgg_model_n_layers (model))
    return false;
  layer = vgg_model_layer (model, index);
  config = vgg_model_config (model);
  memset (lesson, 0, sizeof *lesson);
  lesson->kind = layer->kind;
  lesson->n_outputs = (int64_t) layer->channels_out * layer->height_out * layer->width_out;

  if (index == 0)
    {
      lesson->rf_in = 1;
      lesson->jump_in = 1;
    }
  else
    {
      const VggLayer *previous = vgg_model_layer (model, index - 1);

      lesson->rf_in = previous->receptive_field.size;
      lesson->jump_in = previous->receptive_field.jump;
    }

  switch (layer->kind)
    {
    case VGG_LAYER_CONV:
      lesson->kernel = 3;
      lesson->stride = 1;
      lesson->weights = (int64_t) lesson->kernel * lesson->kernel * layer->channels_in
                        * layer->channels_out;
      lesson->biases = layer->channels_out;
      lesson->batch_norm = config->batch_norm ? 2 * (int64_t) layer->channels_out : 0;
      lesson->macs = lesson->weights * layer->height_out * layer->width_out;
      break;
    case VGG_LAYER_POOL:
      lesson->kernel = 2;
      lesson->stride = 2;
      break;
    case VGG_LAYER_FC:
      {
        int64_t n_in = (int64_t) layer->channels_in * layer->height_in * layer->width_in;

        lesson->weights = n_in * layer->channels_out;
        lesson->biases = layer->channels_out;
        lesson->macs = lesson->weights;
      }
      break;
    case VGG_LAYER_SOFTMAX:
    case VGG_LAYER_N_KINDS:
    default:
      break;
    }
  lesson->params = lesson->weights + lesson->biases + lesson->batch_norm;

  if (lesson->kernel > 0 && lesson->jump_in > 0)
    {
      lesson->rf_out = lesson->rf_in + (lesson->kernel - 1) * lesson->jump_in;
      lesson->jump_out = lesson->jump_in * lesson->stride;
    }
  else
    {
      /* every unit of a dense layer sees the whole picture */
      lesson->rf_out = config->input_height > config->input_width ? config->input_height
                                                                   : config->input_width;
      lesson->jump_out = 0;
    }
  return true;
}

bool
vgg_lesson_block (const VggModel *model,
                  int             block,
                  VggBlockLesson *lesson)
{
  const VggConfig *config;
  int n_layers, first = -1, n = 0;
  int64_t c_in, c, nine = 9;

  if (model == NULL || lesson == NULL)
    return false;
  config = vgg_model_config (model);
  if (block < 1 || block > config->n_blocks)
    return false;

  n_layers = vgg_model_n_layers (model);
  for (int i = 0; i < n_layers; i++)
    {
      const VggLayer *layer = vgg_model_layer (model, i);

      if (layer->kind == VGG_LAYER_CONV && layer->block == block)
        {
          if (first < 0)
            first = i;
          n++;
        }
    }
  if (first < 0)
    return false;

  memset (lesson, 0, sizeof *lesson);
  lesson->block = block;
  lesson->n_convs = n;
  lesson->first_layer = first;
  lesson->channels_in = vgg_model_layer (model, first)->channels_in;
  lesson->channels = vgg_model_layer (model, first)->channels_out;
  lesson->height = vgg_model_layer (model, first)->height_out;
  lesson->width = vgg_model_layer (model, first)->width_out;
  lesson->field = 2 * n + 1;
  c_in = lesson->channels_in;
  c = lesson->channels;
  lesson->stacked_weights = nine * c_in * c + (int64_t) (n - 1) * nine * c * c;
  lesson->large_weights = (int64_t) lesson->field * lesson->field * c_in * c;
  lesson->stacked_macs = lesson->stacked_weights * lesson->height * lesson->width;
  lesson->large_macs = lesson->large_weights * lesson->height * lesson->width;
  lesson->stacked_relus = n;
  lesson->large_relus = 1;
  return true;
}

int64_t
vgg_lesson_activation_bytes (const VggModel *model,
                             int             index)
{
  const VggLayer *layer;

  if (model == NULL || index < 0 || index >= vgg_model_n_layers (model))
    return 0;
  layer = vgg_model_layer (model, index);
  return (int64_t) layer->channels_out * layer->height_out * layer->width_out
         * (int64_t) sizeof (float);
}
