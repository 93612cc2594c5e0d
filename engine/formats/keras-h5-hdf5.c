/* keras-h5-hdf5.c — what the Keras HDF5 reader takes from libhdf5, checked
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Lists of names from string attributes (also Keras 2's chunks name0, name1, …); the checks
 * that every link followed and every dataset's values stay inside the file the user named;
 * datasets' shapes and their values as float32. Every refusal names the file, and the layer
 * or the dataset.
 */
#include "config.h"

#include "keras-h5-file.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

/* ---------------------------------------------------------------------------------------------
 * Lists of strings from attributes
 */

void
vgg_keras_h5_string_list_clear (StringList *list)
{
  for (size_t i = 0; i < list->n; i++)
    free (list->items[i]);
  free (list->items);
  list->items = NULL;
  list->n = 0;
}

bool
vgg_keras_h5_string_list_append (StringList *list,
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
          else if (!vgg_keras_h5_string_list_append (list, s, length))
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
          if (!vgg_keras_h5_string_list_append (list, s, length))
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
VggStatus
vgg_keras_h5_read_names (hid_t        object,
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
 * Links and storage: only what is inside the file
 */

/* Every link on the way from @location to @path must be a hard link: a soft link, and above
 * all an external link, could make the reader open another file the user never named. */
VggStatus
vgg_keras_h5_check_local_links (const KerasFile *keras,
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
VggStatus
vgg_keras_h5_check_local_storage (const KerasFile *keras,
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

/* ---------------------------------------------------------------------------------------------
 * Datasets: shapes and values
 */

/* The dataset's full HDF5 path for messages. */
const char *
vgg_keras_h5_dataset_path (hid_t  dataset,
                           char  *buffer,
                           size_t size)
{
  ssize_t n = H5Iget_name (dataset, buffer, size);

  if (n <= 0)
    snprintf (buffer, size, "(unnamed dataset)");
  return buffer;
}

/* The shape of @dataset (rank ≤ 4, floating point), checked. */
VggStatus
vgg_keras_h5_dataset_shape (const KerasFile *keras,
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
                            vgg_keras_h5_dataset_path (dataset, where, sizeof where));
  else if (type_class != H5T_FLOAT)
    status = vgg_error_set (error, VGG_STATUS_UNSUPPORTED, "%s: dataset '%s' does not hold "
                            "floating-point numbers", keras->path,
                            vgg_keras_h5_dataset_path (dataset, where, sizeof where));
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
VggStatus
vgg_keras_h5_check_shape (const KerasFile *keras,
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
                        keras->path, vgg_keras_h5_dataset_path (dataset, where, sizeof where),
                        found_text, what, expected_text);
}

/* Reads the whole of @dataset as float32 into a new block of @count floats. */
VggStatus
vgg_keras_h5_read_dataset (const KerasFile *keras,
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
                          vgg_keras_h5_dataset_path (dataset, where, sizeof where),
                          (long long) count);
  *data = malloc ((size_t) count * sizeof (float));
  if (*data == NULL)
    return vgg_error_set (error, VGG_STATUS_NO_MEMORY, "%s: out of memory reading dataset "
                          "'%s'", keras->path,
                          vgg_keras_h5_dataset_path (dataset, where, sizeof where));
  if (H5Dread (dataset, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, *data) < 0)
    {
      free (*data);
      *data = NULL;
      return vgg_error_set (error, VGG_STATUS_FORMAT, "%s: cannot read dataset '%s' (truncated "
                            "or damaged file?)", keras->path,
                            vgg_keras_h5_dataset_path (dataset, where, sizeof where));
    }
  return VGG_STATUS_OK;
}
