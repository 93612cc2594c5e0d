/* scope-result.h — the observable outcome of classifying one picture with one model
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every view draws from a ScopeResult (and the model's static description). The inference
 * job fills it on the main thread as the run goes: the input pictures, then one capture per
 * layer, then the prediction. A run that is superseded is marked cancelled and never filled
 * again. Main thread only.
 */
#pragma once

#include <gtk/gtk.h>

#include "scope-capture.h"
#include "scope-enums.h"
#include "scope-model.h"
#include "scope-source.h"

G_BEGIN_DECLS

#define SCOPE_TYPE_RESULT (scope_result_get_type ())

G_DECLARE_FINAL_TYPE (ScopeResult, scope_result, SCOPE, RESULT, GObject)

ScopeResult       *scope_result_new               (ScopeModel  *model,
                                                   ScopeSource *source);

ScopeModel        *scope_result_get_model         (ScopeResult *self);
ScopeSource       *scope_result_get_source        (ScopeResult *self);
ScopeResultStatus  scope_result_get_status        (ScopeResult *self);
/* The picture as decoded, and as the network sees it (resized and cropped); NULL until
 * the status is running. */
GdkTexture        *scope_result_get_original      (ScopeResult *self);
GdkTexture        *scope_result_get_seen          (ScopeResult *self);
/* The network input as computed (float32, [C, H, W] of the model's input shape), what
 * explanations start from; NULL until the picture is decoded. */
GBytes            *scope_result_get_input         (ScopeResult *self);
/* Which layer the run captures: -1 (the default) every layer, else only that one (the Live
 * view while it plays, where capturing the rest would cost frames). Set before the run. */
void               scope_result_set_watched_layer (ScopeResult *self,
                                                   int          index);
int                scope_result_get_watched_layer (ScopeResult *self);
/* Where the network's input comes from in the picture, as fractions of its width and height
 * (the centre crop, or the object's box for Fashion-MNIST); FALSE until the picture is
 * decoded. Set with the input, on the main thread. */
gboolean           scope_result_get_seen_region   (ScopeResult           *self,
                                                   graphene_rect_t       *region);
/* The network input's whole window laid on the picture, in the same fractions: input pixel
 * (x, y) of a W × H input covers the picture from window.x + x / W · window.width on. The
 * same as the seen region for a crop; for Fashion-MNIST it takes in the black margins the
 * object's box is padded with (and may reach past the picture). */
gboolean           scope_result_get_input_window  (ScopeResult           *self,
                                                   graphene_rect_t       *window);
void               scope_result_set_seen_region   (ScopeResult           *self,
                                                   const graphene_rect_t *region,
                                                   const graphene_rect_t *window);
/* The layer being computed, or -1. */
int                scope_result_get_running_layer (ScopeResult *self);
/* Layers finished so far / all layers, in [0, 1]. */
double             scope_result_get_fraction      (ScopeResult *self);
/* The capture of layer @index, or NULL if it has not arrived. Borrowed. */
ScopeCapture      *scope_result_get_capture       (ScopeResult *self,
                                                   int          index);
/* A GListModel of ScopePrediction, largest probability first; empty until done. */
GListModel        *scope_result_get_prediction    (ScopeResult *self);
/* Wall time from the start to the prediction, in seconds (0 until done). */
double             scope_result_get_elapsed       (ScopeResult *self);
char              *scope_result_format_elapsed    (double       seconds);

/* For the inference job (main thread). */
void               scope_result_set_input         (ScopeResult  *self,
                                                   GdkTexture   *original,
                                                   GdkTexture   *seen,
                                                   GBytes       *input);
void               scope_result_add_capture       (ScopeResult  *self,
                                                   ScopeCapture *capture);
void               scope_result_set_prediction    (ScopeResult  *self,
                                                   const int    *classes,
                                                   const float  *probabilities,
                                                   int           k,
                                                   double        elapsed);
/* The measured wall time of each layer of the forward pass (the engine's profile: 0 for a
 * layer fused into the one before); -1 while unknown. */
void               scope_result_set_profile       (ScopeResult  *self,
                                                   const double *seconds,
                                                   int           n_layers);
double             scope_result_get_layer_seconds (ScopeResult  *self,
                                                   int           index);
void               scope_result_set_status        (ScopeResult       *self,
                                                   ScopeResultStatus  status);

G_END_DECLS
