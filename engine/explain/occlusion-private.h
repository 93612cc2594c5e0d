/* occlusion-private.h — the occlusion object's parts shared by its files (internal)
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Jobs: job 0 is the clean picture, job j ≥ 1 the picture occluded at position j − 1
 * (row-major over the map). Every job runs through the same pass (occlusion-pass.c) over
 * per-layer rectangles of output units: the whole layer for the clean picture and, in the
 * exhaustive reference, for every picture; only the units whose receptive field meets the
 * patch in the incremental mode (occlusion-geometry.c), the others read from the clean
 * picture's activations. The pass computes every unit with the ordered GEMM
 * (VggSimdKernels.gemm_ordered), whose result for a unit does not depend on which other units
 * are computed with it, so the two modes give the same map bit for bit.
 *
 *   occlusion.c           the API: options, the object, planned memory, the batches
 *   occlusion-geometry.c  which units each job changes, and the buffers a batch needs
 *   occlusion-pass.c      one batch of jobs through the convolutions, pools and classifier
 */
#pragma once

#include "kernels.h"
#include "model-private.h"
#include "vgg-occlusion.h"
#include "winograd.h"

#include <stdatomic.h>
#include <stddef.h>

/* one unfolding of several jobs' columns stays near this many floats (16 MiB) */
#define OCCLUSION_COL_FLOATS ((size_t) 4 << 20)

/* One job of a batch at the current layer: where its changed units live. */
typedef struct
{
  VggPatched in;        /* the layer's input */
  VggRect    out;       /* the layer's changed output units */
  size_t     out_col;   /* their first column in the output matrix */
} OcclusionSlot;

/* Rows [y0, y0 + rows) of a slot's changed output rectangle: the unit of unfolding. */
typedef struct
{
  int    slot;
  int    y0, rows;      /* relative to the slot's rectangle */
  size_t group_col;     /* its first column in the unfolded matrix of its group */
} OcclusionPiece;

/* What a batch of jobs needs at most, over every batch and layer. */
typedef struct
{
  size_t changed;   /* floats of one matrix of changed units */
  size_t col;       /* floats of the unfolded columns */
  size_t fc;        /* floats of one classifier buffer */
  size_t pieces;    /* pieces of one layer */
} OcclusionSizes;

struct VggOcclusion
{
  const VggModel *model;
  atomic_bool     cancel_requested;

  /* everything below is the plan: occlusion_release_plan() clears it */
  bool            planned;
  bool            exhaustive;
  int             patch, stride, batch, n_y, n_x, n_jobs;
  int             requested_batch;  /* options.batch: 0 for the default */
  int             n_spatial;        /* conv and pool layers: 0 … n_spatial − 1 */

  VggRect        *rects;            /* [n_jobs][n_spatial]: each job's changed outputs */
  float         **clean;            /* incremental: per layer, the clean output */
  float          *clean_block;
  float          *zeros;            /* the patch: [C_in, P·P] zeros */
  float          *changed[2];       /* ping-pong matrices of changed units */
  float          *col;              /* unfolded columns */
  size_t          col_count;
  float          *fc[2];            /* classifier buffers: [features, batch] */
  OcclusionSlot  *slots;            /* [batch] */
  OcclusionPiece *pieces;
  size_t          pieces_count;
  const VggSimdKernels *simd;
  float          *gemm_scratch;     /* vgg_gemm_ordered_threaded()'s, for gemm_threads */
  int             gemm_threads;

  float          *logits;           /* [n_jobs]: logit k of each job */
};

/* occlusion.c */
bool           occlusion_cancelled (VggOcclusion *self);

/* occlusion-geometry.c */
int            occlusion_spatial_layers (const VggModel *model);
/* the patch of @job in input pixels (empty for job 0) */
VggRect        occlusion_job_patch (const VggOcclusion *self, int job);
/* the outputs of @layer that change when its inputs in @in do */
VggRect        occlusion_propagate (const VggLayer *layer, VggRect in);
/* fills self->rects: whole layers for job 0 and (exhaustive) every job, else what each
 * patch changes */
void           occlusion_fill_rects (VggOcclusion *self);
/* the buffers of a batch of @batch jobs (job 0 runs alone, then batches from job 1) */
OcclusionSizes occlusion_sizes (const VggOcclusion *self, int batch);

/* occlusion-pass.c */
/* Jobs [j0, j1) (at most self->batch) through the network on their rectangles; logit @k of
 * each into self->logits. With @keep, each layer's output of job j0 (whole layers only) is
 * copied into self->clean. VGG_STATUS_CANCELLED when asked to stop. */
VggStatus      occlusion_pass (VggOcclusion *self, const float *input, int k, int j0, int j1,
                               bool keep, VggError *error);
