/* parallel.c — the element-wise training kernels split over the engine's threads
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The GEMMs are split over the pool by vgg_sgemm_threaded(); everything between them (im2col,
 * batch norm, ReLU, pooling) would otherwise run on one core. This cuts a loop into one contiguous part per
 * thread and runs the parts on the engine's worker pool (vgg_parallel_for, threads.c). Each
 * part is computed exactly as the serial loop would, so results do not depend on the number
 * of threads.
 */
#include "config.h"

#include "parallel.h"
#include "threads.h"

typedef struct
{
  VggRangeFunc func;
  void        *data;
  size_t       n;
  int          n_parts;
} RangeJob;

static void
run_part (void *context,
          int   task,
          int   thread)
{
  const RangeJob *job = context;
  size_t start = job->n * (size_t) task / (size_t) job->n_parts;
  size_t end = job->n * (size_t) (task + 1) / (size_t) job->n_parts;

  (void) thread;
  if (end > start)
    job->func (start, end, job->data);
}

void
vgg_train_parallel (size_t        n,
                    size_t        grain,
                    VggRangeFunc  func,
                    void         *data)
{
  RangeJob job = { func, data, n, vgg_parallel_threads () };

  if (grain < 1)
    grain = 1;
  if ((size_t) job.n_parts > n / grain)
    job.n_parts = (int) (n / grain);
  if (job.n_parts <= 1)
    {
      if (n > 0)
        func (0, n, data);
      return;
    }
  vgg_parallel_for (job.n_parts, run_part, &job);
}
