/* scope-download-progress.h — a download's progress: title, bar, bytes, rate, time left
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The part of the "Get ImageNet Weights" dialog that follows a ScopeModelDownloader while it
 * runs: a title ("Downloading VGG16"), the percentage, a progress bar (pulsing while the size
 * is unknown) and a line such as "12.1 MB of 553.4 MB · 4.2 MB/s · About 2 minutes left".
 */
#pragma once

#include <gtk/gtk.h>

#include "scope-model-downloader.h"

G_BEGIN_DECLS

#define SCOPE_TYPE_DOWNLOAD_PROGRESS (scope_download_progress_get_type ())

G_DECLARE_FINAL_TYPE (ScopeDownloadProgress, scope_download_progress, SCOPE, DOWNLOAD_PROGRESS,
                      GtkBox)

/* Starts over at "Connecting…" under @title, then follows @downloader's progress properties
 * (NULL: follows none). */
void scope_download_progress_follow (ScopeDownloadProgress *self,
                                     ScopeModelDownloader  *downloader,
                                     const char            *title);

G_END_DECLS
