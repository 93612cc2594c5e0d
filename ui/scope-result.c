/* scope-result.c — the observable outcome of classifying one picture with one model
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "scope-enum-types.h"
#include "scope-prediction.h"
#include "scope-result.h"

#include <glib/gi18n.h>

struct _ScopeResult
{
  GObject            parent_instance;

  /* owned */
  ScopeModel        *model;
  ScopeSource       *source;
  GdkTexture        *original;
  GdkTexture        *seen;
  GBytes            *input;      /* the network input, float32 [C, H, W], or NULL */
  GPtrArray         *captures;       /* ScopeCapture or NULL, one slot per layer */
  GListStore        *prediction;
  GArray            *layer_seconds;  /* double per layer from the engine's profile, or empty */

  /* plain state */
  ScopeResultStatus  status;
  int                running_layer;
  int                n_captured;
  int                watched_layer;   /* -1: all */
  graphene_rect_t    seen_region;     /* fractions of the picture; empty: not known */
  graphene_rect_t    input_window;    /* the same */
  double             elapsed;
};

enum {
  PROP_0,
  PROP_MODEL,
  PROP_SOURCE,
  PROP_STATUS,
  PROP_ORIGINAL,
  PROP_SEEN,
  PROP_RUNNING_LAYER,
  PROP_FRACTION,
  PROP_PREDICTION,
  PROP_ELAPSED,
  PROP_PROFILED,
  N_PROPS
};

enum {
  LAYER_CAPTURED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (ScopeResult, scope_result, G_TYPE_OBJECT)

static void
scope_result_dispose (GObject *object)
{
  ScopeResult *self = SCOPE_RESULT (object);

  g_clear_object (&self->model);
  g_clear_object (&self->source);
  g_clear_object (&self->original);
  g_clear_object (&self->seen);
  g_clear_pointer (&self->input, g_bytes_unref);
  g_clear_object (&self->prediction);
  g_clear_pointer (&self->captures, g_ptr_array_unref);
  g_clear_pointer (&self->layer_seconds, g_array_unref);

  G_OBJECT_CLASS (scope_result_parent_class)->dispose (object);
}

static void
scope_result_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  ScopeResult *self = SCOPE_RESULT (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      g_value_set_object (value, self->model);
      break;
    case PROP_SOURCE:
      g_value_set_object (value, self->source);
      break;
    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;
    case PROP_ORIGINAL:
      g_value_set_object (value, self->original);
      break;
    case PROP_SEEN:
      g_value_set_object (value, self->seen);
      break;
    case PROP_RUNNING_LAYER:
      g_value_set_int (value, self->running_layer);
      break;
    case PROP_FRACTION:
      g_value_set_double (value, scope_result_get_fraction (self));
      break;
    case PROP_PREDICTION:
      g_value_set_object (value, self->prediction);
      break;
    case PROP_PROFILED:
      g_value_set_boolean (value, self->layer_seconds->len > 0);
      break;
    case PROP_ELAPSED:
      g_value_set_double (value, self->elapsed);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
scope_result_class_init (ScopeResultClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = scope_result_dispose;
  object_class->get_property = scope_result_get_property;

  properties[PROP_MODEL] =
    g_param_spec_object ("model", NULL, NULL, SCOPE_TYPE_MODEL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SOURCE] =
    g_param_spec_object ("source", NULL, NULL, SCOPE_TYPE_SOURCE,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL, SCOPE_TYPE_RESULT_STATUS, SCOPE_RESULT_PENDING,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ORIGINAL] =
    g_param_spec_object ("original", NULL, NULL, GDK_TYPE_TEXTURE,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SEEN] =
    g_param_spec_object ("seen", NULL, NULL, GDK_TYPE_TEXTURE,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RUNNING_LAYER] =
    g_param_spec_int ("running-layer", NULL, NULL, -1, G_MAXINT, -1,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FRACTION] =
    g_param_spec_double ("fraction", NULL, NULL, 0.0, 1.0, 0.0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PREDICTION] =
    g_param_spec_object ("prediction", NULL, NULL, G_TYPE_LIST_MODEL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /* whether scope_result_get_layer_seconds() knows the layers' times */
  properties[PROP_PROFILED] =
    g_param_spec_boolean ("profiled", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ELAPSED] =
    g_param_spec_double ("elapsed", NULL, NULL, 0.0, G_MAXDOUBLE, 0.0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * ScopeResult::layer-captured:
   * @index: the layer whose output arrived
   */
  signals[LAYER_CAPTURED] =
    g_signal_new ("layer-captured", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);
}

static void
scope_result_init (ScopeResult *self)
{
  self->running_layer = -1;
  self->prediction = g_list_store_new (SCOPE_TYPE_PREDICTION);
  self->layer_seconds = g_array_new (FALSE, FALSE, sizeof (double));
}

/* Slots stay NULL until their layer arrives. */
static void
unref_capture (gpointer capture)
{
  if (capture != NULL)
    scope_capture_unref (capture);
}

ScopeResult *
scope_result_new (ScopeModel  *model,
                  ScopeSource *source)
{
  ScopeResult *self;
  int n_layers;

  g_return_val_if_fail (SCOPE_IS_MODEL (model), NULL);
  g_return_val_if_fail (SCOPE_IS_SOURCE (source), NULL);

  self = g_object_new (SCOPE_TYPE_RESULT, NULL);
  self->model = g_object_ref (model);
  self->source = g_object_ref (source);
  n_layers = scope_model_get_n_layers (model);
  self->captures = g_ptr_array_new_full ((guint) n_layers, unref_capture);
  g_ptr_array_set_size (self->captures, n_layers);
  self->watched_layer = -1;
  return self;
}

void
scope_result_set_watched_layer (ScopeResult *self,
                                int          index)
{
  g_return_if_fail (SCOPE_IS_RESULT (self));
  g_return_if_fail (index >= -1 && index < (int) self->captures->len);
  g_return_if_fail (self->status == SCOPE_RESULT_PENDING);

  self->watched_layer = index;
}

gboolean
scope_result_get_seen_region (ScopeResult     *self,
                              graphene_rect_t *region)
{
  g_return_val_if_fail (SCOPE_IS_RESULT (self), FALSE);
  g_return_val_if_fail (region != NULL, FALSE);

  *region = self->seen_region;
  return self->seen_region.size.width > 0 && self->seen_region.size.height > 0;
}

gboolean
scope_result_get_input_window (ScopeResult     *self,
                               graphene_rect_t *window)
{
  g_return_val_if_fail (SCOPE_IS_RESULT (self), FALSE);
  g_return_val_if_fail (window != NULL, FALSE);

  *window = self->input_window;
  return self->input_window.size.width > 0 && self->input_window.size.height > 0;
}

void
scope_result_set_seen_region (ScopeResult           *self,
                              const graphene_rect_t *region,
                              const graphene_rect_t *window)
{
  g_return_if_fail (SCOPE_IS_RESULT (self));
  g_return_if_fail (region != NULL && window != NULL);

  self->seen_region = *region;
  self->input_window = *window;
}

int
scope_result_get_watched_layer (ScopeResult *self)
{
  g_return_val_if_fail (SCOPE_IS_RESULT (self), -1);
  return self->watched_layer;
}

ScopeModel *
scope_result_get_model (ScopeResult *self)
{
  g_return_val_if_fail (SCOPE_IS_RESULT (self), NULL);
  return self->model;
}

ScopeSource *
scope_result_get_source (ScopeResult *self)
{
  g_return_val_if_fail (SCOPE_IS_RESULT (self), NULL);
  return self->source;
}

ScopeResultStatus
scope_result_get_status (ScopeResult *self)
{
  g_return_val_if_fail (SCOPE_IS_RESULT (self), SCOPE_RESULT_FAILED);
  return self->status;
}

GdkTexture *
scope_result_get_original (ScopeResult *self)
{
  g_return_val_if_fail (SCOPE_IS_RESULT (self), NULL);
  return self->original;
}

GdkTexture *
scope_result_get_seen (ScopeResult *self)
{
  g_return_val_if_fail (SCOPE_IS_RESULT (self), NULL);
  return self->seen;
}

GBytes *
scope_result_get_input (ScopeResult *self)
{
  g_return_val_if_fail (SCOPE_IS_RESULT (self), NULL);
  return self->input;
}

int
scope_result_get_running_layer (ScopeResult *self)
{
  g_return_val_if_fail (SCOPE_IS_RESULT (self), -1);
  return self->running_layer;
}

double
scope_result_get_fraction (ScopeResult *self)
{
  g_return_val_if_fail (SCOPE_IS_RESULT (self), 0.0);

  if (self->status == SCOPE_RESULT_DONE)
    return 1.0;
  if (self->captures->len == 0)
    return 0.0;
  if (self->watched_layer >= 0)   /* one capture: how far the run is */
    return self->running_layer < 0 ? 1.0
                                   : (double) MAX (self->running_layer, 0) / self->captures->len;
  return (double) self->n_captured / (double) self->captures->len;
}

ScopeCapture *
scope_result_get_capture (ScopeResult *self,
                          int          index)
{
  g_return_val_if_fail (SCOPE_IS_RESULT (self), NULL);

  if (self->captures == NULL || index < 0 || (guint) index >= self->captures->len)
    return NULL;
  return g_ptr_array_index (self->captures, index);
}

GListModel *
scope_result_get_prediction (ScopeResult *self)
{
  g_return_val_if_fail (SCOPE_IS_RESULT (self), NULL);
  return G_LIST_MODEL (self->prediction);
}

/* "0.6 ms" below 10 ms, "89 ms" below a second, "1.24 s" above: the built-in model's
 * forward pass takes well under a millisecond, and "0.00 s" taught nothing. */
char *
scope_result_format_elapsed (double seconds)
{
  double ms = seconds * 1000.0;

  if (ms < 9.95)
    /* Translators: a duration in milliseconds, below 10 */
    return g_strdup_printf (_("%.1f ms"), ms);
  if (ms < 999.5)
    /* Translators: a duration in milliseconds */
    return g_strdup_printf (_("%.0f ms"), ms);
  /* Translators: a duration in seconds */
  return g_strdup_printf (_("%.2f s"), seconds);
}

double
scope_result_get_elapsed (ScopeResult *self)
{
  g_return_val_if_fail (SCOPE_IS_RESULT (self), 0.0);
  return self->elapsed;
}

static void
set_running_layer (ScopeResult *self,
                   int          index)
{
  if (self->running_layer == index)
    return;
  self->running_layer = index;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING_LAYER]);
}

void
scope_result_set_input (ScopeResult *self,
                        GdkTexture  *original,
                        GdkTexture  *seen,
                        GBytes      *input)
{
  g_return_if_fail (SCOPE_IS_RESULT (self));
  g_return_if_fail (GDK_IS_TEXTURE (original));
  g_return_if_fail (GDK_IS_TEXTURE (seen));

  g_set_object (&self->original, original);
  g_set_object (&self->seen, seen);
  g_clear_pointer (&self->input, g_bytes_unref);
  self->input = input != NULL ? g_bytes_ref (input) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ORIGINAL]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEEN]);
  set_running_layer (self, 0);
  scope_result_set_status (self, SCOPE_RESULT_RUNNING);
}

void
scope_result_add_capture (ScopeResult  *self,
                          ScopeCapture *capture)
{
  int index;

  g_return_if_fail (SCOPE_IS_RESULT (self));
  g_return_if_fail (capture != NULL);

  index = capture->layer_index;
  g_return_if_fail (index >= 0 && (guint) index < self->captures->len);

  if (g_ptr_array_index (self->captures, index) == NULL)
    self->n_captured++;
  else
    scope_capture_unref (g_ptr_array_index (self->captures, index));
  g_ptr_array_index (self->captures, index) = scope_capture_ref (capture);

  set_running_layer (self, (guint) index + 1 < self->captures->len ? index + 1 : -1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRACTION]);
  g_signal_emit (self, signals[LAYER_CAPTURED], 0, index);
}

void
scope_result_set_prediction (ScopeResult *self,
                             const int   *classes,
                             const float *probabilities,
                             int          k,
                             double       elapsed)
{
  const VggModel *model;
  g_autoptr(GPtrArray) rows = NULL;

  g_return_if_fail (SCOPE_IS_RESULT (self));
  g_return_if_fail (k >= 0);

  model = scope_model_get_engine (self->model);
  rows = g_ptr_array_new_with_free_func (g_object_unref);
  for (int i = 0; i < k; i++)
    {
      const char *label = vgg_model_class_name (model, classes[i]);

      g_ptr_array_add (rows, scope_prediction_new (i + 1, classes[i], label, probabilities[i]));
    }
  g_list_store_splice (self->prediction, 0, g_list_model_get_n_items (G_LIST_MODEL (self->prediction)),
                       rows->pdata, rows->len);

  self->elapsed = elapsed;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ELAPSED]);
  set_running_layer (self, -1);
  scope_result_set_status (self, SCOPE_RESULT_DONE);
}

void
scope_result_set_status (ScopeResult       *self,
                         ScopeResultStatus  status)
{
  g_return_if_fail (SCOPE_IS_RESULT (self));

  if (self->status == status)
    return;
  self->status = status;
  if (status != SCOPE_RESULT_RUNNING && status != SCOPE_RESULT_PENDING)
    set_running_layer (self, -1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRACTION]);
}

void
scope_result_set_profile (ScopeResult  *self,
                          const double *seconds,
                          int           n_layers)
{
  g_return_if_fail (SCOPE_IS_RESULT (self));
  g_return_if_fail (seconds != NULL || n_layers == 0);

  g_array_set_size (self->layer_seconds, 0);
  g_array_append_vals (self->layer_seconds, seconds, (guint) MAX (n_layers, 0));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROFILED]);
}

double
scope_result_get_layer_seconds (ScopeResult *self,
                                int          index)
{
  g_return_val_if_fail (SCOPE_IS_RESULT (self), -1.0);

  if (index < 0 || (guint) index >= self->layer_seconds->len)
    return -1.0;
  return g_array_index (self->layer_seconds, double, index);
}
