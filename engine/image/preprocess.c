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

/* ---- VGG_PRESET_FASHION_MNIST ----
 *
 * Fashion-MNIST's pictures are product photos trimmed to the object, scaled so the longer
 * side is 28, centred on a 28 × 28 square, negated (a light garment on black) and grey. A
 * photo is usually the opposite: a dark object on a light background. So: grey (ITU-R 601
 * luma); the mean of a border ring decides the polarity (bright border → invert); the
 * background level is subtracted and the brightest pixel stretched to 255; the picture is
 * cropped to the box of pixels clearly above the background, scaled to fit 28 × 28 (PIL
 * bilinear), centred, and the 28 × 28 square centred on the black height × width input.
 * A 28 × 28 picture that already has a dark border (the data set's own images) is used as
 * it is, so the samples give exactly what the model saw in training. */

#define FASHION_SIDE 28

/* The analysis both vgg_preprocess() and vgg_preprocess_steps() need: @image as grey, with
 * the polarity corrected and (unless it is used as it is) the background subtracted and the
 * brightest pixel stretched to 255, into *@grey_out (w × h, malloc'd); the object's box and
 * the size it is scaled to within @side × @side into @steps. */
static VggStatus
fashion_analyse (const VggImage     *image,
                 int                 side,
                 uint8_t           **grey_out,
                 VggPreprocessSteps *steps,
                 VggError           *error)
{
  const int w = image->width, h = image->height;
  size_t n_pixels;
  uint8_t *grey;
  int ring, x_min = w, x_max = -1, y_min = h, y_max = -1, bg, top, threshold;
  uint64_t ring_sum = 0, ring_count = 0;
  uint8_t max = 0;
  bool invert;

  *grey_out = NULL;
  if (!vgg_mul_size ((size_t) w, (size_t) h, &n_pixels))
    return vgg_error_set (error, VGG_STATUS_TOO_LARGE, "preprocess: picture too large");
  grey = malloc (n_pixels);
  if (grey == NULL)
    return vgg_error_set (error, VGG_STATUS_NO_MEMORY, "preprocess: out of memory");
  for (size_t i = 0; i < n_pixels; i++)
    grey[i] = luma (image->pixels + 3 * i);

  /* the border ring: 1/16 of the shorter side, at least one pixel */
  ring = (w < h ? w : h) / 16;
  if (ring < 1)
    ring = 1;
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      if (y < ring || y >= h - ring || x < ring || x >= w - ring)
        {
          ring_sum += grey[(size_t) y * w + x];
          ring_count++;
        }
  bg = (int) (ring_sum / (ring_count > 0 ? ring_count : 1));
  steps->background = bg;
  invert = bg > 127;
  steps->invert = invert;
  if (invert)
    {
      for (size_t i = 0; i < n_pixels; i++)
        grey[i] = (uint8_t) (255 - grey[i]);
      bg = 255 - bg;
    }

  if (w == FASHION_SIDE && h == FASHION_SIDE && side == FASHION_SIDE && !invert)
    {
      /* the data set's own picture: used as it is */
      steps->box_x = steps->box_y = 0;
      steps->box_width = steps->fit_width = w;
      steps->box_height = steps->fit_height = h;
      *grey_out = grey;
      return VGG_STATUS_OK;
    }

  for (size_t i = 0; i < n_pixels; i++)
    if (grey[i] > max)
      max = grey[i];
  top = max > bg ? max - bg : 1;
  threshold = top / 4 > 12 ? top / 4 : 12;
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      if (grey[(size_t) y * w + x] > bg + threshold)
        {
          x_min = x < x_min ? x : x_min;
          x_max = x > x_max ? x : x_max;
          y_min = y < y_min ? y : y_min;
          y_max = y > y_max ? y : y_max;
        }
  if (x_max < 0)
    {
      /* nothing stands out: the whole picture */
      x_min = y_min = 0;
      x_max = w - 1;
      y_max = h - 1;
    }
  /* background to black, the brightest pixel to white */
  for (size_t i = 0; i < n_pixels; i++)
    {
      int v = ((int) grey[i] - bg) * 255 / top;
      grey[i] = (uint8_t) (v < 0 ? 0 : v > 255 ? 255 : v);
    }

  {
    int box_w = x_max - x_min + 1, box_h = y_max - y_min + 1;
    int longer = box_w > box_h ? box_w : box_h;
    int fit_w = (int) lround ((double) box_w * side / longer);
    int fit_h = (int) lround ((double) box_h * side / longer);

    steps->box_x = x_min;
    steps->box_y = y_min;
    steps->box_width = box_w;
    steps->box_height = box_h;
    steps->fit_width = fit_w < 1 ? 1 : fit_w;
    steps->fit_height = fit_h < 1 ? 1 : fit_h;
  }
  *grey_out = grey;
  return VGG_STATUS_OK;
}

static int
fashion_side (int height,
              int width)
{
  return height < FASHION_SIDE || width < FASHION_SIDE ? (height < width ? height : width)
                                                        : FASHION_SIDE;
}

static VggStatus
preprocess_fashion_mnist (float          *input,
                          int             channels,
                          int             height,
                          int             width,
                          const VggImage *image,
                          VggImage       *seen,
                          VggError       *error)
{
  const int w = image->width;
  const int side = fashion_side (height, width);
  const size_t plane = (size_t) height * (size_t) width;
  VggPreprocessSteps steps = { 0 };
  uint8_t *grey = NULL, *canvas = NULL;
  VggStatus status;

  if (channels != 1)
    return vgg_error_set (error, VGG_STATUS_UNSUPPORTED,
                          "the fashion-mnist preset needs 1 input channel, not %d", channels);
  status = fashion_analyse (image, side, &grey, &steps, error);
  if (status != VGG_STATUS_OK)
    return status;
  canvas = calloc ((size_t) side * side, 1);
  if (canvas == NULL)
    {
      free (grey);
      return vgg_error_set (error, VGG_STATUS_NO_MEMORY, "preprocess: out of memory");
    }

  if (image->width == FASHION_SIDE && image->height == FASHION_SIDE && side == FASHION_SIDE
      && !steps.invert)
    memcpy (canvas, grey, (size_t) side * side);
  else
    {
      int box_w = steps.box_width, box_h = steps.box_height;
      int fit_w = steps.fit_width, fit_h = steps.fit_height;
      uint8_t *box = malloc ((size_t) box_w * box_h), *fit = malloc ((size_t) fit_w * fit_h);

      if (box == NULL || fit == NULL)
        status = vgg_error_set (error, VGG_STATUS_NO_MEMORY, "preprocess: out of memory");
      else
        {
          for (int y = 0; y < box_h; y++)
            memcpy (box + (size_t) y * box_w, grey + (size_t) (steps.box_y + y) * w + steps.box_x,
                    (size_t) box_w);
          status = vgg_resample_bilinear (fit, 0, 0, fit_w, fit_h, fit_w, fit_h, box, box_w,
                                          box_h, 1, error);
          if (status == VGG_STATUS_OK)
            for (int y = 0; y < fit_h; y++)
              memcpy (canvas + (size_t) ((side - fit_h) / 2 + y) * side + (side - fit_w) / 2,
                      fit + (size_t) y * fit_w, (size_t) fit_w);
        }
      free (box);
      free (fit);
    }
  free (grey);
  if (status != VGG_STATUS_OK)
    {
      free (canvas);
      return status;
    }

  {
    int y0 = (height - side) / 2, x0 = (width - side) / 2;

    memset (input, 0, plane * sizeof (float));
    for (int y = 0; y < side; y++)
      for (int x = 0; x < side; x++)
        input[(size_t) (y0 + y) * width + x0 + x] = (float) canvas[(size_t) y * side + x]
                                                     / 255.0f;
  }
  free (canvas);

  if (seen != NULL)
    {
      uint8_t *pixels = malloc (plane * 3);

      if (pixels == NULL)
        return vgg_error_set (error, VGG_STATUS_NO_MEMORY, "preprocess: out of memory");
      for (size_t i = 0; i < plane; i++)
        pixels[3 * i] = pixels[3 * i + 1] = pixels[3 * i + 2]
          = (uint8_t) lroundf (input[i] * 255.0f);
      seen->width = width;
      seen->height = height;
      seen->pixels = pixels;
    }
  return VGG_STATUS_OK;
}

/* The size the whole picture is resized to before the crop, for the presets that crop. */
static VggStatus
resize_plan (int64_t        *new_height,
             int64_t        *new_width,
             int             channels,
             int             height,
             int             width,
             const VggImage *image,
             VggPreset       preset,
             VggError       *error)
{
  switch (preset)
    {
    case VGG_PRESET_TORCHVISION:
      if (channels != 3)
        return vgg_error_set (error, VGG_STATUS_UNSUPPORTED,
                              "the torchvision preset needs 3 input channels, not %d",
                              channels);
      /* 256 for 224, the same margin for other sizes */
      cover_size (new_height, new_width, image->height, image->width,
                  height == 224 ? 256 : llround (height * 256.0 / 224.0),
                  width == 224 ? 256 : llround (width * 256.0 / 224.0));
      return VGG_STATUS_OK;
    case VGG_PRESET_CAFFE:
      if (channels != 3)
        return vgg_error_set (error, VGG_STATUS_UNSUPPORTED,
                              "the caffe preset needs 3 input channels (BGR), not %d",
                              channels);
      *new_height = height;
      *new_width = width;
      return VGG_STATUS_OK;
    case VGG_PRESET_PLAIN:
      cover_size (new_height, new_width, image->height, image->width, height, width);
      return VGG_STATUS_OK;
    case VGG_PRESET_FASHION_MNIST:
    case VGG_PRESET_N_PRESETS:
    default:
      return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT,
                            "preprocess: unknown preset %d", (int) preset);
    }
}

/* The checks every entry point makes on its arguments. */
static VggStatus
check_arguments (int             channels,
                 int             height,
                 int             width,
                 const VggImage *image,
                 VggError       *error)
{
  if (image == NULL || image->pixels == NULL || image->width <= 0 || image->height <= 0)
    return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT, "preprocess: no picture");
  if (channels != 1 && channels != 3)
    return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT,
                          "preprocess: %d input channels (1 or 3 expected)", channels);
  if (height <= 0 || width <= 0 || height > INPUT_MAX_SIDE || width > INPUT_MAX_SIDE
      || (size_t) height * (size_t) width > (size_t) VGG_IMAGE_MAX_PIXELS)
    return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT,
                          "preprocess: impossible input size %d × %d", height, width);
  return VGG_STATUS_OK;
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
  if (input == NULL)
    return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT, "preprocess: no picture");
  status = check_arguments (channels, height, width, image, error);
  if (status != VGG_STATUS_OK)
    return status;

  if (preset == VGG_PRESET_FASHION_MNIST)
    return preprocess_fashion_mnist (input, channels, height, width, image, seen, error);
  status = resize_plan (&new_height, &new_width, channels, height, width, image, preset, error);
  if (status != VGG_STATUS_OK)
    return status;
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

VggStatus
vgg_preprocess_steps (VggPreprocessSteps *steps,
                      int                 channels,
                      int                 height,
                      int                 width,
                      const VggImage     *image,
                      VggPreset           preset,
                      VggImage           *resized,
                      VggError           *error)
{
  int64_t new_height, new_width;
  VggStatus status;

  if (resized != NULL)
    memset (resized, 0, sizeof *resized);
  if (steps == NULL)
    return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT, "preprocess: no steps");
  memset (steps, 0, sizeof *steps);
  status = check_arguments (channels, height, width, image, error);
  if (status != VGG_STATUS_OK)
    return status;

  steps->preset = preset;
  steps->channels = channels;
  steps->height = height;
  steps->width = width;
  steps->image_width = image->width;
  steps->image_height = image->height;
  steps->grey = channels == 1;
  steps->scale = 255.0f;
  for (int c = 0; c < 3; c++)
    {
      steps->mean[c] = 0.0f;
      steps->std[c] = 1.0f;
    }

  if (preset == VGG_PRESET_FASHION_MNIST)
    {
      uint8_t *grey = NULL;
      size_t n_pixels = (size_t) image->width * (size_t) image->height;

      if (channels != 1)
        return vgg_error_set (error, VGG_STATUS_UNSUPPORTED,
                              "the fashion-mnist preset needs 1 input channel, not %d",
                              channels);
      steps->side = fashion_side (height, width);
      status = fashion_analyse (image, steps->side, &grey, steps, error);
      if (status != VGG_STATUS_OK)
        return status;
      steps->resize_width = steps->fit_width;
      steps->resize_height = steps->fit_height;
      if (resized != NULL)
        {
          resized->pixels = malloc (n_pixels * 3);
          if (resized->pixels == NULL)
            {
              free (grey);
              return vgg_error_set (error, VGG_STATUS_NO_MEMORY, "preprocess: out of memory");
            }
          resized->width = image->width;
          resized->height = image->height;
          for (size_t i = 0; i < n_pixels; i++)
            resized->pixels[3 * i] = resized->pixels[3 * i + 1] = resized->pixels[3 * i + 2]
              = grey[i];
        }
      free (grey);
      return VGG_STATUS_OK;
    }

  status = resize_plan (&new_height, &new_width, channels, height, width, image, preset, error);
  if (status != VGG_STATUS_OK)
    return status;
  if (new_height > INPUT_MAX_SIDE || new_width > INPUT_MAX_SIDE)
    return vgg_error_set (error, VGG_STATUS_TOO_LARGE,
                          "preprocess: resized picture too large (%lld × %lld)",
                          (long long) new_width, (long long) new_height);
  steps->resize_width = (int) new_width;
  steps->resize_height = (int) new_height;
  steps->crop_top = (int) crop_offset (new_height, height);
  steps->crop_left = (int) crop_offset (new_width, width);
  switch (preset)
    {
    case VGG_PRESET_TORCHVISION:
      for (int c = 0; c < 3; c++)
        {
          steps->mean[c] = torchvision_mean[c];
          steps->std[c] = torchvision_std[c];
        }
      break;
    case VGG_PRESET_CAFFE:
      steps->bgr = true;
      steps->scale = 1.0f;
      for (int c = 0; c < 3; c++)
        steps->mean[c] = caffe_mean_bgr[c];
      break;
    default:
      break;
    }

  if (resized != NULL)
    {
      resized->pixels = malloc ((size_t) new_width * (size_t) new_height * 3);
      if (resized->pixels == NULL)
        return vgg_error_set (error, VGG_STATUS_NO_MEMORY, "preprocess: out of memory");
      status = vgg_resample_bilinear (resized->pixels, 0, 0, (int) new_width, (int) new_height,
                                      new_width, new_height, image->pixels, image->width,
                                      image->height, 3, error);
      if (status != VGG_STATUS_OK)
        {
          vgg_image_clear (resized);
          return status;
        }
      resized->width = (int) new_width;
      resized->height = (int) new_height;
    }
  return VGG_STATUS_OK;
}
