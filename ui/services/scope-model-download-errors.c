/* scope-model-download-errors.c — how a failed download ends, in words for the user
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Maps what went wrong (GIO, TLS, resolver errors, HTTP statuses, a short body, a full disk,
 * a wrong hash) to a ScopeDownloadError whose message names the file and the server or
 * directory and says what to do. Cancellation stays G_IO_ERROR_CANCELLED.
 */
#include "config.h"

#include "scope-model-downloader-private.h"

#include <string.h>

G_DEFINE_QUARK (scope-download-error-quark, scope_download_error)

static char *
format_size (guint64 bytes)
{
  return g_format_size_full (bytes, G_FORMAT_SIZE_IEC_UNITS);
}

/* Ends @task with @error (taking it), the .part kept as it is. */
void
scope_model_download_fail (GTask  *task,
                           GError *error)
{
  ScopeModelDownloader *self = g_task_get_source_object (task);
  ScopeModelDownload *download = g_task_get_task_data (task);

  if (download->output != NULL)
    g_output_stream_close (download->output, NULL, NULL);
  scope_model_downloader_update_progress (self, TRUE);
  self->busy = FALSE;
  g_task_return_error (task, error);
  g_object_unref (task);
}

gboolean
scope_model_download_fail_if_cancelled (GTask   *task,
                                        GError **error)
{
  if (!g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return FALSE;
  scope_model_download_fail (task, g_steal_pointer (error));
  return TRUE;
}

static gboolean
is_unreachable (const GError *error)
{
  return error->domain == G_RESOLVER_ERROR || error->domain == G_TLS_ERROR
         || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED)
         || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE)
         || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE)
         || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT)
         || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_NOT_FOUND)
         || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PROXY_FAILED)
         || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED);
}

void
scope_model_download_fail_unsent (GTask  *task,
                                  GError *error)
{
  ScopeModelDownloader *self = g_task_get_source_object (task);

  if (scope_model_download_fail_if_cancelled (task, &error))
    return;
  if (is_unreachable (error))
    scope_model_download_fail (task, g_error_new (SCOPE_DOWNLOAD_ERROR,
                                                  SCOPE_DOWNLOAD_ERROR_OFFLINE,
                                                  "Cannot reach %s: %s. Are you offline?",
                                                  self->host, error->message));
  else
    scope_model_download_fail_interrupted (task, error);
  g_error_free (error);
}

void
scope_model_download_fail_status (GTask *task,
                                  guint  status)
{
  ScopeModelDownloader *self = g_task_get_source_object (task);
  ScopeModelDownload *download = g_task_get_task_data (task);
  const char *reason = soup_message_get_reason_phrase (download->message);

  if (status == SOUP_STATUS_NOT_FOUND)
    scope_model_download_fail (task, g_error_new (SCOPE_DOWNLOAD_ERROR,
                                                  SCOPE_DOWNLOAD_ERROR_NOT_FOUND,
                                                  "%s was not found at %s (HTTP 404). Check the "
                                                  "name, or the server set in "
                                                  "VGG_SCOPE_MODEL_BASE_URL.", self->file_name,
                                                  self->base_url));
  else
    scope_model_download_fail (task, g_error_new (SCOPE_DOWNLOAD_ERROR,
                                                  SCOPE_DOWNLOAD_ERROR_HTTP,
                                                  "%s answered “%u %s” for %s.", self->host,
                                                  status, reason, self->url));
}

void
scope_model_download_fail_interrupted (GTask        *task,
                                       const GError *cause)
{
  ScopeModelDownloader *self = g_task_get_source_object (task);
  g_autofree char *received = format_size (self->bytes_received);
  g_autofree char *total = self->bytes_total > 0 ? format_size (self->bytes_total)
                                                 : g_strdup ("an unknown size");

  scope_model_download_fail (task, g_error_new (SCOPE_DOWNLOAD_ERROR,
                                                SCOPE_DOWNLOAD_ERROR_INTERRUPTED,
                                                "The connection to %s broke after %s of %s (%s). "
                                                "Run the download again to resume from there.",
                                                self->host, received, total,
                                                cause != NULL ? cause->message : "closed early"));
}

void
scope_model_download_fail_write (GTask  *task,
                                 GError *error)
{
  ScopeModelDownloader *self = g_task_get_source_object (task);

  if (scope_model_download_fail_if_cancelled (task, &error))
    return;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE))
    {
      g_autofree char *kept = format_size (self->bytes_received);

      scope_model_download_fail (task, g_error_new (SCOPE_DOWNLOAD_ERROR,
                                                    SCOPE_DOWNLOAD_ERROR_DISK_FULL,
                                                    "The disk is full: cannot write %s (%s "
                                                    "kept). Free some space and run the "
                                                    "download again to resume.",
                                                    self->part_path, kept));
    }
  else
    scope_model_download_fail_cannot_write (task, error);
  g_error_free (error);
}

void
scope_model_download_fail_cannot_write (GTask        *task,
                                        const GError *cause)
{
  ScopeModelDownloader *self = g_task_get_source_object (task);

  scope_model_download_fail (task, g_error_new (SCOPE_DOWNLOAD_ERROR, SCOPE_DOWNLOAD_ERROR_IO,
                                                "Cannot write %s: %s", self->part_path,
                                                cause->message));
}

void
scope_model_download_fail_hash (GTask      *task,
                                const char *digest)
{
  ScopeModelDownloader *self = g_task_get_source_object (task);

  scope_model_download_fail (task, g_error_new (SCOPE_DOWNLOAD_ERROR,
                                                SCOPE_DOWNLOAD_ERROR_HASH_MISMATCH,
                                                "The downloaded %s is damaged: its SHA-256 "
                                                "starts with %.*s, not %s as its name says. It "
                                                "was deleted; try again.", self->file_name,
                                                (int) strlen (self->expected_hash), digest,
                                                self->expected_hash));
}

GError *
scope_model_download_no_room_error (ScopeModelDownloader *self,
                                    guint64               needed,
                                    guint64               free_bytes)
{
  g_autofree char *needed_text = format_size (needed);
  g_autofree char *free_text = format_size (free_bytes);

  return g_error_new (SCOPE_DOWNLOAD_ERROR, SCOPE_DOWNLOAD_ERROR_DISK_FULL,
                      "Not enough free space in %s for %s: %s more needed, %s free.",
                      self->directory, self->file_name, needed_text, free_text);
}
