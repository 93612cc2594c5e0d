/* vgg-code.h — the loaded network written as code: PyTorch and Keras definitions
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For teaching: the model the engine runs, as the few lines of Python a student would write.
 *
 * PyTorch: a torchvision-style module, `features` and `classifier` as nn.Sequential with
 * torchvision's numbering (Conv2d, [BatchNorm2d], ReLU per convolution, MaxPool2d per block;
 * Linear, ReLU, Dropout per hidden layer), AdaptiveAvgPool2d((7, 7)) only where the last pool
 * is 7 × 7 (where torchvision's is the identity), no softmax (the output is the logits, as in
 * torchvision), the model's preset as `torchvision.transforms` in `preprocess`, and a helper
 * `load_weights(path)` for .pth and .safetensors files. The script defines `model` (in eval
 * mode) and runs on a picture when started as a program.
 *
 * Its `model.state_dict()` has exactly the keys and shapes of the weight file's own tensors
 * when the file is a PyTorch or safetensors file in torchvision's layout
 * (vgg_model_code_matches_file()): `model.load_state_dict(load_weights(file))` works with
 * strict=True. Otherwise (Keras, ONNX, timm names, the built-in or a random model) the keys
 * follow torchvision's layout and vgg_model_save_torchvision_weights() writes a file that
 * loads.
 *
 * Keras: a functional-API definition in the style of keras.applications' VGG16 (block1_conv1
 * … block5_pool, flatten, fc1, fc2, predictions), with BatchNormalization where the model
 * had it and no classifier for feature-only ("notop") models.
 */
#pragma once

#include <stdbool.h>

#include "vgg.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum
{
  VGG_CODE_PYTORCH = 0,
  VGG_CODE_KERAS,
  VGG_CODE_N_LANGUAGES
} VggCodeLanguage;

/* "pytorch", "keras" */
const char *vgg_code_language_name (VggCodeLanguage language);
bool        vgg_code_language_from_name (const char *name, VggCodeLanguage *language);

/* Writes @model as a Python script in @language into *@text (NUL-terminated UTF-8; free() it).
 * @weights_name (nullable: the built-in model, or a model not from a file) is the weight file's
 * name as the script's comments and usage line should mention it. */
VggStatus   vgg_model_write_code (const VggModel *model, VggCodeLanguage language,
                                  const char *weights_name, char **text, VggError *error);

/* Whether the PyTorch script's state_dict() keys and shapes are exactly the weight file's own
 * tensors (a .pth or .safetensors file in torchvision's layout). */
bool        vgg_model_code_matches_file (const VggModel *model);

/* Writes @model's weights to @path (safetensors) under the PyTorch script's keys: F32 tensors,
 * batch norm unfolded (the file's own γ, β, running mean and variance; num_batches_tracked as
 * an I64 scalar), so `model.load_state_dict()` of it works with strict=True whatever the
 * model was loaded from. */
VggStatus   vgg_model_save_torchvision_weights (const VggModel *model, const char *path,
                                                VggError *error);

#ifdef __cplusplus
}
#endif
