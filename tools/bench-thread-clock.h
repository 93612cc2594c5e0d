/* bench-thread-clock.h — what the calling thread spent, for the window benchmarks
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shared by scope-ui-driver.c (tools/bench-ui) and bench-live.c (tools/bench-live), which
 * measure the main thread's share of a frame.
 */
#pragma once

#include <glib.h>
#include <stdio.h>
#include <sys/resource.h>
#include <unistd.h>

/* The calling thread's CPU time (user + system), in microseconds. */
static inline gint64
bench_thread_cpu_time (void)
{
  struct rusage usage;

  if (getrusage (RUSAGE_THREAD, &usage) != 0)
    return 0;
  return (gint64) (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * G_USEC_PER_SEC
         + usage.ru_utime.tv_usec + usage.ru_stime.tv_usec;
}

/* How long the calling thread has waited for a processor while runnable, in microseconds
 * (Linux's schedstat; 0 where there is none). */
static inline gint64
bench_thread_run_delay (void)
{
  g_autofree char *path = g_strdup_printf ("/proc/self/task/%d/schedstat", (int) gettid ());
  g_autofree char *text = NULL;
  guint64 on_cpu = 0, waited = 0;

  if (!g_file_get_contents (path, &text, NULL, NULL)
      || sscanf (text, "%" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT, &on_cpu, &waited) != 2)
    return 0;
  return (gint64) (waited / 1000);
}
