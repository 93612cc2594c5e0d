/* scope-map-render.c — feature maps to textures: colour maps, scaling, normalisation
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "scope-draw.h"
#include "scope-map-render.h"

void
scope_colormap_fill_lut (ScopeColormap colormap,
                         guint8        lut[SCOPE_LUT_SIZE * 3])
{
  VggColormap map;

  switch (colormap)
    {
    case SCOPE_COLORMAP_MAGMA:
      map = VGG_COLORMAP_MAGMA;
      break;
    case SCOPE_COLORMAP_GREY:
      map = VGG_COLORMAP_GREY;
      break;
    case SCOPE_COLORMAP_VIRIDIS:
    default:
      map = VGG_COLORMAP_VIRIDIS;
      break;
    }
  for (int i = 0; i < SCOPE_LUT_SIZE; i++)
    vgg_colormap_lookup (map, (float) i / (SCOPE_LUT_SIZE - 1), lut + 3 * i);
}

void
scope_capture_channel_range (const ScopeCapture *capture,
                             int                 channel,
                             ScopeNormalization  normalization,
                             float              *low,
                             float              *high)
{
  normalization = scope_capture_effective_normalization (capture, normalization);
  if (normalization == SCOPE_NORMALIZATION_LAYER)
    {
      *low = capture->layer_min;
      *high = capture->layer_max;
    }
  else
    {
      *low = capture->channel_min[channel];
      *high = capture->channel_max[channel];
    }
  /* ReLU outputs start at zero: keep zero black-ish even if a channel never reaches it */
  if (*low > 0.0f)
    *low = 0.0f;
}

/* Writes channel @channel's colours into @out (row stride @stride bytes). */
static void
render_plane (const ScopeCapture *capture,
              int                 channel,
              ScopeNormalization  normalization,
              const guint8       *lut,
              int                 scale,
              int                 bpp,
              guint8             *out,
              gsize               stride)
{
  const float *plane = capture->data + (gsize) channel * capture->height * capture->width;
  float low, high, factor;

  scope_capture_channel_range (capture, channel, normalization, &low, &high);
  factor = high > low ? (SCOPE_LUT_SIZE - 1) / (high - low) : 0.0f;

  for (int y = 0; y < capture->height; y++)
    {
      guint8 *row = out + (gsize) y * scale * stride;

      for (int x = 0; x < capture->width; x++)
        {
          float t = (plane[(gsize) y * capture->width + x] - low) * factor;
          int i = t <= 0.0f ? 0 : t >= SCOPE_LUT_SIZE - 1 ? SCOPE_LUT_SIZE - 1 : (int) (t + 0.5f);
          const guint8 *rgb = lut + 3 * i;
          const guint8 bgra[4] = { rgb[2], rgb[1], rgb[0], 255 };

          for (int s = 0; s < scale; s++)
            memcpy (row + ((gsize) x * scale + s) * bpp, bpp == 4 ? bgra : rgb, bpp);
        }
      for (int s = 1; s < scale; s++)
        memcpy (row + (gsize) s * stride, row, (gsize) capture->width * scale * bpp);
    }
}

GdkTexture *
scope_map_render_channel (const ScopeCapture *capture,
                          int                 channel,
                          ScopeNormalization  normalization,
                          const guint8       *lut,
                          int                 scale)
{
  g_autoptr(GBytes) bytes = NULL;
  int width, height;
  gsize stride;
  guint8 *pixels;

  g_return_val_if_fail (capture != NULL, NULL);
  g_return_val_if_fail (channel >= 0 && channel < capture->channels, NULL);
  g_return_val_if_fail (scale >= 1, NULL);

  width = capture->width * scale;
  height = capture->height * scale;
  stride = (gsize) width * 4;
  pixels = g_malloc (stride * height);
  render_plane (capture, channel, normalization, lut, scale, 4, pixels, stride);
  bytes = g_bytes_new_take (pixels, stride * height);
  return scope_draw_texture_new_bgra (width, height, bytes);
}

GdkTexture *
scope_map_render_channel_reduced (const ScopeCapture *capture,
                                  int                 channel,
                                  ScopeNormalization  normalization,
                                  const guint8       *lut,
                                  int                 width,
                                  int                 height)
{
  const float *plane;
  g_autoptr(GBytes) bytes = NULL;
  float low, high, factor, *sums;
  int *x_first;
  gsize stride;
  guint8 *pixels;

  g_return_val_if_fail (capture != NULL, NULL);
  g_return_val_if_fail (channel >= 0 && channel < capture->channels, NULL);
  g_return_val_if_fail (width >= 1 && width <= capture->width, NULL);
  g_return_val_if_fail (height >= 1 && height <= capture->height, NULL);

  plane = capture->data + (gsize) channel * capture->height * capture->width;
  scope_capture_channel_range (capture, channel, normalization, &low, &high);
  factor = high > low ? (SCOPE_LUT_SIZE - 1) / (high - low) : 0.0f;
  stride = (gsize) width * 4;
  pixels = g_malloc (stride * height);

  /* each pixel the mean of the units it covers, coloured: drawn at its size, the map needs
   * no scaling by the renderer (which the Cairo renderer does slowly, on every frame) */
  x_first = g_newa (int, width + 1);
  for (int x = 0; x <= width; x++)
    x_first[x] = x * capture->width / width;
  sums = g_new (float, width);
  for (int y = 0; y < height; y++)
    {
      int y0 = y * capture->height / height, y1 = MAX (y0 + 1, (y + 1) * capture->height / height);
      guint8 *out = pixels + (gsize) y * stride;

      /* the rows' sums over each pixel's columns, then one division per pixel */
      memset (sums, 0, sizeof (float) * width);
      for (int sy = y0; sy < y1; sy++)
        {
          const float *row = plane + (gsize) sy * capture->width;

          if (capture->width == 2 * width)
            /* halved (VGG's 224 × 224 maps in tiles of 112): the same sums, vectorised */
            for (int x = 0; x < width; x++)
              sums[x] += row[2 * x] + row[2 * x + 1];
          else
            for (int x = 0; x < width; x++)
              {
                int x1 = MAX (x_first[x] + 1, x_first[x + 1]);
                float sum = 0.0f;

                for (int sx = x_first[x]; sx < x1; sx++)
                  sum += row[sx];
                sums[x] += sum;
              }
        }
      for (int x = 0; x < width; x++)
        {
          int n = (y1 - y0) * (MAX (x_first[x] + 1, x_first[x + 1]) - x_first[x]);
          float t = (sums[x] / (float) n - low) * factor;
          int i = t <= 0.0f ? 0 : t >= SCOPE_LUT_SIZE - 1 ? SCOPE_LUT_SIZE - 1 : (int) (t + 0.5f);

          out[4 * x + 0] = lut[3 * i + 2];
          out[4 * x + 1] = lut[3 * i + 1];
          out[4 * x + 2] = lut[3 * i + 0];
          out[4 * x + 3] = 255;
        }
    }
  g_free (sums);
  bytes = g_bytes_new_take (pixels, stride * height);
  return scope_draw_texture_new_bgra (width, height, bytes);
}

GdkTexture *
scope_map_render_grid (const ScopeCapture *capture,
                       const int          *order,
                       int                 columns,
                       ScopeNormalization  normalization,
                       const guint8       *lut,
                       int                 scale,
                       const guint8        gap_rgb[3])
{
  g_autoptr(GBytes) bytes = NULL;
  int rows, tile_width, tile_height, width, height;
  gsize stride;
  guint8 *pixels;

  g_return_val_if_fail (capture != NULL, NULL);
  g_return_val_if_fail (columns >= 1 && scale >= 1, NULL);

  rows = (capture->channels + columns - 1) / columns;
  tile_width = capture->width * scale;
  tile_height = capture->height * scale;
  width = columns * (tile_width + 1) - 1;
  height = rows * (tile_height + 1) - 1;
  stride = (gsize) width * 3;
  pixels = g_malloc (stride * height);
  for (gsize i = 0; i < (gsize) width * height; i++)
    memcpy (pixels + 3 * i, gap_rgb, 3);

  for (int i = 0; i < capture->channels; i++)
    {
      int channel = order != NULL ? order[i] : i;
      int column = i % columns, row = i / columns;
      guint8 *origin = pixels + (gsize) row * (tile_height + 1) * stride
                       + (gsize) column * (tile_width + 1) * 3;

      render_plane (capture, channel, normalization, lut, scale, 3, origin, stride);
    }

  bytes = g_bytes_new_take (pixels, stride * height);
  return gdk_memory_texture_new (width, height, GDK_MEMORY_R8G8B8, bytes, stride);
}
