/* engine-private.h — helpers shared inside the engine (not installed)
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vgg.h"

#include <stdarg.h>
#include <stdio.h>

#if defined(__GNUC__)
# define VGG_PRINTF(f, a) __attribute__ ((format (printf, f, a)))
#else
# define VGG_PRINTF(f, a)
#endif

/* Sets @error (if not NULL) and returns @status, so a failure is one line:
 *   return vgg_error_set (error, VGG_STATUS_FORMAT, "%s: truncated header", path); */
VggStatus vgg_error_set (VggError *error, VggStatus status, const char *format, ...)
  VGG_PRINTF (3, 4);

/* The one place an error message is formatted: @prefix (may be NULL, not a format) then
 * @format with @args; control characters are replaced and an overlong message is cut. For
 * helpers that put a fixed context (file, part, offset) before their callers' detail. */
VggStatus vgg_error_setv (VggError *error, VggStatus status, const char *prefix,
                          const char *format, va_list args) VGG_PRINTF (4, 0);

/* Clears @error to VGG_STATUS_OK and an empty message. */
void      vgg_error_clear (VggError *error);

/* Checked arithmetic for sizes read from files: false on overflow or a negative operand. */
bool      vgg_mul_size (size_t a, size_t b, size_t *result);
bool      vgg_add_size (size_t a, size_t b, size_t *result);

/* A read-only memory map of a whole file. An empty file maps to size 0 and data NULL. */
typedef struct
{
  const unsigned char *data;
  size_t               size;
} VggMappedFile;

VggStatus vgg_mapped_file_open (VggMappedFile *file, const char *path, VggError *error);

/* Opens @path for reading without ever blocking (a FIFO would wait for a writer) and refuses
 * anything but a regular file with "PATH: not a regular file but a named pipe (FIFO)" and the
 * like; fills *@st. Returns a blocking descriptor (O_CLOEXEC), or -1 with @error set (its
 * status VGG_STATUS_IO). Every loader opens files through it. */
struct stat;
int       vgg_open_regular_file (const char *path, struct stat *st, VggError *error);
void      vgg_mapped_file_close (VggMappedFile *file);

/* Drops @count floats of weights from the process's resident memory when they lie in a
 * read-only map of the weight file (a later read brings them back from the page cache);
 * anything else is left alone. For weights a run or an explainer has transformed. */
/* FNV-1a, 64 bits (fnv1a.c): the hash of the engine's cache keys and index checksums. Start
 * from VGG_FNV_OFFSET; chain calls to hash several pieces. */
#define VGG_FNV_OFFSET 0xcbf29ce484222325ull
uint64_t  vgg_fnv1a (uint64_t hash, const void *bytes, size_t size);

void      vgg_release_mapped_weights (const float *weight, size_t count);
/* The index of the first NaN or ±Inf among @count floats, or @count when all are finite; a
 * vectorised scan (finite.c). */
size_t      vgg_find_non_finite (const float *values, size_t count);
/* "NaN", "+Inf" or "-Inf" for a value vgg_find_non_finite() found. */
const char *vgg_non_finite_name (float value);

/* Memory for large buffers: 64-byte aligned, huge-page advised, zero-filled. */
void     *vgg_alloc_big (size_t size);
void      vgg_free_big (void *memory, size_t size);
