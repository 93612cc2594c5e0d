/* model-private.h — the model's insides, shared by model.c, model-load.c and run.c (internal)
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "vgg.h"
#include "tensor-file.h"

/* Weights of one conv or FC layer, BN already folded in. Conv: weight [c_out, c_in, 3, 3];
 * FC: weight [n_out, n_in] with a flattened input in C,H,W order. Either points into the
 * weight file's memory map or into the model's own block. */
typedef struct
{
  const float *weight;
  const float *bias;
} VggLayerWeights;

/* The batch norm that followed a convolution in the file, kept beside the folded weights so
 * the fold can be explained with the layer's own numbers (vgg-unit.h): per output channel
 * γ (weight), β (bias), the running mean and variance, and the convolution's own bias before
 * folding; ε is the one the fold used. All NULL for a layer without batch norm. */
typedef struct
{
  const float *gamma;
  const float *beta;
  const float *mean;
  const float *var;
  const float *conv_bias;
  double       eps;
} VggLayerBatchNorm;

struct VggModel
{
  VggConfig        config;
  char             name[64];
  VggSource        source;
  VggPreset        preset;
  bool             trained;

  VggLayer        *layers;          /* n_layers descriptors */
  VggLayerWeights *weights;         /* one per layer; NULL pointers for pool and softmax */
  VggLayerBatchNorm *batch_norms;   /* one per layer (NULL pointers where none), or NULL when
                                       the file had no batch norm; in the owned block */
  int              n_layers;

  char           **class_names;     /* n_classes names, or NULL for the built-in lists */
  char            *class_names_text;

  VggTensorFile   *file;            /* keeps mapped tensors alive, or NULL */
  float           *owned;           /* weights the model made (random, folded, converted) */
  size_t           owned_count;
};

/* Allocates a model for @config with its layer table built, weights unset. */
VggStatus   vgg_model_new_for_config (VggModel **model, const VggConfig *config,
                                      VggError *error);

/* Fills every layer's descriptor (names, shapes, params, MACs, receptive fields). */
void        vgg_model_describe_layers (VggModel *model);

/* Allocates @count floats in the model's own block (once). */
float      *vgg_model_alloc_owned (VggModel *model, size_t count);

/* "VGG16", "VGG19-BN" for the paper's configurations, else a description of the widths. */
void        vgg_model_set_default_name (VggModel *model);

/* Built-in ImageNet-1k names (data/imagenet-classes.txt). */
const char *vgg_imagenet_class_name (int index);
int         vgg_imagenet_n_classes (void);

/* Receptive field after each layer of @model (receptive-field.c). */
void        vgg_receptive_fields_compute (VggModel *model);
