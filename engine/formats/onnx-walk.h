/* onnx-walk.h — the walk along an ONNX VGG graph, shared by the ONNX reader's files
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * onnx.c checks the wire format, decodes the ModelProto and walks its graph node by node;
 * onnx-nodes.c finds what a node refers to (attributes, initializers, Constant values), turns
 * weights into the tensors the engine loads and words the refusals; onnx-layers.c reads each
 * VGG operator into torchvision-named tensors. Internal to those three files.
 */
#pragma once

#include "tensor-file.h"
#include "onnx.pb-c.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MAX_TENSOR_COUNT ((int64_t) 1 << 31)

typedef struct
{
  const char           *path;
  Onnx__GraphProto     *graph;
  VggTensorFile        *file;
  const Onnx__NodeProto *node;          /* the node being read, for messages */

  /* the value flowing along the chain: [N, channels, height, width] or [N, features] */
  const char           *current;
  int64_t               channels, height, width;   /* height, width 0 when unknown */
  bool                  flat;
  int64_t               features;

  /* torchvision numbering */
  int                   feature_index;
  int                   n_fc;
  VggConfig             config;
  bool                  seen_global_pool;  /* a GlobalAveragePool before the size was known */

  size_t               *uses;          /* per initializer: node inputs using it */

  VggError             *error;
} Walk;

typedef enum
{
  STEP_START = 0,
  STEP_CONV,
  STEP_BN,
  STEP_RELU,
  STEP_POOL,
  STEP_FC,
  STEP_FC_RELU,
  STEP_SOFTMAX,
} Step;

/* onnx-nodes.c */
VggStatus vgg_onnx_node_error (Walk *walk, VggStatus status, const char *format, ...)
  VGG_PRINTF (3, 4);
int64_t vgg_onnx_attribute_int (const Onnx__NodeProto *node, const char *name,
                                int64_t fallback);
double vgg_onnx_attribute_float (const Onnx__NodeProto *node, const char *name,
                                 double fallback);
bool vgg_onnx_attribute_ints_are (const Onnx__NodeProto *node, const char *name, size_t n,
                                  int64_t value);
bool vgg_onnx_attribute_present (const Onnx__NodeProto *node, const char *name);
bool vgg_onnx_attribute_string_is (const Onnx__NodeProto *node, const char *name,
                                   const char *value, bool fallback);
Onnx__TensorProto *vgg_onnx_find_value (Walk *walk, const char *name);
bool vgg_onnx_count_uses (Walk *walk);
VggStatus vgg_onnx_node_value (Walk *walk, size_t index, const char *role,
                               Onnx__TensorProto **tensor);
VggStatus vgg_onnx_check_dims (Walk *walk, const Onnx__TensorProto *tensor, int ndim,
                               const int64_t *shape);
VggStatus vgg_onnx_tensor_floats (Walk *walk, Onnx__TensorProto *tensor, int64_t count,
                                  float **data);
VggStatus vgg_onnx_emit (Walk *walk, const char *name, int ndim, const int64_t *shape,
                         float *data);
VggStatus vgg_onnx_vector_input (Walk *walk, size_t index, const char *role, int64_t n,
                                 bool allow_row, float **data);

/* onnx-layers.c: one reader per operator, given where the chain stands (*step) */
VggStatus vgg_onnx_read_conv (Walk *walk, Step *step);
VggStatus vgg_onnx_read_batch_norm (Walk *walk, Step *step);
VggStatus vgg_onnx_read_max_pool (Walk *walk, Step *step);
VggStatus vgg_onnx_read_linear (Walk *walk, Step *step, size_t *next);
VggStatus vgg_onnx_read_flatten (Walk *walk, Step *step);
VggStatus vgg_onnx_read_average_pool (Walk *walk, Step *step);
