/* pth.c — PyTorch torch.save() files: the zip container (torch ≥ 1.6) and the legacy one
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Both hold a pickle describing the object and, elsewhere, the raw little-endian storages:
 *
 * zip      <root>/data.pkl, <root>/data/<key> per storage, <root>/version, maybe
 *          <root>/byteorder; <root> is whatever precedes the first '/'. Storages are stored
 *          uncompressed on 64-byte boundaries, so tensors are used in place.
 * legacy   five pickles back to back (magic number, protocol version 1001, system info, the
 *          object, the list of storage keys), then per listed key an int64 element count and
 *          the elements. Sizes come from these counts; tensors whose data is not aligned to
 *          their element size are copied.
 *
 * The object must be a state dict: a dict (OrderedDict) whose tensor values become the
 * tensors, named by their keys; other values (ints, strings, nested dicts) are skipped. When
 * the top level holds no tensor, one level of nesting is accepted under "state_dict" or
 * "model", as training checkpoints ({"epoch": …, "state_dict": {…}, "optimizer": …}) do.
 * Tensors must be C-contiguous views inside their storage; each storage key resolves to
 * exactly one data record.
 */
#include "config.h"

#include "engine-private.h"
#include "pickle.h"
#include "tensor-file.h"
#include "zip-archive.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LEGACY_PROTOCOL 1001

static const unsigned char legacy_magic_number[10] = {
  0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19, /* 0x1950a86a20f9469cfc6c */
};

/* Where empty tensors point: aligned for any element type, never read. */
static const int64_t empty_tensor_data[1];

static VggStatus
no_memory (const char *path,
           VggError   *error)
{
  return vgg_error_set (error, VGG_STATUS_NO_MEMORY, "%s: out of memory", path);
}

/* Copies @key into @out for a message, printable ASCII only. */
static const char *
shown_key (char       *out,
           size_t      size,
           const char *key)
{
  size_t n = 0;

  for (; *key != '\0' && n + 4 < size; key++)
    out[n++] = ((unsigned char) *key >= 0x20 && (unsigned char) *key < 0x7f) ? *key : '?';
  if (*key != '\0')
    {
      memcpy (out + n, "...", 3);
      n += 3;
    }
  out[n] = '\0';
  return out;
}

/* ---------------------------------------------------------------------------------------------
 * The zip container
 */

static VggStatus
open_zip (const VggMappedFile  *map,
          const char           *path,
          VggPickle            *pickle,
          VggPickleObject     **root,
          VggError             *error)
{
  VggZipArchive zip;
  const VggZipEntry *entry;
  const unsigned char *bytes;
  const char *first, *slash;
  char *name = NULL;
  size_t root_length, name_size, consumed, n_storages;
  VggPickleStorage **storages;
  VggStatus status;

  status = vgg_zip_archive_open (&zip, map->data, map->size, path, error);
  if (status != VGG_STATUS_OK)
    return status;

  if (zip.n_entries == 0)
    {
      status = vgg_error_set (error, VGG_STATUS_FORMAT,
                              "%s: an empty zip file, not a PyTorch checkpoint", path);
      goto out;
    }
  first = zip.entries[0].name;
  slash = strchr (first, '/');
  if (slash == NULL || slash == first)
    {
      status = vgg_error_set (error, VGG_STATUS_FORMAT,
                              "%s: a zip file, but not a PyTorch checkpoint (its entries are "
                              "not in one folder)", path);
      goto out;
    }
  root_length = (size_t) (slash - first);

  /* Long enough for "<root>/data.pkl", "<root>/byteorder" and "<root>/data/<key>". */
  name_size = root_length + 32;
  name = malloc (name_size);
  if (name == NULL)
    {
      status = no_memory (path, error);
      goto out;
    }

  snprintf (name, name_size, "%.*s/byteorder", (int) root_length, first);
  entry = vgg_zip_archive_find (&zip, name);
  if (entry != NULL)
    {
      status = vgg_zip_archive_entry_data (&zip, entry, &bytes, error);
      if (status != VGG_STATUS_OK)
        goto out;
      if (entry->size == 3 && memcmp (bytes, "big", 3) == 0)
        {
          status = vgg_error_set (error, VGG_STATUS_UNSUPPORTED,
                                  "%s: the tensors are stored big-endian", path);
          goto out;
        }
      if (entry->size != 6 || memcmp (bytes, "little", 6) != 0)
        {
          status = vgg_error_set (error, VGG_STATUS_FORMAT, "%s: unknown byte order", path);
          goto out;
        }
    }

  snprintf (name, name_size, "%.*s/data.pkl", (int) root_length, first);
  entry = vgg_zip_archive_find (&zip, name);
  if (entry == NULL)
    {
      status = vgg_error_set (error, VGG_STATUS_FORMAT,
                              "%s: a zip file, but not a PyTorch checkpoint (it has no "
                              "%.200s)", path, name);
      goto out;
    }
  status = vgg_zip_archive_entry_data (&zip, entry, &bytes, error);
  if (status != VGG_STATUS_OK)
    goto out;
  if (vgg_zip_crc32 (bytes, (size_t) entry->size) != entry->crc32)
    {
      status = vgg_error_set (error, VGG_STATUS_FORMAT,
                              "%s: %.200s is damaged (its checksum does not match)", path, name);
      goto out;
    }
  status = vgg_pickle_load (pickle, bytes, (size_t) entry->size, 0, "data.pkl", &consumed, root,
                            error);
  if (status != VGG_STATUS_OK)
    goto out;

  storages = vgg_pickle_storages (pickle, &n_storages);
  for (size_t i = 0; i < n_storages; i++)
    {
      VggPickleStorage *storage = storages[i];
      size_t size = vgg_dtype_size (storage->dtype), key_size = strlen (storage->key);
      char shown[64];

      if (root_length + key_size + 32 > name_size)
        {
          char *longer;

          name_size = root_length + key_size + 32;
          longer = realloc (name, name_size);
          if (longer == NULL)
            {
              status = no_memory (path, error);
              goto out;
            }
          name = longer;
        }
      snprintf (name, name_size, "%.*s/data/%s", (int) root_length, first, storage->key);
      entry = vgg_zip_archive_find (&zip, name);
      if (entry == NULL)
        {
          status = vgg_error_set (error, VGG_STATUS_FORMAT,
                                  "%s: storage '%s' is missing (no %.200s in the archive)", path,
                                  shown_key (shown, sizeof shown, storage->key), name);
          goto out;
        }
      status = vgg_zip_archive_entry_data (&zip, entry, &bytes, error);
      if (status != VGG_STATUS_OK)
        goto out;
      if (entry->size % size != 0 || entry->size / size > INT64_MAX)
        {
          status = vgg_error_set (error, VGG_STATUS_FORMAT,
                                  "%s: storage '%s' holds %llu bytes, not a whole number of "
                                  "%zu-byte elements", path,
                                  shown_key (shown, sizeof shown, storage->key),
                                  (unsigned long long) entry->size, size);
          goto out;
        }
      storage->data = bytes;
      storage->numel = (int64_t) (entry->size / size);
      storage->resolved = true;
    }

out:
  free (name);
  vgg_zip_archive_clear (&zip);
  return status;
}

/* ---------------------------------------------------------------------------------------------
 * The legacy container
 */

static VggStatus
open_legacy (const VggMappedFile  *map,
             const char           *path,
             VggPickle            *pickle,
             VggPickleObject     **root,
             VggError             *error)
{
  VggPickleObject *magic, *protocol, *sys_info, *keys;
  const VggPickleObject *little_endian;
  size_t pos = 0, consumed;
  VggStatus status;

  status = vgg_pickle_load (pickle, map->data, map->size, 0, "the magic number", &consumed,
                            &magic, error);
  if (status != VGG_STATUS_OK)
    return status;
  if (magic->kind != VGG_PICKLE_BIGINT || magic->string.length != sizeof legacy_magic_number
      || memcmp (magic->string.bytes, legacy_magic_number, sizeof legacy_magic_number) != 0)
    return vgg_error_set (error, VGG_STATUS_FORMAT,
                          "%s: not a PyTorch file (wrong magic number)", path);
  pos += consumed;

  status = vgg_pickle_load (pickle, map->data + pos, map->size - pos, pos,
                            "the protocol version", &consumed, &protocol, error);
  if (status != VGG_STATUS_OK)
    return status;
  if (protocol->kind != VGG_PICKLE_INT || protocol->integer != LEGACY_PROTOCOL)
    return vgg_error_set (error, VGG_STATUS_UNSUPPORTED,
                          "%s: unknown version of PyTorch's legacy format (expected %d)", path,
                          LEGACY_PROTOCOL);
  pos += consumed;

  status = vgg_pickle_load (pickle, map->data + pos, map->size - pos, pos,
                            "the system information", &consumed, &sys_info, error);
  if (status != VGG_STATUS_OK)
    return status;
  if (sys_info->kind != VGG_PICKLE_DICT)
    return vgg_error_set (error, VGG_STATUS_FORMAT,
                          "%s: damaged: the system information is %s, not a dict", path,
                          vgg_pickle_kind_name (sys_info->kind));
  little_endian = vgg_pickle_dict_get (sys_info, "little_endian");
  if (little_endian != NULL && little_endian->kind == VGG_PICKLE_BOOL && !little_endian->boolean)
    return vgg_error_set (error, VGG_STATUS_UNSUPPORTED,
                          "%s: the tensors are stored big-endian", path);
  pos += consumed;

  status = vgg_pickle_load (pickle, map->data + pos, map->size - pos, pos, "the state dict",
                            &consumed, root, error);
  if (status != VGG_STATUS_OK)
    return status;
  pos += consumed;

  status = vgg_pickle_load (pickle, map->data + pos, map->size - pos, pos,
                            "the list of storages", &consumed, &keys, error);
  if (status != VGG_STATUS_OK)
    return status;
  if (keys->kind != VGG_PICKLE_LIST && keys->kind != VGG_PICKLE_TUPLE)
    return vgg_error_set (error, VGG_STATUS_FORMAT,
                          "%s: damaged: the list of storages is %s", path,
                          vgg_pickle_kind_name (keys->kind));
  pos += consumed;

  for (size_t i = 0; i < keys->seq.n_items; i++)
    {
      const VggPickleObject *key = keys->seq.items[i];
      VggPickleStorage *storage;
      uint64_t count = 0;
      size_t size, bytes, end;
      char shown[64];

      if (key->kind != VGG_PICKLE_STRING || strlen (key->string.bytes) != key->string.length)
        return vgg_error_set (error, VGG_STATUS_FORMAT,
                              "%s: damaged: storage key %zu is not a string", path, i);
      storage = vgg_pickle_find_storage (pickle, key->string.bytes);
      shown_key (shown, sizeof shown, key->string.bytes);
      if (storage == NULL)
        return vgg_error_set (error, VGG_STATUS_FORMAT,
                              "%s: damaged: storage '%s' is listed but nothing refers to it",
                              path, shown);
      if (storage->resolved)
        return vgg_error_set (error, VGG_STATUS_FORMAT,
                              "%s: damaged: storage '%s' is listed twice", path, shown);

      if (map->size - pos < 8)
        return vgg_error_set (error, VGG_STATUS_FORMAT,
                              "%s: the file is cut short: it ends before storage '%s' "
                              "(byte %zu)", path, shown, map->size);
      for (int b = 0; b < 8; b++)
        count |= (uint64_t) map->data[pos + (size_t) b] << (8 * b);
      pos += 8;
      size = vgg_dtype_size (storage->dtype);
      if (count > INT64_MAX || !vgg_mul_size ((size_t) count, size, &bytes)
          || !vgg_add_size (pos, bytes, &end) || end > map->size)
        return vgg_error_set (error, VGG_STATUS_FORMAT,
                              "%s: the file is cut short: storage '%s' claims %llu elements "
                              "at byte %zu, past the end of the file (%zu bytes)", path, shown,
                              (unsigned long long) count, pos, map->size);
      storage->data = map->data + pos;
      storage->numel = (int64_t) count;
      storage->resolved = true;
      pos = end;
    }
  return VGG_STATUS_OK;
}

/* ---------------------------------------------------------------------------------------------
 * The state dict
 */

static bool
has_tensor (const VggPickleObject *dict)
{
  if (dict == NULL || dict->kind != VGG_PICKLE_DICT)
    return false;
  for (size_t i = 0; i + 1 < dict->seq.n_items; i += 2)
    if (dict->seq.items[i]->kind == VGG_PICKLE_STRING
        && dict->seq.items[i + 1]->kind == VGG_PICKLE_TENSOR)
      return true;
  return false;
}

static void
format_dims (char          *out,
             size_t         size,
             const int64_t *dims,
             int            n)
{
  size_t used = (size_t) snprintf (out, size, "(");

  for (int i = 0; i < n && used < size; i++)
    used += (size_t) snprintf (out + used, size - used, "%s%lld", i ? ", " : "",
                               (long long) dims[i]);
  if (used < size)
    snprintf (out + used, size - used, ")");
}

/* Checks tensor @object against its storage and fills @tensor (whose name is set). */
static VggStatus
build_tensor (VggTensor             *tensor,
              const VggPickleObject *object,
              const char            *path,
              VggError              *error)
{
  const VggPickleObject *ref = object->tensor->storage;
  const VggPickleStorage *storage = ref->storage.root;
  int64_t base_offset = 0, base_numel;
  size_t count = 1, size = vgg_dtype_size (storage->dtype), extent, bytes;
  int ndim = object->tensor->ndim;
  char shown[64], text[200];

  if (!storage->resolved)
    return vgg_error_set (error, VGG_STATUS_FORMAT,
                          "%s: tensor '%.100s': its storage '%s' is not in the file", path,
                          tensor->name, shown_key (shown, sizeof shown, storage->key));
  base_numel = storage->numel;
  if (ref->storage.view_numel >= 0)
    {
      if (ref->storage.view_offset > storage->numel
          || ref->storage.view_numel > storage->numel - ref->storage.view_offset)
        return vgg_error_set (error, VGG_STATUS_FORMAT,
                              "%s: tensor '%.100s': its storage view lies outside storage '%s'",
                              path, tensor->name, shown_key (shown, sizeof shown, storage->key));
      base_offset = ref->storage.view_offset;
      base_numel = ref->storage.view_numel;
    }

  if (ndim > VGG_TENSOR_MAX_DIMS)
    return vgg_error_set (error, VGG_STATUS_UNSUPPORTED,
                          "%s: tensor '%.100s' has %d dimensions; VGG Scope handles at most %d",
                          path, tensor->name, ndim, VGG_TENSOR_MAX_DIMS);
  if (object->tensor->n_strides != ndim)
    return vgg_error_set (error, VGG_STATUS_FORMAT,
                          "%s: tensor '%.100s' has %d sizes but %d strides", path, tensor->name,
                          ndim, object->tensor->n_strides);
  if (object->tensor->offset < 0)
    return vgg_error_set (error, VGG_STATUS_FORMAT,
                          "%s: tensor '%.100s' has a negative storage offset", path,
                          tensor->name);

  tensor->dtype = storage->dtype;
  tensor->ndim = ndim;
  for (int d = 0; d < ndim; d++)
    {
      if (object->tensor->shape[d] < 0 || object->tensor->stride[d] < 0)
        return vgg_error_set (error, VGG_STATUS_FORMAT,
                              "%s: tensor '%.100s' has a negative size or stride", path,
                              tensor->name);
      tensor->shape[d] = object->tensor->shape[d];
      if (!vgg_mul_size (count, (size_t) tensor->shape[d], &count) || count > INT64_MAX)
        return vgg_error_set (error, VGG_STATUS_FORMAT,
                              "%s: tensor '%.100s' has an impossibly large shape", path,
                              tensor->name);
    }
  if (!vgg_mul_size (count, size, &bytes))
    return vgg_error_set (error, VGG_STATUS_FORMAT,
                          "%s: tensor '%.100s' has an impossibly large shape", path,
                          tensor->name);
  tensor->count = (int64_t) count;
  if (count == 0)
    {
      tensor->data = empty_tensor_data;
      return VGG_STATUS_OK;
    }

  /* offset + Σ (size_i − 1)·stride_i + 1 ≤ numel: the last element lies inside. */
  extent = (size_t) object->tensor->offset;
  for (int d = 0; d < ndim; d++)
    {
      size_t reach;

      if (!vgg_mul_size ((size_t) (tensor->shape[d] - 1), (size_t) object->tensor->stride[d],
                         &reach)
          || !vgg_add_size (extent, reach, &extent))
        {
          extent = SIZE_MAX;
          break;
        }
    }
  if (extent == SIZE_MAX || extent + 1 > (size_t) base_numel)
    {
      format_dims (text, sizeof text, tensor->shape, ndim);
      return vgg_error_set (error, VGG_STATUS_FORMAT,
                            "%s: tensor '%.100s' of size %s at offset %lld reaches past the end "
                            "of its storage '%s' (%lld elements)", path, tensor->name, text,
                            (long long) object->tensor->offset,
                            shown_key (shown, sizeof shown, storage->key),
                            (long long) base_numel);
    }

  /* C order: each stride is the product of the sizes after it (any stride for a size 1). */
  {
    int64_t expected = 1;

    for (int d = ndim - 1; d >= 0; d--)
      {
        if (tensor->shape[d] != 1 && object->tensor->stride[d] != expected)
          {
            format_dims (text, sizeof text, object->tensor->stride, ndim);
            return vgg_error_set (error, VGG_STATUS_UNSUPPORTED,
                                  "%s: tensor '%.100s' is not stored contiguously (strides "
                                  "%s); save it after .contiguous()", path, tensor->name, text);
          }
        expected *= tensor->shape[d];
      }
  }

  tensor->data = storage->data + (size_t) (base_offset + object->tensor->offset) * size;
  return VGG_STATUS_OK;
}

static int
compare_names (const void *a,
               const void *b)
{
  return strcmp ((*(const VggTensor *const *) a)->name, (*(const VggTensor *const *) b)->name);
}

static VggStatus
collect_tensors (VggTensorFile         *file,
                 const VggPickleObject *root,
                 const char            *path,
                 VggError              *error)
{
  const VggPickleObject *dict = root;
  const VggTensor **sorted;
  size_t n = 0;
  VggStatus status = VGG_STATUS_OK;

  if (root->kind != VGG_PICKLE_DICT)
    return vgg_error_set (error, VGG_STATUS_UNSUPPORTED,
                          "%s: holds %s, not a state_dict (a dict of tensors)", path,
                          vgg_pickle_kind_name (root->kind));
  if (!has_tensor (dict))
    {
      if (has_tensor (vgg_pickle_dict_get (root, "state_dict")))
        dict = vgg_pickle_dict_get (root, "state_dict");
      else if (has_tensor (vgg_pickle_dict_get (root, "model")))
        dict = vgg_pickle_dict_get (root, "model");
      else if (root->seq.n_items > 0)
        return vgg_error_set (error, VGG_STATUS_UNSUPPORTED,
                              "%s: holds no tensors at its top level, nor under 'state_dict' "
                              "or 'model'", path);
    }

  for (size_t i = 0; i + 1 < dict->seq.n_items; i += 2)
    if (dict->seq.items[i]->kind == VGG_PICKLE_STRING
        && dict->seq.items[i + 1]->kind == VGG_PICKLE_TENSOR)
      n++;
  if (n == 0)
    return VGG_STATUS_OK;

  file->tensors = calloc (n, sizeof *file->tensors);
  if (file->tensors == NULL)
    return no_memory (path, error);

  for (size_t i = 0; i + 1 < dict->seq.n_items; i += 2)
    {
      const VggPickleObject *key = dict->seq.items[i], *value = dict->seq.items[i + 1];
      VggTensor *tensor;

      if (key->kind != VGG_PICKLE_STRING || value->kind != VGG_PICKLE_TENSOR)
        continue;
      if (!vgg_pickle_utf8_validate (key->string.bytes, key->string.length))
        return vgg_error_set (error, VGG_STATUS_FORMAT,
                              "%s: a tensor name is not valid UTF-8 text", path);
      tensor = &file->tensors[file->n_tensors];
      tensor->name = strdup (key->string.bytes);
      if (tensor->name == NULL)
        return no_memory (path, error);
      file->n_tensors++;
      status = build_tensor (tensor, value, path, error);
      if (status != VGG_STATUS_OK)
        return status;
    }

  sorted = malloc (file->n_tensors * sizeof *sorted);
  if (sorted == NULL)
    return no_memory (path, error);
  for (size_t i = 0; i < file->n_tensors; i++)
    sorted[i] = &file->tensors[i];
  qsort (sorted, file->n_tensors, sizeof *sorted, compare_names);
  for (size_t i = 1; i < file->n_tensors && status == VGG_STATUS_OK; i++)
    if (strcmp (sorted[i - 1]->name, sorted[i]->name) == 0)
      status = vgg_error_set (error, VGG_STATUS_FORMAT, "%s: tensor '%.100s' appears twice",
                              path, sorted[i]->name);
  free (sorted);
  return status;
}

/* ---------------------------------------------------------------------------------------------
 * Opening
 */

VggStatus
vgg_pth_open (VggTensorFile **result,
              const char     *path,
              VggError       *error)
{
  VggMappedFile map;
  VggTensorFile *file;
  VggPickle *pickle = NULL;
  VggPickleObject *root = NULL;
  VggStatus status;

  *result = NULL;
  status = vgg_tensor_file_new_mapped (&file, &map, path, error);
  if (status != VGG_STATUS_OK)
    return status;

  status = vgg_pickle_new (&pickle, path, error);
  if (status != VGG_STATUS_OK)
    goto out;

  if (map.size >= 4 && memcmp (map.data, "PK\x03\x04", 4) == 0)
    {
      file->source = VGG_SOURCE_PTH_ZIP;
      status = open_zip (&map, path, pickle, &root, error);
    }
  else if (map.size >= 4 && map.data[0] == 0x80 && map.data[1] >= 2 && map.data[1] <= 5)
    {
      /* open_legacy() checks the magic number; protocols ≥ 4 put a FRAME before it. */
      file->source = VGG_SOURCE_PTH_LEGACY;
      status = open_legacy (&map, path, pickle, &root, error);
    }
  else
    status = vgg_error_set (error, VGG_STATUS_FORMAT,
                            "%s: not a PyTorch .pth file (neither a zip nor a legacy "
                            "torch.save() file)", path);

  if (status == VGG_STATUS_OK)
    status = collect_tensors (file, root, path, error);
  if (status == VGG_STATUS_OK)
    status = vgg_tensor_file_copy_misaligned (file, path, error);

out:
  vgg_pickle_free (pickle);
  if (status != VGG_STATUS_OK)
    {
      vgg_tensor_file_free (file);
      return status;
    }
  *result = file;
  return VGG_STATUS_OK;
}
