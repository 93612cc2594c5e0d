/* linear.c — fully connected layers: sgemv at batch 1, sgemm for batches, split over threads
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "kernels.h"
#include "threads.h"

#include <cblas.h>

void
vgg_linear_rows (float       *out,
                 const float *in,
                 const float *weight,
                 const float *bias,
                 int          batch,
                 int          n_in,
                 int          n_out,
                 int          o0,
                 int          o1)
{
  const float *rows;

  if (o0 < 0)
    o0 = 0;
  if (o1 > n_out)
    o1 = n_out;
  if (o1 <= o0)
    return;
  rows = weight + (size_t) o0 * n_in;
  for (int n = 0; n < batch; n++)
    for (int o = o0; o < o1; o++)
      out[(size_t) n * n_out + o] = bias != NULL ? bias[o] : 0.0f;

  /* sgemm with N = 1 is much slower than sgemv here (measured on VGG16's fc6) */
  if (batch == 1)
    cblas_sgemv (CblasRowMajor, CblasNoTrans, o1 - o0, n_in, 1.0f, rows, n_in, in, 1, 1.0f,
                 out + o0, 1);
  else
    cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans, batch, o1 - o0, n_in, 1.0f, in, n_in,
                 rows, n_in, 1.0f, out + o0, n_out);
}

void
vgg_linear (float       *out,
            const float *in,
            const float *weight,
            const float *bias,
            int          batch,
            int          n_in,
            int          n_out)
{
  vgg_linear_rows (out, in, weight, bias, batch, n_in, n_out, 0, n_out);
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

/* the forward pass's split of a fully connected layer over the pool */
typedef struct
{
  float       *out;
  const float *in;
  const float *weight;
  const float *bias;
  int          batch, n_in, n_out, rows_per_task;
} LinearJob;

static void
linear_task (void *context,
             int   task,
             int   thread)
{
  const LinearJob *job = context;
  int o0 = task * job->rows_per_task;

  (void) thread;
  vgg_linear_rows (job->out, job->in, job->weight, job->bias, job->batch, job->n_in, job->n_out,
                   o0, o0 + job->rows_per_task);
}

void
vgg_linear_threaded (float       *out,
                     const float *in,
                     const float *weight,
                     const float *bias,
                     int          batch,
                     int          n_in,
                     int          n_out)
{
  /* batch 1: enough row blocks to balance the threads; batches: blocks wide enough for
   * sgemm to be efficient */
  int rows = batch == 1 ? 128 : 256;
  LinearJob job = { out, in, weight, bias, batch, n_in, n_out, rows };

  vgg_parallel_for ((n_out + rows - 1) / rows, linear_task, &job);
}
