/* scope-model-catalog.h — the catalogue of torchvision's eight VGG weight files
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What `vgg-scope-cli fetch` and the "Get ImageNet Weights" dialog offer: each published
 * file's name (its SHA-256 prefix included, which the downloader checks), size, parameter
 * count and ImageNet accuracy.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* One published torchvision file: its name ends in the first hex digits of its SHA-256. */
typedef struct
{
  const char *name;        /* "vgg16", "vgg16_bn" */
  const char *display;     /* "VGG16", "VGG16-BN" */
  const char *file_name;   /* "vgg16-397923af.pth" */
  double      size_mib;    /* 527.8 */
  gint64      n_params;
  double      top1, top5;  /* ImageNet-1k accuracy, % (torchvision's documentation) */
} ScopeModelInfo;

/* The catalogue, @n_models entries in a fixed order (VGG11 … VGG19-BN). */
const ScopeModelInfo *scope_model_catalog      (gsize          *n_models);
/* The entry called @name ("vgg16", "VGG16-BN", "vgg16_bn" …) or whose file is @name; NULL. */
const ScopeModelInfo *scope_model_catalog_find (const char     *name);

/* The file's size in bytes, from its size in MiB. */
guint64               scope_model_info_get_bytes (const ScopeModelInfo *info);

G_END_DECLS
