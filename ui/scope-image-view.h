/* scope-image-view.h — the input picture beside what the network sees, with the receptive field
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Left: the original, the region the preprocessing keeps outlined. Right: the resized and
 * cropped network input. A receptive-field rectangle (input-pixel coordinates, as returned by
 * vgg_model_receptive_rect()) is drawn on both, labelled with its size.
 */
#pragma once

#include <gtk/gtk.h>

#include "vgg.h"

G_BEGIN_DECLS

#define SCOPE_TYPE_IMAGE_VIEW (scope_image_view_get_type ())

G_DECLARE_FINAL_TYPE (ScopeImageView, scope_image_view, SCOPE, IMAGE_VIEW, GtkWidget)

GtkWidget *scope_image_view_new                (void);

/* @original may be a reduced copy: only its aspect ratio matters for the overlay. */
void       scope_image_view_set_pictures       (ScopeImageView *self,
                                                GdkTexture     *original,
                                                GdkTexture     *seen,
                                                VggPreset       preset);
GdkTexture *scope_image_view_get_seen          (ScopeImageView *self);
/* Where the network input's window lies on the original, in fractions of its size
 * (scope_result_get_input_window()); NULL: worked out from the preset's usual geometry. */
void       scope_image_view_set_input_window   (ScopeImageView        *self,
                                                const graphene_rect_t *window);
/* NULL hides the rectangle. */
void       scope_image_view_set_receptive_rect (ScopeImageView *self,
                                                const VggRect  *rect);
gboolean   scope_image_view_get_receptive_rect (ScopeImageView *self,
                                                VggRect        *rect);

/* A picture laid over the network input, stretched to it (and over the part of the original
 * the network sees), at @opacity; NULL removes it. An explanation's heat map, for instance. */
void       scope_image_view_set_overlay        (ScopeImageView *self,
                                                GdkTexture     *overlay,
                                                double          opacity);
GdkTexture *scope_image_view_get_overlay       (ScopeImageView *self);

/* The network-input pixel (row, column) under the pointer, on the network input or on its
 * place in the original ("pointer-y" and "pointer-x" are notified together), or -1, -1. */
void       scope_image_view_get_pointer        (ScopeImageView *self,
                                                int            *y,
                                                int            *x);

G_END_DECLS
