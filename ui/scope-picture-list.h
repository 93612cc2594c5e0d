/* scope-picture-list.h — the pictures opened together, and which of them is shown
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * When several files are opened at once (on the command line, dropped together) the window
 * shows one of them and keeps the rest here, to step through as image viewers do. No
 * widgets: the window opens the current file when the position changes, and the strip
 * (ScopePictureStrip) shows where the user is.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define SCOPE_TYPE_PICTURE_LIST (scope_picture_list_get_type ())

G_DECLARE_FINAL_TYPE (ScopePictureList, scope_picture_list, SCOPE, PICTURE_LIST, GObject)

ScopePictureList *scope_picture_list_new          (void);

/* Replaces the list with @n_files files (borrowed; references are taken) and moves to the
 * first. "notify::n-items" then "notify::position". */
void              scope_picture_list_set_files    (ScopePictureList  *self,
                                                   GFile            **files,
                                                   guint              n_files);
/* Empties the list (position −1). */
void              scope_picture_list_clear        (ScopePictureList  *self);

guint             scope_picture_list_get_n_items  (ScopePictureList  *self);
/* The index of the current file, or −1 when the list is empty. */
int               scope_picture_list_get_position (ScopePictureList  *self);
/* Moves to @position (0 ≤ @position < n-items); returns FALSE (and stays) otherwise. */
gboolean          scope_picture_list_set_position (ScopePictureList  *self,
                                                   int                position);
/* Moves by @delta (−1: the previous one, 1: the next); FALSE at either end. */
gboolean          scope_picture_list_step         (ScopePictureList  *self,
                                                   int                delta);
gboolean          scope_picture_list_can_step     (ScopePictureList  *self,
                                                   int                delta);
/* The file at @index (borrowed), or NULL. */
GFile            *scope_picture_list_get_file     (ScopePictureList  *self,
                                                   guint              index);
/* The current file (borrowed), or NULL when the list is empty. */
GFile            *scope_picture_list_get_current  (ScopePictureList  *self);

G_END_DECLS
