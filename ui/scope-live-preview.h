/* scope-live-preview.h — the Live view's frame, with the part the network is given outlined
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define SCOPE_TYPE_LIVE_PREVIEW (scope_live_preview_get_type ())

G_DECLARE_FINAL_TYPE (ScopeLivePreview, scope_live_preview, SCOPE, LIVE_PREVIEW, GtkWidget)

/* The newest frame, fitted into the widget and centred; NULL shows nothing. */
void     scope_live_preview_set_texture  (ScopeLivePreview      *self,
                                          GdkTexture            *texture);
/* The part of the frame the network is given, in fractions of its size
 * (scope_result_get_seen_region()): the rest is dimmed. NULL: none. */
void     scope_live_preview_set_region   (ScopeLivePreview      *self,
                                          const graphene_rect_t *region);
/* Mirrored left to right, for display only (a camera facing the user). */
void     scope_live_preview_set_mirrored (ScopeLivePreview      *self,
                                          gboolean               mirrored);
gboolean scope_live_preview_get_mirrored (ScopeLivePreview      *self);

G_END_DECLS
