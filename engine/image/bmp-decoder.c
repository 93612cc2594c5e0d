/* bmp-decoder.c — BMP decoding with stb_image (Debian's libstb)
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * stb_image reads past the end of a short file as zeros, so the headers are checked here
 * first: the size against the pixel limit before anything is allocated, and the file's length
 * against what its uncompressed rows need. 32-bit pixels without a channel mask keep their
 * fourth byte out of the picture (it is padding, as PIL reads it); masked alpha is composited
 * over white.
 */
#include "config.h"

#include "image-private.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <stb_image.h>

#define BMP_FILE_HEADER 14

static uint32_t
le32 (const unsigned char *p)
{
  return (uint32_t) p[0] | (uint32_t) p[1] << 8 | (uint32_t) p[2] << 16 | (uint32_t) p[3] << 24;
}

static uint16_t
le16 (const unsigned char *p)
{
  return (uint16_t) (p[0] | p[1] << 8);
}

VggStatus
vgg_bmp_decode (VggImage            *image,
                const unsigned char *bytes,
                size_t               size,
                const char          *name,
                VggError            *error)
{
  uint32_t header_size, data_offset, compression = 0;
  int64_t width, height;
  unsigned bits;
  int w, h, channels, wanted;
  unsigned char *pixels;
  VggImage decoded = { 0 };
  VggStatus status;

  if (size < BMP_FILE_HEADER + 12)
    return vgg_error_set (error, VGG_STATUS_FORMAT, "%s: truncated BMP (%zu bytes)", name,
                          size);
  data_offset = le32 (bytes + 10);
  header_size = le32 (bytes + BMP_FILE_HEADER);
  if (header_size != 12 && header_size != 40 && header_size != 56 && header_size != 108
      && header_size != 124)
    return vgg_error_set (error, VGG_STATUS_UNSUPPORTED,
                          "%s: unsupported BMP (an info header of %u bytes)", name,
                          (unsigned) header_size);
  if (size < BMP_FILE_HEADER + header_size)
    return vgg_error_set (error, VGG_STATUS_FORMAT, "%s: truncated BMP (%zu bytes)", name,
                          size);
  if (header_size == 12)
    {
      width = le16 (bytes + 18);
      height = le16 (bytes + 20);
      bits = le16 (bytes + 24);
    }
  else
    {
      width = (int32_t) le32 (bytes + 18);
      height = (int32_t) le32 (bytes + 22);
      bits = le16 (bytes + 28);
      compression = le32 (bytes + 30);
    }
  if (height < 0)
    height = -height;   /* rows stored top-down */
  if (width <= 0 || height <= 0)
    return vgg_error_set (error, VGG_STATUS_FORMAT, "%s: invalid BMP (%lld × %lld pixels)",
                          name, (long long) width, (long long) height);
  if (width * height > VGG_IMAGE_MAX_PIXELS)
    return vgg_error_set (error, VGG_STATUS_TOO_LARGE,
                          "%s: BMP too large: %lld × %lld pixels, more than the limit of %lld "
                          "megapixels", name, (long long) width, (long long) height,
                          (long long) (VGG_IMAGE_MAX_PIXELS >> 20));
  if (bits != 1 && bits != 4 && bits != 8 && bits != 16 && bits != 24 && bits != 32)
    return vgg_error_set (error, VGG_STATUS_UNSUPPORTED,
                          "%s: unsupported BMP (%u bits a pixel)", name, bits);
  if (compression != 0 && compression != 3)
    return vgg_error_set (error, VGG_STATUS_UNSUPPORTED,
                          "%s: unsupported BMP (compressed; only uncompressed BMPs are read)",
                          name);
  {
    /* rows are padded to 4 bytes */
    uint64_t stride = (((uint64_t) width * bits + 31) / 32) * 4;

    if ((uint64_t) data_offset + stride * (uint64_t) height > size)
      return vgg_error_set (error, VGG_STATUS_FORMAT,
                            "%s: truncated BMP (%zu of %llu bytes)", name, size,
                            (unsigned long long) (data_offset + stride * (uint64_t) height));
  }
  if (size > INT_MAX)
    return vgg_error_set (error, VGG_STATUS_TOO_LARGE, "%s: BMP too large (%zu bytes)", name,
                          size);

  wanted = bits == 32 && compression == 0 ? 3 : 4;
  pixels = stbi_load_from_memory (bytes, (int) size, &w, &h, &channels, wanted);
  if (pixels == NULL)
    return vgg_error_set (error, VGG_STATUS_FORMAT, "%s: invalid BMP (%s)", name,
                          stbi_failure_reason () != NULL ? stbi_failure_reason ()
                                                         : "corrupt data");
  if (w != width || h != height)
    {
      stbi_image_free (pixels);
      return vgg_error_set (error, VGG_STATUS_FORMAT, "%s: invalid BMP (inconsistent size)",
                            name);
    }
  status = vgg_image_alloc (&decoded, w, h, name, error);
  if (status == VGG_STATUS_OK)
    {
      if (wanted == 3)
        memcpy (decoded.pixels, pixels, (size_t) w * h * 3);
      else
        vgg_image_flatten_rgba (decoded.pixels, pixels, (size_t) w * h);
      *image = decoded;
    }
  stbi_image_free (pixels);
  return status;
}
