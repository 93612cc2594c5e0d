/* net.c — forward with saved state and the backward driver shared by trainer and gradients
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "train-private.h"
#include "backward.h"
#include "engine-private.h"
#include "kernels.h"
#include "parallel.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

uint64_t
vgg_random_next (uint64_t *state)
{
  uint64_t z = (*state += 0x9e3779b97f4a7c15ull);

  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

float
vgg_random_uniform (uint64_t *state)
{
  return (float) (vgg_random_next (state) >> 40) * (1.0f / 16777216.0f);
}

float
vgg_random_normal (uint64_t *state)
{
  double u1 = ((double) (vgg_random_next (state) >> 11) + 0.5) * (1.0 / 9007199254740992.0);
  double u2 = (double) (vgg_random_next (state) >> 11) * (1.0 / 9007199254740992.0);

  return (float) (sqrt (-2.0 * log (u1)) * cos (2.0 * M_PI * u2));
}

static void *
net_alloc (VggNet *net,
           size_t  bytes)
{
  void *memory;

  if (net->n_blocks == net->n_blocks_allocated)
    {
      int n = net->n_blocks_allocated > 0 ? 2 * net->n_blocks_allocated : 32;
      void **blocks = realloc (net->blocks, sizeof *blocks * (size_t) n);
      size_t *sizes;

      if (blocks == NULL)
        return NULL;
      net->blocks = blocks;
      sizes = realloc (net->block_sizes, sizeof *sizes * (size_t) n);
      if (sizes == NULL)
        return NULL;
      net->block_sizes = sizes;
      net->n_blocks_allocated = n;
    }
  memory = vgg_alloc_big (bytes);
  if (memory == NULL)
    return NULL;
  net->blocks[net->n_blocks] = memory;
  net->block_sizes[net->n_blocks++] = bytes;
  return memory;
}

void
vgg_net_clear (VggNet *net)
{
  for (int i = 0; i < net->n_blocks; i++)
    vgg_free_big (net->blocks[i], net->block_sizes[i]);
  free (net->blocks);
  free (net->block_sizes);
  free (net->layers);
  memset (net, 0, sizeof *net);
}

static size_t
layer_count (const VggLayer *layer,
             int             batch)
{
  return (size_t) batch * layer->channels_out * layer->height_out * layer->width_out;
}

/* ReLU forward (out = max (pre, 0)) and backward (grad_pre = grad where pre > 0), split over
 * the engine's threads. */
typedef struct
{
  float       *dst;
  const float *src;
  const float *pre;
} ReluJob;

static void
relu_forward_range (size_t  start,
                    size_t  end,
                    void   *data)
{
  const ReluJob *job = data;

  for (size_t k = start; k < end; k++)
    job->dst[k] = job->src[k] > 0.0f ? job->src[k] : 0.0f;
}

static void
relu_backward_range (size_t  start,
                     size_t  end,
                     void   *data)
{
  const ReluJob *job = data;

  for (size_t k = start; k < end; k++)
    job->dst[k] = job->pre[k] > 0.0f ? job->src[k] : 0.0f;
}

VggStatus
vgg_net_init (VggNet          *net,
              const VggConfig *config,
              const VggLayer  *layers,
              int              n_layers,
              int              max_batch,
              bool             bn,
              float            dropout,
              VggError        *error)
{
  size_t input_count, max_count = 0, flat_count = 0, scratch = 0;

  memset (net, 0, sizeof *net);
  if (max_batch < 1 || n_layers < 1)
    return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT, "batch %d, %d layers", max_batch,
                          n_layers);
  net->config = config;
  net->n_layers = n_layers;
  net->max_batch = max_batch;
  net->layers = calloc ((size_t) n_layers, sizeof *net->layers);
  if (net->layers == NULL)
    return vgg_error_set (error, VGG_STATUS_NO_MEMORY, "out of memory");

  input_count = (size_t) max_batch * config->input_channels * config->input_height
                * config->input_width;
  if ((net->input = net_alloc (net, input_count * sizeof (float))) == NULL
      || (net->grad_input = net_alloc (net, input_count * sizeof (float))) == NULL)
    goto oom;

  for (int i = 0; i < n_layers; i++)
    {
      const VggLayer *layer = &layers[i];
      VggNetLayer *nl = &net->layers[i];
      size_t count = layer_count (layer, max_batch);

      nl->layer = layer;
      nl->count = count;
      nl->bn = bn && layer->kind == VGG_LAYER_CONV;
      nl->flatten = layer->kind == VGG_LAYER_FC && (i == 0
                                                    || layers[i - 1].kind != VGG_LAYER_FC);
      nl->dropout = layer->kind == VGG_LAYER_FC && layer->relu ? dropout : 0.0f;
      if (count > max_count)
        max_count = count;

      if ((nl->pre = net_alloc (net, count * sizeof (float))) == NULL
          || (nl->grad = net_alloc (net, count * sizeof (float))) == NULL
          || (nl->grad_pre = net_alloc (net, count * sizeof (float))) == NULL)
        goto oom;
      nl->out = nl->pre;
      if (layer->relu && (nl->out = net_alloc (net, count * sizeof (float))) == NULL)
        goto oom;
      if (nl->bn)
        {
          if ((nl->x_hat = net_alloc (net, count * sizeof (float))) == NULL
              || (nl->inv_std = net_alloc (net, (size_t) layer->channels_out
                                                * sizeof (float))) == NULL)
            goto oom;
        }
      if (layer->kind == VGG_LAYER_POOL && (nl->argmax = net_alloc (net, count)) == NULL)
        goto oom;
      if (nl->dropout > 0.0f && (nl->keep = net_alloc (net, count)) == NULL)
        goto oom;
      if (nl->flatten)
        {
          size_t n_in = (size_t) max_batch * layer->channels_in * layer->height_in
                        * layer->width_in;
          if (n_in > flat_count)
            flat_count = n_in;
        }
      if (layer->kind == VGG_LAYER_CONV)
        {
          size_t s = vgg_conv3x3_cnhw_scratch (layer->channels_in, max_batch, layer->height_in,
                                               layer->width_in);
          if (s > scratch)
            scratch = s;
        }
    }

  if ((net->raw = net_alloc (net, max_count * sizeof (float))) == NULL)
    goto oom;
  if (flat_count > 0
      && ((net->flat = net_alloc (net, flat_count * sizeof (float))) == NULL
          || (net->grad_flat = net_alloc (net, flat_count * sizeof (float))) == NULL))
    goto oom;
  net->scratch_size = scratch > 0 ? scratch : 1;
  if ((net->scratch = net_alloc (net, net->scratch_size * sizeof (float))) == NULL)
    goto oom;
  return VGG_STATUS_OK;

oom:
  vgg_net_clear (net);
  return vgg_error_set (error, VGG_STATUS_NO_MEMORY,
                        "out of memory for training buffers at batch %d", max_batch);
}

const float *
vgg_net_layer_input (const VggNet *net,
                     int           index)
{
  if (index == 0)
    return net->input;
  if (net->layers[index].flatten)
    return net->flat;
  return net->layers[index - 1].out;
}

VggStatus
vgg_net_forward (VggNet      *net,
                 const float *input,
                 int          batch,
                 VggPass      pass,
                 VggError    *error)
{
  const VggConfig *config = net->config;

  if (batch < 1 || batch > net->max_batch)
    return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT,
                          "batch %d is outside 1…%d", batch, net->max_batch);
  net->batch = batch;
  net->pass = pass;
  vgg_nchw_to_cnhw (net->input, input, batch, config->input_channels,
                    (size_t) config->input_height * config->input_width);

  for (int i = 0; i < net->n_layers; i++)
    {
      VggNetLayer *nl = &net->layers[i];
      const VggLayer *layer = nl->layer;
      const float *in = i == 0 ? net->input : net->layers[i - 1].out;
      size_t count = layer_count (layer, batch);
      size_t plane_out = (size_t) layer->height_out * layer->width_out;

      switch (layer->kind)
        {
        case VGG_LAYER_CONV:
          if (!nl->bn)
            {
              vgg_conv3x3_forward_cnhw (nl->pre, in, nl->weight, nl->bias, layer->channels_in,
                                        batch, layer->height_in, layer->width_in,
                                        layer->channels_out, net->scratch, net->scratch_size);
              break;
            }
          vgg_conv3x3_forward_cnhw (net->raw, in, nl->weight, NULL, layer->channels_in, batch,
                                    layer->height_in, layer->width_in, layer->channels_out,
                                    net->scratch, net->scratch_size);
          if (pass == VGG_PASS_TRAIN)
            vgg_batch_norm_forward_train (nl->pre, nl->x_hat, nl->inv_std, net->raw, nl->gamma,
                                          nl->beta, nl->running_mean, nl->running_var,
                                          VGG_BN_MOMENTUM, layer->channels_out,
                                          (size_t) batch * plane_out, VGG_BN_EPSILON);
          else
            {
              vgg_batch_norm_forward_eval (nl->pre, net->raw, nl->gamma, nl->beta,
                                           nl->running_mean, nl->running_var,
                                           layer->channels_out, (size_t) batch * plane_out,
                                           VGG_BN_EPSILON);
              /* keep x̂ for an eval-mode backward (running statistics) */
              for (int c = 0; c < layer->channels_out; c++)
                {
                  float inv = 1.0f / sqrtf (nl->running_var[c] + VGG_BN_EPSILON);
                  size_t n = (size_t) batch * plane_out;
                  const float *x = net->raw + c * n;
                  float *h = nl->x_hat + c * n;

                  nl->inv_std[c] = inv;
                  for (size_t k = 0; k < n; k++)
                    h[k] = (x[k] - nl->running_mean[c]) * inv;
                }
            }
          break;

        case VGG_LAYER_POOL:
          vgg_maxpool2x2_forward_argmax (nl->pre, nl->argmax, in,
                                         (size_t) layer->channels_in * batch, layer->height_in,
                                         layer->width_in);
          break;

        case VGG_LAYER_FC:
          {
            int n_in = layer->channels_in * layer->height_in * layer->width_in;

            if (nl->flatten)
              {
                vgg_cnhw_to_nchw (net->flat, in, batch, layer->channels_in,
                                  (size_t) layer->height_in * layer->width_in);
                in = net->flat;
              }
            vgg_linear (nl->pre, in, nl->weight, nl->bias, batch, n_in, layer->channels_out);
          }
          break;

        case VGG_LAYER_SOFTMAX:
          vgg_softmax (nl->pre, in, batch, layer->channels_out);
          break;

        case VGG_LAYER_N_KINDS:
        default:
          return vgg_error_set (error, VGG_STATUS_UNSUPPORTED, "unknown layer kind");
        }

      if (layer->relu)
        {
          ReluJob job = { nl->out, nl->pre, NULL };
          vgg_train_parallel (count, 4096, relu_forward_range, &job);
        }

      if (nl->dropout > 0.0f && pass == VGG_PASS_TRAIN)
        {
          float scale = 1.0f / (1.0f - nl->dropout);
          for (size_t k = 0; k < count; k++)
            {
              nl->keep[k] = vgg_random_uniform (&net->rng) >= nl->dropout;
              nl->out[k] = nl->keep[k] ? nl->out[k] * scale : 0.0f;
            }
        }
    }
  return VGG_STATUS_OK;
}

VggStatus
vgg_net_backward (VggNet   *net,
                  int       from,
                  bool      seed_pre,
                  float    *grad_input,
                  VggError *error)
{
  const VggConfig *config = net->config;
  int batch = net->batch;

  if (from < 0 || from >= net->n_layers || batch < 1)
    return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT,
                          "no forward pass to go back through from layer %d", from);

  for (int i = from; i >= 0; i--)
    {
      VggNetLayer *nl = &net->layers[i];
      const VggLayer *layer = nl->layer;
      size_t count = layer_count (layer, batch);
      size_t plane_in = (size_t) layer->height_in * layer->width_in;
      const float *in = vgg_net_layer_input (net, i);
      float *grad_in;
      bool want_in = i > 0 || grad_input != NULL;

      /* d / d out → d / d pre */
      if (!(i == from && seed_pre))
        {
          bool dropped = nl->dropout > 0.0f && net->pass == VGG_PASS_TRAIN;

          if (layer->relu && !dropped)
            {
              ReluJob job = { nl->grad_pre, nl->grad, nl->pre };
              vgg_train_parallel (count, 4096, relu_backward_range, &job);
            }
          else
            {
              memcpy (nl->grad_pre, nl->grad, count * sizeof (float));
              if (dropped)
                {
                  float scale = 1.0f / (1.0f - nl->dropout);
                  for (size_t k = 0; k < count; k++)
                    nl->grad_pre[k] = nl->keep[k] ? nl->grad_pre[k] * scale : 0.0f;
                }
              if (layer->relu)
                vgg_relu_backward (nl->grad_pre, nl->pre, count);
            }
        }

      grad_in = i == 0 ? net->grad_input : net->layers[i - 1].grad;
      if (nl->flatten)
        grad_in = net->grad_flat;

      switch (layer->kind)
        {
        case VGG_LAYER_CONV:
          if (nl->bn)
            {
              /* grad_pre becomes d / d raw conv output, in place */
              size_t n = count / layer->channels_out;

              if (net->pass == VGG_PASS_TRAIN)
                vgg_batch_norm_backward_train (nl->grad_pre, nl->grad_gamma, nl->grad_beta,
                                               nl->grad_pre, nl->x_hat, nl->inv_std,
                                               nl->gamma, layer->channels_out, n);
              else
                for (int c = 0; c < layer->channels_out; c++)
                  {
                    /* with running statistics BN is a per-channel affine map */
                    float *g = nl->grad_pre + c * n;
                    const float *h = nl->x_hat + c * n;
                    float scale = nl->gamma[c] * nl->inv_std[c];
                    double sum_g = 0.0, sum_gh = 0.0;

                    for (size_t k = 0; k < n; k++)
                      {
                        sum_g += g[k];
                        sum_gh += (double) g[k] * h[k];
                        g[k] *= scale;
                      }
                    if (nl->grad_gamma != NULL)
                      nl->grad_gamma[c] += (float) sum_gh;
                    if (nl->grad_beta != NULL)
                      nl->grad_beta[c] += (float) sum_g;
                  }
            }
          vgg_conv3x3_backward_cnhw (want_in ? grad_in : NULL, nl->grad_weight, nl->grad_bias,
                                     nl->grad_pre, in, nl->weight, layer->channels_in, batch,
                                     layer->height_in, layer->width_in, layer->channels_out,
                                     net->scratch, net->scratch_size);
          break;

        case VGG_LAYER_POOL:
          vgg_maxpool2x2_backward_argmax (grad_in, nl->grad_pre, nl->argmax,
                                          (size_t) layer->channels_in * batch,
                                          layer->height_in, layer->width_in);
          break;

        case VGG_LAYER_FC:
          vgg_linear_backward (want_in ? grad_in : NULL, nl->grad_weight, nl->grad_bias,
                               nl->grad_pre, in, nl->weight, batch,
                               layer->channels_in * (int) plane_in, layer->channels_out);
          if (nl->flatten && want_in)
            vgg_nchw_to_cnhw (i == 0 ? net->grad_input : net->layers[i - 1].grad,
                              net->grad_flat, batch, layer->channels_in, plane_in);
          break;

        case VGG_LAYER_SOFTMAX:
          vgg_softmax_backward (grad_in, nl->grad_pre, nl->pre, batch, layer->channels_out);
          break;

        case VGG_LAYER_N_KINDS:
        default:
          return vgg_error_set (error, VGG_STATUS_UNSUPPORTED, "unknown layer kind");
        }
    }

  if (grad_input != NULL)
    vgg_cnhw_to_nchw (grad_input, net->grad_input, batch, config->input_channels,
                      (size_t) config->input_height * config->input_width);
  return VGG_STATUS_OK;
}
