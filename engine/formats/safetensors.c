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
 * The header is read by a small strict JSON reader (safetensors-json.c): objects, arrays,
 * strings (with every escape, \uXXXX surrogate pairs included, and UTF-8 checked),
 * non-negative integers for shapes and offsets; unknown members of a tensor entry are
 * skipped if they are valid JSON. The engine does not depend on GLib, hence no json-glib.
 */
#include "config.h"

#include "engine-private.h"
#include "safetensors-json.h"
#include "tensor-file.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_HEADER     100000000u

/* Where empty tensors point: aligned for any element type, never read. */
static const int64_t empty_tensor_data[1];

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
  VggStatus status = vgg_json_read_string (j, &text);

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

  if ((status = vgg_json_expect (j, '[', "to open a shape")) != VGG_STATUS_OK)
    return status;
  tensor->ndim = 0;
  if (vgg_json_accept (j, ']'))
    return VGG_STATUS_OK;
  do
    {
      uint64_t dim;

      if ((status = vgg_json_read_count (j, "a shape dimension", &dim)) != VGG_STATUS_OK)
        return status;
      if (dim > INT64_MAX)
        return vgg_json_fail (j, "a shape dimension is too large: %llu, above 2^63 - 1",
                              (unsigned long long) dim);
      if (tensor->ndim == VGG_TENSOR_MAX_DIMS)
        return vgg_error_set (j->error, VGG_STATUS_UNSUPPORTED,
                              "%s: tensor '%.100s' has more than %d dimensions (at least %d); "
                              "at most %d are read", j->path, tensor->name,
                              VGG_TENSOR_MAX_DIMS, VGG_TENSOR_MAX_DIMS + 1,
                              VGG_TENSOR_MAX_DIMS);
      tensor->shape[tensor->ndim++] = (int64_t) dim;
    }
  while (vgg_json_accept (j, ','));
  return vgg_json_expect (j, ']', "to close a shape");
}

static VggStatus
read_offsets (Json *j,
              Span *span)
{
  VggStatus status;

  if ((status = vgg_json_expect (j, '[', "to open data_offsets")) != VGG_STATUS_OK
      || (status = vgg_json_read_count (j, "a data offset", &span->begin)) != VGG_STATUS_OK
      || (status = vgg_json_expect (j, ',', "between the two data offsets")) != VGG_STATUS_OK
      || (status = vgg_json_read_count (j, "a data offset", &span->end)) != VGG_STATUS_OK
      || (status = vgg_json_expect (j, ']', "after the two data offsets")) != VGG_STATUS_OK)
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

  if ((status = vgg_json_expect (j, '{', "to open a tensor entry")) != VGG_STATUS_OK)
    return status;
  if (!vgg_json_accept (j, '}'))
    {
      do
        {
          char *key;

          if ((status = vgg_json_read_string (j, &key)) != VGG_STATUS_OK)
            return status;
          if ((status = vgg_json_expect (j, ':', "after a member name")) != VGG_STATUS_OK)
            {
              free (key);
              return status;
            }
          if (strcmp (key, "dtype") == 0)
            {
              status = have_dtype ? vgg_json_fail (j, "\"dtype\" given twice")
                                  : read_dtype (j, tensor->name, &tensor->dtype);
              have_dtype = true;
            }
          else if (strcmp (key, "shape") == 0)
            {
              status = have_shape ? vgg_json_fail (j, "\"shape\" given twice")
                                  : read_shape (j, tensor);
              have_shape = true;
            }
          else if (strcmp (key, "data_offsets") == 0)
            {
              status = have_offsets ? vgg_json_fail (j, "\"data_offsets\" given twice")
                                    : read_offsets (j, span);
              have_offsets = true;
            }
          else
            status = vgg_json_skip_value (j, 1);
          free (key);
          if (status != VGG_STATUS_OK)
            return status;
        }
      while (vgg_json_accept (j, ','));
      if ((status = vgg_json_expect (j, '}', "to close a tensor entry")) != VGG_STATUS_OK)
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

  vgg_json_skip_space (j);
  if (j->p < j->end && *j->p != '{')
    return vgg_json_fail (j, "\"__metadata__\" is not an object");
  if ((status = vgg_json_expect (j, '{', "to open __metadata__")) != VGG_STATUS_OK)
    return status;
  if (vgg_json_accept (j, '}'))
    return VGG_STATUS_OK;
  do
    {
      VggMetadataEntry *entry;

      if (file->n_metadata == h->metadata_capacity)
        {
          size_t capacity = h->metadata_capacity ? h->metadata_capacity * 2 : 8;
          VggMetadataEntry *metadata = realloc (file->metadata, capacity * sizeof *metadata);

          if (metadata == NULL)
            return vgg_json_no_memory (j->path, j->error);
          file->metadata = metadata;
          h->metadata_capacity = capacity;
        }
      entry = &file->metadata[file->n_metadata];
      entry->value = NULL;
      if ((status = vgg_json_read_string (j, &entry->key)) != VGG_STATUS_OK)
        return status;
      file->n_metadata++;
      if ((status = vgg_json_expect (j, ':', "after a metadata key")) != VGG_STATUS_OK)
        return status;
      vgg_json_skip_space (j);
      if (j->p < j->end && *j->p != '"')
        return vgg_error_set (j->error, VGG_STATUS_FORMAT,
                              "%s: metadata value for '%.100s' is not a string", j->path,
                              entry->key);
      if ((status = vgg_json_read_string (j, &entry->value)) != VGG_STATUS_OK)
        return status;
    }
  while (vgg_json_accept (j, ','));
  return vgg_json_expect (j, '}', "to close __metadata__");
}

static VggStatus
read_header (Json   *j,
             Header *h)
{
  VggTensorFile *file = h->file;
  VggStatus status;

  if (j->p == j->end || *j->p != '{')
    return vgg_json_fail (j, "the header does not start with '{'");
  j->p++;
  if (!vgg_json_accept (j, '}'))
    {
      do
        {
          char *name;

          if ((status = vgg_json_read_string (j, &name)) != VGG_STATUS_OK)
            return status;
          if ((status = vgg_json_expect (j, ':', "after a tensor name")) != VGG_STATUS_OK)
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
                  return vgg_json_no_memory (j->path, j->error);
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
      while (vgg_json_accept (j, ','));
      if ((status = vgg_json_expect (j, '}', "to close the header")) != VGG_STATUS_OK)
        return status;
    }
  /* Writers pad the header with spaces so the data is aligned. */
  vgg_json_skip_space (j);
  if (j->p != j->end)
    return vgg_json_fail (j, "unexpected bytes after the header object");
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
          return vgg_json_no_memory (path, error);
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
