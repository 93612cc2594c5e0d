/* patched.c — convolution unfolding, max-pooling and copies of a tensor that differs from a
 *             base tensor inside one rectangle (incremental inference)
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Occlusion maps (explain/occlusion.c) keep a clean pass's activations and recompute, for
 * each occluded copy, only the units whose input changed. A changed layer is the clean tensor
 * plus a rectangle of new values (VggPatched); these kernels read it without building the
 * whole tensor, so the convolution itself is the engine's sgemm over just the changed units.
 */
#include "config.h"

#include "kernels.h"

#include <string.h>

/* Fills dst[0, n) with row @iy, columns [x0, x0 + n) of channel @c: zero outside the plane,
 * the patched values inside the rectangle, the base elsewhere. */
static void
patched_row (float            *dst,
             const VggPatched *in,
             int               c,
             int               iy,
             int               x0,
             int               n,
             int               h,
             int               w)
{
  const float *base = in->base + ((size_t) c * h + iy) * w;
  int x = x0, end = x0 + n;

  if (iy < 0 || iy >= h)
    {
      memset (dst, 0, sizeof (float) * (size_t) n);
      return;
    }
  while (x < end && x < 0)
    dst[x++ - x0] = 0.0f;
  if (in->width > 0 && in->height > 0 && iy >= in->y && iy < in->y + in->height)
    {
      const float *row = in->data + (size_t) c * in->ld + (size_t) (iy - in->y) * in->width;
      int r0 = in->x, r1 = in->x + in->width;
      int stop;

      /* before the rectangle, inside it, after it */
      stop = end < r0 ? end : r0;
      stop = stop < w ? stop : w;
      if (x < stop)
        {
          memcpy (dst + (x - x0), base + x, sizeof (float) * (size_t) (stop - x));
          x = stop;
        }
      stop = end < r1 ? end : r1;
      stop = stop < w ? stop : w;
      if (x < stop)
        {
          memcpy (dst + (x - x0), row + (x - r0), sizeof (float) * (size_t) (stop - x));
          x = stop;
        }
    }
  {
    int stop = end < w ? end : w;

    if (x < stop)
      {
        memcpy (dst + (x - x0), base + x, sizeof (float) * (size_t) (stop - x));
        x = stop;
      }
  }
  while (x < end)
    dst[x++ - x0] = 0.0f;
}

void
vgg_im2col_patched (float            *col,
                    size_t            col_stride,
                    const VggPatched *in,
                    int               c0,
                    int               c1,
                    int               h,
                    int               w,
                    int               oy,
                    int               ox,
                    int               oh,
                    int               ow)
{
  for (int c = c0; c < c1; c++)
    for (int ky = 0; ky < 3; ky++)
      for (int kx = 0; kx < 3; kx++)
        {
          float *dst = col + (size_t) ((c - c0) * 9 + ky * 3 + kx) * col_stride;

          for (int y = 0; y < oh; y++)
            patched_row (dst + (size_t) y * ow, in, c, oy + y + ky - 1, ox + kx - 1, ow, h, w);
        }
}

void
vgg_maxpool2x2_patched (float            *out,
                        size_t            ld_out,
                        const VggPatched *in,
                        int               c0,
                        int               c1,
                        int               h,
                        int               w,
                        int               oy,
                        int               ox,
                        int               oh,
                        int               ow)
{
  float rows[2][2 * 512];

  for (int c = c0; c < c1; c++)
    for (int y = 0; y < oh; y++)
      {
        float *dst = out + (size_t) (c - c0) * ld_out + (size_t) y * ow;

        /* two input rows at a time, in pieces of 512 output columns */
        for (int x0 = 0; x0 < ow; x0 += 512)
          {
            int count = ow - x0 < 512 ? ow - x0 : 512;

            patched_row (rows[0], in, c, 2 * (oy + y), 2 * (ox + x0), 2 * count, h, w);
            patched_row (rows[1], in, c, 2 * (oy + y) + 1, 2 * (ox + x0), 2 * count, h, w);
            for (int x = 0; x < count; x++)
              {
                const float *r0 = rows[0] + 2 * x, *r1 = rows[1] + 2 * x;
                float a = r0[0] > r0[1] ? r0[0] : r0[1];
                float b = r1[0] > r1[1] ? r1[0] : r1[1];

                dst[x0 + x] = a > b ? a : b;
              }
          }
      }
}

void
vgg_patched_dense (float            *out,
                   const VggPatched *in,
                   int               c0,
                   int               c1,
                   int               h,
                   int               w)
{
  for (int c = c0; c < c1; c++)
    for (int y = 0; y < h; y++)
      patched_row (out + ((size_t) (c - c0) * h + y) * w, in, c, y, 0, w, h, w);
}
