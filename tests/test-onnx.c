/* test-onnx.c — ONNX VGG graphs against torchvision, layer by layer
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fixtures: tools/gen-onnx-fixtures.py (torch.onnx.export of the reference networks, and
 * graphs built node by node in the model zoo's layout). Each loads as the torchvision
 * network it came from: the same tensors, and every layer's output within 1e-4 of that
 * layer's max |value| of torchvision's.
 */
#include "config.h"

#include "tensor-file.h"
#include "test-engine-util.h"

#include <glib/gstdio.h>
#include <string.h>

#define TOLERANCE 1e-4

typedef struct
{
  const char *onnx_file;
  const char *reference;       /* NAME: fixtures NAME-input.npy, NAME-outputs.safetensors */
  const char *reference_dir;   /* "reference" or "onnx" */
  const char *weights;         /* the torchvision-layout weights, or NULL */
  gboolean    batch_norm;
  int         input_size;
  gboolean    exact_tensors;   /* the converted tensors equal the weights' bit for bit */
} LayoutCase;

/* Runs @model on the fixture input and compares every layer with torchvision's outputs. */
static void
compare_with_torchvision (const VggModel *model,
                          const char     *reference_dir,
                          const char     *reference)
{
  g_autofree char *input_name = g_strdup_printf ("%s-input.npy", reference);
  g_autofree char *outputs_name = g_strdup_printf ("%s-outputs.safetensors", reference);
  g_autofree char *input_path = test_fixture_path (reference_dir, input_name, NULL);
  g_autofree char *outputs_path = test_fixture_path (reference_dir, outputs_name, NULL);
  VggTensorFile *outputs = NULL;
  VggNpy input = { 0 };
  VggError error = { 0 };
  TestComparison comparison = { .tolerance = TOLERANCE };

  test_assert_ok (vgg_tensor_file_open (&outputs, outputs_path, &error), &error);
  test_assert_ok (vgg_npy_load (&input, input_path, &error), &error);
  comparison.reference = outputs;
  test_compare_with_reference (&comparison, model, &input);

  vgg_npy_clear (&input);
  vgg_tensor_file_free (outputs);
}

/* The converted tensors against the torchvision state dict they were exported from. */
static void
compare_tensors (const VggTensorFile *converted,
                 const char          *weights,
                 gboolean             exact)
{
  g_autofree char *path = test_fixture_path ("reference", weights, NULL);
  VggTensorFile *reference = NULL;
  VggError error = { 0 };
  size_t n_compared = 0;

  test_assert_ok (vgg_tensor_file_open (&reference, path, &error), &error);
  for (size_t i = 0; i < reference->n_tensors; i++)
    {
      const VggTensor *want = &reference->tensors[i];
      const VggTensor *got;

      if (want->dtype != VGG_DTYPE_F32)
        continue;   /* num_batches_tracked */
      got = vgg_tensor_file_find (converted, want->name);
      if (got == NULL)
        g_error ("tensor '%s' is missing", want->name);
      g_assert_cmpint (got->ndim, ==, want->ndim);
      for (int d = 0; d < want->ndim; d++)
        g_assert_cmpint (got->shape[d], ==, want->shape[d]);
      if (exact)
        g_assert_true (memcmp (got->data, want->data, (size_t) want->count * 4) == 0);
      else
        g_assert_cmpfloat (test_max_abs_diff (got->data, want->data, (size_t) want->count), <=,
                           1e-6 * MAX (1.0, test_max_abs (want->data, (size_t) want->count)));
      n_compared++;
    }
  g_assert_cmpuint (n_compared, ==, converted->n_tensors);
  vgg_tensor_file_free (reference);
}

static void
check_layout (gconstpointer data)
{
  const LayoutCase *c = data;
  g_autofree char *path = test_fixture_path ("onnx", c->onnx_file, NULL);
  VggTensorFile *converted = NULL;
  VggModel *model = NULL;
  VggError error = { 0 };
  const VggConfig *config;

  test_assert_ok (vgg_tensor_file_open (&converted, path, &error), &error);
  g_assert_cmpint (converted->source, ==, VGG_SOURCE_ONNX);
  g_assert_cmpstr (vgg_tensor_file_metadata (converted, "vgg_scope.trained"), ==, "true");
  if (c->weights != NULL)
    compare_tensors (converted, c->weights, c->exact_tensors);
  vgg_tensor_file_free (converted);

  test_assert_ok (test_model_load (&model, path, &error), &error);
  g_assert_cmpint (vgg_model_source (model), ==, VGG_SOURCE_ONNX);
  g_assert_cmpstr (vgg_source_name (VGG_SOURCE_ONNX), ==, "ONNX");
  config = vgg_model_config (model);
  g_assert_cmpint (config->n_blocks, ==, 5);
  g_assert_cmpint (config->batch_norm, ==, c->batch_norm);
  g_assert_cmpint (config->input_channels, ==, 3);
  g_assert_cmpint (config->input_height, ==, c->input_size);
  g_assert_cmpint (config->n_hidden_fc, ==, 2);
  g_assert_cmpint (config->hidden_fc_widths[0], ==, 24);
  g_assert_cmpint (config->n_classes, ==, 10);
  /* not 224×224: the engine's default for other sizes */
  g_assert_cmpint (vgg_model_preset (model), ==, VGG_PRESET_PLAIN);
  compare_with_torchvision (model, c->reference_dir, c->reference);
  vgg_model_free (model);
}

static const LayoutCase torch_export = {
  "narrow-vgg16-torch.onnx", "narrow-vgg16", "reference", "narrow-vgg16.safetensors", FALSE,
  64, TRUE
};
static const LayoutCase torch_export_bn = {
  "narrow-vgg11-bn-torch.onnx", "narrow-vgg11-bn", "reference", "narrow-vgg11-bn.safetensors",
  TRUE, 64, FALSE
};
static const LayoutCase torch_export_folded = {
  "narrow-vgg11-bn-folded.onnx", "narrow-vgg11-bn", "reference", NULL, FALSE, 64, FALSE
};
static const LayoutCase torch_export_gap = {
  "narrow-vgg11-gap.onnx", "narrow-vgg11-gap", "onnx", NULL, FALSE, 32, FALSE
};
static const LayoutCase torch_export_shared = {
  "narrow-vgg11-gap-shared.onnx", "narrow-vgg11-gap-shared", "onnx", NULL, FALSE, 32, FALSE
};
static const LayoutCase zoo = {
  "narrow-vgg16-zoo.onnx", "narrow-vgg16", "reference", "narrow-vgg16.safetensors", FALSE, 64,
  TRUE
};
static const LayoutCase zoo_bn = {
  "narrow-vgg11-bn-zoo.onnx", "narrow-vgg11-bn", "reference", "narrow-vgg11-bn.safetensors",
  TRUE, 64, FALSE
};
static const LayoutCase zoo_matmul = {
  "narrow-vgg11-gap-matmul.onnx", "narrow-vgg11-gap", "onnx", NULL, FALSE, 32, FALSE
};

static void
test_notop (void)
{
  g_autofree char *path = test_fixture_path ("onnx", "narrow-vgg16-notop.onnx", NULL);
  g_autofree char *outputs_path = test_fixture_path ("reference",
                                                     "narrow-vgg16-outputs.safetensors", NULL);
  g_autofree char *input_path = test_fixture_path ("reference", "narrow-vgg16-input.npy", NULL);
  VggTensorFile *outputs = NULL;
  TestComparison comparison = { .tolerance = TOLERANCE };
  VggModel *model = NULL;
  VggNpy input = { 0 };
  VggError error = { 0 };
  VggRun *run = NULL;

  /* the graph's input says 64×64: the feature maps are comparable with torchvision's */
  test_assert_ok (test_model_load (&model, path, &error), &error);
  g_assert_cmpint (vgg_model_n_classes (model), ==, 0);
  g_assert_cmpint (vgg_model_config (model)->input_height, ==, 64);
  test_assert_ok (vgg_tensor_file_open (&outputs, outputs_path, &error), &error);
  test_assert_ok (vgg_npy_load (&input, input_path, &error), &error);
  test_assert_ok (vgg_run_new (&run, model, 2, &error), &error);
  comparison.reference = outputs;
  vgg_run_set_hook (run, test_compare_layer, &comparison);
  vgg_run_watch (run, -1, VGG_STAGE_PRE_ACTIVATION | VGG_STAGE_OUTPUT);
  test_assert_ok (vgg_run_forward (run, input.data, &error), &error);
  g_assert_cmpint (comparison.compared, ==, 13 * 2 + 5);
  g_assert_null (vgg_run_probs (run));

  vgg_run_free (run);
  vgg_npy_clear (&input);
  vgg_tensor_file_free (outputs);
  vgg_model_free (model);
}

static void
test_bad_op (void)
{
  test_assert_load_refused ("onnx", "bad-op.onnx", VGG_STATUS_UNSUPPORTED,
                            "node 'vgg0_relu2_fwd' (Sigmoid)", "not part of a VGG");
}

static void
test_bad_branch (void)
{
  test_assert_load_refused ("onnx", "bad-branch.onnx", VGG_STATUS_UNSUPPORTED,
                            "node 'vgg0_conv1_fwd' (Conv)", "not a VGG chain");
}

static void
test_bad_gap (void)
{
  test_assert_load_refused ("onnx", "bad-gap.onnx", VGG_STATUS_UNSUPPORTED, "(GlobalAveragePool)",
                            "2×2");
}

static void
test_bad_external (void)
{
  test_assert_load_refused ("onnx", "bad-external.onnx", VGG_STATUS_UNSUPPORTED,
                            "vgg0_conv0_weight", "external data");
}

static char *
temp_file (const char *name,
           const void *contents,
           gsize       length)
{
  g_autofree char *dir = g_dir_make_tmp ("test-onnx-XXXXXX", NULL);
  char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, contents, (gssize) length, NULL));
  return path;
}

static void
remove_temp_file (char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);

  g_unlink (path);
  g_rmdir (dir);
  g_free (path);
}

/* Prefixes of a valid file are refused without a crash. */
static void
test_truncated (void)
{
  g_autofree char *path = test_fixture_path ("onnx", "narrow-vgg16-zoo.onnx", NULL);
  g_autofree char *contents = NULL;
  static const double fractions[] = { 0.0005, 0.01, 0.1, 0.5, 0.9, 0.9999 };
  gsize length;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  for (size_t i = 0; i < G_N_ELEMENTS (fractions); i++)
    {
      char *cut_path = temp_file ("cut.onnx", contents, (gsize) (length * fractions[i]));
      VggModel *model = NULL;
      VggError error = { 0 };

      g_assert_cmpint (test_model_load (&model, cut_path, &error), ==, VGG_STATUS_FORMAT);
      g_test_message ("%.4f: %s", fractions[i], error.message);
      g_assert_nonnull (strstr (error.message, cut_path));
      g_assert_nonnull (strstr (error.message, "not a valid ONNX file"));
      remove_temp_file (cut_path);
    }
}

static void
append_varint (GByteArray *bytes,
               uint64_t    value)
{
  do
    {
      guint8 byte = (guint8) (value & 0x7f);

      value >>= 7;
      if (value != 0)
        byte |= 0x80;
      g_byte_array_append (bytes, &byte, 1);
    }
  while (value != 0);
}

/* field @number (length-delimited) holding @inner */
static GByteArray *
wrap (GByteArray *inner,
      unsigned    number)
{
  GByteArray *outer = g_byte_array_new ();

  append_varint (outer, (uint64_t) number << 3 | 2);
  append_varint (outer, inner->len);
  g_byte_array_append (outer, inner->data, inner->len);
  g_byte_array_unref (inner);
  return outer;
}

/* A graph whose node's attribute holds a graph whose node's attribute holds … 20,000 deep:
 * protobuf-c would recurse without bound; the loader refuses it before decoding. */
static void
test_deep_nesting (void)
{
  GByteArray *graph = g_byte_array_new ();
  GByteArray *model = g_byte_array_new ();
  VggModel *loaded = NULL;
  VggError error = { 0 };
  char *path;

  for (int depth = 0; depth < 20000; depth++)
    graph = wrap (wrap (wrap (graph, 6 /* AttributeProto.g */), 5 /* NodeProto.attribute */),
                  1 /* GraphProto.node */);
  append_varint (model, 1 << 3);   /* ir_version = 7 */
  append_varint (model, 7);
  graph = wrap (graph, 7);         /* ModelProto.graph */
  g_byte_array_append (model, graph->data, graph->len);
  g_byte_array_unref (graph);

  path = temp_file ("deep.onnx", model->data, model->len);
  g_assert_cmpint (test_model_load (&loaded, path, &error), ==, VGG_STATUS_FORMAT);
  g_test_message ("%s", error.message);
  g_assert_nonnull (strstr (error.message, "nested"));
  remove_temp_file (path);
  g_byte_array_unref (model);
}

/* Not ONNX: a protobuf-looking start without a graph field is not taken for one. */
static void
test_not_onnx (void)
{
  static const guint8 bytes[] = { 0x08, 0x07, 0x12, 0x03, 'a', 'b', 'c', 0x28, 0x01, 0x50 };
  char *path = temp_file ("x.onnx", bytes, sizeof bytes);
  VggModel *model = NULL;
  VggError error = { 0 };

  g_assert_cmpint (test_model_load (&model, path, &error), ==, VGG_STATUS_FORMAT);
  g_assert_nonnull (strstr (error.message, "not a weight file"));
  remove_temp_file (path);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_data_func ("/onnx/torch-export", &torch_export, check_layout);
  g_test_add_data_func ("/onnx/torch-export-bn", &torch_export_bn, check_layout);
  g_test_add_data_func ("/onnx/torch-export-folded", &torch_export_folded, check_layout);
  g_test_add_data_func ("/onnx/torch-export-gap", &torch_export_gap, check_layout);
  g_test_add_data_func ("/onnx/torch-export-shared", &torch_export_shared, check_layout);
  g_test_add_data_func ("/onnx/zoo", &zoo, check_layout);
  g_test_add_data_func ("/onnx/zoo-bn", &zoo_bn, check_layout);
  g_test_add_data_func ("/onnx/zoo-matmul", &zoo_matmul, check_layout);
  g_test_add_func ("/onnx/notop", test_notop);
  g_test_add_func ("/onnx/bad-op", test_bad_op);
  g_test_add_func ("/onnx/bad-branch", test_bad_branch);
  g_test_add_func ("/onnx/bad-gap", test_bad_gap);
  g_test_add_func ("/onnx/bad-external", test_bad_external);
  g_test_add_func ("/onnx/truncated", test_truncated);
  g_test_add_func ("/onnx/deep-nesting", test_deep_nesting);
  g_test_add_func ("/onnx/not-onnx", test_not_onnx);

  return g_test_run ();
}
