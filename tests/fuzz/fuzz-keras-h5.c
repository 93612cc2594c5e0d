/* fuzz-keras-h5.c — Keras HDF5 weights read in process (see fuzz-keras-h5.h)
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "engine-private.h"
#include "fuzz-keras-h5.h"
#include "keras-h5.h"

#include <stdlib.h>
#include <unistd.h>

VggStatus
vgg_fuzz_keras_h5 (const uint8_t *data,
                   size_t         size,
                   VggError      *error)
{
  VggTensorFile *file = NULL;
  /* libhdf5 resolves the real path of the name it opens, which a memory file under
   * /proc/self/fd has not: a file on tmpfs instead */
  char path[] = "/dev/shm/vgg-fuzz-keras-XXXXXX";
  int fd = mkstemp (path);
  const uint8_t *p = data;
  size_t left = size;
  VggStatus status;

  if (fd < 0)
    return vgg_error_set (error, VGG_STATUS_IO, "cannot make a temporary file");
  while (left > 0)
    {
      ssize_t n = write (fd, p, left);

      if (n <= 0)
        break;
      p += n;
      left -= (size_t) n;
    }
  status = left > 0 ? vgg_error_set (error, VGG_STATUS_IO, "cannot write a temporary file")
                    : vgg_keras_h5_read (&file, path, error);
  if (status == VGG_STATUS_OK)
    {
      volatile float sum = 0.0f;

      for (size_t i = 0; i < file->n_tensors; i++)
        for (int64_t j = 0; j < file->tensors[i].count; j++)
          sum += ((const float *) file->tensors[i].data)[j];
      (void) sum;
    }
  vgg_tensor_file_free (file);
  unlink (path);
  close (fd);
  return status;
}
