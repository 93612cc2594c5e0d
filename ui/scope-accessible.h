/* scope-accessible.h — accessible names that GTK 4.8 cannot take from a template
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Names @button and the toggle button inside it, which is what screen readers reach: GTK 4.8
 * does not pass a GtkMenuButton's accessible label on to it, so without this Orca reads
 * "GtkMenuButton" or "toggle button". */
void scope_accessible_name_menu_button (GtkMenuButton *button,
                                        const char    *name);
/* The same for a GtkDropDown, whose inner toggle button GTK 4.8 leaves unnamed too. */
void scope_accessible_name_drop_down   (GtkDropDown   *drop_down,
                                        const char    *name);

G_END_DECLS
