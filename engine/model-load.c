/* model-load.c — a weight file's tensors mapped onto VGG layers; architecture inference
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Key layouts understood (torchvision's state_dict names, and timm's for its VGG ports):
 *   torchvision  features.N.weight [out,in,3,3], features.N.bias; with BN features.(N+1).
 *                {weight,bias,running_mean,running_var}; classifier.K.{weight,bias} [out,in]
 *   timm         the same features; pre_logits.fc1 [4096,512,7,7], pre_logits.fc2
 *                [4096,4096,1,1], head.fc [classes,4096]
 * Pools are not stored; they are where the features indices skip one more slot than a
 * conv→conv step (torchvision's 'M' entries).
 */
#include "config.h"

#include "conversion-cache.h"
#include "engine-private.h"
#include "model-private.h"

#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define BN_EPSILON 1e-5

typedef struct
{
  int index;              /* N in features.N */
  const VggTensor *weight;
} ConvEntry;

typedef struct
{
  const VggTensor *weight;
  const VggTensor *bias;
  char weight_name[64];
  char bias_name[64];
} FcEntry;

static int
compare_conv (const void *a,
              const void *b)
{
  const ConvEntry *x = a, *y = b;
  return (x->index > y->index) - (x->index < y->index);
}

/* Parses "prefix<digits>.suffix" and returns the number, or -1. */
static long
parse_indexed (const char *name,
               const char *prefix,
               const char *suffix)
{
  size_t plen = strlen (prefix);
  const char *p;
  char *end;
  long value;

  if (strncmp (name, prefix, plen) != 0)
    return -1;
  p = name + plen;
  if (!isdigit ((unsigned char) *p))
    return -1;
  value = strtol (p, &end, 10);
  if (value < 0 || value > 100000 || strcmp (end, suffix) != 0)
    return -1;
  return value;
}

static void
format_shape (char *buffer, size_t size, const int64_t *shape, int ndim)
{
  size_t used = (size_t) snprintf (buffer, size, "[");

  for (int i = 0; i < ndim && used < size; i++)
    used += (size_t) snprintf (buffer + used, size - used, "%s%lld", i > 0 ? ", " : "",
                               (long long) shape[i]);
  if (used < size)
    snprintf (buffer + used, size - used, "]");
}

/* Looks up @name and checks its shape; a missing or misshapen tensor is an error naming it. */
static VggStatus
require_tensor (const VggTensorFile  *file,
                const char           *path,
                const char           *name,
                int                   ndim,
                const int64_t        *shape,
                const VggTensor     **tensor,
                VggError             *error)
{
  const VggTensor *t = vgg_tensor_file_find (file, name);
  char expected[96], found[96];
  bool match;

  format_shape (expected, sizeof expected, shape, ndim);
  if (t == NULL)
    return vgg_error_set (error, VGG_STATUS_SHAPE,
                          "%s: tensor '%s' is missing (expected shape %s)", path, name, expected);

  match = t->ndim == ndim;
  for (int i = 0; match && i < ndim; i++)
    match = t->shape[i] == shape[i];
  if (!match)
    {
      format_shape (found, sizeof found, t->shape, t->ndim);
      return vgg_error_set (error, VGG_STATUS_SHAPE,
                            "%s: tensor '%s' has shape %s, expected %s", path, name, found,
                            expected);
    }
  if (t->dtype != VGG_DTYPE_F32 && t->dtype != VGG_DTYPE_F16 && t->dtype != VGG_DTYPE_BF16
      && t->dtype != VGG_DTYPE_F64)
    return vgg_error_set (error, VGG_STATUS_UNSUPPORTED,
                          "%s: tensor '%s' has type %s; weights must be floating point", path,
                          name, vgg_dtype_name (t->dtype));
  *tensor = t;
  return VGG_STATUS_OK;
}

static float
half_to_float (uint16_t h)
{
  uint32_t sign = (uint32_t) (h & 0x8000) << 16;
  int exponent = (h >> 10) & 0x1f;
  uint32_t mantissa = h & 0x3ff;
  float value;

  if (exponent == 0)
    value = ldexpf ((float) mantissa, -24);
  else if (exponent == 31)
    value = mantissa != 0 ? NAN : INFINITY;
  else
    value = ldexpf ((float) (mantissa | 0x400), exponent - 25);
  return sign ? -value : value;
}

/* Element @i of @t as a float, whatever its floating dtype or alignment. */
static float
tensor_get (const VggTensor *t,
            size_t           i)
{
  const unsigned char *bytes = t->data;

  switch (t->dtype)
    {
    case VGG_DTYPE_F32:
      {
        float v;
        memcpy (&v, bytes + 4 * i, 4);
        return v;
      }
    case VGG_DTYPE_F64:
      {
        double v;
        memcpy (&v, bytes + 8 * i, 8);
        return (float) v;
      }
    case VGG_DTYPE_F16:
      {
        uint16_t v;
        memcpy (&v, bytes + 2 * i, 2);
        return half_to_float (v);
      }
    case VGG_DTYPE_BF16:
      {
        uint16_t v;
        uint32_t bits;
        float f;
        memcpy (&v, bytes + 2 * i, 2);
        bits = (uint32_t) v << 16;
        memcpy (&f, &bits, 4);
        return f;
      }
    default:
      return 0.0f;
    }
}

/* A tensor usable in place: F32 and 4-byte aligned. */
static bool
usable_in_place (const VggTensor *t)
{
  return t->dtype == VGG_DTYPE_F32 && ((uintptr_t) t->data & 3) == 0;
}

static void
copy_tensor (float           *dst,
             const VggTensor *t)
{
  if (t->dtype == VGG_DTYPE_F32)
    memcpy (dst, t->data, (size_t) t->count * sizeof (float));
  else
    for (int64_t i = 0; i < t->count; i++)
      dst[i] = tensor_get (t, (size_t) i);
}

typedef struct
{
  const VggTensor *weight, *bias;
  const VggTensor *bn_weight, *bn_bias, *bn_mean, *bn_var;
} LayerTensors;

static VggStatus
find_classifier (const VggTensorFile *file,
                 FcEntry             *fc,
                 int                 *n_fc,
                 bool                *timm)
{
  /* torchvision: classifier.K, sorted by K */
  int indices[VGG_MAX_FC + 2];
  int n = 0;

  *timm = false;
  for (size_t i = 0; i < file->n_tensors; i++)
    {
      long k = parse_indexed (file->tensors[i].name, "classifier.", ".weight");
      if (k < 0)
        continue;
      if (n == VGG_MAX_FC + 1)
        return VGG_STATUS_UNSUPPORTED;
      indices[n++] = (int) k;
    }
  for (int a = 1; a < n; a++)
    for (int b = a; b > 0 && indices[b - 1] > indices[b]; b--)
      {
        int t = indices[b];
        indices[b] = indices[b - 1];
        indices[b - 1] = t;
      }
  for (int i = 0; i < n; i++)
    {
      snprintf (fc[i].weight_name, sizeof fc[i].weight_name, "classifier.%d.weight", indices[i]);
      snprintf (fc[i].bias_name, sizeof fc[i].bias_name, "classifier.%d.bias", indices[i]);
      fc[i].weight = vgg_tensor_file_find (file, fc[i].weight_name);
    }
  if (n == 0 && vgg_tensor_file_find (file, "head.fc.weight") != NULL)
    {
      static const char *const names[3] = { "pre_logits.fc1", "pre_logits.fc2", "head.fc" };
      *timm = true;
      for (int i = 0; i < 3; i++)
        {
          snprintf (fc[n].weight_name, sizeof fc[n].weight_name, "%s.weight", names[i]);
          snprintf (fc[n].bias_name, sizeof fc[n].bias_name, "%s.bias", names[i]);
          fc[n].weight = vgg_tensor_file_find (file, fc[n].weight_name);
          if (fc[n].weight != NULL)
            n++;
        }
    }
  *n_fc = n;
  return VGG_STATUS_OK;
}

static VggStatus
infer_failed (ConvEntry *convs,
              VggStatus  status)
{
  free (convs);
  return status;
}

/* Infers the configuration from the tensors. */
static VggStatus
infer_config (const VggTensorFile *file,
              const char          *path,
              VggConfig           *config,
              ConvEntry          **convs_out,
              int                 *n_convs_out,
              FcEntry             *fc,
              int                 *n_fc,
              VggError            *error)
{
  ConvEntry *convs;
  int n_convs = 0;
  bool timm;
  int step, pool_step;

  memset (config, 0, sizeof *config);
  convs = calloc (file->n_tensors + 1, sizeof *convs);
  if (convs == NULL)
    return vgg_error_set (error, VGG_STATUS_NO_MEMORY, "out of memory");

  for (size_t i = 0; i < file->n_tensors; i++)
    {
      long k = parse_indexed (file->tensors[i].name, "features.", ".weight");
      if (k >= 0 && file->tensors[i].ndim == 4)
        {
          convs[n_convs].index = (int) k;
          convs[n_convs].weight = &file->tensors[i];
          n_convs++;
        }
    }
  if (n_convs == 0)
    {
      return infer_failed (convs, vgg_error_set (error, VGG_STATUS_UNSUPPORTED,
                            "%s: no VGG convolution weights found (expected tensors named "
                            "'features.N.weight' as torchvision and timm write them)", path));
    }
  qsort (convs, (size_t) n_convs, sizeof *convs, compare_conv);

  {
    char bn_key[64];
    snprintf (bn_key, sizeof bn_key, "features.%d.running_mean", convs[0].index + 1);
    config->batch_norm = vgg_tensor_file_find (file, bn_key) != NULL;
  }
  step = config->batch_norm ? 3 : 2;  /* conv, [bn], relu */
  pool_step = step + 1;               /* … then 'M' */

  if (convs[0].index != 0)
    {
      return infer_failed (convs, vgg_error_set (error, VGG_STATUS_UNSUPPORTED,
                            "%s: the first convolution is features.%d; a VGG starts at "
                            "features.0", path, convs[0].index));
    }
  config->n_blocks = 1;
  config->block_convs[0] = 1;
  for (int i = 1; i < n_convs; i++)
    {
      int gap = convs[i].index - convs[i - 1].index;

      if (gap == step)
        config->block_convs[config->n_blocks - 1]++;
      else if (gap == pool_step && config->n_blocks < VGG_MAX_BLOCKS)
        {
          config->n_blocks++;
          config->block_convs[config->n_blocks - 1] = 1;
        }
      else
        {
          return infer_failed (convs, vgg_error_set (error, VGG_STATUS_UNSUPPORTED,
                                "%s: features.%d follows features.%d: not a VGG layout "
                                "(convs %d apart, or %d across a max-pool)", path,
                                convs[i].index, convs[i - 1].index, step, pool_step));
        }
    }

  {
    const VggTensor *first = convs[0].weight;
    int c = 0;
    for (int i = 0, b = 0, k = 0; i < n_convs; i++)
      {
        const VggTensor *t = convs[i].weight;
        if (t->shape[0] < 1 || t->shape[0] > 16384)
          {
            return infer_failed (convs, vgg_error_set (error, VGG_STATUS_UNSUPPORTED,
                                  "%s: features.%d.weight has %lld output channels; a "
                                  "convolution has 1 to 16384", path, convs[i].index,
                                  (long long) t->shape[0]));
          }
        config->block_widths[b] = (int) t->shape[0];
        c = (int) t->shape[0];
        if (++k == config->block_convs[b])
          {
            b++;
            k = 0;
          }
      }
    (void) c;
    config->input_channels = (int) (first->shape[1] >= 1 && first->shape[1] <= 4
                                    ? first->shape[1] : 0);
    if (config->input_channels == 0)
      {
        return infer_failed (convs, vgg_error_set (error, VGG_STATUS_UNSUPPORTED,
                              "%s: features.0.weight expects %lld input channels (1 to 4 "
                              "supported)", path, (long long) first->shape[1]));
      }
  }

  if (find_classifier (file, fc, n_fc, &timm) != VGG_STATUS_OK)
    {
      return infer_failed (convs, vgg_error_set (error, VGG_STATUS_UNSUPPORTED,
                            "%s: more than %d fully connected layers", path, VGG_MAX_FC + 1));
    }

  if (*n_fc > 0)
    {
      const VggTensor *w0 = fc[0].weight;
      int64_t c_last = config->block_widths[config->n_blocks - 1];
      int64_t n_in, side;

      if (w0->ndim != 2 && w0->ndim != 4)
        {
          return infer_failed (convs, vgg_error_set (error, VGG_STATUS_SHAPE,
                                "%s: tensor '%s' has %d dimensions, expected 2", path,
                                fc[0].weight_name, w0->ndim));
        }
      n_in = w0->ndim == 2 ? w0->shape[1] : w0->shape[1] * w0->shape[2] * w0->shape[3];
      side = (int64_t) llround (sqrt ((double) n_in / (double) c_last));
      if (side < 1 || c_last * side * side != n_in)
        {
          return infer_failed (convs, vgg_error_set (error, VGG_STATUS_SHAPE,
                                "%s: tensor '%s' takes %lld inputs, which is not %lld channels "
                                "× a square map", path, fc[0].weight_name, (long long) n_in,
                                (long long) c_last));
        }
      config->input_height = config->input_width = (int) (side << config->n_blocks);
      config->n_hidden_fc = *n_fc - 1;
      for (int i = 0; i + 1 < *n_fc; i++)
        config->hidden_fc_widths[i] = (int) fc[i].weight->shape[0];
      config->n_classes = (int) fc[*n_fc - 1].weight->shape[0];
    }
  else
    {
      config->input_height = config->input_width = 224;
      config->n_classes = 0;
    }

  *convs_out = convs;
  *n_convs_out = n_convs;
  return VGG_STATUS_OK;
}

static void
apply_metadata (VggModel            *model,
                const VggTensorFile *file)
{
  const char *value;

  value = vgg_tensor_file_metadata (file, "vgg_scope.name");
  if (value != NULL && *value != '\0')
    snprintf (model->name, sizeof model->name, "%s", value);
  value = vgg_tensor_file_metadata (file, "vgg_scope.preset");
  if (value != NULL)
    vgg_preset_from_name (value, &model->preset);
  value = vgg_tensor_file_metadata (file, "vgg_scope.trained");
  if (value != NULL)
    model->trained = strcmp (value, "true") == 0;

  value = vgg_tensor_file_metadata (file, "vgg_scope.classes");
  if (value != NULL && model->config.n_classes > 0)
    {
      int n = model->config.n_classes;
      char *text = strdup (value);
      char **names = calloc ((size_t) n, sizeof *names);
      int found = 0;
      char *line = text;

      while (text != NULL && names != NULL && line != NULL && found < n)
        {
          char *next = strchr (line, '\n');
          if (next != NULL)
            *next++ = '\0';
          names[found++] = line;
          line = next;
        }
      if (text != NULL && names != NULL && found == n)
        {
          model->class_names = names;
          model->class_names_text = text;
        }
      else
        {
          free (names);
          free (text);
        }
    }
}

/* Every weight and bias the model will compute with (after conversion and batch-norm
 * folding) must be a finite number: a NaN would vanish through ReLU into a confident, wrong
 * prediction, an infinity into NaN probabilities. */
static VggStatus
check_finite (const VggModel     *model,
              const LayerTensors *tensors,
              const char         *path,
              VggError           *error)
{
  for (int i = 0; i < model->n_layers; i++)
    {
      const VggLayer *layer = &model->layers[i];
      const VggLayerWeights *w = &model->weights[i];
      const LayerTensors *lt = &tensors[i];
      size_t n_weight, n_bias = (size_t) layer->channels_out, at;
      const VggTensor *source;
      const float *values;

      if (lt->weight == NULL)
        continue;
      n_weight = (size_t) lt->weight->count;
      if ((at = vgg_find_non_finite (w->weight, n_weight)) < n_weight)
        source = lt->weight, values = w->weight;
      else if ((at = vgg_find_non_finite (w->bias, n_bias)) < n_bias)
        source = lt->bias, values = w->bias;
      else
        {
          /* a run reads a convolution's weights once more, to transform them, and then
           * never again: until then they need not stay resident beside the fully
           * connected layers' (the page cache keeps them) */
          if (layer->kind == VGG_LAYER_CONV)
            vgg_release_mapped_weights (w->weight, n_weight);
          continue;
        }
      if (lt->bn_weight != NULL)
        return vgg_error_set (error, VGG_STATUS_NOT_FINITE, "%s: tensor '%s' (layer %s) is %s "
                              "at element %zu once batch norm '%s' is folded in (a NaN or "
                              "infinite value, or a negative variance, in either); every "
                              "weight must be a finite number", path, source->name,
                              layer->name, vgg_non_finite_name (values[at]), at,
                              lt->bn_weight->name);
      return vgg_error_set (error, VGG_STATUS_NOT_FINITE, "%s: tensor '%s' (layer %s) holds %s "
                            "at element %zu of %lld; every weight must be a finite number",
                            path, source->name, layer->name,
                            vgg_non_finite_name (values[at]), at,
                            (long long) source->count);
    }
  return VGG_STATUS_OK;
}

/* Builds a model from @file's tensors; takes ownership of @file (freed on failure). @path
 * names the file in messages. */
static VggStatus
model_from_tensor_file (VggModel      **model_out,
                        VggTensorFile  *file,
                        const char     *path,
                        VggError       *error)
{
  VggModel *model = NULL;
  ConvEntry *convs = NULL;
  FcEntry fc[VGG_MAX_FC + 2];
  LayerTensors *tensors = NULL;
  VggConfig config;
  VggStatus status;
  int n_convs = 0, n_fc = 0;
  size_t owned = 0;
  float *p;

  *model_out = NULL;
  memset (fc, 0, sizeof fc);
  status = infer_config (file, path, &config, &convs, &n_convs, fc, &n_fc, error);
  if (status != VGG_STATUS_OK)
    goto fail;

  {
    const char *ch = vgg_tensor_file_metadata (file, "vgg_scope.input_size");
    if (ch != NULL && config.n_classes == 0)
      {
        int side = atoi (ch);
        if (side >= 1 && side <= 4096)
          config.input_height = config.input_width = side;
      }
  }

  status = vgg_model_new_for_config (&model, &config, error);
  if (status != VGG_STATUS_OK)
    {
      char message[VGG_ERROR_MESSAGE_SIZE];
      if (error != NULL)
        {
          snprintf (message, sizeof message, "%.200s: %.300s", path, error->message);
          vgg_error_set (error, status, "%s", message);
        }
      goto fail;
    }

  tensors = calloc ((size_t) model->n_layers, sizeof *tensors);
  if (tensors == NULL)
    {
      status = vgg_error_set (error, VGG_STATUS_NO_MEMORY, "out of memory");
      goto fail;
    }

  /* Check every tensor's shape and count what must be copied (BN-folded or unaligned). */
  for (int i = 0, conv = 0, f = 0; i < model->n_layers; i++)
    {
      const VggLayer *layer = &model->layers[i];
      LayerTensors *lt = &tensors[i];
      char name[64];
      int64_t shape[4];

      if (layer->kind == VGG_LAYER_CONV)
        {
          int idx = convs[conv++].index;

          shape[0] = layer->channels_out;
          shape[1] = layer->channels_in;
          shape[2] = shape[3] = 3;
          snprintf (name, sizeof name, "features.%d.weight", idx);
          if ((status = require_tensor (file, path, name, 4, shape, &lt->weight, error)))
            goto fail;
          snprintf (name, sizeof name, "features.%d.bias", idx);
          if ((status = require_tensor (file, path, name, 1, shape, &lt->bias, error)))
            goto fail;
          if (config.batch_norm)
            {
              static const char *const parts[4] = { "weight", "bias", "running_mean",
                                                    "running_var" };
              const VggTensor **slots[4] = { &lt->bn_weight, &lt->bn_bias, &lt->bn_mean,
                                             &lt->bn_var };
              for (int k = 0; k < 4; k++)
                {
                  snprintf (name, sizeof name, "features.%d.%s", idx + 1, parts[k]);
                  if ((status = require_tensor (file, path, name, 1, shape, slots[k], error)))
                    goto fail;
                }
              /* the folded weights and bias, then γ, β, mean, variance and the conv's own
               * bias kept for explaining the fold */
              owned += (size_t) layer->channels_out * (size_t) layer->channels_in * 9
                       + 6 * (size_t) layer->channels_out;
            }
          else
            {
              if (!usable_in_place (lt->weight))
                owned += (size_t) lt->weight->count;
              if (!usable_in_place (lt->bias))
                owned += (size_t) lt->bias->count;
            }
        }
      else if (layer->kind == VGG_LAYER_FC)
        {
          const FcEntry *entry = &fc[f++];
          int64_t n_in = (int64_t) layer->channels_in * layer->height_in * layer->width_in;
          int ndim = entry->weight->ndim;

          shape[0] = layer->channels_out;
          if (ndim == 4)
            {
              /* timm stores fc1 as a 7×7 conv and fc2 as a 1×1 conv: same memory layout */
              shape[1] = entry->weight->shape[1];
              shape[2] = entry->weight->shape[2];
              shape[3] = entry->weight->shape[3];
              if (shape[1] * shape[2] * shape[3] != n_in)
                shape[1] = n_in, shape[2] = shape[3] = 1;
            }
          else
            {
              ndim = 2;
              shape[1] = n_in;
            }
          if ((status = require_tensor (file, path, entry->weight_name, ndim, shape,
                                        &lt->weight, error)))
            goto fail;
          if ((status = require_tensor (file, path, entry->bias_name, 1, shape, &lt->bias,
                                        error)))
            goto fail;
          if (!usable_in_place (lt->weight))
            owned += (size_t) lt->weight->count;
          if (!usable_in_place (lt->bias))
            owned += (size_t) lt->bias->count;
        }
    }

  p = owned > 0 ? vgg_model_alloc_owned (model, owned) : NULL;
  if (config.batch_norm && owned > 0 && p != NULL)
    model->batch_norms = calloc ((size_t) model->n_layers, sizeof *model->batch_norms);
  if (owned > 0 && (p == NULL || (config.batch_norm && model->batch_norms == NULL)))
    {
      status = vgg_error_set (error, VGG_STATUS_NO_MEMORY,
                              "%s: out of memory for %zu MiB of converted weights", path,
                              owned * sizeof (float) >> 20);
      goto fail;
    }

  for (int i = 0; i < model->n_layers; i++)
    {
      const VggLayer *layer = &model->layers[i];
      LayerTensors *lt = &tensors[i];
      VggLayerWeights *w = &model->weights[i];

      if (lt->weight == NULL)
        continue;

      if (lt->bn_weight != NULL)
        {
          /* fold BN: w' = w·γ/√(σ²+ε), b' = (b − μ)·γ/√(σ²+ε) + β */
          size_t per_out = (size_t) layer->channels_in * 9;
          float *weight = p, *bias = p + (size_t) layer->channels_out * per_out;

          for (int o = 0; o < layer->channels_out; o++)
            {
              double scale = tensor_get (lt->bn_weight, (size_t) o)
                             / sqrt ((double) tensor_get (lt->bn_var, (size_t) o) + BN_EPSILON);

              for (size_t k = 0; k < per_out; k++)
                weight[o * per_out + k] = (float) (tensor_get (lt->weight, o * per_out + k)
                                                   * scale);
              bias[o] = (float) ((tensor_get (lt->bias, (size_t) o)
                                  - tensor_get (lt->bn_mean, (size_t) o)) * scale
                                 + tensor_get (lt->bn_bias, (size_t) o));
            }
          w->weight = weight;
          w->bias = bias;
          p = bias + layer->channels_out;

          /* the originals, for explaining the fold (vgg-unit.h) */
          {
            VggLayerBatchNorm *bn = &model->batch_norms[i];
            const VggTensor *sources[5] = { lt->bn_weight, lt->bn_bias, lt->bn_mean,
                                            lt->bn_var, lt->bias };
            const float **slots[5] = { &bn->gamma, &bn->beta, &bn->mean, &bn->var,
                                       &bn->conv_bias };

            for (int k = 0; k < 5; k++)
              {
                copy_tensor (p, sources[k]);
                *slots[k] = p;
                p += layer->channels_out;
              }
            bn->eps = BN_EPSILON;
          }
          continue;
        }

      if (usable_in_place (lt->weight))
        w->weight = lt->weight->data;
      else
        {
          copy_tensor (p, lt->weight);
          w->weight = p;
          p += lt->weight->count;
        }
      if (usable_in_place (lt->bias))
        w->bias = lt->bias->data;
      else
        {
          copy_tensor (p, lt->bias);
          w->bias = p;
          p += lt->bias->count;
        }
    }

  status = check_finite (model, tensors, path, error);
  if (status != VGG_STATUS_OK)
    goto fail;

  model->source = file->source;
  model->trained = true;
  model->preset = (config.input_channels == 3 && config.input_height == 224)
                  ? VGG_PRESET_TORCHVISION : VGG_PRESET_PLAIN;
  apply_metadata (model, file);
  model->file = file;
  free (tensors);
  free (convs);
  *model_out = model;
  return VGG_STATUS_OK;

fail:
  free (tensors);
  free (convs);
  vgg_model_free (model);  /* model->file is only set on success */
  vgg_tensor_file_free (file);
  return status;
}

VggStatus
vgg_model_load (VggModel   **model_out,
                const char  *path,
                VggError    *error)
{
  return vgg_model_load_with_options (model_out, path, NULL, error);
}

VggStatus
vgg_model_load_with_options (VggModel             **model_out,
                             const char            *path,
                             const VggLoadOptions  *options,
                             VggError              *error)
{
  static const VggLoadOptions defaults = { 0 };
  VggTensorFile *file = NULL;
  VggStatus status;
  VggSource converted_from = VGG_SOURCE_N_SOURCES;
  char cache[PATH_MAX];

  if (model_out == NULL || path == NULL)
    return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT, "no file name given");
  *model_out = NULL;
  if (options == NULL)
    options = &defaults;

  if (vgg_keras_h5_probe (path))
    converted_from = VGG_SOURCE_KERAS_H5;
  else if (vgg_onnx_probe (path))
    converted_from = VGG_SOURCE_ONNX;
  if (converted_from != VGG_SOURCE_N_SOURCES
      && vgg_conversion_cache_path (options->cache_dir, path, cache, sizeof cache)
      && vgg_safetensors_open (&file, cache, NULL) == VGG_STATUS_OK)
    {
      status = model_from_tensor_file (model_out, file, path, error);
      if (status == VGG_STATUS_OK)
        {
          (*model_out)->source = converted_from;
          return status;
        }
      /* an unusable cache entry: convert again below */
    }

  status = vgg_tensor_file_open_with_options (&file, path, options, error);
  if (status != VGG_STATUS_OK)
    return status;

  if (converted_from != VGG_SOURCE_N_SOURCES && file->map == NULL
      && vgg_conversion_cache_path (options->cache_dir, path, cache, sizeof cache)
      && vgg_conversion_cache_write (file, cache))
    {
      VggTensorFile *mapped = NULL;

      /* the same tensors, now mapped instead of held in memory */
      if (vgg_safetensors_open (&mapped, cache, NULL) == VGG_STATUS_OK)
        {
          vgg_tensor_file_free (file);
          file = mapped;
        }
    }
  status = model_from_tensor_file (model_out, file, path, error);
  if (status == VGG_STATUS_OK && converted_from != VGG_SOURCE_N_SOURCES)
    (*model_out)->source = converted_from;
  return status;
}

VggStatus
vgg_model_load_memory (VggModel   **model_out,
                       const void  *bytes,
                       size_t       size,
                       const char  *name,
                       VggError    *error)
{
  VggTensorFile *file = NULL;
  VggStatus status;

  if (model_out == NULL || bytes == NULL || name == NULL)
    return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT, "no weights given");
  *model_out = NULL;
  status = vgg_safetensors_open_memory (&file, bytes, size, name, error);
  if (status != VGG_STATUS_OK)
    return status;
  return model_from_tensor_file (model_out, file, name, error);
}
