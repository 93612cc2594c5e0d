/* scope-background.c — the scheduling priority of the app's background work
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * On Linux a nice value belongs to a thread (setpriority on its thread id), and a thread
 * inherits its creator's. The engine's pool applies its own setting; the GTask thread that
 * calls the engine takes part in the work too, so each background job lowers its thread on
 * entry. GLib's pool reuses those threads only for background work, which may stay low.
 */
#include "config.h"

#include "scope-background.h"
#include "vgg.h"

#include <errno.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

void
scope_background_init (void)
{
  vgg_set_worker_niceness (SCOPE_BACKGROUND_NICENESS);
}

void
scope_background_lower_this_thread (void)
{
  id_t tid = (id_t) syscall (SYS_gettid);
  int current;

  errno = 0;
  current = getpriority (PRIO_PROCESS, tid);
  /* only ever raise it: the process may already run niced (say, under a benchmark) */
  if (errno == 0 && current < SCOPE_BACKGROUND_NICENESS)
    (void) setpriority (PRIO_PROCESS, tid, SCOPE_BACKGROUND_NICENESS);
}
