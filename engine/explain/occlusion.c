/* occlusion.c — occlusion maps: the API, planned memory, the exhaustive reference and the
 *               incremental pass that recomputes only the units a patch changes
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Jobs: job 0 is the clean picture, job j ≥ 1 the picture occluded at position j − 1
 * (row-major over the map). Both modes run the jobs in batches, so the clean logit comes from
 * the same code as the occluded ones.
 *
 * Incremental: a clean pass (an exact VggRun at batch 1, its hook copying every conv and pool
 * output) gives the base tensors. For each job and layer the changed rectangle is propagated
 * from the patch (conv: one unit more on each side, clipped; pool: the outputs whose 2×2
 * window meets it; a floor-mode pool may drop it altogether). A batch of jobs keeps, per
 * layer, one matrix [channels, Σ areas] of the changed units, each job in its own columns
 * (VggPatched, kernels.h); a convolution unfolds just those units (vgg_im2col_patched(),
 * reading the base outside the rectangle) and multiplies them with the engine's threaded
 * sgemm, as the exact forward pass does per band. The first fully connected layer gets the
 * dense pool output of each job; the classifier's logit k is kept.
 */
#include "config.h"

#include "engine-private.h"
#include "kernels.h"
#include "model-private.h"
#include "threads.h"
#include "vgg-occlusion.h"
#include "winograd.h"

#include <math.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* default batch sizes: the exhaustive run's two activation buffers stay within this… */
#define EXHAUSTIVE_MEMORY_BYTES ((size_t) 128 << 20)
/* …and the incremental pass's changed units and unfolded columns within this */
#define INCREMENTAL_MEMORY_BYTES ((size_t) 192 << 20)
#define DEFAULT_BATCH 16
#define MAX_BATCH 4096
/* one unfolding of several jobs' columns stays near this many floats (16 MiB) */
#define COL_FLOATS ((size_t) 4 << 20)
/* channels per task when unfolding, pooling and flattening */
#define CHANNELS_PER_TASK 16

typedef struct
{
  int x, y, width, height;
} Rect;

static size_t
rect_area (const Rect *rect)
{
  return (size_t) rect->width * (size_t) rect->height;
}

/* One job of a batch at the current layer: where its changed units live. */
typedef struct
{
  VggPatched in;        /* the layer's input */
  Rect       out;       /* the layer's changed output units */
  size_t     out_col;   /* their first column in the output matrix */
  size_t     group_col; /* …and in the unfolded matrix of the job's group */
} Slot;

struct VggOcclusion
{
  const VggModel *model;
  atomic_bool     cancel_requested;

  /* everything below is the plan: release_plan() clears it */
  /* the shape the memory below is planned for */
  bool            planned;
  bool            exhaustive;
  int             patch, stride, batch, n_y, n_x, n_jobs;
  int             requested_batch;   /* options.batch: 0 for the default */

  /* exhaustive */
  VggRun         *run;
  float          *batch_input;   /* [batch, C, H, W] */

  /* incremental */
  VggRun         *clean_run;     /* exact, batch 1 */
  float         **clean;         /* per layer: the clean output (conv and pool), or NULL */
  float          *clean_block;
  int             n_spatial;     /* conv and pool layers: 0 … n_spatial − 1 */
  Rect           *rects;         /* [n_jobs][n_spatial]: changed outputs */
  float          *zeros;         /* the patch: [C_in, P·P] zeros */
  float          *changed[2];    /* ping-pong matrices of changed units */
  size_t          changed_count;
  float          *col;
  size_t          col_count;
  float          *fc[2];         /* [batch, widest FC input or output] */
  size_t          fc_count;
  Slot           *slots;         /* [batch] */
  const VggSimdKernels *simd;    /* the runs' kernel set, for the direct first layer */
  float          *direct_in;     /* [C_in, H, W]: one job's input to a direct layer */
  float          *direct_out;    /* [C_out, H, W]: its output rows */

  float          *logits;        /* [n_jobs]: logit k of each job */
};

/* ---- sizes and options ---- */

VggStatus
vgg_occlusion_map_size (const VggModel *model,
                        int             patch,
                        int             stride,
                        int            *n_y,
                        int            *n_x,
                        VggError       *error)
{
  const VggConfig *config;

  if (model == NULL)
    return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT, "occlusion: no model");
  config = vgg_model_config (model);
  if (patch < 1)
    return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT,
                          "occlusion: the patch must be at least 1 pixel wide (got %d)", patch);
  if (stride < 1)
    return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT,
                          "occlusion: the stride must be at least 1 pixel (got %d)", stride);
  if (patch > config->input_height || patch > config->input_width)
    return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT,
                          "occlusion: a %d-pixel patch does not fit the model's %d×%d input",
                          patch, config->input_width, config->input_height);
  if (n_y != NULL)
    *n_y = (config->input_height - patch) / stride + 1;
  if (n_x != NULL)
    *n_x = (config->input_width - patch) / stride + 1;
  return VGG_STATUS_OK;
}

static VggStatus
check_options (const VggModel            *model,
               const VggOcclusionOptions *options,
               VggError                  *error)
{
  int n_classes = vgg_model_n_classes (model);

  if (options == NULL)
    return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT, "occlusion: no options");
  if (n_classes == 0)
    return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT,
                          "occlusion: the model %s has no classifier (feature maps only), so "
                          "there is no class logit to compare", vgg_model_name (model));
  if (options->class_index < 0 || options->class_index >= n_classes)
    return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT,
                          "occlusion: class %d does not exist (the model has classes 0 to %d)",
                          options->class_index, n_classes - 1);
  if (options->batch < 0 || options->batch > MAX_BATCH)
    return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT,
                          "occlusion: batch %d is outside 0 (the default) to %d",
                          options->batch, MAX_BATCH);
  return vgg_occlusion_map_size (model, options->patch, options->stride, NULL, NULL, error);
}

/* ---- the object ---- */

VggStatus
vgg_occlusion_new (VggOcclusion   **occlusion,
                   const VggModel  *model,
                   VggError        *error)
{
  VggOcclusion *self;

  if (occlusion == NULL)
    return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT, "occlusion: no place for it");
  *occlusion = NULL;
  if (model == NULL)
    return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT, "occlusion: no model");
  self = calloc (1, sizeof *self);
  if (self == NULL)
    return vgg_error_set (error, VGG_STATUS_NO_MEMORY, "out of memory");
  self->model = model;
  atomic_init (&self->cancel_requested, false);
  *occlusion = self;
  return VGG_STATUS_OK;
}

static void
release_plan (VggOcclusion *self)
{
  vgg_run_free (self->run);
  vgg_run_free (self->clean_run);
  free (self->batch_input);
  free (self->clean);
  free (self->clean_block);
  free (self->rects);
  free (self->zeros);
  free (self->changed[0]);
  free (self->changed[1]);
  free (self->col);
  free (self->fc[0]);
  free (self->fc[1]);
  free (self->slots);
  free (self->direct_in);
  free (self->direct_out);
  free (self->logits);
  /* everything after the model and the cancel flag, which another thread may be setting */
  memset ((char *) self + offsetof (VggOcclusion, planned), 0,
          sizeof *self - offsetof (VggOcclusion, planned));
}

void
vgg_occlusion_free (VggOcclusion *occlusion)
{
  if (occlusion == NULL)
    return;
  release_plan (occlusion);
  free (occlusion);
}

void
vgg_occlusion_cancel (VggOcclusion *occlusion)
{
  if (occlusion != NULL)
    atomic_store (&occlusion->cancel_requested, true);
}

static bool
cancelled (VggOcclusion *self)
{
  return atomic_load (&self->cancel_requested);
}

/* the hook of both runs: stops them when cancelled */
static bool
cancel_hook (const VggHookEvent *event,
             void               *user_data)
{
  (void) event;
  return !cancelled (user_data);
}

/* ---- planning ---- */

static int
spatial_layers (const VggModel *model)
{
  int n = 0;

  while (n < model->n_layers
         && (model->layers[n].kind == VGG_LAYER_CONV || model->layers[n].kind == VGG_LAYER_POOL))
    n++;
  return n;
}

/* The outputs of @layer that change when the inputs in @in do. */
static Rect
propagate (const VggLayer *layer,
           Rect            in)
{
  Rect out = { 0, 0, 0, 0 };
  int y0, y1, x0, x1;

  if (in.width <= 0 || in.height <= 0)
    return out;
  if (layer->kind == VGG_LAYER_CONV)
    {
      y0 = in.y - 1;
      x0 = in.x - 1;
      y1 = in.y + in.height + 1;
      x1 = in.x + in.width + 1;
    }
  else
    {
      /* unit u reads inputs 2u and 2u + 1; floor mode drops a last odd row or column */
      y0 = in.y / 2;
      x0 = in.x / 2;
      y1 = (in.y + in.height - 1) / 2 + 1;
      x1 = (in.x + in.width - 1) / 2 + 1;
    }
  y0 = y0 < 0 ? 0 : y0;
  x0 = x0 < 0 ? 0 : x0;
  y1 = y1 > layer->height_out ? layer->height_out : y1;
  x1 = x1 > layer->width_out ? layer->width_out : x1;
  if (y1 <= y0 || x1 <= x0)
    return out;
  out.x = x0;
  out.y = y0;
  out.width = x1 - x0;
  out.height = y1 - y0;
  return out;
}

/* The patch of job @job (empty for job 0, the clean picture). */
static Rect
job_patch (const VggOcclusion *self,
           int                 job)
{
  Rect rect = { 0, 0, 0, 0 };

  if (job == 0)
    return rect;
  rect.y = (job - 1) / self->n_x * self->stride;
  rect.x = (job - 1) % self->n_x * self->stride;
  rect.width = rect.height = self->patch;
  return rect;
}

typedef struct
{
  size_t changed;   /* floats of one matrix of changed units */
  size_t col;       /* floats of the unfolded columns */
  size_t fc;        /* floats of one FC buffer */
} IncrementalSizes;

/* What a batch of @batch jobs needs at most, over every batch and layer. */
static IncrementalSizes
incremental_sizes (const VggOcclusion *self,
                   int                 batch)
{
  const VggModel *model = self->model;
  IncrementalSizes sizes = { 0, 0, 0 };
  size_t col_one = 0, col_all = 0;

  for (int j0 = 0; j0 < self->n_jobs; j0 += batch)
    {
      int j1 = j0 + batch < self->n_jobs ? j0 + batch : self->n_jobs;

      for (int i = 0; i < self->n_spatial; i++)
        {
          const VggLayer *layer = &model->layers[i];
          size_t columns = 0;

          for (int j = j0; j < j1; j++)
            {
              size_t area = rect_area (&self->rects[(size_t) j * self->n_spatial + i]);
              size_t unfolded = (size_t) 9 * layer->channels_in * area;

              columns += area;
              if (layer->kind == VGG_LAYER_CONV && unfolded > col_one)
                col_one = unfolded;
            }
          if ((size_t) layer->channels_out * columns > sizes.changed)
            sizes.changed = (size_t) layer->channels_out * columns;
          if (layer->kind == VGG_LAYER_CONV
              && (size_t) 9 * layer->channels_in * columns > col_all)
            col_all = (size_t) 9 * layer->channels_in * columns;
        }
    }
  /* groups of jobs share one unfolding of at most COL_FLOATS, but never less than one job */
  sizes.col = col_all < COL_FLOATS ? col_all : COL_FLOATS;
  if (col_one > sizes.col)
    sizes.col = col_one;
  for (int i = self->n_spatial; i < model->n_layers; i++)
    {
      const VggLayer *layer = &model->layers[i];
      size_t in = (size_t) layer->channels_in * layer->height_in * layer->width_in;
      size_t out = (size_t) layer->channels_out;

      if (layer->kind != VGG_LAYER_FC)
        continue;
      if (in > sizes.fc)
        sizes.fc = in;
      if (out > sizes.fc)
        sizes.fc = out;
    }
  sizes.fc *= (size_t) batch;
  return sizes;
}

static VggStatus
plan_incremental (VggOcclusion *self,
                  int           batch,
                  VggError     *error)
{
  const VggModel *model = self->model;
  const VggConfig *config = &model->config;
  static const VggRunOptions exact = { .exact = true };
  IncrementalSizes sizes;
  size_t clean_total = 0;
  VggStatus status;

  self->n_spatial = spatial_layers (model);
  self->rects = calloc ((size_t) self->n_jobs * self->n_spatial + 1, sizeof *self->rects);
  if (self->rects == NULL)
    return vgg_error_set (error, VGG_STATUS_NO_MEMORY, "out of memory");
  for (int j = 0; j < self->n_jobs; j++)
    {
      Rect rect = job_patch (self, j);

      for (int i = 0; i < self->n_spatial; i++)
        {
          rect = propagate (&model->layers[i], rect);
          self->rects[(size_t) j * self->n_spatial + i] = rect;
        }
    }

  if (batch == 0)
    {
      /* the largest default whose buffers fit the budget */
      batch = DEFAULT_BATCH < self->n_jobs ? DEFAULT_BATCH : self->n_jobs;
      while (batch > 1)
        {
          sizes = incremental_sizes (self, batch);
          if ((2 * sizes.changed + sizes.col + 2 * sizes.fc) * sizeof (float)
              <= INCREMENTAL_MEMORY_BYTES)
            break;
          batch /= 2;
        }
    }
  self->batch = batch;
  sizes = incremental_sizes (self, batch);

  status = vgg_run_new_with_options (&self->clean_run, model, 1, &exact, error);
  if (status != VGG_STATUS_OK)
    return status;

  self->clean = calloc ((size_t) model->n_layers, sizeof *self->clean);
  for (int i = 0; i < self->n_spatial; i++)
    clean_total += (size_t) model->layers[i].channels_out * model->layers[i].height_out
                   * model->layers[i].width_out;
  self->clean_block = malloc ((clean_total + 1) * sizeof (float));
  self->zeros = calloc ((size_t) config->input_channels * self->patch * self->patch,
                        sizeof (float));
  self->changed_count = sizes.changed;
  self->changed[0] = malloc ((sizes.changed + 1) * sizeof (float));
  self->changed[1] = malloc ((sizes.changed + 1) * sizeof (float));
  self->col_count = sizes.col;
  self->col = malloc ((sizes.col + 1) * sizeof (float));
  self->fc_count = sizes.fc;
  self->fc[0] = malloc ((sizes.fc + 1) * sizeof (float));
  self->fc[1] = malloc ((sizes.fc + 1) * sizeof (float));
  self->slots = calloc ((size_t) batch, sizeof *self->slots);
  self->simd = vgg_simd_kernels_best (NULL);
  {
    /* the layers the full pass runs directly: those with few input channels */
    size_t in = 0, out = 0;

    for (int i = 0; i < self->n_spatial; i++)
      {
        const VggLayer *layer = &model->layers[i];
        size_t plane = (size_t) layer->height_in * layer->width_in;

        if (layer->kind != VGG_LAYER_CONV || layer->channels_in > VGG_CONV_DIRECT_MAX_C_IN)
          continue;
        in = (size_t) layer->channels_in * plane > in ? (size_t) layer->channels_in * plane : in;
        out = (size_t) layer->channels_out * plane > out ? (size_t) layer->channels_out * plane
                                                         : out;
      }
    if (out > 0)
      {
        self->direct_in = malloc (in * sizeof (float));
        self->direct_out = malloc (out * sizeof (float));
        if (self->direct_in == NULL || self->direct_out == NULL)
          return vgg_error_set (error, VGG_STATUS_NO_MEMORY, "out of memory");
      }
  }
  if (self->clean == NULL || self->clean_block == NULL || self->zeros == NULL
      || self->changed[0] == NULL || self->changed[1] == NULL || self->col == NULL
      || self->fc[0] == NULL || self->fc[1] == NULL || self->slots == NULL)
    return vgg_error_set (error, VGG_STATUS_NO_MEMORY,
                          "out of memory: occlusion at batch %d needs %zu MiB", batch,
                          ((2 * sizes.changed + sizes.col + 2 * sizes.fc + clean_total)
                           * sizeof (float)) >> 20);
  {
    float *p = self->clean_block;

    for (int i = 0; i < self->n_spatial; i++)
      {
        self->clean[i] = p;
        p += (size_t) model->layers[i].channels_out * model->layers[i].height_out
             * model->layers[i].width_out;
      }
  }
  return VGG_STATUS_OK;
}

static VggStatus
plan_exhaustive (VggOcclusion *self,
                 int           batch,
                 VggError     *error)
{
  const VggModel *model = self->model;
  const VggConfig *config = &model->config;
  static const VggRunOptions exact = { .exact = true };
  size_t input_count = (size_t) config->input_channels * config->input_height
                       * config->input_width;
  VggStatus status;

  if (batch == 0)
    {
      size_t largest = 0;

      for (int i = 0; i < model->n_layers; i++)
        {
          const VggLayer *layer = &model->layers[i];
          size_t count = (size_t) layer->channels_out * layer->height_out * layer->width_out;

          largest = count > largest ? count : largest;
        }
      batch = (int) (EXHAUSTIVE_MEMORY_BYTES / (2 * sizeof (float) * (largest + 1)));
      batch = batch < 1 ? 1 : batch > DEFAULT_BATCH ? DEFAULT_BATCH : batch;
      batch = batch < self->n_jobs ? batch : self->n_jobs;
    }
  self->batch = batch;
  status = vgg_run_new_with_options (&self->run, model, batch, &exact, error);
  if (status != VGG_STATUS_OK)
    return status;
  vgg_run_set_hook (self->run, cancel_hook, self);
  vgg_run_watch (self->run, -1, VGG_STAGE_OUTPUT);
  self->batch_input = malloc (input_count * (size_t) batch * sizeof (float));
  if (self->batch_input == NULL)
    return vgg_error_set (error, VGG_STATUS_NO_MEMORY,
                          "out of memory: occlusion at batch %d needs %zu MiB of input", batch,
                          (input_count * (size_t) batch * sizeof (float)) >> 20);
  return VGG_STATUS_OK;
}

/* Makes the memory for @options' shape, unless it is already there. */
static VggStatus
plan (VggOcclusion              *self,
      const VggOcclusionOptions *options,
      VggError                  *error)
{
  VggStatus status;

  if (self->planned && self->exhaustive == options->exhaustive && self->patch == options->patch
      && self->stride == options->stride && self->requested_batch == options->batch)
    return VGG_STATUS_OK;
  release_plan (self);
  self->exhaustive = options->exhaustive;
  self->patch = options->patch;
  self->stride = options->stride;
  self->requested_batch = options->batch;
  vgg_occlusion_map_size (self->model, self->patch, self->stride, &self->n_y, &self->n_x, NULL);
  self->n_jobs = self->n_y * self->n_x + 1;
  self->logits = malloc ((size_t) self->n_jobs * sizeof (float));
  if (self->logits == NULL)
    return vgg_error_set (error, VGG_STATUS_NO_MEMORY, "out of memory");
  status = options->exhaustive ? plan_exhaustive (self, options->batch, error)
                               : plan_incremental (self, options->batch, error);
  if (status != VGG_STATUS_OK)
    {
      release_plan (self);
      return status;
    }
  self->planned = true;
  return VGG_STATUS_OK;
}

/* ---- the exhaustive reference ---- */

static VggStatus
compute_exhaustive (VggOcclusion *self,
                    const float  *input,
                    int           k,
                    int           j0,
                    int           j1,
                    VggError     *error)
{
  const VggConfig *config = &self->model->config;
  int c_in = config->input_channels, h = config->input_height, w = config->input_width;
  size_t count = (size_t) c_in * h * w;
  int n_classes = config->n_classes;
  const float *logits;
  VggStatus status;

  for (int j = j0; j < self->batch + j0; j++)
    {
      float *image = self->batch_input + (size_t) (j - j0) * count;
      Rect patch;

      /* slots past the last job repeat the clean picture */
      memcpy (image, input, count * sizeof (float));
      if (j >= j1)
        continue;
      patch = job_patch (self, j);
      for (int c = 0; c < c_in; c++)
        for (int y = patch.y; y < patch.y + patch.height; y++)
          memset (image + ((size_t) c * h + y) * w + patch.x, 0,
                  (size_t) patch.width * sizeof (float));
    }
  status = vgg_run_forward (self->run, self->batch_input, error);
  if (status != VGG_STATUS_OK)
    return status;
  logits = vgg_run_logits (self->run);
  for (int j = j0; j < j1; j++)
    self->logits[j] = logits[(size_t) (j - j0) * n_classes + k];
  return VGG_STATUS_OK;
}

/* ---- the incremental pass ---- */

typedef struct
{
  VggOcclusion   *self;
  const VggLayer *layer;
  float          *out;        /* conv: the unfolded columns; pool: the changed matrix */
  size_t          ld;         /* its row stride */
  int             first;      /* the first slot of the tasks */
  int             n_chunks;   /* channel chunks per slot */
} LayerJob;

static void
unfold_task (void *context,
             int   task,
             int   thread)
{
  const LayerJob *job = context;
  const VggLayer *layer = job->layer;
  const Slot *slot = &job->self->slots[job->first + task / job->n_chunks];
  int c0 = task % job->n_chunks * CHANNELS_PER_TASK;
  int c1 = c0 + CHANNELS_PER_TASK < layer->channels_in ? c0 + CHANNELS_PER_TASK
                                                        : layer->channels_in;

  (void) thread;
  if (rect_area (&slot->out) == 0)
    return;
  vgg_im2col_patched (job->out + (size_t) c0 * 9 * job->ld + slot->group_col, job->ld,
                      &slot->in, c0, c1, layer->height_in, layer->width_in, slot->out.y,
                      slot->out.x, slot->out.height, slot->out.width);
}

static void
pool_task (void *context,
           int   task,
           int   thread)
{
  const LayerJob *job = context;
  const VggLayer *layer = job->layer;
  const Slot *slot = &job->self->slots[job->first + task / job->n_chunks];
  int c0 = task % job->n_chunks * CHANNELS_PER_TASK;
  int c1 = c0 + CHANNELS_PER_TASK < layer->channels_in ? c0 + CHANNELS_PER_TASK
                                                        : layer->channels_in;

  (void) thread;
  if (rect_area (&slot->out) == 0)
    return;
  vgg_maxpool2x2_patched (job->out + (size_t) c0 * job->ld + slot->out_col, job->ld, &slot->in,
                          c0, c1, layer->height_in, layer->width_in, slot->out.y, slot->out.x,
                          slot->out.height, slot->out.width);
}

static void
flatten_task (void *context,
              int   task,
              int   thread)
{
  const LayerJob *job = context;
  const VggLayer *layer = job->layer;
  int n = task / job->n_chunks;
  const Slot *slot = &job->self->slots[n];
  int c0 = task % job->n_chunks * CHANNELS_PER_TASK;
  int c1 = c0 + CHANNELS_PER_TASK < layer->channels_in ? c0 + CHANNELS_PER_TASK
                                                        : layer->channels_in;
  size_t plane = (size_t) layer->height_in * layer->width_in;

  (void) thread;
  vgg_patched_dense (job->out + (size_t) n * job->ld + (size_t) c0 * plane, &slot->in, c0, c1,
                     layer->height_in, layer->width_in);
}

typedef struct
{
  VggOcclusion   *self;
  const VggLayer *layer;
  int             y0, y1;
} DirectJob;

#define DIRECT_ROWS_PER_TASK 4

static void
direct_task (void *context,
             int   task,
             int   thread)
{
  const DirectJob *job = context;
  const VggLayer *layer = job->layer;
  const VggLayerWeights *weights = &job->self->model->weights[layer->index];
  int y0 = job->y0 + task * DIRECT_ROWS_PER_TASK;
  int y1 = y0 + DIRECT_ROWS_PER_TASK < job->y1 ? y0 + DIRECT_ROWS_PER_TASK : job->y1;

  (void) thread;
  job->self->simd->conv_direct_rows (job->self->direct_out, job->self->direct_in,
                                     weights->weight, weights->bias, layer->channels_in,
                                     layer->height_in, layer->width_in, layer->channels_out,
                                     y0, y1, true);
}

/* A first layer (few input channels) runs directly in the full pass (kernels/winograd.c):
 * here the same kernel computes the changed rows of each job over the whole width, so every
 * unit is the same sum in the same order as in the full pass, and the changed columns are
 * kept. The rows cost little: this layer has 27 multiplications per unit. */
static void
incremental_direct (VggOcclusion   *self,
                    const VggLayer *layer,
                    int             n,
                    float          *out,
                    size_t          ld)
{
  int h = layer->height_out, w = layer->width_out;

  for (int s = 0; s < n; s++)
    {
      const Slot *slot = &self->slots[s];
      DirectJob job = { self, layer, slot->out.y, slot->out.y + slot->out.height };

      if (rect_area (&slot->out) == 0)
        continue;
      vgg_patched_dense (self->direct_in, &slot->in, 0, layer->channels_in, h, w);
      vgg_parallel_for ((slot->out.height + DIRECT_ROWS_PER_TASK - 1) / DIRECT_ROWS_PER_TASK,
                        direct_task, &job);
      for (int o = 0; o < layer->channels_out; o++)
        for (int y = 0; y < slot->out.height; y++)
          memcpy (out + (size_t) o * ld + slot->out_col + (size_t) y * slot->out.width,
                  self->direct_out + ((size_t) o * h + slot->out.y + y) * w + slot->out.x,
                  (size_t) slot->out.width * sizeof (float));
    }
}

/* One convolution over the changed units of @n jobs: bias, then in groups of jobs whose
 * unfolded columns fit the column buffer, unfolding and sgemm (as vgg_conv3x3_im2col() does
 * it for bands of rows), then the ReLU over all. */
static void
incremental_conv (VggOcclusion   *self,
                  const VggLayer *layer,
                  int             n,
                  float          *out,
                  size_t          ld)
{
  const VggLayerWeights *weights = &self->model->weights[layer->index];
  int k = 9 * layer->channels_in;
  int n_chunks = (layer->channels_in + CHANNELS_PER_TASK - 1) / CHANNELS_PER_TASK;

  for (int o = 0; o < layer->channels_out; o++)
    {
      float *row = out + (size_t) o * ld;
      float b = weights->bias != NULL ? weights->bias[o] : 0.0f;

      for (size_t i = 0; i < ld; i++)
        row[i] = b;
    }

  for (int first = 0; first < n;)
    {
      size_t columns = 0;
      int last = first;

      /* as many jobs as the column buffer holds, at least one */
      while (last < n)
        {
          size_t area = rect_area (&self->slots[last].out);

          if (last > first && (columns + area) * (size_t) k > self->col_count)
            break;
          self->slots[last].group_col = columns;
          columns += area;
          last++;
        }
      if (columns > 0)
        {
          LayerJob job = { self, layer, self->col, columns, first, n_chunks };

          vgg_parallel_for ((last - first) * n_chunks, unfold_task, &job);
          vgg_sgemm_threaded (false, false, layer->channels_out, (int) columns, k, 1.0f,
                              weights->weight, k, self->col, (int) columns, 1.0f,
                              out + self->slots[first].out_col, (int) ld);
        }
      first = last;
    }
  vgg_relu (out, (size_t) layer->channels_out * ld);
}

static VggStatus
compute_incremental (VggOcclusion *self,
                     const float  *input,
                     int           k,
                     int           j0,
                     int           j1,
                     VggError     *error)
{
  const VggModel *model = self->model;
  int n = j1 - j0;
  int current = 0;
  const float *fc_in;
  size_t ld = (size_t) self->patch * self->patch;

  /* the input layer: the patch's zeros over the input; slots past the last job (in the last
   * batch) hold the clean picture, so the classifier always runs at the full batch, like the
   * exhaustive run, and its products are the same for a job whichever batch it falls in */
  for (int s = 0; s < self->batch; s++)
    {
      Rect patch = s < n ? job_patch (self, j0 + s) : (Rect) { 0, 0, 0, 0 };

      self->slots[s].in = (VggPatched) { input, self->zeros, ld, patch.x, patch.y, patch.width,
                                         patch.height };
    }

  for (int i = 0; i < self->n_spatial; i++)
    {
      const VggLayer *layer = &model->layers[i];
      float *out = self->changed[current];
      size_t columns = 0;

      if (cancelled (self))
        return vgg_error_set (error, VGG_STATUS_CANCELLED, "cancelled before %s", layer->name);
      for (int s = 0; s < self->batch; s++)
        {
          self->slots[s].out = s < n ? self->rects[(size_t) (j0 + s) * self->n_spatial + i]
                                     : (Rect) { 0, 0, 0, 0 };
          self->slots[s].out_col = columns;
          columns += rect_area (&self->slots[s].out);
        }
      if (columns > 0)
        {
          if (layer->kind == VGG_LAYER_CONV && layer->channels_in <= VGG_CONV_DIRECT_MAX_C_IN)
            incremental_direct (self, layer, n, out, columns);
          else if (layer->kind == VGG_LAYER_CONV)
            incremental_conv (self, layer, n, out, columns);
          else
            {
              int n_chunks = (layer->channels_in + CHANNELS_PER_TASK - 1) / CHANNELS_PER_TASK;
              LayerJob job = { self, layer, out, columns, 0, n_chunks };

              vgg_parallel_for (n * n_chunks, pool_task, &job);
            }
        }
      /* this layer's output is the next one's input */
      for (int s = 0; s < self->batch; s++)
        {
          Slot *slot = &self->slots[s];

          slot->in = (VggPatched) { self->clean[i], out + slot->out_col, columns, slot->out.x,
                                    slot->out.y, slot->out.width, slot->out.height };
        }
      current ^= 1;
    }

  /* the classifier: dense inputs per job, then the FC layers at batch n */
  fc_in = NULL;
  current = 0;
  for (int i = self->n_spatial; i < model->n_layers; i++)
    {
      const VggLayer *layer = &model->layers[i];
      size_t n_in = (size_t) layer->channels_in * layer->height_in * layer->width_in;
      float *out = self->fc[current];

      if (layer->kind != VGG_LAYER_FC)
        continue;
      if (cancelled (self))
        return vgg_error_set (error, VGG_STATUS_CANCELLED, "cancelled before %s", layer->name);
      if (fc_in == NULL)
        {
          int n_chunks = (layer->channels_in + CHANNELS_PER_TASK - 1) / CHANNELS_PER_TASK;
          float *dense = self->fc[current ^ 1];
          LayerJob job = { self, layer, dense, n_in, 0, n_chunks };

          if (self->n_spatial == 0)
            return vgg_error_set (error, VGG_STATUS_UNSUPPORTED,
                                  "occlusion: the model has no convolution");
          vgg_parallel_for (self->batch * n_chunks, flatten_task, &job);
          fc_in = dense;
        }
      vgg_linear_threaded (out, fc_in, model->weights[i].weight, model->weights[i].bias,
                           self->batch, (int) n_in, layer->channels_out);
      if (layer->relu)
        vgg_relu (out, (size_t) self->batch * layer->channels_out);
      else
        for (int s = 0; s < n; s++)
          self->logits[j0 + s] = out[(size_t) s * layer->channels_out + k];
      fc_in = out;
      current ^= 1;
    }
  return VGG_STATUS_OK;
}

/* the clean pass's hook: keeps every conv and pool output, stops when cancelled */
static bool
clean_hook (const VggHookEvent *event,
            void               *user_data)
{
  VggOcclusion *self = user_data;

  if (event->stage == VGG_STAGE_OUTPUT && event->layer_index < self->n_spatial)
    memcpy (self->clean[event->layer_index], event->data, event->count * sizeof (float));
  return !cancelled (self);
}

VggStatus
vgg_occlusion_compute (VggOcclusion              *occlusion,
                       const float               *input,
                       const VggOcclusionOptions *options,
                       float                     *map,
                       VggError                  *error)
{
  VggOcclusion *self = occlusion;
  VggStatus status;
  int n_positions;

  if (self == NULL || input == NULL || map == NULL)
    return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT,
                          "occlusion: no occlusion object, input or map");
  status = check_options (self->model, options, error);
  if (status != VGG_STATUS_OK)
    return status;
  /* a request left from before this computation is dropped */
  atomic_store (&self->cancel_requested, false);
  vgg_get_threads ();

  status = plan (self, options, error);
  if (status != VGG_STATUS_OK)
    return status;
  n_positions = self->n_y * self->n_x;
  for (int p = 0; p < n_positions; p++)
    map[p] = NAN;

  if (!self->exhaustive)
    {
      vgg_run_set_hook (self->clean_run, clean_hook, self);
      vgg_run_watch (self->clean_run, -1, VGG_STAGE_OUTPUT);
      status = vgg_run_forward (self->clean_run, input, error);
      if (status == VGG_STATUS_STOPPED)
        status = vgg_error_set (error, VGG_STATUS_CANCELLED, "occlusion cancelled");
      if (status != VGG_STATUS_OK)
        return status;
    }

  for (int j0 = 0; j0 < self->n_jobs; j0 += self->batch)
    {
      int j1 = j0 + self->batch < self->n_jobs ? j0 + self->batch : self->n_jobs;

      if (cancelled (self))
        return vgg_error_set (error, VGG_STATUS_CANCELLED, "occlusion cancelled");
      if (self->exhaustive)
        status = compute_exhaustive (self, input, options->class_index, j0, j1, error);
      else
        status = compute_incremental (self, input, options->class_index, j0, j1, error);
      if (status == VGG_STATUS_STOPPED)
        status = vgg_error_set (error, VGG_STATUS_CANCELLED, "occlusion cancelled");
      if (status != VGG_STATUS_OK)
        return status;
      for (int j = j0 > 0 ? j0 : 1; j < j1; j++)
        map[j - 1] = self->logits[0] - self->logits[j];
      if (options->progress != NULL)
        options->progress (j1 - 1, n_positions, map, options->user_data);
    }
  return VGG_STATUS_OK;
}
