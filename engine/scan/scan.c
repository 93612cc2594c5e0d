/* scan.c — the scanner: every image once, the top k images of every conv channel
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Images go in order, a batch at a time: the batch's pictures are decoded and preprocessed in
 * parallel on the engine's pool, the batch runs forward with a hook on every conv layer's
 * output, and the hook takes each channel's maximum per image, in parallel over channels.
 * Each channel's hit list is updated by one task only, image by image in increasing order,
 * so an image enters only with a value strictly above the k-th: ties keep the earlier image.
 */
#include "config.h"

#include "scan-private.h"
#include "model-private.h"
#include "threads.h"

#include <limits.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct VggScan
{
  const VggModel     *model;
  VggDataset         *dataset;
  VggScanOptions      options;
  VggRunOptions       run_options;
  int                 k;
  int                 batch;

  int                 n_conv;
  int                *conv_layers;       /* [n_conv] layer indices */
  int                *channel_first;     /* [n_layers] first channel of a conv layer, or -1 */
  VggScanIndex        index;
  char                index_path[PATH_MAX];
  bool                from_cache;
  int64_t             resumed;

  atomic_bool         cancelled;

  /* one batch */
  int                 n_valid;           /* items of the batch that are real images */
  int64_t            *slot_image;        /* [batch] image index of each slot */
};

/* ---- the model's identity ---- */

static uint64_t
model_fingerprint (const VggModel *model,
                   bool            exact)
{
  const VggConfig *config = vgg_model_config (model);
  int32_t fields[8 + 2 * VGG_MAX_BLOCKS + VGG_MAX_FC];
  int n = 0;
  uint64_t hash = VGG_FNV_OFFSET;

  fields[n++] = config->n_blocks;
  fields[n++] = config->input_channels;
  fields[n++] = config->input_height;
  fields[n++] = config->input_width;
  fields[n++] = config->n_hidden_fc;
  fields[n++] = config->n_classes;
  fields[n++] = (int32_t) vgg_model_preset (model);
  fields[n++] = exact;
  for (int b = 0; b < VGG_MAX_BLOCKS; b++)
    {
      fields[n++] = b < config->n_blocks ? config->block_widths[b] : 0;
      fields[n++] = b < config->n_blocks ? config->block_convs[b] : 0;
    }
  for (int f = 0; f < VGG_MAX_FC; f++)
    fields[n++] = f < config->n_hidden_fc ? config->hidden_fc_widths[f] : 0;
  hash = vgg_fnv1a (hash, fields, sizeof fields);

  /* a sample of every layer's weights and all its biases: two files that differ anywhere
   * that matters differ here, without reading half a gigabyte */
  for (int i = 0; i < model->n_layers; i++)
    {
      const VggLayer *layer = &model->layers[i];
      const VggLayerWeights *weights = &model->weights[i];
      size_t count, step;

      if (layer->kind != VGG_LAYER_CONV && layer->kind != VGG_LAYER_FC)
        continue;
      count = layer->kind == VGG_LAYER_CONV
              ? (size_t) layer->channels_out * layer->channels_in * 9
              : (size_t) layer->channels_out * layer->channels_in * layer->height_in
                * layer->width_in;
      step = count / 4096 + 1;
      for (size_t j = 0; weights->weight != NULL && j < count; j += step)
        hash = vgg_fnv1a (hash, &weights->weight[j], sizeof (float));
      if (weights->bias != NULL)
        hash = vgg_fnv1a (hash, weights->bias, sizeof (float) * (size_t) layer->channels_out);
    }
  return hash;
}

/* ---- the hook: per-channel maxima into the hit lists ---- */

typedef struct
{
  VggScan     *scan;
  const float *data;
  int          channels, height, width;
  int          first;   /* the layer's first channel in the index */
} ReduceJob;

static void
insert_hit (VggScanHit *hits,
            int        *count,
            int         k,
            int64_t     image,
            float       value,
            int         y,
            int         x)
{
  int at;

  /* strictly larger than the last kept: equal values keep the earlier image */
  if (*count == k && !(value > hits[k - 1].value))
    return;
  at = *count < k ? *count : k - 1;
  while (at > 0 && value > hits[at - 1].value)
    {
      hits[at] = hits[at - 1];
      at--;
    }
  hits[at] = (VggScanHit) { image, value, y, x };
  if (*count < k)
    (*count)++;
}

/* Four floats in one SSE register (GCC and clang vector extensions; baseline x86-64). */
typedef float   ScanF4 __attribute__ ((vector_size (16)));
typedef int32_t ScanI4 __attribute__ ((vector_size (16)));

static inline ScanF4
load4 (const float *p)
{
  ScanF4 v;

  memcpy (&v, p, sizeof v);
  return v;
}

static inline ScanF4
max4 (ScanF4 a,
      ScanF4 b)
{
  ScanI4 greater = a > b;

  return (ScanF4) ((greater & (ScanI4) a) | (~greater & (ScanI4) b));
}

/* The largest of @count values and the first place it occurs: four registers of running
 * maxima, then a scan for the first block of 16 that holds the maximum, then its place. */
static size_t
first_maximum (const float *map,
               size_t       count,
               float       *value)
{
  float best = map[0];
  size_t i = 0, start = 0;

  if (count >= 16)
    {
      ScanF4 m0 = load4 (map), m1 = load4 (map + 4), m2 = load4 (map + 8), m3 = load4 (map + 12);
      float lanes[4];

      for (i = 16; i + 16 <= count; i += 16)
        {
          m0 = max4 (load4 (map + i), m0);
          m1 = max4 (load4 (map + i + 4), m1);
          m2 = max4 (load4 (map + i + 8), m2);
          m3 = max4 (load4 (map + i + 12), m3);
        }
      m0 = max4 (max4 (m0, m1), max4 (m2, m3));
      memcpy (lanes, &m0, sizeof lanes);
      for (int j = 0; j < 4; j++)
        best = lanes[j] > best ? lanes[j] : best;
    }
  for (size_t j = i; j < count; j++)
    best = map[j] > best ? map[j] : best;
  *value = best;

  /* the first block of 16 holding the maximum, compared four lanes at a time */
  {
    ScanF4 target = { best, best, best, best };

    for (start = 0; start + 16 <= count; start += 16)
      {
        ScanI4 equal = (load4 (map + start) == target) | (load4 (map + start + 4) == target)
                       | (load4 (map + start + 8) == target)
                       | (load4 (map + start + 12) == target);
        int32_t any[4];

        memcpy (any, &equal, sizeof any);
        if ((any[0] | any[1] | any[2] | any[3]) != 0)
          break;
      }
  }
  for (i = start; i < count; i++)
    if (map[i] == best)
      return i;
  return 0;   /* only when every value is NaN (the forward pass refuses those) */
}

static void
reduce_task (void *context,
             int   channel,
             int   thread)
{
  ReduceJob *job = context;
  VggScan *scan = job->scan;
  size_t plane = (size_t) job->height * job->width;
  int at = job->first + channel;
  VggScanHit *hits = scan->index.hits + (size_t) at * scan->k;
  int *count = &scan->index.counts[at];

  (void) thread;
  for (int n = 0; n < scan->n_valid; n++)
    {
      const float *map = job->data + ((size_t) n * job->channels + channel) * plane;
      float value;
      size_t best = first_maximum (map, plane, &value);

      insert_hit (hits, count, scan->k, scan->slot_image[n], value, (int) (best / job->width),
                  (int) (best % job->width));
    }
}

static bool
scan_hook (const VggHookEvent *event,
           void               *user_data)
{
  VggScan *scan = user_data;
  ReduceJob job = {
    .scan = scan,
    .data = event->data,
    .channels = event->layer->channels_out,
    .height = event->layer->height_out,
    .width = event->layer->width_out,
    .first = scan->channel_first[event->layer_index],
  };

  /* never stops the pass: a batch is merged whole or not at all, so that the saved index
   * and a resumed scan see every image exactly once (cancellation waits for the batch) */
  if (event->layer->kind != VGG_LAYER_CONV || job.first < 0)
    return true;
  /* a small layer on this thread: waking the pool costs more than it saves (and on a loaded
   * machine a worker waiting for its time slice holds the whole loop up) */
  if ((size_t) job.channels * job.height * job.width * scan->n_valid < ((size_t) 1 << 23))
    for (int c = 0; c < job.channels; c++)
      reduce_task (&job, c, 0);
  else
    vgg_parallel_for (job.channels, reduce_task, &job);
  return true;
}

/* ---- decoding a batch ---- */

typedef struct
{
  VggScan   *scan;
  float     *input;
  int64_t    first;
  size_t     per_image;
  VggStatus *statuses;
  VggError  *errors;
} DecodeJob;

static void
decode_task (void *context,
             int   slot,
             int   thread)
{
  DecodeJob *job = context;

  (void) thread;
  job->statuses[slot] = vgg_dataset_load (job->scan->dataset, job->scan->model,
                                          job->first + slot,
                                          job->input + (size_t) slot * job->per_image, NULL,
                                          NULL, &job->errors[slot]);
}

/* ---- the object ---- */

VggStatus
vgg_scan_new (VggScan             **scan,
              const VggModel       *model,
              VggDataset           *dataset,
              const VggScanOptions *options,
              VggError             *error)
{
  VggScanOptions defaults = { 0 };
  VggScan *self;
  VggStatus status;
  int n_channels = 0;
  size_t largest = 1;

  if (scan == NULL || model == NULL || dataset == NULL)
    return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT, "vgg_scan_new: no model or "
                          "data set");
  *scan = NULL;
  if (options == NULL)
    options = &defaults;
  if (options->k < 0 || options->k > VGG_SCAN_MAX_K)
    return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT, "k = %d: from 1 to %d images "
                          "per channel", options->k, VGG_SCAN_MAX_K);
  if (options->batch < 0 || options->batch > 4096)
    return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT, "batch %d: from 1 to 4096 "
                          "images", options->batch);
  status = vgg_dataset_check_model (dataset, model, error);
  if (status != VGG_STATUS_OK)
    return status;

  self = calloc (1, sizeof *self);
  if (self == NULL)
    return vgg_error_set (error, VGG_STATUS_NO_MEMORY, "out of memory");
  self->model = model;
  self->dataset = dataset;
  self->options = *options;
  if (options->run_options != NULL)
    self->run_options = *options->run_options;
  self->options.run_options = &self->run_options;
  self->k = options->k > 0 ? options->k : VGG_SCAN_DEFAULT_K;
  atomic_init (&self->cancelled, false);

  self->conv_layers = calloc ((size_t) model->n_layers, sizeof *self->conv_layers);
  self->channel_first = calloc ((size_t) model->n_layers, sizeof *self->channel_first);
  if (self->conv_layers == NULL || self->channel_first == NULL)
    goto no_memory;
  for (int i = 0; i < model->n_layers; i++)
    {
      const VggLayer *layer = &model->layers[i];
      size_t size = (size_t) layer->channels_out * layer->height_out * layer->width_out;

      if (size > largest)
        largest = size;
      self->channel_first[i] = -1;
      if (layer->kind != VGG_LAYER_CONV)
        continue;
      self->conv_layers[self->n_conv++] = i;
      self->channel_first[i] = n_channels;
      n_channels += layer->channels_out;
    }

  /* about 64 MiB for the largest layer's batch, 1 to 100 images, no more than there are */
  self->batch = options->batch > 0 ? options->batch
                                   : (int) ((64u << 20) / (largest * sizeof (float)));
  self->batch = self->batch < 1 ? 1 : self->batch > 100 && options->batch == 0 ? 100 : self->batch;
  if (self->batch > vgg_dataset_count (dataset))
    self->batch = (int) vgg_dataset_count (dataset);
  self->slot_image = calloc ((size_t) self->batch, sizeof *self->slot_image);

  self->index.model_key = model_fingerprint (model, self->run_options.exact);
  self->index.dataset_key = vgg_dataset_fingerprint (dataset);
  self->index.k = self->k;
  self->index.n_images = vgg_dataset_count (dataset);
  self->index.n_channels = n_channels;
  self->index.counts = calloc ((size_t) n_channels, sizeof *self->index.counts);
  self->index.hits = calloc ((size_t) n_channels * self->k, sizeof *self->index.hits);
  if (self->slot_image == NULL || self->index.counts == NULL || self->index.hits == NULL)
    goto no_memory;

  if (options->cache_dir != NULL && options->cache_dir[0] != '\0'
      && vgg_scan_index_path_for (options->cache_dir, self->index.model_key,
                                  self->index.dataset_key, self->k, self->index_path,
                                  sizeof self->index_path)
      && vgg_scan_index_read (&self->index, self->index_path))
    {
      self->from_cache = self->index.next == self->index.n_images;
      self->resumed = self->index.next;
    }
  *scan = self;
  return VGG_STATUS_OK;

no_memory:
  vgg_scan_free (self);
  return vgg_error_set (error, VGG_STATUS_NO_MEMORY, "out of memory for the scan");
}

void
vgg_scan_free (VggScan *self)
{
  if (self == NULL)
    return;
  free (self->conv_layers);
  free (self->channel_first);
  free (self->slot_image);
  free (self->index.counts);
  free (self->index.hits);
  free (self);
}

static double
now (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void
save (VggScan *self)
{
  if (self->index_path[0] != '\0')
    vgg_scan_index_write (&self->index, self->index_path);
}

static void
note_skip (VggScan        *self,
           int64_t         image,
           const VggError *reason)
{
  if (self->index.n_skipped++ == 0)
    {
      const char *name = vgg_dataset_name (self->dataset, image);

      int written;

      /* decoders name the file already; an IDX image has no file of its own (a message too
       * long for the index is cut: it is only the example shown beside the count) */
      if (name != NULL)
        written = snprintf (self->index.first_skip, sizeof self->index.first_skip, "%s",
                            reason->message[0] != '\0' ? reason->message
                                                       : vgg_status_string (reason->status));
      else
        written = snprintf (self->index.first_skip, sizeof self->index.first_skip,
                            "image %lld: %s", (long long) image, reason->message);
      (void) written;
    }
}

VggStatus
vgg_scan_run (VggScan  *self,
              VggError *error)
{
  const VggConfig *config;
  const int64_t total = self != NULL ? self->index.n_images : 0;
  size_t per_image = 0;
  float *input = NULL;
  uint8_t *pixels = NULL;
  VggStatus *statuses = NULL;
  VggError *errors = NULL;
  VggRun *run = NULL;
  VggStatus status = VGG_STATUS_OK;
  double last_save;
  bool is_idx;

  if (self == NULL)
    return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT, "vgg_scan_run: no scan");
  if (atomic_load (&self->cancelled))
    return vgg_error_set (error, VGG_STATUS_CANCELLED, "the scan was cancelled");
  if (self->index.next >= total)
    goto finished;   /* complete already: nothing to save */

  config = vgg_model_config (self->model);
  per_image = (size_t) config->input_channels * config->input_height * config->input_width;
  is_idx = vgg_dataset_kind (self->dataset) == VGG_DATASET_IDX;
  input = vgg_alloc_big (sizeof (float) * per_image * (size_t) self->batch);
  statuses = calloc ((size_t) self->batch, sizeof *statuses);
  errors = calloc ((size_t) self->batch, sizeof *errors);
  if (is_idx)
    pixels = malloc ((size_t) self->batch * vgg_dataset_idx_rows (self->dataset)
                     * vgg_dataset_idx_cols (self->dataset));
  if (input == NULL || statuses == NULL || errors == NULL || (is_idx && pixels == NULL))
    {
      status = vgg_error_set (error, VGG_STATUS_NO_MEMORY, "out of memory for a batch of %d "
                              "images", self->batch);
      goto out;
    }
  status = vgg_run_new_with_options (&run, self->model, self->batch, &self->run_options, error);
  if (status != VGG_STATUS_OK)
    goto out;
  vgg_run_set_hook (run, scan_hook, self);
  for (int i = 0; i < self->n_conv; i++)
    vgg_run_watch (run, self->conv_layers[i], VGG_STAGE_OUTPUT);

  last_save = now ();
  while (self->index.next < total)
    {
      int64_t first = self->index.next;
      int count = (int) (total - first < self->batch ? total - first : self->batch);
      VggScanProgress progress;

      if (atomic_load (&self->cancelled))
        {
          status = VGG_STATUS_CANCELLED;
          break;
        }

      /* read the batch; a picture that cannot be read leaves its slot and is counted */
      if (is_idx)
        {
          int rows = vgg_dataset_idx_rows (self->dataset);
          int cols = vgg_dataset_idx_cols (self->dataset);

          status = vgg_dataset_read_idx (self->dataset, first, count, pixels, error);
          if (status != VGG_STATUS_OK)
            break;
          for (int i = 0; i < count; i++)
            {
              vgg_dataset_idx_input (input + (size_t) i * per_image, config->input_height,
                                     config->input_width, pixels + (size_t) i * rows * cols,
                                     rows, cols);
              self->slot_image[i] = first + i;
            }
          self->n_valid = count;
        }
      else
        {
          DecodeJob job = { self, input, first, per_image, statuses, errors };

          vgg_parallel_for (count, decode_task, &job);
          self->n_valid = 0;
          for (int i = 0; i < count; i++)
            {
              if (statuses[i] != VGG_STATUS_OK)
                {
                  note_skip (self, first + i, &errors[i]);
                  continue;
                }
              if (self->n_valid != i)
                memcpy (input + (size_t) self->n_valid * per_image,
                        input + (size_t) i * per_image, sizeof (float) * per_image);
              self->slot_image[self->n_valid++] = first + i;
            }
        }

      if (self->n_valid > 0)
        {
          /* a short batch: the run is planned for the full size, so pad with copies */
          for (int i = self->n_valid; i < self->batch; i++)
            memcpy (input + (size_t) i * per_image,
                    input + (size_t) (self->n_valid - 1) * per_image, sizeof (float) * per_image);
          status = vgg_run_forward (run, input, error);
          if (status != VGG_STATUS_OK)
            break;   /* the hits are now partly merged: not saved, the scan is an error */
        }
      self->index.next = first + count;

      progress = (VggScanProgress) { self->index.next, total, self->index.n_skipped,
                                     self->resumed };
      if (self->options.progress != NULL
          && !self->options.progress (&progress, self->options.user_data))
        atomic_store (&self->cancelled, true);
      if (self->index.next < total
          && now () - last_save >= (self->options.checkpoint_seconds > 0
                                    ? self->options.checkpoint_seconds : 5.0))
        {
          save (self);
          last_save = now ();
        }
    }
  if (status == VGG_STATUS_CANCELLED)
    save (self);   /* whole batches only: a later scan resumes exactly here */

out:
  vgg_run_free (run);
  vgg_free_big (input, sizeof (float) * per_image * (size_t) self->batch);
  free (pixels);
  free (statuses);
  free (errors);
  if (status == VGG_STATUS_CANCELLED)
    return vgg_error_set (error, VGG_STATUS_CANCELLED, "the scan was cancelled");
  if (status != VGG_STATUS_OK)
    return status;
  save (self);

finished:
  if (self->index.n_skipped == total)
    return vgg_error_set (error, VGG_STATUS_FORMAT, "%s: none of its %lld pictures could be "
                          "read (the first: %s)", vgg_dataset_root (self->dataset),
                          (long long) total, self->index.first_skip);
  return VGG_STATUS_OK;
}

void
vgg_scan_cancel (VggScan *self)
{
  if (self != NULL)
    atomic_store (&self->cancelled, true);
}

bool
vgg_scan_is_complete (const VggScan *self)
{
  return self->index.next == self->index.n_images;
}

bool
vgg_scan_from_cache (const VggScan *self)
{
  return self->from_cache;
}

int
vgg_scan_k (const VggScan *self)
{
  return self->k;
}

int64_t
vgg_scan_n_done (const VggScan *self)
{
  return self->index.next;
}

int64_t
vgg_scan_n_skipped (const VggScan *self)
{
  return self->index.n_skipped;
}

const char *
vgg_scan_first_skip_reason (const VggScan *self)
{
  return self->index.first_skip;
}

const char *
vgg_scan_index_path (const VggScan *self)
{
  return self->index_path;
}

int
vgg_scan_top (const VggScan *self,
              int            layer_index,
              int            channel,
              VggScanHit    *hits,
              int            max_hits)
{
  int first, count;

  if (self == NULL || layer_index < 0 || layer_index >= self->model->n_layers
      || self->channel_first[layer_index] < 0 || channel < 0
      || channel >= self->model->layers[layer_index].channels_out)
    return -1;
  first = self->channel_first[layer_index] + channel;
  count = self->index.counts[first];
  if (hits != NULL)
    memcpy (hits, self->index.hits + (size_t) first * self->k,
            sizeof *hits * (size_t) (count < max_hits ? count : max_hits));
  return count;
}
