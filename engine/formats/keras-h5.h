/* keras-h5.h — the pipe protocol between the engine and its HDF5 reader program (internal)
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libhdf5 trusts the files it reads (a damaged object header can make it read out of
 * bounds, see its CVE list), so the engine never links it: Keras files are read by a small
 * program of their own, vgg-scope-h5-reader (h5-reader.c, on top of keras-h5.c), which the
 * engine starts with posix_spawn (keras-h5-client.c) and which writes the converted tensors
 * to its standard output, a pipe. A crash or hang there is an error, not the caller's end;
 * the engine validates every count, length and shape it reads. The stream is native-endian
 * (same machine):
 *   u32 magic, i32 status, u32 length + message;
 *   if OK: u32 n_metadata × (u32 length + key, u32 length + value),
 *          u32 n_tensors × (u32 length + name, i32 ndim, i64 shape[ndim], float data[∏ shape]);
 *   u32 magic (the end: anything short of it means the reader died).
 */
#pragma once

#include "tensor-file.h"

#include <stdbool.h>

#define VGG_KERAS_H5_STREAM_MAGIC 0x35484b56u   /* "VKH5" */

/* The reader's side (keras-h5.c, linked only into vgg-scope-h5-reader): reads @path with
 * libhdf5, converts it and writes the stream to @fd. False if writing failed. */
bool vgg_keras_h5_send (int fd, const char *path);
/* The reading itself, in the calling process (linked with libhdf5): the reader program
 * sends its result; the fuzz build (tests/fuzz/) calls it directly. */
VggStatus vgg_keras_h5_read (VggTensorFile **file, const char *path, VggError *error);
