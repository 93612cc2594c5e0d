/* test-explain.c — the explanation methods against PyTorch autograd and finite differences
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tests/fixtures/explain/ comes from tools/gen-explain-fixtures.py (torch 1.13) for the narrow
 * VGGs of tests/fixtures/reference/; every map must match within 1e-4 of its largest value.
 */
#include "config.h"

#include "model-private.h"
#include "test-engine-util.h"
#include "vgg-explain.h"

#include <math.h>
#include <string.h>

#define TOLERANCE 1e-4

typedef struct
{
  VggModel      *model;
  VggTensorFile *ref;
  VggNpy         input;     /* (2, 3, 64, 64) */
} Fixture;

static void
fixture_open (Fixture    *f,
              const char *name)
{
  VggError error = { 0 };
  char *file = g_strconcat (name, ".safetensors", NULL);
  char *path = test_fixture_path ("reference", file, NULL);
  char *ref_file = g_strconcat (name, "-explain.safetensors", NULL);
  char *ref_path = test_fixture_path ("explain", ref_file, NULL);
  char *input_file = g_strconcat (name, "-input.npy", NULL);
  char *input_path = test_fixture_path ("reference", input_file, NULL);

  test_assert_ok (test_model_load (&f->model, path, &error), &error);
  test_assert_ok (test_tensor_file_open (&f->ref, ref_path, &error), &error);
  test_assert_ok (vgg_npy_load (&f->input, input_path, &error), &error);
  g_free (file);
  g_free (path);
  g_free (ref_file);
  g_free (ref_path);
  g_free (input_file);
  g_free (input_path);
}

static void
fixture_close (Fixture *f)
{
  vgg_model_free (f->model);
  vgg_tensor_file_free (f->ref);
  vgg_npy_clear (&f->input);
}

static const float *
ref_tensor (Fixture    *f,
            const char *name,
            size_t      count)
{
  const VggTensor *t = vgg_tensor_file_find (f->ref, name);

  if (t == NULL)
    g_error ("the fixture has no tensor %s", name);
  g_assert_cmpint (t->dtype, ==, VGG_DTYPE_F32);
  if (count > 0)
    g_assert_cmpint (t->count, ==, (int64_t) count);
  return t->data;
}

static void
assert_close (const float *ours,
              const float *ref,
              size_t       count,
              double       tolerance,
              const char  *what)
{
  double diff = test_max_abs_diff (ours, ref, count), scale = test_max_abs (ref, count);

  g_test_message ("%s: max |diff| %.3g of max |ref| %.3g", what, diff, scale);
  if (!(scale > 0.0) || !(diff <= tolerance * scale))
    g_error ("%s: max |diff| %.3g exceeds %.1g × %.3g", what, diff, tolerance, scale);
}

static int
layer_index (const VggModel *model,
             const char     *name)
{
  int index = vgg_model_find_layer (model, name);

  g_assert_cmpint (index, >=, 0);
  return index;
}

/* Computes @request on input @n and compares the map with @ref_name. */
static void
check_method (Fixture           *f,
              VggExplainer      *e,
              VggExplainRequest *request,
              int                n,
              const char        *ref_name,
              VggExplainResult  *result)
{
  VggError error = { 0 };
  int c, h, w;
  float *map;

  test_assert_ok (vgg_explainer_map_shape (e, request, &c, &h, &w, &error), &error);
  map = g_new0 (float, (size_t) c * h * w);
  test_assert_ok (vgg_explainer_compute (e, f->input.data + (size_t) n * 3 * 64 * 64, request,
                                         map, result, &error), &error);
  assert_close (map, ref_tensor (f, ref_name, (size_t) c * h * w), (size_t) c * h * w,
                TOLERANCE, ref_name);
  g_free (map);
}

static void
test_pytorch (const char *name,
              bool        exact)
{
  Fixture f = { 0 };
  VggExplainer *e;
  VggExplainerOptions options = { .exact = exact };
  VggExplainRequest request;
  VggExplainResult result;
  VggError error = { 0 };
  int k;

  fixture_open (&f, name);
  test_assert_ok (vgg_explainer_new (&e, f.model, &options, &error), &error);
  k = (int) ref_tensor (&f, "class", 1)[0];

  vgg_explain_request_init (&request, VGG_EXPLAIN_SALIENCY);
  check_method (&f, e, &request, 0, "saliency", &result);
  g_assert_cmpint (result.class_index, ==, k);
  g_assert_cmpfloat (fabs (result.score - ref_tensor (&f, "logit", 1)[0]), <, 1e-4);
  request.class_index = 3;
  check_method (&f, e, &request, 0, "saliency.class3", &result);

  vgg_explain_request_init (&request, VGG_EXPLAIN_GRADCAM);
  check_method (&f, e, &request, 0, "gradcam.lastconv", &result);
  g_assert_cmpstr (vgg_model_layer (f.model, result.layer_index)->name, ==,
                   vgg_tensor_file_metadata (f.ref, "fixture.last_conv"));
  request.layer_index = layer_index (f.model, "pool4");
  check_method (&f, e, &request, 0, "gradcam.pool4", &result);
  g_assert_cmpint (result.height, ==, 4);

  vgg_explain_request_init (&request, VGG_EXPLAIN_GUIDED);
  check_method (&f, e, &request, 0, "guided", &result);
  vgg_explain_request_init (&request, VGG_EXPLAIN_DECONV);
  check_method (&f, e, &request, 0, "deconv", &result);

  vgg_explain_request_init (&request, VGG_EXPLAIN_GUIDED);
  request.layer_index = layer_index (f.model, "conv4_1");
  request.unit_channel = 2, request.unit_y = 2, request.unit_x = 3;
  check_method (&f, e, &request, 0, "guided.unit", &result);
  request.method = VGG_EXPLAIN_DECONV;
  check_method (&f, e, &request, 0, "deconv.unit", &result);

  vgg_explain_request_init (&request, VGG_EXPLAIN_GUIDED_GRADCAM);
  check_method (&f, e, &request, 0, "guided-gradcam", &result);

  vgg_explain_request_init (&request, VGG_EXPLAIN_INTEGRATED_GRADIENTS);
  request.steps = 8;
  check_method (&f, e, &request, 0, "ig", &result);
  g_assert_cmpfloat (fabs (result.baseline_score - ref_tensor (&f, "ig.baseline_logit", 1)[0]),
                     <, 1e-4);
  {
    /* the gap is Σ IG − (logit(x) − logit(0)), from the same numbers */
    const float *ig = ref_tensor (&f, "ig", 3 * 64 * 64);
    double sum = 0.0;
    for (int j = 0; j < 3 * 64 * 64; j++)
      sum += ig[j];
    g_assert_cmpfloat (fabs (result.ig_sum - sum), <, 1e-3 * (1.0 + fabs (sum)));
    g_assert_cmpfloat (fabs (result.completeness_gap
                             - fabs (sum - (result.score - result.baseline_score))), <, 1e-3);
  }

  vgg_explain_request_init (&request, VGG_EXPLAIN_ERF);
  request.layer_index = layer_index (f.model, "conv3_2");
  request.unit_channel = 5, request.unit_y = 7, request.unit_x = 9;
  check_method (&f, e, &request, 0, "erf.conv", &result);
  g_assert_cmpfloat (result.center_share, >, 0.0);
  g_assert_cmpfloat (result.center_share, <=, 1.0);
  g_assert_cmpfloat (result.radius_50, <=, result.radius_90);
  request.n_inputs = 2;
  check_method (&f, e, &request, 0, "erf.mean", &result);
  vgg_explain_request_init (&request, VGG_EXPLAIN_ERF);
  request.layer_index = layer_index (f.model, "pool2");
  request.unit_channel = 3, request.unit_y = 6, request.unit_x = 4;
  check_method (&f, e, &request, 0, "erf.pool", &result);

  vgg_explain_request_init (&request, VGG_EXPLAIN_SALIENCY);
  request.smooth_samples = 3;
  request.noise_sigma = 0.3f;
  request.noise = ref_tensor (&f, "smoothgrad.noise", 3 * 3 * 64 * 64);
  check_method (&f, e, &request, 0, "smoothgrad", &result);

  vgg_explainer_free (e);
  fixture_close (&f);
}

static void
test_pytorch_plain (void)
{
  test_pytorch ("narrow-vgg16", false);
}

static void
test_pytorch_plain_exact (void)
{
  test_pytorch ("narrow-vgg16", true);
}

static void
test_pytorch_bn (void)
{
  test_pytorch ("narrow-vgg11-bn", false);
}

static void
test_pytorch_bn_exact (void)
{
  test_pytorch ("narrow-vgg11-bn", true);
}

/* ---- finite differences ---- */

/* A double-precision forward pass of @model (the naive kernels' arithmetic, in double) to
 * logit @k, or to unit @at of layer @layer before its ReLU (@k < 0). */
static double
forward_double (const VggModel *model,
                const double   *input,
                int             k,
                int             stop,
                size_t          at)
{
  const VggConfig *config = vgg_model_config (model);
  size_t max = (size_t) config->input_channels * config->input_height * config->input_width;
  double *a, *b, result = 0.0;

  for (int i = 0; i < vgg_model_n_layers (model); i++)
    {
      const VggLayer *l = vgg_model_layer (model, i);
      size_t n = (size_t) l->channels_out * l->height_out * l->width_out;
      if (n > max)
        max = n;
    }
  a = g_new (double, max);
  b = g_new (double, max);
  memcpy (a, input, sizeof (double) * (size_t) config->input_channels * config->input_height
                    * config->input_width);
  for (int i = 0; i < vgg_model_n_layers (model); i++)
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
                const double *p = a + ((size_t) c * h + 2 * y) * w + 2 * x;
                double m = fmax (fmax (p[0], p[1]), fmax (p[w], p[w + 1]));
                b[((size_t) c * l->height_out + y) * l->width_out + x] = m;
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
      if (i == stop)
        {
          result = b[at];
          break;
        }
      if (l->relu)
        for (size_t q = 0; q < n; q++)
          b[q] = b[q] > 0.0 ? b[q] : 0.0;
      t = a, a = b, b = t;
      if (l->kind == VGG_LAYER_FC && !l->relu)
        {
          result = a[k];
          break;
        }
    }
  g_free (a);
  g_free (b);
  return result;
}

/* Central differences in double precision at the largest gradients and a spread of others;
 * a coordinate whose differences at h and h/2 disagree sits on a ReLU kink and is skipped
 * (there are few). */
static void
check_finite_differences (const VggModel *model,
                          const float    *input,
                          const float    *grad,
                          int             k,
                          int             stop,
                          size_t          at,
                          const char     *what)
{
  size_t count = 3 * 64 * 64;
  double *x = g_new (double, count);
  double scale = test_max_abs (grad, count), worst = 0.0;
  int checked = 0;

  for (size_t q = 0; q < count; q++)
    x[q] = input[q];
  for (int trial = 0; trial < 16; trial++)
    {
      size_t j = 0;
      double fd[2];

      if (trial < 6)
        {
          for (size_t q = 0; q < count; q++)
            if (fabsf (grad[q]) > fabsf (grad[j]) && fabsf (grad[q]) < scale * (1.0 - 0.05 * trial))
              j = q;
        }
      else
        j = ((size_t) trial * 7919u * 13u) % count;
      for (int s = 0; s < 2; s++)
        {
          double h = s == 0 ? 2e-4 : 1e-4, plus, minus;

          x[j] = input[j] + h;
          plus = forward_double (model, x, k, stop, at);
          x[j] = input[j] - h;
          minus = forward_double (model, x, k, stop, at);
          x[j] = input[j];
          fd[s] = (plus - minus) / (2.0 * h);
        }
      if (fabs (fd[0] - fd[1]) > 1e-4 * scale)
        continue;
      if (fabs (fd[1] - grad[j]) > worst)
        worst = fabs (fd[1] - grad[j]);
      checked++;
    }
  g_test_message ("%s: %d finite differences, worst |diff| %.3g of max |grad| %.3g", what,
                  checked, worst, scale);
  g_assert_cmpint (checked, >=, 12);
  if (!(worst <= 1e-4 * scale))
    g_error ("%s: finite differences differ by %.3g (max |grad| %.3g)", what, worst, scale);
  g_free (x);
}

static void
test_finite_differences (gconstpointer data)
{
  const char *name = data;
  Fixture f = { 0 };
  VggExplainer *e;
  VggExplainRequest request;
  VggExplainResult result;
  VggError error = { 0 };
  float *map = g_new (float, 3 * 64 * 64);
  const VggLayer *layer;

  fixture_open (&f, name);
  test_assert_ok (vgg_explainer_new (&e, f.model, NULL, &error), &error);

  vgg_explain_request_init (&request, VGG_EXPLAIN_SALIENCY);
  test_assert_ok (vgg_explainer_compute (e, f.input.data, &request, map, &result, &error),
                  &error);
  check_finite_differences (f.model, f.input.data, map, result.class_index, -1, 0, "saliency");

  vgg_explain_request_init (&request, VGG_EXPLAIN_ERF);
  request.layer_index = layer_index (f.model, "conv3_1");
  request.unit_channel = 1, request.unit_y = 8, request.unit_x = 3;
  test_assert_ok (vgg_explainer_compute (e, f.input.data, &request, map, &result, &error),
                  &error);
  layer = vgg_model_layer (f.model, request.layer_index);
  check_finite_differences (f.model, f.input.data, map, -1, request.layer_index,
                            ((size_t) request.unit_channel * layer->height_out + request.unit_y)
                            * layer->width_out + request.unit_x, "erf conv3_1");

  /* integrated gradients: the completeness gap shrinks as the midpoint rule refines */
  {
    double gap[2];

    for (int s = 0; s < 2; s++)
      {
        vgg_explain_request_init (&request, VGG_EXPLAIN_INTEGRATED_GRADIENTS);
        request.steps = s == 0 ? 8 : 256;
        test_assert_ok (vgg_explainer_compute (e, f.input.data, &request, map, &result, &error),
                        &error);
        gap[s] = result.completeness_gap;
        g_test_message ("ig, %d steps: Σ %.5f, logit difference %.5f, gap %.3g", request.steps,
                        result.ig_sum, result.score - result.baseline_score,
                        result.completeness_gap);
      }
    g_assert_cmpfloat (gap[1], <, gap[0]);
    g_assert_cmpfloat (gap[1], <, 0.05 * fabs (result.score - result.baseline_score));
  }

  vgg_explainer_free (e);
  g_free (map);
  fixture_close (&f);
}

/* ---- the rest of the contract ---- */

/* A max-pool window whose values tie sends its gradient to its first maximum in row-major
 * order, as PyTorch does: one conv whose kernel is the identity, so ties are exact. */
static void
test_pool_ties (void)
{
  VggConfig config = { .n_blocks = 1, .block_widths = { 1 }, .block_convs = { 1 },
                       .input_channels = 1, .input_height = 4, .input_width = 4 };
  float input[16] = { 1, 1, 0, 2,
                      1, 1, 2, 2,
                      5, 3, -1, -1,
                      4, 5, -1, -1 };
  /* the gradient of each pool unit lands on its window's first maximum; the last window's
   * values are all negative, so all four ReLU outputs tie at 0 and the deconvnet rule passes
   * the gradient through the top-left one */
  int expected_at[4] = { 0, 3, 8, 10 };
  VggModel *model;
  VggExplainer *e;
  VggExplainRequest request;
  VggError error = { 0 };
  float map[16], *weight;

  test_assert_ok (vgg_model_new_random (&model, &config, 1, &error), &error);
  weight = (float *) model->weights[0].weight;
  memset (weight, 0, 9 * sizeof (float));
  weight[4] = 1.0f;
  ((float *) model->weights[0].bias)[0] = 0.0f;
  test_assert_ok (vgg_explainer_new (&e, model, NULL, &error), &error);
  for (int unit = 0; unit < 4; unit++)
    {
      vgg_explain_request_init (&request, VGG_EXPLAIN_DECONV);
      request.layer_index = vgg_model_find_layer (model, "pool1");
      request.unit_y = unit / 2, request.unit_x = unit % 2;
      test_assert_ok (vgg_explainer_compute (e, input, &request, map, NULL, &error), &error);
      for (int j = 0; j < 16; j++)
        g_assert_cmpfloat (map[j], ==, j == expected_at[unit] ? 1.0f : 0.0f);
      request.method = VGG_EXPLAIN_ERF;
      test_assert_ok (vgg_explainer_compute (e, input, &request, map, NULL, &error), &error);
      for (int j = 0; j < 16; j++)
        g_assert_cmpfloat (map[j], ==, j == expected_at[unit] && unit < 3 ? 1.0f : 0.0f);
    }
  vgg_explainer_free (e);
  vgg_model_free (model);
}

static void
test_no_classifier (void)
{
  VggConfig config;
  VggModel *model;
  VggExplainer *e;
  VggExplainRequest request;
  VggExplainResult result;
  VggError error = { 0 };
  float *input, *map;
  int c, h, w;

  test_assert_ok (vgg_config_for_name (&config, "vgg11", &error), &error);
  for (int b = 0; b < config.n_blocks; b++)
    config.block_widths[b] = 4;
  config.input_height = config.input_width = 32;
  config.n_classes = 0;
  config.n_hidden_fc = 0;
  test_assert_ok (vgg_model_new_random (&model, &config, 7, &error), &error);
  test_assert_ok (vgg_explainer_new (&e, model, NULL, &error), &error);
  input = g_new0 (float, 3 * 32 * 32);
  map = g_new0 (float, 3 * 32 * 32);
  for (int j = 0; j < 3 * 32 * 32; j++)
    input[j] = sinf ((float) j);

  for (int m = 0; m < VGG_EXPLAIN_N_METHODS; m++)
    {
      if (m == VGG_EXPLAIN_ERF)
        continue;
      vgg_explain_request_init (&request, (VggExplainMethod) m);
      g_assert_cmpint (vgg_explainer_compute (e, input, &request, map, NULL, &error), ==,
                       VGG_STATUS_UNSUPPORTED);
      g_assert_nonnull (strstr (error.message, "no classifier"));
    }
  vgg_explain_request_init (&request, VGG_EXPLAIN_ERF);
  request.layer_index = vgg_model_find_layer (model, "pool3");
  request.unit_channel = 1, request.unit_y = 2, request.unit_x = 2;
  test_assert_ok (vgg_explainer_map_shape (e, &request, &c, &h, &w, &error), &error);
  g_assert_cmpint (c * h * w, ==, 3 * 32 * 32);
  test_assert_ok (vgg_explainer_compute (e, input, &request, map, &result, &error), &error);
  g_assert_cmpfloat (test_max_abs (map, 3 * 32 * 32), >, 0.0);
  g_assert_cmpint (result.field_size, ==, vgg_model_layer (model, request.layer_index)
                                            ->receptive_field.size);
  /* a unit outside the layer, and a non-conv layer */
  request.unit_y = 4;
  g_assert_cmpint (vgg_explainer_compute (e, input, &request, map, NULL, &error), ==,
                   VGG_STATUS_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error.message, "outside layer pool3"));

  vgg_explainer_free (e);
  vgg_model_free (model);
  g_free (input);
  g_free (map);
}

typedef struct
{
  VggExplainer *e;
  int           calls;
  double        last;
} CancelData;

static void
cancel_on_second (double  fraction,
                  void   *user_data)
{
  CancelData *data = user_data;

  g_assert_cmpfloat (fraction, >=, data->last);
  data->last = fraction;
  if (++data->calls == 2)
    vgg_explainer_cancel (data->e);
}

static void
test_progress_cancel_randomize (void)
{
  Fixture f = { 0 };
  VggExplainer *e, *r1, *r2;
  VggExplainerOptions options = { .max_batch = 2 };
  VggExplainRequest request;
  VggExplainResult result;
  VggError error = { 0 };
  CancelData data = { 0 };
  size_t count = 3 * 64 * 64;
  float *a = g_new (float, count), *b = g_new (float, count), *c = g_new (float, count);

  fixture_open (&f, "narrow-vgg16");
  test_assert_ok (vgg_explainer_new (&e, f.model, &options, &error), &error);
  g_assert_cmpint (vgg_explainer_max_batch (e), ==, 2);
  data.e = e;
  vgg_explainer_set_progress (e, cancel_on_second, &data);
  vgg_explain_request_init (&request, VGG_EXPLAIN_INTEGRATED_GRADIENTS);
  request.steps = 16;
  g_assert_cmpint (vgg_explainer_compute (e, f.input.data, &request, a, &result, &error), ==,
                   VGG_STATUS_CANCELLED);
  g_assert_cmpint (data.calls, ==, 2);
  /* a late request does not stop the next computation; progress reaches 1 */
  vgg_explainer_cancel (e);
  data.calls = 10;
  data.last = 0.0;
  test_assert_ok (vgg_explainer_compute (e, f.input.data, &request, a, &result, &error), &error);
  g_assert_cmpfloat (data.last, ==, 1.0);
  g_assert_cmpint (result.passes, ==, 2 + 8);

  /* the sanity check: random weights from conv4_1 up change the saliency map, the same seed
   * gives the same map, and what lies below (an ERF in block 3) does not change */
  options.randomize = true;
  options.randomize_from = layer_index (f.model, "conv4_1");
  options.randomize_seed = 5;
  test_assert_ok (vgg_explainer_new (&r1, f.model, &options, &error), &error);
  test_assert_ok (vgg_explainer_new (&r2, f.model, &options, &error), &error);
  vgg_explain_request_init (&request, VGG_EXPLAIN_SALIENCY);
  request.class_index = 1;
  vgg_explainer_set_progress (e, NULL, NULL);
  test_assert_ok (vgg_explainer_compute (e, f.input.data, &request, a, NULL, &error), &error);
  test_assert_ok (vgg_explainer_compute (r1, f.input.data, &request, b, NULL, &error), &error);
  test_assert_ok (vgg_explainer_compute (r2, f.input.data, &request, c, NULL, &error), &error);
  g_assert_cmpmem (b, count * sizeof (float), c, count * sizeof (float));
  g_assert_cmpfloat (test_max_abs_diff (a, b, count), >, 0.1 * test_max_abs (a, count));
  vgg_explain_request_init (&request, VGG_EXPLAIN_ERF);
  request.layer_index = layer_index (f.model, "conv3_3");
  request.unit_channel = 0, request.unit_y = 5, request.unit_x = 5;
  test_assert_ok (vgg_explainer_compute (e, f.input.data, &request, a, NULL, &error), &error);
  test_assert_ok (vgg_explainer_compute (r1, f.input.data, &request, b, NULL, &error), &error);
  g_assert_cmpmem (a, count * sizeof (float), b, count * sizeof (float));

  vgg_explainer_free (r1);
  vgg_explainer_free (r2);
  vgg_explainer_free (e);
  fixture_close (&f);
  g_free (a);
  g_free (b);
  g_free (c);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/explain/pytorch/plain", test_pytorch_plain);
  g_test_add_func ("/explain/pytorch/plain-exact", test_pytorch_plain_exact);
  g_test_add_func ("/explain/pytorch/bn", test_pytorch_bn);
  g_test_add_func ("/explain/pytorch/bn-exact", test_pytorch_bn_exact);
  g_test_add_data_func ("/explain/finite-differences/plain", "narrow-vgg16",
                        test_finite_differences);
  g_test_add_data_func ("/explain/finite-differences/bn", "narrow-vgg11-bn",
                        test_finite_differences);
  g_test_add_func ("/explain/pool-ties", test_pool_ties);
  g_test_add_func ("/explain/no-classifier", test_no_classifier);
  g_test_add_func ("/explain/progress-cancel-randomize", test_progress_cancel_randomize);
  return g_test_run ();
}
