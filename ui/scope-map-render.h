/* scope-map-render.h — feature maps to textures: colour maps, scaling, normalisation
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shared by the feature grid, the channel view and PNG export, so all three show the same
 * colours for the same numbers.
 */
#pragma once

#include <gtk/gtk.h>

#include "scope-capture.h"
#include "scope-enums.h"

G_BEGIN_DECLS

#define SCOPE_LUT_SIZE 256

/* RGB8 triples for t = i / 255. */
void        scope_colormap_fill_lut       (ScopeColormap  colormap,
                                           guint8         lut[SCOPE_LUT_SIZE * 3]);

/* The value range one channel is scaled by, for @normalization. */
void        scope_capture_channel_range   (const ScopeCapture *capture,
                                           int                 channel,
                                           ScopeNormalization  normalization,
                                           float              *low,
                                           float              *high);

/* Channel @channel of @capture, each unit drawn as @scale × @scale pixels. */
GdkTexture *scope_map_render_channel      (const ScopeCapture *capture,
                                           int                 channel,
                                           ScopeNormalization  normalization,
                                           const guint8       *lut,
                                           int                 scale);

/* Channel @channel of @capture reduced to @width × @height pixels (no larger than the map):
 * each pixel coloured by the mean of the units it covers. */
GdkTexture *scope_map_render_channel_reduced (const ScopeCapture *capture,
                                              int                 channel,
                                              ScopeNormalization  normalization,
                                              const guint8       *lut,
                                              int                 width,
                                              int                 height);

/* All channels of @capture in @order (NULL: 0, 1, …) as one picture, @columns wide, with
 * one-pixel gaps of @gap_rgb and every unit @scale × @scale pixels (for export). */
GdkTexture *scope_map_render_grid         (const ScopeCapture *capture,
                                           const int          *order,
                                           int                 columns,
                                           ScopeNormalization  normalization,
                                           const guint8       *lut,
                                           int                 scale,
                                           const guint8        gap_rgb[3]);

/* Channels with 1 × 1 maps (fully connected layers) make sense only scaled together. */
static inline ScopeNormalization
scope_capture_effective_normalization (const ScopeCapture *capture,
                                       ScopeNormalization  normalization)
{
  return capture->height * capture->width == 1 ? SCOPE_NORMALIZATION_LAYER : normalization;
}

G_END_DECLS
