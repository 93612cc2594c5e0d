/* code-private.h — what the PyTorch and Keras writers share: the layout, a growing text (internal)
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "engine-private.h"
#include "model-private.h"
#include "vgg-code.h"

#include <stdarg.h>
#include <stddef.h>

/* Where each layer sits in torchvision's modules. */
typedef struct
{
  int    n_features;                 /* length of `features` */
  int    feature_index[256];         /* per model layer: its index in `features` (conv, pool);
                                        -1 for FC and softmax */
  int    n_classifier;               /* length of `classifier` (0: no classifier) */
  int    classifier_index[VGG_MAX_FC + 1]; /* per FC layer, in order */
  bool   matches_file;               /* the keys are exactly the file's tensors */
  double dropout;                    /* p of the Dropout slots */
} VggCodeLayout;

void vgg_code_layout (const VggModel *model, VggCodeLayout *layout);

typedef struct
{
  char  *data;
  size_t length, allocated;
  bool   failed;
} VggCodeText;

void vgg_code_text_append (VggCodeText *text, const char *piece);
void vgg_code_text_printf (VggCodeText *text, const char *format, ...) VGG_PRINTF (2, 3);
/* @code, then "  # @comment" at column @column (or two spaces after the code). */
void vgg_code_text_commented (VggCodeText *text, int column, const char *code,
                              const char *comment);
/* @value as a Python string literal (double quotes; controls, quotes and backslashes
 * escaped). */
void vgg_code_text_python_string (VggCodeText *text, const char *value);
/* @value for a comment: controls become spaces. */
void vgg_code_text_comment_safe (VggCodeText *text, const char *value);

/* The Python of the model's preset: the FashionMNISTStyle class (numpy + PIL, returning a
 * float32 H × W × 1 array in [0, 1]) used by both writers. */
void vgg_code_write_fashion_class (VggCodeText *text);

VggStatus vgg_code_write_pytorch (const VggModel *model, const char *weights_name,
                                  VggCodeText *text);
VggStatus vgg_code_write_keras (const VggModel *model, const char *weights_name,
                                VggCodeText *text);
