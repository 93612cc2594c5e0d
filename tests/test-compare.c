/* test-compare.c — side by side: cosine per layer, Gram matrices, linear CKA, and the CLI's
 *                  numbers against NumPy
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The NumPy checks read the activations the CLI's 'dump' writes as .npy and compute cosine
 * similarity and linear CKA in NumPy (float64) from the formula in its feature form,
 * ‖YᵀX‖²_F / (‖XᵀX‖_F ‖YᵀY‖_F) on column-centred X and Y; the engine uses the kernel form.
 * Without python3-numpy they are skipped (and say so).
 */
#include "config.h"

#include "test-util.h"
#include "vgg-compare.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>
#include <sys/wait.h>

/* Runs vgg-scope-cli; returns its standard output, asserting it succeeded. */
static char *
run_cli (const char *first,
         ...)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *err = NULL;
  const char *cli = g_getenv ("VGG_SCOPE_CLI");
  char *out = NULL;
  int wait_status;
  va_list args;

  g_assert_nonnull (cli);
  g_ptr_array_add (argv, (gpointer) cli);
  va_start (args, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  if (!g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                     &wait_status, &error))
    g_error ("cannot run %s: %s", cli, error->message);
  if (!WIFEXITED (wait_status) || WEXITSTATUS (wait_status) != 0)
    g_error ("vgg-scope-cli %s failed: %s", first, err);
  return out;
}

static char *
picture (const char *folder,
         const char *name)
{
  return g_build_filename (g_test_get_dir (G_TEST_DIST), "..", "data", folder, name, NULL);
}

/* Runs vgg-scope-cli expecting exit code @want and @message in its standard error. */
static void
assert_cli_fails (int         want,
                  const char *message,
                  const char *first,
                  ...)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *out = NULL, *err = NULL;
  int wait_status;
  va_list args;

  g_ptr_array_add (argv, (gpointer) g_getenv ("VGG_SCOPE_CLI"));
  va_start (args, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &out, &err, &wait_status, NULL));
  g_assert_true (WIFEXITED (wait_status));
  g_assert_cmpint (WEXITSTATUS (wait_status), ==, want);
  g_assert_nonnull (strstr (err, message));
}

/* Bad input to 'compare' and 'visualize': a clear message and a non-zero exit. */
static void
test_cli_bad_input (TestTempDir   *tmp,
                    gconstpointer  data)
{
  g_autofree char *cat = picture ("samples", "cat.jpg");
  g_autofree char *text = test_temp_dir_write (tmp, "text.jpg", "hello", -1);
  g_autofree char *png = g_build_filename (tmp->dir, "out.png", NULL);

  (void) data;
  assert_cli_fails (2, "give two pictures", "compare", cat, NULL);
  assert_cli_fails (1, "not a JPEG", "compare", text, cat, NULL);
  assert_cli_fails (1, "missing.pth", "compare", "--weights-b", "missing.pth", NULL);
  assert_cli_fails (2, "CKA needs at least two pictures", "compare", "--weights-b", cat, cat,
                    NULL);
  assert_cli_fails (1, "has 32 channels", "visualize", "--layer", "conv1_1", "--channel", "32",
                    "--out", png, NULL);
  assert_cli_fails (1, "no layer 'conv9_9'", "visualize", "--layer", "conv9_9", "--channel",
                    "0", "--out", png, NULL);
  assert_cli_fails (1, "softmax", "visualize", "--layer", "prob", "--channel", "0", "--out", png,
                    NULL);
  assert_cli_fails (2, "--out must end in .png", "visualize", "--layer", "conv1_1", "--channel",
                    "0", "--out", "x.jpg", NULL);
  assert_cli_fails (2, "--steps", "visualize", "--layer", "conv1_1", "--channel", "0",
                    "--steps", "-4", "--out", png, NULL);
  g_assert_false (g_file_test (png, G_FILE_TEST_EXISTS));
}

static gboolean
have_numpy (void)
{
  const char *argv[] = { "/usr/bin/python3", "-c", "import numpy", NULL };
  int wait_status = -1;

  return g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                       NULL, NULL, &wait_status, NULL)
         && WIFEXITED (wait_status) && WEXITSTATUS (wait_status) == 0;
}

/* Runs @script with /usr/bin/python3 and the arguments; returns its output parsed as JSON. */
static JsonNode *
run_numpy (const char  *script,
           GPtrArray   *args)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *out = NULL, *err = NULL;
  int wait_status;

  g_ptr_array_add (argv, (gpointer) "/usr/bin/python3");
  g_ptr_array_add (argv, (gpointer) "-c");
  g_ptr_array_add (argv, (gpointer) script);
  for (guint i = 0; i < args->len; i++)
    g_ptr_array_add (argv, g_ptr_array_index (args, i));
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &out, &err, &wait_status, &error));
  if (!WIFEXITED (wait_status) || WEXITSTATUS (wait_status) != 0)
    g_error ("NumPy script failed: %s", err);
  return json_from_string (out, &error);
}

static const char cosine_script[] =
  "import json, sys, numpy as np\n"
  "out = []\n"
  "for i in range(1, len(sys.argv), 3):\n"
  "    a = np.load(sys.argv[i + 1]).astype(np.float64).ravel()\n"
  "    b = np.load(sys.argv[i + 2]).astype(np.float64).ravel()\n"
  "    out.append({'layer': sys.argv[i],\n"
  "                'cosine': float(a @ b / max(np.linalg.norm(a) * np.linalg.norm(b), 1e-8))})\n"
  "print(json.dumps(out))\n";

/* compare A B --json: every layer's cosine as NumPy computes it from dump's .npy files. */
static void
test_cli_cosine_numpy (TestTempDir   *tmp,
                       gconstpointer  data)
{
  g_autofree char *a = picture ("fashion-mnist/samples", "coat-6.png");
  g_autofree char *b = picture ("fashion-mnist/samples", "pullover-1.png");
  g_autofree char *out = NULL;
  g_autoptr (GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (JsonNode) engine = NULL, numpy = NULL;
  g_autoptr (GError) error = NULL;
  JsonArray *rows, *expected;
  VggModel *model = NULL;

  (void) data;
  if (!have_numpy ())
    {
      g_test_skip ("python3-numpy is missing: no NumPy reference for the cosines");
      return;
    }
  out = run_cli ("compare", a, b, "--json", NULL);
  engine = json_from_string (out, &error);
  g_assert_no_error (error);
  rows = json_node_get_array (engine);

  g_assert_cmpint (vgg_model_new_default (&model, NULL), ==, VGG_STATUS_OK);
  g_assert_cmpuint (json_array_get_length (rows), ==, vgg_model_n_layers (model));
  /* every other layer's dumps (conv1_1, pool1, conv2_2, conv3_1, pool3, fc5), to keep the
   * test quick */
  for (int l = 0; l < vgg_model_n_layers (model); l++)
    {
      const char *name = vgg_model_layer (model, l)->name;

      if (l % 2 == 1)
        continue;
      char *npy_a = g_strdup_printf ("%s/%s-a.npy", tmp->dir, name);
      char *npy_b = g_strdup_printf ("%s/%s-b.npy", tmp->dir, name);

      g_free (run_cli ("dump", a, "--layer", name, "--out", npy_a, NULL));
      g_free (run_cli ("dump", b, "--layer", name, "--out", npy_b, NULL));
      g_ptr_array_add (args, g_strdup (name));
      g_ptr_array_add (args, npy_a);
      g_ptr_array_add (args, npy_b);
    }
  numpy = run_numpy (cosine_script, args);
  expected = json_node_get_array (numpy);
  for (int l = 0; l < vgg_model_n_layers (model); l += 2)
    {
      JsonObject *row = json_array_get_object_element (rows, l);
      JsonObject *ref = json_array_get_object_element (expected, l / 2);
      double cosine = json_object_get_double_member (row, "cosine");

      g_assert_cmpstr (json_object_get_string_member (row, "layer"), ==,
                       json_object_get_string_member (ref, "layer"));
      g_test_message ("%s: engine %.9f, NumPy %.9f", json_object_get_string_member (row, "layer"),
                      cosine, json_object_get_double_member (ref, "cosine"));
      g_assert_cmpfloat (fabs (cosine - json_object_get_double_member (ref, "cosine")), <, 1e-6);
      g_assert_cmpfloat (cosine, >=, -1.0 - 1e-9);
      g_assert_cmpfloat (cosine, <=, 1.0 + 1e-9);
    }
  vgg_model_free (model);
}

static const char cka_script[] =
  "import json, sys, numpy as np\n"
  "n, folder, args, out = int(sys.argv[1]), sys.argv[2], sys.argv[3:], []\n"
  "def features(layer, stem):\n"
  "    x = np.stack([np.load('%s/%s-%s-%d.npy' % (folder, stem, layer, i)).astype(np.float64).ravel()\n"
  "                  for i in range(n)])\n"
  "    return x - x.mean(axis=0)\n"
  "for la, lb in zip(args[0::2], args[1::2]):\n"
  "    x, y = features(la, 'A'), features(lb, 'B')\n"
  "    cka = np.linalg.norm(y.T @ x) ** 2 / (np.linalg.norm(x.T @ x) * np.linalg.norm(y.T @ y))\n"
  "    out.append({'layer_a': la, 'layer_b': lb, 'cka': float(cka)})\n"
  "print(json.dumps(out))\n";

/* compare --weights A --weights-b B --json over four pictures: CKA as NumPy computes it. */
static void
test_cli_cka_numpy (TestTempDir   *tmp,
                    gconstpointer  data)
{
  g_autofree char *weights_a = test_fixture_path ("reference", "narrow-vgg16.safetensors", NULL);
  g_autofree char *weights_b = test_fixture_path ("reference", "narrow-vgg11-bn.safetensors",
                                                  NULL);
  char *pictures[4] = {
    picture ("samples", "cat.jpg"), picture ("samples", "coffee.jpg"),
    picture ("samples", "astronaut.jpg"), picture ("fashion-mnist/samples", "bag-18.png"),
  };
  static const char *const pairs[][2] = {
    { "conv2_2", "conv2_1" }, { "conv5_3", "conv5_2" }, { "prob", "conv1_1" },
  };
  g_autofree char *out = NULL;
  g_autoptr (GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (JsonNode) engine = NULL, numpy = NULL;
  g_autoptr (GError) error = NULL;
  JsonArray *rows, *expected;
  GHashTable *by_pair = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  (void) data;
  if (!have_numpy ())
    {
      g_test_skip ("python3-numpy is missing: no NumPy reference for CKA");
      goto out;
    }
  out = run_cli ("compare", "--weights", weights_a, "--weights-b", weights_b, "--json",
                 pictures[0], pictures[1], pictures[2], pictures[3], NULL);
  engine = json_from_string (out, &error);
  g_assert_no_error (error);
  rows = json_node_get_array (engine);
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);
      g_hash_table_insert (by_pair,
                           g_strdup_printf ("%s/%s",
                                            json_object_get_string_member (row, "layer_a"),
                                            json_object_get_string_member (row, "layer_b")),
                           row);
    }
  /* every pair of layers, each model's layer table down to its softmax */
  {
    VggModel *model_a = NULL, *model_b = NULL;

    g_assert_cmpint (vgg_model_load (&model_a, weights_a, NULL), ==, VGG_STATUS_OK);
    g_assert_cmpint (vgg_model_load (&model_b, weights_b, NULL), ==, VGG_STATUS_OK);
    g_assert_cmpuint (json_array_get_length (rows), ==,
                      (guint) (vgg_model_n_layers (model_a) * vgg_model_n_layers (model_b)));
    vgg_model_free (model_a);
    vgg_model_free (model_b);
  }

  g_ptr_array_add (args, g_strdup ("4"));
  g_ptr_array_add (args, g_strdup (tmp->dir));
  for (gsize p = 0; p < G_N_ELEMENTS (pairs); p++)
    {
      for (int i = 0; i < 4; i++)
        {
          char *npy_a = g_strdup_printf ("%s/A-%s-%d.npy", tmp->dir, pairs[p][0], i);
          char *npy_b = g_strdup_printf ("%s/B-%s-%d.npy", tmp->dir, pairs[p][1], i);

          g_free (run_cli ("dump", "--weights", weights_a, pictures[i], "--layer", pairs[p][0],
                           "--out", npy_a, NULL));
          g_free (run_cli ("dump", "--weights", weights_b, pictures[i], "--layer", pairs[p][1],
                           "--out", npy_b, NULL));
          g_free (npy_a);
          g_free (npy_b);
        }
      g_ptr_array_add (args, g_strdup (pairs[p][0]));
      g_ptr_array_add (args, g_strdup (pairs[p][1]));
    }
  numpy = run_numpy (cka_script, args);
  expected = json_node_get_array (numpy);
  for (gsize p = 0; p < G_N_ELEMENTS (pairs); p++)
    {
      JsonObject *ref = json_array_get_object_element (expected, p);
      g_autofree char *key = g_strdup_printf ("%s/%s", pairs[p][0], pairs[p][1]);
      JsonObject *row = g_hash_table_lookup (by_pair, key);
      double cka, want = json_object_get_double_member (ref, "cka");

      g_assert_nonnull (row);
      cka = json_object_get_double_member (row, "cka");
      g_test_message ("%s: engine %.9f, NumPy %.9f", key, cka, want);
      g_assert_cmpfloat (fabs (cka - want), <, 1e-6);
      g_assert_cmpfloat (cka, >=, 0.0);
      g_assert_cmpfloat (cka, <=, 1.0 + 1e-9);
    }

out:
  g_hash_table_unref (by_pair);
  for (int i = 0; i < 4; i++)
    g_free (pictures[i]);
}

/* The Gram matrices do not depend on how many inputs' outputs fit in memory, and CKA of a
 * model with itself is 1 on the diagonal. */
static void
test_grams_budget (void)
{
  VggModel *model = NULL;
  const VggConfig *config;
  int n = 5, n_layers;
  size_t count;
  g_autofree float *inputs = NULL;
  g_autofree double *all = NULL, *one = NULL;
  uint64_t state = 3;

  g_assert_cmpint (vgg_model_new_default (&model, NULL), ==, VGG_STATUS_OK);
  config = vgg_model_config (model);
  count = (size_t) config->input_channels * config->input_height * config->input_width;
  n_layers = vgg_model_n_layers (model);
  inputs = g_new (float, count * n);
  for (size_t i = 0; i < count * n; i++)
    {
      state = state * 6364136223846793005ULL + 1442695040888963407ULL;
      inputs[i] = (float) (state >> 40) / (float) (1 << 24);
    }
  all = g_new (double, (size_t) n_layers * n * n);
  one = g_new (double, (size_t) n_layers * n * n);
  g_assert_cmpint (vgg_layer_grams (model, NULL, inputs, n, 0.0, all, NULL, NULL, NULL), ==,
                   VGG_STATUS_OK);
  /* a budget below one input's outputs: one kept at a time, 15 passes */
  g_assert_cmpint (vgg_layer_grams (model, NULL, inputs, n, 1e-6, one, NULL, NULL, NULL), ==,
                   VGG_STATUS_OK);
  for (size_t i = 0; i < (size_t) n_layers * n * n; i++)
    g_assert_cmpfloat (fabs (all[i] - one[i]), <=, 1e-9 * (1.0 + fabs (all[i])));
  for (int l = 0; l < n_layers; l++)
    {
      const double *g = all + (size_t) l * n * n;
      for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++)
          g_assert_cmpfloat (g[i * n + j], ==, g[j * n + i]);
      g_assert_cmpfloat (fabs (vgg_linear_cka (g, g, n) - 1.0), <, 1e-12);
    }
  vgg_model_free (model);
}

/* Kernel form against the feature form, computed here in double on a small random case; CKA
 * is invariant to an orthogonal transform and a scale, and NAN with one picture. */
static void
test_cka_forms (void)
{
  enum { N = 6, P1 = 4, P2 = 3 };
  double x[N][P1], y[N][P2], k[N * N], l[N * N], k2[N * N];
  double yx[P2][P1] = { { 0 } }, xx[P1][P1] = { { 0 } }, yy[P2][P2] = { { 0 } };
  double num = 0.0, nx = 0.0, ny = 0.0, mean;
  uint64_t state = 11;

  for (int i = 0; i < N; i++)
    {
      for (int p = 0; p < P1; p++)
        {
          state = state * 6364136223846793005ULL + 1442695040888963407ULL;
          x[i][p] = (double) (state >> 11) / 9007199254740992.0;
        }
      for (int p = 0; p < P2; p++)
        y[i][p] = x[i][p] * x[i][(p + 1) % P1] + 0.1 * p * i;
    }
  for (int i = 0; i < N; i++)
    for (int j = 0; j < N; j++)
      {
        double a = 0.0, b = 0.0;
        for (int p = 0; p < P1; p++)
          a += x[i][p] * x[j][p];
        for (int p = 0; p < P2; p++)
          b += y[i][p] * y[j][p];
        k[i * N + j] = a;
        l[i * N + j] = b;
        /* x rotated by 90° in its first two coordinates and scaled by 3 */
        k2[i * N + j] = 9.0 * a;
      }
  /* the feature form on centred copies */
  for (int p = 0; p < P1; p++)
    {
      mean = 0.0;
      for (int i = 0; i < N; i++)
        mean += x[i][p] / N;
      for (int i = 0; i < N; i++)
        x[i][p] -= mean;
    }
  for (int p = 0; p < P2; p++)
    {
      mean = 0.0;
      for (int i = 0; i < N; i++)
        mean += y[i][p] / N;
      for (int i = 0; i < N; i++)
        y[i][p] -= mean;
    }
  for (int i = 0; i < N; i++)
    {
      for (int a = 0; a < P2; a++)
        for (int b = 0; b < P1; b++)
          yx[a][b] += y[i][a] * x[i][b];
      for (int a = 0; a < P1; a++)
        for (int b = 0; b < P1; b++)
          xx[a][b] += x[i][a] * x[i][b];
      for (int a = 0; a < P2; a++)
        for (int b = 0; b < P2; b++)
          yy[a][b] += y[i][a] * y[i][b];
    }
  for (int a = 0; a < P2; a++)
    for (int b = 0; b < P1; b++)
      num += yx[a][b] * yx[a][b];
  for (int a = 0; a < P1; a++)
    for (int b = 0; b < P1; b++)
      nx += xx[a][b] * xx[a][b];
  for (int a = 0; a < P2; a++)
    for (int b = 0; b < P2; b++)
      ny += yy[a][b] * yy[a][b];
  g_assert_cmpfloat (fabs (vgg_linear_cka (k, l, N) - num / (sqrt (nx) * sqrt (ny))), <, 1e-12);
  g_assert_cmpfloat (fabs (vgg_linear_cka (k2, l, N) - vgg_linear_cka (k, l, N)), <, 1e-12);
  g_assert_true (isnan (vgg_linear_cka (k, l, 1)));
}

/* vgg_compare_inputs(): 1 for a picture with itself, and each layer's cosine as computed from
 * that layer's outputs captured by a hook. */
static void
test_cosine_inputs (void)
{
  VggModel *model = NULL;
  const VggConfig *config;
  g_autofree float *a = NULL, *b = NULL;
  g_autofree double *cosines = NULL;
  size_t count;
  int n_layers;

  g_assert_cmpint (vgg_model_new_default (&model, NULL), ==, VGG_STATUS_OK);
  config = vgg_model_config (model);
  count = (size_t) config->input_channels * config->input_height * config->input_width;
  n_layers = vgg_model_n_layers (model);
  a = g_new (float, count);
  b = g_new (float, count);
  for (size_t i = 0; i < count; i++)
    {
      a[i] = (float) ((i * 7919) % 1000) / 1000.0f;
      b[i] = (float) ((i * 104729) % 997) / 997.0f;
    }
  cosines = g_new (double, n_layers);
  g_assert_cmpint (vgg_compare_inputs (model, NULL, a, a, cosines, NULL), ==, VGG_STATUS_OK);
  for (int l = 0; l < n_layers; l++)
    g_assert_cmpfloat (fabs (cosines[l] - 1.0), <, 1e-6);
  g_assert_cmpint (vgg_compare_inputs (model, NULL, a, b, cosines, NULL), ==, VGG_STATUS_OK);
  for (int l = 0; l < n_layers; l++)
    {
      g_assert_cmpfloat (cosines[l], <, 1.0 - 1e-6);
      g_assert_cmpfloat (cosines[l], >, -1e-9);   /* after ReLU: no negative values */
    }
  {
    float zero[4] = { 0 }, one[4] = { 1, 2, 3, 4 };
    g_assert_cmpfloat (vgg_cosine_similarity (zero, one, 4), ==, 0.0);
    g_assert_cmpfloat (fabs (vgg_cosine_similarity (one, one, 4) - 1.0), <, 1e-15);
  }
  vgg_model_free (model);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/compare/cosine-inputs", test_cosine_inputs);
  g_test_add_func ("/compare/cka-forms", test_cka_forms);
  g_test_add_func ("/compare/grams-budget", test_grams_budget);
  g_test_add ("/compare/cli-bad-input", TestTempDir, NULL, test_temp_dir_setup,
              test_cli_bad_input, test_temp_dir_teardown);
  g_test_add ("/compare/cli-cosine-numpy", TestTempDir, NULL, test_temp_dir_setup,
              test_cli_cosine_numpy, test_temp_dir_teardown);
  g_test_add ("/compare/cli-cka-numpy", TestTempDir, NULL, test_temp_dir_setup,
              test_cli_cka_numpy, test_temp_dir_teardown);
  return g_test_run ();
}
