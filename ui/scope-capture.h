/* scope-capture.h — one layer's output copied out of a run, with per-channel statistics
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Made on the inference worker inside the engine hook (the hook's data is valid only during
 * the call), then handed to the main thread. Immutable once made, so any thread may read it;
 * reference counted (atomically). The copy and the statistics take one pass over the data;
 * the memory of a big capture that no one holds any more goes to a small bounded reserve
 * that the next capture of the same size takes, so the captures of a picture reuse the
 * previous picture's pages instead of fresh ones.
 */
#pragma once

#include <glib-object.h>

#include "vgg.h"

G_BEGIN_DECLS

#define SCOPE_TYPE_CAPTURE (scope_capture_get_type ())

typedef struct
{
  int          layer_index;
  int          channels;
  int          height;
  int          width;
  const float *data;          /* [channels, height, width] */

  /* per channel */
  const float *channel_mean;
  const float *channel_min;
  const float *channel_max;
  const float *channel_zero;  /* fraction of exact zeros (units the ReLU switched off) */

  float        layer_min;
  float        layer_max;
} ScopeCapture;

GType         scope_capture_get_type (void) G_GNUC_CONST;

/* Copies the output of batch item 0 of @event and computes the statistics. */
ScopeCapture *scope_capture_new_from_event (const VggHookEvent *event);
/* From a [channels, height, width] array (tests, tools). */
ScopeCapture *scope_capture_new            (int          layer_index,
                                            int          channels,
                                            int          height,
                                            int          width,
                                            const float *data);

ScopeCapture *scope_capture_ref   (ScopeCapture *self);
void          scope_capture_unref (ScopeCapture *self);

/* The value of unit (@y, @x) of @channel. */
static inline float
scope_capture_value (const ScopeCapture *self,
                     int                 channel,
                     int                 y,
                     int                 x)
{
  return self->data[((size_t) channel * self->height + y) * self->width + x];
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScopeCapture, scope_capture_unref)

G_END_DECLS
