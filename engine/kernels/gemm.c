/* gemm.c — sgemm split over the engine's thread pool
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * OpenBLAS runs single-threaded inside the engine (threads.h says why), so a large GEMM is
 * cut here into blocks of output columns (or rows, when there are more rows), each an
 * ordinary single-threaded sgemm, handed out to the threads. OpenBLAS does not give an element
 * the same bits whatever block it lies in (its edge kernels accumulate differently: a
 * 32 × 1024 × 9 product cut into two halves changes about a sixth of the elements in the
 * last bit), so the cut depends on the shape alone, never on the thread count: then the
 * result does not depend on the thread count either (feature visualization relies on it).
 */
#include "config.h"

#include "kernels.h"
#include "threads.h"

#include <cblas.h>

/* below this many multiply-adds a GEMM is not worth waking the pool for */
#define MIN_PARALLEL_MACS ((double) (1 << 18))
/* blocks are cut at multiples of this many rows or columns (the micro-kernels' widths) */
#define ALIGN 16
/* a large product is cut into this many blocks, whatever the thread count */
#define N_BLOCKS 8

typedef struct
{
  bool         trans_a, trans_b, split_columns;
  int          m, n, k;
  float        alpha, beta;
  const float *a;
  int          lda;
  const float *b;
  int          ldb;
  float       *c;
  int          ldc;
  int          per_task;
} GemmJob;

static void
gemm_task (void *context,
           int   task,
           int   thread)
{
  const GemmJob *job = context;
  int first = task * job->per_task;
  int total = job->split_columns ? job->n : job->m;
  int count = total - first < job->per_task ? total - first : job->per_task;
  const float *a = job->a, *b = job->b;
  float *c = job->c;
  int m = job->m, n = job->n;

  (void) thread;
  if (count <= 0)
    return;
  if (job->split_columns)
    {
      /* columns [first, first + count) of op(B) and C */
      b += job->trans_b ? (size_t) first * job->ldb : (size_t) first;
      c += first;
      n = count;
    }
  else
    {
      /* rows [first, first + count) of op(A) and C */
      a += job->trans_a ? (size_t) first : (size_t) first * job->lda;
      c += (size_t) first * job->ldc;
      m = count;
    }
  cblas_sgemm (CblasRowMajor, job->trans_a ? CblasTrans : CblasNoTrans,
               job->trans_b ? CblasTrans : CblasNoTrans, m, n, job->k, job->alpha, a,
               job->lda, b, job->ldb, job->beta, c, job->ldc);
}

void
vgg_sgemm_threaded (bool         trans_a,
                    bool         trans_b,
                    int          m,
                    int          n,
                    int          k,
                    float        alpha,
                    const float *a,
                    int          lda,
                    const float *b,
                    int          ldb,
                    float        beta,
                    float       *c,
                    int          ldc)
{
  GemmJob job = { trans_a, trans_b, n >= m, m, n, k, alpha, beta, a, lda, b, ldb, c, ldc, 0 };
  int threads = vgg_parallel_threads ();
  int total = job.split_columns ? n : m;
  int n_tasks;

  if (m <= 0 || n <= 0)
    return;
  if ((double) m * n * k < MIN_PARALLEL_MACS || total < 2 * ALIGN)
    {
      cblas_sgemm (CblasRowMajor, trans_a ? CblasTrans : CblasNoTrans,
                   trans_b ? CblasTrans : CblasNoTrans, m, n, k, alpha, a, lda, b, ldb, beta,
                   c, ldc);
      return;
    }
  job.per_task = (total + N_BLOCKS - 1) / N_BLOCKS;
  job.per_task = (job.per_task + ALIGN - 1) / ALIGN * ALIGN;
  n_tasks = (total + job.per_task - 1) / job.per_task;
  if (threads <= 1)
    for (int task = 0; task < n_tasks; task++)
      gemm_task (&job, task, 0);
  else
    vgg_parallel_for (n_tasks, gemm_task, &job);
}
