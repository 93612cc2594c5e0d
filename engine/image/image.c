/* image.c — loading pictures: format detection and the RGB8 image type
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
  return vgg_error_set (error, VGG_STATUS_FORMAT, "%s: not a JPEG or PNG image", name);
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
vgg_image_clear (VggImage *image)
{
  if (image == NULL)
    return;
  free (image->pixels);
  image->pixels = NULL;
  image->width = 0;
  image->height = 0;
}
