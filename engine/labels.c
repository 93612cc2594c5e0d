/* labels.c — the built-in ImageNet-1k class names
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "model-private.h"

/* generated from data/imagenet-classes.txt by tools/embed-lines.py */
extern const char *const vgg_imagenet_classes[];
extern const int vgg_imagenet_classes_count;

const char *
vgg_imagenet_class_name (int index)
{
  if (index < 0 || index >= vgg_imagenet_classes_count)
    return NULL;
  return vgg_imagenet_classes[index];
}

int
vgg_imagenet_n_classes (void)
{
  return vgg_imagenet_classes_count;
}
