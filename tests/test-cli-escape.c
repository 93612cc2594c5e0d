/* test-cli-escape.c — cli_escape(): what the CLI prints of names that come from files
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "cli.h"

#include <json-glib/json-glib.h>

static void
assert_escape (const char    *text,
               CliEscapeMode  mode,
               const char    *expected)
{
  g_autofree char *escaped = cli_escape (text, mode);

  g_assert_cmpstr (escaped, ==, expected);
}

static void
test_text (void)
{
  assert_escape ("plain ImageNet name, café ✓", CLI_ESCAPE_TEXT, "plain ImageNet name, café ✓");
  assert_escape ("", CLI_ESCAPE_TEXT, "");
  g_assert_null (cli_escape (NULL, CLI_ESCAPE_TEXT));
  /* C0, DEL, C1 (U+009B is a one-character CSI), the bidi overrides and isolates */
  assert_escape ("a\x1b[2Jb\x07\n\t\x7f", CLI_ESCAPE_TEXT, "a\\x1b[2Jb\\x07\\x0a\\x09\\x7f");
  assert_escape ("\xc2\x9b" "31m\xc2\x80\xc2\x9f", CLI_ESCAPE_TEXT, "\\u009b31m\\u0080\\u009f");
  assert_escape ("x\u202ay\u202ez\u2066w\u2069", CLI_ESCAPE_TEXT,
                 "x\\u202ay\\u202ez\\u2066w\\u2069");
  /* neighbours that are harmless stay */
  assert_escape ("\u2029\u202f\u2065\u206a\xc2\xa0", CLI_ESCAPE_TEXT,
                 "\u2029\u202f\u2065\u206a\xc2\xa0");
  /* bytes that are not UTF-8 */
  assert_escape ("ok\xff\xc3", CLI_ESCAPE_TEXT, "ok\\xff\\xc3");
}

static void
test_json (void)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *text = NULL, *escaped = NULL;
  g_autoptr (GError) error = NULL;
  const char *name = "evil\x1b]0;t\x07 \xc2\x9b" "31m \u202egod\x7f";
  JsonObject *object;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, name);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  escaped = cli_escape (text, CLI_ESCAPE_JSON);

  /* no dangerous character is left raw: every byte is printable ASCII, or the layout's
   * newlines, or part of a harmless character */
  g_assert_null (strchr (escaped, '\x1b'));
  g_assert_null (strchr (escaped, '\x7f'));
  g_assert_null (strstr (escaped, "\xc2\x9b"));
  g_assert_null (strstr (escaped, "\u202e"));
  g_assert_nonnull (strstr (escaped, "\\u202e"));
  g_assert_nonnull (strstr (escaped, "\\u009b"));
  g_assert_nonnull (strstr (escaped, "\\u007f"));

  /* still valid JSON, with the same value */
  g_assert_true (json_parser_load_from_data (parser, escaped, -1, &error));
  g_assert_no_error (error);
  object = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (object, "name"), ==, name);

  assert_escape ("\"a\xff\"", CLI_ESCAPE_JSON, "\"a\\ufffd\"");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cli-escape/text", test_text);
  g_test_add_func ("/cli-escape/json", test_json);
  return g_test_run ();
}
