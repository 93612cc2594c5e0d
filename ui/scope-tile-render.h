/* scope-tile-render.h — a layer's tiles rendered off the main thread
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * When the same layer's maps are replaced many times a second (a camera driving the
 * network), colouring and reducing every channel on the main thread took ~5 ms of each
 * VGG16 frame, inside a single paint. The feature grid hands the work to a thread instead
 * and draws the previous maps until the new tiles are ready.
 */
#pragma once

#include <gtk/gtk.h>

#include "scope-capture.h"
#include "scope-enums.h"
#include "scope-map-render.h"

G_BEGIN_DECLS

typedef struct
{
  ScopeNormalization normalization;
  guint8             lut[SCOPE_LUT_SIZE * 3];
  int                reduced_width;    /* > 0: each map reduced to this size */
  int                reduced_height;
  int                scale;            /* else: magnified by this whole factor (≥ 1) */
} ScopeTileStyle;

/* Renders every channel of @capture as scope_map_render_channel_reduced() or
 * scope_map_render_channel() would, on a thread; the result is a GPtrArray of GdkTexture,
 * one per channel (scope_tile_render_finish). */
void       scope_tile_render_async  (ScopeCapture         *capture,
                                     const ScopeTileStyle *style,
                                     GCancellable         *cancellable,
                                     GAsyncReadyCallback   callback,
                                     gpointer              user_data);
GPtrArray *scope_tile_render_finish (GAsyncResult         *result,
                                     GError              **error);
/* The texture of one channel, rendered now. */
GdkTexture *scope_tile_render_channel (const ScopeCapture   *capture,
                                       int                   channel,
                                       const ScopeTileStyle *style);

G_END_DECLS
