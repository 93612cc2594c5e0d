/* scope-model-entry.c — a model the user can pick: the built-in one or a weight file
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "scope-model-entry.h"

struct _ScopeModelEntry
{
  GObject  parent_instance;

  /* owned */
  GFile    *file;
  char     *id;
  char     *title;
  char     *description;

  /* plain state */
  gboolean  described;
  gboolean  broken;
};

enum {
  PROP_0,
  PROP_ID,
  PROP_TITLE,
  PROP_FILE,
  PROP_DESCRIPTION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (ScopeModelEntry, scope_model_entry, G_TYPE_OBJECT)

static void
scope_model_entry_finalize (GObject *object)
{
  ScopeModelEntry *self = SCOPE_MODEL_ENTRY (object);

  g_clear_object (&self->file);
  g_free (self->id);
  g_free (self->title);
  g_free (self->description);

  G_OBJECT_CLASS (scope_model_entry_parent_class)->finalize (object);
}

static void
scope_model_entry_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  ScopeModelEntry *self = SCOPE_MODEL_ENTRY (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_FILE:
      g_value_set_object (value, self->file);
      break;
    case PROP_DESCRIPTION:
      g_value_set_string (value, self->description);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
scope_model_entry_class_init (ScopeModelEntryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = scope_model_entry_finalize;
  object_class->get_property = scope_model_entry_get_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_FILE] =
    g_param_spec_object ("file", NULL, NULL, G_TYPE_FILE,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DESCRIPTION] =
    g_param_spec_string ("description", NULL, NULL, "",
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
scope_model_entry_init (ScopeModelEntry *self)
{
  self->description = g_strdup ("");
}

ScopeModelEntry *
scope_model_entry_new (GFile *file)
{
  ScopeModelEntry *self;

  g_return_val_if_fail (file == NULL || G_IS_FILE (file), NULL);

  self = g_object_new (SCOPE_TYPE_MODEL_ENTRY, NULL);
  if (file == NULL)
    {
      self->id = g_strdup (SCOPE_MODEL_ENTRY_DEFAULT_ID);
      /* Translators: the model built into the app (its name and kind are shown under it) */
      self->title = g_strdup (_("Built-in Model"));
    }
  else
    {
      g_autofree char *basename = g_file_get_basename (file);

      self->file = g_object_ref (file);
      self->id = g_file_get_uri (file);
      self->title = g_filename_display_name (basename != NULL ? basename : "?");
    }
  return self;
}

const char *
scope_model_entry_get_id (ScopeModelEntry *self)
{
  g_return_val_if_fail (SCOPE_IS_MODEL_ENTRY (self), NULL);
  return self->id;
}

const char *
scope_model_entry_get_title (ScopeModelEntry *self)
{
  g_return_val_if_fail (SCOPE_IS_MODEL_ENTRY (self), NULL);
  return self->title;
}

GFile *
scope_model_entry_get_file (ScopeModelEntry *self)
{
  g_return_val_if_fail (SCOPE_IS_MODEL_ENTRY (self), NULL);
  return self->file;
}

const char *
scope_model_entry_get_description (ScopeModelEntry *self)
{
  g_return_val_if_fail (SCOPE_IS_MODEL_ENTRY (self), NULL);
  return self->description;
}

gboolean
scope_model_entry_get_described (ScopeModelEntry *self)
{
  g_return_val_if_fail (SCOPE_IS_MODEL_ENTRY (self), FALSE);
  return self->described;
}

gboolean
scope_model_entry_get_broken (ScopeModelEntry *self)
{
  g_return_val_if_fail (SCOPE_IS_MODEL_ENTRY (self), FALSE);
  return self->broken;
}

static void
set_description (ScopeModelEntry *self,
                 char            *description,
                 gboolean         broken)
{
  self->described = TRUE;
  self->broken = broken;
  if (g_strcmp0 (self->description, description) == 0)
    {
      g_free (description);
      return;
    }
  g_free (self->description);
  self->description = description;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DESCRIPTION]);
}

char *
scope_model_describe (const VggModel *model)
{
  GString *text;
  int n_classes;

  g_return_val_if_fail (model != NULL, NULL);

  /* the name on a line of its own, then the facts */
  text = g_string_new (vgg_model_name (model));
  n_classes = vgg_model_n_classes (model);
  g_string_append_c (text, '\n');
  if (vgg_model_source (model) == VGG_SOURCE_RANDOM)
    /* Translators: in the model menu, the "format" of a model made in memory */
    g_string_append (text, _("random weights"));
  else
    g_string_append (text, vgg_source_name (vgg_model_source (model)));
  g_string_append (text, " · ");
  /* Translators: in the model menu; %s is a preprocessing preset ("torchvision", "caffe",
   * "fashion-mnist") */
  g_string_append_printf (text, _("%s preprocessing"), vgg_preset_name (vgg_model_preset (model)));
  g_string_append (text, " · ");
  if (n_classes > 0)
    /* Translators: in the model menu: how many classes the model tells apart */
    g_string_append_printf (text, ngettext ("%d class", "%d classes", n_classes), n_classes);
  else
    /* Translators: in the model menu, for a model without a classifier (Keras "notop") */
    g_string_append (text, _("no classifier: feature maps only"));
  if (!vgg_model_is_trained (model) && vgg_model_source (model) != VGG_SOURCE_RANDOM)
    {
      g_string_append (text, " · ");
      /* Translators: in the model menu, for a model with random weights */
      g_string_append (text, _("untrained"));
    }
  return g_string_free (text, FALSE);
}

void
scope_model_entry_describe (ScopeModelEntry *self,
                            const VggModel  *model)
{
  g_return_if_fail (SCOPE_IS_MODEL_ENTRY (self));
  g_return_if_fail (model != NULL);

  set_description (self, scope_model_describe (model), FALSE);
}

void
scope_model_entry_set_description (ScopeModelEntry *self,
                                   const char      *description)
{
  g_return_if_fail (SCOPE_IS_MODEL_ENTRY (self));
  g_return_if_fail (description != NULL);

  set_description (self, g_strdup (description), FALSE);
}

void
scope_model_entry_describe_error (ScopeModelEntry *self,
                                  const char      *message)
{
  g_return_if_fail (SCOPE_IS_MODEL_ENTRY (self));

  /* Translators: in the model menu, for a file that cannot be used; %s says why */
  set_description (self, g_strdup_printf (_("Cannot be used: %s"), message != NULL ? message : ""),
                   TRUE);
}
