/* npy.c — reading and writing NumPy .npy files of float32 tensors
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The format (numpy/lib/format.py): "\x93NUMPY", a major and a minor version byte, the header
 * length (2 bytes little-endian in version 1.0, 4 bytes in 2.0 and 3.0), then the header: a
 * Python dict literal {'descr': '<f4', 'fortran_order': False, 'shape': (3, 224, 224), }
 * padded with spaces and ending in '\n', so that the data starts at a multiple of 64 bytes.
 * The data follows in C order, exactly as many bytes as the shape says.
 *
 * We read '<f4' (and '<f8' and '|u1', converted to float), C order only.
 */
#include "config.h"

#include "engine-private.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
# error "vgg_npy_save() writes floats as they are in memory: add byte swapping"
#endif

static const unsigned char npy_magic[] = { 0x93, 'N', 'U', 'M', 'P', 'Y' };

#define NPY_PREFIX_V1    10         /* magic, version, 2-byte length */
#define NPY_PREFIX_V2    12         /* magic, version, 4-byte length */
#define NPY_HEADER_MAX   (1 << 20)  /* NumPy's own reader stops at 10 000 bytes by default */
#define NPY_ALIGN        64
#define NPY_DESCR_SIZE   16

typedef enum
{
  NPY_DTYPE_F4,
  NPY_DTYPE_F8,
  NPY_DTYPE_U1,
} NpyDtype;

/* A cursor over the header's dict literal. */
typedef struct
{
  const char *text;
  size_t      size;
  size_t      at;
} NpyParser;

static void
parser_skip_space (NpyParser *parser)
{
  while (parser->at < parser->size && (parser->text[parser->at] == ' '
                                       || parser->text[parser->at] == '\t'
                                       || parser->text[parser->at] == '\n'
                                       || parser->text[parser->at] == '\r'))
    parser->at++;
}

static bool
parser_accept (NpyParser *parser,
               char       c)
{
  parser_skip_space (parser);
  if (parser->at < parser->size && parser->text[parser->at] == c)
    {
      parser->at++;
      return true;
    }
  return false;
}

/* A quoted string without escapes (keys and dtype descriptors never need them). */
static bool
parser_string (NpyParser *parser,
               char      *out,
               size_t     out_size)
{
  char quote;
  size_t length = 0;

  parser_skip_space (parser);
  if (parser->at >= parser->size)
    return false;
  quote = parser->text[parser->at];
  if (quote != '\'' && quote != '"')
    return false;
  parser->at++;
  while (parser->at < parser->size && parser->text[parser->at] != quote)
    {
      if (parser->text[parser->at] == '\\' || length + 1 >= out_size)
        return false;
      out[length++] = parser->text[parser->at++];
    }
  if (parser->at >= parser->size)
    return false;
  parser->at++;
  out[length] = '\0';
  return true;
}

static bool
parser_word (NpyParser  *parser,
             const char *word)
{
  size_t length = strlen (word);

  parser_skip_space (parser);
  if (parser->size - parser->at < length || memcmp (parser->text + parser->at, word, length) != 0)
    return false;
  parser->at += length;
  return true;
}

/* A non-negative integer below 2^62; Python 2's "3L" suffix accepted. */
static bool
parser_integer (NpyParser *parser,
                int64_t   *value)
{
  int64_t result = 0;
  size_t start;

  parser_skip_space (parser);
  start = parser->at;
  while (parser->at < parser->size && isdigit ((unsigned char) parser->text[parser->at]))
    {
      if (result > ((int64_t) 1 << 62) / 10)
        return false;
      result = result * 10 + (parser->text[parser->at] - '0');
      parser->at++;
    }
  if (parser->at == start)
    return false;
  if (parser->at < parser->size && parser->text[parser->at] == 'L')
    parser->at++;
  *value = result;
  return true;
}

static bool
parser_shape (NpyParser *parser,
              VggNpy    *npy)
{
  if (!parser_accept (parser, '('))
    return false;
  npy->ndim = 0;
  while (!parser_accept (parser, ')'))
    {
      if (npy->ndim == VGG_NPY_MAX_DIMS)
        return false;
      if (!parser_integer (parser, &npy->shape[npy->ndim]))
        return false;
      npy->ndim++;
      if (!parser_accept (parser, ','))
        {
          if (!parser_accept (parser, ')'))
            return false;
          break;
        }
    }
  return true;
}

/* Parses the dict; on failure says why in @why. */
static bool
npy_parse_header (const char *text,
                  size_t      size,
                  VggNpy     *npy,
                  char       *descr,
                  bool       *fortran_order,
                  const char **why)
{
  NpyParser parser = { text, size, 0 };
  bool seen_descr = false, seen_order = false, seen_shape = false;

  if (!parser_accept (&parser, '{'))
    return *why = "the header is not a dict", false;
  while (!parser_accept (&parser, '}'))
    {
      char key[32];

      if (!parser_string (&parser, key, sizeof key) || !parser_accept (&parser, ':'))
        return *why = "malformed header dict", false;
      if (strcmp (key, "descr") == 0 && !seen_descr)
        {
          if (!parser_string (&parser, descr, NPY_DESCR_SIZE))
            return *why = "unreadable 'descr' (structured dtypes are not supported)", false;
          seen_descr = true;
        }
      else if (strcmp (key, "fortran_order") == 0 && !seen_order)
        {
          if (parser_word (&parser, "False"))
            *fortran_order = false;
          else if (parser_word (&parser, "True"))
            *fortran_order = true;
          else
            return *why = "unreadable 'fortran_order'", false;
          seen_order = true;
        }
      else if (strcmp (key, "shape") == 0 && !seen_shape)
        {
          if (!parser_shape (&parser, npy))
            return *why = "unreadable 'shape' (at most 8 dimensions)", false;
          seen_shape = true;
        }
      else
        return *why = "unexpected or repeated key in the header", false;
      if (!parser_accept (&parser, ','))
        {
          if (!parser_accept (&parser, '}'))
            return *why = "malformed header dict", false;
          break;
        }
    }
  parser_skip_space (&parser);
  if (parser.at != parser.size)
    return *why = "extra text after the header dict", false;
  if (!seen_descr || !seen_order || !seen_shape)
    return *why = "the header lacks 'descr', 'fortran_order' or 'shape'", false;
  return true;
}

static inline uint32_t
read_le32 (const unsigned char *bytes)
{
  return (uint32_t) bytes[0] | (uint32_t) bytes[1] << 8 | (uint32_t) bytes[2] << 16
         | (uint32_t) bytes[3] << 24;
}

static inline uint64_t
read_le64 (const unsigned char *bytes)
{
  return (uint64_t) read_le32 (bytes) | (uint64_t) read_le32 (bytes + 4) << 32;
}

VggStatus
vgg_npy_load (VggNpy     *npy,
              const char *path,
              VggError   *error)
{
  VggMappedFile file;
  VggStatus status;
  const unsigned char *bytes;
  size_t prefix, header_size, data_offset, count = 1, item_size, data_size;
  char descr[NPY_DESCR_SIZE] = "";
  bool fortran_order = false;
  const char *why = NULL;
  NpyDtype dtype;

  if (npy == NULL || path == NULL)
    return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT, "vgg_npy_load: no path");
  memset (npy, 0, sizeof *npy);

  status = vgg_mapped_file_open (&file, path, error);
  if (status != VGG_STATUS_OK)
    return status;
  bytes = file.data;

  if (file.size < NPY_PREFIX_V1 || memcmp (bytes, npy_magic, sizeof npy_magic) != 0)
    {
      status = vgg_error_set (error, VGG_STATUS_FORMAT, "%s: not a NumPy .npy file", path);
      goto out;
    }
  switch (bytes[6])
    {
    case 1:
      prefix = NPY_PREFIX_V1;
      header_size = (size_t) bytes[8] | (size_t) bytes[9] << 8;
      break;
    case 2:
    case 3:
      prefix = NPY_PREFIX_V2;
      if (file.size < prefix)
        {
          status = vgg_error_set (error, VGG_STATUS_FORMAT, "%s: truncated .npy header", path);
          goto out;
        }
      header_size = read_le32 (bytes + 8);
      break;
    default:
      status = vgg_error_set (error, VGG_STATUS_UNSUPPORTED,
                              "%s: .npy format version %d.%d is not supported", path,
                              bytes[6], bytes[7]);
      goto out;
    }
  if (header_size > NPY_HEADER_MAX)
    {
      status = vgg_error_set (error, VGG_STATUS_FORMAT, "%s: .npy header of %zu bytes is too long",
                              path, header_size);
      goto out;
    }
  data_offset = prefix + header_size;
  if (data_offset > file.size)
    {
      status = vgg_error_set (error, VGG_STATUS_FORMAT,
                              "%s: truncated .npy header (%zu bytes announced, %zu present)",
                              path, header_size, file.size - prefix);
      goto out;
    }
  if (memchr (bytes + prefix, '\0', header_size) != NULL
      || !npy_parse_header ((const char *) bytes + prefix, header_size, npy, descr,
                            &fortran_order, &why))
    {
      status = vgg_error_set (error, VGG_STATUS_FORMAT, "%s: invalid .npy header: %s", path,
                              why != NULL ? why : "NUL byte");
      goto out;
    }

  if (strcmp (descr, "<f4") == 0)
    dtype = NPY_DTYPE_F4, item_size = 4;
  else if (strcmp (descr, "<f8") == 0)
    dtype = NPY_DTYPE_F8, item_size = 8;
  else if (strcmp (descr, "|u1") == 0 || strcmp (descr, "<u1") == 0)
    dtype = NPY_DTYPE_U1, item_size = 1;
  else
    {
      status = vgg_error_set (error, VGG_STATUS_UNSUPPORTED,
                              "%s: .npy dtype '%s' is not supported (float32 '<f4', float64 "
                              "'<f8' or uint8 '|u1' expected)", path, descr);
      goto out;
    }
  if (fortran_order)
    {
      status = vgg_error_set (error, VGG_STATUS_UNSUPPORTED,
                              "%s: .npy data in Fortran order is not supported", path);
      goto out;
    }

  for (int d = 0; d < npy->ndim; d++)
    if (!vgg_mul_size (count, (size_t) npy->shape[d], &count))
      {
        status = vgg_error_set (error, VGG_STATUS_FORMAT, "%s: the .npy shape overflows", path);
        goto out;
      }
  if (!vgg_mul_size (count, item_size, &data_size))
    {
      status = vgg_error_set (error, VGG_STATUS_FORMAT, "%s: the .npy shape overflows", path);
      goto out;
    }
  if (file.size - data_offset != data_size)
    {
      status = vgg_error_set (error, VGG_STATUS_FORMAT,
                              "%s: %s .npy data: the shape needs %zu bytes, the file has %zu",
                              path, file.size - data_offset < data_size ? "truncated" : "oversized",
                              data_size, file.size - data_offset);
      goto out;
    }

  /* count ≤ file size here, so the allocation is bounded by what the file really holds. */
  npy->data = malloc (sizeof (float) * (count > 0 ? count : 1));
  if (npy->data == NULL)
    {
      status = vgg_error_set (error, VGG_STATUS_NO_MEMORY, "%s: out of memory", path);
      goto out;
    }
  npy->count = count;
  for (size_t i = 0; i < count; i++)
    {
      const unsigned char *item = bytes + data_offset + i * item_size;

      switch (dtype)
        {
        case NPY_DTYPE_F4:
          {
            uint32_t bits = read_le32 (item);
            memcpy (&npy->data[i], &bits, sizeof bits);
          }
          break;
        case NPY_DTYPE_F8:
          {
            uint64_t bits = read_le64 (item);
            double value;
            memcpy (&value, &bits, sizeof value);
            npy->data[i] = (float) value;
          }
          break;
        case NPY_DTYPE_U1:
          npy->data[i] = (float) item[0];
          break;
        }
    }

out:
  if (status != VGG_STATUS_OK)
    vgg_npy_clear (npy);
  vgg_mapped_file_close (&file);
  return status;
}

VggStatus
vgg_npy_save (const char    *path,
              const float   *data,
              int            ndim,
              const int64_t *shape,
              VggError      *error)
{
  char header[NPY_PREFIX_V1 + 512];
  size_t length, padded, count = 1;
  FILE *file;
  int saved_errno = 0;

  if (path == NULL || ndim < 0 || ndim > VGG_NPY_MAX_DIMS || (ndim > 0 && shape == NULL))
    return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT,
                          "vgg_npy_save: no path or an impossible shape");
  for (int d = 0; d < ndim; d++)
    if (shape[d] < 0 || !vgg_mul_size (count, (size_t) shape[d], &count)
        || count > SIZE_MAX / sizeof (float))
      return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT,
                            "%s: impossible .npy shape", path);
  if (data == NULL && count > 0)
    return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT, "%s: no data to save", path);

  /* "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 224, 224), }" as NumPy writes it:
   * a 1-tuple keeps its comma. 8 dims of 19 digits fit easily in the buffer. */
  length = NPY_PREFIX_V1;
  length += (size_t) snprintf (header + length, sizeof header - length,
                               "{'descr': '<f4', 'fortran_order': False, 'shape': (");
  for (int d = 0; d < ndim; d++)
    length += (size_t) snprintf (header + length, sizeof header - length, "%s%lld",
                                 d > 0 ? ", " : "", (long long) shape[d]);
  length += (size_t) snprintf (header + length, sizeof header - length, "%s), }",
                               ndim == 1 ? "," : "");
  /* spaces, then '\n', up to the next multiple of 64 */
  padded = (length + 1 + NPY_ALIGN - 1) / NPY_ALIGN * NPY_ALIGN;
  memset (header + length, ' ', padded - length - 1);
  header[padded - 1] = '\n';
  memcpy (header, npy_magic, sizeof npy_magic);
  header[6] = 1;
  header[7] = 0;
  header[8] = (char) ((padded - NPY_PREFIX_V1) & 0xFF);
  header[9] = (char) ((padded - NPY_PREFIX_V1) >> 8);

  file = fopen (path, "wb");
  if (file == NULL)
    return vgg_error_set (error, VGG_STATUS_IO, "%s: %s", path, strerror (errno));
  if (fwrite (header, 1, padded, file) != padded)
    saved_errno = errno != 0 ? errno : EIO;
  /* little-endian float32 is the in-memory layout (checked at the top of this file) */
  else if (count > 0 && fwrite (data, sizeof (float), count, file) != count)
    saved_errno = errno != 0 ? errno : EIO;
  if (fclose (file) != 0 && saved_errno == 0)
    saved_errno = errno != 0 ? errno : EIO;
  if (saved_errno != 0)
    {
      remove (path);
      return vgg_error_set (error, VGG_STATUS_IO, "%s: cannot write: %s", path,
                            strerror (saved_errno));
    }
  return VGG_STATUS_OK;
}

void
vgg_npy_clear (VggNpy *npy)
{
  if (npy == NULL)
    return;
  free (npy->data);
  memset (npy, 0, sizeof *npy);
}
