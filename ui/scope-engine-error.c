/* scope-engine-error.c — engine statuses as GErrors (the one place the UI converts them)
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "scope-engine-error.h"

#include <string.h>

G_DEFINE_QUARK (scope-engine-error-quark, scope_engine_error)

gboolean
scope_engine_error_set (GError        **error,
                        const VggError *engine_error,
                        const char     *path,
                        const char     *display_name)
{
  g_autofree char *message = NULL;
  VggStatus status;

  g_return_val_if_fail (engine_error != NULL, FALSE);

  status = engine_error->status;
  if (engine_error->message[0] != '\0')
    message = g_strdup (engine_error->message);
  else
    message = g_strdup (vgg_status_string (status));

  if (path != NULL && display_name != NULL && g_str_has_prefix (message, path))
    {
      char *shorter = g_strconcat (display_name, message + strlen (path), NULL);

      g_free (message);
      message = shorter;
    }

  g_set_error_literal (error, SCOPE_ENGINE_ERROR, (int) status, message);
  return FALSE;
}
