/* layout.c — torchvision's module layout for a model, the weights under its keys, and text
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * torchvision numbers `features` as make_layers() builds it: Conv2d, [BatchNorm2d], ReLU per
 * convolution and a MaxPool2d per block, each one index; `classifier` as Linear, ReLU,
 * Dropout per hidden layer and the last Linear (0, 3, 6 for VGG). The loader accepts only
 * that numbering for `features` (model-load.c), so a file's features keys always match it;
 * its classifier may be numbered otherwise (0, 2, 4: no Dropout slots), which the script then
 * follows, as long as each hidden Linear leaves at least a slot for its ReLU.
 */
#include "config.h"

#include "code-private.h"
#include "safetensors-writer.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- text ---- */

static void
text_append_length (VggCodeText *text,
                    const char  *piece,
                    size_t       length)
{
  if (text->failed)
    return;
  if (text->length + length + 1 > text->allocated)
    {
      size_t n = text->allocated > 0 ? text->allocated : 4096;
      char *data;

      while (n < text->length + length + 1)
        n *= 2;
      data = realloc (text->data, n);
      if (data == NULL)
        {
          text->failed = true;
          return;
        }
      text->data = data;
      text->allocated = n;
    }
  memcpy (text->data + text->length, piece, length);
  text->length += length;
  text->data[text->length] = '\0';
}

void
vgg_code_text_append (VggCodeText *text,
                      const char  *piece)
{
  text_append_length (text, piece, strlen (piece));
}

void
vgg_code_text_printf (VggCodeText *text,
                      const char  *format,
                      ...)
{
  char buffer[1024];
  va_list args;
  int n;

  va_start (args, format);
  n = vsnprintf (buffer, sizeof buffer, format, args);
  va_end (args);
  if (n < 0 || (size_t) n >= sizeof buffer)
    text->failed = true;
  else
    text_append_length (text, buffer, (size_t) n);
}

/* Columns of UTF-8 text (code points; the scripts use no wide characters). */
static int
columns_of (const char *s)
{
  int n = 0;

  for (; *s != '\0'; s++)
    if (((unsigned char) *s & 0xc0) != 0x80)
      n++;
  return n;
}

void
vgg_code_text_commented (VggCodeText *text,
                         int          column,
                         const char  *code,
                         const char  *comment)
{
  int used = columns_of (code);

  vgg_code_text_append (text, code);
  if (comment != NULL && comment[0] != '\0')
    {
      int pad = used + 2 > column ? 2 : column - used;
      vgg_code_text_printf (text, "%*s# %s", pad, "", comment);
    }
  vgg_code_text_append (text, "\n");
}

void
vgg_code_text_python_string (VggCodeText *text,
                             const char  *value)
{
  vgg_code_text_append (text, "\"");
  for (const unsigned char *p = (const unsigned char *) value; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        {
          char escaped[3] = { '\\', (char) *p, '\0' };
          vgg_code_text_append (text, escaped);
        }
      else if (*p < 0x20 || *p == 0x7f)
        vgg_code_text_printf (text, "\\x%02x", *p);
      else
        text_append_length (text, (const char *) p, 1);
    }
  vgg_code_text_append (text, "\"");
}

void
vgg_code_text_comment_safe (VggCodeText *text,
                            const char  *value)
{
  for (const unsigned char *p = (const unsigned char *) value; *p != '\0'; p++)
    text_append_length (text, *p < 0x20 || *p == 0x7f ? " " : (const char *) p, 1);
}

/* ---- layout ---- */

/* "dropout 0.3" in the training settings the engine's trainer writes; torchvision's 0.5
 * otherwise. */
static double
dropout_of (const VggModel *model)
{
  const char *settings = model->file != NULL
                         ? vgg_tensor_file_metadata (model->file, "vgg_scope.train.settings")
                         : NULL;
  const char *at = settings != NULL ? strstr (settings, "dropout ") : NULL;
  double p;

  if (at != NULL && sscanf (at + 8, "%lf", &p) == 1 && p >= 0.0 && p < 1.0)
    return p;
  return 0.5;
}

static int
compare_int (const void *a,
             const void *b)
{
  int x = *(const int *) a, y = *(const int *) b;
  return (x > y) - (x < y);
}

/* The file's own classifier numbering, if it has one the script can follow. */
static bool
file_classifier (const VggModel *model,
                 int             n_fc,
                 int            *indices)
{
  int n = 0;

  for (size_t i = 0; i < model->file->n_tensors; i++)
    {
      const char *name = model->file->tensors[i].name;
      char *end;
      long k;

      if (strncmp (name, "classifier.", 11) != 0)
        continue;
      k = strtol (name + 11, &end, 10);
      if (end == name + 11 || strcmp (end, ".weight") != 0 || k < 0 || k > 1000)
        continue;
      if (n == n_fc)
        return false;
      indices[n++] = (int) k;
    }
  if (n != n_fc)
    return false;
  qsort (indices, (size_t) n, sizeof *indices, compare_int);
  if (n > 0 && indices[0] != 0)
    return false;
  for (int f = 1; f < n; f++)
    if (indices[f] - indices[f - 1] < 2)   /* no slot for the ReLU */
      return false;
  return true;
}

/* Whether @name is one of the keys the script's state_dict() has. */
static bool
is_expected_key (const VggModel      *model,
                 const VggCodeLayout *layout,
                 const char          *name)
{
  char key[64];

  for (int i = 0, f = 0; i < model->n_layers; i++)
    {
      const VggLayer *layer = &model->layers[i];
      static const char *const conv_parts[2] = { "weight", "bias" };
      static const char *const bn_parts[5] = { "weight", "bias", "running_mean", "running_var",
                                               "num_batches_tracked" };

      if (layer->kind == VGG_LAYER_CONV)
        {
          for (int k = 0; k < 2; k++)
            {
              snprintf (key, sizeof key, "features.%d.%s", layout->feature_index[i],
                        conv_parts[k]);
              if (strcmp (key, name) == 0)
                return true;
            }
          for (int k = 0; model->config.batch_norm && k < 5; k++)
            {
              snprintf (key, sizeof key, "features.%d.%s", layout->feature_index[i] + 1,
                        bn_parts[k]);
              if (strcmp (key, name) == 0)
                return true;
            }
        }
      else if (layer->kind == VGG_LAYER_FC)
        {
          for (int k = 0; k < 2; k++)
            {
              snprintf (key, sizeof key, "classifier.%d.%s", layout->classifier_index[f],
                        conv_parts[k]);
              if (strcmp (key, name) == 0)
                return true;
            }
          f++;
        }
    }
  return false;
}

void
vgg_code_layout (const VggModel *model,
                 VggCodeLayout  *layout)
{
  const VggConfig *config = &model->config;
  int index = 0, n_fc = 0;

  memset (layout, 0, sizeof *layout);
  for (int i = 0; i < model->n_layers && i < (int) (sizeof layout->feature_index / sizeof (int));
       i++)
    {
      const VggLayer *layer = &model->layers[i];

      layout->feature_index[i] = -1;
      if (layer->kind == VGG_LAYER_CONV)
        {
          layout->feature_index[i] = index;
          index += config->batch_norm ? 3 : 2;
        }
      else if (layer->kind == VGG_LAYER_POOL)
        layout->feature_index[i] = index++;
      else if (layer->kind == VGG_LAYER_FC)
        n_fc++;
    }
  layout->n_features = index;
  layout->dropout = dropout_of (model);

  layout->matches_file = model->file != NULL
                         && (model->source == VGG_SOURCE_SAFETENSORS
                             || model->source == VGG_SOURCE_PTH_ZIP
                             || model->source == VGG_SOURCE_PTH_LEGACY)
                         && (n_fc == 0 || file_classifier (model, n_fc,
                                                           layout->classifier_index));
  if (!layout->matches_file)
    for (int f = 0; f < n_fc; f++)
      layout->classifier_index[f] = 3 * f;
  layout->n_classifier = n_fc > 0 ? layout->classifier_index[n_fc - 1] + 1 : 0;

  /* every tensor of the file must have its module, or strict loading fails */
  for (size_t t = 0; layout->matches_file && t < model->file->n_tensors; t++)
    if (!is_expected_key (model, layout, model->file->tensors[t].name))
      layout->matches_file = false;
}

bool
vgg_model_code_matches_file (const VggModel *model)
{
  VggCodeLayout layout;

  if (model == NULL)
    return false;
  vgg_code_layout (model, &layout);
  return layout.matches_file;
}

/* ---- weights under the script's keys ---- */

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

/* @t as F32 in @out (t->count floats); false for a dtype that is not floating point. */
static bool
tensor_to_f32 (const VggTensor *t,
               float           *out)
{
  const unsigned char *bytes = t->data;

  for (int64_t i = 0; i < t->count; i++)
    switch (t->dtype)
      {
      case VGG_DTYPE_F32:
        memcpy (&out[i], bytes + 4 * i, 4);
        break;
      case VGG_DTYPE_F64:
        {
          double v;
          memcpy (&v, bytes + 8 * i, 8);
          out[i] = (float) v;
        }
        break;
      case VGG_DTYPE_F16:
        {
          uint16_t v;
          memcpy (&v, bytes + 2 * i, 2);
          out[i] = half_to_float (v);
        }
        break;
      case VGG_DTYPE_BF16:
        {
          uint16_t v;
          uint32_t bits;
          memcpy (&v, bytes + 2 * i, 2);
          bits = (uint32_t) v << 16;
          memcpy (&out[i], &bits, 4);
        }
        break;
      default:
        return false;
      }
  return true;
}

typedef struct
{
  VggTensorOut *tensors;
  char        **names;
  float       **copies;
  int64_t      *counters;
  int           n, allocated;
} WeightList;

static void
weight_list_clear (WeightList *list)
{
  for (int i = 0; i < list->n; i++)
    {
      free (list->names[i]);
      free (list->copies[i]);
    }
  free (list->tensors);
  free (list->names);
  free (list->copies);
  free (list->counters);
}

/* Adds a tensor named @key: @data (borrowed), or a copy of @source converted to F32. */
static VggStatus
weight_list_add (WeightList      *list,
                 const char      *key,
                 const float     *data,
                 const VggTensor *source,
                 int              ndim,
                 const int64_t   *shape,
                 VggError        *error)
{
  VggTensorOut *t;
  float *copy = NULL;
  int64_t count = 1;

  for (int d = 0; d < ndim; d++)
    count *= shape[d];
  if (source != NULL)
    {
      if (source->count != count)
        return vgg_error_set (error, VGG_STATUS_SHAPE, "tensor '%s' has %lld values, expected "
                              "%lld", source->name, (long long) source->count,
                              (long long) count);
      copy = malloc ((size_t) (count > 0 ? count : 1) * sizeof (float));
      if (copy == NULL)
        return vgg_error_set (error, VGG_STATUS_NO_MEMORY, "out of memory");
      if (!tensor_to_f32 (source, copy))
        {
          free (copy);
          return vgg_error_set (error, VGG_STATUS_UNSUPPORTED, "tensor '%s' is not floating "
                                "point", source->name);
        }
      data = copy;
    }
  t = &list->tensors[list->n];
  list->names[list->n] = strdup (key);
  list->copies[list->n] = copy;
  if (list->names[list->n] == NULL)
    {
      free (copy);
      return vgg_error_set (error, VGG_STATUS_NO_MEMORY, "out of memory");
    }
  memset (t, 0, sizeof *t);
  t->name = list->names[list->n];
  t->data = data;
  t->ndim = ndim;
  for (int d = 0; d < ndim; d++)
    t->shape[d] = shape[d];
  list->n++;
  return VGG_STATUS_OK;
}

/* num_batches_tracked: the file's (an integer scalar) or 0. */
static VggStatus
weight_list_add_counter (WeightList      *list,
                         const char      *key,
                         const VggTensor *source,
                         VggError        *error)
{
  int64_t *counter = &list->counters[list->n];
  VggTensorOut *t = &list->tensors[list->n];

  *counter = 0;
  if (source != NULL && source->count == 1 && source->dtype == VGG_DTYPE_I64)
    memcpy (counter, source->data, sizeof *counter);
  list->names[list->n] = strdup (key);
  list->copies[list->n] = NULL;
  if (list->names[list->n] == NULL)
    return vgg_error_set (error, VGG_STATUS_NO_MEMORY, "out of memory");
  memset (t, 0, sizeof *t);
  t->name = list->names[list->n];
  t->data_i64 = counter;
  t->ndim = 0;
  list->n++;
  return VGG_STATUS_OK;
}

static const VggTensor *
file_tensor (const VggModel *model,
             int             index,
             const char     *part)
{
  char name[64];

  if (model->file == NULL)
    return NULL;
  snprintf (name, sizeof name, "features.%d.%s", index, part);
  return vgg_tensor_file_find (model->file, name);
}

VggStatus
vgg_model_save_torchvision_weights (const VggModel *model,
                                    const char     *path,
                                    VggError       *error)
{
  static const char *const bn_parts[4] = { "weight", "bias", "running_mean", "running_var" };
  VggCodeLayout layout;
  WeightList list = { 0 };
  VggStatus status = VGG_STATUS_OK;
  int capacity, f = 0;
  char key[64];

  if (model == NULL || path == NULL)
    return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT, "no model or no file name");
  vgg_code_layout (model, &layout);
  capacity = 7 * model->n_layers + 1;
  list.tensors = calloc ((size_t) capacity, sizeof *list.tensors);
  list.names = calloc ((size_t) capacity, sizeof *list.names);
  list.copies = calloc ((size_t) capacity, sizeof *list.copies);
  list.counters = calloc ((size_t) capacity, sizeof *list.counters);
  if (list.tensors == NULL || list.names == NULL || list.copies == NULL
      || list.counters == NULL)
    {
      weight_list_clear (&list);
      return vgg_error_set (error, VGG_STATUS_NO_MEMORY, "out of memory");
    }

  for (int i = 0; i < model->n_layers && status == VGG_STATUS_OK; i++)
    {
      const VggLayer *layer = &model->layers[i];
      const VggLayerWeights *w = &model->weights[i];
      int64_t shape[4] = { layer->channels_out, layer->channels_in, 3, 3 };

      if (layer->kind == VGG_LAYER_CONV)
        {
          int n = layout.feature_index[i];

          if (model->config.batch_norm)
            {
              /* the weights the model computes with have BN folded in: write the file's */
              const VggTensor *weight = file_tensor (model, n, "weight");
              const VggTensor *bias = file_tensor (model, n, "bias");

              if (weight == NULL || bias == NULL)
                status = vgg_error_set (error, VGG_STATUS_UNSUPPORTED, "%s: the model's batch "
                                        "norm is folded and its file is gone", layer->name);
              if (status == VGG_STATUS_OK)
                {
                  snprintf (key, sizeof key, "features.%d.weight", n);
                  status = weight_list_add (&list, key, NULL, weight, 4, shape, error);
                }
              if (status == VGG_STATUS_OK)
                {
                  snprintf (key, sizeof key, "features.%d.bias", n);
                  status = weight_list_add (&list, key, NULL, bias, 1, shape, error);
                }
              for (int k = 0; k < 4 && status == VGG_STATUS_OK; k++)
                {
                  const VggTensor *t = file_tensor (model, n + 1, bn_parts[k]);
                  snprintf (key, sizeof key, "features.%d.%s", n + 1, bn_parts[k]);
                  if (t == NULL)
                    status = vgg_error_set (error, VGG_STATUS_SHAPE, "tensor '%s' is missing",
                                            key);
                  else
                    status = weight_list_add (&list, key, NULL, t, 1, shape, error);
                }
              if (status == VGG_STATUS_OK)
                {
                  snprintf (key, sizeof key, "features.%d.num_batches_tracked", n + 1);
                  status = weight_list_add_counter (&list, key,
                                                    file_tensor (model, n + 1,
                                                                 "num_batches_tracked"), error);
                }
            }
          else
            {
              snprintf (key, sizeof key, "features.%d.weight", n);
              status = weight_list_add (&list, key, w->weight, NULL, 4, shape, error);
              if (status == VGG_STATUS_OK)
                {
                  snprintf (key, sizeof key, "features.%d.bias", n);
                  status = weight_list_add (&list, key, w->bias, NULL, 1, shape, error);
                }
            }
        }
      else if (layer->kind == VGG_LAYER_FC)
        {
          int k = layout.classifier_index[f++];

          shape[1] = (int64_t) layer->channels_in * layer->height_in * layer->width_in;
          snprintf (key, sizeof key, "classifier.%d.weight", k);
          status = weight_list_add (&list, key, w->weight, NULL, 2, shape, error);
          if (status == VGG_STATUS_OK)
            {
              snprintf (key, sizeof key, "classifier.%d.bias", k);
              status = weight_list_add (&list, key, w->bias, NULL, 1, shape, error);
            }
        }
    }

  if (status == VGG_STATUS_OK)
    {
      char preset[32], name[96];
      VggMetadataItem items[2] = {
        { "vgg_scope.name", name },
        { "vgg_scope.preset", preset },
      };

      snprintf (name, sizeof name, "%s", model->name);
      snprintf (preset, sizeof preset, "%s", vgg_preset_name (model->preset));
      status = vgg_safetensors_write (path, list.tensors, list.n, items, 2, error);
    }
  weight_list_clear (&list);
  return status;
}

/* ---- the entry point ---- */

const char *
vgg_code_language_name (VggCodeLanguage language)
{
  switch (language)
    {
    case VGG_CODE_PYTORCH: return "pytorch";
    case VGG_CODE_KERAS: return "keras";
    case VGG_CODE_N_LANGUAGES: break;
    }
  return "unknown";
}

bool
vgg_code_language_from_name (const char      *name,
                             VggCodeLanguage *language)
{
  for (int i = 0; name != NULL && i < VGG_CODE_N_LANGUAGES; i++)
    if (strcmp (name, vgg_code_language_name ((VggCodeLanguage) i)) == 0)
      {
        *language = (VggCodeLanguage) i;
        return true;
      }
  return false;
}

VggStatus
vgg_model_write_code (const VggModel  *model,
                      VggCodeLanguage  language,
                      const char      *weights_name,
                      char           **text_out,
                      VggError        *error)
{
  VggCodeText text = { 0 };
  VggStatus status;

  if (text_out != NULL)
    *text_out = NULL;
  if (model == NULL || text_out == NULL || (unsigned) language >= VGG_CODE_N_LANGUAGES)
    return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT, "no model, or no such language");
  if (model->n_layers > 256)
    return vgg_error_set (error, VGG_STATUS_TOO_LARGE, "%d layers is more than the code "
                          "writer lays out", model->n_layers);

  status = language == VGG_CODE_PYTORCH ? vgg_code_write_pytorch (model, weights_name, &text)
                                        : vgg_code_write_keras (model, weights_name, &text);
  if (status == VGG_STATUS_OK && text.failed)
    status = vgg_error_set (error, VGG_STATUS_NO_MEMORY, "out of memory for the code");
  if (status != VGG_STATUS_OK)
    {
      free (text.data);
      return status;
    }
  *text_out = text.data;
  return VGG_STATUS_OK;
}
