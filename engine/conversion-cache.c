/* conversion-cache.c — converted Keras and ONNX weights kept as safetensors, mapped next time
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Keras and ONNX weights cannot be used in place (HWIO kernels, NHWC rows, protobuf), so
 * their converted tensors live in memory. To keep a second load from converting again and
 * holding a private copy, the converted tensors are written once as safetensors into the
 * caller's cache folder (VggLoadOptions.cache_dir; none: no cache) and memory-mapped from
 * there. The cache file's name comes from the source's real path, size, inode and
 * modification time, so a changed file is converted afresh.
 */
#include "config.h"

#include "conversion-cache.h"
#include "engine-private.h"
#include "safetensors-writer.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* mkdir -p */
static bool
make_dirs (char *dir)
{
  for (char *p = dir + 1; *p != '\0'; p++)
    if (*p == '/')
      {
        *p = '\0';
        if (mkdir (dir, 0700) != 0 && errno != EEXIST)
          {
            *p = '/';
            return false;
          }
        *p = '/';
      }
  return mkdir (dir, 0700) == 0 || errno == EEXIST;
}

bool
vgg_conversion_cache_path (const char *dir,
                           const char *path,
                           char       *cache,
                           size_t      size)
{
  char real[PATH_MAX];
  struct stat st;
  uint64_t hash = VGG_FNV_OFFSET;
  int64_t fields[4];
  int n;

  if (dir == NULL || dir[0] == '\0' || stat (path, &st) != 0 || realpath (path, real) == NULL)
    return false;
  fields[0] = (int64_t) st.st_size;
  fields[1] = (int64_t) st.st_ino;
  fields[2] = (int64_t) st.st_mtim.tv_sec;
  fields[3] = (int64_t) st.st_mtim.tv_nsec;
  hash = vgg_fnv1a (hash, real, strlen (real));
  hash = vgg_fnv1a (hash, fields, sizeof fields);
  n = snprintf (cache, size, "%s/converted-%016llx.safetensors", dir, (unsigned long long) hash);
  return n > 0 && (size_t) n < size;
}

bool
vgg_conversion_cache_write (const VggTensorFile *file,
                            const char          *cache)
{
  VggTensorOut *tensors = calloc (file->n_tensors + 1, sizeof *tensors);
  VggMetadataItem *items = calloc (file->n_metadata + 1, sizeof *items);
  char dir[PATH_MAX];
  char *slash;
  int n = 0;
  bool ok = tensors != NULL && items != NULL;

  for (size_t i = 0; ok && i < file->n_tensors; i++)
    {
      const VggTensor *t = &file->tensors[i];

      if (t->dtype != VGG_DTYPE_F32 || t->ndim > 4)
        continue; /* only what a model uses */
      tensors[n].name = t->name;
      tensors[n].data = t->data;
      tensors[n].ndim = t->ndim;
      for (int d = 0; d < t->ndim; d++)
        tensors[n].shape[d] = t->shape[d];
      n++;
    }
  for (size_t i = 0; ok && i < file->n_metadata; i++)
    {
      items[i].key = file->metadata[i].key;
      items[i].value = file->metadata[i].value;
    }
  snprintf (dir, sizeof dir, "%s", cache);
  slash = strrchr (dir, '/');
  if (slash != NULL)
    *slash = '\0';
  ok = ok && slash != NULL && make_dirs (dir)
       && vgg_safetensors_write (cache, tensors, n, items, (int) file->n_metadata, NULL)
          == VGG_STATUS_OK;
  free (tensors);
  free (items);
  return ok;
}
