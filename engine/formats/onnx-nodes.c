/* onnx-nodes.c — what an ONNX node refers to, and the tensors made of it
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A node's attributes; its constant inputs (initializers, Constant nodes, Identity aliases of
 * them) found by name and checked against the shape a layer expects; their float32 data,
 * taken over from the decoded protobuf when only one node uses it; the tensors added to the
 * converted file; and the messages that name the node being read.
 */
#include "config.h"

#include "converted-file.h"
#include "engine-private.h"
#include "onnx-walk.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ALIAS_HOPS   8         /* Identity → Identity → … → initializer */

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
VggStatus VGG_PRINTF (3, 4)
vgg_onnx_node_error (Walk       *walk,
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

int64_t
vgg_onnx_attribute_int (const Onnx__NodeProto *node,
                        const char            *name,
                        int64_t                fallback)
{
  const Onnx__AttributeProto *a = find_attribute (node, name);

  return a != NULL && a->has_i ? a->i : fallback;
}

double
vgg_onnx_attribute_float (const Onnx__NodeProto *node,
                          const char            *name,
                          double                 fallback)
{
  const Onnx__AttributeProto *a = find_attribute (node, name);

  return a != NULL && a->has_f ? a->f : fallback;
}

/* True when attribute @name is absent or a list of @n values all equal to @value. */
bool
vgg_onnx_attribute_ints_are (const Onnx__NodeProto *node,
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

bool
vgg_onnx_attribute_present (const Onnx__NodeProto *node,
                            const char            *name)
{
  return find_attribute (node, name) != NULL;
}

/* A string attribute compared with @value; absent counts as @fallback. */
bool
vgg_onnx_attribute_string_is (const Onnx__NodeProto *node,
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
Onnx__TensorProto *
vgg_onnx_find_value (Walk       *walk,
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
bool
vgg_onnx_count_uses (Walk *walk)
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
          const Onnx__TensorProto *tensor = vgg_onnx_find_value (walk, node->input[k]);

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
VggStatus
vgg_onnx_node_value (Walk                *walk,
                     size_t               index,
                     const char          *role,
                     Onnx__TensorProto  **tensor)
{
  const Onnx__NodeProto *node = walk->node;

  if (index >= node->n_input || node->input[index] == NULL || node->input[index][0] == '\0')
    return vgg_onnx_node_error (walk, VGG_STATUS_FORMAT, "the %s (input %zu) is missing", role,
                                index);
  *tensor = vgg_onnx_find_value (walk, node->input[index]);
  if (*tensor == NULL)
    return vgg_onnx_node_error (walk, VGG_STATUS_UNSUPPORTED, "the %s '%.100s' is not an "
                                "initializer: the graph is not a VGG chain", role,
                                node->input[index]);
  return VGG_STATUS_OK;
}

/* Checks @tensor's dims equal @shape (@ndim of them), naming it otherwise. */
VggStatus
vgg_onnx_check_dims (Walk                    *walk,
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
  return vgg_onnx_node_error (walk, VGG_STATUS_SHAPE, "initializer '%.100s' has shape %s, "
                              "expected %s", tensor->name != NULL ? tensor->name : "", found,
                              expected);
}

/* The float32 data of @tensor (whose dims have been checked to hold @count elements), in a
 * malloc()ed block the caller owns: raw_data is taken over, float_data copied. */
VggStatus
vgg_onnx_tensor_floats (Walk              *walk,
                        Onnx__TensorProto *tensor,
                        int64_t            count,
                        float            **data)
{
  const char *name = tensor->name != NULL ? tensor->name : "";

  *data = NULL;
  if (tensor->n_external_data > 0
      || (tensor->has_data_location
          && tensor->data_location == ONNX__TENSOR_PROTO__DATA_LOCATION__EXTERNAL))
    return vgg_onnx_node_error (walk, VGG_STATUS_UNSUPPORTED, "initializer '%.100s' is stored "
                                "outside the file (external data), which VGG Scope does not read",
                                name);
  if (!tensor->has_data_type || tensor->data_type != ONNX__TENSOR_PROTO__DATA_TYPE__FLOAT)
    return vgg_onnx_node_error (walk, VGG_STATUS_UNSUPPORTED, "initializer '%.100s' has element "
                                "type %d; weights must be float32 (type 1)", name,
                                (int) tensor->data_type);
  if (count < 0 || count > MAX_TENSOR_COUNT)
    return vgg_onnx_node_error (walk, VGG_STATUS_TOO_LARGE, "initializer '%.100s' has %lld "
                                "elements; a tensor has 0 to 2^31", name, (long long) count);

  if (tensor->has_raw_data && tensor->raw_data.len > 0)
    {
      if (tensor->raw_data.len != (size_t) count * sizeof (float))
        return vgg_onnx_node_error (walk, VGG_STATUS_FORMAT, "initializer '%.100s' holds %zu bytes "
                                    "of raw data, its shape needs %lld", name, tensor->raw_data.len,
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
        return vgg_onnx_node_error (walk, VGG_STATUS_NO_MEMORY, "out of memory");
      memcpy (*data, tensor->raw_data.data, (size_t) count * sizeof (float));
      return VGG_STATUS_OK;
    }
  if (tensor->n_float_data != (size_t) count)
    return vgg_onnx_node_error (walk, VGG_STATUS_FORMAT, "initializer '%.100s' holds %zu values, "
                                "its shape needs %lld", name, tensor->n_float_data,
                                (long long) count);
  *data = malloc ((size_t) (count > 0 ? count : 1) * sizeof (float));
  if (*data == NULL)
    return vgg_onnx_node_error (walk, VGG_STATUS_NO_MEMORY, "out of memory");
  memcpy (*data, tensor->float_data, (size_t) count * sizeof (float));
  return VGG_STATUS_OK;
}

VggStatus
vgg_onnx_emit (Walk          *walk,
               const char    *name,
               int            ndim,
               const int64_t *shape,
               float         *data)
{
  if (vgg_tensor_file_find (walk->file, name) != NULL)
    {
      free (data);
      return vgg_onnx_node_error (walk, VGG_STATUS_FORMAT, "tensor '%s' made twice", name);
    }
  if (!vgg_converted_file_add (walk->file, name, ndim, shape, data))
    return vgg_onnx_node_error (walk, VGG_STATUS_NO_MEMORY, "out of memory");
  return VGG_STATUS_OK;
}

/* A 1-D per-channel initializer ([n], or [1, n] for Gemm's bias) as floats. */
VggStatus
vgg_onnx_vector_input (Walk       *walk,
                       size_t      index,
                       const char *role,
                       int64_t     n,
                       bool        allow_row,
                       float     **data)
{
  Onnx__TensorProto *tensor;
  VggStatus status;

  if ((status = vgg_onnx_node_value (walk, index, role, &tensor)))
    return status;
  if (allow_row && tensor->n_dims == 2 && tensor->dims[0] == 1)
    {
      int64_t shape[2] = { 1, n };
      status = vgg_onnx_check_dims (walk, tensor, 2, shape);
    }
  else
    status = vgg_onnx_check_dims (walk, tensor, 1, &n);
  if (status != VGG_STATUS_OK)
    return status;
  return vgg_onnx_tensor_floats (walk, tensor, n, data);
}
