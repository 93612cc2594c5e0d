/* scope-model-download-install.c — a finished download checked against its name and moved in
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * torchvision names each file after the start of its SHA-256 ("vgg16-397923af.pth"); the
 * .part becomes <directory>/<file-name> only when its hash starts with those digits, and is
 * deleted when it does not (resuming a damaged file would only keep it damaged).
 */
#include "config.h"

#include "scope-model-downloader-private.h"

#include <string.h>

#define MIN_HASH_DIGITS     8

char *
scope_model_file_name_hash (const char *file_name)
{
  const char *dash, *dot, *p;

  g_return_val_if_fail (file_name != NULL, NULL);

  /* NAME-HEX.EXT, where HEX is at least 8 lowercase hex digits */
  dash = strrchr (file_name, '-');
  if (dash == NULL || dash == file_name)
    return NULL;
  dot = strchr (dash, '.');
  if (dot == NULL || dot == dash + 1 || dot[1] == '\0' || dot - dash - 1 < MIN_HASH_DIGITS
      || dot - dash - 1 > 64)
    return NULL;
  for (p = dash + 1; p < dot; p++)
    if (!g_ascii_isxdigit (*p) || g_ascii_isupper (*p))
      return NULL;
  return g_strndup (dash + 1, (gsize) (dot - dash - 1));
}

void
scope_model_download_install (GTask *task)
{
  ScopeModelDownloader *self = g_task_get_source_object (task);
  ScopeModelDownload *download = g_task_get_task_data (task);
  g_autoptr (GFile) part = g_file_new_for_path (self->part_path);
  g_autoptr (GFile) destination = g_file_new_for_path (self->path);
  g_autoptr (GError) error = NULL;
  const char *digest;

  if (!g_output_stream_close (download->output, NULL, &error))
    {
      scope_model_download_fail_cannot_write (task, error);
      return;
    }
  g_clear_object (&download->output);
  if (self->bytes_total > 0 && self->bytes_received != self->bytes_total)
    {
      scope_model_download_fail_interrupted (task, NULL);
      return;
    }

  digest = g_checksum_get_string (download->checksum);
  if (!g_str_has_prefix (digest, self->expected_hash))
    {
      g_file_delete (part, NULL, NULL);
      scope_model_download_fail_hash (task, digest);
      return;
    }
  if (!g_file_move (part, destination, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &error))
    {
      scope_model_download_fail (task, g_error_new (SCOPE_DOWNLOAD_ERROR,
                                                    SCOPE_DOWNLOAD_ERROR_IO,
                                                    "Cannot move the download to %s: %s",
                                                    self->path, error->message));
      return;
    }
  self->seconds_left = 0;
  scope_model_downloader_update_progress (self, TRUE);
  self->busy = FALSE;
  g_task_return_pointer (task, g_strdup (self->path), g_free);
  g_object_unref (task);
}
