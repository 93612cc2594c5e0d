/* scope-window-dnd.c — pictures into the window: drop, paste and the Open dialog
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "scope-window-private.h"

static void
open_source (ScopeWindow *self,
             ScopeSource *source)
{
  if (!self->disposed)
    scope_workspace_open_source (self->workspace, source);
}

gboolean
scope_window_open_value (ScopeWindow  *self,
                         const GValue *value)
{
  g_return_val_if_fail (SCOPE_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (G_IS_VALUE (value), FALSE);

  if (G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    {
      GSList *files = g_value_get_boxed (value);
      g_autoptr(GPtrArray) array = g_ptr_array_new ();

      for (GSList *l = files; l != NULL; l = l->next)
        g_ptr_array_add (array, l->data);
      if (array->len == 0)
        return FALSE;
      /* the first is shown, the others wait in the picture strip */
      scope_window_open_files (self, (GFile **) array->pdata, array->len);
      return TRUE;
    }
  if (G_VALUE_HOLDS (value, G_TYPE_FILE))
    {
      scope_window_open_file (self, g_value_get_object (value));
      return TRUE;
    }
  if (G_VALUE_HOLDS (value, GDK_TYPE_TEXTURE))
    {
      g_autoptr(ScopeSource) source =
        /* Translators: the name shown for a picture dropped from another app */
        scope_source_new_for_texture (g_value_get_object (value), _("Dropped image"));

      open_source (self, source);
      return TRUE;
    }
  if (G_VALUE_HOLDS (value, G_TYPE_STRING))
    {
      const char *text = g_value_get_string (value);
      g_autofree char *line = NULL;
      g_autoptr(GFile) file = NULL;

      if (text == NULL)
        return FALSE;
      line = g_strstrip (g_strndup (text, strcspn (text, "\r\n")));
      if (g_uri_is_valid (line, G_URI_FLAGS_NONE, NULL))
        file = g_file_new_for_uri (line);
      else if (g_path_is_absolute (line))
        file = g_file_new_for_path (line);
      if (file == NULL)
        return FALSE;
      scope_window_open_file (self, file);
      return TRUE;
    }
  return FALSE;
}

/* ---- drop ---- */

static gboolean
on_drop (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         ScopeWindow   *self)
{
  gtk_widget_set_visible (self->drop_highlight, FALSE);
  return scope_window_open_value (self, value);
}

static GdkDragAction
on_drop_enter (GtkDropTarget *target,
               double         x,
               double         y,
               ScopeWindow   *self)
{
  gtk_widget_set_visible (self->drop_highlight, TRUE);
  return GDK_ACTION_COPY;
}

static void
on_drop_leave (GtkDropTarget *target,
               ScopeWindow   *self)
{
  gtk_widget_set_visible (self->drop_highlight, FALSE);
}

void
_scope_window_dnd_init (ScopeWindow *self)
{
  GType types[] = { GDK_TYPE_TEXTURE, GDK_TYPE_FILE_LIST, G_TYPE_FILE };
  GtkDropTarget *target = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY);

  gtk_drop_target_set_gtypes (target, types, G_N_ELEMENTS (types));
  g_signal_connect (target, "drop", G_CALLBACK (on_drop), self);
  g_signal_connect (target, "enter", G_CALLBACK (on_drop_enter), self);
  g_signal_connect (target, "leave", G_CALLBACK (on_drop_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));
}

/* ---- paste ---- */

static void
on_paste_bytes (GObject      *object,
                GAsyncResult *async_result,
                gpointer      user_data)
{
  g_autoptr(ScopeWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(ScopeSource) source = NULL;

  if (g_output_stream_splice_finish (G_OUTPUT_STREAM (object), async_result, &error) < 0)
    {
      scope_window_show_toast (self, error->message);
      return;
    }
  bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (object));
  source = scope_source_new_for_bytes (bytes, NULL);
  open_source (self, source);
}

static void
on_paste_stream (GObject      *object,
                 GAsyncResult *async_result,
                 gpointer      user_data)
{
  g_autoptr(ScopeWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GOutputStream) memory = NULL;

  stream = gdk_clipboard_read_finish (GDK_CLIPBOARD (object), async_result, NULL, &error);
  if (stream == NULL)
    {
      scope_window_show_toast (self, error->message);
      return;
    }
  memory = g_memory_output_stream_new_resizable ();
  g_output_stream_splice_async (memory, stream,
                                G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE
                                | G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
                                G_PRIORITY_DEFAULT, NULL, on_paste_bytes,
                                g_steal_pointer (&self));
}

static void
on_paste_value (GObject      *object,
                GAsyncResult *async_result,
                gpointer      user_data)
{
  g_autoptr(ScopeWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  const GValue *value;

  value = gdk_clipboard_read_value_finish (GDK_CLIPBOARD (object), async_result, &error);
  if (value == NULL)
    {
      scope_window_show_toast (self, error->message);
      return;
    }
  if (!scope_window_open_value (self, value))
    /* Translators: a toast after Paste when the clipboard holds no picture */
    scope_window_show_toast (self, _("The clipboard holds no image"));
}

/* The encoded pictures the engine decodes itself (by content, whatever the type says). */
static const char *encoded_types[] = {
  "image/jpeg", "image/png", "image/webp", "image/gif", "image/bmp", "image/tiff", NULL
};

static gboolean
holds_encoded_picture (GdkContentFormats *formats)
{
  for (const char **type = encoded_types; *type != NULL; type++)
    if (gdk_content_formats_contain_mime_type (formats, *type))
      return TRUE;
  return FALSE;
}

void
_scope_window_paste (ScopeWindow *self)
{
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (self));
  GdkContentFormats *formats = gdk_clipboard_get_formats (clipboard);

  if (gdk_content_formats_contain_gtype (formats, GDK_TYPE_FILE_LIST))
    gdk_clipboard_read_value_async (clipboard, GDK_TYPE_FILE_LIST, G_PRIORITY_DEFAULT, NULL,
                                    on_paste_value, g_object_ref (self));
  else if (holds_encoded_picture (formats))
    gdk_clipboard_read_async (clipboard, encoded_types, G_PRIORITY_DEFAULT, NULL, on_paste_stream,
                              g_object_ref (self));
  else if (gdk_content_formats_contain_gtype (formats, GDK_TYPE_TEXTURE))
    gdk_clipboard_read_value_async (clipboard, GDK_TYPE_TEXTURE, G_PRIORITY_DEFAULT, NULL,
                                    on_paste_value, g_object_ref (self));
  else if (gdk_content_formats_contain_gtype (formats, G_TYPE_STRING))
    gdk_clipboard_read_value_async (clipboard, G_TYPE_STRING, G_PRIORITY_DEFAULT, NULL,
                                    on_paste_value, g_object_ref (self));
  else
    scope_window_show_toast (self, _("The clipboard holds no image"));
}

/* ---- the Open dialog ---- */

static void
on_open_response (GtkNativeDialog *dialog,
                  int              response,
                  ScopeWindow     *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      if (file != NULL)
        scope_window_open_file (self, file);
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
add_image_filters (GtkFileChooser *chooser)
{
  g_autoptr(GtkFileFilter) images = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();
  static const char *suffixes[] = { "jpg", "jpeg", "png", "webp", "gif", "bmp", "tif", "tiff" };

  /* Translators: file chooser filter */
  gtk_file_filter_set_name (images, _("Images (JPEG, PNG, WebP, GIF, BMP, TIFF)"));
  for (const char **type = encoded_types; *type != NULL; type++)
    gtk_file_filter_add_mime_type (images, *type);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    gtk_file_filter_add_suffix (images, suffixes[i]);
  gtk_file_chooser_add_filter (chooser, images);
  /* Translators: file chooser filter */
  gtk_file_filter_set_name (all, _("All Files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (chooser, all);
  gtk_file_chooser_set_filter (chooser, images);
}

void
_scope_window_open_dialog (ScopeWindow *self)
{
  GtkFileChooserNative *dialog;

  dialog = gtk_file_chooser_native_new (_("Open Image"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  add_image_filters (GTK_FILE_CHOOSER (dialog));
  g_signal_connect (dialog, "response", G_CALLBACK (on_open_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}
