/* scope-model-menu.c — the header's model button: which model is in use, and the others
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "scope-accessible.h"
#include "scope-model-menu.h"
#include "scope-model-row.h"

struct _ScopeModelMenu
{
  GtkBox          parent_instance;

  /* template children */
  GtkSpinner     *spinner;
  GtkMenuButton  *button;
  GtkLabel       *label;
  GMenu          *menu;

  /* owned */
  ScopeWorkspace *workspace;

  /* borrowed: inside the popover */
  GtkListBox     *list;
};

G_DEFINE_FINAL_TYPE (ScopeModelMenu, scope_model_menu, GTK_TYPE_BOX)

static void
update_checks (ScopeModelMenu *self)
{
  const char *id = scope_workspace_get_model_id (self->workspace);

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->list)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (SCOPE_IS_MODEL_ROW (row))
      scope_model_row_set_active (SCOPE_MODEL_ROW (row),
                                  g_strcmp0 (scope_model_entry_get_id (
                                               scope_model_row_get_entry (SCOPE_MODEL_ROW (row))),
                                             id) == 0);
}

static void
update_label (ScopeModelMenu *self)
{
  ScopeModelStore *store = scope_workspace_get_store (self->workspace);
  ScopeModelEntry *entry = scope_model_store_find (store,
                                                   scope_workspace_get_model_id (self->workspace));
  const char *title = entry != NULL ? scope_model_entry_get_title (entry) : "";
  g_autofree char *name = NULL;

  gtk_label_set_label (self->label, title);
  /* Translators: accessible name of the model button; %s is the model in use */
  name = g_strdup_printf (_("Model: %s"), title);
  scope_accessible_name_menu_button (self->button, name);
  update_checks (self);
}

static void
update_loading (ScopeModelMenu *self)
{
  gboolean loading = scope_workspace_get_model_loading (self->workspace);

  gtk_widget_set_visible (GTK_WIDGET (self->spinner), loading);
  gtk_spinner_set_spinning (self->spinner, loading);
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  ScopeModelMenu *self = user_data;
  GtkWidget *row = scope_model_row_new (SCOPE_MODEL_ENTRY (item));

  scope_model_row_set_active (SCOPE_MODEL_ROW (row),
                              g_strcmp0 (scope_model_entry_get_id (item),
                                         scope_workspace_get_model_id (self->workspace)) == 0);
  return row;
}

static void
on_row_activated (GtkListBox     *list,
                  GtkListBoxRow  *row,
                  ScopeModelMenu *self)
{
  ScopeModelEntry *entry = scope_model_row_get_entry (SCOPE_MODEL_ROW (row));

  gtk_menu_button_popdown (self->button);
  gtk_widget_activate_action (GTK_WIDGET (self), "win.model", "s",
                              scope_model_entry_get_id (entry));
}

/* Opening the menu reads the models not described yet, on a worker thread. */
static void
on_shown (ScopeModelMenu *self)
{
  scope_model_store_describe_all (scope_workspace_get_store (self->workspace));
}

void
scope_model_menu_set_workspace (ScopeModelMenu *self,
                                ScopeWorkspace *workspace)
{
  GtkPopover *popover;

  g_return_if_fail (SCOPE_IS_MODEL_MENU (self));
  g_return_if_fail (SCOPE_IS_WORKSPACE (workspace));
  g_return_if_fail (self->workspace == NULL);

  self->workspace = g_object_ref (workspace);
  gtk_list_box_bind_model (self->list, G_LIST_MODEL (scope_workspace_get_store (workspace)),
                           create_row, self, NULL);
  g_signal_connect_object (workspace, "notify::model-id", G_CALLBACK (update_label), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (workspace, "notify::model-loading", G_CALLBACK (update_loading), self,
                           G_CONNECT_SWAPPED);
  popover = gtk_menu_button_get_popover (self->button);
  g_signal_connect_object (popover, "show", G_CALLBACK (on_shown), self, G_CONNECT_SWAPPED);
  update_label (self);
  update_loading (self);
}

static void
scope_model_menu_dispose (GObject *object)
{
  ScopeModelMenu *self = SCOPE_MODEL_MENU (object);

  g_clear_object (&self->workspace);
  gtk_widget_dispose_template (GTK_WIDGET (self), SCOPE_TYPE_MODEL_MENU);

  G_OBJECT_CLASS (scope_model_menu_parent_class)->dispose (object);
}

static void
scope_model_menu_class_init (ScopeModelMenuClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = scope_model_menu_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/vggscope/VggScope/ui/scope-model-menu.ui");
  gtk_widget_class_bind_template_child (widget_class, ScopeModelMenu, spinner);
  gtk_widget_class_bind_template_child (widget_class, ScopeModelMenu, button);
  gtk_widget_class_bind_template_child (widget_class, ScopeModelMenu, label);
  gtk_widget_class_bind_template_child (widget_class, ScopeModelMenu, menu);
}

static void
scope_model_menu_init (ScopeModelMenu *self)
{
  GtkPopover *popover;

  gtk_widget_init_template (GTK_WIDGET (self));

  /* the store's entries, as the menu's custom child (the menu scrolls as a whole when long) */
  self->list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->list, GTK_SELECTION_NONE);
  gtk_list_box_set_activate_on_single_click (self->list, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->list), "model-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  /* Translators: accessible name of the list of models */
                                  _("Models"), -1);
  g_signal_connect (self->list, "row-activated", G_CALLBACK (on_row_activated), self);
  popover = gtk_menu_button_get_popover (self->button);
  gtk_popover_menu_add_child (GTK_POPOVER_MENU (popover), GTK_WIDGET (self->list), "models");
  /* Translators: accessible name of the model button before a model is chosen */
  scope_accessible_name_menu_button (self->button, _("Model"));
}
