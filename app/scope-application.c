/* scope-application.c — the application: windows, app-wide actions, the shared model store
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "scope-application.h"
#include "scope-background.h"
#include "scope-engine-environment.h"
#include "scope-model.h"
#include "scope-model-store.h"
#include "scope-window.h"

struct _ScopeApplication
{
  AdwApplication   parent_instance;

  /* owned */
  ScopeModelStore *store;
};

G_DEFINE_FINAL_TYPE (ScopeApplication, scope_application, ADW_TYPE_APPLICATION)

static ScopeModelStore *
get_store (ScopeApplication *self)
{
  if (self->store == NULL)
    self->store = scope_model_store_new (NULL);
  return self->store;
}

static ScopeWindow *
new_window (ScopeApplication *self)
{
  return scope_window_new (GTK_APPLICATION (self), get_store (self));
}

static void
scope_application_activate (GApplication *application)
{
  ScopeApplication *self = SCOPE_APPLICATION (application);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    window = GTK_WINDOW (new_window (self));
  gtk_window_present (window);
}

/* The pictures go to the active window (a new one only if there is none): the first is shown,
 * the others wait in its picture strip, so `vgg-scope *.jpg` opens one window, not 45. */
static void
scope_application_open (GApplication  *application,
                        GFile        **files,
                        int            n_files,
                        const char    *hint)
{
  ScopeApplication *self = SCOPE_APPLICATION (application);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (n_files <= 0)
    return;
  if (window == NULL)
    window = GTK_WINDOW (new_window (self));
  scope_window_open_files (SCOPE_WINDOW (window), files, (guint) n_files);
  gtk_window_present (window);
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  GApplication *application = user_data;
  GList *windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (application)));

  /* closing each window cancels its work */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_destroy (l->data);
  g_list_free (windows);
  g_application_quit (application);
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  GtkApplication *application = user_data;
  static const char *developers[] = { "The VGG Scope developers", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (application),
                        "application-icon", APPLICATION_ID,
                        "application-name", _("VGG Scope"),
                        "developer-name", _("The VGG Scope developers"),
                        "version", PACKAGE_VERSION,
                        /* Translators: the app's one-line description in the About window */
                        "comments", _("Drop a photo on it and watch a VGG network classify it, "
                                      "then look inside: every layer’s feature maps, what each "
                                      "unit sees, and the class probabilities."),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "developers", developers,
                        /* Translators: put your names here, one per line */
                        "translator-credits", _("translator-credits"),
                        NULL);
  adw_about_window_add_credit_section (ADW_ABOUT_WINDOW (about),
                                       /* Translators: credits for the sample photographs */
                                       _("Sample photos"),
                                       (const char *[]) {
                                         "Stefan van der Walt (cat, CC0)",
                                         "Rachel Michetti (coffee, CC0)",
                                         "NASA (astronaut, public domain)",
                                         NULL });
  gtk_window_present (GTK_WINDOW (about));
}

static const GActionEntry app_actions[] = {
  { "quit", quit_action, NULL, NULL, NULL, { 0 } },
  { "about", about_action, NULL, NULL, NULL, { 0 } },
};

static void
scope_application_startup (GApplication *application)
{
  static const char *quit_accels[] = { "<Control>q", NULL };

  G_APPLICATION_CLASS (scope_application_parent_class)->startup (application);
  scope_engine_environment_apply_threads ();
  scope_background_init ();

  g_action_map_add_action_entries (G_ACTION_MAP (application), app_actions,
                                   G_N_ELEMENTS (app_actions), application);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "app.quit", quit_accels);
  gtk_window_set_default_icon_name (APPLICATION_ID);
}

static void
scope_application_dispose (GObject *object)
{
  ScopeApplication *self = SCOPE_APPLICATION (object);

  g_clear_object (&self->store);

  G_OBJECT_CLASS (scope_application_parent_class)->dispose (object);
}

static void
scope_application_class_init (ScopeApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *application_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = scope_application_dispose;
  application_class->activate = scope_application_activate;
  application_class->open = scope_application_open;
  application_class->startup = scope_application_startup;
}

static void
scope_application_init (ScopeApplication *self)
{
}

ScopeApplication *
scope_application_new (void)
{
  return g_object_new (SCOPE_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/org/vggscope/VggScope",
                       NULL);
}
