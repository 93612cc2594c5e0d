/* scope-dataset-room.c — the images of a data set that excite the selected channel most
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "scope-dataset-room.h"

struct _ScopeDatasetRoom
{
  GtkBox            parent_instance;

  /* template children */
  GtkLabel         *title_label;
  GtkLabel         *subtitle_label;
  GtkWidget        *fashion_button;
  GtkWidget        *progress_box;
  GtkProgressBar   *progress_bar;
  GtkWidget        *cancel_button;
  GtkWidget        *resume_button;
  GtkStack         *content_stack;
  AdwStatusPage    *empty_page;
  GtkFlowBox       *flow_box;
  GtkLabel         *status_label;

  /* owned */
  ScopeWorkspace   *workspace;
  ScopeViewState   *view_state;
  ScopeDatasetScan *scan;
  GCancellable     *scan_cancellable;
  GCancellable     *tiles_cancellable;
  GPtrArray        *tiles;            /* ScopeDatasetTile, in the grid's order */
  char             *path;
  char             *error;            /* why the last scan failed, or NULL */

  /* plain state */
  gboolean          active;
  gboolean          whole;
};

G_DEFINE_FINAL_TYPE (ScopeDatasetRoom, scope_dataset_room, GTK_TYPE_BOX)

enum
{
  PROP_0,
  PROP_WHOLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  MESSAGE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void update_tiles (ScopeDatasetRoom *self);
static void start_scan   (ScopeDatasetRoom *self);

static gboolean
model_takes_fashion_mnist (ScopeDatasetRoom *self)
{
  ScopeModel *model = self->workspace != NULL ? scope_workspace_get_model (self->workspace) : NULL;

  return model != NULL
         && vgg_model_preset (scope_model_get_engine (model)) == VGG_PRESET_FASHION_MNIST;
}

/* The conv layer and channel shown: the workspace's layer if it is a convolution, and the
 * view state's channel (0 when none is picked). */
static gboolean
shown_channel (ScopeDatasetRoom *self,
               int              *layer,
               int              *channel)
{
  ScopeModel *model = self->workspace != NULL ? scope_workspace_get_model (self->workspace) : NULL;
  const VggLayer *info;

  if (model == NULL)
    return FALSE;
  *layer = scope_workspace_get_selected_layer (self->workspace);
  info = *layer >= 0 && *layer < scope_model_get_n_layers (model)
         ? scope_model_get_layer (model, *layer) : NULL;
  if (info == NULL || info->kind != VGG_LAYER_CONV)
    return FALSE;
  *channel = self->view_state != NULL ? scope_view_state_get_channel (self->view_state) : -1;
  if (*channel < 0 || *channel >= info->channels_out)
    *channel = 0;
  return TRUE;
}

static char *
format_duration (double seconds)
{
  long s = seconds > 0 && seconds < 1e8 ? (long) (seconds + 0.5) : 0;

  if (s >= 3600)
    return g_strdup_printf ("%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
  return g_strdup_printf ("%ld:%02ld", s / 60, s % 60);
}

static void
update_status (ScopeDatasetRoom *self)
{
  ScopeDatasetScan *scan = self->scan;
  gboolean running = scan != NULL && scope_dataset_scan_get_running (scan);
  gboolean complete = scan != NULL && scope_dataset_scan_get_complete (scan);
  g_autofree char *name = self->path != NULL ? g_path_get_basename (self->path) : NULL;
  g_autofree char *status = NULL;
  int layer, channel;

  if (self->title_label == NULL)
    return;   /* disposed */
  gtk_widget_set_visible (self->fashion_button, model_takes_fashion_mnist (self)
                          && g_file_test (SCOPE_FASHION_MNIST_DIR, G_FILE_TEST_IS_DIR));
  gtk_widget_set_visible (self->progress_box, scan != NULL && !complete && self->error == NULL);
  gtk_widget_set_visible (self->cancel_button, running);
  gtk_widget_set_visible (self->resume_button, scan != NULL && !running && !complete);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dataset.cancel", running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "dataset.scan",
                                 self->path != NULL && !running && !complete);

  if (shown_channel (self, &layer, &channel))
    {
      ScopeModel *model = scope_workspace_get_model (self->workspace);
      /* Translators: title of the data-set view: a layer name and a channel number */
      g_autofree char *title = g_strdup_printf (_("Top images of %s, channel %d"),
                                                scope_model_get_layer (model, layer)->name,
                                                channel);
      gtk_label_set_label (self->title_label, title);
    }
  else
    gtk_label_set_label (self->title_label, _("Pick a convolution layer"));

  if (self->path == NULL)
    gtk_label_set_label (self->subtitle_label, _("No data set chosen"));
  else
    gtk_label_set_label (self->subtitle_label, self->path);

  if (scan != NULL)
    {
      gint64 done = scope_dataset_scan_get_done (scan), total = scope_dataset_scan_get_total (scan);
      double rate = scope_dataset_scan_get_rate (scan);
      g_autofree char *left = format_duration (rate > 0 ? (total - done) / rate : 0);
      g_autofree char *text = NULL;

      gtk_progress_bar_set_fraction (self->progress_bar, total > 0 ? (double) done / total : 0);
      if (running)
        /* Translators: scan progress: images done, of all, images per second, time left */
        text = g_strdup_printf (_("%lld of %lld images · %.0f images/s · %s left"),
                                (long long) done, (long long) total, rate, left);
      else
        /* Translators: a cancelled scan's progress */
        text = g_strdup_printf (_("Stopped after %lld of %lld images"), (long long) done,
                                (long long) total);
      gtk_progress_bar_set_text (self->progress_bar, text);
    }

  if (self->error != NULL)
    status = g_strdup (self->error);
  else if (complete && scope_dataset_scan_get_skipped (scan) > 0)
    /* Translators: after a scan: the data set's name, its images, those that were skipped */
    status = g_strdup_printf (_("%s: %lld images, %lld could not be read and were skipped. "
                                "Activate an image to open it."), name,
                              (long long) scope_dataset_scan_get_total (scan),
                              (long long) scope_dataset_scan_get_skipped (scan));
  else if (complete && scope_dataset_scan_get_from_cache (scan))
    /* Translators: a scan read back from the cache: the data set's name, its images */
    status = g_strdup_printf (_("%s: %lld images, from the saved index. Activate an image to "
                                "open it."), name, (long long) scope_dataset_scan_get_total (scan));
  else if (complete)
    /* Translators: after a scan: the data set's name, its images */
    status = g_strdup_printf (_("%s: %lld images. Activate an image to open it."), name,
                              (long long) scope_dataset_scan_get_total (scan));
  else if (running)
    status = g_strdup (_("Scanning in the background…"));
  gtk_label_set_label (self->status_label, status != NULL ? status : "");
}

/* ---- the scan ---- */

static void
on_scan_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr (ScopeDatasetRoom) self = user_data;
  ScopeDatasetScan *scan = SCOPE_DATASET_SCAN (source);
  g_autoptr (GError) error = NULL;
  gboolean ok = scope_dataset_scan_run_finish (scan, result, &error);

  if (scan != self->scan)
    return;   /* a data set or model since then */
  g_clear_pointer (&self->error, g_free);
  if (!ok && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      self->error = g_strdup (error->message);
      g_signal_emit (self, signals[MESSAGE], 0, error->message);
    }
  update_status (self);
  update_tiles (self);
}

static void
clear_tiles (ScopeDatasetRoom *self)
{
  GtkWidget *child;

  while (self->flow_box != NULL
         && (child = gtk_widget_get_first_child (GTK_WIDGET (self->flow_box))) != NULL)
    gtk_flow_box_remove (self->flow_box, child);
  g_ptr_array_set_size (self->tiles, 0);
}

static void
drop_scan (ScopeDatasetRoom *self)
{
  g_cancellable_cancel (self->scan_cancellable);
  g_clear_object (&self->scan_cancellable);
  g_cancellable_cancel (self->tiles_cancellable);
  g_clear_object (&self->tiles_cancellable);
  if (self->scan != NULL)
    g_signal_handlers_disconnect_by_data (self->scan, self);
  g_clear_object (&self->scan);
  g_clear_pointer (&self->error, g_free);
  clear_tiles (self);
}

static void
start_scan (ScopeDatasetRoom *self)
{
  ScopeModel *model = self->workspace != NULL ? scope_workspace_get_model (self->workspace) : NULL;

  if (model == NULL || self->path == NULL
      || (self->scan != NULL && (scope_dataset_scan_get_running (self->scan)
                                 || scope_dataset_scan_get_complete (self->scan))))
    return;
  if (self->scan == NULL || scope_dataset_scan_get_model (self->scan) != model)
    {
      drop_scan (self);
      self->scan = scope_dataset_scan_new (model, self->path);
      g_signal_connect_object (self->scan, "notify::done", G_CALLBACK (update_status), self,
                               G_CONNECT_SWAPPED);
    }
  g_clear_pointer (&self->error, g_free);
  g_clear_object (&self->scan_cancellable);
  self->scan_cancellable = g_cancellable_new ();
  scope_dataset_scan_run_async (self->scan, self->scan_cancellable, on_scan_done,
                                g_object_ref (self));
  update_status (self);
  update_tiles (self);
}

/* ---- the tiles ---- */

static void
on_tile_clicked (GtkButton        *button,
                 ScopeDatasetRoom *self)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "tile-index"));
  ScopeDatasetTile *tile;

  if (index >= self->tiles->len)
    return;
  tile = g_ptr_array_index (self->tiles, index);
  if (tile->file != NULL)
    scope_workspace_open_file (self->workspace, tile->file);
  else
    {
      g_autoptr (ScopeSource) source = scope_source_new_for_texture (tile->picture, tile->name);
      scope_workspace_open_source (self->workspace, source);
    }
  gtk_widget_activate_action (GTK_WIDGET (self), "win.show-view", "s", "maps");
}

static GtkWidget *
tile_widget (ScopeDatasetRoom *self,
             ScopeDatasetTile *tile,
             guint             index)
{
  GtkWidget *button = gtk_button_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *picture = gtk_picture_new_for_paintable (GDK_PAINTABLE (tile->texture));
  g_autofree char *value = g_strdup_printf ("%.4g", tile->hit.value);
  GtkWidget *value_label = gtk_label_new (value);
  GtkWidget *name_label = gtk_label_new (tile->name);
  /* Translators: accessible name of one top image: rank, name, value */
  g_autofree char *accessible = g_strdup_printf (_("Rank %u: %s, value %s; open it as the "
                                                   "picture"), index + 1, tile->name, value);

  gtk_widget_set_size_request (picture, 112, 112);
  gtk_picture_set_can_shrink (GTK_PICTURE (picture), TRUE);
  gtk_label_set_ellipsize (GTK_LABEL (name_label), PANGO_ELLIPSIZE_MIDDLE);
  gtk_label_set_max_width_chars (GTK_LABEL (name_label), 14);
  gtk_widget_add_css_class (name_label, "caption");
  gtk_widget_add_css_class (name_label, "dim-label");
  gtk_widget_add_css_class (value_label, "numeric");
  gtk_box_append (GTK_BOX (box), picture);
  gtk_box_append (GTK_BOX (box), value_label);
  gtk_box_append (GTK_BOX (box), name_label);
  gtk_button_set_child (GTK_BUTTON (button), box);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, tile->name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  accessible, -1);
  g_object_set_data (G_OBJECT (button), "tile-index", GUINT_TO_POINTER (index));
  g_signal_connect_object (button, "clicked", G_CALLBACK (on_tile_clicked), self, 0);
  return button;
}

static void
on_tiles_loaded (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr (ScopeDatasetRoom) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) tiles = scope_dataset_scan_load_tiles_finish (SCOPE_DATASET_SCAN (source),
                                                                      result, &error);
  if (tiles == NULL || SCOPE_DATASET_SCAN (source) != self->scan)
    return;   /* cancelled: another channel, data set or model */
  clear_tiles (self);
  for (guint i = 0; i < tiles->len; i++)
    {
      ScopeDatasetTile *tile = g_steal_pointer (&tiles->pdata[i]);   /* NULL freed as nothing */

      GtkWidget *button = tile_widget (self, tile, i);

      g_ptr_array_add (self->tiles, tile);
      gtk_flow_box_append (self->flow_box, button);
      /* one Tab stop per image: the button, not also the flow box's wrapper around it */
      gtk_widget_set_focusable (gtk_widget_get_parent (button), FALSE);
    }
  gtk_stack_set_visible_child_name (self->content_stack, "tiles");
}

static void
update_tiles (ScopeDatasetRoom *self)
{
  VggScanHit hits[VGG_SCAN_DEFAULT_K];
  int layer, channel, n;

  if (self->flow_box == NULL)
    return;   /* disposed: a late notification */
  g_cancellable_cancel (self->tiles_cancellable);
  g_clear_object (&self->tiles_cancellable);
  update_status (self);
  if (self->scan == NULL || scope_dataset_scan_get_running (self->scan)
      || !shown_channel (self, &layer, &channel)
      || (n = scope_dataset_scan_get_hits (self->scan, layer, channel, hits,
                                           G_N_ELEMENTS (hits))) <= 0)
    {
      /* nothing to show for this layer (yet): no stale images of another channel */
      clear_tiles (self);
      if (self->scan == NULL)
        gtk_stack_set_visible_child_name (self->content_stack, "empty");
      return;
    }
  self->tiles_cancellable = g_cancellable_new ();
  scope_dataset_scan_load_tiles_async (self->scan, layer, hits, n, self->whole,
                                       self->tiles_cancellable, on_tiles_loaded,
                                       g_object_ref (self));
}

/* ---- choosing a data set ---- */

static void
on_choose_response (GtkNativeDialog  *dialog,
                    int               response,
                    ScopeDatasetRoom *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      if (path != NULL)
        scope_dataset_room_set_path (self, path);
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
  g_object_unref (self);
}

static void
choose (ScopeDatasetRoom     *self,
        GtkFileChooserAction  action)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *dialog;

  dialog = gtk_file_chooser_native_new (action == GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER
                                        ? _("Choose a Folder of Pictures")
                                        : _("Choose an IDX Image File"),
                                        GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, action,
                                        _("_Choose"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect (dialog, "response", G_CALLBACK (on_choose_response), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
action_choose_folder (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  choose (SCOPE_DATASET_ROOM (widget), GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER);
}

static void
action_choose_file (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  choose (SCOPE_DATASET_ROOM (widget), GTK_FILE_CHOOSER_ACTION_OPEN);
}

static void
action_fashion_mnist (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  scope_dataset_room_set_path (SCOPE_DATASET_ROOM (widget), SCOPE_FASHION_MNIST_DIR);
}

static void
action_scan (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  start_scan (SCOPE_DATASET_ROOM (widget));
}

static void
action_cancel (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  scope_dataset_room_cancel (SCOPE_DATASET_ROOM (widget));
}

/* ---- following the workspace ---- */

static void
on_model_changed (ScopeDatasetRoom *self)
{
  if (self->flow_box == NULL)
    return;   /* disposed: a late notification */
  drop_scan (self);
  /* the default Fashion-MNIST set goes with the models that read it, not with VGG16 */
  if (g_strcmp0 (self->path, SCOPE_FASHION_MNIST_DIR) == 0 && !model_takes_fashion_mnist (self))
    g_clear_pointer (&self->path, g_free);
  if (self->path == NULL && model_takes_fashion_mnist (self)
      && g_file_test (SCOPE_FASHION_MNIST_DIR, G_FILE_TEST_IS_DIR))
    self->path = g_strdup (SCOPE_FASHION_MNIST_DIR);   /* offered by default */
  if (self->active)
    start_scan (self);
  update_tiles (self);
}

void
scope_dataset_room_set_workspace (ScopeDatasetRoom *self,
                                  ScopeWorkspace   *workspace)
{
  g_return_if_fail (SCOPE_IS_DATASET_ROOM (self));
  g_return_if_fail (SCOPE_IS_WORKSPACE (workspace));
  g_return_if_fail (self->workspace == NULL);

  self->workspace = g_object_ref (workspace);
  g_signal_connect_object (workspace, "notify::model", G_CALLBACK (on_model_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (workspace, "notify::selected-layer", G_CALLBACK (update_tiles), self,
                           G_CONNECT_SWAPPED);
  on_model_changed (self);
}

void
scope_dataset_room_set_view_state (ScopeDatasetRoom *self,
                                   ScopeViewState   *view_state)
{
  g_return_if_fail (SCOPE_IS_DATASET_ROOM (self));
  g_return_if_fail (SCOPE_IS_VIEW_STATE (view_state));
  g_return_if_fail (self->view_state == NULL);

  self->view_state = g_object_ref (view_state);
  g_signal_connect_object (view_state, "notify::channel", G_CALLBACK (update_tiles), self,
                           G_CONNECT_SWAPPED);
  update_tiles (self);
}

void
scope_dataset_room_set_active (ScopeDatasetRoom *self,
                               gboolean          active)
{
  g_return_if_fail (SCOPE_IS_DATASET_ROOM (self));

  if (self->active == !!active)
    return;
  self->active = !!active;
  if (self->active && self->scan == NULL)
    start_scan (self);
}

void
scope_dataset_room_set_path (ScopeDatasetRoom *self,
                             const char       *path)
{
  g_return_if_fail (SCOPE_IS_DATASET_ROOM (self));
  g_return_if_fail (path != NULL);

  drop_scan (self);
  g_free (self->path);
  self->path = g_strdup (path);
  if (self->active)
    start_scan (self);
  update_tiles (self);
}

const char *
scope_dataset_room_get_path (ScopeDatasetRoom *self)
{
  g_return_val_if_fail (SCOPE_IS_DATASET_ROOM (self), NULL);
  return self->path;
}

ScopeDatasetScan *
scope_dataset_room_get_scan (ScopeDatasetRoom *self)
{
  g_return_val_if_fail (SCOPE_IS_DATASET_ROOM (self), NULL);
  return self->scan;
}

GtkFlowBox *
scope_dataset_room_get_flow_box (ScopeDatasetRoom *self)
{
  g_return_val_if_fail (SCOPE_IS_DATASET_ROOM (self), NULL);
  return self->flow_box;
}

GtkProgressBar *
scope_dataset_room_get_progress_bar (ScopeDatasetRoom *self)
{
  g_return_val_if_fail (SCOPE_IS_DATASET_ROOM (self), NULL);
  return self->progress_bar;
}

guint
scope_dataset_room_get_n_tiles (ScopeDatasetRoom *self)
{
  g_return_val_if_fail (SCOPE_IS_DATASET_ROOM (self), 0);
  return self->tiles->len;
}

void
scope_dataset_room_cancel (ScopeDatasetRoom *self)
{
  g_return_if_fail (SCOPE_IS_DATASET_ROOM (self));
  g_cancellable_cancel (self->scan_cancellable);
}

/* ---- GObject ---- */

static void
scope_dataset_room_dispose (GObject *object)
{
  ScopeDatasetRoom *self = SCOPE_DATASET_ROOM (object);

  drop_scan (self);
  g_clear_object (&self->workspace);
  g_clear_object (&self->view_state);
  gtk_widget_dispose_template (GTK_WIDGET (self), SCOPE_TYPE_DATASET_ROOM);
  G_OBJECT_CLASS (scope_dataset_room_parent_class)->dispose (object);
}

static void
scope_dataset_room_finalize (GObject *object)
{
  ScopeDatasetRoom *self = SCOPE_DATASET_ROOM (object);

  g_ptr_array_unref (self->tiles);
  g_free (self->path);
  g_free (self->error);
  G_OBJECT_CLASS (scope_dataset_room_parent_class)->finalize (object);
}

static void
scope_dataset_room_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  ScopeDatasetRoom *self = SCOPE_DATASET_ROOM (object);

  switch (prop_id)
    {
    case PROP_WHOLE:
      g_value_set_boolean (value, self->whole);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
scope_dataset_room_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  ScopeDatasetRoom *self = SCOPE_DATASET_ROOM (object);

  switch (prop_id)
    {
    case PROP_WHOLE:
      if (self->whole == g_value_get_boolean (value))
        return;
      self->whole = g_value_get_boolean (value);
      g_object_notify_by_pspec (object, pspec);
      update_tiles (self);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
scope_dataset_room_class_init (ScopeDatasetRoomClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = scope_dataset_room_dispose;
  object_class->finalize = scope_dataset_room_finalize;
  object_class->get_property = scope_dataset_room_get_property;
  object_class->set_property = scope_dataset_room_set_property;

  properties[PROP_WHOLE] =
    g_param_spec_boolean ("whole", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* a sentence for the user (a scan that failed), shown by the window as a toast */
  signals[MESSAGE] = g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/vggscope/VggScope/ui/scope-dataset-room.ui");
  gtk_widget_class_bind_template_child (widget_class, ScopeDatasetRoom, title_label);
  gtk_widget_class_bind_template_child (widget_class, ScopeDatasetRoom, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, ScopeDatasetRoom, fashion_button);
  gtk_widget_class_bind_template_child (widget_class, ScopeDatasetRoom, progress_box);
  gtk_widget_class_bind_template_child (widget_class, ScopeDatasetRoom, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, ScopeDatasetRoom, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, ScopeDatasetRoom, resume_button);
  gtk_widget_class_bind_template_child (widget_class, ScopeDatasetRoom, content_stack);
  gtk_widget_class_bind_template_child (widget_class, ScopeDatasetRoom, empty_page);
  gtk_widget_class_bind_template_child (widget_class, ScopeDatasetRoom, flow_box);
  gtk_widget_class_bind_template_child (widget_class, ScopeDatasetRoom, status_label);

  gtk_widget_class_install_action (widget_class, "dataset.choose-folder", NULL,
                                   action_choose_folder);
  gtk_widget_class_install_action (widget_class, "dataset.choose-file", NULL,
                                   action_choose_file);
  gtk_widget_class_install_action (widget_class, "dataset.fashion-mnist", NULL,
                                   action_fashion_mnist);
  gtk_widget_class_install_action (widget_class, "dataset.scan", NULL, action_scan);
  gtk_widget_class_install_action (widget_class, "dataset.cancel", NULL, action_cancel);
  gtk_widget_class_install_property_action (widget_class, "dataset.whole", "whole");
}

static void
scope_dataset_room_init (ScopeDatasetRoom *self)
{
  self->tiles = g_ptr_array_new_with_free_func ((GDestroyNotify) scope_dataset_tile_free);
  gtk_widget_init_template (GTK_WIDGET (self));
  update_status (self);
}
