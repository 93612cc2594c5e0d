/* resample.c — PIL's antialiased bilinear resize, computed for a window of the output
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * torchvision's Resize on a PIL image is Image.resize(size, BILINEAR), and to reproduce its
 * tensors exactly we follow the same arithmetic (an independent implementation of the
 * algorithm of Pillow's libImaging/Resample.c):
 *
 *  - separable: a horizontal pass, then a vertical pass over its result; a pass is skipped
 *    when that dimension keeps its size;
 *  - the filter is a triangle, 1 − |x| on [−1, 1], stretched by the downscale factor
 *    (scale = in/out, support = max(scale, 1)), so a reduction averages every input pixel
 *    (antialiasing) and an enlargement interpolates between the two nearest pixels;
 *  - output pixel i is centred at input coordinate (i + 0.5)·scale; it reads input pixels
 *    [round(centre − support), round(centre + support)), clipped to the picture, with weights
 *    triangle((j − centre + 0.5) / support) computed in double and divided by their sum;
 *  - the weights become 22-bit fixed point (rounded half away from zero), each pass sums
 *    pixel × weight in 32-bit integers starting from half a unit, and the result is shifted
 *    down and clamped to 0–255: the intermediate picture is 8-bit.
 *
 * Coefficients depend only on the output index, so computing a window of the output (the
 * centre crop) gives the same bytes as resizing everything and cropping, without the memory
 * a very elongated picture would need.
 */
#include "config.h"

#include "image-private.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define PRECISION_BITS 22   /* 32 − 8 bits of result − 2 bits of headroom, as PIL */
#define HALF (1 << (PRECISION_BITS - 1))

typedef struct
{
  int      ksize;     /* weights stored per output sample */
  int     *first;     /* [n] first input sample read */
  int     *count;     /* [n] input samples read */
  int32_t *weights;   /* [n × ksize] fixed point */
} Coefficients;

static void
coefficients_clear (Coefficients *coefficients)
{
  free (coefficients->first);
  free (coefficients->count);
  free (coefficients->weights);
  memset (coefficients, 0, sizeof *coefficients);
}

static inline double
triangle (double x)
{
  if (x < 0.0)
    x = -x;
  return x < 1.0 ? 1.0 - x : 0.0;
}

/* Coefficients for output samples [@start, @start + @n) of a @size_in → @size_out resize. */
static bool
coefficients_init (Coefficients *coefficients,
                   int           size_in,
                   int64_t       size_out,
                   int64_t       start,
                   int           n)
{
  const double scale = (double) size_in / (double) size_out;
  const double filter_scale = scale < 1.0 ? 1.0 : scale;
  const double support = 1.0 * filter_scale;   /* the triangle's support is 1 */
  const double inverse = 1.0 / filter_scale;
  double *weights;
  size_t n_weights;

  memset (coefficients, 0, sizeof *coefficients);
  if (support > (double) size_in + 2.0)   /* cannot happen with size_out ≥ 1 */
    return false;
  coefficients->ksize = (int) ceil (support) * 2 + 1;
  if (!vgg_mul_size ((size_t) n, (size_t) coefficients->ksize, &n_weights))
    return false;
  coefficients->first = malloc (sizeof (int) * (size_t) n);
  coefficients->count = malloc (sizeof (int) * (size_t) n);
  coefficients->weights = calloc (n_weights, sizeof (int32_t));
  weights = malloc (sizeof (double) * (size_t) coefficients->ksize);
  if (coefficients->first == NULL || coefficients->count == NULL
      || coefficients->weights == NULL || weights == NULL)
    {
      free (weights);
      coefficients_clear (coefficients);
      return false;
    }

  for (int i = 0; i < n; i++)
    {
      const double centre = ((double) (start + i) + 0.5) * scale;
      int32_t *fixed = coefficients->weights + (size_t) i * coefficients->ksize;
      double sum = 0.0;
      int first, last, count;

      /* Truncation, not floor: PIL's "(int)(x + 0.5)" rounding, then clipping. */
      first = (int) (centre - support + 0.5);
      if (first < 0)
        first = 0;
      last = (int) (centre + support + 0.5);
      if (last > size_in)
        last = size_in;
      count = last - first;
      if (count > coefficients->ksize)   /* rounding cannot widen it; belt and braces */
        count = coefficients->ksize;
      if (count < 0)
        count = 0;

      for (int j = 0; j < count; j++)
        {
          weights[j] = triangle ((j + first - centre + 0.5) * inverse);
          sum += weights[j];
        }
      for (int j = 0; j < count; j++)
        {
          double w = sum != 0.0 ? weights[j] / sum : weights[j];

          fixed[j] = (int32_t) (w < 0.0 ? -0.5 + w * (1 << PRECISION_BITS)
                                        : 0.5 + w * (1 << PRECISION_BITS));
        }
      coefficients->first[i] = first;
      coefficients->count[i] = count;
    }
  free (weights);
  return true;
}

static inline uint8_t
clip8 (int32_t sum)
{
  if (sum < 0)
    return 0;
  sum >>= PRECISION_BITS;
  return sum > 255 ? 255 : (uint8_t) sum;
}

VggStatus
vgg_resample_bilinear (uint8_t       *out,
                       int64_t        x0,
                       int64_t        y0,
                       int            width,
                       int            height,
                       int64_t        width_out,
                       int64_t        height_out,
                       const uint8_t *in,
                       int            width_in,
                       int            height_in,
                       int            channels,
                       VggError      *error)
{
  const bool need_horizontal = width_out != width_in;
  const bool need_vertical = height_out != height_in;
  Coefficients horizontal = { 0 }, vertical = { 0 };
  const uint8_t *source;          /* the horizontal pass's result (or the input) */
  size_t source_stride;
  uint8_t *temporary = NULL;
  int32_t *sums = NULL;        /* one output row of the vertical pass */
  int row_first, row_last;
  VggStatus status = VGG_STATUS_OK;

  if (out == NULL || in == NULL || width <= 0 || height <= 0 || width_in <= 0
      || height_in <= 0 || channels <= 0 || channels > 4 || x0 < 0 || y0 < 0
      || x0 + width > width_out || y0 + height > height_out)
    return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT,
                          "resample: window outside the picture");

  if (!coefficients_init (&vertical, height_in, height_out, y0, height))
    return vgg_error_set (error, VGG_STATUS_NO_MEMORY, "resample: out of memory");
  /* The input rows the window needs. */
  row_first = vertical.first[0];
  row_last = vertical.first[height - 1] + vertical.count[height - 1];
  if (row_last <= row_first)
    row_last = row_first + 1;

  if (need_horizontal)
    {
      const int rows = row_last - row_first;
      size_t n_bytes;

      if (!coefficients_init (&horizontal, width_in, width_out, x0, width)
          || !vgg_mul_size ((size_t) width * channels, (size_t) rows, &n_bytes)
          || (temporary = malloc (n_bytes)) == NULL)
        {
          status = vgg_error_set (error, VGG_STATUS_NO_MEMORY, "resample: out of memory");
          goto out;
        }

      for (int y = 0; y < rows; y++)
        {
          const uint8_t *row_in = in + (size_t) (row_first + y) * width_in * channels;
          uint8_t *row_out = temporary + (size_t) y * width * channels;

          for (int x = 0; x < width; x++)
            {
              const int32_t *k = horizontal.weights + (size_t) x * horizontal.ksize;
              const uint8_t *pixel = row_in + (size_t) horizontal.first[x] * channels;
              int32_t pixel_sums[4] = { HALF, HALF, HALF, HALF };

              /* Integer sums: the order of the terms does not change the result. */
              for (int j = 0; j < horizontal.count[x]; j++, pixel += channels)
                for (int c = 0; c < channels; c++)
                  pixel_sums[c] += pixel[c] * k[j];
              for (int c = 0; c < channels; c++)
                row_out[(size_t) x * channels + c] = clip8 (pixel_sums[c]);
            }
        }
      source = temporary;
      source_stride = (size_t) width * channels;
    }
  else
    {
      /* Width unchanged: the horizontal pass would be the identity. x0 is then a column of
       * the input itself. Row indices below stay relative to row_first. */
      source_stride = (size_t) width_in * channels;
      source = in + (size_t) row_first * source_stride + (size_t) x0 * channels;
    }

  if (need_vertical && (sums = malloc (sizeof (int32_t) * (size_t) width * channels)) == NULL)
    {
      status = vgg_error_set (error, VGG_STATUS_NO_MEMORY, "resample: out of memory");
      goto out;
    }

  for (int y = 0; y < height; y++)
    {
      uint8_t *row_out = out + (size_t) y * width * channels;

      if (!need_vertical)
        {
          memcpy (row_out, source + (size_t) (y0 + y - row_first) * source_stride,
                  (size_t) width * channels);
          continue;
        }
      {
        const int32_t *k = vertical.weights + (size_t) y * vertical.ksize;
        const uint8_t *rows = source + (size_t) (vertical.first[y] - row_first) * source_stride;
        const size_t n = (size_t) width * channels;

        /* row by row into the accumulators, for memory order */
        for (size_t i = 0; i < n; i++)
          sums[i] = HALF;
        for (int j = 0; j < vertical.count[y]; j++)
          {
            const uint8_t *row = rows + (size_t) j * source_stride;

            for (size_t i = 0; i < n; i++)
              sums[i] += row[i] * k[j];
          }
        for (size_t i = 0; i < n; i++)
          row_out[i] = clip8 (sums[i]);
      }
    }

out:
  free (sums);
  free (temporary);
  coefficients_clear (&horizontal);
  coefficients_clear (&vertical);
  return status;
}
