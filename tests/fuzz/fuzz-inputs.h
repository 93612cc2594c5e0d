/* fuzz-inputs.h — one function per parser of outside data, shared by the libFuzzer targets
 *                 and the regression-corpus replay test
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each function feeds @data to one loader the way the engine gets such bytes from a file,
 * frees whatever the loader made and returns its status; a refusal leaves a message in
 * @error. The replay test and the fuzz targets both call these, so a crash found by one is
 * replayed through the same code by the other.
 */
#pragma once

#include "vgg.h"

#include <stddef.h>
#include <stdint.h>

typedef VggStatus (*VggFuzzInput) (const uint8_t *data, size_t size, VggError *error);

/* safetensors from memory, then the model built from its tensors (vgg_model_load_memory) */
VggStatus vgg_fuzz_safetensors (const uint8_t *data, size_t size, VggError *error);
/* PyTorch .pth, zip or legacy, through the restricted unpickler */
VggStatus vgg_fuzz_pth (const uint8_t *data, size_t size, VggError *error);
/* ONNX ModelProto (protobuf-c) and the graph walk */
VggStatus vgg_fuzz_onnx (const uint8_t *data, size_t size, VggError *error);
/* NumPy .npy */
VggStatus vgg_fuzz_npy (const uint8_t *data, size_t size, VggError *error);
/* IDX (MNIST) images or labels */
VggStatus vgg_fuzz_idx (const uint8_t *data, size_t size, VggError *error);
/* a picture (JPEG, PNG, …), then the preprocessing of every preset after it */
VggStatus vgg_fuzz_image (const uint8_t *data, size_t size, VggError *error);

/* A file descriptor holding @data (an anonymous memory file) and its path under
 * /proc/self/fd in @path, for the loaders that take a path; -1 on failure. Close it after. */
int       vgg_fuzz_memory_file (const uint8_t *data, size_t size, char *path, size_t path_size);

/* The fuzz targets by name, NULL-terminated (keras-h5 is not here: the fuzz build reads it in
 * process, the replay test through the reader program). */
typedef struct
{
  const char  *name;
  VggFuzzInput input;
} VggFuzzTarget;

extern const VggFuzzTarget vgg_fuzz_targets[];
