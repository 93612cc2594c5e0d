/* winograd.c — Winograd F(4×4,3×3) and direct convolution drivers: planning, run-time CPU
 *               dispatch, the parallel phases
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "threads.h"
#include "winograd.h"

#include <stdlib.h>
#include <string.h>

/* One block's V and M together stay below this, so the three phases meet in the last-level
 * cache (32 MiB here, shared) and the run's scratch stays small. A run's options may set
 * another size (VggRunOptions.winograd_block_kib), for tuning. */
#define BLOCK_BYTES_DEFAULT ((size_t) 8 << 20)
/* the part of L2 (1 MiB per core here) one GEMM task's V[ξ] may take */
#define L2_BYTES_FOR_V ((size_t) 512 << 10)

/* input channels per input-transform task, output channels per output-transform task, U
 * panels (of 8 output channels) per GEMM task */
#define INPUT_CHANNELS_PER_TASK 64
#define OUTPUT_CHANNELS_PER_TASK 16
#define PANELS_PER_TASK 2

const VggSimdKernels *
vgg_simd_kernels (VggSimdLevel level)
{
  switch (level)
    {
    case VGG_SIMD_GENERIC:
      return &vgg_simd_kernels_generic;
#if defined(__x86_64__)
    case VGG_SIMD_AVX2:
      __builtin_cpu_init ();
      return __builtin_cpu_supports ("avx2") && __builtin_cpu_supports ("fma")
             ? &vgg_simd_kernels_avx2 : NULL;
    case VGG_SIMD_AVX512:
      __builtin_cpu_init ();
      return __builtin_cpu_supports ("avx512f") ? &vgg_simd_kernels_avx512 : NULL;
#else
    case VGG_SIMD_AVX2:
    case VGG_SIMD_AVX512:
      return NULL;
#endif
    case VGG_SIMD_N_LEVELS:
      break;
    }
  return NULL;
}

const VggSimdKernels *
vgg_simd_kernels_best (const char *name)
{
  if (name != NULL && *name != '\0')
    for (int level = 0; level < VGG_SIMD_N_LEVELS; level++)
      {
        const VggSimdKernels *simd = vgg_simd_kernels ((VggSimdLevel) level);
        if (simd != NULL && strcmp (simd->name, name) == 0)
          return simd;
      }
  for (int level = VGG_SIMD_N_LEVELS - 1; level >= 0; level--)
    {
      const VggSimdKernels *simd = vgg_simd_kernels ((VggSimdLevel) level);
      if (simd != NULL)
        return simd;
    }
  return &vgg_simd_kernels_generic;
}

static int
round_up (int x,
          int multiple)
{
  return (x + multiple - 1) / multiple * multiple;
}

static int
div_up (int x,
        int d)
{
  return (x + d - 1) / d;
}

void
vgg_winograd_plan (VggWinogradPlan       *plan,
                   const VggSimdKernels  *simd,
                   int                    tile,
                   int                    batch,
                   int                    c_in,
                   int                    h,
                   int                    w,
                   int                    c_out,
                   bool                   relu,
                   bool                   pool,
                   size_t                 block_bytes)
{
  int vl = simd->vl;
  int per_block_max, n_blocks;
  size_t per_tile;

  memset (plan, 0, sizeof *plan);
  plan->simd = simd;
  plan->batch = batch;
  plan->c_in = c_in;
  plan->c_out = c_out;
  plan->h = h;
  plan->w = w;
  plan->relu = relu;
  plan->pool = pool;
  plan->tile = tile == 2 ? 2 : 4;
  plan->n_xi = (plan->tile + 2) * (plan->tile + 2);
  plan->tiles_y = div_up (h, plan->tile);
  plan->tiles_x = div_up (w, plan->tile);
  plan->n_tiles = batch * plan->tiles_y * plan->tiles_x;
  plan->k_panels = div_up (c_out, 8);
  plan->k_pad = 8 * plan->k_panels;

  /* Blocks of tiles: one GEMM task reads V[ξ] of a block (c_in × block_tiles) for every
   * panel of 8 output channels, so that stays in L2; V and M of a block together stay within
   * the scratch budget. Among the block counts and micro-kernel widths that fit, the one
   * with the fewest padding tiles wins (each block is padded to a multiple of nt), then the
   * widest kernel, then the fewest blocks (U is read once per block). */
  per_tile = (size_t) plan->n_xi * (size_t) (c_in + plan->k_pad) * sizeof (float);
  if (block_bytes == 0)
    block_bytes = BLOCK_BYTES_DEFAULT;
  per_block_max = (int) (block_bytes / per_tile);
  if ((size_t) per_block_max * c_in * sizeof (float) > L2_BYTES_FOR_V)
    per_block_max = (int) (L2_BYTES_FOR_V / ((size_t) c_in * sizeof (float)));
  {
    long best_padded = -1;

    for (int nv = simd->nv_max; nv >= 1; nv--)
      {
        int nt = vl * nv;
        int limit = per_block_max >= nt ? per_block_max / nt * nt : nt;
        int min_blocks = div_up (plan->n_tiles, limit);

        for (n_blocks = min_blocks; n_blocks <= min_blocks + 3; n_blocks++)
          {
            int block = round_up (div_up (plan->n_tiles, n_blocks), nt);
            int full = plan->n_tiles / block;
            /* the last block's GEMMs stop at its last multiple of nt */
            long padded = (long) block * full + round_up (plan->n_tiles - full * block, nt);

            /* a wider kernel is worth up to 10% more padding */
            padded = padded * (100 - 5 * (nv - 1)) / 100;
            if (block > limit)
              continue;
            if (best_padded < 0 || padded < best_padded)
              {
                best_padded = padded;
                plan->nv = nv;
                plan->nt = nt;
                plan->block_tiles = block;
              }
          }
      }
  }

  plan->u_count = (size_t) plan->n_xi * plan->k_pad * (size_t) c_in;
  plan->v_plane = (size_t) c_in * plan->block_tiles + 16;
  plan->m_plane = (size_t) plan->k_pad * plan->block_tiles + 16;
  plan->scratch_count = (size_t) plan->n_xi * (plan->v_plane + plan->m_plane);
}

/* ---- weights ---- */

typedef struct
{
  const VggWinogradPlan *plan;
  float                 *u;
  const float           *weight;
} WeightsJob;

static void
weights_task (void *context,
              int   task,
              int   thread)
{
  WeightsJob *job = context;

  job->plan->simd->transform_weights (job->u, job->weight, job->plan, task);
}

void
vgg_winograd_transform_weights (const VggWinogradPlan *plan,
                                float                 *u,
                                const float           *weight)
{
  WeightsJob job = { plan, u, weight };

  vgg_parallel_for (plan->k_panels, weights_task, &job);
}

/* ---- the convolution ---- */

typedef struct
{
  const VggWinogradPlan *plan;
  float                 *out;
  const float           *in;
  const float           *u;
  const float           *bias;
  float                 *v;
  float                 *m;
  int                    p0;          /* the block's first tile */
  int                    count;       /* tiles in the block */
  int                    n_groups;    /* ceil (count / vl) */
  int                    n_chunks;    /* channel chunks per group */
  int                    n_panel_tasks;
} ConvJob;

static void
input_task (void *context,
            int   task,
            int   thread)
{
  const ConvJob *job = context;
  const VggWinogradPlan *plan = job->plan;
  int vl = plan->simd->vl;
  int group = task / job->n_chunks;
  int chunk = task - group * job->n_chunks;
  int q = group * vl;                                  /* tile within the block */
  int count = job->count - q < vl ? job->count - q : vl;
  int c0 = chunk * INPUT_CHANNELS_PER_TASK;
  int c1 = c0 + INPUT_CHANNELS_PER_TASK < plan->c_in ? c0 + INPUT_CHANNELS_PER_TASK : plan->c_in;
  float *v = job->v + (size_t) (q / plan->nt) * plan->c_in * plan->nt + q % plan->nt;

  plan->simd->input_tiles (v, job->in, plan, job->p0 + q, count, c0, c1);
}

static void
gemm_task (void *context,
           int   task,
           int   thread)
{
  const ConvJob *job = context;
  const VggWinogradPlan *plan = job->plan;
  int xi = task / job->n_panel_tasks;
  int kp0 = (task - xi * job->n_panel_tasks) * PANELS_PER_TASK;
  int kp1 = kp0 + PANELS_PER_TASK < plan->k_panels ? kp0 + PANELS_PER_TASK : plan->k_panels;
  int n_tb = div_up (job->count, plan->nt);
  size_t ldm = (size_t) plan->block_tiles;
  const float *v = job->v + (size_t) xi * plan->v_plane;

  for (int kp = kp0; kp < kp1; kp++)
    {
      const float *u = job->u + ((size_t) kp * plan->n_xi + xi) * plan->c_in * 8;
      float *m = job->m + (size_t) xi * plan->m_plane + (size_t) kp * 8 * ldm;

      for (int tb = 0; tb < n_tb; tb++)
        plan->simd->gemm (m + (size_t) tb * plan->nt, u,
                          v + (size_t) tb * plan->c_in * plan->nt, plan->c_in, plan->nv, ldm);
    }
}

static void
output_task (void *context,
             int   task,
             int   thread)
{
  const ConvJob *job = context;
  const VggWinogradPlan *plan = job->plan;
  int vl = plan->simd->vl;
  int n_k_chunks = div_up (plan->c_out, OUTPUT_CHANNELS_PER_TASK);
  int group = task / n_k_chunks;
  int chunk = task - group * n_k_chunks;
  int q = group * vl;
  int count = job->count - q < vl ? job->count - q : vl;
  int k0 = chunk * OUTPUT_CHANNELS_PER_TASK;
  int k1 = k0 + OUTPUT_CHANNELS_PER_TASK < plan->c_out ? k0 + OUTPUT_CHANNELS_PER_TASK
                                                       : plan->c_out;

  plan->simd->output_tiles (job->out, job->m + q, job->bias, plan, job->p0 + q, count, k0, k1);
}

/* The output transform of one block and the input transform of the next, in one parallel
 * loop: V is free once the block's GEMMs are done, and M is not touched by the input side. */
typedef struct
{
  const ConvJob *done;       /* the block whose outputs are written */
  const ConvJob *next;       /* the block whose inputs are transformed */
  int            n_output;   /* tasks of the first kind */
} OverlapJob;

static int
output_tasks (const ConvJob *job)
{
  return job->n_groups * div_up (job->plan->c_out, OUTPUT_CHANNELS_PER_TASK);
}

static void
overlap_task (void *context,
              int   task,
              int   thread)
{
  const OverlapJob *job = context;

  if (task < job->n_output)
    output_task ((void *) job->done, task, thread);
  else
    input_task ((void *) job->next, task - job->n_output, thread);
}

static void
conv_job_set_block (ConvJob *job,
                    int      p0)
{
  const VggWinogradPlan *plan = job->plan;

  job->p0 = p0;
  job->count = plan->n_tiles - p0 < plan->block_tiles ? plan->n_tiles - p0 : plan->block_tiles;
  job->n_groups = div_up (job->count, plan->simd->vl);
}

void
vgg_winograd_conv (const VggWinogradPlan *plan,
                   float                 *out,
                   const float           *in,
                   const float           *u,
                   const float           *bias,
                   float                 *scratch)
{
  ConvJob jobs[2] = { {
    .plan = plan,
    .out = out,
    .in = in,
    .u = u,
    .bias = bias,
    .v = scratch,
    .m = scratch + (size_t) plan->n_xi * plan->v_plane,
    .n_chunks = div_up (plan->c_in, INPUT_CHANNELS_PER_TASK),
    .n_panel_tasks = div_up (plan->k_panels, PANELS_PER_TASK),
  } };
  int current = 0;

  /* three parallel loops per block, the last of each overlapped with the first of the
   * next: input (block 0) | GEMM (0) | output (0) + input (1) | GEMM (1) | … | output (last) */
  jobs[1] = jobs[0];
  conv_job_set_block (&jobs[0], 0);
  vgg_parallel_for (jobs[0].n_groups * jobs[0].n_chunks, input_task, &jobs[0]);
  for (int p0 = 0; p0 < plan->n_tiles; p0 += plan->block_tiles)
    {
      ConvJob *job = &jobs[current], *next = &jobs[current ^ 1];

      vgg_parallel_for (plan->n_xi * job->n_panel_tasks, gemm_task, job);
      if (p0 + plan->block_tiles < plan->n_tiles)
        {
          OverlapJob overlap = { job, next, output_tasks (job) };

          conv_job_set_block (next, p0 + plan->block_tiles);
          vgg_parallel_for (overlap.n_output + next->n_groups * next->n_chunks, overlap_task,
                            &overlap);
        }
      else
        vgg_parallel_for (output_tasks (job), output_task, job);
      current ^= 1;
    }
}

/* ---- the direct path ---- */

#define DIRECT_ROWS_PER_TASK 4

typedef struct
{
  const VggSimdKernels *simd;
  float                *out;
  const float          *in;
  const float          *weight;
  const float          *bias;
  int                   c_in, h, w, c_out;
  int                   bands;
  bool                  relu;
} DirectJob;

static void
direct_task (void *context,
             int   task,
             int   thread)
{
  const DirectJob *job = context;
  int n = task / job->bands;
  int y0 = (task - n * job->bands) * DIRECT_ROWS_PER_TASK;
  int y1 = y0 + DIRECT_ROWS_PER_TASK < job->h ? y0 + DIRECT_ROWS_PER_TASK : job->h;
  size_t plane = (size_t) job->h * job->w;

  job->simd->conv_direct_rows (job->out + (size_t) n * job->c_out * plane,
                               job->in + (size_t) n * job->c_in * plane, job->weight, job->bias,
                               job->c_in, job->h, job->w, job->c_out, y0, y1, job->relu);
}

void
vgg_conv3x3_direct (const VggSimdKernels *simd,
                    float                *out,
                    const float          *in,
                    const float          *weight,
                    const float          *bias,
                    int                   batch,
                    int                   c_in,
                    int                   h,
                    int                   w,
                    int                   c_out,
                    bool                  relu)
{
  DirectJob job = {
    .simd = simd, .out = out, .in = in, .weight = weight, .bias = bias,
    .c_in = c_in, .h = h, .w = w, .c_out = c_out, .relu = relu,
    .bands = div_up (h, DIRECT_ROWS_PER_TASK),
  };

  vgg_parallel_for (batch * job.bands, direct_task, &job);
}
