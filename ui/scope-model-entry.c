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
  GFile   *file;
  char    *id;
  char    *title;
};

enum {
  PROP_0,
  PROP_ID,
  PROP_TITLE,
  PROP_FILE,
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
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
scope_model_entry_init (ScopeModelEntry *self)
{
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
      /* Translators: the model built into the app (untrained, random weights) */
      self->title = g_strdup (_("Built-in Demo Model (Untrained)"));
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
