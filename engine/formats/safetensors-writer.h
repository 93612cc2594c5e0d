/* safetensors-writer.h — writing safetensors files (internal)
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <stdint.h>

#include "vgg.h"
#include "vgg-train.h"   /* VggMetadataItem */

/* One tensor to write: F32 from @data, or I64 from @data_i64 when that is set (a batch-norm
 * layer's num_batches_tracked, a scalar: ndim 0). */
typedef struct
{
  const char    *name;
  const float   *data;
  int            ndim;
  int64_t        shape[4];
  const int64_t *data_i64;
} VggTensorOut;

/* Writes a safetensors file: @n_tensors F32 (or I64) tensors and string metadata, to PATH.tmp then
 * renamed, so an interrupted write never leaves a broken file. Little-endian hosts only,
 * like the loaders. */
VggStatus vgg_safetensors_write (const char *path, const VggTensorOut *tensors, int n_tensors,
                                 const VggMetadataItem *items, int n_items, VggError *error);
