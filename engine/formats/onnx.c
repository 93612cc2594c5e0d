/* onnx.c — ONNX VGG graphs (model zoo, torch.onnx.export) as torchvision-named tensors
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The file is a protobuf ModelProto (onnx.proto, decoded with protobuf-c). Its graph must be
 * a VGG chain: every node takes the previous node's output as its data input and everything
 * else from initializers (or Constant nodes). Ops, in order:
 *
 *   features    (Conv [BatchNormalization] Relu)+ MaxPool, repeated per block
 *   identity    AveragePool 1×1/1 and GlobalAveragePool on a 1×1 map (what torch.onnx.export
 *               makes of torchvision's AdaptiveAvgPool2d((7, 7)) at 224×224 and of
 *               AdaptiveAvgPool2d(1) when pool5 is 1×1); Dropout; Identity; Flatten on 2-D
 *   flatten     Flatten (axis 1) or Reshape to [0 | -1 | 1, -1 | C·H·W]: C,H,W order, as
 *               torchvision flattens
 *   classifier  (Gemm | MatMul [Add]) Relu, …, then the last (Gemm | MatMul [Add]) and an
 *               optional Softmax over the classes
 *
 * Anything else is refused with a message naming the node. Conv must be 3×3, stride 1,
 * padding 1, no dilation or groups; MaxPool 2×2 stride 2. The graph may stop after the last
 * MaxPool (feature maps only).
 *
 * Output tensors follow torchvision's state dict, numbered the way make_layers() numbers
 * features (Conv, BN, ReLU and MaxPool each take one index) and classifier layers 0, 3, 6, …:
 *   features.N.weight [out, in, 3, 3], features.N.bias (zeros when the Conv has none),
 *   features.(N+1).{weight, bias, running_mean, running_var} for BN (running_var shifted by
 *   ε − 1e-5, since the engine folds BN with ε = 1e-5), classifier.K.weight [out, in] (alpha
 *   and transB applied), classifier.K.bias (× beta).
 *
 * Hostile files: the file is walked once before decoding, with a nesting limit and a limit on
 * the number of messages (protobuf-c would recurse without bound and allocate a struct per
 * empty message); every count, dimension and product is checked; raw_data must have exactly
 * the bytes its dims say. Weights decoded from raw_data are taken over, not copied, unless
 * several nodes share them.
 *
 * This file holds the wire-format checks, the probe, the graph walk and the loader; what a
 * node refers to is found by onnx-nodes.c, each operator is read by onnx-layers.c, and the
 * walk's state they share is in onnx-walk.h.
 */
#include "config.h"

#include "converted-file.h"
#include "engine-private.h"
#include "onnx-walk.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_FILE_SIZE    ((size_t) 2 << 30)   /* protobuf's own limit; bigger means external data */
#define MAX_NESTING      24
#define MAX_MESSAGES     1000000
#define MAX_NODES        1024      /* VGG19-BN has about 60 */
#define MAX_INITIALIZERS 1024
#define MAX_NODE_INPUTS  4096      /* over all nodes */

/* ---------------------------------------------------------------------------------------------
 * Wire-format checks (before protobuf-c sees the bytes)
 */

static bool
read_varint (const uint8_t *data,
             size_t         size,
             size_t        *offset,
             uint64_t      *value)
{
  uint64_t result = 0;

  for (int shift = 0; shift < 64; shift += 7)
    {
      uint8_t byte;

      if (*offset >= size)
        return false;
      byte = data[(*offset)++];
      result |= (uint64_t) (byte & 0x7f) << shift;
      if ((byte & 0x80) == 0)
        {
          *value = result;
          return true;
        }
    }
  return false;
}

/* Walks the fields of one message of @descriptor in @data, descending into sub-messages;
 * false on malformed wire data, nesting deeper than MAX_NESTING or too many messages. */
static bool
check_message (const uint8_t                    *data,
               size_t                            size,
               const ProtobufCMessageDescriptor *descriptor,
               int                               depth,
               size_t                           *n_messages)
{
  size_t offset = 0;

  if (depth > MAX_NESTING || ++*n_messages > MAX_MESSAGES)
    return false;
  while (offset < size)
    {
      const ProtobufCFieldDescriptor *field;
      uint64_t tag, value;

      if (!read_varint (data, size, &offset, &tag) || (tag >> 3) == 0 || (tag >> 3) > 536870911)
        return false;
      switch (tag & 7)
        {
        case PROTOBUF_C_WIRE_TYPE_VARINT:
          if (!read_varint (data, size, &offset, &value))
            return false;
          break;
        case PROTOBUF_C_WIRE_TYPE_64BIT:
          if (size - offset < 8)
            return false;
          offset += 8;
          break;
        case PROTOBUF_C_WIRE_TYPE_32BIT:
          if (size - offset < 4)
            return false;
          offset += 4;
          break;
        case PROTOBUF_C_WIRE_TYPE_LENGTH_PREFIXED:
          if (!read_varint (data, size, &offset, &value) || value > size - offset)
            return false;
          field = protobuf_c_message_descriptor_get_field (descriptor, (unsigned) (tag >> 3));
          if (field != NULL && field->type == PROTOBUF_C_TYPE_MESSAGE
              && !check_message (data + offset, (size_t) value, field->descriptor, depth + 1,
                                 n_messages))
            return false;
          offset += (size_t) value;
          break;
        default:
          return false;   /* groups: not in onnx.proto, and protobuf-c refuses them */
        }
    }
  return true;
}

/* A ModelProto starts with ir_version (field 1, a varint) and, serialised in field order,
 * reaches its graph (field 7) after at most producer_name, producer_version, domain,
 * model_version and doc_string. */
bool
vgg_onnx_probe (const char *path)
{
  static const uint8_t wire_types[8] = { 0, 0, 2, 2, 2, 0, 2, 2 };  /* by field number */
  struct stat st;
  uint64_t offset = 0;
  bool found = false;
  int fd = vgg_open_regular_file (path, &st, NULL);

  if (fd < 0)
    return false;
  if (st.st_size < 4)
    {
      close (fd);
      return false;
    }
  for (int n_fields = 0; n_fields < 16 && offset < (uint64_t) st.st_size; n_fields++)
    {
      uint8_t head[24];
      ssize_t got = pread (fd, head, sizeof head, (off_t) offset);
      size_t at = 0;
      uint64_t tag, value;
      unsigned number;

      if (got <= 0 || !read_varint (head, (size_t) got, &at, &tag))
        break;
      number = (unsigned) (tag >> 3);
      if (number < 1 || number > 7 || (tag & 7) != wire_types[number]
          || (n_fields == 0) != (number == 1))
        break;
      if (!read_varint (head, (size_t) got, &at, &value))
        break;
      if (number == 1 && (value < 1 || value > 100))
        break;
      if ((tag & 7) == PROTOBUF_C_WIRE_TYPE_LENGTH_PREFIXED)
        {
          /* a graph longer than the file is a truncated ONNX file: let the loader say so */
          if (number == 7)
            {
              found = true;
              break;
            }
          if (value > (uint64_t) st.st_size - offset - at)
            break;
          offset += at + value;
        }
      else
        offset += at;
    }
  close (fd);
  return found;
}

/* ---------------------------------------------------------------------------------------------
 * The graph walk
 */

/* Reads the graph's data input: the one graph input that is not an initializer. */
static VggStatus
read_input (Walk *walk)
{
  Onnx__GraphProto *graph = walk->graph;
  const Onnx__ValueInfoProto *input = NULL;

  for (size_t i = 0; i < graph->n_input; i++)
    {
      const Onnx__ValueInfoProto *candidate = graph->input[i];
      bool initializer = false;

      if (candidate->name == NULL)
        continue;
      for (size_t k = 0; k < graph->n_initializer && !initializer; k++)
        initializer = graph->initializer[k]->name != NULL
                      && strcmp (graph->initializer[k]->name, candidate->name) == 0;
      if (initializer)
        continue;
      if (input != NULL)
        return vgg_error_set (walk->error, VGG_STATUS_UNSUPPORTED, "%s: the graph has several "
                              "inputs ('%.100s', '%.100s'); a VGG has one image", walk->path,
                              input->name, candidate->name);
      input = candidate;
    }
  if (input == NULL)
    return vgg_error_set (walk->error, VGG_STATUS_FORMAT, "%s: the graph has no input",
                          walk->path);
  walk->current = input->name;

  if (input->type != NULL && input->type->value_case == ONNX__TYPE_PROTO__VALUE_TENSOR_TYPE
      && input->type->tensor_type != NULL)
    {
      const Onnx__TypeProto__Tensor *tensor = input->type->tensor_type;
      int64_t dims[4] = { 0 };

      if (tensor->has_elem_type && tensor->elem_type != ONNX__TENSOR_PROTO__DATA_TYPE__FLOAT)
        return vgg_error_set (walk->error, VGG_STATUS_UNSUPPORTED, "%s: the input '%.100s' has "
                              "element type %d, not float32", walk->path, input->name,
                              (int) tensor->elem_type);
      if (tensor->shape != NULL)
        {
          if (tensor->shape->n_dim != 4)
            return vgg_error_set (walk->error, VGG_STATUS_UNSUPPORTED, "%s: the input '%.100s' "
                                  "has %zu dimensions; a VGG takes [N, C, H, W]", walk->path,
                                  input->name, tensor->shape->n_dim);
          for (int i = 1; i < 4; i++)
            {
              const Onnx__TensorShapeProto__Dimension *dim = tensor->shape->dim[i];

              if (dim->value_case == ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_VALUE)
                {
                  if (dim->dim_value < 1 || dim->dim_value > 65536)
                    return vgg_error_set (walk->error, VGG_STATUS_UNSUPPORTED, "%s: the input "
                                          "'%.100s' has a dimension of %lld (1 to 65536 "
                                          "read)", walk->path, input->name,
                                          (long long) dim->dim_value);
                  dims[i] = dim->dim_value;
                }
            }
          if ((dims[2] > 0) != (dims[3] > 0) || dims[2] != dims[3])
            return vgg_error_set (walk->error, VGG_STATUS_UNSUPPORTED, "%s: the input '%.100s' "
                                  "is not square (%lld×%lld)", walk->path, input->name,
                                  (long long) dims[2], (long long) dims[3]);
          walk->channels = dims[1];
          walk->height = dims[2];
          walk->width = dims[3];
          if (dims[1] > 0)
            walk->config.input_channels = (int) dims[1];
        }
    }
  walk->config.input_height = walk->config.input_width = (int) walk->height;
  return VGG_STATUS_OK;
}

static VggStatus
walk_graph (Walk *walk)
{
  Onnx__GraphProto *graph = walk->graph;
  Step step = STEP_START;
  VggStatus status;
  int64_t input_size = 0;
  int n_pools = 0;
  size_t n_inputs = 0;

  for (size_t i = 0; i < graph->n_node && i < MAX_NODES; i++)
    n_inputs += graph->node[i]->n_input;
  if (graph->n_node == 0 || graph->n_node > MAX_NODES || graph->n_initializer > MAX_INITIALIZERS
      || n_inputs > MAX_NODE_INPUTS)
    return vgg_error_set (walk->error, VGG_STATUS_UNSUPPORTED, "%s: the graph has %zu nodes, "
                          "%zu node inputs and %zu initializers (a VGG has at most %d, %d and "
                          "%d)", walk->path, graph->n_node, n_inputs, graph->n_initializer,
                          MAX_NODES, MAX_NODE_INPUTS, MAX_INITIALIZERS);
  if (!vgg_onnx_count_uses (walk))
    return vgg_error_set (walk->error, VGG_STATUS_NO_MEMORY, "out of memory");
  if ((status = read_input (walk)))
    return status;

  for (size_t i = 0; i < graph->n_node; )
    {
      const Onnx__NodeProto *node = graph->node[i++];
      const char *op = node->op_type != NULL ? node->op_type : "";
      const Onnx__NodeProto *last;

      walk->node = node;
      if (node->domain != NULL && node->domain[0] != '\0' && strcmp (node->domain, "ai.onnx") != 0)
        return vgg_onnx_node_error (walk, VGG_STATUS_UNSUPPORTED, "operators of domain '%.60s' are "
                                    "not supported", node->domain);
      if (strcmp (op, "Constant") == 0)
        continue;   /* looked up by name when a node uses it */
      if (strcmp (op, "Identity") == 0 && node->n_input == 1
          && vgg_onnx_find_value (walk, node->input[0]) != NULL)
        continue;   /* an alias of a constant, likewise */
      if (node->n_input < 1 || node->input[0] == NULL || node->n_output < 1
          || node->output[0] == NULL || node->output[0][0] == '\0')
        return vgg_onnx_node_error (walk, VGG_STATUS_FORMAT, "a node without input or output");
      if (strcmp (node->input[0], walk->current) != 0)
        return vgg_onnx_node_error (walk, VGG_STATUS_UNSUPPORTED, "takes '%.100s', not the "
                                    "previous layer's output '%.100s': the graph is not a VGG "
                                    "chain", node->input[0], walk->current);

      if (strcmp (op, "Conv") == 0)
        status = vgg_onnx_read_conv (walk, &step);
      else if (strcmp (op, "BatchNormalization") == 0)
        status = vgg_onnx_read_batch_norm (walk, &step);
      else if (strcmp (op, "Relu") == 0)
        {
          status = VGG_STATUS_OK;
          if (step == STEP_CONV && walk->config.batch_norm)
            status = vgg_onnx_node_error (walk, VGG_STATUS_UNSUPPORTED, "this convolution has no "
                                          "BatchNormalization but the first one has");
          else if (step == STEP_CONV || step == STEP_BN)
            {
              walk->feature_index++;
              step = STEP_RELU;
            }
          else if (step == STEP_FC)
            step = STEP_FC_RELU;
          else
            status = vgg_onnx_node_error (walk, VGG_STATUS_UNSUPPORTED, "a Relu here is not part "
                                          "of a VGG");
        }
      else if (strcmp (op, "MaxPool") == 0)
        {
          status = vgg_onnx_read_max_pool (walk, &step);
          n_pools++;
        }
      else if (strcmp (op, "AveragePool") == 0 || strcmp (op, "GlobalAveragePool") == 0)
        status = vgg_onnx_read_average_pool (walk, &step);
      else if (strcmp (op, "Flatten") == 0 || strcmp (op, "Reshape") == 0)
        status = vgg_onnx_read_flatten (walk, &step);
      else if (strcmp (op, "Gemm") == 0 || strcmp (op, "MatMul") == 0)
        status = vgg_onnx_read_linear (walk, &step, &i);
      else if (strcmp (op, "Softmax") == 0)
        {
          int64_t axis = vgg_onnx_attribute_int (node, "axis", 1);

          status = VGG_STATUS_OK;
          if (step != STEP_FC)
            status = vgg_onnx_node_error (walk, VGG_STATUS_UNSUPPORTED, "a Softmax must come right "
                                          "after the last fully connected layer");
          else if (axis != 1 && axis != -1)
            status = vgg_onnx_node_error (walk, VGG_STATUS_UNSUPPORTED, "a Softmax over axis %lld",
                                          (long long) axis);
          step = STEP_SOFTMAX;
        }
      else if (strcmp (op, "Dropout") == 0 || strcmp (op, "Identity") == 0)
        {
          status = VGG_STATUS_OK;
          if (node->n_input >= 3 && node->input[2] != NULL && node->input[2][0] != '\0')
            status = vgg_onnx_node_error (walk, VGG_STATUS_UNSUPPORTED, "Dropout with a "
                                          "training_mode input");
          else if (step == STEP_START)
            status = vgg_onnx_node_error (walk, VGG_STATUS_UNSUPPORTED, "the graph starts with %s",
                                          op);
        }
      else
        status = vgg_onnx_node_error (walk, VGG_STATUS_UNSUPPORTED, "operator %.60s is not part of "
                                      "a VGG (VGG Scope reads Conv, BatchNormalization, Relu, "
                                      "MaxPool, Flatten, Reshape, Gemm, MatMul + Add, Dropout and "
                                      "Softmax)", op);
      if (status != VGG_STATUS_OK)
        return status;

      /* the chain goes on from this node's (or the consumed Add's) first output */
      last = graph->node[i - 1];
      walk->current = last->output[0];
      if (step == STEP_SOFTMAX && i < graph->n_node)
        {
          walk->node = graph->node[i];
          if (walk->node->op_type != NULL && strcmp (walk->node->op_type, "Constant") != 0)
            return vgg_onnx_node_error (walk, VGG_STATUS_UNSUPPORTED, "nothing may follow the "
                                        "Softmax");
        }
    }
  walk->node = NULL;

  if (graph->n_output != 1 || graph->output[0]->name == NULL
      || strcmp (graph->output[0]->name, walk->current) != 0)
    return vgg_error_set (walk->error, VGG_STATUS_UNSUPPORTED, "%s: the graph's output%s must be "
                          "the last node's output '%.100s' alone", walk->path,
                          graph->n_output == 1 ? "" : "s", walk->current);
  if (step == STEP_FC_RELU)
    return vgg_error_set (walk->error, VGG_STATUS_UNSUPPORTED, "%s: the graph ends with a Relu "
                          "after its last fully connected layer (VGG's classifier has none)",
                          walk->path);
  if (step == STEP_POOL && walk->flat)
    return vgg_error_set (walk->error, VGG_STATUS_UNSUPPORTED, "%s: the graph ends with a "
                          "flatten and no classifier", walk->path);
  if (step != STEP_POOL && step != STEP_FC && step != STEP_SOFTMAX)
    return vgg_error_set (walk->error, VGG_STATUS_UNSUPPORTED, "%s: the graph ends inside a "
                          "convolution block (a VGG block ends with a MaxPool)", walk->path);

  /* metadata */
  if (walk->n_fc > 0)
    {
      walk->config.n_hidden_fc = walk->n_fc - 1;
      walk->config.n_classes = (int) walk->features;
      input_size = walk->height << n_pools;
    }
  else
    input_size = walk->config.input_height > 0 ? walk->config.input_height : 224;
  if (!vgg_converted_file_set_metadata (walk->file, "vgg_scope.trained", "true")
      || !vgg_converted_file_name_model (walk->file, &walk->config, "ONNX"))
    return vgg_error_set (walk->error, VGG_STATUS_NO_MEMORY, "out of memory");
  if (walk->n_fc == 0)
    {
      char size[32];

      snprintf (size, sizeof size, "%lld", (long long) input_size);
      if (!vgg_converted_file_set_metadata (walk->file, "vgg_scope.input_size", size))
        return vgg_error_set (walk->error, VGG_STATUS_NO_MEMORY, "out of memory");
    }
  if (input_size == 224 && walk->config.input_channels == 3
      && !vgg_converted_file_set_metadata (walk->file, "vgg_scope.preset", "torchvision"))
    return vgg_error_set (walk->error, VGG_STATUS_NO_MEMORY, "out of memory");
  return VGG_STATUS_OK;
}

VggStatus
vgg_onnx_open (VggTensorFile **file_out,
               const char     *path,
               VggError       *error)
{
  VggMappedFile map = { 0 };
  Onnx__ModelProto *model = NULL;
  Walk walk = { .path = path, .error = error };
  size_t n_messages = 0;
  VggStatus status;

  if (file_out == NULL || path == NULL)
    return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT, "no file to open");
  *file_out = NULL;

  status = vgg_mapped_file_open (&map, path, error);
  if (status != VGG_STATUS_OK)
    return status;
  if (map.size > MAX_FILE_SIZE)
    {
      vgg_mapped_file_close (&map);
      return vgg_error_set (error, VGG_STATUS_TOO_LARGE, "%s: an ONNX file of %zu bytes, larger "
                            "than protobuf's limit of 2 GiB", path, map.size);
    }
  if (!check_message (map.data, map.size, &onnx__model_proto__descriptor, 0, &n_messages))
    {
      vgg_mapped_file_close (&map);
      return vgg_error_set (error, VGG_STATUS_FORMAT, "%s: not a valid ONNX file (damaged, "
                            "truncated, or nested more than %d deep)", path, MAX_NESTING);
    }
  model = onnx__model_proto__unpack (NULL, map.size, map.data);
  vgg_mapped_file_close (&map);
  if (model == NULL)
    return vgg_error_set (error, VGG_STATUS_FORMAT, "%s: not a valid ONNX file (the protobuf "
                          "does not decode as a ModelProto)", path);
  if (model->graph == NULL)
    {
      onnx__model_proto__free_unpacked (model, NULL);
      return vgg_error_set (error, VGG_STATUS_FORMAT, "%s: the ONNX model has no graph", path);
    }

  walk.graph = model->graph;
  walk.file = vgg_converted_file_new (VGG_SOURCE_ONNX);
  if (walk.file == NULL)
    status = vgg_error_set (error, VGG_STATUS_NO_MEMORY, "out of memory");
  else
    status = walk_graph (&walk);
  onnx__model_proto__free_unpacked (model, NULL);
  free (walk.uses);
  if (status != VGG_STATUS_OK)
    {
      vgg_tensor_file_free (walk.file);
      return status;
    }
  *file_out = walk.file;
  return VGG_STATUS_OK;
}
