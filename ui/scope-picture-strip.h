/* scope-picture-strip.h — the bar that steps through pictures opened together: "3 of 45"
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shows a ScopePictureList: the previous and next buttons (the window's
 * "win.previous-picture" and "win.next-picture" actions, Alt+Left and Alt+Right), where the
 * user is and the file names around. Hidden while the list holds fewer than two pictures.
 */
#pragma once

#include <gtk/gtk.h>

#include "scope-picture-list.h"

G_BEGIN_DECLS

#define SCOPE_TYPE_PICTURE_STRIP (scope_picture_strip_get_type ())

G_DECLARE_FINAL_TYPE (ScopePictureStrip, scope_picture_strip, SCOPE, PICTURE_STRIP, GtkWidget)

void              scope_picture_strip_set_list     (ScopePictureStrip *self,
                                                    ScopePictureList  *list);
ScopePictureList *scope_picture_strip_get_list     (ScopePictureStrip *self);
/* What the strip says now ("3 of 45"; the current file's name), for tests. */
const char       *scope_picture_strip_get_counter  (ScopePictureStrip *self);
const char       *scope_picture_strip_get_name     (ScopePictureStrip *self);

G_END_DECLS
