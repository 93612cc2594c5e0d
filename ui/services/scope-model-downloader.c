/* scope-model-downloader.c — the downloader: its properties and progress, a download's start
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The transfer, the check and install of the finished file and the failures live in
 * scope-model-download-*.c (see scope-model-downloader-private.h).
 */
#include "config.h"

#include "scope-model-downloader-private.h"

#include <errno.h>
#include <string.h>

#define NOTIFY_INTERVAL_US  (100 * 1000)
#define RATE_INTERVAL_US    (500 * 1000)

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
 * Progress
 */

void
scope_model_downloader_update_progress (ScopeModelDownloader *self,
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

void
scope_model_downloader_reset_progress (ScopeModelDownloader *self,
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
  scope_model_downloader_update_progress (self, TRUE);
}

/* ---------------------------------------------------------------------------------------------
 * A download: what is checked before the transfer starts
 */

static void
download_free (ScopeModelDownload *download)
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

void
scope_model_downloader_download_async (ScopeModelDownloader *self,
                                       GCancellable         *cancellable,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data)
{
  GTask *task;
  ScopeModelDownload *download;

  g_return_if_fail (SCOPE_IS_MODEL_DOWNLOADER (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, scope_model_downloader_download_async);
  download = g_new0 (ScopeModelDownload, 1);
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
  scope_model_downloader_reset_progress (self, 0, 0);
  scope_model_download_start (task);
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
