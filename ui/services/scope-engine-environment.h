/* scope-engine-environment.h — the environment variables the engine honours, read for it
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The engine reads no environment; the command line and the app read it here, once, and
 * hand the engine explicit options:
 *   VGG_SCOPE_THREADS            threads for inference and training (unset: all CPUs)
 *   VGG_SCOPE_EXACT              1: exact convolutions (im2col + sgemm) instead of Winograd
 *   VGG_SCOPE_CONV_MIB           memory budget for transformed convolution weights
 *   VGG_SCOPE_SIMD               micro-kernels: avx512, avx2 or generic (unset: the best)
 *   VGG_SCOPE_WINOGRAD_BLOCK_KIB tile block size of the Winograd element-wise stage
 *   VGG_SCOPE_CACHE_DIR          converted Keras/ONNX weights and data-set scans (unset: the
 *                                user's cache folder + vgg-scope; empty: no cache)
 *   VGG_SCOPE_H5_READER          the Keras reader program (unset: the installed one)
 * and one the app alone reads (the engine never sees GStreamer):
 *   VGG_SCOPE_TEST_CAMERA        a GStreamer pipeline description that stands in for a camera
 *                                in the Live view ("videotestsrc is-live=true ! video/x-raw,
 *                                width=640,height=480,framerate=30/1")
 * A value that is not understood is reported on standard error and ignored.
 */
#pragma once

#include <glib.h>

#include "vgg.h"

G_BEGIN_DECLS

/* Sets the engine's thread count from VGG_SCOPE_THREADS. */
void                  scope_engine_environment_apply_threads (void);
/* The load options; owned by this module, valid for the process's life. */
const VggLoadOptions *scope_engine_environment_load_options  (void);
/* The run options. */
void                  scope_engine_environment_run_options   (VggRunOptions *options);

/* VGG_SCOPE_TEST_CAMERA, or NULL when unset or empty. */
const char           *scope_engine_environment_test_camera   (void);

G_END_DECLS
