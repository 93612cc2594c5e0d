/* tensor-file.h — a weight file as a list of named tensors, whatever its format (internal)
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every loader (safetensors, pth zip, pth legacy, later Keras and ONNX) produces a
 * VggTensorFile; the model builder (model-load.c) maps tensor names onto layers. Tensors
 * point into the file's read-only memory map when the container stores them contiguous and
 * aligned; otherwise the loader copies them into memory the VggTensorFile owns.
 */
#pragma once

#include "engine-private.h"
#include "vgg.h"

typedef enum
{
  VGG_DTYPE_F32 = 0,
  VGG_DTYPE_F16,
  VGG_DTYPE_BF16,
  VGG_DTYPE_F64,
  VGG_DTYPE_I64,
  VGG_DTYPE_I32,
  VGG_DTYPE_I16,
  VGG_DTYPE_I8,
  VGG_DTYPE_U8,
  VGG_DTYPE_BOOL,
  VGG_DTYPE_N_DTYPES
} VggDtype;

#define VGG_TENSOR_MAX_DIMS 8

typedef struct
{
  char       *name;                      /* owned, NUL-terminated */
  VggDtype    dtype;
  int         ndim;                      /* 0 for a scalar */
  int64_t     shape[VGG_TENSOR_MAX_DIMS];
  int64_t     count;                     /* ∏ shape (1 for a scalar) */
  const void *data;                      /* little-endian, C-contiguous, count elements;
                                            may be unaligned only if the format allows it */
} VggTensor;

typedef struct
{
  char    *key;                          /* owned */
  char    *value;                        /* owned */
} VggMetadataEntry;

typedef struct
{
  VggSource         source;
  VggTensor        *tensors;             /* owned array, in file order */
  size_t            n_tensors;
  VggMetadataEntry *metadata;            /* owned array (safetensors "__metadata__") */
  size_t            n_metadata;

  /* private to the loaders */
  void             *map;                 /* the read-only file mapping, or NULL */
  size_t            map_size;
  void            **owned_blocks;        /* copies made when in-place use was impossible */
  size_t            n_owned_blocks;
} VggTensorFile;

size_t           vgg_dtype_size (VggDtype dtype);
const char      *vgg_dtype_name (VggDtype dtype);

/* Detects the container from the first bytes and opens it. */
VggStatus        vgg_tensor_file_open (VggTensorFile **file, const char *path, VggError *error);
/* The same with a load's options (NULL: the defaults): a Keras file is read by
 * @options->h5_reader. */
VggStatus        vgg_tensor_file_open_with_options (VggTensorFile **file, const char *path,
                                                    const VggLoadOptions *options,
                                                    VggError *error);
void             vgg_tensor_file_free (VggTensorFile *file);
/* For the loaders: maps @path, refusing an empty file, into a new VggTensorFile with no tensors
 * that owns the mapping (unmapped by vgg_tensor_file_free()); *@map is set to the mapping.
 * On failure *file is NULL and @error says why. */
VggStatus        vgg_tensor_file_new_mapped (VggTensorFile **file, VggMappedFile *map,
                                             const char *path, VggError *error);
/* For the loaders: copies the tensors whose data is not aligned to their element size into
 * one block that @file owns (freed by vgg_tensor_file_free()). */
VggStatus        vgg_tensor_file_copy_misaligned (VggTensorFile *file, const char *path,
                                                  VggError *error);

/* The tensor called @name, or NULL. */
const VggTensor *vgg_tensor_file_find (const VggTensorFile *file, const char *name);
/* The metadata value for @key, or NULL. */
const char      *vgg_tensor_file_metadata (const VggTensorFile *file, const char *key);

/* The individual containers (vgg_tensor_file_open() picks one). Each takes ownership of
 * nothing; on failure *file is NULL and @error says why, naming @path. */
VggStatus        vgg_safetensors_open (VggTensorFile **file, const char *path, VggError *error);
/* The same for a whole safetensors file already in memory; @bytes must outlive the result
 * (tensors point into it), @name stands for the path in messages. */
VggStatus        vgg_safetensors_open_memory (VggTensorFile **file, const void *bytes,
                                              size_t size, const char *name,
                                              VggError *error);
VggStatus        vgg_pth_open (VggTensorFile **file, const char *path, VggError *error);
/* Runs the HDF5 reader program @reader (NULL: the installed one) on @path, which sends the
 * converted tensors back through a pipe (keras-h5-client.c). */
VggStatus        vgg_keras_h5_open (VggTensorFile **file, const char *path, const char *reader,
                                    VggError *error);
VggStatus        vgg_onnx_open (VggTensorFile **file, const char *path, VggError *error);

/* Content checks for the containers without a fixed magic at offset 0: the HDF5 signature at
 * 0, 512, 1024, … (a user block); an ONNX ModelProto's leading fields up to its graph. */
bool             vgg_keras_h5_probe (const char *path);
bool             vgg_onnx_probe (const char *path);
