/* scope-model-downloader.c — downloading torchvision's VGG weight files, resumable and verified
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "scope-model-downloader.h"

#include <errno.h>
#include <libsoup/soup.h>
#include <string.h>

#define CHUNK_SIZE          (256 * 1024)
#define NOTIFY_INTERVAL_US  (100 * 1000)
#define RATE_INTERVAL_US    (500 * 1000)
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

G_DEFINE_QUARK (scope-download-error-quark, scope_download_error)

struct _ScopeModelDownloader
{
  GObject      parent_instance;

  /* owned references */
  SoupSession *session;

  /* plain state */
  char        *file_name;
  char        *base_url;
  char        *directory;
  char        *path;
  char        *part_path;
  char        *url;
  char        *host;
  char        *expected_hash;     /* NULL: the name promises none */
  gboolean     busy;

  guint64      bytes_received;
  guint64      bytes_total;
  guint64      resumed_from;
  double       bytes_per_second;
  double       seconds_left;
  gint64       last_notify_us;
  gint64       rate_time_us;
  guint64      rate_bytes;
  gint64       start_time_us;
};

G_DEFINE_FINAL_TYPE (ScopeModelDownloader, scope_model_downloader, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_FILE_NAME,
  PROP_BASE_URL,
  PROP_DIRECTORY,
  PROP_BYTES_RECEIVED,
  PROP_BYTES_TOTAL,
  PROP_RESUMED_FROM,
  PROP_BYTES_PER_SECOND,
  PROP_SECONDS_LEFT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---------------------------------------------------------------------------------------------
 * One download: the task data
 */

typedef struct
{
  SoupMessage   *message;
  GInputStream  *body;
  GOutputStream *output;
  GChecksum     *checksum;
  GBytes        *chunk;        /* being written */
  guint64        offset;       /* where this request resumes */
  gboolean       restarted;    /* a 416 made us start over once */
} Download;

static void
download_free (Download *download)
{
  if (download->output != NULL)
    g_output_stream_close (download->output, NULL, NULL);
  g_clear_object (&download->output);
  g_clear_object (&download->body);
  g_clear_object (&download->message);
  g_clear_pointer (&download->checksum, g_checksum_free);
  g_clear_pointer (&download->chunk, g_bytes_unref);
  g_free (download);
}

static char *
format_size (guint64 bytes)
{
  return g_format_size_full (bytes, G_FORMAT_SIZE_IEC_UNITS);
}

static void
update_progress (ScopeModelDownloader *self,
                 gboolean              force)
{
  gint64 now = g_get_monotonic_time ();

  if (self->rate_time_us == 0)
    {
      self->rate_time_us = now;
      self->rate_bytes = self->bytes_received;
    }
  else if (now - self->rate_time_us >= RATE_INTERVAL_US)
    {
      double rate = (double) (self->bytes_received - self->rate_bytes) * 1e6
                    / (double) (now - self->rate_time_us);

      self->bytes_per_second = self->bytes_per_second > 0
                               ? 0.7 * self->bytes_per_second + 0.3 * rate : rate;
      self->rate_time_us = now;
      self->rate_bytes = self->bytes_received;
    }
  if (force && self->bytes_per_second == 0 && now > self->start_time_us + 1000
      && self->bytes_received > self->resumed_from)
    {
      /* a download shorter than the rate interval: its average */
      self->bytes_per_second = (double) (self->bytes_received - self->resumed_from) * 1e6
                               / (double) (now - self->start_time_us);
    }
  self->seconds_left = self->bytes_total > 0 && self->bytes_per_second > 0
                       && self->bytes_total >= self->bytes_received
                       ? (double) (self->bytes_total - self->bytes_received)
                         / self->bytes_per_second
                       : -1.0;

  if (!force && now - self->last_notify_us < NOTIFY_INTERVAL_US)
    return;
  self->last_notify_us = now;
  g_object_freeze_notify (G_OBJECT (self));
  for (int prop = PROP_BYTES_RECEIVED; prop <= PROP_SECONDS_LEFT; prop++)
    g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
  g_object_thaw_notify (G_OBJECT (self));
}

static void
reset_progress (ScopeModelDownloader *self,
                guint64               offset,
                guint64               total)
{
  self->bytes_received = offset;
  self->resumed_from = offset;
  self->bytes_total = total;
  self->bytes_per_second = 0;
  self->seconds_left = -1;
  self->rate_time_us = 0;
  self->start_time_us = g_get_monotonic_time ();
  update_progress (self, TRUE);
}

/* Ends @task with @error (taking it), the .part kept as it is. */
static void
fail (GTask  *task,
      GError *error)
{
  ScopeModelDownloader *self = g_task_get_source_object (task);
  Download *download = g_task_get_task_data (task);

  if (download->output != NULL)
    g_output_stream_close (download->output, NULL, NULL);
  update_progress (self, TRUE);
  self->busy = FALSE;
  g_task_return_error (task, error);
  g_object_unref (task);
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

/* The connection broke mid-body: the .part keeps what arrived. */
static void
fail_interrupted (GTask        *task,
                  const GError *cause)
{
  ScopeModelDownloader *self = g_task_get_source_object (task);
  g_autofree char *received = format_size (self->bytes_received);
  g_autofree char *total = self->bytes_total > 0 ? format_size (self->bytes_total)
                                                 : g_strdup ("an unknown size");

  fail (task, g_error_new (SCOPE_DOWNLOAD_ERROR, SCOPE_DOWNLOAD_ERROR_INTERRUPTED,
                           "The connection to %s broke after %s of %s (%s). Run the download "
                           "again to resume from there.", self->host, received, total,
                           cause != NULL ? cause->message : "closed early"));
}

static void read_next (GTask *task);

static void
on_written (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GTask *task = user_data;
  ScopeModelDownloader *self = g_task_get_source_object (task);
  Download *download = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  gsize written = 0;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, &written, &error))
    {
      g_autofree char *kept = format_size (self->bytes_received);

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        fail (task, g_steal_pointer (&error));
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE))
        fail (task, g_error_new (SCOPE_DOWNLOAD_ERROR, SCOPE_DOWNLOAD_ERROR_DISK_FULL,
                                 "The disk is full: cannot write %s (%s kept). Free some "
                                 "space and run the download again to resume.",
                                 self->part_path, kept));
      else
        fail (task, g_error_new (SCOPE_DOWNLOAD_ERROR, SCOPE_DOWNLOAD_ERROR_IO,
                                 "Cannot write %s: %s", self->part_path, error->message));
      return;
    }
  self->bytes_received += written;
  g_clear_pointer (&download->chunk, g_bytes_unref);
  update_progress (self, FALSE);
  read_next (task);
}

static void
finish_download (GTask *task)
{
  ScopeModelDownloader *self = g_task_get_source_object (task);
  Download *download = g_task_get_task_data (task);
  g_autoptr (GFile) part = g_file_new_for_path (self->part_path);
  g_autoptr (GFile) destination = g_file_new_for_path (self->path);
  g_autoptr (GError) error = NULL;
  const char *digest;

  if (!g_output_stream_close (download->output, NULL, &error))
    {
      fail (task, g_error_new (SCOPE_DOWNLOAD_ERROR, SCOPE_DOWNLOAD_ERROR_IO,
                               "Cannot write %s: %s", self->part_path, error->message));
      return;
    }
  g_clear_object (&download->output);
  if (self->bytes_total > 0 && self->bytes_received != self->bytes_total)
    {
      fail_interrupted (task, NULL);
      return;
    }

  digest = g_checksum_get_string (download->checksum);
  if (!g_str_has_prefix (digest, self->expected_hash))
    {
      g_file_delete (part, NULL, NULL);
      fail (task, g_error_new (SCOPE_DOWNLOAD_ERROR, SCOPE_DOWNLOAD_ERROR_HASH_MISMATCH,
                               "The downloaded %s is damaged: its SHA-256 starts with %.*s, not "
                               "%s as its name says. It was deleted; try again.",
                               self->file_name, (int) strlen (self->expected_hash), digest,
                               self->expected_hash));
      return;
    }
  if (!g_file_move (part, destination, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &error))
    {
      fail (task, g_error_new (SCOPE_DOWNLOAD_ERROR, SCOPE_DOWNLOAD_ERROR_IO,
                               "Cannot move the download to %s: %s", self->path,
                               error->message));
      return;
    }
  self->seconds_left = 0;
  update_progress (self, TRUE);
  self->busy = FALSE;
  g_task_return_pointer (task, g_strdup (self->path), g_free);
  g_object_unref (task);
}

static void
on_read (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  Download *download = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  GBytes *bytes;
  gsize size;
  const guint8 *data;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  if (bytes == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        fail (task, g_steal_pointer (&error));
      else
        fail_interrupted (task, error);
      return;
    }
  data = g_bytes_get_data (bytes, &size);
  if (size == 0)
    {
      g_bytes_unref (bytes);
      finish_download (task);
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
  Download *download = g_task_get_task_data (task);

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
  {
    g_autofree char *needed_text = format_size (needed);
    g_autofree char *free_text = format_size (free_bytes);

    g_set_error (error, SCOPE_DOWNLOAD_ERROR, SCOPE_DOWNLOAD_ERROR_DISK_FULL,
                 "Not enough free space in %s for %s: %s more needed, %s free.",
                 self->directory, self->file_name, needed_text, free_text);
  }
  return FALSE;
}

static void
on_sent (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GTask *task = user_data;
  ScopeModelDownloader *self = g_task_get_source_object (task);
  Download *download = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  g_autoptr (GFile) part = g_file_new_for_path (self->part_path);
  SoupMessageHeaders *headers;
  guint status;
  goffset length = 0, range_start = -1, range_end = -1, range_total = -1;
  guint64 total = 0;

  download->body = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (download->body == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        fail (task, g_steal_pointer (&error));
      else if (is_unreachable (error))
        fail (task, g_error_new (SCOPE_DOWNLOAD_ERROR, SCOPE_DOWNLOAD_ERROR_OFFLINE,
                                 "Cannot reach %s: %s. Are you offline?", self->host,
                                 error->message));
      else
        fail_interrupted (task, error);
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
  if (status == SOUP_STATUS_NOT_FOUND)
    {
      fail (task, g_error_new (SCOPE_DOWNLOAD_ERROR, SCOPE_DOWNLOAD_ERROR_NOT_FOUND,
                               "%s was not found at %s (HTTP 404). Check the name, or the "
                               "server set in VGG_SCOPE_MODEL_BASE_URL.", self->file_name,
                               self->base_url));
      return;
    }
  if (status != SOUP_STATUS_OK && status != SOUP_STATUS_PARTIAL_CONTENT)
    {
      fail (task, g_error_new (SCOPE_DOWNLOAD_ERROR, SCOPE_DOWNLOAD_ERROR_HTTP,
                               "%s answered “%u %s” for %s.", self->host, status,
                               soup_message_get_reason_phrase (download->message),
                               self->url));
      return;
    }

  if (status == SOUP_STATUS_PARTIAL_CONTENT)
    {
      if (download->offset == 0
          || !soup_message_headers_get_content_range (headers, &range_start, &range_end,
                                                      &range_total)
          || range_start != (goffset) download->offset)
        {
          fail (task, g_error_new (SCOPE_DOWNLOAD_ERROR, SCOPE_DOWNLOAD_ERROR_HTTP,
                                   "%s sent a part of %s that was not asked for.", self->host,
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
      fail (task, g_steal_pointer (&error));
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
      fail (task, g_error_new (SCOPE_DOWNLOAD_ERROR, SCOPE_DOWNLOAD_ERROR_IO,
                               "Cannot write %s: %s", self->part_path, error->message));
      return;
    }

  reset_progress (self, download->offset, total);
  read_next (task);
}

static void
start_request (GTask *task)
{
  ScopeModelDownloader *self = g_task_get_source_object (task);
  Download *download = g_task_get_task_data (task);

  download->message = soup_message_new (SOUP_METHOD_GET, self->url);
  if (download->message == NULL)
    {
      fail (task, g_error_new (SCOPE_DOWNLOAD_ERROR, SCOPE_DOWNLOAD_ERROR_HTTP,
                               "“%s” is not a valid address (check VGG_SCOPE_MODEL_BASE_URL).",
                               self->url));
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
  Download *download = task_data;
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
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        fail (task, g_steal_pointer (&error));
      else
        fail (task, g_error_new (SCOPE_DOWNLOAD_ERROR, SCOPE_DOWNLOAD_ERROR_IO,
                                 "Cannot read %s: %s", self->part_path, error->message));
      return;
    }
  start_request (task);
}

void
scope_model_downloader_download_async (ScopeModelDownloader *self,
                                       GCancellable         *cancellable,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data)
{
  GTask *task;
  Download *download;

  g_return_if_fail (SCOPE_IS_MODEL_DOWNLOADER (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, scope_model_downloader_download_async);
  download = g_new0 (Download, 1);
  download->checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_task_set_task_data (task, download, (GDestroyNotify) download_free);

  if (self->busy)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               "%s is already being downloaded", self->file_name);
      g_object_unref (task);
      return;
    }
  if (self->expected_hash == NULL)
    {
      g_task_return_new_error (task, SCOPE_DOWNLOAD_ERROR, SCOPE_DOWNLOAD_ERROR_BAD_NAME,
                               "“%s” has no SHA-256 prefix in its name (like "
                               "vgg16-397923af.pth), so the download could not be checked.",
                               self->file_name);
      g_object_unref (task);
      return;
    }
  if (g_file_test (self->path, G_FILE_TEST_IS_REGULAR))
    {
      g_task_return_pointer (task, g_strdup (self->path), g_free);
      g_object_unref (task);
      return;
    }
  if (g_mkdir_with_parents (self->directory, 0755) != 0)
    {
      int saved = errno;

      g_task_return_new_error (task, SCOPE_DOWNLOAD_ERROR, SCOPE_DOWNLOAD_ERROR_IO,
                               "Cannot create the folder %s: %s", self->directory,
                               g_strerror (saved));
      g_object_unref (task);
      return;
    }

  self->busy = TRUE;
  reset_progress (self, 0, 0);
  if (g_file_test (self->part_path, G_FILE_TEST_IS_REGULAR))
    {
      /* resume: the hash covers the bytes already there */
      GTask *hash = g_task_new (self, cancellable, on_part_hashed, task);

      g_task_set_source_tag (hash, hash_part_thread);
      g_task_set_task_data (hash, download, NULL);
      g_task_run_in_thread (hash, hash_part_thread);
      g_object_unref (hash);
      return;
    }
  start_request (task);
}

char *
scope_model_downloader_download_finish (ScopeModelDownloader  *self,
                                        GAsyncResult          *result,
                                        GError               **error)
{
  g_return_val_if_fail (SCOPE_IS_MODEL_DOWNLOADER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result))
                        == scope_model_downloader_download_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---------------------------------------------------------------------------------------------
 * The object
 */

ScopeModelDownloader *
scope_model_downloader_new (const char *file_name,
                            const char *base_url,
                            const char *directory)
{
  g_return_val_if_fail (file_name != NULL, NULL);

  return g_object_new (SCOPE_TYPE_MODEL_DOWNLOADER,
                       "file-name", file_name,
                       "base-url", base_url,
                       "directory", directory,
                       NULL);
}

static void
scope_model_downloader_constructed (GObject *object)
{
  ScopeModelDownloader *self = SCOPE_MODEL_DOWNLOADER (object);
  g_autoptr (GUri) uri = NULL;

  G_OBJECT_CLASS (scope_model_downloader_parent_class)->constructed (object);

  if (self->base_url == NULL)
    self->base_url = scope_model_paths_dup_base_url (NULL);
  if (self->directory == NULL)
    self->directory = scope_model_paths_dup_models_dir ();
  self->path = scope_model_paths_build_file (self->directory, self->file_name);
  self->part_path = scope_model_paths_build_part (self->directory, self->file_name);
  self->url = g_strconcat (self->base_url, g_str_has_suffix (self->base_url, "/") ? "" : "/",
                           self->file_name, NULL);
  uri = g_uri_parse (self->url, G_URI_FLAGS_NONE, NULL);
  self->host = g_strdup (uri != NULL && g_uri_get_host (uri) != NULL ? g_uri_get_host (uri)
                                                                      : self->base_url);
  /* a name with a path in it would write outside the directory */
  if (strchr (self->file_name, '/') == NULL && self->file_name[0] != '.')
    self->expected_hash = scope_model_file_name_hash (self->file_name);

  self->session = soup_session_new_with_options ("user-agent", PACKAGE_NAME "/" PACKAGE_VERSION,
                                                 "timeout", 60,
                                                 NULL);
  /* the files are served as they are; a decoder would break Range requests */
  soup_session_remove_feature_by_type (self->session, SOUP_TYPE_CONTENT_DECODER);
  self->seconds_left = -1;
}

static void
scope_model_downloader_dispose (GObject *object)
{
  ScopeModelDownloader *self = SCOPE_MODEL_DOWNLOADER (object);

  g_clear_object (&self->session);

  G_OBJECT_CLASS (scope_model_downloader_parent_class)->dispose (object);
}

static void
scope_model_downloader_finalize (GObject *object)
{
  ScopeModelDownloader *self = SCOPE_MODEL_DOWNLOADER (object);

  g_free (self->file_name);
  g_free (self->base_url);
  g_free (self->directory);
  g_free (self->path);
  g_free (self->part_path);
  g_free (self->url);
  g_free (self->host);
  g_free (self->expected_hash);

  G_OBJECT_CLASS (scope_model_downloader_parent_class)->finalize (object);
}

static void
scope_model_downloader_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  ScopeModelDownloader *self = SCOPE_MODEL_DOWNLOADER (object);

  switch (prop_id)
    {
    case PROP_FILE_NAME:
      g_value_set_string (value, self->file_name);
      break;
    case PROP_BASE_URL:
      g_value_set_string (value, self->base_url);
      break;
    case PROP_DIRECTORY:
      g_value_set_string (value, self->directory);
      break;
    case PROP_BYTES_RECEIVED:
      g_value_set_uint64 (value, self->bytes_received);
      break;
    case PROP_BYTES_TOTAL:
      g_value_set_uint64 (value, self->bytes_total);
      break;
    case PROP_RESUMED_FROM:
      g_value_set_uint64 (value, self->resumed_from);
      break;
    case PROP_BYTES_PER_SECOND:
      g_value_set_double (value, self->bytes_per_second);
      break;
    case PROP_SECONDS_LEFT:
      g_value_set_double (value, self->seconds_left);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
scope_model_downloader_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  ScopeModelDownloader *self = SCOPE_MODEL_DOWNLOADER (object);

  switch (prop_id)
    {
    case PROP_FILE_NAME:
      self->file_name = g_value_dup_string (value);
      break;
    case PROP_BASE_URL:
      self->base_url = g_value_dup_string (value);
      break;
    case PROP_DIRECTORY:
      self->directory = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
scope_model_downloader_class_init (ScopeModelDownloaderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags construct = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;
  GParamFlags progress = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->constructed = scope_model_downloader_constructed;
  object_class->dispose = scope_model_downloader_dispose;
  object_class->finalize = scope_model_downloader_finalize;
  object_class->get_property = scope_model_downloader_get_property;
  object_class->set_property = scope_model_downloader_set_property;

  properties[PROP_FILE_NAME] =
    g_param_spec_string ("file-name", NULL, NULL, NULL, construct);
  properties[PROP_BASE_URL] =
    g_param_spec_string ("base-url", NULL, NULL, NULL, construct);
  properties[PROP_DIRECTORY] =
    g_param_spec_string ("directory", NULL, NULL, NULL, construct);
  properties[PROP_BYTES_RECEIVED] =
    g_param_spec_uint64 ("bytes-received", NULL, NULL, 0, G_MAXUINT64, 0, progress);
  properties[PROP_BYTES_TOTAL] =
    g_param_spec_uint64 ("bytes-total", NULL, NULL, 0, G_MAXUINT64, 0, progress);
  properties[PROP_RESUMED_FROM] =
    g_param_spec_uint64 ("resumed-from", NULL, NULL, 0, G_MAXUINT64, 0, progress);
  properties[PROP_BYTES_PER_SECOND] =
    g_param_spec_double ("bytes-per-second", NULL, NULL, 0, G_MAXDOUBLE, 0, progress);
  properties[PROP_SECONDS_LEFT] =
    g_param_spec_double ("seconds-left", NULL, NULL, -1, G_MAXDOUBLE, -1, progress);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
scope_model_downloader_init (ScopeModelDownloader *self)
{
}

const char *
scope_model_downloader_get_file_name (ScopeModelDownloader *self)
{
  g_return_val_if_fail (SCOPE_IS_MODEL_DOWNLOADER (self), NULL);
  return self->file_name;
}

const char *
scope_model_downloader_get_base_url (ScopeModelDownloader *self)
{
  g_return_val_if_fail (SCOPE_IS_MODEL_DOWNLOADER (self), NULL);
  return self->base_url;
}

const char *
scope_model_downloader_get_directory (ScopeModelDownloader *self)
{
  g_return_val_if_fail (SCOPE_IS_MODEL_DOWNLOADER (self), NULL);
  return self->directory;
}

const char *
scope_model_downloader_get_path (ScopeModelDownloader *self)
{
  g_return_val_if_fail (SCOPE_IS_MODEL_DOWNLOADER (self), NULL);
  return self->path;
}

const char *
scope_model_downloader_get_part_path (ScopeModelDownloader *self)
{
  g_return_val_if_fail (SCOPE_IS_MODEL_DOWNLOADER (self), NULL);
  return self->part_path;
}

guint64
scope_model_downloader_get_bytes_received (ScopeModelDownloader *self)
{
  g_return_val_if_fail (SCOPE_IS_MODEL_DOWNLOADER (self), 0);
  return self->bytes_received;
}

guint64
scope_model_downloader_get_bytes_total (ScopeModelDownloader *self)
{
  g_return_val_if_fail (SCOPE_IS_MODEL_DOWNLOADER (self), 0);
  return self->bytes_total;
}

guint64
scope_model_downloader_get_resumed_from (ScopeModelDownloader *self)
{
  g_return_val_if_fail (SCOPE_IS_MODEL_DOWNLOADER (self), 0);
  return self->resumed_from;
}

double
scope_model_downloader_get_bytes_per_second (ScopeModelDownloader *self)
{
  g_return_val_if_fail (SCOPE_IS_MODEL_DOWNLOADER (self), 0);
  return self->bytes_per_second;
}

double
scope_model_downloader_get_seconds_left (ScopeModelDownloader *self)
{
  g_return_val_if_fail (SCOPE_IS_MODEL_DOWNLOADER (self), -1);
  return self->seconds_left;
}
