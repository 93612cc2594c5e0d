/* scope-accessible.c — accessible names that GTK 4.8 cannot take from a template
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "scope-accessible.h"

/* Names @widget and the buttons directly inside it. */
static void
name_with_inner_buttons (GtkWidget  *widget,
                         const char *name)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  -1);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_BUTTON (child))
      gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                      -1);
}

void
scope_accessible_name_menu_button (GtkMenuButton *button,
                                   const char    *name)
{
  g_return_if_fail (GTK_IS_MENU_BUTTON (button));
  g_return_if_fail (name != NULL);

  name_with_inner_buttons (GTK_WIDGET (button), name);
}

void
scope_accessible_name_drop_down (GtkDropDown *drop_down,
                                 const char  *name)
{
  g_return_if_fail (GTK_IS_DROP_DOWN (drop_down));
  g_return_if_fail (name != NULL);

  name_with_inner_buttons (GTK_WIDGET (drop_down), name);
}
