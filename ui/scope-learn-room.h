/* scope-learn-room.h — the Learn view: lessons on the loaded network, one sub-page each
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A sidebar lists the sub-pages: the lesson of the selected layer, its filters, the
 * preprocessing step by step, and places for a worked unit and the network as code. A new
 * sub-page is one call to scope_learn_room_add_page(). Sub-pages that compute something
 * (the preprocessing's "what if") do so only while the room and that sub-page are shown.
 */
#pragma once

#include <gtk/gtk.h>

#include "scope-view-state.h"
#include "scope-workspace.h"

G_BEGIN_DECLS

#define SCOPE_TYPE_LEARN_ROOM (scope_learn_room_get_type ())

G_DECLARE_FINAL_TYPE (ScopeLearnRoom, scope_learn_room, SCOPE, LEARN_ROOM, GtkWidget)

GtkWidget      *scope_learn_room_new            (void);

void            scope_learn_room_set_workspace  (ScopeLearnRoom *self,
                                                 ScopeWorkspace *workspace);
void            scope_learn_room_set_view_state (ScopeLearnRoom *self,
                                                 ScopeViewState *view_state);
/* Whether the room is on screen (the window's visible view). */
void            scope_learn_room_set_active     (ScopeLearnRoom *self,
                                                 gboolean        active);

/* Adds @child as sub-page @name with @title in the sidebar; the child of a page already
 * called @name is replaced, the page keeping its place. */
void            scope_learn_room_add_page       (ScopeLearnRoom *self,
                                                 GtkWidget      *child,
                                                 const char     *name,
                                                 const char     *title);
void            scope_learn_room_show_page      (ScopeLearnRoom *self,
                                                 const char     *name);
const char     *scope_learn_room_get_page       (ScopeLearnRoom *self);
/* The child shown as page @name, or NULL. */
GtkWidget      *scope_learn_room_get_child      (ScopeLearnRoom *self,
                                                 const char     *name);

G_END_DECLS
