/* gemm-ordered.c — the ordered GEMM (each element one chain of multiply-adds over k in order)
 *                  split over the engine's thread pool
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The kernel itself is in gemm-ordered-simd.h, compiled with every SIMD kernel set. Blocks
 * of columns (or rows) are independent and every element is computed whole by one thread, so
 * the cut changes nothing in the result; a few blocks per thread keep both cores busy on a
 * shared machine where one of them may be descheduled.
 */
#include "config.h"

#include "threads.h"
#include "winograd.h"

/* blocks are cut at multiples of this many rows or columns (the micro-kernels' tiles) */
#define ALIGN 48
#define TASKS_PER_THREAD 3
/* below this many multiply-adds a product is not worth waking the pool for */
#define MIN_PARALLEL_MACS ((double) (1 << 18))

typedef struct
{
  const VggSimdKernels *simd;
  float                *c;
  size_t                ldc;
  const float          *a;
  size_t                lda;
  const float          *b;
  size_t                ldb;
  int                   m, n, k;
  bool                  split_columns;
  int                   per_task;
  float                *scratch;     /* [threads][simd->gemm_ordered_scratch] */
} OrderedJob;

static void
ordered_task (void *context,
              int   task,
              int   thread)
{
  const OrderedJob *job = context;
  int first = task * job->per_task;
  int total = job->split_columns ? job->n : job->m;
  int count = total - first < job->per_task ? total - first : job->per_task;
  float *scratch = job->scratch + (size_t) thread * job->simd->gemm_ordered_scratch;

  if (count <= 0)
    return;
  if (job->split_columns)
    job->simd->gemm_ordered (job->c + first, job->ldc, job->a, job->lda, job->b + first,
                             job->ldb, job->m, count, job->k, scratch);
  else
    job->simd->gemm_ordered (job->c + (size_t) first * job->ldc, job->ldc,
                             job->a + (size_t) first * job->lda, job->lda, job->b, job->ldb,
                             count, job->n, job->k, scratch);
}

size_t
vgg_gemm_ordered_scratch (const VggSimdKernels *simd,
                          int                   threads)
{
  return (size_t) (threads > 1 ? threads : 1) * simd->gemm_ordered_scratch;
}

void
vgg_gemm_ordered_threaded (const VggSimdKernels *simd,
                           float                *c,
                           size_t                ldc,
                           const float          *a,
                           size_t                lda,
                           const float          *b,
                           size_t                ldb,
                           int                   m,
                           int                   n,
                           int                   k,
                           float                *scratch,
                           int                   scratch_threads)
{
  OrderedJob job = { simd, c, ldc, a, lda, b, ldb, m, n, k, n >= m, 0, scratch };
  int threads = vgg_parallel_threads ();
  int total = job.split_columns ? n : m;

  if (m <= 0 || n <= 0 || k <= 0)
    return;
  if (threads <= 1 || threads > scratch_threads || (double) m * n * k < MIN_PARALLEL_MACS
      || total < 2 * ALIGN)
    {
      job.per_task = total;
      ordered_task (&job, 0, 0);
      return;
    }
  job.per_task = (total + threads * TASKS_PER_THREAD - 1) / (threads * TASKS_PER_THREAD);
  job.per_task = (job.per_task + ALIGN - 1) / ALIGN * ALIGN;
  vgg_parallel_for ((total + job.per_task - 1) / job.per_task, ordered_task, &job);
}
