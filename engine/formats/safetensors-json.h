/* safetensors-json.h — the strict JSON reader of safetensors headers (internal)
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Objects, arrays, strings (every escape, \uXXXX surrogate pairs included, UTF-8 checked),
 * non-negative integers; anything else valid is skipped. Every refusal names the file and
 * the header's byte. The engine does not depend on GLib, hence no json-glib.
 */
#pragma once

#include "engine-private.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VGG_JSON_MAX_DEPTH 64

typedef struct
{
  const char          *path;
  const unsigned char *start;   /* the header */
  const unsigned char *p;
  const unsigned char *end;
  VggError            *error;
} Json;

/* A refusal of the header at the reader's byte, naming the file. */
VggStatus vgg_json_fail        (Json *j, const char *format, ...) VGG_PRINTF (2, 3);
VggStatus vgg_json_no_memory   (const char *path, VggError *error);
void      vgg_json_skip_space  (Json *j);
/* Skips white space and consumes @c if it comes next. */
bool      vgg_json_accept      (Json *j, char c);
/* The same, refusing the header when @c does not come (@where says what was read). */
VggStatus vgg_json_expect      (Json *j, char c, const char *where);
/* Reads a string. With @out NULL it is only checked; otherwise *out is a new NUL-terminated
 * copy (strings holding U+0000 are refused: names and metadata are C strings). */
VggStatus vgg_json_read_string (Json *j, char **out);
/* A non-negative integer without fraction or exponent (@what names it in messages). */
VggStatus vgg_json_read_count  (Json *j, const char *what, uint64_t *value);
/* Skips any JSON value, nested at most VGG_JSON_MAX_DEPTH deep. */
VggStatus vgg_json_skip_value  (Json *j, int depth);
