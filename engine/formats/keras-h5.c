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
 * Here: opening the file, choosing its layout, converting the layers, writing the stream.
 * keras-h5-layout.c finds the layers in each layout and gives convolutions their blocks,
 * keras-h5-hdf5.c reads attributes and datasets, checked (keras-h5-file.h: what they share).
 *
 * libhdf5 prints errors to stderr by default; that is switched off. libhdf5 is not robust
 * against damaged files, so these files are linked only into the vgg-scope-h5-reader program,
 * which the engine runs in a process of its own (keras-h5.h describes the protocol).
 */
#include "config.h"

#include "converted-file.h"
#include "keras-h5.h"
#include "keras-h5-file.h"
#include "engine-private.h"
#include "tensor-file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_CHANNELS     16384
#define MAX_FC_WIDTH     (1 << 20)

/* ---------------------------------------------------------------------------------------------
 * Reading and converting
 */

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
  if ((status = vgg_keras_h5_read_dataset (keras, layer->weights[1], out, &bias, error)))
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

  if ((status = vgg_keras_h5_dataset_shape (keras, layer->weights[0], &kernel_ndim, kernel_shape,
                                            error))
      || (status = vgg_keras_h5_dataset_shape (keras, layer->weights[1], &bias_ndim, bias_shape,
                                               error)))
    return status;

  in = kernel_shape[2];
  out = bias_ndim == 1 ? bias_shape[0] : kernel_shape[3];
  if (channels_in == 0 && (in < 1 || in > 4))
    in = 3;
  expected[0] = 3;
  expected[1] = 3;
  expected[2] = channels_in > 0 ? channels_in : in;
  expected[3] = out >= 1 && out <= MAX_CHANNELS ? out : 64;
  if ((status = vgg_keras_h5_check_shape (keras, layer->weights[0], kernel_ndim, kernel_shape, 4,
                                          expected,
                                          "a convolution kernel must be HWIO (TensorFlow order)",
                                          error)))
    return status;
  in = expected[2];
  if ((status = vgg_keras_h5_check_shape (keras, layer->weights[1], bias_ndim, bias_shape, 1, &out,
                                          "the bias must be", error)))
    return status;

  if ((status = vgg_keras_h5_read_dataset (keras, layer->weights[0], 9 * in * out, &kernel, error)))
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

  if ((status = vgg_keras_h5_dataset_shape (keras, layer->weights[0], &kernel_ndim, kernel_shape,
                                            error))
      || (status = vgg_keras_h5_dataset_shape (keras, layer->weights[1], &bias_ndim, bias_shape,
                                               error)))
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
  if ((status = vgg_keras_h5_check_shape (keras, layer->weights[0], kernel_ndim, kernel_shape, 2,
                                          expected, flatten_channels > 0
                                          ? "the first dense kernel must be (C·S·S, "
                                            "out) for a square pool5 output, e.g."
                                          : "expected", error)))
    return status;
  if ((status = vgg_keras_h5_check_shape (keras, layer->weights[1], bias_ndim, bias_shape, 1, &out,
                                          "the bias must be", error)))
    return status;
  if (n_in > MAX_TENSOR_COUNT / out)
    return vgg_error_set (error, VGG_STATUS_TOO_LARGE, "%s: layer '%s' has %lld × %lld "
                          "weights, more than the limit of 2^31 per tensor", keras->path,
                          layer->name, (long long) n_in, (long long) out);

  if ((status = vgg_keras_h5_read_dataset (keras, layer->weights[0], n_in * out, &kernel, error)))
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
      if ((status = vgg_keras_h5_dataset_shape (keras, layer->weights[0], &ndim, shape, error)))
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
                                vgg_keras_h5_dataset_path (layer->weights[0], where, sizeof where),
                                ndim);
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

  status = vgg_keras_h5_check_local_links (&keras, keras.h5, "model_weights", error);
  if (status == VGG_STATUS_OK)
    status = vgg_keras_h5_check_local_links (&keras, keras.h5, "layers", error);
  if (status != VGG_STATUS_OK)
    ;
  else if (H5Aexists (keras.h5, "layer_names") > 0 || H5Aexists (keras.h5, "layer_names0") > 0)
    {
      keras.layout = "Keras weights";
      status = vgg_keras_h5_collect_named_layers (&keras, keras.h5, error);
    }
  else if (H5Lexists (keras.h5, "model_weights", H5P_DEFAULT) > 0
           && (root = H5Gopen2 (keras.h5, "model_weights", H5P_DEFAULT)) >= 0)
    {
      keras.layout = "Keras model";
      status = vgg_keras_h5_collect_named_layers (&keras, root, error);
    }
  else if (H5Lexists (keras.h5, "layers", H5P_DEFAULT) > 0
           && (root = H5Gopen2 (keras.h5, "layers", H5P_DEFAULT)) >= 0)
    {
      keras.layout = "Keras 3";
      status = vgg_keras_h5_collect_keras3_layers (&keras, root, error);
    }
  else
    status = vgg_error_set (error, VGG_STATUS_UNSUPPORTED, "%s: an HDF5 file, but not Keras "
                            "weights (no layer_names attribute, model_weights or layers "
                            "group)", path);
  if (root >= 0)
    H5Gclose (root);

  if (status == VGG_STATUS_OK)
    status = vgg_keras_h5_assign_blocks (&keras, error);
  if (status == VGG_STATUS_OK)
    {
      file = vgg_converted_file_new (VGG_SOURCE_KERAS_H5);
      status = file != NULL ? convert_layers (&keras, file, error)
                            : vgg_error_set (error, VGG_STATUS_NO_MEMORY, "out of memory");
    }
  vgg_keras_h5_file_clear (&keras);
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
