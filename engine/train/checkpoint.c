/* checkpoint.c — training checkpoints and the exported inference model, as safetensors
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "trainer-private.h"
#include "engine-private.h"
#include "safetensors-writer.h"
#include "tensor-file.h"

#include <errno.h>
#include <stdarg.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
