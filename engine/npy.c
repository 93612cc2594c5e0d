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
  char        why[160];   /* what was wrong with the shape, with the limit */
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

/* Writes a reason into @why; returns false for the caller to return. */
static bool VGG_PRINTF (3, 4)
fail (char       *why,
      size_t      size,
      const char *format,
      ...)
{
  va_list args;

  va_start (args, format);
  vsnprintf (why, size, format, args);
  va_end (args);
  return false;
}

static bool
parser_shape (NpyParser *parser,
              VggNpy    *npy)
{
  int n_dims = 0;

  if (!parser_accept (parser, '('))
    return fail (parser->why, sizeof parser->why, "unreadable 'shape' (a tuple expected)");
  npy->ndim = 0;
  while (!parser_accept (parser, ')'))
    {
      int64_t value;

      parser_skip_space (parser);
      if (parser->at < parser->size && parser->text[parser->at] == '-')
        return fail (parser->why, sizeof parser->why, "'shape' dimension %d is negative; "
                     "sizes are 0 to 2^62", n_dims);
      if (!parser_integer (parser, &value))
        {
          if (parser->at < parser->size && isdigit ((unsigned char) parser->text[parser->at]))
            return fail (parser->why, sizeof parser->why, "'shape' dimension %d is "
                         "larger than 2^62, the largest size read", n_dims);
          return fail (parser->why, sizeof parser->why, "unreadable 'shape' (dimension "
                       "%d is not a number)", n_dims);
        }
      if (n_dims < VGG_NPY_MAX_DIMS)
        npy->shape[n_dims] = value;
      n_dims++;
      if (!parser_accept (parser, ','))
        {
          if (!parser_accept (parser, ')'))
            return fail (parser->why, sizeof parser->why, "unreadable 'shape' (',' or "
                         "')' expected after dimension %d)", n_dims - 1);
          break;
        }
    }
  if (n_dims > VGG_NPY_MAX_DIMS)
    return fail (parser->why, sizeof parser->why, "'shape' has %d dimensions; at most %d "
                 "are read", n_dims, VGG_NPY_MAX_DIMS);
  npy->ndim = n_dims;
  return true;
}

/* Parses the dict; on failure says why in @why (@why_size bytes). */
static bool
npy_parse_header (const char *text,
                  size_t      size,
                  VggNpy     *npy,
                  char       *descr,
                  bool       *fortran_order,
                  char       *why,
                  size_t      why_size)
{
  NpyParser parser = { text, size, 0, "" };
  bool seen_descr = false, seen_order = false, seen_shape = false;

  if (!parser_accept (&parser, '{'))
    return fail (why, why_size, "the header is not a dict");
  while (!parser_accept (&parser, '}'))
    {
      char key[32];

      if (!parser_string (&parser, key, sizeof key) || !parser_accept (&parser, ':'))
        return fail (why, why_size, "malformed header dict");
      if (strcmp (key, "descr") == 0 && !seen_descr)
        {
          if (!parser_string (&parser, descr, NPY_DESCR_SIZE))
            return fail (why, why_size, "unreadable 'descr' (structured dtypes are not "
                         "supported)");
          seen_descr = true;
        }
      else if (strcmp (key, "fortran_order") == 0 && !seen_order)
        {
          if (parser_word (&parser, "False"))
            *fortran_order = false;
          else if (parser_word (&parser, "True"))
            *fortran_order = true;
          else
            return fail (why, why_size, "unreadable 'fortran_order'");
          seen_order = true;
        }
      else if (strcmp (key, "shape") == 0 && !seen_shape)
        {
          if (!parser_shape (&parser, npy))
            return fail (why, why_size, "%s", parser.why);
          seen_shape = true;
        }
      else
        return fail (why, why_size, "unexpected or repeated key in the header");
      if (!parser_accept (&parser, ','))
        {
          if (!parser_accept (&parser, '}'))
            return fail (why, why_size, "malformed header dict");
          break;
        }
    }
  parser_skip_space (&parser);
  if (parser.at != parser.size)
    return fail (why, why_size, "extra text after the header dict");
  if (!seen_descr || !seen_order || !seen_shape)
    return fail (why, why_size, "the header lacks 'descr', 'fortran_order' or 'shape'");
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
  bool overflow = false;
  char descr[NPY_DESCR_SIZE] = "";
  bool fortran_order = false;
  char why[160] = "NUL byte";
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
      status = vgg_error_set (error, VGG_STATUS_FORMAT, "%s: .npy header is too long: %zu bytes; "
                              "at most %d are read", path, header_size, NPY_HEADER_MAX);
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
                            &fortran_order, why, sizeof why))
    {
      status = vgg_error_set (error, VGG_STATUS_FORMAT, "%s: invalid .npy header: %s", path,
                              why);
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

  for (int d = 0; d < npy->ndim && !overflow; d++)
    overflow = !vgg_mul_size (count, (size_t) npy->shape[d], &count);
  if (overflow || !vgg_mul_size (count, item_size, &data_size))
    {
      char shape[160] = "";
      size_t used = 0;

      for (int d = 0; d < npy->ndim && used < sizeof shape; d++)
        used += (size_t) snprintf (shape + used, sizeof shape - used, "%s%lld",
                                   d > 0 ? ", " : "", (long long) npy->shape[d]);
      status = vgg_error_set (error, VGG_STATUS_FORMAT, "%s: the .npy shape (%s) overflows: "
                              "its %zu-byte elements need more than 2^64 bytes; at most the "
                              "file's %zu data bytes can be read", path, shape, item_size,
                              file.size - data_offset);
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
