/* conversion-cache.h — converted Keras and ONNX weights kept as safetensors (internal)
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "tensor-file.h"

#include <stdbool.h>
#include <stddef.h>

/* The cache file for the weight file @path in folder @dir (its name comes from the file's
 * real path, size, inode and modification time); false without a folder, or if @path cannot
 * be looked at or the name does not fit in @size. */
bool vgg_conversion_cache_path  (const char *dir,
                                 const char *path,
                                 char       *cache,
                                 size_t      size);

/* Writes @file's float32 tensors and its metadata to @cache, making the folders it needs
 * (best effort: false on any failure). */
bool vgg_conversion_cache_write (const VggTensorFile *file,
                                 const char          *cache);
