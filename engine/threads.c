/* threads.c — how many threads the engine uses, and its pool of sleeping workers
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The pool: vgg_get_threads() − 1 workers plus the thread that calls vgg_parallel_for().
 * Between the parallel loops of one forward pass the workers spin briefly (the next loop
 * usually follows within microseconds, and waking a sleeping thread costs tens of them);
 * after VGG_POOL_SPIN_NS without work they sleep on a condition variable, and so does a
 * caller waiting that long for the last tasks (on a shared machine, a spinning thread takes
 * the core a preempted one needs).
 *
 * OpenBLAS is set to one thread once, the first time the engine's thread count is set or
 * read, and left there: every BLAS call the engine makes runs inside a task of this pool
 * (or on a thread whose pool is busy), and large GEMMs are split over the pool by
 * vgg_sgemm_threaded(). A second pool of spinning OpenBLAS threads on the same cores
 * doubled a forward pass's time when both were active, and its thread count is a
 * process-wide setting that cannot be changed safely while other runs use it.
 */
#include "config.h"

#include "threads.h"
#include "vgg.h"

#include <cblas.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define VGG_POOL_SPIN_NS 100000 /* 0.1 ms */
#define VGG_MAX_THREADS  256

static atomic_int engine_threads;
static atomic_int worker_niceness = -1;
static pthread_once_t blas_once = PTHREAD_ONCE_INIT;

static void
blas_single_threaded (void)
{
  openblas_set_num_threads (1);
}

static int
online_cpus (void)
{
  long n = sysconf (_SC_NPROCESSORS_ONLN);

  if (n > VGG_MAX_THREADS)
    n = VGG_MAX_THREADS;
  return n >= 1 ? (int) n : 1;
}

void
vgg_set_threads (int n_threads)
{
  pthread_once (&blas_once, blas_single_threaded);
  if (n_threads < 1)
    n_threads = online_cpus ();
  if (n_threads > VGG_MAX_THREADS)
    n_threads = VGG_MAX_THREADS;
  atomic_store (&engine_threads, n_threads);
}

int
vgg_get_threads (void)
{
  int n = atomic_load (&engine_threads);

  if (n < 1)
    {
      int unset = 0;

      pthread_once (&blas_once, blas_single_threaded);
      n = online_cpus ();
      if (!atomic_compare_exchange_strong (&engine_threads, &unset, n))
        n = unset;
    }
  return n;
}

void
vgg_set_worker_niceness (int niceness)
{
  atomic_store (&worker_niceness, niceness < 0 ? -1 : niceness > 19 ? 19 : niceness);
}

int
vgg_get_worker_niceness (void)
{
  return atomic_load (&worker_niceness);
}

/* ---- the pool ---- */

/* The current loop is published as a generation number, its function in the job slot of
 * the generation's parity; tasks are claimed from one 64-bit counter holding
 * (generation << 32 | next task). A worker that wakes late can never claim a task of a loop
 * other than the one whose slot it read (the slot is rewritten two generations later, when
 * the counter has moved on), and the caller waits only for tasks that were claimed, not for
 * workers that never woke. */
typedef struct
{
  _Atomic (VggTaskFunc) func;
  _Atomic (void *)      context;
  atomic_int            n_tasks;
} Job;

typedef struct
{
  pthread_mutex_t  dispatch;     /* one parallel loop at a time */
  pthread_mutex_t  lock;         /* with wake and done: sleeping threads */
  pthread_cond_t   wake;
  pthread_cond_t   done;
  pthread_t       *workers;
  int              n_workers;
  bool             quit;

  Job                   jobs[2];      /* by generation parity */
  atomic_uint           generation;
  _Atomic uint64_t      claim;        /* generation << 32 | next task */
  atomic_int            completed;    /* tasks of the current loop finished */
  atomic_bool           caller_sleeps;
} Pool;

static Pool pool = {
  .dispatch = PTHREAD_MUTEX_INITIALIZER,
  .lock = PTHREAD_MUTEX_INITIALIZER,
  .wake = PTHREAD_COND_INITIALIZER,
  .done = PTHREAD_COND_INITIALIZER,
};

typedef struct
{
  int index;    /* 1 … n_workers; the caller is 0 */
  int niceness; /* the value this worker last applied to itself, −1 for none */
} WorkerStart;

static WorkerStart worker_starts[VGG_MAX_THREADS];

static uint64_t
now_ns (void)
{
  struct timespec t;

  clock_gettime (CLOCK_MONOTONIC, &t);
  return (uint64_t) t.tv_sec * 1000000000u + (uint64_t) t.tv_nsec;
}

static inline void
cpu_relax (void)
{
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause ();
#endif
}

/* Runs tasks of loop @generation until none is left. */
static void
run_tasks (unsigned generation,
           int      thread)
{
  Job *job = &pool.jobs[generation & 1];
  VggTaskFunc func = atomic_load (&job->func);
  void *context = atomic_load (&job->context);
  int n_tasks = atomic_load (&job->n_tasks);
  uint64_t claim = atomic_load (&pool.claim);

  for (;;)
    {
      int task;

      if ((unsigned) (claim >> 32) != generation || (int) (claim & 0xffffffffu) >= n_tasks)
        return;
      if (!atomic_compare_exchange_weak (&pool.claim, &claim, claim + 1))
        continue;
      task = (int) (claim & 0xffffffffu);
      func (context, task, thread);
      if (atomic_fetch_add (&pool.completed, 1) + 1 == n_tasks
          && atomic_load (&pool.caller_sleeps))
        {
          pthread_mutex_lock (&pool.lock);
          pthread_cond_broadcast (&pool.done);
          pthread_mutex_unlock (&pool.lock);
        }
      claim = atomic_load (&pool.claim);
    }
}

/* Nice values are per thread on Linux (setpriority on the thread id). */
static void
apply_niceness (WorkerStart *start)
{
  int wanted = atomic_load (&worker_niceness);

  if (wanted < 0 || wanted == start->niceness)
    return;
  start->niceness = wanted;
  (void) setpriority (PRIO_PROCESS, (id_t) syscall (SYS_gettid), wanted);
}

static void *
worker_main (void *data)
{
  WorkerStart *start = data;
  unsigned seen = atomic_load (&pool.generation);

  for (;;)
    {
      unsigned generation = atomic_load (&pool.generation);

      if (generation == seen)
        {
          uint64_t deadline = now_ns () + VGG_POOL_SPIN_NS;
          int spins = 0;

          while ((generation = atomic_load (&pool.generation)) == seen)
            {
              cpu_relax ();
              if ((++spins & 63) == 0 && now_ns () > deadline)
                break;
            }
          if (generation == seen)
            {
              pthread_mutex_lock (&pool.lock);
              while ((generation = atomic_load (&pool.generation)) == seen && !pool.quit)
                pthread_cond_wait (&pool.wake, &pool.lock);
              pthread_mutex_unlock (&pool.lock);
            }
        }
      if (pool.quit)
        return NULL;
      seen = generation;
      apply_niceness (start);
      run_tasks (generation, start->index);
    }
}

static void
pool_stop (void)
{
  pthread_mutex_lock (&pool.lock);
  pool.quit = true;
  atomic_fetch_add (&pool.generation, 1);
  pthread_cond_broadcast (&pool.wake);
  pthread_mutex_unlock (&pool.lock);
  for (int i = 0; i < pool.n_workers; i++)
    pthread_join (pool.workers[i], NULL);
  free (pool.workers);
  pool.workers = NULL;
  pool.n_workers = 0;
  pool.quit = false;
}

/* With the dispatch lock held: makes the pool match the thread setting. */
static void
pool_resize (int n_workers)
{
  if (pool.n_workers == n_workers)
    return;
  if (pool.n_workers > 0)
    pool_stop ();
  if (n_workers < 1)
    return;
  pool.workers = calloc ((size_t) n_workers, sizeof *pool.workers);
  if (pool.workers == NULL)
    return;
  for (int i = 0; i < n_workers; i++)
    {
      worker_starts[i].index = i + 1;
      worker_starts[i].niceness = -1;
      if (pthread_create (&pool.workers[i], NULL, worker_main, &worker_starts[i]) != 0)
        break;
      pool.n_workers = i + 1;
    }
}

int
vgg_parallel_threads (void)
{
  return vgg_get_threads ();
}

void
vgg_parallel_for (int          n_tasks,
                  VggTaskFunc  func,
                  void        *context)
{
  int threads = vgg_get_threads ();
  unsigned generation;
  uint64_t deadline;
  int spins = 0;

  if (n_tasks <= 0)
    return;
  if (n_tasks == 1 || threads == 1 || pthread_mutex_trylock (&pool.dispatch) != 0)
    {
      for (int task = 0; task < n_tasks; task++)
        func (context, task, 0);
      return;
    }

  pool_resize (threads - 1);
  if (pool.n_workers == 0)
    {
      pthread_mutex_unlock (&pool.dispatch);
      for (int task = 0; task < n_tasks; task++)
        func (context, task, 0);
      return;
    }

  /* publish: the job, then the claim counter of the new generation, then the generation */
  generation = atomic_load (&pool.generation) + 1;
  atomic_store (&pool.jobs[generation & 1].func, func);
  atomic_store (&pool.jobs[generation & 1].context, context);
  atomic_store (&pool.jobs[generation & 1].n_tasks, n_tasks);
  atomic_store (&pool.completed, 0);
  atomic_store (&pool.claim, (uint64_t) generation << 32);
  atomic_store (&pool.generation, generation);
  pthread_mutex_lock (&pool.lock);
  pthread_cond_broadcast (&pool.wake);
  pthread_mutex_unlock (&pool.lock);

  run_tasks (generation, 0);

  /* wait for tasks others claimed: briefly spinning, then asleep */
  deadline = now_ns () + VGG_POOL_SPIN_NS;
  while (atomic_load (&pool.completed) < n_tasks)
    {
      cpu_relax ();
      if ((++spins & 63) == 0 && now_ns () > deadline)
        {
          pthread_mutex_lock (&pool.lock);
          atomic_store (&pool.caller_sleeps, true);
          while (atomic_load (&pool.completed) < n_tasks)
            pthread_cond_wait (&pool.done, &pool.lock);
          atomic_store (&pool.caller_sleeps, false);
          pthread_mutex_unlock (&pool.lock);
        }
    }
  pthread_mutex_unlock (&pool.dispatch);
}
