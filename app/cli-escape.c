/* cli-escape.c — text from files made safe to print on a terminal or in JSON
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Model names, class names and paths come from files the user did not write: an ESC sequence
 * in them would drive the terminal (retitle it, hide text, fake output), and a bidirectional
 * override would make a line read differently from what it holds. Every such character is
 * printed as an escape instead.
 */
#include "config.h"

#include "cli.h"

#include <string.h>

/* C0 controls, DEL, C1 controls, and the bidirectional embeddings, overrides and isolates */
static gboolean
is_dangerous (gunichar c)
{
  return c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0x202a && c <= 0x202e)
         || (c >= 0x2066 && c <= 0x2069);
}

char *
cli_escape (const char   *text,
            CliEscapeMode mode)
{
  GString *out;
  const char *p, *end;

  if (text == NULL)
    return NULL;
  out = g_string_sized_new (strlen (text));
  end = text + strlen (text);
  for (p = text; p < end;)
    {
      gunichar c = g_utf8_get_char_validated (p, end - p);

      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          /* a byte that is not UTF-8: its value in text, the replacement character in JSON */
          if (mode == CLI_ESCAPE_JSON)
            g_string_append (out, "\\ufffd");
          else
            g_string_append_printf (out, "\\x%02x", (unsigned char) *p);
          p++;
          continue;
        }
      if (!is_dangerous (c) || (mode == CLI_ESCAPE_JSON && c < 0x20))
        {
          /* in JSON text the generator has already escaped C0 controls inside strings; those
           * left are the layout's own newlines and indentation */
          const char *next = g_utf8_next_char (p);

          g_string_append_len (out, p, next - p);
          p = next;
          continue;
        }
      if (mode == CLI_ESCAPE_JSON)
        g_string_append_printf (out, "\\u%04x", c);
      else if (c <= 0x7f)
        g_string_append_printf (out, "\\x%02x", c);
      else
        g_string_append_printf (out, "\\u%04x", c);
      p = g_utf8_next_char (p);
    }
  return g_string_free (out, FALSE);
}

const char *
cli_escaped (const char *text)
{
  /* a few strings live at once in one printf: a small ring of results, freed as it turns */
  static char *ring[8];
  static unsigned next;
  unsigned slot = next++ % G_N_ELEMENTS (ring);

  g_free (ring[slot]);
  ring[slot] = cli_escape (text, CLI_ESCAPE_TEXT);
  return ring[slot];
}
