/* channel-statistics.c — an activation copied out with each channel's statistics, in one pass
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A window that shows every layer copies every layer's output (about 60 MB for VGG16) out of
 * the run's buffers, which the next layers overwrite, and needs each channel's mean (to sort
 * the maps), minimum and maximum (to colour them) and share of zeros (dead channels). That
 * copy happens between two layers, while the pass waits for it, so it must cost little:
 *
 *  - one read of each value does everything: the copy, the sum, the extremes, the zeros;
 *  - four independent lanes per statistic (GCC vector extensions, one SSE2 register), where a
 *    single running sum in double waits on each addition's latency: VGG16's conv1_1 (64 maps
 *    of 224 × 224) took 3–7 ms that way and takes 1.5 ms on one core, 0.8 ms on two;
 *  - the lanes sum in float over blocks of BLOCK values and the blocks in double, so the
 *    mean of a 50,176-value map keeps float precision;
 *  - the channels are shared out over the engine's pool: the hook runs between two layers,
 *    when the pool's workers are idle.
 */
#include "config.h"

#include "engine-private.h"
#include "threads.h"

#include <float.h>
#include <stdint.h>
#include <string.h>

#define LANES 4                        /* one SSE2 register: wider vectors are emulated,
                                          and slower, in baseline x86-64 code */
#define BLOCK 1024                     /* values summed in float before the double sum */
#define PARALLEL_MIN ((size_t) 1 << 16)  /* fewer values: not worth waking the pool */

typedef float   VFloat __attribute__ ((vector_size (LANES * sizeof (float))));
typedef int32_t VInt __attribute__ ((vector_size (LANES * sizeof (int32_t))));

typedef struct
{
  float       *copy;
  const float *data;
  size_t       plane;
  int          channels;
  int          per_task;       /* channels per task */
  float       *mean;
  float       *min;
  float       *max;
  float       *zero_fraction;
} Job;

/* @yes where @mask is set (−1), else @no */
#define SELECT_LANES(mask, yes, no) \
  ((VFloat) (((VInt) (yes) & (mask)) | ((VInt) (no) & ~(mask))))

static void
one_channel (const Job *job,
             int        channel)
{
  const float *in = job->data + (size_t) channel * job->plane;
  float *out = job->copy != NULL ? job->copy + (size_t) channel * job->plane : NULL;
  size_t n = job->plane, vectors = n / LANES * LANES, i = 0;
  VFloat low, high, block_sum = { 0 };
  VInt zeros = { 0 };
  float lo = FLT_MAX, hi = -FLT_MAX, tail_sum = 0.0f;
  double sum = 0.0;
  int32_t zero_count = 0;

  for (int k = 0; k < LANES; k++)
    {
      low[k] = FLT_MAX;
      high[k] = -FLT_MAX;
    }
  while (i < vectors)
    {
      size_t end = i + BLOCK < vectors ? i + BLOCK : vectors;

      block_sum = (VFloat) { 0 };
      for (; i < end; i += LANES)
        {
          VFloat v;

          memcpy (&v, in + i, sizeof v);
          if (out != NULL)
            memcpy (out + i, &v, sizeof v);
          block_sum += v;
          low = SELECT_LANES (v < low, v, low);
          high = SELECT_LANES (v > high, v, high);
          zeros -= (VInt) (v == 0.0f);   /* a true comparison is −1 */
        }
      for (int k = 0; k < LANES; k++)
        sum += (double) block_sum[k];
    }
  for (; i < n; i++)
    {
      float v = in[i];

      if (out != NULL)
        out[i] = v;
      tail_sum += v;
      lo = v < lo ? v : lo;
      hi = v > hi ? v : hi;
      zero_count += v == 0.0f;
    }
  sum += (double) tail_sum;
  for (int k = 0; k < LANES; k++)
    {
      lo = low[k] < lo ? low[k] : lo;
      hi = high[k] > hi ? high[k] : hi;
      zero_count += zeros[k];
    }

  job->mean[channel] = (float) (sum / (double) n);
  job->min[channel] = lo;
  job->max[channel] = hi;
  job->zero_fraction[channel] = (float) zero_count / (float) n;
}

static void
channels_task (void *context,
               int   task,
               int   thread)
{
  const Job *job = context;
  int first = task * job->per_task;
  int last = first + job->per_task < job->channels ? first + job->per_task : job->channels;

  (void) thread;
  for (int c = first; c < last; c++)
    one_channel (job, c);
}

void
vgg_channel_statistics (float       *copy,
                        const float *data,
                        int          channels,
                        size_t       plane,
                        float       *mean,
                        float       *min,
                        float       *max,
                        float       *zero_fraction)
{
  Job job = {
    .copy = copy, .data = data, .plane = plane, .channels = channels,
    .mean = mean, .min = min, .max = max, .zero_fraction = zero_fraction,
  };
  int n_tasks;

  if (data == NULL || channels <= 0 || plane == 0 || mean == NULL || min == NULL
      || max == NULL || zero_fraction == NULL)
    return;

  /* a few tasks per thread, so that a preempted thread's share can be taken over */
  n_tasks = (size_t) channels * plane < PARALLEL_MIN ? 1 : 4 * vgg_parallel_threads ();
  if (n_tasks > channels)
    n_tasks = channels;
  job.per_task = (channels + n_tasks - 1) / n_tasks;
  n_tasks = (channels + job.per_task - 1) / job.per_task;
  if (n_tasks == 1)
    channels_task (&job, 0, 0);
  else
    vgg_parallel_for (n_tasks, channels_task, &job);
}
