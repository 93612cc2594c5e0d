/* tiff-decoder.c — TIFF decoding with libtiff: the first page, as RGB over white
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libtiff's RGBA interface turns every photometric interpretation, bit depth and palette into
 * 8-bit RGBA with premultiplied alpha. Compositing that over white is c + (255 − a), which
 * equals the engine's rule for straight alpha, since libtiff premultiplies with rounding.
 * libtiff reports problems through handlers set per file (no global state, nothing printed).
 */
#include "config.h"

#include "image-private.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <tiffio.h>

/* The most memory libtiff may take for one of its own buffers (a strip, a tile). */
#define TIFF_MAX_SINGLE_ALLOC ((tmsize_t) 256 << 20)

typedef struct
{
  const unsigned char *bytes;
  size_t               size;
  size_t               offset;
  bool                 truncated;
  char                 message[256];
} TiffInput;

static tmsize_t
tiff_on_read (thandle_t handle,
              void     *data,
              tmsize_t  length)
{
  TiffInput *input = handle;
  size_t n = length < 0 ? 0 : (size_t) length;

  if (input->offset >= input->size)
    n = 0;
  else if (n > input->size - input->offset)
    n = input->size - input->offset;
  if (n < (size_t) length)
    input->truncated = true;
  if (n > 0)
    memcpy (data, input->bytes + input->offset, n);
  input->offset += n;
  return (tmsize_t) n;
}

static tmsize_t
tiff_on_write (thandle_t handle,
               void     *data,
               tmsize_t  length)
{
  return 0;
}

static toff_t
tiff_on_seek (thandle_t handle,
              toff_t    offset,
              int       whence)
{
  TiffInput *input = handle;
  uint64_t base = whence == SEEK_CUR ? input->offset : whence == SEEK_END ? input->size : 0;

  if (whence != SEEK_SET && whence != SEEK_CUR && whence != SEEK_END)
    return (toff_t) -1;
  /* offsets beyond the end are allowed (a later read then comes up short) */
  if (offset > UINT64_MAX - base || base + offset > SIZE_MAX)
    return (toff_t) -1;
  input->offset = (size_t) (base + offset);
  return (toff_t) input->offset;
}

static int
tiff_on_close (thandle_t handle)
{
  return 0;
}

static toff_t
tiff_on_size (thandle_t handle)
{
  return (toff_t) ((TiffInput *) handle)->size;
}

/* (libtiff hands its own format string over: the attribute says so, for the compiler's
 * checks) */
VGG_PRINTF (4, 0)
static int
tiff_on_error (TIFF       *tiff,
               void       *user_data,
               const char *module,
               const char *format,
               va_list     args)
{
  TiffInput *input = user_data;

  if (input->message[0] == '\0')   /* the first error says what went wrong */
    vsnprintf (input->message, sizeof input->message, format, args);
  return 1;
}

static int
tiff_on_warning (TIFF       *tiff,
                 void       *user_data,
                 const char *module,
                 const char *format,
                 va_list     args)
{
  return 1;   /* the engine never prints; warnings are about tags we do not use */
}

static VggStatus
tiff_fail (TiffInput  *input,
           const char *name,
           const char *what,
           VggError   *error)
{
  if (input->truncated)
    return vgg_error_set (error, VGG_STATUS_FORMAT, "%s: truncated TIFF (the data ends early)",
                          name);
  return vgg_error_set (error, VGG_STATUS_FORMAT, "%s: invalid TIFF (%s)", name,
                        input->message[0] != '\0' ? input->message : what);
}

/* A premultiplied channel over white; clamped, as associated alpha may be inconsistent. */
static uint8_t
over_white (unsigned value,
            unsigned clear)
{
  return (uint8_t) (value + clear > 255u ? 255u : value + clear);
}

/* TIFFReadRGBAImageOriented(), except that 16-bit samples keep their high byte (as PIL and
 * the PNG decoder do) instead of libtiff's rounding to the nearest 8-bit value. */
static bool
tiff_read_rgba (TIFF     *tiff,
                uint32_t  width,
                uint32_t  height,
                uint32_t *raster,
                char      reason[1024])
{
  TIFFRGBAImage rgba;
  bool ok;

  if (!TIFFRGBAImageBegin (&rgba, tiff, 1, reason))
    return false;
  if (rgba.bitspersample == 16 && rgba.Bitdepth16To8 != NULL)
    for (unsigned i = 0; i < 65536; i++)
      rgba.Bitdepth16To8[i] = (uint8_t) (i >> 8);
  rgba.req_orientation = ORIENTATION_TOPLEFT;
  ok = TIFFRGBAImageGet (&rgba, raster, width, height) != 0;
  TIFFRGBAImageEnd (&rgba);
  return ok;
}

static VggStatus
tiff_decode_page (TIFF       *tiff,
                  TiffInput  *input,
                  VggImage   *image,
                  const char *name,
                  VggError   *error)
{
  uint32_t width = 0, height = 0;
  char reason[1024] = "";
  uint8_t *raster;
  VggImage decoded = { 0 };
  VggStatus status;

  if (!TIFFGetField (tiff, TIFFTAG_IMAGEWIDTH, &width)
      || !TIFFGetField (tiff, TIFFTAG_IMAGELENGTH, &height))
    return tiff_fail (input, name, "no picture size", error);
  if ((uint64_t) width * height > (uint64_t) VGG_IMAGE_MAX_PIXELS)
    return vgg_error_set (error, VGG_STATUS_TOO_LARGE,
                          "%s: TIFF too large: %u × %u pixels, more than the limit of %lld "
                          "megapixels", name, (unsigned) width, (unsigned) height,
                          (long long) (VGG_IMAGE_MAX_PIXELS >> 20));
  if (!TIFFRGBAImageOK (tiff, reason))
    return vgg_error_set (error, VGG_STATUS_UNSUPPORTED, "%s: unsupported TIFF (%s)", name,
                          reason);

  status = vgg_image_alloc (&decoded, (int) width, (int) height, name, error);
  if (status != VGG_STATUS_OK)
    return status;
  raster = malloc ((size_t) width * height * 4);
  if (raster == NULL)
    {
      vgg_image_clear (&decoded);
      return vgg_error_set (error, VGG_STATUS_NO_MEMORY, "%s: out of memory for a %u × %u "
                            "TIFF", name, (unsigned) width, (unsigned) height);
    }
  if (!tiff_read_rgba (tiff, width, height, (uint32_t *) raster, reason))
    {
      free (raster);
      vgg_image_clear (&decoded);
      return tiff_fail (input, name, reason[0] != '\0' ? reason : "corrupt picture data", error);
    }

  /* Each uint32 is A·2²⁴ + B·2¹⁶ + G·2⁸ + R, premultiplied. */
  for (size_t i = 0; i < (size_t) width * height; i++)
    {
      uint32_t abgr = ((const uint32_t *) raster)[i];
      unsigned clear = 255u - TIFFGetA (abgr);

      decoded.pixels[i * 3] = over_white (TIFFGetR (abgr), clear);
      decoded.pixels[i * 3 + 1] = over_white (TIFFGetG (abgr), clear);
      decoded.pixels[i * 3 + 2] = over_white (TIFFGetB (abgr), clear);
    }
  free (raster);
  *image = decoded;
  return VGG_STATUS_OK;
}

VggStatus
vgg_tiff_decode (VggImage            *image,
                 const unsigned char *bytes,
                 size_t               size,
                 const char          *name,
                 VggError            *error)
{
  TiffInput input = { bytes, size, 0, false, "" };
  TIFFOpenOptions *options;
  TIFF *tiff;
  VggStatus status;

  options = TIFFOpenOptionsAlloc ();
  if (options == NULL)
    return vgg_error_set (error, VGG_STATUS_NO_MEMORY, "%s: out of memory", name);
  TIFFOpenOptionsSetMaxSingleMemAlloc (options, TIFF_MAX_SINGLE_ALLOC);
  TIFFOpenOptionsSetErrorHandlerExtR (options, tiff_on_error, &input);
  TIFFOpenOptionsSetWarningHandlerExtR (options, tiff_on_warning, &input);
  /* "m": no memory mapping (the bytes are already in memory, read through the callbacks) */
  tiff = TIFFClientOpenExt (name, "rm", &input, tiff_on_read, tiff_on_write, tiff_on_seek,
                            tiff_on_close, tiff_on_size, NULL, NULL, options);
  TIFFOpenOptionsFree (options);
  if (tiff == NULL)
    return tiff_fail (&input, name, "unreadable headers", error);
  status = tiff_decode_page (tiff, &input, image, name, error);
  TIFFClose (tiff);
  return status;
}
