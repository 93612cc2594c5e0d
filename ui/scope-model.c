/* scope-model.c — a loaded network, shared by the views and the inference worker
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "scope-background.h"
#include "scope-engine-environment.h"
#include "scope-engine-error.h"
#include "scope-memory.h"
#include "scope-model.h"
#include "scope-tsan.h"

struct _ScopeModel
{
  GObject   parent_instance;

  /* owned */
  VggModel *model;
  GFile    *file;
  VggRun   *spare_run;      /* guarded by lock */
  VggExplainer *spare_explainer;  /* guarded by lock: its transformed kernels are worth keeping */
  VggOcclusion *spare_occlusion;  /* guarded by lock */

  /* plain state */
  GMutex    lock;
  gint64    spares_used;    /* guarded by lock: when a spare explainer or occlusion was last
                             * put back */
  gboolean  expiry_pending; /* guarded by lock: an expire_spares() timeout is scheduled */
};

/* An explainer or occlusion pass unused this long is freed: a VGG16's holds hundreds of
 * megabytes, worth keeping while someone points at units one after another, not for the
 * rest of the session. */
#define SPARE_EXPIRY_SECONDS SCOPE_MODEL_SPARE_EXPIRY_SECONDS

enum {
  PROP_0,
  PROP_NAME,
  PROP_TRAINED,
  PROP_FILE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (ScopeModel, scope_model, G_TYPE_OBJECT)

/* The pool of spare runs, explainers and occlusions is shared by the worker threads; GMutex
 * is a futex that ThreadSanitizer does not see, so the hand-over it orders (one job's
 * buffers to the next job's thread) is annotated (scope-tsan.h). */

static void schedule_expiry (ScopeModel *self,
                             gint64      delay_us);

/* Main context: frees the spares put back more than SPARE_EXPIRY_SECONDS ago, or looks again
 * when the newest will have expired. */
static gboolean
expire_spares (gpointer data)
{
  g_autoptr(ScopeModel) self = g_weak_ref_get (data);
  VggExplainer *explainer = NULL;
  VggOcclusion *occlusion = NULL;
  gint64 left;

  if (self == NULL)
    return G_SOURCE_REMOVE;
  scope_mutex_lock (&self->lock);
  left = self->spares_used + SPARE_EXPIRY_SECONDS * G_USEC_PER_SEC - g_get_monotonic_time ();
  if (left <= 0)
    {
      explainer = g_steal_pointer (&self->spare_explainer);
      occlusion = g_steal_pointer (&self->spare_occlusion);
      self->expiry_pending = FALSE;
    }
  scope_mutex_unlock (&self->lock);
  if (left <= 0)
    {
      g_clear_pointer (&explainer, vgg_explainer_free);
      g_clear_pointer (&occlusion, vgg_occlusion_free);
      scope_memory_release_soon ();   /* what they held, back to the system */
      return G_SOURCE_REMOVE;
    }
  schedule_expiry (self, left);
  return G_SOURCE_REMOVE;
}

static void
free_weak_ref (gpointer data)
{
  g_weak_ref_clear (data);
  g_free (data);
}

/* Any thread. */
static void
schedule_expiry (ScopeModel *self,
                 gint64      delay_us)
{
  GWeakRef *ref = g_new (GWeakRef, 1);
  GSource *source = g_timeout_source_new ((guint) (delay_us / 1000 + 1));

  g_weak_ref_init (ref, self);
  g_source_set_callback (source, expire_spares, ref, free_weak_ref);
  g_source_set_static_name (source, "[scope] expire spare explainers");
  g_source_attach (source, NULL);
  g_source_unref (source);
}

/* The lock held: a spare was just put back. */
static void
spares_touched (ScopeModel *self)
{
  self->spares_used = g_get_monotonic_time ();
  if (!self->expiry_pending)
    {
      self->expiry_pending = TRUE;
      schedule_expiry (self, SPARE_EXPIRY_SECONDS * G_USEC_PER_SEC);
    }
}

static void
scope_model_finalize (GObject *object)
{
  ScopeModel *self = SCOPE_MODEL (object);

  /* the last reference may go on a worker: see what the spares' last users did to them */
  scope_mutex_lock (&self->lock);
  scope_mutex_unlock (&self->lock);
  /* every run made from the model must go before it */
  g_clear_pointer (&self->spare_run, vgg_run_free);
  g_clear_pointer (&self->spare_explainer, vgg_explainer_free);
  g_clear_pointer (&self->spare_occlusion, vgg_occlusion_free);
  g_clear_pointer (&self->model, vgg_model_free);
  g_clear_object (&self->file);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (scope_model_parent_class)->finalize (object);
}

static void
scope_model_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  ScopeModel *self = SCOPE_MODEL (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, scope_model_get_name (self));
      break;
    case PROP_TRAINED:
      g_value_set_boolean (value, scope_model_get_trained (self));
      break;
    case PROP_FILE:
      g_value_set_object (value, self->file);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
scope_model_class_init (ScopeModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = scope_model_finalize;
  object_class->get_property = scope_model_get_property;

  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TRAINED] =
    g_param_spec_boolean ("trained", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_FILE] =
    g_param_spec_object ("file", NULL, NULL, G_TYPE_FILE,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
scope_model_init (ScopeModel *self)
{
  g_mutex_init (&self->lock);
}

ScopeModel *
scope_model_new_take (VggModel *model,
                      GFile    *file)
{
  ScopeModel *self;

  g_return_val_if_fail (model != NULL, NULL);
  g_return_val_if_fail (file == NULL || G_IS_FILE (file), NULL);

  self = g_object_new (SCOPE_TYPE_MODEL, NULL);
  self->model = model;
  self->file = file != NULL ? g_object_ref (file) : NULL;
  return self;
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GFile *file = task_data;
  VggError engine_error = { 0 };
  VggModel *model = NULL;
  ScopeModel *loaded;
  VggStatus status;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  scope_background_lower_this_thread ();
  SCOPE_TSAN_ACQUIRE (task);
  if (file == NULL)
    status = vgg_model_new_default (&model, &engine_error);
  else if ((path = g_file_get_path (file)) == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "%s",
                               /* Translators: shown when a weight file is on a network share
                                * or another place without a local path */
                               _("Weight files must be on this computer"));
      return;
    }
  else
    status = vgg_model_load_with_options (&model, path, scope_engine_environment_load_options (),
                                          &engine_error);

  if (status != VGG_STATUS_OK)
    {
      g_autofree char *basename = file != NULL ? g_file_get_basename (file) : NULL;
      g_autofree char *display = basename != NULL ? g_filename_display_name (basename) : NULL;

      scope_engine_error_set (&error, &engine_error, path, display);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    {
      vgg_model_free (model);
      return;
    }
  loaded = scope_model_new_take (model, file);
  SCOPE_TSAN_RELEASE (task);   /* the model built here, to scope_model_load_finish() */
  g_task_return_pointer (task, loaded, g_object_unref);
}

void
scope_model_load_async (GFile               *file,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (file == NULL || G_IS_FILE (file));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, scope_model_load_async);
  if (file != NULL)
    g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  SCOPE_TSAN_RELEASE (task);
  g_task_run_in_thread (task, load_thread);
}

ScopeModel *
scope_model_load_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == scope_model_load_async, NULL);

  SCOPE_TSAN_ACQUIRE (result);
  return g_task_propagate_pointer (G_TASK (result), error);
}

const VggModel *
scope_model_get_engine (ScopeModel *self)
{
  g_return_val_if_fail (SCOPE_IS_MODEL (self), NULL);

  return self->model;
}

GFile *
scope_model_get_file (ScopeModel *self)
{
  g_return_val_if_fail (SCOPE_IS_MODEL (self), NULL);

  return self->file;
}

const char *
scope_model_get_name (ScopeModel *self)
{
  g_return_val_if_fail (SCOPE_IS_MODEL (self), NULL);

  return vgg_model_name (self->model);
}

gboolean
scope_model_get_trained (ScopeModel *self)
{
  g_return_val_if_fail (SCOPE_IS_MODEL (self), FALSE);

  return vgg_model_is_trained (self->model);
}

int
scope_model_get_n_layers (ScopeModel *self)
{
  g_return_val_if_fail (SCOPE_IS_MODEL (self), 0);

  return vgg_model_n_layers (self->model);
}

const VggLayer *
scope_model_get_layer (ScopeModel *self,
                       int         index)
{
  g_return_val_if_fail (SCOPE_IS_MODEL (self), NULL);

  if (index < 0 || index >= vgg_model_n_layers (self->model))
    return NULL;
  return vgg_model_layer (self->model, index);
}

VggRun *
scope_model_acquire_run (ScopeModel *self,
                         GError    **error)
{
  VggRun *run;
  VggRunOptions run_options;
  VggError engine_error = { 0 };

  g_return_val_if_fail (SCOPE_IS_MODEL (self), NULL);

  scope_mutex_lock (&self->lock);
  run = g_steal_pointer (&self->spare_run);
  scope_mutex_unlock (&self->lock);
  if (run != NULL)
    return run;

  /* (the environment's options: VGG_SCOPE_EXACT and the tuning variables, as for the CLI) */
  scope_engine_environment_run_options (&run_options);
  if (vgg_run_new_with_options (&run, self->model, 1, &run_options, &engine_error)
      != VGG_STATUS_OK)
    {
      scope_engine_error_set (error, &engine_error, NULL, NULL);
      return NULL;
    }
  return run;
}

void
scope_model_release_run (ScopeModel *self,
                         VggRun     *run)
{
  g_return_if_fail (SCOPE_IS_MODEL (self));

  if (run == NULL)
    return;
  vgg_run_set_hook (run, NULL, NULL);
  vgg_run_watch (run, -1, 0);

  scope_mutex_lock (&self->lock);
  if (self->spare_run == NULL)
    {
      self->spare_run = run;
      run = NULL;
    }
  scope_mutex_unlock (&self->lock);

  g_clear_pointer (&run, vgg_run_free);
}

VggExplainer *
scope_model_acquire_explainer (ScopeModel *self,
                               GError    **error)
{
  VggExplainer *explainer;
  VggExplainerOptions options = { 0 };
  VggRunOptions run_options;
  VggError engine_error = { 0 };

  g_return_val_if_fail (SCOPE_IS_MODEL (self), NULL);

  scope_mutex_lock (&self->lock);
  explainer = g_steal_pointer (&self->spare_explainer);
  scope_mutex_unlock (&self->lock);
  if (explainer != NULL)
    return explainer;

  scope_engine_environment_run_options (&run_options);
  options.exact = run_options.exact;
  options.conv_memory_mib = run_options.conv_memory_mib;
  options.simd = run_options.simd;
  if (vgg_explainer_new (&explainer, self->model, &options, &engine_error) != VGG_STATUS_OK)
    {
      scope_engine_error_set (error, &engine_error, NULL, NULL);
      return NULL;
    }
  return explainer;
}

void
scope_model_release_explainer (ScopeModel   *self,
                               VggExplainer *explainer)
{
  g_return_if_fail (SCOPE_IS_MODEL (self));

  if (explainer == NULL)
    return;
  vgg_explainer_set_progress (explainer, NULL, NULL);
  scope_mutex_lock (&self->lock);
  if (self->spare_explainer == NULL)
    {
      self->spare_explainer = explainer;
      explainer = NULL;
      spares_touched (self);
    }
  scope_mutex_unlock (&self->lock);
  g_clear_pointer (&explainer, vgg_explainer_free);
}

VggOcclusion *
scope_model_acquire_occlusion (ScopeModel *self,
                               GError    **error)
{
  VggOcclusion *occlusion;
  VggError engine_error = { 0 };

  g_return_val_if_fail (SCOPE_IS_MODEL (self), NULL);

  scope_mutex_lock (&self->lock);
  occlusion = g_steal_pointer (&self->spare_occlusion);
  scope_mutex_unlock (&self->lock);
  if (occlusion != NULL)
    return occlusion;
  if (vgg_occlusion_new (&occlusion, self->model, &engine_error) != VGG_STATUS_OK)
    {
      scope_engine_error_set (error, &engine_error, NULL, NULL);
      return NULL;
    }
  return occlusion;
}

void
scope_model_release_occlusion (ScopeModel   *self,
                               VggOcclusion *occlusion)
{
  g_return_if_fail (SCOPE_IS_MODEL (self));

  if (occlusion == NULL)
    return;
  scope_mutex_lock (&self->lock);
  if (self->spare_occlusion == NULL)
    {
      self->spare_occlusion = occlusion;
      occlusion = NULL;
      spares_touched (self);
    }
  scope_mutex_unlock (&self->lock);
  g_clear_pointer (&occlusion, vgg_occlusion_free);
}
