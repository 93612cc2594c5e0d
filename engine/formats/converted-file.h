/* converted-file.h — a VggTensorFile built in memory by the converting loaders (internal)
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Keras and ONNX loaders cannot use their containers' bytes in place (HDF5 datasets are
 * read through libhdf5, kernels are transposed, fc1's rows permuted), so they build the
 * torchvision-named tensors in malloc()ed blocks that the VggTensorFile owns.
 */
#pragma once

#include "tensor-file.h"

/* An empty file of @source, or NULL when out of memory. Free with vgg_tensor_file_free(). */
VggTensorFile *vgg_converted_file_new (VggSource source);

/* Appends an F32 tensor @name of @shape whose @count = ∏ shape elements are in @data, a
 * malloc()ed block whose ownership passes to @file (also on failure, when it is freed).
 * Returns false only when out of memory. */
bool           vgg_converted_file_add (VggTensorFile *file, const char *name, int ndim,
                                       const int64_t *shape, float *data);

/* Appends a metadata entry (copies both strings); false when out of memory. */
bool           vgg_converted_file_set_metadata (VggTensorFile *file, const char *key,
                                                const char *value);

/* Sets "vgg_scope.name" to "VGG16 (Keras)", "VGG19-BN (ONNX)", "VGG16 notop (Keras)"… when
 * @config (block widths and counts, BN, hidden FC widths, n_classes 0 for notop) is one of the
 * paper's networks; other networks keep the engine's descriptive default name. */
bool           vgg_converted_file_name_model (VggTensorFile *file, const VggConfig *config,
                                              const char *framework);
