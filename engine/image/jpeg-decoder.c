/* jpeg-decoder.c — JPEG decoding with libjpeg(-turbo): errors, limits, scaling, CMYK, EXIF
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libjpeg reports errors by calling error_exit(), which must not return: ours longjmp()s
 * back to jpeg_decode_guarded() with the message. Truncated data is only a warning to libjpeg
 * (it pads the picture with grey); we make it an error. Everything the setjmp() function
 * changes after setjmp() lives in a JpegDecode that its caller owns, so nothing depends on
 * the values of its automatic variables after a longjmp().
 */
#include "config.h"

#include "image-private.h"

#include <setjmp.h>
#include <stdio.h>   /* jpeglib.h needs FILE */
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <jerror.h>

#define JPEG_APP1 (JPEG_APP0 + 1)
/* libjpeg-turbo recommends bounding the scans of a progressive file: each one re-reads the
 * whole coefficient buffer, so thousands of tiny scans make a small file very slow. */
#define JPEG_MAX_SCANS 1000

typedef struct
{
  struct jpeg_error_mgr      manager;   /* first: libjpeg sees a struct jpeg_error_mgr * */
  jmp_buf                    jump;
  VggStatus                  status;
  bool                       truncated;
  char                       message[JMSG_LENGTH_MAX];
} JpegErrors;

typedef struct
{
  struct jpeg_decompress_struct cinfo;
  JpegErrors                    errors;
  struct jpeg_progress_mgr      progress;
  VggImage                      image;
  JSAMPLE                      *row;       /* one CMYK row */
  const char                   *name;
  VggError                     *error;
} JpegDecode;

static void
jpeg_fail (j_common_ptr cinfo,
           VggStatus    status)
{
  JpegErrors *errors = (JpegErrors *) cinfo->err;

  errors->status = status;
  cinfo->err->format_message (cinfo, errors->message);
  longjmp (errors->jump, 1);
}

static void
jpeg_on_error_exit (j_common_ptr cinfo)
{
  switch (cinfo->err->msg_code)
    {
    case JERR_OUT_OF_MEMORY:
      jpeg_fail (cinfo, VGG_STATUS_NO_MEMORY);
      break;
    case JERR_NO_BACKING_STORE:   /* more than max_memory_to_use */
    case JERR_IMAGE_TOO_BIG:
      jpeg_fail (cinfo, VGG_STATUS_TOO_LARGE);
      break;
    case JERR_CONVERSION_NOTIMPL:
    case JERR_NOT_COMPILED:
      jpeg_fail (cinfo, VGG_STATUS_UNSUPPORTED);
      break;
    default:
      jpeg_fail (cinfo, VGG_STATUS_FORMAT);
      break;
    }
}

static void
jpeg_on_emit_message (j_common_ptr cinfo,
                      int          level)
{
  if (level >= 0)
    return;   /* trace messages */
  /* Warnings. Missing data is an error for us: libjpeg would return a half-grey picture and
   * the network would classify it. Other corrupt-data warnings (extraneous bytes before a
   * marker, which some cameras write) are harmless and ignored, as PIL does. */
  if (cinfo->err->msg_code == JWRN_JPEG_EOF || cinfo->err->msg_code == JWRN_HIT_MARKER)
    {
      ((JpegErrors *) cinfo->err)->truncated = true;
      jpeg_fail (cinfo, VGG_STATUS_FORMAT);
    }
  cinfo->err->num_warnings++;
}

static void
jpeg_on_output_message (j_common_ptr cinfo)
{
  (void) cinfo;   /* the engine never prints */
}

static void
jpeg_on_progress (j_common_ptr cinfo)
{
  j_decompress_ptr dinfo = (j_decompress_ptr) cinfo;

  if (dinfo->input_scan_number > JPEG_MAX_SCANS)
    {
      JpegErrors *errors = (JpegErrors *) cinfo->err;

      errors->status = VGG_STATUS_FORMAT;
      snprintf (errors->message, sizeof errors->message,
                "more than %d progressive scans", JPEG_MAX_SCANS);
      longjmp (errors->jump, 1);
    }
}

/* The 8×8 blocks of all components: the minimum a Huffman-coded file must spend at least one
 * bit on (each block's DC difference has a code of at least one bit). */
static uint64_t
jpeg_count_blocks (const struct jpeg_decompress_struct *cinfo)
{
  uint64_t blocks = 0;

  for (int c = 0; c < cinfo->num_components; c++)
    blocks += (uint64_t) cinfo->comp_info[c].width_in_blocks
              * cinfo->comp_info[c].height_in_blocks;
  return blocks;
}

/* The largest of 1, 1/2, 1/4, 1/8 that keeps the decoded picture within
 * VGG_JPEG_TARGET_PIXELS (1/8 if none does). */
static unsigned int
jpeg_choose_scale (const struct jpeg_decompress_struct *cinfo)
{
  unsigned int denom;

  for (denom = 1; denom < 8; denom *= 2)
    {
      uint64_t width = (cinfo->image_width + denom - 1) / denom;
      uint64_t height = (cinfo->image_height + denom - 1) / denom;

      if (width * height <= (uint64_t) VGG_JPEG_TARGET_PIXELS)
        break;
    }
  return denom;
}

static inline uint8_t
muldiv255 (unsigned int a,
           unsigned int b)
{
  unsigned int product = a * b + 128;

  return (uint8_t) (((product >> 8) + product) >> 8);
}

/* CMYK as Adobe applications store it (inverted: 0 = full ink), which is what PIL assumes
 * for every CMYK JPEG; then PIL's conversion R = (255 − C)(255 − K)/255. */
static void
jpeg_cmyk_to_rgb (uint8_t       *rgb,
                  const JSAMPLE *cmyk,
                  int            width)
{
  for (int x = 0; x < width; x++, cmyk += 4, rgb += 3)
    {
      unsigned int not_k = cmyk[3];

      for (int i = 0; i < 3; i++)
        rgb[i] = (uint8_t) (not_k - muldiv255 (255u - cmyk[i], not_k));
    }
}

static void
jpeg_read_exif (JpegDecode *decode,
                int        *orientation)
{
  for (jpeg_saved_marker_ptr marker = decode->cinfo.marker_list; marker != NULL;
       marker = marker->next)
    {
      if (marker->marker != JPEG_APP1)
        continue;
      *orientation = vgg_exif_orientation (marker->data, marker->data_length);
      if (*orientation != 1)
        return;
    }
}

/* Does the work between setjmp() and the end; returns false after a libjpeg error. */
static bool
jpeg_decode_guarded (JpegDecode          *decode,
                     const unsigned char *bytes,
                     size_t               size,
                     int                 *orientation)
{
  struct jpeg_decompress_struct *cinfo = &decode->cinfo;
  bool cmyk;

  if (setjmp (decode->errors.jump) != 0)
    return false;

  jpeg_create_decompress (cinfo);
  cinfo->mem->max_memory_to_use = VGG_JPEG_MAX_MEMORY;
  cinfo->progress = &decode->progress;
  jpeg_mem_src (cinfo, bytes, (unsigned long) size);
  jpeg_save_markers (cinfo, JPEG_APP1, 0xFFFF);
  jpeg_read_header (cinfo, TRUE);

  /* Check the header's claims against the bytes before anything large is allocated. */
  if (!cinfo->arith_code && (uint64_t) size * 8 < jpeg_count_blocks (cinfo))
    {
      decode->errors.status = VGG_STATUS_FORMAT;
      decode->errors.truncated = true;
      snprintf (decode->errors.message, sizeof decode->errors.message,
                "the data is too short for a %u × %u picture",
                cinfo->image_width, cinfo->image_height);
      return false;
    }
  if (cinfo->progressive_mode
      && jpeg_count_blocks (cinfo) * sizeof (JBLOCK) > (uint64_t) VGG_JPEG_MAX_MEMORY)
    {
      decode->errors.status = VGG_STATUS_TOO_LARGE;
      snprintf (decode->errors.message, sizeof decode->errors.message,
                "a progressive %u × %u picture needs more than %ld MB to decode",
                cinfo->image_width, cinfo->image_height, VGG_JPEG_MAX_MEMORY >> 20);
      return false;
    }

  switch (cinfo->jpeg_color_space)
    {
    case JCS_GRAYSCALE:
    case JCS_RGB:
    case JCS_YCbCr:
      cmyk = false;
      cinfo->out_color_space = JCS_RGB;
      break;
    case JCS_CMYK:
    case JCS_YCCK:
      cmyk = true;
      cinfo->out_color_space = JCS_CMYK;
      break;
    default:
      decode->errors.status = VGG_STATUS_UNSUPPORTED;
      snprintf (decode->errors.message, sizeof decode->errors.message,
                "unsupported JPEG colour space (%d components)", cinfo->num_components);
      return false;
    }

  cinfo->scale_num = 1;
  cinfo->scale_denom = jpeg_choose_scale (cinfo);
  jpeg_calc_output_dimensions (cinfo);
  if ((uint64_t) cinfo->output_width * cinfo->output_height > (uint64_t) VGG_IMAGE_MAX_PIXELS)
    {
      decode->errors.status = VGG_STATUS_TOO_LARGE;
      snprintf (decode->errors.message, sizeof decode->errors.message,
                "%u × %u pixels, more than the limit even at 1/8 scale",
                cinfo->image_width, cinfo->image_height);
      return false;
    }

  jpeg_start_decompress (cinfo);
  if (cinfo->output_components != (cmyk ? 4 : 3))
    {
      decode->errors.status = VGG_STATUS_UNSUPPORTED;
      snprintf (decode->errors.message, sizeof decode->errors.message,
                "unexpected decoder output (%d components)", cinfo->output_components);
      return false;
    }
  if (vgg_image_alloc (&decode->image, (int) cinfo->output_width, (int) cinfo->output_height,
                       decode->name, decode->error) != VGG_STATUS_OK)
    {
      decode->errors.status = decode->error != NULL ? decode->error->status
                                                    : VGG_STATUS_NO_MEMORY;
      decode->errors.message[0] = '\0';   /* already in decode->error */
      return false;
    }
  if (cmyk)
    {
      decode->row = malloc ((size_t) cinfo->output_width * 4);
      if (decode->row == NULL)
        {
          decode->errors.status = VGG_STATUS_NO_MEMORY;
          snprintf (decode->errors.message, sizeof decode->errors.message, "out of memory");
          return false;
        }
    }

  while (cinfo->output_scanline < cinfo->output_height)
    {
      uint8_t *rgb = decode->image.pixels
                     + (size_t) cinfo->output_scanline * cinfo->output_width * 3;
      JSAMPROW rows[1] = { cmyk ? decode->row : rgb };

      if (jpeg_read_scanlines (cinfo, rows, 1) != 1)
        {
          decode->errors.status = VGG_STATUS_FORMAT;
          snprintf (decode->errors.message, sizeof decode->errors.message,
                    "the decoder stopped early");
          return false;
        }
      if (cmyk)
        jpeg_cmyk_to_rgb (rgb, decode->row, (int) cinfo->output_width);
    }

  jpeg_read_exif (decode, orientation);
  /* Reads up to EOI, so a file cut anywhere counts as truncated (PIL refuses those too; the
   * decoder reads ahead, so even a missing EOI alone shows up during the last rows). */
  jpeg_finish_decompress (cinfo);
  return true;
}

VggStatus
vgg_jpeg_decode (VggImage            *image,
                 const unsigned char *bytes,
                 size_t               size,
                 const char          *name,
                 VggError            *error)
{
  JpegDecode *decode;
  int orientation = 1;
  VggStatus status = VGG_STATUS_OK;

  /* On the heap: keeps its fields well defined across longjmp() and the stack small. */
  decode = calloc (1, sizeof *decode);
  if (decode == NULL)
    return vgg_error_set (error, VGG_STATUS_NO_MEMORY, "%s: out of memory", name);
  decode->name = name;
  decode->error = error;
  decode->cinfo.err = jpeg_std_error (&decode->errors.manager);
  decode->errors.manager.error_exit = jpeg_on_error_exit;
  decode->errors.manager.emit_message = jpeg_on_emit_message;
  decode->errors.manager.output_message = jpeg_on_output_message;
  decode->progress.progress_monitor = jpeg_on_progress;

  if (!jpeg_decode_guarded (decode, bytes, size, &orientation))
    {
      status = decode->errors.status;
      if (decode->errors.message[0] != '\0')
        {
          const char *what;

          if (decode->errors.truncated)
            what = "truncated JPEG";
          else if (status == VGG_STATUS_TOO_LARGE)
            what = "JPEG too large";
          else if (status == VGG_STATUS_NO_MEMORY)
            what = "out of memory decoding the JPEG";
          else if (status == VGG_STATUS_UNSUPPORTED)
            what = "unsupported JPEG";
          else
            what = "invalid JPEG";
          vgg_error_set (error, status, "%s: %s: %s", name, what, decode->errors.message);
        }
      vgg_image_clear (&decode->image);
    }
  jpeg_destroy_decompress (&decode->cinfo);
  free (decode->row);

  if (status == VGG_STATUS_OK)
    {
      status = vgg_image_orient (&decode->image, orientation, name, error);
      if (status == VGG_STATUS_OK)
        *image = decode->image;
      else
        vgg_image_clear (&decode->image);
    }
  free (decode);
  return status;
}
