/* occlusion-pass.c — occlusion maps: one batch of pictures through the network, each layer
 *                    computed only on each picture's rectangle of changed units
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A batch keeps, per layer, one matrix [channels, Σ areas] of the changed units, each job in
 * its own columns; the next layer reads a job's input as the clean activations with those
 * columns over them (VggPatched, kernels.h). A convolution unfolds the changed units in
 * pieces of rows (vgg_im2col_patched()) and multiplies them with the ordered GEMM; a pool
 * reads its windows the same way. The classifier gets each job's dense pool output as one
 * column of [features, jobs] and runs the ordered GEMM too, the logit layer for class k
 * alone. Every unit and every logit is therefore the same chain of multiply-adds whatever
 * rectangle, batch or group of columns it is computed in: the exhaustive reference (whole
 * layers for every job) and the incremental mode agree bit for bit.
 */
#include "config.h"

#include "occlusion-private.h"
#include "threads.h"

#include <string.h>

/* channels per task when unfolding, pooling and flattening */
#define CHANNELS_PER_TASK 16

static size_t
rect_area (VggRect rect)
{
  return (size_t) rect.width * (size_t) rect.height;
}

typedef struct
{
  VggOcclusion   *self;
  const VggLayer *layer;
  float          *out;        /* unfold: the columns; pool: the changed matrix; flatten:
                                 the dense rows */
  size_t          ld;         /* its row stride */
  int             first;      /* unfold: the group's first piece */
  int             n_chunks;   /* channel chunks per piece or slot */
} LayerJob;

static int
chunk_end (const VggLayer *layer,
           int             c0)
{
  return c0 + CHANNELS_PER_TASK < layer->channels_in ? c0 + CHANNELS_PER_TASK
                                                      : layer->channels_in;
}

static void
unfold_task (void *context,
             int   task,
             int   thread)
{
  const LayerJob *job = context;
  const VggLayer *layer = job->layer;
  const OcclusionPiece *piece = &job->self->pieces[job->first + task / job->n_chunks];
  const OcclusionSlot *slot = &job->self->slots[piece->slot];
  int c0 = task % job->n_chunks * CHANNELS_PER_TASK;

  (void) thread;
  vgg_im2col_patched (job->out + (size_t) c0 * 9 * job->ld + piece->group_col, job->ld,
                      &slot->in, c0, chunk_end (layer, c0), layer->height_in, layer->width_in,
                      slot->out.y + piece->y0, slot->out.x, piece->rows, slot->out.width);
}

static void
pool_task (void *context,
           int   task,
           int   thread)
{
  const LayerJob *job = context;
  const VggLayer *layer = job->layer;
  const OcclusionSlot *slot = &job->self->slots[task / job->n_chunks];
  int c0 = task % job->n_chunks * CHANNELS_PER_TASK;

  (void) thread;
  if (rect_area (slot->out) == 0)
    return;
  vgg_maxpool2x2_patched (job->out + (size_t) c0 * job->ld + slot->out_col, job->ld, &slot->in,
                          c0, chunk_end (layer, c0), layer->height_in, layer->width_in,
                          slot->out.y, slot->out.x, slot->out.height, slot->out.width);
}

static void
flatten_task (void *context,
              int   task,
              int   thread)
{
  const LayerJob *job = context;
  const VggLayer *layer = job->layer;
  int n = task / job->n_chunks;
  int c0 = task % job->n_chunks * CHANNELS_PER_TASK;
  size_t plane = (size_t) layer->height_in * layer->width_in;

  (void) thread;
  vgg_patched_dense (job->out + (size_t) n * job->ld + (size_t) c0 * plane,
                     &job->self->slots[n].in, c0, chunk_end (layer, c0), layer->height_in,
                     layer->width_in);
}

/* c [m][ldc] += a [m][k] · b [k][ldb] over n columns, ordered */
static void
product (VggOcclusion *self,
         float        *c,
         size_t        ldc,
         const float  *a,
         const float  *b,
         size_t        ldb,
         int           m,
         int           n,
         int           k)
{
  vgg_gemm_ordered_threaded (self->simd, c, ldc, a, (size_t) k, b, ldb, m, n, k,
                             self->gemm_scratch, self->gemm_threads);
}

/* One convolution over the changed units of @n jobs (@ld columns in all): bias, then per group
 * of pieces whose unfolded columns fit the column buffer, unfolding and the ordered product,
 * then the ReLU over all. */
static void
pass_conv (VggOcclusion   *self,
           const VggLayer *layer,
           int             n,
           float          *out,
           size_t          ld)
{
  const VggLayerWeights *weights = &self->model->weights[layer->index];
  int k = 9 * layer->channels_in;
  int n_chunks = (layer->channels_in + CHANNELS_PER_TASK - 1) / CHANNELS_PER_TASK;
  int n_pieces = 0;

  for (int o = 0; o < layer->channels_out; o++)
    {
      float *row = out + (size_t) o * ld;
      float b = weights->bias != NULL ? weights->bias[o] : 0.0f;

      for (size_t i = 0; i < ld; i++)
        row[i] = b;
    }

  /* each job's rectangle in pieces of as many rows as one unfolding holds */
  for (int s = 0; s < n; s++)
    {
      const VggRect *rect = &self->slots[s].out;
      size_t row = (size_t) k * (size_t) rect->width;
      int band = rect->width > 0 ? (int) (self->col_count / row) : 1;

      band = band < 1 ? 1 : band;
      for (int y0 = 0; y0 < rect->height; y0 += band)
        self->pieces[n_pieces++] = (OcclusionPiece) {
          s, y0, y0 + band < rect->height ? band : rect->height - y0, 0 };
    }

  /* pieces follow each other in the output's columns: a group is one range of them */
  for (int first = 0; first < n_pieces;)
    {
      const OcclusionPiece *start = &self->pieces[first];
      size_t out_col = self->slots[start->slot].out_col
                       + (size_t) start->y0 * self->slots[start->slot].out.width;
      size_t columns = 0;
      int last = first;

      while (last < n_pieces)
        {
          OcclusionPiece *piece = &self->pieces[last];
          size_t area = (size_t) piece->rows * self->slots[piece->slot].out.width;

          if (last > first && (columns + area) * (size_t) k > self->col_count)
            break;
          piece->group_col = columns;
          columns += area;
          last++;
        }
      if (columns > 0)
        {
          LayerJob job = { self, layer, self->col, columns, first, n_chunks };

          vgg_parallel_for ((last - first) * n_chunks, unfold_task, &job);
          product (self, out + out_col, ld, weights->weight, self->col, columns,
                   layer->channels_out, (int) columns, k);
        }
      first = last;
    }
  vgg_relu (out, (size_t) layer->channels_out * ld);
}

/* The classifier for @n jobs whose last pool output is in the slots: logit @k of each. */
static VggStatus
pass_classifier (VggOcclusion *self,
                 int           n,
                 int           k,
                 int           j0,
                 VggError     *error)
{
  const VggModel *model = self->model;
  const float *in = NULL;
  int current = 0;

  for (int i = self->n_spatial; i < model->n_layers; i++)
    {
      const VggLayer *layer = &model->layers[i];
      const VggLayerWeights *weights = &model->weights[i];
      int n_in = layer->channels_in * layer->height_in * layer->width_in;
      bool logits = !layer->relu;
      int rows = logits ? 1 : layer->channels_out;
      float *out = self->fc[current];

      if (layer->kind != VGG_LAYER_FC)
        continue;
      if (occlusion_cancelled (self))
        return vgg_error_set (error, VGG_STATUS_CANCELLED, "cancelled before %s", layer->name);
      if (in == NULL)
        {
          /* each job's dense input as a row, then as a column of [n_in, n] */
          int n_chunks = (layer->channels_in + CHANNELS_PER_TASK - 1) / CHANNELS_PER_TASK;
          float *dense = self->fc[current];
          float *columns = self->fc[current ^ 1];
          LayerJob job = { self, layer, dense, (size_t) n_in, 0, n_chunks };

          if (self->n_spatial == 0)
            return vgg_error_set (error, VGG_STATUS_UNSUPPORTED,
                                  "occlusion: the model has no convolution");
          vgg_parallel_for (n * n_chunks, flatten_task, &job);
          for (int s = 0; s < n; s++)
            for (int f = 0; f < n_in; f++)
              columns[(size_t) f * n + s] = dense[(size_t) s * n_in + f];
          in = columns;
        }
      /* the logit layer: class k's row alone */
      for (int o = 0; o < rows; o++)
        {
          int unit = logits ? k : o;
          float b = weights->bias != NULL ? weights->bias[unit] : 0.0f;

          for (int s = 0; s < n; s++)
            out[(size_t) o * n + s] = b;
        }
      product (self, out, (size_t) n, weights->weight + (size_t) (logits ? k : 0) * n_in, in,
               (size_t) n, rows, n, n_in);
      if (logits)
        {
          for (int s = 0; s < n; s++)
            self->logits[j0 + s] = out[s];
          return VGG_STATUS_OK;
        }
      vgg_relu (out, (size_t) rows * n);
      in = out;
      current ^= 1;
    }
  return vgg_error_set (error, VGG_STATUS_UNSUPPORTED,
                        "occlusion: the model has no logit layer");
}

VggStatus
occlusion_pass (VggOcclusion *self,
                const float  *input,
                int           k,
                int           j0,
                int           j1,
                bool          keep,
                VggError     *error)
{
  const VggModel *model = self->model;
  int n = j1 - j0;
  int current = 0;
  size_t ld = (size_t) self->patch * self->patch;

  /* the input layer: the patch's zeros over the picture */
  for (int s = 0; s < n; s++)
    {
      VggRect patch = occlusion_job_patch (self, j0 + s);

      self->slots[s].in = (VggPatched) { input, self->zeros, ld, patch.x, patch.y, patch.width,
                                         patch.height };
    }

  for (int i = 0; i < self->n_spatial; i++)
    {
      const VggLayer *layer = &model->layers[i];
      float *out = self->changed[current];
      size_t columns = 0;

      if (occlusion_cancelled (self))
        return vgg_error_set (error, VGG_STATUS_CANCELLED, "cancelled before %s", layer->name);
      for (int s = 0; s < n; s++)
        {
          self->slots[s].out = self->rects[(size_t) (j0 + s) * self->n_spatial + i];
          self->slots[s].out_col = columns;
          columns += rect_area (self->slots[s].out);
        }
      if (columns > 0 && layer->kind == VGG_LAYER_CONV)
        pass_conv (self, layer, n, out, columns);
      else if (columns > 0)
        {
          int n_chunks = (layer->channels_in + CHANNELS_PER_TASK - 1) / CHANNELS_PER_TASK;
          LayerJob job = { self, layer, out, columns, 0, n_chunks };

          vgg_parallel_for (n * n_chunks, pool_task, &job);
        }
      if (keep)
        memcpy (self->clean[i], out, rect_area (self->slots[0].out)
                                     * (size_t) layer->channels_out * sizeof (float));
      /* this layer's output is the next one's input: the clean output with the changed
       * units over it (whole layers need no clean output: it is never read) */
      for (int s = 0; s < n; s++)
        {
          OcclusionSlot *slot = &self->slots[s];
          const float *data = out + slot->out_col;
          const float *base = self->clean != NULL && !keep ? self->clean[i] : data;

          slot->in = (VggPatched) { base, data, columns, slot->out.x, slot->out.y,
                                    slot->out.width, slot->out.height };
        }
      current ^= 1;
    }
  return pass_classifier (self, n, k, j0, error);
}
