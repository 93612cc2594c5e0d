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
 */
#include "config.h"

#include "converted-file.h"
#include "engine-private.h"
#include "tensor-file.h"
#include "onnx.pb-c.h"

#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
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
#define MAX_ALIAS_HOPS   8         /* Identity → Identity → … → initializer */
#define MAX_CHANNELS     16384
#define MAX_FC_WIDTH     (1 << 20)
#define MAX_TENSOR_COUNT ((int64_t) 1 << 31)
#define ENGINE_BN_EPSILON 1e-5

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

static const char *
node_label (const Onnx__NodeProto *node,
            char                  *buffer,
            size_t                 size)
{
  if (node->name != NULL && node->name[0] != '\0')
    snprintf (buffer, size, "'%.120s' (%.40s)", node->name, node->op_type);
  else if (node->n_output > 0 && node->output[0] != NULL)
    snprintf (buffer, size, "%.40s → '%.120s'", node->op_type, node->output[0]);
  else
    snprintf (buffer, size, "%.40s", node->op_type);
  return buffer;
}

/* An error naming the file and the node being read: "file: node 'x' (Conv): …". */
static VggStatus VGG_PRINTF (3, 4)
node_error (Walk       *walk,
            VggStatus   status,
            const char *format,
            ...)
{
  char label[200], prefix[VGG_ERROR_MESSAGE_SIZE];
  va_list args;

  if (walk->node == NULL)
    snprintf (prefix, sizeof prefix, "%s: ", walk->path);
  else
    snprintf (prefix, sizeof prefix, "%s: node %s: ", walk->path,
              node_label (walk->node, label, sizeof label));
  va_start (args, format);
  vgg_error_setv (walk->error, status, prefix, format, args);
  va_end (args);
  return status;
}

static const Onnx__AttributeProto *
find_attribute (const Onnx__NodeProto *node,
                const char            *name)
{
  for (size_t i = 0; i < node->n_attribute; i++)
    if (node->attribute[i]->name != NULL && strcmp (node->attribute[i]->name, name) == 0)
      return node->attribute[i];
  return NULL;
}

static int64_t
attribute_int (const Onnx__NodeProto *node,
               const char            *name,
               int64_t                fallback)
{
  const Onnx__AttributeProto *a = find_attribute (node, name);

  return a != NULL && a->has_i ? a->i : fallback;
}

static double
attribute_float (const Onnx__NodeProto *node,
                 const char            *name,
                 double                 fallback)
{
  const Onnx__AttributeProto *a = find_attribute (node, name);

  return a != NULL && a->has_f ? a->f : fallback;
}

/* True when attribute @name is absent or a list of @n values all equal to @value. */
static bool
attribute_ints_are (const Onnx__NodeProto *node,
                    const char            *name,
                    size_t                 n,
                    int64_t                value)
{
  const Onnx__AttributeProto *a = find_attribute (node, name);

  if (a == NULL)
    return true;
  if (a->n_ints != n)
    return false;
  for (size_t i = 0; i < n; i++)
    if (a->ints[i] != value)
      return false;
  return true;
}

static bool
attribute_present (const Onnx__NodeProto *node,
                   const char            *name)
{
  return find_attribute (node, name) != NULL;
}

/* A string attribute compared with @value; absent counts as @fallback. */
static bool
attribute_string_is (const Onnx__NodeProto *node,
                     const char            *name,
                     const char            *value,
                     bool                   fallback)
{
  const Onnx__AttributeProto *a = find_attribute (node, name);

  if (a == NULL || !a->has_s)
    return fallback;
  return a->s.len == strlen (value) && memcmp (a->s.data, value, a->s.len) == 0;
}

/* The initializer or Constant value called @name, or NULL; Identity nodes of constants (torch's
 * exporter writes them when two parameters are equal and it keeps one copy) are followed. */
static Onnx__TensorProto *
find_value (Walk       *walk,
            const char *name)
{
  Onnx__GraphProto *graph = walk->graph;

  for (int hops = 0; hops <= MAX_ALIAS_HOPS && name != NULL && name[0] != '\0'; hops++)
    {
      const char *alias = NULL;

      for (size_t i = 0; i < graph->n_initializer; i++)
        if (graph->initializer[i]->name != NULL && strcmp (graph->initializer[i]->name, name) == 0)
          return graph->initializer[i];
      for (size_t i = 0; i < graph->n_node && alias == NULL; i++)
        {
          const Onnx__NodeProto *node = graph->node[i];

          if (node->op_type == NULL || node->n_output != 1 || node->output[0] == NULL
              || strcmp (node->output[0], name) != 0)
            continue;
          if (strcmp (node->op_type, "Constant") == 0)
            {
              const Onnx__AttributeProto *value = find_attribute (node, "value");
              return value != NULL ? value->t : NULL;
            }
          if (strcmp (node->op_type, "Identity") == 0 && node->n_input == 1)
            alias = node->input[0];
          else
            return NULL;
        }
      name = alias;
    }
  return NULL;
}

/* Counts, once, how many node inputs use each initializer (through Identity aliases too):
 * only an initializer used once can be taken over. */
static bool
count_uses (Walk *walk)
{
  Onnx__GraphProto *graph = walk->graph;

  walk->uses = calloc (graph->n_initializer + 1, sizeof *walk->uses);
  if (walk->uses == NULL)
    return false;
  for (size_t i = 0; i < graph->n_node; i++)
    {
      const Onnx__NodeProto *node = graph->node[i];

      if (node->op_type != NULL && strcmp (node->op_type, "Identity") == 0)
        continue;
      for (size_t k = 0; k < node->n_input; k++)
        {
          const Onnx__TensorProto *tensor = find_value (walk, node->input[k]);

          for (size_t t = 0; tensor != NULL && t < graph->n_initializer; t++)
            if (graph->initializer[t] == tensor)
              walk->uses[t]++;
        }
    }
  return true;
}

/* Whether @tensor is an initializer that only one node input uses. */
static bool
used_once (Walk                    *walk,
           const Onnx__TensorProto *tensor)
{
  for (size_t t = 0; t < walk->graph->n_initializer; t++)
    if (walk->graph->initializer[t] == tensor)
      return walk->uses[t] == 1;
  return false;
}

/* Input @index of the node, which must be a constant tensor. */
static VggStatus
node_value (Walk                *walk,
            size_t               index,
            const char          *role,
            Onnx__TensorProto  **tensor)
{
  const Onnx__NodeProto *node = walk->node;

  if (index >= node->n_input || node->input[index] == NULL || node->input[index][0] == '\0')
    return node_error (walk, VGG_STATUS_FORMAT, "the %s (input %zu) is missing", role, index);
  *tensor = find_value (walk, node->input[index]);
  if (*tensor == NULL)
    return node_error (walk, VGG_STATUS_UNSUPPORTED, "the %s '%.100s' is not an initializer: "
                       "the graph is not a VGG chain", role, node->input[index]);
  return VGG_STATUS_OK;
}

/* Checks @tensor's dims equal @shape (@ndim of them), naming it otherwise. */
static VggStatus
check_dims (Walk                    *walk,
            const Onnx__TensorProto *tensor,
            int                      ndim,
            const int64_t           *shape)
{
  char found[96] = "[", expected[96] = "[";
  bool match = tensor->n_dims == (size_t) ndim;

  for (int i = 0; match && i < ndim; i++)
    match = tensor->dims[i] == shape[i];
  if (match)
    return VGG_STATUS_OK;
  for (size_t i = 0; i < tensor->n_dims && i < 8; i++)
    snprintf (found + strlen (found), sizeof found - strlen (found), "%s%lld", i ? ", " : "",
              (long long) tensor->dims[i]);
  for (int i = 0; i < ndim; i++)
    snprintf (expected + strlen (expected), sizeof expected - strlen (expected), "%s%lld",
              i ? ", " : "", (long long) shape[i]);
  strcat (found, "]");
  strcat (expected, "]");
  return node_error (walk, VGG_STATUS_SHAPE, "initializer '%.100s' has shape %s, expected %s",
                     tensor->name != NULL ? tensor->name : "", found, expected);
}

/* The float32 data of @tensor (whose dims have been checked to hold @count elements), in a
 * malloc()ed block the caller owns: raw_data is taken over, float_data copied. */
static VggStatus
tensor_floats (Walk              *walk,
               Onnx__TensorProto *tensor,
               int64_t            count,
               float            **data)
{
  const char *name = tensor->name != NULL ? tensor->name : "";

  *data = NULL;
  if (tensor->n_external_data > 0
      || (tensor->has_data_location
          && tensor->data_location == ONNX__TENSOR_PROTO__DATA_LOCATION__EXTERNAL))
    return node_error (walk, VGG_STATUS_UNSUPPORTED, "initializer '%.100s' is stored outside the "
                       "file (external data), which VGG Scope does not read", name);
  if (!tensor->has_data_type || tensor->data_type != ONNX__TENSOR_PROTO__DATA_TYPE__FLOAT)
    return node_error (walk, VGG_STATUS_UNSUPPORTED, "initializer '%.100s' has element type %d; "
                       "weights must be float32 (type 1)", name, (int) tensor->data_type);
  if (count < 0 || count > MAX_TENSOR_COUNT)
    return node_error (walk, VGG_STATUS_TOO_LARGE, "initializer '%.100s' has %lld elements; a "
                       "tensor has 0 to 2^31", name, (long long) count);

  if (tensor->has_raw_data && tensor->raw_data.len > 0)
    {
      if (tensor->raw_data.len != (size_t) count * sizeof (float))
        return node_error (walk, VGG_STATUS_FORMAT, "initializer '%.100s' holds %zu bytes of "
                           "raw data, its shape needs %lld", name, tensor->raw_data.len,
                           (long long) count * 4);
      if (((uintptr_t) tensor->raw_data.data & 3) == 0 && used_once (walk, tensor))
        {
          /* protobuf-c malloc()ed it; take it over instead of copying */
          *data = (float *) tensor->raw_data.data;
          tensor->raw_data.data = NULL;
          tensor->raw_data.len = 0;
          return VGG_STATUS_OK;
        }
      *data = malloc ((size_t) count * sizeof (float));
      if (*data == NULL)
        return node_error (walk, VGG_STATUS_NO_MEMORY, "out of memory");
      memcpy (*data, tensor->raw_data.data, (size_t) count * sizeof (float));
      return VGG_STATUS_OK;
    }
  if (tensor->n_float_data != (size_t) count)
    return node_error (walk, VGG_STATUS_FORMAT, "initializer '%.100s' holds %zu values, its "
                       "shape needs %lld", name,
                       tensor->n_float_data, (long long) count);
  *data = malloc ((size_t) (count > 0 ? count : 1) * sizeof (float));
  if (*data == NULL)
    return node_error (walk, VGG_STATUS_NO_MEMORY, "out of memory");
  memcpy (*data, tensor->float_data, (size_t) count * sizeof (float));
  return VGG_STATUS_OK;
}

static VggStatus
emit (Walk          *walk,
      const char    *name,
      int            ndim,
      const int64_t *shape,
      float         *data)
{
  if (vgg_tensor_file_find (walk->file, name) != NULL)
    {
      free (data);
      return node_error (walk, VGG_STATUS_FORMAT, "tensor '%s' made twice", name);
    }
  if (!vgg_converted_file_add (walk->file, name, ndim, shape, data))
    return node_error (walk, VGG_STATUS_NO_MEMORY, "out of memory");
  return VGG_STATUS_OK;
}

/* A 1-D per-channel initializer ([n], or [1, n] for Gemm's bias) as floats. */
static VggStatus
vector_input (Walk     *walk,
              size_t    index,
              const char *role,
              int64_t   n,
              bool      allow_row,
              float   **data)
{
  Onnx__TensorProto *tensor;
  VggStatus status;

  if ((status = node_value (walk, index, role, &tensor)))
    return status;
  if (allow_row && tensor->n_dims == 2 && tensor->dims[0] == 1)
    {
      int64_t shape[2] = { 1, n };
      status = check_dims (walk, tensor, 2, shape);
    }
  else
    status = check_dims (walk, tensor, 1, &n);
  if (status != VGG_STATUS_OK)
    return status;
  return tensor_floats (walk, tensor, n, data);
}

static VggStatus
read_conv (Walk *walk,
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
    return node_error (walk, VGG_STATUS_UNSUPPORTED, "a convolution must follow the input, a "
                       "Relu or a MaxPool");
  if (walk->flat)
    return node_error (walk, VGG_STATUS_UNSUPPORTED, "a convolution after the flatten");
  if ((status = node_value (walk, 1, "weight", &weight_tensor)))
    return status;
  if (weight_tensor->n_dims != 4)
    return node_error (walk, VGG_STATUS_UNSUPPORTED, "the weight has %zu dimensions; a 2-D "
                       "convolution has 4", weight_tensor->n_dims);
  out = weight_tensor->dims[0];
  in = walk->channels > 0 ? walk->channels : weight_tensor->dims[1];
  if (out < 1 || out > MAX_CHANNELS || in < 1 || in > MAX_CHANNELS)
    return node_error (walk, VGG_STATUS_UNSUPPORTED, "%lld → %lld channels is beyond the "
                       "engine's limits (1 to %d each)", (long long) weight_tensor->dims[1],
                       (long long) out, MAX_CHANNELS);
  shape[0] = out;
  shape[1] = in;
  shape[2] = shape[3] = 3;
  if ((status = check_dims (walk, weight_tensor, 4, shape)))
    return status;
  if (!attribute_ints_are (node, "kernel_shape", 2, 3)
      || !attribute_ints_are (node, "strides", 2, 1)
      || !attribute_ints_are (node, "dilations", 2, 1) || attribute_int (node, "group", 1) != 1)
    return node_error (walk, VGG_STATUS_UNSUPPORTED, "VGG convolutions are 3×3, stride 1, "
                       "without dilation or groups");
  if (attribute_string_is (node, "auto_pad", "SAME_UPPER", false)
      || attribute_string_is (node, "auto_pad", "SAME_LOWER", false))
    ;
  else if (!attribute_string_is (node, "auto_pad", "NOTSET", true)
           || !attribute_present (node, "pads") || !attribute_ints_are (node, "pads", 4, 1))
    return node_error (walk, VGG_STATUS_UNSUPPORTED, "VGG convolutions pad by 1 on every side "
                       "(pads [1, 1, 1, 1])");

  if (new_block)
    {
      if (config->n_blocks == VGG_MAX_BLOCKS)
        return node_error (walk, VGG_STATUS_UNSUPPORTED, "more than %d blocks", VGG_MAX_BLOCKS);
      config->n_blocks++;
      config->block_widths[config->n_blocks - 1] = (int) out;
    }
  else if (out != config->block_widths[config->n_blocks - 1])
    return node_error (walk, VGG_STATUS_UNSUPPORTED, "%lld filters where the block's first "
                       "convolution has %d; VGG blocks have one width", (long long) out,
                       config->block_widths[config->n_blocks - 1]);
  config->block_convs[config->n_blocks - 1]++;
  if (walk->channels == 0)
    config->input_channels = (int) in;

  if ((status = tensor_floats (walk, weight_tensor, out * in * 9, &weight)))
    return status;
  snprintf (name, sizeof name, "features.%d.weight", walk->feature_index);
  if ((status = emit (walk, name, 4, shape, weight)))
    return status;
  if (node->n_input >= 3 && node->input[2] != NULL && node->input[2][0] != '\0')
    status = vector_input (walk, 2, "bias", out, false, &bias);
  else if ((bias = calloc ((size_t) out, sizeof (float))) == NULL)
    status = node_error (walk, VGG_STATUS_NO_MEMORY, "out of memory");
  if (status != VGG_STATUS_OK)
    return status;
  snprintf (name, sizeof name, "features.%d.bias", walk->feature_index);
  if ((status = emit (walk, name, 1, &out, bias)))
    return status;

  walk->channels = out;
  walk->feature_index++;
  *step = STEP_CONV;
  return VGG_STATUS_OK;
}

static VggStatus
read_batch_norm (Walk *walk,
                 Step *step)
{
  static const char *const parts[4] = { "weight", "bias", "running_mean", "running_var" };
  static const char *const roles[4] = { "scale", "B", "mean", "var" };
  const Onnx__NodeProto *node = walk->node;
  VggConfig *config = &walk->config;
  bool first = config->n_blocks == 1 && config->block_convs[0] == 1;
  double epsilon = attribute_float (node, "epsilon", 1e-5);
  float *values[4] = { NULL };
  int64_t n = walk->channels;
  VggStatus status = VGG_STATUS_OK;

  if (*step != STEP_CONV)
    return node_error (walk, VGG_STATUS_UNSUPPORTED, "BatchNormalization must follow a "
                       "convolution");
  if (!first && !config->batch_norm)
    return node_error (walk, VGG_STATUS_UNSUPPORTED, "the first convolution has no "
                       "BatchNormalization but this one has");
  if (attribute_int (node, "spatial", 1) != 1 || attribute_int (node, "training_mode", 0) != 0)
    return node_error (walk, VGG_STATUS_UNSUPPORTED, "only inference-mode, per-channel "
                       "(spatial) batch normalisation is supported");
  if (!(epsilon >= 0 && epsilon < 1))
    return node_error (walk, VGG_STATUS_UNSUPPORTED, "epsilon %g", epsilon);
  config->batch_norm = true;

  for (int k = 0; k < 4 && status == VGG_STATUS_OK; k++)
    status = vector_input (walk, (size_t) k + 1, roles[k], n, false, &values[k]);
  if (status == VGG_STATUS_OK)
    for (int64_t c = 0; c < n; c++)
      {
        /* the engine folds with ε = 1e-5: var + ε = (var + ε − 1e-5) + 1e-5 */
        double var = (double) values[3][c] + epsilon;

        if (!(var > 0))
          {
            status = node_error (walk, VGG_STATUS_FORMAT, "running variance + epsilon is not "
                                 "positive for channel %lld", (long long) c);
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
      status = emit (walk, name, 1, &n, values[k]);
    }
  if (status != VGG_STATUS_OK)
    return status;
  walk->feature_index++;
  *step = STEP_BN;
  return VGG_STATUS_OK;
}

static VggStatus
read_max_pool (Walk *walk,
               Step *step)
{
  const Onnx__NodeProto *node = walk->node;

  if (*step != STEP_RELU || walk->flat)
    return node_error (walk, VGG_STATUS_UNSUPPORTED, "a MaxPool must follow a convolution's "
                       "Relu");
  if (!attribute_ints_are (node, "kernel_shape", 2, 2) || !attribute_present (node, "strides")
      || !attribute_ints_are (node, "strides", 2, 2) || !attribute_ints_are (node, "pads", 4, 0)
      || !attribute_ints_are (node, "dilations", 2, 1) || attribute_int (node, "ceil_mode", 0) != 0
      || !(attribute_string_is (node, "auto_pad", "NOTSET", true)
           || attribute_string_is (node, "auto_pad", "VALID", false)))
    return node_error (walk, VGG_STATUS_UNSUPPORTED, "VGG max-pools are 2×2 with stride 2 and "
                       "no padding");
  if (walk->height > 0)
    {
      if (walk->height % 2 != 0 || walk->width % 2 != 0)
        return node_error (walk, VGG_STATUS_UNSUPPORTED, "max-pooling a %lld×%lld map (odd "
                           "sizes are not supported)", (long long) walk->height,
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
        return node_error (walk, VGG_STATUS_SHAPE, "takes %lld inputs, but the flattened "
                           "features are %lld (%lld×%lld×%lld)", (long long) n_in,
                           (long long) walk->features, (long long) walk->channels,
                           (long long) walk->height, (long long) walk->width);
      return VGG_STATUS_OK;
    }
  while (side <= 4096 && walk->channels * side * side < n_in)
    side++;
  if (side > 4096 || walk->channels * side * side != n_in)
    return node_error (walk, VGG_STATUS_SHAPE, "takes %lld inputs, which is not %lld channels × "
                       "a square map", (long long) n_in, (long long) walk->channels);
  if (walk->seen_global_pool && side != 1)
    return node_error (walk, VGG_STATUS_UNSUPPORTED, "the GlobalAveragePool before it averages "
                       "a %lld×%lld map: not the identity, and VGG Scope's networks have no "
                       "average pooling", (long long) side, (long long) side);
  walk->height = walk->width = side;
  walk->features = n_in;
  return VGG_STATUS_OK;
}

/* Gemm, or MatMul followed by an optional Add (consumed here: *next is advanced). */
static VggStatus
read_linear (Walk   *walk,
             Step   *step,
             size_t *next)
{
  const Onnx__NodeProto *node = walk->node;
  bool gemm = strcmp (node->op_type, "Gemm") == 0;
  bool trans_b = gemm && attribute_int (node, "transB", 0) != 0;
  double alpha = gemm ? attribute_float (node, "alpha", 1.0) : 1.0;
  double beta = gemm ? attribute_float (node, "beta", 1.0) : 1.0;
  Onnx__TensorProto *weight_tensor;
  float *weight = NULL, *bias = NULL;
  int64_t n_in, n_out, shape[2];
  char name[64];
  VggStatus status;
  VggConfig *config = &walk->config;

  if (!walk->flat)
    return node_error (walk, VGG_STATUS_UNSUPPORTED, "a fully connected layer needs a Flatten "
                       "or Reshape before it");
  if (*step == STEP_FC)
    return node_error (walk, VGG_STATUS_UNSUPPORTED, "two fully connected layers without a "
                       "Relu between them");
  if (*step != STEP_POOL && *step != STEP_FC_RELU)
    return node_error (walk, VGG_STATUS_UNSUPPORTED, "a fully connected layer here is not part "
                       "of a VGG");
  if (walk->n_fc == VGG_MAX_FC + 1)
    return node_error (walk, VGG_STATUS_UNSUPPORTED, "more than %d fully connected layers",
                       VGG_MAX_FC + 1);
  if (gemm && attribute_int (node, "transA", 0) != 0)
    return node_error (walk, VGG_STATUS_UNSUPPORTED, "transA is not supported");
  if ((status = node_value (walk, 1, "weight", &weight_tensor)))
    return status;
  if (weight_tensor->n_dims != 2)
    return node_error (walk, VGG_STATUS_UNSUPPORTED, "the weight has %zu dimensions, expected 2",
                       weight_tensor->n_dims);
  n_in = weight_tensor->dims[trans_b ? 1 : 0];
  n_out = weight_tensor->dims[trans_b ? 0 : 1];
  if (n_out < 1 || n_out > MAX_FC_WIDTH || n_in < 1 || n_in > MAX_TENSOR_COUNT / n_out)
    return node_error (walk, VGG_STATUS_UNSUPPORTED, "a %lld × %lld weight is beyond the "
                       "engine's limits (1 to %d outputs, at most 2^31 weights)",
                       (long long) weight_tensor->dims[0], (long long) weight_tensor->dims[1],
                       MAX_FC_WIDTH);
  if (walk->n_fc == 0 && (status = resolve_features (walk, n_in)))
    return status;
  if (n_in != walk->features)
    return node_error (walk, VGG_STATUS_SHAPE, "takes %lld inputs, the layer before gives %lld",
                       (long long) n_in, (long long) walk->features);

  if ((status = tensor_floats (walk, weight_tensor, n_in * n_out, &weight)))
    return status;
  if (!trans_b)
    {
      /* [in, out] → [out, in] */
      float *transposed = malloc ((size_t) (n_in * n_out) * sizeof (float));

      if (transposed == NULL)
        {
          free (weight);
          return node_error (walk, VGG_STATUS_NO_MEMORY, "out of memory");
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
  if ((status = emit (walk, name, 2, shape, weight)))
    return status;

  if (gemm && node->n_input >= 3 && node->input[2] != NULL && node->input[2][0] != '\0')
    status = vector_input (walk, 2, "bias", n_out, true, &bias);
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
        return node_error (walk, VGG_STATUS_UNSUPPORTED, "an Add after a MatMul must add a "
                           "bias to its product");
      status = vector_input (walk, strcmp (add->input[0], product) == 0 ? 1 : 0, "bias", n_out,
                             true, &bias);
      (*next)++;
    }
  else if ((bias = calloc ((size_t) n_out, sizeof (float))) == NULL)
    status = node_error (walk, VGG_STATUS_NO_MEMORY, "out of memory");
  if (status != VGG_STATUS_OK)
    return status;
  if (beta != 1.0)
    for (int64_t i = 0; i < n_out; i++)
      bias[i] = (float) (bias[i] * beta);
  snprintf (name, sizeof name, "classifier.%d.bias", 3 * walk->n_fc);
  if ((status = emit (walk, name, 1, &n_out, bias)))
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

  if ((status = node_value (walk, 1, "target shape", &shape)))
    return status;
  if (!shape->has_data_type || shape->data_type != ONNX__TENSOR_PROTO__DATA_TYPE__INT64
      || shape->n_dims != 1 || shape->dims[0] != 2)
    return node_error (walk, VGG_STATUS_UNSUPPORTED, "only a reshape to two dimensions "
                       "(a flatten) is supported");
  *n = 2;
  if (shape->n_int64_data == 2)
    memcpy (target, shape->int64_data, 2 * sizeof (int64_t));
  else if (shape->has_raw_data && shape->raw_data.len == 2 * sizeof (int64_t))
    memcpy (target, shape->raw_data.data, 2 * sizeof (int64_t));
  else
    return node_error (walk, VGG_STATUS_FORMAT, "the target shape has no data");
  return VGG_STATUS_OK;
}

static VggStatus
read_flatten (Walk *walk,
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
        return node_error (walk, VGG_STATUS_UNSUPPORTED, "a reshape to [%lld, %lld] is not a "
                           "flatten", (long long) target[0], (long long) target[1]);
    }
  else if (attribute_int (node, "axis", 1) != 1)
    return node_error (walk, VGG_STATUS_UNSUPPORTED, "only a Flatten with axis 1 is supported");

  if (walk->flat)
    {
      /* on [N, F] it changes nothing */
      if (reshape && target[1] != -1 && target[1] != walk->features)
        return node_error (walk, VGG_STATUS_UNSUPPORTED, "reshapes %lld features to %lld",
                           (long long) walk->features, (long long) target[1]);
      return VGG_STATUS_OK;
    }
  if (*step != STEP_POOL)
    return node_error (walk, VGG_STATUS_UNSUPPORTED, "the flatten must follow the last "
                       "MaxPool");
  if (walk->height > 0)
    walk->features = walk->channels * walk->height * walk->width;
  if (reshape && target[1] != -1 && (status = resolve_features (walk, target[1])))
    return status;
  walk->flat = true;
  return VGG_STATUS_OK;
}

static VggStatus
read_average_pool (Walk *walk,
                   Step *step)
{
  const Onnx__NodeProto *node = walk->node;

  if (*step != STEP_POOL || walk->flat)
    return node_error (walk, VGG_STATUS_UNSUPPORTED, "average pooling is only accepted right "
                       "after the last MaxPool, where it is the identity");
  if (strcmp (node->op_type, "GlobalAveragePool") == 0)
    {
      if (walk->height > 0 && (walk->height != 1 || walk->width != 1))
        return node_error (walk, VGG_STATUS_UNSUPPORTED, "it averages a %lld×%lld map: not the "
                           "identity, and VGG Scope's networks have no average pooling",
                           (long long) walk->height, (long long) walk->width);
      walk->seen_global_pool = walk->height == 0;
      return VGG_STATUS_OK;
    }
  if (!attribute_present (node, "kernel_shape") || !attribute_ints_are (node, "kernel_shape", 2, 1)
      || !attribute_ints_are (node, "strides", 2, 1) || !attribute_ints_are (node, "pads", 4, 0))
    return node_error (walk, VGG_STATUS_UNSUPPORTED, "only a 1×1, stride-1 AveragePool (the "
                       "identity, as torch.onnx.export writes AdaptiveAvgPool2d at 224×224) is "
                       "supported");
  return VGG_STATUS_OK;
}

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
  if (!count_uses (walk))
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
        return node_error (walk, VGG_STATUS_UNSUPPORTED, "operators of domain '%.60s' are not "
                           "supported", node->domain);
      if (strcmp (op, "Constant") == 0)
        continue;   /* looked up by name when a node uses it */
      if (strcmp (op, "Identity") == 0 && node->n_input == 1
          && find_value (walk, node->input[0]) != NULL)
        continue;   /* an alias of a constant, likewise */
      if (node->n_input < 1 || node->input[0] == NULL || node->n_output < 1
          || node->output[0] == NULL || node->output[0][0] == '\0')
        return node_error (walk, VGG_STATUS_FORMAT, "a node without input or output");
      if (strcmp (node->input[0], walk->current) != 0)
        return node_error (walk, VGG_STATUS_UNSUPPORTED, "takes '%.100s', not the previous "
                           "layer's output '%.100s': the graph is not a VGG chain",
                           node->input[0], walk->current);

      if (strcmp (op, "Conv") == 0)
        status = read_conv (walk, &step);
      else if (strcmp (op, "BatchNormalization") == 0)
        status = read_batch_norm (walk, &step);
      else if (strcmp (op, "Relu") == 0)
        {
          status = VGG_STATUS_OK;
          if (step == STEP_CONV && walk->config.batch_norm)
            status = node_error (walk, VGG_STATUS_UNSUPPORTED, "this convolution has no "
                                 "BatchNormalization but the first one has");
          else if (step == STEP_CONV || step == STEP_BN)
            {
              walk->feature_index++;
              step = STEP_RELU;
            }
          else if (step == STEP_FC)
            step = STEP_FC_RELU;
          else
            status = node_error (walk, VGG_STATUS_UNSUPPORTED, "a Relu here is not part of a "
                                 "VGG");
        }
      else if (strcmp (op, "MaxPool") == 0)
        {
          status = read_max_pool (walk, &step);
          n_pools++;
        }
      else if (strcmp (op, "AveragePool") == 0 || strcmp (op, "GlobalAveragePool") == 0)
        status = read_average_pool (walk, &step);
      else if (strcmp (op, "Flatten") == 0 || strcmp (op, "Reshape") == 0)
        status = read_flatten (walk, &step);
      else if (strcmp (op, "Gemm") == 0 || strcmp (op, "MatMul") == 0)
        status = read_linear (walk, &step, &i);
      else if (strcmp (op, "Softmax") == 0)
        {
          int64_t axis = attribute_int (node, "axis", 1);

          status = VGG_STATUS_OK;
          if (step != STEP_FC)
            status = node_error (walk, VGG_STATUS_UNSUPPORTED, "a Softmax must come right after "
                                 "the last fully connected layer");
          else if (axis != 1 && axis != -1)
            status = node_error (walk, VGG_STATUS_UNSUPPORTED, "a Softmax over axis %lld",
                                 (long long) axis);
          step = STEP_SOFTMAX;
        }
      else if (strcmp (op, "Dropout") == 0 || strcmp (op, "Identity") == 0)
        {
          status = VGG_STATUS_OK;
          if (node->n_input >= 3 && node->input[2] != NULL && node->input[2][0] != '\0')
            status = node_error (walk, VGG_STATUS_UNSUPPORTED, "Dropout with a training_mode "
                                 "input");
          else if (step == STEP_START)
            status = node_error (walk, VGG_STATUS_UNSUPPORTED, "the graph starts with %s", op);
        }
      else
        status = node_error (walk, VGG_STATUS_UNSUPPORTED, "operator %.60s is not part of a "
                             "VGG (VGG Scope reads Conv, BatchNormalization, Relu, MaxPool, "
                             "Flatten, Reshape, Gemm, MatMul + Add, Dropout and Softmax)", op);
      if (status != VGG_STATUS_OK)
        return status;

      /* the chain goes on from this node's (or the consumed Add's) first output */
      last = graph->node[i - 1];
      walk->current = last->output[0];
      if (step == STEP_SOFTMAX && i < graph->n_node)
        {
          walk->node = graph->node[i];
          if (walk->node->op_type != NULL && strcmp (walk->node->op_type, "Constant") != 0)
            return node_error (walk, VGG_STATUS_UNSUPPORTED, "nothing may follow the Softmax");
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
