/* fnv1a.c — FNV-1a, 64 bits, for the engine's cache keys and checksums
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "engine-private.h"

uint64_t
vgg_fnv1a (uint64_t    hash,
           const void *bytes,
           size_t      size)
{
  const unsigned char *p = bytes;

  for (size_t i = 0; i < size; i++)
    hash = (hash ^ p[i]) * 0x100000001b3ull;
  return hash;
}
