/* scope-explanation.h — one explanation of one picture: the method, its map and its numbers
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Made by the Explain panel and filled by ScopeExplainJob on a worker thread, delivered on the
 * main thread: the raw map as the engine computed it ([C_in, H, W] for the gradient methods,
 * [H_L, W_L] for Grad-CAM, [n_y, n_x] for occlusion) and, for display, a map of the network
 * input's size scaled to [0, 1]. Occlusion fills in as positions finish.
 */
#pragma once

#include <gtk/gtk.h>

#include "scope-enums.h"

G_BEGIN_DECLS

#define SCOPE_TYPE_EXPLANATION (scope_explanation_get_type ())

G_DECLARE_FINAL_TYPE (ScopeExplanation, scope_explanation, SCOPE, EXPLANATION, GObject)

ScopeExplanation  *scope_explanation_new          (ScopeExplainMethod  method,
                                                   int                 class_index,
                                                   int                 layer_index);
ScopeExplainMethod scope_explanation_get_method   (ScopeExplanation   *self);
int                scope_explanation_get_class    (ScopeExplanation   *self);
/* Grad-CAM's layer, or -1. */
int                scope_explanation_get_layer    (ScopeExplanation   *self);
ScopeResultStatus  scope_explanation_get_status   (ScopeExplanation   *self);
/* In [0, 1], while running. */
double             scope_explanation_get_fraction (ScopeExplanation   *self);
/* What went wrong, when failed. */
const char        *scope_explanation_get_error    (ScopeExplanation   *self);
/* The numbers worth reading beside the map (an IG completeness gap, …), or "". */
const char        *scope_explanation_get_summary  (ScopeExplanation   *self);

/* The display map: @height × @width floats in [0, 1] (NaN where not computed yet), or NULL. */
const float       *scope_explanation_get_map      (ScopeExplanation   *self,
                                                   int                *height,
                                                   int                *width);
/* The engine's own result (float32) and its shape, or NULL. */
GBytes            *scope_explanation_get_raw      (ScopeExplanation   *self,
                                                   int                *channels,
                                                   int                *height,
                                                   int                *width);
/* The display map coloured with @lut (SCOPE_LUT_SIZE RGB triples), transparent where the
 * map is low, for laying over the picture; NULL without a map. */
GdkTexture        *scope_explanation_render       (ScopeExplanation   *self,
                                                   const guint8       *lut);

/* For ScopeExplainJob (main thread). @map is taken (height × width floats); @raw may be
 * NULL while running. */
void               scope_explanation_set_map      (ScopeExplanation   *self,
                                                   float              *map,
                                                   int                 height,
                                                   int                 width,
                                                   GBytes             *raw,
                                                   int                 raw_channels,
                                                   int                 raw_height,
                                                   int                 raw_width);
void               scope_explanation_set_progress (ScopeExplanation   *self,
                                                   double              fraction);
void               scope_explanation_set_summary  (ScopeExplanation   *self,
                                                   const char         *summary);
void               scope_explanation_set_status   (ScopeExplanation   *self,
                                                   ScopeResultStatus   status,
                                                   const char         *error);

G_END_DECLS
