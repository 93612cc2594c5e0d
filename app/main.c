/* main.c — starts VGG Scope, the GTK application
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "scope-application.h"
#include "scope-memory.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(ScopeApplication) application = NULL;

  scope_memory_limit_arenas ();
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_set_application_name (_("VGG Scope"));
  application = scope_application_new ();
  return g_application_run (G_APPLICATION (application), argc, argv);
}
