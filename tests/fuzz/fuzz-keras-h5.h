/* fuzz-keras-h5.h — Keras HDF5 weights read in process, for the fuzz build only
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The engine reads Keras files in the vgg-scope-h5-reader program; the fuzz target links that
 * program's reading code (engine/formats/keras-h5*.c) and libhdf5 into itself, so libFuzzer sees
 * the coverage of our conversion code. libhdf5 is not instrumented and not safe against
 * damaged files: crashes inside it are expected there, and are the reason for the separate
 * program in the normal build.
 */
#pragma once

#include "vgg.h"

#include <stddef.h>
#include <stdint.h>

VggStatus vgg_fuzz_keras_h5 (const uint8_t *data, size_t size, VggError *error);
