/* threads.c — how many threads the engine and OpenBLAS use
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "vgg.h"

#include <cblas.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

static atomic_int engine_threads;

static int
default_threads (void)
{
  const char *env = getenv ("VGG_SCOPE_THREADS");
  long n;

  if (env != NULL && *env != '\0')
    {
      char *end;
      n = strtol (env, &end, 10);
      if (*end == '\0' && n >= 1 && n <= 256)
        return (int) n;
    }
  n = sysconf (_SC_NPROCESSORS_ONLN);
  return n >= 1 ? (int) n : 1;
}

void
vgg_set_threads (int n_threads)
{
  if (n_threads < 1)
    n_threads = default_threads ();
  atomic_store (&engine_threads, n_threads);
  openblas_set_num_threads (n_threads);
}

int
vgg_get_threads (void)
{
  int n = atomic_load (&engine_threads);

  if (n < 1)
    {
      n = default_threads ();
      vgg_set_threads (n);
    }
  return n;
}
