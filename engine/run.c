/* run.c — the forward driver: planned memory, algorithm per layer, fused epilogues, layer
 *          loop, watch mask, hooks, cancellation, profile
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Algorithms: the first convolution (≤ 4 input channels) runs directly; each of the others
 * through Winograd F(4×4,3×3), F(2×2,3×3) or im2col + sgemm, chosen when the run is made by
 * a cost model within a memory budget for the transformed weights (which are made then, into
 * the run's block: F(4×4) for VGG16's first three blocks, F(2×2) for the last two at the
 * default budget). Exact runs (VggRunOptions.exact, fixed when the run is made) use im2col +
 * sgemm everywhere but the first layer. Bias and ReLU are fused into the convolution's
 * output pass unless the hook watches the pre-activation; a following max-pool is fused too
 * (Winograd layers). When the hook watches such a convolution's output, the fused pass also
 * writes that output (after the ReLU, before the pool) into the run's tap buffer, made at
 * the first pass that needs it and kept, and the hook sees it from there: watching costs
 * one more store, not the fusion. Fully connected layers split their
 * output rows over the threads (vgg_linear_rows(), the kernel the tests check): at batch 1
 * each thread streams its share of the weights through sgemv once.
 *
 * Threads: everything runs on the engine's pool (threads.h), OpenBLAS single-threaded inside
 * its tasks; the im2col path splits its unfolding and its GEMM over the pool too.
 */
#include "config.h"

#include "engine-private.h"
#include "kernels.h"
#include "model-private.h"
#include "threads.h"
#include "winograd.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

typedef enum
{
  ALGORITHM_NONE = 0,       /* pool, softmax: their own kernels */
  ALGORITHM_DIRECT,
  ALGORITHM_WINOGRAD,
  ALGORITHM_IM2COL,
  ALGORITHM_FC,
} Algorithm;

typedef struct
{
  Algorithm       algorithm;       /* for convolutions: direct, Winograd or im2col (always im2col
                                      in exact runs); fixed when the run is made */
  VggWinogradPlan winograd;        /* ALGORITHM_WINOGRAD */
  float          *u;               /* its transformed weights, in the run's block */
  double          seconds;         /* the last forward's wall time */
  const char     *ran;             /* what the last forward did: "winograd-f4x4", … */
} LayerPlan;

struct VggRun
{
  const VggModel *model;
  int             batch;

  /* one block, planned once: two ping-pong activation buffers, scratch, logits,
   * probabilities, the transformed weights */
  void           *block;
  size_t          block_size;
  float          *activations[2];  /* each batch × the largest layer output */
  float          *scratch;         /* im2col's bands, or Winograd's V and M of a block */
  float          *logits;          /* [batch, n_classes] */
  float          *probs;           /* [batch, n_classes] */
  LayerPlan      *plans;           /* one per layer */
  const VggSimdKernels *simd;
  bool            exact;

  float          *tap;             /* a watched fused convolution's own output, or NULL */
  size_t          tap_count;       /* its floats: batch × the largest such output (0: none) */

  unsigned       *watch;           /* VggStage mask per layer */
  VggHookFunc     hook;
  void           *hook_data;
  atomic_bool     cancel_requested;
};

static size_t
layer_output_count (const VggLayer *layer)
{
  return (size_t) layer->channels_out * layer->height_out * layer->width_out;
}

static size_t
round_up_64 (size_t count)
{
  return (count + 15) & ~(size_t) 15; /* in floats: 64 bytes */
}

/* The transformed weights of all Winograd layers of a run (and the original weights of
 * layers that use them directly) stay below this budget, so a VGG16 classification stays
 * within 650 MiB of memory with its 494 MB of fully connected weights (a run's options may
 * set another: VggRunOptions.conv_memory_mib). F(4×4) weights take 4× the originals, F(2×2)
 * 1.8×. */
#define CONV_MEMORY_MIB_DEFAULT 120

/* A rough cost model for choosing algorithms, in seconds: arithmetic at an effective rate
 * plus one pass over the weights. The rates are what a two-core AVX-512 VM measured: OpenBLAS
 * sgemm at 165–207 GFLOP/s, streaming reads at 30–50 GB/s. */
#define MODEL_FLOPS_PER_SECOND 150e9
#define MODEL_BYTES_PER_SECOND 30e9

typedef struct
{
  int    tile;        /* 4, 2, or 0 for im2col */
  double seconds;
  double bytes;       /* weight memory the choice keeps */
} ConvOption;

static ConvOption
conv_option (const VggLayer *layer,
             int             batch,
             int             tile)
{
  double weights = 9.0 * layer->channels_in * layer->channels_out * sizeof (float);
  ConvOption option = { tile, 0.0, weights };

  if (tile == 0)
    option.seconds = 2.0 * (double) layer->macs * batch / MODEL_FLOPS_PER_SECOND
                     + weights / MODEL_BYTES_PER_SECOND;
  else
    {
      double a2 = (tile + 2.0) * (tile + 2.0);
      double tiles = (double) batch * ((layer->height_in + tile - 1) / tile)
                     * ((layer->width_in + tile - 1) / tile);
      /* the transforms: about 8 operations per element of V and M, at a quarter of the
       * GEMM's rate */
      double transforms = 8.0 * a2 * tiles * (layer->channels_in + layer->channels_out) * 4.0;

      option.bytes = weights * a2 / 9.0;
      option.seconds = (2.0 * a2 * tiles * layer->channels_in * layer->channels_out + transforms)
                       / MODEL_FLOPS_PER_SECOND + option.bytes / MODEL_BYTES_PER_SECOND;
    }
  return option;
}

/* Chooses each convolution's algorithm: direct for the first (few input channels); for the
 * others, starting from im2col, the upgrade (to F(2×2) or F(4×4)) that saves the most time
 * per byte, while the weights fit the budget. Returns the tile per layer in @tiles. */
static void
choose_conv_algorithms (const VggModel *model,
                        int             batch,
                        double          budget_mib,
                        int            *tiles)
{
  double budget = (budget_mib > 0.0 ? budget_mib : CONV_MEMORY_MIB_DEFAULT) * 1048576.0;
  double used = 0.0;

  for (int i = 0; i < model->n_layers; i++)
    {
      const VggLayer *layer = &model->layers[i];

      tiles[i] = -1;
      if (layer->kind != VGG_LAYER_CONV || layer->channels_in <= VGG_CONV_DIRECT_MAX_C_IN)
        continue;
      tiles[i] = 0;
      used += conv_option (layer, batch, 0).bytes;
    }

  for (;;)
    {
      int best = -1, best_tile = 0;
      double best_gain = 0.0, best_extra = 0.0;

      for (int i = 0; i < model->n_layers; i++)
        {
          const VggLayer *layer = &model->layers[i];
          ConvOption now;

          if (tiles[i] < 0)
            continue;
          now = conv_option (layer, batch, tiles[i]);
          for (int tile = 2; tile <= 4; tile += 2)
            {
              ConvOption next = conv_option (layer, batch, tile);
              double extra = next.bytes - now.bytes;
              double saved = now.seconds - next.seconds;
              double gain;

              if (tile == tiles[i] || saved <= 0.0 || used + extra > budget)
                continue;
              gain = extra > 0.0 ? saved / extra : saved * 1e30;
              if (gain > best_gain)
                {
                  best = i;
                  best_tile = tile;
                  best_gain = gain;
                  best_extra = extra;
                }
            }
        }
      if (best < 0)
        break;
      tiles[best] = best_tile;
      used += best_extra;
    }
}

/* Whether @size bytes at @address lie in a read-only mapping of a file: then dropping the
 * pages from this process costs nothing but a re-read from the page cache if they are
 * needed again, while anonymous memory would be lost. */
static bool
in_file_mapping (const void *address,
                 size_t      size)
{
  uintptr_t start_wanted = (uintptr_t) address;
  FILE *maps = fopen ("/proc/self/maps", "re");
  char line[1024];
  bool found = false;

  if (maps == NULL)
    return false;
  while (fgets (line, sizeof line, maps) != NULL)
    {
      unsigned long start, end, offset, inode;
      unsigned major, minor;
      char perms[8];

      if (sscanf (line, "%lx-%lx %7s %lx %x:%x %lu", &start, &end, perms, &offset, &major,
                  &minor, &inode) != 7)
        continue;
      if (start_wanted >= start && start_wanted + size <= end)
        {
          found = inode != 0 && perms[1] == '-';
          break;
        }
    }
  fclose (maps);
  return found;
}

/* After a layer's weights are transformed, a forward pass never reads the originals: drop
 * them from the process's resident memory if they come from the weight file's map. */
void
vgg_release_mapped_weights (const float *weight,
                            size_t       count)
{
  uintptr_t page = (uintptr_t) sysconf (_SC_PAGESIZE);
  uintptr_t start = ((uintptr_t) weight + page - 1) & ~(page - 1);
  uintptr_t end = ((uintptr_t) (weight + count)) & ~(page - 1);

  if (end <= start || !in_file_mapping (weight, count * sizeof (float)))
    return;
  madvise ((void *) start, end - start, MADV_DONTNEED);
}

VggStatus
vgg_run_new (VggRun         **run_out,
             const VggModel  *model,
             int              batch,
             VggError        *error)
{
  return vgg_run_new_with_options (run_out, model, batch, NULL, error);
}

VggStatus
vgg_run_new_with_options (VggRun              **run_out,
                          const VggModel       *model,
                          int                   batch,
                          const VggRunOptions  *options,
                          VggError             *error)
{
  static const VggRunOptions defaults = { 0 };
  VggRun *run;
  size_t max_output = 0, max_scratch = 0, max_winograd = 0, u_total = 0, classes, act, total;
  size_t bytes;
  int *tiles;
  float *p;

  if (run_out == NULL)
    return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT, "no place for the run");
  *run_out = NULL;
  if (model == NULL || batch < 1 || batch > 4096)
    return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT,
                          "a run needs a model and a batch size of 1 to 4096");
  if (options == NULL)
    options = &defaults;
  if (options->winograd_block_kib < 0 || options->winograd_block_kib > (1 << 22)
      || !(options->conv_memory_mib >= 0.0))
    return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT,
                          "run options out of range (Winograd block %d KiB, convolution "
                          "memory %g MiB)", options->winograd_block_kib,
                          options->conv_memory_mib);

  run = calloc (1, sizeof *run);
  if (run == NULL)
    return vgg_error_set (error, VGG_STATUS_NO_MEMORY, "out of memory");
  run->watch = calloc ((size_t) model->n_layers, sizeof *run->watch);
  run->plans = calloc ((size_t) model->n_layers, sizeof *run->plans);
  if (run->watch == NULL || run->plans == NULL)
    {
      vgg_run_free (run);
      return vgg_error_set (error, VGG_STATUS_NO_MEMORY, "out of memory");
    }
  run->model = model;
  run->batch = batch;
  run->simd = vgg_simd_kernels_best (options->simd);
  run->exact = options->exact;
  tiles = calloc ((size_t) model->n_layers, sizeof *tiles);
  if (tiles == NULL)
    {
      vgg_run_free (run);
      return vgg_error_set (error, VGG_STATUS_NO_MEMORY, "out of memory");
    }
  choose_conv_algorithms (model, batch, options->conv_memory_mib, tiles);

  for (int i = 0; i < model->n_layers; i++)
    {
      const VggLayer *layer = &model->layers[i];
      LayerPlan *plan = &run->plans[i];
      size_t count = layer_output_count (layer);

      if (count > max_output)
        max_output = count;
      /* a Winograd convolution with a ReLU and a pool after it can write a tap */
      if (layer->kind == VGG_LAYER_CONV && layer->relu && tiles[i] > 0 && !run->exact
          && i + 1 < model->n_layers && model->layers[i + 1].kind == VGG_LAYER_POOL
          && count * (size_t) batch > run->tap_count)
        run->tap_count = count * (size_t) batch;
      if (layer->kind == VGG_LAYER_FC)
        plan->algorithm = ALGORITHM_FC;
      if (layer->kind != VGG_LAYER_CONV)
        continue;

      {
        size_t s = vgg_conv3x3_im2col_scratch (layer->channels_in, layer->height_in,
                                               layer->width_in);
        if (s > max_scratch)
          max_scratch = s;
      }
      if (tiles[i] < 0)
        plan->algorithm = ALGORITHM_DIRECT;
      else if (tiles[i] == 0 || run->exact)
        plan->algorithm = ALGORITHM_IM2COL;
      else
        plan->algorithm = ALGORITHM_WINOGRAD;
      if (plan->algorithm == ALGORITHM_WINOGRAD)
        {
          vgg_winograd_plan (&plan->winograd, run->simd, tiles[i], batch, layer->channels_in,
                             layer->height_in, layer->width_in, layer->channels_out, true,
                             false, (size_t) options->winograd_block_kib << 10);
          if (plan->winograd.scratch_count > max_winograd)
            max_winograd = plan->winograd.scratch_count;
          u_total += round_up_64 (plan->winograd.u_count);
        }
    }
  classes = (size_t) (model->config.n_classes > 0 ? model->config.n_classes : 1);

  free (tiles);

  if (!vgg_mul_size (max_output, (size_t) batch, &act))
    {
      vgg_run_free (run);
      return vgg_error_set (error, VGG_STATUS_TOO_LARGE, "batch %d is too large", batch);
    }
  act = round_up_64 (act);
  /* im2col and Winograd never run at once: they share the scratch */
  if (max_winograd > max_scratch)
    max_scratch = max_winograd;
  total = 2 * act + round_up_64 (max_scratch) + 2 * round_up_64 (classes * (size_t) batch)
          + u_total;
  if (!vgg_mul_size (total, sizeof (float), &bytes))
    {
      vgg_run_free (run);
      return vgg_error_set (error, VGG_STATUS_TOO_LARGE, "batch %d is too large", batch);
    }

  run->block = vgg_alloc_big (bytes);
  if (run->block == NULL)
    {
      vgg_run_free (run);
      return vgg_error_set (error, VGG_STATUS_NO_MEMORY,
                            "out of memory: a run at batch %d needs %zu MiB", batch,
                            bytes >> 20);
    }
  run->block_size = bytes;
  p = run->block;
  run->activations[0] = p;
  p += act;
  run->activations[1] = p;
  p += act;
  run->scratch = p;
  p += round_up_64 (max_scratch);
  run->logits = p;
  p += round_up_64 (classes * (size_t) batch);
  run->probs = p;
  p += round_up_64 (classes * (size_t) batch);

  /* the transformed weights: made once here, so a forward pass only reads them */
  for (int i = 0; i < model->n_layers; i++)
    {
      LayerPlan *plan = &run->plans[i];

      if (plan->algorithm != ALGORITHM_WINOGRAD)
        continue;
      plan->u = p;
      p += round_up_64 (plan->winograd.u_count);
      vgg_winograd_transform_weights (&plan->winograd, plan->u, model->weights[i].weight);
      vgg_release_mapped_weights (model->weights[i].weight,
                                (size_t) 9 * plan->winograd.c_in * plan->winograd.c_out);
    }

  atomic_init (&run->cancel_requested, false);
  *run_out = run;
  return VGG_STATUS_OK;
}

void
vgg_run_free (VggRun *run)
{
  if (run == NULL)
    return;
  if (run->block != NULL)
    vgg_free_big (run->block, run->block_size);
  if (run->tap != NULL)
    vgg_free_big (run->tap, run->tap_count * sizeof (float));
  free (run->plans);
  free (run->watch);
  free (run);
}

bool
vgg_run_get_exact (const VggRun *run)
{
  return run->exact;
}

bool
vgg_run_layer_profile (const VggRun    *run,
                       int              index,
                       VggLayerProfile *profile)
{
  if (run == NULL || index < 0 || index >= run->model->n_layers || profile == NULL)
    return false;
  profile->seconds = run->plans[index].seconds;
  profile->algorithm = run->plans[index].ran != NULL ? run->plans[index].ran : "";
  return true;
}

int
vgg_run_batch (const VggRun *run)
{
  return run->batch;
}

void
vgg_run_set_hook (VggRun      *run,
                  VggHookFunc  hook,
                  void        *user_data)
{
  run->hook = hook;
  run->hook_data = user_data;
}

void
vgg_run_watch (VggRun   *run,
               int       index,
               unsigned  stages)
{
  stages &= VGG_STAGE_PRE_ACTIVATION | VGG_STAGE_OUTPUT;
  if (index < 0)
    {
      for (int i = 0; i < run->model->n_layers; i++)
        run->watch[i] = stages;
    }
  else if (index < run->model->n_layers)
    run->watch[index] = stages;
}

void
vgg_run_cancel (VggRun *run)
{
  atomic_store (&run->cancel_requested, true);
}

/* Calls the hook if it watches this stage; false means stop. */
static bool
notify (VggRun         *run,
        const VggLayer *layer,
        VggStage        stage,
        const float    *data)
{
  VggHookEvent event;

  if (run->hook == NULL || (run->watch[layer->index] & stage) == 0)
    return true;
  event.layer_index = layer->index;
  event.layer = layer;
  event.stage = stage;
  event.batch = run->batch;
  event.data = data;
  event.count = layer_output_count (layer) * (size_t) run->batch;
  return run->hook (&event, run->hook_data);
}

/* ---- the layers ---- */

typedef struct
{
  float       *out;
  const float *in;
  int          channels, h, w, per_task, tasks_per_image;
} PoolJob;

static void
pool_task (void *context,
           int   task,
           int   thread)
{
  const PoolJob *job = context;
  int n = task / job->tasks_per_image;
  int c0 = (task - n * job->tasks_per_image) * job->per_task;
  int c1 = c0 + job->per_task < job->channels ? c0 + job->per_task : job->channels;
  size_t count_in = (size_t) job->channels * job->h * job->w;
  size_t count_out = (size_t) job->channels * (job->h / 2) * (job->w / 2);

  vgg_maxpool2x2 (job->out + n * count_out + (size_t) c0 * (job->h / 2) * (job->w / 2),
                  job->in + n * count_in + (size_t) c0 * job->h * job->w, c1 - c0, job->h,
                  job->w);
}

static void
pool_forward (float       *out,
              const float *in,
              int          batch,
              int          channels,
              int          h,
              int          w)
{
  PoolJob job = { out, in, channels, h, w, 16, (channels + 15) / 16 };

  vgg_parallel_for (batch * job.tasks_per_image, pool_task, &job);
}

/* Runs @layer; @relu says whether to fuse its ReLU, @pool whether to fuse the following
 * max-pool (then @out is the pool's output, and @tap, if not NULL, receives the layer's own
 * output). Returns what ran, for the profile. */
static const char *
forward_layer (VggRun         *run,
               const VggLayer *layer,
               float          *out,
               const float    *in,
               bool            relu,
               bool            pool,
               float          *tap)
{
  const VggLayerWeights *weights = &run->model->weights[layer->index];
  LayerPlan *plan = &run->plans[layer->index];
  size_t count_in = (size_t) layer->channels_in * layer->height_in * layer->width_in;
  size_t count_out = layer_output_count (layer);

  switch (layer->kind)
    {
    case VGG_LAYER_CONV:
      if (plan->algorithm == ALGORITHM_DIRECT)
        {
          vgg_conv3x3_direct (run->simd, out, in, weights->weight, weights->bias, run->batch,
                              layer->channels_in, layer->height_in, layer->width_in,
                              layer->channels_out, relu);
          return relu ? "direct+relu" : "direct";
        }
      if (plan->algorithm == ALGORITHM_WINOGRAD)
        {
          VggWinogradPlan winograd = plan->winograd;

          winograd.relu = relu;
          winograd.pool = pool;
          winograd.tap = pool ? tap : NULL;
          vgg_winograd_conv (&winograd, out, in, plan->u, weights->bias,
                             run->scratch);
          if (winograd.tile == 2)
            return pool ? "winograd-f2x2+relu+pool" : relu ? "winograd-f2x2+relu"
                                                           : "winograd-f2x2";
          return pool ? "winograd-f4x4+relu+pool" : relu ? "winograd-f4x4+relu"
                                                         : "winograd-f4x4";
        }
      {
        /* im2col + sgemm, the exact path: both split over the pool (kernels/conv.c) */
        for (int n = 0; n < run->batch; n++)
          vgg_conv3x3_im2col (out + n * count_out, in + n * count_in, weights->weight,
                              weights->bias, layer->channels_in, layer->height_in,
                              layer->width_in, layer->channels_out, run->scratch);
        if (relu)
          vgg_relu (out, count_out * (size_t) run->batch);
        return relu ? "im2col-sgemm+relu" : "im2col-sgemm";
      }
    case VGG_LAYER_POOL:
      pool_forward (out, in, run->batch, layer->channels_in, layer->height_in, layer->width_in);
      return "maxpool";
    case VGG_LAYER_FC:
      /* NCHW is already the C,H,W flatten order the weights expect */
      vgg_linear_threaded (out, in, weights->weight, weights->bias, run->batch, (int) count_in,
                           layer->channels_out);
      if (relu)
        vgg_relu (out, count_out * (size_t) run->batch);
      return run->batch == 1 ? (relu ? "sgemv+relu" : "sgemv")
                             : (relu ? "sgemm+relu" : "sgemm");
    case VGG_LAYER_SOFTMAX:
      vgg_softmax (out, in, run->batch, layer->channels_out);
      return "softmax";
    case VGG_LAYER_N_KINDS:
      break;
    }
  return "";
}

static double
now_seconds (void)
{
  struct timespec t;

  clock_gettime (CLOCK_MONOTONIC, &t);
  return (double) t.tv_sec + 1e-9 * (double) t.tv_nsec;
}

/* The tap buffer, made at the first pass that needs it (a run never watched does not pay
 * for it); NULL if the run has no use for one or memory is short (then the pass does not
 * fuse the watched layers). */
static float *
run_tap (VggRun *run)
{
  if (run->tap == NULL && run->tap_count > 0)
    run->tap = vgg_alloc_big (run->tap_count * sizeof (float));
  return run->tap;
}

static VggStatus
forward_layers (VggRun      *run,
                const float *input,
                VggError    *error)
{
  const VggModel *model = run->model;
  const float *in = input;
  int target = 0;

  for (int i = 0; i < model->n_layers; i++)
    {
      const VggLayer *layer = &model->layers[i];
      const VggLayer *next = i + 1 < model->n_layers ? &model->layers[i + 1] : NULL;
      LayerPlan *plan = &run->plans[i];
      float *out = run->activations[target];
      size_t count = layer_output_count (layer) * (size_t) run->batch;
      bool watch_pre = run->hook != NULL && (run->watch[i] & VGG_STAGE_PRE_ACTIVATION) != 0;
      bool watch_out = run->hook != NULL && (run->watch[i] & VGG_STAGE_OUTPUT) != 0;
      bool fuse_relu = layer->relu && !watch_pre;
      bool fuse_pool;
      float *tap = NULL;
      double start;

      if (atomic_exchange (&run->cancel_requested, false))
        return vgg_error_set (error, VGG_STATUS_CANCELLED, "cancelled before %s", layer->name);

      /* the pool reads only this conv's output: fused; a watched output goes to the tap */
      fuse_pool = layer->kind == VGG_LAYER_CONV && fuse_relu && next != NULL
                  && next->kind == VGG_LAYER_POOL && plan->algorithm == ALGORITHM_WINOGRAD
                  && (!watch_out || (tap = run_tap (run)) != NULL);

      start = now_seconds ();
      plan->ran = forward_layer (run, layer, out, in, fuse_relu, fuse_pool, tap);
      plan->seconds = now_seconds () - start;

      if (layer->relu && !fuse_relu)
        {
          if (!notify (run, layer, VGG_STAGE_PRE_ACTIVATION, out))
            return vgg_error_set (error, VGG_STATUS_STOPPED, "stopped after %s", layer->name);
          start = now_seconds ();
          vgg_relu (out, count);
          plan->seconds += now_seconds () - start;
        }

      if (fuse_pool)
        {
          /* the output is the pool's; this layer's own output is in the tap if watched */
          if (tap != NULL && !notify (run, layer, VGG_STAGE_OUTPUT, tap))
            return vgg_error_set (error, VGG_STATUS_STOPPED, "stopped after %s", layer->name);
          i++;
          layer = next;
          count = layer_output_count (layer) * (size_t) run->batch;
          run->plans[i].ran = "fused into the convolution";
          run->plans[i].seconds = 0.0;
        }

      if (layer->kind == VGG_LAYER_FC && !layer->relu)
        memcpy (run->logits, out, count * sizeof (float));
      else if (layer->kind == VGG_LAYER_SOFTMAX)
        memcpy (run->probs, out, count * sizeof (float));

      if (!notify (run, layer, VGG_STAGE_OUTPUT, out))
        return vgg_error_set (error, VGG_STATUS_STOPPED, "stopped after %s", layer->name);

      in = out;
      target ^= 1;
    }

  return VGG_STATUS_OK;
}

VggStatus
vgg_run_forward (VggRun      *run,
                 const float *input,
                 VggError    *error)
{
  const VggConfig *config;
  size_t per_item, count, n_logits, at;
  VggStatus status;

  if (run == NULL || input == NULL)
    return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT, "no run or no input");
  config = &run->model->config;
  per_item = (size_t) config->input_channels * config->input_height * config->input_width;
  count = per_item * (size_t) run->batch;
  n_logits = (size_t) config->n_classes * (size_t) run->batch;
  /* a NaN would pass the convolutions and ReLU would turn it into 0: refuse it up front */
  if ((at = vgg_find_non_finite (input, count)) < count)
    return vgg_error_set (error, VGG_STATUS_NOT_FINITE, "the input is %s at element %zu "
                          "(item %zu, channel %zu, row %zu, column %zu); every input value "
                          "must be a finite number", vgg_non_finite_name (input[at]), at,
                          at / per_item, at % per_item / ((size_t) config->input_height
                                                          * config->input_width),
                          at % ((size_t) config->input_height * config->input_width)
                          / (size_t) config->input_width,
                          at % (size_t) config->input_width);
  vgg_get_threads (); /* sets OpenBLAS to one thread, once (threads.h) */
  /* a request left from before this pass (a late cancel of an earlier job) is dropped */
  atomic_store (&run->cancel_requested, false);
  status = forward_layers (run, input, error);
  if (status == VGG_STATUS_OK && n_logits > 0
      && (at = vgg_find_non_finite (run->logits, n_logits)) < n_logits)
    return vgg_error_set (error, VGG_STATUS_NOT_FINITE, "the network computed a logit that "
                          "is %s (class %zu of item %zu): its weights overflow float32 on "
                          "this input; no prediction", vgg_non_finite_name (run->logits[at]),
                          at % (size_t) config->n_classes, at / (size_t) config->n_classes);
  return status;
}

const float *
vgg_run_probs (const VggRun *run)
{
  return run->model->config.n_classes > 0 ? run->probs : NULL;
}

const float *
vgg_run_logits (const VggRun *run)
{
  return run->model->config.n_classes > 0 ? run->logits : NULL;
}

int
vgg_run_top_k (const VggRun *run,
               int           n,
               int           k,
               int          *classes,
               float        *probs)
{
  int n_classes = run->model->config.n_classes;
  const float *row;
  int found = 0;

  if (n_classes == 0 || n < 0 || n >= run->batch || k < 1)
    return 0;
  if (k > n_classes)
    k = n_classes;
  row = run->probs + (size_t) n * n_classes;

  /* insertion into a sorted top-k list: k is small */
  for (int c = 0; c < n_classes; c++)
    {
      int pos = found < k ? found : k;

      if (found == k && row[c] <= probs[k - 1])
        continue;
      while (pos > 0 && row[c] > probs[pos - 1])
        {
          if (pos < k)
            {
              probs[pos] = probs[pos - 1];
              classes[pos] = classes[pos - 1];
            }
          pos--;
        }
      if (pos < k)
        {
          probs[pos] = row[c];
          classes[pos] = c;
        }
      if (found < k)
        found++;
    }
  return found;
}
