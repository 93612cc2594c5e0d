/* scope-channel-view.h — one channel of a feature map, large, with the value under the pointer
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "scope-capture.h"
#include "scope-enums.h"
#include "scope-view-state.h"

G_BEGIN_DECLS

#define SCOPE_TYPE_CHANNEL_VIEW (scope_channel_view_get_type ())

G_DECLARE_FINAL_TYPE (ScopeChannelView, scope_channel_view, SCOPE, CHANNEL_VIEW, GtkWidget)

GtkWidget          *scope_channel_view_new               (void);

void                scope_channel_view_set_capture       (ScopeChannelView  *self,
                                                          ScopeCapture      *capture);
ScopeCapture       *scope_channel_view_get_capture       (ScopeChannelView  *self);
void                scope_channel_view_set_channel       (ScopeChannelView  *self,
                                                          int                channel);
int                 scope_channel_view_get_channel       (ScopeChannelView  *self);
/* Colour map, normalisation and the marked unit come from @view_state, shared with the
 * grid; pointing at a unit sets it there. */
void                scope_channel_view_set_view_state    (ScopeChannelView  *self,
                                                          ScopeViewState    *view_state);
/* The value at the unit; FALSE without one. */
gboolean            scope_channel_view_get_value         (ScopeChannelView  *self,
                                                          float             *value);

/* The channel at its own resolution, magnified to at least 224 pixels (for export). */
GdkTexture         *scope_channel_view_render            (ScopeChannelView  *self);

G_END_DECLS
