/* fuzz-target.c — the libFuzzer entry point, compiled once per target with
 *                 -DFUZZ_INPUT=vgg_fuzz_<target> (meson.build beside this file)
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Besides the sanitizers' checks, one property of every loader: a refusal says why (a
 * non-empty message naming the problem), never an empty error.
 */
#include "config.h"

#include "fuzz-inputs.h"
#include "fuzz-keras-h5.h"

#include <stdio.h>
#include <stdlib.h>

#ifndef FUZZ_INPUT
# error "define FUZZ_INPUT to one of fuzz-inputs.h's functions"
#endif

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  VggError error = { 0 };
  VggStatus status = FUZZ_INPUT (data, size, &error);

  if (status != VGG_STATUS_OK && (error.status != status || error.message[0] == '\0'))
    {
      fprintf (stderr, "refused with status %d but error (%d) \"%s\"\n", (int) status,
               (int) error.status, error.message);
      abort ();
    }
  return 0;
}
