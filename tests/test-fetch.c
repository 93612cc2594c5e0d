/* test-fetch.c — the weight downloader and `vgg-scope-cli fetch` against a local HTTP server
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each test starts a small HTTP/1.1 server on 127.0.0.1 (test-http-server.c: one
 * request per connection, Range support) serving generated files, and stops it at the end.
 * The server can cut a response short (a broken connection) or stall in the middle of one
 * (for cancelling). Nothing leaves the machine.
 */
#include "config.h"

#include "scope-model-catalog.h"
#include "scope-model-downloader.h"
#include "scope-model-paths.h"
#include "test-http-server.h"
#include "test-engine-util.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>

#define FILE_SIZE (3 * 1024 * 1024 + 123)

/* ---------------------------------------------------------------------------------------------
 * Fixture: a server with one good file, a temporary models folder
 */

typedef struct
{
  TestHttpServer  server;
  char           *directory;   /* a temporary folder; the models go in directory/models */
  char           *models;
  char           *base_url;
  GBytes         *content;
  char           *good_name;   /* "narrow-<sha256 prefix>.pth" */
  GMainLoop      *loop;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (6006);
  guint8 *bytes = g_malloc (FILE_SIZE);
  g_autofree char *digest = NULL;
  g_autofree char *path = NULL;

  for (gsize i = 0; i < FILE_SIZE; i++)
    bytes[i] = (guint8) g_rand_int (rand);
  fixture->content = g_bytes_new_take (bytes, FILE_SIZE);
  digest = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, fixture->content);
  fixture->good_name = g_strdup_printf ("narrow-%.8s.pth", digest);

  test_http_server_start (&fixture->server);
  path = g_strconcat ("/models/", fixture->good_name, NULL);
  g_hash_table_insert (fixture->server.files, g_steal_pointer (&path),
                       g_bytes_ref (fixture->content));
  fixture->base_url = g_strdup_printf ("http://127.0.0.1:%u/models/", fixture->server.port);
  fixture->directory = g_dir_make_tmp ("test-fetch-XXXXXX", NULL);
  fixture->models = g_build_filename (fixture->directory, "vgg-scope", "models", NULL);
  fixture->loop = g_main_loop_new (NULL, FALSE);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  test_http_server_stop (&fixture->server);
  test_remove_tree (fixture->directory);
  g_free (fixture->directory);
  g_free (fixture->models);
  g_free (fixture->base_url);
  g_free (fixture->good_name);
  g_bytes_unref (fixture->content);
  g_main_loop_unref (fixture->loop);
}

typedef struct
{
  GMainLoop *loop;
  char      *path;
  GError    *error;
  guint      n_notifies;
} Result;

static void
on_downloaded (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Result *r = user_data;

  r->path = scope_model_downloader_download_finish (SCOPE_MODEL_DOWNLOADER (source), result,
                                                    &r->error);
  g_main_loop_quit (r->loop);
}

static void
on_notify (GObject    *object,
           GParamSpec *pspec,
           gpointer    user_data)
{
  Result *r = user_data;

  r->n_notifies++;
}

/* Runs one download to its end; @cancellable may be cancelled from a timeout meanwhile. */
static Result
run_download (Fixture              *fixture,
              ScopeModelDownloader *downloader,
              GCancellable         *cancellable)
{
  Result r = { .loop = fixture->loop };
  gulong handler = g_signal_connect (downloader, "notify::bytes-received",
                                     G_CALLBACK (on_notify), &r);

  scope_model_downloader_download_async (downloader, cancellable, on_downloaded, &r);
  g_main_loop_run (fixture->loop);
  g_signal_handler_disconnect (downloader, handler);
  return r;
}

static void
assert_file_equals (const char *path,
                    GBytes     *expected)
{
  g_autofree char *contents = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_cmpuint (length, ==, g_bytes_get_size (expected));
  g_assert_true (memcmp (contents, g_bytes_get_data (expected, NULL), length) == 0);
}

static gint64
file_size (const char *path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 ? (gint64) st.st_size : -1;
}

/* ---------------------------------------------------------------------------------------------
 * The downloader
 */

static void
test_success (Fixture       *fixture,
              gconstpointer  data)
{
  ScopeModelDownloader *downloader = scope_model_downloader_new (fixture->good_name,
                                                                 fixture->base_url,
                                                                 fixture->models);
  g_autofree char *expected = g_build_filename (fixture->models, fixture->good_name, NULL);
  Result r = run_download (fixture, downloader, NULL);

  g_assert_no_error (r.error);
  g_assert_cmpstr (r.path, ==, expected);
  assert_file_equals (r.path, fixture->content);
  g_assert_false (g_file_test (scope_model_downloader_get_part_path (downloader),
                               G_FILE_TEST_EXISTS));
  g_assert_cmpuint (scope_model_downloader_get_bytes_received (downloader), ==, FILE_SIZE);
  g_assert_cmpuint (scope_model_downloader_get_bytes_total (downloader), ==, FILE_SIZE);
  g_assert_cmpuint (scope_model_downloader_get_resumed_from (downloader), ==, 0);
  g_assert_cmpuint (r.n_notifies, >=, 2);
  g_assert_cmpuint (fixture->server.ranges->len, ==, 1);
  g_free (r.path);

  /* a second time: already there, nothing asked of the server */
  r = run_download (fixture, downloader, NULL);
  g_assert_no_error (r.error);
  g_assert_cmpstr (r.path, ==, expected);
  g_assert_cmpuint (fixture->server.ranges->len, ==, 1);
  g_free (r.path);

  g_assert_finalize_object (downloader);
}

static void
test_resume (Fixture       *fixture,
             gconstpointer  data)
{
  ScopeModelDownloader *downloader = scope_model_downloader_new (fixture->good_name,
                                                                 fixture->base_url,
                                                                 fixture->models);
  const gsize cut = 1024 * 1024;
  g_autofree char *range = g_strdup_printf ("bytes=%zu-", cut);
  Result r;

  /* the connection breaks after 1 MiB: the .part keeps it */
  fixture->server.cut_after = cut;
  r = run_download (fixture, downloader, NULL);
  g_assert_error (r.error, SCOPE_DOWNLOAD_ERROR, SCOPE_DOWNLOAD_ERROR_INTERRUPTED);
  g_test_message ("%s", r.error->message);
  g_assert_nonnull (strstr (r.error->message, "resume"));
  g_assert_null (r.path);
  g_assert_cmpint (file_size (scope_model_downloader_get_part_path (downloader)), ==, cut);
  g_clear_error (&r.error);

  /* run again: a Range request for the rest, and the whole file checks out */
  r = run_download (fixture, downloader, NULL);
  g_assert_no_error (r.error);
  assert_file_equals (r.path, fixture->content);
  g_assert_cmpuint (scope_model_downloader_get_resumed_from (downloader), ==, cut);
  g_assert_cmpuint (fixture->server.ranges->len, ==, 2);
  g_assert_cmpstr (fixture->server.ranges->pdata[0], ==, "");
  g_assert_cmpstr (fixture->server.ranges->pdata[1], ==, range);
  g_free (r.path);
  g_assert_finalize_object (downloader);
}

static void
test_hash_mismatch (Fixture       *fixture,
                    gconstpointer  data)
{
  ScopeModelDownloader *downloader;
  Result r;

  g_hash_table_insert (fixture->server.files, g_strdup ("/models/narrow-0123abcd.pth"),
                       g_bytes_ref (fixture->content));
  downloader = scope_model_downloader_new ("narrow-0123abcd.pth", fixture->base_url,
                                           fixture->models);
  r = run_download (fixture, downloader, NULL);
  g_assert_error (r.error, SCOPE_DOWNLOAD_ERROR, SCOPE_DOWNLOAD_ERROR_HASH_MISMATCH);
  g_test_message ("%s", r.error->message);
  g_assert_nonnull (strstr (r.error->message, "0123abcd"));
  {
    g_autofree char *actual = g_strndup (fixture->good_name + strlen ("narrow-"), 8);
    g_assert_nonnull (strstr (r.error->message, actual));
  }
  g_assert_false (g_file_test (scope_model_downloader_get_path (downloader), G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (scope_model_downloader_get_part_path (downloader),
                               G_FILE_TEST_EXISTS));
  g_clear_error (&r.error);
  g_assert_finalize_object (downloader);
}

static void
test_not_found (Fixture       *fixture,
                gconstpointer  data)
{
  ScopeModelDownloader *downloader = scope_model_downloader_new ("vgg16-397923af.pth",
                                                                 fixture->base_url,
                                                                 fixture->models);
  Result r = run_download (fixture, downloader, NULL);

  g_assert_error (r.error, SCOPE_DOWNLOAD_ERROR, SCOPE_DOWNLOAD_ERROR_NOT_FOUND);
  g_test_message ("%s", r.error->message);
  g_assert_nonnull (strstr (r.error->message, "vgg16-397923af.pth"));
  g_assert_nonnull (strstr (r.error->message, "404"));
  g_assert_false (g_file_test (scope_model_downloader_get_part_path (downloader),
                               G_FILE_TEST_EXISTS));
  g_clear_error (&r.error);
  g_assert_finalize_object (downloader);
}

static void
test_offline (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr (GSocketListener) listener = g_socket_listener_new ();
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr (GSocketAddress) effective = NULL;
  g_autofree char *url = NULL;
  ScopeModelDownloader *downloader;
  Result r;

  /* a port that was just free: nobody listens there */
  g_socket_listener_add_address (listener, address, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                 NULL, &effective, NULL);
  url = g_strdup_printf ("http://127.0.0.1:%u/models/",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective)));
  g_socket_listener_close (listener);

  downloader = scope_model_downloader_new (fixture->good_name, url, fixture->models);
  r = run_download (fixture, downloader, NULL);
  g_assert_error (r.error, SCOPE_DOWNLOAD_ERROR, SCOPE_DOWNLOAD_ERROR_OFFLINE);
  g_test_message ("%s", r.error->message);
  g_assert_nonnull (strstr (r.error->message, "127.0.0.1"));
  g_clear_error (&r.error);
  g_assert_finalize_object (downloader);
}

typedef struct
{
  ScopeModelDownloader *downloader;
  GCancellable         *cancellable;
  guint64               threshold;
} CancelWhen;

static gboolean
cancel_when_received (gpointer user_data)
{
  CancelWhen *when = user_data;

  if (scope_model_downloader_get_bytes_received (when->downloader) < when->threshold)
    return G_SOURCE_CONTINUE;
  g_cancellable_cancel (when->cancellable);
  return G_SOURCE_REMOVE;
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  ScopeModelDownloader *downloader = scope_model_downloader_new (fixture->good_name,
                                                                 fixture->base_url,
                                                                 fixture->models);
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  const gsize stall = 512 * 1024;
  CancelWhen when = { downloader, cancellable, stall };
  Result r;
  guint source;

  /* the server stalls half-way; cancel once what it sent has arrived */
  fixture->server.stall_after = stall;
  source = g_timeout_add (10, cancel_when_received, &when);
  r = run_download (fixture, downloader, cancellable);
  g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (file_size (scope_model_downloader_get_part_path (downloader)), ==, stall);
  g_assert_false (g_file_test (scope_model_downloader_get_path (downloader), G_FILE_TEST_EXISTS));
  g_clear_error (&r.error);
  if (!g_cancellable_is_cancelled (cancellable))
    g_source_remove (source);

  /* the server recovers; the download resumes where it stopped */
  test_http_server_release (&fixture->server);
  fixture->server.stall_after = 0;
  r = run_download (fixture, downloader, NULL);
  g_assert_no_error (r.error);
  assert_file_equals (r.path, fixture->content);
  g_assert_cmpuint (scope_model_downloader_get_resumed_from (downloader), ==, stall);
  g_free (r.path);
  g_assert_finalize_object (downloader);
}

static void
test_bad_name (Fixture       *fixture,
               gconstpointer  data)
{
  ScopeModelDownloader *downloader = scope_model_downloader_new ("vgg16.pth", fixture->base_url,
                                                                 fixture->models);
  Result r = run_download (fixture, downloader, NULL);
  g_autofree char *hash = scope_model_file_name_hash ("vgg16_bn-6c64b313.pth");

  g_assert_error (r.error, SCOPE_DOWNLOAD_ERROR, SCOPE_DOWNLOAD_ERROR_BAD_NAME);
  g_assert_cmpuint (fixture->server.ranges->len, ==, 0);
  g_clear_error (&r.error);
  g_assert_finalize_object (downloader);

  g_assert_cmpstr (hash, ==, "6c64b313");
  g_assert_null (scope_model_file_name_hash ("vgg16-39792.pth"));
  g_assert_null (scope_model_file_name_hash ("vgg16-397923AF.pth"));
  g_assert_null (scope_model_file_name_hash ("-397923af.pth"));
}

static void
test_catalog (void)
{
  gsize n;
  const ScopeModelInfo *models = scope_model_catalog (&n);

  g_assert_cmpuint (n, ==, 8);
  g_assert_cmpstr (models[4].file_name, ==, "vgg16-397923af.pth");
  g_assert_true (scope_model_catalog_find ("VGG19-BN") == &models[7]);
  g_assert_true (scope_model_catalog_find ("vgg13_bn") == &models[3]);
  g_assert_true (scope_model_catalog_find ("vgg11-8a719046.pth") == &models[0]);
  g_assert_null (scope_model_catalog_find ("resnet50"));
}

static void
assert_base_url (const char *setting,
                 const char *expected)
{
  g_autofree char *base_url = scope_model_paths_dup_base_url (setting);

  g_assert_cmpstr (base_url, ==, expected);
}

/* The rules the store, the downloader, the CLI and the dialog share (scope-model-paths.h). */
static void
test_paths (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree char *saved_env = g_strdup (g_getenv ("VGG_SCOPE_MODEL_BASE_URL"));
  g_autofree char *models_dir = scope_model_paths_dup_models_dir ();
  g_autofree char *expected_dir = g_build_filename (g_get_user_data_dir (), "vgg-scope",
                                                    "models", NULL);
  g_autofree char *path = scope_model_paths_build_file (fixture->models, "a-0123abcd.pth");
  g_autofree char *part = scope_model_paths_build_part (fixture->models, "a-0123abcd.pth");
  g_autofree char *expected_path = g_build_filename (fixture->models, "a-0123abcd.pth", NULL);
  g_autofree char *expected_part = g_build_filename (fixture->models, "a-0123abcd.pth.part",
                                                     NULL);
  g_autoptr (ScopeModelDownloader) downloader = NULL;
  g_autoptr (GError) error = NULL;
  guint64 part_bytes = 1;

  g_assert_cmpstr (models_dir, ==, expected_dir);

  /* the environment wins when set and not empty, then the setting, then torchvision */
  g_unsetenv ("VGG_SCOPE_MODEL_BASE_URL");
  assert_base_url (NULL, SCOPE_MODEL_BASE_URL_DEFAULT);
  assert_base_url ("", SCOPE_MODEL_BASE_URL_DEFAULT);
  assert_base_url ("http://mirror/m/", "http://mirror/m/");
  g_setenv ("VGG_SCOPE_MODEL_BASE_URL", "", TRUE);
  assert_base_url ("http://mirror/m/", "http://mirror/m/");
  g_setenv ("VGG_SCOPE_MODEL_BASE_URL", "http://env/m/", TRUE);
  assert_base_url ("http://mirror/m/", "http://env/m/");
  assert_base_url (NULL, "http://env/m/");

  /* a downloader without an address or folder follows the same rules */
  downloader = scope_model_downloader_new ("a-0123abcd.pth", NULL, NULL);
  g_assert_cmpstr (scope_model_downloader_get_base_url (downloader), ==, "http://env/m/");
  g_assert_cmpstr (scope_model_downloader_get_directory (downloader), ==, expected_dir);
  if (saved_env != NULL)
    g_setenv ("VGG_SCOPE_MODEL_BASE_URL", saved_env, TRUE);
  else
    g_unsetenv ("VGG_SCOPE_MODEL_BASE_URL");

  /* the file, the unfinished download beside it, and what the folder holds */
  g_assert_cmpstr (path, ==, expected_path);
  g_assert_cmpstr (part, ==, expected_part);
  g_assert_cmpint (scope_model_paths_query_file (fixture->models, "a-0123abcd.pth", &part_bytes),
                   ==, SCOPE_MODEL_FILE_ABSENT);
  g_assert_cmpuint (part_bytes, ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (fixture->models, 0755), ==, 0);
  g_assert_true (g_file_set_contents (part, "", 0, &error));
  g_assert_no_error (error);
  /* an empty .part has nothing to resume */
  g_assert_cmpint (scope_model_paths_query_file (fixture->models, "a-0123abcd.pth", NULL), ==,
                   SCOPE_MODEL_FILE_ABSENT);
  g_assert_true (g_file_set_contents (part, "12345", 5, &error));
  g_assert_no_error (error);
  g_assert_cmpint (scope_model_paths_query_file (fixture->models, "a-0123abcd.pth", &part_bytes),
                   ==, SCOPE_MODEL_FILE_PARTIAL);
  g_assert_cmpuint (part_bytes, ==, 5);
  g_assert_true (g_file_set_contents (path, "12345", 5, &error));
  g_assert_no_error (error);
  g_assert_cmpint (scope_model_paths_query_file (fixture->models, "a-0123abcd.pth", &part_bytes),
                   ==, SCOPE_MODEL_FILE_INSTALLED);
  g_assert_cmpuint (part_bytes, ==, 0);
}

/* ---------------------------------------------------------------------------------------------
 * vgg-scope-cli fetch
 */

typedef struct
{
  GMainLoop *loop;
  char      *out;
  char      *err;
  gboolean   done;
} Communication;

static void
on_communicated (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Communication *c = user_data;

  g_assert_true (g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, &c->out,
                                                       &c->err, NULL));
  c->done = TRUE;
  g_main_loop_quit (c->loop);
}

static GSubprocess *
spawn_cli (Fixture           *fixture,
           const char *const *args)
{
  g_autoptr (GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  const char *cli = g_getenv ("VGG_SCOPE_CLI");
  GSubprocess *process;

  if (cli == NULL)
    cli = "vgg-scope-cli";
  g_ptr_array_add (argv, (gpointer) cli);
  g_ptr_array_add (argv, (gpointer) "fetch");
  for (int i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", fixture->directory, TRUE);
  g_subprocess_launcher_setenv (launcher, "VGG_SCOPE_MODEL_BASE_URL", fixture->base_url, TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);
  return process;
}

/* Runs the CLI to its end (the server lives in this process's main loop), returns its exit
 * status and output. */
static int
run_cli (Fixture           *fixture,
         const char *const *args,
         char             **out,
         char             **err)
{
  g_autoptr (GSubprocess) process = spawn_cli (fixture, args);
  Communication c = { .loop = fixture->loop };

  g_subprocess_communicate_utf8_async (process, NULL, NULL, on_communicated, &c);
  g_main_loop_run (fixture->loop);
  *out = c.out;
  *err = c.err;
  g_assert_true (g_subprocess_get_if_exited (process));
  return g_subprocess_get_exit_status (process);
}

typedef struct
{
  GSubprocess *process;
  char        *part_path;
  gsize        threshold;
  gboolean     sent;
} InterruptWhen;

static gboolean
interrupt_when_part_grows (gpointer user_data)
{
  InterruptWhen *when = user_data;

  if (file_size (when->part_path) < (gint64) when->threshold)
    return G_SOURCE_CONTINUE;
  g_subprocess_send_signal (when->process, SIGINT);
  when->sent = TRUE;
  return G_SOURCE_REMOVE;
}

static void
test_cli (Fixture       *fixture,
          gconstpointer  data)
{
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *saved = g_build_filename (fixture->models, fixture->good_name, NULL);
  g_autofree char *vgg16_part = g_build_filename (fixture->models, "vgg16-397923af.pth.part",
                                                  NULL);
  const char *list_args[] = { "--list", NULL };
  const char *good_args[] = { fixture->good_name, NULL };
  const char *vgg16_args[] = { "vgg16", NULL };
  const char *bad_args[] = { "resnet50", NULL };
  const gsize stall = 256 * 1024;
  int status;

  /* the catalogue */
  status = run_cli (fixture, list_args, &out, &err);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "vgg16-397923af.pth"));
  g_assert_nonnull (strstr (out, "71.592"));
  g_assert_nonnull (strstr (out, fixture->models));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* a download by file name into $XDG_DATA_HOME/vgg-scope/models */
  status = run_cli (fixture, good_args, &out, &err);
  g_test_message ("%s%s", out, err);
  g_assert_cmpint (status, ==, 0);
  assert_file_equals (saved, fixture->content);
  g_assert_nonnull (strstr (out, saved));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Ctrl+C in the middle leaves a .part to resume */
  g_hash_table_insert (fixture->server.files, g_strdup ("/models/vgg16-397923af.pth"),
                       g_bytes_ref (fixture->content));
  fixture->server.stall_after = stall;
  {
    g_autoptr (GSubprocess) process = spawn_cli (fixture, vgg16_args);
    InterruptWhen when = { process, vgg16_part, stall, FALSE };
    Communication c = { .loop = fixture->loop };

    g_timeout_add (10, interrupt_when_part_grows, &when);
    g_subprocess_communicate_utf8_async (process, NULL, NULL, on_communicated, &c);
    g_main_loop_run (fixture->loop);
    g_assert_true (when.sent);
    g_test_message ("%s", c.err);
    g_assert_true (g_subprocess_get_if_exited (process));
    g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 1);
    g_assert_nonnull (strstr (c.err, "interrupted"));
    g_assert_nonnull (strstr (c.err, "resume"));
    g_assert_cmpint (file_size (vgg16_part), ==, stall);
    g_free (c.out);
    g_free (c.err);
  }

  /* resumed, the whole file does not hash to 397923af: refused and deleted */
  test_http_server_release (&fixture->server);
  fixture->server.stall_after = 0;
  status = run_cli (fixture, vgg16_args, &out, &err);
  g_test_message ("%s", err);
  g_assert_cmpint (status, ==, 1);
  g_assert_nonnull (strstr (err, "SHA-256"));
  g_assert_cmpint (file_size (vgg16_part), ==, -1);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* an unknown model is a usage error */
  status = run_cli (fixture, bad_args, &out, &err);
  g_assert_cmpint (status, ==, 2);
  g_assert_nonnull (strstr (err, "resnet50"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/fetch/catalog", test_catalog);
  g_test_add ("/fetch/paths", Fixture, NULL, fixture_set_up, test_paths, fixture_tear_down);
  g_test_add ("/fetch/success", Fixture, NULL, fixture_set_up, test_success, fixture_tear_down);
  g_test_add ("/fetch/resume", Fixture, NULL, fixture_set_up, test_resume, fixture_tear_down);
  g_test_add ("/fetch/hash-mismatch", Fixture, NULL, fixture_set_up, test_hash_mismatch,
              fixture_tear_down);
  g_test_add ("/fetch/not-found", Fixture, NULL, fixture_set_up, test_not_found,
              fixture_tear_down);
  g_test_add ("/fetch/offline", Fixture, NULL, fixture_set_up, test_offline, fixture_tear_down);
  g_test_add ("/fetch/cancel", Fixture, NULL, fixture_set_up, test_cancel, fixture_tear_down);
  g_test_add ("/fetch/bad-name", Fixture, NULL, fixture_set_up, test_bad_name,
              fixture_tear_down);
  g_test_add ("/fetch/cli", Fixture, NULL, fixture_set_up, test_cli, fixture_tear_down);

  return g_test_run ();
}
