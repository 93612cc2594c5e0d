/* softmax.c — numerically stable row-wise softmax
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "kernels.h"

#include <math.h>

void
vgg_softmax (float       *out,
             const float *in,
             int          batch,
             int          n)
{
  for (int b = 0; b < batch; b++)
    {
      const float *row = in + (size_t) b * n;
      float *dst = out + (size_t) b * n;
      float max = row[0];
      double sum = 0.0;

      for (int i = 1; i < n; i++)
        if (row[i] > max)
          max = row[i];
      for (int i = 0; i < n; i++)
        {
          dst[i] = expf (row[i] - max);
          sum += dst[i];
        }
      for (int i = 0; i < n; i++)
        dst[i] = (float) (dst[i] / sum);
    }
}
