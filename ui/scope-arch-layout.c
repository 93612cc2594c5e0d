/* scope-arch-layout.c — where each layer's box goes in the architecture diagram
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "scope-arch-layout.h"

#define LAYER_SPACING  7.0f
#define DEPTH_FACTOR   0.42f   /* oblique depth per unit of spatial size */

static float
spatial_extent (int size)
{
  return 14.0f + 96.0f * powf ((float) size / 224.0f, 0.55f);
}

GArray *
scope_arch_layout_build (const VggModel *model,
                         float          *width,
                         float          *height,
                         float          *baseline)
{
  GArray *boxes = g_array_new (FALSE, TRUE, sizeof (ScopeArchBox));
  int n;
  float x = 0, top = 0, bottom = 0;
  int previous_block = -1;

  *width = *height = *baseline = 0;
  if (model == NULL)
    return boxes;

  n = vgg_model_n_layers (model);
  for (int i = 0; i < n; i++)
    {
      const VggLayer *layer = vgg_model_layer (model, i);
      ScopeArchBox box = { 0 };

      switch (layer->kind)
        {
        case VGG_LAYER_CONV:
          box.width = 4.0f + 3.2f * log2f ((float) MAX (layer->channels_out, 2));
          box.height = spatial_extent (layer->height_out);
          box.depth = spatial_extent (layer->width_out) * DEPTH_FACTOR;
          break;
        case VGG_LAYER_POOL:
          box.width = 7.0f;
          box.height = spatial_extent (layer->height_out);
          box.depth = spatial_extent (layer->width_out) * DEPTH_FACTOR;
          break;
        case VGG_LAYER_FC:
          box.width = 12.0f;
          box.height = 20.0f + 7.0f * log2f ((float) MAX (layer->channels_out, 2));
          box.depth = 6.0f;
          break;
        case VGG_LAYER_SOFTMAX:
        default:
          box.width = 12.0f;
          box.height = 20.0f + 7.0f * log2f ((float) MAX (layer->channels_out, 2));
          box.depth = 6.0f;
          break;
        }

      if (i > 0)
        x += (layer->block != previous_block || layer->kind == VGG_LAYER_FC)
             ? SCOPE_ARCH_BLOCK_SPACING : LAYER_SPACING;
      if (layer->kind == VGG_LAYER_POOL)
        previous_block = -2;   /* the next conv starts a new block */
      else
        previous_block = layer->block;

      box.x = x;
      /* boxes stand on a common baseline, drawn centred on it vertically */
      box.y = -box.height / 2;
      x += box.width;
      top = MIN (top, box.y - box.depth);
      bottom = MAX (bottom, box.y + box.height);
      g_array_append_val (boxes, box);
    }

  if (boxes->len > 0)
    {
      ScopeArchBox *last = &g_array_index (boxes, ScopeArchBox, boxes->len - 1);

      x += last->depth;
    }
  *width = x;
  *height = bottom - top;
  *baseline = -top;   /* shift so the top is at 0 */
  return boxes;
}

