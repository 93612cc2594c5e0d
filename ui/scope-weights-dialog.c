/* scope-weights-dialog.c — the "Get ImageNet Weights" dialog: pick a VGG, download it, use it
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "scope-download-progress.h"
#include "scope-enum-types.h"
#include "scope-weights-dialog.h"
#include "scope-weights-row.h"

struct _ScopeWeightsDialog
{
  AdwWindow              parent_instance;

  /* template children */
  AdwPreferencesGroup   *models_group;
  GtkLabel              *folder_label;
  GtkWidget             *message_box;
  GtkImage              *message_icon;
  GtkLabel              *message_title;
  GtkLabel              *message_label;
  GtkLabel              *message_detail;
  ScopeDownloadProgress *progress;
  GtkLabel              *status_label;
  GtkWidget             *cancel_button;
  GtkButton             *download_button;

  /* owned */
  ScopeModelDownloader  *downloader;
  GCancellable          *cancellable;
  GError                *error;
  GPtrArray             *rows;         /* ScopeWeightsRow, one per catalogue entry */
  char                  *base_url;
  char                  *directory;
  char                  *message;

  /* borrowed */
  const ScopeModelInfo  *catalog;

  /* plain state */
  gsize                  n_catalog;
  gsize                  selected;
  ScopeWeightsState      state;
  gboolean               was_installed;  /* the chosen file was there before: nothing to fetch */
};

enum {
  PROP_0,
  PROP_SELECTED,
  PROP_STATE,
  N_PROPS
};

enum {
  DOWNLOADED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (ScopeWeightsDialog, scope_weights_dialog, ADW_TYPE_WINDOW)

/* ---- what the files are ---- */

/* What the models folder holds of @info's file. */
static ScopeModelFileState
query_file (ScopeWeightsDialog   *self,
            const ScopeModelInfo *info,
            guint64              *part_bytes)
{
  return scope_model_paths_query_file (self->directory, info->file_name, part_bytes);
}

static const ScopeModelInfo *
selected_info (ScopeWeightsDialog *self)
{
  return self->selected < self->n_catalog ? &self->catalog[self->selected] : NULL;
}

/* ---- the rows ---- */

/* The button's text ("_Try Again") and its accessible name, which the template sets and which
 * must follow the text: the same without the mnemonic. */
static void
set_download_label (ScopeWeightsDialog *self,
                    const char         *label)
{
  g_autoptr(GString) plain = g_string_sized_new (strlen (label));

  for (const char *p = label; *p != '\0'; p++)
    {
      if (*p == '_' && p[1] != '\0')
        p++;   /* "__" is an underscore */
      g_string_append_c (plain, *p);
    }
  gtk_button_set_label (self->download_button, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->download_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, plain->str, -1);
}

static void
update_buttons (ScopeWeightsDialog *self)
{
  const ScopeModelInfo *info = selected_info (self);
  gboolean downloading = self->state == SCOPE_WEIGHTS_STATE_DOWNLOADING;
  g_autofree char *status = NULL;
  ScopeModelFileState file_state;
  guint64 part = 0;

  gtk_widget_set_visible (self->cancel_button, downloading);
  gtk_widget_set_visible (GTK_WIDGET (self->download_button), !downloading);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "weights.download",
                                 !downloading && info != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "weights.cancel", downloading);
  for (guint i = 0; i < self->rows->len; i++)
    gtk_widget_set_sensitive (g_ptr_array_index (self->rows, i), !downloading);

  if (info == NULL || downloading)
    {
      gtk_label_set_label (self->status_label, "");
      return;
    }
  file_state = query_file (self, info, &part);
  if (file_state == SCOPE_MODEL_FILE_INSTALLED)
    {
      /* Translators: the button for a network that is already downloaded */
      set_download_label (self, _("_Use"));
      /* Translators: %s is a network's name ("VGG16") */
      status = g_strdup_printf (_("%s is already downloaded."), info->display);
    }
  else if (file_state == SCOPE_MODEL_FILE_PARTIAL)
    {
      g_autofree char *done = g_format_size (part);

      /* Translators: the button that continues an unfinished download */
      set_download_label (self, _("_Resume"));
      /* Translators: %s is an amount of data ("120.3 MB") */
      status = g_strdup_printf (_("%s were downloaded earlier; the rest follows."), done);
    }
  else
    {
      g_autofree char *size = g_format_size (scope_model_info_get_bytes (info));

      if (self->state == SCOPE_WEIGHTS_STATE_FAILED)
        /* Translators: the download button after a failed download */
        set_download_label (self, _("_Try Again"));
      else
        set_download_label (self, _("_Download"));
      /* Translators: %s is a file size ("553.4 MB") */
      status = g_strdup_printf (_("%s to download."), size);
    }
  gtk_label_set_label (self->status_label, status);
}

static void
update_row_states (ScopeWeightsDialog *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    {
      ScopeWeightsRow *row = g_ptr_array_index (self->rows, i);

      scope_weights_row_set_file_state (row,
                                        query_file (self, scope_weights_row_get_info (row), NULL));
    }
  update_buttons (self);
}

static void
on_row_active (ScopeWeightsRow    *row,
               GParamSpec         *pspec,
               ScopeWeightsDialog *self)
{
  guint index;

  if (!scope_weights_row_get_active (row) || !g_ptr_array_find (self->rows, row, &index)
      || self->selected == index)
    return;
  self->selected = index;
  update_buttons (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
}

static void
rebuild_rows (ScopeWeightsDialog *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->rows, i);

      g_signal_handlers_disconnect_by_func (row, on_row_active, self);
      adw_preferences_group_remove (self->models_group, row);
    }
  g_ptr_array_set_size (self->rows, 0);

  for (gsize i = 0; i < self->n_catalog; i++)
    {
      ScopeWeightsRow *row = scope_weights_row_new (&self->catalog[i]);

      scope_weights_row_set_group (row, self->rows->len > 0 ? self->rows->pdata[0] : NULL);
      scope_weights_row_set_active (row, i == self->selected);
      g_signal_connect (row, "notify::active", G_CALLBACK (on_row_active), self);
      adw_preferences_group_add (self->models_group, GTK_WIDGET (row));
      g_ptr_array_add (self->rows, row);
    }
  update_row_states (self);
}

/* ---- the download ---- */

static void
set_state (ScopeWeightsDialog *self,
           ScopeWeightsState   state)
{
  if (self->state == state)
    return;
  self->state = state;
  gtk_widget_set_visible (GTK_WIDGET (self->progress), state == SCOPE_WEIGHTS_STATE_DOWNLOADING);
  update_buttons (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

/* @text says what happened and what to do; @detail (nullable) is the downloader's own
 * sentence with the file, server or folder, shown smaller. */
static void
show_message (ScopeWeightsDialog *self,
              const char         *icon_name,
              const char         *style,
              const char         *title,
              const char         *text,
              const char         *detail)
{
  g_free (self->message);
  self->message = g_strdup (title != NULL ? title : "");
  gtk_widget_set_visible (self->message_box, title != NULL);
  if (title == NULL)
    return;
  gtk_image_set_from_icon_name (self->message_icon, icon_name);
  gtk_widget_remove_css_class (self->message_box, "failed");
  gtk_widget_remove_css_class (self->message_box, "done");
  gtk_widget_remove_css_class (self->message_box, "paused");
  gtk_widget_add_css_class (self->message_box, style);
  gtk_label_set_label (self->message_title, title);
  gtk_label_set_label (self->message_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), text != NULL && text[0] != '\0');
  gtk_label_set_label (self->message_detail, detail != NULL ? detail : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message_detail), detail != NULL && detail[0] != '\0');
}

static void
explain_error (ScopeWeightsDialog *self,
               const GError       *error)
{
  /* Translators: the title of a download error that has no better one */
  const char *title = _("The Download Failed");
  const char *hint = NULL;

  if (error->domain == SCOPE_DOWNLOAD_ERROR)
    switch ((ScopeDownloadError) error->code)
      {
      case SCOPE_DOWNLOAD_ERROR_OFFLINE:
        /* Translators: a download error's title */
        title = _("Cannot Reach the Server");
        /* Translators: under "Cannot Reach the Server" */
        hint = _("Check that this computer is online, then try again.");
        break;
      case SCOPE_DOWNLOAD_ERROR_NOT_FOUND:
        /* Translators: a download error's title (HTTP 404) */
        title = _("File Not Found on the Server");
        /* Translators: under "File Not Found on the Server"; do not translate the setting's
         * and the variable's names */
        hint = _("The server does not have this file. If you set another download address "
                 "(the model-base-url setting or VGG_SCOPE_MODEL_BASE_URL), check it.");
        break;
      case SCOPE_DOWNLOAD_ERROR_DISK_FULL:
        /* Translators: a download error's title */
        title = _("Not Enough Disk Space");
        /* Translators: under "Not Enough Disk Space" */
        hint = _("Free some space, then try again: what was downloaded so far is kept.");
        break;
      case SCOPE_DOWNLOAD_ERROR_HASH_MISMATCH:
        /* Translators: a download error's title: the checksum did not match */
        title = _("The Download Was Damaged");
        /* Translators: under "The Download Was Damaged" */
        hint = _("The file does not match its published checksum, so it was deleted and not "
                 "used. Try again.");
        break;
      case SCOPE_DOWNLOAD_ERROR_INTERRUPTED:
        /* Translators: a download error's title: the connection broke */
        title = _("The Download Was Interrupted");
        /* Translators: under "The Download Was Interrupted" */
        hint = _("Try again to resume from where it stopped.");
        break;
      case SCOPE_DOWNLOAD_ERROR_HTTP:
        /* Translators: a download error's title: another HTTP error */
        title = _("The Server Refused the Download");
        break;
      case SCOPE_DOWNLOAD_ERROR_BAD_NAME:
      case SCOPE_DOWNLOAD_ERROR_IO:
      default:
        break;
      }
  /* the downloader's own sentence names the file and the server or folder */
  if (hint != NULL)
    show_message (self, "dialog-warning-symbolic", "failed", title, hint, error->message);
  else
    show_message (self, "dialog-warning-symbolic", "failed", title, error->message, NULL);
}

static void
on_downloaded (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(ScopeWeightsDialog) self = user_data;
  ScopeModelDownloader *downloader = SCOPE_MODEL_DOWNLOADER (source);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  const ScopeModelInfo *info = selected_info (self);

  path = scope_model_downloader_download_finish (downloader, result, &error);
  if (downloader != self->downloader)
    return;   /* a download the dialog no longer shows */
  g_clear_object (&self->cancellable);

  if (path != NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_path (path);
      g_autofree char *title = NULL;

      /* Translators: after a download; %s is a network's name ("VGG16") */
      title = g_strdup_printf (_("%s Is Ready"), info != NULL ? info->display : "");
      show_message (self, "emblem-ok-symbolic", "done", title,
                    self->was_installed
                    /* Translators: after "Use" on a network downloaded before */
                    ? _("It is now the model in use.")
                    /* Translators: after a download */
                    : _("The file was checked and is now the model in use. It is listed in the "
                        "model menu."), NULL);
      set_state (self, SCOPE_WEIGHTS_STATE_DONE);
      update_row_states (self);
      g_signal_emit (self, signals[DOWNLOADED], 0, file);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      guint64 kept = scope_model_downloader_get_bytes_received (downloader);
      g_autofree char *kept_text = g_format_size (kept);
      g_autofree char *detail = NULL;

      if (kept > 0)
        /* Translators: after Cancel; %s is an amount of data ("120.3 MB") */
        detail = g_strdup_printf (_("The %s downloaded so far are kept: Resume continues from "
                                    "there."), kept_text);
      /* Translators: after the user cancelled a download */
      show_message (self, "media-playback-pause-symbolic", "paused", _("Download Paused"),
                    detail, NULL);
      set_state (self, SCOPE_WEIGHTS_STATE_IDLE);
      update_row_states (self);
    }
  else
    {
      g_clear_error (&self->error);
      self->error = g_steal_pointer (&error);
      explain_error (self, self->error);
      set_state (self, SCOPE_WEIGHTS_STATE_FAILED);
      update_row_states (self);
    }
}

void
scope_weights_dialog_download (ScopeWeightsDialog *self)
{
  const ScopeModelInfo *info;
  ScopeModelFileState file_state;
  g_autofree char *title = NULL;

  g_return_if_fail (SCOPE_IS_WEIGHTS_DIALOG (self));

  info = selected_info (self);
  if (info == NULL || self->state == SCOPE_WEIGHTS_STATE_DOWNLOADING)
    return;

  if (self->downloader != NULL)
    g_signal_handlers_disconnect_by_data (self->downloader, self);
  g_clear_object (&self->downloader);
  g_clear_error (&self->error);
  self->downloader = scope_model_downloader_new (info->file_name, self->base_url,
                                                 self->directory);

  file_state = query_file (self, info, NULL);
  self->was_installed = file_state == SCOPE_MODEL_FILE_INSTALLED;
  if (file_state == SCOPE_MODEL_FILE_PARTIAL)
    /* Translators: over the progress bar; %s is a network's name ("VGG16") */
    title = g_strdup_printf (_("Resuming %s"), info->display);
  else
    /* Translators: over the progress bar; %s is a network's name ("VGG16") */
    title = g_strdup_printf (_("Downloading %s"), info->display);
  scope_download_progress_follow (self->progress, self->downloader, title);
  show_message (self, NULL, NULL, NULL, NULL, NULL);

  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  set_state (self, SCOPE_WEIGHTS_STATE_DOWNLOADING);
  scope_model_downloader_download_async (self->downloader, self->cancellable, on_downloaded,
                                         g_object_ref (self));
}

void
scope_weights_dialog_cancel (ScopeWeightsDialog *self)
{
  g_return_if_fail (SCOPE_IS_WEIGHTS_DIALOG (self));

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

static void
download_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  scope_weights_dialog_download (SCOPE_WEIGHTS_DIALOG (widget));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  scope_weights_dialog_cancel (SCOPE_WEIGHTS_DIALOG (widget));
}

/* ---- GObject ---- */

/* Closing the dialog (gtk_window_destroy() unrealizes it) stops the download, whose
 * callback holds the last reference until it returns; the .part stays for the next attempt. */
static void
scope_weights_dialog_unrealize (GtkWidget *widget)
{
  scope_weights_dialog_cancel (SCOPE_WEIGHTS_DIALOG (widget));

  GTK_WIDGET_CLASS (scope_weights_dialog_parent_class)->unrealize (widget);
}

static void
scope_weights_dialog_dispose (GObject *object)
{
  ScopeWeightsDialog *self = SCOPE_WEIGHTS_DIALOG (object);

  /* closing the dialog stops the download; the .part stays for the next attempt */
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->downloader != NULL)
    g_signal_handlers_disconnect_by_data (self->downloader, self);
  g_clear_object (&self->downloader);
  for (guint i = 0; self->rows != NULL && i < self->rows->len; i++)
    g_signal_handlers_disconnect_by_func (g_ptr_array_index (self->rows, i), on_row_active, self);
  g_clear_pointer (&self->rows, g_ptr_array_unref);

  gtk_widget_dispose_template (GTK_WIDGET (self), SCOPE_TYPE_WEIGHTS_DIALOG);

  G_OBJECT_CLASS (scope_weights_dialog_parent_class)->dispose (object);
}

static void
scope_weights_dialog_finalize (GObject *object)
{
  ScopeWeightsDialog *self = SCOPE_WEIGHTS_DIALOG (object);

  g_clear_error (&self->error);
  g_free (self->base_url);
  g_free (self->directory);
  g_free (self->message);

  G_OBJECT_CLASS (scope_weights_dialog_parent_class)->finalize (object);
}

static void
scope_weights_dialog_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  ScopeWeightsDialog *self = SCOPE_WEIGHTS_DIALOG (object);

  switch (prop_id)
    {
    case PROP_SELECTED:
      g_value_set_string (value, scope_weights_dialog_get_selected (self));
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
scope_weights_dialog_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  ScopeWeightsDialog *self = SCOPE_WEIGHTS_DIALOG (object);

  switch (prop_id)
    {
    case PROP_SELECTED:
      scope_weights_dialog_set_selected (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
scope_weights_dialog_class_init (ScopeWeightsDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = scope_weights_dialog_dispose;
  object_class->finalize = scope_weights_dialog_finalize;
  object_class->get_property = scope_weights_dialog_get_property;
  object_class->set_property = scope_weights_dialog_set_property;
  widget_class->unrealize = scope_weights_dialog_unrealize;

  properties[PROP_SELECTED] =
    g_param_spec_string ("selected", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, SCOPE_TYPE_WEIGHTS_STATE, SCOPE_WEIGHTS_STATE_IDLE,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* A verified file is in the models folder. */
  signals[DOWNLOADED] =
    g_signal_new ("downloaded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_FILE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/vggscope/VggScope/ui/scope-weights-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, ScopeWeightsDialog, models_group);
  gtk_widget_class_bind_template_child (widget_class, ScopeWeightsDialog, folder_label);
  gtk_widget_class_bind_template_child (widget_class, ScopeWeightsDialog, message_box);
  gtk_widget_class_bind_template_child (widget_class, ScopeWeightsDialog, message_icon);
  gtk_widget_class_bind_template_child (widget_class, ScopeWeightsDialog, message_title);
  gtk_widget_class_bind_template_child (widget_class, ScopeWeightsDialog, message_label);
  gtk_widget_class_bind_template_child (widget_class, ScopeWeightsDialog, message_detail);
  gtk_widget_class_bind_template_child (widget_class, ScopeWeightsDialog, progress);
  gtk_widget_class_bind_template_child (widget_class, ScopeWeightsDialog, status_label);
  gtk_widget_class_bind_template_child (widget_class, ScopeWeightsDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, ScopeWeightsDialog, download_button);

  gtk_widget_class_install_action (widget_class, "weights.download", NULL, download_action);
  gtk_widget_class_install_action (widget_class, "weights.cancel", NULL, cancel_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);

  g_type_ensure (SCOPE_TYPE_DOWNLOAD_PROGRESS);
}

static void
scope_weights_dialog_init (ScopeWeightsDialog *self)
{
  self->rows = g_ptr_array_new ();
  self->catalog = scope_model_catalog (&self->n_catalog);
  /* VGG16: the network of the paper's best-known configuration and the tutorials */
  for (gsize i = 0; i < self->n_catalog; i++)
    if (g_str_equal (self->catalog[i].name, "vgg16"))
      self->selected = i;

  gtk_widget_init_template (GTK_WIDGET (self));
}

ScopeWeightsDialog *
scope_weights_dialog_new (GtkWindow  *parent,
                          const char *base_url,
                          const char *directory)
{
  ScopeWeightsDialog *self;
  g_autofree char *display = NULL;
  g_autofree char *text = NULL;
  const char *home = g_get_home_dir ();

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);

  self = g_object_new (SCOPE_TYPE_WEIGHTS_DIALOG, "transient-for", parent, NULL);
  /* the caller has applied the setting; without one, the environment or torchvision */
  self->base_url = base_url != NULL && base_url[0] != '\0' ? g_strdup (base_url)
                                                            : scope_model_paths_dup_base_url (NULL);
  self->directory = directory != NULL ? g_strdup (directory) : scope_model_paths_dup_models_dir ();

  /* "~/.local/share/vgg-scope/models" reads better than the full path */
  if (home != NULL && g_str_has_prefix (self->directory, home)
      && self->directory[strlen (home)] == G_DIR_SEPARATOR)
    display = g_strconcat ("~", self->directory + strlen (home), NULL);
  else
    display = g_filename_display_name (self->directory);
  /* Translators: under the list of networks; %s is a folder, on a line of its own so that
   * it does not break at a slash */
  text = g_strdup_printf (_("Files are checked against their published SHA-256 and kept in\n%s"),
                          display);
  gtk_label_set_label (self->folder_label, text);

  rebuild_rows (self);
  return self;
}

void
scope_weights_dialog_set_catalog (ScopeWeightsDialog   *self,
                                  const ScopeModelInfo *models,
                                  gsize                 n_models)
{
  g_return_if_fail (SCOPE_IS_WEIGHTS_DIALOG (self));
  g_return_if_fail (models != NULL || n_models == 0);
  g_return_if_fail (self->state != SCOPE_WEIGHTS_STATE_DOWNLOADING);

  self->catalog = models;
  self->n_catalog = n_models;
  self->selected = 0;
  rebuild_rows (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
}

const char *
scope_weights_dialog_get_selected (ScopeWeightsDialog *self)
{
  const ScopeModelInfo *info;

  g_return_val_if_fail (SCOPE_IS_WEIGHTS_DIALOG (self), NULL);

  info = selected_info (self);
  return info != NULL ? info->name : NULL;
}

void
scope_weights_dialog_set_selected (ScopeWeightsDialog *self,
                                   const char         *name)
{
  g_return_if_fail (SCOPE_IS_WEIGHTS_DIALOG (self));

  for (gsize i = 0; name != NULL && i < self->n_catalog && i < self->rows->len; i++)
    if (g_str_equal (self->catalog[i].name, name) || g_str_equal (self->catalog[i].file_name, name))
      {
        /* the row's notify::active handler updates the state and notifies */
        scope_weights_row_set_active (g_ptr_array_index (self->rows, i), TRUE);
        return;
      }
}

ScopeWeightsState
scope_weights_dialog_get_state (ScopeWeightsDialog *self)
{
  g_return_val_if_fail (SCOPE_IS_WEIGHTS_DIALOG (self), SCOPE_WEIGHTS_STATE_IDLE);
  return self->state;
}

const GError *
scope_weights_dialog_get_error (ScopeWeightsDialog *self)
{
  g_return_val_if_fail (SCOPE_IS_WEIGHTS_DIALOG (self), NULL);
  return self->state == SCOPE_WEIGHTS_STATE_FAILED ? self->error : NULL;
}

ScopeModelDownloader *
scope_weights_dialog_get_downloader (ScopeWeightsDialog *self)
{
  g_return_val_if_fail (SCOPE_IS_WEIGHTS_DIALOG (self), NULL);
  return self->downloader;
}

const char *
scope_weights_dialog_get_message (ScopeWeightsDialog *self)
{
  g_return_val_if_fail (SCOPE_IS_WEIGHTS_DIALOG (self), NULL);
  return self->message != NULL ? self->message : "";
}
