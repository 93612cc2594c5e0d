/* scope-capture.c — one layer's output copied out of a run, with per-channel statistics
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <float.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "scope-capture.h"
#include "scope-tsan.h"

/* The struct callers see, followed by the storage its pointers point into. */
typedef struct
{
  ScopeCapture public;
  float       *storage;       /* data, then mean, min, max, zero per channel */
  gsize        storage_count; /* its floats */
} CaptureBox;

G_DEFINE_BOXED_TYPE (ScopeCapture, scope_capture, scope_capture_ref, scope_capture_unref)

/* The storage of big captures no one holds any more, kept for the next picture's captures:
 * the same model gives the same shapes, so a pass mostly reuses the previous one's memory
 * instead of asking for (and first touching) fresh pages. Bounded; any thread. */
#define SPARE_MIN_BYTES ((gsize) 1 << 20)
#define SPARE_MAX_BYTES ((gsize) 96 << 20)
#define SPARE_MAX_COUNT 48

typedef struct
{
  float *storage;
  gsize  count;
} Spare;

static GMutex spare_lock;
static Spare  spares[SPARE_MAX_COUNT];
static int    n_spares;
static gsize  spare_bytes;

static float *
spare_take (gsize count)
{
  float *storage = NULL;

  scope_mutex_lock (&spare_lock);
  for (int i = 0; i < n_spares; i++)
    if (spares[i].count == count)
      {
        storage = spares[i].storage;
        spare_bytes -= count * sizeof (float);
        spares[i] = spares[--n_spares];
        break;
      }
  scope_mutex_unlock (&spare_lock);
  return storage;
}

static void
storage_free (float *storage,
              gsize  count)
{
  gsize size = count * sizeof (float);

  if (size >= SPARE_MIN_BYTES)
    {
      scope_mutex_lock (&spare_lock);
      if (n_spares < SPARE_MAX_COUNT && spare_bytes + size <= SPARE_MAX_BYTES)
        {
          spares[n_spares++] = (Spare) { storage, count };
          spare_bytes += size;
          storage = NULL;
        }
      scope_mutex_unlock (&spare_lock);
    }
  free (storage);
}

static void
capture_box_clear (gpointer data)
{
  CaptureBox *box = data;

  storage_free (box->storage, box->storage_count);
}

/* Fresh pages are slow to touch in some VMs (4 KiB faults); big captures ask for huge pages,
 * which also makes the copy in the hook several times faster there. */
static float *
storage_alloc (gsize count)
{
  gsize size = count * sizeof (float);
  void *memory = NULL;

  if (size >= SPARE_MIN_BYTES && (memory = spare_take (count)) != NULL)
    return memory;

  if (size >= ((gsize) 1 << 20))
    {
      gsize huge = (gsize) 2 << 20;

      if (posix_memalign (&memory, huge, (size + huge - 1) / huge * huge) != 0)
        memory = NULL;
#ifdef MADV_HUGEPAGE
      if (memory != NULL)
        madvise (memory, (size + huge - 1) / huge * huge, MADV_HUGEPAGE);
#endif
    }
  if (memory == NULL)
    memory = malloc (size);
  if (memory == NULL)
    g_error ("out of memory for a %" G_GSIZE_FORMAT "-byte capture", size);
  return memory;
}

static ScopeCapture *
capture_alloc (int layer_index,
               int channels,
               int height,
               int width)
{
  CaptureBox *box = g_atomic_rc_box_new0 (CaptureBox);
  gsize plane = (gsize) height * width;
  gsize count = (gsize) channels * plane;

  box->storage_count = count + 4 * (gsize) channels;
  box->storage = storage_alloc (box->storage_count);
  box->public.layer_index = layer_index;
  box->public.channels = channels;
  box->public.height = height;
  box->public.width = width;
  box->public.data = box->storage;
  box->public.channel_mean = box->storage + count;
  box->public.channel_min = box->storage + count + channels;
  box->public.channel_max = box->storage + count + 2 * (gsize) channels;
  box->public.channel_zero = box->storage + count + 3 * (gsize) channels;
  return &box->public;
}

/* Copies @data in and computes everything a view needs to normalise and sort, in one pass
 * (on the engine's threads when it is big: vgg_channel_statistics()). */
static void
capture_copy_with_statistics (ScopeCapture *self,
                              const float  *data)
{
  CaptureBox *box = (CaptureBox *) self;
  gsize plane = (gsize) self->height * self->width;
  gsize count = (gsize) self->channels * plane;
  float *mean = box->storage + count;
  float *min = mean + self->channels;
  float *max = min + self->channels;
  float *zero = max + self->channels;

  vgg_channel_statistics (box->storage, data, self->channels, plane, mean, min, max, zero);
  self->layer_min = FLT_MAX;
  self->layer_max = -FLT_MAX;
  for (int c = 0; c < self->channels; c++)
    {
      self->layer_min = MIN (self->layer_min, min[c]);
      self->layer_max = MAX (self->layer_max, max[c]);
    }
}

ScopeCapture *
scope_capture_new (int          layer_index,
                   int          channels,
                   int          height,
                   int          width,
                   const float *data)
{
  ScopeCapture *self;

  g_return_val_if_fail (channels > 0 && height > 0 && width > 0, NULL);
  g_return_val_if_fail (data != NULL, NULL);

  self = capture_alloc (layer_index, channels, height, width);
  capture_copy_with_statistics (self, data);
  return self;
}

ScopeCapture *
scope_capture_new_from_event (const VggHookEvent *event)
{
  const VggLayer *layer;

  g_return_val_if_fail (event != NULL && event->layer != NULL, NULL);

  layer = event->layer;
  /* batch item 0 comes first in NCHW */
  return scope_capture_new (event->layer_index, layer->channels_out, layer->height_out,
                            layer->width_out, event->data);
}

ScopeCapture *
scope_capture_ref (ScopeCapture *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_atomic_rc_box_acquire (self);
}

void
scope_capture_unref (ScopeCapture *self)
{
  g_return_if_fail (self != NULL);

  g_atomic_rc_box_release_full (self, capture_box_clear);
}
