/* unit-breakdown.c — one unit's numbers: window, filter, products, partial sums, bias
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Plain arithmetic on the tensors the probe captured (unit-probe.c): every product in double
 * from the float32 operands (exact), every sum in double, in the order the header states, so
 * the worked value is the sum of the numbers shown and nothing else.
 */
#include "config.h"

#include "engine-private.h"
#include "model-private.h"
#include "unit-private.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void
vgg_unit_breakdown_free (VggUnitBreakdown *breakdown)
{
  if (breakdown == NULL)
    return;
  free (breakdown->conv.window);
  free (breakdown->conv.filter);
  free (breakdown->conv.products);
  free (breakdown->conv.partials);
  free (breakdown->conv.order);
  free (breakdown->softmax.logits);
  free (breakdown->softmax.exps);
  free (breakdown);
}

bool
vgg_model_batch_norm (const VggModel   *model,
                      int               layer_index,
                      int               channel,
                      VggUnitBatchNorm *batch_norm)
{
  const VggLayerBatchNorm *bn;

  if (model == NULL || batch_norm == NULL || model->batch_norms == NULL || layer_index < 0
      || layer_index >= model->n_layers || model->layers[layer_index].kind != VGG_LAYER_CONV
      || channel < 0 || channel >= model->layers[layer_index].channels_out)
    return false;
  bn = &model->batch_norms[layer_index];
  if (bn->gamma == NULL)
    return false;
  batch_norm->gamma = bn->gamma[channel];
  batch_norm->beta = bn->beta[channel];
  batch_norm->mean = bn->mean[channel];
  batch_norm->var = bn->var[channel];
  batch_norm->eps = bn->eps;
  batch_norm->conv_bias = bn->conv_bias[channel];
  /* the same expression model-load.c folds with */
  batch_norm->scale = batch_norm->gamma / sqrt ((double) batch_norm->var + bn->eps);
  batch_norm->folded_bias = (double) (batch_norm->conv_bias - batch_norm->mean)
                            * batch_norm->scale + batch_norm->beta;
  return true;
}

typedef struct
{
  double magnitude;
  int    channel;
} RankedChannel;

/* Larger |partial| first, ties by channel. */
static int
compare_ranked (const void *a,
                const void *b)
{
  const RankedChannel *p = a, *q = b;

  if (p->magnitude != q->magnitude)
    return p->magnitude < q->magnitude ? 1 : -1;
  return (p->channel > q->channel) - (p->channel < q->channel);
}

static VggStatus
build_conv (VggUnitBreakdown     *b,
            const VggModel       *model,
            const VggUnitTensors *t,
            VggError             *error)
{
  const VggLayer *layer = b->layer;
  const VggLayerWeights *weights = &model->weights[layer->index];
  VggUnitConv *conv = &b->conv;
  int n = layer->channels_in, h = layer->height_in, w = layer->width_in;
  size_t per_out = (size_t) n * 9;
  const float *filter = weights->weight + (size_t) b->channel * per_out;
  double pre = 0.0, magnitude = 0.0;
  RankedChannel *ranked;

  conv->channels_in = n;
  conv->window = calloc (per_out, sizeof *conv->window);
  conv->filter = malloc (per_out * sizeof *conv->filter);
  conv->products = malloc (per_out * sizeof *conv->products);
  conv->partials = malloc ((size_t) n * sizeof *conv->partials);
  conv->order = malloc ((size_t) n * sizeof *conv->order);
  if (conv->window == NULL || conv->filter == NULL || conv->products == NULL
      || conv->partials == NULL || conv->order == NULL)
    return vgg_error_set (error, VGG_STATUS_NO_MEMORY, "out of memory");

  for (int k = 0; k < 9; k++)
    {
      int iy = b->y + k / 3 - 1, ix = b->x + k % 3 - 1;
      conv->inside[k] = iy >= 0 && iy < h && ix >= 0 && ix < w;
    }
  memcpy (conv->filter, filter, per_out * sizeof *conv->filter);
  for (int c = 0; c < n; c++)
    {
      const float *plane = t->previous + (size_t) c * h * w;
      double partial = 0.0;

      for (int k = 0; k < 9; k++)
        {
          size_t at = (size_t) c * 9 + (size_t) k;
          int iy = b->y + k / 3 - 1, ix = b->x + k % 3 - 1;
          double product;

          if (conv->inside[k])
            conv->window[at] = plane[(size_t) iy * w + ix];
          product = (double) conv->window[at] * (double) conv->filter[at];
          conv->products[at] = product;
          partial += product;
          magnitude += fabs (product);
        }
      conv->partials[c] = partial;
    }
  for (int c = 0; c < n; c++)
    pre += conv->partials[c];

  ranked = malloc ((size_t) n * sizeof *ranked);
  if (ranked == NULL)
    return vgg_error_set (error, VGG_STATUS_NO_MEMORY, "out of memory");
  for (int c = 0; c < n; c++)
    ranked[c] = (RankedChannel) { fabs (conv->partials[c]), c };
  qsort (ranked, (size_t) n, sizeof *ranked, compare_ranked);
  for (int c = 0; c < n; c++)
    conv->order[c] = ranked[c].channel;
  free (ranked);

  b->bias = weights->bias[b->channel];
  b->pre = pre + (double) b->bias;
  b->post = layer->relu && b->pre < 0.0 ? 0.0 : b->pre;
  b->magnitude = magnitude + fabs ((double) b->bias);
  conv->has_batch_norm = vgg_model_batch_norm (model, layer->index, b->channel,
                                               &conv->batch_norm);
  return VGG_STATUS_OK;
}

static void
build_pool (VggUnitBreakdown     *b,
            const VggUnitTensors *t)
{
  const VggLayer *layer = b->layer;
  const float *plane = t->previous + (size_t) b->channel * layer->height_in * layer->width_in;
  VggUnitPool *pool = &b->pool;
  int best = 0;

  for (int k = 0; k < 4; k++)
    pool->window[k] = plane[(size_t) (2 * b->y + k / 2) * layer->width_in + 2 * b->x + k % 2];
  /* strictly greater: the first maximum in row-major order wins, as in PyTorch */
  for (int k = 1; k < 4; k++)
    if (pool->window[k] > pool->window[best])
      best = k;
  pool->argmax_y = best / 2;
  pool->argmax_x = best % 2;
  b->pre = b->post = pool->window[best];
  b->magnitude = fabs (b->post);
}

/* Whether term (|p|, i) goes before (|q|, j): larger magnitude first, then lower index. */
static bool
term_before (double p,
             int    i,
             double q,
             int    j)
{
  return fabs (p) != fabs (q) ? fabs (p) > fabs (q) : i < j;
}

static void
build_dense (VggUnitBreakdown     *b,
             const VggModel       *model,
             const VggUnitTensors *t)
{
  const VggLayer *layer = b->layer;
  const VggLayerWeights *weights = &model->weights[layer->index];
  VggUnitDense *dense = &b->dense;
  int n = layer->channels_in * layer->height_in * layer->width_in;
  const float *row = weights->weight + (size_t) b->channel * (size_t) n;
  double total_magnitude = 0.0, shown = 0.0;

  dense->n_inputs = n;
  dense->n_top = 0;
  for (int i = 0; i < n; i++)
    {
      double product = (double) row[i] * (double) t->previous[i];
      int pos = dense->n_top;

      total_magnitude += fabs (product);
      if (pos == VGG_UNIT_TOP_TERMS)
        {
          const VggUnitTerm *last = &dense->top[pos - 1];
          if (!term_before (product, i, last->product, last->input))
            continue;
          pos--;
        }
      else
        dense->n_top++;
      while (pos > 0 && term_before (product, i, dense->top[pos - 1].product,
                                     dense->top[pos - 1].input))
        {
          dense->top[pos] = dense->top[pos - 1];
          pos--;
        }
      dense->top[pos] = (VggUnitTerm) { i, row[i], t->previous[i], product };
    }

  /* rest: the other products summed in input order */
  dense->rest = dense->rest_magnitude = 0.0;
  for (int i = 0; i < n; i++)
    {
      bool in_top = false;
      double product;

      for (int k = 0; k < dense->n_top && !in_top; k++)
        in_top = dense->top[k].input == i;
      if (in_top)
        continue;
      product = (double) row[i] * (double) t->previous[i];
      dense->rest += product;
      dense->rest_magnitude += fabs (product);
    }
  for (int k = 0; k < dense->n_top; k++)
    shown += dense->top[k].product;
  b->bias = weights->bias[b->channel];
  b->pre = shown + dense->rest + (double) b->bias;
  b->post = layer->relu && b->pre < 0.0 ? 0.0 : b->pre;
  b->magnitude = total_magnitude + fabs ((double) b->bias);
}

static VggStatus
build_softmax (VggUnitBreakdown     *b,
               const VggUnitTensors *t,
               VggError             *error)
{
  VggUnitSoftmax *softmax = &b->softmax;
  int n = b->layer->channels_out;
  double m = -INFINITY, scale;

  softmax->n_classes = n;
  softmax->logits = malloc ((size_t) n * sizeof *softmax->logits);
  softmax->exps = malloc ((size_t) n * sizeof *softmax->exps);
  if (softmax->logits == NULL || softmax->exps == NULL)
    return vgg_error_set (error, VGG_STATUS_NO_MEMORY, "out of memory");
  memcpy (softmax->logits, t->previous, (size_t) n * sizeof *softmax->logits);
  for (int i = 0; i < n; i++)
    if (softmax->logits[i] > m)
      m = softmax->logits[i];
  softmax->max_logit = m;
  softmax->shifted_sum = 0.0;
  for (int i = 0; i < n; i++)
    softmax->shifted_sum += exp (softmax->logits[i] - m);
  /* e^m: +inf only for a logit beyond ~709, where the true exponentials are beyond double */
  scale = exp (m);
  softmax->sum = 0.0;
  for (int i = 0; i < n; i++)
    {
      softmax->exps[i] = exp (softmax->logits[i] - m) * scale;
      softmax->sum += softmax->exps[i];
    }
  b->pre = softmax->logits[b->channel];
  b->post = exp (softmax->logits[b->channel] - m) / softmax->shifted_sum;
  b->magnitude = b->post;
  return VGG_STATUS_OK;
}

VggStatus
vgg_unit_breakdown_build (VggUnitBreakdown     **breakdown,
                          const VggModel        *model,
                          int                    layer_index,
                          int                    channel,
                          int                    y,
                          int                    x,
                          const VggUnitTensors  *tensors,
                          VggError              *error)
{
  VggUnitBreakdown *b = calloc (1, sizeof *b);
  const VggLayer *layer = &model->layers[layer_index];
  size_t at = ((size_t) channel * layer->height_out + (size_t) y) * layer->width_out
              + (size_t) x;
  VggStatus status = VGG_STATUS_OK;

  *breakdown = NULL;
  if (b == NULL)
    return vgg_error_set (error, VGG_STATUS_NO_MEMORY, "out of memory");
  b->layer_index = layer_index;
  b->layer = layer;
  b->kind = layer->kind;
  b->channel = channel;
  b->y = y;
  b->x = x;
  b->exact_pre = tensors->exact_pre[at];
  b->exact_post = tensors->exact_out[at];
  b->fast_pre = tensors->fast_pre[at];
  b->fast_post = tensors->fast_out[at];
  b->exact_algorithm = tensors->exact_algorithm != NULL ? tensors->exact_algorithm : "";
  b->fast_algorithm = tensors->fast_algorithm != NULL ? tensors->fast_algorithm : "";

  switch (layer->kind)
    {
    case VGG_LAYER_CONV:
      status = build_conv (b, model, tensors, error);
      break;
    case VGG_LAYER_POOL:
      build_pool (b, tensors);
      break;
    case VGG_LAYER_FC:
      build_dense (b, model, tensors);
      break;
    case VGG_LAYER_SOFTMAX:
      status = build_softmax (b, tensors, error);
      break;
    case VGG_LAYER_N_KINDS:
      break;
    }
  if (status != VGG_STATUS_OK)
    {
      vgg_unit_breakdown_free (b);
      return status;
    }
  *breakdown = b;
  return VGG_STATUS_OK;
}
