/* test-unit.c — one unit worked out by hand (vgg-unit.h) against PyTorch and the engine's runs
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tests/fixtures/unit/ comes from tools/gen-unit-fixtures.py (torch 1.13): random, near-zero,
 * border and tied units of every layer of the narrow plain and batch-norm VGGs and of the
 * built-in model. Every breakdown must (1) sum to its own worked value from the numbers it
 * shows, (2) equal the engine's exact run within 1e-5 of Σ|w·x| + |b|, and (3) match PyTorch's
 * window, filter, partial sums, products, winners and probabilities.
 */
#include "config.h"

#include "model-private.h"
#include "test-engine-util.h"
#include "unit-private.h"
#include "vgg-unit.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>
#include <sys/wait.h>

/* PyTorch's activations and ours differ by float32 rounding through the layers below (the
 * reference test holds them to 1e-4 of each layer's largest value): compared relative to the
 * unit's own magnitude */
#define TORCH_TOLERANCE 1e-4

typedef struct
{
  VggModel     *model;
  VggNpy        input;        /* sample 0 is used */
  JsonParser   *parser;
  JsonObject   *root;
  VggUnitProbe *probe;
} Fixture;

static void
fixture_open (Fixture    *f,
              const char *name)
{
  VggError error = { 0 };
  g_autoptr (GError) gerror = NULL;
  g_autofree char *file = g_strconcat (name, "-units.json", NULL);
  g_autofree char *path = test_fixture_path ("unit", file, NULL);
  g_autofree char *input_path = NULL;
  const char *weights;

  f->parser = json_parser_new ();
  if (!json_parser_load_from_file (f->parser, path, &gerror))
    g_error ("%s: %s", path, gerror->message);
  f->root = json_node_get_object (json_parser_get_root (f->parser));
  weights = json_object_get_string_member (f->root, "weights");
  if (strcmp (weights, "built-in") == 0)
    test_assert_ok (vgg_model_new_default (&f->model, &error), &error);
  else
    {
      g_autofree char *weights_path = test_fixture_path (weights, NULL);
      test_assert_ok (test_model_load (&f->model, weights_path, &error), &error);
    }
  input_path = test_fixture_path (json_object_get_string_member (f->root, "input"), NULL);
  test_assert_ok (vgg_npy_load (&f->input, input_path, &error), &error);
  test_assert_ok (vgg_unit_probe_new (&f->probe, f->model, NULL, &error), &error);
}

static void
fixture_close (Fixture *f)
{
  vgg_unit_probe_free (f->probe);
  vgg_model_free (f->model);
  vgg_npy_clear (&f->input);
  g_clear_object (&f->parser);
}

static double
member (JsonObject *o,
        const char *name)
{
  return json_object_get_double_member (o, name);
}

static double
element (JsonObject *o,
         const char *name,
         guint       i)
{
  return json_array_get_double_element (json_object_get_array_member (o, name), i);
}

static void
assert_near (double      ours,
             double      ref,
             double      tolerance,
             const char *what,
             const char *where)
{
  if (!(fabs (ours - ref) <= tolerance))
    g_error ("%s: %s is %.9g, PyTorch %.9g (|diff| %.3g > %.3g)", where, what, ours, ref,
             fabs (ours - ref), tolerance);
}

/* The largest |worked − exact| and |fast − exact| seen, relative to the magnitude */
static double worst_exact, worst_fast;

/* What every breakdown must satisfy on its own: the worked value is the sum of the numbers
 * shown, and it equals the engine's exact run. */
static void
check_self (const VggUnitBreakdown *b,
            const char             *where)
{
  double tolerance = VGG_UNIT_RELATIVE_TOLERANCE * b->magnitude;
  double sum = 0.0;

  switch (b->kind)
    {
    case VGG_LAYER_CONV:
      for (int c = 0; c < b->conv.channels_in; c++)
        {
          double partial = 0.0;
          for (int k = 0; k < 9; k++)
            {
              double product = b->conv.products[c * 9 + k];
              g_assert_cmpfloat (product, ==,
                                 (double) b->conv.window[c * 9 + k] * b->conv.filter[c * 9 + k]);
              partial += product;
            }
          g_assert_cmpfloat (partial, ==, b->conv.partials[c]);
          sum += b->conv.partials[c];
          if (c > 0)
            g_assert_cmpfloat (fabs (b->conv.partials[b->conv.order[c - 1]]), >=,
                               fabs (b->conv.partials[b->conv.order[c]]));
        }
      g_assert_cmpfloat (sum + b->bias, ==, b->pre);
      break;
    case VGG_LAYER_FC:
      for (int k = 0; k < b->dense.n_top; k++)
        {
          sum += b->dense.top[k].product;
          g_assert_cmpfloat (b->dense.top[k].product, ==,
                             (double) b->dense.top[k].weight * b->dense.top[k].activation);
          if (k > 0)
            g_assert_cmpfloat (fabs (b->dense.top[k - 1].product), >=,
                               fabs (b->dense.top[k].product));
        }
      g_assert_cmpfloat (fabs (sum + b->dense.rest + b->bias - b->pre), <=, 1e-12 * b->magnitude);
      g_assert_cmpint (b->dense.n_top, ==, MIN (VGG_UNIT_TOP_TERMS, b->dense.n_inputs));
      /* nothing left out is larger than what is shown */
      g_assert_cmpfloat (b->dense.rest_magnitude, >=, 0.0);
      break;
    case VGG_LAYER_POOL:
      g_assert_cmpfloat (b->post, ==, b->pool.window[2 * b->pool.argmax_y + b->pool.argmax_x]);
      for (int k = 0; k < 4; k++)
        g_assert_cmpfloat (b->pool.window[k], <=, b->post);
      g_assert_cmpfloat (b->post, ==, b->exact_post);
      break;
    case VGG_LAYER_SOFTMAX:
      g_assert_cmpfloat (fabs (b->post - b->exact_post), <=, 1e-5 * b->post + 1e-30);
      g_assert_cmpfloat (fabs (b->post - b->softmax.exps[b->channel] / b->softmax.sum), <=,
                         1e-12);
      return;
    case VGG_LAYER_N_KINDS:
      g_assert_not_reached ();
    }
  if (b->kind == VGG_LAYER_CONV || b->kind == VGG_LAYER_FC)
    {
      if (!(fabs (b->pre - b->exact_pre) <= tolerance))
        g_error ("%s: worked %.9g, exact %.9g: |diff| %.3g > 1e-5 × %.6g", where, b->pre,
                 b->exact_pre, fabs (b->pre - b->exact_pre), b->magnitude);
      g_assert_cmpfloat (b->post, ==, b->layer->relu ? fmax (b->pre, 0.0) : b->pre);
      if (b->magnitude > 0.0)
        {
          worst_exact = fmax (worst_exact, fabs (b->pre - b->exact_pre) / b->magnitude);
          worst_fast = fmax (worst_fast, fabs ((double) b->fast_pre - b->exact_pre)
                                         / b->magnitude);
        }
      g_assert_cmpfloat (fabs (b->post - b->exact_post), <=, tolerance);
    }
  g_assert_nonnull (b->exact_algorithm);
  g_assert_nonnull (b->fast_algorithm);
  if (b->kind == VGG_LAYER_CONV)
    {
      /* the exact run never uses Winograd */
      g_assert_null (strstr (b->exact_algorithm, "winograd"));
      g_assert_cmpstr (b->exact_algorithm, !=, "");
    }
  /* the fast run: another rounding. Winograd's transforms mix the whole 6×6 input patch of
   * a tile, so its error follows the layer's values, not this unit's own Σ|w·x|: the engine
   * promises about 1e-5 of the layer's largest value (vgg.h), and the test models' layers
   * are of order 1 (an unoptimised build, without fused multiply-adds, showed 3e-6 on a unit
   * whose Σ|w·x| was 4e-3) */
  g_assert_true (isfinite (b->fast_post));
  g_assert_cmpfloat (fabs ((double) b->fast_pre - b->exact_pre), <=,
                     TORCH_TOLERANCE * b->magnitude + 1e-5);
}

static void
check_conv (const VggUnitBreakdown *b,
            JsonObject             *u,
            const char             *where)
{
  double scale = member (u, "magnitude"), filter_max = 0.0;
  int n = b->conv.channels_in;

  g_assert_cmpint (json_array_get_length (json_object_get_array_member (u, "partials")), ==, n);
  for (int i = 0; i < n * 9; i++)
    filter_max = fmax (filter_max, fabs (element (u, "filter", (guint) i)));
  for (int i = 0; i < n * 9; i++)
    {
      assert_near (b->conv.filter[i], element (u, "filter", (guint) i), 1e-6 * filter_max,
                   "a filter weight", where);
      assert_near (b->conv.window[i] * fabs (b->conv.filter[i]),
                   element (u, "window", (guint) i) * fabs (b->conv.filter[i]),
                   TORCH_TOLERANCE * scale, "a window value × |weight|", where);
    }
  for (int c = 0; c < n; c++)
    assert_near (b->conv.partials[c], element (u, "partials", (guint) c),
                 TORCH_TOLERANCE * scale, "a partial sum", where);
  assert_near (b->bias, member (u, "bias"), 1e-6 * fabs (member (u, "bias")) + 1e-7, "the bias",
               where);
  assert_near (b->magnitude, scale, TORCH_TOLERANCE * scale, "Σ|w·x| + |b|", where);
  assert_near (b->pre, member (u, "pre"), TORCH_TOLERANCE * scale, "the value before ReLU",
               where);
  assert_near (b->post, member (u, "post"), TORCH_TOLERANCE * scale, "the output", where);

  g_assert_cmpint (b->conv.has_batch_norm, ==, json_object_has_member (u, "bn"));
  if (b->conv.has_batch_norm)
    {
      JsonObject *bn = json_object_get_object_member (u, "bn");
      const VggUnitBatchNorm *ours = &b->conv.batch_norm;

      g_assert_cmpfloat (ours->gamma, ==, member (bn, "gamma"));
      g_assert_cmpfloat (ours->beta, ==, member (bn, "beta"));
      g_assert_cmpfloat (ours->mean, ==, member (bn, "mean"));
      g_assert_cmpfloat (ours->var, ==, member (bn, "var"));
      g_assert_cmpfloat (ours->conv_bias, ==, member (bn, "conv_bias"));
      g_assert_cmpfloat (ours->eps, ==, 1e-5);
      /* the explanation reproduces the folded numbers the model computes with */
      g_assert_cmpfloat ((float) ours->folded_bias, ==, b->bias);
      assert_near (ours->folded_bias, member (u, "bias"), 1e-6 * fabs (member (u, "bias")) + 1e-7,
                   "the folded bias", where);
    }
}

static void
check_pool (const VggUnitBreakdown *b,
            JsonObject             *u,
            const char             *where)
{
  JsonArray *argmax = json_object_get_array_member (u, "argmax");
  double ref_max = member (u, "post"), second = -INFINITY;
  int ref_y = (int) json_array_get_int_element (argmax, 0);
  int ref_x = (int) json_array_get_int_element (argmax, 1);
  double tolerance = TORCH_TOLERANCE * (fabs (ref_max) + 1e-6);

  for (int k = 0; k < 4; k++)
    {
      double v = element (u, "window", (guint) k);
      assert_near (b->pool.window[k], v, tolerance, "a window value", where);
      if (k != 2 * ref_y + ref_x)
        second = fmax (second, v);
    }
  assert_near (b->post, ref_max, tolerance, "the maximum", where);
  /* the same winner, unless two values are within rounding of each other but not equal */
  if (second == ref_max || ref_max - second > 2 * tolerance)
    {
      g_assert_cmpint (b->pool.argmax_y, ==, ref_y);
      g_assert_cmpint (b->pool.argmax_x, ==, ref_x);
    }
}

static void
check_fc (const VggUnitBreakdown *b,
          JsonObject             *u,
          const char             *where)
{
  JsonArray *top = json_object_get_array_member (u, "top");
  double scale = member (u, "magnitude"), tolerance = TORCH_TOLERANCE * scale;

  g_assert_cmpint (b->dense.n_top, ==, json_array_get_length (top));
  for (int k = 0; k < b->dense.n_top; k++)
    {
      JsonObject *t = json_array_get_object_element (top, (guint) k);
      const VggUnitTerm *ours = &b->dense.top[k];
      double p = member (t, "product");
      double before = k > 0 ? member (json_array_get_object_element (top, (guint) k - 1),
                                      "product") : INFINITY;
      double after = k + 1 < b->dense.n_top
                     ? member (json_array_get_object_element (top, (guint) k + 1), "product")
                     : member (u, "next_magnitude");

      assert_near (ours->product, p, tolerance, "a product", where);
      /* the same input, unless its neighbours in the ranking are within rounding */
      if (fabs (fabs (before) - fabs (p)) > 2 * tolerance
          && fabs (fabs (p) - fabs (after)) > 2 * tolerance)
        {
          g_assert_cmpint (ours->input, ==, json_object_get_int_member (t, "input"));
          g_assert_cmpfloat (ours->weight, ==, member (t, "weight"));
          assert_near (ours->activation * fabs (ours->weight),
                       member (t, "activation") * fabs (ours->weight), tolerance,
                       "an activation × |weight|", where);
        }
    }
  assert_near (b->dense.rest, member (u, "rest"), 2 * tolerance, "the rest", where);
  g_assert_cmpfloat (b->bias, ==, member (u, "bias"));
  assert_near (b->pre, member (u, "pre"), tolerance, "the value before ReLU", where);
  assert_near (b->post, member (u, "post"), tolerance, "the output", where);
}

static void
check_softmax (const VggUnitBreakdown *b,
               JsonObject             *u,
               const char             *where)
{
  int n = b->softmax.n_classes;
  double largest = 0.0;

  g_assert_cmpint (n, ==, json_array_get_length (json_object_get_array_member (u, "logits")));
  for (int k = 0; k < n; k++)
    largest = fmax (largest, fabs (element (u, "logits", (guint) k)));
  for (int k = 0; k < n; k++)
    {
      double ref_exp = element (u, "exp", (guint) k);
      assert_near (b->softmax.logits[k], element (u, "logits", (guint) k),
                   TORCH_TOLERANCE * largest, "a logit", where);
      /* exp turns an absolute error of the logit into a relative one */
      assert_near (b->softmax.exps[k], ref_exp, 2 * TORCH_TOLERANCE * largest * ref_exp,
                   "an exponential", where);
    }
  assert_near (b->softmax.sum, member (u, "sum"), 2 * TORCH_TOLERANCE * largest * member (u, "sum"),
               "the sum", where);
  assert_near (b->post, member (u, "probability"), 2 * TORCH_TOLERANCE * largest,
               "the probability", where);
}

static void
test_pytorch (gconstpointer data)
{
  Fixture f = { 0 };
  JsonArray *units;
  int counts[VGG_LAYER_N_KINDS] = { 0 }, near_zero = 0;

  fixture_open (&f, data);
  units = json_object_get_array_member (f.root, "units");
  for (guint i = 0; i < json_array_get_length (units); i++)
    {
      JsonObject *u = json_array_get_object_element (units, i);
      JsonNode *unit = json_object_get_member (u, "unit");
      const char *layer_name = json_object_get_string_member (u, "layer");
      int index = vgg_model_find_layer (f.model, layer_name);
      int c, y = 0, x = 0;
      g_autofree char *where = NULL;
      VggUnitBreakdown *b = NULL;
      VggError error = { 0 };

      g_assert_cmpint (index, >=, 0);
      if (JSON_NODE_HOLDS_ARRAY (unit))
        {
          JsonArray *a = json_node_get_array (unit);
          c = (int) json_array_get_int_element (a, 0);
          y = (int) json_array_get_int_element (a, 1);
          x = (int) json_array_get_int_element (a, 2);
        }
      else
        c = (int) json_node_get_int (unit);
      where = g_strdup_printf ("%s %s unit (%d, %d, %d) [%s]", (const char *) data, layer_name,
                               c, y, x, json_object_get_string_member (u, "why"));
      test_assert_ok (vgg_unit_probe_compute (f.probe, f.input.data, index, c, y, x, &b,
                                              &error), &error);
      g_assert_cmpstr (vgg_layer_kind_name (b->kind), ==,
                       json_object_get_string_member (u, "kind"));
      check_self (b, where);
      switch (b->kind)
        {
        case VGG_LAYER_CONV:
          check_conv (b, u, where);
          break;
        case VGG_LAYER_POOL:
          check_pool (b, u, where);
          break;
        case VGG_LAYER_FC:
          check_fc (b, u, where);
          break;
        case VGG_LAYER_SOFTMAX:
          check_softmax (b, u, where);
          break;
        case VGG_LAYER_N_KINDS:
          g_assert_not_reached ();
        }
      counts[b->kind]++;
      if (strcmp (json_object_get_string_member (u, "why"), "near zero") == 0)
        {
          /* fc layers have few units: their nearest to zero may be far from it */
          near_zero++;
          if (b->kind == VGG_LAYER_CONV)
            g_assert_cmpfloat (fabs (b->pre), <, 0.01 * b->magnitude);
        }
      vgg_unit_breakdown_free (b);
    }
  for (int k = 0; k < VGG_LAYER_N_KINDS; k++)
    g_assert_cmpint (counts[k], >, 0);
  g_assert_cmpint (near_zero, >, 0);
  g_test_message ("%s: conv %d, pool %d, fc %d, softmax %d units", (const char *) data,
                  counts[0], counts[1], counts[2], counts[3]);
  fixture_close (&f);
}

/* Hand-made windows with tied maxima: the first maximum in row-major order wins, as PyTorch's
 * max_pool2d says (its winners are in the fixture). */
static void
test_pool_ties (void)
{
  Fixture f = { 0 };
  JsonArray *ties;
  int index;
  const VggLayer *layer;
  size_t in_count, out_count;
  float *previous, *output;

  fixture_open (&f, "narrow-vgg16");
  ties = json_object_get_array_member (f.root, "pool_ties");
  g_assert_cmpint (json_array_get_length (ties), >=, 4);
  index = vgg_model_find_layer (f.model, "pool2");
  layer = vgg_model_layer (f.model, index);
  in_count = (size_t) layer->channels_in * layer->height_in * layer->width_in;
  out_count = (size_t) layer->channels_out * layer->height_out * layer->width_out;
  previous = g_new0 (float, in_count);
  output = g_new0 (float, out_count);
  for (guint i = 0; i < json_array_get_length (ties); i++)
    {
      JsonObject *t = json_array_get_object_element (ties, i);
      JsonArray *argmax = json_object_get_array_member (t, "argmax");
      VggUnitTensors tensors = { previous, output, output, output, output, NULL, NULL };
      VggUnitBreakdown *b = NULL;
      VggError error = { 0 };
      int c = 3, y = 1, x = 2;

      for (int k = 0; k < 4; k++)
        previous[((size_t) c * layer->height_in + 2 * y + k / 2) * layer->width_in + 2 * x
                 + k % 2] = (float) element (t, "window", (guint) k);
      test_assert_ok (vgg_unit_breakdown_build (&b, f.model, index, c, y, x, &tensors, &error),
                      &error);
      g_assert_cmpint (b->pool.argmax_y, ==, json_array_get_int_element (argmax, 0));
      g_assert_cmpint (b->pool.argmax_x, ==, json_array_get_int_element (argmax, 1));
      g_assert_cmpfloat (b->post, ==, member (t, "post"));
      vgg_unit_breakdown_free (b);
    }
  g_free (previous);
  g_free (output);
  fixture_close (&f);
}

/* Random units of every layer (and the unit nearest zero of each), on the engine alone: the
 * worked value sums from what is shown and equals the exact run. */
static void
test_random_units (gconstpointer data)
{
  Fixture f = { 0 };

  worst_exact = worst_fast = 0.0;
  fixture_open (&f, data);
  for (int index = 0; index < vgg_model_n_layers (f.model); index++)
    {
      const VggLayer *layer = vgg_model_layer (f.model, index);
      gboolean dense = layer->kind == VGG_LAYER_FC || layer->kind == VGG_LAYER_SOFTMAX;
      double nearest = INFINITY;
      int near_c = 0, near_y = 0, near_x = 0;

      for (int i = 0; i < 12; i++)
        {
          int c = g_test_rand_int_range (0, layer->channels_out);
          int y = dense ? 0 : g_test_rand_int_range (0, layer->height_out);
          int x = dense ? 0 : g_test_rand_int_range (0, layer->width_out);
          g_autofree char *where = g_strdup_printf ("%s %s (%d, %d, %d)", (const char *) data,
                                                    layer->name, c, y, x);
          VggUnitBreakdown *b = NULL;
          VggError error = { 0 };

          test_assert_ok (vgg_unit_probe_compute (f.probe, f.input.data, index, c, y, x, &b,
                                                  &error), &error);
          check_self (b, where);
          if (fabs (b->exact_pre) < nearest)
            nearest = fabs (b->exact_pre), near_c = c, near_y = y, near_x = x;
          vgg_unit_breakdown_free (b);
        }
      {
        VggUnitBreakdown *b = NULL;
        VggError error = { 0 };

        test_assert_ok (vgg_unit_probe_compute (f.probe, f.input.data, index, near_c, near_y,
                                                near_x, &b, &error), &error);
        check_self (b, "the unit nearest zero");
        vgg_unit_breakdown_free (b);
      }
    }
  g_test_message ("%s: largest |worked - exact| %.3g, |fast - exact| %.3g of sum |w*x| + |b|",
                  (const char *) data, worst_exact, worst_fast);
  fixture_close (&f);
}

static void
test_bad_units (void)
{
  Fixture f = { 0 };
  VggUnitBreakdown *b = NULL;
  VggError error = { 0 };
  int conv = 0, fc, pool;

  fixture_open (&f, "narrow-vgg16");
  fc = vgg_model_find_layer (f.model, "fc6");
  pool = vgg_model_find_layer (f.model, "pool5");
  g_assert_cmpint (vgg_unit_probe_compute (f.probe, f.input.data, conv, 4, 0, 0, &b, &error),
                   ==, VGG_STATUS_INVALID_ARGUMENT);
  g_assert_null (b);
  g_assert_nonnull (strstr (error.message, "channel 0…3"));
  g_assert_cmpint (vgg_unit_check (f.model, conv, 0, 64, 0, &error), ==,
                   VGG_STATUS_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error.message, "row 0…63"));
  g_assert_cmpint (vgg_unit_check (f.model, pool, 0, 0, -1, &error), ==,
                   VGG_STATUS_INVALID_ARGUMENT);
  g_assert_cmpint (vgg_unit_check (f.model, fc, 3, 1, 1, &error), ==,
                   VGG_STATUS_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error.message, "one number, 0…23"));
  g_assert_cmpint (vgg_unit_check (f.model, fc, 24, 0, 0, &error), ==,
                   VGG_STATUS_INVALID_ARGUMENT);
  g_assert_cmpint (vgg_unit_check (f.model, -1, 0, 0, 0, &error), ==,
                   VGG_STATUS_INVALID_ARGUMENT);
  g_assert_cmpint (vgg_unit_check (f.model, vgg_model_n_layers (f.model), 0, 0, 0, &error), ==,
                   VGG_STATUS_INVALID_ARGUMENT);
  test_assert_ok (vgg_unit_check (f.model, fc, 23, 0, 0, &error), &error);

  /* a cancel while nothing runs is dropped by the next computation */
  vgg_unit_probe_cancel (f.probe);
  test_assert_ok (vgg_unit_probe_compute (f.probe, f.input.data, fc, 1, 0, 0, &b, &error),
                  &error);
  vgg_unit_breakdown_free (b);
  /* a non-finite input is refused */
  {
    const VggConfig *config = vgg_model_config (f.model);
    size_t count = (size_t) config->input_channels * config->input_height * config->input_width;
    float *input = g_memdup2 (f.input.data, count * sizeof (float));

    input[17] = NAN;
    g_assert_cmpint (vgg_unit_probe_compute (f.probe, input, fc, 1, 0, 0, &b, &error), ==,
                     VGG_STATUS_NOT_FINITE);
    g_assert_null (b);
    g_free (input);
  }
  fixture_close (&f);
}

/* A model without batch norm has no statistics to explain; the BN one has them for convs. */
static void
test_batch_norm_kept (void)
{
  Fixture plain = { 0 }, bn = { 0 };
  VggUnitBatchNorm values;

  fixture_open (&plain, "narrow-vgg16");
  fixture_open (&bn, "narrow-vgg11-bn");
  g_assert_false (vgg_model_batch_norm (plain.model, 0, 0, &values));
  g_assert_true (vgg_model_batch_norm (bn.model, 0, 3, &values));
  g_assert_cmpfloat (values.var, >, 0.0f);
  g_assert_cmpfloat ((float) values.folded_bias, ==, bn.model->weights[0].bias[3]);
  g_assert_false (vgg_model_batch_norm (bn.model, 0, 4, &values));   /* 4 channels */
  g_assert_false (vgg_model_batch_norm (bn.model, vgg_model_find_layer (bn.model, "pool1"), 0,
                                        &values));
  fixture_close (&plain);
  fixture_close (&bn);
}

/* ---- the CLI ---- */

typedef struct
{
  char *out;
  char *err;
  int   status;
} CliResult;

static CliResult
run_cli (const char *const *args)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  CliResult result = { 0 };
  const char *cli = g_getenv ("VGG_SCOPE_CLI");
  int wait_status;

  g_assert_nonnull (cli);
  g_ptr_array_add (argv, (gpointer) cli);
  for (int i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  if (!g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                     &result.out, &result.err, &wait_status, &error))
    g_error ("cannot run %s: %s", cli, error->message);
  g_assert_true (WIFEXITED (wait_status));
  result.status = WEXITSTATUS (wait_status);
  return result;
}

static void
cli_result_clear (CliResult *r)
{
  g_clear_pointer (&r->out, g_free);
  g_clear_pointer (&r->err, g_free);
}

/* The object's member names, in order, joined by spaces. */
static char *
member_names (JsonObject *o)
{
  GList *names = json_object_get_members (o);   /* insertion order */
  GString *s = g_string_new (NULL);

  for (GList *l = names; l != NULL; l = l->next)
    g_string_append_printf (s, "%s%s", s->len > 0 ? " " : "", (const char *) l->data);
  g_list_free (names);
  return g_string_free (s, FALSE);
}

static void
test_cli_json (TestTempDir   *tmp,
               gconstpointer  data)
{
  Fixture f = { 0 };
  VggError error = { 0 };
  g_autofree char *npy = g_build_filename (tmp->dir, "input.npy", NULL);
  g_autofree char *weights = test_fixture_path ("reference", "narrow-vgg11-bn.safetensors", NULL);
  int64_t shape[3] = { 3, 64, 64 };
  static const struct
  {
    const char *layer, *unit, *kind, *members;
  } cases[] = {
    { "conv3_2", "5,2,7", "conv", "layer kind unit bias partials pre post" },
    { "conv1_1", "2,0,63", "conv", "layer kind unit bias partials pre post" },
    { "pool2", "6,3,1", "pool", "layer kind unit window argmax post" },
    { "fc6", "11", "fc", "layer kind unit bias top rest pre post" },
    { "fc8", "4", "fc", "layer kind unit bias top rest pre post" },
    { "prob", "4", "softmax", "layer kind unit logits exp sum probability" },
  };

  (void) data;
  fixture_open (&f, "narrow-vgg11-bn");
  test_assert_ok (vgg_npy_save (npy, f.input.data, 3, shape, &error), &error);
  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *args[] = { "unit", npy, "--weights", weights, "--layer", cases[i].layer,
                             "--unit", cases[i].unit, "--json", NULL };
      CliResult r = run_cli (args);
      g_autoptr (JsonParser) parser = json_parser_new ();
      g_autoptr (GError) gerror = NULL;
      g_autofree char *names = NULL;
      JsonObject *o;
      JsonNode *unit;
      VggUnitBreakdown *b = NULL;
      int index = vgg_model_find_layer (f.model, cases[i].layer), c, y = 0, x = 0;

      g_assert_cmpint (r.status, ==, 0);
      if (!json_parser_load_from_data (parser, r.out, -1, &gerror))
        g_error ("%s: %s", gerror->message, r.out);
      o = json_node_get_object (json_parser_get_root (parser));
      names = member_names (o);
      g_assert_cmpstr (names, ==, cases[i].members);
      g_assert_cmpstr (json_object_get_string_member (o, "layer"), ==, cases[i].layer);
      g_assert_cmpstr (json_object_get_string_member (o, "kind"), ==, cases[i].kind);
      unit = json_object_get_member (o, "unit");
      if (strchr (cases[i].unit, ',') != NULL)
        {
          JsonArray *a = json_node_get_array (unit);
          g_assert_cmpint (json_array_get_length (a), ==, 3);
          c = (int) json_array_get_int_element (a, 0);
          y = (int) json_array_get_int_element (a, 1);
          x = (int) json_array_get_int_element (a, 2);
        }
      else
        {
          g_assert_true (JSON_NODE_HOLDS_VALUE (unit));
          c = (int) json_node_get_int (unit);
        }

      /* the same numbers as the engine's breakdown for the same tensor */
      test_assert_ok (vgg_unit_probe_compute (f.probe, f.input.data, index, c, y, x, &b,
                                              &error), &error);
      if (b->kind == VGG_LAYER_CONV)
        {
          JsonArray *partials = json_object_get_array_member (o, "partials");
          double sum = 0.0;

          g_assert_cmpint (json_array_get_length (partials), ==, b->conv.channels_in);
          for (int k = 0; k < b->conv.channels_in; k++)
            {
              g_assert_cmpfloat (json_array_get_double_element (partials, (guint) k), ==,
                                 b->conv.partials[k]);
              sum += json_array_get_double_element (partials, (guint) k);
            }
          /* summed from the printed numbers */
          g_assert_cmpfloat (fabs (sum + member (o, "bias") - member (o, "pre")), <=,
                             1e-12 * b->magnitude);
          g_assert_cmpfloat (member (o, "pre"), ==, b->pre);
          g_assert_cmpfloat (fabs (member (o, "pre") - b->exact_pre), <=,
                             VGG_UNIT_RELATIVE_TOLERANCE * b->magnitude);
          g_assert_cmpfloat (member (o, "post"), ==, b->post);
        }
      else if (b->kind == VGG_LAYER_POOL)
        {
          JsonArray *argmax = json_object_get_array_member (o, "argmax");
          for (int k = 0; k < 4; k++)
            g_assert_cmpfloat (element (o, "window", (guint) k), ==, b->pool.window[k]);
          g_assert_cmpint (json_array_get_int_element (argmax, 0), ==, b->pool.argmax_y);
          g_assert_cmpint (json_array_get_int_element (argmax, 1), ==, b->pool.argmax_x);
          g_assert_cmpfloat (member (o, "post"), ==, b->post);
        }
      else if (b->kind == VGG_LAYER_FC)
        {
          JsonArray *top = json_object_get_array_member (o, "top");
          double sum = member (o, "rest") + member (o, "bias");

          g_assert_cmpint (json_array_get_length (top), ==, 20);
          for (guint k = 0; k < 20; k++)
            {
              JsonObject *t = json_array_get_object_element (top, k);
              g_autofree char *term_names = member_names (t);

              g_assert_cmpstr (term_names, ==, "input weight activation product");
              g_assert_cmpint (json_object_get_int_member (t, "input"), ==, b->dense.top[k].input);
              g_assert_cmpfloat (member (t, "product"), ==, b->dense.top[k].product);
              g_assert_cmpfloat (member (t, "weight") * member (t, "activation"), ==,
                                 member (t, "product"));
              sum += member (t, "product");
            }
          g_assert_cmpfloat (fabs (sum - member (o, "pre")), <=, 1e-12 * b->magnitude);
          g_assert_cmpfloat (fabs (member (o, "pre") - b->exact_pre), <=,
                             VGG_UNIT_RELATIVE_TOLERANCE * b->magnitude);
          g_assert_cmpfloat (member (o, "post"), ==, b->post);
        }
      else
        {
          JsonArray *exps = json_object_get_array_member (o, "exp");
          double sum = 0.0;

          g_assert_cmpint (json_array_get_length (exps), ==, b->softmax.n_classes);
          for (guint k = 0; k < json_array_get_length (exps); k++)
            {
              g_assert_cmpfloat (json_array_get_double_element (exps, k), ==,
                                 b->softmax.exps[k]);
              sum += json_array_get_double_element (exps, k);
            }
          g_assert_cmpfloat (fabs (sum - member (o, "sum")), <=, 1e-12 * sum);
          g_assert_cmpfloat (fabs (element (o, "exp", (guint) c) / member (o, "sum")
                                   - member (o, "probability")), <=, 1e-12);
          g_assert_cmpfloat (fabs (member (o, "probability") - b->exact_post), <=,
                             1e-5 * b->exact_post + 1e-30);
        }
      vgg_unit_breakdown_free (b);
      cli_result_clear (&r);
    }
  fixture_close (&f);
}

static void
test_cli_text_and_errors (void)
{
  g_autofree char *boot = g_build_filename (g_test_get_dir (G_TEST_DIST), "..", "data",
                                            "fashion-mnist", "samples", "ankle-boot-0.png",
                                            NULL);
  static const struct
  {
    const char *layer, *unit;
    int         status;
    const char *fragment;
  } cases[] = {
    { "conv2_1", "5,3,4", 0, "sum of partials" },
    { "conv2_1", "5,3,4", 0, "+ bias" },
    { "pool1", "1,2,3", 0, "winner at window row" },
    { "fc4", "7", 0, "the 20 largest weight × activation" },
    { "prob", "9", 0, "Ankle boot" },
    { "conv9_9", "1,1,1", 2, "has no layer 'conv9_9'" },
    { "fc4", "1,2,3", 2, "takes one number (0…255)" },
    { "pool1", "3", 2, "takes channel,row,column" },
    { "conv1_1", "32,0,0", 2, "channel 0…31" },
    { "conv1_1", "0,0,32", 2, "column 0…31" },
    { "prob", "10", 2, "0…9" },
    { "conv1_1", "1,2", 2, "three integers" },
  };

  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *args[] = { "unit", boot, "--layer", cases[i].layer, "--unit", cases[i].unit,
                             NULL };
      CliResult r = run_cli (args);

      g_assert_cmpint (r.status, ==, cases[i].status);
      if (strstr (cases[i].status == 0 ? r.out : r.err, cases[i].fragment) == NULL)
        g_error ("unit --layer %s --unit %s: no '%s' in:\n%s%s", cases[i].layer, cases[i].unit,
                 cases[i].fragment, r.out, r.err);
      cli_result_clear (&r);
    }
  {
    const char *args[] = { "unit", "/nonexistent/picture.png", "--layer", "fc4", "--unit", "1",
                           NULL };
    CliResult r = run_cli (args);
    g_assert_cmpint (r.status, ==, 1);
    g_assert_nonnull (strstr (r.err, "/nonexistent/picture.png"));
    cli_result_clear (&r);
  }
  {
    const char *args[] = { "unit", boot, "--unit", "1", NULL };
    CliResult r = run_cli (args);
    g_assert_cmpint (r.status, ==, 2);
    g_assert_nonnull (strstr (r.err, "--layer"));
    cli_result_clear (&r);
  }
  {
    const char *args[] = { "unit", "--help", NULL };
    CliResult r = run_cli (args);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.out, "--unit"));
    cli_result_clear (&r);
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_data_func ("/unit/pytorch/narrow-vgg16", "narrow-vgg16", test_pytorch);
  g_test_add_data_func ("/unit/pytorch/narrow-vgg11-bn", "narrow-vgg11-bn", test_pytorch);
  g_test_add_data_func ("/unit/pytorch/built-in", "fashion-vgg", test_pytorch);
  g_test_add_func ("/unit/pool-ties", test_pool_ties);
  g_test_add_data_func ("/unit/random/narrow-vgg16", "narrow-vgg16", test_random_units);
  g_test_add_data_func ("/unit/random/narrow-vgg11-bn", "narrow-vgg11-bn", test_random_units);
  g_test_add_data_func ("/unit/random/built-in", "fashion-vgg", test_random_units);
  g_test_add_func ("/unit/bad-units", test_bad_units);
  g_test_add_func ("/unit/batch-norm-kept", test_batch_norm_kept);
  g_test_add ("/unit/cli/json", TestTempDir, NULL, test_temp_dir_setup, test_cli_json,
              test_temp_dir_teardown);
  g_test_add_func ("/unit/cli/text-and-errors", test_cli_text_and_errors);
  return g_test_run ();
}
