/* pool.c — 2×2 stride-2 max-pooling and ReLU
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "kernels.h"

void
vgg_relu (float  *data,
          size_t  count)
{
  for (size_t i = 0; i < count; i++)
    data[i] = data[i] > 0.0f ? data[i] : 0.0f;
}

void
vgg_maxpool2x2 (float       *out,
                const float *in,
                int          channels,
                int          h,
                int          w)
{
  int h_out = h / 2;
  int w_out = w / 2;

  for (int c = 0; c < channels; c++)
    {
      const float *plane = in + (size_t) c * h * w;
      float *dst = out + (size_t) c * h_out * w_out;

      for (int y = 0; y < h_out; y++)
        {
          const float *row0 = plane + (size_t) (2 * y) * w;
          const float *row1 = row0 + w;

          for (int x = 0; x < w_out; x++)
            {
              float a = row0[2 * x] > row0[2 * x + 1] ? row0[2 * x] : row0[2 * x + 1];
              float b = row1[2 * x] > row1[2 * x + 1] ? row1[2 * x] : row1[2 * x + 1];

              dst[(size_t) y * w_out + x] = a > b ? a : b;
            }
        }
    }
}
