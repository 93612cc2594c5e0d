/* scope-model-download-transfer.c — one file over HTTP(S) into its .part, resuming what is there
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An existing .part is hashed first (on a worker thread) so that the SHA-256 covers the whole
 * file, then only the rest is asked for with an HTTP Range request. The body is read and
 * written in chunks, hashed as it comes, with the downloader's progress kept up to date.
 */
#include "config.h"

#include "scope-model-downloader-private.h"

#define CHUNK_SIZE          (256 * 1024)

static void read_next (GTask *task);

static void
on_written (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GTask *task = user_data;
  ScopeModelDownloader *self = g_task_get_source_object (task);
  ScopeModelDownload *download = g_task_get_task_data (task);
  GError *error = NULL;
  gsize written = 0;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, &written, &error))
    {
      scope_model_download_fail_write (task, error);
      return;
    }
  self->bytes_received += written;
  g_clear_pointer (&download->chunk, g_bytes_unref);
  scope_model_downloader_update_progress (self, FALSE);
  read_next (task);
}

static void
on_read (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  ScopeModelDownload *download = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  GBytes *bytes;
  gsize size;
  const guint8 *data;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  if (bytes == NULL)
    {
      if (!scope_model_download_fail_if_cancelled (task, &error))
        scope_model_download_fail_interrupted (task, error);
      return;
    }
  data = g_bytes_get_data (bytes, &size);
  if (size == 0)
    {
      g_bytes_unref (bytes);
      scope_model_download_install (task);
      return;
    }
  g_checksum_update (download->checksum, data, (gssize) size);
  download->chunk = bytes;
  g_output_stream_write_all_async (download->output, data, size, G_PRIORITY_DEFAULT,
                                   g_task_get_cancellable (task), on_written, task);
}

static void
read_next (GTask *task)
{
  ScopeModelDownload *download = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (download->body, CHUNK_SIZE, G_PRIORITY_DEFAULT,
                                   g_task_get_cancellable (task), on_read, task);
}

static void start_request (GTask *task);

/* Room for @needed more bytes in the directory? Unknown free space counts as room. */
static gboolean
check_space (ScopeModelDownloader  *self,
             guint64                needed,
             GError               **error)
{
  g_autoptr (GFile) directory = g_file_new_for_path (self->directory);
  g_autoptr (GFileInfo) info = NULL;
  guint64 free_bytes;

  info = g_file_query_filesystem_info (directory, G_FILE_ATTRIBUTE_FILESYSTEM_FREE, NULL, NULL);
  if (info == NULL || !g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_FILESYSTEM_FREE))
    return TRUE;
  free_bytes = g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_FILESYSTEM_FREE);
  if (free_bytes >= needed)
    return TRUE;
  g_propagate_error (error, scope_model_download_no_room_error (self, needed, free_bytes));
  return FALSE;
}

static void
on_sent (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  ScopeModelDownloader *self = g_task_get_source_object (task);
  ScopeModelDownload *download = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (GFile) part = g_file_new_for_path (self->part_path);
  SoupMessageHeaders *headers;
  guint status;
  goffset length = 0, range_start = -1, range_end = -1, range_total = -1;
  guint64 total = 0;

  download->body = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (download->body == NULL)
    {
      scope_model_download_fail_unsent (task, g_steal_pointer (&error));
      return;
    }

  status = soup_message_get_status (download->message);
  headers = soup_message_get_response_headers (download->message);
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH)
    length = soup_message_headers_get_content_length (headers);

  if (status == SOUP_STATUS_REQUESTED_RANGE_NOT_SATISFIABLE && download->offset > 0
      && !download->restarted)
    {
      /* the .part is as long as the file or longer: it cannot be resumed, start over */
      g_input_stream_close (download->body, NULL, NULL);
      g_clear_object (&download->body);
      g_clear_object (&download->message);
      g_file_delete (part, NULL, NULL);
      g_checksum_reset (download->checksum);
      download->offset = 0;
      download->restarted = TRUE;
      start_request (task);
      return;
    }
  if (status != SOUP_STATUS_OK && status != SOUP_STATUS_PARTIAL_CONTENT)
    {
      scope_model_download_fail_status (task, status);
      return;
    }

  if (status == SOUP_STATUS_PARTIAL_CONTENT)
    {
      if (download->offset == 0
          || !soup_message_headers_get_content_range (headers, &range_start, &range_end,
                                                      &range_total)
          || range_start != (goffset) download->offset)
        {
          scope_model_download_fail (task, g_error_new (SCOPE_DOWNLOAD_ERROR,
                                                        SCOPE_DOWNLOAD_ERROR_HTTP,
                                                        "%s sent a part of %s that was not "
                                                        "asked for.", self->host,
                                                        self->file_name));
          return;
        }
      total = range_total > 0 ? (guint64) range_total
              : length > 0 ? download->offset + (guint64) length : 0;
    }
  else
    {
      /* a whole file: a fresh start, also when the server ignored our Range */
      if (download->offset > 0)
        g_checksum_reset (download->checksum);
      download->offset = 0;
      total = length > 0 ? (guint64) length : 0;
    }
  if (total > download->offset && !check_space (self, total - download->offset, &error))
    {
      scope_model_download_fail (task, g_steal_pointer (&error));
      return;
    }
  if (download->offset > 0)
    download->output = G_OUTPUT_STREAM (g_file_append_to (part, G_FILE_CREATE_NONE, NULL,
                                                           &error));
  else
    download->output = G_OUTPUT_STREAM (g_file_replace (part, NULL, FALSE, G_FILE_CREATE_NONE,
                                                        NULL, &error));
  if (download->output == NULL)
    {
      scope_model_download_fail_cannot_write (task, error);
      return;
    }

  scope_model_downloader_reset_progress (self, download->offset, total);
  read_next (task);
}

static void
start_request (GTask *task)
{
  ScopeModelDownloader *self = g_task_get_source_object (task);
  ScopeModelDownload *download = g_task_get_task_data (task);

  download->message = soup_message_new (SOUP_METHOD_GET, self->url);
  if (download->message == NULL)
    {
      scope_model_download_fail (task, g_error_new (SCOPE_DOWNLOAD_ERROR,
                                                    SCOPE_DOWNLOAD_ERROR_HTTP,
                                                    "“%s” is not a valid address (check "
                                                    "VGG_SCOPE_MODEL_BASE_URL).", self->url));
      return;
    }
  if (download->offset > 0)
    soup_message_headers_set_range (soup_message_get_request_headers (download->message),
                                    (goffset) download->offset, -1);
  soup_session_send_async (self->session, download->message, G_PRIORITY_DEFAULT,
                           g_task_get_cancellable (task), on_sent, task);
}

/* Hashing an existing .part (hundreds of MiB) happens on a worker thread. */
static void
hash_part_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  ScopeModelDownloader *self = source_object;
  ScopeModelDownload *download = task_data;
  g_autoptr (GFile) part = g_file_new_for_path (self->part_path);
  g_autoptr (GFileInputStream) input = NULL;
  g_autofree guint8 *buffer = g_malloc (CHUNK_SIZE);
  GError *error = NULL;
  gssize n;

  input = g_file_read (part, cancellable, &error);
  if (input == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  download->offset = 0;
  while ((n = g_input_stream_read (G_INPUT_STREAM (input), buffer, CHUNK_SIZE, cancellable,
                                   &error)) > 0)
    {
      g_checksum_update (download->checksum, buffer, n);
      download->offset += (guint64) n;
    }
  if (n < 0)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_part_hashed (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  ScopeModelDownloader *self = SCOPE_MODEL_DOWNLOADER (source);
  g_autoptr (GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!scope_model_download_fail_if_cancelled (task, &error))
        scope_model_download_fail (task, g_error_new (SCOPE_DOWNLOAD_ERROR,
                                                      SCOPE_DOWNLOAD_ERROR_IO,
                                                      "Cannot read %s: %s", self->part_path,
                                                      error->message));
      return;
    }
  start_request (task);
}

void
scope_model_download_start (GTask *task)
{
  ScopeModelDownloader *self = g_task_get_source_object (task);

  if (g_file_test (self->part_path, G_FILE_TEST_IS_REGULAR))
    {
      /* resume: the hash covers the bytes already there */
      GTask *hash = g_task_new (self, g_task_get_cancellable (task), on_part_hashed, task);

      g_task_set_source_tag (hash, hash_part_thread);
      g_task_set_task_data (hash, g_task_get_task_data (task), NULL);
      g_task_run_in_thread (hash, hash_part_thread);
      g_object_unref (hash);
      return;
    }
  start_request (task);
}
