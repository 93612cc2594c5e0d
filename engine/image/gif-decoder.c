/* gif-decoder.c — GIF decoding with giflib: the first frame, transparency over white
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The picture is the first frame on its canvas, as PIL shows it: the canvas is the logical
 * screen (grown if the frame reaches beyond it); outside the frame it holds the transparent
 * colour when the frame has one, else palette entry 0. Indices the palette lacks are grey
 * (i, i, i), as in PIL's default palette; a GIF without any palette is grey.
 */
#include "config.h"

#include "image-private.h"

#include <stdlib.h>
#include <string.h>

#include <gif_lib.h>

typedef struct
{
  const unsigned char *bytes;
  size_t               size;
  size_t               offset;
  bool                 truncated;
} GifInput;

static int
gif_on_read (GifFileType *gif,
             GifByteType *data,
             int          length)
{
  GifInput *input = gif->UserData;
  size_t n = (size_t) length;

  if (length < 0)
    return 0;
  if (n > input->size - input->offset)
    {
      n = input->size - input->offset;
      input->truncated = true;
    }
  memcpy (data, input->bytes + input->offset, n);
  input->offset += n;
  return (int) n;
}

static VggStatus
gif_fail (int         code,
          GifInput   *input,
          const char *name,
          VggError   *error)
{
  if (input->truncated || code == D_GIF_ERR_READ_FAILED || code == D_GIF_ERR_EOF_TOO_SOON)
    return vgg_error_set (error, VGG_STATUS_FORMAT, "%s: truncated GIF (the data ends early)",
                          name);
  if (code == D_GIF_ERR_NOT_ENOUGH_MEM)
    return vgg_error_set (error, VGG_STATUS_NO_MEMORY, "%s: out of memory decoding the GIF",
                          name);
  return vgg_error_set (error, VGG_STATUS_FORMAT, "%s: invalid GIF (%s)", name,
                        GifErrorString (code) != NULL ? GifErrorString (code) : "corrupt data");
}

/* Fills @rgba (the canvas, @width × @height) from the palette indices of one frame. */
static void
gif_paint (uint8_t              *rgba,
           const uint8_t        *indices,
           size_t                n_pixels,
           const ColorMapObject *palette,
           int                   transparent)
{
  for (size_t i = 0; i < n_pixels; i++, rgba += 4)
    {
      int index = indices[i];

      if (palette != NULL && index < palette->ColorCount)
        {
          rgba[0] = palette->Colors[index].Red;
          rgba[1] = palette->Colors[index].Green;
          rgba[2] = palette->Colors[index].Blue;
        }
      else
        rgba[0] = rgba[1] = rgba[2] = (uint8_t) index;
      rgba[3] = index == transparent ? 0 : 255;
    }
}

static VggStatus
gif_decode_first_frame (GifFileType *gif,
                        GifInput    *input,
                        VggImage    *image,
                        const char  *name,
                        VggError    *error)
{
  /* Lines of an interlaced frame arrive in four passes. */
  static const int pass_start[] = { 0, 4, 2, 1 };
  static const int pass_step[] = { 8, 8, 4, 2 };
  GifRecordType record;
  int transparent = -1;
  const GifImageDesc *frame;
  const ColorMapObject *palette;
  int64_t width, height;
  uint8_t *indices = NULL;
  VggImage decoded = { 0 };
  VggStatus status;

  if ((int64_t) gif->SWidth * gif->SHeight > VGG_IMAGE_MAX_PIXELS)
    return vgg_error_set (error, VGG_STATUS_TOO_LARGE,
                         "%s: GIF too large: %d × %d pixels, more than the limit of %lld "
                         "megapixels", name, gif->SWidth, gif->SHeight,
                         (long long) (VGG_IMAGE_MAX_PIXELS >> 20));

  for (;;)
    {
      if (DGifGetRecordType (gif, &record) == GIF_ERROR)
        return gif_fail (gif->Error, input, name, error);
      if (record == TERMINATE_RECORD_TYPE)
        return vgg_error_set (error, VGG_STATUS_FORMAT, "%s: invalid GIF (no picture in it)",
                              name);
      if (record == IMAGE_DESC_RECORD_TYPE)
        break;
      if (record == EXTENSION_RECORD_TYPE)
        {
          GifByteType *block = NULL;
          int code;

          if (DGifGetExtension (gif, &code, &block) == GIF_ERROR)
            return gif_fail (gif->Error, input, name, error);
          if (code == GRAPHICS_EXT_FUNC_CODE && block != NULL)
            {
              GraphicsControlBlock control;

              if (DGifExtensionToGCB (block[0], block + 1, &control) == GIF_OK)
                transparent = control.TransparentColor;
            }
          while (block != NULL)
            if (DGifGetExtensionNext (gif, &block) == GIF_ERROR)
              return gif_fail (gif->Error, input, name, error);
        }
    }

  if (DGifGetImageDesc (gif) == GIF_ERROR)
    return gif_fail (gif->Error, input, name, error);
  frame = &gif->Image;
  if (frame->Width <= 0 || frame->Height <= 0)
    return vgg_error_set (error, VGG_STATUS_FORMAT, "%s: invalid GIF (an empty frame)", name);
  width = (int64_t) frame->Left + frame->Width;
  height = (int64_t) frame->Top + frame->Height;
  if (width < gif->SWidth)
    width = gif->SWidth;
  if (height < gif->SHeight)
    height = gif->SHeight;
  if (width * height > VGG_IMAGE_MAX_PIXELS)
    return vgg_error_set (error, VGG_STATUS_TOO_LARGE,
                          "%s: GIF too large: %lld × %lld pixels, more than the limit of %lld "
                          "megapixels", name, (long long) width, (long long) height,
                          (long long) (VGG_IMAGE_MAX_PIXELS >> 20));
  palette = frame->ColorMap != NULL ? frame->ColorMap : gif->SColorMap;

  /* Palette indices of the whole canvas, then RGBA in place of them, then RGB. */
  status = vgg_image_alloc (&decoded, (int) width, (int) height, name, error);
  if (status != VGG_STATUS_OK)
    return status;
  indices = malloc ((size_t) width * height);
  if (indices == NULL)
    {
      vgg_image_clear (&decoded);
      return vgg_error_set (error, VGG_STATUS_NO_MEMORY, "%s: out of memory", name);
    }
  memset (indices, transparent >= 0 ? transparent : 0, (size_t) width * height);
  for (int pass = 0; pass < (frame->Interlace ? 4 : 1); pass++)
    {
      int start = frame->Interlace ? pass_start[pass] : 0;
      int step = frame->Interlace ? pass_step[pass] : 1;

      for (int y = start; y < frame->Height; y += step)
        if (DGifGetLine (gif, indices + (size_t) (frame->Top + y) * width + frame->Left,
                         frame->Width) == GIF_ERROR)
          {
            free (indices);
            vgg_image_clear (&decoded);
            return gif_fail (gif->Error, input, name, error);
          }
    }

  {
    /* RGBA of one row at a time, so the canvas needs no RGBA copy */
    uint8_t *row = malloc ((size_t) width * 4);

    if (row == NULL)
      {
        free (indices);
        vgg_image_clear (&decoded);
        return vgg_error_set (error, VGG_STATUS_NO_MEMORY, "%s: out of memory", name);
      }
    for (int64_t y = 0; y < height; y++)
      {
        gif_paint (row, indices + y * width, (size_t) width, palette, transparent);
        vgg_image_flatten_rgba (decoded.pixels + y * width * 3, row, (size_t) width);
      }
    free (row);
  }
  free (indices);
  *image = decoded;
  return VGG_STATUS_OK;
}

VggStatus
vgg_gif_decode (VggImage            *image,
                const unsigned char *bytes,
                size_t               size,
                const char          *name,
                VggError            *error)
{
  GifInput input = { bytes, size, 0, false };
  GifFileType *gif;
  int code = 0;
  VggStatus status;

  gif = DGifOpen (&input, gif_on_read, &code);
  if (gif == NULL)
    return gif_fail (code, &input, name, error);
  status = gif_decode_first_frame (gif, &input, image, name, error);
  DGifCloseFile (gif, &code);
  return status;
}
