/* scope-model-downloader.h — downloading torchvision's VGG weight files, resumable and verified
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Used by `vgg-scope-cli fetch` and the app's "Get ImageNet weights" dialog. One downloader
 * fetches one file: <base-url><file-name> over HTTP(S) with libsoup into
 * <directory>/<file-name>.part (the names of scope-model-paths.h), resuming an existing .part
 * with an HTTP Range request, then checks the SHA-256 against the hex digits at the end of
 * the name (torchvision's "vgg16-397923af.pth" convention) and only then renames it to
 * <directory>/<file-name>.
 * A cancelled or broken download leaves the .part for the next attempt; a file whose hash
 * does not match is deleted.
 *
 * Progress is state: the bytes-received, bytes-total, bytes-per-second and seconds-left
 * properties, notified at most ten times a second while data flows, and once at the end.
 * Everything happens on the thread-default main context of the download_async() call.
 */
#pragma once

#include <gio/gio.h>

#include "scope-model-paths.h"

G_BEGIN_DECLS

/* The hex digits a file name promises its SHA-256 starts with ("397923af" for
 * "vgg16-397923af.pth"), newly allocated, or NULL when the name has none. */
char       *scope_model_file_name_hash (const char *file_name);

#define SCOPE_DOWNLOAD_ERROR (scope_download_error_quark ())
GQuark scope_download_error_quark (void);

/* Failures other than cancellation (G_IO_ERROR_CANCELLED). Messages are complete sentences
 * for the user, naming the file and the server or directory. */
typedef enum
{
  SCOPE_DOWNLOAD_ERROR_BAD_NAME,        /* the file name carries no hash to check against */
  SCOPE_DOWNLOAD_ERROR_OFFLINE,         /* the server cannot be reached */
  SCOPE_DOWNLOAD_ERROR_NOT_FOUND,       /* HTTP 404 */
  SCOPE_DOWNLOAD_ERROR_HTTP,            /* any other HTTP failure status */
  SCOPE_DOWNLOAD_ERROR_INTERRUPTED,     /* the connection broke; the .part can be resumed */
  SCOPE_DOWNLOAD_ERROR_DISK_FULL,       /* not enough space, before or while writing */
  SCOPE_DOWNLOAD_ERROR_HASH_MISMATCH,   /* the SHA-256 does not match; the file was deleted */
  SCOPE_DOWNLOAD_ERROR_IO,              /* the directory or file could not be written */
} ScopeDownloadError;

#define SCOPE_TYPE_MODEL_DOWNLOADER (scope_model_downloader_get_type ())
G_DECLARE_FINAL_TYPE (ScopeModelDownloader, scope_model_downloader, SCOPE, MODEL_DOWNLOADER,
                      GObject)

/* A downloader for @file_name from @base_url (NULL: scope_model_paths_dup_base_url (NULL),
 * the environment or torchvision's server) into @directory (NULL: the models folder,
 * scope_model_paths_dup_models_dir ()). */
ScopeModelDownloader *scope_model_downloader_new (const char *file_name, const char *base_url,
                                                  const char *directory);

const char *scope_model_downloader_get_file_name (ScopeModelDownloader *self);
const char *scope_model_downloader_get_base_url (ScopeModelDownloader *self);
const char *scope_model_downloader_get_directory (ScopeModelDownloader *self);
/* <directory>/<file-name> and the .part beside it. */
const char *scope_model_downloader_get_path (ScopeModelDownloader *self);
const char *scope_model_downloader_get_part_path (ScopeModelDownloader *self);

guint64     scope_model_downloader_get_bytes_received (ScopeModelDownloader *self);
/* 0 while unknown */
guint64     scope_model_downloader_get_bytes_total (ScopeModelDownloader *self);
/* the byte the current download resumed from (0 for a fresh one) */
guint64     scope_model_downloader_get_resumed_from (ScopeModelDownloader *self);
double      scope_model_downloader_get_bytes_per_second (ScopeModelDownloader *self);
/* -1 while unknown */
double      scope_model_downloader_get_seconds_left (ScopeModelDownloader *self);

/* Downloads (or resumes) the file; completes at once when it is already in the directory.
 * One download at a time per downloader. */
void        scope_model_downloader_download_async (ScopeModelDownloader *self,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
/* The installed file's path, or NULL with @error set. */
char       *scope_model_downloader_download_finish (ScopeModelDownloader  *self,
                                                    GAsyncResult          *result,
                                                    GError               **error);

G_END_DECLS
