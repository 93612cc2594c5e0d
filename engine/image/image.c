/* image.c — loading pictures: format detection by content and the RGB8 image type
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "image-private.h"

#include <stdlib.h>
#include <string.h>

static const unsigned char jpeg_signature[] = { 0xFF, 0xD8, 0xFF };
static const unsigned char png_signature[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n' };

/* What the refusal of anything else names. */
#define ACCEPTED_FORMATS "JPEG, PNG, WebP, GIF, BMP or TIFF"

static bool
has_prefix (const unsigned char *bytes,
            size_t               size,
            const char          *prefix,
            size_t               length)
{
  return size >= length && memcmp (bytes, prefix, length) == 0;
}

/* TIFF: byte order "II" or "MM", then 42 (classic) or 43 (BigTIFF) in that order. */
static bool
is_tiff (const unsigned char *bytes,
         size_t               size)
{
  return has_prefix (bytes, size, "II*\0", 4) || has_prefix (bytes, size, "MM\0*", 4)
         || has_prefix (bytes, size, "II+\0", 4) || has_prefix (bytes, size, "MM\0+", 4);
}

VggStatus
vgg_image_alloc (VggImage   *image,
                 int         width,
                 int         height,
                 const char *name,
                 VggError   *error)
{
  size_t n_pixels, n_bytes;

  if (width <= 0 || height <= 0)
    return vgg_error_set (error, VGG_STATUS_FORMAT, "%s: the picture is empty (%d × %d)",
                          name, width, height);
  if (!vgg_mul_size ((size_t) width, (size_t) height, &n_pixels)
      || n_pixels > (size_t) VGG_IMAGE_MAX_PIXELS
      || !vgg_mul_size (n_pixels, 3, &n_bytes))
    return vgg_error_set (error, VGG_STATUS_TOO_LARGE,
                          "%s: the picture is too large (%d × %d pixels; the limit is %lld "
                          "megapixels)", name, width, height,
                          (long long) (VGG_IMAGE_MAX_PIXELS >> 20));

  /* Plain malloc, not vgg_alloc_big(): the decoders write every byte, and an untouched
   * allocation costs nothing if a corrupt file stops the decoding early. */
  image->pixels = malloc (n_bytes);
  if (image->pixels == NULL)
    return vgg_error_set (error, VGG_STATUS_NO_MEMORY,
                          "%s: out of memory for a %d × %d picture", name, width, height);
  image->width = width;
  image->height = height;
  return VGG_STATUS_OK;
}

static VggStatus
image_decode (VggImage            *image,
              const unsigned char *bytes,
              size_t               size,
              const char          *name,
              VggError            *error)
{
  if (size == 0)
    return vgg_error_set (error, VGG_STATUS_FORMAT, "%s: empty (0 bytes)", name);
  if (size >= sizeof jpeg_signature
      && memcmp (bytes, jpeg_signature, sizeof jpeg_signature) == 0)
    return vgg_jpeg_decode (image, bytes, size, name, error);
  if (size >= sizeof png_signature && memcmp (bytes, png_signature, sizeof png_signature) == 0)
    return vgg_png_decode (image, bytes, size, name, error);
  if (size >= 12 && memcmp (bytes, "RIFF", 4) == 0 && memcmp (bytes + 8, "WEBP", 4) == 0)
    return vgg_webp_decode (image, bytes, size, name, error);
  if (has_prefix (bytes, size, "GIF87a", 6) || has_prefix (bytes, size, "GIF89a", 6))
    return vgg_gif_decode (image, bytes, size, name, error);
  if (has_prefix (bytes, size, "BM", 2))
    return vgg_bmp_decode (image, bytes, size, name, error);
  if (is_tiff (bytes, size))
    return vgg_tiff_decode (image, bytes, size, name, error);
  return vgg_error_set (error, VGG_STATUS_FORMAT, "%s: not a " ACCEPTED_FORMATS " image", name);
}

VggStatus
vgg_image_load (VggImage   *image,
                const char *path,
                VggError   *error)
{
  VggMappedFile file;
  VggStatus status;

  if (image == NULL || path == NULL)
    return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT,
                          "vgg_image_load: no image or no path");
  memset (image, 0, sizeof *image);

  status = vgg_mapped_file_open (&file, path, error);
  if (status != VGG_STATUS_OK)
    return status;
  status = image_decode (image, file.data, file.size, path, error);
  vgg_mapped_file_close (&file);
  return status;
}

VggStatus
vgg_image_load_memory (VggImage   *image,
                       const void *bytes,
                       size_t      size,
                       VggError   *error)
{
  if (image == NULL || (bytes == NULL && size > 0))
    return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT,
                          "vgg_image_load_memory: no image or no bytes");
  memset (image, 0, sizeof *image);
  return image_decode (image, bytes, size, "image data", error);
}

void
vgg_image_flatten_rgba (uint8_t       *rgb,
                        const uint8_t *rgba,
                        size_t         n_pixels)
{
  for (size_t i = 0; i < n_pixels; i++, rgba += 4, rgb += 3)
    {
      unsigned int alpha = rgba[3];

      for (int c = 0; c < 3; c++)
        rgb[c] = alpha == 255 ? rgba[c]
                 : (uint8_t) ((rgba[c] * alpha + 255u * (255u - alpha) + 127u) / 255u);
    }
}

void
vgg_image_clear (VggImage *image)
{
  if (image == NULL)
    return;
  free (image->pixels);
  image->pixels = NULL;
  image->width = 0;
  image->height = 0;
}
