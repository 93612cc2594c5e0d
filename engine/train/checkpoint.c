/* checkpoint.c — safetensors out: training checkpoints and the exported inference model
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "trainer-private.h"
#include "engine-private.h"
#include "tensor-file.h"

#include <errno.h>
#include <stdarg.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- a growing string ---- */

typedef struct
{
  char  *data;
  size_t length, allocated;
  bool   failed;
} Text;

static void
text_append (Text       *text,
             const char *piece,
             size_t      length)
{
  if (text->failed)
    return;
  if (text->length + length + 1 > text->allocated)
    {
      size_t n = text->allocated > 0 ? text->allocated : 1024;
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

static void
text_printf (Text       *text,
             const char *format,
             ...) VGG_PRINTF (2, 3);

static void
text_printf (Text       *text,
             const char *format,
             ...)
{
  char buffer[256];
  va_list args;
  int n;

  va_start (args, format);
  n = vsnprintf (buffer, sizeof buffer, format, args);
  va_end (args);
  if (n < 0 || (size_t) n >= sizeof buffer)
    text->failed = true;
  else
    text_append (text, buffer, (size_t) n);
}

/* A JSON string literal. */
static void
text_json_string (Text       *text,
                  const char *value)
{
  text_append (text, "\"", 1);
  for (const unsigned char *p = (const unsigned char *) value; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        {
          char escaped[2] = { '\\', (char) *p };
          text_append (text, escaped, 2);
        }
      else if (*p == '\n')
        text_append (text, "\\n", 2);
      else if (*p == '\t')
        text_append (text, "\\t", 2);
      else if (*p < 0x20)
        text_printf (text, "\\u%04x", *p);
      else
        text_append (text, (const char *) p, 1);
    }
  text_append (text, "\"", 1);
}

VggStatus
vgg_safetensors_write (const char            *path,
                       const VggTensorOut    *tensors,
                       int                    n_tensors,
                       const VggMetadataItem *items,
                       int                    n_items,
                       VggError              *error)
{
  Text header = { 0 };
  char *tmp_path = NULL;
  FILE *file = NULL;
  uint64_t offset = 0, header_size;
  uint8_t size_bytes[8];
  bool ok;

  text_append (&header, "{", 1);
  if (n_items > 0)
    {
      text_append (&header, "\"__metadata__\":{", 16);
      for (int i = 0; i < n_items; i++)
        {
          if (i > 0)
            text_append (&header, ",", 1);
          text_json_string (&header, items[i].key);
          text_append (&header, ":", 1);
          text_json_string (&header, items[i].value);
        }
      text_append (&header, "}", 1);
    }
  for (int t = 0; t < n_tensors; t++)
    {
      uint64_t count = 1;

      for (int d = 0; d < tensors[t].ndim; d++)
        count *= (uint64_t) tensors[t].shape[d];
      if (n_items > 0 || t > 0)
        text_append (&header, ",", 1);
      text_json_string (&header, tensors[t].name);
      text_printf (&header, ":{\"dtype\":\"F32\",\"shape\":[");
      for (int d = 0; d < tensors[t].ndim; d++)
        text_printf (&header, "%s%" PRId64, d > 0 ? "," : "", tensors[t].shape[d]);
      text_printf (&header, "],\"data_offsets\":[%" PRIu64 ",%" PRIu64 "]}", offset,
                   offset + 4 * count);
      offset += 4 * count;
    }
  text_append (&header, "}", 1);
  /* pad with spaces so the tensor data starts 64-byte aligned and can be mapped in place */
  while (!header.failed && (8 + header.length) % 64 != 0)
    text_append (&header, " ", 1);
  if (header.failed)
    {
      free (header.data);
      return vgg_error_set (error, VGG_STATUS_NO_MEMORY, "%s: out of memory for the header",
                            path);
    }

  header_size = header.length;
  for (int i = 0; i < 8; i++)
    size_bytes[i] = (uint8_t) (header_size >> (8 * i));

  tmp_path = malloc (strlen (path) + 5);
  if (tmp_path == NULL)
    {
      free (header.data);
      return vgg_error_set (error, VGG_STATUS_NO_MEMORY, "out of memory");
    }
  sprintf (tmp_path, "%s.tmp", path);
  file = fopen (tmp_path, "wb");
  if (file == NULL)
    {
      int saved = errno;
      free (header.data);
      free (tmp_path);
      return vgg_error_set (error, VGG_STATUS_IO, "%s: cannot write: %s", path,
                            strerror (saved));
    }
  ok = fwrite (size_bytes, 1, 8, file) == 8
       && fwrite (header.data, 1, header.length, file) == header.length;
  for (int t = 0; ok && t < n_tensors; t++)
    {
      size_t count = 1;
      for (int d = 0; d < tensors[t].ndim; d++)
        count *= (size_t) tensors[t].shape[d];
      /* little-endian hosts only, like the loaders */
      ok = fwrite (tensors[t].data, sizeof (float), count, file) == count;
    }
  ok = (fclose (file) == 0) && ok;
  free (header.data);
  if (!ok || rename (tmp_path, path) != 0)
    {
      int saved = errno;
      remove (tmp_path);
      free (tmp_path);
      return vgg_error_set (error, VGG_STATUS_IO, "%s: cannot write: %s", path,
                            strerror (saved));
    }
  free (tmp_path);
  return VGG_STATUS_OK;
}

/* ---- checkpoints ---- */

/* A one-line description of the architecture that a checkpoint must match. */
static void
describe_architecture (const VggTrainer *trainer,
                       char             *buffer,
                       size_t            size)
{
  const VggConfig *c = &trainer->model->config;
  size_t used = 0;

  used += (size_t) snprintf (buffer + used, size - used, "in %dx%dx%d blocks",
                             c->input_channels, c->input_height, c->input_width);
  for (int b = 0; b < c->n_blocks && used < size; b++)
    used += (size_t) snprintf (buffer + used, size - used, " %dx%d", c->block_widths[b],
                               c->block_convs[b]);
  for (int i = 0; i < c->n_hidden_fc && used < size; i++)
    used += (size_t) snprintf (buffer + used, size - used, " fc%d", c->hidden_fc_widths[i]);
  if (used < size)
    snprintf (buffer + used, size - used, " classes %d bn %d dropout %g", c->n_classes,
              c->batch_norm ? 1 : 0, (double) trainer->options.dropout);
}

#define KEY_ARCHITECTURE "vgg_scope.train.architecture"
#define KEY_RNG          "vgg_scope.train.dropout_rng"

VggStatus
vgg_trainer_save_checkpoint (const VggTrainer      *trainer,
                             const char            *path,
                             const VggMetadataItem *items,
                             int                    n_items,
                             VggError              *error)
{
  VggMetadataItem *all;
  char architecture[512], rng[32];
  VggTensorOut tensors[3] = {
    { "params", trainer->params, 1, { (int64_t) trainer->n_params } },
    { "velocity", trainer->velocity, 1, { (int64_t) trainer->n_params } },
    { "running", trainer->running, 1, { (int64_t) trainer->n_running } },
  };
  VggStatus status;

  if (n_items < 0 || (n_items > 0 && items == NULL))
    return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT, "bad metadata");
  all = calloc ((size_t) n_items + 2, sizeof *all);
  if (all == NULL)
    return vgg_error_set (error, VGG_STATUS_NO_MEMORY, "out of memory");
  describe_architecture (trainer, architecture, sizeof architecture);
  snprintf (rng, sizeof rng, "%" PRIu64, trainer->net.rng);
  all[0] = (VggMetadataItem) { KEY_ARCHITECTURE, architecture };
  all[1] = (VggMetadataItem) { KEY_RNG, rng };
  for (int i = 0; i < n_items; i++)
    all[i + 2] = items[i];
  status = vgg_safetensors_write (path, tensors, trainer->n_running > 0 ? 3 : 2, all,
                                  n_items + 2, error);
  free (all);
  return status;
}

static VggStatus
restore_tensor (float               *dest,
                size_t               count,
                const VggTensorFile *file,
                const char          *name,
                const char          *path,
                VggError            *error)
{
  const VggTensor *tensor = vgg_tensor_file_find (file, name);

  if (tensor == NULL || tensor->dtype != VGG_DTYPE_F32 || tensor->ndim != 1
      || tensor->count != (int64_t) count)
    return vgg_error_set (error, VGG_STATUS_SHAPE,
                          "%s: tensor '%s' is missing or does not hold %zu float32 values",
                          path, name, count);
  memcpy (dest, tensor->data, count * sizeof (float));
  return VGG_STATUS_OK;
}

VggStatus
vgg_trainer_load_checkpoint (VggTrainer      *trainer,
                             const char      *path,
                             VggMetadataFunc  func,
                             void            *user_data,
                             VggError        *error)
{
  VggTensorFile *file = NULL;
  char architecture[512];
  const char *value;
  VggStatus status;

  if (trainer == NULL || path == NULL)
    return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT, "no trainer or path");
  status = vgg_tensor_file_open (&file, path, error);
  if (status != VGG_STATUS_OK)
    return status;

  describe_architecture (trainer, architecture, sizeof architecture);
  value = vgg_tensor_file_metadata (file, KEY_ARCHITECTURE);
  if (value == NULL || strcmp (value, architecture) != 0)
    {
      status = vgg_error_set (error, VGG_STATUS_SHAPE,
                              "%s: the checkpoint is for '%s', not '%s'", path,
                              value != NULL ? value : "an unknown network", architecture);
      goto out;
    }
  if ((status = restore_tensor (trainer->params, trainer->n_params, file, "params", path,
                                error))
      || (status = restore_tensor (trainer->velocity, trainer->n_params, file, "velocity", path,
                                   error)))
    goto out;
  if (trainer->n_running > 0
      && (status = restore_tensor (trainer->running, trainer->n_running, file, "running", path,
                                   error)))
    goto out;
  value = vgg_tensor_file_metadata (file, KEY_RNG);
  if (value != NULL)
    trainer->net.rng = strtoull (value, NULL, 10);
  if (func != NULL)
    for (size_t i = 0; i < file->n_metadata; i++)
      func (file->metadata[i].key, file->metadata[i].value, user_data);

out:
  vgg_tensor_file_free (file);
  return status;
}

/* ---- export ---- */

VggStatus
vgg_trainer_export (const VggTrainer      *trainer,
                    const char            *path,
                    const VggMetadataItem *items,
                    int                    n_items,
                    VggError              *error)
{
  const VggNet *net = &trainer->net;
  VggTensorOut *tensors;
  char (*names)[48];
  float *folded = NULL;
  size_t folded_count = 0;
  int n_tensors = 0, feature = 0, classifier = 0;
  VggStatus status;

  tensors = calloc (2 * (size_t) net->n_layers, sizeof *tensors);
  names = calloc (2 * (size_t) net->n_layers, sizeof *names);
  for (int i = 0; i < net->n_layers; i++)
    if (net->layers[i].bn)
      folded_count += (size_t) net->layers[i].layer->channels_out
                      * (net->layers[i].layer->channels_in * 9 + 1);
  folded = malloc ((folded_count > 0 ? folded_count : 1) * sizeof (float));
  if (tensors == NULL || names == NULL || folded == NULL)
    {
      free (tensors);
      free (names);
      free (folded);
      return vgg_error_set (error, VGG_STATUS_NO_MEMORY, "out of memory");
    }

  /* torchvision's indices without BN: conv N, ReLU N+1; a pool takes one more slot; the
   * classifier is Linear, ReLU, Dropout, … so its layers are 0, 3, 6 */
  for (int i = 0, f = 0; i < net->n_layers; i++)
    {
      const VggNetLayer *nl = &net->layers[i];
      const VggLayer *layer = nl->layer;
      int64_t c_out = layer->channels_out;
      const float *weight = nl->weight, *bias = nl->bias;
      VggTensorOut *t;

      if (layer->kind == VGG_LAYER_POOL)
        {
          feature += 1;
          continue;
        }
      if (layer->kind != VGG_LAYER_CONV && layer->kind != VGG_LAYER_FC)
        continue;

      if (nl->bn)
        {
          /* w' = w·γ/√(var + ε), b' = β − mean·γ/√(var + ε) */
          size_t per_out = (size_t) layer->channels_in * 9;
          float *w = folded + f, *b = w + c_out * per_out;

          for (int64_t o = 0; o < c_out; o++)
            {
              double scale = nl->gamma[o] / sqrt ((double) nl->running_var[o] + VGG_BN_EPSILON);
              for (size_t k = 0; k < per_out; k++)
                w[o * per_out + k] = (float) (nl->weight[o * per_out + k] * scale);
              b[o] = (float) (nl->beta[o] - nl->running_mean[o] * scale);
            }
          weight = w;
          bias = b;
          f += (int) (c_out * (per_out + 1));
        }

      t = &tensors[n_tensors];
      if (layer->kind == VGG_LAYER_CONV)
        {
          snprintf (names[n_tensors], sizeof names[0], "features.%d.weight", feature);
          *t = (VggTensorOut) { names[n_tensors], weight, 4,
                                { c_out, layer->channels_in, 3, 3 } };
          n_tensors++;
          snprintf (names[n_tensors], sizeof names[0], "features.%d.bias", feature);
          tensors[n_tensors] = (VggTensorOut) { names[n_tensors], bias, 1, { c_out } };
          n_tensors++;
          feature += 2;
        }
      else
        {
          int64_t n_in = (int64_t) layer->channels_in * layer->height_in * layer->width_in;

          snprintf (names[n_tensors], sizeof names[0], "classifier.%d.weight", classifier);
          *t = (VggTensorOut) { names[n_tensors], weight, 2, { c_out, n_in } };
          n_tensors++;
          snprintf (names[n_tensors], sizeof names[0], "classifier.%d.bias", classifier);
          tensors[n_tensors] = (VggTensorOut) { names[n_tensors], bias, 1, { c_out } };
          n_tensors++;
          classifier += 3;
        }
    }

  status = vgg_safetensors_write (path, tensors, n_tensors, items, n_items, error);
  free (tensors);
  free (names);
  free (folded);
  return status;
}
