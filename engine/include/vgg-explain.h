/* vgg-explain.h — why this class: saliency, guided backprop, deconvnet, Grad-CAM, integrated
 *                 gradients, effective receptive fields, and the randomisation sanity check
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The third public header of the engine (conventions as vgg.h's: float32, N,C,H,W, VggStatus +
 * optional VggError). Every method is one backward engine: a forward pass that keeps what the
 * way back needs (which units were positive, which input won each pool window), then a
 * backward pass whose ReLU rule is a parameter (VggReluRule). The backward of a 3×3 stride-1
 * "same" convolution with respect to its input is itself such a convolution of the output
 * gradient, with the kernel flipped in space and its input and output channels swapped, so it
 * runs on the forward's fast kernels (Winograd), with those flipped kernels transformed once
 * when the explainer is made. No weight gradients are computed; a pass stops at the lowest
 * layer it needs.
 *
 * Definitions (x the network input: the preprocessed tensor [C_in, H, W]; logit_k the score
 * of class k before the softmax):
 *   saliency         ∂ logit_k / ∂ x; times_input: ⊙ x; smooth_samples N > 0: SmoothGrad,
 *                    the mean of the gradient at x + σ·ε_j over N copies, ε_j standard normal
 *                    (then ⊙ x if times_input)
 *   guided           ∂ logit_k / ∂ x where every ReLU passes back
 *                    grad_in = [z > 0]·max (grad_out, 0)
 *   deconv           the same with grad_in = max(grad_out, 0), whatever the ReLU's input z
 *   gradcam          ReLU(Σ_c α_c A_c) at layer L (a conv or pool), A_c its output channel c
 *                    (after the ReLU for a conv), α_c the spatial mean of ∂ logit_k / ∂ A_c;
 *                    [H_L, W_L], not normalised
 *   guided-gradcam   guided ⊙ gradcam up-sampled to [H, W] bilinearly with half-pixel centres
 *                    (PyTorch's interpolate (mode="bilinear", align_corners=False))
 *   ig               integrated gradients from the zero input (for the torchvision and Caffe
 *                    presets that is the mean colour, for the others black) by the midpoint
 *                    rule in m steps: x ⊙ (1/m) Σ_i ∂ logit_k / ∂ x at ((i + ½)/m)·x
 *   erf              effective receptive field of unit (c, y, x) of a conv or pool layer:
 *                    ∂ z / ∂ x, z the unit's value before its ReLU; over several inputs, the
 *                    mean of |∂ z / ∂ x|
 * guided and deconv may project a unit (c, y, x) of any layer instead of a class (seeded at its
 * value before its ReLU, so an inactive unit still projects). Max-pools route a window's
 * gradient to its first maximum in row-major order (as PyTorch).
 *
 * Random numbers (SmoothGrad and ERF noise, the sanity check's weights): splitmix64 from the
 * given seed, each normal sample by Box–Muller from two draws: u1 = (top 53 bits + ½)/2⁵³,
 * u2 = top 53 bits/2⁵³, ε = √(−2 ln u1)·cos (2π u2); samples are drawn in tensor order,
 * copy after copy. They are not torch's numbers: pass VggExplainRequest.noise to use others.
 *
 * Sanity check (Adebayo et al., 2018): VggExplainerOptions.randomize_from replaces the weights
 * of that layer and every layer above it with seeded random ones, initialised as torchvision
 * initialises a VGG: convolutions N(0, 2/(9·C_out)) (Kaiming normal, fan-out, ReLU gain),
 * fully connected layers N(0, 0.01²), every bias zero.
 *
 * Threads: one VggExplainer per thread (its memory is planned once, when it is made); the
 * model is shared read-only. vgg_explainer_cancel() is safe from any thread.
 */
#pragma once

#include "vgg.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum
{
  VGG_RELU_RULE_PLAIN = 0, /* grad_in = [z > 0]·grad_out: the true gradient */
  VGG_RELU_RULE_GUIDED,    /* grad_in = [z > 0]·max (grad_out, 0) */
  VGG_RELU_RULE_DECONV,    /* grad_in = max (grad_out, 0) */
  VGG_RELU_RULE_N_RULES
} VggReluRule;

typedef enum
{
  VGG_EXPLAIN_SALIENCY = 0,
  VGG_EXPLAIN_GUIDED,
  VGG_EXPLAIN_DECONV,
  VGG_EXPLAIN_GRADCAM,
  VGG_EXPLAIN_GUIDED_GRADCAM,
  VGG_EXPLAIN_INTEGRATED_GRADIENTS,
  VGG_EXPLAIN_ERF,
  VGG_EXPLAIN_N_METHODS
} VggExplainMethod;

/* "saliency", "guided", "deconv", "gradcam", "guided-gradcam", "ig", "erf" */
const char *vgg_explain_method_name (VggExplainMethod method);
bool        vgg_explain_method_from_name (const char *name, VggExplainMethod *method);
/* Whether @method explains a class (and so needs a classifier); guided and deconv do unless
 * they project a unit. */
bool        vgg_explain_method_needs_class (VggExplainMethod method);

typedef struct VggExplainer VggExplainer;

/* Fixed when the explainer is made. Zero-initialise ({ 0 }) for the defaults. */
typedef struct
{
  int         max_batch;       /* inputs per pass for integrated gradients, SmoothGrad and ERF
                                  averages; 0: as many as fit in about 96 MiB of saved state
                                  (1 to 8: 2 for VGG16 at 224×224) */
  bool        exact;           /* im2col + sgemm convolutions both ways (as VggRunOptions.exact) */
  double      conv_memory_mib; /* budget for transformed convolution weights, each direction;
                                  ≤ 0: 120 MiB */
  const char *simd;            /* as VggRunOptions.simd */
  bool        randomize;       /* the sanity check: random weights from layer randomize_from up */
  int         randomize_from;
  uint64_t    randomize_seed;
} VggExplainerOptions;

/* Called after each pass with the fraction done, on the computing thread. */
typedef void (*VggExplainProgressFunc) (double fraction, void *user_data);

/* Plans and allocates everything the methods need for @model (which must outlive the
 * explainer): saved state for max_batch inputs, gradient buffers, the transformed kernels of
 * both directions. */
VggStatus vgg_explainer_new (VggExplainer **explainer, const VggModel *model,
                             const VggExplainerOptions *options, VggError *error);
void      vgg_explainer_free (VggExplainer *explainer);

/* The batch size the explainer was planned for. */
int       vgg_explainer_max_batch (const VggExplainer *explainer);
void      vgg_explainer_set_progress (VggExplainer *explainer, VggExplainProgressFunc func,
                                      void *user_data);

/* Asks the computation running on @explainer to stop; it then returns VGG_STATUS_CANCELLED.
 * Safe from any thread; a request made while nothing runs is dropped when the next
 * vgg_explainer_compute() starts (as vgg_run_cancel()). */
void      vgg_explainer_cancel (VggExplainer *explainer);

typedef struct
{
  VggExplainMethod method;
  int          class_index;    /* -1: the top class */
  int          layer_index;    /* gradcam, guided-gradcam: the layer (-1: the last conv);
                                  erf: the unit's layer; guided, deconv: a unit's layer to
                                  project (-1: a class) */
  int          unit_channel, unit_y, unit_x;   /* erf, and guided/deconv with a layer */
  bool         times_input;    /* saliency: gradient ⊙ input */
  int          smooth_samples; /* saliency: SmoothGrad copies (0: none) */
  float        noise_sigma;    /* SmoothGrad's σ, in input units; ERF noise inputs' σ (0: 1) */
  uint64_t     seed;           /* SmoothGrad and ERF noise */
  const float *noise;          /* NULL, or the standard normal samples to use instead of the
                                  generator's: [smooth_samples, C, H, W] for SmoothGrad */
  int          steps;          /* ig: m (0: 32) */
  int          n_inputs;       /* erf: inputs given (@input holds n_inputs × [C, H, W]); more
                                  than one, or noise_inputs > 0, gives the mean |∂z/∂x| */
  int          noise_inputs;   /* erf: average over this many seeded N(0, σ²) inputs instead */
} VggExplainRequest;

/* Fills @request with the defaults for @method: top class, default layer, no options. */
void      vgg_explain_request_init (VggExplainRequest *request, VggExplainMethod method);

typedef struct
{
  int    class_index;      /* the class explained (-1 for a unit) */
  int    layer_index;      /* gradcam's or the unit's layer (-1 for none) */
  float  score;            /* logit_k, or the unit's value before its ReLU (first input) */
  int    channels, height, width;  /* the map's shape */
  /* integrated gradients */
  float  baseline_score;   /* logit_k at the zero input */
  double ig_sum;           /* Σ IG */
  double completeness_gap; /* |Σ IG − (logit_k(x) − logit_k(0))| */
  /* effective receptive field (|g| summed over input channels, pixel-centre coordinates):
   * the theoretical field's side and centre (which may lie outside the picture), the share
   * of Σ|g| in the central square of half that side (pixels whose centres are within a
   * quarter of the side of the centre in both directions), and the radii: the smallest
   * Euclidean distance r from the centre such that the pixels within r hold at least 50 %
   * (90 %) of Σ|g| */
  int    field_size;
  double field_center_y, field_center_x;
  double center_share, radius_50, radius_90;
  /* timing */
  int    passes;           /* forward + backward passes run (batches) */
  double seconds;          /* wall time of the whole computation */
  double seconds_per_step; /* ig, SmoothGrad, ERF averages: per input */
} VggExplainResult;

/* The shape of the map @request gives: [C_in, H, W] for every method but gradcam, whose map
 * is [1, H_L, W_L]. Checks the request against the model (a class-based method on a model
 * without a classifier is VGG_STATUS_UNSUPPORTED; an unknown layer, a unit outside it or a
 * class beyond the model's is VGG_STATUS_INVALID_ARGUMENT), with a message saying why. */
VggStatus vgg_explainer_map_shape (VggExplainer *explainer, const VggExplainRequest *request,
                                   int *channels, int *height, int *width, VggError *error);

/* Runs @request on @input [C, H, W] (n_inputs of them for an ERF average; preprocessed) and
 * writes the map (vgg_explainer_map_shape() floats) to @map; @result (may be NULL) gets the
 * numbers. */
VggStatus vgg_explainer_compute (VggExplainer *explainer, const float *input,
                                 const VggExplainRequest *request, float *map,
                                 VggExplainResult *result, VggError *error);

/* The building block behind them all, for one input: forward, then back from @seed_layer with
 * @rule, stopping at @stop_layer's output (-1: the input). @seed ([C, H, W] of the seed layer's
 * output, before its ReLU when it has one) is the gradient to start from; @grad receives
 * the gradient with respect to the stop layer's output (or the input), before any ReLU rule of
 * that layer. */
VggStatus vgg_explainer_backward (VggExplainer *explainer, const float *input, int seed_layer,
                                  const float *seed, VggReluRule rule, int stop_layer,
                                  float *grad, VggError *error);

/* out [h, w] from map [h_in, w_in], bilinear with half-pixel centres (PyTorch's
 * interpolate (mode="bilinear", align_corners=False)): how Grad-CAM meets the input. */
void      vgg_explain_upsample (float *out, const float *map, int h_in, int w_in, int h, int w);

#ifdef __cplusplus
}
#endif
