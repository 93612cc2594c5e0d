/* test-engine-util.h — helpers for the engine unit tests that reach the engine's internals
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Only the engine unit tests see the engine's private headers (tests/meson.build); the UI
 * tests share test-util.h, which uses the public API alone.
 */
#pragma once

#include "tensor-file.h"
#include "test-util.h"

/* vgg_tensor_file_open_with_options() with test_load_options(). */
VggStatus test_tensor_file_open (VggTensorFile **file, const char *path, VggError *error);

/* vgg_tensor_file_open() or one container's opener. */
typedef VggStatus (*TestOpenFunc) (VggTensorFile **file, const char *path, VggError *error);

/* Asserts @open_file fails on @path with @expected, leaving no file, and a message naming
 * @path and containing @fragment (unless NULL); @what (or NULL) is shown with the path if the
 * check fails. */
void   test_assert_open_fails      (TestOpenFunc  open_file,
                                    const char   *path,
                                    const char   *what,
                                    VggStatus     expected,
                                    const char   *fragment);

/* Comparing a run with reference outputs (torchvision's), layer by layer: set @reference and
 * @tolerance, zero the rest. */
typedef struct
{
  const VggTensorFile *reference;
  double               tolerance;         /* relative to each tensor's max |value| */
  gboolean             check_shapes;      /* also: float32, (N, C, H, W) or (N, C) */
  int                  compared;          /* how many tensors were compared */
  double               worst;             /* the largest max |diff| / max |value| among them */
  char                 worst_layer[64];   /* and where it was */
} TestComparison;

/* A VggHook taking a TestComparison: asserts the stage's data ("conv1_1.pre", "conv1_1", …)
 * equals the reference tensor of that name within the tolerance (and, with @check_shapes, that
 * the tensor is float32 with the run's batch and the layer's channels as its first two
 * dimensions). */
bool   test_compare_layer          (const VggHookEvent *event,
                                    void               *comparison);
/* Runs @model on @input (NCHW float32, its first dimension the batch) with test_compare_layer()
 * on every layer's pre-activation and output, and asserts every such stage was compared. */
void   test_compare_with_reference (TestComparison *comparison,
                                    const VggModel *model,
                                    const VggNpy   *input);

