/* visualize.c — feature visualization: regularised gradient ascent on the input
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The algorithm is documented in vgg-visualize.h. The gradient comes from VggGradient (the
 * backward pass of engine/train/, checked by finite differences); everything else here runs
 * on the calling thread in a fixed order, so the result depends on the seed alone.
 */
#include "config.h"

#include "vgg-visualize.h"
#include "vgg-train.h"
#include "engine-private.h"
#include "train/train-private.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const float torchvision_mean[3] = { 0.485f, 0.456f, 0.406f };
static const float torchvision_std[3] = { 0.229f, 0.224f, 0.225f };
static const float caffe_mean_bgr[3] = { 103.939f, 116.779f, 123.68f };

static double
now_seconds (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

void
vgg_preset_input_range (VggPreset  preset,
                        int        channel,
                        float     *lo,
                        float     *hi)
{
  int c = channel < 0 ? 0 : channel > 2 ? 2 : channel;

  switch (preset)
    {
    case VGG_PRESET_TORCHVISION:
      *lo = (0.0f - torchvision_mean[c]) / torchvision_std[c];
      *hi = (1.0f - torchvision_mean[c]) / torchvision_std[c];
      break;
    case VGG_PRESET_CAFFE:
      *lo = 0.0f - caffe_mean_bgr[c];
      *hi = 255.0f - caffe_mean_bgr[c];
      break;
    case VGG_PRESET_PLAIN:
    case VGG_PRESET_FASHION_MNIST:
    case VGG_PRESET_N_PRESETS:
    default:
      *lo = 0.0f;
      *hi = 1.0f;
      break;
    }
}

VggStatus
vgg_input_to_image (VggImage    *image,
                    const float *input,
                    int          channels,
                    int          height,
                    int          width,
                    VggPreset    preset,
                    VggError    *error)
{
  size_t plane;

  if (image == NULL || input == NULL || (channels != 1 && channels != 3) || height < 1
      || width < 1 || (int64_t) height * width > VGG_IMAGE_MAX_PIXELS)
    return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT,
                          "an input of %d×%d×%d cannot be a picture", channels, height, width);
  plane = (size_t) height * width;
  image->pixels = malloc (plane * 3);
  if (image->pixels == NULL)
    return vgg_error_set (error, VGG_STATUS_NO_MEMORY, "out of memory");
  image->width = width;
  image->height = height;
  for (size_t i = 0; i < plane; i++)
    for (int rgb = 0; rgb < 3; rgb++)
      {
        /* caffe's channel 0 is blue */
        int c = channels == 1 ? 0 : preset == VGG_PRESET_CAFFE ? 2 - rgb : rgb;
        float v = input[(size_t) c * plane + i], u;

        switch (preset)
          {
          case VGG_PRESET_TORCHVISION:
            u = (v * torchvision_std[c] + torchvision_mean[c]) * 255.0f;
            break;
          case VGG_PRESET_CAFFE:
            u = v + caffe_mean_bgr[c];
            break;
          default:
            u = v * 255.0f;
            break;
          }
        u = roundf (u);
        image->pixels[i * 3 + rgb] = (uint8_t) (u < 0.0f ? 0.0f : u > 255.0f ? 255.0f : u);
      }
  return VGG_STATUS_OK;
}

void
vgg_visualize_request_init (VggVisualizeRequest *request,
                            const VggModel      *model,
                            int                  layer_index,
                            int                  channel)
{
  const VggConfig *config = vgg_model_config (model);
  int side = config->input_height < config->input_width ? config->input_height
                                                        : config->input_width;

  memset (request, 0, sizeof *request);
  request->layer_index = layer_index;
  request->channel = channel;
  request->steps = 256;
  request->amplitude = 0.1f;
  request->learning_rate = 0.05f;
  request->jitter = side / 16 > 1 ? side / 16 : 1;
  request->scale = 0.05f;
  request->rotate = 5.0f;
  request->blur = side / 64.0f > 0.5f ? side / 64.0f : 0.5f;
}

static VggStatus
check_request (const VggModel            *model,
               const VggVisualizeRequest *request,
               VggUnit                   *unit,
               float                     *per_unit,
               VggError                  *error)
{
  const VggLayer *layer;

  if (request->layer_index < 0 || request->layer_index >= vgg_model_n_layers (model))
    return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT,
                          "layer %d does not exist (the model has %d)", request->layer_index,
                          vgg_model_n_layers (model));
  layer = vgg_model_layer (model, request->layer_index);
  if (layer->kind == VGG_LAYER_SOFTMAX)
    return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT,
                          "%s is the softmax: visualize a class through the logits layer",
                          layer->name);
  if (request->channel < 0 || request->channel >= layer->channels_out)
    return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT,
                          "layer %s has %d channels (0 to %d); %d asked for", layer->name,
                          layer->channels_out, layer->channels_out - 1, request->channel);
  if (request->steps < 1 || request->steps > 100000)
    return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT,
                          "steps must be between 1 and 100000, not %d", request->steps);
  if (!(request->amplitude >= 0.0f && request->amplitude <= 1.0f)
      || !(request->learning_rate > 0.0f && request->learning_rate <= 1.0f)
      || request->jitter < 0 || !(request->scale >= 0.0f && request->scale < 0.5f)
      || !(request->rotate >= 0.0f && request->rotate <= 180.0f)
      || !(request->blur >= 0.0f && request->blur <= 16.0f))
    return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT,
                          "a visualization's amplitude, learning rate, jitter, scale, rotation "
                          "or blur is out of range");
  unit->layer_index = request->layer_index;
  unit->stage = layer->relu ? VGG_STAGE_PRE_ACTIVATION : VGG_STAGE_OUTPUT;
  unit->channel = request->channel;
  unit->y = unit->x = -1;
  /* VggGradient sums the channel's map: the objective is its mean */
  *per_unit = 1.0f / (float) ((size_t) layer->height_out * layer->width_out);
  return VGG_STATUS_OK;
}

/* A uniform double in [0, 1) from the top 53 bits. */
static double
random_double (uint64_t *state)
{
  return (double) (vgg_random_next (state) >> 11) * (1.0 / 9007199254740992.0);
}

/* An affine map from output pixel centres to source coordinates, about the picture's centre. */
typedef struct
{
  double a, b, c, d;    /* the inverse of scale · rotation */
  double cy, cx;        /* the centre */
  double dy, dx;        /* the shift */
} Transform;

static void
transform_source (const Transform *t,
                  int              y,
                  int              x,
                  double          *sy,
                  double          *sx)
{
  double py = y - t->cy - t->dy, px = x - t->cx - t->dx;

  *sy = t->a * py + t->b * px + t->cy;
  *sx = t->c * py + t->d * px + t->cx;
}

/* The four bilinear taps of source point (sy, sx), the border clamped. */
static void
bilinear_taps (double  sy,
               double  sx,
               int     height,
               int     width,
               size_t  index[4],
               float   weight[4])
{
  double fy, fx;
  int y0, x0, y1, x1;

  sy = sy < 0.0 ? 0.0 : sy > height - 1 ? height - 1 : sy;
  sx = sx < 0.0 ? 0.0 : sx > width - 1 ? width - 1 : sx;
  y0 = (int) floor (sy);
  x0 = (int) floor (sx);
  fy = sy - y0;
  fx = sx - x0;
  y1 = y0 + 1 < height ? y0 + 1 : y0;
  x1 = x0 + 1 < width ? x0 + 1 : x0;
  index[0] = (size_t) y0 * width + x0;
  index[1] = (size_t) y0 * width + x1;
  index[2] = (size_t) y1 * width + x0;
  index[3] = (size_t) y1 * width + x1;
  weight[0] = (float) ((1.0 - fy) * (1.0 - fx));
  weight[1] = (float) ((1.0 - fy) * fx);
  weight[2] = (float) (fy * (1.0 - fx));
  weight[3] = (float) (fy * fx);
}

/* out = T(in) (@adjoint false) or in += Tᵀ(out) (@adjoint true; @out read, @in accumulated). */
static void
transform_apply (const Transform *t,
                 float           *out,
                 float           *in,
                 int              channels,
                 int              height,
                 int              width,
                 bool             adjoint)
{
  size_t plane = (size_t) height * width;

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        size_t index[4];
        float weight[4];
        double sy, sx;

        transform_source (t, y, x, &sy, &sx);
        bilinear_taps (sy, sx, height, width, index, weight);
        for (int c = 0; c < channels; c++)
          {
            float *src = in + c * plane;
            size_t at = c * plane + (size_t) y * width + x;

            if (adjoint)
              for (int k = 0; k < 4; k++)
                src[index[k]] += weight[k] * out[at];
            else
              out[at] = weight[0] * src[index[0]] + weight[1] * src[index[1]]
                        + weight[2] * src[index[2]] + weight[3] * src[index[3]];
          }
      }
}

/* A separable Gaussian of σ @sigma over each channel of @data, the border clamped. */
static void
gaussian_blur (float  *data,
               float  *scratch,
               int     channels,
               int     height,
               int     width,
               float   sigma)
{
  float kernel[65];
  int radius = (int) ceilf (3.0f * sigma);
  double sum = 0.0;

  if (radius > 32)
    radius = 32;
  for (int k = -radius; k <= radius; k++)
    sum += kernel[k + radius] = expf (-0.5f * k * k / (sigma * sigma));
  for (int k = 0; k <= 2 * radius; k++)
    kernel[k] = (float) (kernel[k] / sum);
  for (int c = 0; c < channels; c++)
    {
      float *plane = data + (size_t) c * height * width;

      for (int y = 0; y < height; y++)
        for (int x = 0; x < width; x++)
          {
            float v = 0.0f;
            for (int k = -radius; k <= radius; k++)
              {
                int xx = x + k < 0 ? 0 : x + k >= width ? width - 1 : x + k;
                v += kernel[k + radius] * plane[(size_t) y * width + xx];
              }
            scratch[(size_t) y * width + x] = v;
          }
      for (int y = 0; y < height; y++)
        for (int x = 0; x < width; x++)
          {
            float v = 0.0f;
            for (int k = -radius; k <= radius; k++)
              {
                int yy = y + k < 0 ? 0 : y + k >= height ? height - 1 : y + k;
                v += kernel[k + radius] * scratch[(size_t) yy * width + x];
              }
            plane[(size_t) y * width + x] = v;
          }
    }
}

VggStatus
vgg_visualize_objective (const VggModel            *model,
                         const VggVisualizeRequest *request,
                         const float               *input,
                         float                     *objective,
                         VggError                  *error)
{
  VggGradient *gradient = NULL;
  VggUnit unit;
  float per_unit, value = 0.0f;
  VggStatus status;

  if (model == NULL || request == NULL || input == NULL || objective == NULL)
    return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT, "no model, request or input");
  status = check_request (model, request, &unit, &per_unit, error);
  if (status == VGG_STATUS_OK)
    status = vgg_gradient_new (&gradient, model, error);
  if (status == VGG_STATUS_OK)
    status = vgg_gradient_compute (gradient, input, &unit, NULL, &value, error);
  vgg_gradient_free (gradient);
  *objective = value * per_unit;
  return status;
}

VggStatus
vgg_visualize (const VggModel            *model,
               const VggVisualizeRequest *request,
               float                     *input,
               VggVisualizeProgressFunc   progress,
               void                      *user_data,
               VggVisualizeResult        *result_out,
               VggError                  *error)
{
  const VggConfig *config;
  VggVisualizeResult result = { 0 };
  VggGradient *gradient = NULL;
  VggUnit unit;
  float per_unit, value = 0.0f, lo[3], hi[3];
  float *moved = NULL, *grad_moved = NULL, *grad = NULL, *scratch = NULL;
  size_t plane, count;
  uint64_t state;
  int channels, height, width, settle;
  double start = now_seconds ();
  VggStatus status;

  if (model == NULL || request == NULL || input == NULL)
    return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT, "no model, request or input");
  status = check_request (model, request, &unit, &per_unit, error);
  if (status != VGG_STATUS_OK)
    return status;
  config = vgg_model_config (model);
  channels = config->input_channels;
  height = config->input_height;
  width = config->input_width;
  plane = (size_t) height * width;
  count = (size_t) channels * plane;
  for (int c = 0; c < channels && c < 3; c++)
    vgg_preset_input_range (vgg_model_preset (model), c, &lo[c], &hi[c]);

  status = vgg_gradient_new (&gradient, model, error);
  if (status != VGG_STATUS_OK)
    return status;
  moved = malloc (count * sizeof (float));
  grad_moved = malloc (count * sizeof (float));
  grad = malloc (count * sizeof (float));
  scratch = malloc (plane * sizeof (float));
  if (moved == NULL || grad_moved == NULL || grad == NULL || scratch == NULL)
    {
      status = vgg_error_set (error, VGG_STATUS_NO_MEMORY, "out of memory");
      goto out;
    }

  /* the seeded noise */
  state = request->seed;
  for (int c = 0; c < channels; c++)
    {
      float l = lo[c < 3 ? c : 2], h = hi[c < 3 ? c : 2];
      float mid = 0.5f * (l + h), half = 0.5f * (h - l) * request->amplitude;

      for (size_t i = 0; i < plane; i++)
        input[c * plane + i] = mid + half * (float) (2.0 * random_double (&state) - 1.0);
    }

  settle = request->steps / 8;
  for (int step = 0; step < request->steps; step++)
    {
      bool moving = step < request->steps - settle;
      Transform t = { 1.0, 0.0, 0.0, 1.0, 0.5 * (height - 1), 0.5 * (width - 1), 0.0, 0.0 };
      double lr, mean_abs = 0.0, size;
      /* the draws happen whether or not a regulariser is on, so options do not shift them */
      double u_dy = random_double (&state), u_dx = random_double (&state);
      double u_scale = random_double (&state), u_angle = random_double (&state);

      if (moving)
        {
          double s = 1.0 + request->scale * (2.0 * u_scale - 1.0);
          double angle = request->rotate * (2.0 * u_angle - 1.0) * (M_PI / 180.0);
          double cs = cos (angle) / s, sn = sin (angle) / s;

          t.dy = floor (u_dy * (2 * request->jitter + 1)) - request->jitter;
          t.dx = floor (u_dx * (2 * request->jitter + 1)) - request->jitter;
          /* source = R(−angle)/s · (p − centre − shift) + centre */
          t.a = cs;
          t.b = sn;
          t.c = -sn;
          t.d = cs;
          transform_apply (&t, moved, input, channels, height, width, false);
        }
      else
        memcpy (moved, input, count * sizeof (float));

      status = vgg_gradient_compute (gradient, moved, &unit, grad_moved, &value, error);
      if (status != VGG_STATUS_OK)
        goto out;
      if (step == 0)
        result.objective_start = value * per_unit;

      if (moving)
        {
          memset (grad, 0, count * sizeof (float));
          transform_apply (&t, grad_moved, grad, channels, height, width, true);
        }
      else
        memcpy (grad, grad_moved, count * sizeof (float));
      if (request->blur > 0.0f)
        gaussian_blur (grad, scratch, channels, height, width, request->blur);

      for (size_t i = 0; i < count; i++)
        mean_abs += fabsf (grad[i]);
      mean_abs /= (double) count;
      lr = request->learning_rate
           * (0.1 + 0.45 * (1.0 + cos (M_PI * step / (double) request->steps)));
      for (int c = 0; c < channels; c++)
        {
          float l = lo[c < 3 ? c : 2], h = hi[c < 3 ? c : 2];

          size = mean_abs > 0.0 ? lr * (h - l) / mean_abs : 0.0;
          for (size_t i = 0; i < plane; i++)
            {
              float v = input[c * plane + i] + (float) (size * grad[c * plane + i]);
              input[c * plane + i] = v < l ? l : v > h ? h : v;
            }
        }
      result.steps = step + 1;
      if (progress != NULL
          && !progress (step + 1, request->steps, value * per_unit, input, user_data))
        {
          status = vgg_error_set (error, VGG_STATUS_CANCELLED, "the visualization was stopped");
          goto out;
        }
    }

  /* the objective at the picture itself */
  status = vgg_gradient_compute (gradient, input, &unit, NULL, &value, error);
  if (status == VGG_STATUS_OK)
    result.objective = value * per_unit;

out:
  result.seconds = now_seconds () - start;
  if (result_out != NULL)
    *result_out = result;
  free (moved);
  free (grad_moved);
  free (grad);
  free (scratch);
  vgg_gradient_free (gradient);
  return status;
}
