/* methods.c — the explanation methods on the explainer's backward engine: saliency and
 *             SmoothGrad, guided backprop, deconvnet, Grad-CAM, guided Grad-CAM, integrated
 *             gradients, effective receptive fields and their statistics
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "explain-private.h"
#include "engine-private.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const method_names[VGG_EXPLAIN_N_METHODS] = {
  "saliency", "guided", "deconv", "gradcam", "guided-gradcam", "ig", "erf",
};

const char *
vgg_explain_method_name (VggExplainMethod method)
{
  return method >= 0 && method < VGG_EXPLAIN_N_METHODS ? method_names[method] : "unknown";
}

bool
vgg_explain_method_from_name (const char       *name,
                              VggExplainMethod *method)
{
  for (int m = 0; m < VGG_EXPLAIN_N_METHODS; m++)
    if (name != NULL && strcmp (name, method_names[m]) == 0)
      {
        *method = (VggExplainMethod) m;
        return true;
      }
  return false;
}

bool
vgg_explain_method_needs_class (VggExplainMethod method)
{
  return method != VGG_EXPLAIN_ERF;
}

void
vgg_explain_request_init (VggExplainRequest *request,
                          VggExplainMethod   method)
{
  memset (request, 0, sizeof *request);
  request->method = method;
  request->class_index = -1;
  request->layer_index = -1;
  request->n_inputs = 1;
}

static double
now_seconds (void)
{
  struct timespec t;

  clock_gettime (CLOCK_MONOTONIC, &t);
  return (double) t.tv_sec + 1e-9 * (double) t.tv_nsec;
}

static int
last_conv (const VggExplainer *e)
{
  for (int i = e->n_layers - 1; i >= 0; i--)
    if (e->layers[i].kind == VGG_LAYER_CONV)
      return i;
  return -1;
}

static bool
uses_unit (const VggExplainRequest *request)
{
  return request->method == VGG_EXPLAIN_ERF
         || ((request->method == VGG_EXPLAIN_GUIDED || request->method == VGG_EXPLAIN_DECONV)
             && request->layer_index >= 0);
}

static int
gradcam_layer (const VggExplainer      *e,
               const VggExplainRequest *request)
{
  return request->layer_index >= 0 ? request->layer_index : last_conv (e);
}

VggStatus
vgg_explainer_map_shape (VggExplainer            *e,
                         const VggExplainRequest *request,
                         int                     *channels,
                         int                     *height,
                         int                     *width,
                         VggError                *error)
{
  const VggConfig *config;

  if (e == NULL || request == NULL)
    return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT, "no explainer or no request");
  config = &e->model->config;
  if (request->method < 0 || request->method >= VGG_EXPLAIN_N_METHODS)
    return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT, "unknown method %d",
                          (int) request->method);
  if (!uses_unit (request))
    {
      if (e->classifier < 0)
        return vgg_error_set (error, VGG_STATUS_UNSUPPORTED,
                              "%s explains a class, and %s has no classifier (feature maps "
                              "only): pick a unit with erf, or guided/deconv with a layer and "
                              "unit", vgg_explain_method_name (request->method),
                              vgg_model_name (e->model));
      if (request->class_index < -1 || request->class_index >= config->n_classes)
        return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT,
                              "class %d is beyond the model's %d classes (0…%d)",
                              request->class_index, config->n_classes, config->n_classes - 1);
    }
  if (request->method == VGG_EXPLAIN_GRADCAM || request->method == VGG_EXPLAIN_GUIDED_GRADCAM
      || uses_unit (request))
    {
      int index = request->method == VGG_EXPLAIN_GRADCAM
                  || request->method == VGG_EXPLAIN_GUIDED_GRADCAM
                  ? gradcam_layer (e, request) : request->layer_index;
      const VggLayer *layer;

      if (index < 0 || index >= e->n_layers)
        return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT,
                              "layer %d does not exist (the model has %d layers)", index,
                              e->n_layers);
      layer = &e->layers[index];
      if ((request->method == VGG_EXPLAIN_GRADCAM || request->method == VGG_EXPLAIN_GUIDED_GRADCAM
           || request->method == VGG_EXPLAIN_ERF)
          && layer->kind != VGG_LAYER_CONV && layer->kind != VGG_LAYER_POOL)
        return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT,
                              "%s needs a convolution or pool layer; %s is a %s layer",
                              vgg_explain_method_name (request->method), layer->name,
                              vgg_layer_kind_name (layer->kind));
      if (layer->kind == VGG_LAYER_SOFTMAX)
        return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT,
                              "%s has no units to project (use a class)", layer->name);
      if (uses_unit (request)
          && (request->unit_channel < 0 || request->unit_channel >= layer->channels_out
              || request->unit_y < 0 || request->unit_y >= layer->height_out
              || request->unit_x < 0 || request->unit_x >= layer->width_out))
        return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT,
                              "unit (%d, %d, %d) is outside layer %s, whose output is %d × %d × %d",
                              request->unit_channel, request->unit_y, request->unit_x,
                              layer->name, layer->channels_out, layer->height_out,
                              layer->width_out);
      if (request->method == VGG_EXPLAIN_GRADCAM)
        {
          *channels = 1;
          *height = layer->height_out;
          *width = layer->width_out;
          return VGG_STATUS_OK;
        }
    }
  if (request->method == VGG_EXPLAIN_SALIENCY
      && (request->smooth_samples < 0 || (request->smooth_samples > 0
                                          && !(request->noise_sigma >= 0.0f))))
    return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT,
                          "SmoothGrad needs a sample count ≥ 0 and σ ≥ 0");
  if (request->method == VGG_EXPLAIN_INTEGRATED_GRADIENTS
      && (request->steps < 0 || request->steps > 100000))
    return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT, "%d steps is outside 1…100000",
                          request->steps);
  if (request->method == VGG_EXPLAIN_ERF
      && (request->n_inputs < 0 || request->noise_inputs < 0
          || (request->n_inputs < 1 && request->noise_inputs < 1)))
    return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT,
                          "an effective receptive field needs at least one input");
  *channels = config->input_channels;
  *height = config->input_height;
  *width = config->input_width;
  return VGG_STATUS_OK;
}

/* ---- pieces ---- */

typedef struct
{
  VggExplainer *e;
  int           passes_done, passes_total;
} Progress;

static void
step_done (Progress *p)
{
  p->passes_done++;
  explain_progress (p->e, p->passes_total > 0 ? (double) p->passes_done / p->passes_total : 1.0);
}

static int
argmax_row (const float *row,
            int          n)
{
  int best = 0;

  for (int k = 1; k < n; k++)
    if (row[k] > row[best])
      best = k;
  return best;
}

/* Forward @batch inputs and back from class @k with @rule to @stop (-1: input); the result
 * is in buffers[*slot]. */
static VggStatus
class_pass (VggExplainer *e,
            const float  *inputs,
            int           batch,
            int           k,
            VggReluRule   rule,
            int           stop,
            int           capture,
            int          *slot,
            VggError     *error)
{
  const VggLayer *cls = &e->layers[e->classifier];
  size_t n_in = (size_t) cls->channels_in * cls->height_in * cls->width_in;
  VggStatus status;

  status = explain_forward (e, inputs, batch, e->classifier, capture, error);
  if (status != VGG_STATUS_OK)
    return status;
  if (k < 0)
    k = argmax_row (e->logits, cls->channels_out);
  *slot = 0;
  for (int n = 0; n < batch; n++)
    explain_class_seed (e, e->buffers[0] + n * n_in, k);
  return explain_backward (e, batch, e->classifier - 1, false, rule, stop, slot, error);
}

/* The top class of @input (one forward pass), its logit in @score. */
static VggStatus
top_class (VggExplainer *e,
           const float  *input,
           int          *k,
           float        *score,
           VggError     *error)
{
  VggStatus status = explain_forward (e, input, 1, e->classifier, -1, error);

  if (status != VGG_STATUS_OK)
    return status;
  if (*k < 0)
    *k = argmax_row (e->logits, e->layers[e->classifier].channels_out);
  *score = e->logits[*k];
  return VGG_STATUS_OK;
}

/* A batch of inputs (@count of them, padded with zeros to max_batch) is in e->inputs; run it
 * back from class @k and add each one's input gradient (or its absolute value) to @sum. */
static VggStatus
accumulate_class (VggExplainer *e,
                  int           count,
                  int           k,
                  float        *sum,
                  VggError     *error)
{
  int batch = count == 1 ? 1 : e->max_batch, slot;
  VggStatus status;

  if (batch > count)
    memset (e->inputs + (size_t) count * e->input_count, 0,
            sizeof (float) * (size_t) (batch - count) * e->input_count);
  status = class_pass (e, e->inputs, batch, k, VGG_RELU_RULE_PLAIN, -1, -1, &slot, error);
  if (status != VGG_STATUS_OK)
    return status;
  for (int n = 0; n < count; n++)
    {
      const float *g = e->buffers[slot] + (size_t) n * e->input_count;
      for (size_t j = 0; j < e->input_count; j++)
        sum[j] += g[j];
    }
  return VGG_STATUS_OK;
}

/* ReLU (Σ_c α_c A_c) at layer @index into @cam, from the captured A (before the layer's ReLU)
 * and the gradient with respect to A in @grad (input 0). */
static void
gradcam_map (VggExplainer *e,
             int           index,
             const float  *grad,
             float        *cam)
{
  const VggLayer *layer = &e->layers[index];
  size_t plane = (size_t) layer->height_out * layer->width_out;

  memset (cam, 0, sizeof (float) * plane);
  for (int c = 0; c < layer->channels_out; c++)
    {
      const float *g = grad + c * plane, *a = e->capture + c * plane;
      double alpha = 0.0;

      for (size_t j = 0; j < plane; j++)
        alpha += g[j];
      alpha /= (double) plane;
      for (size_t j = 0; j < plane; j++)
        cam[j] += (float) alpha * (a[j] > 0.0f || !layer->relu ? a[j] : 0.0f);
    }
  for (size_t j = 0; j < plane; j++)
    cam[j] = cam[j] > 0.0f ? cam[j] : 0.0f;
}

/* PyTorch's source index for interpolate (align_corners=False) */
static void
source_index (int     dst,
              int     in_size,
              int     out_size,
              int    *i0,
              int    *i1,
              float  *lambda)
{
  float scale = (float) in_size / (float) out_size;
  float src = scale * ((float) dst + 0.5f) - 0.5f;

  if (src < 0.0f)
    src = 0.0f;
  *i0 = (int) src;
  *i1 = *i0 + (*i0 < in_size - 1 ? 1 : 0);
  *lambda = src - (float) *i0;
}

void
vgg_explain_upsample (float       *out,
                      const float *cam,
                      int          h_in,
                      int          w_in,
                      int          h,
                      int          w)
{
  for (int y = 0; y < h; y++)
    {
      int y0, y1;
      float ly;

      source_index (y, h_in, h, &y0, &y1, &ly);
      for (int x = 0; x < w; x++)
        {
          int x0, x1;
          float lx;

          source_index (x, w_in, w, &x0, &x1, &lx);
          out[(size_t) y * w + x]
            = (1.0f - ly) * ((1.0f - lx) * cam[y0 * w_in + x0] + lx * cam[y0 * w_in + x1])
              + ly * ((1.0f - lx) * cam[y1 * w_in + x0] + lx * cam[y1 * w_in + x1]);
        }
    }
}

typedef struct
{
  double d2;
  double v;
} Ring;

static int
compare_rings (const void *a,
               const void *b)
{
  double x = ((const Ring *) a)->d2, y = ((const Ring *) b)->d2;

  return x < y ? -1 : x > y;
}

/* The ERF statistics of @map [C, H, W] for unit (y, x) of layer @index. */
static VggStatus
erf_statistics (VggExplainer     *e,
                int               index,
                int               y,
                int               x,
                const float      *map,
                VggExplainResult *result,
                VggError         *error)
{
  const VggConfig *config = &e->model->config;
  const VggReceptiveField *field = &e->layers[index].receptive_field;
  int h = config->input_height, w = config->input_width, c_in = config->input_channels;
  size_t plane = (size_t) h * w;
  double cy = field->start + (double) field->jump * y, cx = field->start + (double) field->jump * x;
  double half = field->size / 4.0, total = 0.0, inside = 0.0, acc = 0.0;
  Ring *rings = e->rings;

  (void) error;
  for (int py = 0; py < h; py++)
    for (int px = 0; px < w; px++)
      {
        double v = 0.0;
        size_t at = (size_t) py * w + px;

        for (int c = 0; c < c_in; c++)
          v += fabs ((double) map[c * plane + at]);
        total += v;
        if (fabs (py - cy) <= half && fabs (px - cx) <= half)
          inside += v;
        rings[at].d2 = (py - cy) * (py - cy) + (px - cx) * (px - cx);
        rings[at].v = v;
      }
  qsort (rings, plane, sizeof *rings, compare_rings);
  result->field_size = field->size;
  result->field_center_y = cy;
  result->field_center_x = cx;
  result->center_share = total > 0.0 ? inside / total : 0.0;
  result->radius_50 = result->radius_90 = -1.0;
  for (size_t j = 0; j < plane && total > 0.0; j++)
    {
      acc += rings[j].v;
      /* pixels at the same distance count together */
      if (j + 1 < plane && rings[j + 1].d2 == rings[j].d2)
        continue;
      if (result->radius_50 < 0.0 && acc >= 0.5 * total * (1.0 - 1e-12))
        result->radius_50 = sqrt (rings[j].d2);
      if (result->radius_90 < 0.0 && acc >= 0.9 * total * (1.0 - 1e-12))
        result->radius_90 = sqrt (rings[j].d2);
    }
  if (total <= 0.0)
    result->radius_50 = result->radius_90 = 0.0;
  return VGG_STATUS_OK;
}

/* ---- the methods ---- */

static VggStatus
compute_saliency (VggExplainer            *e,
                  const float             *input,
                  const VggExplainRequest *request,
                  float                   *map,
                  VggExplainResult        *result,
                  Progress                *progress,
                  VggError                *error)
{
  int k = request->class_index, n = request->smooth_samples;
  size_t count = e->input_count;
  VggStatus status;

  if (n == 0)
    {
      int slot;

      progress->passes_total = 1;
      status = class_pass (e, input, 1, k, VGG_RELU_RULE_PLAIN, -1, -1, &slot, error);
      if (status != VGG_STATUS_OK)
        return status;
      if (k < 0)
        k = argmax_row (e->logits, e->layers[e->classifier].channels_out);
      result->class_index = k;
      result->score = e->logits[k];
      memcpy (map, e->buffers[slot], sizeof (float) * count);
      step_done (progress);
    }
  else
    {
      /* SmoothGrad: the class is x's; copies in batches */
      uint64_t state = request->seed;
      int done = 0;

      progress->passes_total = 1 + (n + e->max_batch - 1) / e->max_batch;
      status = top_class (e, input, &k, &result->score, error);
      if (status != VGG_STATUS_OK)
        return status;
      result->class_index = k;
      step_done (progress);
      memset (e->sum, 0, sizeof (float) * count);
      while (done < n)
        {
          int b = n - done < e->max_batch ? n - done : e->max_batch;

          for (int j = 0; j < b; j++)
            {
              float *dst = e->inputs + (size_t) j * count;
              const float *noise = request->noise != NULL
                                   ? request->noise + (size_t) (done + j) * count : NULL;
              for (size_t q = 0; q < count; q++)
                dst[q] = input[q] + request->noise_sigma
                                    * (noise != NULL ? noise[q]
                                                     : vgg_explain_random_normal (&state));
            }
          status = accumulate_class (e, b, k, e->sum, error);
          if (status != VGG_STATUS_OK)
            return status;
          done += b;
          step_done (progress);
        }
      for (size_t q = 0; q < count; q++)
        map[q] = e->sum[q] / (float) n;
    }
  if (request->times_input)
    for (size_t q = 0; q < count; q++)
      map[q] *= input[q];
  return VGG_STATUS_OK;
}

static VggStatus
compute_integrated_gradients (VggExplainer            *e,
                              const float             *input,
                              const VggExplainRequest *request,
                              float                   *map,
                              VggExplainResult        *result,
                              Progress                *progress,
                              VggError                *error)
{
  int k = request->class_index, m = request->steps > 0 ? request->steps : 32, done = 0;
  size_t count = e->input_count;
  double sum = 0.0, start;
  VggStatus status;

  progress->passes_total = 2 + (m + e->max_batch - 1) / e->max_batch;
  status = top_class (e, input, &k, &result->score, error);
  if (status != VGG_STATUS_OK)
    return status;
  result->class_index = k;
  step_done (progress);
  memset (e->inputs, 0, sizeof (float) * count);
  status = explain_forward (e, e->inputs, 1, e->classifier, -1, error);
  if (status != VGG_STATUS_OK)
    return status;
  result->baseline_score = e->logits[k];
  step_done (progress);

  start = now_seconds ();
  memset (e->sum, 0, sizeof (float) * count);
  while (done < m)
    {
      int b = m - done < e->max_batch ? m - done : e->max_batch;

      for (int j = 0; j < b; j++)
        {
          float alpha = (float) ((done + j + 0.5) / m);
          float *dst = e->inputs + (size_t) j * count;
          for (size_t q = 0; q < count; q++)
            dst[q] = alpha * input[q];
        }
      status = accumulate_class (e, b, k, e->sum, error);
      if (status != VGG_STATUS_OK)
        return status;
      done += b;
      step_done (progress);
    }
  result->seconds_per_step = (now_seconds () - start) / m;
  for (size_t q = 0; q < count; q++)
    {
      map[q] = input[q] * e->sum[q] / (float) m;
      sum += map[q];
    }
  result->ig_sum = sum;
  result->completeness_gap = fabs (sum - ((double) result->score - result->baseline_score));
  return VGG_STATUS_OK;
}

static VggStatus
compute_gradcam (VggExplainer            *e,
                 const float             *input,
                 const VggExplainRequest *request,
                 float                   *map,
                 VggExplainResult        *result,
                 Progress                *progress,
                 VggError                *error)
{
  int index = gradcam_layer (e, request), slot, k = request->class_index;
  const VggLayer *layer = &e->layers[index];
  const VggConfig *config = &e->model->config;
  bool guided = request->method == VGG_EXPLAIN_GUIDED_GRADCAM;
  VggStatus status;

  progress->passes_total = 1;
  result->layer_index = index;
  status = class_pass (e, input, 1, k, VGG_RELU_RULE_PLAIN, index, index, &slot, error);
  if (status != VGG_STATUS_OK)
    return status;
  if (k < 0)
    k = argmax_row (e->logits, e->layers[e->classifier].channels_out);
  result->class_index = k;
  result->score = e->logits[k];
  gradcam_map (e, index, e->buffers[slot], guided ? e->aux : map);
  if (guided)
    {
      /* the same forward pass serves the guided backward */
      size_t plane = (size_t) config->input_height * config->input_width;
      float *up = e->aux + (size_t) layer->height_out * layer->width_out;

      slot = 0;
      explain_class_seed (e, e->buffers[0], k);
      status = explain_backward (e, 1, e->classifier - 1, false, VGG_RELU_RULE_GUIDED, -1,
                                 &slot, error);
      if (status != VGG_STATUS_OK)
        return status;
      vgg_explain_upsample (up, e->aux, layer->height_out, layer->width_out,
                            config->input_height, config->input_width);
      for (int c = 0; c < config->input_channels; c++)
        for (size_t q = 0; q < plane; q++)
          map[c * plane + q] = e->buffers[slot][c * plane + q] * up[q];
    }
  step_done (progress);
  return VGG_STATUS_OK;
}

/* guided, deconv and erf from a unit: back from its value before its ReLU */
static VggStatus
unit_pass (VggExplainer            *e,
           const float             *inputs,
           int                      batch,
           const VggExplainRequest *request,
           VggReluRule              rule,
           int                     *slot,
           VggError                *error)
{
  const VggLayer *layer = &e->layers[request->layer_index];
  size_t count = (size_t) layer->channels_out * layer->height_out * layer->width_out;
  size_t at = ((size_t) request->unit_channel * layer->height_out + request->unit_y)
              * layer->width_out + request->unit_x;
  VggStatus status;

  status = explain_forward (e, inputs, batch, request->layer_index, request->layer_index, error);
  if (status != VGG_STATUS_OK)
    return status;
  memset (e->buffers[0], 0, sizeof (float) * count * (size_t) batch);
  for (int n = 0; n < batch; n++)
    e->buffers[0][n * count + at] = 1.0f;
  *slot = 0;
  return explain_backward (e, batch, request->layer_index, true, rule, -1, slot, error);
}

static VggStatus
compute_projection (VggExplainer            *e,
                    const float             *input,
                    const VggExplainRequest *request,
                    float                   *map,
                    VggExplainResult        *result,
                    Progress                *progress,
                    VggError                *error)
{
  VggReluRule rule = request->method == VGG_EXPLAIN_DECONV ? VGG_RELU_RULE_DECONV
                                                           : VGG_RELU_RULE_GUIDED;
  int slot;
  VggStatus status;

  progress->passes_total = 1;
  if (request->layer_index >= 0)
    {
      const VggLayer *layer = &e->layers[request->layer_index];

      status = unit_pass (e, input, 1, request, rule, &slot, error);
      if (status != VGG_STATUS_OK)
        return status;
      result->layer_index = request->layer_index;
      result->score = e->capture[((size_t) request->unit_channel * layer->height_out
                                  + request->unit_y) * layer->width_out + request->unit_x];
    }
  else
    {
      int k = request->class_index;

      status = class_pass (e, input, 1, k, rule, -1, -1, &slot, error);
      if (status != VGG_STATUS_OK)
        return status;
      if (k < 0)
        k = argmax_row (e->logits, e->layers[e->classifier].channels_out);
      result->class_index = k;
      result->score = e->logits[k];
    }
  memcpy (map, e->buffers[slot], sizeof (float) * e->input_count);
  step_done (progress);
  return VGG_STATUS_OK;
}

static VggStatus
compute_erf (VggExplainer            *e,
             const float             *input,
             const VggExplainRequest *request,
             float                   *map,
             VggExplainResult        *result,
             Progress                *progress,
             VggError                *error)
{
  const VggLayer *layer = &e->layers[request->layer_index];
  size_t count = e->input_count;
  int total = request->noise_inputs > 0 ? request->noise_inputs : request->n_inputs;
  bool average = total > 1 || request->noise_inputs > 0;
  float sigma = request->noise_sigma > 0.0f ? request->noise_sigma : 1.0f;
  uint64_t state = request->seed;
  int done = 0, slot;
  double start = now_seconds ();
  VggStatus status;

  result->layer_index = request->layer_index;
  progress->passes_total = (total + e->max_batch - 1) / e->max_batch;
  memset (e->sum, 0, sizeof (float) * count);
  while (done < total)
    {
      int b = total - done < e->max_batch ? total - done : e->max_batch;
      int batch = b == 1 ? 1 : e->max_batch;
      memset (e->inputs, 0, sizeof (float) * count * (size_t) batch);
      for (int j = 0; j < b; j++)
        {
          float *dst = e->inputs + (size_t) j * count;
          if (request->noise_inputs > 0)
            for (size_t q = 0; q < count; q++)
              dst[q] = sigma * vgg_explain_random_normal (&state);
          else
            memcpy (dst, input + (size_t) (done + j) * count, sizeof (float) * count);
        }
      status = unit_pass (e, e->inputs, batch, request, VGG_RELU_RULE_PLAIN, &slot, error);
      if (status != VGG_STATUS_OK)
        return status;
      if (done == 0)
        result->score = e->capture[((size_t) request->unit_channel * layer->height_out
                                    + request->unit_y) * layer->width_out + request->unit_x];
      for (int j = 0; j < b; j++)
        {
          const float *g = e->buffers[slot] + (size_t) j * count;
          for (size_t q = 0; q < count; q++)
            e->sum[q] += average ? fabsf (g[q]) : g[q];
        }
      done += b;
      step_done (progress);
    }
  for (size_t q = 0; q < count; q++)
    map[q] = e->sum[q] / (float) total;
  result->seconds_per_step = (now_seconds () - start) / total;
  return erf_statistics (e, request->layer_index, request->unit_y, request->unit_x, map, result,
                         error);
}

VggStatus
vgg_explainer_compute (VggExplainer            *e,
                       const float             *input,
                       const VggExplainRequest *request,
                       float                   *map,
                       VggExplainResult        *result_out,
                       VggError                *error)
{
  VggExplainResult result = { 0 };
  Progress progress = { e, 0, 0 };
  int c, h, w;
  double start = now_seconds ();
  VggStatus status;

  if (e == NULL || request == NULL || map == NULL
      || (input == NULL && !(request->method == VGG_EXPLAIN_ERF && request->noise_inputs > 0)))
    return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT,
                          "no explainer, request, input or map");
  status = vgg_explainer_map_shape (e, request, &c, &h, &w, error);
  if (status != VGG_STATUS_OK)
    return status;
  /* a request left from before this computation is dropped */
  atomic_store (&e->cancel_requested, false);
  result.class_index = -1;
  result.layer_index = -1;
  result.channels = c;
  result.height = h;
  result.width = w;

  switch (request->method)
    {
    case VGG_EXPLAIN_SALIENCY:
      status = compute_saliency (e, input, request, map, &result, &progress, error);
      break;
    case VGG_EXPLAIN_GUIDED:
    case VGG_EXPLAIN_DECONV:
      status = compute_projection (e, input, request, map, &result, &progress, error);
      break;
    case VGG_EXPLAIN_GRADCAM:
    case VGG_EXPLAIN_GUIDED_GRADCAM:
      status = compute_gradcam (e, input, request, map, &result, &progress, error);
      break;
    case VGG_EXPLAIN_INTEGRATED_GRADIENTS:
      status = compute_integrated_gradients (e, input, request, map, &result, &progress, error);
      break;
    case VGG_EXPLAIN_ERF:
      status = compute_erf (e, input, request, map, &result, &progress, error);
      break;
    case VGG_EXPLAIN_N_METHODS:
    default:
      return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT, "unknown method");
    }
  result.passes = progress.passes_done;
  result.seconds = now_seconds () - start;
  if (result_out != NULL)
    *result_out = result;
  return status;
}

VggStatus
vgg_explainer_backward (VggExplainer *e,
                        const float  *input,
                        int           seed_layer,
                        const float  *seed,
                        VggReluRule   rule,
                        int           stop_layer,
                        float        *grad,
                        VggError     *error)
{
  const VggLayer *layer;
  size_t count;
  int slot = 0;
  VggStatus status;

  if (e == NULL || input == NULL || seed == NULL || grad == NULL || seed_layer < 0
      || seed_layer >= e->n_layers || stop_layer < -1 || stop_layer >= seed_layer
      || e->layers[seed_layer].kind == VGG_LAYER_SOFTMAX)
    return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT,
                          "a backward pass needs an input, a seed layer below the softmax and a "
                          "stop layer below it");
  atomic_store (&e->cancel_requested, false);
  layer = &e->layers[seed_layer];
  count = (size_t) layer->channels_out * layer->height_out * layer->width_out;
  status = explain_forward (e, input, 1, seed_layer, -1, error);
  if (status != VGG_STATUS_OK)
    return status;
  memcpy (e->buffers[0], seed, sizeof (float) * count);
  status = explain_backward (e, 1, seed_layer, true, rule, stop_layer, &slot, error);
  if (status != VGG_STATUS_OK)
    return status;
  if (stop_layer < 0)
    count = e->input_count;
  else
    {
      layer = &e->layers[stop_layer];
      count = (size_t) layer->channels_out * layer->height_out * layer->width_out;
    }
  memcpy (grad, e->buffers[slot], sizeof (float) * count);
  return VGG_STATUS_OK;
}
