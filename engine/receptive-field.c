/* receptive-field.c — size, jump and start of every layer; unit → input rectangle and back
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

/* The units [first, last] of one axis of @layer (@n of them) whose field covers pixel @p, with
 * doubled coordinates so every quantity is an integer: unit u covers the pixels p with
 * |2·start + 2·jump·u − 2p| ≤ size − 1 (the same interval vgg_model_receptive_rect() rounds,
 * whose ends are whole pixels). Returns false when there is none. */
static bool
reverse_axis (const VggReceptiveField *rf,
              int                      n,
              int                      p,
              int                     *first,
              int                     *last)
{
  long start2 = lround (2.0 * rf->start);
  long jump2 = 2L * rf->jump;
  long low = 2L * p - (rf->size - 1) - start2;   /* jump2·u ≥ low */
  long high = 2L * p + (rf->size - 1) - start2;  /* jump2·u ≤ high */
  long u0, u1;

  /* ceiling and floor divisions by a positive jump2 */
  u0 = low >= 0 ? (low + jump2 - 1) / jump2 : -((-low) / jump2);
  u1 = high >= 0 ? high / jump2 : -((-high + jump2 - 1) / jump2);
  if (u0 < 0)
    u0 = 0;
  if (u1 > n - 1)
    u1 = n - 1;
  if (u1 < u0)
    return false;
  *first = (int) u0;
  *last = (int) u1;
  return true;
}

bool
vgg_model_reverse_receptive_rect (const VggModel *model,
                                  int             index,
                                  int             y,
                                  int             x,
                                  VggRect        *units)
{
  const VggLayer *layer;
  int y0, y1, x0, x1;

  if (model == NULL || units == NULL || index < 0 || index >= model->n_layers)
    return false;
  layer = &model->layers[index];
  if (layer->kind != VGG_LAYER_CONV && layer->kind != VGG_LAYER_POOL)
    return false;
  if (y < 0 || x < 0 || y >= model->config.input_height || x >= model->config.input_width)
    return false;
  if (!reverse_axis (&layer->receptive_field, layer->height_out, y, &y0, &y1)
      || !reverse_axis (&layer->receptive_field, layer->width_out, x, &x0, &x1))
    return false;
  units->x = x0;
  units->y = y0;
  units->width = x1 - x0 + 1;
  units->height = y1 - y0 + 1;
  return true;
}
