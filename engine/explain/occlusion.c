/* occlusion.c — occlusion maps: the API, the object, its planned memory and the batches
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * How the map is computed is in occlusion-private.h: the clean picture first (its activations
 * kept in the incremental mode), then the occluded ones in batches, through the same pass.
 */
#include "config.h"

#include "engine-private.h"
#include "occlusion-private.h"
#include "threads.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* the default batch: the largest up to this whose buffers stay within the budget */
#define DEFAULT_BATCH 16
#define MEMORY_BYTES ((size_t) 192 << 20)
#define MAX_BATCH 4096

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
  free (self->rects);
  free (self->clean);
  free (self->clean_block);
  free (self->zeros);
  free (self->changed[0]);
  free (self->changed[1]);
  free (self->col);
  free (self->fc[0]);
  free (self->fc[1]);
  free (self->slots);
  free (self->pieces);
  free (self->gemm_scratch);
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

bool
occlusion_cancelled (VggOcclusion *self)
{
  return atomic_load (&self->cancel_requested);
}

/* ---- planning ---- */

/* Makes the memory for @options' shape, unless it is already there. */
static VggStatus
plan (VggOcclusion              *self,
      const VggOcclusionOptions *options,
      VggError                  *error)
{
  const VggModel *model = self->model;
  const VggConfig *config = &model->config;
  OcclusionSizes sizes = { 0, 0, 0, 0 };
  size_t clean_total = 0, total;
  int batch = options->batch;

  if (self->planned && self->exhaustive == options->exhaustive && self->patch == options->patch
      && self->stride == options->stride && self->requested_batch == options->batch)
    return VGG_STATUS_OK;
  release_plan (self);
  self->exhaustive = options->exhaustive;
  self->patch = options->patch;
  self->stride = options->stride;
  self->requested_batch = options->batch;
  vgg_occlusion_map_size (model, self->patch, self->stride, &self->n_y, &self->n_x, NULL);
  self->n_jobs = self->n_y * self->n_x + 1;
  self->n_spatial = occlusion_spatial_layers (model);
  self->rects = calloc ((size_t) self->n_jobs * self->n_spatial + 1, sizeof *self->rects);
  if (self->rects == NULL)
    goto no_memory;
  occlusion_fill_rects (self);

  if (batch == 0)
    {
      /* the largest default whose buffers fit the budget */
      batch = DEFAULT_BATCH < self->n_jobs - 1 ? DEFAULT_BATCH : self->n_jobs - 1;
      while (batch > 1)
        {
          sizes = occlusion_sizes (self, batch);
          if ((2 * sizes.changed + sizes.col + 2 * sizes.fc) * sizeof (float) <= MEMORY_BYTES)
            break;
          batch /= 2;
        }
    }
  self->batch = batch;
  sizes = occlusion_sizes (self, batch);

  if (!self->exhaustive)
    {
      /* the clean picture's activations, read wherever a job changed nothing */
      self->clean = calloc ((size_t) self->n_spatial + 1, sizeof *self->clean);
      for (int i = 0; i < self->n_spatial; i++)
        clean_total += (size_t) model->layers[i].channels_out * model->layers[i].height_out
                       * model->layers[i].width_out;
      self->clean_block = malloc ((clean_total + 1) * sizeof (float));
      if (self->clean == NULL || self->clean_block == NULL)
        goto no_memory;
      for (size_t i = 0, offset = 0; i < (size_t) self->n_spatial; i++)
        {
          self->clean[i] = self->clean_block + offset;
          offset += (size_t) model->layers[i].channels_out * model->layers[i].height_out
                    * model->layers[i].width_out;
        }
    }
  self->simd = vgg_simd_kernels_best (NULL);
  self->gemm_threads = vgg_parallel_threads ();
  self->gemm_scratch = aligned_alloc (64, (vgg_gemm_ordered_scratch (self->simd,
                                                                     self->gemm_threads)
                                           * sizeof (float) + 63) / 64 * 64);
  self->zeros = calloc ((size_t) config->input_channels * self->patch * self->patch,
                        sizeof (float));
  self->changed[0] = malloc ((sizes.changed + 1) * sizeof (float));
  self->changed[1] = malloc ((sizes.changed + 1) * sizeof (float));
  self->col_count = sizes.col;
  self->col = malloc ((sizes.col + 1) * sizeof (float));
  self->fc[0] = malloc ((sizes.fc + 1) * sizeof (float));
  self->fc[1] = malloc ((sizes.fc + 1) * sizeof (float));
  self->slots = calloc ((size_t) batch, sizeof *self->slots);
  self->pieces_count = sizes.pieces;
  self->pieces = calloc (sizes.pieces + 1, sizeof *self->pieces);
  self->logits = malloc ((size_t) self->n_jobs * sizeof (float));
  if (self->gemm_scratch == NULL || self->zeros == NULL || self->changed[0] == NULL
      || self->changed[1] == NULL || self->col == NULL || self->fc[0] == NULL
      || self->fc[1] == NULL || self->slots == NULL || self->pieces == NULL
      || self->logits == NULL)
    goto no_memory;
  self->planned = true;
  return VGG_STATUS_OK;

no_memory:
  total = (2 * sizes.changed + sizes.col + 2 * sizes.fc + clean_total) * sizeof (float);
  release_plan (self);
  return vgg_error_set (error, VGG_STATUS_NO_MEMORY,
                        "out of memory: occlusion at batch %d needs %zu MiB", batch,
                        total >> 20);
}

/* ---- the computation ---- */

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

  /* the clean picture alone, its activations kept in the incremental mode */
  status = occlusion_pass (self, input, options->class_index, 0, 1, !self->exhaustive, error);
  if (status != VGG_STATUS_OK)
    return status;
  for (int j0 = 1; j0 < self->n_jobs; j0 += self->batch)
    {
      int j1 = j0 + self->batch < self->n_jobs ? j0 + self->batch : self->n_jobs;

      if (occlusion_cancelled (self))
        return vgg_error_set (error, VGG_STATUS_CANCELLED, "occlusion cancelled");
      status = occlusion_pass (self, input, options->class_index, j0, j1, false, error);
      if (status != VGG_STATUS_OK)
        return status;
      for (int j = j0; j < j1; j++)
        map[j - 1] = self->logits[0] - self->logits[j];
      if (options->progress != NULL)
        options->progress (j1 - 1, n_positions, map, options->user_data);
    }
  return VGG_STATUS_OK;
}
