/* model.c — the immutable model: layer table, accessors, random and default models
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "engine-private.h"
#include "model-private.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *
vgg_layer_kind_name (VggLayerKind kind)
{
  switch (kind)
    {
    case VGG_LAYER_CONV: return "conv";
    case VGG_LAYER_POOL: return "pool";
    case VGG_LAYER_FC: return "fc";
    case VGG_LAYER_SOFTMAX: return "softmax";
    case VGG_LAYER_N_KINDS: break;
    }
  return "unknown";
}

const char *
vgg_source_name (VggSource source)
{
  switch (source)
    {
    case VGG_SOURCE_RANDOM: return "random";
    case VGG_SOURCE_SAFETENSORS: return "safetensors";
    case VGG_SOURCE_PTH_ZIP: return "PyTorch .pth (zip)";
    case VGG_SOURCE_PTH_LEGACY: return "PyTorch .pth (legacy)";
    case VGG_SOURCE_KERAS_H5: return "Keras HDF5";
    case VGG_SOURCE_ONNX: return "ONNX";
    case VGG_SOURCE_N_SOURCES: break;
    }
  return "unknown";
}

static const char *const preset_names[VGG_PRESET_N_PRESETS] = {
  [VGG_PRESET_TORCHVISION] = "torchvision",
  [VGG_PRESET_CAFFE] = "caffe",
  [VGG_PRESET_PLAIN] = "plain",
  [VGG_PRESET_FASHION_MNIST] = "fashion-mnist",
};

const char *
vgg_preset_name (VggPreset preset)
{
  if ((unsigned) preset < VGG_PRESET_N_PRESETS)
    return preset_names[preset];
  return "unknown";
}

bool
vgg_preset_from_name (const char *name,
                      VggPreset  *preset)
{
  for (int i = 0; i < VGG_PRESET_N_PRESETS; i++)
    if (name != NULL && strcmp (name, preset_names[i]) == 0)
      {
        *preset = (VggPreset) i;
        return true;
      }
  return false;
}

static int
count_layers (const VggConfig *config)
{
  int n = 0;

  for (int b = 0; b < config->n_blocks; b++)
    n += config->block_convs[b] + 1;
  if (config->n_classes > 0)
    n += config->n_hidden_fc + 2; /* hidden FCs, the classifier, prob */
  return n;
}

VggStatus
vgg_model_new_for_config (VggModel        **model_out,
                          const VggConfig  *config,
                          VggError         *error)
{
  VggModel *model;
  VggStatus status;

  *model_out = NULL;
  status = vgg_config_validate (config, error);
  if (status != VGG_STATUS_OK)
    return status;

  model = calloc (1, sizeof *model);
  if (model == NULL)
    return vgg_error_set (error, VGG_STATUS_NO_MEMORY, "out of memory");
  model->config = *config;
  model->n_layers = count_layers (config);
  model->layers = calloc ((size_t) model->n_layers, sizeof *model->layers);
  model->weights = calloc ((size_t) model->n_layers, sizeof *model->weights);
  if (model->layers == NULL || model->weights == NULL)
    {
      vgg_model_free (model);
      return vgg_error_set (error, VGG_STATUS_NO_MEMORY, "out of memory");
    }
  model->preset = (config->input_channels == 3 && config->input_height == 224
                   && config->input_width == 224) ? VGG_PRESET_TORCHVISION : VGG_PRESET_PLAIN;
  vgg_model_describe_layers (model);
  vgg_model_set_default_name (model);
  *model_out = model;
  return VGG_STATUS_OK;
}

void
vgg_model_describe_layers (VggModel *model)
{
  const VggConfig *config = &model->config;
  int c = config->input_channels;
  int h = config->input_height;
  int w = config->input_width;
  int i = 0;

  for (int b = 0; b < config->n_blocks; b++)
    {
      for (int k = 0; k < config->block_convs[b]; k++, i++)
        {
          VggLayer *layer = &model->layers[i];
          int c_out = config->block_widths[b];

          layer->index = i;
          snprintf (layer->name, sizeof layer->name, "conv%d_%d", b + 1, k + 1);
          layer->kind = VGG_LAYER_CONV;
          layer->block = b + 1;
          layer->relu = true;
          layer->channels_in = c;
          layer->height_in = h;
          layer->width_in = w;
          layer->channels_out = c_out;
          layer->height_out = h;
          layer->width_out = w;
          layer->params = (int64_t) c_out * c * 9 + c_out;
          if (config->batch_norm)
            layer->params += 2 * (int64_t) c_out; /* γ, β; running statistics are buffers */
          layer->macs = (int64_t) c_out * c * 9 * h * w;
          c = c_out;
        }

      VggLayer *pool = &model->layers[i];
      pool->index = i;
      snprintf (pool->name, sizeof pool->name, "pool%d", b + 1);
      pool->kind = VGG_LAYER_POOL;
      pool->block = b + 1;
      pool->channels_in = c;
      pool->height_in = h;
      pool->width_in = w;
      h /= 2;
      w /= 2;
      pool->channels_out = c;
      pool->height_out = h;
      pool->width_out = w;
      i++;
    }

  if (config->n_classes > 0)
    {
      int n_fc = config->n_hidden_fc + 1;
      int n_in = c * h * w;

      for (int f = 0; f < n_fc; f++, i++)
        {
          VggLayer *layer = &model->layers[i];
          int n_out = f < config->n_hidden_fc ? config->hidden_fc_widths[f] : config->n_classes;

          layer->index = i;
          /* the paper numbers the FC layers after the conv blocks: fc6, fc7, fc8 */
          snprintf (layer->name, sizeof layer->name, "fc%d", config->n_blocks + 1 + f);
          layer->kind = VGG_LAYER_FC;
          layer->relu = f < config->n_hidden_fc;
          layer->channels_in = f == 0 ? c : n_in;
          layer->height_in = f == 0 ? h : 1;
          layer->width_in = f == 0 ? w : 1;
          layer->channels_out = n_out;
          layer->height_out = 1;
          layer->width_out = 1;
          layer->params = (int64_t) n_out * n_in + n_out;
          layer->macs = (int64_t) n_out * n_in;
          n_in = n_out;
        }

      VggLayer *prob = &model->layers[i];
      prob->index = i;
      snprintf (prob->name, sizeof prob->name, "prob");
      prob->kind = VGG_LAYER_SOFTMAX;
      prob->channels_in = prob->channels_out = config->n_classes;
      prob->height_in = prob->width_in = prob->height_out = prob->width_out = 1;
      i++;
    }

  vgg_receptive_fields_compute (model);
}

void
vgg_model_set_default_name (VggModel *model)
{
  const VggConfig *c = &model->config;
  static const int paper_widths[5] = { 64, 128, 256, 512, 512 };
  bool paper = c->n_blocks == 5 && c->input_channels == 3 && c->n_hidden_fc == 2
               && c->hidden_fc_widths[0] == 4096 && c->hidden_fc_widths[1] == 4096;
  int convs = 0;
  size_t used;

  for (int b = 0; b < c->n_blocks; b++)
    {
      convs += c->block_convs[b];
      if (b < 5 && c->block_widths[b] != paper_widths[b])
        paper = false;
    }

  if (paper)
    {
      snprintf (model->name, sizeof model->name, "VGG%d%s", convs + 3,
                c->batch_norm ? "-BN" : "");
      return;
    }

  used = (size_t) snprintf (model->name, sizeof model->name, "VGG-style %d-layer ",
                            convs + (c->n_classes > 0 ? c->n_hidden_fc + 1 : 0));
  for (int b = 0; b < c->n_blocks && used < sizeof model->name; b++)
    used += (size_t) snprintf (model->name + used, sizeof model->name - used, "%s%d",
                               b > 0 ? "-" : "", c->block_widths[b]);
  if (c->batch_norm && used < sizeof model->name)
    snprintf (model->name + used, sizeof model->name - used, " BN");
}

float *
vgg_model_alloc_owned (VggModel *model,
                       size_t    count)
{
  size_t bytes;

  if (model->owned != NULL || !vgg_mul_size (count, sizeof (float), &bytes))
    return NULL;
  model->owned = vgg_alloc_big (bytes);
  model->owned_count = model->owned != NULL ? count : 0;
  return model->owned;
}

void
vgg_model_free (VggModel *model)
{
  if (model == NULL)
    return;
  if (model->owned != NULL)
    vgg_free_big (model->owned, model->owned_count * sizeof (float));
  if (model->file != NULL)
    vgg_tensor_file_free (model->file);
  free (model->class_names);
  free (model->class_names_text);
  free (model->layers);
  free (model->weights);
  free (model->batch_norms);
  free (model);
}

/* ---- random weights ---- */

static uint64_t
splitmix64 (uint64_t *state)
{
  uint64_t z = (*state += 0x9E3779B97F4A7C15ull);

  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

/* A standard normal sample (Box–Muller). */
static float
random_normal (uint64_t *state)
{
  double u1 = ((splitmix64 (state) >> 11) + 1.0) * 0x1.0p-53;
  double u2 = (splitmix64 (state) >> 11) * 0x1.0p-53;

  return (float) (sqrt (-2.0 * log (u1)) * cos (2.0 * M_PI * u2));
}

VggStatus
vgg_model_new_random (VggModel        **model_out,
                      const VggConfig  *config,
                      uint64_t          seed,
                      VggError         *error)
{
  VggModel *model;
  VggStatus status;
  size_t total = 0;
  uint64_t state = seed;
  float *p;

  status = vgg_model_new_for_config (&model, config, error);
  if (status != VGG_STATUS_OK)
    return status;

  for (int i = 0; i < model->n_layers; i++)
    {
      const VggLayer *layer = &model->layers[i];
      if (layer->kind == VGG_LAYER_CONV || layer->kind == VGG_LAYER_FC)
        total += (size_t) layer->params - (config->batch_norm && layer->kind == VGG_LAYER_CONV
                                           ? 2 * (size_t) layer->channels_out : 0);
    }

  p = vgg_model_alloc_owned (model, total);
  if (p == NULL)
    {
      vgg_model_free (model);
      return vgg_error_set (error, VGG_STATUS_NO_MEMORY,
                            "out of memory for %zu random weights", total);
    }

  /* torchvision's initialisation: He (fan-out) for convs, N(0, 0.01) for FC, zero biases */
  for (int i = 0; i < model->n_layers; i++)
    {
      const VggLayer *layer = &model->layers[i];
      size_t n_weights;
      float std;

      if (layer->kind == VGG_LAYER_CONV)
        {
          n_weights = (size_t) layer->channels_out * layer->channels_in * 9;
          std = sqrtf (2.0f / (9.0f * layer->channels_out));
        }
      else if (layer->kind == VGG_LAYER_FC)
        {
          n_weights = (size_t) layer->channels_out
                      * (size_t) (layer->channels_in * layer->height_in * layer->width_in);
          std = 0.01f;
        }
      else
        continue;

      model->weights[i].weight = p;
      for (size_t k = 0; k < n_weights; k++)
        p[k] = std * random_normal (&state);
      p += n_weights;
      model->weights[i].bias = p;
      p += layer->channels_out;
    }

  model->config.batch_norm = false; /* nothing left to fold */
  model->source = VGG_SOURCE_RANDOM;
  model->trained = false;
  vgg_model_describe_layers (model);
  vgg_model_set_default_name (model);
  *model_out = model;
  return VGG_STATUS_OK;
}

/* data/fashion-vgg.safetensors, embedded by tools/embed-binary.py (64-byte aligned) */
extern const unsigned char vgg_default_model[];
extern const size_t vgg_default_model_size;

VggStatus
vgg_model_new_default (VggModel **model,
                       VggError  *error)
{
  /* A small VGG trained here on Fashion-MNIST (data/fashion-vgg.md): real predictions and
   * trained feature maps without a 500 MB download. Its metadata carries its name, preset
   * and class names. */
  return vgg_model_load_memory (model, vgg_default_model, vgg_default_model_size,
                                "built-in model", error);
}

/* ---- accessors ---- */

const VggConfig *
vgg_model_config (const VggModel *model)
{
  return model != NULL ? &model->config : NULL;
}

const char *
vgg_model_name (const VggModel *model)
{
  return model != NULL ? model->name : NULL;
}

VggSource
vgg_model_source (const VggModel *model)
{
  return model->source;
}

VggPreset
vgg_model_preset (const VggModel *model)
{
  return model->preset;
}

bool
vgg_model_is_trained (const VggModel *model)
{
  return model->trained;
}

int
vgg_model_n_classes (const VggModel *model)
{
  return model->config.n_classes;
}

const char *
vgg_model_class_name (const VggModel *model,
                      int             index)
{
  static __thread char fallback[32];

  if (model == NULL || index < 0 || index >= model->config.n_classes)
    return NULL;
  if (model->class_names != NULL)
    return model->class_names[index];
  if (model->config.n_classes == vgg_imagenet_n_classes ())
    return vgg_imagenet_class_name (index);
  snprintf (fallback, sizeof fallback, "class %d", index);
  return fallback;
}

bool
vgg_model_has_class_names (const VggModel *model)
{
  if (model == NULL || model->config.n_classes <= 0)
    return false;
  return model->class_names != NULL || model->config.n_classes == vgg_imagenet_n_classes ();
}

int64_t
vgg_model_n_params (const VggModel *model)
{
  int64_t total = 0;

  for (int i = 0; i < model->n_layers; i++)
    total += model->layers[i].params;
  return total;
}

int64_t
vgg_model_n_macs (const VggModel *model)
{
  int64_t total = 0;

  for (int i = 0; i < model->n_layers; i++)
    total += model->layers[i].macs;
  return total;
}

int
vgg_model_n_layers (const VggModel *model)
{
  return model != NULL ? model->n_layers : 0;
}

const VggLayer *
vgg_model_layer (const VggModel *model,
                 int             index)
{
  if (model == NULL || index < 0 || index >= model->n_layers)
    return NULL;
  return &model->layers[index];
}

bool
vgg_model_layer_weights (const VggModel *model,
                         int             index,
                         const float   **weight,
                         const float   **bias)
{
  const float *w = NULL, *b = NULL;

  if (model != NULL && index >= 0 && index < model->n_layers && model->weights != NULL)
    {
      w = model->weights[index].weight;
      b = model->weights[index].bias;
    }
  if (weight != NULL)
    *weight = w;
  if (bias != NULL)
    *bias = b;
  return w != NULL && b != NULL;
}

int
vgg_model_find_layer (const VggModel *model,
                      const char     *name)
{
  if (model == NULL || name == NULL)
    return -1;
  for (int i = 0; i < model->n_layers; i++)
    if (strcmp (model->layers[i].name, name) == 0)
      return i;
  return -1;
}

VggStatus
vgg_model_preprocess (const VggModel *model,
                      float          *input,
                      const VggImage *image,
                      VggImage       *seen,
                      VggError       *error)
{
  return vgg_preprocess (input, model->config.input_channels, model->config.input_height,
                         model->config.input_width, image, model->preset, seen, error);
}
