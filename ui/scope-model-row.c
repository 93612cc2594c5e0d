/* scope-model-row.c — one model in the model menu: its name, what it is, and a check
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "scope-model-row.h"

struct _ScopeModelRow
{
  GtkListBoxRow    parent_instance;

  /* template children */
  GtkLabel        *title_label;
  GtkLabel        *description_label;
  GtkWidget       *check;

  /* owned */
  ScopeModelEntry *entry;

  /* plain state */
  gboolean         active;
};

enum {
  PROP_0,
  PROP_ENTRY,
  PROP_ACTIVE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (ScopeModelRow, scope_model_row, GTK_TYPE_LIST_BOX_ROW)

static void
update_description (ScopeModelRow *self)
{
  const char *description = scope_model_entry_get_description (self->entry);
  g_autofree char *name = NULL;

  /* Translators: in the model menu, for a model not read yet */
  gtk_label_set_label (self->description_label,
                       description[0] != '\0' ? description : _("Reading…"));
  if (scope_model_entry_get_broken (self->entry))
    gtk_widget_add_css_class (GTK_WIDGET (self->description_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->description_label), "error");

  /* a screen reader says the model's name and whether it is in use */
  name = self->active
         /* Translators: accessible name of the model in use in the model menu */
         ? g_strdup_printf (_("%s (in use)"), scope_model_entry_get_title (self->entry))
         : g_strdup (scope_model_entry_get_title (self->entry));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  gtk_label_get_label (self->description_label), -1);
}

static void
scope_model_row_constructed (GObject *object)
{
  ScopeModelRow *self = SCOPE_MODEL_ROW (object);

  G_OBJECT_CLASS (scope_model_row_parent_class)->constructed (object);

  gtk_label_set_label (self->title_label, scope_model_entry_get_title (self->entry));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), scope_model_entry_get_title (self->entry));
  g_signal_connect_object (self->entry, "notify::description", G_CALLBACK (update_description),
                           self, G_CONNECT_SWAPPED);
  update_description (self);
}

static void
scope_model_row_dispose (GObject *object)
{
  ScopeModelRow *self = SCOPE_MODEL_ROW (object);

  g_clear_object (&self->entry);
  gtk_widget_dispose_template (GTK_WIDGET (self), SCOPE_TYPE_MODEL_ROW);

  G_OBJECT_CLASS (scope_model_row_parent_class)->dispose (object);
}

static void
scope_model_row_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  ScopeModelRow *self = SCOPE_MODEL_ROW (object);

  switch (prop_id)
    {
    case PROP_ENTRY:
      g_value_set_object (value, self->entry);
      break;
    case PROP_ACTIVE:
      g_value_set_boolean (value, self->active);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
scope_model_row_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  ScopeModelRow *self = SCOPE_MODEL_ROW (object);

  switch (prop_id)
    {
    case PROP_ENTRY:
      self->entry = g_value_dup_object (value);
      break;
    case PROP_ACTIVE:
      scope_model_row_set_active (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
scope_model_row_class_init (ScopeModelRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = scope_model_row_constructed;
  object_class->dispose = scope_model_row_dispose;
  object_class->get_property = scope_model_row_get_property;
  object_class->set_property = scope_model_row_set_property;

  properties[PROP_ENTRY] =
    g_param_spec_object ("entry", NULL, NULL, SCOPE_TYPE_MODEL_ENTRY,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ACTIVE] =
    g_param_spec_boolean ("active", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/vggscope/VggScope/ui/scope-model-row.ui");
  gtk_widget_class_bind_template_child (widget_class, ScopeModelRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, ScopeModelRow, description_label);
  gtk_widget_class_bind_template_child (widget_class, ScopeModelRow, check);
}

static void
scope_model_row_init (ScopeModelRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_opacity (self->check, 0.0);
}

GtkWidget *
scope_model_row_new (ScopeModelEntry *entry)
{
  g_return_val_if_fail (SCOPE_IS_MODEL_ENTRY (entry), NULL);

  return g_object_new (SCOPE_TYPE_MODEL_ROW, "entry", entry, NULL);
}

ScopeModelEntry *
scope_model_row_get_entry (ScopeModelRow *self)
{
  g_return_val_if_fail (SCOPE_IS_MODEL_ROW (self), NULL);
  return self->entry;
}

void
scope_model_row_set_active (ScopeModelRow *self,
                            gboolean       active)
{
  g_return_if_fail (SCOPE_IS_MODEL_ROW (self));

  active = !!active;
  if (self->active == active)
    return;
  self->active = active;
  /* opacity, not visibility, so the column of checks keeps its width */
  gtk_widget_set_opacity (self->check, active ? 1.0 : 0.0);
  update_description (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE]);
}

gboolean
scope_model_row_get_active (ScopeModelRow *self)
{
  g_return_val_if_fail (SCOPE_IS_MODEL_ROW (self), FALSE);
  return self->active;
}
