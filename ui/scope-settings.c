/* scope-settings.c — the app's GSettings, also when running from the build tree
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "scope-settings.h"

GSettings *
scope_settings_new (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettingsSchemaSource) build_source = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APPLICATION_ID, TRUE);

#ifdef SCOPE_BUILD_DATADIR
  if (schema == NULL)
    {
      build_source = g_settings_schema_source_new_from_directory (SCOPE_BUILD_DATADIR, source,
                                                                  FALSE, NULL);
      if (build_source != NULL)
        schema = g_settings_schema_source_lookup (build_source, APPLICATION_ID, TRUE);
    }
#endif

  if (schema == NULL)
    {
      g_warning ("The settings schema %s is not installed", APPLICATION_ID);
      return NULL;
    }
  return g_settings_new_full (schema, NULL, NULL);
}
