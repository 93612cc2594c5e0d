/* linear.c — fully connected layers: sgemv at batch 1, sgemm for batches
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "kernels.h"

#include <cblas.h>

void
vgg_linear (float       *out,
            const float *in,
            const float *weight,
            const float *bias,
            int          batch,
            int          n_in,
            int          n_out)
{
  for (int n = 0; n < batch; n++)
    for (int o = 0; o < n_out; o++)
      out[(size_t) n * n_out + o] = bias != NULL ? bias[o] : 0.0f;

  /* sgemm with N = 1 is much slower than sgemv here (shared/PERF-NOTES.md) */
  if (batch == 1)
    cblas_sgemv (CblasRowMajor, CblasNoTrans, n_out, n_in,
                 1.0f, weight, n_in, in, 1, 1.0f, out, 1);
  else
    cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans,
                 batch, n_out, n_in,
                 1.0f, in, n_in, weight, n_in,
                 1.0f, out, n_out);
}

void
vgg_linear_naive (float       *out,
                  const float *in,
                  const float *weight,
                  const float *bias,
                  int          batch,
                  int          n_in,
                  int          n_out)
{
  for (int n = 0; n < batch; n++)
    for (int o = 0; o < n_out; o++)
      {
        double sum = bias != NULL ? bias[o] : 0.0;

        for (int i = 0; i < n_in; i++)
          sum += (double) weight[(size_t) o * n_in + i] * in[(size_t) n * n_in + i];
        out[(size_t) n * n_out + o] = (float) sum;
      }
}
