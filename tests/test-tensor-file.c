/* test-tensor-file.c — format detection and the tensors every container yields
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The fixtures in tests/fixtures/formats/ hold one small state dict as a zip .pth, a legacy
 * .pth (as torch 1.13 and as torch 0.3 under Python 2 wrote it), a safetensors file and a
 * training checkpoint; expected.json (tools/gen-format-fixtures.py) lists what torch sees.
 */
#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>

#include "tensor-file.h"
#include "test-engine-util.h"

static void
assert_fails (const char *path,
              VggStatus   expected)
{
  test_assert_open_fails (vgg_tensor_file_open, path, NULL, expected, NULL);
}

/* ---------------------------------------------------------------------------------------------
 * Reading elements of any dtype
 */

static double
half_to_double (uint16_t h)
{
  int exponent = (h >> 10) & 0x1f, mantissa = h & 0x3ff;
  double value;

  if (exponent == 0)
    value = ldexp (mantissa, -24);
  else if (exponent == 31)
    value = mantissa ? NAN : INFINITY;
  else
    value = ldexp (mantissa + 1024, exponent - 25);
  return (h & 0x8000) ? -value : value;
}

static double
element (const VggTensor *tensor,
         size_t           i)
{
  const unsigned char *bytes = tensor->data;

  switch (tensor->dtype)
    {
    case VGG_DTYPE_F32: return ((const float *) bytes)[i];
    case VGG_DTYPE_F64: return ((const double *) bytes)[i];
    case VGG_DTYPE_F16: return half_to_double (((const uint16_t *) bytes)[i]);
    case VGG_DTYPE_BF16:
      {
        uint32_t bits = (uint32_t) ((const uint16_t *) bytes)[i] << 16;
        float value;
        memcpy (&value, &bits, sizeof value);
        return value;
      }
    case VGG_DTYPE_I64: return (double) ((const int64_t *) bytes)[i];
    case VGG_DTYPE_I32: return ((const int32_t *) bytes)[i];
    case VGG_DTYPE_I16: return ((const int16_t *) bytes)[i];
    case VGG_DTYPE_I8: return ((const int8_t *) bytes)[i];
    case VGG_DTYPE_U8: return bytes[i];
    case VGG_DTYPE_BOOL: return bytes[i] != 0;
    case VGG_DTYPE_N_DTYPES: break;
    }
  g_assert_not_reached ();
}

/* ---------------------------------------------------------------------------------------------
 * The fixtures against expected.json
 */

static JsonNode *
load_expected (void)
{
  g_autofree char *path = test_fixture_path ("formats", "expected.json", NULL);
  g_autofree char *text = NULL;
  GError *error = NULL;
  JsonNode *root;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  root = json_from_string (text, &error);
  g_assert_no_error (error);
  return root;
}

static void
assert_matches_expected (const VggTensorFile *file,
                         const char          *path)
{
  JsonNode *root = load_expected ();
  JsonArray *tensors = json_object_get_array_member (json_node_get_object (root), "tensors");

  g_assert_cmpuint (file->n_tensors, ==, json_array_get_length (tensors));
  for (guint i = 0; i < json_array_get_length (tensors); i++)
    {
      JsonObject *want = json_array_get_object_element (tensors, i);
      const VggTensor *tensor = &file->tensors[i];
      JsonArray *shape = json_object_get_array_member (want, "shape");
      JsonArray *values = json_object_get_array_member (want, "values");
      double sum = 0.0, want_sum = json_object_get_double_member (want, "sum");

      g_assert_cmpstr (tensor->name, ==, json_object_get_string_member (want, "name"));
      g_assert_true (vgg_tensor_file_find (file, tensor->name) == tensor);
      g_assert_cmpstr (vgg_dtype_name (tensor->dtype), ==,
                       json_object_get_string_member (want, "dtype"));
      g_assert_cmpint (tensor->ndim, ==, (int) json_array_get_length (shape));
      for (int d = 0; d < tensor->ndim; d++)
        g_assert_cmpint (tensor->shape[d], ==, json_array_get_int_element (shape, (guint) d));
      g_assert_cmpint (tensor->count, ==, json_object_get_int_member (want, "count"));
      g_assert_nonnull (tensor->data);
      /* Usable in place: aligned for its element type. */
      g_assert_cmpuint ((uintptr_t) tensor->data % vgg_dtype_size (tensor->dtype), ==, 0);

      for (guint k = 0; k < json_array_get_length (values); k++)
        g_assert_cmpfloat (element (tensor, k), ==, json_array_get_double_element (values, k));
      for (int64_t k = 0; k < tensor->count; k++)
        sum += element (tensor, (size_t) k);
      g_assert_cmpfloat_with_epsilon (sum, want_sum, 1e-6 * (1.0 + fabs (want_sum)));
    }
  g_assert_null (vgg_tensor_file_find (file, "features.0"));
  g_assert_null (vgg_tensor_file_find (file, ""));
  json_node_unref (root);
}

static VggTensorFile *
open_fixture (const char *name,
              VggSource   source)
{
  g_autofree char *path = test_fixture_path ("formats", name, NULL);
  VggTensorFile *file = NULL;
  VggError error = { 0 };

  test_assert_ok (vgg_tensor_file_open (&file, path, &error), &error);
  g_assert_nonnull (file);
  g_assert_cmpint (file->source, ==, source);
  assert_matches_expected (file, path);
  return file;
}

static void
test_tiny_zip (void)
{
  VggTensorFile *file = open_fixture ("tiny.pth", VGG_SOURCE_PTH_ZIP);

  /* torch ≥ 1.6 aligns storages to 64 bytes: every tensor is used in place. */
  for (size_t i = 0; i < file->n_tensors; i++)
    if (file->tensors[i].count > 0)
      {
        const char *data = file->tensors[i].data, *map = file->map;
        g_assert_true (data >= map && data < map + file->map_size);
      }
  g_assert_cmpuint (file->n_owned_blocks, ==, 0);
  g_assert_cmpuint (file->n_metadata, ==, 0);
  g_assert_null (vgg_tensor_file_metadata (file, "format"));
  vgg_tensor_file_free (file);
}

static void
test_tiny_legacy (void)
{
  vgg_tensor_file_free (open_fixture ("tiny-legacy.pth", VGG_SOURCE_PTH_LEGACY));
}

static void
test_tiny_legacy_old (void)
{
  vgg_tensor_file_free (open_fixture ("tiny-legacy-old.pth", VGG_SOURCE_PTH_LEGACY));
}

static void
test_tiny_protocol4 (void)
{
  vgg_tensor_file_free (open_fixture ("tiny-proto4.pth", VGG_SOURCE_PTH_ZIP));
  vgg_tensor_file_free (open_fixture ("tiny-legacy-proto4.pth", VGG_SOURCE_PTH_LEGACY));
}

static void
test_tiny_checkpoint (void)
{
  vgg_tensor_file_free (open_fixture ("tiny-checkpoint.pth", VGG_SOURCE_PTH_ZIP));
}

static void
test_tiny_safetensors (void)
{
  VggTensorFile *file = open_fixture ("tiny.safetensors", VGG_SOURCE_SAFETENSORS);
  JsonNode *root = load_expected ();
  JsonObject *metadata = json_object_get_object_member (json_node_get_object (root), "metadata");
  g_autoptr (GList) keys = json_object_get_members (metadata);

  g_assert_cmpuint (file->n_metadata, ==, g_list_length (keys));
  for (GList *l = keys; l != NULL; l = l->next)
    g_assert_cmpstr (vgg_tensor_file_metadata (file, l->data), ==,
                     json_object_get_string_member (metadata, l->data));
  g_assert_cmpstr (vgg_tensor_file_metadata (file, "vgg_scope.name"), ==, "Tiny test net");
  g_assert_null (vgg_tensor_file_metadata (file, "vgg_scope.preset"));
  json_node_unref (root);
  vgg_tensor_file_free (file);
}

/* ---------------------------------------------------------------------------------------------
 * Detection
 */

static void
test_dtypes (void)
{
  static const struct { VggDtype dtype; size_t size; const char *name; } table[] = {
    { VGG_DTYPE_F32, 4, "F32" }, { VGG_DTYPE_F16, 2, "F16" }, { VGG_DTYPE_BF16, 2, "BF16" },
    { VGG_DTYPE_F64, 8, "F64" }, { VGG_DTYPE_I64, 8, "I64" }, { VGG_DTYPE_I32, 4, "I32" },
    { VGG_DTYPE_I16, 2, "I16" }, { VGG_DTYPE_I8, 1, "I8" }, { VGG_DTYPE_U8, 1, "U8" },
    { VGG_DTYPE_BOOL, 1, "BOOL" },
  };

  G_STATIC_ASSERT (G_N_ELEMENTS (table) == VGG_DTYPE_N_DTYPES);
  for (size_t i = 0; i < G_N_ELEMENTS (table); i++)
    {
      g_assert_cmpuint (vgg_dtype_size (table[i].dtype), ==, table[i].size);
      g_assert_cmpstr (vgg_dtype_name (table[i].dtype), ==, table[i].name);
    }
  g_assert_cmpuint (vgg_dtype_size (VGG_DTYPE_N_DTYPES), ==, 0);
}

static void
test_missing (TestTempDir   *tmp,
              gconstpointer  data)
{
  g_autofree char *path = g_build_filename (tmp->dir, "no-such-file.pth", NULL);
  VggTensorFile *file = NULL;
  VggError error = { 0 };

  assert_fails (path, VGG_STATUS_IO);
  vgg_tensor_file_open (&file, path, &error);
  g_assert_nonnull (strstr (error.message, "no such file"));
}

static void
test_directory (TestTempDir   *tmp,
                gconstpointer  data)
{
  assert_fails (tmp->dir, VGG_STATUS_IO);
}

/* A named pipe would block open() until a writer comes: refused at once, for the weight
 * loaders, the picture loader and the .npy reader alike. */
static void
test_fifo (TestTempDir   *tmp,
           gconstpointer  data)
{
  static const char *const names[] = { "weights.pth", "weights.h5", "weights.onnx",
                                        "weights.safetensors" };
  g_autofree char *picture = g_build_filename (tmp->dir, "picture.png", NULL);
  g_autofree char *tensor = g_build_filename (tmp->dir, "tensor.npy", NULL);
  VggModel *model = NULL;
  VggImage image = { 0 };
  VggNpy npy = { 0 };
  VggError error = { 0 };

  for (size_t i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (tmp->dir, names[i], NULL);

      g_assert_cmpint (mkfifo (path, 0600), ==, 0);
      assert_fails (path, VGG_STATUS_IO);
      g_assert_cmpint (vgg_model_load (&model, path, &error), ==, VGG_STATUS_IO);
      g_assert_nonnull (strstr (error.message, "not a regular file but a named pipe (FIFO)"));
      g_assert_nonnull (strstr (error.message, names[i]));
    }
  g_assert_cmpint (mkfifo (picture, 0600), ==, 0);
  g_assert_cmpint (vgg_image_load (&image, picture, &error), ==, VGG_STATUS_IO);
  g_assert_nonnull (strstr (error.message, "picture.png: not a regular file"));
  g_assert_cmpint (mkfifo (tensor, 0600), ==, 0);
  g_assert_cmpint (vgg_npy_load (&npy, tensor, &error), ==, VGG_STATUS_IO);
  g_assert_nonnull (strstr (error.message, "tensor.npy: not a regular file"));
}

static void
test_empty (TestTempDir   *tmp,
            gconstpointer  data)
{
  g_autofree char *path = test_temp_dir_write (tmp, "empty.safetensors", "", 0);
  VggTensorFile *file = NULL;
  VggError error = { 0 };

  assert_fails (path, VGG_STATUS_FORMAT);
  vgg_tensor_file_open (&file, path, &error);
  g_assert_nonnull (strstr (error.message, "empty"));

  /* The loaders say the same when called directly. */
  g_assert_cmpint (vgg_safetensors_open (&file, path, &error), ==, VGG_STATUS_FORMAT);
  g_assert_nonnull (strstr (error.message, "empty"));
  g_assert_cmpint (vgg_pth_open (&file, path, &error), ==, VGG_STATUS_FORMAT);
  g_assert_nonnull (strstr (error.message, "empty"));
}

static void
test_not_weights (TestTempDir   *tmp,
                  gconstpointer  data)
{
  static const struct { const char *name; const char *bytes; gssize size; } files[] = {
    { "text.txt", "hello, this is not a weight file\n", -1 },
    { "short.bin", "PK", 2 },
    { "eight.bin", "\x02\0\0\0\0\0\0\0", 8 },
    { "json.json", "{\"a\": 1}", -1 },
    { "pickle-v4.pkl", "\x80\x04\x95\x05\0\0\0\0\0\0\0N.", 13 },
    { "eocd-only.zip", "PK\x05\x06\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 22 },
  };

  for (size_t i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = test_temp_dir_write (tmp, files[i].name, files[i].bytes,
                                                   files[i].size);
      VggTensorFile *file = NULL;
      VggError error = { 0 };

      assert_fails (path, VGG_STATUS_FORMAT);
      vgg_tensor_file_open (&file, path, &error);
      g_assert_nonnull (strstr (error.message, "not a weight file VGG Scope knows"));
    }
}

static void
test_null_safe (void)
{
  vgg_tensor_file_free (NULL);
  g_assert_null (vgg_tensor_file_find (NULL, "a"));
  g_assert_null (vgg_tensor_file_metadata (NULL, "a"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/tensor-file/dtypes", test_dtypes);
  g_test_add_func ("/tensor-file/null-safe", test_null_safe);
  g_test_add ("/tensor-file/missing", TestTempDir, NULL, test_temp_dir_setup, test_missing,
              test_temp_dir_teardown);
  g_test_add ("/tensor-file/fifo", TestTempDir, NULL, test_temp_dir_setup, test_fifo,
              test_temp_dir_teardown);
  g_test_add ("/tensor-file/directory", TestTempDir, NULL, test_temp_dir_setup, test_directory,
              test_temp_dir_teardown);
  g_test_add ("/tensor-file/empty", TestTempDir, NULL, test_temp_dir_setup, test_empty,
              test_temp_dir_teardown);
  g_test_add ("/tensor-file/not-weights", TestTempDir, NULL, test_temp_dir_setup, test_not_weights,
              test_temp_dir_teardown);
  g_test_add_func ("/tensor-file/tiny/pth-zip", test_tiny_zip);
  g_test_add_func ("/tensor-file/tiny/pth-legacy", test_tiny_legacy);
  g_test_add_func ("/tensor-file/tiny/pth-legacy-torch03", test_tiny_legacy_old);
  g_test_add_func ("/tensor-file/tiny/pth-protocol4", test_tiny_protocol4);
  g_test_add_func ("/tensor-file/tiny/pth-checkpoint", test_tiny_checkpoint);
  g_test_add_func ("/tensor-file/tiny/safetensors", test_tiny_safetensors);

  return g_test_run ();
}
