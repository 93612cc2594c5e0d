/* scope-tsan.h — tell ThreadSanitizer about hand-overs it cannot see through GLib
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Only our code is instrumented in a -Db_sanitize=thread build. GLib's GMutex, GCond and
 * GAsyncQueue (and so GTask's thread pool and the main context's source list) synchronise
 * with futexes and atomics inside the uninstrumented library, so ThreadSanitizer does not
 * know that what one thread wrote before g_task_run_in_thread(), g_source_attach() or
 * g_mutex_unlock() is seen by the thread that runs the task, dispatches the source or takes
 * the lock next: it reports every such hand-over as a data race.
 *
 * Where our code hands data over through GLib it says so with a pair of these, on the same
 * address (the GTask, the delivery, the mutex): everything the releasing thread did before
 * SCOPE_TSAN_RELEASE() happens before what the acquiring thread does after
 * SCOPE_TSAN_ACQUIRE(). That is exactly the ordering the GLib call gives, so a real race
 * (a thread writing after the hand-over, or two threads without one) is still reported.
 * Without -fsanitize=thread both are no-ops.
 */
#pragma once

#if defined(__SANITIZE_THREAD__)
# define SCOPE_TSAN 1
#elif defined(__has_feature)
# if __has_feature(thread_sanitizer)
#  define SCOPE_TSAN 1
# endif
#endif

#ifdef SCOPE_TSAN
/* ThreadSanitizer's runtime (compiler-rt's tsan_interface.h) */
void __tsan_acquire (void *addr);
void __tsan_release (void *addr);

# define SCOPE_TSAN_RELEASE(addr) __tsan_release ((void *) (addr))
# define SCOPE_TSAN_ACQUIRE(addr) __tsan_acquire ((void *) (addr))
#else
# define SCOPE_TSAN_RELEASE(addr) ((void) (addr))
# define SCOPE_TSAN_ACQUIRE(addr) ((void) (addr))
#endif

#include <glib.h>

/* g_mutex_lock() and g_mutex_unlock() saying what the lock orders. */
static inline void
scope_mutex_lock (GMutex *mutex)
{
  g_mutex_lock (mutex);
  SCOPE_TSAN_ACQUIRE (mutex);
}

static inline void
scope_mutex_unlock (GMutex *mutex)
{
  SCOPE_TSAN_RELEASE (mutex);
  g_mutex_unlock (mutex);
}
