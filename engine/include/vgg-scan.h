/* vgg-scan.h — data-set scans: the images of a data set that excite each channel most
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A scan runs every image of a data set once through a model and keeps, for every channel of
 * every convolution layer, the k images on which that channel's largest unit (after its ReLU)
 * is largest: the "top images" of the Deep Visualization Toolbox. Plain C17, no GLib;
 * conventions are vgg.h's (VggStatus + optional VggError on every fallible call).
 *
 * Data sets (VggDataset), opened from a path:
 *   a folder of pictures  every file under it (recursively; names starting with '.' are left
 *                         out) whose name ends in .jpg, .jpeg, .jpe, .png, .webp, .gif, .bmp,
 *                         .tif or .tiff (any case), in bytewise (strcmp) order of their paths
 *                         relative to the folder; each is decoded as vgg_image_load() does and
 *                         preprocessed with the model's preset.
 *   an IDX image file     unsigned bytes, three dimensions (count, rows, cols), gzip-compressed
 *                         or not (told by its first bytes); each image is fed as
 *                         `vgg-scope-cli eval` feeds Fashion-MNIST: the rows × cols picture
 *                         centred on the model's black height × width input, values / 255. The
 *                         model must take one grey channel of at least rows × cols.
 *   a folder holding t10k-images-idx3-ubyte.gz (or t10k-images-idx3-ubyte): that IDX file, as
 *                         `eval --data FOLDER` reads it.
 * Image i is the i-th picture in that order, or the i-th image of the IDX file (0-based).
 *
 * What is kept: for channel c of conv layer l and image i, the value v(i) is the largest unit
 * of the channel's map after the ReLU; on ties within one map the first in row-major order
 * wins, and (y, x) is that unit's position in the layer's output. The channel's hits are the
 * k images with the largest v, largest first; between images with equal v the lower index
 * (the earlier path) comes first. (Common: many channels peak at exactly 0 after the ReLU.)
 *
 * Cost: every image runs through the forward pass once, in batches, on the engine's thread
 * pool (vgg_set_threads()); pictures of a batch are decoded in parallel and the per-channel
 * maxima are taken in parallel over the channels. Memory does not grow with the data set's
 * size: one batch of inputs and activations, and k hits per channel (a folder's list of
 * names, sizes and times excepted).
 *
 * The index on disk: with VggScanOptions.cache_dir the hits are saved in that folder (in the
 * machine's byte order, written to NAME.tmp and renamed) under a name made from the model
 * (its configuration, preset and a sample of every layer's weights), the data set (its real
 * path and every file's path, size and modification time), k and the exactness of the run.
 * A complete index makes vgg_scan_new() return a finished scan at once; a partial one (the
 * scan is saved every few seconds, and when it is cancelled) is resumed where it stopped.
 *
 * Pictures that cannot be read (damaged, truncated, not really pictures) are skipped and
 * counted (vgg_scan_n_skipped()); only when none of them can be read is the scan an error.
 */
#pragma once

#include "vgg.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------------------------------------
 * Data sets
 */

typedef struct VggDataset VggDataset;

typedef enum
{
  VGG_DATASET_FOLDER = 0,  /* a folder of pictures */
  VGG_DATASET_IDX,         /* an IDX image file (or a folder holding t10k-images-idx3-ubyte) */
} VggDatasetKind;

/* Opens the data set at @path (see above) and lists its images. Errors (VGG_STATUS_IO,
 * VGG_STATUS_FORMAT, VGG_STATUS_UNSUPPORTED) name the path: a missing path, a folder without
 * pictures, a file that is neither a folder nor an IDX image file, an IDX file of labels or
 * of the wrong element type, a truncated IDX file. Nothing but the folder listing (or the
 * IDX header, and one pass over a compressed file to check its length) is read here. */
VggStatus       vgg_dataset_open (VggDataset **dataset, const char *path, VggError *error);
void            vgg_dataset_free (VggDataset *dataset);

VggDatasetKind  vgg_dataset_kind (const VggDataset *dataset);
/* The path given to vgg_dataset_open() (for an IDX folder: the folder). */
const char     *vgg_dataset_root (const VggDataset *dataset);
/* The file the images come from for an IDX data set (the folder's t10k-images-idx3-ubyte.gz,
 * for instance); the root for a folder of pictures. */
const char     *vgg_dataset_source_path (const VggDataset *dataset);
int64_t         vgg_dataset_count (const VggDataset *dataset);
/* IDX: the images' rows and columns; a folder: 0. */
int             vgg_dataset_idx_rows (const VggDataset *dataset);
int             vgg_dataset_idx_cols (const VggDataset *dataset);
/* Image @index's path relative to the root ("cats/01.jpg"), valid as long as the data set;
 * NULL for an IDX data set or an index out of range. */
const char     *vgg_dataset_name (const VggDataset *dataset, int64_t index);

/* Checks that @model can take this data set's images (an IDX data set needs one grey input
 * channel of at least rows × cols): VGG_STATUS_SHAPE with both shapes otherwise. */
VggStatus       vgg_dataset_check_model (const VggDataset *dataset, const VggModel *model,
                                         VggError *error);

/* Reads image @index and prepares it for @model: @input [C, H, W] (may be NULL) the
 * preprocessed tensor, @seen (may be NULL; cleared by the caller with vgg_image_clear()) the
 * picture as the network sees it, H × W, on which the receptive fields of vgg.h lie; @picture
 * (may be NULL) the picture as stored (a file's decoded pixels, an IDX image in grey). Safe to
 * call from several threads at once for a folder of pictures; IDX reads are serialised. */
VggStatus       vgg_dataset_load (VggDataset *dataset, const VggModel *model, int64_t index,
                                  float *input, VggImage *seen, VggImage *picture,
                                  VggError *error);

/* ---------------------------------------------------------------------------------------------
 * Scans
 */

#define VGG_SCAN_DEFAULT_K 9
#define VGG_SCAN_MAX_K     1024

/* One of a channel's top images. */
typedef struct
{
  int64_t image;   /* the image's index in the data set */
  float   value;   /* the channel's largest unit on that image, after the ReLU */
  int     y, x;    /* that unit's position in the layer's output */
} VggScanHit;

typedef struct
{
  int64_t done;      /* images looked at (read or skipped), the first ones in order */
  int64_t total;     /* images in the data set */
  int64_t skipped;   /* of @done, those that could not be read */
  int64_t resumed;   /* of @done, those taken from a saved partial index */
} VggScanProgress;

/* Called on the scanning thread after every batch; return false to cancel the scan. */
typedef bool (*VggScanProgressFunc) (const VggScanProgress *progress, void *user_data);

typedef struct
{
  int                  k;                   /* hits per channel; 0: VGG_SCAN_DEFAULT_K */
  int                  batch;               /* images per forward pass; 0: sized for the
                                               model (about 64 MiB of its largest layer) */
  const VggRunOptions *run_options;         /* NULL: the defaults */
  const char          *cache_dir;           /* where the index is saved (created if missing);
                                               NULL or "": not saved */
  double               checkpoint_seconds;  /* saves a partial index this often; ≤ 0: 5 s */
  VggScanProgressFunc  progress;            /* may be NULL */
  void                *user_data;
} VggScanOptions;

typedef struct VggScan VggScan;

/* Prepares a scan of @dataset with @model (both borrowed: they must outlive the scan) and
 * loads a saved index that matches, if there is one. Checks the model against the data set
 * (vgg_dataset_check_model()) and @options (k from 1 to VGG_SCAN_MAX_K). */
VggStatus       vgg_scan_new (VggScan **scan, const VggModel *model, VggDataset *dataset,
                              const VggScanOptions *options, VggError *error);
void            vgg_scan_free (VggScan *scan);

/* Runs the images not done yet, saving the index as it goes. Returns VGG_STATUS_OK when every
 * image is done (at once if the index was complete), VGG_STATUS_CANCELLED after
 * vgg_scan_cancel() or a progress function that returned false (the partial index is saved
 * first, so a later scan resumes from there), or an error: the forward pass failed, or no
 * image at all could be read (VGG_STATUS_FORMAT with the first image's reason). */
VggStatus       vgg_scan_run (VggScan *scan, VggError *error);

/* Asks a running vgg_scan_run() to stop after its current batch (a batch is merged whole or
 * not at all, so the saved index holds every image before it exactly once). Safe from any
 * thread; a request made before vgg_scan_run() starts makes it return VGG_STATUS_CANCELLED at
 * once. A cancelled scan stays cancelled: resume with a new VggScan, which reads the index. */
void            vgg_scan_cancel (VggScan *scan);

bool            vgg_scan_is_complete (const VggScan *scan);
/* Whether vgg_scan_new() found a complete index on disk. */
bool            vgg_scan_from_cache (const VggScan *scan);
int             vgg_scan_k (const VggScan *scan);
int64_t         vgg_scan_n_done (const VggScan *scan);
int64_t         vgg_scan_n_skipped (const VggScan *scan);
/* Why the first skipped image could not be read ("" when none was skipped). */
const char     *vgg_scan_first_skip_reason (const VggScan *scan);
/* The index file's path ("" without a cache folder). */
const char     *vgg_scan_index_path (const VggScan *scan);

/* Copies the hits of channel @channel of conv layer @layer_index (largest first) into @hits
 * (room for @max_hits) and returns how many there are: min(k, images read) once complete, the
 * best so far during a scan (call it between runs, not during one). -1 for a layer that is
 * not a convolution or a channel out of range. */
int             vgg_scan_top (const VggScan *scan, int layer_index, int channel,
                              VggScanHit *hits, int max_hits);

#ifdef __cplusplus
}
#endif
