/* test-explain-gradients.c — every gradient method of the explainer against central finite
 *                            differences in double precision
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * On the narrow VGGs of tests/fixtures/reference/ (plain and batch norm, 3×64×64 input), the
 * network is evaluated in double (the naive kernels' arithmetic) and each map compared with
 * central differences of that evaluation, within 1e-5 of the map's largest value:
 *   saliency, ERF     ∂f/∂x_j at the input
 *   SmoothGrad        the mean of ∂logit/∂x_j at x + σ·ε_n, with the ε_n handed to the
 *                     explainer (VggExplainRequest.noise), so both use the same noise
 *   integrated grads  x_j · (1/m) Σ_i ∂logit/∂x_j at ((i + ½)/m)·x, each step's gradient a
 *                     central difference; and the completeness gap shrinking with m
 *   Grad-CAM          α_c = the mean of ∂logit/∂A_c over the layer's positions, which is the
 *                     derivative of the logit along A + t·1_c (every unit of channel c moved
 *                     together) divided by H_L·W_L; then ReLU (Σ_c α_c A_c), at a conv and a
 *                     pool layer
 *   guided backprop   on a copy of the net whose weights above the first convolution are
 *                     made non-negative: every gradient reaching a ReLU is then ≥ 0, so the
 *                     guided rule [z > 0]·max (g, 0) is the ordinary derivative [z > 0]·g and
 *                     the map must be the true gradient
 *   deconvnet         on the same copy, max (g, 0) = g, so the map is the gradient of the net
 *                     with every ReLU taken as the identity and every max-pool reading the
 *                     input that won its window in the real forward pass: an affine function
 *                     of x, whose central differences are exact
 *   guided Grad-CAM   the guided map (checked above) times the checked Grad-CAM map,
 *                     up-sampled
 * A coordinate whose differences at h and h/2 disagree sits on a ReLU kink and is skipped
 * (there are few; at least 12 of 16 must be checkable).
 */
#include "config.h"

#include "model-private.h"
#include "test-engine-util.h"
#include "vgg-explain.h"

#include <math.h>
#include <string.h>

#define TOLERANCE 1e-5
#define C_IN 3
#define SIDE 64
#define COUNT ((size_t) C_IN * SIDE * SIDE)

/* ---- the network in double ---- */

/* What to evaluate: logit @k, or (k < 0) unit @at of layer @stop before its ReLU. */
typedef struct
{
  int     k;
  int     stop;
  size_t  at;
  bool    linear;       /* every ReLU the identity, every pool through @switches */
  int   **switches;     /* per layer: each pool output's winning input (filled when !linear) */
  int     capture;      /* a layer whose output (after its ReLU) goes to @captured, or -1 */
  double *captured;
} Target;

static size_t
largest_tensor (const VggModel *model)
{
  size_t max = COUNT;

  for (int i = 0; i < vgg_model_n_layers (model); i++)
    {
      const VggLayer *l = vgg_model_layer (model, i);
      size_t n = (size_t) l->channels_out * l->height_out * l->width_out;

      max = n > max ? n : max;
    }
  return max;
}

/* Layers @from … of @model on @in (the input of layer @from) to @target's value. */
static double
evaluate (const VggModel *model,
          const double   *in,
          int             from,
          const Target   *target)
{
  size_t max = largest_tensor (model);
  const VggLayer *first = vgg_model_layer (model, from);
  double *a = g_new (double, max), *b = g_new (double, max), result = NAN;

  memcpy (a, in, sizeof (double) * (size_t) first->channels_in * first->height_in
                 * first->width_in);
  for (int i = from; i < vgg_model_n_layers (model); i++)
    {
      const VggLayer *l = vgg_model_layer (model, i);
      const float *wt = model->weights[i].weight, *bias = model->weights[i].bias;
      int h = l->height_in, w = l->width_in;
      size_t n = (size_t) l->channels_out * l->height_out * l->width_out;
      double *t;

      if (l->kind == VGG_LAYER_SOFTMAX)
        break;
      if (l->kind == VGG_LAYER_CONV)
        for (int o = 0; o < l->channels_out; o++)
          for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
              {
                double sum = bias[o];

                for (int c = 0; c < l->channels_in; c++)
                  for (int ky = 0; ky < 3; ky++)
                    for (int kx = 0; kx < 3; kx++)
                      {
                        int iy = y + ky - 1, ix = x + kx - 1;

                        if (iy >= 0 && iy < h && ix >= 0 && ix < w)
                          sum += wt[((size_t) (o * l->channels_in + c) * 3 + ky) * 3 + kx]
                                 * a[((size_t) c * h + iy) * w + ix];
                      }
                b[((size_t) o * h + y) * w + x] = sum;
              }
      else if (l->kind == VGG_LAYER_POOL)
        for (int c = 0; c < l->channels_out; c++)
          for (int y = 0; y < l->height_out; y++)
            for (int x = 0; x < l->width_out; x++)
              {
                size_t u = ((size_t) c * l->height_out + y) * l->width_out + x;
                size_t corner = ((size_t) c * h + 2 * y) * w + 2 * x;
                size_t window[4] = { corner, corner + 1, corner + w, corner + w + 1 };
                size_t best = window[0];

                if (target->linear)
                  best = target->switches[i][u];
                else
                  {
                    /* the first maximum in row-major order, as PyTorch and the engine */
                    for (int q = 1; q < 4; q++)
                      if (a[window[q]] > a[best])
                        best = window[q];
                    if (target->switches != NULL)
                      target->switches[i][u] = (int) best;
                  }
                b[u] = a[best];
              }
      else
        {
          size_t n_in = (size_t) l->channels_in * h * w;

          for (int o = 0; o < l->channels_out; o++)
            {
              double sum = bias[o];

              for (size_t q = 0; q < n_in; q++)
                sum += wt[(size_t) o * n_in + q] * a[q];
              b[o] = sum;
            }
        }
      if (i == target->stop)
        {
          result = b[target->at];
          break;
        }
      if (l->relu && !target->linear)
        for (size_t q = 0; q < n; q++)
          b[q] = b[q] > 0.0 ? b[q] : 0.0;
      if (i == target->capture)
        memcpy (target->captured, b, sizeof (double) * n);
      t = a, a = b, b = t;
      if (l->kind == VGG_LAYER_FC && !l->relu)
        {
          result = a[target->k];
          break;
        }
    }
  g_free (a);
  g_free (b);
  return result;
}

/* ---- central differences at chosen coordinates ---- */

/* The finite-difference estimate of a map's coordinate @j with step @h; @x is the input
 * (as double), which the estimate may change but must restore. */
typedef double (*Estimate) (void *data, double *x, size_t j, double h);

/* The map's six largest values and ten spread coordinates against @estimate; a coordinate
 * whose estimates at h and h/2 disagree (a ReLU kink) is skipped. */
static void
check_map (const char  *what,
           const float *map,
           const float *input,
           Estimate     estimate,
           void        *data)
{
  double *x = g_new (double, COUNT);
  double scale = test_max_abs (map, COUNT), worst = 0.0;
  int checked = 0;

  g_assert_cmpfloat (scale, >, 0.0);
  for (size_t q = 0; q < COUNT; q++)
    x[q] = input[q];
  for (int trial = 0; trial < 16; trial++)
    {
      size_t j = 0;
      double fd[2];

      if (trial < 6)
        {
          for (size_t q = 0; q < COUNT; q++)
            if (fabsf (map[q]) > fabsf (map[j]) && fabsf (map[q]) < scale * (1.0 - 0.05 * trial))
              j = q;
        }
      else
        j = ((size_t) trial * 7919u * 13u) % COUNT;
      fd[0] = estimate (data, x, j, 2e-4);
      fd[1] = estimate (data, x, j, 1e-4);
      if (fabs (fd[0] - fd[1]) > 1e-5 * scale)
        continue;
      worst = fmax (worst, fabs (fd[1] - map[j]));
      checked++;
    }
  g_test_message ("%s: %d finite differences, worst |diff| %.3g of max |map| %.3g (%.2g)", what,
                  checked, worst, scale, worst / scale);
  g_assert_cmpint (checked, >=, 12);
  if (!(worst <= TOLERANCE * scale))
    g_error ("%s: finite differences differ by %.3g (max |map| %.3g)", what, worst, scale);
  g_free (x);
}

typedef struct
{
  const VggModel *model;
  Target          target;
  /* SmoothGrad: the noisy copies' offsets σ·ε_n; integrated gradients: the step points */
  const float    *noise;
  double          sigma;
  int             samples;
  int             steps;
  const float    *input;
} Problem;

static double
central (const Problem *p,
         double        *x,
         size_t         j,
         double         h)
{
  double x_j = x[j], plus, minus;

  x[j] = x_j + h;
  plus = evaluate (p->model, x, 0, &p->target);
  x[j] = x_j - h;
  minus = evaluate (p->model, x, 0, &p->target);
  x[j] = x_j;
  return (plus - minus) / (2.0 * h);
}

static double
estimate_gradient (void   *data,
                   double *x,
                   size_t  j,
                   double  h)
{
  return central (data, x, j, h);
}

/* mean over the copies x + σ·ε_n of ∂f/∂x_j */
static double
estimate_smooth (void   *data,
                 double *x,
                 size_t  j,
                 double  h)
{
  const Problem *p = data;
  double *shifted = g_new (double, COUNT), sum = 0.0;

  for (int n = 0; n < p->samples; n++)
    {
      for (size_t q = 0; q < COUNT; q++)
        shifted[q] = x[q] + p->sigma * p->noise[(size_t) n * COUNT + q];
      sum += central (p, shifted, j, h);
    }
  g_free (shifted);
  return sum / p->samples;
}

/* x_j · (1/m) Σ_i ∂f/∂x_j at ((i + ½)/m)·x */
static double
estimate_integrated (void   *data,
                     double *x,
                     size_t  j,
                     double  h)
{
  const Problem *p = data;
  double *point = g_new (double, COUNT), sum = 0.0;

  for (int i = 0; i < p->steps; i++)
    {
      double alpha = (i + 0.5) / p->steps;

      for (size_t q = 0; q < COUNT; q++)
        point[q] = alpha * x[q];
      sum += central (p, point, j, h);
    }
  g_free (point);
  return x[j] * sum / p->steps;
}

/* ---- fixtures ---- */

typedef struct
{
  VggModel     *model;
  VggExplainer *explainer;
  VggNpy        input;     /* (2, 3, 64, 64): sample 0 is used */
  float        *map;
} Fixture;

static void
fixture_open (Fixture    *f,
              const char *name)
{
  g_autofree char *file = g_strconcat (name, ".safetensors", NULL);
  g_autofree char *path = test_fixture_path ("reference", file, NULL);
  g_autofree char *input_file = g_strconcat (name, "-input.npy", NULL);
  g_autofree char *input_path = test_fixture_path ("reference", input_file, NULL);
  VggError error = { 0 };

  test_assert_ok (test_model_load (&f->model, path, &error), &error);
  test_assert_ok (vgg_npy_load (&f->input, input_path, &error), &error);
  g_assert_cmpuint (f->input.count, >=, COUNT);
  test_assert_ok (vgg_explainer_new (&f->explainer, f->model, NULL, &error), &error);
  f->map = g_new0 (float, COUNT);
}

static void
fixture_close (Fixture *f)
{
  vgg_explainer_free (f->explainer);
  vgg_model_free (f->model);
  vgg_npy_clear (&f->input);
  g_free (f->map);
}

static void
compute (Fixture           *f,
         VggExplainRequest *request,
         VggExplainResult  *result)
{
  VggError error = { 0 };

  test_assert_ok (vgg_explainer_compute (f->explainer, f->input.data, request, f->map, result,
                                         &error), &error);
}

static int
layer_index (const VggModel *model,
             const char     *name)
{
  int index = vgg_model_find_layer (model, name);

  g_assert_cmpint (index, >=, 0);
  return index;
}

/* ---- saliency, SmoothGrad, ERF, integrated gradients ---- */

static void
test_plain_gradients (gconstpointer data)
{
  Fixture f = { 0 };
  VggExplainRequest request;
  VggExplainResult result;
  Problem p = { 0 };
  const VggLayer *layer;
  g_autofree float *noise = g_new (float, 3 * COUNT);
  GRand *rng = g_rand_new_with_seed (5);

  fixture_open (&f, data);
  p.model = f.model;
  p.input = f.input.data;

  vgg_explain_request_init (&request, VGG_EXPLAIN_SALIENCY);
  compute (&f, &request, &result);
  p.target = (Target) { .k = result.class_index, .stop = -1, .capture = -1 };
  check_map ("saliency", f.map, f.input.data, estimate_gradient, &p);

  /* SmoothGrad over 3 copies with noise both sides share */
  for (size_t q = 0; q < 3 * COUNT; q++)
    {
      /* Box–Muller from GLib's generator */
      double u1 = g_rand_double_range (rng, 1e-12, 1.0), u2 = g_rand_double (rng);

      noise[q] = (float) (sqrt (-2.0 * log (u1)) * cos (2.0 * G_PI * u2));
    }
  vgg_explain_request_init (&request, VGG_EXPLAIN_SALIENCY);
  request.smooth_samples = 3;
  request.noise_sigma = 0.15f;
  request.noise = noise;
  compute (&f, &request, &result);
  p.noise = noise;
  p.samples = 3;
  p.sigma = request.noise_sigma;
  check_map ("smoothgrad", f.map, f.input.data, estimate_smooth, &p);

  /* integrated gradients, each of 4 steps' gradients by differences */
  vgg_explain_request_init (&request, VGG_EXPLAIN_INTEGRATED_GRADIENTS);
  request.steps = 4;
  compute (&f, &request, &result);
  p.steps = 4;
  check_map ("integrated gradients, 4 steps", f.map, f.input.data, estimate_integrated, &p);

  /* its completeness gap: Σ IG against logit (x) − logit (0), both in double */
  {
    double gap[2], *x = g_new0 (double, COUNT), at_zero, at_x;

    at_zero = evaluate (f.model, x, 0, &p.target);
    for (size_t q = 0; q < COUNT; q++)
      x[q] = f.input.data[q];
    at_x = evaluate (f.model, x, 0, &p.target);
    g_free (x);
    for (int s = 0; s < 2; s++)
      {
        vgg_explain_request_init (&request, VGG_EXPLAIN_INTEGRATED_GRADIENTS);
        request.steps = s == 0 ? 8 : 256;
        compute (&f, &request, &result);
        gap[s] = result.completeness_gap;
        g_test_message ("ig, %d steps: Σ %.5f, logit difference %.5f (double: %.5f), gap %.3g",
                        request.steps, result.ig_sum, result.score - result.baseline_score,
                        at_x - at_zero, result.completeness_gap);
        g_assert_cmpfloat (fabs ((result.score - result.baseline_score) - (at_x - at_zero)), <=,
                           1e-5 * fabs (at_x - at_zero) + 1e-6);
        g_assert_cmpfloat (fabs (gap[s] - fabs (result.ig_sum - (at_x - at_zero))), <=,
                           1e-4 * fabs (at_x - at_zero));
      }
    g_assert_cmpfloat (gap[1], <, gap[0]);
    g_assert_cmpfloat (gap[1], <, 0.02 * fabs (at_x - at_zero));
  }

  /* effective receptive fields of a conv unit and a pool unit */
  {
    static const char *const layers[] = { "conv3_1", "pool4" };

    for (size_t i = 0; i < G_N_ELEMENTS (layers); i++)
      {
        g_autofree char *what = g_strdup_printf ("erf %s", layers[i]);

        vgg_explain_request_init (&request, VGG_EXPLAIN_ERF);
        request.layer_index = layer_index (f.model, layers[i]);
        layer = vgg_model_layer (f.model, request.layer_index);
        request.unit_channel = 1;
        request.unit_y = layer->height_out / 2, request.unit_x = layer->width_out / 3;
        compute (&f, &request, &result);
        p.target = (Target) { .k = -1, .stop = request.layer_index, .capture = -1,
                              .at = ((size_t) request.unit_channel * layer->height_out
                                     + request.unit_y) * layer->width_out + request.unit_x };
        check_map (what, f.map, f.input.data, estimate_gradient, &p);
      }
  }

  g_rand_free (rng);
  fixture_close (&f);
}

/* ---- Grad-CAM ---- */

/* Grad-CAM at @layer_name with α_c from the derivative along A + t·1_c. */
static void
check_gradcam (Fixture    *f,
               const char *layer_name,
               int         k,
               float      *cam_out)
{
  int index = layer_index (f->model, layer_name);
  const VggLayer *layer = vgg_model_layer (f->model, index);
  size_t plane = (size_t) layer->height_out * layer->width_out;
  size_t n = (size_t) layer->channels_out * plane;
  double *x = g_new (double, COUNT), *a = g_new (double, n), *moved = g_new (double, n);
  double *cam = g_new0 (double, plane), scale = 0.0, worst = 0.0;
  Target to_layer = { .k = k, .stop = -2, .capture = index, .captured = a };
  Target to_logit = { .k = k, .stop = -2, .capture = -1 };
  VggExplainRequest request;
  VggExplainResult result;

  for (size_t q = 0; q < COUNT; q++)
    x[q] = f->input.data[q];
  evaluate (f->model, x, 0, &to_layer);

  for (int c = 0; c < layer->channels_out; c++)
    {
      double alpha[2];

      /* at h and h/10: a kink anywhere above shows as a disagreement */
      for (int s = 0; s < 2; s++)
        {
          double h = s == 0 ? 1e-5 : 1e-6, plus, minus;

          memcpy (moved, a, sizeof (double) * n);
          for (size_t u = 0; u < plane; u++)
            moved[c * plane + u] = a[c * plane + u] + h;
          plus = evaluate (f->model, moved, index + 1, &to_logit);
          for (size_t u = 0; u < plane; u++)
            moved[c * plane + u] = a[c * plane + u] - h;
          minus = evaluate (f->model, moved, index + 1, &to_logit);
          alpha[s] = (plus - minus) / (2.0 * h) / (double) plane;
        }
      g_assert_cmpfloat (fabs (alpha[0] - alpha[1]), <=, 1e-6 * fabs (alpha[0]) + 1e-9);
      for (size_t u = 0; u < plane; u++)
        cam[u] += alpha[1] * a[c * plane + u];
    }
  for (size_t u = 0; u < plane; u++)
    {
      cam[u] = cam[u] > 0.0 ? cam[u] : 0.0;
      scale = fmax (scale, cam[u]);
    }

  vgg_explain_request_init (&request, VGG_EXPLAIN_GRADCAM);
  request.class_index = k;
  request.layer_index = index;
  compute (f, &request, &result);
  g_assert_cmpint (result.height * result.width, ==, (int) plane);
  for (size_t u = 0; u < plane; u++)
    worst = fmax (worst, fabs (f->map[u] - cam[u]));
  g_test_message ("gradcam %s, class %d: %d channels' α by differences, worst |diff| %.3g of "
                  "max %.3g (%.2g)", layer_name, k, layer->channels_out, worst, scale,
                  worst / scale);
  g_assert_cmpfloat (scale, >, 0.0);
  if (!(worst <= TOLERANCE * scale))
    g_error ("gradcam %s: differs by %.3g (max %.3g)", layer_name, worst, scale);
  if (cam_out != NULL)
    memcpy (cam_out, f->map, plane * sizeof (float));
  g_free (x);
  g_free (a);
  g_free (moved);
  g_free (cam);
}

static void
test_gradcam (gconstpointer data)
{
  Fixture f = { 0 };
  VggExplainRequest request;
  VggExplainResult result;
  fixture_open (&f, data);
  vgg_explain_request_init (&request, VGG_EXPLAIN_SALIENCY);
  compute (&f, &request, &result);
  /* the top class and another, at the last convolution and the last pool */
  for (int k = result.class_index, round = 0; round < 2; round++, k = (k + 3) % 10)
    {
      const VggLayer *conv = NULL;

      for (int i = 0; i < vgg_model_n_layers (f.model); i++)
        if (vgg_model_layer (f.model, i)->kind == VGG_LAYER_CONV)
          conv = vgg_model_layer (f.model, i);
      check_gradcam (&f, conv->name, k, NULL);
      check_gradcam (&f, "pool5", k, NULL);
    }
  fixture_close (&f);
}

/* ---- guided backprop, deconvnet, guided Grad-CAM ---- */

/* A copy of @model whose weights above the first convolution are |w|, each layer's scaled so
 * its rows' mean L1 norm is 1 (activations then stay of the input's size instead of growing
 * with every layer), biases kept. */
static VggModel *
non_negative_copy (const VggModel *model)
{
  VggModel *copy = NULL;
  VggError error = { 0 };

  test_assert_ok (vgg_model_new_random (&copy, vgg_model_config (model), 1, &error), &error);
  g_assert_cmpint (copy->n_layers, ==, model->n_layers);
  for (int i = 0; i < model->n_layers; i++)
    {
      const VggLayer *l = &model->layers[i];
      size_t n_weight, n_bias = (size_t) l->channels_out;
      float *weight = (float *) copy->weights[i].weight, *bias = (float *) copy->weights[i].bias;
      double norm = 0.0;

      if (l->kind != VGG_LAYER_CONV && l->kind != VGG_LAYER_FC)
        continue;
      g_assert_cmpint (copy->layers[i].kind, ==, l->kind);
      n_weight = l->kind == VGG_LAYER_CONV
                 ? (size_t) l->channels_out * l->channels_in * 9
                 : (size_t) l->channels_out * l->channels_in * l->height_in * l->width_in;
      for (size_t q = 0; q < n_weight; q++)
        norm += fabsf (model->weights[i].weight[q]);
      norm /= (double) l->channels_out;
      for (size_t q = 0; q < n_weight; q++)
        weight[q] = i == 0 ? model->weights[i].weight[q]
                           : (float) (fabsf (model->weights[i].weight[q]) / norm);
      for (size_t q = 0; q < n_bias; q++)
        bias[q] = model->weights[i].bias != NULL ? model->weights[i].bias[q] : 0.0f;
    }
  return copy;
}

static void
test_guided_deconv (gconstpointer data)
{
  Fixture f = { 0 };
  VggModel *original;
  VggExplainRequest request;
  VggExplainResult result;
  VggError error = { 0 };
  Problem p = { 0 };
  double *x = g_new (double, COUNT);
  g_autofree float *guided = g_new (float, COUNT);
  g_autofree float *cam = NULL;
  int **switches;
  int k;

  fixture_open (&f, data);
  /* the same net with non-negative weights above conv1_1 */
  original = f.model;
  f.model = non_negative_copy (original);
  vgg_model_free (original);
  vgg_explainer_free (f.explainer);
  test_assert_ok (vgg_explainer_new (&f.explainer, f.model, NULL, &error), &error);
  p.model = f.model;
  p.input = f.input.data;

  vgg_explain_request_init (&request, VGG_EXPLAIN_GUIDED);
  compute (&f, &request, &result);
  k = result.class_index;
  memcpy (guided, f.map, COUNT * sizeof (float));
  p.target = (Target) { .k = k, .stop = -1, .capture = -1 };
  check_map ("guided (non-negative weights above conv1_1)", f.map, f.input.data,
             estimate_gradient, &p);

  /* a unit's projection too: conv4_2, channel 2 */
  {
    int index = layer_index (f.model, "conv4_2");
    const VggLayer *layer = vgg_model_layer (f.model, index);

    vgg_explain_request_init (&request, VGG_EXPLAIN_GUIDED);
    request.layer_index = index;
    request.unit_channel = 2, request.unit_y = 3, request.unit_x = 5;
    compute (&f, &request, &result);
    p.target = (Target) { .k = -1, .stop = index, .capture = -1,
                          .at = ((size_t) 2 * layer->height_out + 3) * layer->width_out + 5 };
    check_map ("guided conv4_2 unit", f.map, f.input.data, estimate_gradient, &p);
  }

  /* deconvnet: the gradient of the net with identity ReLUs and the real pool switches */
  switches = g_new0 (int *, f.model->n_layers);
  for (int i = 0; i < f.model->n_layers; i++)
    switches[i] = g_new0 (int, largest_tensor (f.model));
  for (size_t q = 0; q < COUNT; q++)
    x[q] = f.input.data[q];
  p.target = (Target) { .k = k, .stop = -1, .capture = -1, .switches = switches };
  evaluate (f.model, x, 0, &p.target);
  p.target.linear = true;
  vgg_explain_request_init (&request, VGG_EXPLAIN_DECONV);
  request.class_index = k;
  compute (&f, &request, &result);
  check_map ("deconv (non-negative weights above conv1_1)", f.map, f.input.data,
             estimate_gradient, &p);
  /* the rule matters here: deconv is not the guided map */
  g_assert_cmpfloat (test_max_abs_diff (f.map, guided, COUNT), >, 0.01 * test_max_abs (guided,
                                                                                         COUNT));

  /* guided Grad-CAM: the checked guided map times the checked Grad-CAM map, up-sampled */
  {
    int index = 0;
    const VggLayer *layer;
    g_autofree float *up = g_new (float, SIDE * SIDE);
    g_autofree float *expected = g_new (float, COUNT);

    for (int i = 0; i < f.model->n_layers; i++)
      if (f.model->layers[i].kind == VGG_LAYER_CONV)
        index = i;
    layer = vgg_model_layer (f.model, index);
    cam = g_new (float, (size_t) layer->height_out * layer->width_out);
    check_gradcam (&f, layer->name, k, cam);
    vgg_explain_upsample (up, cam, layer->height_out, layer->width_out, SIDE, SIDE);
    for (size_t q = 0; q < COUNT; q++)
      expected[q] = guided[q] * up[q % (SIDE * SIDE)];
    vgg_explain_request_init (&request, VGG_EXPLAIN_GUIDED_GRADCAM);
    request.class_index = k;
    request.layer_index = index;
    compute (&f, &request, &result);
    g_assert_cmpfloat (test_max_abs_diff (f.map, expected, COUNT), <=,
                       1e-6 * test_max_abs (expected, COUNT));
  }

  for (int i = 0; i < f.model->n_layers; i++)
    g_free (switches[i]);
  g_free (switches);
  g_free (x);
  fixture_close (&f);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_data_func ("/explain-gradients/plain/saliency-smoothgrad-ig-erf", "narrow-vgg16",
                        test_plain_gradients);
  g_test_add_data_func ("/explain-gradients/bn/saliency-smoothgrad-ig-erf", "narrow-vgg11-bn",
                        test_plain_gradients);
  g_test_add_data_func ("/explain-gradients/plain/gradcam", "narrow-vgg16", test_gradcam);
  g_test_add_data_func ("/explain-gradients/bn/gradcam", "narrow-vgg11-bn", test_gradcam);
  g_test_add_data_func ("/explain-gradients/plain/guided-deconv", "narrow-vgg16",
                        test_guided_deconv);
  g_test_add_data_func ("/explain-gradients/bn/guided-deconv", "narrow-vgg11-bn",
                        test_guided_deconv);
  return g_test_run ();
}
