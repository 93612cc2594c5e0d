/* explainer.c — the explainer's one backward engine: planning, a forward pass that keeps
 *                ReLU masks and pool winners, and a backward pass with a ReLU rule
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The backward of a 3×3/1 "same" convolution with respect to its input is the same kind of
 * convolution of the output gradient with weight_back[c][o][ky][kx] = weight[o][c][2−ky][2−kx],
 * so both directions run on the forward's kernels (Winograd, im2col, sgemm); their
 * transformed kernels are made once here.
 */
#include "config.h"

#include "explain-private.h"
#include "engine-private.h"
#include "kernels.h"
#include "threads.h"

#include <cblas.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define CONV_MEMORY_MIB_DEFAULT 120
/* saved state per pass when max_batch is chosen automatically */
#define AUTO_BATCH_BYTES ((size_t) 96 << 20)
#define AUTO_BATCH_MAX 8

static size_t
round_up_64 (size_t count)
{
  return (count + 15) & ~(size_t) 15;
}

static size_t
layer_count (const VggLayer *layer)
{
  return (size_t) layer->channels_out * layer->height_out * layer->width_out;
}

static void *
explain_alloc (VggExplainer *explainer,
               size_t        bytes)
{
  void *memory;
  void **blocks = realloc (explainer->blocks, sizeof *blocks * (size_t) (explainer->n_blocks + 1));
  size_t *sizes;

  if (blocks == NULL)
    return NULL;
  explainer->blocks = blocks;
  sizes = realloc (explainer->block_sizes, sizeof *sizes * (size_t) (explainer->n_blocks + 1));
  if (sizes == NULL)
    return NULL;
  explainer->block_sizes = sizes;
  memory = vgg_alloc_big (bytes > 0 ? bytes : 64);
  if (memory == NULL)
    return NULL;
  explainer->blocks[explainer->n_blocks] = memory;
  explainer->block_sizes[explainer->n_blocks++] = bytes > 0 ? bytes : 64;
  return memory;
}

void
vgg_explainer_free (VggExplainer *explainer)
{
  if (explainer == NULL)
    return;
  for (int i = 0; i < explainer->n_blocks; i++)
    vgg_free_big (explainer->blocks[i], explainer->block_sizes[i]);
  free (explainer->blocks);
  free (explainer->block_sizes);
  free (explainer->ex);
  free (explainer);
}

/* splitmix64 and Box–Muller, as vgg-explain.h documents */
static uint64_t
random_next (uint64_t *state)
{
  uint64_t z = (*state += 0x9e3779b97f4a7c15ull);

  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

float
vgg_explain_random_normal (uint64_t *state)
{
  double u1 = ((double) (random_next (state) >> 11) + 0.5) * 0x1.0p-53;
  double u2 = (double) (random_next (state) >> 11) * 0x1.0p-53;

  return (float) (sqrt (-2.0 * log (u1)) * cos (2.0 * M_PI * u2));
}

/* The sanity check: torchvision's VGG initialisation for layers [from, n). */
static VggStatus
randomize_weights (VggExplainer              *explainer,
                   const VggExplainerOptions *options,
                   VggError                  *error)
{
  size_t total = 0;
  uint64_t state = options->randomize_seed;
  float *p;

  if (options->randomize_from < 0 || options->randomize_from >= explainer->n_layers)
    return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT,
                          "layer %d does not exist (the model has %d layers)",
                          options->randomize_from, explainer->n_layers);
  for (int i = options->randomize_from; i < explainer->n_layers; i++)
    {
      const VggLayer *layer = &explainer->layers[i];
      if (layer->kind == VGG_LAYER_CONV || layer->kind == VGG_LAYER_FC)
        total += (size_t) layer->channels_out
                 * ((size_t) layer->channels_in * (layer->kind == VGG_LAYER_CONV ? 9
                    : (size_t) layer->height_in * layer->width_in) + 1);
    }
  if (total == 0)
    return VGG_STATUS_OK;
  p = explain_alloc (explainer, total * sizeof (float));
  if (p == NULL)
    return vgg_error_set (error, VGG_STATUS_NO_MEMORY, "out of memory for random weights");
  for (int i = options->randomize_from; i < explainer->n_layers; i++)
    {
      const VggLayer *layer = &explainer->layers[i];
      size_t n;
      float std;

      if (layer->kind == VGG_LAYER_CONV)
        {
          n = (size_t) layer->channels_out * layer->channels_in * 9;
          std = sqrtf (2.0f / (9.0f * (float) layer->channels_out));
        }
      else if (layer->kind == VGG_LAYER_FC)
        {
          n = (size_t) layer->channels_out * layer->channels_in * layer->height_in
              * layer->width_in;
          std = 0.01f;
        }
      else
        continue;
      explainer->ex[i].weight = p;
      for (size_t k = 0; k < n; k++)
        p[k] = std * vgg_explain_random_normal (&state);
      p += n;
      explainer->ex[i].bias = p;
      memset (p, 0, sizeof (float) * (size_t) layer->channels_out);
      p += layer->channels_out;
    }
  return VGG_STATUS_OK;
}

/* Winograd tiles per layer and direction: F(4×4) on large maps, F(2×2) on small ones; over
 * the budget, the layers with the most weights fall back to im2col. */
static void
choose_tiles (VggExplainer *explainer,
              double        budget_mib,
              bool          backward)
{
  double budget = (budget_mib > 0.0 ? budget_mib : CONV_MEMORY_MIB_DEFAULT) * 1048576.0;

  for (;;)
    {
      double used = 0.0, largest = 0.0;
      int worst = -1;

      for (int i = 0; i < explainer->n_layers; i++)
        {
          const VggLayer *layer = &explainer->layers[i];
          int tile = backward ? explainer->ex[i].tile_backward : explainer->ex[i].tile_forward;
          int k = backward ? layer->channels_in : layer->channels_out;
          int c = backward ? layer->channels_out : layer->channels_in;
          double bytes;

          if (layer->kind != VGG_LAYER_CONV || tile <= 0)
            continue;
          bytes = (double) (tile + 2) * (tile + 2) * ((k + 7) / 8 * 8) * c * sizeof (float);
          used += bytes;
          if (bytes > largest && k > VGG_CONV_DIRECT_MAX_C_IN)
            largest = bytes, worst = i;
        }
      if (used <= budget || worst < 0)
        break;
      if (backward)
        explainer->ex[worst].tile_backward = 0;
      else
        explainer->ex[worst].tile_forward = 0;
    }
}

static size_t
auto_batch (const VggExplainer *explainer)
{
  size_t per_input = 2 * explainer->max_count * sizeof (float);

  for (int i = 0; i < explainer->n_layers; i++)
    {
      const VggLayer *layer = &explainer->layers[i];
      if (layer->relu || layer->kind == VGG_LAYER_POOL)
        per_input += layer_count (layer);
    }
  return per_input > 0 ? AUTO_BATCH_BYTES / per_input : 1;
}

VggStatus
vgg_explainer_new (VggExplainer              **explainer_out,
                   const VggModel             *model,
                   const VggExplainerOptions  *options,
                   VggError                   *error)
{
  static const VggExplainerOptions defaults = { 0 };
  VggExplainer *e;
  const VggConfig *config;
  size_t scratch = 1, buffer_count;
  VggStatus status;

  if (explainer_out == NULL || model == NULL)
    return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT, "no model to explain");
  *explainer_out = NULL;
  if (options == NULL)
    options = &defaults;
  if (options->max_batch < 0 || options->max_batch > 64)
    return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT,
                          "a batch of %d inputs is outside 1…64", options->max_batch);
  e = calloc (1, sizeof *e);
  if (e == NULL)
    return vgg_error_set (error, VGG_STATUS_NO_MEMORY, "out of memory");
  config = &model->config;
  e->model = model;
  e->layers = model->layers;
  e->n_layers = model->n_layers;
  e->simd = vgg_simd_kernels_best (options->simd);
  e->exact = options->exact;
  e->classifier = -1;
  atomic_init (&e->cancel_requested, false);
  e->ex = calloc ((size_t) model->n_layers, sizeof *e->ex);
  if (e->ex == NULL)
    {
      free (e);
      return vgg_error_set (error, VGG_STATUS_NO_MEMORY, "out of memory");
    }

  e->input_count = (size_t) config->input_channels * config->input_height * config->input_width;
  e->max_count = e->input_count;
  for (int i = 0; i < e->n_layers; i++)
    {
      const VggLayer *layer = &e->layers[i];
      ExplainLayer *ex = &e->ex[i];

      ex->weight = model->weights[i].weight;
      ex->bias = model->weights[i].bias;
      if (layer_count (layer) > e->max_count)
        e->max_count = layer_count (layer);
      if (layer->kind == VGG_LAYER_FC && !layer->relu)
        e->classifier = i;
      if (layer->kind == VGG_LAYER_CONV)
        {
          ex->tile_forward = layer->channels_in <= VGG_CONV_DIRECT_MAX_C_IN ? -1
                             : e->exact ? 0 : layer->height_in >= 32 ? 4 : 2;
          ex->tile_backward = e->exact ? 0 : layer->height_in >= 32 ? 4 : 2;
        }
    }
  if (options->randomize && (status = randomize_weights (e, options, error)) != VGG_STATUS_OK)
    {
      vgg_explainer_free (e);
      return status;
    }
  choose_tiles (e, options->conv_memory_mib, false);
  choose_tiles (e, options->conv_memory_mib, true);

  e->max_batch = options->max_batch;
  if (e->max_batch == 0)
    {
      size_t fit = auto_batch (e);
      e->max_batch = fit < 1 ? 1 : fit > AUTO_BATCH_MAX ? AUTO_BATCH_MAX : (int) fit;
    }

  /* plans, scratch and the kernels of both directions */
  for (int i = 0; i < e->n_layers; i++)
    {
      const VggLayer *layer = &e->layers[i];
      ExplainLayer *ex = &e->ex[i];
      int c_in = layer->channels_in, c_out = layer->channels_out;
      int h = layer->height_in, w = layer->width_in;

      if (layer->kind != VGG_LAYER_CONV)
        continue;
      for (int b = 0; b < 2; b++)
        {
          int batch = b == 0 ? 1 : e->max_batch;
          if (ex->tile_forward > 0)
            {
              vgg_winograd_plan (&ex->forward[b], e->simd, ex->tile_forward, batch, c_in, h, w,
                                 c_out, false, false, 0);
              if (ex->forward[b].scratch_count > scratch)
                scratch = ex->forward[b].scratch_count;
            }
          if (ex->tile_backward > 0)
            {
              vgg_winograd_plan (&ex->backward[b], e->simd, ex->tile_backward, batch, c_out, h,
                                 w, c_in, false, false, 0);
              if (ex->backward[b].scratch_count > scratch)
                scratch = ex->backward[b].scratch_count;
            }
        }
      if (ex->tile_forward == 0 || ex->tile_backward == 0)
        {
          size_t s = vgg_conv3x3_im2col_scratch (c_in > c_out ? c_in : c_out, h, w);
          if (s > scratch)
            scratch = s;
        }
    }

  for (int i = 0; i < e->n_layers; i++)
    {
      const VggLayer *layer = &e->layers[i];
      ExplainLayer *ex = &e->ex[i];
      size_t count = layer_count (layer) * (size_t) e->max_batch;

      if (layer->relu && (ex->mask = explain_alloc (e, count)) == NULL)
        goto oom;
      if (layer->kind == VGG_LAYER_POOL && (ex->argmax = explain_alloc (e, count)) == NULL)
        goto oom;
      if (layer->kind != VGG_LAYER_CONV)
        continue;
      if (ex->tile_forward > 0)
        {
          if ((ex->u = explain_alloc (e, ex->forward[0].u_count * sizeof (float))) == NULL)
            goto oom;
          vgg_winograd_transform_weights (&ex->forward[0], ex->u, ex->weight);
        }
      {
        size_t n = (size_t) 9 * layer->channels_in * layer->channels_out;
        float *flipped = explain_alloc (e, n * sizeof (float));

        if (flipped == NULL)
          goto oom;
        for (int o = 0; o < layer->channels_out; o++)
          for (int c = 0; c < layer->channels_in; c++)
            for (int k = 0; k < 9; k++)
              flipped[((size_t) c * layer->channels_out + o) * 9 + 8 - k]
                = ex->weight[((size_t) o * layer->channels_in + c) * 9 + k];
        if (ex->tile_backward > 0)
          {
            if ((ex->u_back = explain_alloc (e, ex->backward[0].u_count * sizeof (float)))
                == NULL)
              goto oom;
            vgg_winograd_transform_weights (&ex->backward[0], ex->u_back, flipped);
            /* the flipped originals are not needed any more: give them back */
            vgg_free_big (flipped, n * sizeof (float));
            e->n_blocks--;
            e->blocks[e->n_blocks - 1] = e->blocks[e->n_blocks];
            e->block_sizes[e->n_blocks - 1] = e->block_sizes[e->n_blocks];
          }
        else
          ex->weight_back = flipped;
      }
      /* both directions now read transformed kernels only */
      if (ex->tile_forward > 0 && ex->tile_backward > 0 && ex->weight == model->weights[i].weight)
        vgg_release_mapped_weights (ex->weight, (size_t) 9 * layer->channels_in
                                                * layer->channels_out);
    }

  buffer_count = round_up_64 (e->max_count * (size_t) e->max_batch);
  e->scratch_count = round_up_64 (scratch);
  if ((e->buffers[0] = explain_alloc (e, buffer_count * sizeof (float))) == NULL
      || (e->buffers[1] = explain_alloc (e, buffer_count * sizeof (float))) == NULL
      || (e->capture = explain_alloc (e, e->max_count * sizeof (float))) == NULL
      || (e->scratch = explain_alloc (e, e->scratch_count * sizeof (float))) == NULL
      || (e->logits = explain_alloc (e, sizeof (float) * (size_t) e->max_batch
                                        * (size_t) (config->n_classes + 1))) == NULL
      || (e->inputs = explain_alloc (e, sizeof (float) * e->input_count
                                        * (size_t) e->max_batch)) == NULL
      || (e->sum = explain_alloc (e, sizeof (float) * e->input_count)) == NULL
      || (e->aux = explain_alloc (e, sizeof (float) * e->max_count)) == NULL
      || (e->rings = explain_alloc (e, 2 * sizeof (double) * (size_t) config->input_height
                                       * config->input_width)) == NULL)
    goto oom;
  *explainer_out = e;
  return VGG_STATUS_OK;

oom:
  vgg_explainer_free (e);
  return vgg_error_set (error, VGG_STATUS_NO_MEMORY,
                        "out of memory for an explainer at batch %d", options->max_batch);
}

int
vgg_explainer_max_batch (const VggExplainer *explainer)
{
  return explainer->max_batch;
}

void
vgg_explainer_set_progress (VggExplainer           *explainer,
                            VggExplainProgressFunc  func,
                            void                   *user_data)
{
  explainer->progress = func;
  explainer->progress_data = user_data;
}

void
vgg_explainer_cancel (VggExplainer *explainer)
{
  atomic_store (&explainer->cancel_requested, true);
}

bool
explain_cancelled (VggExplainer *explainer)
{
  return atomic_exchange (&explainer->cancel_requested, false);
}

void
explain_progress (VggExplainer *explainer,
                  double        fraction)
{
  if (explainer->progress != NULL)
    explainer->progress (fraction > 1.0 ? 1.0 : fraction, explainer->progress_data);
}

/* ---- element-wise passes, split over the engine's threads ---- */

typedef struct
{
  float         *data;
  uint8_t       *mask;
  const float   *grad_out;
  const uint8_t *argmax;
  const uint8_t *mask_below;
  float         *capture;
  size_t         count, per_task, capture_count;
  int            h, w;         /* pool: the input's */
  VggReluRule    rule;
} PassJob;

#define ELEMENTS_PER_TASK 16384

/* out = max (pre, 0) in place, mask = pre > 0; the first capture_count values are copied
 * before the ReLU */
static void
relu_mask_task (void *context,
                int   task,
                int   thread)
{
  const PassJob *job = context;
  size_t k0 = (size_t) task * job->per_task;
  size_t k1 = k0 + job->per_task < job->count ? k0 + job->per_task : job->count;

  (void) thread;
  for (size_t k = k0; k < k1; k++)
    {
      float v = job->data[k];
      if (k < job->capture_count)
        job->capture[k] = v;
      job->mask[k] = v > 0.0f;
      job->data[k] = v > 0.0f ? v : 0.0f;
    }
}

static inline float
apply_rule (VggReluRule rule,
            float       g,
            bool        positive)
{
  switch (rule)
    {
    case VGG_RELU_RULE_GUIDED:
      return positive && g > 0.0f ? g : 0.0f;
    case VGG_RELU_RULE_DECONV:
      return g > 0.0f ? g : 0.0f;
    case VGG_RELU_RULE_PLAIN:
    case VGG_RELU_RULE_N_RULES:
    default:
      return positive ? g : 0.0f;
    }
}

static void
rule_task (void *context,
           int   task,
           int   thread)
{
  const PassJob *job = context;
  size_t k0 = (size_t) task * job->per_task;
  size_t k1 = k0 + job->per_task < job->count ? k0 + job->per_task : job->count;

  (void) thread;
  for (size_t k = k0; k < k1; k++)
    job->data[k] = apply_rule (job->rule, job->data[k], job->mask[k] != 0);
}

static void
run_pass (VggTaskFunc func,
          PassJob    *job)
{
  job->per_task = ELEMENTS_PER_TASK;
  vgg_parallel_for ((int) ((job->count + ELEMENTS_PER_TASK - 1) / ELEMENTS_PER_TASK), func, job);
}

/* 2×2/2 max-pool over planes, the winner of each window (first maximum in row-major order)
 * saved; one task per plane */
static void
pool_task (void *context,
           int   task,
           int   thread)
{
  const PassJob *job = context;
  int h = job->h, w = job->w, h_out = h / 2, w_out = w / 2;
  const float *src = job->grad_out + (size_t) task * h * w;
  float *dst = job->data + (size_t) task * h_out * w_out;
  uint8_t *arg = job->mask + (size_t) task * h_out * w_out;

  (void) thread;
  for (int y = 0; y < h_out; y++)
    {
      const float *r0 = src + (size_t) (2 * y) * w, *r1 = r0 + w;
      for (int x = 0; x < w_out; x++)
        {
          float best = r0[2 * x];
          int k = 0;
          if (r0[2 * x + 1] > best)
            best = r0[2 * x + 1], k = 1;
          if (r1[2 * x] > best)
            best = r1[2 * x], k = 2;
          if (r1[2 * x + 1] > best)
            best = r1[2 * x + 1], k = 3;
          dst[y * w_out + x] = best;
          arg[y * w_out + x] = (uint8_t) k;
        }
    }
}

/* The pool's backward: each window's gradient to its winner, and, when the layer below has a
 * ReLU (mask_below), that layer's rule applied on the way (zero elsewhere for every rule) */
static void
unpool_task (void *context,
             int   task,
             int   thread)
{
  const PassJob *job = context;
  int h = job->h, w = job->w, h_out = h / 2, w_out = w / 2;
  float *dst = job->data + (size_t) task * h * w;
  const float *g = job->grad_out + (size_t) task * h_out * w_out;
  const uint8_t *arg = job->argmax + (size_t) task * h_out * w_out;
  const uint8_t *mask = job->mask_below != NULL ? job->mask_below + (size_t) task * h * w : NULL;

  (void) thread;
  memset (dst, 0, sizeof (float) * (size_t) h * w);
  for (int y = 0; y < h_out; y++)
    for (int x = 0; x < w_out; x++)
      {
        int k = arg[y * w_out + x];
        size_t at = (size_t) (2 * y + (k >> 1)) * w + 2 * x + (k & 1);
        float v = g[y * w_out + x];

        dst[at] = mask != NULL ? apply_rule (job->rule, v, mask[at] != 0) : v;
      }
}

/* ---- fully connected rows over the threads (as the forward run does) ---- */

typedef struct
{
  float       *out;
  const float *in, *weight, *bias;
  int          batch, n_in, n_out, rows;
} FcJob;

static void
fc_task (void *context,
         int   task,
         int   thread)
{
  const FcJob *job = context;
  int o0 = task * job->rows;
  int o1 = o0 + job->rows < job->n_out ? o0 + job->rows : job->n_out;

  (void) thread;
  vgg_linear_rows (job->out, job->in, job->weight, job->bias, job->batch, job->n_in, job->n_out,
                   o0, o1);
}

/* The input gradient of a fully connected layer at batch 1, g_in = weightᵀ · g, in blocks of
 * input columns over the threads: each streams its columns of every weight row once (a GEMM
 * with one row would pack the whole matrix first). */
typedef struct
{
  float       *grad_in;
  const float *grad, *weight;
  int          n_in, n_out, columns;
} FcBackJob;

static void
fc_back_task (void *context,
              int   task,
              int   thread)
{
  const FcBackJob *job = context;
  int c0 = task * job->columns;
  int c1 = c0 + job->columns < job->n_in ? c0 + job->columns : job->n_in;

  (void) thread;
  cblas_sgemv (CblasRowMajor, CblasTrans, job->n_out, c1 - c0, 1.0f, job->weight + c0,
               job->n_in, job->grad, 1, 0.0f, job->grad_in + c0, 1);
}

/* ---- forward ---- */

static void
conv_forward (VggExplainer *e,
              int           i,
              float        *out,
              const float  *in,
              int           batch)
{
  const VggLayer *layer = &e->layers[i];
  ExplainLayer *ex = &e->ex[i];
  size_t count_in = (size_t) layer->channels_in * layer->height_in * layer->width_in;

  if (ex->tile_forward < 0)
    vgg_conv3x3_direct (e->simd, out, in, ex->weight, ex->bias, batch, layer->channels_in,
                        layer->height_in, layer->width_in, layer->channels_out, false);
  else if (ex->tile_forward > 0)
    {
      /* planned for batch 1 and max_batch, the only sizes a pass runs at */
      vgg_winograd_conv (&ex->forward[batch == 1 ? 0 : 1], out, in, ex->u, ex->bias,
                         e->scratch);
    }
  else
    for (int n = 0; n < batch; n++)
      vgg_conv3x3_im2col (out + n * layer_count (layer), in + n * count_in, ex->weight,
                          ex->bias, layer->channels_in, layer->height_in, layer->width_in,
                          layer->channels_out, e->scratch);
}

VggStatus
explain_forward (VggExplainer *e,
                 const float  *input,
                 int           batch,
                 int           last,
                 int           capture,
                 VggError     *error)
{
  const float *in = input;
  int target = 0;

  if (batch != 1 && batch != e->max_batch)
    return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT,
                          "a pass runs 1 or %d inputs, not %d", e->max_batch, batch);
  vgg_get_threads (); /* OpenBLAS to one thread, once (threads.h) */
  for (int i = 0; i <= last && i < e->n_layers; i++)
    {
      const VggLayer *layer = &e->layers[i];
      ExplainLayer *ex = &e->ex[i];
      float *out = e->buffers[target];
      size_t count = layer_count (layer);

      if (explain_cancelled (e))
        return vgg_error_set (error, VGG_STATUS_CANCELLED, "cancelled before %s", layer->name);

      switch (layer->kind)
        {
        case VGG_LAYER_CONV:
          conv_forward (e, i, out, in, batch);
          break;
        case VGG_LAYER_POOL:
          {
            PassJob job = { .data = out, .mask = ex->argmax, .grad_out = in,
                            .h = layer->height_in, .w = layer->width_in };
            vgg_parallel_for (layer->channels_in * batch, pool_task, &job);
          }
          break;
        case VGG_LAYER_FC:
          {
            FcJob job = { out, in, ex->weight, ex->bias, batch,
                          layer->channels_in * layer->height_in * layer->width_in,
                          layer->channels_out, batch == 1 ? 128 : 256 };
            vgg_parallel_for ((job.n_out + job.rows - 1) / job.rows, fc_task, &job);
            if (i == e->classifier)
              memcpy (e->logits, out, sizeof (float) * count * (size_t) batch);
          }
          break;
        case VGG_LAYER_SOFTMAX:
        case VGG_LAYER_N_KINDS:
        default:
          return VGG_STATUS_OK;
        }

      if (layer->relu)
        {
          PassJob job = { .data = out, .mask = ex->mask, .count = count * (size_t) batch,
                          .capture = e->capture, .capture_count = i == capture ? count : 0 };
          run_pass (relu_mask_task, &job);
        }
      else if (i == capture)
        memcpy (e->capture, out, sizeof (float) * count);
      in = out;
      target ^= 1;
    }
  return VGG_STATUS_OK;
}

/* ---- backward ---- */

void
explain_class_seed (VggExplainer *e,
                    float        *grad,
                    int           k)
{
  const VggLayer *layer = &e->layers[e->classifier];
  size_t n_in = (size_t) layer->channels_in * layer->height_in * layer->width_in;

  memcpy (grad, e->ex[e->classifier].weight + (size_t) k * n_in, sizeof (float) * n_in);
}

static void
conv_backward (VggExplainer *e,
               int           i,
               float        *grad_in,
               const float  *grad_pre,
               int           batch)
{
  const VggLayer *layer = &e->layers[i];
  ExplainLayer *ex = &e->ex[i];
  size_t count_in = (size_t) layer->channels_in * layer->height_in * layer->width_in;

  if (ex->tile_backward > 0)
    vgg_winograd_conv (&ex->backward[batch == 1 ? 0 : 1], grad_in, grad_pre, ex->u_back, NULL,
                       e->scratch);
  else
    for (int n = 0; n < batch; n++)
      vgg_conv3x3_im2col (grad_in + n * count_in, grad_pre + n * layer_count (layer),
                          ex->weight_back, NULL, layer->channels_out, layer->height_in,
                          layer->width_in, layer->channels_in, e->scratch);
}

VggStatus
explain_backward (VggExplainer *e,
                  int           batch,
                  int           from,
                  bool          at_pre,
                  VggReluRule   rule,
                  int           stop,
                  int          *slot,
                  VggError     *error)
{
  int t = *slot;

  for (int i = from; i > stop; i--)
    {
      const VggLayer *layer = &e->layers[i];
      ExplainLayer *ex = &e->ex[i];
      size_t count = layer_count (layer);
      size_t count_in = (size_t) layer->channels_in * layer->height_in * layer->width_in;
      float *g = e->buffers[t], *g_in = e->buffers[t ^ 1];
      bool next_at_pre = false;

      if (explain_cancelled (e))
        return vgg_error_set (error, VGG_STATUS_CANCELLED, "cancelled at %s", layer->name);

      if (layer->relu && !at_pre)
        {
          PassJob job = { .data = g, .mask = ex->mask, .count = count * (size_t) batch,
                          .rule = rule };
          run_pass (rule_task, &job);
        }

      switch (layer->kind)
        {
        case VGG_LAYER_CONV:
          conv_backward (e, i, g_in, g, batch);
          break;
        case VGG_LAYER_POOL:
          {
            /* the conv below gets its rule here, unless the pass stops at its output */
            bool fuse = i - 1 > stop && e->layers[i - 1].relu;
            PassJob job = { .data = g_in, .grad_out = g, .argmax = ex->argmax,
                            .mask_below = fuse ? e->ex[i - 1].mask : NULL,
                            .h = layer->height_in, .w = layer->width_in, .rule = rule };

            vgg_parallel_for (layer->channels_in * batch, unpool_task, &job);
            next_at_pre = fuse;
          }
          break;
        case VGG_LAYER_FC:
          /* g_in [batch, n_in] = g [batch, n_out] · weight [n_out, n_in] */
          if (batch == 1)
            {
              FcBackJob job = { g_in, g, ex->weight, (int) count_in, layer->channels_out, 1024 };
              vgg_parallel_for ((job.n_in + job.columns - 1) / job.columns, fc_back_task, &job);
              break;
            }
          vgg_sgemm_threaded (false, false, batch, (int) count_in, layer->channels_out, 1.0f, g,
                              layer->channels_out, ex->weight, (int) count_in, 0.0f, g_in,
                              (int) count_in);
          break;
        case VGG_LAYER_SOFTMAX:
        case VGG_LAYER_N_KINDS:
        default:
          return vgg_error_set (error, VGG_STATUS_UNSUPPORTED,
                                "no backward pass from the softmax");
        }
      at_pre = next_at_pre;
      t ^= 1;
    }
  *slot = t;
  return VGG_STATUS_OK;
}
