/* scope-workspace.c — the picture, the model, the running job and the result: what views bind to
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "scope-inference.h"
#include "scope-workspace.h"

struct _ScopeWorkspace
{
  GObject          parent_instance;

  /* owned */
  ScopeModelStore *store;
  GSettings       *settings;
  ScopeModel      *model;
  char            *model_id;           /* the entry chosen; may still be loading */
  GCancellable    *model_cancellable;  /* of the model being loaded */
  ScopeSource     *source;             /* the current picture */
  ScopeResult     *result;             /* current */
  ScopeResult     *pending;            /* started, not shown yet: its picture decoding, or
                                          its first maps on the way */
  guint            hold_source;        /* the pending result's wait for its first maps */
  GCancellable    *cancellable;        /* of the newest inference job */

  /* plain state */
  int              selected_layer;
  int              watched_layer;      /* of the source's runs: -1 every layer */
  gboolean         disposed;           /* late callbacks do nothing */
};

enum {
  PROP_0,
  PROP_STORE,
  PROP_SETTINGS,
  PROP_MODEL,
  PROP_MODEL_ID,
  PROP_MODEL_LOADING,
  PROP_SOURCE,
  PROP_RESULT,
  PROP_PENDING_RESULT,
  PROP_SELECTED_LAYER,
  N_PROPS
};

enum {
  MESSAGE,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (ScopeWorkspace, scope_workspace, G_TYPE_OBJECT)

static void start_inference (ScopeWorkspace *self);

/* Takes @message. */
static void
say (ScopeWorkspace *self,
     char           *message)
{
  if (!self->disposed)
    g_signal_emit (self, signals[MESSAGE], 0, message);
  g_free (message);
}

static void
notify (ScopeWorkspace *self,
        int             property)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[property]);
}

/* ---- results ---- */

static void
set_result (ScopeWorkspace *self,
            ScopeResult    *result)
{
  if (g_set_object (&self->result, result))
    notify (self, PROP_RESULT);
}

static void
set_pending (ScopeWorkspace *self,
             ScopeResult    *pending)
{
  if (g_set_object (&self->pending, pending))
    notify (self, PROP_PENDING_RESULT);
}

static void
set_source (ScopeWorkspace *self,
            ScopeSource    *source)
{
  if (g_set_object (&self->source, source))
    notify (self, PROP_SOURCE);
}

static void on_pending_status (ScopeWorkspace *self,
                               GParamSpec     *pspec,
                               ScopeResult    *result);

static void on_pending_captured (ScopeWorkspace *self,
                                 int             index,
                                 ScopeResult    *result);

/* The pending result, unhooked and taken out (a reference for the caller), or NULL. */
static ScopeResult *
steal_pending (ScopeWorkspace *self)
{
  ScopeResult *pending = self->pending != NULL ? g_object_ref (self->pending) : NULL;

  if (pending != NULL)
    {
      g_signal_handlers_disconnect_by_func (pending, on_pending_status, self);
      g_signal_handlers_disconnect_by_func (pending, on_pending_captured, self);
    }
  g_clear_handle_id (&self->hold_source, g_source_remove);
  set_pending (self, NULL);
  return pending;
}

static void
promote_pending (ScopeWorkspace *self)
{
  g_autoptr(ScopeResult) pending = steal_pending (self);

  if (pending != NULL && scope_result_get_status (pending) == SCOPE_RESULT_RUNNING)
    set_result (self, pending);
}

static void
on_pending_captured (ScopeWorkspace *self,
                     int             index,
                     ScopeResult    *result)
{
  if (result == self->pending)
    promote_pending (self);
}

static gboolean
on_hold_expired (gpointer user_data)
{
  ScopeWorkspace *self = user_data;

  self->hold_source = 0;
  promote_pending (self);
  return G_SOURCE_REMOVE;
}

/* The pending result becomes the current one once its picture has decoded and its first
 * layer's maps are in (a few milliseconds later, or at most HOLD_MS), and layer by layer
 * the views fill in: the new picture and its first maps come in one frame, instead of a
 * frame for the picture that the maps then wait behind (tools/bench-ui). A live frame that
 * watches one layer waits until it is complete: the previous frame's prediction and maps
 * stay on screen meanwhile instead of blanking for most of every frame (a VGG16 frame runs
 * ~100 ms of each ~110). */
#define HOLD_MS 50

static void
on_pending_status (ScopeWorkspace *self,
                   GParamSpec     *pspec,
                   ScopeResult    *result)
{
  if (result != self->pending || scope_result_get_status (result) == SCOPE_RESULT_PENDING)
    return;
  if (scope_result_get_status (result) == SCOPE_RESULT_RUNNING)
    {
      if (scope_result_get_watched_layer (result) >= 0)
        return;   /* on_inference_done hands it over */
      if (scope_result_get_capture (result, 0) == NULL)
        {
          g_signal_connect_object (result, "layer-captured", G_CALLBACK (on_pending_captured),
                                   self, G_CONNECT_SWAPPED);
          if (self->hold_source == 0)
            self->hold_source = g_timeout_add (HOLD_MS, on_hold_expired, self);
          return;
        }
    }
  promote_pending (self);
}

static void
drop_pending (ScopeWorkspace    *self,
              ScopeResultStatus  status)
{
  g_autoptr(ScopeResult) pending = steal_pending (self);

  if (pending != NULL)
    scope_result_set_status (pending, status);
}

/* ---- inference ---- */

typedef struct
{
  ScopeWorkspace *workspace;
  ScopeResult    *result;
  GCancellable   *cancellable;
} RunData;

static void
run_data_free (RunData *data)
{
  g_clear_object (&data->workspace);
  g_clear_object (&data->result);
  g_clear_object (&data->cancellable);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RunData, run_data_free)

/* The picture could not be classified: the previous one stays, if there is one. */
static void
on_inference_failed (ScopeWorkspace *self,
                     ScopeResult    *result,
                     const GError   *error)
{
  if (result == self->pending)
    drop_pending (self, SCOPE_RESULT_FAILED);
  else
    scope_result_set_status (result, SCOPE_RESULT_FAILED);
  if (self->result == NULL || self->result == result)
    {
      set_source (self, NULL);
      set_result (self, NULL);
    }
  else
    set_source (self, scope_result_get_source (self->result));
  /* Translators: a toast when a picture cannot be used; %s says why */
  say (self, g_strdup_printf (_("Could not classify the picture: %s"), error->message));
}

static void
on_inference_done (GObject      *object,
                   GAsyncResult *async_result,
                   gpointer      user_data)
{
  g_autoptr(RunData) data = user_data;
  ScopeWorkspace *self = data->workspace;
  ScopeInferenceOutcome outcome;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = scope_inference_run_finish (async_result, &outcome, &error);

  /* a newer job replaced this one: whatever it produced is never applied */
  if (data->cancellable != self->cancellable)
    {
      if (scope_result_get_status (data->result) < SCOPE_RESULT_DONE)
        scope_result_set_status (data->result, SCOPE_RESULT_CANCELLED);
      return;
    }

  g_clear_object (&self->cancellable);
  if (ok && data->result == self->pending)
    {
      /* a result shown layer by layer is handed over with its first maps, or here if the
       * pass ended first (a tiny model); a live frame is handed over here, complete */
      g_autoptr(ScopeResult) pending = steal_pending (self);

      if (scope_result_get_watched_layer (pending) >= 0)
        scope_result_set_prediction (pending, outcome.classes, outcome.probabilities, outcome.k,
                                     outcome.elapsed);
      set_result (self, pending);
    }
  if (ok)
    {
      if (scope_result_get_status (data->result) < SCOPE_RESULT_DONE)
        scope_result_set_prediction (data->result, outcome.classes, outcome.probabilities,
                                     outcome.k, outcome.elapsed);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    scope_result_set_status (data->result, SCOPE_RESULT_CANCELLED);
  else
    on_inference_failed (self, data->result, error);
}

static void
cancel_inference (ScopeWorkspace *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  drop_pending (self, SCOPE_RESULT_CANCELLED);
  if (self->result != NULL && scope_result_get_status (self->result) < SCOPE_RESULT_DONE)
    scope_result_set_status (self->result, SCOPE_RESULT_CANCELLED);
}

static void
start_inference (ScopeWorkspace *self)
{
  g_autoptr(ScopeResult) pending = NULL;
  RunData *data;

  cancel_inference (self);
  if (self->source == NULL || self->model == NULL)
    return;   /* runs when the model arrives */

  self->cancellable = g_cancellable_new ();
  pending = scope_result_new (self->model, self->source);
  if (self->watched_layer < scope_model_get_n_layers (self->model))
    scope_result_set_watched_layer (pending, self->watched_layer);
  g_signal_connect_object (pending, "notify::status", G_CALLBACK (on_pending_status), self,
                           G_CONNECT_SWAPPED);
  set_pending (self, pending);

  data = g_new0 (RunData, 1);
  data->workspace = g_object_ref (self);
  data->result = g_object_ref (pending);
  data->cancellable = g_object_ref (self->cancellable);
  scope_inference_run_async (self->model, self->source, pending, self->cancellable,
                             on_inference_done, data);
}

void
scope_workspace_open_source (ScopeWorkspace *self,
                             ScopeSource    *source)
{
  g_return_if_fail (SCOPE_IS_WORKSPACE (self));
  g_return_if_fail (SCOPE_IS_SOURCE (source));

  scope_workspace_open_source_watching (self, source, -1);
}

void
scope_workspace_open_source_watching (ScopeWorkspace *self,
                                      ScopeSource    *source,
                                      int             watched_layer)
{
  g_return_if_fail (SCOPE_IS_WORKSPACE (self));
  g_return_if_fail (SCOPE_IS_SOURCE (source));
  g_return_if_fail (watched_layer >= -1);

  if (self->disposed)
    return;
  self->watched_layer = watched_layer;
  set_source (self, source);
  start_inference (self);
}

void
scope_workspace_open_file (ScopeWorkspace *self,
                           GFile          *file)
{
  g_autoptr(ScopeSource) source = NULL;

  g_return_if_fail (SCOPE_IS_WORKSPACE (self));
  g_return_if_fail (G_IS_FILE (file));

  source = scope_source_new_for_file (file);
  scope_workspace_open_source (self, source);
}

/* ---- models ---- */

void
scope_workspace_set_model (ScopeWorkspace *self,
                           ScopeModel     *model)
{
  const VggLayer *previous;
  g_autofree char *previous_name = NULL;
  int index = 0;

  g_return_if_fail (SCOPE_IS_WORKSPACE (self));
  g_return_if_fail (SCOPE_IS_MODEL (model));

  if (self->model == model)
    return;

  /* keep the same layer selected if the new model has one of that name */
  previous = scope_workspace_get_layer_info (self);
  if (previous != NULL)
    previous_name = g_strdup (previous->name);

  g_object_freeze_notify (G_OBJECT (self));
  g_set_object (&self->model, model);
  if (previous_name != NULL)
    index = MAX (0, vgg_model_find_layer (scope_model_get_engine (model), previous_name));
  self->selected_layer = -1;
  scope_workspace_set_selected_layer (self, scope_model_get_n_layers (model) > 0 ? index : -1);
  notify (self, PROP_MODEL);
  g_object_thaw_notify (G_OBJECT (self));

  /* the current picture, seen by the new model */
  if (self->source != NULL)
    start_inference (self);
}

typedef struct
{
  ScopeWorkspace *workspace;
  char           *id;
  GCancellable   *cancellable;
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_clear_object (&data->workspace);
  g_clear_object (&data->cancellable);
  g_free (data->id);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LoadData, load_data_free)

static void
set_model_id (ScopeWorkspace *self,
              const char     *id)
{
  if (g_strcmp0 (self->model_id, id) == 0)
    return;
  g_free (self->model_id);
  self->model_id = g_strdup (id);
  notify (self, PROP_MODEL_ID);
}

static void
on_model_loaded (GObject      *object,
                 GAsyncResult *async_result,
                 gpointer      user_data)
{
  g_autoptr(LoadData) data = user_data;
  ScopeWorkspace *self = data->workspace;
  g_autoptr(ScopeModel) model = NULL;
  g_autoptr(GError) error = NULL;
  ScopeModelEntry *entry;

  model = scope_model_load_finish (async_result, &error);
  if (data->cancellable != self->model_cancellable)
    return;
  g_clear_object (&self->model_cancellable);
  notify (self, PROP_MODEL_LOADING);
  entry = scope_model_store_find (self->store, data->id);

  if (model == NULL)
    {
      if (entry != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        scope_model_entry_describe_error (entry, error->message);
      /* Translators: a toast when a weight file cannot be used; %s says why */
      say (self, g_strdup_printf (_("Could not load the model: %s"), error->message));
      /* back to the model in use, or the built-in one if there is none yet */
      if (self->model == NULL)
        scope_workspace_load_model (self, SCOPE_MODEL_ENTRY_DEFAULT_ID);
      else
        {
          GFile *file = scope_model_get_file (self->model);
          g_autofree char *id = file != NULL ? g_file_get_uri (file)
                                             : g_strdup (SCOPE_MODEL_ENTRY_DEFAULT_ID);

          set_model_id (self, id);
        }
      return;
    }

  if (entry != NULL)
    scope_model_entry_describe (entry, scope_model_get_engine (model));
  if (self->settings != NULL)
    g_settings_set_string (self->settings, "model", data->id);
  scope_workspace_set_model (self, model);
}

void
scope_workspace_load_model (ScopeWorkspace *self,
                            const char     *id)
{
  ScopeModelEntry *entry;
  LoadData *data;

  g_return_if_fail (SCOPE_IS_WORKSPACE (self));

  if (self->disposed)
    return;
  entry = scope_model_store_find (self->store, id);
  if (entry == NULL)
    entry = scope_model_store_find (self->store, SCOPE_MODEL_ENTRY_DEFAULT_ID);

  if (self->model_cancellable != NULL)
    g_cancellable_cancel (self->model_cancellable);
  g_clear_object (&self->model_cancellable);
  self->model_cancellable = g_cancellable_new ();

  g_object_freeze_notify (G_OBJECT (self));
  set_model_id (self, scope_model_entry_get_id (entry));
  notify (self, PROP_MODEL_LOADING);
  g_object_thaw_notify (G_OBJECT (self));

  data = g_new0 (LoadData, 1);
  data->workspace = g_object_ref (self);
  data->id = g_strdup (scope_model_entry_get_id (entry));
  data->cancellable = g_object_ref (self->model_cancellable);
  scope_model_load_async (scope_model_entry_get_file (entry), self->model_cancellable,
                          on_model_loaded, data);
}

/* ---- GObject ---- */

static void
scope_workspace_constructed (GObject *object)
{
  ScopeWorkspace *self = SCOPE_WORKSPACE (object);
  g_autofree char *id = NULL;

  G_OBJECT_CLASS (scope_workspace_parent_class)->constructed (object);

  if (self->store == NULL)
    self->store = scope_model_store_new (NULL);
  if (self->settings != NULL)
    id = g_settings_get_string (self->settings, "model");

  /* a weight file from an earlier session that is not in the models folder */
  if (id != NULL && scope_model_store_find (self->store, id) == NULL
      && g_str_has_prefix (id, "file:"))
    {
      g_autoptr(GFile) file = g_file_new_for_uri (id);

      if (g_file_query_exists (file, NULL))
        scope_model_store_add_file (self->store, file);
    }
  scope_workspace_load_model (self, id != NULL ? id : SCOPE_MODEL_ENTRY_DEFAULT_ID);
}

void
scope_workspace_cancel (ScopeWorkspace *self)
{
  g_return_if_fail (SCOPE_IS_WORKSPACE (self));

  self->disposed = TRUE;
  cancel_inference (self);
  if (self->model_cancellable != NULL)
    g_cancellable_cancel (self->model_cancellable);
  g_clear_object (&self->model_cancellable);
}

static void
scope_workspace_dispose (GObject *object)
{
  ScopeWorkspace *self = SCOPE_WORKSPACE (object);

  scope_workspace_cancel (self);
  g_clear_object (&self->result);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_clear_object (&self->model);
  g_clear_object (&self->source);
  g_clear_pointer (&self->model_id, g_free);

  G_OBJECT_CLASS (scope_workspace_parent_class)->dispose (object);
}

static void
scope_workspace_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  ScopeWorkspace *self = SCOPE_WORKSPACE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    case PROP_MODEL:
      g_value_set_object (value, self->model);
      break;
    case PROP_MODEL_ID:
      g_value_set_string (value, self->model_id);
      break;
    case PROP_MODEL_LOADING:
      g_value_set_boolean (value, self->model_cancellable != NULL);
      break;
    case PROP_SOURCE:
      g_value_set_object (value, self->source);
      break;
    case PROP_RESULT:
      g_value_set_object (value, self->result);
      break;
    case PROP_PENDING_RESULT:
      g_value_set_object (value, self->pending);
      break;
    case PROP_SELECTED_LAYER:
      g_value_set_int (value, self->selected_layer);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
scope_workspace_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  ScopeWorkspace *self = SCOPE_WORKSPACE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_set_object (&self->store, g_value_get_object (value));
      break;
    case PROP_SETTINGS:
      g_set_object (&self->settings, g_value_get_object (value));
      break;
    case PROP_MODEL_ID:
      if (g_strcmp0 (self->model_id, g_value_get_string (value)) != 0)
        scope_workspace_load_model (self, g_value_get_string (value));
      break;
    case PROP_SELECTED_LAYER:
      scope_workspace_set_selected_layer (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
scope_workspace_class_init (ScopeWorkspaceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags read_only = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags read_write = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags construct = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->constructed = scope_workspace_constructed;
  object_class->dispose = scope_workspace_dispose;
  object_class->get_property = scope_workspace_get_property;
  object_class->set_property = scope_workspace_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, SCOPE_TYPE_MODEL_STORE, construct);
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS, construct);
  properties[PROP_MODEL] =
    g_param_spec_object ("model", NULL, NULL, SCOPE_TYPE_MODEL, read_only);
  properties[PROP_MODEL_ID] = g_param_spec_string ("model-id", NULL, NULL, NULL, read_write);
  properties[PROP_MODEL_LOADING] =
    g_param_spec_boolean ("model-loading", NULL, NULL, FALSE, read_only);
  properties[PROP_SOURCE] =
    g_param_spec_object ("source", NULL, NULL, SCOPE_TYPE_SOURCE, read_only);
  properties[PROP_RESULT] =
    g_param_spec_object ("result", NULL, NULL, SCOPE_TYPE_RESULT, read_only);
  properties[PROP_PENDING_RESULT] =
    g_param_spec_object ("pending-result", NULL, NULL, SCOPE_TYPE_RESULT, read_only);
  properties[PROP_SELECTED_LAYER] =
    g_param_spec_int ("selected-layer", NULL, NULL, -1, G_MAXINT, -1, read_write);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * ScopeWorkspace::message:
   * @message: what went wrong, in plain words, for a toast
   */
  signals[MESSAGE] =
    g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
scope_workspace_init (ScopeWorkspace *self)
{
  self->selected_layer = -1;
  self->watched_layer = -1;
  self->model_id = g_strdup ("");
}

ScopeWorkspace *
scope_workspace_new (ScopeModelStore *store,
                     GSettings       *settings)
{
  g_return_val_if_fail (store == NULL || SCOPE_IS_MODEL_STORE (store), NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  return g_object_new (SCOPE_TYPE_WORKSPACE, "store", store, "settings", settings, NULL);
}

ScopeModelStore *
scope_workspace_get_store (ScopeWorkspace *self)
{
  g_return_val_if_fail (SCOPE_IS_WORKSPACE (self), NULL);
  return self->store;
}

ScopeSource *
scope_workspace_get_source (ScopeWorkspace *self)
{
  g_return_val_if_fail (SCOPE_IS_WORKSPACE (self), NULL);
  return self->source;
}

const char *
scope_workspace_get_model_id (ScopeWorkspace *self)
{
  g_return_val_if_fail (SCOPE_IS_WORKSPACE (self), NULL);
  return self->model_id;
}

gboolean
scope_workspace_get_model_loading (ScopeWorkspace *self)
{
  g_return_val_if_fail (SCOPE_IS_WORKSPACE (self), FALSE);
  return self->model_cancellable != NULL;
}

ScopeModel *
scope_workspace_get_model (ScopeWorkspace *self)
{
  g_return_val_if_fail (SCOPE_IS_WORKSPACE (self), NULL);
  return self->model;
}

ScopeResult *
scope_workspace_get_result (ScopeWorkspace *self)
{
  g_return_val_if_fail (SCOPE_IS_WORKSPACE (self), NULL);
  return self->result;
}

ScopeResult *
scope_workspace_get_pending_result (ScopeWorkspace *self)
{
  g_return_val_if_fail (SCOPE_IS_WORKSPACE (self), NULL);
  return self->pending;
}

void
scope_workspace_set_selected_layer (ScopeWorkspace *self,
                                    int             index)
{
  g_return_if_fail (SCOPE_IS_WORKSPACE (self));

  if (self->model == NULL)
    index = -1;
  else
    index = CLAMP (index, 0, scope_model_get_n_layers (self->model) - 1);
  if (self->selected_layer == index)
    return;
  self->selected_layer = index;
  notify (self, PROP_SELECTED_LAYER);
}

int
scope_workspace_get_selected_layer (ScopeWorkspace *self)
{
  g_return_val_if_fail (SCOPE_IS_WORKSPACE (self), -1);
  return self->selected_layer;
}

const VggLayer *
scope_workspace_get_layer_info (ScopeWorkspace *self)
{
  g_return_val_if_fail (SCOPE_IS_WORKSPACE (self), NULL);

  if (self->model == NULL)
    return NULL;
  return scope_model_get_layer (self->model, self->selected_layer);
}

ScopeCapture *
scope_workspace_get_capture (ScopeWorkspace *self)
{
  g_return_val_if_fail (SCOPE_IS_WORKSPACE (self), NULL);

  if (self->result == NULL)
    return NULL;
  return scope_result_get_capture (self->result, self->selected_layer);
}
