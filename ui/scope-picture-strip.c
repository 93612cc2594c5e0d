/* scope-picture-strip.c — the bar that steps through pictures opened together: "3 of 45"
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "scope-picture-strip.h"

struct _ScopePictureStrip
{
  GtkWidget         parent_instance;

  /* template children */
  GtkLabel         *previous_name_label;
  GtkLabel         *name_label;
  GtkLabel         *counter_label;
  GtkLabel         *next_name_label;

  /* owned */
  ScopePictureList *list;
};

G_DEFINE_FINAL_TYPE (ScopePictureStrip, scope_picture_strip, GTK_TYPE_WIDGET)

static char *
display_name (GFile *file)
{
  return file != NULL ? g_file_get_basename (file) : g_strdup ("");
}

static void
update (ScopePictureStrip *self)
{
  guint n = self->list != NULL ? scope_picture_list_get_n_items (self->list) : 0;
  int position = self->list != NULL ? scope_picture_list_get_position (self->list) : -1;
  g_autofree char *counter = NULL;
  g_autofree char *previous = NULL;
  g_autofree char *current = NULL;
  g_autofree char *next = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self), n > 1 && position >= 0);
  if (n == 0 || position < 0)
    return;
  /* Translators: where the user is among the pictures opened together, "3 of 45" */
  counter = g_strdup_printf (_("%d of %u"), position + 1, n);
  previous = display_name (position > 0 ? scope_picture_list_get_file (self->list,
                                                                        (guint) position - 1)
                                        : NULL);
  current = display_name (scope_picture_list_get_current (self->list));
  next = display_name (scope_picture_list_get_file (self->list, (guint) position + 1));
  gtk_label_set_text (self->counter_label, counter);
  gtk_label_set_text (self->previous_name_label, previous);
  gtk_label_set_text (self->name_label, current);
  gtk_label_set_text (self->next_name_label, next);
}

void
scope_picture_strip_set_list (ScopePictureStrip *self,
                              ScopePictureList  *list)
{
  g_return_if_fail (SCOPE_IS_PICTURE_STRIP (self));
  g_return_if_fail (list == NULL || SCOPE_IS_PICTURE_LIST (list));

  if (self->list == list)
    return;
  if (self->list != NULL)
    g_signal_handlers_disconnect_by_data (self->list, self);
  g_set_object (&self->list, list);
  if (list != NULL)
    {
      g_signal_connect_swapped (list, "notify::position", G_CALLBACK (update), self);
      g_signal_connect_swapped (list, "notify::n-items", G_CALLBACK (update), self);
    }
  update (self);
}

ScopePictureList *
scope_picture_strip_get_list (ScopePictureStrip *self)
{
  g_return_val_if_fail (SCOPE_IS_PICTURE_STRIP (self), NULL);
  return self->list;
}

const char *
scope_picture_strip_get_counter (ScopePictureStrip *self)
{
  g_return_val_if_fail (SCOPE_IS_PICTURE_STRIP (self), NULL);
  return gtk_label_get_text (self->counter_label);
}

const char *
scope_picture_strip_get_name (ScopePictureStrip *self)
{
  g_return_val_if_fail (SCOPE_IS_PICTURE_STRIP (self), NULL);
  return gtk_label_get_text (self->name_label);
}

static void
scope_picture_strip_dispose (GObject *object)
{
  ScopePictureStrip *self = SCOPE_PICTURE_STRIP (object);
  GtkWidget *child;

  scope_picture_strip_set_list (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), SCOPE_TYPE_PICTURE_STRIP);
  /* the buttons and the box are no bound children: unparent them too */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (scope_picture_strip_parent_class)->dispose (object);
}

static void
scope_picture_strip_class_init (ScopePictureStripClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = scope_picture_strip_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/vggscope/VggScope/ui/scope-picture-strip.ui");
  gtk_widget_class_bind_template_child (widget_class, ScopePictureStrip, previous_name_label);
  gtk_widget_class_bind_template_child (widget_class, ScopePictureStrip, name_label);
  gtk_widget_class_bind_template_child (widget_class, ScopePictureStrip, counter_label);
  gtk_widget_class_bind_template_child (widget_class, ScopePictureStrip, next_name_label);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "picturestrip");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
scope_picture_strip_init (ScopePictureStrip *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (gtk_widget_get_layout_manager (GTK_WIDGET (self))),
                              6);
}
