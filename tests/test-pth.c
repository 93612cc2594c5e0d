/* test-pth.c — the PyTorch .pth loader (zip and legacy) and its restricted unpickler
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Real torch.save() output comes from tests/fixtures/formats (tools/gen-format-fixtures.py);
 * everything hostile or damaged is made here at test time: fixtures cut short or with bytes
 * changed, and legacy files written pickle opcode by pickle opcode.
 */
#include "config.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "tensor-file.h"
#include "test-engine-util.h"

/* What the malicious fixtures' pickles would create if anything ran them. */
#define PWNED_MARKER "/tmp/vgg-scope-pwned-by-fixture"

static char *
write_bytes (TestTempDir  *tmp,
             const guint8 *bytes,
             gsize         size)
{
  g_autofree char *name = g_strdup_printf ("file-%03d.pth", tmp->serial++);

  return test_temp_dir_write (tmp, name, bytes, (gssize) size);
}

static guint8 *
read_fixture (const char *name,
              gsize      *size)
{
  g_autofree char *path = test_fixture_path ("formats", name, NULL);
  GError *error = NULL;
  char *bytes;

  g_file_get_contents (path, &bytes, size, &error);
  g_assert_no_error (error);
  return (guint8 *) bytes;
}

static VggTensorFile *
open_ok (const char *path,
         VggSource   source)
{
  VggTensorFile *file = NULL;
  VggError error = { 0 };

  test_assert_ok (vgg_tensor_file_open (&file, path, &error), &error);
  g_assert_nonnull (file);
  g_assert_cmpint (file->source, ==, source);
  for (size_t i = 0; i < file->n_tensors; i++)
    g_assert_cmpuint ((uintptr_t) file->tensors[i].data % vgg_dtype_size (file->tensors[i].dtype),
                      ==, 0);
  return file;
}

/* Opens @path expecting @expected, a message naming the file and containing @fragment. */
static void
assert_fails (const char *path,
              const char *what,
              VggStatus   expected,
              const char *fragment)
{
  test_assert_open_fails (vgg_tensor_file_open, path, what, expected, fragment);
}

static void
assert_bytes_fail (TestTempDir  *tmp,
                   const guint8 *bytes,
                   gsize         size,
                   const char   *what,
                   VggStatus     expected,
                   const char   *fragment)
{
  g_autofree char *path = write_bytes (tmp, bytes, size);

  assert_fails (path, what, expected, fragment);
}

static void
assert_floats (const VggTensorFile *file,
               const char          *name,
               const float         *values,
               int64_t              count)
{
  const VggTensor *tensor = vgg_tensor_file_find (file, name);

  g_assert_nonnull (tensor);
  g_assert_cmpint (tensor->dtype, ==, VGG_DTYPE_F32);
  g_assert_cmpint (tensor->count, ==, count);
  for (int64_t i = 0; i < count; i++)
    g_assert_cmpfloat (((const float *) tensor->data)[i], ==, values[i]);
}

/* Replaces every occurrence of @from by @to (same length) in @bytes; returns how many. */
static int
replace_all (guint8     *bytes,
             gsize       size,
             const char *from,
             const char *to)
{
  gsize length = strlen (from);
  int n = 0;

  g_assert_cmpuint (strlen (to), ==, length);
  for (gsize i = 0; i + length <= size; i++)
    if (memcmp (bytes + i, from, length) == 0)
      {
        memcpy (bytes + i, to, length);
        n++;
      }
  return n;
}

static gssize
find_last (const guint8 *bytes,
           gsize         size,
           const char   *needle,
           gsize         length)
{
  for (gsize i = size - length + 1; i-- > 0;)
    if (memcmp (bytes + i, needle, length) == 0)
      return (gssize) i;
  return -1;
}

static gssize
find_first (const guint8 *bytes,
            gsize         size,
            const char   *needle,
            gsize         length,
            gsize         from)
{
  for (gsize i = from; i + length <= size; i++)
    if (memcmp (bytes + i, needle, length) == 0)
      return (gssize) i;
  return -1;
}

static guint32
get32 (const guint8 *p)
{
  return (guint32) p[0] | ((guint32) p[1] << 8) | ((guint32) p[2] << 16) | ((guint32) p[3] << 24);
}

static void
put32 (guint8  *p,
       guint32  v)
{
  for (int i = 0; i < 4; i++)
    p[i] = (guint8) (v >> (8 * i));
}

/* ---------------------------------------------------------------------------------------------
 * Writing pickles by hand
 */

static void
pk_op (GByteArray *b,
       guint8      op)
{
  g_byte_array_append (b, &op, 1);
}

static void
pk_raw (GByteArray *b,
        const void *bytes,
        gsize       size)
{
  g_byte_array_append (b, bytes, (guint) size);
}

static void
pk_le (GByteArray *b,
       guint64     value,
       int         width)
{
  for (int i = 0; i < width; i++)
    pk_op (b, (guint8) (value >> (8 * i)));
}

static void
pk_str (GByteArray *b,
        const char *s)
{
  pk_op (b, 'X');
  pk_le (b, strlen (s), 4);
  pk_raw (b, s, strlen (s));
}

static void
pk_int (GByteArray *b,
        gint64      value)
{
  if (value >= G_MININT32 && value <= G_MAXINT32)
    {
      pk_op (b, 'J');
      pk_le (b, (guint64) value, 4);
    }
  else
    {
      pk_op (b, 0x8a);
      pk_op (b, 8);
      pk_le (b, (guint64) value, 8);
    }
}

static void
pk_global (GByteArray *b,
           const char *module,
           const char *name)
{
  pk_op (b, 'c');
  pk_raw (b, module, strlen (module));
  pk_op (b, '\n');
  pk_raw (b, name, strlen (name));
  pk_op (b, '\n');
}

static void
pk_ints (GByteArray    *b,
         const gint64  *values,
         int            n)
{
  pk_op (b, '(');
  for (int i = 0; i < n; i++)
    pk_int (b, values[i]);
  pk_op (b, 't');
}

typedef struct
{
  const char *storage_type;  /* "FloatStorage"; NULL: "FloatStorage" */
  const char *key;
  gint64      numel;         /* as the persistent id says */
  gint64      offset;
  int         ndim;
  gint64      shape[70];
  int         n_strides;     /* -1: C-contiguous strides for the shape */
  gint64      stride[70];
  const char *view_key;      /* non-NULL: a storage view (view_key, view_offset, view_size) */
  gint64      view_offset;
  gint64      view_size;
} TensorSpec;

/* _rebuild_tensor_v2(('storage', torch.<type>, key, 'cpu', numel, view), offset, size,
 * stride, False, OrderedDict()) */
static void
pk_tensor (GByteArray       *b,
           const TensorSpec *t)
{
  gint64 strides[70];
  int n_strides = t->n_strides;

  if (n_strides < 0)
    {
      gint64 step = 1;

      n_strides = t->ndim;
      for (int d = t->ndim - 1; d >= 0; d--)
        {
          strides[d] = step;
          step = (gint64) ((guint64) step * (guint64) t->shape[d]);  /* may wrap: a test input */
        }
    }
  else
    memcpy (strides, t->stride, sizeof strides);

  pk_global (b, "torch._utils", "_rebuild_tensor_v2");
  pk_op (b, '(');
  pk_op (b, '(');
  pk_str (b, "storage");
  pk_global (b, "torch", t->storage_type != NULL ? t->storage_type : "FloatStorage");
  pk_str (b, t->key);
  pk_str (b, "cpu");
  pk_int (b, t->numel);
  if (t->view_key != NULL)
    {
      pk_op (b, '(');
      pk_str (b, t->view_key);
      pk_int (b, t->view_offset);
      pk_int (b, t->view_size);
      pk_op (b, 't');
    }
  else
    pk_op (b, 'N');
  pk_op (b, 't');
  pk_op (b, 'Q');
  pk_int (b, t->offset);
  pk_ints (b, t->shape, t->ndim);
  pk_ints (b, strides, n_strides);
  pk_op (b, 0x89);
  pk_global (b, "collections", "OrderedDict");
  pk_op (b, ')');
  pk_op (b, 'R');
  pk_op (b, 't');
  pk_op (b, 'R');
}

/* An OrderedDict of tensors, as its own pickle (PROTO … STOP). */
static GByteArray *
pk_state_dict (const char *const *names,
               const TensorSpec  *tensors,
               int                n)
{
  GByteArray *b = g_byte_array_new ();

  pk_op (b, 0x80);
  pk_op (b, 2);
  pk_global (b, "collections", "OrderedDict");
  pk_op (b, ')');
  pk_op (b, 'R');
  pk_op (b, '(');
  for (int i = 0; i < n; i++)
    {
      pk_str (b, names[i]);
      pk_tensor (b, &tensors[i]);
    }
  pk_op (b, 'u');
  pk_op (b, '.');
  return b;
}

/* The first three pickles of a legacy file. */
static void
legacy_header (GByteArray *file,
               gint64      protocol,
               gboolean    little_endian)
{
  static const guint8 magic[] = { 0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20,
                                  0x6a, 0xa8, 0x50, 0x19, '.' };

  pk_raw (file, magic, sizeof magic);
  pk_op (file, 0x80);
  pk_op (file, 2);
  pk_int (file, protocol);
  pk_op (file, '.');
  pk_op (file, 0x80);
  pk_op (file, 2);
  pk_op (file, '}');
  pk_op (file, '(');
  pk_str (file, "protocol_version");
  pk_int (file, 1001);
  pk_str (file, "little_endian");
  pk_op (file, little_endian ? 0x88 : 0x89);
  pk_op (file, 'u');
  pk_op (file, '.');
}

static void
legacy_keys (GByteArray        *file,
             const char *const *keys)
{
  pk_op (file, 0x80);
  pk_op (file, 2);
  pk_op (file, ']');
  pk_op (file, '(');
  for (; *keys != NULL; keys++)
    pk_str (file, *keys);
  pk_op (file, 'e');
  pk_op (file, '.');
}

/* A storage record: the element count, then @count elements of @size bytes (0, 1, 2, … as
 * floats when @values is NULL and @size is 4). */
static void
legacy_record (GByteArray  *file,
               gint64       count,
               gsize        size,
               const void  *values)
{
  pk_le (file, (guint64) count, 8);
  for (gint64 i = 0; i < count; i++)
    {
      if (values != NULL)
        pk_raw (file, (const guint8 *) values + i * (gint64) size, size);
      else if (size == 4)
        {
          float value = (float) i;
          pk_raw (file, &value, 4);
        }
      else
        for (gsize k = 0; k < size; k++)
          pk_op (file, 0);
    }
}

/* A whole legacy file around @state: header, @state, keys, then one record per key. */
static GByteArray *
legacy_file (const GByteArray  *state,
             const char *const *keys,
             const gint64      *counts)
{
  GByteArray *file = g_byte_array_new ();

  legacy_header (file, 1001, TRUE);
  pk_raw (file, state->data, state->len);
  legacy_keys (file, keys);
  for (int i = 0; keys[i] != NULL; i++)
    legacy_record (file, counts[i], 4, NULL);
  return file;
}

/* A legacy file whose state dict pickle is @body (PROTO and STOP added) and no storages. */
static GByteArray *
legacy_with_body (const void *body,
                  gsize       size)
{
  static const char *const no_keys[] = { NULL };
  GByteArray *state = g_byte_array_new ();
  GByteArray *file;

  pk_op (state, 0x80);
  pk_op (state, 2);
  pk_raw (state, body, size);
  pk_op (state, '.');
  file = legacy_file (state, no_keys, NULL);
  g_byte_array_unref (state);
  return file;
}

static void
assert_body_fails (TestTempDir *tmp,
                   const void  *body,
                   gsize        size,
                   const char  *what,
                   VggStatus    expected,
                   const char  *fragment)
{
  GByteArray *file = legacy_with_body (body, size);

  assert_bytes_fail (tmp, file->data, file->len, what, expected, fragment);
  g_byte_array_unref (file);
}

#define BODY(literal) literal, sizeof literal - 1

/* ---------------------------------------------------------------------------------------------
 * torch.save() output
 */

static void
test_views (void)
{
  static const char *const names[] = { "views.pth", "views-legacy.pth" };
  static const float a[] = { 2, 3, 4 }, b[] = { 6, 7, 8, 9, 10, 11 };
  static const float c[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 };

  for (size_t i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = test_fixture_path ("formats", names[i], NULL);
      VggTensorFile *file = open_ok (path, i == 0 ? VGG_SOURCE_PTH_ZIP : VGG_SOURCE_PTH_LEGACY);
      const VggTensor *view = vgg_tensor_file_find (file, "b");

      g_assert_cmpuint (file->n_tensors, ==, 3);
      assert_floats (file, "a", a, 3);
      assert_floats (file, "b", b, 6);
      assert_floats (file, "c", c, 12);
      g_assert_cmpint (view->ndim, ==, 2);
      g_assert_cmpint (view->shape[0], ==, 2);
      g_assert_cmpint (view->shape[1], ==, 3);
      vgg_tensor_file_free (file);
    }
}

static void
test_noncontiguous (void)
{
  g_autofree char *path = test_fixture_path ("formats", "noncontiguous.pth", NULL);

  assert_fails (path, "transposed", VGG_STATUS_UNSUPPORTED, "'t'");
}

static void
test_malicious (void)
{
  static const char *const names[] = { "malicious.pth", "malicious-legacy.pth" };

  g_unlink (PWNED_MARKER);
  for (size_t i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = test_fixture_path ("formats", names[i], NULL);

      assert_fails (path, "os.system", VGG_STATUS_UNSAFE, "'posix.system'");
      g_assert_false (g_file_test (PWNED_MARKER, G_FILE_TEST_EXISTS));
    }
}

static void
test_whole_module (void)
{
  g_autofree char *path = test_fixture_path ("formats", "tiny-module.pth", NULL);

  assert_fails (path, "torch.save(model)", VGG_STATUS_UNSAFE, "state_dict()");
}

static void
test_deflated (void)
{
  g_autofree char *path = test_fixture_path ("formats", "tiny-deflated.pth", NULL);

  assert_fails (path, "re-zipped", VGG_STATUS_UNSUPPORTED, "compressed");
}

/* ---------------------------------------------------------------------------------------------
 * Damaged zip files
 */

static void
test_zip_truncated (TestTempDir   *tmp,
                    gconstpointer  data)
{
  gsize size;
  g_autofree guint8 *bytes = read_fixture ("tiny.pth", &size);
  const gsize lengths[] = { 4, 30, 100, size / 3, size / 2, size - 200, size - 23, size - 1 };

  for (size_t i = 0; i < G_N_ELEMENTS (lengths); i++)
    {
      g_autofree char *what = g_strdup_printf ("cut to %zu of %zu bytes", lengths[i], size);
      assert_bytes_fail (tmp, bytes, lengths[i], what, VGG_STATUS_FORMAT, NULL);
    }
}

static void
test_zip_bad_directory (TestTempDir   *tmp,
                        gconstpointer  data)
{
  gsize size;
  g_autofree guint8 *bytes = read_fixture ("tiny.pth", &size);
  gssize central = find_last (bytes, size, "PK\x01\x02", 4);
  gssize locator = find_last (bytes, size, "PK\x06\x07", 4);
  gssize end64 = find_last (bytes, size, "PK\x06\x06", 4);
  gssize first_central = find_first (bytes, size, "PK\x01\x02", 4, 0);
  gssize second_local = find_first (bytes, size, "PK\x03\x04", 4, 4);
  g_autofree guint8 *copy = NULL;
  guint32 name_length, extra_length;

  g_assert_cmpint (central, >, 0);
  g_assert_cmpint (locator, >, 0);
  g_assert_cmpint (end64, >, 0);
  g_assert_cmpint (first_central, >, 0);
  g_assert_cmpint (second_local, >, 0);

  /* a broken central directory record */
  copy = g_memdup2 (bytes, size);
  copy[central + 1] = 'X';
  assert_bytes_fail (tmp, copy, size, "central signature", VGG_STATUS_FORMAT, "zip");
  g_free (copy);

  /* the zip64 end record moved, or pointing the directory outside the file */
  copy = g_memdup2 (bytes, size);
  put32 (copy + locator + 8, get32 (copy + locator + 8) + 3);
  assert_bytes_fail (tmp, copy, size, "zip64 locator", VGG_STATUS_FORMAT, "zip");
  g_free (copy);
  copy = g_memdup2 (bytes, size);
  put32 (copy + end64 + 48, (guint32) size);
  assert_bytes_fail (tmp, copy, size, "directory offset", VGG_STATUS_FORMAT, "zip");
  g_free (copy);
  copy = g_memdup2 (bytes, size);
  put32 (copy + end64 + 32, 100000);
  assert_bytes_fail (tmp, copy, size, "entry count", VGG_STATUS_FORMAT, "zip");
  g_free (copy);

  /* the first entry (data.pkl): a name running past the directory, a size past the file, a
   * bad local header, a damaged pickle */
  copy = g_memdup2 (bytes, size);
  copy[first_central + 28] = 0xff;
  copy[first_central + 29] = 0xff;
  assert_bytes_fail (tmp, copy, size, "name length", VGG_STATUS_FORMAT, "zip");
  g_free (copy);
  copy = g_memdup2 (bytes, size);
  put32 (copy + first_central + 20, 0x7fffffff);
  put32 (copy + first_central + 24, 0x7fffffff);
  assert_bytes_fail (tmp, copy, size, "entry size", VGG_STATUS_FORMAT, "cut short");
  g_free (copy);
  copy = g_memdup2 (bytes, size);
  put32 (copy + first_central + 20, 0xffffffff);
  assert_bytes_fail (tmp, copy, size, "zip64 size without its field", VGG_STATUS_FORMAT, "zip");
  g_free (copy);
  copy = g_memdup2 (bytes, size);
  copy[second_local + 2] = 0;
  assert_bytes_fail (tmp, copy, size, "local signature", VGG_STATUS_FORMAT, "zip");
  g_free (copy);
  copy = g_memdup2 (bytes, size);
  name_length = copy[26] | (guint32) copy[27] << 8;
  extra_length = copy[28] | (guint32) copy[29] << 8;
  copy[30 + name_length + extra_length + 5] ^= 0x40;
  assert_bytes_fail (tmp, copy, size, "data.pkl byte", VGG_STATUS_FORMAT, "checksum");
}

static void
test_zip_entries (TestTempDir   *tmp,
                  gconstpointer  data)
{
  gsize size;
  g_autofree guint8 *views = read_fixture ("views.pth", &size);
  g_autofree guint8 *tiny = NULL;

  /* a storage the pickle names is not in the archive */
  g_assert_cmpint (replace_all (views, size, "views/data/0", "views/data/Z"), ==, 2);
  assert_bytes_fail (tmp, views, size, "storage renamed", VGG_STATUS_FORMAT, "missing");

  /* two entries with one name */
  tiny = read_fixture ("tiny.pth", &size);
  g_assert_cmpint (replace_all (tiny, size, "tiny/data/2", "tiny/data/3"), ==, 2);
  assert_bytes_fail (tmp, tiny, size, "duplicate entry", VGG_STATUS_FORMAT, "twice");
  g_free (tiny);

  /* no data.pkl */
  tiny = read_fixture ("tiny.pth", &size);
  g_assert_cmpint (replace_all (tiny, size, "tiny/data.pkl", "tiny/data.pkX"), ==, 2);
  assert_bytes_fail (tmp, tiny, size, "no data.pkl", VGG_STATUS_FORMAT, "data.pkl");
}

/* ---------------------------------------------------------------------------------------------
 * Damaged legacy files
 */

static void
test_legacy_truncated (TestTempDir   *tmp,
                       gconstpointer  data)
{
  static const char *const names[] = { "tiny-legacy.pth", "tiny-legacy-old.pth" };
  g_autofree char *expected_path = test_fixture_path ("formats", "expected.json", NULL);
  GError *error = NULL;
  JsonParser *parser = json_parser_new ();
  JsonObject *ends;

  json_parser_load_from_file (parser, expected_path, &error);
  g_assert_no_error (error);
  ends = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)),
                                        "legacy_pickle_ends");

  for (size_t n = 0; n < G_N_ELEMENTS (names); n++)
    {
      JsonArray *parts = json_object_get_array_member (ends, names[n]);
      gsize size, previous = 0;
      g_autofree guint8 *bytes = read_fixture (names[n], &size);
      GArray *cuts = g_array_new (FALSE, FALSE, sizeof (gsize));

      g_assert_cmpuint (json_array_get_length (parts), ==, 5);
      for (guint p = 0; p < 5; p++)
        {
          gsize end = (gsize) json_array_get_int_element (parts, p), middle = (previous + end) / 2;

          /* inside each pickle, and right at its end (the next one missing) */
          g_array_append_val (cuts, middle);
          g_array_append_val (cuts, end);
          previous = end;
        }
      /* inside the first record's count, its data, and the last byte */
      {
        gsize in_count = previous + 4, in_data = previous + 9, last = size - 1;
        g_array_append_val (cuts, in_count);
        g_array_append_val (cuts, in_data);
        g_array_append_val (cuts, last);
      }

      for (guint c = 0; c < cuts->len; c++)
        {
          gsize cut = g_array_index (cuts, gsize, c);
          g_autofree char *what = g_strdup_printf ("%s cut to %zu bytes", names[n], cut);

          assert_bytes_fail (tmp, bytes, cut, what, VGG_STATUS_FORMAT, NULL);
        }
      g_array_unref (cuts);
    }
  g_object_unref (parser);
}

static void
test_legacy_handmade (TestTempDir   *tmp,
                      gconstpointer  data)
{
  static const char *const keys[] = { "k0", "k1", NULL };
  static const gint64 counts[] = { 10, 1 };
  static const float first[] = { 2, 3, 4, 5, 6, 7 }, second[] = { 8, 9 };
  static const float whole[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 };
  GByteArray *state = g_byte_array_new ();
  GByteArray *file = g_byte_array_new ();
  TensorSpec w = { .key = "k0", .numel = 10, .offset = 2, .ndim = 2, .shape = { 2, 3 },
                   .n_strides = -1 };
  TensorSpec b = { .key = "k0", .numel = 10, .offset = 8, .ndim = 1, .shape = { 2 },
                   .n_strides = -1 };
  TensorSpec all = { .key = "k0", .numel = 10, .ndim = 1, .shape = { 10 }, .n_strides = -1 };
  TensorSpec one = { .key = "k0", .numel = 10, .offset = 9, .ndim = 3, .shape = { 1, 1, 1 },
                     .n_strides = 3, .stride = { 5, 77, 1 } };
  TensorSpec count = { .storage_type = "LongStorage", .key = "k1", .numel = 1, .ndim = 0,
                       .n_strides = 0 };
  g_autofree char *path = NULL;
  VggTensorFile *loaded;
  const VggTensor *tensor;

  pk_op (state, 0x80);
  pk_op (state, 2);
  pk_global (state, "collections", "OrderedDict");
  pk_op (state, ')');
  pk_op (state, 'R');
  pk_op (state, 'q');
  pk_op (state, 0);
  pk_op (state, '(');
  pk_str (state, "layer.weight");
  pk_tensor (state, &w);
  pk_str (state, "an int, skipped");
  pk_int (state, 42);
  pk_str (state, "layer.bias");
  pk_tensor (state, &b);
  pk_str (state, "a string, skipped");
  pk_str (state, "hello");
  pk_str (state, "whole");
  pk_tensor (state, &all);
  pk_op (state, 'u');
  /* more items with SETITEM, a text INT (as Python 2 wrote large ints), memo use */
  pk_str (state, "one");
  pk_tensor (state, &one);
  pk_op (state, 's');
  pk_str (state, "bn.num_batches_tracked");
  pk_tensor (state, &count);
  pk_op (state, 's');
  pk_str (state, "none, skipped");
  pk_op (state, 'N');
  pk_op (state, 's');
  pk_str (state, "nested, skipped");
  pk_op (state, '}');
  pk_str (state, "x");
  pk_op (state, 'I');
  pk_raw (state, "-12345678901\n", 13);
  pk_op (state, 's');
  pk_op (state, 's');
  pk_op (state, 0x85);  /* keep the dict in a tuple, then unwrap it via the memo */
  pk_op (state, '0');
  pk_op (state, 'h');
  pk_op (state, 0);
  pk_op (state, '.');

  legacy_header (file, 1001, TRUE);
  pk_raw (file, state->data, state->len);
  legacy_keys (file, keys);
  /* An odd byte before the records: legacy storages land unaligned and must be copied. */
  {
    guint8 *bytes;
    gsize size;
    GByteArray *records = g_byte_array_new ();
    gint64 seven = 7;

    legacy_record (records, counts[0], 4, NULL);
    legacy_record (records, counts[1], 8, &seven);
    g_byte_array_append (file, records->data, records->len);
    g_byte_array_unref (records);
    bytes = file->data;
    size = file->len;
    path = write_bytes (tmp, bytes, size);
  }

  loaded = open_ok (path, VGG_SOURCE_PTH_LEGACY);
  g_assert_cmpuint (loaded->n_tensors, ==, 5);
  g_assert_cmpstr (loaded->tensors[0].name, ==, "layer.weight");
  g_assert_cmpstr (loaded->tensors[1].name, ==, "layer.bias");
  g_assert_cmpstr (loaded->tensors[2].name, ==, "whole");
  g_assert_cmpstr (loaded->tensors[3].name, ==, "one");
  g_assert_cmpstr (loaded->tensors[4].name, ==, "bn.num_batches_tracked");
  assert_floats (loaded, "layer.weight", first, 6);
  assert_floats (loaded, "layer.bias", second, 2);
  assert_floats (loaded, "whole", whole, 10);
  assert_floats (loaded, "one", whole + 9, 1);
  tensor = vgg_tensor_file_find (loaded, "bn.num_batches_tracked");
  g_assert_cmpint (tensor->dtype, ==, VGG_DTYPE_I64);
  g_assert_cmpint (tensor->ndim, ==, 0);
  g_assert_cmpint (tensor->count, ==, 1);
  g_assert_cmpint (*(const int64_t *) tensor->data, ==, 7);
  vgg_tensor_file_free (loaded);

  g_byte_array_unref (state);
  g_byte_array_unref (file);
}

static void
test_legacy_nesting (TestTempDir   *tmp,
                     gconstpointer  data)
{
  static const char *const keys[] = { "s", NULL };
  static const gint64 counts[] = { 4 };
  static const float values[] = { 0, 1, 2, 3 };
  TensorSpec t = { .key = "s", .numel = 4, .ndim = 1, .shape = { 4 }, .n_strides = -1 };
  static const char *const wrappers[] = { "state_dict", "model", "other" };

  for (size_t i = 0; i < G_N_ELEMENTS (wrappers); i++)
    {
      GByteArray *state = g_byte_array_new (), *file;
      g_autofree char *path = NULL;

      pk_op (state, 0x80);
      pk_op (state, 2);
      pk_op (state, '}');
      pk_op (state, '(');
      pk_str (state, "epoch");
      pk_int (state, 90);
      pk_str (state, wrappers[i]);
      pk_op (state, '}');
      pk_op (state, '(');
      pk_str (state, "w");
      pk_tensor (state, &t);
      pk_op (state, 'u');
      pk_str (state, "optimizer");
      pk_op (state, '}');
      pk_op (state, 'u');
      pk_op (state, '.');
      file = legacy_file (state, keys, counts);
      path = write_bytes (tmp, file->data, file->len);
      if (i < 2)
        {
          VggTensorFile *loaded = open_ok (path, VGG_SOURCE_PTH_LEGACY);
          assert_floats (loaded, "w", values, 4);
          vgg_tensor_file_free (loaded);
        }
      else
        assert_fails (path, "nested under an unknown key", VGG_STATUS_UNSUPPORTED, "no tensors");
      g_byte_array_unref (state);
      g_byte_array_unref (file);
    }

  /* not a dict at all; an empty dict (no tensors, but valid) */
  assert_body_fails (tmp, BODY ("]"), "a list", VGG_STATUS_UNSUPPORTED, "a list");
  assert_body_fails (tmp, BODY ("K\x05"), "an int", VGG_STATUS_UNSUPPORTED, "not a state_dict");
  {
    GByteArray *file = legacy_with_body (BODY ("}"));
    g_autofree char *path = write_bytes (tmp, file->data, file->len);
    VggTensorFile *loaded = open_ok (path, VGG_SOURCE_PTH_LEGACY);

    g_assert_cmpuint (loaded->n_tensors, ==, 0);
    vgg_tensor_file_free (loaded);
    g_byte_array_unref (file);
  }
}

/* ---------------------------------------------------------------------------------------------
 * The unpickler
 */

static void
test_unsafe_globals (TestTempDir   *tmp,
                     gconstpointer  data)
{
  static const char *const globals[][2] = {
    { "posix", "system" },
    { "os", "system" },
    { "nt", "system" },
    { "builtins", "eval" },
    { "builtins", "exec" },
    { "builtins", "getattr" },
    { "__builtin__", "eval" },
    { "subprocess", "Popen" },
    { "torch.storage", "_load_from_bytes" },
    { "torch", "load" },
    { "torch", "Size" },
    { "torch._utils", "_rebuild_qtensor" },
    { "torch.nn.modules.conv", "Conv2d" },
    { "numpy.core.multiarray", "_reconstruct" },
    { "collections", "defaultdict" },
    { "collections ", "OrderedDict" },
    { "torch.cuda.amp", "FloatStorage" },
  };

  for (size_t i = 0; i < G_N_ELEMENTS (globals); i++)
    {
      GByteArray *body = g_byte_array_new ();
      g_autofree char *shown = g_strdup_printf ("'%s.%s'", globals[i][0], globals[i][1]);

      /* Refused when it is named, even if nothing calls it. */
      pk_global (body, globals[i][0], globals[i][1]);
      pk_op (body, '0');
      pk_op (body, '}');
      assert_body_fails (tmp, body->data, body->len, shown, VGG_STATUS_UNSAFE, shown);
      g_byte_array_unref (body);
    }

  /* protocol 4's STACK_GLOBAL, with the names on the stack */
  assert_body_fails (tmp, BODY ("\x8c\x05posix\x8c\x06system\x93"), "STACK_GLOBAL",
                     VGG_STATUS_UNSAFE, "'posix.system'");
  /* control characters in a name are not echoed */
  assert_body_fails (tmp, BODY ("cos\x1b[2J\nsystem\n"), "escape", VGG_STATUS_UNSAFE,
                     "'os?[2J.system'");
  /* storage types of elements the engine has no dtype for */
  assert_body_fails (tmp, BODY ("ctorch\nComplexFloatStorage\n"), "complex",
                     VGG_STATUS_UNSUPPORTED, "ComplexFloatStorage");
  assert_body_fails (tmp, BODY ("ctorch\nQInt8Storage\n"), "quantized", VGG_STATUS_UNSUPPORTED,
                     "QInt8Storage");
  g_assert_false (g_file_test (PWNED_MARKER, G_FILE_TEST_EXISTS));
}

static void
test_unknown_opcodes (TestTempDir   *tmp,
                      gconstpointer  data)
{
  static const struct { const char *body; const char *fragment; } cases[] = {
    { "\xff", "0xff" },
    { "i__builtin__\neval\n", "0x69 ('i')" },   /* INST */
    { "(o", "0x6f ('o')" },                     /* OBJ */
    { "Pfoo\n", "0x50 ('P')" },                 /* PERSID */
    { "\x82\x01", "0x82" },                     /* EXT1 */
    { "S'x'\n", "0x53 ('S')" },                 /* STRING */
    { "F1.5\n", "0x46 ('F')" },                 /* FLOAT */
    { "\x8f", "0x8f" },                         /* EMPTY_SET */
    { "\x96", "0x96" },                         /* BYTEARRAY8 */
    { "\x97", "0x97" },                         /* NEXT_BUFFER */
    { "\x92", "0x92" },                         /* NEWOBJ_EX */
  };

  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_body_fails (tmp, cases[i].body, strlen (cases[i].body), cases[i].fragment,
                       VGG_STATUS_UNSAFE, cases[i].fragment);
}

static void
test_limits (TestTempDir   *tmp,
             gconstpointer  data)
{
  GByteArray *body = g_byte_array_new ();

  /* deep MARK nesting */
  for (int i = 0; i < 1000; i++)
    pk_op (body, '(');
  assert_body_fails (tmp, body->data, body->len, "1000 marks", VGG_STATUS_TOO_LARGE, "nests");

  /* a stack of two million values */
  g_byte_array_set_size (body, 0);
  for (int i = 0; i < (1 << 21); i++)
    pk_op (body, 'N');
  assert_body_fails (tmp, body->data, body->len, "huge stack", VGG_STATUS_TOO_LARGE, "stack");

  /* millions of objects, popped as they come */
  g_byte_array_set_size (body, 0);
  for (int i = 0; i < (1 << 21) + 10; i++)
    {
      pk_op (body, ')');
      pk_op (body, '0');
    }
  assert_body_fails (tmp, body->data, body->len, "many objects", VGG_STATUS_TOO_LARGE,
                     "objects");

  /* hundreds of thousands of tensors from one memoized call */
  g_byte_array_set_size (body, 0);
  pk_global (body, "torch._utils", "_rebuild_tensor_v2");
  pk_raw (body, BODY ("q\x00" "0(("));
  pk_str (body, "storage");
  pk_global (body, "torch", "FloatStorage");
  pk_str (body, "s");
  pk_str (body, "cpu");
  pk_raw (body, BODY ("K\x01NtQK\x00))\x89}tq\x01" "0"));
  for (int i = 0; i < (1 << 18) + 1; i++)
    pk_raw (body, BODY ("h\x00h\x01R0"));
  pk_op (body, '}');
  assert_body_fails (tmp, body->data, body->len, "many tensors", VGG_STATUS_TOO_LARGE,
                     "tensors");
  g_byte_array_unref (body);

  /* strings and memo slots larger than the file */
  assert_body_fails (tmp, BODY ("X\xff\xff\xff\x7f" "abc"), "BINUNICODE 2 GiB",
                     VGG_STATUS_FORMAT, "claims 2147483647 bytes");
  assert_body_fails (tmp, BODY ("\x8d\xff\xff\xff\xff\xff\xff\xff\x7f" "abc"), "BINUNICODE8",
                     VGG_STATUS_FORMAT, "claims");
  assert_body_fails (tmp, BODY ("B\xff\xff\xff\xff"), "BINBYTES", VGG_STATUS_FORMAT, "claims");
  assert_body_fails (tmp, BODY ("\x8c\xc8" "abc"), "SHORT_BINUNICODE", VGG_STATUS_FORMAT,
                     "claims 200");
  assert_body_fails (tmp, BODY ("T\xff\xff\xff\xff" "abc"), "negative BINSTRING",
                     VGG_STATUS_FORMAT, "negative");
  assert_body_fails (tmp, BODY ("\x8b\xff\xff\xff\xff"), "negative LONG4", VGG_STATUS_FORMAT,
                     "negative");
  assert_body_fails (tmp, BODY ("\x8b\xff\xff\xff\x7f"), "LONG4 beyond the file",
                     VGG_STATUS_FORMAT, "cut short");
  assert_body_fails (tmp, BODY ("N\x72\xf0\xff\xff\xff"), "LONG_BINPUT 4G", VGG_STATUS_TOO_LARGE,
                     "memo");
  {
    GByteArray *name = g_byte_array_new ();

    pk_op (name, 'c');
    for (int i = 0; i < 1000; i++)
      pk_op (name, 'a');
    pk_raw (name, "\nb\n", 3);
    assert_body_fails (tmp, name->data, name->len, "long GLOBAL name", VGG_STATUS_FORMAT,
                       "longer than");
    g_byte_array_unref (name);
  }
  assert_body_fails (tmp, BODY ("I99999999999999999999\n"), "INT beyond 64 bits",
                     VGG_STATUS_FORMAT, "too large");
  assert_body_fails (tmp, BODY ("I12x\n"), "bad INT", VGG_STATUS_FORMAT, "stray");
}

static void
test_malformed (TestTempDir   *tmp,
                gconstpointer  data)
{
  static const struct { const char *body; gsize size; VggStatus status; const char *fragment; }
  cases[] = {
#define CASE(body, status, fragment) { body, sizeof body - 1, status, fragment }
    CASE ("s", VGG_STATUS_FORMAT, "stack is empty"),
    CASE ("}Ns", VGG_STATUS_FORMAT, "stack is empty"),
    CASE ("}K\x01(s", VGG_STATUS_FORMAT, "stack is empty"),     /* no popping past a MARK */
    CASE ("K\x01K\x02(\x86", VGG_STATUS_FORMAT, "stack is empty"),
    CASE ("t", VGG_STATUS_FORMAT, "MARK"),
    CASE ("0", VGG_STATUS_FORMAT, "stack is empty"),
    CASE ("", VGG_STATUS_FORMAT, "stack is empty"),           /* STOP on an empty stack */
    CASE ("h\x05", VGG_STATUS_FORMAT, "memo slot 5"),
    CASE ("j\x00\x01\x00\x00", VGG_STATUS_FORMAT, "memo slot 256"),
    CASE ("]NNs", VGG_STATUS_FORMAT, "SETITEM to a list"),
    CASE ("}Na", VGG_STATUS_FORMAT, "APPEND to a dict"),
    CASE ("](NNu", VGG_STATUS_FORMAT, "SETITEMS to a list"),
    CASE ("}(Nu", VGG_STATUS_FORMAT, "odd"),
    CASE ("(Ne", VGG_STATUS_FORMAT, "without a container"),
    CASE ("\x80\x09}", VGG_STATUS_FORMAT, "protocol 9"),
    CASE ("]Nb", VGG_STATUS_FORMAT, "BUILD on a list"),
    CASE ("N)R", VGG_STATUS_FORMAT, "REDUCE calls None"),
    CASE ("ccollections\nOrderedDict\nNR", VGG_STATUS_FORMAT, "not a tuple"),
    CASE ("ctorch\nFloatStorage\n)R", VGG_STATUS_FORMAT, "storage type"),
    CASE ("ccollections\nOrderedDict\nK\x01\x85R", VGG_STATUS_FORMAT, "unexpected arguments"),
    CASE ("ccollections\nOrderedDict\n]K\x01\x61\x85R", VGG_STATUS_FORMAT, "pair"),
    CASE ("ctorch._utils\n_rebuild_tensor\n)R", VGG_STATUS_FORMAT, "4 arguments"),
    CASE ("ctorch._utils\n_rebuild_tensor_v2\n(NK\x00))\x89t\x85R", VGG_STATUS_FORMAT,
          "6 or 7"),
    CASE ("ctorch._utils\n_rebuild_tensor\n(NK\x00))tR", VGG_STATUS_FORMAT,
          "instead of a storage"),
    CASE ("ctorch._utils\n_rebuild_parameter\n(K\x01\x89}tR", VGG_STATUS_FORMAT,
          "_rebuild_parameter"),
    CASE ("NQ", VGG_STATUS_FORMAT, "persistent id"),
    CASE ("X\x04\x00\x00\x00" "blob\x85Q", VGG_STATUS_FORMAT, "unknown kind"),
    CASE ("(X\x06\x00\x00\x00moduleNNNtQ", VGG_STATUS_UNSUPPORTED, "whole pickled model"),
    CASE ("(X\x07\x00\x00\x00storagectorch\nFloatStorage\nX\x01\x00\x00\x00" "0NtQ",
          VGG_STATUS_FORMAT, "fields"),
    CASE ("(X\x07\x00\x00\x00storageccollections\nOrderedDict\nX\x01\x00\x00\x00" "0NK\x01tQ",
          VGG_STATUS_FORMAT, "storage's type"),
    CASE ("(X\x07\x00\x00\x00storagectorch\nFloatStorage\nK\x00NK\x01tQ", VGG_STATUS_FORMAT,
          "storage key"),
    CASE ("(X\x07\x00\x00\x00storagectorch\nFloatStorage\nX\x01\x00\x00\x00"
          "0NJ\xff\xff\xff\xfftQ",
          VGG_STATUS_FORMAT, "element count"),
    CASE ("(X\x07\x00\x00\x00storagectorch\nFloatStorage\nX\x01\x00\x00\x00" "0NK\x01K\x01tQ",
          VGG_STATUS_FORMAT, "view"),
    CASE ("N\x81", VGG_STATUS_FORMAT, "stack is empty"),
    CASE ("NN\x81", VGG_STATUS_FORMAT, "NEWOBJ"),
    CASE ("N\x93", VGG_STATUS_FORMAT, "stack is empty"),
    CASE ("NN\x93", VGG_STATUS_FORMAT, "not strings"),
#undef CASE
  };

  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *what = g_strescape (cases[i].body, NULL);

      assert_body_fails (tmp, cases[i].body, cases[i].size, what, cases[i].status,
                         cases[i].fragment);
    }

  /* The file ends inside the state dict pickle. */
  {
    static const char *const bodies[] = {
      ("\x8c\x01" "a\x8c\x01" "b"), "c", "ctorch\nFloat", "J\x01\x02", ("X\x05\x00\x00\x00" "ab"),
      "\x8a\x05\x01", "q", "r\x01\x00", "I12", "G\x01\x02\x03",
    };

    for (size_t i = 0; i < G_N_ELEMENTS (bodies); i++)
      {
        GByteArray *file = g_byte_array_new ();
        g_autofree char *what = g_strescape (bodies[i], NULL);

        legacy_header (file, 1001, TRUE);
        pk_raw (file, "\x80\x02", 2);
        pk_raw (file, bodies[i], strlen (bodies[i]));
        assert_bytes_fail (tmp, file->data, file->len, what, VGG_STATUS_FORMAT, "cut short");
        g_byte_array_unref (file);
      }
  }
}

/* Each tensor here is wrong in one way; one storage "s" of 10 floats. */
static void
test_tensor_checks (TestTempDir   *tmp,
                    gconstpointer  data)
{
  static const char *const keys[] = { "s", NULL };
  static const gint64 counts[] = { 10 };
  static const struct { TensorSpec spec; VggStatus status; const char *fragment; } cases[] = {
    { { .key = "s", .numel = 10, .offset = 8, .ndim = 1, .shape = { 3 }, .n_strides = -1 },
      VGG_STATUS_FORMAT, "reaches past" },
    { { .key = "s", .numel = 10, .offset = 11, .ndim = 0, .n_strides = 0 },
      VGG_STATUS_FORMAT, "reaches past" },
    { { .key = "s", .numel = 10, .ndim = 2, .shape = { 2, 3 }, .n_strides = 2,
        .stride = { 5, 1 } }, VGG_STATUS_UNSUPPORTED, "contiguous" },
    { { .key = "s", .numel = 10, .ndim = 2, .shape = { 2, 3 }, .n_strides = 2,
        .stride = { 1, 2 } }, VGG_STATUS_UNSUPPORTED, "contiguous" },
    { { .key = "s", .numel = 10, .ndim = 2, .shape = { 2, 2 }, .n_strides = 2,
        .stride = { 9, 1 } }, VGG_STATUS_FORMAT, "reaches past" },
    { { .key = "s", .numel = 10, .ndim = 2, .shape = { 2, 2 }, .n_strides = 2,
        .stride = { G_MAXINT64, 1 } }, VGG_STATUS_FORMAT, "reaches past" },
    { { .key = "s", .numel = 10, .offset = -1, .ndim = 1, .shape = { 2 }, .n_strides = -1 },
      VGG_STATUS_FORMAT, "negative" },
    { { .key = "s", .numel = 10, .ndim = 1, .shape = { -2 }, .n_strides = 1, .stride = { 1 } },
      VGG_STATUS_FORMAT, "negative" },
    { { .key = "s", .numel = 10, .ndim = 1, .shape = { 2 }, .n_strides = 1, .stride = { -1 } },
      VGG_STATUS_FORMAT, "negative" },
    { { .key = "s", .numel = 10, .ndim = 2, .shape = { 2, 2 }, .n_strides = 1, .stride = { 1 } },
      VGG_STATUS_FORMAT, "2 sizes but 1 strides" },
    { { .key = "s", .numel = 10, .ndim = 9, .shape = { 1, 1, 1, 1, 1, 1, 1, 1, 1 },
        .n_strides = -1 }, VGG_STATUS_UNSUPPORTED, "9 dimensions" },
    { { .key = "s", .numel = 10, .ndim = 70, .n_strides = 0 }, VGG_STATUS_UNSUPPORTED,
      "70 dimensions" },
    { { .key = "s", .numel = 10, .ndim = 3, .shape = { 1 << 30, 1 << 30, 1 << 30 },
        .n_strides = -1 }, VGG_STATUS_FORMAT, "large" },
    { { .key = "missing", .numel = 10, .ndim = 1, .shape = { 2 }, .n_strides = -1 },
      VGG_STATUS_FORMAT, "'missing' is not in the file" },
    { { .key = "s", .numel = 10, .ndim = 1, .shape = { 2 }, .n_strides = -1, .view_key = "v",
        .view_offset = 9, .view_size = 2 }, VGG_STATUS_FORMAT, "view" },
    { { .key = "s", .numel = 10, .ndim = 1, .shape = { 3 }, .n_strides = -1, .view_key = "v",
        .view_offset = 4, .view_size = 2 }, VGG_STATUS_FORMAT, "reaches past" },
  };

  for (size_t i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      static const char *const names[] = { "w" };
      GByteArray *state = pk_state_dict (names, &cases[i].spec, 1);
      GByteArray *file = legacy_file (state, keys, counts);
      g_autofree char *what = g_strdup_printf ("tensor case %zu", i);

      /* "missing" is listed nowhere: the key list names "s", which nothing uses. */
      if (strcmp (cases[i].spec.key, "missing") == 0)
        {
          static const char *const none[] = { NULL };
          g_byte_array_unref (file);
          file = legacy_file (state, none, counts);
        }
      assert_bytes_fail (tmp, file->data, file->len, what, cases[i].status, cases[i].fragment);
      g_byte_array_unref (state);
      g_byte_array_unref (file);
    }
}

static void
test_storage_views (TestTempDir   *tmp,
                    gconstpointer  data)
{
  static const char *const keys[] = { "root", NULL };
  static const gint64 counts[] = { 10 };
  static const char *const names[] = { "a", "b" };
  static const float a[] = { 4, 5 }, b[] = { 7, 8, 9 };
  const TensorSpec specs[] = {
    { .key = "root", .numel = 10, .ndim = 1, .shape = { 2 }, .n_strides = -1, .view_key = "v1",
      .view_offset = 4, .view_size = 3 },
    { .key = "root", .numel = 10, .offset = 1, .ndim = 1, .shape = { 3 }, .n_strides = -1,
      .view_key = "v2", .view_offset = 6, .view_size = 4 },
  };
  GByteArray *state = pk_state_dict (names, specs, 2);
  GByteArray *file = legacy_file (state, keys, counts);
  g_autofree char *path = write_bytes (tmp, file->data, file->len);
  VggTensorFile *loaded = open_ok (path, VGG_SOURCE_PTH_LEGACY);

  assert_floats (loaded, "a", a, 2);
  assert_floats (loaded, "b", b, 3);
  vgg_tensor_file_free (loaded);
  g_byte_array_unref (state);
  g_byte_array_unref (file);
}

static void
test_names_and_types (TestTempDir   *tmp,
                      gconstpointer  data)
{
  static const char *const keys[] = { "s", NULL };
  static const gint64 counts[] = { 4 };
  const TensorSpec t = { .key = "s", .numel = 4, .ndim = 1, .shape = { 2 }, .n_strides = -1 };
  const TensorSpec l = { .storage_type = "LongStorage", .key = "s", .numel = 4, .ndim = 1,
                         .shape = { 2 }, .n_strides = -1 };
  const TensorSpec twice[] = { t, t };
  const TensorSpec mixed[] = { t, l };
  static const char *const duplicate[] = { "w", "w" };
  static const char *const distinct[] = { "w", "x" };
  static const char *const bad_utf8[] = { "w\xff" };
  static const char *const nul[] = { "w" };
  GByteArray *state, *file;

  state = pk_state_dict (duplicate, twice, 2);
  file = legacy_file (state, keys, counts);
  assert_bytes_fail (tmp, file->data, file->len, "duplicate name", VGG_STATUS_FORMAT,
                     "'w' appears twice");
  g_byte_array_unref (state);
  g_byte_array_unref (file);

  state = pk_state_dict (distinct, mixed, 2);
  file = legacy_file (state, keys, counts);
  assert_bytes_fail (tmp, file->data, file->len, "two dtypes", VGG_STATUS_FORMAT,
                     "two element types");
  g_byte_array_unref (state);
  g_byte_array_unref (file);

  state = pk_state_dict (bad_utf8, &t, 1);
  file = legacy_file (state, keys, counts);
  assert_bytes_fail (tmp, file->data, file->len, "invalid UTF-8", VGG_STATUS_FORMAT, "UTF-8");
  g_byte_array_unref (state);
  g_byte_array_unref (file);

  /* a NUL inside a name: "w" becomes "w\0" by changing the BINUNICODE length */
  state = pk_state_dict (nul, &t, 1);
  {
    gssize at = find_last (state->data, state->len, "X\x01\x00\x00\x00w", 6);

    g_assert_cmpint (at, >, 0);
    guint8 nul_byte = 0;

    state->data[at + 1] = 2;
    g_array_insert_vals ((GArray *) state, (guint) at + 6, &nul_byte, 1);
  }
  file = legacy_file (state, keys, counts);
  assert_bytes_fail (tmp, file->data, file->len, "NUL in a name", VGG_STATUS_FORMAT, "UTF-8");
  g_byte_array_unref (state);
  g_byte_array_unref (file);
}

static void
test_legacy_records (TestTempDir   *tmp,
                     gconstpointer  data)
{
  static const char *const names[] = { "w" };
  static const char *const one[] = { "s", NULL };
  static const char *const twice[] = { "s", "s", NULL };
  static const char *const extra[] = { "s", "t", NULL };
  static const gint64 counts[] = { 4, 4 };
  const TensorSpec t = { .key = "s", .numel = 4, .ndim = 1, .shape = { 4 }, .n_strides = -1 };
  GByteArray *state = pk_state_dict (names, &t, 1);
  GByteArray *file;

  file = legacy_file (state, twice, counts);
  assert_bytes_fail (tmp, file->data, file->len, "listed twice", VGG_STATUS_FORMAT,
                     "listed twice");
  g_byte_array_unref (file);

  file = legacy_file (state, extra, counts);
  assert_bytes_fail (tmp, file->data, file->len, "unknown key", VGG_STATUS_FORMAT,
                     "nothing refers to it");
  g_byte_array_unref (file);

  /* counts beyond the file: too many elements, negative, overflowing × 4 */
  {
    const gint64 bad_counts[] = { 5, G_GINT64_CONSTANT (-1), G_GINT64_CONSTANT (1) << 62 };

    for (size_t i = 0; i < G_N_ELEMENTS (bad_counts); i++)
      {
        file = g_byte_array_new ();
        legacy_header (file, 1001, TRUE);
        pk_raw (file, state->data, state->len);
        legacy_keys (file, one);
        pk_le (file, (guint64) bad_counts[i], 8);
        for (int k = 0; k < 16; k++)
          pk_op (file, 0);
        assert_bytes_fail (tmp, file->data, file->len, "record count", VGG_STATUS_FORMAT,
                           "cut short");
        g_byte_array_unref (file);
      }
  }

  /* a record with fewer elements than the tensor needs */
  {
    const gint64 three[] = { 3 };

    file = legacy_file (state, one, three);
    assert_bytes_fail (tmp, file->data, file->len, "short storage", VGG_STATUS_FORMAT,
                       "reaches past");
    g_byte_array_unref (file);
  }

  /* bytes after the last record are ignored, as torch does */
  file = legacy_file (state, one, counts);
  pk_raw (file, "trailing", 8);
  {
    g_autofree char *path = write_bytes (tmp, file->data, file->len);
    vgg_tensor_file_free (open_ok (path, VGG_SOURCE_PTH_LEGACY));
  }
  g_byte_array_unref (file);

  /* the other pickles */
  file = g_byte_array_new ();
  legacy_header (file, 1000, TRUE);
  pk_raw (file, state->data, state->len);
  legacy_keys (file, one);
  legacy_record (file, 4, 4, NULL);
  assert_bytes_fail (tmp, file->data, file->len, "protocol 1000", VGG_STATUS_UNSUPPORTED,
                     "version");
  g_byte_array_unref (file);

  file = g_byte_array_new ();
  legacy_header (file, 1001, FALSE);
  pk_raw (file, state->data, state->len);
  legacy_keys (file, one);
  legacy_record (file, 4, 4, NULL);
  assert_bytes_fail (tmp, file->data, file->len, "big-endian", VGG_STATUS_UNSUPPORTED,
                     "big-endian");
  g_byte_array_unref (file);

  file = legacy_file (state, one, counts);
  file->data[6] ^= 1;  /* inside the magic number */
  assert_bytes_fail (tmp, file->data, file->len, "magic", VGG_STATUS_FORMAT, "magic number");
  g_byte_array_unref (file);

  file = g_byte_array_new ();
  legacy_header (file, 1001, TRUE);
  pk_raw (file, state->data, state->len);
  pk_raw (file, "\x80\x02K\x01.", 5);
  legacy_record (file, 4, 4, NULL);
  assert_bytes_fail (tmp, file->data, file->len, "keys not a list", VGG_STATUS_FORMAT,
                     "list of storages");
  g_byte_array_unref (file);

  file = g_byte_array_new ();
  legacy_header (file, 1001, TRUE);
  pk_raw (file, state->data, state->len);
  pk_raw (file, "\x80\x02]K\x01\x61.", 7);
  legacy_record (file, 4, 4, NULL);
  assert_bytes_fail (tmp, file->data, file->len, "key not a string", VGG_STATUS_FORMAT,
                     "not a string");
  g_byte_array_unref (file);

  g_byte_array_unref (state);
}

/* ---------------------------------------------------------------------------------------------
 * Random damage
 */

static void
test_fuzz (TestTempDir   *tmp,
           gconstpointer  data)
{
  static const char *const names[] = { "tiny.pth", "tiny-legacy.pth", "tiny-legacy-old.pth",
                                       "views.pth", "malicious.pth", "malicious-legacy.pth" };
  GRand *rand = g_rand_new_with_seed (20260102);

  g_unlink (PWNED_MARKER);
  for (size_t n = 0; n < G_N_ELEMENTS (names); n++)
    {
      gsize size;
      g_autofree guint8 *bytes = read_fixture (names[n], &size);
      int n_ok = 0;

      for (int round = 0; round < 600; round++)
        {
          g_autofree guint8 *copy = g_memdup2 (bytes, size);
          g_autofree char *path = NULL;
          VggTensorFile *file = NULL;
          VggError error = { 0 };
          gsize length = size;
          VggStatus status;
          int n_flips = g_rand_int_range (rand, 1, 4);

          for (int f = 0; f < n_flips; f++)
            {
              gsize at = (gsize) g_rand_int_range (rand, 4, (gint32) size);
              copy[at] = (guint8) g_rand_int_range (rand, 0, 256);
            }
          if (g_rand_int_range (rand, 0, 6) == 0)
            length = (gsize) g_rand_int_range (rand, 4, (gint32) size);

          path = write_bytes (tmp, copy, length);
          status = vgg_tensor_file_open (&file, path, &error);
          if (status == VGG_STATUS_OK)
            {
              n_ok++;
              for (size_t i = 0; i < file->n_tensors; i++)
                {
                  const VggTensor *tensor = &file->tensors[i];
                  const unsigned char *p = tensor->data;
                  volatile unsigned sum = 0;

                  g_assert_cmpuint ((uintptr_t) p % vgg_dtype_size (tensor->dtype), ==, 0);
                  int64_t n_bytes = tensor->count * (int64_t) vgg_dtype_size (tensor->dtype);

                  for (int64_t k = 0; k < n_bytes; k++)
                    sum += p[k];
                  (void) sum;
                }
              vgg_tensor_file_free (file);
            }
          else
            {
              g_assert_null (file);
              g_assert_cmpint (status, >, VGG_STATUS_OK);
              g_assert_cmpint (status, <, VGG_STATUS_N_STATUSES);
              g_assert_cmpstr (error.message, !=, "");
              g_assert_nonnull (strstr (error.message, path));
            }
          g_unlink (path);
        }
      g_test_message ("%s: %d of 600 damaged copies still loaded", names[n], n_ok);
    }
  g_assert_false (g_file_test (PWNED_MARKER, G_FILE_TEST_EXISTS));
  g_rand_free (rand);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pth/views", test_views);
  g_test_add_func ("/pth/noncontiguous", test_noncontiguous);
  g_test_add_func ("/pth/malicious", test_malicious);
  g_test_add_func ("/pth/whole-module", test_whole_module);
  g_test_add_func ("/pth/deflated", test_deflated);
#define ADD(path, func) \
  g_test_add ("/pth/" path, TestTempDir, NULL, test_temp_dir_setup, func, test_temp_dir_teardown)
  ADD ("zip/truncated", test_zip_truncated);
  ADD ("zip/bad-directory", test_zip_bad_directory);
  ADD ("zip/entries", test_zip_entries);
  ADD ("legacy/truncated", test_legacy_truncated);
  ADD ("legacy/handmade", test_legacy_handmade);
  ADD ("legacy/nesting", test_legacy_nesting);
  ADD ("legacy/records", test_legacy_records);
  ADD ("legacy/storage-views", test_storage_views);
  ADD ("legacy/names-and-types", test_names_and_types);
  ADD ("legacy/tensor-checks", test_tensor_checks);
  ADD ("pickle/unsafe-globals", test_unsafe_globals);
  ADD ("pickle/unknown-opcodes", test_unknown_opcodes);
  ADD ("pickle/limits", test_limits);
  ADD ("pickle/malformed", test_malformed);
  ADD ("fuzz", test_fuzz);
#undef ADD

  return g_test_run ();
}
