/* tensor-file.c — opening a weight file of any known container as a list of named tensors
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The container is recognised by its first bytes, never by the file name:
 *   "PK\x03\x04"                       a zip: torch.save() since PyTorch 1.6
 *   80 02 8A 0A                        a pickle (protocol 2) starting with a 10-byte LONG1:
 *                                      the legacy torch.save() magic number (with
 *                                      pickle_protocol ≥ 4, 80 0N and a FRAME come first)
 *   u64 N, then '{'                    safetensors (an 8-byte header length, then JSON)
 *   "\x89HDF\r\n\x1a\n" at 0, 512, 1024, … an HDF5 file: Keras weights (keras-h5.c)
 *   08 <varint> … field 7 (length-delimited) an ONNX ModelProto up to its graph (onnx.c)
 *
 * Memory owned by a VggTensorFile: the tensor array and names, the metadata, the file
 * mapping, and the owned blocks (copies of tensors that could not be used in place), which
 * every loader allocates with malloc() or posix_memalign() and this file frees with free().
 */
#include "config.h"

#include "engine-private.h"
#include "tensor-file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

size_t
vgg_dtype_size (VggDtype dtype)
{
  switch (dtype)
    {
    case VGG_DTYPE_F64:
    case VGG_DTYPE_I64:
      return 8;
    case VGG_DTYPE_F32:
    case VGG_DTYPE_I32:
      return 4;
    case VGG_DTYPE_F16:
    case VGG_DTYPE_BF16:
    case VGG_DTYPE_I16:
      return 2;
    case VGG_DTYPE_I8:
    case VGG_DTYPE_U8:
    case VGG_DTYPE_BOOL:
      return 1;
    case VGG_DTYPE_N_DTYPES:
      break;
    }
  return 0;
}

const char *
vgg_dtype_name (VggDtype dtype)
{
  switch (dtype)
    {
    case VGG_DTYPE_F32: return "F32";
    case VGG_DTYPE_F16: return "F16";
    case VGG_DTYPE_BF16: return "BF16";
    case VGG_DTYPE_F64: return "F64";
    case VGG_DTYPE_I64: return "I64";
    case VGG_DTYPE_I32: return "I32";
    case VGG_DTYPE_I16: return "I16";
    case VGG_DTYPE_I8: return "I8";
    case VGG_DTYPE_U8: return "U8";
    case VGG_DTYPE_BOOL: return "BOOL";
    case VGG_DTYPE_N_DTYPES: break;
    }
  return "unknown";
}

static const unsigned char zip_magic[4] = { 'P', 'K', 0x03, 0x04 };

/* PROTO 2–5, maybe a FRAME, then LONG1 of 10 bytes: the legacy magic number's pickle. */
static bool
is_legacy_pth (const unsigned char *head,
               size_t               n_head)
{
  if (n_head < 4 || head[0] != 0x80 || head[1] < 2 || head[1] > 5)
    return false;
  if (head[2] == 0x8a && head[3] == 0x0a)
    return true;
  return n_head >= 13 && head[2] == 0x95 && head[11] == 0x8a && head[12] == 0x0a;
}

VggStatus
vgg_tensor_file_open (VggTensorFile **file,
                      const char     *path,
                      VggError       *error)
{
  return vgg_tensor_file_open_with_options (file, path, NULL, error);
}

VggStatus
vgg_tensor_file_open_with_options (VggTensorFile        **file,
                                   const char            *path,
                                   const VggLoadOptions  *options,
                                   VggError              *error)
{
  unsigned char head[16];
  size_t n_head = 0;
  struct stat st;
  int fd;

  if (file == NULL || path == NULL)
    return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT, "no file to open");
  *file = NULL;

  fd = vgg_open_regular_file (path, &st, error);
  if (fd < 0)
    {
      if (access (path, F_OK) != 0 && errno == ENOENT)
        return vgg_error_set (error, VGG_STATUS_IO, "%s: no such file", path);
      return VGG_STATUS_IO;
    }
  while (n_head < sizeof head)
    {
      ssize_t got = read (fd, head + n_head, sizeof head - n_head);

      if (got < 0 && errno == EINTR)
        continue;
      if (got < 0)
        {
          int saved = errno;

          close (fd);
          return vgg_error_set (error, VGG_STATUS_IO, "%s: cannot read: %s", path,
                                strerror (saved));
        }
      if (got == 0)
        break;
      n_head += (size_t) got;
    }
  close (fd);

  if (n_head == 0)
    return vgg_error_set (error, VGG_STATUS_FORMAT, "%s: the file is empty", path);
  if (n_head >= 4 && memcmp (head, zip_magic, 4) == 0)
    return vgg_pth_open (file, path, error);
  if (is_legacy_pth (head, n_head))
    return vgg_pth_open (file, path, error);
  if (n_head >= 9 && head[8] == '{')
    return vgg_safetensors_open (file, path, error);
  if (vgg_keras_h5_probe (path))
    return vgg_keras_h5_open (file, path, options != NULL ? options->h5_reader : NULL, error);
  if (vgg_onnx_probe (path))
    return vgg_onnx_open (file, path, error);
  return vgg_error_set (error, VGG_STATUS_FORMAT,
                        "%s: not a weight file VGG Scope knows (safetensors, PyTorch .pth, "
                        "Keras .h5, ONNX)", path);
}

void
vgg_tensor_file_free (VggTensorFile *file)
{
  if (file == NULL)
    return;

  for (size_t i = 0; i < file->n_tensors; i++)
    free (file->tensors[i].name);
  free (file->tensors);
  for (size_t i = 0; i < file->n_metadata; i++)
    {
      free (file->metadata[i].key);
      free (file->metadata[i].value);
    }
  free (file->metadata);
  for (size_t i = 0; i < file->n_owned_blocks; i++)
    free (file->owned_blocks[i]);
  free (file->owned_blocks);
  if (file->map != NULL)
    {
      VggMappedFile map = { .data = file->map, .size = file->map_size };

      vgg_mapped_file_close (&map);
    }
  free (file);
}

VggStatus
vgg_tensor_file_new_mapped (VggTensorFile **result,
                            VggMappedFile  *map,
                            const char     *path,
                            VggError       *error)
{
  VggTensorFile *file;
  VggStatus status;

  *result = NULL;
  status = vgg_mapped_file_open (map, path, error);
  if (status != VGG_STATUS_OK)
    return status;
  if (map->size == 0)
    return vgg_error_set (error, VGG_STATUS_FORMAT, "%s: the file is empty", path);

  file = calloc (1, sizeof *file);
  if (file == NULL)
    {
      vgg_mapped_file_close (map);
      return vgg_error_set (error, VGG_STATUS_NO_MEMORY, "%s: out of memory", path);
    }
  file->map = (void *) map->data;
  file->map_size = map->size;
  *result = file;
  return VGG_STATUS_OK;
}

/* Legacy .pth files put storages after an 8-byte count at whatever offset the pickles end, so
 * there this happens to whole files. */
VggStatus
vgg_tensor_file_copy_misaligned (VggTensorFile *file,
                                 const char    *path,
                                 VggError      *error)
{
  size_t total = 0, used = 0;
  unsigned char *block;
  void **blocks;
  void *memory;

  for (size_t i = 0; i < file->n_tensors; i++)
    {
      const VggTensor *tensor = &file->tensors[i];
      size_t size = vgg_dtype_size (tensor->dtype);

      if ((uintptr_t) tensor->data % size != 0)
        total += ((size_t) tensor->count * size + 63) & ~(size_t) 63;
    }
  if (total == 0)
    return VGG_STATUS_OK;

  blocks = realloc (file->owned_blocks, (file->n_owned_blocks + 1) * sizeof *blocks);
  if (blocks == NULL)
    return vgg_error_set (error, VGG_STATUS_NO_MEMORY, "%s: out of memory", path);
  file->owned_blocks = blocks;
  if (posix_memalign (&memory, total >= ((size_t) 2 << 20) ? (size_t) 2 << 20 : 64, total) != 0)
    return vgg_error_set (error, VGG_STATUS_NO_MEMORY, "%s: out of memory", path);
#ifdef MADV_HUGEPAGE
  if (total >= ((size_t) 2 << 20))
    madvise (memory, total, MADV_HUGEPAGE);
#endif
  block = memory;
  file->owned_blocks[file->n_owned_blocks++] = block;

  for (size_t i = 0; i < file->n_tensors; i++)
    {
      VggTensor *tensor = &file->tensors[i];
      size_t size = vgg_dtype_size (tensor->dtype), bytes = (size_t) tensor->count * size;

      if ((uintptr_t) tensor->data % size == 0)
        continue;
      memcpy (block + used, tensor->data, bytes);
      tensor->data = block + used;
      used += (bytes + 63) & ~(size_t) 63;
    }
  return VGG_STATUS_OK;
}

const VggTensor *
vgg_tensor_file_find (const VggTensorFile *file,
                      const char          *name)
{
  if (file == NULL || name == NULL)
    return NULL;
  for (size_t i = 0; i < file->n_tensors; i++)
    if (strcmp (file->tensors[i].name, name) == 0)
      return &file->tensors[i];
  return NULL;
}

const char *
vgg_tensor_file_metadata (const VggTensorFile *file,
                          const char          *key)
{
  if (file == NULL || key == NULL)
    return NULL;
  for (size_t i = 0; i < file->n_metadata; i++)
    if (strcmp (file->metadata[i].key, key) == 0)
      return file->metadata[i].value;
  return NULL;
}
