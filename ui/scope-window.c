/* scope-window.c — the main window: one picture, one model, and everything the network does
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "scope-arch-diagram.h"
#include "scope-enum-types.h"
#include "scope-inference.h"
#include "scope-layer-item.h"
#include "scope-settings.h"
#include "scope-weights-dialog.h"
#include "scope-window.h"

struct _ScopeWindow
{
  AdwApplicationWindow  parent_instance;

  /* template children */
  AdwToastOverlay      *toast_overlay;
  GtkWidget            *drop_highlight;
  AdwWindowTitle       *window_title;
  GtkMenuButton        *model_button;
  GtkLabel             *model_button_label;
  GtkSpinner           *model_spinner;
  GtkWidget            *sidebar_button;
  GtkProgressBar       *progress_bar;
  GtkStack             *main_stack;
  GtkFlowBox           *sample_box;
  GMenu                *samples_menu;
  AdwFlap              *flap;
  ScopeLayerList       *layer_list;
  GtkLabel             *model_summary_label;
  ScopeArchDiagram     *arch_diagram;
  ScopeImageView       *image_view;
  GtkLabel             *receptive_label;
  GtkLabel             *elapsed_label;
  GtkWidget            *untrained_box;
  GtkWidget            *prediction_box;
  GtkLabel             *classes_label;
  GtkWidget            *features_only_box;
  ScopeProbChart       *prob_chart;
  GtkLabel             *model_label;
  GtkWidget            *back_button;
  GtkLabel             *maps_title;
  GtkLabel             *maps_subtitle;
  GtkWidget            *channel_nav;
  GtkStack             *maps_stack;
  GtkSpinner           *maps_spinner;
  GtkLabel             *maps_waiting_label;
  ScopeFeatureGrid     *feature_grid;
  ScopeChannelView     *channel_view;
  GtkLabel             *maps_status;

  /* owned */
  GSettings            *settings;
  ScopeModelStore      *store;
  GMenu                *model_menu;
  GtkListBox           *model_list;      /* the store's entries, inside the model menu */
  ScopeModel           *model;
  char                 *model_id;        /* the entry chosen; may still be loading */
  GCancellable         *model_cancellable;
  ScopeSource          *source;          /* the current picture */
  ScopeResult          *result;          /* on screen */
  ScopeResult          *pending;         /* started, picture not decoded yet */
  GCancellable         *cancellable;     /* of the newest inference job */
  char                 *last_toast;
  char                 *colormap;
  char                 *normalization;
  char                 *samples_dir;     /* the sample gallery's folder, or NULL */

  /* borrowed */
  ScopeWeightsDialog   *weights_dialog;  /* weak: open while not NULL */

  /* plain state */
  int                   selected_layer;
  gboolean              sort_by_activation;
  gboolean              showing_channel;
  gboolean              disposed;        /* late callbacks (paste, dialogs) do nothing */
};

enum {
  PROP_0,
  PROP_MODEL,
  PROP_MODEL_ID,
  PROP_RESULT,
  PROP_SELECTED_LAYER,
  PROP_COLORMAP,
  PROP_NORMALIZATION,
  PROP_SORT_BY_ACTIVATION,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (ScopeWindow, scope_window, ADW_TYPE_APPLICATION_WINDOW)

static void start_inference     (ScopeWindow *self);
static void update_maps         (ScopeWindow *self);
static void update_receptive    (ScopeWindow *self);
static void load_model_entry    (ScopeWindow *self,
                                 const char  *id);
static void update_samples      (ScopeWindow *self);

/* ---- small helpers ---- */

static const VggLayer *
selected_layer_info (ScopeWindow *self)
{
  if (self->model == NULL)
    return NULL;
  return scope_model_get_layer (self->model, self->selected_layer);
}

static ScopeCapture *
selected_capture (ScopeWindow *self)
{
  if (self->result == NULL)
    return NULL;
  return scope_result_get_capture (self->result, self->selected_layer);
}

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

const char *
scope_window_get_last_toast (ScopeWindow *self)
{
  g_return_val_if_fail (SCOPE_IS_WINDOW (self), NULL);
  return self->last_toast;
}

static ScopeNormalization
normalization_value (ScopeWindow *self)
{
  return g_strcmp0 (self->normalization, "layer") == 0 ? SCOPE_NORMALIZATION_LAYER
                                                       : SCOPE_NORMALIZATION_CHANNEL;
}

static ScopeColormap
colormap_value (ScopeWindow *self)
{
  if (g_strcmp0 (self->colormap, "magma") == 0)
    return SCOPE_COLORMAP_MAGMA;
  if (g_strcmp0 (self->colormap, "grey") == 0)
    return SCOPE_COLORMAP_GREY;
  return SCOPE_COLORMAP_VIRIDIS;
}

/* ---- the displayed result ---- */

static void
update_progress (ScopeWindow *self)
{
  gboolean running = self->result != NULL
                     && scope_result_get_status (self->result) == SCOPE_RESULT_RUNNING;

  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), running || self->pending != NULL);
  if (self->result != NULL)
    gtk_progress_bar_set_fraction (self->progress_bar, scope_result_get_fraction (self->result));
  else
    gtk_progress_bar_pulse (self->progress_bar);
}

static void
update_prediction_header (ScopeWindow *self)
{
  g_autofree char *elapsed = NULL;

  if (self->result != NULL && scope_result_get_status (self->result) == SCOPE_RESULT_DONE)
    /* Translators: how long the classification took, in seconds */
    elapsed = g_strdup_printf (_("%.2f s"), scope_result_get_elapsed (self->result));
  gtk_label_set_label (self->elapsed_label, elapsed != NULL ? elapsed : "");
}

static void
update_pictures (ScopeWindow *self)
{
  if (self->result == NULL || self->model == NULL)
    {
      scope_image_view_set_pictures (self->image_view, NULL, NULL, VGG_PRESET_TORCHVISION);
      return;
    }
  scope_image_view_set_pictures (self->image_view, scope_result_get_original (self->result),
                                 scope_result_get_seen (self->result),
                                 vgg_model_preset (scope_model_get_engine (
                                   scope_result_get_model (self->result))));
}

static void
on_result_status (ScopeWindow *self)
{
  update_progress (self);
  update_prediction_header (self);
  update_maps (self);
}

static void
on_result_fraction (ScopeWindow *self)
{
  update_progress (self);
  update_maps (self);
}

static void
on_layer_captured (ScopeWindow *self,
                   int          index)
{
  if (index == self->selected_layer)
    update_maps (self);
}

static void
set_displayed_result (ScopeWindow *self,
                      ScopeResult *result)
{
  if (self->result == result)
    return;

  if (self->result != NULL)
    g_signal_handlers_disconnect_by_data (self->result, self);
  g_set_object (&self->result, result);

  if (result != NULL)
    {
      g_signal_connect_swapped (result, "notify::original", G_CALLBACK (update_pictures), self);
      g_signal_connect_swapped (result, "notify::seen", G_CALLBACK (update_pictures), self);
      g_signal_connect_swapped (result, "notify::status", G_CALLBACK (on_result_status), self);
      g_signal_connect_swapped (result, "notify::fraction", G_CALLBACK (on_result_fraction),
                                self);
      g_signal_connect_swapped (result, "layer-captured", G_CALLBACK (on_layer_captured), self);
      adw_window_title_set_title (self->window_title,
                                  scope_source_get_display_name (scope_result_get_source (result)));
      gtk_stack_set_visible_child_name (self->main_stack, "explorer");
      gtk_widget_set_visible (self->sidebar_button, TRUE);
    }

  scope_prob_chart_set_model (self->prob_chart,
                              result != NULL ? scope_result_get_prediction (result) : NULL);
  scope_arch_diagram_set_result (self->arch_diagram, result);
  update_pictures (self);
  update_progress (self);
  update_prediction_header (self);
  update_maps (self);
  update_receptive (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RESULT]);
}

/* The pending result becomes the displayed one once its picture has decoded. */
static void
on_pending_status (ScopeWindow *self,
                   GParamSpec  *pspec,
                   ScopeResult *result)
{
  if (result != self->pending)
    return;
  if (scope_result_get_status (result) == SCOPE_RESULT_PENDING)
    return;

  g_signal_handlers_disconnect_by_func (result, on_pending_status, self);
  self->pending = NULL;
  if (scope_result_get_status (result) == SCOPE_RESULT_RUNNING)
    set_displayed_result (self, result);
  g_object_unref (result);
}

static void
drop_pending (ScopeWindow       *self,
              ScopeResultStatus  status)
{
  ScopeResult *pending = g_steal_pointer (&self->pending);

  if (pending == NULL)
    return;
  g_signal_handlers_disconnect_by_func (pending, on_pending_status, self);
  scope_result_set_status (pending, status);
  g_object_unref (pending);
}

/* ---- inference ---- */

typedef struct
{
  ScopeWindow  *window;
  ScopeResult  *result;
  GCancellable *cancellable;
} RunData;

static void
run_data_free (RunData *data)
{
  g_clear_object (&data->window);
  g_clear_object (&data->result);
  g_clear_object (&data->cancellable);
  g_free (data);
}

static void
on_inference_done (GObject      *object,
                   GAsyncResult *async_result,
                   gpointer      user_data)
{
  RunData *data = user_data;
  ScopeWindow *self = data->window;
  ScopeInferenceOutcome outcome;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = scope_inference_run_finish (async_result, &outcome, &error);

  /* a newer job replaced this one: whatever it produced is never applied */
  if (data->cancellable != self->cancellable)
    {
      if (scope_result_get_status (data->result) < SCOPE_RESULT_DONE)
        scope_result_set_status (data->result, SCOPE_RESULT_CANCELLED);
      run_data_free (data);
      return;
    }

  g_clear_object (&self->cancellable);
  if (ok && data->result == self->pending)
    {
      /* the picture's hand-over always comes first; this only guards the order */
      ScopeResult *pending = g_steal_pointer (&self->pending);

      g_signal_handlers_disconnect_by_func (pending, on_pending_status, self);
      set_displayed_result (self, pending);
      g_object_unref (pending);
    }
  if (ok)
    scope_result_set_prediction (data->result, outcome.classes, outcome.probabilities, outcome.k,
                                 outcome.elapsed);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    scope_result_set_status (data->result, SCOPE_RESULT_CANCELLED);
  else
    {
      g_autofree char *message = NULL;

      if (data->result == self->pending)
        drop_pending (self, SCOPE_RESULT_FAILED);
      else
        scope_result_set_status (data->result, SCOPE_RESULT_FAILED);
      /* the picture could not be classified; the previous one stays on screen */
      if (self->result == NULL || self->result == data->result)
        {
          g_clear_object (&self->source);
          if (self->result == data->result)
            set_displayed_result (self, NULL);
          gtk_stack_set_visible_child_name (self->main_stack, "empty");
        }
      else
        g_set_object (&self->source, scope_result_get_source (self->result));
      /* Translators: a toast when a picture cannot be used; %s says why */
      message = g_strdup_printf (_("Could not classify the picture: %s"), error->message);
      scope_window_show_toast (self, message);
    }
  update_progress (self);
  run_data_free (data);
}

static void
cancel_inference (ScopeWindow *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  drop_pending (self, SCOPE_RESULT_CANCELLED);
  if (self->result != NULL && scope_result_get_status (self->result) < SCOPE_RESULT_DONE)
    scope_result_set_status (self->result, SCOPE_RESULT_CANCELLED);
}

static void
start_inference (ScopeWindow *self)
{
  RunData *data;

  cancel_inference (self);
  if (self->source == NULL || self->model == NULL)
    {
      update_progress (self);
      return;   /* runs when the model arrives */
    }

  self->cancellable = g_cancellable_new ();
  self->pending = scope_result_new (self->model, self->source);
  g_signal_connect_object (self->pending, "notify::status", G_CALLBACK (on_pending_status),
                           self, G_CONNECT_SWAPPED);

  data = g_new0 (RunData, 1);
  data->window = g_object_ref (self);
  data->result = g_object_ref (self->pending);
  data->cancellable = g_object_ref (self->cancellable);
  scope_inference_run_async (self->model, self->source, self->pending, self->cancellable,
                             on_inference_done, data);
  update_progress (self);
}

void
scope_window_open_source (ScopeWindow *self,
                          ScopeSource *source)
{
  g_return_if_fail (SCOPE_IS_WINDOW (self));
  g_return_if_fail (SCOPE_IS_SOURCE (source));

  if (self->disposed)
    return;
  g_set_object (&self->source, source);
  start_inference (self);
}

void
scope_window_open_file (ScopeWindow *self,
                        GFile       *file)
{
  g_autoptr(ScopeSource) source = NULL;

  g_return_if_fail (SCOPE_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  source = scope_source_new_for_file (file);
  scope_window_open_source (self, source);
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
      guint n = g_slist_length (files);

      if (n == 0)
        return FALSE;
      scope_window_open_file (self, files->data);
      if (n > 1)
        {
          g_autofree char *message =
            /* Translators: a toast after several files were dropped at once */
            g_strdup_printf (ngettext ("Showing the first of %u image", "Showing the first of %u images",
                                       n), n);

          scope_window_show_toast (self, message);
        }
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

      scope_window_open_source (self, source);
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

/* ---- models ---- */

/* Whether @model names its own classes (metadata), rather than ImageNet's or "class N". */
static gboolean
has_own_class_names (const VggModel *model)
{
  int n_classes = vgg_model_n_classes (model);

  /* the engine names unknown classes "class 0", "class 1", … */
  return n_classes > 0 && n_classes != 1000
         && g_strcmp0 (vgg_model_class_name (model, 0), "class 0") != 0;
}

/* "Recognises 10 Fashion-MNIST classes: T-shirt/top, Trouser, …" from the model's own names;
 * NULL for ImageNet models and models without names. */
static char *
describe_classes (const VggModel *model)
{
  int n_classes = vgg_model_n_classes (model);
  int n_listed = MIN (n_classes, 12);
  g_autoptr(GString) names = g_string_new (NULL);

  if (!has_own_class_names (model))
    return NULL;
  for (int i = 0; i < n_listed; i++)
    {
      if (i > 0)
        /* Translators: the separator between class names in a list */
        g_string_append (names, _(", "));
      g_string_append (names, vgg_model_class_name (model, i));
    }
  if (n_listed < n_classes)
    g_string_append (names, "…");

  if (g_strcmp0 (vgg_preset_name (vgg_model_preset (model)), "fashion-mnist") == 0)
    /* Translators: under the prediction; %d is the number of classes, %s their names */
    return g_strdup_printf (ngettext ("Recognises %d Fashion-MNIST class: %s",
                                      "Recognises %d Fashion-MNIST classes: %s", n_classes),
                            n_classes, names->str);
  /* Translators: under the prediction; %d is the number of classes, %s their names */
  return g_strdup_printf (ngettext ("Recognises %d class: %s", "Recognises %d classes: %s",
                                    n_classes), n_classes, names->str);
}

static void
update_model_labels (ScopeWindow *self)
{
  ScopeModelEntry *entry = scope_model_store_find (self->store, self->model_id);
  g_autofree char *summary = NULL, *params = NULL, *macs = NULL, *label = NULL;
  g_autofree char *classes = NULL;
  const VggModel *model;
  gboolean classifier;

  gtk_label_set_label (self->model_button_label,
                       entry != NULL ? scope_model_entry_get_title (entry) : "");
  if (self->model == NULL)
    return;

  model = scope_model_get_engine (self->model);
  if (self->model_cancellable == NULL)
    adw_window_title_set_subtitle (self->window_title, vgg_model_name (model));
  params = scope_format_count (vgg_model_n_params (model));
  macs = scope_format_count (vgg_model_n_macs (model));
  /* Translators: under the layer table: model name, layer count, parameter count and
   * multiply-accumulate operations per picture */
  summary = g_strdup_printf (_("%s: %d layers, %s parameters, %s multiply-adds per picture"),
                             vgg_model_name (model), vgg_model_n_layers (model), params, macs);
  gtk_label_set_label (self->model_summary_label, summary);

  classifier = vgg_model_n_classes (model) > 0;
  if (!classifier)
    /* Translators: under the feature-maps-only note; %s is the model's name */
    label = g_strdup_printf (_("Model: %s (no classifier)"), vgg_model_name (model));
  else if (vgg_model_is_trained (model))
    /* Translators: under the probability bars; %s is the model's name */
    label = g_strdup_printf (_("Model: %s (trained)"), vgg_model_name (model));
  else
    /* Translators: under the probability bars; %s is the model's name */
    label = g_strdup_printf (_("Model: %s"), vgg_model_name (model));
  gtk_label_set_label (self->model_label, label);

  /* a model without a classifier has no prediction to show: say so instead */
  gtk_widget_set_visible (self->prediction_box, classifier);
  gtk_widget_set_visible (self->features_only_box, !classifier);
  gtk_widget_set_visible (self->untrained_box, classifier && !vgg_model_is_trained (model));
  classes = describe_classes (model);
  gtk_label_set_label (self->classes_label, classes != NULL ? classes : "");
  gtk_widget_set_visible (GTK_WIDGET (self->classes_label), classes != NULL);
}

void
scope_window_set_model (ScopeWindow *self,
                        ScopeModel  *model)
{
  int n_layers;
  const VggLayer *previous = NULL;
  g_autofree char *previous_name = NULL;

  g_return_if_fail (SCOPE_IS_WINDOW (self));
  g_return_if_fail (SCOPE_IS_MODEL (model));

  if (self->model == model)
    return;

  /* keep the same layer selected if the new model has one of that name */
  previous = selected_layer_info (self);
  if (previous != NULL)
    previous_name = g_strdup (previous->name);

  g_set_object (&self->model, model);
  scope_layer_list_set_model (self->layer_list, model);
  scope_arch_diagram_set_model (self->arch_diagram, model);

  n_layers = scope_model_get_n_layers (model);
  if (previous_name != NULL)
    {
      int index = vgg_model_find_layer (scope_model_get_engine (model), previous_name);

      self->selected_layer = -1;
      scope_window_set_selected_layer (self, index >= 0 ? index : 0);
    }
  else
    {
      self->selected_layer = -1;
      scope_window_set_selected_layer (self, n_layers > 0 ? 0 : -1);
    }

  update_model_labels (self);
  update_samples (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);

  /* the current picture, seen by the new model */
  if (self->source != NULL)
    start_inference (self);
}

ScopeModel *
scope_window_get_model (ScopeWindow *self)
{
  g_return_val_if_fail (SCOPE_IS_WINDOW (self), NULL);
  return self->model;
}

typedef struct
{
  ScopeWindow  *window;
  char         *id;
  GCancellable *cancellable;
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_clear_object (&data->window);
  g_clear_object (&data->cancellable);
  g_free (data->id);
  g_free (data);
}

static void
on_model_loaded (GObject      *object,
                 GAsyncResult *async_result,
                 gpointer      user_data)
{
  LoadData *data = user_data;
  ScopeWindow *self = data->window;
  g_autoptr(ScopeModel) model = NULL;
  g_autoptr(GError) error = NULL;
  ScopeModelEntry *entry;

  model = scope_model_load_finish (async_result, &error);
  if (data->cancellable != self->model_cancellable)
    {
      load_data_free (data);
      return;
    }
  g_clear_object (&self->model_cancellable);
  gtk_widget_set_visible (GTK_WIDGET (self->model_spinner), FALSE);
  gtk_spinner_set_spinning (self->model_spinner, FALSE);
  adw_window_title_set_subtitle (self->window_title,
                                 self->model != NULL ? scope_model_get_name (self->model) : "");
  entry = scope_model_store_find (self->store, data->id);

  if (model == NULL)
    {
      g_autofree char *message = NULL;

      if (entry != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        scope_model_entry_describe_error (entry, error->message);
      /* Translators: a toast when a weight file cannot be used; %s says why */
      message = g_strdup_printf (_("Could not load the model: %s"), error->message);
      scope_window_show_toast (self, message);
      /* back to the model in use, or the built-in one if there is none yet */
      if (self->model == NULL)
        load_model_entry (self, SCOPE_MODEL_ENTRY_DEFAULT_ID);
      else
        {
          GFile *file = scope_model_get_file (self->model);
          g_autofree char *id = file != NULL ? g_file_get_uri (file)
                                             : g_strdup (SCOPE_MODEL_ENTRY_DEFAULT_ID);

          g_free (self->model_id);
          self->model_id = g_steal_pointer (&id);
          update_model_labels (self);
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL_ID]);
        }
      load_data_free (data);
      return;
    }

  if (entry != NULL)
    scope_model_entry_describe (entry, scope_model_get_engine (model));
  if (self->settings != NULL)
    g_settings_set_string (self->settings, "model", data->id);
  scope_window_set_model (self, model);
  load_data_free (data);
}

static void
load_model_entry (ScopeWindow *self,
                  const char  *id)
{
  ScopeModelEntry *entry = scope_model_store_find (self->store, id);
  LoadData *data;

  if (entry == NULL)
    entry = scope_model_store_find (self->store, SCOPE_MODEL_ENTRY_DEFAULT_ID);

  if (g_strcmp0 (self->model_id, scope_model_entry_get_id (entry)) != 0)
    {
      g_free (self->model_id);
      self->model_id = g_strdup (scope_model_entry_get_id (entry));
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL_ID]);
    }
  update_model_labels (self);

  if (self->model_cancellable != NULL)
    g_cancellable_cancel (self->model_cancellable);
  g_clear_object (&self->model_cancellable);
  self->model_cancellable = g_cancellable_new ();

  /* reading a large file takes a while (on a worker thread): say which one */
  gtk_widget_set_visible (GTK_WIDGET (self->model_spinner), TRUE);
  gtk_spinner_set_spinning (self->model_spinner, TRUE);
  {
    /* Translators: the window's subtitle while a model loads; %s is its name or file name */
    g_autofree char *loading = g_strdup_printf (_("Loading %s…"),
                                                scope_model_entry_get_title (entry));

    adw_window_title_set_subtitle (self->window_title, loading);
  }

  data = g_new0 (LoadData, 1);
  data->window = g_object_ref (self);
  data->id = g_strdup (scope_model_entry_get_id (entry));
  data->cancellable = g_object_ref (self->model_cancellable);
  scope_model_load_async (scope_model_entry_get_file (entry), self->model_cancellable,
                          on_model_loaded, data);
}

/* The model menu: the store's entries as rows with what each model is (format, preset,
 * classes), then the actions. A GtkPopoverMenu with the list as its custom child. */

static void
update_model_checks (ScopeWindow *self)
{
  if (self->model_list == NULL)
    return;
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->model_list));
       row != NULL; row = gtk_widget_get_next_sibling (row))
    {
      ScopeModelEntry *entry = g_object_get_data (G_OBJECT (row), "scope-entry");
      GtkWidget *check = g_object_get_data (G_OBJECT (row), "scope-check");

      if (entry != NULL && check != NULL)
        gtk_widget_set_opacity (check, g_strcmp0 (scope_model_entry_get_id (entry),
                                                  self->model_id) == 0 ? 1.0 : 0.0);
    }
}

static void
update_model_row_description (GtkLabel        *label,
                              GParamSpec      *pspec,
                              ScopeModelEntry *entry)
{
  const char *description = scope_model_entry_get_description (entry);

  /* Translators: in the model menu, for a model not read yet */
  gtk_label_set_label (label, description[0] != '\0' ? description : _("Reading…"));
  if (scope_model_entry_get_broken (entry))
    gtk_widget_add_css_class (GTK_WIDGET (label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (label), "error");
}

static GtkWidget *
create_model_row (gpointer item,
                  gpointer user_data)
{
  ScopeWindow *self = user_data;
  ScopeModelEntry *entry = item;
  GtkWidget *row, *box, *check, *labels, *title, *subtitle;

  check = gtk_image_new_from_icon_name ("object-select-symbolic");
  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
  title = gtk_label_new (scope_model_entry_get_title (entry));
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_MIDDLE);
  gtk_label_set_max_width_chars (GTK_LABEL (title), 48);
  subtitle = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (subtitle), 0);
  gtk_label_set_wrap (GTK_LABEL (subtitle), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (subtitle), 52);
  gtk_widget_add_css_class (subtitle, "dim-label");
  gtk_widget_add_css_class (subtitle, "caption");
  update_model_row_description (GTK_LABEL (subtitle), NULL, entry);
  g_signal_connect_object (entry, "notify::description",
                           G_CALLBACK (update_model_row_description), subtitle,
                           G_CONNECT_SWAPPED);

  labels = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  gtk_widget_set_hexpand (labels, TRUE);
  gtk_box_append (GTK_BOX (labels), title);
  gtk_box_append (GTK_BOX (labels), subtitle);
  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 10);
  gtk_box_append (GTK_BOX (box), labels);
  gtk_box_append (GTK_BOX (box), check);

  row = gtk_list_box_row_new ();
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_widget_set_tooltip_text (row, scope_model_entry_get_title (entry));
  g_object_set_data_full (G_OBJECT (row), "scope-entry", g_object_ref (entry), g_object_unref);
  g_object_set_data (G_OBJECT (row), "scope-check", check);
  gtk_widget_set_opacity (check, g_strcmp0 (scope_model_entry_get_id (entry),
                                            self->model_id) == 0 ? 1.0 : 0.0);
  return row;
}

static void
on_model_row_activated (GtkListBox    *list,
                        GtkListBoxRow *row,
                        ScopeWindow   *self)
{
  ScopeModelEntry *entry = g_object_get_data (G_OBJECT (row), "scope-entry");

  gtk_menu_button_popdown (self->model_button);
  if (entry != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.model", "s",
                                scope_model_entry_get_id (entry));
}

/* Opening the menu reads the models not described yet, on a worker thread. */
static void
on_model_menu_shown (ScopeWindow *self)
{
  scope_model_store_describe_all (self->store);
}

static void
build_model_menu (ScopeWindow *self)
{
  g_autoptr(GMenu) models = g_menu_new ();
  g_autoptr(GMenu) actions = g_menu_new ();
  g_autoptr(GMenuItem) list_item = g_menu_item_new (NULL, NULL);
  GtkPopover *popover;

  g_menu_item_set_attribute (list_item, "custom", "s", "models");
  g_menu_append_item (models, list_item);
  /* Translators: in the model menu: opens the dialog that downloads pretrained weights */
  g_menu_append (actions, _("Get _ImageNet Weights…"), "win.get-weights");
  g_menu_append (actions, _("Open _Weight File…"), "win.open-model");
  g_menu_append (actions, _("Show _Models Folder"), "win.show-models-folder");
  /* Translators: heading of the list of models in the model menu */
  g_menu_append_section (self->model_menu, _("Models"), G_MENU_MODEL (models));
  g_menu_append_section (self->model_menu, NULL, G_MENU_MODEL (actions));
  gtk_menu_button_set_menu_model (self->model_button, G_MENU_MODEL (self->model_menu));

  self->model_list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->model_list, GTK_SELECTION_NONE);
  gtk_list_box_set_activate_on_single_click (self->model_list, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->model_list), "model-list");
  gtk_list_box_bind_model (self->model_list, G_LIST_MODEL (self->store), create_model_row, self,
                           NULL);
  g_signal_connect (self->model_list, "row-activated", G_CALLBACK (on_model_row_activated), self);
  popover = gtk_menu_button_get_popover (self->model_button);
  /* (the menu scrolls as a whole when the list is long) */
  gtk_popover_menu_add_child (GTK_POPOVER_MENU (popover), GTK_WIDGET (self->model_list),
                              "models");
  g_signal_connect_object (popover, "show", G_CALLBACK (on_model_menu_shown), self,
                           G_CONNECT_SWAPPED);
}

/* ---- layers, maps, receptive field ---- */

void
scope_window_set_selected_layer (ScopeWindow *self,
                                 int          index)
{
  g_return_if_fail (SCOPE_IS_WINDOW (self));

  if (self->model == NULL)
    index = -1;
  else
    index = CLAMP (index, 0, scope_model_get_n_layers (self->model) - 1);
  if (self->selected_layer == index)
    return;
  self->selected_layer = index;
  self->showing_channel = FALSE;
  update_maps (self);
  update_receptive (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_LAYER]);
}

int
scope_window_get_selected_layer (ScopeWindow *self)
{
  g_return_val_if_fail (SCOPE_IS_WINDOW (self), -1);
  return self->selected_layer;
}

static void
update_maps_status (ScopeWindow *self)
{
  ScopeCapture *capture = selected_capture (self);
  const VggLayer *layer = selected_layer_info (self);
  int channel = self->showing_channel ? scope_channel_view_get_channel (self->channel_view)
                                      : scope_feature_grid_get_hover_channel (self->feature_grid);
  g_autofree char *text = NULL;

  if (capture == NULL || layer == NULL)
    {
      gtk_label_set_label (self->maps_status, "");
      return;
    }
  if (channel < 0 || channel >= capture->channels)
    {
      if (self->showing_channel)
        text = g_strdup ("");
      else
        /* Translators: hint under the feature maps */
        text = g_strdup (_("Click a map to enlarge it. Point at a map to see what its units see. "
                           "Ctrl+scroll to zoom."));
    }
  else if ((layer->kind == VGG_LAYER_FC && !layer->relu) || layer->kind == VGG_LAYER_SOFTMAX)
    {
      const char *class_name = vgg_model_class_name (scope_model_get_engine (self->model),
                                                     channel);

      /* Translators: status line for a classifier unit: unit number, class name, value */
      text = g_strdup_printf (_("Unit %d (%s): %.4g"), channel, class_name,
                              capture->data[channel]);
    }
  else
    /* Translators: status line for a channel: its number, mean, maximum and the share of
     * units that are zero (switched off by the ReLU) */
    text = g_strdup_printf (_("Channel %d: mean %.3g, max %.3g, %.0f %% zero"), channel,
                            capture->channel_mean[channel], capture->channel_max[channel],
                            capture->channel_zero[channel] * 100.0);
  gtk_label_set_label (self->maps_status, text);
}

static void
update_maps (ScopeWindow *self)
{
  const VggLayer *layer = selected_layer_info (self);
  ScopeCapture *capture = selected_capture (self);
  g_autofree char *title = NULL, *subtitle = NULL, *waiting = NULL;
  int channel = scope_channel_view_get_channel (self->channel_view);

  scope_feature_grid_set_capture (self->feature_grid, capture);
  scope_channel_view_set_capture (self->channel_view, capture);

  if (layer == NULL)
    {
      gtk_label_set_label (self->maps_title, "");
      gtk_label_set_label (self->maps_subtitle, "");
      gtk_stack_set_visible_child_name (self->maps_stack, "waiting");
      return;
    }

  if (self->showing_channel && capture != NULL && channel >= 0 && channel < capture->channels)
    /* Translators: title over one enlarged channel: layer name, channel, channel count */
    title = g_strdup_printf (_("%s, channel %d of %d"), layer->name, channel, capture->channels);
  else
    {
      self->showing_channel = FALSE;
      title = g_strdup (layer->name);
    }
  if (layer->height_out * layer->width_out == 1)
    /* Translators: the shape of a fully connected layer's output */
    subtitle = g_strdup_printf (ngettext ("%d unit", "%d units", layer->channels_out),
                                layer->channels_out);
  else
    /* Translators: the shape of a convolution or pooling output: channels, height, width */
    subtitle = g_strdup_printf (_("%d maps of %d × %d"), layer->channels_out,
                                layer->height_out, layer->width_out);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->maps_subtitle),
                               layer->kind == VGG_LAYER_CONV ? _("3 × 3 convolution, then ReLU")
                               : layer->kind == VGG_LAYER_POOL ? _("2 × 2 max-pooling")
                               : layer->kind == VGG_LAYER_FC ? _("Fully connected")
                               : _("Softmax: class probabilities"));
  gtk_label_set_label (self->maps_title, title);
  gtk_label_set_label (self->maps_subtitle, subtitle);

  gtk_widget_set_visible (self->back_button, self->showing_channel);
  gtk_widget_set_visible (self->channel_nav, self->showing_channel);

  if (capture != NULL)
    {
      gtk_spinner_set_spinning (self->maps_spinner, FALSE);
      gtk_stack_set_visible_child_name (self->maps_stack,
                                        self->showing_channel ? "channel" : "grid");
    }
  else
    {
      gboolean running = self->result != NULL
                         && scope_result_get_status (self->result) == SCOPE_RESULT_RUNNING;

      if (running)
        {
          int running_layer = scope_result_get_running_layer (self->result);
          const VggLayer *current = scope_model_get_layer (self->model, running_layer);

          /* Translators: while the network runs; %s is the layer being computed */
          waiting = g_strdup_printf (_("Computing %s…"), current != NULL ? current->name : "");
        }
      else if (self->result == NULL)
        waiting = g_strdup (_("Open an image to see this layer’s feature maps"));
      else
        waiting = g_strdup (_("This layer was not computed"));
      gtk_label_set_label (self->maps_waiting_label, waiting);
      gtk_spinner_set_spinning (self->maps_spinner, running);
      gtk_stack_set_visible_child_name (self->maps_stack, "waiting");
    }
  update_maps_status (self);
}

static void
update_receptive (ScopeWindow *self)
{
  const VggLayer *layer = selected_layer_info (self);
  int unit_y, unit_x;
  VggRect rect;
  g_autofree char *text = NULL;

  scope_feature_grid_get_unit (self->feature_grid, &unit_y, &unit_x);
  if (layer == NULL || selected_capture (self) == NULL)
    {
      scope_image_view_set_receptive_rect (self->image_view, NULL);
      return;
    }
  if (layer->kind == VGG_LAYER_FC || layer->kind == VGG_LAYER_SOFTMAX)
    {
      scope_image_view_set_receptive_rect (self->image_view, NULL);
      /* Translators: %s is a fully connected layer's name */
      text = g_strdup_printf (_("Every unit of %s sees the whole picture."), layer->name);
    }
  else if (unit_y >= 0 && unit_x >= 0
           && vgg_model_receptive_rect (scope_model_get_engine (self->model),
                                        self->selected_layer, unit_y, unit_x, &rect))
    {
      scope_image_view_set_receptive_rect (self->image_view, &rect);
      /* Translators: explains the rectangle on the input: layer, unit row and column,
       * rectangle width and height, the full receptive field size, its left and top */
      text = g_strdup_printf (_("Unit (%d, %d) of %s sees %d × %d input pixels "
                                "(receptive field %d px) starting at (%d, %d)."),
                              unit_y, unit_x, layer->name, rect.width, rect.height,
                              layer->receptive_field.size, rect.x, rect.y);
    }
  else
    {
      scope_image_view_set_receptive_rect (self->image_view, NULL);
      /* Translators: hint under the input pictures; %s is a layer name, %d its receptive
       * field size in pixels */
      text = g_strdup_printf (_("Each unit of %s sees up to %d × %d input pixels. "
                                "Point at a feature map to see where."),
                              layer->name, layer->receptive_field.size,
                              layer->receptive_field.size);
    }
  gtk_label_set_label (self->receptive_label, text);
}

static void
on_channel_activated (ScopeWindow *self,
                      int          channel)
{
  scope_channel_view_set_channel (self->channel_view, channel);
  self->showing_channel = TRUE;
  update_maps (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->channel_view));
}

static void
show_grid (ScopeWindow *self)
{
  if (!self->showing_channel)
    return;
  self->showing_channel = FALSE;
  update_maps (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->feature_grid));
}

/* ---- actions ---- */

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

  /* Translators: file chooser filter */
  gtk_file_filter_set_name (images, _("JPEG and PNG Images"));
  gtk_file_filter_add_mime_type (images, "image/jpeg");
  gtk_file_filter_add_mime_type (images, "image/png");
  gtk_file_filter_add_suffix (images, "jpg");
  gtk_file_filter_add_suffix (images, "jpeg");
  gtk_file_filter_add_suffix (images, "png");
  gtk_file_chooser_add_filter (chooser, images);
  /* Translators: file chooser filter */
  gtk_file_filter_set_name (all, _("All Files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (chooser, all);
  gtk_file_chooser_set_filter (chooser, images);
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  ScopeWindow *self = SCOPE_WINDOW (widget);
  GtkFileChooserNative *dialog;

  dialog = gtk_file_chooser_native_new (_("Open Image"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  add_image_filters (GTK_FILE_CHOOSER (dialog));
  g_signal_connect (dialog, "response", G_CALLBACK (on_open_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
open_sample_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  g_autoptr(GFile) file = g_file_new_for_path (g_variant_get_string (parameter, NULL));

  scope_window_open_file (SCOPE_WINDOW (widget), file);
}

static void
on_open_model_response (GtkNativeDialog *dialog,
                        int              response,
                        ScopeWindow     *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      if (file != NULL)
        {
          ScopeModelEntry *entry = scope_model_store_add_file (self->store, file);

          load_model_entry (self, scope_model_entry_get_id (entry));
        }
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
  GFile *directory = scope_model_store_get_directory (self->store);
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
  scope_window_open_source (self, source);
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

static void
paste_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  ScopeWindow *self = SCOPE_WINDOW (widget);
  GdkClipboard *clipboard = gtk_widget_get_clipboard (widget);
  GdkContentFormats *formats = gdk_clipboard_get_formats (clipboard);
  static const char *encoded[] = { "image/jpeg", "image/png", NULL };

  if (gdk_content_formats_contain_gtype (formats, GDK_TYPE_FILE_LIST))
    gdk_clipboard_read_value_async (clipboard, GDK_TYPE_FILE_LIST, G_PRIORITY_DEFAULT, NULL,
                                    on_paste_value, g_object_ref (self));
  else if (gdk_content_formats_contain_mime_type (formats, "image/jpeg")
           || gdk_content_formats_contain_mime_type (formats, "image/png"))
    gdk_clipboard_read_async (clipboard, encoded, G_PRIORITY_DEFAULT, NULL, on_paste_stream,
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

static void
step_layer (ScopeWindow *self,
            int          step)
{
  if (self->model == NULL)
    return;
  scope_window_set_selected_layer (self, MAX (0, self->selected_layer + step));
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
step_channel (ScopeWindow *self,
              int          step)
{
  ScopeCapture *capture = selected_capture (self);
  const int *order = scope_feature_grid_get_order (self->feature_grid);
  int channel = scope_channel_view_get_channel (self->channel_view), position = 0;

  if (capture == NULL || order == NULL || !self->showing_channel)
    return;
  for (int i = 0; i < capture->channels; i++)
    if (order[i] == channel)
      position = i;
  position = CLAMP (position + step, 0, capture->channels - 1);
  scope_feature_grid_set_selected_channel (self->feature_grid, order[position]);
  on_channel_activated (self, order[position]);
}

static void
next_channel_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  step_channel (SCOPE_WINDOW (widget), 1);
}

static void
previous_channel_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  step_channel (SCOPE_WINDOW (widget), -1);
}

static void
show_grid_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  show_grid (SCOPE_WINDOW (widget));
}

static void
toggle_sidebar_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  ScopeWindow *self = SCOPE_WINDOW (widget);

  adw_flap_set_reveal_flap (self->flap, !adw_flap_get_reveal_flap (self->flap));
}

typedef struct
{
  ScopeWindow *window;
  char        *name;
} ExportData;

static void
export_data_free (ExportData *data)
{
  g_clear_object (&data->window);
  g_free (data->name);
  g_free (data);
}

static void
on_export_written (GObject      *object,
                   GAsyncResult *async_result,
                   gpointer      user_data)
{
  ExportData *data = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (!g_file_replace_contents_finish (G_FILE (object), async_result, NULL, &error))
    /* Translators: a toast when export failed; %s says why */
    message = g_strdup_printf (_("Could not save the picture: %s"), error->message);
  else
    /* Translators: a toast after export; %s is the file name */
    message = g_strdup_printf (_("Saved “%s”"), data->name);
  scope_window_show_toast (data->window, message);
  export_data_free (data);
}

static void
on_export_response (GtkNativeDialog *dialog,
                    int              response,
                    ScopeWindow     *self)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GBytes) png = NULL;
  ExportData *data;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
  if (file == NULL)
    return;

  if (self->showing_channel)
    texture = scope_channel_view_render (self->channel_view);
  else
    texture = scope_feature_grid_render (self->feature_grid);
  if (texture == NULL)
    return;
  png = gdk_texture_save_to_png_bytes (texture);

  data = g_new0 (ExportData, 1);
  data->window = g_object_ref (self);
  data->name = g_file_get_basename (file);
  g_file_replace_contents_bytes_async (file, png, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                       NULL, on_export_written, data);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  ScopeWindow *self = SCOPE_WINDOW (widget);
  const VggLayer *layer = selected_layer_info (self);
  GtkFileChooserNative *dialog;
  g_autofree char *name = NULL;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  if (layer == NULL || selected_capture (self) == NULL)
    {
      scope_window_show_toast (self, _("There are no feature maps to export yet"));
      return;
    }
  if (self->showing_channel)
    name = g_strdup_printf ("%s-channel-%d.png", layer->name,
                            scope_channel_view_get_channel (self->channel_view));
  else
    name = g_strdup_printf ("%s.png", layer->name);

  dialog = gtk_file_chooser_native_new (self->showing_channel ? _("Export Channel")
                                                              : _("Export Feature Maps"),
                                        GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SAVE,
                                        _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  gtk_file_filter_set_name (filter, _("PNG Images"));
  gtk_file_filter_add_mime_type (filter, "image/png");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  g_signal_connect (dialog, "response", G_CALLBACK (on_export_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* ---- getting ImageNet weights ---- */

char *
scope_window_dup_model_base_url (ScopeWindow *self)
{
  const char *environment = g_getenv ("VGG_SCOPE_MODEL_BASE_URL");
  g_autofree char *setting = NULL;

  g_return_val_if_fail (SCOPE_IS_WINDOW (self), NULL);

  /* the environment wins over the setting, as for `vgg-scope-cli fetch` */
  if (environment != NULL && environment[0] != '\0')
    return g_strdup (environment);
  if (self->settings != NULL)
    setting = g_settings_get_string (self->settings, "model-base-url");
  if (setting != NULL && setting[0] != '\0')
    return g_steal_pointer (&setting);
  return g_strdup (SCOPE_MODEL_BASE_URL_DEFAULT);
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
  entry = scope_model_store_add_file (self->store, file);
  load_model_entry (self, scope_model_entry_get_id (entry));
}

ScopeWeightsDialog *
scope_window_show_weights_dialog (ScopeWindow *self)
{
  g_autofree char *base_url = NULL;
  g_autofree char *directory = NULL;

  g_return_val_if_fail (SCOPE_IS_WINDOW (self), NULL);

  if (self->weights_dialog == NULL)
    {
      base_url = scope_window_dup_model_base_url (self);
      directory = g_file_get_path (scope_model_store_get_directory (self->store));
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

/* ---- drag and drop ---- */

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

/* ---- samples ---- */

/* The folder of sample pictures called @name ("samples", "fashion-mnist/samples"): installed,
 * else in the source tree (running uninstalled), else NULL. */
static char *
find_data_dir (const char *name)
{
  g_autofree char *installed = g_build_filename (PKGDATADIR, name, NULL);
  g_autofree char *source = g_build_filename (SOURCE_DATADIR, name, NULL);

  if (g_file_test (installed, G_FILE_TEST_IS_DIR))
    return g_steal_pointer (&installed);
  if (g_file_test (source, G_FILE_TEST_IS_DIR))
    return g_steal_pointer (&source);
  return NULL;
}

/* A @width × @height crop from the middle of the picture at @path, or NULL. Small pictures
 * (Fashion-MNIST's 28 × 28) are enlarged without smoothing, so their pixels stay crisp. */
static GdkTexture *
sample_thumbnail (const char *path,
                  int         width,
                  int         height)
{
  g_autoptr(GdkPixbuf) full = gdk_pixbuf_new_from_file (path, NULL);
  g_autoptr(GdkPixbuf) scaled = NULL;
  g_autoptr(GdkPixbuf) cropped = NULL;
  double scale;
  int scaled_w, scaled_h;

  if (full == NULL)
    return NULL;
  scale = MAX ((double) width / gdk_pixbuf_get_width (full),
               (double) height / gdk_pixbuf_get_height (full));
  scaled_w = MAX (width, (int) ceil (gdk_pixbuf_get_width (full) * scale));
  scaled_h = MAX (height, (int) ceil (gdk_pixbuf_get_height (full) * scale));
  scaled = gdk_pixbuf_scale_simple (full, scaled_w, scaled_h,
                                    scale >= 2.0 ? GDK_INTERP_NEAREST : GDK_INTERP_BILINEAR);
  cropped = gdk_pixbuf_new_subpixbuf (scaled, (scaled_w - width) / 2, (scaled_h - height) / 2,
                                      width, height);
  return gdk_texture_new_for_pixbuf (cropped);
}

/* "t-shirt-19.png" → "T-shirt/top" (and its class index in @index) when the model has a class
 * whose name starts so, else "T shirt" (and G_MAXINT). */
static char *
fashion_sample_title (const char     *file_name,
                      const VggModel *model,
                      int            *index)
{
  g_autofree char *stem = g_strndup (file_name, strcspn (file_name, "."));
  char *dash = strrchr (stem, '-');
  g_autofree char *pretty = NULL;

  /* drop the test-set index */
  if (dash != NULL && dash[1] != '\0' && strspn (dash + 1, "0123456789") == strlen (dash + 1))
    *dash = '\0';
  for (int i = 0; model != NULL && i < vgg_model_n_classes (model); i++)
    {
      g_autofree char *key = g_ascii_strdown (vgg_model_class_name (model, i), -1);

      g_strcanon (key, "abcdefghijklmnopqrstuvwxyz0123456789", '-');
      if (g_str_has_prefix (key, stem))
        {
          *index = i;
          return g_strdup (vgg_model_class_name (model, i));
        }
    }
  *index = G_MAXINT;
  pretty = g_strdup (stem);
  g_strdelimit (pretty, "-_", ' ');
  pretty[0] = g_ascii_toupper (pretty[0]);
  return g_steal_pointer (&pretty);
}

static void
add_sample (ScopeWindow *self,
            const char  *path,
            const char  *title,
            int          width,
            int          height)
{
  g_autoptr(GMenuItem) item = NULL;
  g_autoptr(GdkTexture) thumbnail = sample_thumbnail (path, width, height);
  GtkWidget *button, *box, *picture, *label, *frame;

  if (thumbnail == NULL)
    return;
  picture = gtk_picture_new_for_paintable (GDK_PAINTABLE (thumbnail));
  gtk_picture_set_can_shrink (GTK_PICTURE (picture), FALSE);
  frame = gtk_frame_new (NULL);
  gtk_frame_set_child (GTK_FRAME (frame), picture);
  gtk_widget_set_halign (frame, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (frame, "sample-frame");
  label = gtk_label_new (title);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  gtk_box_append (GTK_BOX (box), frame);
  gtk_box_append (GTK_BOX (box), label);
  button = gtk_button_new ();
  gtk_button_set_child (GTK_BUTTON (button), box);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_add_css_class (button, "sample-button");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "win.open-sample");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", path);
  gtk_widget_set_tooltip_text (button, title);
  gtk_flow_box_append (self->sample_box, button);
  /* the button, not the flow box's child around it, takes the focus */
  gtk_widget_set_focusable (gtk_widget_get_parent (button), FALSE);

  item = g_menu_item_new (title, NULL);
  g_menu_item_set_action_and_target (item, "win.open-sample", "s", path);
  g_menu_append_item (self->samples_menu, item);
}

typedef struct
{
  char *path;
  char *title;
  int   index;   /* the class it shows, G_MAXINT when unknown */
} Sample;

static void
sample_free (Sample *sample)
{
  g_free (sample->path);
  g_free (sample->title);
  g_free (sample);
}

static int
compare_samples (gconstpointer a,
                 gconstpointer b)
{
  const Sample *sample_a = *(const Sample * const *) a;
  const Sample *sample_b = *(const Sample * const *) b;

  if (sample_a->index != sample_b->index)
    return sample_a->index < sample_b->index ? -1 : 1;
  return g_strcmp0 (sample_a->path, sample_b->path);
}

/* Fashion-MNIST's test pictures (the PNGs in data/fashion-mnist/samples) in class order, for
 * a model that reads them; FALSE when there are none. */
static gboolean
add_fashion_samples (ScopeWindow    *self,
                     const char     *dir,
                     const VggModel *model)
{
  g_autoptr(GDir) folder = g_dir_open (dir, 0, NULL);
  g_autoptr(GPtrArray) samples = g_ptr_array_new_with_free_func ((GDestroyNotify) sample_free);
  const char *name;

  while (folder != NULL && (name = g_dir_read_name (folder)) != NULL)
    if (g_str_has_suffix (name, ".png"))
      {
        Sample *sample = g_new0 (Sample, 1);

        sample->path = g_build_filename (dir, name, NULL);
        sample->title = fashion_sample_title (name, model, &sample->index);
        g_ptr_array_add (samples, sample);
      }
  g_ptr_array_sort (samples, compare_samples);
  for (guint i = 0; i < samples->len; i++)
    {
      Sample *sample = g_ptr_array_index (samples, i);

      add_sample (self, sample->path, sample->title, 96, 96);
    }
  return samples->len > 0;
}

static void
add_photo_samples (ScopeWindow *self,
                   const char  *dir)
{
  static const struct
  {
    const char *file;
    const char *title;
  } samples[] = {
    /* Translators: names of the sample photos */
    { "cat.jpg", N_("Cat") },
    { "coffee.jpg", N_("Coffee") },
    { "astronaut.jpg", N_("Astronaut") },
  };

  for (guint i = 0; dir != NULL && i < G_N_ELEMENTS (samples); i++)
    {
      g_autofree char *path = g_build_filename (dir, samples[i].file, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        add_sample (self, path, _(samples[i].title), 176, 132);
    }
}

/* The sample gallery (empty page and Samples menu) offers pictures that suit the model: the
 * Fashion-MNIST pictures for a model with the fashion-mnist preset, when they are there, and
 * the photographs otherwise. */
static void
update_samples (ScopeWindow *self)
{
  const VggModel *model = self->model != NULL ? scope_model_get_engine (self->model) : NULL;
  g_autofree char *fashion = NULL;
  g_autofree char *dir = NULL;
  GtkWidget *child;

  /* nothing until the model is known, so the gallery does not change under the pointer */
  if (model == NULL)
    return;
  if (g_strcmp0 (vgg_preset_name (vgg_model_preset (model)), "fashion-mnist") == 0)
    fashion = find_data_dir ("fashion-mnist" G_DIR_SEPARATOR_S "samples");
  dir = fashion != NULL ? g_strdup (fashion) : find_data_dir ("samples");
  if (self->samples_dir != NULL && g_strcmp0 (dir, self->samples_dir) == 0)
    return;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->sample_box))) != NULL)
    gtk_flow_box_remove (self->sample_box, child);
  g_menu_remove_all (self->samples_menu);
  g_free (self->samples_dir);
  self->samples_dir = g_strdup (dir);

  if (fashion == NULL || !add_fashion_samples (self, fashion, model))
    {
      /* (an empty Fashion-MNIST folder: the photographs after all) */
      g_free (self->samples_dir);
      self->samples_dir = find_data_dir ("samples");
      add_photo_samples (self, self->samples_dir);
    }
  /* a row of up to five, centred */
  gtk_flow_box_set_max_children_per_line (
    self->sample_box, CLAMP (g_menu_model_get_n_items (G_MENU_MODEL (self->samples_menu)), 1, 5));
}

char **
scope_window_dup_sample_paths (ScopeWindow *self)
{
  g_autoptr(GStrvBuilder) paths = g_strv_builder_new ();
  int n;

  g_return_val_if_fail (SCOPE_IS_WINDOW (self), NULL);

  n = g_menu_model_get_n_items (G_MENU_MODEL (self->samples_menu));
  for (int i = 0; i < n; i++)
    {
      g_autoptr(GVariant) target =
        g_menu_model_get_item_attribute_value (G_MENU_MODEL (self->samples_menu), i,
                                               G_MENU_ATTRIBUTE_TARGET, G_VARIANT_TYPE_STRING);

      if (target != NULL)
        g_strv_builder_add (paths, g_variant_get_string (target, NULL));
    }
  return g_strv_builder_end (paths);
}

/* ---- GObject ---- */

/* The grid and the large channel view mark the same unit; the grid's is the one the
 * receptive field follows. (Two coordinates: not a pair of property bindings, which would
 * pass through a half-updated unit.) */
static void
on_unit_changed (ScopeWindow *self)
{
  int y, x;

  scope_feature_grid_get_unit (self->feature_grid, &y, &x);
  scope_channel_view_set_unit (self->channel_view, y, x);
  update_receptive (self);
}

static void
on_channel_unit_changed (ScopeWindow *self)
{
  int y, x;

  scope_channel_view_get_unit (self->channel_view, &y, &x);
  scope_feature_grid_set_unit (self->feature_grid, y, x);
}

static void
on_hover_channel_changed (ScopeWindow *self)
{
  update_maps_status (self);
}

static void
scope_window_constructed (GObject *object)
{
  ScopeWindow *self = SCOPE_WINDOW (object);
  g_autofree char *id = NULL;

  G_OBJECT_CLASS (scope_window_parent_class)->constructed (object);

  if (self->store == NULL)
    self->store = scope_model_store_new (NULL);
  build_model_menu (self);

  if (self->settings != NULL)
    {
      g_settings_bind (self->settings, "window-width", self, "default-width",
                       G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (self->settings, "window-height", self, "default-height",
                       G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (self->settings, "window-maximized", self, "maximized",
                       G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (self->settings, "colormap", self, "colormap", G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (self->settings, "normalization", self, "normalization",
                       G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (self->settings, "sort-by-activation", self, "sort-by-activation",
                       G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (self->settings, "show-layer-table", self->flap, "reveal-flap",
                       G_SETTINGS_BIND_DEFAULT);
      id = g_settings_get_string (self->settings, "model");
    }

  /* a weight file from an earlier session that is not in the models folder */
  if (id != NULL && scope_model_store_find (self->store, id) == NULL
      && g_str_has_prefix (id, "file:"))
    {
      g_autoptr(GFile) file = g_file_new_for_uri (id);

      if (g_file_query_exists (file, NULL))
        scope_model_store_add_file (self->store, file);
    }
  load_model_entry (self, id != NULL ? id : SCOPE_MODEL_ENTRY_DEFAULT_ID);
}

static void
scope_window_dispose (GObject *object)
{
  ScopeWindow *self = SCOPE_WINDOW (object);

  self->disposed = TRUE;
  /* closing the window stops its work, a download in its dialog too */
  if (self->weights_dialog != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->weights_dialog),
                                    (gpointer *) &self->weights_dialog);
      gtk_window_destroy (GTK_WINDOW (g_steal_pointer (&self->weights_dialog)));
    }
  cancel_inference (self);
  if (self->model_cancellable != NULL)
    g_cancellable_cancel (self->model_cancellable);
  g_clear_object (&self->model_cancellable);
  if (self->result != NULL)
    g_signal_handlers_disconnect_by_data (self->result, self);
  g_clear_object (&self->result);

  gtk_widget_dispose_template (GTK_WIDGET (self), SCOPE_TYPE_WINDOW);

  g_clear_object (&self->settings);
  g_clear_object (&self->store);
  g_clear_object (&self->model_menu);
  g_clear_object (&self->model);
  g_clear_object (&self->source);
  g_clear_pointer (&self->model_id, g_free);
  g_clear_pointer (&self->last_toast, g_free);
  g_clear_pointer (&self->colormap, g_free);
  g_clear_pointer (&self->normalization, g_free);
  g_clear_pointer (&self->samples_dir, g_free);

  G_OBJECT_CLASS (scope_window_parent_class)->dispose (object);
}

static void
scope_window_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  ScopeWindow *self = SCOPE_WINDOW (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      g_value_set_object (value, self->model);
      break;
    case PROP_MODEL_ID:
      g_value_set_string (value, self->model_id);
      break;
    case PROP_RESULT:
      g_value_set_object (value, self->result);
      break;
    case PROP_SELECTED_LAYER:
      g_value_set_int (value, self->selected_layer);
      break;
    case PROP_COLORMAP:
      g_value_set_string (value, self->colormap);
      break;
    case PROP_NORMALIZATION:
      g_value_set_string (value, self->normalization);
      break;
    case PROP_SORT_BY_ACTIVATION:
      g_value_set_boolean (value, self->sort_by_activation);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
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
    case PROP_MODEL_ID:
      if (g_strcmp0 (self->model_id, g_value_get_string (value)) != 0)
        load_model_entry (self, g_value_get_string (value));
      break;
    case PROP_SELECTED_LAYER:
      scope_window_set_selected_layer (self, g_value_get_int (value));
      break;
    case PROP_COLORMAP:
      if (g_strcmp0 (self->colormap, g_value_get_string (value)) == 0)
        break;
      g_free (self->colormap);
      self->colormap = g_value_dup_string (value);
      scope_feature_grid_set_colormap (self->feature_grid, colormap_value (self));
      scope_channel_view_set_colormap (self->channel_view, colormap_value (self));
      g_object_notify_by_pspec (object, pspec);
      break;
    case PROP_NORMALIZATION:
      if (g_strcmp0 (self->normalization, g_value_get_string (value)) == 0)
        break;
      g_free (self->normalization);
      self->normalization = g_value_dup_string (value);
      scope_feature_grid_set_normalization (self->feature_grid, normalization_value (self));
      scope_channel_view_set_normalization (self->channel_view, normalization_value (self));
      g_object_notify_by_pspec (object, pspec);
      break;
    case PROP_SORT_BY_ACTIVATION:
      if (self->sort_by_activation == g_value_get_boolean (value))
        break;
      self->sort_by_activation = g_value_get_boolean (value);
      scope_feature_grid_set_sort_by_activation (self->feature_grid, self->sort_by_activation);
      g_object_notify_by_pspec (object, pspec);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
scope_window_class_init (ScopeWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = scope_window_constructed;
  object_class->dispose = scope_window_dispose;
  object_class->get_property = scope_window_get_property;
  object_class->set_property = scope_window_set_property;

  properties[PROP_MODEL] =
    g_param_spec_object ("model", NULL, NULL, SCOPE_TYPE_MODEL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MODEL_ID] =
    g_param_spec_string ("model-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RESULT] =
    g_param_spec_object ("result", NULL, NULL, SCOPE_TYPE_RESULT,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SELECTED_LAYER] =
    g_param_spec_int ("selected-layer", NULL, NULL, -1, G_MAXINT, -1,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_COLORMAP] =
    g_param_spec_string ("colormap", NULL, NULL, "viridis",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NORMALIZATION] =
    g_param_spec_string ("normalization", NULL, NULL, "channel",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SORT_BY_ACTIVATION] =
    g_param_spec_boolean ("sort-by-activation", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, SCOPE_TYPE_MODEL_STORE,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (SCOPE_TYPE_ARCH_DIAGRAM);
  g_type_ensure (SCOPE_TYPE_CHANNEL_VIEW);
  g_type_ensure (SCOPE_TYPE_FEATURE_GRID);
  g_type_ensure (SCOPE_TYPE_IMAGE_VIEW);
  g_type_ensure (SCOPE_TYPE_LAYER_LIST);
  g_type_ensure (SCOPE_TYPE_PROB_CHART);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/vggscope/VggScope/ui/scope-window.ui");
  gtk_widget_class_bind_template_child (widget_class, ScopeWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, ScopeWindow, drop_highlight);
  gtk_widget_class_bind_template_child (widget_class, ScopeWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, ScopeWindow, model_button);
  gtk_widget_class_bind_template_child (widget_class, ScopeWindow, model_button_label);
  gtk_widget_class_bind_template_child (widget_class, ScopeWindow, model_spinner);
  gtk_widget_class_bind_template_child (widget_class, ScopeWindow, sidebar_button);
  gtk_widget_class_bind_template_child (widget_class, ScopeWindow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, ScopeWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, ScopeWindow, sample_box);
  gtk_widget_class_bind_template_child (widget_class, ScopeWindow, samples_menu);
  gtk_widget_class_bind_template_child (widget_class, ScopeWindow, flap);
  gtk_widget_class_bind_template_child (widget_class, ScopeWindow, layer_list);
  gtk_widget_class_bind_template_child (widget_class, ScopeWindow, model_summary_label);
  gtk_widget_class_bind_template_child (widget_class, ScopeWindow, arch_diagram);
  gtk_widget_class_bind_template_child (widget_class, ScopeWindow, image_view);
  gtk_widget_class_bind_template_child (widget_class, ScopeWindow, receptive_label);
  gtk_widget_class_bind_template_child (widget_class, ScopeWindow, elapsed_label);
  gtk_widget_class_bind_template_child (widget_class, ScopeWindow, untrained_box);
  gtk_widget_class_bind_template_child (widget_class, ScopeWindow, prediction_box);
  gtk_widget_class_bind_template_child (widget_class, ScopeWindow, classes_label);
  gtk_widget_class_bind_template_child (widget_class, ScopeWindow, features_only_box);
  gtk_widget_class_bind_template_child (widget_class, ScopeWindow, prob_chart);
  gtk_widget_class_bind_template_child (widget_class, ScopeWindow, model_label);
  gtk_widget_class_bind_template_child (widget_class, ScopeWindow, back_button);
  gtk_widget_class_bind_template_child (widget_class, ScopeWindow, maps_title);
  gtk_widget_class_bind_template_child (widget_class, ScopeWindow, maps_subtitle);
  gtk_widget_class_bind_template_child (widget_class, ScopeWindow, channel_nav);
  gtk_widget_class_bind_template_child (widget_class, ScopeWindow, maps_stack);
  gtk_widget_class_bind_template_child (widget_class, ScopeWindow, maps_spinner);
  gtk_widget_class_bind_template_child (widget_class, ScopeWindow, maps_waiting_label);
  gtk_widget_class_bind_template_child (widget_class, ScopeWindow, feature_grid);
  gtk_widget_class_bind_template_child (widget_class, ScopeWindow, channel_view);
  gtk_widget_class_bind_template_child (widget_class, ScopeWindow, maps_status);
  gtk_widget_class_bind_template_callback (widget_class, on_channel_activated);

  gtk_widget_class_install_action (widget_class, "win.open", NULL, open_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "win.open", NULL);

  gtk_widget_class_install_action (widget_class, "win.paste", NULL, paste_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_v, GDK_CONTROL_MASK, "win.paste",
                                       NULL);

  gtk_widget_class_install_action (widget_class, "win.open-sample", "s", open_sample_action);

  gtk_widget_class_install_action (widget_class, "win.open-model", NULL, open_model_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o,
                                       GDK_CONTROL_MASK | GDK_SHIFT_MASK, "win.open-model", NULL);
  gtk_widget_class_install_action (widget_class, "win.show-models-folder", NULL,
                                   show_models_folder_action);
  gtk_widget_class_install_property_action (widget_class, "win.model", "model-id");
  gtk_widget_class_install_action (widget_class, "win.get-weights", NULL, get_weights_action);

  gtk_widget_class_install_action (widget_class, "win.next-layer", NULL, next_layer_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Down, GDK_CONTROL_MASK,
                                       "win.next-layer", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Down, GDK_ALT_MASK,
                                       "win.next-layer", NULL);
  gtk_widget_class_install_action (widget_class, "win.previous-layer", NULL,
                                   previous_layer_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Up, GDK_CONTROL_MASK,
                                       "win.previous-layer", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Up, GDK_ALT_MASK,
                                       "win.previous-layer", NULL);

  gtk_widget_class_install_action (widget_class, "win.next-channel", NULL, next_channel_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Down, 0, "win.next-channel",
                                       NULL);
  gtk_widget_class_install_action (widget_class, "win.previous-channel", NULL,
                                   previous_channel_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Up, 0, "win.previous-channel",
                                       NULL);
  gtk_widget_class_install_action (widget_class, "win.show-grid", NULL, show_grid_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.show-grid", NULL);

  gtk_widget_class_install_action (widget_class, "win.export", NULL, export_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "win.export",
                                       NULL);
  gtk_widget_class_install_action (widget_class, "win.toggle-sidebar", NULL,
                                   toggle_sidebar_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F9, 0, "win.toggle-sidebar", NULL);

  gtk_widget_class_install_property_action (widget_class, "win.colormap", "colormap");
  gtk_widget_class_install_property_action (widget_class, "win.normalization", "normalization");
  gtk_widget_class_install_property_action (widget_class, "win.sort-by-activation",
                                            "sort-by-activation");

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close",
                                       NULL);
}

static void
scope_window_init (ScopeWindow *self)
{
  GtkDropTarget *drop_target;
  GType drop_types[] = { GDK_TYPE_TEXTURE, GDK_TYPE_FILE_LIST, G_TYPE_FILE };

  self->selected_layer = -1;
  self->colormap = g_strdup ("viridis");
  self->normalization = g_strdup ("channel");
  self->model_id = g_strdup ("");
  self->model_menu = g_menu_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_widget_set_visible (self->sidebar_button, FALSE);
  self->settings = scope_settings_new ();

  g_object_bind_property (self, "selected-layer", self->layer_list, "selected-layer",
                          G_BINDING_SYNC_CREATE | G_BINDING_BIDIRECTIONAL);
  g_object_bind_property (self, "selected-layer", self->arch_diagram, "selected-layer",
                          G_BINDING_SYNC_CREATE | G_BINDING_BIDIRECTIONAL);
  g_signal_connect_object (self->channel_view, "notify::unit-y",
                           G_CALLBACK (on_channel_unit_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->channel_view, "notify::unit-x",
                           G_CALLBACK (on_channel_unit_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->feature_grid, "notify::unit-y", G_CALLBACK (on_unit_changed),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->feature_grid, "notify::unit-x", G_CALLBACK (on_unit_changed),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->feature_grid, "notify::hover-channel",
                           G_CALLBACK (on_hover_channel_changed), self, G_CONNECT_SWAPPED);

  drop_target = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY);
  gtk_drop_target_set_gtypes (drop_target, drop_types, G_N_ELEMENTS (drop_types));
  g_signal_connect (drop_target, "drop", G_CALLBACK (on_drop), self);
  g_signal_connect (drop_target, "enter", G_CALLBACK (on_drop_enter), self);
  g_signal_connect (drop_target, "leave", G_CALLBACK (on_drop_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop_target));

  g_signal_connect (self, "notify::model-id", G_CALLBACK (update_model_checks), NULL);
  update_samples (self);
  update_maps (self);
}

ScopeWindow *
scope_window_new (GtkApplication  *application,
                  ScopeModelStore *store)
{
  ScopeWindow *self;

  g_return_val_if_fail (application == NULL || GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (store == NULL || SCOPE_IS_MODEL_STORE (store), NULL);

  /* the store must be in place before constructed() picks the model */
  self = g_object_new (SCOPE_TYPE_WINDOW, "application", application, "store", store, NULL);
  return self;
}

ScopeResult *
scope_window_get_result (ScopeWindow *self)
{
  g_return_val_if_fail (SCOPE_IS_WINDOW (self), NULL);
  return self->result;
}

ScopeResult *
scope_window_get_pending_result (ScopeWindow *self)
{
  g_return_val_if_fail (SCOPE_IS_WINDOW (self), NULL);
  return self->pending;
}

ScopeFeatureGrid *
scope_window_get_feature_grid (ScopeWindow *self)
{
  g_return_val_if_fail (SCOPE_IS_WINDOW (self), NULL);
  return self->feature_grid;
}

ScopeChannelView *
scope_window_get_channel_view (ScopeWindow *self)
{
  g_return_val_if_fail (SCOPE_IS_WINDOW (self), NULL);
  return self->channel_view;
}

ScopeImageView *
scope_window_get_image_view (ScopeWindow *self)
{
  g_return_val_if_fail (SCOPE_IS_WINDOW (self), NULL);
  return self->image_view;
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
  return self->prob_chart;
}

GtkWidget *
scope_window_get_arch_diagram (ScopeWindow *self)
{
  g_return_val_if_fail (SCOPE_IS_WINDOW (self), NULL);
  return GTK_WIDGET (self->arch_diagram);
}
