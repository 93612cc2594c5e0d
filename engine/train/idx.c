/* idx.c — IDX files (the MNIST family's container) of unsigned bytes
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vgg-train.h"
#include "engine-private.h"

#include <stdlib.h>
#include <string.h>

static uint32_t
read_be32 (const uint8_t *p)
{
  return (uint32_t) p[0] << 24 | (uint32_t) p[1] << 16 | (uint32_t) p[2] << 8 | p[3];
}

VggStatus
vgg_idx_parse (VggIdx     *idx,
               const void *bytes,
               size_t      size,
               VggError   *error)
{
  const uint8_t *p = bytes;
  int ndim;
  uint32_t dims[3] = { 0, 1, 1 };
  size_t count = 1, header;

  if (idx == NULL)
    return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT, "no IDX result");
  memset (idx, 0, sizeof *idx);
  if (bytes == NULL || size < 4 || p[0] != 0 || p[1] != 0)
    return vgg_error_set (error, VGG_STATUS_FORMAT, "not an IDX file (bad magic number)");
  if (p[2] != 0x08)
    return vgg_error_set (error, VGG_STATUS_UNSUPPORTED,
                          "IDX element type 0x%02x: only unsigned bytes (0x08) are supported",
                          p[2]);
  ndim = p[3];
  if (ndim != 1 && ndim != 3)
    return vgg_error_set (error, VGG_STATUS_UNSUPPORTED,
                          "IDX file with %d dimensions: 1 (labels) or 3 (images) expected",
                          ndim);
  header = 4 + 4 * (size_t) ndim;
  if (size < header)
    return vgg_error_set (error, VGG_STATUS_FORMAT, "IDX header truncated");
  for (int d = 0; d < ndim; d++)
    {
      dims[d] = read_be32 (p + 4 + 4 * d);
      if (dims[d] == 0 || dims[d] > (1u << 30) || !vgg_mul_size (count, dims[d], &count))
        return vgg_error_set (error, VGG_STATUS_TOO_LARGE, "IDX dimension %d is %u; each is 1 "
                              "to 2^30", d, dims[d]);
    }
  if (dims[1] > 65536 || dims[2] > 65536)
    return vgg_error_set (error, VGG_STATUS_TOO_LARGE, "IDX images of %u × %u pixels; at most "
                          "65536 × 65536", dims[1], dims[2]);
  if (size - header < count)
    return vgg_error_set (error, VGG_STATUS_FORMAT,
                          "IDX file truncated: %zu data bytes, %zu expected", size - header,
                          count);
  idx->data = malloc (count);
  if (idx->data == NULL)
    return vgg_error_set (error, VGG_STATUS_NO_MEMORY, "out of memory for %zu bytes", count);
  memcpy (idx->data, p + header, count);
  idx->count = (int) dims[0];
  idx->height = ndim == 3 ? (int) dims[1] : 0;
  idx->width = ndim == 3 ? (int) dims[2] : 0;
  return VGG_STATUS_OK;
}

void
vgg_idx_clear (VggIdx *idx)
{
  if (idx == NULL)
    return;
  free (idx->data);
  memset (idx, 0, sizeof *idx);
}
