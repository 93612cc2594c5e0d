/* converted-file.c — a VggTensorFile built in memory by the converting loaders
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "converted-file.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

VggTensorFile *
vgg_converted_file_new (VggSource source)
{
  VggTensorFile *file = calloc (1, sizeof *file);

  if (file != NULL)
    file->source = source;
  return file;
}

/* Grows @array (of @n elements of @size bytes) by one; false when out of memory. */
static bool
grow (void   **array,
      size_t   n,
      size_t   size)
{
  void *bigger;

  if (n > SIZE_MAX / size - 1)
    return false;
  bigger = realloc (*array, (n + 1) * size);
  if (bigger == NULL)
    return false;
  *array = bigger;
  return true;
}

bool
vgg_converted_file_add (VggTensorFile *file,
                        const char    *name,
                        int            ndim,
                        const int64_t *shape,
                        float         *data)
{
  VggTensor *tensor;
  char *copy;
  int64_t count = 1;

  if (ndim < 0 || ndim > VGG_TENSOR_MAX_DIMS
      || !grow ((void **) &file->owned_blocks, file->n_owned_blocks, sizeof (void *)))
    {
      free (data);
      return false;
    }
  file->owned_blocks[file->n_owned_blocks++] = data;

  copy = strdup (name);
  if (copy == NULL || !grow ((void **) &file->tensors, file->n_tensors, sizeof (VggTensor)))
    {
      free (copy);
      return false;
    }
  tensor = &file->tensors[file->n_tensors++];
  memset (tensor, 0, sizeof *tensor);
  tensor->name = copy;
  tensor->dtype = VGG_DTYPE_F32;
  tensor->ndim = ndim;
  for (int i = 0; i < ndim; i++)
    {
      tensor->shape[i] = shape[i];
      count *= shape[i];
    }
  tensor->count = count;
  tensor->data = data;
  return true;
}

bool
vgg_converted_file_set_metadata (VggTensorFile *file,
                                 const char    *key,
                                 const char    *value)
{
  char *key_copy = strdup (key);
  char *value_copy = strdup (value);

  if (key_copy == NULL || value_copy == NULL
      || !grow ((void **) &file->metadata, file->n_metadata, sizeof (VggMetadataEntry)))
    {
      free (key_copy);
      free (value_copy);
      return false;
    }
  file->metadata[file->n_metadata].key = key_copy;
  file->metadata[file->n_metadata].value = value_copy;
  file->n_metadata++;
  return true;
}

bool
vgg_converted_file_name_model (VggTensorFile   *file,
                               const VggConfig *config,
                               const char      *framework)
{
  static const int paper_widths[5] = { 64, 128, 256, 512, 512 };
  char name[64];
  int convs = 0;

  if (config->n_blocks != 5)
    return true;
  for (int b = 0; b < 5; b++)
    {
      if (config->block_widths[b] != paper_widths[b])
        return true;
      convs += config->block_convs[b];
    }
  if (convs != 8 && convs != 10 && convs != 13 && convs != 16)
    return true;
  if (config->n_classes > 0
      && (config->n_hidden_fc != 2 || config->hidden_fc_widths[0] != 4096
          || config->hidden_fc_widths[1] != 4096))
    return true;
  snprintf (name, sizeof name, "VGG%d%s%s (%s)", convs + 3, config->batch_norm ? "-BN" : "",
            config->n_classes > 0 ? "" : " notop", framework);
  return vgg_converted_file_set_metadata (file, "vgg_scope.name", name);
}
