/* scope-window-actions.c — every action of the main window, its shortcut and when it is enabled
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "scope-export.h"
#include "scope-model-paths.h"
#include "scope-window-private.h"

/* ---- pictures ---- */

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  _scope_window_open_dialog (SCOPE_WINDOW (widget));
}

static void
paste_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  _scope_window_paste (SCOPE_WINDOW (widget));
}

static void
open_sample_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  g_autoptr(GFile) file = g_file_new_for_path (g_variant_get_string (parameter, NULL));

  scope_window_open_file (SCOPE_WINDOW (widget), file);
}

/* ---- models ---- */

static void
model_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  ScopeWindow *self = SCOPE_WINDOW (widget);

  scope_workspace_load_model (self->workspace, g_variant_get_string (parameter, NULL));
}

static void
on_open_model_response (GtkNativeDialog *dialog,
                        int              response,
                        ScopeWindow     *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  if (file != NULL && !self->disposed)
    {
      ScopeModelStore *store = scope_workspace_get_store (self->workspace);
      ScopeModelEntry *entry = scope_model_store_add_file (store, file);

      scope_workspace_load_model (self->workspace, scope_model_entry_get_id (entry));
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
open_model_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  ScopeWindow *self = SCOPE_WINDOW (widget);
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  dialog = gtk_file_chooser_native_new (_("Open Weight File"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  /* Translators: file chooser filter for network weights */
  gtk_file_filter_set_name (filter, _("VGG Weights (PyTorch, safetensors, Keras, ONNX)"));
  gtk_file_filter_add_suffix (filter, "pth");
  gtk_file_filter_add_suffix (filter, "pt");
  gtk_file_filter_add_suffix (filter, "safetensors");
  gtk_file_filter_add_suffix (filter, "h5");
  gtk_file_filter_add_suffix (filter, "onnx");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  g_signal_connect (dialog, "response", G_CALLBACK (on_open_model_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
show_models_folder_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  ScopeWindow *self = SCOPE_WINDOW (widget);
  GFile *directory = scope_model_store_get_directory (scope_workspace_get_store (self->workspace));
  g_autofree char *uri = g_file_get_uri (directory);
  g_autoptr(GError) error = NULL;

  /* create it, so there is somewhere to put weight files */
  if (!g_file_make_directory_with_parents (directory, NULL, &error)
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS))
    {
      scope_window_show_toast (self, error->message);
      return;
    }
  gtk_show_uri (GTK_WINDOW (self), uri, GDK_CURRENT_TIME);
}

char *
scope_window_dup_model_base_url (ScopeWindow *self)
{
  g_autofree char *setting = NULL;

  g_return_val_if_fail (SCOPE_IS_WINDOW (self), NULL);

  if (self->settings != NULL)
    setting = g_settings_get_string (self->settings, "model-base-url");
  return scope_model_paths_dup_base_url (setting);
}

static void
on_weights_downloaded (ScopeWindow        *self,
                       GFile              *file,
                       ScopeWeightsDialog *dialog)
{
  ScopeModelEntry *entry;

  if (self->disposed)
    return;
  /* the folder monitor may have listed it already; either way it becomes the model in use */
  entry = scope_model_store_add_file (scope_workspace_get_store (self->workspace), file);
  scope_workspace_load_model (self->workspace, scope_model_entry_get_id (entry));
}

ScopeWeightsDialog *
scope_window_show_weights_dialog (ScopeWindow *self)
{
  g_return_val_if_fail (SCOPE_IS_WINDOW (self), NULL);

  if (self->weights_dialog == NULL)
    {
      ScopeModelStore *store = scope_workspace_get_store (self->workspace);
      g_autofree char *base_url = scope_window_dup_model_base_url (self);
      g_autofree char *directory = g_file_get_path (scope_model_store_get_directory (store));

      self->weights_dialog = scope_weights_dialog_new (GTK_WINDOW (self), base_url, directory);
      g_object_add_weak_pointer (G_OBJECT (self->weights_dialog),
                                 (gpointer *) &self->weights_dialog);
      g_signal_connect_object (self->weights_dialog, "downloaded",
                               G_CALLBACK (on_weights_downloaded), self, G_CONNECT_SWAPPED);
    }
  gtk_window_present (GTK_WINDOW (self->weights_dialog));
  return self->weights_dialog;
}

static void
get_weights_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  scope_window_show_weights_dialog (SCOPE_WINDOW (widget));
}

/* ---- layers and channels ---- */

static void
step_layer (ScopeWindow *self,
            int          step)
{
  int layer = scope_workspace_get_selected_layer (self->workspace);

  if (scope_workspace_get_model (self->workspace) != NULL)
    scope_workspace_set_selected_layer (self->workspace, MAX (0, layer + step));
}

static void
next_layer_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  step_layer (SCOPE_WINDOW (widget), 1);
}

static void
previous_layer_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  step_layer (SCOPE_WINDOW (widget), -1);
}

static void
next_channel_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  scope_maps_panel_step_channel (SCOPE_WINDOW (widget)->maps_panel, 1);
}

static void
previous_channel_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  scope_maps_panel_step_channel (SCOPE_WINDOW (widget)->maps_panel, -1);
}

static void
show_grid_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  scope_maps_panel_show_grid (SCOPE_WINDOW (widget)->maps_panel);
}

static void
toggle_sidebar_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  ScopeWindow *self = SCOPE_WINDOW (widget);

  adw_flap_set_reveal_flap (self->flap, !adw_flap_get_reveal_flap (self->flap));
}

static void
show_view_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  ScopeWindow *self = SCOPE_WINDOW (widget);
  const char *name = g_variant_get_string (parameter, NULL);

  if (adw_view_stack_get_child_by_name (self->view_stack, name) == NULL)
    return;
  adw_view_stack_set_visible_child_name (self->view_stack, name);
  /* the Live and Data Set views need no picture to start from */
  if (g_str_equal (name, "live") || g_str_equal (name, "dataset"))
    gtk_stack_set_visible_child_name (self->main_stack, "explorer");
}

/* The unit pointed at in the feature maps, worked out by hand: the Learn view's page. */
static void
work_out_unit_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  ScopeWindow *self = SCOPE_WINDOW (widget);

  adw_view_stack_set_visible_child_name (self->view_stack, "learn");
  scope_learn_room_show_page (self->learn_room, "unit");
}

/* ---- export ---- */

static void
on_export_written (GObject      *object,
                   GAsyncResult *async_result,
                   gpointer      user_data)
{
  g_autoptr(ScopeWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_file_get_basename (G_FILE (object));
  g_autofree char *message = NULL;

  if (!g_file_replace_contents_finish (G_FILE (object), async_result, NULL, &error))
    /* Translators: a toast when export failed; %s says why */
    message = g_strdup_printf (_("Could not save the picture: %s"), error->message);
  else
    /* Translators: a toast after export; %s is the file name */
    message = g_strdup_printf (_("Saved “%s”"), name);
  scope_window_show_toast (self, message);
}

static void
on_export_response (GtkNativeDialog *dialog,
                    int              response,
                    ScopeWindow     *self)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GBytes) png = NULL;
  int scale = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "scale"));

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
  if (file == NULL || self->disposed)
    return;

  texture = scope_maps_panel_render (self->maps_panel, NULL);
  if (texture == NULL)
    return;
  png = scope_export_png (texture, scale);
  g_file_replace_contents_bytes_async (file, png, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                       NULL, on_export_written, g_object_ref (self));
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  ScopeWindow *self = SCOPE_WINDOW (widget);
  gboolean channel = scope_maps_panel_get_showing_channel (self->maps_panel);
  GtkFileChooserNative *dialog;
  g_autofree char *name = NULL;
  g_autoptr(GdkTexture) texture = scope_maps_panel_render (self->maps_panel, &name);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  int scale = g_str_equal (action_name, "win.export-large") ? 2 : 1;

  /* (the action is disabled while there is nothing to export) */
  if (texture == NULL)
    return;
  if (scale > 1)
    {
      /* "conv1_1.png" → "conv1_1@2x.png" */
      g_autofree char *stem = g_strndup (name, strlen (name) - strlen (".png"));
      g_free (name);
      name = g_strdup_printf ("%s@%dx.png", stem, scale);
    }
  dialog = gtk_file_chooser_native_new (channel ? _("Export Channel") : _("Export Feature Maps"),
                                        GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SAVE,
                                        _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  gtk_file_filter_set_name (filter, _("PNG Images"));
  gtk_file_filter_add_mime_type (filter, "image/png");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  g_object_set_data (G_OBJECT (dialog), "scale", GINT_TO_POINTER (scale));
  g_signal_connect (dialog, "response", G_CALLBACK (on_export_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* ---- any view as PNG ---- */

static void
export_view_to (ScopeWindow *self,
                int          scale,
                GFile       *file)
{
  GtkWidget *view = adw_view_stack_get_visible_child (self->view_stack);
  g_autoptr(GdkTexture) texture = view != NULL ? scope_export_render_widget (view, scale) : NULL;
  g_autoptr(GBytes) png = NULL;

  if (texture == NULL)
    return;
  png = gdk_texture_save_to_png_bytes (texture);
  g_file_replace_contents_bytes_async (file, png, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                       NULL, on_export_written, g_object_ref (self));
}

static void
on_export_view_response (GtkNativeDialog *dialog,
                         int              response,
                         ScopeWindow     *self)
{
  int scale = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "scale"));
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
  if (file != NULL && !self->disposed)
    export_view_to (self, scale, file);
}

/* win.export-view and win.export-view-large: the view shown (maps, explanation, comparison)
 * as PNG at its size or at 2×, to the path given or ("") to one the user picks. */
static void
export_view_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  ScopeWindow *self = SCOPE_WINDOW (widget);
  int scale = g_str_equal (action_name, "win.export-view-large") ? 2 : 1;
  const char *path = g_variant_get_string (parameter, NULL);
  const char *view = adw_view_stack_get_visible_child_name (self->view_stack);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *name = NULL;
  GtkFileChooserNative *dialog;

  if (path[0] != '\0')
    {
      g_autoptr(GFile) file = g_file_new_for_path (path);
      export_view_to (self, scale, file);
      return;
    }
  dialog = gtk_file_chooser_native_new (_("Export View"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"),
                                        _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  name = scale > 1 ? g_strdup_printf ("%s@2x.png", view != NULL ? view : "view")
                   : g_strdup_printf ("%s.png", view != NULL ? view : "view");
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  gtk_file_filter_set_name (filter, _("PNG Images"));
  gtk_file_filter_add_mime_type (filter, "image/png");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  g_object_set_data (G_OBJECT (dialog), "scale", GINT_TO_POINTER (scale));
  g_signal_connect (dialog, "response", G_CALLBACK (on_export_view_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* Writes the selected layer's activations (.npy) or the layer table (.csv) to @path. */
static void
export_data_to (ScopeWindow *self,
                gboolean     activations,
                const char  *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *message = NULL;
  ScopeModel *model = scope_workspace_get_model (self->workspace);
  gboolean ok = FALSE;

  if (activations)
    {
      ScopeCapture *capture = scope_workspace_get_capture (self->workspace);
      const VggLayer *layer = scope_workspace_get_layer_info (self->workspace);

      if (capture != NULL && layer != NULL)
        ok = scope_export_npy (capture, layer, path, &error);
      else
        /* Translators: a toast when there is nothing to export yet */
        error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, _("No layer is computed yet"));
    }
  else if (model != NULL)
    {
      g_autofree char *csv = scope_export_layer_table_csv (scope_model_get_engine (model));

      ok = g_file_set_contents (path, csv, -1, &error);
    }
  if (!ok && error == NULL)
    return;
  if (!ok)
    /* Translators: a toast when export failed; %s says why */
    message = g_strdup_printf (_("Could not export: %s"), error->message);
  else
    /* Translators: a toast after export; %s is the file name */
    message = g_strdup_printf (_("Saved “%s”"), base);
  scope_window_show_toast (self, message);
}

static void
on_export_data_response (GtkNativeDialog *dialog,
                         int              response,
                         ScopeWindow     *self)
{
  gboolean activations = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "activations"));
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
  if (file == NULL || self->disposed || (path = g_file_get_path (file)) == NULL)
    return;
  export_data_to (self, activations, path);
}

/* win.export-activations and win.export-layer-table: to the path given, or ("") to one the
 * user picks. */
static void
export_data_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  ScopeWindow *self = SCOPE_WINDOW (widget);
  gboolean activations = g_str_equal (action_name, "win.export-activations");
  const char *path = g_variant_get_string (parameter, NULL);
  const VggLayer *layer = scope_workspace_get_layer_info (self->workspace);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *name = NULL;
  GtkFileChooserNative *dialog;

  if (path[0] != '\0')
    {
      export_data_to (self, activations, path);
      return;
    }
  dialog = gtk_file_chooser_native_new (activations ? _("Export Activations")
                                                    : _("Export Layer Table"),
                                        GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SAVE,
                                        _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  if (activations)
    {
      name = g_strdup_printf ("%s.npy", layer != NULL ? layer->name : "activations");
      /* Translators: a file type in the Export dialog */
      gtk_file_filter_set_name (filter, _("NumPy Arrays"));
      gtk_file_filter_add_pattern (filter, "*.npy");
    }
  else
    {
      name = g_strdup ("layers.csv");
      /* Translators: a file type in the Export dialog */
      gtk_file_filter_set_name (filter, _("CSV Tables"));
      gtk_file_filter_add_mime_type (filter, "text/csv");
    }
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  g_object_set_data (G_OBJECT (dialog), "activations", GINT_TO_POINTER (activations));
  g_signal_connect (dialog, "response", G_CALLBACK (on_export_data_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* ---- the picture strip ---- */

static void
next_picture_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  scope_picture_list_step (SCOPE_WINDOW (widget)->pictures, 1);
}

static void
previous_picture_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  scope_picture_list_step (SCOPE_WINDOW (widget)->pictures, -1);
}

/* ---- the table ---- */

typedef struct
{
  const char *name;
  const char *parameter_type;
  void      (*activate) (GtkWidget *, const char *, GVariant *);
  guint       key;             /* 0: no shortcut */
  GdkModifierType modifiers;
} WindowAction;

static const WindowAction window_actions[] = {
  { "win.open", NULL, open_action, GDK_KEY_o, GDK_CONTROL_MASK },
  { "win.paste", NULL, paste_action, GDK_KEY_v, GDK_CONTROL_MASK },
  { "win.open-sample", "s", open_sample_action, 0, 0 },
  { "win.model", "s", model_action, 0, 0 },
  { "win.open-model", NULL, open_model_action, GDK_KEY_o, GDK_CONTROL_MASK | GDK_SHIFT_MASK },
  { "win.show-models-folder", NULL, show_models_folder_action, 0, 0 },
  { "win.get-weights", NULL, get_weights_action, 0, 0 },
  { "win.next-layer", NULL, next_layer_action, GDK_KEY_Page_Down, GDK_CONTROL_MASK },
  { "win.previous-layer", NULL, previous_layer_action, GDK_KEY_Page_Up, GDK_CONTROL_MASK },
  { "win.next-channel", NULL, next_channel_action, GDK_KEY_Page_Down, 0 },
  { "win.previous-channel", NULL, previous_channel_action, GDK_KEY_Page_Up, 0 },
  { "win.show-grid", NULL, show_grid_action, GDK_KEY_Escape, 0 },
  { "win.export", NULL, export_action, GDK_KEY_e, GDK_CONTROL_MASK },
  { "win.export-large", NULL, export_action, GDK_KEY_e, GDK_CONTROL_MASK | GDK_SHIFT_MASK },
  { "win.export-activations", "s", export_data_action, 0, 0 },
  { "win.export-view", "s", export_view_action, 0, 0 },
  { "win.export-view-large", "s", export_view_action, 0, 0 },
  { "win.export-layer-table", "s", export_data_action, 0, 0 },
  { "win.toggle-sidebar", NULL, toggle_sidebar_action, GDK_KEY_F9, 0 },
  /* plain arrows and Page Up/Down already move through channels and layers */
  { "win.next-picture", NULL, next_picture_action, GDK_KEY_Right, GDK_ALT_MASK },
  { "win.previous-picture", NULL, previous_picture_action, GDK_KEY_Left, GDK_ALT_MASK },
  { "win.show-view", "s", show_view_action, 0, 0 },
  { "win.work-out-unit", NULL, work_out_unit_action, GDK_KEY_u, GDK_CONTROL_MASK },
};

/* Second shortcuts for the same actions. */
static const struct
{
  const char     *name;
  guint           key;
  GdkModifierType modifiers;
} window_shortcuts[] = {
  { "win.next-layer", GDK_KEY_Down, GDK_ALT_MASK },
  { "win.previous-layer", GDK_KEY_Up, GDK_ALT_MASK },
  { "window.close", GDK_KEY_w, GDK_CONTROL_MASK },
};

/* Views by number: Ctrl+1 the feature maps, Ctrl+2 the explanations, Ctrl+3 the lessons,
 * Ctrl+4 the data set, Ctrl+5 the comparison, Ctrl+6 live input. */
static const struct
{
  const char *view;
  guint       key;
} window_views[] = {
  { "maps", GDK_KEY_1 },
  { "explain", GDK_KEY_2 },
  { "learn", GDK_KEY_3 },
  { "dataset", GDK_KEY_4 },
  { "compare", GDK_KEY_5 },
  { "live", GDK_KEY_6 },
};

void
_scope_window_class_actions_init (GtkWidgetClass *widget_class)
{
  for (guint i = 0; i < G_N_ELEMENTS (window_actions); i++)
    {
      const WindowAction *action = &window_actions[i];

      gtk_widget_class_install_action (widget_class, action->name, action->parameter_type,
                                       action->activate);
      if (action->key != 0)
        gtk_widget_class_add_binding_action (widget_class, action->key, action->modifiers,
                                             action->name, NULL);
    }
  for (guint i = 0; i < G_N_ELEMENTS (window_shortcuts); i++)
    gtk_widget_class_add_binding_action (widget_class, window_shortcuts[i].key,
                                         window_shortcuts[i].modifiers, window_shortcuts[i].name,
                                         NULL);
  for (guint i = 0; i < G_N_ELEMENTS (window_views); i++)
    gtk_widget_class_add_binding_action (widget_class, window_views[i].key, GDK_CONTROL_MASK,
                                         "win.show-view", "s", window_views[i].view);
}

/* The maps' colour map, normalisation and order are the view state's properties; their
 * actions ("maps.colormap" with 'viridis', 'magma' or 'grey', …) are property actions on it,
 * which map an enum to its nick. */
void
_scope_window_actions_init (ScopeWindow *self)
{
  static const char *view_properties[] = { "colormap", "normalization", "sort-by-activation" };
  g_autoptr(GSimpleActionGroup) group = g_simple_action_group_new ();

  for (guint i = 0; i < G_N_ELEMENTS (view_properties); i++)
    {
      g_autoptr(GPropertyAction) action =
        g_property_action_new (view_properties[i], self->view_state, view_properties[i]);

      g_action_map_add_action (G_ACTION_MAP (group), G_ACTION (action));
    }
  gtk_widget_insert_action_group (GTK_WIDGET (self), "maps", G_ACTION_GROUP (group));

  g_signal_connect_object (self->maps_panel, "notify::has-maps",
                           G_CALLBACK (_scope_window_actions_update), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->maps_panel, "notify::showing-channel",
                           G_CALLBACK (_scope_window_actions_update), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->workspace, "notify::model",
                           G_CALLBACK (_scope_window_actions_update), self, G_CONNECT_SWAPPED);
  _scope_window_actions_update (self);
}

void
_scope_window_actions_update (ScopeWindow *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  gboolean has_model = scope_workspace_get_model (self->workspace) != NULL;
  gboolean has_maps = scope_maps_panel_get_has_maps (self->maps_panel);
  gboolean channel = has_maps && scope_maps_panel_get_showing_channel (self->maps_panel);

  gtk_widget_action_set_enabled (widget, "win.export", has_maps);
  gtk_widget_action_set_enabled (widget, "win.export-large", has_maps);
  gtk_widget_action_set_enabled (widget, "win.export-activations", has_maps);
  gtk_widget_action_set_enabled (widget, "win.export-layer-table", has_model);
  gtk_widget_action_set_enabled (widget, "win.next-layer", has_model);
  gtk_widget_action_set_enabled (widget, "win.previous-layer", has_model);
  gtk_widget_action_set_enabled (widget, "win.next-channel", channel);
  gtk_widget_action_set_enabled (widget, "win.previous-channel", channel);
  gtk_widget_action_set_enabled (widget, "win.show-grid", channel);
  gtk_widget_action_set_enabled (widget, "win.next-picture",
                                 scope_picture_list_can_step (self->pictures, 1));
  gtk_widget_action_set_enabled (widget, "win.previous-picture",
                                 scope_picture_list_can_step (self->pictures, -1));
}
