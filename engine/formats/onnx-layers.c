/* onnx-layers.c — the ONNX operators of a VGG, one reader each
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Conv, BatchNormalization, MaxPool, Gemm or MatMul [+ Add], Flatten or Reshape, and the
 * average pools that are the identity: each reader checks the node's place in the chain and
 * its attributes, emits any weights under torchvision's names and moves the chain's shape on.
 * Relu, Softmax, Dropout and Identity have nothing to read and stay in the walk (onnx.c).
 */
#include "config.h"

#include "onnx-walk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CHANNELS     16384
#define MAX_FC_WIDTH     (1 << 20)
#define ENGINE_BN_EPSILON 1e-5

VggStatus
vgg_onnx_read_conv (Walk *walk,
                    Step *step)
{
  const Onnx__NodeProto *node = walk->node;
  Onnx__TensorProto *weight_tensor;
  float *weight = NULL, *bias = NULL;
  int64_t shape[4], out, in;
  char name[64];
  VggStatus status;
  VggConfig *config = &walk->config;
  bool new_block = *step == STEP_START || *step == STEP_POOL;

  if (!new_block && *step != STEP_RELU)
    return vgg_onnx_node_error (walk, VGG_STATUS_UNSUPPORTED, "a convolution must follow the "
                                "input, a Relu or a MaxPool");
  if (walk->flat)
    return vgg_onnx_node_error (walk, VGG_STATUS_UNSUPPORTED, "a convolution after the flatten");
  if ((status = vgg_onnx_node_value (walk, 1, "weight", &weight_tensor)))
    return status;
  if (weight_tensor->n_dims != 4)
    return vgg_onnx_node_error (walk, VGG_STATUS_UNSUPPORTED, "the weight has %zu dimensions; a "
                                "2-D convolution has 4", weight_tensor->n_dims);
  out = weight_tensor->dims[0];
  in = walk->channels > 0 ? walk->channels : weight_tensor->dims[1];
  if (out < 1 || out > MAX_CHANNELS || in < 1 || in > MAX_CHANNELS)
    return vgg_onnx_node_error (walk, VGG_STATUS_UNSUPPORTED, "%lld → %lld channels is beyond the "
                                "engine's limits (1 to %d each)",
                                (long long) weight_tensor->dims[1], (long long) out, MAX_CHANNELS);
  shape[0] = out;
  shape[1] = in;
  shape[2] = shape[3] = 3;
  if ((status = vgg_onnx_check_dims (walk, weight_tensor, 4, shape)))
    return status;
  if (!vgg_onnx_attribute_ints_are (node, "kernel_shape", 2, 3)
      || !vgg_onnx_attribute_ints_are (node, "strides", 2, 1)
      || !vgg_onnx_attribute_ints_are (node, "dilations", 2, 1)
      || vgg_onnx_attribute_int (node, "group", 1) != 1)
    return vgg_onnx_node_error (walk, VGG_STATUS_UNSUPPORTED, "VGG convolutions are 3×3, stride 1, "
                                "without dilation or groups");
  if (vgg_onnx_attribute_string_is (node, "auto_pad", "SAME_UPPER", false)
      || vgg_onnx_attribute_string_is (node, "auto_pad", "SAME_LOWER", false))
    ;
  else if (!vgg_onnx_attribute_string_is (node, "auto_pad", "NOTSET", true)
           || !vgg_onnx_attribute_present (node, "pads")
           || !vgg_onnx_attribute_ints_are (node, "pads", 4, 1))
    return vgg_onnx_node_error (walk, VGG_STATUS_UNSUPPORTED, "VGG convolutions pad by 1 on every "
                                "side (pads [1, 1, 1, 1])");

  if (new_block)
    {
      if (config->n_blocks == VGG_MAX_BLOCKS)
        return vgg_onnx_node_error (walk, VGG_STATUS_UNSUPPORTED, "more than %d blocks",
                                    VGG_MAX_BLOCKS);
      config->n_blocks++;
      config->block_widths[config->n_blocks - 1] = (int) out;
    }
  else if (out != config->block_widths[config->n_blocks - 1])
    return vgg_onnx_node_error (walk, VGG_STATUS_UNSUPPORTED, "%lld filters where the block's "
                                "first convolution has %d; VGG blocks have one width",
                                (long long) out, config->block_widths[config->n_blocks - 1]);
  config->block_convs[config->n_blocks - 1]++;
  if (walk->channels == 0)
    config->input_channels = (int) in;

  if ((status = vgg_onnx_tensor_floats (walk, weight_tensor, out * in * 9, &weight)))
    return status;
  snprintf (name, sizeof name, "features.%d.weight", walk->feature_index);
  if ((status = vgg_onnx_emit (walk, name, 4, shape, weight)))
    return status;
  if (node->n_input >= 3 && node->input[2] != NULL && node->input[2][0] != '\0')
    status = vgg_onnx_vector_input (walk, 2, "bias", out, false, &bias);
  else if ((bias = calloc ((size_t) out, sizeof (float))) == NULL)
    status = vgg_onnx_node_error (walk, VGG_STATUS_NO_MEMORY, "out of memory");
  if (status != VGG_STATUS_OK)
    return status;
  snprintf (name, sizeof name, "features.%d.bias", walk->feature_index);
  if ((status = vgg_onnx_emit (walk, name, 1, &out, bias)))
    return status;

  walk->channels = out;
  walk->feature_index++;
  *step = STEP_CONV;
  return VGG_STATUS_OK;
}

VggStatus
vgg_onnx_read_batch_norm (Walk *walk,
                          Step *step)
{
  static const char *const parts[4] = { "weight", "bias", "running_mean", "running_var" };
  static const char *const roles[4] = { "scale", "B", "mean", "var" };
  const Onnx__NodeProto *node = walk->node;
  VggConfig *config = &walk->config;
  bool first = config->n_blocks == 1 && config->block_convs[0] == 1;
  double epsilon = vgg_onnx_attribute_float (node, "epsilon", 1e-5);
  float *values[4] = { NULL };
  int64_t n = walk->channels;
  VggStatus status = VGG_STATUS_OK;

  if (*step != STEP_CONV)
    return vgg_onnx_node_error (walk, VGG_STATUS_UNSUPPORTED, "BatchNormalization must follow a "
                                "convolution");
  if (!first && !config->batch_norm)
    return vgg_onnx_node_error (walk, VGG_STATUS_UNSUPPORTED, "the first convolution has no "
                                "BatchNormalization but this one has");
  if (vgg_onnx_attribute_int (node, "spatial", 1) != 1
      || vgg_onnx_attribute_int (node, "training_mode", 0) != 0)
    return vgg_onnx_node_error (walk, VGG_STATUS_UNSUPPORTED, "only inference-mode, per-channel "
                                "(spatial) batch normalisation is supported");
  if (!(epsilon >= 0 && epsilon < 1))
    return vgg_onnx_node_error (walk, VGG_STATUS_UNSUPPORTED, "epsilon %g", epsilon);
  config->batch_norm = true;

  for (int k = 0; k < 4 && status == VGG_STATUS_OK; k++)
    status = vgg_onnx_vector_input (walk, (size_t) k + 1, roles[k], n, false, &values[k]);
  if (status == VGG_STATUS_OK)
    for (int64_t c = 0; c < n; c++)
      {
        /* the engine folds with ε = 1e-5: var + ε = (var + ε − 1e-5) + 1e-5 */
        double var = (double) values[3][c] + epsilon;

        if (!(var > 0))
          {
            status = vgg_onnx_node_error (walk, VGG_STATUS_FORMAT, "running variance + epsilon is "
                                          "not positive for channel %lld", (long long) c);
            break;
          }
        values[3][c] = (float) (var - ENGINE_BN_EPSILON);
      }
  for (int k = 0; k < 4; k++)
    {
      char name[64];

      if (status != VGG_STATUS_OK)
        {
          free (values[k]);
          continue;
        }
      snprintf (name, sizeof name, "features.%d.%s", walk->feature_index, parts[k]);
      status = vgg_onnx_emit (walk, name, 1, &n, values[k]);
    }
  if (status != VGG_STATUS_OK)
    return status;
  walk->feature_index++;
  *step = STEP_BN;
  return VGG_STATUS_OK;
}

VggStatus
vgg_onnx_read_max_pool (Walk *walk,
                        Step *step)
{
  const Onnx__NodeProto *node = walk->node;

  if (*step != STEP_RELU || walk->flat)
    return vgg_onnx_node_error (walk, VGG_STATUS_UNSUPPORTED, "a MaxPool must follow a "
                                "convolution's Relu");
  if (!vgg_onnx_attribute_ints_are (node, "kernel_shape", 2, 2)
      || !vgg_onnx_attribute_present (node, "strides")
      || !vgg_onnx_attribute_ints_are (node, "strides", 2, 2)
      || !vgg_onnx_attribute_ints_are (node, "pads", 4, 0)
      || !vgg_onnx_attribute_ints_are (node, "dilations", 2, 1)
      || vgg_onnx_attribute_int (node, "ceil_mode", 0) != 0
      || !(vgg_onnx_attribute_string_is (node, "auto_pad", "NOTSET", true)
           || vgg_onnx_attribute_string_is (node, "auto_pad", "VALID", false)))
    return vgg_onnx_node_error (walk, VGG_STATUS_UNSUPPORTED, "VGG max-pools are 2×2 with stride 2 "
                                "and no padding");
  if (walk->height > 0)
    {
      if (walk->height % 2 != 0 || walk->width % 2 != 0)
        return vgg_onnx_node_error (walk, VGG_STATUS_UNSUPPORTED, "max-pooling a %lld×%lld map "
                                    "(odd sizes are not supported)", (long long) walk->height,
                                    (long long) walk->width);
      walk->height /= 2;
      walk->width /= 2;
    }
  walk->feature_index++;
  *step = STEP_POOL;
  return VGG_STATUS_OK;
}

/* The flattened size: known from the input shape, or inferred from the first classifier
 * weight's @n_in (C·S·S), which then fixes the map size S. */
static VggStatus
resolve_features (Walk    *walk,
                  int64_t  n_in)
{
  int64_t side = 1;

  if (walk->features > 0)
    {
      if (n_in != walk->features)
        return vgg_onnx_node_error (walk, VGG_STATUS_SHAPE, "takes %lld inputs, but the flattened "
                                    "features are %lld (%lld×%lld×%lld)", (long long) n_in,
                                    (long long) walk->features, (long long) walk->channels,
                                    (long long) walk->height, (long long) walk->width);
      return VGG_STATUS_OK;
    }
  while (side <= 4096 && walk->channels * side * side < n_in)
    side++;
  if (side > 4096 || walk->channels * side * side != n_in)
    return vgg_onnx_node_error (walk, VGG_STATUS_SHAPE, "takes %lld inputs, which is not %lld "
                                "channels × a square map", (long long) n_in,
                                (long long) walk->channels);
  if (walk->seen_global_pool && side != 1)
    return vgg_onnx_node_error (walk, VGG_STATUS_UNSUPPORTED, "the GlobalAveragePool before it "
                                "averages a %lld×%lld map: not the identity, and VGG Scope's "
                                "networks have no average pooling", (long long) side,
                                (long long) side);
  walk->height = walk->width = side;
  walk->features = n_in;
  return VGG_STATUS_OK;
}

/* Gemm, or MatMul followed by an optional Add (consumed here: *next is advanced). */
VggStatus
vgg_onnx_read_linear (Walk   *walk,
                      Step   *step,
                      size_t *next)
{
  const Onnx__NodeProto *node = walk->node;
  bool gemm = strcmp (node->op_type, "Gemm") == 0;
  bool trans_b = gemm && vgg_onnx_attribute_int (node, "transB", 0) != 0;
  double alpha = gemm ? vgg_onnx_attribute_float (node, "alpha", 1.0) : 1.0;
  double beta = gemm ? vgg_onnx_attribute_float (node, "beta", 1.0) : 1.0;
  Onnx__TensorProto *weight_tensor;
  float *weight = NULL, *bias = NULL;
  int64_t n_in, n_out, shape[2];
  char name[64];
  VggStatus status;
  VggConfig *config = &walk->config;

  if (!walk->flat)
    return vgg_onnx_node_error (walk, VGG_STATUS_UNSUPPORTED, "a fully connected layer needs a "
                                "Flatten or Reshape before it");
  if (*step == STEP_FC)
    return vgg_onnx_node_error (walk, VGG_STATUS_UNSUPPORTED, "two fully connected layers without "
                                "a Relu between them");
  if (*step != STEP_POOL && *step != STEP_FC_RELU)
    return vgg_onnx_node_error (walk, VGG_STATUS_UNSUPPORTED, "a fully connected layer here is not "
                                "part of a VGG");
  if (walk->n_fc == VGG_MAX_FC + 1)
    return vgg_onnx_node_error (walk, VGG_STATUS_UNSUPPORTED, "more than %d fully connected layers",
                                VGG_MAX_FC + 1);
  if (gemm && vgg_onnx_attribute_int (node, "transA", 0) != 0)
    return vgg_onnx_node_error (walk, VGG_STATUS_UNSUPPORTED, "transA is not supported");
  if ((status = vgg_onnx_node_value (walk, 1, "weight", &weight_tensor)))
    return status;
  if (weight_tensor->n_dims != 2)
    return vgg_onnx_node_error (walk, VGG_STATUS_UNSUPPORTED, "the weight has %zu dimensions, "
                                "expected 2", weight_tensor->n_dims);
  n_in = weight_tensor->dims[trans_b ? 1 : 0];
  n_out = weight_tensor->dims[trans_b ? 0 : 1];
  if (n_out < 1 || n_out > MAX_FC_WIDTH || n_in < 1 || n_in > MAX_TENSOR_COUNT / n_out)
    return vgg_onnx_node_error (walk, VGG_STATUS_UNSUPPORTED, "a %lld × %lld weight is beyond the "
                                "engine's limits (1 to %d outputs, at most 2^31 weights)",
                                (long long) weight_tensor->dims[0],
                                (long long) weight_tensor->dims[1], MAX_FC_WIDTH);
  if (walk->n_fc == 0 && (status = resolve_features (walk, n_in)))
    return status;
  if (n_in != walk->features)
    return vgg_onnx_node_error (walk, VGG_STATUS_SHAPE, "takes %lld inputs, the layer before "
                                "gives %lld", (long long) n_in, (long long) walk->features);

  if ((status = vgg_onnx_tensor_floats (walk, weight_tensor, n_in * n_out, &weight)))
    return status;
  if (!trans_b)
    {
      /* [in, out] → [out, in] */
      float *transposed = malloc ((size_t) (n_in * n_out) * sizeof (float));

      if (transposed == NULL)
        {
          free (weight);
          return vgg_onnx_node_error (walk, VGG_STATUS_NO_MEMORY, "out of memory");
        }
      for (int64_t r0 = 0; r0 < n_in; r0 += 64)
        for (int64_t o0 = 0; o0 < n_out; o0 += 64)
          for (int64_t r = r0; r < r0 + 64 && r < n_in; r++)
            for (int64_t o = o0; o < o0 + 64 && o < n_out; o++)
              transposed[o * n_in + r] = weight[r * n_out + o];
      free (weight);
      weight = transposed;
    }
  if (alpha != 1.0)
    for (int64_t i = 0; i < n_in * n_out; i++)
      weight[i] = (float) (weight[i] * alpha);
  snprintf (name, sizeof name, "classifier.%d.weight", 3 * walk->n_fc);
  shape[0] = n_out;
  shape[1] = n_in;
  if ((status = vgg_onnx_emit (walk, name, 2, shape, weight)))
    return status;

  if (gemm && node->n_input >= 3 && node->input[2] != NULL && node->input[2][0] != '\0')
    status = vgg_onnx_vector_input (walk, 2, "bias", n_out, true, &bias);
  else if (!gemm && *next < walk->graph->n_node
           && walk->graph->node[*next]->op_type != NULL
           && strcmp (walk->graph->node[*next]->op_type, "Add") == 0)
    {
      /* MatMul + Add: the bias is the Add's other input */
      const Onnx__NodeProto *add = walk->graph->node[*next];
      const char *product = node->n_output > 0 ? node->output[0] : NULL;

      walk->node = add;
      if (add->n_input != 2 || add->n_output < 1 || product == NULL
          || (strcmp (add->input[0], product) != 0 && strcmp (add->input[1], product) != 0))
        return vgg_onnx_node_error (walk, VGG_STATUS_UNSUPPORTED, "an Add after a MatMul must add "
                                    "a bias to its product");
      status = vgg_onnx_vector_input (walk, strcmp (add->input[0], product) == 0 ? 1 : 0, "bias",
                                      n_out, true, &bias);
      (*next)++;
    }
  else if ((bias = calloc ((size_t) n_out, sizeof (float))) == NULL)
    status = vgg_onnx_node_error (walk, VGG_STATUS_NO_MEMORY, "out of memory");
  if (status != VGG_STATUS_OK)
    return status;
  if (beta != 1.0)
    for (int64_t i = 0; i < n_out; i++)
      bias[i] = (float) (bias[i] * beta);
  snprintf (name, sizeof name, "classifier.%d.bias", 3 * walk->n_fc);
  if ((status = vgg_onnx_emit (walk, name, 1, &n_out, bias)))
    return status;

  if (walk->n_fc > 0 && walk->n_fc - 1 < VGG_MAX_FC)
    config->hidden_fc_widths[walk->n_fc - 1] = (int) walk->features;
  walk->n_fc++;
  walk->features = n_out;
  *step = STEP_FC;
  return VGG_STATUS_OK;
}

/* Reshape's target shape, as int64 values. */
static VggStatus
reshape_target (Walk    *walk,
                int64_t *target,
                size_t  *n)
{
  Onnx__TensorProto *shape;
  VggStatus status;

  if ((status = vgg_onnx_node_value (walk, 1, "target shape", &shape)))
    return status;
  if (!shape->has_data_type || shape->data_type != ONNX__TENSOR_PROTO__DATA_TYPE__INT64
      || shape->n_dims != 1 || shape->dims[0] != 2)
    return vgg_onnx_node_error (walk, VGG_STATUS_UNSUPPORTED, "only a reshape to two dimensions (a "
                                "flatten) is supported");
  *n = 2;
  if (shape->n_int64_data == 2)
    memcpy (target, shape->int64_data, 2 * sizeof (int64_t));
  else if (shape->has_raw_data && shape->raw_data.len == 2 * sizeof (int64_t))
    memcpy (target, shape->raw_data.data, 2 * sizeof (int64_t));
  else
    return vgg_onnx_node_error (walk, VGG_STATUS_FORMAT, "the target shape has no data");
  return VGG_STATUS_OK;
}

VggStatus
vgg_onnx_read_flatten (Walk *walk,
                       Step *step)
{
  const Onnx__NodeProto *node = walk->node;
  bool reshape = strcmp (node->op_type, "Reshape") == 0;
  int64_t target[2] = { 0, -1 };
  size_t n = 2;
  VggStatus status;

  if (reshape)
    {
      if ((status = reshape_target (walk, target, &n)))
        return status;
      if ((target[0] != 0 && target[0] != -1 && target[0] != 1)
          || (target[1] != -1 && target[1] < 1) || (target[0] == -1 && target[1] == -1))
        return vgg_onnx_node_error (walk, VGG_STATUS_UNSUPPORTED, "a reshape to [%lld, %lld] is "
                                    "not a flatten", (long long) target[0], (long long) target[1]);
    }
  else if (vgg_onnx_attribute_int (node, "axis", 1) != 1)
    return vgg_onnx_node_error (walk, VGG_STATUS_UNSUPPORTED, "only a Flatten with axis 1 is "
                                "supported");

  if (walk->flat)
    {
      /* on [N, F] it changes nothing */
      if (reshape && target[1] != -1 && target[1] != walk->features)
        return vgg_onnx_node_error (walk, VGG_STATUS_UNSUPPORTED, "reshapes %lld features to %lld",
                                    (long long) walk->features, (long long) target[1]);
      return VGG_STATUS_OK;
    }
  if (*step != STEP_POOL)
    return vgg_onnx_node_error (walk, VGG_STATUS_UNSUPPORTED, "the flatten must follow the last "
                                "MaxPool");
  if (walk->height > 0)
    walk->features = walk->channels * walk->height * walk->width;
  if (reshape && target[1] != -1 && (status = resolve_features (walk, target[1])))
    return status;
  walk->flat = true;
  return VGG_STATUS_OK;
}

VggStatus
vgg_onnx_read_average_pool (Walk *walk,
                            Step *step)
{
  const Onnx__NodeProto *node = walk->node;

  if (*step != STEP_POOL || walk->flat)
    return vgg_onnx_node_error (walk, VGG_STATUS_UNSUPPORTED, "average pooling is only accepted "
                                "right after the last MaxPool, where it is the identity");
  if (strcmp (node->op_type, "GlobalAveragePool") == 0)
    {
      if (walk->height > 0 && (walk->height != 1 || walk->width != 1))
        return vgg_onnx_node_error (walk, VGG_STATUS_UNSUPPORTED, "it averages a %lld×%lld map: "
                                    "not the identity, and VGG Scope's networks have no average "
                                    "pooling", (long long) walk->height, (long long) walk->width);
      walk->seen_global_pool = walk->height == 0;
      return VGG_STATUS_OK;
    }
  if (!vgg_onnx_attribute_present (node, "kernel_shape")
      || !vgg_onnx_attribute_ints_are (node, "kernel_shape", 2, 1)
      || !vgg_onnx_attribute_ints_are (node, "strides", 2, 1)
      || !vgg_onnx_attribute_ints_are (node, "pads", 4, 0))
    return vgg_onnx_node_error (walk, VGG_STATUS_UNSUPPORTED, "only a 1×1, stride-1 AveragePool "
                                "(the identity, as torch.onnx.export writes AdaptiveAvgPool2d at "
                                "224×224) is supported");
  return VGG_STATUS_OK;
}
