/* fuzz-inputs.c — the loaders of outside data, called on raw bytes (see fuzz-inputs.h)
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "engine-private.h"
#include "fuzz-inputs.h"
#include "tensor-file.h"
#include "vgg-train.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

int
vgg_fuzz_memory_file (const uint8_t *data,
                      size_t         size,
                      char          *path,
                      size_t         path_size)
{
  int fd = memfd_create ("vgg-fuzz-input", MFD_CLOEXEC);
  const uint8_t *p = data;
  size_t left = size;

  if (fd < 0)
    return -1;
  while (left > 0)
    {
      ssize_t n = write (fd, p, left);

      if (n <= 0)
        {
          close (fd);
          return -1;
        }
      p += n;
      left -= (size_t) n;
    }
  snprintf (path, path_size, "/proc/self/fd/%d", fd);
  return fd;
}

VggStatus
vgg_fuzz_safetensors (const uint8_t *data,
                      size_t         size,
                      VggError      *error)
{
  VggModel *model = NULL;
  VggStatus status = vgg_model_load_memory (&model, data, size, "fuzz.safetensors", error);

  vgg_model_free (model);
  return status;
}

typedef VggStatus (*PathLoader) (VggTensorFile **file, const char *path, VggError *error);

/* Through an anonymous memory file, for the loaders that map a path. */
static VggStatus
load_tensor_file (PathLoader     loader,
                  const uint8_t *data,
                  size_t         size,
                  VggError      *error)
{
  VggTensorFile *file = NULL;
  char path[64];
  int fd = vgg_fuzz_memory_file (data, size, path, sizeof path);
  VggStatus status;

  if (fd < 0)
    return vgg_error_set (error, VGG_STATUS_IO, "cannot make a memory file");
  status = loader (&file, path, error);
  /* touch every tensor: a loader that accepted out-of-range data would fault here */
  if (status == VGG_STATUS_OK)
    {
      volatile uint8_t sink = 0;

      for (size_t i = 0; i < file->n_tensors; i++)
        {
          const VggTensor *t = &file->tensors[i];
          size_t bytes = (size_t) t->count * vgg_dtype_size (t->dtype);

          for (size_t b = 0; b < bytes; b++)
            sink ^= ((const uint8_t *) t->data)[b];
        }
      (void) sink;
    }
  vgg_tensor_file_free (file);
  close (fd);
  return status;
}

VggStatus
vgg_fuzz_pth (const uint8_t *data,
              size_t         size,
              VggError      *error)
{
  return load_tensor_file (vgg_pth_open, data, size, error);
}

VggStatus
vgg_fuzz_onnx (const uint8_t *data,
               size_t         size,
               VggError      *error)
{
  return load_tensor_file (vgg_onnx_open, data, size, error);
}

VggStatus
vgg_fuzz_npy (const uint8_t *data,
              size_t         size,
              VggError      *error)
{
  VggNpy npy = { 0 };
  char path[64];
  int fd = vgg_fuzz_memory_file (data, size, path, sizeof path);
  VggStatus status;

  if (fd < 0)
    return vgg_error_set (error, VGG_STATUS_IO, "cannot make a memory file");
  status = vgg_npy_load (&npy, path, error);
  if (status == VGG_STATUS_OK)
    {
      volatile float sum = 0.0f;

      for (size_t i = 0; i < npy.count; i++)
        sum += npy.data[i];
      (void) sum;
    }
  vgg_npy_clear (&npy);
  close (fd);
  return status;
}

VggStatus
vgg_fuzz_idx (const uint8_t *data,
              size_t         size,
              VggError      *error)
{
  VggIdx idx = { 0 };
  VggStatus status = vgg_idx_parse (&idx, data, size, error);

  if (status == VGG_STATUS_OK)
    {
      size_t count = (size_t) idx.count * (size_t) (idx.height > 0 ? idx.height * idx.width : 1);
      volatile uint8_t sink = 0;

      for (size_t i = 0; i < count; i++)
        sink ^= idx.data[i];
      (void) sink;
    }
  vgg_idx_clear (&idx);
  return status;
}

VggStatus
vgg_fuzz_image (const uint8_t *data,
                size_t         size,
                VggError      *error)
{
  /* the input sizes the presets are used with: 224 (ImageNet), 28 (Fashion-MNIST) */
  static const int sides[VGG_PRESET_N_PRESETS] = { 224, 224, 32, 28 };
  static float input[3 * 224 * 224];
  VggImage image = { 0 };
  VggStatus status = vgg_image_load_memory (&image, data, size, error);

  for (int preset = 0; status == VGG_STATUS_OK && preset < VGG_PRESET_N_PRESETS; preset++)
    {
      int channels = preset == VGG_PRESET_FASHION_MNIST ? 1 : 3;
      VggImage seen = { 0 };

      status = vgg_preprocess (input, channels, sides[preset], sides[preset], &image,
                               (VggPreset) preset, &seen, error);
      vgg_image_clear (&seen);
    }
  vgg_image_clear (&image);
  return status;
}

const VggFuzzTarget vgg_fuzz_targets[] = {
  { "safetensors", vgg_fuzz_safetensors },
  { "pth", vgg_fuzz_pth },
  { "onnx", vgg_fuzz_onnx },
  { "npy", vgg_fuzz_npy },
  { "idx", vgg_fuzz_idx },
  { "image", vgg_fuzz_image },
  { NULL, NULL },
};
