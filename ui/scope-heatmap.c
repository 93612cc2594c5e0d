/* scope-heatmap.c — an explanation's raw result turned into one map over the network input
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>

#include "scope-heatmap.h"

void
scope_heatmap_reduce_channels (float              *out,
                               const float        *raw,
                               int                 channels,
                               int                 height,
                               int                 width,
                               ScopeHeatmapReduce  reduce)
{
  gsize plane = (gsize) height * width;

  for (gsize i = 0; i < plane; i++)
    {
      float value = 0.0f;

      for (int c = 0; c < channels; c++)
        {
          float v = fabsf (raw[(gsize) c * plane + i]);

          value = reduce == SCOPE_HEATMAP_CHANNELS_MAX_ABS ? MAX (value, v) : value + v;
        }
      out[i] = value;
    }
}

void
scope_heatmap_from_occlusion (float       *out,
                              int          height,
                              int          width,
                              const float *map,
                              int          n_y,
                              int          n_x,
                              int          patch,
                              int          stride)
{
  gsize plane = (gsize) height * width;
  g_autofree float *count = g_new0 (float, plane);

  for (gsize i = 0; i < plane; i++)
    out[i] = 0.0f;
  for (int i = 0; i < n_y; i++)
    for (int j = 0; j < n_x; j++)
      {
        float drop = map[(gsize) i * n_x + j];

        if (isnan (drop))
          continue;
        for (int y = i * stride; y < MIN (height, i * stride + patch); y++)
          for (int x = j * stride; x < MIN (width, j * stride + patch); x++)
            {
              out[(gsize) y * width + x] += drop;
              count[(gsize) y * width + x] += 1.0f;
            }
      }
  for (gsize i = 0; i < plane; i++)
    out[i] = count[i] > 0 ? MAX (0.0f, out[i] / count[i]) : NAN;
}

static int
compare_floats (gconstpointer a,
                gconstpointer b)
{
  float x = *(const float *) a, y = *(const float *) b;

  return (x > y) - (x < y);
}

float
scope_heatmap_normalize (float  *map,
                         gsize   n,
                         double  percentile)
{
  g_autofree float *positive = g_new (float, MAX (n, 1));
  gsize n_positive = 0, index;
  float scale;

  for (gsize i = 0; i < n; i++)
    if (map[i] > 0.0f && isfinite (map[i]))
      positive[n_positive++] = map[i];
  if (n_positive == 0)
    {
      for (gsize i = 0; i < n; i++)
        if (!isnan (map[i]))
          map[i] = 0.0f;
      return 0.0f;
    }
  qsort (positive, n_positive, sizeof (float), compare_floats);
  index = (gsize) floor (CLAMP (percentile, 0.0, 100.0) / 100.0 * (double) (n_positive - 1));
  scale = positive[index];
  for (gsize i = 0; i < n; i++)
    if (!isnan (map[i]))
      map[i] = CLAMP (map[i] / scale, 0.0f, 1.0f);
  return scale;
}
