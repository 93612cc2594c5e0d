/* scope-memory.c — keeping the app's resident memory flat across many pictures
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "scope-memory.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#ifdef __GLIBC__
#include <malloc.h>
#endif

/* How long after the last job to wait: the main thread still drops the old result, its
 * textures and the cancelled jobs' deliveries just after. */
#define RELEASE_DELAY_MS 500

/* blocks from this size on are mapped on their own (see scope_memory_limit_arenas) */
#define MMAP_THRESHOLD_MIN ((gsize) 4 << 20)

G_LOCK_DEFINE_STATIC (release);
static guint release_source;   /* 0: none scheduled */
static gsize frame_bytes;      /* the largest window's paint size, once fitted; main thread */

void
scope_memory_limit_arenas (void)
{
#ifdef __GLIBC__
  /* MALLOC_ARENA_MAX in the environment still wins: mallopt() runs after glibc read it */
  if (g_getenv ("MALLOC_ARENA_MAX") == NULL)
    mallopt (M_ARENA_MAX, 2);
  /* blocks of 4 MiB and more (a large layer's feature maps, big pictures) are mapped on
   * their own and go back to the system when freed; left to itself glibc raises this
   * threshold to the largest block freed so far, and such blocks then fragment the heap
   * (tools/stress-ui: +0.2 to +13 % after 100 pictures, now about +2 %). Not lower: a
   * camera frame (1.2 MiB) mapped and unmapped 30 times a second costs the main thread
   * page faults and frames. */
  if (g_getenv ("MALLOC_MMAP_THRESHOLD_") == NULL)
    mallopt (M_MMAP_THRESHOLD, MMAP_THRESHOLD_MIN);
  /* setting the threshold also fixes the trim threshold at 128 KiB: the heap would give
   * back its top after nearly every frame, and fault the same pages in again the next */
  if (g_getenv ("MALLOC_TRIM_THRESHOLD_") == NULL)
    mallopt (M_TRIM_THRESHOLD, 2 * MMAP_THRESHOLD_MIN);
#endif
}

void
scope_memory_fit_frame (gsize bytes)
{
#ifdef __GLIBC__
  static gsize fitted = MMAP_THRESHOLD_MIN;

  g_assert (g_main_context_is_owner (g_main_context_default ()));

  /* GTK 4.8's Cairo renderer paints every frame into a new image of the damaged area —
   * often the whole window, about 5 MiB — and frees it after. Mapped on its own, each
   * frame's image is a new mapping the kernel zeroes and faults in page by page: 10 ms a
   * frame in these VMs (tools/bench-live --trace). Blocks up to the largest window's size
   * come from the heap instead, which keeps that much free at its top. The captures and
   * the engine's large buffers are bigger and still mapped on their own. glibc refuses
   * thresholds over 32 MiB on 64-bit systems: a larger window keeps the mapping. */
  if (bytes <= fitted || g_getenv ("MALLOC_MMAP_THRESHOLD_") != NULL)
    return;
  fitted = MIN (bytes + ((gsize) 256 << 10), (gsize) 32 << 20);
  frame_bytes = MIN (bytes, fitted);
  mallopt (M_MMAP_THRESHOLD, (int) fitted);
  if (g_getenv ("MALLOC_TRIM_THRESHOLD_") == NULL)
    mallopt (M_TRIM_THRESHOLD, (int) (fitted + ((gsize) 1 << 20)));
#endif
}

/* Resident bytes of the process, or 0 if unknown. */
static gsize
resident_bytes (void)
{
  g_autofree char *statm = NULL;
  unsigned long long size = 0, resident = 0;

  if (!g_file_get_contents ("/proc/self/statm", &statm, NULL, NULL)
      || sscanf (statm, "%llu %llu", &size, &resident) != 2)
    return 0;
  return (gsize) resident * (gsize) sysconf (_SC_PAGESIZE);
}

void
scope_memory_release (void)
{
#ifdef __GLIBC__
  static gsize baseline;   /* resident bytes at the first call, then after each trim */
  gsize resident = resident_bytes ();

  /* malloc_trim() hands every free page back, those between live blocks too, and the next
   * picture's decoding, input, textures and tiles then fault them in again, at ~13 µs a
   * page in these VMs: 10–30 ms of the main thread and the worker after every drop
   * (tools/bench-ui: first maps 42 → 32 ms, prediction 2.0 → 1.7 × the bare forward).
   * What one picture frees and the next allocates again stays resident: the heap is
   * trimmed only once the process has grown by more than 5 % of itself (at most 32 MiB)
   * since the first release or the last trim — a model or a window gone, or the heap
   * fragmenting. tools/stress-ui checks the growth over 100 pictures stays within 10 %. */
  if (baseline == 0)
    baseline = resident;
  if (resident > 0 && resident <= baseline + MIN (baseline / 20, (gsize) 32 << 20))
    return;
  malloc_trim (0);
  /* the next frame paints into a window-sized block again: one stays resident and touched
   * at the heap's top, or the first frame after every release (the first after each drop)
   * faults it in again, ~10 ms */
  if (frame_bytes > 0 && g_main_context_is_owner (g_main_context_default ()))
    {
      void *warm = malloc (frame_bytes);

      if (warm != NULL)
        {
          /* (not 0: the compiler makes malloc + memset 0 a calloc, which skips fresh pages) */
          memset (warm, 1, frame_bytes);
          /* (not an allocation the compiler may elide: the pages must be touched) */
          __asm__ volatile ("" : : "r" (warm) : "memory");
        }
      free (warm);
    }
  baseline = resident_bytes ();
#endif
}

static gboolean
release_now (gpointer unused)
{
  G_LOCK (release);
  /* unless a later call has scheduled another already */
  if (release_source == g_source_get_id (g_main_current_source ()))
    release_source = 0;
  G_UNLOCK (release);
  scope_memory_release ();
  return G_SOURCE_REMOVE;
}

void
scope_memory_release_soon (void)
{
  GSource *source;

  /* a new call pushes the release back: it happens once nothing has finished for
   * RELEASE_DELAY_MS, not every RELEASE_DELAY_MS while frames keep coming (the Live view),
   * where the trim would stall the main thread again and again */
  G_LOCK (release);
  if (release_source != 0)
    g_source_remove (release_source);
  source = g_timeout_source_new (RELEASE_DELAY_MS);
  g_source_set_callback (source, release_now, NULL, NULL);
  g_source_set_static_name (source, "[scope] release memory");
  release_source = g_source_attach (source, NULL);
  g_source_unref (source);
  G_UNLOCK (release);
}
