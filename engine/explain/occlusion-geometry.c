/* occlusion-geometry.c — occlusion maps: which output units each occluded picture changes,
 *                        layer by layer, and the buffers a batch of pictures needs
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A convolution unit changes iff its 3×3 window touches a changed input (one unit more on each
 * side of the changed rectangle, clipped to the map); a 2×2/2 pool unit iff its window does (a
 * floor-mode pool may drop a changed last odd row or column altogether). The rectangles are a
 * superset of the units whose value really differs, so every other unit can be read from the
 * clean picture's activations.
 */
#include "config.h"

#include "occlusion-private.h"

static size_t
rect_area (VggRect rect)
{
  return (size_t) rect.width * (size_t) rect.height;
}

int
occlusion_spatial_layers (const VggModel *model)
{
  int n = 0;

  while (n < model->n_layers
         && (model->layers[n].kind == VGG_LAYER_CONV || model->layers[n].kind == VGG_LAYER_POOL))
    n++;
  return n;
}

VggRect
occlusion_job_patch (const VggOcclusion *self,
                     int                 job)
{
  VggRect rect = { 0, 0, 0, 0 };

  if (job == 0)
    return rect;
  rect.y = (job - 1) / self->n_x * self->stride;
  rect.x = (job - 1) % self->n_x * self->stride;
  rect.width = rect.height = self->patch;
  return rect;
}

VggRect
occlusion_propagate (const VggLayer *layer,
                     VggRect         in)
{
  VggRect out = { 0, 0, 0, 0 };
  int y0, y1, x0, x1;

  if (in.width <= 0 || in.height <= 0)
    return out;
  if (layer->kind == VGG_LAYER_CONV)
    {
      y0 = in.y - 1;
      x0 = in.x - 1;
      y1 = in.y + in.height + 1;
      x1 = in.x + in.width + 1;
    }
  else
    {
      /* unit u reads inputs 2u and 2u + 1; floor mode drops a last odd row or column */
      y0 = in.y / 2;
      x0 = in.x / 2;
      y1 = (in.y + in.height - 1) / 2 + 1;
      x1 = (in.x + in.width - 1) / 2 + 1;
    }
  y0 = y0 < 0 ? 0 : y0;
  x0 = x0 < 0 ? 0 : x0;
  y1 = y1 > layer->height_out ? layer->height_out : y1;
  x1 = x1 > layer->width_out ? layer->width_out : x1;
  if (y1 <= y0 || x1 <= x0)
    return out;
  out.x = x0;
  out.y = y0;
  out.width = x1 - x0;
  out.height = y1 - y0;
  return out;
}

void
occlusion_fill_rects (VggOcclusion *self)
{
  const VggModel *model = self->model;

  for (int j = 0; j < self->n_jobs; j++)
    {
      VggRect rect = occlusion_job_patch (self, j);

      for (int i = 0; i < self->n_spatial; i++)
        {
          const VggLayer *layer = &model->layers[i];
          VggRect whole = { 0, 0, layer->width_out, layer->height_out };

          rect = occlusion_propagate (layer, rect);
          self->rects[(size_t) j * self->n_spatial + i] = j == 0 || self->exhaustive ? whole
                                                                                     : rect;
        }
    }
}

/* Adds what jobs [j0, j1) need to @sizes. */
static void
batch_sizes (const VggOcclusion *self,
             int                 j0,
             int                 j1,
             OcclusionSizes     *sizes,
             size_t             *col_all,
             size_t             *col_row)
{
  const VggModel *model = self->model;

  for (int i = 0; i < self->n_spatial; i++)
    {
      const VggLayer *layer = &model->layers[i];
      size_t columns = 0, pieces = 0;

      for (int j = j0; j < j1; j++)
        {
          VggRect rect = self->rects[(size_t) j * self->n_spatial + i];
          size_t row = (size_t) 9 * layer->channels_in * (size_t) rect.width;

          columns += rect_area (rect);
          pieces += (size_t) rect.height;
          if (layer->kind == VGG_LAYER_CONV && row > *col_row)
            *col_row = row;
        }
      if ((size_t) layer->channels_out * columns > sizes->changed)
        sizes->changed = (size_t) layer->channels_out * columns;
      if (pieces > sizes->pieces)
        sizes->pieces = pieces;
      if (layer->kind == VGG_LAYER_CONV && (size_t) 9 * layer->channels_in * columns > *col_all)
        *col_all = (size_t) 9 * layer->channels_in * columns;
    }
}

OcclusionSizes
occlusion_sizes (const VggOcclusion *self,
                 int                 batch)
{
  const VggModel *model = self->model;
  OcclusionSizes sizes = { 0, 0, 0, 0 };
  size_t col_all = 0, col_row = 0;

  batch_sizes (self, 0, 1, &sizes, &col_all, &col_row);
  for (int j0 = 1; j0 < self->n_jobs; j0 += batch)
    batch_sizes (self, j0, j0 + batch < self->n_jobs ? j0 + batch : self->n_jobs, &sizes,
                 &col_all, &col_row);
  /* jobs share one unfolding of at most OCCLUSION_COL_FLOATS, in pieces of rows, but never
   * less than one row of one job */
  sizes.col = col_all < OCCLUSION_COL_FLOATS ? col_all : OCCLUSION_COL_FLOATS;
  if (col_row > sizes.col)
    sizes.col = col_row;
  for (int i = self->n_spatial; i < model->n_layers; i++)
    {
      const VggLayer *layer = &model->layers[i];
      size_t in = (size_t) layer->channels_in * layer->height_in * layer->width_in;
      size_t out = (size_t) layer->channels_out;

      if (layer->kind != VGG_LAYER_FC)
        continue;
      if (in > sizes.fc)
        sizes.fc = in;
      if (out > sizes.fc)
        sizes.fc = out;
    }
  sizes.fc *= (size_t) batch;
  return sizes;
}
