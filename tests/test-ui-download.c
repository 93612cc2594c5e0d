/* test-ui-download.c — the "Get ImageNet Weights" dialog against a local HTTP server
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each test starts the server of test-http-server.c on 127.0.0.1, opens the dialog the way
 * the model menu does (win.get-weights) and gives it a catalogue of files the server has, or
 * does not have: a small real VGG (.pth) named vgg-fixture-<first 8 hex of its SHA-256>.pth,
 * the same bytes under a name whose hash does not match, and a name the server does not know;
 * the server can also stall (Cancel, then resume) or announce a file no disk can hold.
 * The download address comes from the model-base-url setting, as a user would set it.
 * Nothing leaves the machine.
 */
#include "config.h"

#include "scope-window-private.h"
#include "test-http-server.h"
#include "test-ui-util.h"

#include <glib/gstdio.h>
#include <string.h>

#define TIMEOUT_MS 60000

typedef struct
{
  TestHttpServer      server;
  char               *tmpdir;
  char               *models;      /* tmpdir/models: the store's folder */
  char               *base_url;
  GBytes             *content;     /* the fixture model's bytes */
  char               *good_name;   /* vgg-fixture-<hash>.pth */
  ScopeModelInfo      catalog[3];
  GSettings          *settings;
  ScopeModelStore    *store;
  ScopeWindow        *window;
  ScopeWeightsDialog *dialog;      /* borrowed */
} Fixture;

static gboolean
download_over (gpointer data)
{
  return scope_weights_dialog_get_state (data) != SCOPE_WEIGHTS_STATE_DOWNLOADING;
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autofree char *source = g_test_build_filename (G_TEST_DIST, "fixtures", "reference",
                                                   "narrow-vgg16-legacy.pth", NULL);
  g_autoptr(GFile) models = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *digest = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (source, &contents, &length, &error));
  g_assert_no_error (error);
  fixture->content = g_bytes_new_take (contents, length);
  digest = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, fixture->content);
  fixture->good_name = g_strdup_printf ("vgg-fixture-%.8s.pth", digest);

  test_http_server_start (&fixture->server);
  g_mutex_lock (&fixture->server.lock);
  g_hash_table_insert (fixture->server.files,
                       g_strconcat ("/models/", fixture->good_name, NULL),
                       g_bytes_ref (fixture->content));
  /* the same bytes under a name that promises another hash */
  g_hash_table_insert (fixture->server.files, g_strdup ("/models/vgg-damaged-0123abcd.pth"),
                       g_bytes_ref (fixture->content));
  g_mutex_unlock (&fixture->server.lock);
  fixture->base_url = g_strdup_printf ("http://127.0.0.1:%u/models/", fixture->server.port);

  fixture->catalog[0] = (ScopeModelInfo) { "fixture", "Fixture VGG", fixture->good_name,
                                           length / 1048576.0, 0, 50.0, 75.0 };
  fixture->catalog[1] = (ScopeModelInfo) { "damaged", "Damaged VGG",
                                           "vgg-damaged-0123abcd.pth", length / 1048576.0, 0,
                                           50.0, 75.0 };
  fixture->catalog[2] = (ScopeModelInfo) { "missing", "Missing VGG",
                                           "vgg-missing-89abcdef.pth", 1.0, 0, 50.0, 75.0 };

  /* the address as a user sets it; the environment would win over it */
  g_unsetenv ("VGG_SCOPE_MODEL_BASE_URL");
  fixture->settings = g_settings_new (APPLICATION_ID);
  g_settings_set_string (fixture->settings, "model-base-url", fixture->base_url);

  fixture->tmpdir = g_dir_make_tmp ("test-ui-download-XXXXXX", NULL);
  g_assert_nonnull (fixture->tmpdir);
  fixture->models = g_build_filename (fixture->tmpdir, "models", NULL);
  models = g_file_new_for_path (fixture->models);
  fixture->store = scope_model_store_new (models);
  fixture->window = test_ui_window_new (fixture->store, TIMEOUT_MS);

  /* what the model menu's "Get ImageNet Weights…" does */
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.get-weights", NULL);
  fixture->dialog = scope_window_show_weights_dialog (fixture->window);
  g_assert_nonnull (fixture->dialog);
  g_object_add_weak_pointer (G_OBJECT (fixture->dialog), (gpointer *) &fixture->dialog);
  scope_weights_dialog_set_catalog (fixture->dialog, fixture->catalog,
                                    G_N_ELEMENTS (fixture->catalog));
}

/* Whether the dialog has been finalized (its weak pointer cleared). */
static gboolean
dialog_gone (gpointer data)
{
  return ((Fixture *) data)->dialog == NULL;
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  user_data)
{
  test_ui_wait_until (test_ui_inference_idle, NULL, TIMEOUT_MS);
  /* closing the window closes the dialog and stops its download */
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  test_ui_wait_until (test_ui_last_reference, fixture->window, TIMEOUT_MS);
  g_assert_finalize_object (fixture->window);
  test_ui_wait_until (dialog_gone, fixture, TIMEOUT_MS);
  /* the window's workspace lets go of the store once a model load it cancelled returns */
  test_ui_wait_until (test_ui_last_reference, fixture->store, TIMEOUT_MS);
  g_assert_finalize_object (fixture->store);

  g_settings_reset (fixture->settings, "model-base-url");
  g_settings_reset (fixture->settings, "model");
  g_clear_object (&fixture->settings);
  test_http_server_stop (&fixture->server);
  test_remove_tree (fixture->tmpdir);
  g_free (fixture->tmpdir);
  g_free (fixture->models);
  g_free (fixture->base_url);
  g_free (fixture->good_name);
  g_bytes_unref (fixture->content);
}

static char *
models_path (Fixture    *fixture,
             const char *name)
{
  return g_build_filename (fixture->models, name, NULL);
}

static void
test_base_url (Fixture       *fixture,
               gconstpointer  user_data)
{
  g_autofree char *from_setting = scope_window_dup_model_base_url (fixture->window);
  g_autofree char *from_environment = NULL;
  g_autofree char *from_default = NULL;

  g_assert_cmpstr (from_setting, ==, fixture->base_url);

  /* the environment wins */
  g_setenv ("VGG_SCOPE_MODEL_BASE_URL", "http://127.0.0.1:9/elsewhere/", TRUE);
  from_environment = scope_window_dup_model_base_url (fixture->window);
  g_assert_cmpstr (from_environment, ==, "http://127.0.0.1:9/elsewhere/");
  g_unsetenv ("VGG_SCOPE_MODEL_BASE_URL");

  /* an empty setting means torchvision's server */
  g_settings_reset (fixture->settings, "model-base-url");
  from_default = scope_window_dup_model_base_url (fixture->window);
  g_assert_cmpstr (from_default, ==, SCOPE_MODEL_BASE_URL_DEFAULT);
}

static void
test_catalog (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_autoptr(ScopeWeightsDialog) dialog = scope_weights_dialog_new (NULL, NULL, fixture->models);
  gsize n_models = 0;
  const ScopeModelInfo *models = scope_model_catalog (&n_models);

  /* the real dialog offers the services' catalogue: the eight torchvision VGGs */
  g_object_ref_sink (dialog);
  g_assert_cmpuint (n_models, ==, 8);
  g_assert_cmpstr (scope_weights_dialog_get_selected (dialog), ==, "vgg16");
  scope_weights_dialog_set_selected (dialog, "vgg19_bn");
  g_assert_cmpstr (scope_weights_dialog_get_selected (dialog), ==, "vgg19_bn");
  g_assert_cmpstr (models[n_models - 1].name, ==, "vgg19_bn");
  g_assert_cmpint (scope_weights_dialog_get_state (dialog), ==, SCOPE_WEIGHTS_STATE_IDLE);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
test_success (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_autofree char *path = models_path (fixture, fixture->good_name);
  g_autofree char *part = g_strconcat (path, ".part", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *uri = g_file_get_uri (file);
  ScopeModelEntry *entry;
  guint n_requests;

  scope_weights_dialog_set_selected (fixture->dialog, "fixture");
  gtk_widget_activate_action (GTK_WIDGET (fixture->dialog), "weights.download", NULL);
  g_assert_cmpint (scope_weights_dialog_get_state (fixture->dialog), ==,
                   SCOPE_WEIGHTS_STATE_DOWNLOADING);
  g_assert_true (test_ui_wait (download_over, fixture->dialog, TIMEOUT_MS));
  g_assert_null (scope_weights_dialog_get_error (fixture->dialog));
  g_assert_cmpint (scope_weights_dialog_get_state (fixture->dialog), ==,
                   SCOPE_WEIGHTS_STATE_DONE);
  g_test_message ("message: %s", scope_weights_dialog_get_message (fixture->dialog));
  g_assert_nonnull (strstr (scope_weights_dialog_get_message (fixture->dialog), "Fixture VGG"));

  /* verified, moved into the models folder, nothing left over */
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_assert_false (g_file_test (part, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (scope_model_downloader_get_bytes_received (
                      scope_weights_dialog_get_downloader (fixture->dialog)), ==,
                    g_bytes_get_size (fixture->content));

  /* in the model menu, and the model in use */
  entry = scope_model_store_find (fixture->store, uri);
  g_assert_nonnull (entry);
  g_assert_true (test_ui_wait_for_model (fixture->window, uri, TIMEOUT_MS));
  g_assert_cmpint (vgg_model_n_classes (scope_model_get_engine (
                     scope_workspace_get_model (scope_window_get_workspace (fixture->window)))), ==, 10);
  /* and described there from the file it read */
  g_assert_nonnull (strstr (scope_model_entry_get_description (entry), "10 classes"));

  /* now that it is there, the button uses it without asking the server again */
  g_mutex_lock (&fixture->server.lock);
  n_requests = fixture->server.ranges->len;
  g_mutex_unlock (&fixture->server.lock);
  scope_weights_dialog_download (fixture->dialog);
  g_assert_true (test_ui_wait (download_over, fixture->dialog, TIMEOUT_MS));
  g_assert_cmpint (scope_weights_dialog_get_state (fixture->dialog), ==,
                   SCOPE_WEIGHTS_STATE_DONE);
  g_mutex_lock (&fixture->server.lock);
  g_assert_cmpuint (fixture->server.ranges->len, ==, n_requests);
  g_mutex_unlock (&fixture->server.lock);
  g_assert_true (test_ui_wait_for_model (fixture->window, uri, TIMEOUT_MS));
}

/* Downloads @id and asserts it fails with @code (a ScopeDownloadError) and @message, leaving
 * no file at @path and no new model in the store. */
static void
assert_download_fails (Fixture    *fixture,
                       const char *id,
                       int         code,
                       const char *message,
                       const char *path)
{
  scope_weights_dialog_set_selected (fixture->dialog, id);
  scope_weights_dialog_download (fixture->dialog);
  g_assert_true (test_ui_wait (download_over, fixture->dialog, TIMEOUT_MS));

  g_assert_cmpint (scope_weights_dialog_get_state (fixture->dialog), ==,
                   SCOPE_WEIGHTS_STATE_FAILED);
  g_assert_error (scope_weights_dialog_get_error (fixture->dialog), SCOPE_DOWNLOAD_ERROR, code);
  g_assert_cmpstr (scope_weights_dialog_get_message (fixture->dialog), ==, message);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->store)), ==, 1);
}

static void
test_hash_mismatch (Fixture       *fixture,
                    gconstpointer  user_data)
{
  g_autofree char *path = models_path (fixture, "vgg-damaged-0123abcd.pth");
  g_autofree char *part = g_strconcat (path, ".part", NULL);
  ScopeModel *before = scope_workspace_get_model (scope_window_get_workspace (fixture->window));

  assert_download_fails (fixture, "damaged", SCOPE_DOWNLOAD_ERROR_HASH_MISMATCH,
                         "The Download Was Damaged", path);
  /* deleted, never used */
  g_assert_false (g_file_test (part, G_FILE_TEST_EXISTS));
  g_assert_true (scope_workspace_get_model (scope_window_get_workspace (fixture->window)) == before);
}

static void
test_not_found (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autofree char *path = models_path (fixture, "vgg-missing-89abcdef.pth");

  assert_download_fails (fixture, "missing", SCOPE_DOWNLOAD_ERROR_NOT_FOUND,
                         "File Not Found on the Server", path);

  /* another choice after a failure works */
  scope_weights_dialog_set_selected (fixture->dialog, "fixture");
  scope_weights_dialog_download (fixture->dialog);
  g_assert_true (test_ui_wait (download_over, fixture->dialog, TIMEOUT_MS));
  g_assert_cmpint (scope_weights_dialog_get_state (fixture->dialog), ==,
                   SCOPE_WEIGHTS_STATE_DONE);
}

static void
test_disk_full (Fixture       *fixture,
                gconstpointer  user_data)
{
  g_autofree char *path = models_path (fixture, fixture->good_name);

  /* the server announces a file larger than any disk: the download stops before writing */
  g_mutex_lock (&fixture->server.lock);
  fixture->server.claim_length = G_GUINT64_CONSTANT (1) << 60;
  g_mutex_unlock (&fixture->server.lock);
  assert_download_fails (fixture, "fixture", SCOPE_DOWNLOAD_ERROR_DISK_FULL,
                         "Not Enough Disk Space", path);
}

static void
test_offline (Fixture       *fixture,
              gconstpointer  user_data)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(ScopeWeightsDialog) dialog = NULL;
  g_autofree char *base_url = NULL;
  guint16 port;

  /* a port that was free a moment ago: nobody answers there */
  port = g_socket_listener_add_any_inet_port (listener, NULL, NULL);
  g_socket_listener_close (listener);
  base_url = g_strdup_printf ("http://127.0.0.1:%u/models/", port);

  dialog = g_object_ref_sink (scope_weights_dialog_new (NULL, base_url, fixture->models));
  scope_weights_dialog_set_catalog (dialog, fixture->catalog, G_N_ELEMENTS (fixture->catalog));
  scope_weights_dialog_download (dialog);
  g_assert_true (test_ui_wait (download_over, dialog, TIMEOUT_MS));
  g_assert_error (scope_weights_dialog_get_error (dialog), SCOPE_DOWNLOAD_ERROR,
                  SCOPE_DOWNLOAD_ERROR_OFFLINE);
  g_assert_cmpstr (scope_weights_dialog_get_message (dialog), ==, "Cannot Reach the Server");
  gtk_window_destroy (GTK_WINDOW (dialog));
}

typedef struct
{
  ScopeWeightsDialog *dialog;
  guint64             bytes;
} BytesWait;

static gboolean
bytes_arrived (gpointer data)
{
  BytesWait *wait = data;
  ScopeModelDownloader *downloader = scope_weights_dialog_get_downloader (wait->dialog);

  return downloader != NULL
         && scope_model_downloader_get_bytes_received (downloader) >= wait->bytes;
}

static void
test_cancel_and_resume (Fixture       *fixture,
                        gconstpointer  user_data)
{
  g_autofree char *path = models_path (fixture, fixture->good_name);
  g_autofree char *part = g_strconcat (path, ".part", NULL);
  gsize stall = g_bytes_get_size (fixture->content) / 2;
  BytesWait wait = { fixture->dialog, stall };
  g_autofree char *range = g_strdup_printf ("bytes=%zu-", stall);
  GStatBuf st;

  /* the server stalls half-way; Cancel once that half has arrived */
  g_mutex_lock (&fixture->server.lock);
  fixture->server.stall_after = stall;
  g_mutex_unlock (&fixture->server.lock);
  scope_weights_dialog_set_selected (fixture->dialog, "fixture");
  scope_weights_dialog_download (fixture->dialog);
  g_assert_true (test_ui_wait (bytes_arrived, &wait, TIMEOUT_MS));
  gtk_widget_activate_action (GTK_WIDGET (fixture->dialog), "weights.cancel", NULL);
  g_assert_true (test_ui_wait (download_over, fixture->dialog, TIMEOUT_MS));

  g_assert_cmpint (scope_weights_dialog_get_state (fixture->dialog), ==,
                   SCOPE_WEIGHTS_STATE_IDLE);
  g_assert_null (scope_weights_dialog_get_error (fixture->dialog));
  g_assert_cmpstr (scope_weights_dialog_get_message (fixture->dialog), ==, "Download Paused");
  /* the half stays for the next attempt; nothing is installed */
  g_assert_cmpint (g_stat (part, &st), ==, 0);
  g_assert_cmpint (st.st_size, ==, (goffset) stall);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->store)), ==, 1);

  /* the server recovers: the download resumes from the half it has */
  test_http_server_release (&fixture->server);
  g_mutex_lock (&fixture->server.lock);
  fixture->server.stall_after = 0;
  g_mutex_unlock (&fixture->server.lock);
  scope_weights_dialog_download (fixture->dialog);
  g_assert_true (test_ui_wait (download_over, fixture->dialog, TIMEOUT_MS));
  g_assert_cmpint (scope_weights_dialog_get_state (fixture->dialog), ==,
                   SCOPE_WEIGHTS_STATE_DONE);
  g_assert_cmpuint (scope_model_downloader_get_resumed_from (
                      scope_weights_dialog_get_downloader (fixture->dialog)), ==, stall);
  g_mutex_lock (&fixture->server.lock);
  g_assert_cmpstr (g_ptr_array_index (fixture->server.ranges,
                                      fixture->server.ranges->len - 1), ==,
                   range);
  g_mutex_unlock (&fixture->server.lock);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
}

static void
test_close_while_downloading (Fixture       *fixture,
                              gconstpointer  user_data)
{
  g_autofree char *path = models_path (fixture, fixture->good_name);
  gsize stall = g_bytes_get_size (fixture->content) / 3;
  BytesWait wait = { fixture->dialog, stall };

  g_mutex_lock (&fixture->server.lock);
  fixture->server.stall_after = stall;
  g_mutex_unlock (&fixture->server.lock);
  scope_weights_dialog_set_selected (fixture->dialog, "fixture");
  scope_weights_dialog_download (fixture->dialog);
  g_assert_true (test_ui_wait (bytes_arrived, &wait, TIMEOUT_MS));

  /* closing the dialog stops the download; nothing is installed */
  gtk_window_close (GTK_WINDOW (fixture->dialog));
  test_ui_wait_until (dialog_gone, fixture, TIMEOUT_MS);
  g_assert_null (fixture->dialog);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->store)), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  test_ui_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/ui-download/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("base-url", test_base_url);
  ADD ("catalog", test_catalog);
  ADD ("success", test_success);
  ADD ("hash-mismatch", test_hash_mismatch);
  ADD ("not-found", test_not_found);
  ADD ("disk-full", test_disk_full);
  ADD ("offline", test_offline);
  ADD ("cancel-and-resume", test_cancel_and_resume);
  ADD ("close-while-downloading", test_close_while_downloading);
#undef ADD

  return g_test_run ();
}
