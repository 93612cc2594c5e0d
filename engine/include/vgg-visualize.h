/* vgg-visualize.h — what a channel wants to see: feature visualization by gradient ascent
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An engine header (conventions as vgg.h's: float32, C,H,W, VggStatus + optional VggError; no
 * GLib). It grows an input that excites one channel (or one class) as much as it can, the
 * regularised optimisation of Olah, Mordvintsev and Schubert, "Feature Visualization"
 * (Distill, 2017):
 *
 *   objective   conv layer: the mean over the map of channel c before its ReLU; hidden fully
 *               connected layer: unit c before its ReLU; the classifier: logit c; a pool: the
 *               mean of its output channel c
 *   start       seeded noise: every input value uniform in mid ± amplitude·(hi − lo)/2, where
 *               [lo, hi] is the preset's input range for that channel (what a picture's
 *               pixels 0 and 255 become) and mid its middle
 *   each step   a random transformation T of the picture — a shift of up to ±jitter pixels,
 *               a scale in [1 − scale, 1 + scale] and a rotation in ±rotate degrees about the
 *               centre, sampled bilinearly with the border clamped — then the gradient of the
 *               objective at T(x), brought back to x through Tᵀ (the exact adjoint of that
 *               sampling); the gradient is low-pass filtered (a Gaussian of σ = blur pixels:
 *               a frequency penalty that acts like Lucid's 1/f-scaled Fourier
 *               parameterisation, which also damps high frequencies in the update),
 *               normalised by its mean absolute value and added with a step size that falls
 *               from learning_rate·(hi − lo) to a tenth of it along a cosine; the picture is
 *               then clamped to [lo, hi]. The last eighth of the steps use no transformation,
 *               so the result is sharp where the objective is measured.
 *   result      the picture x (an input tensor in the preset's units) and the objective at x
 *               itself, untransformed
 *
 * Random numbers: splitmix64 from the seed (the noise first, in tensor order, then per step
 * shift, scale and angle), so one seed gives one picture. Only the gradient uses the engine's
 * thread pool, whose products do not depend on the thread count: the same seed gives the same
 * bytes with 1 or 2 threads (tests/test-visualize.c checks it).
 *
 * A grey model gives a grey picture; colour models get no decorrelated colour space (the
 * three channels are optimised as they are, with the same filter).
 */
#pragma once

#include "vgg.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct
{
  int      layer_index;    /* any layer but the softmax */
  int      channel;        /* the channel, unit or class */
  int      steps;          /* ≥ 1 */
  uint64_t seed;
  float    amplitude;      /* the start's noise, a fraction of the input range */
  float    learning_rate;  /* the first step's size, a fraction of the input range */
  int      jitter;         /* pixels (0: none) */
  float    scale;          /* the largest relative scale change (0: none) */
  float    rotate;         /* the largest rotation in degrees (0: none) */
  float    blur;           /* σ of the gradient's Gaussian filter in pixels (0: none) */
} VggVisualizeRequest;

/* The defaults for @model's layer @layer_index, channel @channel: 256 steps, seed 0, amplitude
 * 0.1, learning rate 0.05, jitter the input side / 16 (at least 1), scale 0.05, rotation 5°,
 * blur the input side / 64 (at least 0.5). */
void vgg_visualize_request_init (VggVisualizeRequest *request, const VggModel *model,
                                 int layer_index, int channel);

/* Called after every step on the computing thread with the picture so far (@input, [C, H, W],
 * valid during the call) and the objective at its transformed copy; return false to stop
 * (vgg_visualize() then returns VGG_STATUS_CANCELLED). */
typedef bool (*VggVisualizeProgressFunc) (int step, int n_steps, float objective,
                                          const float *input, void *user_data);

typedef struct
{
  float  objective_start;  /* at the noise */
  float  objective;        /* at the result */
  int    steps;            /* steps run */
  double seconds;
} VggVisualizeResult;

/* Runs @request on @model and writes the picture to @input ([C, H, W] of the model's input,
 * in its preset's units). @progress may be NULL; @result may be NULL. A bad layer, channel or
 * step count is VGG_STATUS_INVALID_ARGUMENT with a sentence saying why. */
VggStatus vgg_visualize (const VggModel *model, const VggVisualizeRequest *request,
                         float *input, VggVisualizeProgressFunc progress, void *user_data,
                         VggVisualizeResult *result, VggError *error);

/* The objective of @request at @input, as vgg_visualize() measures it. */
VggStatus vgg_visualize_objective (const VggModel *model, const VggVisualizeRequest *request,
                                   const float *input, float *objective, VggError *error);

/* [lo, hi]: what pixel values 0 and 255 of input channel @channel become under @preset
 * (torchvision: (0 − mean)/std … (1 − mean)/std; caffe: 0 − mean … 255 − mean, BGR; plain and
 * fashion-mnist: 0 … 1). */
void      vgg_preset_input_range (VggPreset preset, int channel, float *lo, float *hi);

/* The picture an input tensor stands for: the preset undone (BGR back to RGB, grey to three
 * equal channels), rounded to 8 bits and clamped. @image is allocated here
 * (vgg_image_clear()). */
VggStatus vgg_input_to_image (VggImage *image, const float *input, int channels, int height,
                              int width, VggPreset preset, VggError *error);

#ifdef __cplusplus
}
#endif
