/* keras-h5-file.h — a Keras HDF5 file being read, shared by the three files of its reader
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * keras-h5-hdf5.c takes what libhdf5 gives and checks it (lists of names from attributes,
 * links and storage inside the file, datasets' shapes and values), keras-h5-layout.c finds
 * the layers and their kernel and bias in each layout and gives every convolution its block,
 * keras-h5.c converts them to torchvision's tensors and writes the stream (keras-h5.h).
 * Internal to those three files, which only vgg-scope-h5-reader and the fuzz build link.
 */
#pragma once

#include "engine-private.h"

#include <hdf5.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MAX_LAYERS       4096     /* Keras VGG19 has 26 */
#define MAX_NAME_LENGTH  1024
#define MAX_TENSOR_COUNT ((int64_t) 1 << 31)

typedef struct
{
  char   **items;
  size_t   n;
} StringList;

typedef struct
{
  char  *name;            /* the Keras layer name */
  hid_t  weights[2];      /* kernel, bias */
  int    n_weights;
  int    block, conv;     /* for convolutions: blockB_convK, from the name or inferred */
} KerasLayer;

typedef struct
{
  const char *path;
  hid_t       h5;
  KerasLayer *layers;
  size_t      n_layers;
  const char *layout;     /* for messages */
  int         n_pools;    /* Keras 3: max_pooling2d groups seen (-1 for other layouts) */
} KerasFile;

/* keras-h5-hdf5.c: lists of names */
void      vgg_keras_h5_string_list_clear  (StringList *list);
/* False when out of memory or past MAX_LAYERS names. */
bool      vgg_keras_h5_string_list_append (StringList *list, const char *text, size_t length);
/* Appends the names in attribute @name of @object, or in Keras 2's chunks @name0, @name1, …
 * (@where names @object in messages); *found is false when neither exists. */
VggStatus vgg_keras_h5_read_names         (hid_t object, const char *name, StringList *list,
                                           bool *found, const char *path, const char *where,
                                           VggError *error);

/* keras-h5-hdf5.c: only links and data inside the file */
VggStatus vgg_keras_h5_check_local_links   (const KerasFile *keras, hid_t location,
                                            const char *path, VggError *error);
VggStatus vgg_keras_h5_check_local_storage (const KerasFile *keras, const char *layer,
                                            const char *name, hid_t dataset, VggError *error);

/* keras-h5-hdf5.c: datasets */
const char *vgg_keras_h5_dataset_path  (hid_t dataset, char *buffer, size_t size);
VggStatus   vgg_keras_h5_dataset_shape (const KerasFile *keras, hid_t dataset, int *ndim,
                                        int64_t *shape, VggError *error);
VggStatus   vgg_keras_h5_check_shape   (const KerasFile *keras, hid_t dataset, int ndim,
                                        const int64_t *shape, int expected_ndim,
                                        const int64_t *expected, const char *what,
                                        VggError *error);
VggStatus   vgg_keras_h5_read_dataset  (const KerasFile *keras, hid_t dataset, int64_t count,
                                        float **data, VggError *error);

/* keras-h5-layout.c */
/* Closes the datasets and the file; frees the layers. */
void      vgg_keras_h5_file_clear            (KerasFile *keras);
/* Published and Keras 2 files: layer_names on @root, weight_names on each layer group. */
VggStatus vgg_keras_h5_collect_named_layers  (KerasFile *keras, hid_t root, VggError *error);
/* Keras 3: layers/<name>/vars/<i>, in model order. */
VggStatus vgg_keras_h5_collect_keras3_layers (KerasFile *keras, hid_t layers, VggError *error);
/* Gives every convolution its block and place in it. */
VggStatus vgg_keras_h5_assign_blocks         (KerasFile *keras, VggError *error);
