/* scope-window.c — the main window: one workspace and the panels that show it
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "scope-accessible.h"
#include "scope-code-panel.h"
#include "scope-layer-item.h"
#include "scope-memory.h"
#include "scope-unit-panel.h"
#include "scope-settings.h"
#include "scope-window-private.h"

enum {
  PROP_0,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (ScopeWindow, scope_window, ADW_TYPE_APPLICATION_WINDOW)

void
scope_window_show_toast (ScopeWindow *self,
                         const char  *message)
{
  AdwToast *toast;

  g_return_if_fail (SCOPE_IS_WINDOW (self));
  g_return_if_fail (message != NULL);

  if (self->disposed)
    return;
  g_free (self->last_toast);
  self->last_toast = g_strdup (message);
  toast = adw_toast_new (message);
  adw_toast_set_timeout (toast, 6);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* ---- keeping in step with the workspace ---- */

/* A picture that decodes and shows its first maps within this time (a few milliseconds, most
 * of the time) has no progress bar before them: its appearing would be a frame of the main
 * thread's, and a relayout, that the picture and its maps would wait behind. */
#define PROGRESS_DELAY_MS 150

static void update_progress (ScopeWindow *self);

static gboolean
on_progress_due (gpointer user_data)
{
  ScopeWindow *self = user_data;

  self->progress_delay = 0;
  self->progress_due = TRUE;
  update_progress (self);
  return G_SOURCE_REMOVE;
}

static void
update_progress (ScopeWindow *self)
{
  ScopeResult *result = scope_workspace_get_result (self->workspace);
  ScopeResult *next = scope_workspace_get_pending_result (self->workspace);
  /* a live frame watching one layer is shown when complete: the Live view counts them */
  gboolean pending = next != NULL && scope_result_get_watched_layer (next) < 0;
  gboolean running = result != NULL && scope_result_get_status (result) == SCOPE_RESULT_RUNNING;

  if (!pending)
    {
      g_clear_handle_id (&self->progress_delay, g_source_remove);
      self->progress_due = FALSE;
    }
  else if (!self->progress_due && self->progress_delay == 0 && !self->disposed)
    self->progress_delay = g_timeout_add (PROGRESS_DELAY_MS, on_progress_due, self);

  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar),
                          running || (pending && self->progress_due));
  if (result != NULL)
    gtk_progress_bar_set_fraction (self->progress_bar, scope_result_get_fraction (result));
  else
    gtk_progress_bar_pulse (self->progress_bar);
}

static void
update_title (ScopeWindow *self)
{
  ScopeModel *model = scope_workspace_get_model (self->workspace);
  const char *model_name = model != NULL ? scope_model_get_name (model) : "";

  if (scope_workspace_get_model_loading (self->workspace))
    {
      ScopeModelEntry *entry =
        scope_model_store_find (scope_workspace_get_store (self->workspace),
                                scope_workspace_get_model_id (self->workspace));
      /* Translators: the window's subtitle while a model loads; %s is its name or file name */
      g_autofree char *loading = g_strdup_printf (_("Loading %s…"),
                                                  entry != NULL ? scope_model_entry_get_title (entry)
                                                                : "");

      adw_window_title_set_subtitle (self->window_title, loading);
    }
  else
    adw_window_title_set_subtitle (self->window_title, model_name);
}

static void
update_model_summary (ScopeWindow *self)
{
  ScopeModel *scope_model = scope_workspace_get_model (self->workspace);
  const VggModel *model;
  g_autofree char *summary = NULL, *params = NULL, *macs = NULL;

  update_title (self);
  if (scope_model == NULL)
    return;
  model = scope_model_get_engine (scope_model);
  params = scope_format_count (vgg_model_n_params (model));
  macs = scope_format_count (vgg_model_n_macs (model));
  /* Translators: under the layer table: model name, layer count, parameter count and
   * multiply-accumulate operations per picture */
  summary = g_strdup_printf (_("%s: %d layers, %s parameters, %s multiply-adds per picture"),
                             vgg_model_name (model), vgg_model_n_layers (model), params, macs);
  gtk_label_set_label (self->model_summary_label, summary);
  scope_layer_list_set_model (self->layer_list, scope_model);
  scope_arch_diagram_set_model (self->arch_diagram, scope_model);
  scope_sample_gallery_set_model (self->sample_gallery, scope_model);
}

static void
on_result_changed (ScopeWindow *self)
{
  ScopeResult *result = scope_workspace_get_result (self->workspace);

  if (result != NULL)
    {
      g_signal_connect_object (result, "notify::status", G_CALLBACK (update_progress), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (result, "notify::fraction", G_CALLBACK (update_progress), self,
                               G_CONNECT_SWAPPED);
      adw_window_title_set_title (self->window_title,
                                  scope_source_get_display_name (scope_result_get_source (result)));
      gtk_stack_set_visible_child_name (self->main_stack, "explorer");
      gtk_widget_set_visible (self->sidebar_button, TRUE);
    }
  else if (scope_workspace_get_source (self->workspace) == NULL)
    gtk_stack_set_visible_child_name (self->main_stack, "empty");
  scope_arch_diagram_set_result (self->arch_diagram, result);
  scope_layer_list_set_result (self->layer_list, result);
  update_progress (self);
  _scope_window_actions_update (self);
}

/* The strip moved: show the picture it points at. */
static void
on_picture_moved (ScopeWindow *self)
{
  GFile *file = scope_picture_list_get_current (self->pictures);

  if (file != NULL && !self->disposed)
    scope_workspace_open_file (self->workspace, file);
  _scope_window_actions_update (self);
}

/* A picture from elsewhere (a single file, a sample, a paste) replaces the strip. */
static void
on_source_changed (ScopeWindow *self)
{
  ScopeSource *source = scope_workspace_get_source (self->workspace);
  GFile *current = scope_picture_list_get_current (self->pictures);
  GFile *file = source != NULL ? scope_source_get_file (source) : NULL;

  if (current != NULL && (file == NULL || !g_file_equal (file, current)))
    scope_picture_list_clear (self->pictures);
  _scope_window_actions_update (self);
}

/* The input pixel pointed at lights every unit that sees it, in the diagram too. */
static void
on_pixel_changed (ScopeWindow *self)
{
  int y, x;

  scope_view_state_get_pixel (self->view_state, &y, &x);
  scope_arch_diagram_set_pixel (self->arch_diagram, y, x);
}

/* A filter in the Learn view was activated: the feature map it makes, in the Maps view. */
static void
on_show_channel (ScopeWindow *self,
                 int          channel)
{
  scope_maps_panel_show_channel (self->maps_panel, channel);
  adw_view_stack_set_visible_child_name (self->view_stack, "maps");
}

/* The explanations (and the Learn view's what-if runs) are computed only while their view
 * is on screen. */
static void
on_view_changed (ScopeWindow *self)
{
  const char *view = adw_view_stack_get_visible_child_name (self->view_stack);

  scope_explain_panel_set_active (self->explain_panel, g_strcmp0 (view, "explain") == 0);
  scope_learn_room_set_active (self->learn_room, g_strcmp0 (view, "learn") == 0);
  scope_dataset_room_set_active (self->dataset_room, g_strcmp0 (view, "dataset") == 0);
  _scope_window_actions_update (self);
}

static void
on_workspace_message (ScopeWindow *self,
                      const char  *message)
{
  scope_window_show_toast (self, message);
}

/* ---- public ---- */

ScopeWorkspace *
scope_window_get_workspace (ScopeWindow *self)
{
  g_return_val_if_fail (SCOPE_IS_WINDOW (self), NULL);
  return self->workspace;
}

void
scope_window_open_file (ScopeWindow *self,
                        GFile       *file)
{
  g_return_if_fail (SCOPE_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  scope_window_open_files (self, &file, 1);
}

/* By its name (.webm, .mkv, .mp4…): the file is not read on the main thread. */
static gboolean
is_video (GFile *file)
{
  g_autofree char *basename = g_file_get_basename (file);
  g_autofree char *type = NULL;

  if (basename == NULL)
    return FALSE;
  type = g_content_type_guess (basename, NULL, 0, NULL);
  return type != NULL && g_str_has_prefix (type, "video/");
}

void
scope_window_open_files (ScopeWindow  *self,
                         GFile       **files,
                         guint         n_files)
{
  g_return_if_fail (SCOPE_IS_WINDOW (self));
  g_return_if_fail (files != NULL || n_files == 0);

  if (self->disposed || n_files == 0)
    return;
  if (n_files == 1 && is_video (files[0]))
    {
      /* a video plays in the Live view */
      scope_live_panel_open_file (self->live_panel, files[0]);
      gtk_widget_activate_action (GTK_WIDGET (self), "win.show-view", "s", "live");
      return;
    }
  if (n_files == 1)
    {
      /* one picture on its own ends the strip (on_source_changed sees another file) */
      scope_workspace_open_file (self->workspace, files[0]);
      return;
    }
  /* on_picture_moved opens the first */
  scope_picture_list_set_files (self->pictures, files, n_files);
}

/* ---- GObject ---- */

static void
scope_window_constructed (GObject *object)
{
  ScopeWindow *self = SCOPE_WINDOW (object);

  G_OBJECT_CLASS (scope_window_parent_class)->constructed (object);

  /* the store must be in place (construct property) before the workspace picks the model */
  self->workspace = scope_workspace_new (self->store, self->settings);
  g_clear_object (&self->store);
  g_signal_connect_object (self->workspace, "message", G_CALLBACK (on_workspace_message), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->workspace, "notify::result", G_CALLBACK (on_result_changed),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->workspace, "notify::pending-result",
                           G_CALLBACK (update_progress), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->workspace, "notify::model", G_CALLBACK (update_model_summary),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->workspace, "notify::model-loading", G_CALLBACK (update_title),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->workspace, "notify::source", G_CALLBACK (on_source_changed),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->pictures, "notify::position", G_CALLBACK (on_picture_moved),
                           self, G_CONNECT_SWAPPED);
  scope_picture_strip_set_list (self->picture_strip, self->pictures);
  g_object_bind_property (self->workspace, "selected-layer", self->layer_list, "selected-layer",
                          G_BINDING_SYNC_CREATE | G_BINDING_BIDIRECTIONAL);
  g_object_bind_property (self->workspace, "selected-layer", self->arch_diagram,
                          "selected-layer", G_BINDING_SYNC_CREATE | G_BINDING_BIDIRECTIONAL);

  scope_model_menu_set_workspace (self->model_menu, self->workspace);
  scope_input_panel_set_workspace (self->input_panel, self->workspace);
  scope_input_panel_set_view_state (self->input_panel, self->view_state);
  scope_maps_panel_set_workspace (self->maps_panel, self->workspace);
  scope_maps_panel_set_view_state (self->maps_panel, self->view_state);
  scope_explain_panel_set_workspace (self->explain_panel, self->workspace);
  scope_explain_panel_set_view_state (self->explain_panel, self->view_state);
  scope_learn_room_set_workspace (self->learn_room, self->workspace);
  scope_learn_room_set_view_state (self->learn_room, self->view_state);
  /* the lessons that need the workspace from the start, after the room's own three */
  scope_learn_room_add_page (self->learn_room,
                             scope_unit_panel_new (self->workspace, self->view_state),
                             /* Translators: a lesson in the Learn view: one unit computed by hand */
                             "unit", _("Worked unit"));
  scope_learn_room_add_page (self->learn_room, scope_code_panel_new (self->workspace),
                             /* Translators: a lesson in the Learn view: the network as code */
                             "code", _("As code"));
  g_signal_connect_object (self->learn_room, "show-channel", G_CALLBACK (on_show_channel), self,
                           G_CONNECT_SWAPPED);
  scope_live_panel_set_workspace (self->live_panel, self->workspace);
  g_signal_connect_object (self->live_panel, "message", G_CALLBACK (scope_window_show_toast), self,
                           G_CONNECT_SWAPPED);
  scope_compare_panel_set_workspace (self->compare_panel, self->workspace);
  scope_compare_panel_set_view_state (self->compare_panel, self->view_state);
  scope_dataset_room_set_workspace (self->dataset_room, self->workspace);
  scope_dataset_room_set_view_state (self->dataset_room, self->view_state);
  g_signal_connect_object (self->dataset_room, "message", G_CALLBACK (on_workspace_message),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->view_state, "notify::pixel-x", G_CALLBACK (on_pixel_changed),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->view_stack, "notify::visible-child-name",
                           G_CALLBACK (on_view_changed), self, G_CONNECT_SWAPPED);
  _scope_window_actions_init (self);
  update_model_summary (self);
  on_result_changed (self);
}

static void
scope_window_dispose (GObject *object)
{
  ScopeWindow *self = SCOPE_WINDOW (object);

  self->disposed = TRUE;
  g_clear_handle_id (&self->progress_delay, g_source_remove);
  /* closing the window stops its work, a download in its dialog too */
  if (self->weights_dialog != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->weights_dialog),
                                    (gpointer *) &self->weights_dialog);
      gtk_window_destroy (GTK_WINDOW (g_steal_pointer (&self->weights_dialog)));
    }
  if (self->workspace != NULL)
    scope_workspace_cancel (self->workspace);

  gtk_widget_dispose_template (GTK_WIDGET (self), SCOPE_TYPE_WINDOW);

  g_clear_object (&self->workspace);
  g_clear_object (&self->view_state);
  g_clear_object (&self->pictures);
  g_clear_object (&self->settings);
  g_clear_object (&self->store);
  g_clear_pointer (&self->last_toast, g_free);

  G_OBJECT_CLASS (scope_window_parent_class)->dispose (object);
}

static void
scope_window_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  ScopeWindow *self = SCOPE_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_set_object (&self->store, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
scope_window_size_allocate (GtkWidget *widget,
                            int        width,
                            int        height,
                            int        baseline)
{
  int scale = gtk_widget_get_scale_factor (widget);

  GTK_WIDGET_CLASS (scope_window_parent_class)->size_allocate (widget, width, height, baseline);
  scope_memory_fit_frame ((gsize) width * height * 4 * scale * scale);
}

static void
scope_window_class_init (ScopeWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = scope_window_constructed;
  object_class->dispose = scope_window_dispose;
  object_class->set_property = scope_window_set_property;
  widget_class->size_allocate = scope_window_size_allocate;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, SCOPE_TYPE_MODEL_STORE,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (SCOPE_TYPE_ARCH_DIAGRAM);
  g_type_ensure (SCOPE_TYPE_COMPARE_PANEL);
  g_type_ensure (SCOPE_TYPE_DATASET_ROOM);
  g_type_ensure (SCOPE_TYPE_EXPLAIN_PANEL);
  g_type_ensure (SCOPE_TYPE_INPUT_PANEL);
  g_type_ensure (SCOPE_TYPE_LAYER_LIST);
  g_type_ensure (SCOPE_TYPE_LEARN_ROOM);
  g_type_ensure (SCOPE_TYPE_MAPS_PANEL);
  g_type_ensure (SCOPE_TYPE_MODEL_MENU);
  g_type_ensure (SCOPE_TYPE_PICTURE_STRIP);
  g_type_ensure (SCOPE_TYPE_SAMPLE_GALLERY);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/vggscope/VggScope/ui/scope-window.ui");
  gtk_widget_class_bind_template_child (widget_class, ScopeWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, ScopeWindow, drop_highlight);
  gtk_widget_class_bind_template_child (widget_class, ScopeWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, ScopeWindow, sidebar_button);
  gtk_widget_class_bind_template_child (widget_class, ScopeWindow, primary_menu_button);
  gtk_widget_class_bind_template_child (widget_class, ScopeWindow, model_menu);
  gtk_widget_class_bind_template_child (widget_class, ScopeWindow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, ScopeWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, ScopeWindow, sample_gallery);
  gtk_widget_class_bind_template_child (widget_class, ScopeWindow, samples_menu);
  gtk_widget_class_bind_template_child (widget_class, ScopeWindow, flap);
  gtk_widget_class_bind_template_child (widget_class, ScopeWindow, layer_list);
  gtk_widget_class_bind_template_child (widget_class, ScopeWindow, model_summary_label);
  gtk_widget_class_bind_template_child (widget_class, ScopeWindow, arch_diagram);
  gtk_widget_class_bind_template_child (widget_class, ScopeWindow, input_panel);
  gtk_widget_class_bind_template_child (widget_class, ScopeWindow, maps_panel);
  gtk_widget_class_bind_template_child (widget_class, ScopeWindow, picture_strip);
  gtk_widget_class_bind_template_child (widget_class, ScopeWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, ScopeWindow, explain_panel);
  gtk_widget_class_bind_template_child (widget_class, ScopeWindow, learn_room);
  gtk_widget_class_bind_template_child (widget_class, ScopeWindow, live_panel);
  gtk_widget_class_bind_template_child (widget_class, ScopeWindow, compare_panel);
  gtk_widget_class_bind_template_child (widget_class, ScopeWindow, dataset_room);

  _scope_window_class_actions_init (widget_class);
}

static void
scope_window_init (ScopeWindow *self)
{
  self->view_state = scope_view_state_new ();
  self->pictures = scope_picture_list_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_widget_set_visible (self->sidebar_button, FALSE);
  /* Translators: accessible name of the main menu button */
  scope_accessible_name_menu_button (self->primary_menu_button, _("Main Menu"));
  g_menu_append_section (self->samples_menu, NULL,
                         scope_sample_gallery_get_menu (self->sample_gallery));
  _scope_window_dnd_init (self);

  self->settings = scope_settings_new ();
  if (self->settings != NULL)
    {
      g_settings_bind (self->settings, "window-width", self, "default-width",
                       G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (self->settings, "window-height", self, "default-height",
                       G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (self->settings, "window-maximized", self, "maximized",
                       G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (self->settings, "colormap", self->view_state, "colormap",
                       G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (self->settings, "normalization", self->view_state, "normalization",
                       G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (self->settings, "sort-by-activation", self->view_state,
                       "sort-by-activation", G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (self->settings, "show-layer-table", self->flap, "reveal-flap",
                       G_SETTINGS_BIND_DEFAULT);
    }
}

ScopeWindow *
scope_window_new (GtkApplication  *application,
                  ScopeModelStore *store)
{
  g_return_val_if_fail (application == NULL || GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (store == NULL || SCOPE_IS_MODEL_STORE (store), NULL);

  return g_object_new (SCOPE_TYPE_WINDOW, "application", application, "store", store, NULL);
}

/* ---- for tests and tools ---- */

const char *
scope_window_get_last_toast (ScopeWindow *self)
{
  g_return_val_if_fail (SCOPE_IS_WINDOW (self), NULL);
  return self->last_toast;
}

char **
scope_window_dup_sample_paths (ScopeWindow *self)
{
  g_return_val_if_fail (SCOPE_IS_WINDOW (self), NULL);
  return scope_sample_gallery_dup_paths (self->sample_gallery);
}

ScopeViewState *
scope_window_get_view_state (ScopeWindow *self)
{
  g_return_val_if_fail (SCOPE_IS_WINDOW (self), NULL);
  return self->view_state;
}

ScopePictureList *
scope_window_get_pictures (ScopeWindow *self)
{
  g_return_val_if_fail (SCOPE_IS_WINDOW (self), NULL);
  return self->pictures;
}

ScopePictureStrip *
scope_window_get_picture_strip (ScopeWindow *self)
{
  g_return_val_if_fail (SCOPE_IS_WINDOW (self), NULL);
  return self->picture_strip;
}

ScopeFeatureGrid *
scope_window_get_feature_grid (ScopeWindow *self)
{
  g_return_val_if_fail (SCOPE_IS_WINDOW (self), NULL);
  return scope_maps_panel_get_feature_grid (self->maps_panel);
}

ScopeChannelView *
scope_window_get_channel_view (ScopeWindow *self)
{
  g_return_val_if_fail (SCOPE_IS_WINDOW (self), NULL);
  return scope_maps_panel_get_channel_view (self->maps_panel);
}

ScopeImageView *
scope_window_get_image_view (ScopeWindow *self)
{
  g_return_val_if_fail (SCOPE_IS_WINDOW (self), NULL);
  return scope_input_panel_get_image_view (self->input_panel);
}

ScopeLayerList *
scope_window_get_layer_list (ScopeWindow *self)
{
  g_return_val_if_fail (SCOPE_IS_WINDOW (self), NULL);
  return self->layer_list;
}

ScopeProbChart *
scope_window_get_prob_chart (ScopeWindow *self)
{
  g_return_val_if_fail (SCOPE_IS_WINDOW (self), NULL);
  return scope_input_panel_get_prob_chart (self->input_panel);
}

ScopeSampleGallery *
scope_window_get_sample_gallery (ScopeWindow *self)
{
  g_return_val_if_fail (SCOPE_IS_WINDOW (self), NULL);
  return self->sample_gallery;
}

ScopeDatasetRoom *
scope_window_get_dataset_room (ScopeWindow *self)
{
  g_return_val_if_fail (SCOPE_IS_WINDOW (self), NULL);
  return self->dataset_room;
}

ScopeExplainPanel *
scope_window_get_explain_panel (ScopeWindow *self)
{
  g_return_val_if_fail (SCOPE_IS_WINDOW (self), NULL);
  return self->explain_panel;
}

ScopeComparePanel *
scope_window_get_compare_panel (ScopeWindow *self)
{
  g_return_val_if_fail (SCOPE_IS_WINDOW (self), NULL);
  return self->compare_panel;
}

GtkWidget *
scope_window_get_arch_diagram (ScopeWindow *self)
{
  g_return_val_if_fail (SCOPE_IS_WINDOW (self), NULL);
  return GTK_WIDGET (self->arch_diagram);
}

ScopeLearnRoom *
scope_window_get_learn_room (ScopeWindow *self)
{
  g_return_val_if_fail (SCOPE_IS_WINDOW (self), NULL);
  return self->learn_room;
}
