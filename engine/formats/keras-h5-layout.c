/* keras-h5-layout.c — the layers of a Keras HDF5 file, in each of its layouts
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Published and Keras 2 files list their layers in the attribute layer_names and each layer's
 * datasets in weight_names; Keras 3 files have layers/<name>/vars/<i>, put in model order by
 * name. Every layer gets its kernel and bias datasets, every convolution its block and place:
 * from its name blockB_convK or, for Keras 3's class names conv2d_N, from the kernels' widths
 * and the number of max-pools.
 */
#include "config.h"

#include "keras-h5-file.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------------------------------------
 * Layers and their datasets
 */

void
vgg_keras_h5_file_clear (KerasFile *keras)
{
  for (size_t i = 0; i < keras->n_layers; i++)
    {
      for (int k = 0; k < keras->layers[i].n_weights; k++)
        H5Dclose (keras->layers[i].weights[k]);
      free (keras->layers[i].name);
    }
  free (keras->layers);
  keras->layers = NULL;
  keras->n_layers = 0;
  if (keras->h5 >= 0)
    H5Fclose (keras->h5);
  keras->h5 = -1;
}

/* A new layer record (its datasets to be added); NULL when out of memory. */
static KerasLayer *
keras_file_add_layer (KerasFile  *keras,
                      const char *name)
{
  KerasLayer *bigger, *layer;

  bigger = realloc (keras->layers, (keras->n_layers + 1) * sizeof *bigger);
  if (bigger == NULL)
    return NULL;
  keras->layers = bigger;
  layer = &keras->layers[keras->n_layers];
  memset (layer, 0, sizeof *layer);
  layer->name = strdup (name);
  if (layer->name == NULL)
    return NULL;
  keras->n_layers++;
  return layer;
}

static VggStatus
layer_add_dataset (KerasFile  *keras,
                   KerasLayer *layer,
                   hid_t       location,
                   const char *dataset_name,
                   VggError   *error)
{
  VggStatus status;
  hid_t dataset;

  if (layer->n_weights == 2)
    return vgg_error_set (error, VGG_STATUS_UNSUPPORTED, "%s: layer '%s' has more than two "
                          "weights; a VGG layer has a kernel and a bias", keras->path,
                          layer->name);
  status = vgg_keras_h5_check_local_links (keras, location, dataset_name, error);
  if (status != VGG_STATUS_OK)
    return status;
  dataset = H5Lexists (location, dataset_name, H5P_DEFAULT) > 0
            ? H5Dopen2 (location, dataset_name, H5P_DEFAULT) : -1;
  if (dataset < 0)
    return vgg_error_set (error, VGG_STATUS_FORMAT, "%s: layer '%s': dataset '%s' (listed in "
                          "its weight_names) does not exist", keras->path, layer->name,
                          dataset_name);
  status = vgg_keras_h5_check_local_storage (keras, layer->name, dataset_name, dataset, error);
  if (status != VGG_STATUS_OK)
    {
      H5Dclose (dataset);
      return status;
    }
  layer->weights[layer->n_weights++] = dataset;
  return VGG_STATUS_OK;
}

/* Published and Keras 2 files: layer_names on @root, weight_names on each layer group. */
VggStatus
vgg_keras_h5_collect_named_layers (KerasFile *keras,
                                   hid_t      root,
                                   VggError  *error)
{
  StringList layer_names = { 0 };
  VggStatus status;
  bool found;

  status = vgg_keras_h5_read_names (root, "layer_names", &layer_names, &found, keras->path,
                                    "root group", error);
  for (size_t i = 0; status == VGG_STATUS_OK && i < layer_names.n; i++)
    {
      const char *name = layer_names.items[i];
      StringList weight_names = { 0 };
      KerasLayer *layer;
      hid_t group = -1;

      if (name[0] != '\0'
          && (status = vgg_keras_h5_check_local_links (keras, root, name, error)) != VGG_STATUS_OK)
        break;
      if (name[0] == '\0' || H5Lexists (root, name, H5P_DEFAULT) <= 0
          || (group = H5Gopen2 (root, name, H5P_DEFAULT)) < 0)
        {
          status = vgg_error_set (error, VGG_STATUS_FORMAT, "%s: layer '%s' (listed in "
                                  "layer_names) has no group", keras->path, name);
          break;
        }
      status = vgg_keras_h5_read_names (group, "weight_names", &weight_names, &found, keras->path,
                                        name, error);
      if (status == VGG_STATUS_OK && !found)
        status = vgg_error_set (error, VGG_STATUS_FORMAT, "%s: layer '%s' has no weight_names "
                                "attribute", keras->path, name);
      if (status == VGG_STATUS_OK && weight_names.n > 0)
        {
          layer = keras_file_add_layer (keras, name);
          if (layer == NULL)
            status = vgg_error_set (error, VGG_STATUS_NO_MEMORY, "out of memory");
          for (size_t k = 0; status == VGG_STATUS_OK && k < weight_names.n; k++)
            status = layer_add_dataset (keras, layer, group, weight_names.items[k], error);
        }
      vgg_keras_h5_string_list_clear (&weight_names);
      H5Gclose (group);
    }
  vgg_keras_h5_string_list_clear (&layer_names);
  return status;
}

static herr_t
collect_link_name (hid_t             group,
                   const char       *name,
                   const H5L_info_t *info,
                   void             *data)
{
  StringList *names = data;

  if (info->type != H5L_TYPE_HARD)
    return 0;
  return vgg_keras_h5_string_list_append (names, name, strnlen (name, MAX_NAME_LENGTH)) ? 0 : -1;
}

/* "conv2d_12" → base "conv2d", number 12; "conv2d" → 0; "block1_conv1" → itself, 0. */
static size_t
split_suffix (const char *name,
              long       *number)
{
  size_t length = strlen (name), digits = 0;

  while (digits < length && digits < 9 && name[length - 1 - digits] >= '0'
         && name[length - 1 - digits] <= '9')
    digits++;
  *number = 0;
  if (digits == 0 || digits == length || name[length - 1 - digits] != '_')
    return length;
  *number = strtol (name + length - digits, NULL, 10);
  return length - digits - 1;
}

/* Model order for Keras 3's names: by base name, then by number (conv2d_2 before conv2d_10). */
static int
compare_keras3_names (const void *a,
                      const void *b)
{
  const char *x = *(char *const *) a, *y = *(char *const *) b;
  long number_x, number_y;
  size_t base_x = split_suffix (x, &number_x), base_y = split_suffix (y, &number_y);
  int order = strncmp (x, y, base_x < base_y ? base_x : base_y);

  if (order != 0)
    return order;
  if (base_x != base_y)
    return base_x < base_y ? -1 : 1;
  return (number_x > number_y) - (number_x < number_y);
}

/* Keras 3: layers/<name>/vars/<i> for i = 0, 1, …. Keras 3 names these groups after the
 * layer classes, numbered in model order (conv2d, conv2d_1, …, max_pooling2d, …, dense,
 * dense_1, dense_2), so they are sorted by base name and number; names like block1_conv1
 * (Keras's layer names) sort into model order the same way. */
VggStatus
vgg_keras_h5_collect_keras3_layers (KerasFile *keras,
                                    hid_t      layers,
                                    VggError  *error)
{
  StringList names = { 0 };
  VggStatus status = VGG_STATUS_OK;
  hsize_t index = 0;

  if (H5Literate (layers, H5_INDEX_NAME, H5_ITER_INC, &index, collect_link_name, &names) < 0)
    {
      vgg_keras_h5_string_list_clear (&names);
      return vgg_error_set (error, VGG_STATUS_FORMAT, "%s: cannot list the group 'layers' "
                            "(more than %d layers?)", keras->path, MAX_LAYERS);
    }
  if (names.n > 1)
    qsort (names.items, names.n, sizeof *names.items, compare_keras3_names);
  keras->n_pools = 0;
  for (size_t i = 0; i < names.n; i++)
    {
      long number;

      if (split_suffix (names.items[i], &number) == strlen ("max_pooling2d")
          && strncmp (names.items[i], "max_pooling2d", strlen ("max_pooling2d")) == 0)
        keras->n_pools++;
    }
  for (size_t i = 0; status == VGG_STATUS_OK && i < names.n; i++)
    {
      char vars_path[MAX_NAME_LENGTH + 16];
      KerasLayer *layer = NULL;
      hid_t vars;

      snprintf (vars_path, sizeof vars_path, "%s/vars", names.items[i]);
      status = vgg_keras_h5_check_local_links (keras, layers, vars_path, error);
      if (status != VGG_STATUS_OK)
        break;
      if (H5Lexists (layers, names.items[i], H5P_DEFAULT) <= 0
          || H5Lexists (layers, vars_path, H5P_DEFAULT) <= 0
          || (vars = H5Gopen2 (layers, vars_path, H5P_DEFAULT)) < 0)
        continue;   /* not a layer with variables */
      for (int k = 0; status == VGG_STATUS_OK && k < 3; k++)
        {
          char key[8];

          snprintf (key, sizeof key, "%d", k);
          if (H5Lexists (vars, key, H5P_DEFAULT) <= 0)
            break;
          if (layer == NULL && (layer = keras_file_add_layer (keras, names.items[i])) == NULL)
            status = vgg_error_set (error, VGG_STATUS_NO_MEMORY, "out of memory");
          else
            status = layer_add_dataset (keras, layer, vars, key, error);
        }
      H5Gclose (vars);
    }
  vgg_keras_h5_string_list_clear (&names);
  return status;
}

/* ---------------------------------------------------------------------------------------------
 * Convolutions' blocks
 */

/* "blockB_convK" → B, K; false for any other name. */
static bool
parse_conv_name (const char *name,
                 int        *block,
                 int        *conv)
{
  char tail;

  if (strncmp (name, "block", 5) != 0 || name[5] < '1' || name[5] > '9')
    return false;
  return sscanf (name, "block%d_conv%d%c", block, conv, &tail) == 2 && *block >= 1
         && *block <= 1000 && *conv >= 1 && *conv <= 1000;
}

/* The output channels of a convolution layer's kernel, or 0. */
static int64_t
conv_width (const KerasFile  *keras,
            const KerasLayer *layer)
{
  int64_t shape[4];
  int ndim = 0;

  if (layer->n_weights < 1
      || vgg_keras_h5_dataset_shape (keras, layer->weights[0], &ndim, shape, NULL)
      || ndim != 4)
    return 0;
  return shape[3];
}

static bool
is_class_named_conv (const char *name)
{
  long number;

  return split_suffix (name, &number) == strlen ("conv2d")
         && strncmp (name, "conv2d", strlen ("conv2d")) == 0;
}

/* Gives every convolution its block and place: from blockB_convK names, or, for Keras 3's
 * class names (conv2d_N), which say nothing of blocks, from the widths and the number of
 * max-pools: a block ends where the width changes, and when there are more pools than width
 * changes, the longest runs of one width are halved (the last first) — which recovers VGG11,
 * 13, 16 and 19, whose last two blocks are both 512 wide. */
VggStatus
vgg_keras_h5_assign_blocks (KerasFile *keras,
                            VggError  *error)
{
  int runs[VGG_MAX_BLOCKS + 1], n_runs = 0, n_convs = 0, n_named = 0, n_blocks;
  int64_t previous = -1;

  for (size_t i = 0; i < keras->n_layers; i++)
    {
      KerasLayer *layer = &keras->layers[i];
      int64_t shape[4];
      int ndim = 0;

      if (layer->n_weights < 1
          || vgg_keras_h5_dataset_shape (keras, layer->weights[0], &ndim, shape, NULL)
          || ndim != 4)
        continue;
      n_convs++;
      if (parse_conv_name (layer->name, &layer->block, &layer->conv))
        n_named++;
      else if (keras->n_pools < 0 || !is_class_named_conv (layer->name))
        return vgg_error_set (error, VGG_STATUS_UNSUPPORTED, "%s: convolution layer '%s' is "
                              "not named like Keras's VGG layers (block1_conv1, block1_conv2, "
                              "…)", keras->path, layer->name);
    }
  if (n_named == n_convs)
    return VGG_STATUS_OK;
  if (n_named > 0)
    return vgg_error_set (error, VGG_STATUS_UNSUPPORTED, "%s: convolution layers are named "
                          "both blockB_convK and conv2d_N", keras->path);

  for (size_t i = 0; i < keras->n_layers; i++)
    {
      int64_t width = is_class_named_conv (keras->layers[i].name)
                      ? conv_width (keras, &keras->layers[i]) : 0;

      if (width == 0)
        continue;
      if (width != previous)
        {
          if (n_runs == VGG_MAX_BLOCKS)
            return vgg_error_set (error, VGG_STATUS_UNSUPPORTED, "%s: more than %d blocks",
                                  keras->path, VGG_MAX_BLOCKS);
          runs[n_runs++] = 0;
          previous = width;
        }
      runs[n_runs - 1]++;
    }
  /* (convolutions counted above whose kernels give no width: none to split into blocks) */
  if (n_runs == 0)
    return vgg_error_set (error, VGG_STATUS_UNSUPPORTED, "%s: no convolution layer with a "
                          "usable kernel: not a VGG", keras->path);
  n_blocks = keras->n_pools > 0 ? keras->n_pools : n_runs;
  if (n_blocks < n_runs || n_blocks > VGG_MAX_BLOCKS)
    return vgg_error_set (error, VGG_STATUS_UNSUPPORTED, "%s: %d max-pool layers for %d "
                          "convolution widths: not a VGG", keras->path, keras->n_pools, n_runs);
  while (n_runs < n_blocks)
    {
      int longest = n_runs - 1;

      for (int r = n_runs - 1; r >= 0; r--)
        if (runs[r] > runs[longest])
          longest = r;
      if (runs[longest] < 2)
        return vgg_error_set (error, VGG_STATUS_UNSUPPORTED, "%s: %d max-pool layers for %d "
                              "convolutions: not a VGG", keras->path, keras->n_pools, n_convs);
      memmove (&runs[longest + 1], &runs[longest], (size_t) (n_runs - longest) * sizeof *runs);
      runs[longest] = (runs[longest + 1] + 1) / 2;
      runs[longest + 1] -= runs[longest];
      n_runs++;
    }

  for (size_t i = 0, r = 0, k = 0; i < keras->n_layers; i++)
    if (is_class_named_conv (keras->layers[i].name) && conv_width (keras, &keras->layers[i]) > 0)
      {
        keras->layers[i].block = (int) r + 1;
        keras->layers[i].conv = (int) ++k;
        if ((int) k == runs[r])
          {
            r++;
            k = 0;
          }
      }
  return VGG_STATUS_OK;
}
