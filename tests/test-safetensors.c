/* test-safetensors.c — the safetensors loader on good, bad and hostile files
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every file here is written at test time into a temporary folder: an 8-byte length, a JSON
 * header and a data buffer, each deliberately wrong in one way.
 */
#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "tensor-file.h"
#include "test-engine-util.h"

static char *
write_bytes (TestTempDir  *tmp,
             const guint8 *bytes,
             gsize         size)
{
  g_autofree char *name = g_strdup_printf ("file-%03d.safetensors", tmp->serial++);

  return test_temp_dir_write (tmp, name, bytes, (gssize) size);
}

/* A safetensors file: @header_length (G_MAXUINT64: the real length), @header, @data. */
static char *
write_raw (TestTempDir  *tmp,
           guint64       header_length,
           const char   *header,
           const guint8 *data,
           gsize         data_size)
{
  GByteArray *bytes = g_byte_array_new ();
  guint8 length[8];
  char *path;

  if (header_length == G_MAXUINT64)
    header_length = strlen (header);
  for (int i = 0; i < 8; i++)
    length[i] = (guint8) (header_length >> (8 * i));
  g_byte_array_append (bytes, length, 8);
  g_byte_array_append (bytes, (const guint8 *) header, (guint) strlen (header));
  if (data_size > 0)
    g_byte_array_append (bytes, data, (guint) data_size);
  path = write_bytes (tmp, bytes->data, bytes->len);
  g_byte_array_unref (bytes);
  return path;
}

/* A file whose header is @header and whose buffer holds @data_size bytes 0, 1, 2, … */
static char *
write_file (TestTempDir *tmp,
            const char  *header,
            gsize        data_size)
{
  g_autofree guint8 *data = g_malloc0 (data_size + 1);

  for (gsize i = 0; i < data_size; i++)
    data[i] = (guint8) i;
  return write_raw (tmp, G_MAXUINT64, header, data, data_size);
}

/* @context (the header, or NULL) is shown, shortened, if the check fails. */
static void
assert_open_fails_with (const char *path,
                        const char *context,
                        VggStatus   expected,
                        const char *fragment)
{
  g_autofree char *shown = g_strescape (context != NULL ? context : "", NULL);

  if (strlen (shown) > 200)
    strcpy (shown + 190, "...");
  test_assert_open_fails (vgg_safetensors_open, path, shown, expected, fragment);
}

static void
assert_open_fails (const char *path,
                   VggStatus   expected,
                   const char *fragment)
{
  assert_open_fails_with (path, NULL, expected, fragment);
}

static void
assert_fails (TestTempDir *tmp,
              const char  *header,
              gsize        data_size,
              VggStatus    expected,
              const char  *fragment)
{
  g_autofree char *path = write_file (tmp, header, data_size);

  assert_open_fails_with (path, header, expected, fragment);
}

static VggTensorFile *
open_ok (const char *path)
{
  VggTensorFile *file = NULL;
  VggError error = { 0 };

  test_assert_ok (vgg_safetensors_open (&file, path, &error), &error);
  g_assert_nonnull (file);
  g_assert_cmpint (file->source, ==, VGG_SOURCE_SAFETENSORS);
  return file;
}

/* ---------------------------------------------------------------------------------------------
 * Good files
 */

static void
test_small (TestTempDir   *tmp,
            gconstpointer  data)
{
  static const float values[] = { 1.5f, -2.0f, 0.25f, 8.0f, 3.0f, -0.5f };
  const char *header = "{\"b\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[8,24]},"
                       "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}          ";
  g_autofree char *path = write_raw (tmp, G_MAXUINT64, header, (const guint8 *) values,
                                     sizeof values);
  VggTensorFile *file = open_ok (path);
  const VggTensor *a, *b;

  /* The header above is 120 bytes: the data starts at 128, aligned, and is used in place. */
  g_assert_cmpuint (strlen (header), ==, 120);
  g_assert_cmpuint (file->n_tensors, ==, 2);
  g_assert_cmpstr (file->tensors[0].name, ==, "b");
  g_assert_cmpstr (file->tensors[1].name, ==, "a");
  a = vgg_tensor_file_find (file, "a");
  b = vgg_tensor_file_find (file, "b");
  g_assert_nonnull (a);
  g_assert_nonnull (b);
  g_assert_cmpint (a->ndim, ==, 1);
  g_assert_cmpint (a->count, ==, 2);
  g_assert_cmpint (b->ndim, ==, 2);
  g_assert_cmpint (b->count, ==, 4);
  g_assert_cmpfloat (((const float *) a->data)[1], ==, -2.0f);
  g_assert_cmpfloat (((const float *) b->data)[3], ==, -0.5f);
  g_assert_true ((const char *) a->data == (const char *) file->map + 128);
  g_assert_cmpuint (file->n_owned_blocks, ==, 0);
  g_assert_cmpuint (file->n_metadata, ==, 0);
  vgg_tensor_file_free (file);
}

static void
test_unaligned (TestTempDir   *tmp,
                gconstpointer  data)
{
  static const double values[] = { 0.125, -7.5 };
  /* A 30-byte header puts the data at byte 38: not 8-byte aligned, so it is copied. */
  const char *header = "{\"x\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,16]}}";
  g_autofree char *padded = g_strdup_printf ("%s%*s", header, (int) (62 - strlen (header)), "");
  g_autofree char *path = write_raw (tmp, G_MAXUINT64, padded, (const guint8 *) values,
                                     sizeof values);
  VggTensorFile *file = open_ok (path);
  const VggTensor *x = vgg_tensor_file_find (file, "x");

  g_assert_cmpuint ((8 + strlen (padded)) % 8, !=, 0);
  g_assert_nonnull (x);
  g_assert_cmpuint ((uintptr_t) x->data % 8, ==, 0);
  g_assert_cmpuint (file->n_owned_blocks, ==, 1);
  g_assert_cmpfloat (((const double *) x->data)[0], ==, 0.125);
  g_assert_cmpfloat (((const double *) x->data)[1], ==, -7.5);
  vgg_tensor_file_free (file);
}

static void
test_metadata (TestTempDir   *tmp,
               gconstpointer  data)
{
  const char *header =
    "{ \"__metadata__\" : { \"vgg_scope.name\" : \"VGG \\\"mini\\\"\","
    " \"vgg_scope.classes\": \"cat\\ndog\\u00e9\\ud83d\\ude00\\/\\t\\b\\f\\r\\\\\" },\n"
    "  \"w\" : { \"data_offsets\" : [ 0 , 4 ], \"shape\" : [ ], \"dtype\" : \"I32\" } }";
  g_autofree char *path = write_file (tmp, header, 4);
  VggTensorFile *file = open_ok (path);

  g_assert_cmpuint (file->n_metadata, ==, 2);
  g_assert_cmpstr (vgg_tensor_file_metadata (file, "vgg_scope.name"), ==, "VGG \"mini\"");
  g_assert_cmpstr (vgg_tensor_file_metadata (file, "vgg_scope.classes"), ==,
                   "cat\ndog\xc3\xa9\xf0\x9f\x98\x80/\t\b\f\r\\");
  g_assert_null (vgg_tensor_file_metadata (file, "missing"));
  g_assert_cmpuint (file->n_tensors, ==, 1);
  g_assert_cmpint (file->tensors[0].ndim, ==, 0);
  g_assert_cmpint (file->tensors[0].count, ==, 1);
  g_assert_cmpint (*(const int32_t *) file->tensors[0].data, ==, 0x03020100);
  vgg_tensor_file_free (file);
}

static void
test_names (TestTempDir   *tmp,
            gconstpointer  data)
{
  const char *header =
    "{\"caf\\u00e9.w\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]},"
    "\"caf\xc3\xa9.w\\u0021\":{\"dtype\":\"BOOL\",\"shape\":[1],\"data_offsets\":[1,2]},"
    "\"\":{\"dtype\":\"I8\",\"shape\":[1],\"data_offsets\":[2,3]}}";
  g_autofree char *path = write_file (tmp, header, 3);
  VggTensorFile *file = open_ok (path);

  g_assert_nonnull (vgg_tensor_file_find (file, "caf\xc3\xa9.w"));
  g_assert_nonnull (vgg_tensor_file_find (file, "caf\xc3\xa9.w!"));
  g_assert_nonnull (vgg_tensor_file_find (file, ""));
  vgg_tensor_file_free (file);
}

static void
test_empty_header (TestTempDir   *tmp,
                   gconstpointer  data)
{
  g_autofree char *path = write_file (tmp, "{}      ", 0);
  VggTensorFile *file = open_ok (path);

  g_assert_cmpuint (file->n_tensors, ==, 0);
  vgg_tensor_file_free (file);
}

static void
test_zero_size (TestTempDir   *tmp,
                gconstpointer  data)
{
  /* Empty tensors take no bytes; several may share an offset. */
  const char *header = "{\"e\":{\"dtype\":\"F32\",\"shape\":[0,5],\"data_offsets\":[0,0]},"
                       "\"f\":{\"dtype\":\"F64\",\"shape\":[3,0],\"data_offsets\":[0,0]},"
                       "\"g\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[0,2]},"
                       "\"h\":{\"dtype\":\"F16\",\"shape\":[0],\"data_offsets\":[2,2]}}";
  g_autofree char *path = write_file (tmp, header, 2);
  VggTensorFile *file = open_ok (path);

  g_assert_cmpint (vgg_tensor_file_find (file, "e")->count, ==, 0);
  g_assert_cmpint (vgg_tensor_file_find (file, "f")->count, ==, 0);
  g_assert_nonnull (vgg_tensor_file_find (file, "h")->data);
  vgg_tensor_file_free (file);
}

static void
test_unknown_members (TestTempDir   *tmp,
                      gconstpointer  data)
{
  const char *header =
    "{\"a\":{\"dtype\":\"BF16\",\"comment\":{\"x\":[1,-2.5e3,0.5E+2,true,false,null,\"s\",[]],"
    "\"y\":{}},\"shape\":[2],\"data_offsets\":[0,4]}}";
  g_autofree char *path = write_file (tmp, header, 4);
  VggTensorFile *file = open_ok (path);

  g_assert_cmpint (vgg_tensor_file_find (file, "a")->dtype, ==, VGG_DTYPE_BF16);
  vgg_tensor_file_free (file);
}

/* ---------------------------------------------------------------------------------------------
 * The length and the layout
 */

static void
test_truncated_header (TestTempDir   *tmp,
                       gconstpointer  data)
{
  g_autofree char *path = write_raw (tmp, 100, "{\"a\":{\"dtype\":\"F32\"", NULL, 0);
  g_autofree char *tiny = write_bytes (tmp, (const guint8 *) "\x10\0\0", 3);

  assert_open_fails (path, VGG_STATUS_FORMAT, "cut short");
  assert_open_fails (tiny, VGG_STATUS_FORMAT, "cut short");
}

static void
test_header_too_large (TestTempDir   *tmp,
                       gconstpointer  data)
{
  g_autofree char *over_limit = write_raw (tmp, 100000001, "{}", NULL, 0);
  g_autofree char *huge = write_raw (tmp, G_MAXUINT64 - 1, "{}", NULL, 0);
  g_autofree char *beyond_file = write_raw (tmp, 4096, "{}", NULL, 0);
  VggTensorFile *file = NULL;
  VggError error = { 0 };

  assert_open_fails (over_limit, VGG_STATUS_FORMAT, "100000000");
  assert_open_fails (huge, VGG_STATUS_FORMAT, NULL);
  assert_open_fails (beyond_file, VGG_STATUS_FORMAT, "4096");

  /* Detection still says safetensors, so the user gets the precise reason. */
  g_assert_cmpint (vgg_tensor_file_open (&file, over_limit, &error), ==, VGG_STATUS_FORMAT);
  g_assert_nonnull (strstr (error.message, "header"));
}

static void
test_offsets (TestTempDir   *tmp,
              gconstpointer  data)
{
  /* out of range */
  assert_fails (tmp, "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 4,
                VGG_STATUS_FORMAT, "outside");
  assert_fails (tmp, "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],"
                "\"data_offsets\":[18446744073709551608,0]}}", 8, VGG_STATUS_FORMAT, NULL);
  /* reversed */
  assert_fails (tmp, "{\"a\":{\"dtype\":\"U8\",\"shape\":[0],\"data_offsets\":[4,0]}}", 4,
                VGG_STATUS_FORMAT, NULL);
  /* overlapping */
  assert_fails (tmp, "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12,
                VGG_STATUS_FORMAT, "overlap");
  assert_fails (tmp, "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8,
                VGG_STATUS_FORMAT, "overlap");
  /* a gap between tensors, before the first, after the last */
  assert_fails (tmp, "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[12,20]}}", 20,
                VGG_STATUS_FORMAT, "belong to no tensor");
  assert_fails (tmp, "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12,
                VGG_STATUS_FORMAT, "belong to no tensor");
  assert_fails (tmp, "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 12,
                VGG_STATUS_FORMAT, "holds 12 bytes");
  assert_fails (tmp, "{}", 1, VGG_STATUS_FORMAT, NULL);
}

static void
test_shape_mismatch (TestTempDir   *tmp,
                     gconstpointer  data)
{
  assert_fails (tmp, "{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8,
                VGG_STATUS_FORMAT, "needs 12 bytes");
  assert_fails (tmp, "{\"w\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[0,4]}}", 4,
                VGG_STATUS_FORMAT, "'w'");
  /* ∏shape overflows 64 bits, or ∏shape × size does */
  assert_fails (tmp, "{\"w\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296,16],"
                "\"data_offsets\":[0,0]}}", 0, VGG_STATUS_FORMAT, "large");
  assert_fails (tmp, "{\"w\":{\"dtype\":\"F64\",\"shape\":[4611686018427387904],"
                "\"data_offsets\":[0,0]}}", 0, VGG_STATUS_FORMAT, "large");
  assert_fails (tmp, "{\"w\":{\"dtype\":\"F32\",\"shape\":[9223372036854775808],"
                "\"data_offsets\":[0,0]}}", 0, VGG_STATUS_FORMAT, NULL);
  assert_fails (tmp, "{\"w\":{\"dtype\":\"F32\",\"shape\":[99999999999999999999],"
                "\"data_offsets\":[0,0]}}", 0, VGG_STATUS_FORMAT, "too large");
  /* dimensions must be non-negative whole numbers */
  assert_fails (tmp, "{\"w\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,0]}}", 0,
                VGG_STATUS_FORMAT, "negative");
  assert_fails (tmp, "{\"w\":{\"dtype\":\"F32\",\"shape\":[2.5],\"data_offsets\":[0,0]}}", 0,
                VGG_STATUS_FORMAT, "whole");
  assert_fails (tmp, "{\"w\":{\"dtype\":\"F32\",\"shape\":[1e2],\"data_offsets\":[0,0]}}", 0,
                VGG_STATUS_FORMAT, "whole");
  assert_fails (tmp, "{\"w\":{\"dtype\":\"F32\",\"shape\":[\"2\"],\"data_offsets\":[0,8]}}", 8,
                VGG_STATUS_FORMAT, NULL);
  assert_fails (tmp, "{\"w\":{\"dtype\":\"F32\",\"shape\":[02],\"data_offsets\":[0,8]}}", 8,
                VGG_STATUS_FORMAT, "leading zero");
  assert_fails (tmp, "{\"w\":{\"dtype\":\"F32\",\"shape\":2,\"data_offsets\":[0,8]}}", 8,
                VGG_STATUS_FORMAT, NULL);
  assert_fails (tmp, "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8,9]}}", 8,
                VGG_STATUS_FORMAT, NULL);
  assert_fails (tmp, "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0]}}", 8,
                VGG_STATUS_FORMAT, NULL);
  /* more dimensions than the engine handles */
  assert_fails (tmp, "{\"w\":{\"dtype\":\"F32\",\"shape\":[1,1,1,1,1,1,1,1,1],"
                "\"data_offsets\":[0,4]}}", 4, VGG_STATUS_UNSUPPORTED, "'w'");
}

static void
test_dtypes (TestTempDir   *tmp,
             gconstpointer  data)
{
  assert_fails (tmp, "{\"w\":{\"dtype\":\"Q7\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4,
                VGG_STATUS_FORMAT, "Q7");
  assert_fails (tmp, "{\"w\":{\"dtype\":\"f32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4,
                VGG_STATUS_FORMAT, "unknown element type");
  assert_fails (tmp, "{\"w\":{\"dtype\":\"\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4,
                VGG_STATUS_FORMAT, NULL);
  assert_fails (tmp, "{\"w\":{\"dtype\":32,\"shape\":[1],\"data_offsets\":[0,4]}}", 4,
                VGG_STATUS_FORMAT, NULL);
  /* valid safetensors types the engine cannot use */
  assert_fails (tmp, "{\"w\":{\"dtype\":\"U16\",\"shape\":[1],\"data_offsets\":[0,2]}}", 2,
                VGG_STATUS_UNSUPPORTED, "U16");
  assert_fails (tmp, "{\"w\":{\"dtype\":\"F8_E4M3\",\"shape\":[1],\"data_offsets\":[0,1]}}", 1,
                VGG_STATUS_UNSUPPORTED, "'w'");
}

static void
test_duplicates (TestTempDir   *tmp,
                 gconstpointer  data)
{
  assert_fails (tmp, "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]},"
                "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}", 12,
                VGG_STATUS_FORMAT, "'a' appears twice");
  assert_fails (tmp, "{\"a\\u0062\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                "\"ab\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8,
                VGG_STATUS_FORMAT, "'ab' appears twice");
  assert_fails (tmp, "{\"__metadata__\":{},\"__metadata__\":{}}", 0, VGG_STATUS_FORMAT,
                "__metadata__");
  assert_fails (tmp, "{\"__metadata__\":{\"k\":\"1\",\"k\":\"2\"}}", 0, VGG_STATUS_FORMAT,
                "'k' appears twice");
  assert_fails (tmp, "{\"a\":{\"dtype\":\"F32\",\"dtype\":\"F32\",\"shape\":[1],"
                "\"data_offsets\":[0,4]}}", 4, VGG_STATUS_FORMAT, "twice");
}

static void
test_entries (TestTempDir   *tmp,
              gconstpointer  data)
{
  assert_fails (tmp, "{\"a\":{\"dtype\":\"F32\",\"shape\":[1]}}", 4, VGG_STATUS_FORMAT,
                "data_offsets");
  assert_fails (tmp, "{\"a\":{\"shape\":[1],\"data_offsets\":[0,4]}}", 4, VGG_STATUS_FORMAT,
                "dtype");
  assert_fails (tmp, "{\"a\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", 4, VGG_STATUS_FORMAT,
                "shape");
  assert_fails (tmp, "{\"a\":{}}", 0, VGG_STATUS_FORMAT, NULL);
  assert_fails (tmp, "{\"a\":[1,2]}", 0, VGG_STATUS_FORMAT, NULL);
  assert_fails (tmp, "{\"a\":\"F32\"}", 0, VGG_STATUS_FORMAT, NULL);
  assert_fails (tmp, "{\"__metadata__\":{\"k\":1}}", 0, VGG_STATUS_FORMAT, "not a string");
  assert_fails (tmp, "{\"__metadata__\":{\"k\":null}}", 0, VGG_STATUS_FORMAT, "not a string");
  assert_fails (tmp, "{\"__metadata__\":[\"k\"]}", 0, VGG_STATUS_FORMAT, "not an object");
  assert_fails (tmp, "{\"__metadata__\":\"k\"}", 0, VGG_STATUS_FORMAT, "not an object");
}

static void
test_bad_json (TestTempDir   *tmp,
               gconstpointer  data)
{
  static const char *const headers[] = {
    "",
    " {}",
    "[]",
    "{",
    "{\"a\"}",
    "{\"a\":}",
    "{,}",
    "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},}",
    "{\"a\":{\"dtype\":\"F32\",\"shape\":[1,],\"data_offsets\":[0,4]}}",
    "{\"a\":{\"dtype\":\"F32\" \"shape\":[1],\"data_offsets\":[0,4]}}",
    "{'a':{}}",
    "{\"unclosed:{}}",
    "{\"bad escape \\q\":{}}",
    "{\"bad \\u12G4\":{}}",
    "{\"short \\u12\"}",
    "{\"lone \\ud800 surrogate\":{}}",
    "{\"lone \\udc00 surrogate\":{}}",
    "{\"high then bad \\ud800\\u0041\":{}}",
    "{\"nul \\u0000\":{}}",
    "{\"__metadata__\":{\"k\":\"nul \\u0000\"}}",
    "{\"raw\ttab\":{}}",
    "{\"raw\nnewline\":{}}",
    "{\"bad utf-8 \xff\":{}}",
    "{\"overlong \xc0\xaf\":{}}",
    "{\"encoded surrogate \xed\xa0\x80\":{}}",
    "{\"truncated utf-8 \xe2\x82\":{}}",
    "{\"beyond U+10FFFF \xf4\x90\x80\x80\":{}}",
    "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"x\":NaN}}",
    "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"x\":tru}}",
    "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"x\":-}}",
    "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"x\":1.}}",
    "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"x\":1e}}",
    "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"x\":01}}",
    "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"x\":[}}",
    "{} trailing",
    "{}{}",
  };

  /* Each fails in the JSON reader, not later for want of data. */
  for (size_t i = 0; i < G_N_ELEMENTS (headers); i++)
    assert_fails (tmp, headers[i], 4, VGG_STATUS_FORMAT, "damaged safetensors header");
}

static void
test_deep_nesting (TestTempDir   *tmp,
                   gconstpointer  data)
{
  GString *header = g_string_new ("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],"
                                  "\"data_offsets\":[0,4],\"x\":");

  for (int i = 0; i < 100000; i++)
    g_string_append_c (header, '[');
  for (int i = 0; i < 100000; i++)
    g_string_append_c (header, ']');
  g_string_append (header, "}}");
  assert_fails (tmp, header->str, 4, VGG_STATUS_FORMAT, "nested");
  g_string_free (header, TRUE);
}

/* Random damage to a good file: never a crash, a hang or a leak; a clear error or success. */
static void
test_fuzz (TestTempDir   *tmp,
           gconstpointer  data)
{
  g_autofree char *fixture = test_fixture_path ("formats", "tiny.safetensors", NULL);
  g_autofree char *bytes = NULL;
  GRand *rand = g_rand_new_with_seed (20260101);
  GError *error = NULL;
  gsize size;
  int n_ok = 0;

  g_file_get_contents (fixture, &bytes, &size, &error);
  g_assert_no_error (error);

  for (int round = 0; round < 2000; round++)
    {
      g_autofree guint8 *copy = g_memdup2 (bytes, size);
      gsize length = size;
      g_autofree char *path = NULL;
      VggTensorFile *file = NULL;
      VggError verror = { 0 };
      VggStatus status;
      int n_flips = g_rand_int_range (rand, 1, 5);

      for (int f = 0; f < n_flips; f++)
        {
          /* Mostly in the header, where the parsing happens. */
          gsize at = g_rand_boolean (rand) ? (gsize) g_rand_int_range (rand, 0, 600)
                                           : (gsize) g_rand_int_range (rand, 0, (gint32) size);
          static const char json_bytes[] = "{}[],:\"\\0123456789-e";

          copy[at] = g_rand_boolean (rand)
                     ? (guint8) g_rand_int_range (rand, 0, 256)
                     : (guint8) json_bytes[g_rand_int_range (rand, 0,
                                                             (gint32) sizeof json_bytes - 1)];
        }
      if (g_rand_int_range (rand, 0, 8) == 0)
        length = (gsize) g_rand_int_range (rand, 0, (gint32) size);

      path = write_bytes (tmp, copy, length);
      status = vgg_tensor_file_open (&file, path, &verror);
      if (status == VGG_STATUS_OK)
        {
          n_ok++;
          for (size_t i = 0; i < file->n_tensors; i++)
            {
              const VggTensor *tensor = &file->tensors[i];
              const unsigned char *p = tensor->data;
              unsigned sum = 0;

              for (int64_t k = 0; k < tensor->count * (int64_t) vgg_dtype_size (tensor->dtype); k++)
                sum += p[k];
              (void) sum;
            }
          vgg_tensor_file_free (file);
        }
      else
        {
          g_assert_null (file);
          g_assert_cmpint (status, <, VGG_STATUS_N_STATUSES);
          g_assert_cmpstr (verror.message, !=, "");
          g_assert_nonnull (strstr (verror.message, path));
        }
      g_unlink (path);
    }
  g_test_message ("%d of 2000 damaged files still loaded", n_ok);
  g_rand_free (rand);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/safetensors/" path, TestTempDir, NULL, test_temp_dir_setup, func, \
              test_temp_dir_teardown)
  ADD ("small", test_small);
  ADD ("unaligned", test_unaligned);
  ADD ("metadata", test_metadata);
  ADD ("names", test_names);
  ADD ("empty-header", test_empty_header);
  ADD ("zero-size", test_zero_size);
  ADD ("unknown-members", test_unknown_members);
  ADD ("truncated-header", test_truncated_header);
  ADD ("header-too-large", test_header_too_large);
  ADD ("offsets", test_offsets);
  ADD ("shape-mismatch", test_shape_mismatch);
  ADD ("dtypes", test_dtypes);
  ADD ("duplicates", test_duplicates);
  ADD ("entries", test_entries);
  ADD ("bad-json", test_bad_json);
  ADD ("deep-nesting", test_deep_nesting);
  ADD ("fuzz", test_fuzz);
#undef ADD

  return g_test_run ();
}
