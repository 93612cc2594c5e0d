/* test-explain.c — the explanation methods against PyTorch autograd, and their contract
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tests/fixtures/explain/ comes from tools/gen-explain-fixtures.py (torch 1.13) for the narrow
 * VGGs of tests/fixtures/reference/; every map must match within 1e-4 of its largest value.
 * Finite differences for every gradient method: test-explain-gradients.c.
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
  g_test_add_func ("/explain/pool-ties", test_pool_ties);
  g_test_add_func ("/explain/no-classifier", test_no_classifier);
  g_test_add_func ("/explain/progress-cancel-randomize", test_progress_cancel_randomize);
  return g_test_run ();
}
