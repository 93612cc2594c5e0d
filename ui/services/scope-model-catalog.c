/* scope-model-catalog.c — the catalogue of torchvision's eight VGG weight files
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "scope-model-catalog.h"

#include <math.h>
#include <string.h>

static const ScopeModelInfo catalog[] = {
  { "vgg11", "VGG11", "vgg11-8a719046.pth", 506.8, 132863336, 69.020, 88.628 },
  { "vgg11_bn", "VGG11-BN", "vgg11_bn-6002323d.pth", 506.9, 132868840, 70.370, 89.810 },
  { "vgg13", "VGG13", "vgg13-19584684.pth", 507.5, 133047848, 69.928, 89.246 },
  { "vgg13_bn", "VGG13-BN", "vgg13_bn-abd245e5.pth", 507.6, 133053736, 71.586, 90.374 },
  { "vgg16", "VGG16", "vgg16-397923af.pth", 527.8, 138357544, 71.592, 90.382 },
  { "vgg16_bn", "VGG16-BN", "vgg16_bn-6c64b313.pth", 527.9, 138365992, 73.360, 91.516 },
  { "vgg19", "VGG19", "vgg19-dcbb9e9d.pth", 548.1, 143667240, 72.376, 90.876 },
  { "vgg19_bn", "VGG19-BN", "vgg19_bn-c79401a0.pth", 548.1, 143678248, 74.218, 91.842 },
};

const ScopeModelInfo *
scope_model_catalog (gsize *n_models)
{
  if (n_models != NULL)
    *n_models = G_N_ELEMENTS (catalog);
  return catalog;
}

const ScopeModelInfo *
scope_model_catalog_find (const char *name)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (name != NULL, NULL);

  /* "VGG16-BN", "vgg16-bn" and "vgg16_bn" are the same model */
  key = g_ascii_strdown (name, -1);
  g_strdelimit (key, "-", '_');
  for (gsize i = 0; i < G_N_ELEMENTS (catalog); i++)
    if (strcmp (key, catalog[i].name) == 0 || strcmp (name, catalog[i].file_name) == 0)
      return &catalog[i];
  return NULL;
}

guint64
scope_model_info_get_bytes (const ScopeModelInfo *info)
{
  g_return_val_if_fail (info != NULL, 0);

  return (guint64) llround (info->size_mib * 1024.0 * 1024.0);
}
