/* test-bad-inputs.c — the bad-input catalogue: vgg-scope-cli on every case of cases.tsv
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * tests/bad-inputs/cases.tsv lists each hostile or broken input (weights of every format,
 * pictures, .npy tensors, IDX files) with the exit status and the message it must get;
 * tools/gen-bad-inputs.py wrote the files into VGG_SCOPE_BAD_INPUTS (the build tree). Every
 * run has a time limit: a hang (a FIFO opened for reading) is a failure, not a stuck suite.
 */
#include "config.h"

#include <glib.h>
#include <json-glib/json-glib.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#define TIME_LIMIT "120"   /* seconds per run; the sanitizer build is slow */

typedef struct
{
  char *name;
  char *args;
  int   status;
  char *expect;   /* unescaped */
  char *reject;   /* unescaped; NULL: nothing */
} Case;

static void
case_free (gpointer data)
{
  Case *c = data;

  g_free (c->name);
  g_free (c->args);
  g_free (c->expect);
  g_free (c->reject);
  g_free (c);
}

static const char *
inputs_dir (void)
{
  const char *dir = g_getenv ("VGG_SCOPE_BAD_INPUTS");

  g_assert_nonnull (dir);
  return dir;
}

/* "a.b" of the parsed JSON @text: the string at that member path, or NULL */
static char *
json_member (const char *text,
             const char *path)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_auto (GStrv) parts = g_strsplit (path, ".", -1);
  g_autoptr (GError) error = NULL;
  JsonNode *node;

  if (!json_parser_load_from_data (parser, text, -1, &error))
    g_error ("the output is not valid JSON: %s\n%s", error->message, text);
  node = json_parser_get_root (parser);
  for (int i = 0; parts[i] != NULL; i++)
    {
      if (!JSON_NODE_HOLDS_OBJECT (node)
          || !json_object_has_member (json_node_get_object (node), parts[i]))
        return NULL;
      node = json_object_get_member (json_node_get_object (node), parts[i]);
    }
  return JSON_NODE_HOLDS_VALUE (node) ? g_strdup (json_node_get_string (node)) : NULL;
}

static void
run_case (gconstpointer data)
{
  const Case *c = data;
  g_autoptr (GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_auto (GStrv) words = g_strsplit (c->args, " ", -1);
  g_autoptr (GError) error = NULL;
  g_autofree char *out = NULL, *err = NULL, *both = NULL;
  const char *cli = g_getenv ("VGG_SCOPE_CLI");
  int wait_status;

  g_assert_nonnull (cli);
  g_ptr_array_add (argv, g_strdup ("timeout"));
  g_ptr_array_add (argv, g_strdup ("-k"));
  g_ptr_array_add (argv, g_strdup ("10"));
  g_ptr_array_add (argv, g_strdup (TIME_LIMIT));
  g_ptr_array_add (argv, g_strdup (cli));
  for (int i = 0; words[i] != NULL; i++)
    if (words[i][0] == '@')
      g_ptr_array_add (argv, g_build_filename (inputs_dir (), words[i] + 1, NULL));
    else if (words[i][0] != '\0')
      g_ptr_array_add (argv, g_strdup (words[i]));
  g_ptr_array_add (argv, NULL);

  /* relative names in messages: run from the inputs folder */
  if (!g_spawn_sync (inputs_dir (), (char **) argv->pdata, NULL, G_SPAWN_SEARCH_PATH, NULL,
                     NULL, &out, &err, &wait_status, &error))
    g_error ("cannot run %s: %s", cli, error->message);
  both = g_strconcat (out, err, NULL);
  if (!WIFEXITED (wait_status))
    g_error ("%s: vgg-scope-cli %s crashed (signal %d)\n%s", c->name, c->args,
             WTERMSIG (wait_status), both);
  if (WEXITSTATUS (wait_status) == 124 || WEXITSTATUS (wait_status) == 137)
    g_error ("%s: vgg-scope-cli %s did not finish within %s s (a hang)", c->name, c->args,
             TIME_LIMIT);
  if (WEXITSTATUS (wait_status) != c->status)
    g_error ("%s: vgg-scope-cli %s exited with %d, not %d\n%s", c->name, c->args,
             WEXITSTATUS (wait_status), c->status, both);

  if (g_str_has_prefix (c->expect, "json:"))
    {
      const char *assignment = c->expect + strlen ("json:");
      const char *equals = strchr (assignment, '=');
      g_autofree char *path = NULL, *value = NULL;

      g_assert_nonnull (equals);
      path = g_strndup (assignment, (gsize) (equals - assignment));
      value = json_member (out, path);
      g_assert_cmpstr (value, ==, equals + 1);
    }
  else if (strstr (both, c->expect) == NULL)
    g_error ("%s: the output of vgg-scope-cli %s lacks \"%s\":\n%s", c->name, c->args,
             c->expect, both);
  if (c->reject != NULL && strstr (both, c->reject) != NULL)
    g_error ("%s: the output of vgg-scope-cli %s holds \"%s\", which it must not:\n%s",
             c->name, c->args, c->reject, both);
  if (strstr (c->args, "--json") != NULL)
    g_free (json_member (out, "model.name"));   /* valid JSON, whatever the case checks */
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *manifest = NULL, *contents = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) cases = g_ptr_array_new_with_free_func (case_free);
  g_auto (GStrv) lines = NULL;
  int result;

  g_test_init (&argc, &argv, NULL);
  manifest = g_test_build_filename (G_TEST_DIST, "bad-inputs", "cases.tsv", NULL);
  if (!g_file_get_contents (manifest, &contents, NULL, &error))
    g_error ("%s", error->message);
  lines = g_strsplit (contents, "\n", -1);
  for (int i = 0; lines[i] != NULL; i++)
    {
      g_auto (GStrv) fields = NULL;
      g_autofree char *test_path = NULL;
      Case *c;

      if (lines[i][0] == '\0' || lines[i][0] == '#')
        continue;
      fields = g_strsplit (lines[i], "\t", -1);
      if (g_strv_length (fields) != 6)
        g_error ("%s line %d: %u fields, 6 expected", manifest, i + 1,
                 g_strv_length (fields));
      c = g_new0 (Case, 1);
      c->name = g_strdup (fields[0]);
      c->args = g_strdup (fields[2]);
      c->status = atoi (fields[3]);
      c->expect = g_strcompress (fields[4]);
      c->reject = strcmp (fields[5], "-") != 0 ? g_strcompress (fields[5]) : NULL;
      g_ptr_array_add (cases, c);
      test_path = g_strdup_printf ("/bad-inputs/%s", c->name);
      g_test_add_data_func (test_path, c, run_case);
    }
  g_assert_cmpuint (cases->len, >=, 60);
  result = g_test_run ();
  return result;
}
