/* preprocess.c — the presets that turn a picture into a network input
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * VGG_PRESET_TORCHVISION reproduces torchvision 0.14's
 *   Resize(256) → CenterCrop(224) → ToTensor() → Normalize(mean, std)
 * on a PIL RGB image, bit for bit: PIL's resize (resample.c), torchvision's size and crop
 * rules, and the same float32 operations as ToTensor (v / 255) and Normalize ((x − m) / s).
 *
 * Sizes other than 224 × 224: the picture is resized to just cover
 * round(height·256/224) × round(width·256/224) keeping its aspect ratio (for a square input
 * that is "shorter side to round(size·256/224)", torchvision's rule with 256 scaled), then
 * centre-cropped to height × width. VGG_PRESET_PLAIN does the same without the 256/224
 * margin. The resized picture always covers the crop, so torchvision's zero padding (for
 * crops larger than the picture) never happens here; the crop code still pads with black,
 * as torchvision does, should it ever be asked to.
 */
#include "config.h"

#include "image-private.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define INPUT_MAX_SIDE 65535

static const float torchvision_mean[3] = { 0.485f, 0.456f, 0.406f };
static const float torchvision_std[3] = { 0.229f, 0.224f, 0.225f };
static const float caffe_mean_bgr[3] = { 103.939f, 116.779f, 123.68f };

/* The size that just covers @height × @width keeping the picture's aspect ratio: the binding
 * side gets its target, the other int(target · long / short) like torchvision's Resize. */
static void
cover_size (int64_t *new_height,
            int64_t *new_width,
            int      image_height,
            int      image_width,
            int64_t  height,
            int64_t  width)
{
  if ((int64_t) image_width * height >= (int64_t) image_height * width)
    {
      *new_height = height;
      *new_width = height * image_width / image_height;
    }
  else
    {
      *new_width = width;
      *new_height = width * image_height / image_width;
    }
}

/* torchvision's CenterCrop offset: int(round((size − crop) / 2.0)), where Python's round()
 * takes halves to the even neighbour; negative (zero padding of (crop − size) // 2) when the
 * picture is smaller than the crop. */
static int64_t
crop_offset (int64_t size,
             int64_t crop)
{
  int64_t difference = size - crop, half;

  if (difference < 0)
    return -((crop - size) / 2);
  half = difference / 2;
  if (difference % 2 != 0 && half % 2 != 0)
    half++;
  return half;
}

/* ITU-R 601 luma in PIL's fixed point (Image.convert("L")). */
static inline uint8_t
luma (const uint8_t *rgb)
{
  return (uint8_t) ((rgb[0] * 19595u + rgb[1] * 38470u + rgb[2] * 7471u + 0x8000u) >> 16);
}

/* Resizes @image to @new_width × @new_height and crops the @width × @height window at
 * (@left, @top) of the result (black outside it) into @crop. */
static VggStatus
resize_and_crop (uint8_t        *crop,
                 int             width,
                 int             height,
                 int64_t         left,
                 int64_t         top,
                 int64_t         new_width,
                 int64_t         new_height,
                 const VggImage *image,
                 VggError       *error)
{
  const int64_t x_first = left < 0 ? 0 : left;
  const int64_t y_first = top < 0 ? 0 : top;
  const int64_t x_end = left + width < new_width ? left + width : new_width;
  const int64_t y_end = top + height < new_height ? top + height : new_height;
  const int window_width = (int) (x_end - x_first), window_height = (int) (y_end - y_first);
  uint8_t *window;
  VggStatus status;

  if (window_width == width && window_height == height)
    return vgg_resample_bilinear (crop, x_first, y_first, width, height, new_width,
                                  new_height, image->pixels, image->width, image->height, 3,
                                  error);

  memset (crop, 0, (size_t) width * height * 3);
  window = malloc ((size_t) window_width * window_height * 3);
  if (window == NULL)
    return vgg_error_set (error, VGG_STATUS_NO_MEMORY, "preprocess: out of memory");
  status = vgg_resample_bilinear (window, x_first, y_first, window_width, window_height,
                                  new_width, new_height, image->pixels, image->width,
                                  image->height, 3, error);
  if (status == VGG_STATUS_OK)
    for (int y = 0; y < window_height; y++)
      memcpy (crop + ((size_t) (y_first - top + y) * width + (size_t) (x_first - left)) * 3,
              window + (size_t) y * window_width * 3, (size_t) window_width * 3);
  free (window);
  return status;
}

VggStatus
vgg_preprocess (float          *input,
                int             channels,
                int             height,
                int             width,
                const VggImage *image,
                VggPreset       preset,
                VggImage       *seen,
                VggError       *error)
{
  const size_t plane = (size_t) height * (size_t) width;
  int64_t new_height, new_width, top, left;
  uint8_t *crop;
  VggStatus status;

  if (seen != NULL)
    memset (seen, 0, sizeof *seen);
  if (input == NULL || image == NULL || image->pixels == NULL || image->width <= 0
      || image->height <= 0)
    return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT, "preprocess: no picture");
  if (channels != 1 && channels != 3)
    return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT,
                          "preprocess: %d input channels (1 or 3 expected)", channels);
  if (height <= 0 || width <= 0 || height > INPUT_MAX_SIDE || width > INPUT_MAX_SIDE
      || plane > (size_t) VGG_IMAGE_MAX_PIXELS)
    return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT,
                          "preprocess: impossible input size %d × %d", height, width);

  switch (preset)
    {
    case VGG_PRESET_TORCHVISION:
      if (channels != 3)
        return vgg_error_set (error, VGG_STATUS_UNSUPPORTED,
                              "the torchvision preset needs 3 input channels, not %d",
                              channels);
      /* 256 for 224, the same margin for other sizes */
      cover_size (&new_height, &new_width, image->height, image->width,
                  height == 224 ? 256 : llround (height * 256.0 / 224.0),
                  width == 224 ? 256 : llround (width * 256.0 / 224.0));
      break;
    case VGG_PRESET_CAFFE:
      if (channels != 3)
        return vgg_error_set (error, VGG_STATUS_UNSUPPORTED,
                              "the caffe preset needs 3 input channels (BGR), not %d",
                              channels);
      new_height = height;
      new_width = width;
      break;
    case VGG_PRESET_PLAIN:
      cover_size (&new_height, &new_width, image->height, image->width, height, width);
      break;
    case VGG_PRESET_N_PRESETS:
    default:
      return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT,
                            "preprocess: unknown preset %d", (int) preset);
    }
  top = crop_offset (new_height, height);
  left = crop_offset (new_width, width);

  crop = malloc (plane * 3);
  if (crop == NULL)
    return vgg_error_set (error, VGG_STATUS_NO_MEMORY, "preprocess: out of memory");
  status = resize_and_crop (crop, width, height, left, top, new_width, new_height, image,
                            error);
  if (status != VGG_STATUS_OK)
    {
      free (crop);
      return status;
    }

  for (size_t i = 0; i < plane; i++)
    {
      uint8_t *rgb = crop + i * 3;

      switch (preset)
        {
        case VGG_PRESET_TORCHVISION:
          for (int c = 0; c < 3; c++)
            input[c * plane + i] = ((float) rgb[c] / 255.0f - torchvision_mean[c])
                                   / torchvision_std[c];
          break;
        case VGG_PRESET_CAFFE:
          for (int c = 0; c < 3; c++)
            input[c * plane + i] = (float) rgb[2 - c] - caffe_mean_bgr[c];
          break;
        default:
          if (channels == 3)
            {
              for (int c = 0; c < 3; c++)
                input[c * plane + i] = (float) rgb[c] / 255.0f;
            }
          else
            {
              /* the network sees grey: so does @seen */
              rgb[0] = rgb[1] = rgb[2] = luma (rgb);
              input[i] = (float) rgb[0] / 255.0f;
            }
          break;
        }
    }

  if (seen != NULL)
    {
      seen->width = width;
      seen->height = height;
      seen->pixels = crop;
    }
  else
    free (crop);
  return VGG_STATUS_OK;
}
