/* test-code.c — the network as code: the PyTorch script run by PyTorch, the Keras one compiled
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every PyTorch job writes a model's script (vgg_model_write_code()), the weights it loads
 * (the file itself when its keys are the script's, else vgg_model_save_torchvision_weights())
 * and an input, and computes the engine's output. tests/code-check.py then runs all scripts in
 * one Python process with Debian's python3-torch: load_state_dict(strict=True), the same keys
 * and shapes both ways, and the output on the same input, compared here with the engine's.
 * Preprocessing jobs compare the script's `preprocess` with vgg_preprocess() on a picture.
 * Without python3-torch these cases are skipped (a TAP skip saying so).
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "model-private.h"
#include "test-util.h"
#include "vgg-code.h"

#define PYTHON "/usr/bin/python3"

typedef struct
{
  const char *path;          /* the test path */
  const char *dir, *file;    /* the fixture (NULL: the built-in model) */
  int         random_side;   /* > 0: a random model, channels × side × side (no file) */
  int         random_channels;
  int         preset;        /* -1: the model's; else forced (preprocessing jobs) */
  const char *picture;       /* a picture fixture (images/ or data/), or NULL: random .npy */
  const char *npy;           /* a .npy input fixture, or NULL */
  gboolean    preprocess_only;
  gboolean    matches_file;  /* expected vgg_model_code_matches_file() */
  const char *torchvision;   /* a torchvision model whose state_dict() layout the script's
                                must have (no weights: the model is only described) */
  int         random_width;  /* > 0: the random model's input width (else random_side) */

  /* filled by prepare_jobs () */
  char       *out;
  float      *expected;
  size_t      count;
  char       *script;
} Job;

static Job jobs[] = {
  { "/code/pytorch/narrow-vgg16", "reference", "narrow-vgg16.safetensors", 0, 0, -1, NULL,
    "narrow-vgg16-input.npy", FALSE, TRUE },
  { "/code/pytorch/narrow-vgg11-bn", "reference", "narrow-vgg11-bn.safetensors", 0, 0, -1,
    NULL, "narrow-vgg11-bn-input.npy", FALSE, TRUE },
  { "/code/pytorch/narrow-vgg11-bn-zip-pth", "reference", "narrow-vgg11-bn-zip.pth", 0, 0, -1,
    NULL, "narrow-vgg11-bn-input.npy", FALSE, TRUE },
  { "/code/pytorch/narrow-vgg16-legacy-pth", "reference", "narrow-vgg16-legacy.pth", 0, 0, -1,
    NULL, "narrow-vgg16-input.npy", FALSE, TRUE },
  /* the embedded file has the script's keys, but no file on disk: its weights are saved */
  { "/code/pytorch/built-in-picture", NULL, NULL, 0, 0, -1, "images/picture.png", NULL, FALSE,
    TRUE },
  { "/code/pytorch/built-in-sample", NULL, NULL, 0, 0, -1, "samples/ankle-boot-0.png", NULL,
    FALSE, TRUE },
  { "/code/pytorch/keras-h5", "keras", "narrow-vgg16-keras2.h5", 0, 0, -1, NULL, NULL, FALSE,
    FALSE },
  { "/code/pytorch/keras-notop", "keras", "narrow-vgg16-notop.h5", 0, 0, -1, NULL, NULL, FALSE,
    FALSE },
  { "/code/pytorch/onnx-bn", "onnx", "narrow-vgg11-bn-torch.onnx", 0, 0, -1, NULL, NULL, FALSE,
    FALSE },
  { "/code/pytorch/random", NULL, NULL, 32, 3, -1, NULL, NULL, FALSE, FALSE },
  { "/code/preprocess/fashion-mnist-photo", NULL, NULL, 0, 0, -1, "images/picture.png", NULL,
    TRUE, TRUE },
  { "/code/preprocess/fashion-mnist-small", NULL, NULL, 0, 0, -1, "images/small.png", NULL,
    TRUE, TRUE },
  { "/code/preprocess/fashion-mnist-sample", NULL, NULL, 0, 0, -1, "samples/bag-18.png", NULL,
    TRUE, TRUE },
  { "/code/preprocess/plain", "reference", "narrow-vgg16.safetensors", 0, 0, -1,
    "images/picture.jpg", NULL, TRUE, TRUE },
  { "/code/preprocess/plain-grey", NULL, NULL, 40, 1, VGG_PRESET_PLAIN, "images/picture.png",
    NULL, TRUE, FALSE },
  { "/code/preprocess/torchvision-224", NULL, NULL, 224, 3, VGG_PRESET_TORCHVISION,
    "images/picture.png", NULL, TRUE, FALSE },
  { "/code/preprocess/torchvision-48", NULL, NULL, 48, 3, VGG_PRESET_TORCHVISION,
    "images/small.png", NULL, TRUE, FALSE },
  { "/code/preprocess/caffe", NULL, NULL, 32, 3, VGG_PRESET_CAFFE, "images/picture.png", NULL,
    TRUE, FALSE },
  /* inputs that are not square: the script's CoverResize */
  { "/code/preprocess/torchvision-40x64", NULL, NULL, 40, 3, VGG_PRESET_TORCHVISION,
    "images/picture.png", NULL, TRUE, FALSE, NULL, 64 },
  { "/code/preprocess/plain-grey-48x24", NULL, NULL, 48, 1, VGG_PRESET_PLAIN,
    "images/small.png", NULL, TRUE, FALSE, NULL, 24 },
#define TORCHVISION_JOB(name) \
  { "/code/torchvision-layout/" name, NULL, NULL, 0, 0, -1, NULL, NULL, FALSE, FALSE, name }
  /* A, B, D and E, with and without batch norm */
  TORCHVISION_JOB ("vgg11"), TORCHVISION_JOB ("vgg13_bn"), TORCHVISION_JOB ("vgg16"),
  TORCHVISION_JOB ("vgg16_bn"), TORCHVISION_JOB ("vgg19_bn"),
#undef TORCHVISION_JOB
};

static char *work_dir;
static gboolean python_torch;
static gboolean jobs_ran;
static char *python_log;

static char *
picture_path (const char *picture)
{
  if (g_str_has_prefix (picture, "samples/"))
    return g_build_filename (g_test_get_dir (G_TEST_DIST), "..", "data", "fashion-mnist",
                             picture, NULL);
  return test_fixture_path (picture, NULL);
}

static VggModel *
job_model (const Job *job)
{
  VggError error = { 0 };
  VggModel *model = NULL;

  if (job->torchvision != NULL)
    {
      /* the paper's configuration, described but without weights */
      VggConfig config;

      test_assert_ok (vgg_config_for_name (&config, job->torchvision, &error), &error);
      test_assert_ok (vgg_model_new_for_config (&model, &config, &error), &error);
    }
  else if (job->random_side > 0)
    {
      /* two blocks of 4 and 8 channels: cheap at any input size */
      VggConfig config = { .n_blocks = 2, .block_widths = { 4, 8 }, .block_convs = { 1, 2 },
                           .input_channels = job->random_channels,
                           .input_height = job->random_side,
                           .input_width = job->random_width > 0 ? job->random_width
                                                                : job->random_side,
                           .n_hidden_fc = 1, .hidden_fc_widths = { 12 }, .n_classes = 5 };
      test_assert_ok (vgg_model_new_random (&model, &config, 7, &error), &error);
    }
  else if (job->file == NULL)
    test_assert_ok (vgg_model_new_default (&model, &error), &error);
  else
    {
      g_autofree char *path = test_fixture_path (job->dir, job->file, NULL);
      test_assert_ok (test_model_load (&model, path, &error), &error);
    }
  if (job->preset >= 0)
    model->preset = (VggPreset) job->preset;   /* this test sees the engine's insides */
  return model;
}

typedef struct
{
  float  *data;
  size_t  count;
} Capture;

static bool
capture_last (const VggHookEvent *event,
              void               *user_data)
{
  Capture *capture = user_data;

  g_free (capture->data);
  capture->data = g_memdup2 (event->data, event->count * sizeof (float));
  capture->count = event->count;
  return true;
}

/* The engine's output for @input ([batch, C, H, W]): logits, or the last layer's maps. */
static void
engine_output (Job            *job,
               const VggModel *model,
               const float    *input,
               int             batch)
{
  VggRunOptions options = { .exact = true };
  VggError error = { 0 };
  VggRun *run = NULL;
  Capture capture = { 0 };
  int n_classes = vgg_model_n_classes (model);

  test_assert_ok (vgg_run_new_with_options (&run, model, batch, &options, &error), &error);
  if (n_classes == 0)
    {
      vgg_run_set_hook (run, capture_last, &capture);
      vgg_run_watch (run, vgg_model_n_layers (model) - 1, VGG_STAGE_OUTPUT);
    }
  test_assert_ok (vgg_run_forward (run, input, &error), &error);
  if (n_classes > 0)
    {
      job->count = (size_t) batch * (size_t) n_classes;
      job->expected = g_memdup2 (vgg_run_logits (run), job->count * sizeof (float));
    }
  else
    {
      job->count = capture.count;
      job->expected = capture.data;
    }
  vgg_run_free (run);
}

static void
prepare_job (Job     *job,
             int      number,
             GString *jobs_text)
{
  g_autofree char *script_path = g_strdup_printf ("%s/job-%d.py", work_dir, number);
  g_autofree char *weights = NULL, *input = NULL;
  VggModel *model = job_model (job);
  const VggConfig *config = vgg_model_config (model);
  size_t plane = (size_t) config->input_channels * config->input_height * config->input_width;
  VggError error = { 0 };
  char *text = NULL;

  g_assert_cmpint (vgg_model_code_matches_file (model), ==, job->matches_file);
  test_assert_ok (vgg_model_write_code (model, VGG_CODE_PYTORCH, job->file, &text, &error),
                  &error);
  g_assert_true (g_file_set_contents (script_path, text, -1, NULL));
  job->script = text;
  job->out = g_strdup_printf ("%s/job-%d-out.npy", work_dir, number);

  if (job->torchvision != NULL)
    {
      g_string_append_printf (jobs_text, "%s\ttorchvision:%s\t-\t%s\n", script_path,
                              job->torchvision, job->out);
      vgg_model_free (model);
      return;
    }
  if (job->preprocess_only)
    weights = g_strdup ("-");
  else if (job->matches_file && job->file != NULL)
    weights = test_fixture_path (job->dir, job->file, NULL);
  else
    {
      weights = g_strdup_printf ("%s/job-%d.safetensors", work_dir, number);
      test_assert_ok (vgg_model_save_torchvision_weights (model, weights, &error), &error);
    }

  if (job->picture != NULL)
    {
      g_autofree float *tensor = g_new (float, plane);
      VggImage image = { 0 };

      input = picture_path (job->picture);
      test_assert_ok (vgg_image_load (&image, input, &error), &error);
      test_assert_ok (vgg_model_preprocess (model, tensor, &image, NULL, &error), &error);
      vgg_image_clear (&image);
      if (job->preprocess_only)
        {
          job->expected = g_steal_pointer (&tensor);
          job->count = plane;
        }
      else
        engine_output (job, model, tensor, 1);
    }
  else if (job->npy != NULL)
    {
      VggNpy npy = { 0 };

      input = test_fixture_path (job->dir, job->npy, NULL);
      test_assert_ok (vgg_npy_load (&npy, input, &error), &error);
      g_assert_cmpuint (npy.count % plane, ==, 0);
      engine_output (job, model, npy.data, (int) (npy.count / plane));
      vgg_npy_clear (&npy);
    }
  else
    {
      /* two seeded inputs in [-1, 1] */
      g_autoptr (GRand) rand = g_rand_new_with_seed (11 + (guint32) number);
      g_autofree float *tensor = g_new (float, 2 * plane);
      int64_t shape[4] = { 2, config->input_channels, config->input_height,
                           config->input_width };

      for (size_t i = 0; i < 2 * plane; i++)
        tensor[i] = (float) g_rand_double_range (rand, -1.0, 1.0);
      input = g_strdup_printf ("%s/job-%d-input.npy", work_dir, number);
      test_assert_ok (vgg_npy_save (input, tensor, 4, shape, &error), &error);
      engine_output (job, model, tensor, 2);
    }
  g_string_append_printf (jobs_text, "%s\t%s\t%s\t%s\n", script_path, weights, input, job->out);
  vgg_model_free (model);
}

/* Writes every job, then runs them all in one Python process (torch is slow to import). */
static void
run_jobs_once (void)
{
  g_autoptr (GString) jobs_text = g_string_new (NULL);
  g_autofree char *jobs_path = NULL, *checker = NULL, *out = NULL, *err = NULL;
  g_autoptr (GError) error = NULL;
  int status = 0;

  if (jobs_ran)
    return;
  jobs_ran = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (jobs); i++)
    prepare_job (&jobs[i], (int) i, jobs_text);
  jobs_path = g_build_filename (work_dir, "jobs.tsv", NULL);
  g_assert_true (g_file_set_contents (jobs_path, jobs_text->str, -1, NULL));
  checker = g_build_filename (g_test_get_dir (G_TEST_DIST), "code-check.py", NULL);
  {
    const char *argv[] = { PYTHON, checker, jobs_path, NULL };
    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out,
                                 &err, &status, &error));
  }
  python_log = g_strdup_printf ("%s%s", out, err);
}

static void
test_job (gconstpointer data)
{
  Job *job = (Job *) data;
  g_autofree char *err_path = NULL, *err_text = NULL;
  VggError error = { 0 };
  VggNpy npy = { 0 };
  double diff, scale;

  if (!python_torch)
    {
      g_test_skip ("python3-torch and python3-torchvision (Debian) are not installed: the "
                   "generated PyTorch script cannot be run");
      return;
    }
  run_jobs_once ();
  err_path = g_strconcat (job->out, ".err", NULL);
  if (g_file_get_contents (err_path, &err_text, NULL, NULL))
    g_error ("%s: the generated script failed:\n%s\n--- script ---\n%s", job->path, err_text,
             job->script);
  if (!g_file_test (job->out, G_FILE_TEST_EXISTS))
    g_error ("%s: no output from %s:\n%s", job->path, PYTHON, python_log);

  test_assert_ok (vgg_npy_load (&npy, job->out, &error), &error);
  if (job->torchvision != NULL)
    {
      /* code-check.py compared the keys and shapes; it writes OUT only when they agree */
      g_assert_cmpuint (npy.count, ==, 0);
      vgg_npy_clear (&npy);
      return;
    }
  g_assert_cmpuint (npy.count, ==, job->count);
  diff = test_max_abs_diff (npy.data, job->expected, job->count);
  scale = test_max_abs (job->expected, job->count);
  g_test_message ("%s: %zu values, max |engine - PyTorch| %.3g (max |value| %.3g)", job->path,
                  job->count, diff, scale);
  if (job->preprocess_only)
    g_assert_cmpfloat (diff, <=, 1e-6);   /* the same float32 operations */
  else
    g_assert_cmpfloat (diff, <=, 1e-4 * scale);   /* relative: the random model's are small */
  g_assert_cmpfloat (scale, >, 0.0);
  vgg_npy_clear (&npy);
}

/* ---- the text itself ---- */

static char *
code_for (VggModel        *model,
          VggCodeLanguage  language,
          const char      *name)
{
  VggError error = { 0 };
  char *text = NULL;

  test_assert_ok (vgg_model_write_code (model, language, name, &text, &error), &error);
  g_assert_nonnull (text);
  return text;
}

static void
test_text_built_in (void)
{
  VggError error = { 0 };
  VggModel *model = NULL;
  g_autofree char *pytorch = NULL, *keras = NULL;

  test_assert_ok (vgg_model_new_default (&model, &error), &error);
  pytorch = code_for (model, VGG_CODE_PYTORCH, NULL);
  keras = code_for (model, VGG_CODE_KERAS, NULL);
  /* 1 × 32 × 32 grey, 32-32, 64-64, 128-128, fc 2048 → 256 → 10, trained with dropout 0.3 */
  g_assert_nonnull (strstr (pytorch, "nn.Conv2d(1, 32, kernel_size=3, padding=1),"));
  g_assert_nonnull (strstr (pytorch, "nn.Conv2d(64, 128, kernel_size=3, padding=1),"));
  g_assert_nonnull (strstr (pytorch, "nn.Linear(128 * 4 * 4, 256),"));
  g_assert_nonnull (strstr (pytorch, "nn.Dropout(p=0.3),"));
  g_assert_nonnull (strstr (pytorch, "nn.Linear(256, 10),"));
  g_assert_null (strstr (pytorch, "AdaptiveAvgPool2d"));   /* pool3 is 4 × 4 */
  g_assert_null (strstr (pytorch, "BatchNorm2d"));         /* folded in the file */
  g_assert_nonnull (strstr (pytorch, "FashionMNISTStyle(32, 32)"));
  g_assert_nonnull (strstr (pytorch, "\"Ankle boot\","));
  g_assert_nonnull (strstr (pytorch, "--save-weights"));
  g_assert_nonnull (strstr (keras, "keras.Input(shape=(32, 32, 1)"));
  g_assert_nonnull (strstr (keras, "x = layers.Conv2D(32, (3, 3), padding=\"same\", "
                                   "activation=\"relu\", name=\"block1_conv1\")(x)"));
  g_assert_nonnull (strstr (keras, "layers.Dense(256, activation=\"relu\", name=\"fc1\")"));
  g_assert_nonnull (strstr (keras, "layers.Dense(10, activation=\"softmax\", "
                                   "name=\"predictions\")"));
  vgg_model_free (model);
}

static void
test_text_vgg16_layout (void)
{
  VggError error = { 0 };
  VggConfig config;
  VggModel *model = NULL;
  g_autofree char *pytorch = NULL, *keras = NULL;

  /* VGG16-BN's layout, with narrow widths so the random weights are cheap */
  test_assert_ok (vgg_config_for_name (&config, "vgg16_bn", &error), &error);
  for (int b = 0; b < config.n_blocks; b++)
    config.block_widths[b] /= 16;
  config.hidden_fc_widths[0] = config.hidden_fc_widths[1] = 16;
  test_assert_ok (vgg_model_new_random (&model, &config, 1, &error), &error);
  model->config.batch_norm = true;   /* as if loaded from a BN file: only the text is used */
  pytorch = code_for (model, VGG_CODE_PYTORCH, NULL);
  keras = code_for (model, VGG_CODE_KERAS, NULL);
  /* torchvision's numbering: conv1_1 at 0, BN at 1, ReLU at 2, …, pool5 at 43 */
  g_assert_nonnull (strstr (pytorch, "nn.BatchNorm2d(4),"));
  g_assert_nonnull (strstr (pytorch, "# 43  pool5 -> 32 x 7 x 7"));
  g_assert_nonnull (strstr (pytorch, "self.avgpool = nn.AdaptiveAvgPool2d((7, 7))"));
  g_assert_nonnull (strstr (pytorch, "nn.Linear(32 * 7 * 7, 16),"));
  g_assert_nonnull (strstr (pytorch, "# 6  fc8 (the classes)"));
  g_assert_nonnull (strstr (pytorch, "transforms.Resize(256),"));
  g_assert_nonnull (strstr (pytorch, "transforms.CenterCrop(224),"));
  g_assert_nonnull (strstr (pytorch, "transforms.Normalize(mean=[0.485, 0.456, 0.406], "
                                     "std=[0.229, 0.224, 0.225]),"));
  g_assert_nonnull (strstr (keras, "layers.BatchNormalization(epsilon=1e-5, "
                                   "name=\"block5_bn3\")"));
  g_assert_nonnull (strstr (keras, "name=\"block5_pool\")(x)  # 7 x 7 x 32"));
  g_assert_nonnull (strstr (keras, "name=\"vgg16_bn\""));
  vgg_model_free (model);
}

static void
test_language_names (void)
{
  VggCodeLanguage language = VGG_CODE_N_LANGUAGES;

  g_assert_true (vgg_code_language_from_name ("pytorch", &language));
  g_assert_cmpint (language, ==, VGG_CODE_PYTORCH);
  g_assert_true (vgg_code_language_from_name ("keras", &language));
  g_assert_cmpint (language, ==, VGG_CODE_KERAS);
  g_assert_false (vgg_code_language_from_name ("tensorflow", &language));
  g_assert_false (vgg_code_language_from_name (NULL, &language));
  g_assert_cmpstr (vgg_code_language_name (VGG_CODE_KERAS), ==, "keras");
}

/* A name with quotes, a backslash and a newline stays one valid Python string. */
static void
test_hostile_name (void)
{
  g_autofree char *path = test_fixture_path ("reference", "narrow-vgg16.safetensors", NULL);
  g_autofree char *text = NULL;
  VggError error = { 0 };
  VggModel *model = NULL;

  test_assert_ok (test_model_load (&model, path, &error), &error);
  text = code_for (model, VGG_CODE_PYTORCH, "we\"ird\\\nname.pth");
  g_assert_nonnull (strstr (text, "load_weights(\"we\\\"ird\\\\\\x0aname.pth\")"));
  vgg_model_free (model);
}

/* Both languages for models of every kind compile with Python (Keras is not installed). */
static void
test_py_compile (void)
{
  /* every preset, with and without BN and classifier */
  static const Job models[] = {
    { .preset = -1 },                                                       /* fashion-mnist */
    { .dir = "reference", .file = "narrow-vgg11-bn.safetensors", .preset = -1 },  /* plain */
    { .dir = "keras", .file = "narrow-vgg16-notop.h5", .preset = -1 },      /* caffe, notop */
    { .dir = "onnx", .file = "narrow-vgg11-bn-torch.onnx", .preset = -1 },
    { .random_side = 224, .random_channels = 3, .preset = -1 },             /* torchvision */
    { .random_side = 40, .random_width = 56, .random_channels = 1, .preset = -1 },
  };
  GPtrArray *argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  if (!g_file_test (PYTHON, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip (PYTHON " is missing");
      g_ptr_array_unref (argv);
      return;
    }
  g_ptr_array_add (argv, g_strdup (PYTHON));
  g_ptr_array_add (argv, g_strdup ("-m"));
  g_ptr_array_add (argv, g_strdup ("py_compile"));
  for (guint i = 0; i < G_N_ELEMENTS (models); i++)
    for (int language = 0; language < VGG_CODE_N_LANGUAGES; language++)
      {
        VggModel *model = job_model (&models[i]);
        g_autofree char *text = code_for (model, (VggCodeLanguage) language, models[i].file);
        char *path = g_strdup_printf ("%s/compile-%u-%s.py", work_dir, i,
                                      vgg_code_language_name ((VggCodeLanguage) language));

        g_assert_true (g_file_set_contents (path, text, -1, NULL));
        g_ptr_array_add (argv, path);
        vgg_model_free (model);
      }
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_STDOUT_TO_DEV_NULL,
                               NULL, NULL, NULL, &err, &status, &error));
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("py_compile failed:\n%s", err);
  g_ptr_array_unref (argv);
}

int
main (int    argc,
      char **argv)
{
  const char *probe[] = { PYTHON, "-c", "import numpy, torch, torchvision, PIL", NULL };
  int status = 1, result;

  g_test_init (&argc, &argv, NULL);
  work_dir = g_dir_make_tmp ("vgg-scope-code-XXXXXX", NULL);
  g_assert_nonnull (work_dir);
  python_torch = g_file_test (PYTHON, G_FILE_TEST_IS_EXECUTABLE)
                 && g_spawn_sync (NULL, (char **) probe, NULL,
                                  G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL, NULL,
                                  NULL, NULL, NULL, &status, NULL)
                 && g_spawn_check_wait_status (status, NULL);

  g_test_add_func ("/code/language-names", test_language_names);
  g_test_add_func ("/code/text/built-in", test_text_built_in);
  g_test_add_func ("/code/text/vgg16-bn-layout", test_text_vgg16_layout);
  g_test_add_func ("/code/text/hostile-name", test_hostile_name);
  g_test_add_func ("/code/py-compile", test_py_compile);
  for (guint i = 0; i < G_N_ELEMENTS (jobs); i++)
    g_test_add_data_func (jobs[i].path, &jobs[i], test_job);

  result = g_test_run ();
  test_remove_tree (work_dir);
  g_free (work_dir);
  for (guint i = 0; i < G_N_ELEMENTS (jobs); i++)
    {
      g_free (jobs[i].out);
      g_free (jobs[i].expected);
      free (jobs[i].script);
    }
  g_free (python_log);
  return result;
}
