/* scope-model-paths.c — where weight files come from and where they are kept
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "scope-model-paths.h"

#include <glib/gstdio.h>

#define PART_SUFFIX ".part"

char *
scope_model_paths_dup_models_dir (void)
{
  return g_build_filename (g_get_user_data_dir (), PACKAGE_NAME, "models", NULL);
}

char *
scope_model_paths_dup_base_url (const char *setting)
{
  const char *environment = g_getenv ("VGG_SCOPE_MODEL_BASE_URL");

  /* the environment wins over the setting, so a test or a mirror needs no settings change */
  if (environment != NULL && environment[0] != '\0')
    return g_strdup (environment);
  if (setting != NULL && setting[0] != '\0')
    return g_strdup (setting);
  return g_strdup (SCOPE_MODEL_BASE_URL_DEFAULT);
}

char *
scope_model_paths_build_file (const char *directory,
                              const char *file_name)
{
  g_return_val_if_fail (directory != NULL, NULL);
  g_return_val_if_fail (file_name != NULL, NULL);

  return g_build_filename (directory, file_name, NULL);
}

char *
scope_model_paths_build_part (const char *directory,
                              const char *file_name)
{
  g_autofree char *part_name = NULL;

  g_return_val_if_fail (directory != NULL, NULL);
  g_return_val_if_fail (file_name != NULL, NULL);

  part_name = g_strconcat (file_name, PART_SUFFIX, NULL);
  return g_build_filename (directory, part_name, NULL);
}

ScopeModelFileState
scope_model_paths_query_file (const char *directory,
                              const char *file_name,
                              guint64    *part_bytes)
{
  g_autofree char *path = NULL;
  g_autofree char *part = NULL;
  GStatBuf st;

  g_return_val_if_fail (directory != NULL, SCOPE_MODEL_FILE_ABSENT);
  g_return_val_if_fail (file_name != NULL, SCOPE_MODEL_FILE_ABSENT);

  if (part_bytes != NULL)
    *part_bytes = 0;
  path = scope_model_paths_build_file (directory, file_name);
  if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return SCOPE_MODEL_FILE_INSTALLED;
  part = scope_model_paths_build_part (directory, file_name);
  /* an empty .part holds nothing to resume */
  if (g_stat (part, &st) != 0 || st.st_size <= 0)
    return SCOPE_MODEL_FILE_ABSENT;
  if (part_bytes != NULL)
    *part_bytes = (guint64) st.st_size;
  return SCOPE_MODEL_FILE_PARTIAL;
}
