/* safetensors-writer.c — writing safetensors files: F32 (and I64) tensors, string metadata
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Used by training (checkpoints, the exported model) and by the conversion cache
 * (model-load.c). The header is padded so the tensor data starts 64-byte aligned and the
 * file can be mapped and used in place.
 */
#include "config.h"

#include "engine-private.h"
#include "safetensors-writer.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- a growing string ---- */

typedef struct
{
  char  *data;
  size_t length, allocated;
  bool   failed;
} Text;

static void
text_append (Text       *text,
             const char *piece,
             size_t      length)
{
  if (text->failed)
    return;
  if (text->length + length + 1 > text->allocated)
    {
      size_t n = text->allocated > 0 ? text->allocated : 1024;
      char *data;

      while (n < text->length + length + 1)
        n *= 2;
      data = realloc (text->data, n);
      if (data == NULL)
        {
          text->failed = true;
          return;
        }
      text->data = data;
      text->allocated = n;
    }
  memcpy (text->data + text->length, piece, length);
  text->length += length;
  text->data[text->length] = '\0';
}

static void
text_printf (Text       *text,
             const char *format,
             ...) VGG_PRINTF (2, 3);

static void
text_printf (Text       *text,
             const char *format,
             ...)
{
  char buffer[256];
  va_list args;
  int n;

  va_start (args, format);
  n = vsnprintf (buffer, sizeof buffer, format, args);
  va_end (args);
  if (n < 0 || (size_t) n >= sizeof buffer)
    text->failed = true;
  else
    text_append (text, buffer, (size_t) n);
}

/* A JSON string literal. */
static void
text_json_string (Text       *text,
                  const char *value)
{
  text_append (text, "\"", 1);
  for (const unsigned char *p = (const unsigned char *) value; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        {
          char escaped[2] = { '\\', (char) *p };
          text_append (text, escaped, 2);
        }
      else if (*p == '\n')
        text_append (text, "\\n", 2);
      else if (*p == '\t')
        text_append (text, "\\t", 2);
      else if (*p < 0x20)
        text_printf (text, "\\u%04x", *p);
      else
        text_append (text, (const char *) p, 1);
    }
  text_append (text, "\"", 1);
}

VggStatus
vgg_safetensors_write (const char            *path,
                       const VggTensorOut    *tensors,
                       int                    n_tensors,
                       const VggMetadataItem *items,
                       int                    n_items,
                       VggError              *error)
{
  Text header = { 0 };
  char *tmp_path = NULL;
  FILE *file = NULL;
  uint64_t offset = 0, header_size;
  uint8_t size_bytes[8];
  bool ok;

  text_append (&header, "{", 1);
  if (n_items > 0)
    {
      text_append (&header, "\"__metadata__\":{", 16);
      for (int i = 0; i < n_items; i++)
        {
          if (i > 0)
            text_append (&header, ",", 1);
          text_json_string (&header, items[i].key);
          text_append (&header, ":", 1);
          text_json_string (&header, items[i].value);
        }
      text_append (&header, "}", 1);
    }
  for (int t = 0; t < n_tensors; t++)
    {
      uint64_t count = 1;

      for (int d = 0; d < tensors[t].ndim; d++)
        count *= (uint64_t) tensors[t].shape[d];
      uint64_t size = tensors[t].data_i64 != NULL ? 8 : 4;

      if (n_items > 0 || t > 0)
        text_append (&header, ",", 1);
      text_json_string (&header, tensors[t].name);
      text_printf (&header, ":{\"dtype\":\"%s\",\"shape\":[",
                   tensors[t].data_i64 != NULL ? "I64" : "F32");
      for (int d = 0; d < tensors[t].ndim; d++)
        text_printf (&header, "%s%" PRId64, d > 0 ? "," : "", tensors[t].shape[d]);
      text_printf (&header, "],\"data_offsets\":[%" PRIu64 ",%" PRIu64 "]}", offset,
                   offset + size * count);
      offset += size * count;
    }
  text_append (&header, "}", 1);
  /* pad with spaces so the tensor data starts 64-byte aligned and can be mapped in place */
  while (!header.failed && (8 + header.length) % 64 != 0)
    text_append (&header, " ", 1);
  if (header.failed)
    {
      free (header.data);
      return vgg_error_set (error, VGG_STATUS_NO_MEMORY, "%s: out of memory for the header",
                            path);
    }

  header_size = header.length;
  for (int i = 0; i < 8; i++)
    size_bytes[i] = (uint8_t) (header_size >> (8 * i));

  tmp_path = malloc (strlen (path) + 5);
  if (tmp_path == NULL)
    {
      free (header.data);
      return vgg_error_set (error, VGG_STATUS_NO_MEMORY, "out of memory");
    }
  sprintf (tmp_path, "%s.tmp", path);
  file = fopen (tmp_path, "wb");
  if (file == NULL)
    {
      int saved = errno;
      free (header.data);
      free (tmp_path);
      return vgg_error_set (error, VGG_STATUS_IO, "%s: cannot write: %s", path,
                            strerror (saved));
    }
  ok = fwrite (size_bytes, 1, 8, file) == 8
       && fwrite (header.data, 1, header.length, file) == header.length;
  for (int t = 0; ok && t < n_tensors; t++)
    {
      size_t count = 1;
      for (int d = 0; d < tensors[t].ndim; d++)
        count *= (size_t) tensors[t].shape[d];
      /* little-endian hosts only, like the loaders */
      if (tensors[t].data_i64 != NULL)
        ok = fwrite (tensors[t].data_i64, sizeof (int64_t), count, file) == count;
      else
        ok = fwrite (tensors[t].data, sizeof (float), count, file) == count;
    }
  ok = (fclose (file) == 0) && ok;
  free (header.data);
  if (!ok || rename (tmp_path, path) != 0)
    {
      int saved = errno;
      remove (tmp_path);
      free (tmp_path);
      return vgg_error_set (error, VGG_STATUS_IO, "%s: cannot write: %s", path,
                            strerror (saved));
    }
  free (tmp_path);
  return VGG_STATUS_OK;
}

