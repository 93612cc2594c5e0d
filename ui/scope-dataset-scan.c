/* scope-dataset-scan.c — one data-set scan for one model: the job, its progress, its hits
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "scope-dataset-scan.h"
#include "scope-engine-environment.h"

struct _ScopeDatasetScan
{
  GObject     parent_instance;

  /* owned */
  ScopeModel *model;
  char       *path;
  VggDataset *dataset;     /* made by the first run, on its thread */
  VggScan    *scan;        /* read on the main thread only while no run is going */

  /* plain state */
  gboolean    running;
  gboolean    complete;
  gboolean    from_cache;
  gint64      done, total, skipped, resumed;
  gint64      started_us;
  double      rate;
};

G_DEFINE_FINAL_TYPE (ScopeDatasetScan, scope_dataset_scan, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_RUNNING,
  PROP_COMPLETE,
  PROP_DONE,
  PROP_TOTAL,
  PROP_SKIPPED,
  PROP_RATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---- progress, from the worker to the main thread ---- */

typedef struct
{
  GWeakRef        self;
  VggScanProgress progress;
} ProgressUpdate;

static void
progress_update_free (gpointer data)
{
  ProgressUpdate *update = data;

  g_weak_ref_clear (&update->self);
  g_free (update);
}

static void
apply_progress (ScopeDatasetScan      *self,
                const VggScanProgress *progress)
{
  double seconds = (g_get_monotonic_time () - self->started_us) / 1e6;

  g_object_freeze_notify (G_OBJECT (self));
  self->done = progress->done;
  self->total = progress->total;
  self->skipped = progress->skipped;
  self->resumed = progress->resumed;
  self->rate = seconds > 0 ? (progress->done - progress->resumed) / seconds : 0.0;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SKIPPED]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RATE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DONE]);
  g_object_thaw_notify (G_OBJECT (self));
}

/* An idle source with a weak reference, not g_main_context_invoke(): that would run the
 * function on this worker thread whenever the main loop is not iterating at that moment. */
static gboolean
progress_idle (gpointer data)
{
  ProgressUpdate *update = data;
  g_autoptr (ScopeDatasetScan) self = g_weak_ref_get (&update->self);

  if (self != NULL && self->running)
    apply_progress (self, &update->progress);
  return G_SOURCE_REMOVE;
}

typedef struct
{
  char          *path;
  ScopeModel    *model;
  GWeakRef       self;
  gint64         last_report_us;
  VggScanProgress last;
} RunData;

static void
run_data_free (gpointer data)
{
  RunData *run = data;

  g_free (run->path);
  g_clear_object (&run->model);
  g_weak_ref_clear (&run->self);
  g_free (run);
}

static bool
on_engine_progress (const VggScanProgress *progress,
                    void                  *user_data)
{
  RunData *run = user_data;
  gint64 now = g_get_monotonic_time ();
  ProgressUpdate *update;

  run->last = *progress;
  /* at most ten times a second, and always the last batch */
  if (now - run->last_report_us < 100000 && progress->done < progress->total)
    return true;
  run->last_report_us = now;
  update = g_new0 (ProgressUpdate, 1);
  {
    /* not the last reference: the task holds the object */
    g_autoptr (ScopeDatasetScan) self = g_weak_ref_get (&run->self);
    g_weak_ref_init (&update->self, self);
  }
  update->progress = *progress;
  g_idle_add_full (G_PRIORITY_DEFAULT, progress_idle, update, progress_update_free);
  return true;
}

static void
on_cancelled (GCancellable *cancellable,
              gpointer      scan)
{
  vgg_scan_cancel (scan);
}

static void
run_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  ScopeDatasetScan *self = source_object;
  RunData *run = task_data;
  const VggModel *model = scope_model_get_engine (run->model);
  VggRunOptions run_options;
  VggScanOptions options = { 0 };
  VggError error = { 0 };
  VggStatus status = VGG_STATUS_OK;
  gulong handler;

  /* only this thread touches the data set and the scan while the run goes */
  if (self->dataset == NULL)
    status = vgg_dataset_open (&self->dataset, run->path, &error);
  if (status == VGG_STATUS_OK && self->scan == NULL)
    {
      scope_engine_environment_run_options (&run_options);
      options.run_options = &run_options;
      options.cache_dir = scope_engine_environment_load_options ()->cache_dir;
      options.progress = on_engine_progress;
      options.user_data = run;
      status = vgg_scan_new (&self->scan, model, self->dataset, &options, &error);
    }
  if (status != VGG_STATUS_OK)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s", error.message);
      return;
    }

  handler = g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled), self->scan, NULL);
  status = vgg_scan_run (self->scan, &error);
  g_cancellable_disconnect (cancellable, handler);
  if (status == VGG_STATUS_CANCELLED)
    {
      /* a cancelled VggScan stays cancelled: the next run makes a new one from the index */
      vgg_scan_free (self->scan);
      self->scan = NULL;
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s",
                               _("The scan was cancelled"));
      return;
    }
  if (status != VGG_STATUS_OK)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s", error.message);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

void
scope_dataset_scan_run_async (ScopeDatasetScan    *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr (GTask) task = NULL;
  RunData *run;

  g_return_if_fail (SCOPE_IS_DATASET_SCAN (self));
  g_return_if_fail (!self->running);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, scope_dataset_scan_run_async);
  run = g_new0 (RunData, 1);
  run->path = g_strdup (self->path);
  run->model = g_object_ref (self->model);
  g_weak_ref_init (&run->self, self);
  g_task_set_task_data (task, run, run_data_free);
  self->running = TRUE;
  self->started_us = g_get_monotonic_time ();
  self->rate = 0;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
  g_task_run_in_thread (task, run_thread);
}

gboolean
scope_dataset_scan_run_finish (ScopeDatasetScan  *self,
                               GAsyncResult      *result,
                               GError           **error)
{
  gboolean ok;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == scope_dataset_scan_run_async,
                        FALSE);

  ok = g_task_propagate_boolean (G_TASK (result), error);
  g_object_freeze_notify (G_OBJECT (self));
  self->running = FALSE;
  if (self->scan != NULL)
    {
      self->complete = vgg_scan_is_complete (self->scan);
      self->from_cache = vgg_scan_from_cache (self->scan);
      self->done = vgg_scan_n_done (self->scan);
      self->skipped = vgg_scan_n_skipped (self->scan);
      self->total = vgg_dataset_count (self->dataset);
    }
  else if (self->dataset != NULL)
    self->total = vgg_dataset_count (self->dataset);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DONE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOTAL]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SKIPPED]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPLETE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
  g_object_thaw_notify (G_OBJECT (self));
  return ok;
}

/* ---- tiles ---- */

void
scope_dataset_tile_free (ScopeDatasetTile *tile)
{
  if (tile == NULL)
    return;
  g_clear_object (&tile->texture);
  g_clear_object (&tile->picture);
  g_clear_object (&tile->file);
  g_free (tile->name);
  g_free (tile);
}

typedef struct
{
  ScopeModel *model;
  int         layer;
  VggScanHit *hits;
  int         n_hits;
  gboolean    whole;
} TilesData;

static void
tiles_data_free (gpointer data)
{
  TilesData *tiles = data;

  g_clear_object (&tiles->model);
  g_free (tiles->hits);
  g_free (tiles);
}

static GdkTexture *
texture_from_image (const VggImage *image,
                    int             x,
                    int             y,
                    int             width,
                    int             height)
{
  g_autoptr (GBytes) bytes = NULL;
  guint8 *pixels = g_malloc ((gsize) width * height * 3);

  for (int row = 0; row < height; row++)
    memcpy (pixels + (gsize) row * width * 3,
            image->pixels + ((gsize) (y + row) * image->width + x) * 3, (gsize) width * 3);
  bytes = g_bytes_new_take (pixels, (gsize) width * height * 3);
  return gdk_memory_texture_new (width, height, GDK_MEMORY_R8G8B8, bytes, (gsize) width * 3);
}

/* The unit's whole receptive field as a square, the part outside the picture grey: every
 * tile of a layer has the same size, and a unit at the border shows where the border is. */
static GdkTexture *
texture_from_field (const VggImage *image,
                    const VggLayer *layer,
                    int             y,
                    int             x,
                    const VggRect  *rect)
{
  const VggReceptiveField *rf = &layer->receptive_field;
  int size = rf->size, top, left;
  double half = (rf->size - 1) / 2.0;
  g_autoptr (GBytes) bytes = NULL;
  guint8 *pixels;

  top = (int) lround (rf->start + (double) rf->jump * y - half);
  left = (int) lround (rf->start + (double) rf->jump * x - half);
  if (size <= 0 || size > 4096 || rect->y < top || rect->x < left
      || rect->y + rect->height > top + size || rect->x + rect->width > left + size)
    return texture_from_image (image, rect->x, rect->y, rect->width, rect->height);
  pixels = g_malloc ((gsize) size * size * 3);
  memset (pixels, 0x80, (gsize) size * size * 3);
  for (int row = 0; row < rect->height; row++)
    memcpy (pixels + ((gsize) (rect->y - top + row) * size + (rect->x - left)) * 3,
            image->pixels + ((gsize) (rect->y + row) * image->width + rect->x) * 3,
            (gsize) rect->width * 3);
  bytes = g_bytes_new_take (pixels, (gsize) size * size * 3);
  return gdk_memory_texture_new (size, size, GDK_MEMORY_R8G8B8, bytes, (gsize) size * 3);
}

/* Outlines @rect in yellow on @image (one pixel, inside the rectangle). */
static void
outline (VggImage      *image,
         const VggRect *rect)
{
  static const guint8 yellow[3] = { 0xf6, 0xd3, 0x2d };

  for (int y = rect->y; y < rect->y + rect->height; y++)
    for (int x = rect->x; x < rect->x + rect->width; x++)
      if (y == rect->y || x == rect->x || y == rect->y + rect->height - 1
          || x == rect->x + rect->width - 1)
        memcpy (image->pixels + ((gsize) y * image->width + x) * 3, yellow, 3);
}

static void
tiles_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  ScopeDatasetScan *self = source_object;
  TilesData *tiles = task_data;
  const VggModel *model = scope_model_get_engine (tiles->model);
  g_autoptr (GPtrArray) result =
    g_ptr_array_new_with_free_func ((GDestroyNotify) scope_dataset_tile_free);

  for (int i = 0; i < tiles->n_hits && !g_cancellable_is_cancelled (cancellable); i++)
    {
      const VggScanHit *hit = &tiles->hits[i];
      VggImage seen = { 0 }, picture = { 0 };
      VggError error = { 0 };
      VggRect rect;
      ScopeDatasetTile *tile;
      const char *name;
      gboolean is_idx = vgg_dataset_kind (self->dataset) == VGG_DATASET_IDX;

      if (vgg_dataset_load (self->dataset, model, hit->image, NULL, &seen,
                            is_idx ? &picture : NULL, &error) != VGG_STATUS_OK
          || !vgg_model_receptive_rect (model, tiles->layer, hit->y, hit->x, &rect))
        {
          vgg_image_clear (&seen);
          vgg_image_clear (&picture);
          continue;
        }
      tile = g_new0 (ScopeDatasetTile, 1);
      tile->hit = *hit;
      if (tiles->whole)
        {
          outline (&seen, &rect);
          tile->texture = texture_from_image (&seen, 0, 0, seen.width, seen.height);
        }
      else
        tile->texture = texture_from_field (&seen, vgg_model_layer (model, tiles->layer), hit->y,
                                            hit->x, &rect);
      name = vgg_dataset_name (self->dataset, hit->image);
      if (is_idx)
        {
          tile->picture = texture_from_image (&picture, 0, 0, picture.width, picture.height);
          /* Translators: an image of an IDX data set, by its number from 0 */
          tile->name = g_strdup_printf (_("image %lld"), (long long) hit->image);
        }
      else
        {
          tile->file = g_file_new_build_filename (vgg_dataset_root (self->dataset), name, NULL);
          tile->name = g_strdup (name);
        }
      g_ptr_array_add (result, tile);
      vgg_image_clear (&seen);
      vgg_image_clear (&picture);
    }
  if (g_task_return_error_if_cancelled (task))
    return;
  g_task_return_pointer (task, g_steal_pointer (&result), (GDestroyNotify) g_ptr_array_unref);
}

void
scope_dataset_scan_load_tiles_async (ScopeDatasetScan    *self,
                                     int                  layer,
                                     const VggScanHit    *hits,
                                     int                  n_hits,
                                     gboolean             whole,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr (GTask) task = NULL;
  TilesData *tiles;

  g_return_if_fail (SCOPE_IS_DATASET_SCAN (self));
  g_return_if_fail (self->dataset != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, scope_dataset_scan_load_tiles_async);
  tiles = g_new0 (TilesData, 1);
  tiles->model = g_object_ref (self->model);
  tiles->layer = layer;
  tiles->hits = g_memdup2 (hits, sizeof *hits * (gsize) MAX (n_hits, 0));
  tiles->n_hits = n_hits;
  tiles->whole = whole;
  g_task_set_task_data (task, tiles, tiles_data_free);
  g_task_run_in_thread (task, tiles_thread);
}

GPtrArray *
scope_dataset_scan_load_tiles_finish (ScopeDatasetScan  *self,
                                      GAsyncResult      *result,
                                      GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- accessors ---- */

int
scope_dataset_scan_get_hits (ScopeDatasetScan *self,
                             int               layer,
                             int               channel,
                             VggScanHit       *hits,
                             int               max_hits)
{
  g_return_val_if_fail (SCOPE_IS_DATASET_SCAN (self), -1);

  if (self->running || self->scan == NULL)
    return 0;
  return vgg_scan_top (self->scan, layer, channel, hits, max_hits);
}

const char *
scope_dataset_scan_get_path (ScopeDatasetScan *self)
{
  return self->path;
}

ScopeModel *
scope_dataset_scan_get_model (ScopeDatasetScan *self)
{
  return self->model;
}

gboolean
scope_dataset_scan_get_running (ScopeDatasetScan *self)
{
  return self->running;
}

gboolean
scope_dataset_scan_get_complete (ScopeDatasetScan *self)
{
  return self->complete;
}

gboolean
scope_dataset_scan_get_from_cache (ScopeDatasetScan *self)
{
  return self->from_cache;
}

gint64
scope_dataset_scan_get_done (ScopeDatasetScan *self)
{
  return self->done;
}

gint64
scope_dataset_scan_get_total (ScopeDatasetScan *self)
{
  return self->total;
}

gint64
scope_dataset_scan_get_skipped (ScopeDatasetScan *self)
{
  return self->skipped;
}

double
scope_dataset_scan_get_rate (ScopeDatasetScan *self)
{
  return self->rate;
}

gboolean
scope_dataset_scan_get_is_idx (ScopeDatasetScan *self)
{
  return !self->running && self->dataset != NULL
         && vgg_dataset_kind (self->dataset) == VGG_DATASET_IDX;
}

/* ---- GObject ---- */

ScopeDatasetScan *
scope_dataset_scan_new (ScopeModel *model,
                        const char *path)
{
  ScopeDatasetScan *self;

  g_return_val_if_fail (SCOPE_IS_MODEL (model), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (SCOPE_TYPE_DATASET_SCAN, NULL);
  self->model = g_object_ref (model);
  self->path = g_strdup (path);
  return self;
}

static void
scope_dataset_scan_finalize (GObject *object)
{
  ScopeDatasetScan *self = SCOPE_DATASET_SCAN (object);

  /* no run holds the object (its task keeps a reference), so the scan is idle */
  vgg_scan_free (self->scan);
  vgg_dataset_free (self->dataset);
  g_clear_object (&self->model);
  g_free (self->path);
  G_OBJECT_CLASS (scope_dataset_scan_parent_class)->finalize (object);
}

static void
scope_dataset_scan_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  ScopeDatasetScan *self = SCOPE_DATASET_SCAN (object);

  switch (prop_id)
    {
    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;
    case PROP_COMPLETE:
      g_value_set_boolean (value, self->complete);
      break;
    case PROP_DONE:
      g_value_set_int64 (value, self->done);
      break;
    case PROP_TOTAL:
      g_value_set_int64 (value, self->total);
      break;
    case PROP_SKIPPED:
      g_value_set_int64 (value, self->skipped);
      break;
    case PROP_RATE:
      g_value_set_double (value, self->rate);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
scope_dataset_scan_class_init (ScopeDatasetScanClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = scope_dataset_scan_finalize;
  object_class->get_property = scope_dataset_scan_get_property;

  properties[PROP_RUNNING] = g_param_spec_boolean ("running", NULL, NULL, FALSE, flags);
  properties[PROP_COMPLETE] = g_param_spec_boolean ("complete", NULL, NULL, FALSE, flags);
  properties[PROP_DONE] = g_param_spec_int64 ("done", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_TOTAL] = g_param_spec_int64 ("total", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_SKIPPED] = g_param_spec_int64 ("skipped", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_RATE] = g_param_spec_double ("rate", NULL, NULL, 0, G_MAXDOUBLE, 0, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
scope_dataset_scan_init (ScopeDatasetScan *self)
{
}
