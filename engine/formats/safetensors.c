/* safetensors.c — Hugging Face's safetensors: a JSON header, then raw little-endian tensors
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Layout: u64 little-endian N, N bytes of UTF-8 JSON (an object, possibly padded with
 * spaces), then the data buffer. Each member of the object is a tensor
 *   "name": {"dtype": "F32", "shape": [64, 3, 3, 3], "data_offsets": [begin, end]}
 * with offsets relative to the buffer, except "__metadata__", a string → string map. A valid
 * file's tensors tile the buffer exactly: sorted by offset they run from 0 to the end of the
 * file without gaps or overlaps, and each spans ∏shape × dtype size bytes.
 *
 * The header is read by a small strict JSON reader: objects, arrays, strings (with every
 * escape, \uXXXX surrogate pairs included, and UTF-8 checked), non-negative integers for
 * shapes and offsets; unknown members of a tensor entry are skipped if they are valid JSON.
 * The engine does not depend on GLib, hence no json-glib.
 */
#include "config.h"

#include "engine-private.h"
#include "tensor-file.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_HEADER     100000000u
#define MAX_DEPTH      64

/* Where empty tensors point: aligned for any element type, never read. */
static const int64_t empty_tensor_data[1];

typedef struct
{
  const char          *path;
  const unsigned char *start;   /* the header */
  const unsigned char *p;
  const unsigned char *end;
  VggError            *error;
} Json;

typedef struct
{
  uint64_t begin;
  uint64_t end;
} Span;

typedef struct
{
  VggTensorFile *file;
  size_t         tensors_capacity;
  size_t         metadata_capacity;
  Span          *spans;          /* parallel to file->tensors */
  bool           seen_metadata;
} Header;

/* ---------------------------------------------------------------------------------------------
 * Messages
 */

static VggStatus VGG_PRINTF (2, 3)
json_fail (Json       *j,
           const char *format,
           ...)
{
  char prefix[VGG_ERROR_MESSAGE_SIZE];
  va_list args;

  snprintf (prefix, sizeof prefix, "%s: damaged safetensors header (byte %zu): ", j->path,
            (size_t) (j->p - j->start) + 8);
  va_start (args, format);
  vgg_error_setv (j->error, VGG_STATUS_FORMAT, prefix, format, args);
  va_end (args);
  return VGG_STATUS_FORMAT;
}

static VggStatus
no_memory (const char *path,
           VggError   *error)
{
  return vgg_error_set (error, VGG_STATUS_NO_MEMORY, "%s: out of memory", path);
}

/* ---------------------------------------------------------------------------------------------
 * The JSON reader
 */

static void
skip_space (Json *j)
{
  while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
    j->p++;
}

/* Skips white space and consumes @c if it comes next. */
static bool
accept (Json *j,
        char  c)
{
  skip_space (j);
  if (j->p < j->end && *j->p == (unsigned char) c)
    {
      j->p++;
      return true;
    }
  return false;
}

static VggStatus
expect (Json       *j,
        char        c,
        const char *where)
{
  if (accept (j, c))
    return VGG_STATUS_OK;
  if (j->p == j->end)
    return json_fail (j, "the header ends where '%c' is expected %s", c, where);
  return json_fail (j, "'%c' expected %s", c, where);
}

/* Length of the valid UTF-8 sequence at @s (@left bytes available), or 0. */
static size_t
utf8_sequence (const unsigned char *s,
               size_t               left)
{
  uint32_t cp;
  size_t n;

  if (s[0] < 0x80)
    return 1;
  if (s[0] >= 0xc2 && s[0] <= 0xdf)
    n = 1, cp = s[0] & 0x1f;
  else if (s[0] >= 0xe0 && s[0] <= 0xef)
    n = 2, cp = s[0] & 0x0f;
  else if (s[0] >= 0xf0 && s[0] <= 0xf4)
    n = 3, cp = s[0] & 0x07;
  else
    return 0;
  if (left - 1 < n)
    return 0;
  for (size_t k = 1; k <= n; k++)
    {
      if ((s[k] & 0xc0) != 0x80)
        return 0;
      cp = (cp << 6) | (s[k] & 0x3f);
    }
  if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10ffff))
      || (cp >= 0xd800 && cp <= 0xdfff))
    return 0;
  return n + 1;
}

static size_t
utf8_encode (unsigned char *out,
             uint32_t       cp)
{
  if (cp < 0x80)
    {
      out[0] = (unsigned char) cp;
      return 1;
    }
  if (cp < 0x800)
    {
      out[0] = (unsigned char) (0xc0 | (cp >> 6));
      out[1] = (unsigned char) (0x80 | (cp & 0x3f));
      return 2;
    }
  if (cp < 0x10000)
    {
      out[0] = (unsigned char) (0xe0 | (cp >> 12));
      out[1] = (unsigned char) (0x80 | ((cp >> 6) & 0x3f));
      out[2] = (unsigned char) (0x80 | (cp & 0x3f));
      return 3;
    }
  out[0] = (unsigned char) (0xf0 | (cp >> 18));
  out[1] = (unsigned char) (0x80 | ((cp >> 12) & 0x3f));
  out[2] = (unsigned char) (0x80 | ((cp >> 6) & 0x3f));
  out[3] = (unsigned char) (0x80 | (cp & 0x3f));
  return 4;
}

static bool
read_hex4 (Json     *j,
           uint32_t *value)
{
  *value = 0;
  if (j->end - j->p < 4)
    return false;
  for (int i = 0; i < 4; i++)
    {
      unsigned char c = *j->p++;
      uint32_t digit;

      if (c >= '0' && c <= '9')
        digit = (uint32_t) (c - '0');
      else if (c >= 'a' && c <= 'f')
        digit = (uint32_t) (c - 'a' + 10);
      else if (c >= 'A' && c <= 'F')
        digit = (uint32_t) (c - 'A' + 10);
      else
        return false;
      *value = (*value << 4) | digit;
    }
  return true;
}

/* Reads a string. With @out NULL it is only checked; otherwise *out is a new NUL-terminated
 * copy (strings holding U+0000 are refused: names and metadata are C strings). */
static VggStatus
read_string (Json  *j,
             char **out)
{
  const unsigned char *scan;
  unsigned char *copy = NULL;
  size_t n = 0;

  if (out != NULL)
    *out = NULL;
  skip_space (j);
  if (j->p == j->end || *j->p != '"')
    return json_fail (j, "a string is expected");
  j->p++;

  /* The decoded string is never longer than its JSON form. */
  if (out != NULL)
    {
      for (scan = j->p; scan < j->end && *scan != '"'; scan++)
        if (*scan == '\\' && scan + 1 < j->end)
          scan++;
      copy = malloc ((size_t) (scan - j->p) + 1);
      if (copy == NULL)
        return no_memory (j->path, j->error);
    }

  for (;;)
    {
      unsigned char c;

      if (j->p == j->end)
        {
          free (copy);
          return json_fail (j, "a string is not closed");
        }
      c = *j->p;
      if (c == '"')
        {
          j->p++;
          break;
        }
      if (c < 0x20)
        {
          free (copy);
          return json_fail (j, "a string holds a raw control character");
        }
      if (c == '\\')
        {
          uint32_t cp;

          if (j->end - j->p < 2)
            {
              free (copy);
              return json_fail (j, "a string is not closed");
            }
          c = j->p[1];
          j->p += 2;
          switch (c)
            {
            case '"': case '\\': case '/': cp = c; break;
            case 'b': cp = '\b'; break;
            case 'f': cp = '\f'; break;
            case 'n': cp = '\n'; break;
            case 'r': cp = '\r'; break;
            case 't': cp = '\t'; break;
            case 'u':
              if (!read_hex4 (j, &cp))
                {
                  free (copy);
                  return json_fail (j, "a \\u escape needs four hex digits");
                }
              if (cp >= 0xd800 && cp <= 0xdbff)
                {
                  uint32_t low;

                  if (j->end - j->p < 2 || j->p[0] != '\\' || j->p[1] != 'u')
                    {
                      free (copy);
                      return json_fail (j, "a lone UTF-16 surrogate in a \\u escape");
                    }
                  j->p += 2;
                  if (!read_hex4 (j, &low) || low < 0xdc00 || low > 0xdfff)
                    {
                      free (copy);
                      return json_fail (j, "a lone UTF-16 surrogate in a \\u escape");
                    }
                  cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
                }
              else if (cp >= 0xdc00 && cp <= 0xdfff)
                {
                  free (copy);
                  return json_fail (j, "a lone UTF-16 surrogate in a \\u escape");
                }
              if (cp == 0 && out != NULL)
                {
                  free (copy);
                  return json_fail (j, "a name or metadata string holds a NUL character");
                }
              break;
            default:
              free (copy);
              return json_fail (j, "unknown escape '\\%c'", c >= 0x20 && c < 0x7f ? c : '?');
            }
          if (copy != NULL)
            n += utf8_encode (copy + n, cp);
          continue;
        }
      {
        size_t length = utf8_sequence (j->p, (size_t) (j->end - j->p));

        if (length == 0)
          {
            free (copy);
            return json_fail (j, "a string is not valid UTF-8");
          }
        if (copy != NULL)
          {
            memcpy (copy + n, j->p, length);
            n += length;
          }
        j->p += length;
      }
    }

  if (out != NULL)
    {
      copy[n] = '\0';
      *out = (char *) copy;
    }
  return VGG_STATUS_OK;
}

/* A non-negative integer without fraction or exponent ("what" names it in messages). */
static VggStatus
read_count (Json       *j,
            const char *what,
            uint64_t   *value)
{
  const unsigned char *digits;

  skip_space (j);
  *value = 0;
  if (j->p < j->end && *j->p == '-')
    return json_fail (j, "%s is negative", what);
  digits = j->p;
  while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
    {
      unsigned digit = (unsigned) (*j->p - '0');

      if (*value > (UINT64_MAX - digit) / 10)
        return json_fail (j, "%s is too large (above 2^64 - 1)", what);
      *value = *value * 10 + digit;
      j->p++;
    }
  if (j->p == digits)
    return json_fail (j, "%s is not a number", what);
  if (*digits == '0' && j->p - digits > 1)
    return json_fail (j, "%s has a leading zero", what);
  if (j->p < j->end && (*j->p == '.' || *j->p == 'e' || *j->p == 'E'))
    return json_fail (j, "%s is not a whole number", what);
  return VGG_STATUS_OK;
}

static VggStatus
skip_number (Json *j)
{
  const unsigned char *digits;

  if (j->p < j->end && *j->p == '-')
    j->p++;
  digits = j->p;
  while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
    j->p++;
  if (j->p == digits || (*digits == '0' && j->p - digits > 1))
    return json_fail (j, "a malformed number");
  if (j->p < j->end && *j->p == '.')
    {
      j->p++;
      digits = j->p;
      while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
        j->p++;
      if (j->p == digits)
        return json_fail (j, "a malformed number");
    }
  if (j->p < j->end && (*j->p == 'e' || *j->p == 'E'))
    {
      j->p++;
      if (j->p < j->end && (*j->p == '+' || *j->p == '-'))
        j->p++;
      digits = j->p;
      while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
        j->p++;
      if (j->p == digits)
        return json_fail (j, "a malformed number");
    }
  return VGG_STATUS_OK;
}

static VggStatus
skip_literal (Json       *j,
              const char *literal)
{
  size_t length = strlen (literal);

  if ((size_t) (j->end - j->p) < length || memcmp (j->p, literal, length) != 0)
    return json_fail (j, "unexpected character '%c'",
                      *j->p >= 0x20 && *j->p < 0x7f ? *j->p : '?');
  j->p += length;
  return VGG_STATUS_OK;
}

/* Skips any JSON value (members of a tensor entry we do not use). */
static VggStatus
skip_value (Json *j,
            int   depth)
{
  VggStatus status;

  if (depth > MAX_DEPTH)
    return json_fail (j, "nested deeper than %d levels", MAX_DEPTH);
  skip_space (j);
  if (j->p == j->end)
    return json_fail (j, "the header ends where a value is expected");

  switch (*j->p)
    {
    case '"':
      return read_string (j, NULL);
    case '{':
      j->p++;
      if (accept (j, '}'))
        return VGG_STATUS_OK;
      do
        {
          if ((status = read_string (j, NULL)) != VGG_STATUS_OK
              || (status = expect (j, ':', "after a member name")) != VGG_STATUS_OK
              || (status = skip_value (j, depth + 1)) != VGG_STATUS_OK)
            return status;
        }
      while (accept (j, ','));
      return expect (j, '}', "to close an object");
    case '[':
      j->p++;
      if (accept (j, ']'))
        return VGG_STATUS_OK;
      do
        {
          if ((status = skip_value (j, depth + 1)) != VGG_STATUS_OK)
            return status;
        }
      while (accept (j, ','));
      return expect (j, ']', "to close an array");
    case 't':
      return skip_literal (j, "true");
    case 'f':
      return skip_literal (j, "false");
    case 'n':
      return skip_literal (j, "null");
    default:
      if (*j->p == '-' || (*j->p >= '0' && *j->p <= '9'))
        return skip_number (j);
      return json_fail (j, "unexpected character '%c'",
                        *j->p >= 0x20 && *j->p < 0x7f ? *j->p : '?');
    }
}

/* ---------------------------------------------------------------------------------------------
 * The header
 */

static const struct
{
  const char *name;
  VggDtype    dtype;
} dtypes[] = {
  { "F32", VGG_DTYPE_F32 },
  { "F16", VGG_DTYPE_F16 },
  { "BF16", VGG_DTYPE_BF16 },
  { "F64", VGG_DTYPE_F64 },
  { "I64", VGG_DTYPE_I64 },
  { "I32", VGG_DTYPE_I32 },
  { "I16", VGG_DTYPE_I16 },
  { "I8", VGG_DTYPE_I8 },
  { "U8", VGG_DTYPE_U8 },
  { "BOOL", VGG_DTYPE_BOOL },
};

/* Valid safetensors dtypes the engine has no use for. */
static const char *const unusable_dtypes[] = {
  "U16", "U32", "U64", "F8_E4M3", "F8_E5M2", "F8_E8M0", "F6_E2M3", "F6_E3M2", "F4", "C64",
  "I4", "U4",
};

static VggStatus
read_dtype (Json       *j,
            const char *name,
            VggDtype   *dtype)
{
  char *text;
  VggStatus status = read_string (j, &text);

  if (status != VGG_STATUS_OK)
    return status;
  for (size_t i = 0; i < sizeof dtypes / sizeof *dtypes; i++)
    if (strcmp (text, dtypes[i].name) == 0)
      {
        *dtype = dtypes[i].dtype;
        free (text);
        return VGG_STATUS_OK;
      }
  for (size_t i = 0; i < sizeof unusable_dtypes / sizeof *unusable_dtypes; i++)
    if (strcmp (text, unusable_dtypes[i]) == 0)
      {
        status = vgg_error_set (j->error, VGG_STATUS_UNSUPPORTED,
                                "%s: tensor '%.100s' has element type %s, which VGG Scope "
                                "cannot use", j->path, name, text);
        free (text);
        return status;
      }
  status = vgg_error_set (j->error, VGG_STATUS_FORMAT,
                          "%s: tensor '%.100s' has an unknown element type \"%.40s\"", j->path,
                          name, text);
  free (text);
  return status;
}

static VggStatus
read_shape (Json      *j,
            VggTensor *tensor)
{
  VggStatus status;

  if ((status = expect (j, '[', "to open a shape")) != VGG_STATUS_OK)
    return status;
  tensor->ndim = 0;
  if (accept (j, ']'))
    return VGG_STATUS_OK;
  do
    {
      uint64_t dim;

      if ((status = read_count (j, "a shape dimension", &dim)) != VGG_STATUS_OK)
        return status;
      if (dim > INT64_MAX)
        return json_fail (j, "a shape dimension is too large: %llu, above 2^63 - 1",
                          (unsigned long long) dim);
      if (tensor->ndim == VGG_TENSOR_MAX_DIMS)
        return vgg_error_set (j->error, VGG_STATUS_UNSUPPORTED,
                              "%s: tensor '%.100s' has more than %d dimensions (at least %d); "
                              "at most %d are read", j->path, tensor->name,
                              VGG_TENSOR_MAX_DIMS, VGG_TENSOR_MAX_DIMS + 1,
                              VGG_TENSOR_MAX_DIMS);
      tensor->shape[tensor->ndim++] = (int64_t) dim;
    }
  while (accept (j, ','));
  return expect (j, ']', "to close a shape");
}

static VggStatus
read_offsets (Json *j,
              Span *span)
{
  VggStatus status;

  if ((status = expect (j, '[', "to open data_offsets")) != VGG_STATUS_OK
      || (status = read_count (j, "a data offset", &span->begin)) != VGG_STATUS_OK
      || (status = expect (j, ',', "between the two data offsets")) != VGG_STATUS_OK
      || (status = read_count (j, "a data offset", &span->end)) != VGG_STATUS_OK
      || (status = expect (j, ']', "after the two data offsets")) != VGG_STATUS_OK)
    return status;
  return VGG_STATUS_OK;
}

static VggStatus
read_tensor (Json      *j,
             VggTensor *tensor,
             Span      *span)
{
  bool have_dtype = false, have_shape = false, have_offsets = false;
  VggStatus status;

  if ((status = expect (j, '{', "to open a tensor entry")) != VGG_STATUS_OK)
    return status;
  if (!accept (j, '}'))
    {
      do
        {
          char *key;

          if ((status = read_string (j, &key)) != VGG_STATUS_OK)
            return status;
          if ((status = expect (j, ':', "after a member name")) != VGG_STATUS_OK)
            {
              free (key);
              return status;
            }
          if (strcmp (key, "dtype") == 0)
            {
              status = have_dtype ? json_fail (j, "\"dtype\" given twice")
                                  : read_dtype (j, tensor->name, &tensor->dtype);
              have_dtype = true;
            }
          else if (strcmp (key, "shape") == 0)
            {
              status = have_shape ? json_fail (j, "\"shape\" given twice") : read_shape (j, tensor);
              have_shape = true;
            }
          else if (strcmp (key, "data_offsets") == 0)
            {
              status = have_offsets ? json_fail (j, "\"data_offsets\" given twice")
                                    : read_offsets (j, span);
              have_offsets = true;
            }
          else
            status = skip_value (j, 1);
          free (key);
          if (status != VGG_STATUS_OK)
            return status;
        }
      while (accept (j, ','));
      if ((status = expect (j, '}', "to close a tensor entry")) != VGG_STATUS_OK)
        return status;
    }
  if (!have_dtype || !have_shape || !have_offsets)
    return vgg_error_set (j->error, VGG_STATUS_FORMAT,
                          "%s: tensor '%.100s' has no \"%s\"", j->path, tensor->name,
                          !have_dtype ? "dtype" : !have_shape ? "shape" : "data_offsets");
  return VGG_STATUS_OK;
}

static VggStatus
read_metadata (Json   *j,
               Header *h)
{
  VggTensorFile *file = h->file;
  VggStatus status;

  if (h->seen_metadata)
    return vgg_error_set (j->error, VGG_STATUS_FORMAT, "%s: \"__metadata__\" appears twice",
                          j->path);
  h->seen_metadata = true;

  skip_space (j);
  if (j->p < j->end && *j->p != '{')
    return json_fail (j, "\"__metadata__\" is not an object");
  if ((status = expect (j, '{', "to open __metadata__")) != VGG_STATUS_OK)
    return status;
  if (accept (j, '}'))
    return VGG_STATUS_OK;
  do
    {
      VggMetadataEntry *entry;

      if (file->n_metadata == h->metadata_capacity)
        {
          size_t capacity = h->metadata_capacity ? h->metadata_capacity * 2 : 8;
          VggMetadataEntry *metadata = realloc (file->metadata, capacity * sizeof *metadata);

          if (metadata == NULL)
            return no_memory (j->path, j->error);
          file->metadata = metadata;
          h->metadata_capacity = capacity;
        }
      entry = &file->metadata[file->n_metadata];
      entry->value = NULL;
      if ((status = read_string (j, &entry->key)) != VGG_STATUS_OK)
        return status;
      file->n_metadata++;
      if ((status = expect (j, ':', "after a metadata key")) != VGG_STATUS_OK)
        return status;
      skip_space (j);
      if (j->p < j->end && *j->p != '"')
        return vgg_error_set (j->error, VGG_STATUS_FORMAT,
                              "%s: metadata value for '%.100s' is not a string", j->path,
                              entry->key);
      if ((status = read_string (j, &entry->value)) != VGG_STATUS_OK)
        return status;
    }
  while (accept (j, ','));
  return expect (j, '}', "to close __metadata__");
}

static VggStatus
read_header (Json   *j,
             Header *h)
{
  VggTensorFile *file = h->file;
  VggStatus status;

  if (j->p == j->end || *j->p != '{')
    return json_fail (j, "the header does not start with '{'");
  j->p++;
  if (!accept (j, '}'))
    {
      do
        {
          char *name;

          if ((status = read_string (j, &name)) != VGG_STATUS_OK)
            return status;
          if ((status = expect (j, ':', "after a tensor name")) != VGG_STATUS_OK)
            {
              free (name);
              return status;
            }
          if (strcmp (name, "__metadata__") == 0)
            {
              free (name);
              if ((status = read_metadata (j, h)) != VGG_STATUS_OK)
                return status;
              continue;
            }

          if (file->n_tensors == h->tensors_capacity)
            {
              size_t capacity = h->tensors_capacity ? h->tensors_capacity * 2 : 64;
              VggTensor *tensors = realloc (file->tensors, capacity * sizeof *tensors);
              Span *spans;

              if (tensors != NULL)
                file->tensors = tensors;
              spans = tensors != NULL ? realloc (h->spans, capacity * sizeof *spans) : NULL;
              if (spans == NULL)
                {
                  free (name);
                  return no_memory (j->path, j->error);
                }
              h->spans = spans;
              h->tensors_capacity = capacity;
            }
          memset (&file->tensors[file->n_tensors], 0, sizeof *file->tensors);
          file->tensors[file->n_tensors].name = name;
          file->n_tensors++;
          status = read_tensor (j, &file->tensors[file->n_tensors - 1],
                                &h->spans[file->n_tensors - 1]);
          if (status != VGG_STATUS_OK)
            return status;
        }
      while (accept (j, ','));
      if ((status = expect (j, '}', "to close the header")) != VGG_STATUS_OK)
        return status;
    }
  /* Writers pad the header with spaces so the data is aligned. */
  skip_space (j);
  if (j->p != j->end)
    return json_fail (j, "unexpected bytes after the header object");
  return VGG_STATUS_OK;
}

/* ---------------------------------------------------------------------------------------------
 * Checks
 */

static int
compare_tensor_names (const void *a,
                      const void *b)
{
  return strcmp ((*(const VggTensor *const *) a)->name, (*(const VggTensor *const *) b)->name);
}

static int
compare_metadata_keys (const void *a,
                       const void *b)
{
  return strcmp (((const VggMetadataEntry *) a)->key, ((const VggMetadataEntry *) b)->key);
}

typedef struct
{
  const Span *span;
  const char *name;
} SpanRef;

static int
compare_spans (const void *a,
               const void *b)
{
  const Span *x = ((const SpanRef *) a)->span, *y = ((const SpanRef *) b)->span;

  if (x->begin != y->begin)
    return x->begin < y->begin ? -1 : 1;
  if (x->end != y->end)
    return x->end < y->end ? -1 : 1;
  return 0;
}

static void
format_shape (char            *out,
              size_t           size,
              const VggTensor *tensor)
{
  size_t n = (size_t) snprintf (out, size, "[");

  for (int i = 0; i < tensor->ndim && n < size; i++)
    n += (size_t) snprintf (out + n, size - n, "%s%lld", i ? ", " : "",
                            (long long) tensor->shape[i]);
  if (n < size)
    snprintf (out + n, size - n, "]");
}

static VggStatus
check_tensors (VggTensorFile *file,
               const Span    *spans,
               uint64_t       buffer_size,
               const char    *path,
               VggError      *error)
{
  const VggTensor **by_name = NULL;
  SpanRef *by_offset = NULL;
  uint64_t expected = 0;
  VggStatus status = VGG_STATUS_OK;

  for (size_t i = 0; i < file->n_tensors; i++)
    {
      VggTensor *tensor = &file->tensors[i];
      const Span *span = &spans[i];
      size_t count = 1, bytes;
      char shape[160];

      for (int d = 0; d < tensor->ndim; d++)
        if (!vgg_mul_size (count, (size_t) tensor->shape[d], &count) || count > INT64_MAX)
          return vgg_error_set (error, VGG_STATUS_FORMAT,
                                "%s: tensor '%.100s' has an impossibly large shape", path,
                                tensor->name);
      if (!vgg_mul_size (count, vgg_dtype_size (tensor->dtype), &bytes))
        return vgg_error_set (error, VGG_STATUS_FORMAT,
                              "%s: tensor '%.100s' has an impossibly large shape", path,
                              tensor->name);
      tensor->count = (int64_t) count;

      if (span->begin > span->end || span->end > buffer_size)
        return vgg_error_set (error, VGG_STATUS_FORMAT,
                              "%s: tensor '%.100s' has data offsets [%llu, %llu] outside the "
                              "%llu bytes of data", path, tensor->name,
                              (unsigned long long) span->begin, (unsigned long long) span->end,
                              (unsigned long long) buffer_size);
      if (span->end - span->begin != bytes)
        {
          format_shape (shape, sizeof shape, tensor);
          return vgg_error_set (error, VGG_STATUS_FORMAT,
                                "%s: tensor '%.100s' of shape %s and type %s needs %zu bytes, "
                                "but its data offsets span %llu", path, tensor->name, shape,
                                vgg_dtype_name (tensor->dtype), bytes,
                                (unsigned long long) (span->end - span->begin));
        }
    }

  if (file->n_tensors > 0)
    {
      by_name = malloc (file->n_tensors * sizeof *by_name);
      by_offset = malloc (file->n_tensors * sizeof *by_offset);
      if (by_name == NULL || by_offset == NULL)
        {
          free (by_name);
          free (by_offset);
          return no_memory (path, error);
        }
    }

  for (size_t i = 0; i < file->n_tensors; i++)
    by_name[i] = &file->tensors[i];
  if (file->n_tensors > 0)
    qsort (by_name, file->n_tensors, sizeof *by_name, compare_tensor_names);
  for (size_t i = 1; i < file->n_tensors && status == VGG_STATUS_OK; i++)
    if (strcmp (by_name[i - 1]->name, by_name[i]->name) == 0)
      status = vgg_error_set (error, VGG_STATUS_FORMAT, "%s: tensor '%.100s' appears twice",
                              path, by_name[i]->name);

  if (file->n_metadata > 0)
    qsort (file->metadata, file->n_metadata, sizeof *file->metadata, compare_metadata_keys);
  for (size_t i = 1; i < file->n_metadata && status == VGG_STATUS_OK; i++)
    if (strcmp (file->metadata[i - 1].key, file->metadata[i].key) == 0)
      status = vgg_error_set (error, VGG_STATUS_FORMAT,
                              "%s: metadata key '%.100s' appears twice", path,
                              file->metadata[i].key);

  for (size_t i = 0; i < file->n_tensors; i++)
    {
      by_offset[i].span = &spans[i];
      by_offset[i].name = file->tensors[i].name;
    }
  if (file->n_tensors > 0)
    qsort (by_offset, file->n_tensors, sizeof *by_offset, compare_spans);
  for (size_t i = 0; i < file->n_tensors && status == VGG_STATUS_OK; i++)
    {
      const Span *span = by_offset[i].span;

      if (span->begin < expected)
        status = vgg_error_set (error, VGG_STATUS_FORMAT,
                                "%s: tensors '%.100s' and '%.100s' overlap", path,
                                by_offset[i - 1].name, by_offset[i].name);
      else if (span->begin > expected)
        status = vgg_error_set (error, VGG_STATUS_FORMAT,
                                "%s: bytes %llu to %llu of the data belong to no tensor (before "
                                "'%.100s')", path, (unsigned long long) expected,
                                (unsigned long long) span->begin, by_offset[i].name);
      expected = span->end;
    }
  if (status == VGG_STATUS_OK && expected != buffer_size)
    status = vgg_error_set (error, VGG_STATUS_FORMAT,
                            "%s: the tensors end at byte %llu of the data, but the file holds "
                            "%llu bytes of data", path, (unsigned long long) expected,
                            (unsigned long long) buffer_size);
  free (by_name);
  free (by_offset);
  return status;
}

/* ---------------------------------------------------------------------------------------------
 * Opening
 */

/* Parses @size bytes at @data (the whole file) into @file, whose tensors then point into
 * @data wherever alignment allows. */
static VggStatus
parse_safetensors (VggTensorFile       *file,
                   const unsigned char *data,
                   size_t               size,
                   const char          *path,
                   VggError            *error)
{
  Header header = { 0 };
  Json json;
  uint64_t header_size, buffer_size;
  const unsigned char *buffer;
  VggStatus status;

  file->source = VGG_SOURCE_SAFETENSORS;
  header.file = file;

  if (size < 8)
    return vgg_error_set (error, VGG_STATUS_FORMAT,
                          "%s: cut short: %zu bytes is too small for a safetensors file",
                          path, size);
  header_size = 0;
  for (int i = 0; i < 8; i++)
    header_size |= (uint64_t) data[i] << (8 * i);
  if (header_size > MAX_HEADER)
    return vgg_error_set (error, VGG_STATUS_FORMAT,
                          "%s: the safetensors header claims %llu bytes, more than the "
                          "%u-byte limit", path, (unsigned long long) header_size,
                          MAX_HEADER);
  if (header_size > size - 8)
    return vgg_error_set (error, VGG_STATUS_FORMAT,
                          "%s: cut short: the safetensors header claims %llu bytes but the "
                          "file has only %zu after the length", path,
                          (unsigned long long) header_size, size - 8);

  json.path = path;
  json.start = data + 8;
  json.p = json.start;
  json.end = json.start + header_size;
  json.error = error;
  status = read_header (&json, &header);
  if (status != VGG_STATUS_OK)
    goto out;

  buffer = data + 8 + header_size;
  buffer_size = size - 8 - header_size;
  status = check_tensors (file, header.spans, buffer_size, path, error);
  if (status != VGG_STATUS_OK)
    goto out;
  for (size_t i = 0; i < file->n_tensors; i++)
    {
      VggTensor *tensor = &file->tensors[i];

      if (tensor->count > 0)
        tensor->data = buffer + header.spans[i].begin;
      else
        tensor->data = empty_tensor_data;
    }
  status = vgg_tensor_file_copy_misaligned (file, path, error);

out:
  free (header.spans);
  return status;
}

VggStatus
vgg_safetensors_open (VggTensorFile **result,
                      const char     *path,
                      VggError       *error)
{
  VggMappedFile map;
  VggTensorFile *file;
  VggStatus status;

  *result = NULL;
  status = vgg_tensor_file_new_mapped (&file, &map, path, error);
  if (status != VGG_STATUS_OK)
    return status;
  status = parse_safetensors (file, map.data, map.size, path, error);
  if (status != VGG_STATUS_OK)
    {
      vgg_tensor_file_free (file);
      return status;
    }
  *result = file;
  return VGG_STATUS_OK;
}

VggStatus
vgg_safetensors_open_memory (VggTensorFile **result,
                             const void     *bytes,
                             size_t          size,
                             const char     *name,
                             VggError       *error)
{
  VggTensorFile *file;
  VggStatus status;

  *result = NULL;
  file = calloc (1, sizeof *file);
  if (file == NULL)
    return vgg_error_set (error, VGG_STATUS_NO_MEMORY, "%s: out of memory", name);
  status = parse_safetensors (file, bytes, size, name, error);
  if (status != VGG_STATUS_OK)
    {
      vgg_tensor_file_free (file);
      return status;
    }
  *result = file;
  return VGG_STATUS_OK;
}
