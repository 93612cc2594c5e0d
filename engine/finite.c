/* finite.c — finding NaN and infinities in float arrays (weights, inputs, results)
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A NaN in a weight vanishes through ReLU (the comparison is false) and leaves a confident,
 * wrong prediction, so every weight is checked once at load: for VGG16 that is 138 M floats,
 * which must cost a fraction of the load. The scan works on the bits: a float is not finite
 * when its exponent bits are all ones; a fixed-size block is tested with branch-free vector
 * code, and only a block that has such a value is scanned again for the index.
 */
#include "config.h"

#include "engine-private.h"

#include <math.h>
#include <stdint.h>

#define BLOCK 4096   /* floats: 16 KiB, in L1 */

/* the floats' bits, read through a type allowed to alias them */
typedef uint32_t AliasedBits __attribute__ ((may_alias));

/* Whether the block holds a float whose exponent bits are all ones (NaN or ±Inf): an
 * and, a compare and an or per element, which GCC vectorises with plain SSE2 */
static bool
block_has_non_finite (const float *values)
{
  const AliasedBits *bits = (const AliasedBits *) values;
  uint32_t found = 0;

  for (int i = 0; i < BLOCK; i++)
    found |= (bits[i] & 0x7f800000u) == 0x7f800000u;
  return found != 0;
}

size_t
vgg_find_non_finite (const float *values,
                     size_t       count)
{
  size_t start = 0;

  for (; start + BLOCK <= count; start += BLOCK)
    if (block_has_non_finite (values + start))
      break;
  for (size_t i = start; i < count; i++)
    if (!isfinite (values[i]))
      return i;
  return count;
}

const char *
vgg_non_finite_name (float value)
{
  return isnan (value) ? "NaN" : value > 0 ? "+Inf" : "-Inf";
}
