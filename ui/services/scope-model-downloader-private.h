/* scope-model-downloader-private.h — the downloader's state and one download, for its own files
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * scope-model-downloader.c is the object: its properties, progress and the start of a download;
 * scope-model-download-transfer.c moves the bytes over HTTP into the .part, resuming it;
 * scope-model-download-install.c checks the finished .part's SHA-256 and moves it in;
 * scope-model-download-errors.c ends a download that failed, in words for the user.
 * A download is a GTask whose source object is the downloader and whose task data is a
 * ScopeModelDownload; every step runs on the main context of download_async().
 */
#pragma once

#include <libsoup/soup.h>

#include "scope-model-downloader.h"

G_BEGIN_DECLS

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

/* One download: the task data */
typedef struct
{
  SoupMessage   *message;
  GInputStream  *body;
  GOutputStream *output;
  GChecksum     *checksum;
  GBytes        *chunk;        /* being written */
  guint64        offset;       /* where this request resumes */
  gboolean       restarted;    /* a 416 made us start over once */
} ScopeModelDownload;

/* scope-model-downloader.c: the progress properties, notified at most ten times a second
 * unless @force; reset_progress starts them over at @offset of @total (0: unknown). */
void     scope_model_downloader_update_progress (ScopeModelDownloader  *self,
                                                 gboolean               force);
void     scope_model_downloader_reset_progress  (ScopeModelDownloader  *self,
                                                 guint64                offset,
                                                 guint64                total);

/* scope-model-download-transfer.c: hashes an existing .part (to resume it), then asks the
 * server for the rest and writes it to the .part; hands over to install at the end. */
void     scope_model_download_start             (GTask                 *task);

/* scope-model-download-install.c: the .part is complete: check it and move it in, ending
 * @task with the installed path or an error. */
void     scope_model_download_install           (GTask                 *task);

/* scope-model-download-errors.c: each fail ends @task (the .part kept unless said otherwise),
 * taking a non-const @error. */
void     scope_model_download_fail              (GTask                 *task,
                                                 GError                *error);
/* a cancellation in *@error ends @task as it is: TRUE; anything else: FALSE, *@error kept */
gboolean scope_model_download_fail_if_cancelled (GTask                 *task,
                                                 GError               **error);
/* the request got no answer: cancelled, offline, or broken */
void     scope_model_download_fail_unsent       (GTask                 *task,
                                                 GError                *error);
/* an HTTP status that is neither 200 nor 206 */
void     scope_model_download_fail_status       (GTask                 *task,
                                                 guint                  status);
/* the connection broke mid-body (@cause NULL: it closed early) */
void     scope_model_download_fail_interrupted  (GTask                 *task,
                                                 const GError          *cause);
/* writing a chunk to the .part failed: cancelled, disk full, or another I/O error */
void     scope_model_download_fail_write        (GTask                 *task,
                                                 GError                *error);
/* the .part could not be opened, written or closed */
void     scope_model_download_fail_cannot_write (GTask                 *task,
                                                 const GError          *cause);
/* the SHA-256 (@digest, in hex) does not start with the name's prefix (.part deleted) */
void     scope_model_download_fail_hash         (GTask                 *task,
                                                 const char            *digest);
/* @needed bytes do not fit in the @free_bytes left in the directory */
GError  *scope_model_download_no_room_error     (ScopeModelDownloader  *self,
                                                 guint64                needed,
                                                 guint64                free_bytes);

G_END_DECLS
