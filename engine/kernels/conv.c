/* conv.c — 3×3 stride-1 same convolution: the naive reference, im2col + sgemm (threaded)
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "kernels.h"
#include "threads.h"

#include <string.h>

/* The im2col scratch for one band of output rows is kept near 4 MiB so it stays in cache
 * while sgemm reads it. */
#define VGG_IM2COL_BAND_FLOATS ((size_t) 1 << 20)

void
vgg_conv3x3_naive (float       *out,
                   const float *in,
                   const float *weight,
                   const float *bias,
                   int          c_in,
                   int          h,
                   int          w,
                   int          c_out)
{
  for (int o = 0; o < c_out; o++)
    for (int y = 0; y < h; y++)
      for (int x = 0; x < w; x++)
        {
          double sum = bias != NULL ? bias[o] : 0.0;

          for (int c = 0; c < c_in; c++)
            for (int ky = 0; ky < 3; ky++)
              for (int kx = 0; kx < 3; kx++)
                {
                  int iy = y + ky - 1;
                  int ix = x + kx - 1;

                  if (iy < 0 || iy >= h || ix < 0 || ix >= w)
                    continue;
                  sum += (double) weight[((size_t) (o * c_in + c) * 3 + ky) * 3 + kx]
                         * in[((size_t) c * h + iy) * w + ix];
                }
          out[((size_t) o * h + y) * w + x] = (float) sum;
        }
}

static int
band_rows (int c_in,
           int h,
           int w)
{
  size_t per_row = (size_t) c_in * 9 * (size_t) w;
  size_t rows = VGG_IM2COL_BAND_FLOATS / (per_row > 0 ? per_row : 1);

  if (rows < 1)
    rows = 1;
  if (rows > (size_t) h)
    rows = (size_t) h;
  return (int) rows;
}

size_t
vgg_conv3x3_im2col_scratch (int c_in,
                            int h,
                            int w)
{
  return (size_t) c_in * 9 * (size_t) band_rows (c_in, h, w) * (size_t) w;
}

void
vgg_im2col_plane (float       *col,
                  size_t       col_stride,
                  const float *plane,
                  int          h,
                  int          w,
                  int          y0,
                  int          rows)
{
  for (int ky = 0; ky < 3; ky++)
    for (int kx = 0; kx < 3; kx++)
      {
        float *dst = col + (size_t) (ky * 3 + kx) * col_stride;

        for (int r = 0; r < rows; r++)
          {
            int iy = y0 + r + ky - 1;
            float *row = dst + (size_t) r * w;
            const float *src;

            if (iy < 0 || iy >= h)
              {
                memset (row, 0, sizeof (float) * (size_t) w);
                continue;
              }
            src = plane + (size_t) iy * w;
            /* x + kx − 1 for x in [0, w): shifted copy with one zero at an edge */
            if (kx == 0)
              {
                row[0] = 0.0f;
                memcpy (row + 1, src, sizeof (float) * (size_t) (w - 1));
              }
            else if (kx == 1)
              memcpy (row, src, sizeof (float) * (size_t) w);
            else
              {
                memcpy (row, src + 1, sizeof (float) * (size_t) (w - 1));
                row[w - 1] = 0.0f;
              }
          }
      }
}

void
vgg_col2im_plane (float       *plane,
                  const float *col,
                  size_t       col_stride,
                  int          h,
                  int          w)
{
  for (int ky = 0; ky < 3; ky++)
    for (int kx = 0; kx < 3; kx++)
      {
        const float *src_rows = col + (size_t) (ky * 3 + kx) * col_stride;

        for (int y = 0; y < h; y++)
          {
            int iy = y + ky - 1;
            const float *src = src_rows + (size_t) y * w;
            float *dst;

            if (iy < 0 || iy >= h)
              continue;
            dst = plane + (size_t) iy * w;
            /* src[x] belongs to input column x + kx − 1 */
            if (kx == 0)
              for (int x = 1; x < w; x++)
                dst[x - 1] += src[x];
            else if (kx == 1)
              for (int x = 0; x < w; x++)
                dst[x] += src[x];
            else
              for (int x = 0; x + 1 < w; x++)
                dst[x + 1] += src[x];
          }
      }
}

/* im2col of one band, split over the pool by input channels */
#define IM2COL_CHANNELS_PER_TASK 16

typedef struct
{
  float       *col;
  const float *in;
  int          c_in, h, w, y0, rows;
} BandJob;

static void
band_task (void *context,
           int   task,
           int   thread)
{
  const BandJob *job = context;
  size_t n = (size_t) job->rows * job->w;
  int c0 = task * IM2COL_CHANNELS_PER_TASK;
  int c1 = c0 + IM2COL_CHANNELS_PER_TASK < job->c_in ? c0 + IM2COL_CHANNELS_PER_TASK
                                                     : job->c_in;

  (void) thread;
  for (int c = c0; c < c1; c++)
    vgg_im2col_plane (job->col + (size_t) c * 9 * n, n, job->in + (size_t) c * job->h * job->w,
                      job->h, job->w, job->y0, job->rows);
}

/* Rows [y0, y0 + rows) of the unfolded input: col [c_in·9, rows·w]. */
static void
im2col_band (float       *col,
             const float *in,
             int          c_in,
             int          h,
             int          w,
             int          y0,
             int          rows)
{
  BandJob job = { col, in, c_in, h, w, y0, rows };

  vgg_parallel_for ((c_in + IM2COL_CHANNELS_PER_TASK - 1) / IM2COL_CHANNELS_PER_TASK,
                    band_task, &job);
}

void
vgg_conv3x3_im2col (float       *out,
                    const float *in,
                    const float *weight,
                    const float *bias,
                    int          c_in,
                    int          h,
                    int          w,
                    int          c_out,
                    float       *scratch)
{
  int rows = band_rows (c_in, h, w);
  int k = c_in * 9;

  for (int y0 = 0; y0 < h; y0 += rows)
    {
      int band = y0 + rows <= h ? rows : h - y0;
      int n = band * w;

      for (int o = 0; o < c_out; o++)
        {
          float *dst = out + ((size_t) o * h + y0) * w;
          float b = bias != NULL ? bias[o] : 0.0f;

          for (int i = 0; i < n; i++)
            dst[i] = b;
        }

      if (w == 1 && h == 1)
        {
          /* 1×1 maps: only the centre tap sees data */
          for (int o = 0; o < c_out; o++)
            {
              float sum = 0.0f;
              for (int c = 0; c < c_in; c++)
                sum += weight[(size_t) (o * c_in + c) * 9 + 4] * in[c];
              out[o] += sum;
            }
          continue;
        }

      im2col_band (scratch, in, c_in, h, w, y0, band);
      /* out[c_out, band·w] (row stride h·w) += weight[c_out, k] · col[k, band·w] */
      vgg_sgemm_threaded (false, false, c_out, n, k, 1.0f, weight, k, scratch, n, 1.0f,
                          out + (size_t) y0 * w, h * w);
    }
}
