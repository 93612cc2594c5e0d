/* png-codec.c — PNG decoding and encoding with libpng
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libpng reports errors through png_error(), which longjmp()s to the png_jmpbuf() set by the
 * caller. As in jpeg-decoder.c, all state the setjmp() function changes lives in a struct its
 * caller owns.
 */
#include "config.h"

#include "image-private.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <png.h>

/* Deflate cannot compress better than about 1032:1; data shorter than the picture's pixel
 * bytes divided by this is certainly truncated. */
#define DEFLATE_MAX_RATIO 1100
/* Compressed ancillary chunks (text, ICC profiles) may not expand beyond this. */
#define PNG_CHUNK_MAX (8u << 20)

typedef struct
{
  const unsigned char *bytes;
  size_t               size;
  size_t               offset;
  VggStatus            status;
  bool                 truncated;
  char                 message[256];
  png_structp          png;
  png_infop            info;
  uint8_t             *rgba;    /* one row, or the whole picture when interlaced */
  png_bytep           *rows;
  uint8_t             *rgb;     /* one flattened row, when decoding scaled */
  uint32_t            *sums;    /* one output row's running box sums, when decoding scaled */
  VggImage             image;
  const char          *name;
  VggError            *error;
} PngDecode;

static void
png_on_error (png_structp     png,
              png_const_charp message)
{
  PngDecode *decode = png_get_error_ptr (png);

  if (decode->status == VGG_STATUS_OK)
    {
      decode->status = VGG_STATUS_FORMAT;
      snprintf (decode->message, sizeof decode->message, "%s", message);
    }
  png_longjmp (png, 1);
}

static void
png_on_warning (png_structp     png,
                png_const_charp message)
{
  (void) png;
  (void) message;   /* the engine never prints; warnings are about ancillary data */
}

static void
png_on_read (png_structp png,
             png_bytep   data,
             size_t      length)
{
  PngDecode *decode = png_get_io_ptr (png);

  if (length > decode->size - decode->offset)
    {
      decode->truncated = true;
      png_error (png, "unexpected end of data");
    }
  memcpy (data, decode->bytes + decode->offset, length);
  decode->offset += length;
}

static bool
png_fail (PngDecode  *decode,
          VggStatus   status,
          const char *message)
{
  decode->status = status;
  snprintf (decode->message, sizeof decode->message, "%s", message);
  return false;
}

/* Composites RGBA over white into RGB: (c·a + 255·(255 − a)) / 255, rounded. */
static void
png_flatten_row (uint8_t       *rgb,
                 const uint8_t *rgba,
                 int            width)
{
  for (int x = 0; x < width; x++, rgba += 4, rgb += 3)
    {
      unsigned int alpha = rgba[3];

      if (alpha == 255)
        memcpy (rgb, rgba, 3);
      else
        for (int i = 0; i < 3; i++)
          rgb[i] = (uint8_t) ((rgba[i] * alpha + 255u * (255u - alpha) + 127u) / 255u);
    }
}

/* Like JPEG's DCT scaling: a picture above VGG_JPEG_TARGET_PIXELS is decoded at 1/2, 1/4, …
 * of its size, each output pixel the mean of a denom × denom box, so that a 256-megapixel
 * PNG never needs its whole RGB picture in memory. Up to the target the decoding is exact. */
static unsigned
png_choose_scale (uint64_t width,
                  uint64_t height)
{
  unsigned denom;

  for (denom = 1; denom < 16; denom *= 2)
    if (((width + denom - 1) / denom) * ((height + denom - 1) / denom)
        <= (uint64_t) VGG_JPEG_TARGET_PIXELS)
      break;
  return denom;
}

/* Reads the rows of a non-interlaced picture into the box sums; writes an output row every
 * @denom input rows. */
static bool
png_read_scaled (PngDecode *decode,
                 unsigned   width,
                 unsigned   height,
                 unsigned   denom)
{
  int out_width = decode->image.width;

  decode->rgb = malloc ((size_t) width * 3);
  decode->sums = calloc ((size_t) out_width * 3, sizeof *decode->sums);
  if (decode->rgb == NULL || decode->sums == NULL)
    return png_fail (decode, VGG_STATUS_NO_MEMORY, "out of memory");
  for (unsigned y = 0; y < height; y++)
    {
      png_read_row (decode->png, decode->rgba, NULL);
      png_flatten_row (decode->rgb, decode->rgba, (int) width);
      for (unsigned x = 0; x < width; x++)
        {
          uint32_t *sum = decode->sums + (x / denom) * 3;   /* denom is a power of two */
          const uint8_t *rgb = decode->rgb + (size_t) x * 3;

          sum[0] += rgb[0];
          sum[1] += rgb[1];
          sum[2] += rgb[2];
        }
      if ((y + 1) % denom == 0 || y + 1 == height)
        {
          uint8_t *out = decode->image.pixels + (size_t) (y / denom) * out_width * 3;
          unsigned rows = y % denom + 1;

          for (int ox = 0; ox < out_width; ox++)
            {
              unsigned cols = width - (unsigned) ox * denom < denom
                              ? width - (unsigned) ox * denom : denom;
              unsigned n = rows * cols;

              for (int c = 0; c < 3; c++)
                out[ox * 3 + c] = (uint8_t) ((decode->sums[ox * 3 + c] + n / 2) / n);
            }
          memset (decode->sums, 0, (size_t) out_width * 3 * sizeof *decode->sums);
        }
    }
  return true;
}

static bool
png_decode_guarded (PngDecode *decode)
{
  /* Chunks we never use: not parsing them is the safest way to handle them. */
  static const png_byte ignored_chunks[] =
    "iCCP\0" "iTXt\0" "tEXt\0" "zTXt\0" "sPLT\0" "eXIf\0" "tIME\0" "hIST\0";
  png_structp png = decode->png;
  png_infop info = decode->info;
  png_uint_32 width, height;
  int bit_depth, colour_type, interlace;
  uint64_t pixel_bytes;
  unsigned denom;

  if (setjmp (png_jmpbuf (png)) != 0)
    return false;

  png_set_read_fn (png, decode, png_on_read);
  /* libpng's own size limit (a million pixels a side) would refuse with a vaguer message
   * than ours below; it still rejects what the PNG specification forbids. */
  png_set_user_limits (png, 0x7fffffff, 0x7fffffff);
  png_set_chunk_malloc_max (png, PNG_CHUNK_MAX);
  png_set_benign_errors (png, 1);
  png_set_keep_unknown_chunks (png, PNG_HANDLE_CHUNK_NEVER, ignored_chunks,
                               (int) (sizeof ignored_chunks / 5));
  png_read_info (png, info);
  png_get_IHDR (png, info, &width, &height, &bit_depth, &colour_type, &interlace, NULL, NULL);

  if ((uint64_t) width * height > (uint64_t) VGG_IMAGE_MAX_PIXELS)
    {
      decode->status = VGG_STATUS_TOO_LARGE;
      snprintf (decode->message, sizeof decode->message,
                "%u × %u pixels, more than the limit of %lld megapixels",
                (unsigned) width, (unsigned) height,
                (long long) (VGG_IMAGE_MAX_PIXELS >> 20));
      return false;
    }
  pixel_bytes = (uint64_t) height
                * (((uint64_t) width * png_get_channels (png, info) * (unsigned) bit_depth) / 8);
  if ((uint64_t) decode->size * DEFLATE_MAX_RATIO < pixel_bytes)
    {
      decode->truncated = true;
      decode->status = VGG_STATUS_FORMAT;
      snprintf (decode->message, sizeof decode->message,
                "the data is too short for a %u × %u picture", (unsigned) width,
                (unsigned) height);
      return false;
    }

  /* Everything becomes 8-bit RGBA: palette and low-bit grey expanded, tRNS turned into
   * alpha, 16-bit samples cut to their high byte (as PIL does), grey copied to R, G, B. */
  png_set_expand (png);
  png_set_strip_16 (png);
  png_set_gray_to_rgb (png);
  if ((colour_type & PNG_COLOR_MASK_ALPHA) == 0 && !png_get_valid (png, info, PNG_INFO_tRNS))
    png_set_filler (png, 0xFF, PNG_FILLER_AFTER);
  if (interlace != PNG_INTERLACE_NONE)
    png_set_interlace_handling (png);
  png_read_update_info (png, info);
  if (png_get_bit_depth (png, info) != 8 || png_get_channels (png, info) != 4
      || png_get_rowbytes (png, info) != (size_t) width * 4)
    return png_fail (decode, VGG_STATUS_UNSUPPORTED, "unexpected pixel layout after conversion");

  denom = png_choose_scale (width, height);
  if (denom > 1 && interlace != PNG_INTERLACE_NONE)
    {
      /* Adam7 needs the whole picture in memory: 7 bytes a pixel */
      decode->status = VGG_STATUS_TOO_LARGE;
      snprintf (decode->message, sizeof decode->message,
                "an interlaced %u × %u picture; interlaced PNGs are read up to %lld "
                "megapixels (plain ones up to %lld)", (unsigned) width, (unsigned) height,
                (long long) (VGG_JPEG_TARGET_PIXELS >> 20),
                (long long) (VGG_IMAGE_MAX_PIXELS >> 20));
      return false;
    }
  if (vgg_image_alloc (&decode->image, (int) ((width + denom - 1) / denom),
                       (int) ((height + denom - 1) / denom), decode->name,
                       decode->error) != VGG_STATUS_OK)
    {
      decode->status = decode->error != NULL ? decode->error->status : VGG_STATUS_NO_MEMORY;
      return false;
    }

  if (interlace == PNG_INTERLACE_NONE)
    {
      decode->rgba = malloc ((size_t) width * 4);
      if (decode->rgba == NULL)
        return png_fail (decode, VGG_STATUS_NO_MEMORY, "out of memory");
      if (denom > 1)
        return png_read_scaled (decode, width, height, denom);
      for (png_uint_32 y = 0; y < height; y++)
        {
          png_read_row (png, decode->rgba, NULL);
          png_flatten_row (decode->image.pixels + (size_t) y * width * 3, decode->rgba,
                           (int) width);
        }
    }
  else
    {
      /* Adam7 passes revisit every row: keep the whole RGBA picture. */
      size_t n_bytes;

      if (!vgg_mul_size ((size_t) width * 4, height, &n_bytes))
        return png_fail (decode, VGG_STATUS_TOO_LARGE, "the picture needs too much memory");
      decode->rgba = malloc (n_bytes);
      decode->rows = malloc (sizeof (png_bytep) * height);
      if (decode->rgba == NULL || decode->rows == NULL)
        return png_fail (decode, VGG_STATUS_NO_MEMORY, "out of memory");
      for (png_uint_32 y = 0; y < height; y++)
        decode->rows[y] = decode->rgba + (size_t) y * width * 4;
      png_read_image (png, decode->rows);
      for (png_uint_32 y = 0; y < height; y++)
        png_flatten_row (decode->image.pixels + (size_t) y * width * 3, decode->rows[y],
                         (int) width);
    }

  /* No png_read_end(): whatever follows the last row (text chunks, IEND) cannot change the
   * picture, and files cut just after their pixels are common enough. */
  return true;
}

VggStatus
vgg_png_decode (VggImage            *image,
                const unsigned char *bytes,
                size_t               size,
                const char          *name,
                VggError            *error)
{
  PngDecode *decode;
  VggStatus status = VGG_STATUS_OK;

  decode = calloc (1, sizeof *decode);
  if (decode == NULL)
    return vgg_error_set (error, VGG_STATUS_NO_MEMORY, "%s: out of memory", name);
  decode->bytes = bytes;
  decode->size = size;
  decode->name = name;
  decode->error = error;
  decode->png = png_create_read_struct (PNG_LIBPNG_VER_STRING, decode, png_on_error,
                                        png_on_warning);
  if (decode->png != NULL)
    decode->info = png_create_info_struct (decode->png);
  if (decode->png == NULL || decode->info == NULL)
    {
      png_destroy_read_struct (&decode->png, NULL, NULL);
      free (decode);
      return vgg_error_set (error, VGG_STATUS_NO_MEMORY, "%s: out of memory", name);
    }

  if (!png_decode_guarded (decode))
    {
      status = decode->status != VGG_STATUS_OK ? decode->status : VGG_STATUS_FORMAT;
      if (decode->truncated)
        vgg_error_set (error, status, "%s: truncated PNG (%s)", name, decode->message);
      else if (status == VGG_STATUS_TOO_LARGE && decode->message[0] != '\0')
        vgg_error_set (error, status, "%s: PNG too large: %s", name, decode->message);
      else if (status == VGG_STATUS_UNSUPPORTED && decode->message[0] != '\0')
        vgg_error_set (error, status, "%s: unsupported PNG: %s", name, decode->message);
      else if (decode->message[0] != '\0')
        vgg_error_set (error, status, "%s: invalid PNG: %s", name, decode->message);
      /* else: vgg_image_alloc() has set @error */
      vgg_image_clear (&decode->image);
    }
  else
    *image = decode->image;

  png_destroy_read_struct (&decode->png, &decode->info, NULL);
  free (decode->rgba);
  free (decode->rows);
  free (decode->rgb);
  free (decode->sums);
  free (decode);
  return status;
}

/* ---------------------------------------------------------------------------------------------
 * Writing
 */

typedef struct
{
  FILE       *file;
  int         saved_errno;
  char        message[256];
} PngEncode;

static void
png_on_write_error (png_structp     png,
                    png_const_charp message)
{
  PngEncode *encode = png_get_error_ptr (png);

  snprintf (encode->message, sizeof encode->message, "%s", message);
  png_longjmp (png, 1);
}

static void
png_on_write (png_structp png,
              png_bytep   data,
              size_t      length)
{
  PngEncode *encode = png_get_io_ptr (png);

  if (fwrite (data, 1, length, encode->file) != length)
    {
      encode->saved_errno = errno;
      png_error (png, "write error");
    }
}

static void
png_on_flush (png_structp png)
{
  PngEncode *encode = png_get_io_ptr (png);

  if (fflush (encode->file) != 0)
    {
      encode->saved_errno = errno;
      png_error (png, "write error");
    }
}

static bool
png_encode_guarded (png_structp     png,
                    png_infop       info,
                    PngEncode      *encode,
                    const VggImage *image)
{
  if (setjmp (png_jmpbuf (png)) != 0)
    return false;

  png_set_write_fn (png, encode, png_on_write, png_on_flush);
  png_set_IHDR (png, info, (png_uint_32) image->width, (png_uint_32) image->height, 8,
                PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
                PNG_FILTER_TYPE_DEFAULT);
  png_write_info (png, info);
  for (int y = 0; y < image->height; y++)
    png_write_row (png, image->pixels + (size_t) y * image->width * 3);
  png_write_end (png, info);
  return true;
}

VggStatus
vgg_image_save_png (const VggImage *image,
                    const char     *path,
                    VggError       *error)
{
  PngEncode encode = { 0 };
  png_structp png;
  png_infop info = NULL;
  size_t n_pixels;
  bool written;

  if (image == NULL || path == NULL || image->pixels == NULL || image->width <= 0
      || image->height <= 0 || !vgg_mul_size ((size_t) image->width, (size_t) image->height,
                                              &n_pixels)
      || n_pixels > (size_t) VGG_IMAGE_MAX_PIXELS)
    return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT,
                          "%s: no picture to save", path != NULL ? path : "(no path)");

  png = png_create_write_struct (PNG_LIBPNG_VER_STRING, &encode, png_on_write_error,
                                 png_on_warning);
  if (png != NULL)
    info = png_create_info_struct (png);
  if (png == NULL || info == NULL)
    {
      png_destroy_write_struct (&png, NULL);
      return vgg_error_set (error, VGG_STATUS_NO_MEMORY, "%s: out of memory", path);
    }

  encode.file = fopen (path, "wb");
  if (encode.file == NULL)
    {
      int saved = errno;

      png_destroy_write_struct (&png, &info);
      return vgg_error_set (error, VGG_STATUS_IO, "%s: %s", path, strerror (saved));
    }

  written = png_encode_guarded (png, info, &encode, image);
  png_destroy_write_struct (&png, &info);
  if (fclose (encode.file) != 0 && written)
    {
      written = false;
      encode.saved_errno = errno;
    }
  if (!written)
    {
      remove (path);
      if (encode.saved_errno != 0)
        return vgg_error_set (error, VGG_STATUS_IO, "%s: cannot write: %s", path,
                              strerror (encode.saved_errno));
      return vgg_error_set (error, VGG_STATUS_IO, "%s: cannot write the PNG: %s", path,
                            encode.message);
    }
  return VGG_STATUS_OK;
}
