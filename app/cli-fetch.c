/* cli-fetch.c — vgg-scope-cli fetch: list and download torchvision's VGG weights
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "cli.h"
#include "scope-model-catalog.h"
#include "scope-model-downloader.h"
#include "scope-model-paths.h"

#include <glib-unix.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

typedef struct
{
  GMainLoop    *loop;
  GCancellable *cancellable;
  char         *path;        /* the result */
  GError       *error;
  gboolean      on_terminal;
  int           last_tenth;  /* progress lines written when not on a terminal */
} Fetch;

static char *
format_size (guint64 bytes)
{
  return g_format_size_full (bytes, G_FORMAT_SIZE_IEC_UNITS);
}

static char *
format_duration (double seconds)
{
  long s = (long) (seconds + 0.5);

  if (seconds < 0)
    return g_strdup ("--:--");
  if (s >= 3600)
    return g_strdup_printf ("%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
  return g_strdup_printf ("%ld:%02ld", s / 60, s % 60);
}

/* "vgg16-397923af.pth  123.4 MiB / 527.8 MiB  23%  12.3 MiB/s  0:35 left" */
static void
on_progress (ScopeModelDownloader *downloader,
             GParamSpec           *pspec,
             Fetch                *fetch)
{
  guint64 received = scope_model_downloader_get_bytes_received (downloader);
  guint64 total = scope_model_downloader_get_bytes_total (downloader);
  g_autofree char *received_text = format_size (received);
  g_autofree char *total_text = total > 0 ? format_size (total) : g_strdup ("?");
  g_autofree char *rate_text = NULL;
  g_autofree char *left = format_duration (scope_model_downloader_get_seconds_left (downloader));
  int percent = total > 0 ? (int) (received * 100 / total) : 0;

  if (!g_str_equal (pspec->name, "bytes-received"))
    return;   /* one line per batch of notifications */
  rate_text = format_size ((guint64) scope_model_downloader_get_bytes_per_second (downloader));
  if (fetch->on_terminal)
    {
      fprintf (stderr, "\r\033[K%s / %s  %3d%%  %s/s  %s left", received_text, total_text,
               percent, rate_text, left);
      fflush (stderr);
    }
  else if (total > 0 && percent / 10 > fetch->last_tenth)
    {
      fetch->last_tenth = percent / 10;
      fprintf (stderr, "%s / %s  %3d%%  %s/s  %s left\n", received_text, total_text, percent,
               rate_text, left);
    }
}

static void
on_downloaded (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Fetch *fetch = user_data;

  fetch->path = scope_model_downloader_download_finish (SCOPE_MODEL_DOWNLOADER (source), result,
                                                        &fetch->error);
  g_main_loop_quit (fetch->loop);
}

static gboolean
on_interrupt (gpointer user_data)
{
  Fetch *fetch = user_data;

  g_cancellable_cancel (fetch->cancellable);
  return G_SOURCE_CONTINUE;
}

static void
print_catalog (const char *directory,
               const char *base_url)
{
  gsize n;
  const ScopeModelInfo *models = scope_model_catalog (&n);

  printf ("%-9s %-22s %9s %15s  %s\n", "model", "file", "size", "top-1 / top-5", "here");
  for (gsize i = 0; i < n; i++)
    {
      g_autofree char *state = NULL;
      guint64 part_bytes = 0;

      switch (scope_model_paths_query_file (directory, models[i].file_name, &part_bytes))
        {
        case SCOPE_MODEL_FILE_INSTALLED:
          state = g_strdup ("downloaded");
          break;
        case SCOPE_MODEL_FILE_PARTIAL:
          {
            g_autofree char *size = format_size (part_bytes);

            state = g_strdup_printf ("partial (%s): fetch again to resume", size);
          }
          break;
        case SCOPE_MODEL_FILE_ABSENT:
        default:
          state = g_strdup ("-");
          break;
        }
      printf ("%-9s %-22s %5.1f MiB %6.3f / %6.3f  %s\n", models[i].name, models[i].file_name,
              models[i].size_mib, models[i].top1, models[i].top5, state);
    }
  printf ("\nFolder: %s\nServer: %s\n", directory, base_url);
}

/* Downloads one file; returns the exit code. */
static int
fetch_one (const char *file_name,
           const char *base_url,
           const char *directory,
           gboolean    on_terminal,
           gboolean   *interrupted)
{
  g_autoptr (ScopeModelDownloader) downloader = scope_model_downloader_new (file_name, base_url,
                                                                            directory);
  const ScopeModelInfo *info = scope_model_catalog_find (file_name);
  Fetch fetch = { .on_terminal = on_terminal, .last_tenth = 0 };
  guint interrupt_source;
  int status = CLI_EXIT_OK;

  if (g_file_test (scope_model_downloader_get_path (downloader), G_FILE_TEST_IS_REGULAR))
    {
      printf ("%s is already in %s\n", file_name,
              scope_model_downloader_get_directory (downloader));
      return CLI_EXIT_OK;
    }
  fprintf (stderr, "Downloading %s%s%s from %s into %s (Ctrl+C stops; running the same command "
           "again resumes)\n", file_name, info != NULL ? ", " : "",
           info != NULL ? info->display : "", scope_model_downloader_get_base_url (downloader),
           scope_model_downloader_get_directory (downloader));

  fetch.loop = g_main_loop_new (NULL, FALSE);
  fetch.cancellable = g_cancellable_new ();
  interrupt_source = g_unix_signal_add (SIGINT, on_interrupt, &fetch);
  g_signal_connect (downloader, "notify", G_CALLBACK (on_progress), &fetch);
  scope_model_downloader_download_async (downloader, fetch.cancellable, on_downloaded, &fetch);
  g_main_loop_run (fetch.loop);
  g_source_remove (interrupt_source);
  g_signal_handlers_disconnect_by_data (downloader, &fetch);
  if (on_terminal)
    fputs ("\n", stderr);

  if (fetch.path != NULL)
    {
      printf ("Saved %s (SHA-256 checked)\nUse it: vgg-scope-cli classify --weights %s IMAGE\n",
              fetch.path, fetch.path);
    }
  else if (g_error_matches (fetch.error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *kept = format_size (scope_model_downloader_get_bytes_received (downloader));

      fprintf (stderr, "vgg-scope-cli: interrupted; %s kept in %s. Run the same command again "
               "to resume.\n", kept, scope_model_downloader_get_part_path (downloader));
      *interrupted = TRUE;
      status = CLI_EXIT_FAILURE;
    }
  else
    {
      fprintf (stderr, "vgg-scope-cli: %s\n", fetch.error->message);
      status = CLI_EXIT_FAILURE;
    }

  g_clear_error (&fetch.error);
  g_free (fetch.path);
  g_object_unref (fetch.cancellable);
  g_main_loop_unref (fetch.loop);
  return status;
}

int
cli_fetch (int    argc,
           char **argv)
{
  gboolean list = FALSE;
  g_autofree char *directory = NULL;
  g_autofree char *base_url = NULL;
  GOptionEntry entries[] = {
    { "list", 'l', 0, G_OPTION_ARG_NONE, &list, "List the models and what is downloaded", NULL },
    { "dir", 'd', 0, G_OPTION_ARG_FILENAME, &directory,
      "Folder to download into (default: $XDG_DATA_HOME/vgg-scope/models)", "DIR" },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("[MODEL…] — download VGG weights");
  g_autoptr (GError) error = NULL;
  gboolean on_terminal = isatty (STDERR_FILENO);
  gboolean interrupted = FALSE;
  int status = CLI_EXIT_OK;

  g_option_context_set_summary (context,
    "Downloads torchvision's ImageNet weights (vgg11, vgg11_bn, vgg13, vgg13_bn, vgg16,\n"
    "vgg16_bn, vgg19, vgg19_bn) over HTTPS, checks each file's SHA-256 against the digits in\n"
    "its name and keeps it for --weights. MODEL may also be a file name with such digits\n"
    "(NAME-1234abcd.pth) on the same server. An interrupted download resumes where it\n"
    "stopped. Without MODEL, lists the models.");
  g_option_context_set_description (context,
    "Environment:\n"
    "  VGG_SCOPE_MODEL_BASE_URL  server to download from\n"
    "                            (default " SCOPE_MODEL_BASE_URL_DEFAULT ")");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return cli_usage_error (context, "%s", error->message);
  if (directory == NULL)
    directory = scope_model_paths_dup_models_dir ();
  /* the command line has no settings: the environment or torchvision's server */
  base_url = scope_model_paths_dup_base_url (NULL);

  if (list || argc < 2)
    {
      print_catalog (directory, base_url);
      return CLI_EXIT_OK;
    }

  for (int i = 1; i < argc; i++)
    {
      const ScopeModelInfo *info = scope_model_catalog_find (argv[i]);
      g_autofree char *hash = scope_model_file_name_hash (argv[i]);

      if (info == NULL && (hash == NULL || strchr (argv[i], '/') != NULL))
        return cli_usage_error (context, "unknown model '%s' (vgg11, vgg13, vgg16, vgg19, with "
                                "or without _bn; or a file name like vgg16-397923af.pth)",
                                argv[i]);
    }
  for (int i = 1; i < argc && !interrupted; i++)
    {
      const ScopeModelInfo *info = scope_model_catalog_find (argv[i]);

      if (fetch_one (info != NULL ? info->file_name : argv[i], base_url, directory,
                     on_terminal, &interrupted) != CLI_EXIT_OK)
        status = CLI_EXIT_FAILURE;
    }
  return status;
}
