/* scope-dataset-scan.h — one data-set scan for one model: the job, its progress, its hits
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * No widgets. Runs the engine's scan (vgg-scan.h) on a worker thread: opens the data set,
 * reads the saved index from the cache folder (a second visit is then complete at once; an
 * interrupted scan resumes), scans the rest. Progress reaches the main thread through idle
 * sources and shows as properties ("done", "total", "skipped", "rate", "complete",
 * "running"). Between runs, the hits of any conv channel, and the tiles that show them: the
 * picture as the network saw it, cropped to the winning unit's receptive field or whole
 * with that field outlined, decoded on a worker thread too.
 */
#pragma once

#include <gio/gio.h>
#include <gtk/gtk.h>

#include "scope-model.h"
#include "vgg-scan.h"

G_BEGIN_DECLS

#define SCOPE_TYPE_DATASET_SCAN (scope_dataset_scan_get_type ())

G_DECLARE_FINAL_TYPE (ScopeDatasetScan, scope_dataset_scan, SCOPE, DATASET_SCAN, GObject)

/* A scan of the data set at @path (a folder of pictures, an IDX file, or a folder holding
 * t10k-images-idx3-ubyte[.gz]) with @model; nothing is read before the first run. */
ScopeDatasetScan *scope_dataset_scan_new          (ScopeModel           *model,
                                                   const char           *path);
const char       *scope_dataset_scan_get_path     (ScopeDatasetScan     *self);
ScopeModel       *scope_dataset_scan_get_model    (ScopeDatasetScan     *self);

/* Runs (or resumes) the scan; cancelling @cancellable stops it after its current batch, the
 * index saved. Errors: the data set cannot be used (G_IO_ERROR_INVALID_DATA with the
 * engine's sentence), G_IO_ERROR_CANCELLED. */
void              scope_dataset_scan_run_async    (ScopeDatasetScan     *self,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
gboolean          scope_dataset_scan_run_finish   (ScopeDatasetScan     *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);

gboolean          scope_dataset_scan_get_running  (ScopeDatasetScan     *self);
gboolean          scope_dataset_scan_get_complete (ScopeDatasetScan     *self);
/* Whether the last run found the whole index saved on disk. */
gboolean          scope_dataset_scan_get_from_cache (ScopeDatasetScan   *self);
gint64            scope_dataset_scan_get_done     (ScopeDatasetScan     *self);
gint64            scope_dataset_scan_get_total    (ScopeDatasetScan     *self);
gint64            scope_dataset_scan_get_skipped  (ScopeDatasetScan     *self);
/* Images per second of this run (0 before the first batch). */
double            scope_dataset_scan_get_rate     (ScopeDatasetScan     *self);
gboolean          scope_dataset_scan_get_is_idx   (ScopeDatasetScan     *self);

/* The hits of channel @channel of conv layer @layer (largest first): how many were copied,
 * 0 while running or before the first run, -1 for a layer that is not a convolution. */
int               scope_dataset_scan_get_hits     (ScopeDatasetScan     *self,
                                                   int                   layer,
                                                   int                   channel,
                                                   VggScanHit           *hits,
                                                   int                   max_hits);

/* One image of a channel's hits, ready to show and to open. */
typedef struct
{
  VggScanHit  hit;
  GdkTexture *texture;    /* cropped to the unit's receptive field, or whole and outlined */
  GdkTexture *picture;    /* an IDX image as stored (to open it); NULL for a file */
  GFile      *file;       /* a folder's picture; NULL for an IDX image */
  char       *name;       /* the path relative to the data set, or "image N" */
} ScopeDatasetTile;

void              scope_dataset_tile_free         (ScopeDatasetTile     *tile);

/* Loads the tiles of @hits (copied) of conv layer @layer on a worker thread; whole pictures
 * if @whole. The result is a GPtrArray of ScopeDatasetTile (a picture that cannot be read
 * again is left out). Not while a run is going. */
void              scope_dataset_scan_load_tiles_async  (ScopeDatasetScan   *self,
                                                        int                 layer,
                                                        const VggScanHit   *hits,
                                                        int                 n_hits,
                                                        gboolean            whole,
                                                        GCancellable       *cancellable,
                                                        GAsyncReadyCallback callback,
                                                        gpointer            user_data);
GPtrArray        *scope_dataset_scan_load_tiles_finish (ScopeDatasetScan   *self,
                                                        GAsyncResult       *result,
                                                        GError            **error);

G_END_DECLS
