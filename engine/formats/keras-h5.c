/* keras-h5.c — Keras VGG16/VGG19 HDF5 weight files, converted to torchvision's layout
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Three layouts are read, all through libhdf5 (kernels are stored HWIO, [3, 3, in, out], and
 * become torchvision's OIHW; fc1's rows follow Keras' NHWC flatten and are permuted to NCHW):
 *   published   vgg16_weights_tf_dim_ordering_tf_kernels[_notop].h5: root attribute
 *               layer_names; a group per layer whose attribute weight_names names its
 *               datasets ("block1_conv1_W_1:0"), relative to the group
 *   Keras 2     Model.save_weights(): the same, weight names "block1_conv1/kernel:0"; or
 *               Model.save(), where all of it sits under the group model_weights
 *   Keras 3     Model.save_weights() to .weights.h5: no attributes; datasets
 *               layers/<name>/vars/0 (kernel) and vars/1 (bias), layers in name order
 *
 * The layers are the ones keras.applications.VGG16/VGG19 name: blockB_convK (kernels HWIO
 * (3, 3, in, out)), then Dense layers (kernels (in, out)), whatever their names; layers
 * without weights (input, pools, flatten) are skipped. Every block ends with a 2×2 max-pool,
 * as in Keras's VGG. The output uses torchvision's names and layouts, so model-load.c builds
 * the model exactly as it would from vgg16-397923af.pth:
 *   conv   features.N.weight [out, in, 3, 3] (from HWIO), features.N.bias
 *   dense  classifier.K.weight [out, in] (transposed), classifier.K.bias, K = 0, 3, 6, …;
 *          the first one's columns permuted from Keras's H,W,C flatten order to C,H,W
 * No classifier tensors for a notop file. Metadata: preset "caffe" (the weights come from
 * Caffe: BGR input, mean subtraction), trained, a name, and input size 224 for notop.
 *
 * libhdf5 prints errors to stderr by default; that is switched off. libhdf5 is not robust
 * against damaged files, so this file is linked only into the vgg-scope-h5-reader program,
 * which the engine runs in a process of its own (keras-h5.h describes the protocol).
 */
#include "config.h"

#include "converted-file.h"
#include "keras-h5.h"
#include "engine-private.h"
#include "tensor-file.h"

#include <errno.h>
#include <hdf5.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_LAYERS       4096     /* Keras VGG19 has 26 */
#define MAX_NAME_LENGTH  1024
#define MAX_CHANNELS     16384
#define MAX_FC_WIDTH     (1 << 20)
#define MAX_TENSOR_COUNT ((int64_t) 1 << 31)

/* ---------------------------------------------------------------------------------------------
 * Lists of strings from attributes
 */

typedef struct
{
  char   **items;
  size_t   n;
} StringList;

static void
string_list_clear (StringList *list)
{
  for (size_t i = 0; i < list->n; i++)
    free (list->items[i]);
  free (list->items);
  list->items = NULL;
  list->n = 0;
}

static bool
string_list_append (StringList *list,
                    const char *text,
                    size_t      length)
{
  char **bigger;
  char *copy;

  if (list->n >= MAX_LAYERS)
    return false;
  bigger = realloc (list->items, (list->n + 1) * sizeof *bigger);
  if (bigger == NULL)
    return false;
  list->items = bigger;
  copy = malloc (length + 1);
  if (copy == NULL)
    return false;
  memcpy (copy, text, length);
  copy[length] = '\0';
  list->items[list->n++] = copy;
  return true;
}

/* Appends the strings of attribute @name of @object (a 1-D array of fixed or variable-length
 * strings; an empty array of any type is an empty list). */
static VggStatus
read_string_attribute (hid_t        object,
                       const char  *name,
                       StringList  *list,
                       const char  *path,
                       const char  *where,
                       VggError    *error)
{
  VggStatus status = VGG_STATUS_OK;
  hid_t attribute, type = -1, space = -1, memory_type = -1;
  hssize_t n;

  attribute = H5Aopen (object, name, H5P_DEFAULT);
  if (attribute < 0)
    return vgg_error_set (error, VGG_STATUS_FORMAT, "%s: %s: cannot read attribute '%s'", path,
                          where, name);
  type = H5Aget_type (attribute);
  space = H5Aget_space (attribute);
  n = space >= 0 ? H5Sget_simple_extent_npoints (space) : -1;
  if (type < 0 || n < 0 || H5Sget_simple_extent_ndims (space) > 1)
    {
      status = vgg_error_set (error, VGG_STATUS_FORMAT, "%s: %s: attribute '%s' is not a list "
                              "of names", path, where, name);
      goto out;
    }
  if (n == 0)
    goto out;
  if (H5Tget_class (type) != H5T_STRING)
    {
      status = vgg_error_set (error, VGG_STATUS_FORMAT, "%s: %s: attribute '%s' does not hold "
                              "strings", path, where, name);
      goto out;
    }
  if (n > MAX_LAYERS || list->n + (size_t) n > MAX_LAYERS)
    {
      status = vgg_error_set (error, VGG_STATUS_TOO_LARGE, "%s: %s: attribute '%s' lists %lld "
                              "names (at most %d)", path, where, name, (long long) n, MAX_LAYERS);
      goto out;
    }

  if (H5Tis_variable_str (type) > 0)
    {
      char **strings = calloc ((size_t) n, sizeof *strings);

      memory_type = H5Tcopy (H5T_C_S1);
      if (strings == NULL || memory_type < 0 || H5Tset_size (memory_type, H5T_VARIABLE) < 0
          || H5Aread (attribute, memory_type, strings) < 0)
        {
          free (strings);
          status = vgg_error_set (error, VGG_STATUS_FORMAT, "%s: %s: cannot read attribute "
                                  "'%s'", path, where, name);
          goto out;
        }
      for (hssize_t i = 0; i < n && status == VGG_STATUS_OK; i++)
        {
          const char *s = strings[i] != NULL ? strings[i] : "";
          size_t length = strnlen (s, MAX_NAME_LENGTH + 1);

          if (length > MAX_NAME_LENGTH)
            status = vgg_error_set (error, VGG_STATUS_FORMAT, "%s: %s: a name in attribute "
                                    "'%s' is longer than %d bytes", path, where, name,
                                    MAX_NAME_LENGTH);
          else if (!string_list_append (list, s, length))
            status = vgg_error_set (error, VGG_STATUS_NO_MEMORY, "out of memory");
        }
      H5Dvlen_reclaim (memory_type, space, H5P_DEFAULT, strings);
      free (strings);
    }
  else
    {
      size_t size = H5Tget_size (type);
      char *buffer;

      if (size == 0 || size > MAX_NAME_LENGTH)
        {
          status = vgg_error_set (error, VGG_STATUS_FORMAT, "%s: %s: attribute '%s' has "
                                  "strings of %zu bytes", path, where, name, size);
          goto out;
        }
      buffer = calloc ((size_t) n, size);
      if (buffer == NULL)
        {
          status = vgg_error_set (error, VGG_STATUS_NO_MEMORY, "out of memory");
          goto out;
        }
      if (H5Aread (attribute, type, buffer) < 0)
        {
          free (buffer);
          status = vgg_error_set (error, VGG_STATUS_FORMAT, "%s: %s: cannot read attribute "
                                  "'%s'", path, where, name);
          goto out;
        }
      for (hssize_t i = 0; i < n && status == VGG_STATUS_OK; i++)
        {
          const char *s = buffer + (size_t) i * size;

          /* fixed-length strings are NUL- or space-padded, or fill the whole slot */
          size_t length = strnlen (s, size);
          while (length > 0 && s[length - 1] == ' ')
            length--;
          if (!string_list_append (list, s, length))
            status = vgg_error_set (error, VGG_STATUS_NO_MEMORY, "out of memory");
        }
      free (buffer);
    }

out:
  if (memory_type >= 0)
    H5Tclose (memory_type);
  if (space >= 0)
    H5Sclose (space);
  if (type >= 0)
    H5Tclose (type);
  H5Aclose (attribute);
  return status;
}

/* Keras 2 splits attributes larger than 64 KiB into name0, name1, …; reads either form.
 * *found is false when neither exists. */
static VggStatus
read_keras_names (hid_t        object,
                  const char  *name,
                  StringList  *list,
                  bool        *found,
                  const char  *path,
                  const char  *where,
                  VggError    *error)
{
  char chunk[64];

  *found = false;
  if (H5Aexists (object, name) > 0)
    {
      *found = true;
      return read_string_attribute (object, name, list, path, where, error);
    }
  for (int i = 0; i < MAX_LAYERS; i++)
    {
      VggStatus status;

      snprintf (chunk, sizeof chunk, "%s%d", name, i);
      if (H5Aexists (object, chunk) <= 0)
        break;
      *found = true;
      status = read_string_attribute (object, chunk, list, path, where, error);
      if (status != VGG_STATUS_OK)
        return status;
    }
  return VGG_STATUS_OK;
}

/* ---------------------------------------------------------------------------------------------
 * Layers and their datasets
 */

typedef struct
{
  char  *name;            /* the Keras layer name */
  hid_t  weights[2];      /* kernel, bias */
  int    n_weights;
  int    block, conv;     /* for convolutions: blockB_convK, from the name or inferred */
} KerasLayer;

typedef struct
{
  const char *path;
  hid_t       h5;
  KerasLayer *layers;
  size_t      n_layers;
  const char *layout;     /* for messages */
  int         n_pools;    /* Keras 3: max_pooling2d groups seen (-1 for other layouts) */
} KerasFile;

static void
keras_file_clear (KerasFile *keras)
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

/* Every link on the way from @location to @path must be a hard link: a soft link, and above
 * all an external link, could make the reader open another file the user never named. */
static VggStatus
check_local_links (const KerasFile *keras,
                   hid_t            location,
                   const char      *path,
                   VggError        *error)
{
  char prefix[MAX_NAME_LENGTH + 16];
  size_t length = strlen (path);

  if (length >= sizeof prefix)
    return vgg_error_set (error, VGG_STATUS_TOO_LARGE, "%s: HDF5 path '%.64s…' is %zu bytes "
                          "long; at most %zu are read", keras->path, path, length,
                          sizeof prefix - 1);
  for (size_t end = 0; end <= length; end++)
    {
      H5L_info_t info;

      if (path[end] != '/' && path[end] != '\0')
        continue;
      if (end == 0)
        continue;   /* an absolute path starts at the root group, which is no link */
      memcpy (prefix, path, end);
      prefix[end] = '\0';
      if (H5Lexists (location, prefix, H5P_DEFAULT) <= 0)
        return VGG_STATUS_OK;   /* the caller reports what is missing */
      if (H5Lget_info (location, prefix, &info, H5P_DEFAULT) < 0)
        return vgg_error_set (error, VGG_STATUS_FORMAT, "%s: cannot read the link '%s'",
                              keras->path, prefix);
      if (info.type != H5L_TYPE_HARD)
        return vgg_error_set (error, VGG_STATUS_UNSAFE, "%s: '%s' is %s; VGG Scope reads only "
                              "objects stored in the file itself", keras->path, prefix,
                              info.type == H5L_TYPE_EXTERNAL
                              ? "an external link to another file"
                              : info.type == H5L_TYPE_SOFT ? "a soft link"
                                                           : "a user-defined link");
    }
  return VGG_STATUS_OK;
}

/* A dataset whose values live outside the file (external raw storage, or a virtual dataset
 * assembled from other datasets, possibly in other files) is refused before it is read. */
static VggStatus
check_local_storage (const KerasFile *keras,
                     const char      *layer,
                     const char      *name,
                     hid_t            dataset,
                     VggError        *error)
{
  hid_t plist = H5Dget_create_plist (dataset);
  int n_external;
  H5D_layout_t layout;

  if (plist < 0)
    return vgg_error_set (error, VGG_STATUS_FORMAT, "%s: layer '%s': cannot read how dataset "
                          "'%s' is stored", keras->path, layer, name);
  n_external = H5Pget_external_count (plist);
  layout = H5Pget_layout (plist);
  H5Pclose (plist);
  if (n_external != 0)
    return vgg_error_set (error, VGG_STATUS_UNSAFE, "%s: layer '%s': dataset '%s' keeps its "
                          "values in %d external file(s); VGG Scope reads only data stored in "
                          "the file itself", keras->path, layer, name, n_external);
  if (layout == H5D_VIRTUAL)
    return vgg_error_set (error, VGG_STATUS_UNSAFE, "%s: layer '%s': dataset '%s' is a virtual "
                          "dataset (its values come from other datasets or files); VGG Scope "
                          "reads only data stored in the file itself", keras->path, layer,
                          name);
  if (layout < 0)
    return vgg_error_set (error, VGG_STATUS_FORMAT, "%s: layer '%s': cannot read how dataset "
                          "'%s' is stored", keras->path, layer, name);
  return VGG_STATUS_OK;
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
  status = check_local_links (keras, location, dataset_name, error);
  if (status != VGG_STATUS_OK)
    return status;
  dataset = H5Lexists (location, dataset_name, H5P_DEFAULT) > 0
            ? H5Dopen2 (location, dataset_name, H5P_DEFAULT) : -1;
  if (dataset < 0)
    return vgg_error_set (error, VGG_STATUS_FORMAT, "%s: layer '%s': dataset '%s' (listed in "
                          "its weight_names) does not exist", keras->path, layer->name,
                          dataset_name);
  status = check_local_storage (keras, layer->name, dataset_name, dataset, error);
  if (status != VGG_STATUS_OK)
    {
      H5Dclose (dataset);
      return status;
    }
  layer->weights[layer->n_weights++] = dataset;
  return VGG_STATUS_OK;
}

/* Published and Keras 2 files: layer_names on @root, weight_names on each layer group. */
static VggStatus
collect_named_layers (KerasFile *keras,
                      hid_t      root,
                      VggError  *error)
{
  StringList layer_names = { 0 };
  VggStatus status;
  bool found;

  status = read_keras_names (root, "layer_names", &layer_names, &found, keras->path,
                             "root group", error);
  for (size_t i = 0; status == VGG_STATUS_OK && i < layer_names.n; i++)
    {
      const char *name = layer_names.items[i];
      StringList weight_names = { 0 };
      KerasLayer *layer;
      hid_t group = -1;

      if (name[0] != '\0'
          && (status = check_local_links (keras, root, name, error)) != VGG_STATUS_OK)
        break;
      if (name[0] == '\0' || H5Lexists (root, name, H5P_DEFAULT) <= 0
          || (group = H5Gopen2 (root, name, H5P_DEFAULT)) < 0)
        {
          status = vgg_error_set (error, VGG_STATUS_FORMAT, "%s: layer '%s' (listed in "
                                  "layer_names) has no group", keras->path, name);
          break;
        }
      status = read_keras_names (group, "weight_names", &weight_names, &found, keras->path,
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
      string_list_clear (&weight_names);
      H5Gclose (group);
    }
  string_list_clear (&layer_names);
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
  return string_list_append (names, name, strnlen (name, MAX_NAME_LENGTH)) ? 0 : -1;
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
static VggStatus
collect_keras3_layers (KerasFile *keras,
                       hid_t      layers,
                       VggError  *error)
{
  StringList names = { 0 };
  VggStatus status = VGG_STATUS_OK;
  hsize_t index = 0;

  if (H5Literate (layers, H5_INDEX_NAME, H5_ITER_INC, &index, collect_link_name, &names) < 0)
    {
      string_list_clear (&names);
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
      status = check_local_links (keras, layers, vars_path, error);
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
  string_list_clear (&names);
  return status;
}

/* ---------------------------------------------------------------------------------------------
 * Reading and converting
 */

/* The dataset's full HDF5 path for messages. */
static const char *
dataset_path (hid_t  dataset,
              char  *buffer,
              size_t size)
{
  ssize_t n = H5Iget_name (dataset, buffer, size);

  if (n <= 0)
    snprintf (buffer, size, "(unnamed dataset)");
  return buffer;
}

/* The shape of @dataset (rank ≤ 4, floating point), checked. */
static VggStatus
dataset_shape (const KerasFile *keras,
               hid_t            dataset,
               int             *ndim,
               int64_t         *shape,
               VggError        *error)
{
  char where[256];
  hsize_t dims[H5S_MAX_RANK];
  hid_t space = H5Dget_space (dataset);
  hid_t type = H5Dget_type (dataset);
  H5T_class_t type_class = type >= 0 ? H5Tget_class (type) : H5T_NO_CLASS;
  int rank = space >= 0 ? H5Sget_simple_extent_ndims (space) : -1;
  VggStatus status = VGG_STATUS_OK;

  if (rank < 0 || rank > 4 || H5Sget_simple_extent_dims (space, dims, NULL) != rank)
    status = vgg_error_set (error, VGG_STATUS_FORMAT, "%s: dataset '%s' is not an array of "
                            "rank 1 to 4", keras->path,
                            dataset_path (dataset, where, sizeof where));
  else if (type_class != H5T_FLOAT)
    status = vgg_error_set (error, VGG_STATUS_UNSUPPORTED, "%s: dataset '%s' does not hold "
                            "floating-point numbers", keras->path,
                            dataset_path (dataset, where, sizeof where));
  else
    {
      *ndim = rank;
      for (int i = 0; i < rank; i++)
        shape[i] = dims[i] > (hsize_t) INT64_MAX ? -1 : (int64_t) dims[i];
    }
  if (type >= 0)
    H5Tclose (type);
  if (space >= 0)
    H5Sclose (space);
  return status;
}

static void
format_dims (char          *buffer,
             size_t         size,
             const int64_t *shape,
             int            ndim)
{
  size_t used = (size_t) snprintf (buffer, size, "(");

  for (int i = 0; i < ndim && used < size; i++)
    used += (size_t) snprintf (buffer + used, size - used, "%s%lld", i > 0 ? ", " : "",
                               (long long) shape[i]);
  if (used < size)
    snprintf (buffer + used, size - used, ndim == 1 ? ",)" : ")");
}

/* Checks @dataset has exactly @expected, naming it and both shapes otherwise. */
static VggStatus
check_shape (const KerasFile *keras,
             hid_t            dataset,
             int              ndim,
             const int64_t   *shape,
             int              expected_ndim,
             const int64_t   *expected,
             const char      *what,
             VggError        *error)
{
  char where[256], found_text[96], expected_text[96];
  bool match = ndim == expected_ndim;

  for (int i = 0; match && i < ndim; i++)
    match = shape[i] == expected[i];
  if (match)
    return VGG_STATUS_OK;
  format_dims (found_text, sizeof found_text, shape, ndim);
  format_dims (expected_text, sizeof expected_text, expected, expected_ndim);
  return vgg_error_set (error, VGG_STATUS_SHAPE, "%s: dataset '%s' has shape %s; %s %s",
                        keras->path, dataset_path (dataset, where, sizeof where), found_text,
                        what, expected_text);
}

/* Reads the whole of @dataset as float32 into a new block of @count floats. */
static VggStatus
read_dataset (const KerasFile *keras,
              hid_t            dataset,
              int64_t          count,
              float          **data,
              VggError        *error)
{
  char where[256];

  *data = NULL;
  if (count <= 0 || count > MAX_TENSOR_COUNT)
    return vgg_error_set (error, VGG_STATUS_TOO_LARGE, "%s: dataset '%s' has %lld elements; "
                          "a tensor has 1 to 2^31", keras->path,
                          dataset_path (dataset, where, sizeof where), (long long) count);
  *data = malloc ((size_t) count * sizeof (float));
  if (*data == NULL)
    return vgg_error_set (error, VGG_STATUS_NO_MEMORY, "%s: out of memory reading dataset "
                          "'%s'", keras->path, dataset_path (dataset, where, sizeof where));
  if (H5Dread (dataset, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, *data) < 0)
    {
      free (*data);
      *data = NULL;
      return vgg_error_set (error, VGG_STATUS_FORMAT, "%s: cannot read dataset '%s' (truncated "
                            "or damaged file?)", keras->path,
                            dataset_path (dataset, where, sizeof where));
    }
  return VGG_STATUS_OK;
}

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

static VggStatus
add_tensor (VggTensorFile *file,
            const char    *name,
            int            ndim,
            const int64_t *shape,
            float         *data,
            VggError      *error)
{
  if (!vgg_converted_file_add (file, name, ndim, shape, data))
    return vgg_error_set (error, VGG_STATUS_NO_MEMORY, "out of memory");
  return VGG_STATUS_OK;
}

/* Adds @weight (whose ownership passes to @file) as @prefix.@index.weight of @shape, then
 * reads the layer's bias, @shape[0] values, and adds it as @prefix.@index.bias. */
static VggStatus
add_weight_and_bias (const KerasFile  *keras,
                     const KerasLayer *layer,
                     const char       *prefix,
                     int               index,
                     int               ndim,
                     const int64_t    *shape,
                     float            *weight,
                     VggTensorFile    *file,
                     VggError         *error)
{
  int64_t out = shape[0];
  float *bias = NULL;
  char name[64];
  VggStatus status;

  snprintf (name, sizeof name, "%s.%d.weight", prefix, index);
  if ((status = add_tensor (file, name, ndim, shape, weight, error)))
    return status;
  if ((status = read_dataset (keras, layer->weights[1], out, &bias, error)))
    return status;
  snprintf (name, sizeof name, "%s.%d.bias", prefix, index);
  return add_tensor (file, name, 1, &out, bias, error);
}

/* A conv layer: HWIO (3, 3, in, out) → features.N.weight [out, in, 3, 3]. */
static VggStatus
convert_conv (const KerasFile  *keras,
              const KerasLayer *layer,
              int               channels_in,
              int64_t          *channels_out,
              int               feature_index,
              VggTensorFile    *file,
              VggError         *error)
{
  int64_t kernel_shape[4], bias_shape[4], expected[4];
  int kernel_ndim = 0, bias_ndim = 0;
  float *kernel = NULL, *weight;
  VggStatus status;
  int64_t in, out;

  if ((status = dataset_shape (keras, layer->weights[0], &kernel_ndim, kernel_shape, error))
      || (status = dataset_shape (keras, layer->weights[1], &bias_ndim, bias_shape, error)))
    return status;

  in = kernel_shape[2];
  out = bias_ndim == 1 ? bias_shape[0] : kernel_shape[3];
  if (channels_in == 0 && (in < 1 || in > 4))
    in = 3;
  expected[0] = 3;
  expected[1] = 3;
  expected[2] = channels_in > 0 ? channels_in : in;
  expected[3] = out >= 1 && out <= MAX_CHANNELS ? out : 64;
  if ((status = check_shape (keras, layer->weights[0], kernel_ndim, kernel_shape, 4, expected,
                             "a convolution kernel must be HWIO (TensorFlow order)", error)))
    return status;
  in = expected[2];
  if ((status = check_shape (keras, layer->weights[1], bias_ndim, bias_shape, 1, &out,
                             "the bias must be", error)))
    return status;

  if ((status = read_dataset (keras, layer->weights[0], 9 * in * out, &kernel, error)))
    return status;
  weight = malloc ((size_t) (9 * in * out) * sizeof (float));
  if (weight == NULL)
    {
      free (kernel);
      return vgg_error_set (error, VGG_STATUS_NO_MEMORY, "out of memory");
    }
  for (int64_t hw = 0; hw < 9; hw++)
    for (int64_t i = 0; i < in; i++)
      {
        const float *row = kernel + (hw * in + i) * out;

        for (int64_t o = 0; o < out; o++)
          weight[(o * in + i) * 9 + hw] = row[o];
      }
  free (kernel);

  expected[0] = out;
  expected[1] = in;
  expected[2] = expected[3] = 3;
  if ((status = add_weight_and_bias (keras, layer, "features", feature_index, 4, expected,
                                     weight, file, error)))
    return status;
  *channels_out = out;
  return VGG_STATUS_OK;
}

/* A dense layer: kernel (in, out) → classifier.K.weight [out, in]. The first one flattens
 * pool5's output: Keras's row (h·S + w)·C + c becomes torchvision's column c·S·S + h·S + w. */
static VggStatus
convert_dense (const KerasFile  *keras,
               const KerasLayer *layer,
               int64_t           n_in,
               int64_t           flatten_channels,
               int64_t          *n_out,
               int               classifier_index,
               VggTensorFile    *file,
               VggError         *error)
{
  int64_t kernel_shape[4], bias_shape[4], expected[2];
  int kernel_ndim = 0, bias_ndim = 0;
  float *kernel = NULL, *weight;
  int64_t side = 1, out;
  VggStatus status;

  if ((status = dataset_shape (keras, layer->weights[0], &kernel_ndim, kernel_shape, error))
      || (status = dataset_shape (keras, layer->weights[1], &bias_ndim, bias_shape, error)))
    return status;

  /* the bias says how many outputs there are; the kernel must agree */
  out = bias_ndim == 1 ? bias_shape[0] : kernel_ndim == 2 ? kernel_shape[1] : 0;
  if (out < 1 || out > MAX_FC_WIDTH)
    out = 1;
  if (flatten_channels > 0)
    {
      /* the square map pool5 produces: rows = C·S·S */
      int64_t rows = kernel_ndim == 2 ? kernel_shape[0] : 0;

      while (side <= 4096 && flatten_channels * side * side < rows)
        side++;
      if (side > 4096 || flatten_channels * side * side != rows)
        side = 7;
      n_in = flatten_channels * side * side;
    }
  expected[0] = n_in;
  expected[1] = out;
  if ((status = check_shape (keras, layer->weights[0], kernel_ndim, kernel_shape, 2, expected,
                             flatten_channels > 0 ? "the first dense kernel must be (C·S·S, "
                             "out) for a square pool5 output, e.g." : "expected", error)))
    return status;
  if ((status = check_shape (keras, layer->weights[1], bias_ndim, bias_shape, 1, &out,
                             "the bias must be", error)))
    return status;
  if (n_in > MAX_TENSOR_COUNT / out)
    return vgg_error_set (error, VGG_STATUS_TOO_LARGE, "%s: layer '%s' has %lld × %lld "
                          "weights, more than the limit of 2^31 per tensor", keras->path,
                          layer->name, (long long) n_in, (long long) out);

  if ((status = read_dataset (keras, layer->weights[0], n_in * out, &kernel, error)))
    return status;
  weight = malloc ((size_t) (n_in * out) * sizeof (float));
  if (weight == NULL)
    {
      free (kernel);
      return vgg_error_set (error, VGG_STATUS_NO_MEMORY, "out of memory");
    }
  /* transpose in tiles: both sides stay in cache */
  for (int64_t r0 = 0; r0 < n_in; r0 += 64)
    for (int64_t o0 = 0; o0 < out; o0 += 64)
      for (int64_t r = r0; r < r0 + 64 && r < n_in; r++)
        {
          int64_t column = r;

          if (flatten_channels > 0)
            {
              int64_t c = r % flatten_channels, hw = r / flatten_channels;
              column = c * side * side + hw;
            }
          for (int64_t o = o0; o < o0 + 64 && o < out; o++)
            weight[o * n_in + column] = kernel[r * out + o];
        }
  free (kernel);

  expected[0] = out;
  expected[1] = n_in;
  if ((status = add_weight_and_bias (keras, layer, "classifier", classifier_index, 2, expected,
                                     weight, file, error)))
    return status;
  *n_out = out;
  return VGG_STATUS_OK;
}

/* The output channels of a convolution layer's kernel, or 0. */
static int64_t
conv_width (const KerasFile  *keras,
            const KerasLayer *layer)
{
  int64_t shape[4];
  int ndim = 0;

  if (layer->n_weights < 1 || dataset_shape (keras, layer->weights[0], &ndim, shape, NULL)
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
static VggStatus
assign_blocks (KerasFile *keras,
               VggError  *error)
{
  int runs[VGG_MAX_BLOCKS + 1], n_runs = 0, n_convs = 0, n_named = 0, n_blocks;
  int64_t previous = -1;

  for (size_t i = 0; i < keras->n_layers; i++)
    {
      KerasLayer *layer = &keras->layers[i];
      int64_t shape[4];
      int ndim = 0;

      if (layer->n_weights < 1 || dataset_shape (keras, layer->weights[0], &ndim, shape, NULL)
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

/* Walks the layers in order, checks they make a VGG, and converts them. */
static VggStatus
convert_layers (KerasFile     *keras,
                VggTensorFile *file,
                VggError      *error)
{
  VggConfig config = { 0 };
  int block = 0, conv_in_block = 0, feature_index = 0, n_dense = 0;
  int64_t channels = 0, n_out = 0;
  VggStatus status;

  for (size_t i = 0; i < keras->n_layers; i++)
    {
      const KerasLayer *layer = &keras->layers[i];
      int64_t shape[4];
      int ndim = 0, b, k;

      if (layer->n_weights != 2)
        return vgg_error_set (error, VGG_STATUS_UNSUPPORTED, "%s: layer '%s' has %d weight%s; "
                              "a VGG layer has a kernel and a bias", keras->path, layer->name,
                              layer->n_weights, layer->n_weights == 1 ? "" : "s");
      if ((status = dataset_shape (keras, layer->weights[0], &ndim, shape, error)))
        return status;

      if (ndim == 4)
        {
          b = layer->block;
          k = layer->conv;
          if (n_dense > 0)
            return vgg_error_set (error, VGG_STATUS_UNSUPPORTED, "%s: convolution layer '%s' "
                                  "comes after a dense layer", keras->path, layer->name);
          if (k == 1 && b == block + 1)
            {
              if (block == VGG_MAX_BLOCKS)
                return vgg_error_set (error, VGG_STATUS_UNSUPPORTED, "%s: layer '%s': more "
                                      "than %d blocks", keras->path, layer->name,
                                      VGG_MAX_BLOCKS);
              if (block > 0)
                feature_index++;   /* the block's max-pool */
              block = b;
              conv_in_block = 1;
              config.n_blocks = block;
            }
          else if (b == block && k == conv_in_block + 1)
            conv_in_block = k;
          else
            return vgg_error_set (error, VGG_STATUS_UNSUPPORTED, "%s: layer '%s' is out of "
                                  "order (after block%d_conv%d)", keras->path, layer->name,
                                  block, conv_in_block);
          status = convert_conv (keras, layer, (int) channels, &channels, feature_index, file,
                                 error);
          if (status != VGG_STATUS_OK)
            return status;
          if (conv_in_block > 1 && channels != config.block_widths[block - 1])
            return vgg_error_set (error, VGG_STATUS_UNSUPPORTED, "%s: layer '%s' has %lld "
                                  "filters, the block's first has %d; VGG blocks have one "
                                  "width", keras->path, layer->name, (long long) channels,
                                  config.block_widths[block - 1]);
          config.block_widths[block - 1] = (int) channels;
          config.block_convs[block - 1] = conv_in_block;
          feature_index += 2;
        }
      else if (ndim == 2)
        {
          if (block == 0)
            return vgg_error_set (error, VGG_STATUS_UNSUPPORTED, "%s: dense layer '%s' comes "
                                  "before any convolution", keras->path, layer->name);
          if (n_dense == VGG_MAX_FC + 1)
            return vgg_error_set (error, VGG_STATUS_UNSUPPORTED, "%s: more than %d dense "
                                  "layers", keras->path, VGG_MAX_FC + 1);
          status = convert_dense (keras, layer, n_out, n_dense == 0 ? channels : 0, &n_out,
                                  3 * n_dense, file, error);
          if (status != VGG_STATUS_OK)
            return status;
          if (n_dense < VGG_MAX_FC)
            config.hidden_fc_widths[n_dense] = (int) n_out;
          n_dense++;
        }
      else
        {
          char where[256];

          return vgg_error_set (error, VGG_STATUS_UNSUPPORTED, "%s: layer '%s': kernel '%s' "
                                "has %d dimensions; VGG has convolutions (4) and dense "
                                "layers (2)", keras->path, layer->name,
                                dataset_path (layer->weights[0], where, sizeof where), ndim);
        }
    }
  if (block == 0)
    return vgg_error_set (error, VGG_STATUS_UNSUPPORTED, "%s: no VGG convolution layers found "
                          "(%s layout)", keras->path, keras->layout);

  config.n_hidden_fc = n_dense > 0 ? n_dense - 1 : 0;
  config.n_classes = n_dense > 0 ? (int) n_out : 0;
  if (!vgg_converted_file_set_metadata (file, "vgg_scope.preset", "caffe")
      || !vgg_converted_file_set_metadata (file, "vgg_scope.trained", "true")
      || (n_dense == 0 && !vgg_converted_file_set_metadata (file, "vgg_scope.input_size",
                                                            "224"))
      || !vgg_converted_file_name_model (file, &config, "Keras"))
    return vgg_error_set (error, VGG_STATUS_NO_MEMORY, "out of memory");
  return VGG_STATUS_OK;
}

VggStatus
vgg_keras_h5_read (VggTensorFile **file_out,
                   const char     *path,
                   VggError       *error)
{
  KerasFile keras = { .path = path, .h5 = -1, .n_pools = -1 };
  VggTensorFile *file = NULL;
  VggStatus status;
  hid_t root = -1;

  {
    struct stat st;
    int fd = vgg_open_regular_file (path, &st, error);   /* never block on a FIFO */

    if (fd < 0)
      return VGG_STATUS_IO;
    close (fd);
  }
  H5Eset_auto2 (H5E_DEFAULT, NULL, NULL);   /* the messages below say what failed */
  keras.h5 = H5Fopen (path, H5F_ACC_RDONLY, H5P_DEFAULT);
  if (keras.h5 < 0)
    return vgg_error_set (error, VGG_STATUS_FORMAT, "%s: cannot open as an HDF5 file (damaged "
                          "or truncated?)", path);

  if ((status = check_local_links (&keras, keras.h5, "model_weights", error)) != VGG_STATUS_OK
      || (status = check_local_links (&keras, keras.h5, "layers", error)) != VGG_STATUS_OK)
    ;
  else if (H5Aexists (keras.h5, "layer_names") > 0 || H5Aexists (keras.h5, "layer_names0") > 0)
    {
      keras.layout = "Keras weights";
      status = collect_named_layers (&keras, keras.h5, error);
    }
  else if (H5Lexists (keras.h5, "model_weights", H5P_DEFAULT) > 0
           && (root = H5Gopen2 (keras.h5, "model_weights", H5P_DEFAULT)) >= 0)
    {
      keras.layout = "Keras model";
      status = collect_named_layers (&keras, root, error);
    }
  else if (H5Lexists (keras.h5, "layers", H5P_DEFAULT) > 0
           && (root = H5Gopen2 (keras.h5, "layers", H5P_DEFAULT)) >= 0)
    {
      keras.layout = "Keras 3";
      status = collect_keras3_layers (&keras, root, error);
    }
  else
    status = vgg_error_set (error, VGG_STATUS_UNSUPPORTED, "%s: an HDF5 file, but not Keras "
                            "weights (no layer_names attribute, model_weights or layers "
                            "group)", path);
  if (root >= 0)
    H5Gclose (root);

  if (status == VGG_STATUS_OK)
    status = assign_blocks (&keras, error);
  if (status == VGG_STATUS_OK)
    {
      file = vgg_converted_file_new (VGG_SOURCE_KERAS_H5);
      status = file != NULL ? convert_layers (&keras, file, error)
                            : vgg_error_set (error, VGG_STATUS_NO_MEMORY, "out of memory");
    }
  keras_file_clear (&keras);
  if (status != VGG_STATUS_OK)
    {
      vgg_tensor_file_free (file);
      return status;
    }
  *file_out = file;
  return VGG_STATUS_OK;
}

/* ---------------------------------------------------------------------------------------------
 * The reader's side of the stream (keras-h5.h)
 */

static bool
write_all (int         fd,
           const void *data,
           size_t      size)
{
  const unsigned char *p = data;

  while (size > 0)
    {
      ssize_t n = write (fd, p, size > ((size_t) 1 << 20) ? (size_t) 1 << 20 : size);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return false;
      p += n;
      size -= (size_t) n;
    }
  return true;
}

static bool
write_u32 (int      fd,
           uint32_t value)
{
  return write_all (fd, &value, sizeof value);
}

static bool
write_string (int         fd,
              const char *text)
{
  size_t length = strlen (text);

  return length <= UINT32_MAX && write_u32 (fd, (uint32_t) length) && write_all (fd, text, length);
}

bool
vgg_keras_h5_send (int         fd,
                   const char *path)
{
  VggTensorFile *file = NULL;
  VggError error = { 0 };
  VggStatus status;
  bool ok;

  status = vgg_keras_h5_read (&file, path, &error);
  ok = write_u32 (fd, VGG_KERAS_H5_STREAM_MAGIC) && write_u32 (fd, (uint32_t) status)
       && write_string (fd, error.message);
  if (ok && status == VGG_STATUS_OK)
    {
      ok = write_u32 (fd, (uint32_t) file->n_metadata);
      for (size_t i = 0; ok && i < file->n_metadata; i++)
        ok = write_string (fd, file->metadata[i].key) && write_string (fd, file->metadata[i].value);
      ok = ok && write_u32 (fd, (uint32_t) file->n_tensors);
      for (size_t i = 0; ok && i < file->n_tensors; i++)
        {
          const VggTensor *t = &file->tensors[i];
          int32_t ndim = t->ndim;

          ok = write_string (fd, t->name) && write_all (fd, &ndim, sizeof ndim)
               && write_all (fd, t->shape, sizeof (int64_t) * (size_t) t->ndim)
               && write_all (fd, t->data, (size_t) t->count * sizeof (float));
        }
    }
  ok = ok && write_u32 (fd, VGG_KERAS_H5_STREAM_MAGIC);
  vgg_tensor_file_free (file);
  return ok;
}

