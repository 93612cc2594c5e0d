/* scope-weights-row.c — one network in the "Get ImageNet Weights" list
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "scope-weights-row.h"

struct _ScopeWeightsRow
{
  AdwActionRow          parent_instance;

  /* template children */
  GtkCheckButton       *check;
  GtkLabel             *tag;

  /* borrowed */
  const ScopeModelInfo *info;
};

enum {
  PROP_0,
  PROP_ACTIVE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (ScopeWeightsRow, scope_weights_row, ADW_TYPE_ACTION_ROW)

static void
on_check_active (GtkCheckButton  *check,
                 GParamSpec      *pspec,
                 ScopeWeightsRow *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIVE]);
}

static void
scope_weights_row_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), SCOPE_TYPE_WEIGHTS_ROW);

  G_OBJECT_CLASS (scope_weights_row_parent_class)->dispose (object);
}

static void
scope_weights_row_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  ScopeWeightsRow *self = SCOPE_WEIGHTS_ROW (object);

  switch (prop_id)
    {
    case PROP_ACTIVE:
      g_value_set_boolean (value, scope_weights_row_get_active (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
scope_weights_row_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  ScopeWeightsRow *self = SCOPE_WEIGHTS_ROW (object);

  switch (prop_id)
    {
    case PROP_ACTIVE:
      scope_weights_row_set_active (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
scope_weights_row_class_init (ScopeWeightsRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = scope_weights_row_dispose;
  object_class->get_property = scope_weights_row_get_property;
  object_class->set_property = scope_weights_row_set_property;

  properties[PROP_ACTIVE] =
    g_param_spec_boolean ("active", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/vggscope/VggScope/ui/scope-weights-row.ui");
  gtk_widget_class_bind_template_child (widget_class, ScopeWeightsRow, check);
  gtk_widget_class_bind_template_child (widget_class, ScopeWeightsRow, tag);
  gtk_widget_class_bind_template_callback (widget_class, on_check_active);
}

static void
scope_weights_row_init (ScopeWeightsRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

ScopeWeightsRow *
scope_weights_row_new (const ScopeModelInfo *info)
{
  ScopeWeightsRow *self;
  g_autofree char *size = NULL;
  g_autofree char *subtitle = NULL;

  g_return_val_if_fail (info != NULL, NULL);

  self = g_object_new (SCOPE_TYPE_WEIGHTS_ROW, NULL);
  self->info = info;

  size = g_format_size (scope_model_info_get_bytes (info));
  /* Translators: under a network's name: ImageNet top-1 and top-5 accuracy in percent,
   * then the file size */
  subtitle = g_strdup_printf (_("Top-1 %.1f %%, top-5 %.1f %% · %s"), info->top1, info->top5,
                              size);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), info->display);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), subtitle);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), info->file_name);
  /* the radio button is named after the network it chooses */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->check),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, info->display,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, subtitle,
                                  -1);
  return self;
}

const ScopeModelInfo *
scope_weights_row_get_info (ScopeWeightsRow *self)
{
  g_return_val_if_fail (SCOPE_IS_WEIGHTS_ROW (self), NULL);
  return self->info;
}

void
scope_weights_row_set_group (ScopeWeightsRow *self,
                             ScopeWeightsRow *group)
{
  g_return_if_fail (SCOPE_IS_WEIGHTS_ROW (self));
  g_return_if_fail (group == NULL || SCOPE_IS_WEIGHTS_ROW (group));

  gtk_check_button_set_group (self->check, group != NULL ? group->check : NULL);
}

gboolean
scope_weights_row_get_active (ScopeWeightsRow *self)
{
  g_return_val_if_fail (SCOPE_IS_WEIGHTS_ROW (self), FALSE);
  return gtk_check_button_get_active (self->check);
}

void
scope_weights_row_set_active (ScopeWeightsRow *self,
                              gboolean         active)
{
  g_return_if_fail (SCOPE_IS_WEIGHTS_ROW (self));

  /* the check button's notify::active notifies ours */
  gtk_check_button_set_active (self->check, active);
}

void
scope_weights_row_set_file_state (ScopeWeightsRow     *self,
                                  ScopeModelFileState  state)
{
  g_return_if_fail (SCOPE_IS_WEIGHTS_ROW (self));

  gtk_widget_remove_css_class (GTK_WIDGET (self->tag), "partial");
  switch (state)
    {
    case SCOPE_MODEL_FILE_INSTALLED:
      /* Translators: beside a network that is already in the models folder */
      gtk_label_set_label (self->tag, _("Downloaded"));
      break;
    case SCOPE_MODEL_FILE_PARTIAL:
      /* Translators: beside a network whose download was interrupted */
      gtk_label_set_label (self->tag, _("Partly downloaded"));
      gtk_widget_add_css_class (GTK_WIDGET (self->tag), "partial");
      break;
    case SCOPE_MODEL_FILE_ABSENT:
    default:
      gtk_label_set_label (self->tag, "");
      break;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->tag), state != SCOPE_MODEL_FILE_ABSENT);
}
