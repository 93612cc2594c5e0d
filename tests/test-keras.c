/* test-keras.c — Keras HDF5 weights against the same network in torchvision's layout
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fixtures: tools/gen-keras-fixtures.py writes narrow-vgg16 (tests/fixtures/reference) in the
 * published, Keras 2 and Keras 3 layouts. Loaded, each must give back the torchvision tensors
 * bit for bit, and every layer's output must equal the torchvision-layout model's and match
 * torchvision's own outputs.
 */
#include "config.h"

#include "converted-file.h"
#include "tensor-file.h"
#include "test-engine-util.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/resource.h>

#define TOLERANCE 1e-4

/* ---------------------------------------------------------------------------------------------
 * Shared with test-onnx.c in spirit: every layer's output of a run, copied
 */

typedef struct
{
  GPtrArray *names;     /* "conv1_1.pre", "conv1_1", … */
  GPtrArray *outputs;   /* GArray of float each */
} Recording;

static bool
record_layer (const VggHookEvent *event,
              void               *user_data)
{
  Recording *recording = user_data;
  GArray *copy = g_array_sized_new (FALSE, FALSE, sizeof (float), (guint) event->count);

  g_array_append_vals (copy, event->data, (guint) event->count);
  g_ptr_array_add (recording->names,
                   g_strdup_printf ("%s%s", event->layer->name,
                                    event->stage == VGG_STAGE_PRE_ACTIVATION ? ".pre" : ""));
  g_ptr_array_add (recording->outputs, copy);
  return true;
}

static Recording *
record_run (const VggModel *model,
            const VggNpy   *input)
{
  Recording *recording = g_new0 (Recording, 1);
  VggError error = { 0 };
  VggRun *run = NULL;

  recording->names = g_ptr_array_new_with_free_func (g_free);
  recording->outputs = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  test_assert_ok (vgg_run_new (&run, model, (int) input->shape[0], &error), &error);
  vgg_run_set_hook (run, record_layer, recording);
  vgg_run_watch (run, -1, VGG_STAGE_PRE_ACTIVATION | VGG_STAGE_OUTPUT);
  test_assert_ok (vgg_run_forward (run, input->data, &error), &error);
  vgg_run_free (run);
  return recording;
}

static void
recording_free (Recording *recording)
{
  g_ptr_array_unref (recording->names);
  g_ptr_array_unref (recording->outputs);
  g_free (recording);
}

/* @a and @b layer by layer (same names, same values within @relative × max |value|), and @a
 * against torchvision's outputs in @reference. */
static void
compare_recordings (const Recording     *a,
                    const Recording     *b,
                    const VggTensorFile *reference,
                    double               relative)
{
  g_assert_cmpuint (a->names->len, ==, b->names->len);
  g_assert_cmpuint (a->names->len, >, 0);
  for (guint i = 0; i < a->names->len; i++)
    {
      const char *name = a->names->pdata[i];
      GArray *x = a->outputs->pdata[i], *y = b->outputs->pdata[i];
      const VggTensor *expected = vgg_tensor_file_find (reference, name);
      double max_abs = test_max_abs ((const float *) (void *) x->data, x->len);
      double diff;

      g_assert_cmpstr (name, ==, b->names->pdata[i]);
      g_assert_cmpuint (x->len, ==, y->len);
      diff = test_max_abs_diff ((const float *) (void *) x->data,
                                (const float *) (void *) y->data, x->len);
      if (diff > relative * max_abs)
        g_error ("%s: the two models differ by %g (max |value| %g)", name, diff, max_abs);

      if (expected == NULL)
        g_error ("the reference has no tensor '%s'", name);
      g_assert_cmpint (expected->count, ==, (int64_t) x->len);
      max_abs = test_max_abs (expected->data, x->len);
      diff = test_max_abs_diff (expected->data, (const float *) (void *) x->data, x->len);
      if (diff > TOLERANCE * max_abs)
        g_error ("%s: max |diff| %g from torchvision exceeds %g × max |value| %g", name, diff,
                 TOLERANCE, max_abs);
    }
}

/* Every tensor of @reference_path named features.* or classifier.* is in @converted with the
 * same shape and bits (and nothing else is). */
static void
assert_same_tensors (const VggTensorFile *converted,
                     const char          *reference_path,
                     gboolean             with_classifier)
{
  VggTensorFile *reference = NULL;
  VggError error = { 0 };
  size_t n_compared = 0;

  test_assert_ok (vgg_tensor_file_open (&reference, reference_path, &error), &error);
  for (size_t i = 0; i < reference->n_tensors; i++)
    {
      const VggTensor *want = &reference->tensors[i];
      const VggTensor *got = vgg_tensor_file_find (converted, want->name);

      if (!g_str_has_prefix (want->name, "features.")
          && !g_str_has_prefix (want->name, "classifier."))
        continue;
      if (!with_classifier && g_str_has_prefix (want->name, "classifier."))
        {
          g_assert_null (got);
          continue;
        }
      if (got == NULL)
        g_error ("tensor '%s' is missing", want->name);
      g_assert_cmpint (got->dtype, ==, VGG_DTYPE_F32);
      g_assert_cmpint (got->ndim, ==, want->ndim);
      for (int d = 0; d < want->ndim; d++)
        g_assert_cmpint (got->shape[d], ==, want->shape[d]);
      g_assert_cmpint (got->count, ==, want->count);
      if (memcmp (got->data, want->data, (size_t) want->count * sizeof (float)) != 0)
        g_error ("tensor '%s' differs from the torchvision layout's", want->name);
      n_compared++;
    }
  g_assert_cmpuint (n_compared, ==, converted->n_tensors);
  vgg_tensor_file_free (reference);
}

/* ---------------------------------------------------------------------------------------------
 * Cases
 */

static void
check_layout (gconstpointer data)
{
  const char *file_name = data;
  g_autofree char *path = test_fixture_path ("keras", file_name, NULL);
  g_autofree char *torch_path = test_fixture_path ("reference", "narrow-vgg16.safetensors", NULL);
  g_autofree char *input_path = test_fixture_path ("reference", "narrow-vgg16-input.npy", NULL);
  g_autofree char *outputs_path = test_fixture_path ("reference",
                                                     "narrow-vgg16-outputs.safetensors", NULL);
  VggTensorFile *converted = NULL, *reference = NULL;
  VggModel *model = NULL, *torch_model = NULL;
  Recording *keras_run, *torch_run;
  VggNpy input = { 0 };
  VggError error = { 0 };
  const VggConfig *config;

  /* the container is found from the bytes, and the tensors are torchvision's */
  test_assert_ok (test_tensor_file_open (&converted, path, &error), &error);
  g_assert_cmpint (converted->source, ==, VGG_SOURCE_KERAS_H5);
  g_assert_cmpstr (vgg_tensor_file_metadata (converted, "vgg_scope.preset"), ==, "caffe");
  g_assert_cmpstr (vgg_tensor_file_metadata (converted, "vgg_scope.trained"), ==, "true");
  g_assert_null (vgg_tensor_file_metadata (converted, "vgg_scope.input_size"));
  assert_same_tensors (converted, torch_path, TRUE);
  vgg_tensor_file_free (converted);

  test_assert_ok (test_model_load (&model, path, &error), &error);
  g_assert_cmpint (vgg_model_source (model), ==, VGG_SOURCE_KERAS_H5);
  g_assert_cmpstr (vgg_source_name (VGG_SOURCE_KERAS_H5), ==, "Keras HDF5");
  g_assert_cmpint (vgg_model_preset (model), ==, VGG_PRESET_CAFFE);
  g_assert_true (vgg_model_is_trained (model));
  config = vgg_model_config (model);
  g_assert_cmpint (config->n_blocks, ==, 5);
  g_assert_cmpint (config->block_convs[2], ==, 3);
  g_assert_cmpint (config->block_widths[4], ==, 32);
  g_assert_false (config->batch_norm);
  g_assert_cmpint (config->input_channels, ==, 3);
  g_assert_cmpint (config->input_height, ==, 64);
  g_assert_cmpint (config->n_hidden_fc, ==, 2);
  g_assert_cmpint (config->hidden_fc_widths[1], ==, 24);
  g_assert_cmpint (config->n_classes, ==, 10);

  test_assert_ok (test_model_load (&torch_model, torch_path, &error), &error);
  test_assert_ok (vgg_npy_load (&input, input_path, &error), &error);
  test_assert_ok (vgg_tensor_file_open (&reference, outputs_path, &error), &error);
  keras_run = record_run (model, &input);
  torch_run = record_run (torch_model, &input);
  compare_recordings (keras_run, torch_run, reference, 1e-6);

  recording_free (keras_run);
  recording_free (torch_run);
  vgg_tensor_file_free (reference);
  vgg_npy_clear (&input);
  vgg_model_free (torch_model);
  vgg_model_free (model);
}

static void
test_notop (void)
{
  g_autofree char *path = test_fixture_path ("keras", "narrow-vgg16-notop.h5", NULL);
  g_autofree char *torch_path = test_fixture_path ("reference", "narrow-vgg16.safetensors", NULL);
  VggTensorFile *converted = NULL;
  VggModel *model = NULL;
  VggRun *run = NULL;
  VggError error = { 0 };
  const VggConfig *config;
  float *input;

  test_assert_ok (test_tensor_file_open (&converted, path, &error), &error);
  g_assert_cmpstr (vgg_tensor_file_metadata (converted, "vgg_scope.input_size"), ==, "224");
  assert_same_tensors (converted, torch_path, FALSE);
  vgg_tensor_file_free (converted);

  /* feature maps only: no classifier, Keras's default 224×224 input */
  test_assert_ok (test_model_load (&model, path, &error), &error);
  config = vgg_model_config (model);
  g_assert_cmpint (config->n_classes, ==, 0);
  g_assert_cmpint (config->n_hidden_fc, ==, 0);
  g_assert_cmpint (config->input_height, ==, 224);
  g_assert_cmpint (vgg_model_n_classes (model), ==, 0);
  g_assert_cmpint (vgg_model_preset (model), ==, VGG_PRESET_CAFFE);
  g_assert_cmpint (vgg_model_layer (model, vgg_model_n_layers (model) - 1)->kind, ==,
                   VGG_LAYER_POOL);

  input = g_new0 (float, 3 * 224 * 224);
  for (int i = 0; i < 3 * 224 * 224; i++)
    input[i] = (float) ((i * 7919) % 255) - 120.0f;
  test_assert_ok (vgg_run_new (&run, model, 1, &error), &error);
  test_assert_ok (vgg_run_forward (run, input, &error), &error);
  g_assert_null (vgg_run_probs (run));
  vgg_run_free (run);
  g_free (input);
  vgg_model_free (model);
}

static void
test_bad_shape (void)
{
  test_assert_load_refused ("keras", "bad-shape.h5", VGG_STATUS_SHAPE,
                            "/fc2/fc2_W_1:0' has shape (24, 23)", "(24, 24)");
}

static void
test_bad_missing (void)
{
  test_assert_load_refused ("keras", "bad-missing.h5", VGG_STATUS_FORMAT, "block3_conv2_b_1:0",
                            "does not exist");
}

static void
test_bad_layer (void)
{
  test_assert_load_refused ("keras", "bad-layer.h5", VGG_STATUS_UNSUPPORTED, "'conv2d_7'", NULL);
}

static void
test_bad_type (void)
{
  test_assert_load_refused ("keras", "bad-int.h5", VGG_STATUS_UNSUPPORTED, "block1_conv1_W_1:0",
                            "floating-point");
}

/* libhdf5 reads out of bounds on this file (one byte of an object header changed) and, with
 * what happens to lie there, crashes ("libhdf5 failed": the child process reading it died)
 * or misreads the file; either way the load fails and this process goes on. */
static void
test_damaged (void)
{
  g_autofree char *path = test_fixture_path ("keras", "bad-damaged.h5", NULL);
  VggModel *model = NULL;
  VggError error = { 0 };

  for (int i = 0; i < 3; i++)
    {
      g_assert_cmpint (test_model_load (&model, path, &error), !=, VGG_STATUS_OK);
      g_test_message ("%s", error.message);
      g_assert_null (model);
      g_assert_nonnull (strstr (error.message, path));
    }
}

/* A fuzzed file on which libhdf5 asks for gigabytes: refused, with the reader process (which
 * caps its own address space) staying small. Not under a sanitizer, where the reader has no
 * cap (its shadow memory is terabytes of address space). */
static void
test_memory_cap (void)
{
  g_autofree char *path = test_fixture_path ("keras", "bad-huge-allocation.h5", NULL);
  VggModel *model = NULL;
  VggError error = { 0 };
  struct rusage usage;

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  g_test_skip ("the reader has no memory cap under a sanitizer");
  return;
#elif defined(__has_feature)
# if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
  g_test_skip ("the reader has no memory cap under a sanitizer");
  return;
# endif
#endif
  g_assert_cmpint (test_model_load (&model, path, &error), !=, VGG_STATUS_OK);
  g_assert_null (model);
  g_test_message ("%s", error.message);
  g_assert_nonnull (strstr (error.message, path));
  /* the largest child this process has waited for: the readers (ru_maxrss in KiB) */
  g_assert_cmpint (getrusage (RUSAGE_CHILDREN, &usage), ==, 0);
  g_assert_cmpint (usage.ru_maxrss, <, 1536 * 1024);
}

/* Every prefix of a valid file, at a few lengths, is refused without a crash; so is a file
 * whose HDF5 signature is followed by garbage. */
static void
test_truncated (void)
{
  g_autofree char *path = test_fixture_path ("keras", "narrow-vgg16-published.h5", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *dir = g_dir_make_tmp ("test-keras-XXXXXX", NULL);
  g_autofree char *cut_path = g_build_filename (dir, "cut.h5", NULL);
  static const double fractions[] = { 0.001, 0.01, 0.1, 0.5, 0.9, 0.999 };
  gsize length;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  for (size_t i = 0; i < G_N_ELEMENTS (fractions); i++)
    {
      VggModel *model = NULL;
      VggError error = { 0 };
      VggStatus status;

      g_assert_true (g_file_set_contents (cut_path, contents,
                                          (gssize) (length * fractions[i]), NULL));
      status = test_model_load (&model, cut_path, &error);
      g_test_message ("%.3f: %s", fractions[i], error.message);
      g_assert_cmpint (status, !=, VGG_STATUS_OK);
      g_assert_null (model);
      g_assert_nonnull (strstr (error.message, cut_path));
    }

  {
    char garbage[4096];
    VggModel *model = NULL;
    VggError error = { 0 };

    memcpy (garbage, "\x89HDF\r\n\x1a\n", 8);
    for (size_t i = 8; i < sizeof garbage; i++)
      garbage[i] = (char) (i * 131 + 7);
    g_assert_true (g_file_set_contents (cut_path, garbage, sizeof garbage, NULL));
    g_assert_cmpint (test_model_load (&model, cut_path, &error), ==, VGG_STATUS_FORMAT);
    g_assert_nonnull (strstr (error.message, "HDF5"));
  }
  g_unlink (cut_path);
  g_rmdir (dir);
}

/* The HDF5 reader is a program of its own: a missing one is an I/O error naming its path, one
 * that crashes or writes garbage is a refusal of the file, and the caller goes on. */
static void
test_reader (void)
{
  g_autofree char *path = test_fixture_path ("keras", "narrow-vgg16-published.h5", NULL);
  g_autofree char *dir = g_dir_make_tmp ("test-keras-XXXXXX", NULL);
  g_autofree char *missing = g_build_filename (dir, "no-such-reader", NULL);
  g_autofree char *crashing = g_build_filename (dir, "crashing-reader", NULL);
  g_autofree char *babbling = g_build_filename (dir, "babbling-reader", NULL);
  VggLoadOptions options = { 0 };
  VggModel *model = NULL;
  VggError error = { 0 };

  options.h5_reader = missing;
  g_assert_cmpint (vgg_model_load_with_options (&model, path, &options, &error), ==,
                   VGG_STATUS_IO);
  g_test_message ("%s", error.message);
  g_assert_null (model);
  g_assert_nonnull (strstr (error.message, missing));

  g_assert_true (g_file_set_contents (crashing, "#!/bin/sh\nkill -SEGV $$\n", -1, NULL));
  g_assert_cmpint (g_chmod (crashing, 0700), ==, 0);
  options.h5_reader = crashing;
  g_assert_cmpint (vgg_model_load_with_options (&model, path, &options, &error), ==,
                   VGG_STATUS_FORMAT);
  g_test_message ("%s", error.message);
  g_assert_null (model);
  g_assert_nonnull (strstr (error.message, path));
  g_assert_nonnull (strstr (error.message, "crashed"));

  g_assert_true (g_file_set_contents (babbling, "#!/bin/sh\necho hello; exit 0\n", -1, NULL));
  g_assert_cmpint (g_chmod (babbling, 0700), ==, 0);
  options.h5_reader = babbling;
  g_assert_cmpint (vgg_model_load_with_options (&model, path, &options, &error), ==,
                   VGG_STATUS_FORMAT);
  g_test_message ("%s", error.message);
  g_assert_null (model);
  g_assert_nonnull (strstr (error.message, path));

  /* the real one still works afterwards */
  test_assert_ok (test_model_load (&model, path, &error), &error);
  vgg_model_free (model);

  g_unlink (crashing);
  g_unlink (babbling);
  g_rmdir (dir);
}

/* The display names of the real files: VGG16/VGG19 shapes are recognised. */
static void
test_names (void)
{
  VggTensorFile *file = vgg_converted_file_new (VGG_SOURCE_KERAS_H5);
  VggConfig config;
  VggError error = { 0 };

  test_assert_ok (vgg_config_for_name (&config, "vgg19", &error), &error);
  g_assert_true (vgg_converted_file_name_model (file, &config, "Keras"));
  g_assert_cmpstr (vgg_tensor_file_metadata (file, "vgg_scope.name"), ==, "VGG19 (Keras)");
  vgg_tensor_file_free (file);

  file = vgg_converted_file_new (VGG_SOURCE_KERAS_H5);
  test_assert_ok (vgg_config_for_name (&config, "vgg16", &error), &error);
  config.n_classes = 0;
  config.n_hidden_fc = 0;
  g_assert_true (vgg_converted_file_name_model (file, &config, "Keras"));
  g_assert_cmpstr (vgg_tensor_file_metadata (file, "vgg_scope.name"), ==,
                   "VGG16 notop (Keras)");
  vgg_tensor_file_free (file);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_data_func ("/keras/published", "narrow-vgg16-published.h5", check_layout);
  g_test_add_data_func ("/keras/userblock", "narrow-vgg16-userblock.h5", check_layout);
  g_test_add_data_func ("/keras/keras2", "narrow-vgg16-keras2.h5", check_layout);
  g_test_add_data_func ("/keras/keras2-model", "narrow-vgg16-keras2-model.h5", check_layout);
  g_test_add_data_func ("/keras/keras3", "narrow-vgg16-keras3.weights.h5", check_layout);
  g_test_add_func ("/keras/notop", test_notop);
  g_test_add_func ("/keras/bad-shape", test_bad_shape);
  g_test_add_func ("/keras/bad-missing", test_bad_missing);
  g_test_add_func ("/keras/bad-layer", test_bad_layer);
  g_test_add_func ("/keras/bad-type", test_bad_type);
  g_test_add_func ("/keras/damaged", test_damaged);
  g_test_add_func ("/keras/memory-cap", test_memory_cap);
  g_test_add_func ("/keras/truncated", test_truncated);
  g_test_add_func ("/keras/names", test_names);
  g_test_add_func ("/keras/reader", test_reader);

  return g_test_run ();
}
