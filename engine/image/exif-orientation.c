/* exif-orientation.c — reading the EXIF orientation of a JPEG and turning pictures upright
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "image-private.h"

#include <libexif/exif-data.h>
#include <stdlib.h>
#include <string.h>

static const unsigned char exif_header[] = { 'E', 'x', 'i', 'f', 0, 0 };

int
vgg_exif_orientation (const unsigned char *app1,
                      size_t               size)
{
  ExifData *data;
  ExifEntry *entry;
  int orientation = 1;

  if (app1 == NULL || size < sizeof exif_header + 8
      || memcmp (app1, exif_header, sizeof exif_header) != 0)
    return 1;
  /* A marker payload is at most 65533 bytes, but libexif takes an unsigned int. */
  if (size > 0xFFFF)
    return 1;

  data = exif_data_new ();
  if (data == NULL)
    return 1;
  /* Only read: no "fixing" of the data to the specification (which adds default entries),
   * and no maker notes (the part of libexif with the most parsing). */
  exif_data_unset_option (data, EXIF_DATA_OPTION_FOLLOW_SPECIFICATION);
  exif_data_unset_option (data, EXIF_DATA_OPTION_IGNORE_UNKNOWN_TAGS);
  exif_data_set_option (data, EXIF_DATA_OPTION_DONT_CHANGE_MAKER_NOTE);
  exif_data_load_data (data, app1, (unsigned int) size);

  /* The orientation of the main picture is in IFD 0 (IFD 1 describes the thumbnail). */
  entry = exif_content_get_entry (data->ifd[EXIF_IFD_0], EXIF_TAG_ORIENTATION);
  if (entry != NULL && entry->format == EXIF_FORMAT_SHORT && entry->components >= 1
      && entry->data != NULL && entry->size >= 2)
    {
      ExifShort value = exif_get_short (entry->data, exif_data_get_byte_order (data));

      if (value >= 1 && value <= 8)
        orientation = value;
    }
  exif_data_unref (data);
  return orientation;
}

VggStatus
vgg_image_orient (VggImage   *image,
                  int         orientation,
                  const char *name,
                  VggError   *error)
{
  const int width_in = image->width, height_in = image->height;
  const bool transposed = orientation >= 5 && orientation <= 8;
  VggImage out = { 0 };
  VggStatus status;

  if (orientation < 2 || orientation > 8)
    return VGG_STATUS_OK;

  status = vgg_image_alloc (&out, transposed ? height_in : width_in,
                            transposed ? width_in : height_in, name, error);
  if (status != VGG_STATUS_OK)
    return status;

  for (int y = 0; y < out.height; y++)
    {
      uint8_t *row = out.pixels + (size_t) y * out.width * 3;

      for (int x = 0; x < out.width; x++)
        {
          int x_in, y_in;

          /* Where output pixel (x, y) comes from in the stored picture. */
          switch (orientation)
            {
            case 2: x_in = width_in - 1 - x; y_in = y; break;
            case 3: x_in = width_in - 1 - x; y_in = height_in - 1 - y; break;
            case 4: x_in = x; y_in = height_in - 1 - y; break;
            case 5: x_in = y; y_in = x; break;
            case 6: x_in = y; y_in = height_in - 1 - x; break;
            case 7: x_in = width_in - 1 - y; y_in = height_in - 1 - x; break;
            default: x_in = width_in - 1 - y; y_in = x; break; /* 8 */
            }
          memcpy (row + (size_t) x * 3,
                  image->pixels + ((size_t) y_in * width_in + (size_t) x_in) * 3, 3);
        }
    }

  vgg_image_clear (image);
  *image = out;
  return VGG_STATUS_OK;
}
