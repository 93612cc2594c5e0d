/* test-cli.c — vgg-scope-cli end to end: classify, info, dump, and every bad input
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "tensor-file.h"
#include "test-engine-util.h"

#include <glib/gstdio.h>
#include <math.h>
#include <sys/wait.h>
#include <json-glib/json-glib.h>

typedef struct
{
  char *out;
  char *err;
  int   status;   /* exit code */
} CliResult;

static void
cli_result_clear (CliResult *result)
{
  g_clear_pointer (&result->out, g_free);
  g_clear_pointer (&result->err, g_free);
}

/* Runs vgg-scope-cli with the NULL-terminated arguments. */
static CliResult
run_cli (const char *first,
         ...)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  CliResult result = { 0 };
  const char *cli = g_getenv ("VGG_SCOPE_CLI");
  const char *arg;
  int wait_status;
  va_list args;

  g_assert_nonnull (cli);
  g_ptr_array_add (argv, (gpointer) cli);
  va_start (args, first);
  for (arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  if (!g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                     &result.out, &result.err, &wait_status, &error))
    g_error ("cannot run %s: %s", cli, error->message);
  g_assert_true (WIFEXITED (wait_status)); /* never a crash */
  result.status = WEXITSTATUS (wait_status);
  return result;
}

static char *
sample_path (const char *name)
{
  return g_build_filename (g_test_get_dir (G_TEST_DIST), "..", "data", "samples", name, NULL);
}

static void
test_help_and_usage (void)
{
  CliResult r = run_cli ("--help", NULL);

  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "classify INPUT"));
  g_assert_nonnull (strstr (r.out, "dump INPUT"));
  cli_result_clear (&r);

  r = run_cli ("classify", "--help", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "--weights"));
  g_assert_nonnull (strstr (r.out, "--json"));
  cli_result_clear (&r);

  r = run_cli (NULL, NULL);
  g_assert_cmpint (r.status, ==, 2);
  cli_result_clear (&r);

  r = run_cli ("frobnicate", NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "unknown command 'frobnicate'"));
  cli_result_clear (&r);

  r = run_cli ("classify", NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "no input"));
  cli_result_clear (&r);

  r = run_cli ("classify", "--top", "zero", "x.jpg", NULL);
  g_assert_cmpint (r.status, ==, 2);
  cli_result_clear (&r);
}

static char *
fashion_sample_path (const char *name)
{
  return g_build_filename (g_test_get_dir (G_TEST_DIST), "..", "data", "fashion-mnist",
                           "samples", name, NULL);
}

static void
test_classify_default_model (void)
{
  g_autofree char *boot = fashion_sample_path ("ankle-boot-0.png");
  g_autofree char *trouser = fashion_sample_path ("trouser-2.png");
  CliResult r = run_cli ("classify", boot, trouser, "--top", "3", NULL);
  g_auto (GStrv) lines = NULL;
  int ranked = 0;

  /* the built-in model is the trained Fashion-MNIST VGG: it gets its own test images right */
  g_assert_cmpint (r.status, ==, 0);
  g_assert_null (strstr (r.out, "UNTRAINED"));
  g_assert_nonnull (strstr (r.out, "Fashion-MNIST"));
  g_assert_nonnull (strstr (r.out, boot));
  g_assert_nonnull (strstr (r.out, trouser));
  g_assert_true (g_regex_match_simple ("ankle-boot-0.png\n   1\\. +[0-9.]+%  Ankle boot \\(9\\)\n",
                                       r.out, 0, 0));
  g_assert_true (g_regex_match_simple ("trouser-2.png\n   1\\. +[0-9.]+%  Trouser \\(1\\)\n",
                                       r.out, 0, 0));
  lines = g_strsplit (r.out, "\n", -1);
  for (int i = 0; lines[i] != NULL; i++)
    ranked += g_regex_match_simple ("^  [ 0-9]{2}\\. +[0-9.]+%  .+ \\([0-9]+\\)$", lines[i], 0, 0);
  g_assert_cmpint (ranked, ==, 6);
  cli_result_clear (&r);
}

/* An untrained model says so wherever its predictions are printed. */
static void
test_classify_untrained_label (void)
{
  g_autofree char *weights = test_fixture_path ("reference", "narrow-vgg16.safetensors", NULL);
  g_autofree char *cat = sample_path ("cat.jpg");
  CliResult r = run_cli ("classify", "--weights", weights, cat, NULL);

  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "UNTRAINED"));
  cli_result_clear (&r);
}

/* The JSON logits of the fixture network equal torchvision's fc8 for the same tensor. */
static void
test_classify_npy_json (void)
{
  g_autofree char *weights = test_fixture_path ("reference", "narrow-vgg16-zip.pth", NULL);
  g_autofree char *input_path = test_fixture_path ("reference", "narrow-vgg16-input.npy", NULL);
  g_autofree char *outputs_path = test_fixture_path ("reference",
                                                     "narrow-vgg16-outputs.safetensors", NULL);
  g_autofree char *dir = g_dir_make_tmp ("vgg-cli-XXXXXX", NULL);
  g_autofree char *single = g_build_filename (dir, "single.npy", NULL);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  const int64_t shape[4] = { 1, 3, 64, 64 };
  VggTensorFile *outputs = NULL;
  VggError engine_error = { 0 };
  VggNpy input = { 0 };
  JsonObject *root, *result;
  JsonArray *top, *logits;
  const float *fc8;
  CliResult r;

  test_assert_ok (vgg_npy_load (&input, input_path, &engine_error), &engine_error);
  test_assert_ok (vgg_npy_save (single, input.data, 4, shape, &engine_error), &engine_error);
  test_assert_ok (vgg_tensor_file_open (&outputs, outputs_path, &engine_error), &engine_error);
  fc8 = vgg_tensor_file_find (outputs, "fc8")->data;

  r = run_cli ("classify", "--weights", weights, "--json", "--top", "3", single, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (json_parser_load_from_data (parser, r.out, -1, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (root, "model"),
                                               "classes"), ==, 10);
  result = json_array_get_object_element (json_object_get_array_member (root, "results"), 0);
  top = json_object_get_array_member (result, "top");
  logits = json_object_get_array_member (result, "logits");
  g_assert_cmpuint (json_array_get_length (top), ==, 3);
  g_assert_cmpuint (json_array_get_length (logits), ==, 10);
  {
    double max = test_max_abs (fc8, 10);
    int best = 0;
    for (int i = 0; i < 10; i++)
      {
        g_assert_cmpfloat (fabs (json_array_get_double_element (logits, i) - fc8[i]), <,
                           1e-4 * max);
        if (fc8[i] > fc8[best])
          best = i;
      }
    g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (top, 0),
                                                 "index"), ==, best);
  }
  g_assert_cmpfloat (json_object_get_double_member (json_array_get_object_element (top, 0),
                                                    "probability"), >=,
                     json_object_get_double_member (json_array_get_object_element (top, 1),
                                                    "probability"));
  cli_result_clear (&r);

  /* (3, H, W) works too; the batch of two (2, 3, H, W) does not */
  test_assert_ok (vgg_npy_save (single, input.data, 3, shape + 1, &engine_error), &engine_error);
  r = run_cli ("classify", "--weights", weights, single, NULL);
  g_assert_cmpint (r.status, ==, 0);
  cli_result_clear (&r);
  r = run_cli ("classify", "--weights", weights, input_path, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "(2, 3, 64, 64)"));
  cli_result_clear (&r);

  g_unlink (single);
  g_rmdir (dir);
  vgg_tensor_file_free (outputs);
  vgg_npy_clear (&input);
}

static void
test_info (void)
{
  g_autofree char *weights = test_fixture_path ("reference", "narrow-vgg11-bn.safetensors",
                                                NULL);
  CliResult r = run_cli ("info", "--weights", weights, NULL);

  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (g_regex_match_simple ("\\nconv5_2 +conv +32×4×4 ", r.out, 0, 0));
  g_assert_true (g_regex_match_simple ("\\npool5 +pool +32×2×2 ", r.out, 0, 0));
  g_assert_true (g_regex_match_simple ("\\nfc8 +fc +10×1×1 +250 ", r.out, 0, 0));
  g_assert_nonnull (strstr (r.out, "safetensors"));
  cli_result_clear (&r);

  r = run_cli ("info", NULL);
  g_assert_cmpint (r.status, ==, 0);
  /* the default model: three blocks of two convs on a 32×32 grey input */
  g_assert_true (g_regex_match_simple ("\\nconv3_2 +conv +128×8×8 .* 32×32 +4\\n", r.out,
                                       0, 0));
  g_assert_true (g_regex_match_simple ("\\npool3 .* 36×36 +8\\n", r.out, 0, 0));
  cli_result_clear (&r);
}

/* Logits of @model on a seeded input, for comparing two loads of the same network. */
static float *
seeded_logits (const VggModel *model)
{
  const VggConfig *config = vgg_model_config (model);
  size_t count = (size_t) config->input_channels * config->input_height * config->input_width;
  g_autofree float *input = g_new (float, count);
  g_autoptr (GRand) rand = g_rand_new_with_seed (5);
  VggError error = { 0 };
  VggRun *run = NULL;
  float *logits;

  for (size_t i = 0; i < count; i++)
    input[i] = (float) g_rand_double_range (rand, -1.0, 1.0);
  test_assert_ok (vgg_run_new (&run, model, 1, &error), &error);
  test_assert_ok (vgg_run_forward (run, input, &error), &error);
  logits = g_memdup2 (vgg_run_logits (run), (gsize) vgg_model_n_classes (model) * sizeof (float));
  vgg_run_free (run);
  return logits;
}

/* info --as pytorch|keras [--save-weights FILE]; the scripts themselves are run by PyTorch in
 * tests/test-code.c */
static void
test_info_as_code (void)
{
  g_autofree char *bn = test_fixture_path ("reference", "narrow-vgg11-bn.safetensors", NULL);
  g_autofree char *onnx = test_fixture_path ("onnx", "narrow-vgg11-bn-torch.onnx", NULL);
  g_autofree char *dir = g_dir_make_tmp ("vgg-cli-XXXXXX", NULL);
  g_autofree char *saved = g_build_filename (dir, "onnx.safetensors", NULL);
  g_autofree char *expected_load = g_strdup_printf ("load_weights(\"%s\")", bn);
  g_autofree float *logits_onnx = NULL, *logits_saved = NULL;
  VggModel *model_onnx = NULL, *model_saved = NULL;
  VggTensorFile *file = NULL;
  const VggTensor *counter;
  VggError error = { 0 };
  CliResult r = run_cli ("info", "--weights", bn, "--as", "pytorch", NULL);

  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "self.features = nn.Sequential("));
  g_assert_nonnull (strstr (r.out, "nn.BatchNorm2d(4),"));
  g_assert_nonnull (strstr (r.out, expected_load));   /* the file's own keys */
  g_assert_nonnull (strstr (r.out, "\nmodel = VGG()\n"));
  cli_result_clear (&r);

  r = run_cli ("info", "--as", "keras", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "model = keras.Model(inputs, x, name="));
  cli_result_clear (&r);

  /* usage errors: exit 2 with a message */
  r = run_cli ("info", "--as", "tensorflow", NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "--as must be 'pytorch' or 'keras', not 'tensorflow'"));
  cli_result_clear (&r);
  r = run_cli ("info", "--save-weights", saved, NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "--save-weights goes with --as pytorch"));
  cli_result_clear (&r);
  r = run_cli ("info", "--as", "keras", "--save-weights", saved, NULL);
  g_assert_cmpint (r.status, ==, 2);
  cli_result_clear (&r);
  r = run_cli ("info", "--as", NULL);
  g_assert_cmpint (r.status, ==, 2);
  cli_result_clear (&r);

  /* a file that cannot be written: exit 1, naming it */
  r = run_cli ("info", "--as", "pytorch", "--save-weights", "/nonexistent/x.safetensors",
               NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "/nonexistent/x.safetensors"));
  cli_result_clear (&r);

  /* ONNX with batch norm: the saved file has torchvision's keys, BN unfolded, and loads
   * back to the same network */
  r = run_cli ("info", "--weights", onnx, "--as", "pytorch", "--save-weights", saved, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "--save-weights model.safetensors"));
  cli_result_clear (&r);
  test_assert_ok (test_tensor_file_open (&file, saved, &error), &error);
  counter = vgg_tensor_file_find (file, "features.1.num_batches_tracked");
  g_assert_nonnull (counter);
  g_assert_cmpint (counter->dtype, ==, VGG_DTYPE_I64);
  g_assert_cmpint (counter->ndim, ==, 0);
  g_assert_nonnull (vgg_tensor_file_find (file, "features.1.running_var"));
  g_assert_nonnull (vgg_tensor_file_find (file, "classifier.6.weight"));
  vgg_tensor_file_free (file);
  test_assert_ok (test_model_load (&model_onnx, onnx, &error), &error);
  test_assert_ok (test_model_load (&model_saved, saved, &error), &error);
  g_assert_true (vgg_model_config (model_saved)->batch_norm);
  logits_onnx = seeded_logits (model_onnx);
  logits_saved = seeded_logits (model_saved);
  g_assert_cmpfloat (test_max_abs_diff (logits_onnx, logits_saved,
                                        (size_t) vgg_model_n_classes (model_onnx)), <=, 1e-5);
  vgg_model_free (model_onnx);
  vgg_model_free (model_saved);
  test_remove_tree (dir);
}

static void
test_dump (void)
{
  g_autofree char *cat = sample_path ("cat.jpg");
  g_autofree char *dir = g_dir_make_tmp ("vgg-cli-XXXXXX", NULL);
  g_autofree char *png = g_build_filename (dir, "conv1_1.png", NULL);
  g_autofree char *npy = g_build_filename (dir, "pool3.npy", NULL);
  g_autofree char *npy_pre = g_build_filename (dir, "conv3_2-pre.npy", NULL);
  VggImage image = { 0 };
  VggNpy tensor = { 0 };
  VggError error = { 0 };
  gboolean negative = FALSE;
  CliResult r;

  r = run_cli ("dump", cat, "--layer", "conv1_1", "--out", png, NULL);
  g_assert_cmpint (r.status, ==, 0);
  test_assert_ok (vgg_image_load (&image, png, &error), &error);
  /* 32 channels of 32×32, each drawn 2× larger, in a 6-column grid with 1-pixel gaps */
  g_assert_cmpint (image.width, >=, 6 * 64);
  g_assert_cmpint (image.height, >=, 6 * 64);
  vgg_image_clear (&image);
  cli_result_clear (&r);

  r = run_cli ("dump", cat, "--layer", "pool3", "--out", npy, NULL);
  g_assert_cmpint (r.status, ==, 0);
  test_assert_ok (vgg_npy_load (&tensor, npy, &error), &error);
  g_assert_cmpint (tensor.ndim, ==, 4);
  g_assert_cmpint (tensor.shape[1], ==, 128);
  g_assert_cmpint (tensor.shape[2], ==, 4);
  for (size_t i = 0; i < tensor.count; i++)
    g_assert_cmpfloat (tensor.data[i], >=, 0.0f); /* after a ReLU and a max-pool */
  vgg_npy_clear (&tensor);
  cli_result_clear (&r);

  r = run_cli ("dump", cat, "--layer", "conv3_2", "--stage", "pre", "--out", npy_pre, NULL);
  g_assert_cmpint (r.status, ==, 0);
  test_assert_ok (vgg_npy_load (&tensor, npy_pre, &error), &error);
  for (size_t i = 0; i < tensor.count; i++)
    negative |= tensor.data[i] < 0.0f;
  g_assert_true (negative);
  vgg_npy_clear (&tensor);
  cli_result_clear (&r);

  /* vectors render as one square per unit: fc4 has 256 units → a 16×16 grid */
  r = run_cli ("dump", cat, "--layer", "fc4", "--out", png, NULL);
  g_assert_cmpint (r.status, ==, 0);
  test_assert_ok (vgg_image_load (&image, png, &error), &error);
  g_assert_cmpint (image.width, ==, image.height);
  g_assert_cmpint (image.width, >=, 16 * 8);
  vgg_image_clear (&image);
  cli_result_clear (&r);

  r = run_cli ("dump", cat, "--layer", "conv9_9", "--out", png, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "no layer 'conv9_9'"));
  cli_result_clear (&r);

  r = run_cli ("dump", cat, "--layer", "pool1", "--out", "x.txt", NULL);
  g_assert_cmpint (r.status, ==, 2);
  cli_result_clear (&r);

  g_unlink (png);
  g_unlink (npy);
  g_unlink (npy_pre);
  g_rmdir (dir);
}

static void
test_bad_inputs (void)
{
  g_autofree char *dir = g_dir_make_tmp ("vgg-cli-XXXXXX", NULL);
  g_autofree char *text = g_build_filename (dir, "notes.jpg", NULL);
  g_autofree char *empty = g_build_filename (dir, "empty.pth", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing.png", NULL);
  CliResult r;

  g_assert_true (g_file_set_contents (text, "this is not a picture\n", -1, NULL));
  g_assert_true (g_file_set_contents (empty, "", 0, NULL));

  r = run_cli ("classify", missing, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, missing));
  cli_result_clear (&r);

  r = run_cli ("classify", text, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, text));
  /* the refusal names what would have been read */
  g_assert_nonnull (strstr (r.err, "not a JPEG, PNG, WebP, GIF, BMP or TIFF image"));
  cli_result_clear (&r);

  r = run_cli ("info", "--weights", empty, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, empty));
  cli_result_clear (&r);

  r = run_cli ("info", "--weights", text, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, text));
  cli_result_clear (&r);

  {
    g_autofree char *bad = test_fixture_path ("reference", "narrow-vgg16-badshape.safetensors",
                                              NULL);
    r = run_cli ("info", "--weights", bad, NULL);
    g_assert_cmpint (r.status, ==, 1);
    g_assert_nonnull (strstr (r.err, "classifier.3.weight"));
    cli_result_clear (&r);
  }

  /* a .pth whose pickle calls os.system: refused, never run */
  for (int i = 0; i < 2; i++)
    {
      g_autofree char *hostile = test_fixture_path ("formats", i == 0 ? "malicious.pth"
                                                                       : "malicious-legacy.pth",
                                                    NULL);
      g_unlink ("/tmp/vgg-scope-pwned-by-fixture");
      r = run_cli ("classify", "--weights", hostile, text, NULL);
      g_assert_cmpint (r.status, ==, 1);
      g_assert_nonnull (strstr (r.err, "refusing"));
      g_assert_nonnull (strstr (r.err, "system"));
      g_assert_false (g_file_test ("/tmp/vgg-scope-pwned-by-fixture", G_FILE_TEST_EXISTS));
      cli_result_clear (&r);
    }

  /* the first half of a real JPEG */
  {
    g_autofree char *cat = sample_path ("cat.jpg");
    g_autofree char *truncated = g_build_filename (dir, "truncated.jpg", NULL);
    g_autofree char *contents = NULL;
    gsize length;

    g_assert_true (g_file_get_contents (cat, &contents, &length, NULL));
    g_assert_true (g_file_set_contents (truncated, contents, (gssize) length / 2, NULL));
    r = run_cli ("classify", truncated, NULL);
    g_assert_cmpint (r.status, ==, 1);
    g_assert_nonnull (strstr (r.err, truncated));
    g_assert_nonnull (strstr (r.err, "truncated"));
    cli_result_clear (&r);
    g_unlink (truncated);
  }

  /* the first half of a WebP, a GIF, a BMP and a TIFF */
  {
    static const char *names[] = { "picture.webp", "picture.gif", "picture.bmp", "lzw.tif" };

    for (guint i = 0; i < G_N_ELEMENTS (names); i++)
      {
        g_autofree char *path = test_fixture_path ("images", "formats", names[i], NULL);
        g_autofree char *truncated = g_build_filename (dir, names[i], NULL);
        g_autofree char *contents = NULL;
        gsize length;

        g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
        g_assert_true (g_file_set_contents (truncated, contents, (gssize) length / 2, NULL));
        r = run_cli ("classify", truncated, NULL);
        g_assert_cmpint (r.status, ==, 1);
        g_assert_nonnull (strstr (r.err, truncated));
        g_assert_nonnull (strstr (r.err, "truncated"));
        cli_result_clear (&r);
        g_unlink (truncated);
      }
  }

  g_unlink (text);
  g_unlink (empty);
  g_rmdir (dir);
}

/* vgg-scope-cli explain: every method's output, and each bad input with its message */
static void
test_explain (void)
{
  g_autofree char *cat = sample_path ("cat.jpg");
  g_autofree char *dir = g_dir_make_tmp ("vgg-cli-XXXXXX", NULL);
  g_autofree char *npy = g_build_filename (dir, "map.npy", NULL);
  g_autofree char *png = g_build_filename (dir, "map.png", NULL);
  g_autofree char *folder = g_build_filename (dir, "maps", NULL);
  g_autofree char *notop = test_fixture_path ("keras", "narrow-vgg16-notop.h5", NULL);
  const struct
  {
    const char *method;
    const char *extra[4];
    int         ndim, c, h, w;
  } cases[] = {
    { "saliency", { NULL }, 3, 1, 32, 32 },
    { "saliency", { "--smooth", "4", "--times-input", NULL }, 3, 1, 32, 32 },
    { "gradcam", { NULL }, 2, 0, 8, 8 },
    { "gradcam", { "--layer", "pool3", NULL }, 2, 0, 4, 4 },
    { "guided", { "--class", "3", NULL }, 3, 1, 32, 32 },
    { "deconv", { "--layer", "conv2_1", "--unit", "1,2,3" }, 3, 1, 32, 32 },
    { "guided-gradcam", { NULL }, 3, 1, 32, 32 },
    { "ig", { "--steps", "8", NULL }, 3, 1, 32, 32 },
    { "erf", { "--layer", "pool2", "--unit", "0,3,4" }, 3, 1, 32, 32 },
  };
  VggImage image = { 0 };
  VggNpy tensor = { 0 };
  VggError error = { 0 };
  CliResult r;

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *a[4];
      for (int j = 0; j < 4; j++)
        a[j] = cases[i].extra[j];
      r = run_cli ("explain", cat, "--method", cases[i].method, "--out", npy, a[0], a[1], a[2],
                   a[3], NULL);
      if (r.status != 0)
        g_error ("explain --method %s: %s", cases[i].method, r.err);
      test_assert_ok (vgg_npy_load (&tensor, npy, &error), &error);
      g_assert_cmpint (tensor.ndim, ==, cases[i].ndim);
      if (cases[i].ndim == 3)
        g_assert_cmpint (tensor.shape[0], ==, cases[i].c);
      g_assert_cmpint (tensor.shape[tensor.ndim - 2], ==, cases[i].h);
      g_assert_cmpint (tensor.shape[tensor.ndim - 1], ==, cases[i].w);
      g_assert_cmpfloat (test_max_abs (tensor.data, tensor.count), >, 0.0);
      vgg_npy_clear (&tensor);
      cli_result_clear (&r);
    }

  r = run_cli ("explain", cat, "--method", "ig", "--steps", "8", "--out", npy, NULL);
  g_assert_nonnull (strstr (r.out, "completeness gap"));
  cli_result_clear (&r);
  r = run_cli ("explain", cat, "--method", "erf", "--layer", "conv3_1", "--unit", "0,4,4",
               "--out", npy, NULL);
  g_assert_nonnull (strstr (r.out, "50 % within r ="));
  cli_result_clear (&r);

  /* an overlay on the picture the network sees; several inputs go to a folder */
  r = run_cli ("explain", cat, "--method", "gradcam", "--out", png, NULL);
  g_assert_cmpint (r.status, ==, 0);
  test_assert_ok (vgg_image_load (&image, png, &error), &error);
  g_assert_cmpint (image.width, ==, 32);
  vgg_image_clear (&image);
  cli_result_clear (&r);
  r = run_cli ("explain", cat, cat, "--method", "saliency", "--format", "png", "--out", folder,
               NULL);
  g_assert_cmpint (r.status, ==, 0);
  {
    g_autofree char *made = g_build_filename (folder, "cat-saliency.png", NULL);
    g_assert_true (g_file_test (made, G_FILE_TEST_EXISTS));
    g_unlink (made);
    g_rmdir (folder);
  }
  cli_result_clear (&r);

  /* bad input: one message each, exit 2 (usage) */
  {
    const struct
    {
      const char *args[10];
      const char *message;
    } bad[] = {
      { { "--method", "gradcam", "--layer", "conv9_9", NULL }, "no layer 'conv9_9'" },
      { { "--method", "erf", "--layer", "pool2", "--unit", "0,9,4", NULL },
        "unit (0, 9, 4) is outside layer pool2" },
      { { "--method", "erf", "--layer", "conv1_1", "--unit", "32,0,0", NULL },
        "outside layer conv1_1" },
      { { "--method", "saliency", "--class", "10", NULL }, "class 10 is beyond the model's 10" },
      { { "--method", "occlusion", "--patch", "33", NULL }, "does not fit the 32×32 input" },
      { { "--method", "occlusion", "--stride", "0", NULL }, "--stride must be at least 1" },
      { { "--method", "erf", "--layer", "pool2", NULL }, "erf needs --layer NAME and --unit" },
      { { "--method", "gradcam", "--layer", "fc4", NULL }, "needs a convolution or pool layer" },
      { { "--method", "whatever", NULL }, "unknown method 'whatever'" },
      { { "--method", "guided", "--unit", "1,2", NULL }, "--unit takes channel,row,column" },
    };

    for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        const char *const *a = bad[i].args;
        r = run_cli ("explain", cat, "--out", npy, a[0], a[1], a[2], a[3], a[4], a[5], a[6],
                     a[7], NULL);
        if (r.status != 2 || strstr (r.err, bad[i].message) == NULL)
          g_error ("explain %s %s: exit %d, '%s' (expected 2 and '%s')", a[0], a[1], r.status,
                   r.err, bad[i].message);
        cli_result_clear (&r);
      }
  }

  /* a model without a classifier: class-based methods refuse, erf works */
  r = run_cli ("explain", cat, "--weights", notop, "--method", "saliency", "--out", npy, NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "has no classifier"));
  cli_result_clear (&r);
  r = run_cli ("explain", cat, "--weights", notop, "--method", "erf", "--layer", "conv2_1",
               "--unit", "0,5,5", "--out", npy, NULL);
  if (r.status != 0)
    g_error ("erf on a notop model: %s", r.err);
  cli_result_clear (&r);

  /* occlusion: the other half of the issue */
  r = run_cli ("explain", cat, "--method", "occlusion", "--out", npy, NULL);
  if (r.status != 0)
    g_error ("occlusion of the top class: %s", r.err);
  cli_result_clear (&r);

  g_unlink (npy);
  g_unlink (png);
  g_rmdir (dir);
}

/* WebP, GIF, BMP and TIFF pictures classify; the BMP and the two TIFFs hold the very same
 * pixels (tools/gen-picture-formats.py), so they give the very same output. */
static void
test_classify_formats (void)
{
  static const char *names[] = { "picture.bmp", "picture.tif", "lzw.tif", "picture.webp",
                                 "picture.gif" };
  g_autofree char *reference = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = test_fixture_path ("images", "formats", names[i], NULL);
      CliResult r = run_cli ("classify", path, "--top", "1", NULL);
      const char *line;

      g_assert_cmpint (r.status, ==, 0);
      line = strstr (r.out, "1. ");
      g_assert_nonnull (line);
      g_test_message ("%s: %.*s", names[i], (int) strcspn (line, "\n"), line);
      /* BMP and TIFF hold the same 120 × 90 pixels: identical output */
      if (i == 0)
        reference = g_strndup (line, strcspn (line, "\n"));
      else if (i < 3)
        g_assert_cmpint (strncmp (line, reference, strlen (reference)), ==, 0);
      cli_result_clear (&r);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cli/help-and-usage", test_help_and_usage);
  g_test_add_func ("/cli/classify-default-model", test_classify_default_model);
  g_test_add_func ("/cli/classify-untrained-label", test_classify_untrained_label);
  g_test_add_func ("/cli/classify-npy-json", test_classify_npy_json);
  g_test_add_func ("/cli/classify-formats", test_classify_formats);
  g_test_add_func ("/cli/info", test_info);
  g_test_add_func ("/cli/info-as-code", test_info_as_code);
  g_test_add_func ("/cli/dump", test_dump);
  g_test_add_func ("/cli/bad-inputs", test_bad_inputs);
  g_test_add_func ("/cli/explain", test_explain);
  return g_test_run ();
}
