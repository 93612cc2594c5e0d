/* receptive-field.c — size, jump and start of every layer; unit → input rectangle
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The recurrence over a layer of kernel k, stride s, padding p (pixel-index coordinates, so
 * the centre of input pixel i is i):  size += (k − 1)·jump;  start += ((k − 1)/2 − p)·jump;
 * jump *= s.  A 3×3/1/1 conv leaves start alone; a 2×2/2/0 pool moves it half a jump.
 */
#include "config.h"

#include "model-private.h"

#include <math.h>

void
vgg_receptive_fields_compute (VggModel *model)
{
  int size = 1;
  int jump = 1;
  double start = 0.0;

  for (int i = 0; i < model->n_layers; i++)
    {
      VggLayer *layer = &model->layers[i];

      switch (layer->kind)
        {
        case VGG_LAYER_CONV:
          size += 2 * jump;
          break;
        case VGG_LAYER_POOL:
          size += jump;
          start += 0.5 * jump;
          jump *= 2;
          break;
        case VGG_LAYER_FC:
        case VGG_LAYER_SOFTMAX:
        case VGG_LAYER_N_KINDS:
          /* every unit sees the whole input */
          layer->receptive_field.size = model->config.input_height > model->config.input_width
                                        ? model->config.input_height : model->config.input_width;
          layer->receptive_field.jump = 0;
          layer->receptive_field.start = (layer->receptive_field.size - 1) / 2.0;
          continue;
        }
      layer->receptive_field.size = size;
      layer->receptive_field.jump = jump;
      layer->receptive_field.start = start;
    }
}

static int
clamp_int (int value, int low, int high)
{
  return value < low ? low : value > high ? high : value;
}

bool
vgg_model_receptive_rect (const VggModel *model,
                          int             index,
                          int             y,
                          int             x,
                          VggRect        *rect)
{
  const VggLayer *layer;
  const VggReceptiveField *rf;
  double half, cy, cx;
  int x0, x1, y0, y1;

  if (model == NULL || rect == NULL || index < 0 || index >= model->n_layers)
    return false;
  layer = &model->layers[index];
  if (y < 0 || x < 0 || y >= layer->height_out || x >= layer->width_out)
    return false;

  if (layer->kind == VGG_LAYER_FC || layer->kind == VGG_LAYER_SOFTMAX)
    {
      rect->x = 0;
      rect->y = 0;
      rect->width = model->config.input_width;
      rect->height = model->config.input_height;
      return true;
    }

  rf = &layer->receptive_field;
  half = (rf->size - 1) / 2.0;
  cy = rf->start + (double) rf->jump * y;
  cx = rf->start + (double) rf->jump * x;
  /* the first and last pixel indices covered, then clipped to the image */
  y0 = (int) lround (cy - half);
  x0 = (int) lround (cx - half);
  y1 = (int) lround (cy + half);
  x1 = (int) lround (cx + half);
  y0 = clamp_int (y0, 0, model->config.input_height - 1);
  x0 = clamp_int (x0, 0, model->config.input_width - 1);
  y1 = clamp_int (y1, 0, model->config.input_height - 1);
  x1 = clamp_int (x1, 0, model->config.input_width - 1);

  rect->x = x0;
  rect->y = y0;
  rect->width = x1 - x0 + 1;
  rect->height = y1 - y0 + 1;
  return true;
}
