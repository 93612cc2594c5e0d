/* scan-private.h — what the scanner and the index file share about data sets (internal)
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vgg-scan.h"
#include "engine-private.h"

/* (The cache key's hash is vgg_fnv1a(), engine-private.h: not a defence against anyone; a key
 * that collides still has to match the index's stored keys, counts and shapes.) */

/* The data set's identity: its real path and every image file's path, size and modification
 * time (an IDX data set: the one file's). */
uint64_t  vgg_dataset_fingerprint (const VggDataset *dataset);

/* Reads images [@first, @first + @count) of an IDX data set into @pixels (rows × cols bytes
 * each), in order. */
VggStatus vgg_dataset_read_idx (VggDataset *dataset, int64_t first, int count, uint8_t *pixels,
                                VggError *error);

/* The model's input from one IDX image, exactly as `vgg-scope-cli eval` builds it: @pixels
 * (@rows × @cols) centred on the black @height × @width input, values / 255. */
void      vgg_dataset_idx_input (float *input, int height, int width, const uint8_t *pixels,
                                 int rows, int cols);

/* The index file (scan-index.c). @keys are the model's and the data set's fingerprints. */
typedef struct
{
  uint64_t    model_key;
  uint64_t    dataset_key;
  int         k;
  int64_t     n_images;
  int         n_channels;     /* every conv layer's channels, in layer order */
  int        *counts;         /* [n_channels] hits kept so far */
  VggScanHit *hits;           /* [n_channels × k] */
  int64_t     next;           /* images done */
  int64_t     n_skipped;
  char        first_skip[VGG_ERROR_MESSAGE_SIZE];
} VggScanIndex;

/* "DIR/scan-<hash>.index" for these keys, or false if it does not fit @size. */
bool      vgg_scan_index_path_for (const char *dir, uint64_t model_key, uint64_t dataset_key,
                                   int k, char *path, size_t size);
/* Fills @index's counts, hits, next, n_skipped and first_skip from @path when the file is a
 * well-formed index with the same keys, k, image count and channel count; false otherwise
 * (@index then unchanged). */
bool      vgg_scan_index_read (VggScanIndex *index, const char *path);
/* Writes @index to @path (through PATH.tmp and a rename, creating the folder); false on any
 * failure (the index is a cache: the scan goes on without it). */
bool      vgg_scan_index_write (const VggScanIndex *index, const char *path);
