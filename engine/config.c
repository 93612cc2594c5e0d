/* config.c — the paper's configurations and limits for parametric networks
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "engine-private.h"

#include <string.h>

/* Convs per block for configurations A, B, D and E (Simonyan & Zisserman, Table 1). */
static const struct
{
  const char *name;
  int         convs[5];
} paper_configs[] = {
  { "vgg11", { 1, 1, 2, 2, 2 } },
  { "vgg13", { 2, 2, 2, 2, 2 } },
  { "vgg16", { 2, 2, 3, 3, 3 } },
  { "vgg19", { 2, 2, 4, 4, 4 } },
};

static const int paper_widths[5] = { 64, 128, 256, 512, 512 };

#define VGG_MAX_WIDTH      16384
#define VGG_MAX_INPUT_SIDE 4096
#define VGG_MAX_FC_WIDTH   65536
#define VGG_MAX_CONVS      16

VggStatus
vgg_config_for_name (VggConfig  *config,
                     const char *name,
                     VggError   *error)
{
  size_t base_len;
  bool bn = false;

  if (config == NULL || name == NULL)
    return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT, "no configuration name given");

  base_len = strlen (name);
  if (base_len > 3 && strcmp (name + base_len - 3, "_bn") == 0)
    {
      bn = true;
      base_len -= 3;
    }

  for (size_t i = 0; i < sizeof paper_configs / sizeof paper_configs[0]; i++)
    {
      if (strlen (paper_configs[i].name) != base_len
          || strncmp (paper_configs[i].name, name, base_len) != 0)
        continue;

      memset (config, 0, sizeof *config);
      config->n_blocks = 5;
      for (int b = 0; b < 5; b++)
        {
          config->block_widths[b] = paper_widths[b];
          config->block_convs[b] = paper_configs[i].convs[b];
        }
      config->input_channels = 3;
      config->input_height = 224;
      config->input_width = 224;
      config->n_hidden_fc = 2;
      config->hidden_fc_widths[0] = 4096;
      config->hidden_fc_widths[1] = 4096;
      config->n_classes = 1000;
      config->batch_norm = bn;
      return VGG_STATUS_OK;
    }

  return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT,
                        "unknown network '%s' (known: vgg11, vgg13, vgg16, vgg19, each also "
                        "with _bn)", name);
}

VggStatus
vgg_config_validate (const VggConfig *config,
                     VggError        *error)
{
  int side_h, side_w;

  if (config == NULL)
    return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT, "no configuration");
  if (config->n_blocks < 1 || config->n_blocks > VGG_MAX_BLOCKS)
    return vgg_error_set (error, VGG_STATUS_UNSUPPORTED,
                          "a network needs 1 to %d conv blocks, not %d",
                          VGG_MAX_BLOCKS, config->n_blocks);
  if (config->input_channels < 1 || config->input_channels > 4)
    return vgg_error_set (error, VGG_STATUS_UNSUPPORTED,
                          "input channels must be 1 to 4, not %d", config->input_channels);
  if (config->input_height < 1 || config->input_width < 1
      || config->input_height > VGG_MAX_INPUT_SIDE || config->input_width > VGG_MAX_INPUT_SIDE)
    return vgg_error_set (error, VGG_STATUS_UNSUPPORTED,
                          "input size %d×%d is outside 1…%d", config->input_height,
                          config->input_width, VGG_MAX_INPUT_SIDE);

  side_h = config->input_height;
  side_w = config->input_width;
  for (int b = 0; b < config->n_blocks; b++)
    {
      if (config->block_widths[b] < 1 || config->block_widths[b] > VGG_MAX_WIDTH)
        return vgg_error_set (error, VGG_STATUS_UNSUPPORTED,
                              "block %d has width %d (1…%d allowed)", b + 1,
                              config->block_widths[b], VGG_MAX_WIDTH);
      if (config->block_convs[b] < 1 || config->block_convs[b] > VGG_MAX_CONVS)
        return vgg_error_set (error, VGG_STATUS_UNSUPPORTED,
                              "block %d has %d convolutions (1…%d allowed)", b + 1,
                              config->block_convs[b], VGG_MAX_CONVS);
      side_h /= 2;
      side_w /= 2;
      if (side_h < 1 || side_w < 1)
        return vgg_error_set (error, VGG_STATUS_UNSUPPORTED,
                              "a %d×%d input is too small for %d pooling stages",
                              config->input_height, config->input_width, config->n_blocks);
    }

  if (config->n_hidden_fc < 0 || config->n_hidden_fc > VGG_MAX_FC)
    return vgg_error_set (error, VGG_STATUS_UNSUPPORTED,
                          "%d hidden fully connected layers (0…%d allowed)",
                          config->n_hidden_fc, VGG_MAX_FC);
  for (int i = 0; i < config->n_hidden_fc; i++)
    if (config->hidden_fc_widths[i] < 1 || config->hidden_fc_widths[i] > VGG_MAX_FC_WIDTH)
      return vgg_error_set (error, VGG_STATUS_UNSUPPORTED,
                            "fully connected layer %d has width %d (1…%d allowed)", i + 1,
                            config->hidden_fc_widths[i], VGG_MAX_FC_WIDTH);
  if (config->n_classes < 0 || config->n_classes > VGG_MAX_FC_WIDTH)
    return vgg_error_set (error, VGG_STATUS_UNSUPPORTED, "%d classes (0…%d allowed)",
                          config->n_classes, VGG_MAX_FC_WIDTH);
  if (config->n_classes == 0 && config->n_hidden_fc > 0)
    return vgg_error_set (error, VGG_STATUS_UNSUPPORTED,
                          "fully connected layers without a classifier are not supported");
  return VGG_STATUS_OK;
}
