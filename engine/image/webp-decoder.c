/* webp-decoder.c — WebP decoding with libwebp: still pictures and an animation's first frame
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Decodes through libwebp's animation decoder, as PIL does for every WebP, so lossy pictures
 * come out with the same upsampling and so the same bytes as torchvision's pipeline sees.
 */
#include "config.h"

#include "image-private.h"

#include <stdlib.h>
#include <string.h>

#include <webp/decode.h>
#include <webp/demux.h>

static const char *
webp_status_text (VP8StatusCode status)
{
  switch (status)
    {
    case VP8_STATUS_OUT_OF_MEMORY:
      return "out of memory";
    case VP8_STATUS_INVALID_PARAM:
      return "invalid parameter";
    case VP8_STATUS_BITSTREAM_ERROR:
      return "corrupt data";
    case VP8_STATUS_UNSUPPORTED_FEATURE:
      return "a feature libwebp does not support";
    case VP8_STATUS_SUSPENDED:
    case VP8_STATUS_USER_ABORT:
    case VP8_STATUS_NOT_ENOUGH_DATA:
      return "the data ends early";
    case VP8_STATUS_OK:
    default:
      return "unknown error";
    }
}

VggStatus
vgg_webp_decode (VggImage            *image,
                 const unsigned char *bytes,
                 size_t               size,
                 const char          *name,
                 VggError            *error)
{
  WebPBitstreamFeatures features;
  WebPAnimDecoderOptions options;
  WebPAnimDecoder *decoder;
  WebPAnimInfo info;
  WebPData data = { bytes, size };
  VggImage decoded = { 0 };
  VP8StatusCode status;
  uint8_t *rgba = NULL;
  uint32_t riff_size;
  int timestamp;
  VggStatus result;

  /* The RIFF header says how long the file is: a shorter one was cut off. */
  riff_size = (uint32_t) bytes[4] | (uint32_t) bytes[5] << 8 | (uint32_t) bytes[6] << 16
              | (uint32_t) bytes[7] << 24;
  if ((uint64_t) riff_size + 8 > size)
    return vgg_error_set (error, VGG_STATUS_FORMAT,
                          "%s: truncated WebP (%zu of %llu bytes)", name, size,
                          (unsigned long long) riff_size + 8);

  /* The size comes from the headers alone: check it before libwebp allocates a canvas. */
  status = WebPGetFeatures (bytes, size, &features);
  if (status != VP8_STATUS_OK)
    return vgg_error_set (error, VGG_STATUS_FORMAT, "%s: invalid WebP (%s)", name,
                          webp_status_text (status));
  if ((int64_t) features.width * features.height > VGG_IMAGE_MAX_PIXELS)
    return vgg_error_set (error, VGG_STATUS_TOO_LARGE,
                          "%s: WebP too large: %d × %d pixels, more than the limit of %lld "
                          "megapixels", name, features.width, features.height,
                          (long long) (VGG_IMAGE_MAX_PIXELS >> 20));

  if (!WebPAnimDecoderOptionsInit (&options))
    return vgg_error_set (error, VGG_STATUS_UNSUPPORTED,
                          "%s: this libwebp does not match the one VGG Scope was built with",
                          name);
  options.color_mode = MODE_RGBA;   /* straight alpha, composited below */
  options.use_threads = 0;
  decoder = WebPAnimDecoderNew (&data, &options);
  if (decoder == NULL)
    return vgg_error_set (error, VGG_STATUS_FORMAT, "%s: invalid WebP (corrupt headers)", name);
  if (!WebPAnimDecoderGetInfo (decoder, &info)
      || (int64_t) info.canvas_width * info.canvas_height > VGG_IMAGE_MAX_PIXELS)
    {
      WebPAnimDecoderDelete (decoder);
      return vgg_error_set (error, VGG_STATUS_TOO_LARGE, "%s: WebP too large (the canvas is "
                            "beyond the limit of %lld megapixels)", name,
                            (long long) (VGG_IMAGE_MAX_PIXELS >> 20));
    }
  if (!WebPAnimDecoderGetNext (decoder, &rgba, &timestamp))
    {
      WebPAnimDecoderDelete (decoder);
      return vgg_error_set (error, VGG_STATUS_FORMAT, "%s: invalid WebP (corrupt picture data)",
                            name);
    }

  result = vgg_image_alloc (&decoded, (int) info.canvas_width, (int) info.canvas_height, name,
                            error);
  if (result == VGG_STATUS_OK)
    {
      vgg_image_flatten_rgba (decoded.pixels, rgba,
                              (size_t) info.canvas_width * info.canvas_height);
      *image = decoded;
    }
  WebPAnimDecoderDelete (decoder);   /* owns @rgba */
  return result;
}
