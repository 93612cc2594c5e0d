/* scope-live-runner.c — live frames into the workspace's inference: the newest frame wins
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "scope-live-runner.h"

/* The window of completions the rate is measured over. */
#define RATE_WINDOW_US (2 * G_USEC_PER_SEC)

struct _ScopeLiveRunner
{
  GObject         parent_instance;

  /* owned */
  ScopeSource    *waiting;       /* the newest frame not started yet */
  ScopeResult    *running;       /* the job's result, while it runs */
  GQueue          completions;   /* gint64 monotonic times, the last RATE_WINDOW_US */

  /* borrowed */
  ScopeWorkspace *workspace;     /* weak */

  /* plain state */
  gint64          waiting_since;
  gint64          running_since;
  double          latency;
  guint64         n_submitted;
  guint64         n_completed;
  guint64         n_replaced;
  gboolean        shown_only;
};

enum {
  PROP_0,
  PROP_RATE,
  PROP_LATENCY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (ScopeLiveRunner, scope_live_runner, G_TYPE_OBJECT)

static void start_waiting (ScopeLiveRunner *self);

static void
drop_running (ScopeLiveRunner *self)
{
  if (self->running == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->running, self);
  g_clear_object (&self->running);
}

static double
rate_now (ScopeLiveRunner *self)
{
  gint64 now = g_get_monotonic_time ();

  while (!g_queue_is_empty (&self->completions)
         && now - GPOINTER_TO_SIZE (g_queue_peek_head (&self->completions)) > RATE_WINDOW_US)
    g_queue_pop_head (&self->completions);
  return g_queue_get_length (&self->completions) / ((double) RATE_WINDOW_US / G_USEC_PER_SEC);
}

static void
on_status (ScopeResult     *result,
           GParamSpec      *pspec,
           ScopeLiveRunner *self)
{
  ScopeResultStatus status = scope_result_get_status (result);

  if (status < SCOPE_RESULT_DONE)
    return;
  if (status == SCOPE_RESULT_DONE)
    {
      gint64 now = g_get_monotonic_time ();

      self->n_completed++;
      self->latency = (now - self->running_since) / (double) G_USEC_PER_SEC;
      g_queue_push_tail (&self->completions, GSIZE_TO_POINTER ((gsize) now));
      rate_now (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LATENCY]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RATE]);
    }
  drop_running (self);
  start_waiting (self);
}

static void
start_waiting (ScopeLiveRunner *self)
{
  g_autoptr(ScopeSource) frame = g_steal_pointer (&self->waiting);
  ScopeResult *result;

  if (frame == NULL || self->workspace == NULL || self->running != NULL)
    {
      if (frame != NULL)
        self->waiting = g_steal_pointer (&frame);
      return;
    }
  scope_workspace_open_source_watching (self->workspace, frame,
                                        self->shown_only
                                        ? scope_workspace_get_selected_layer (self->workspace)
                                        : -1);
  result = scope_workspace_get_pending_result (self->workspace);
  if (result == NULL)
    result = scope_workspace_get_result (self->workspace);
  if (result == NULL || scope_result_get_source (result) != frame
      || scope_result_get_status (result) >= SCOPE_RESULT_DONE)
    return;   /* no model yet: the workspace runs it when the model arrives */
  self->running = g_object_ref (result);
  self->running_since = self->waiting_since;
  g_signal_connect (result, "notify::status", G_CALLBACK (on_status), self);
}

void
scope_live_runner_submit (ScopeLiveRunner *self,
                          ScopeSource     *frame)
{
  g_return_if_fail (SCOPE_IS_LIVE_RUNNER (self));
  g_return_if_fail (SCOPE_IS_SOURCE (frame));

  self->n_submitted++;
  if (self->waiting != NULL)
    self->n_replaced++;
  g_set_object (&self->waiting, frame);
  self->waiting_since = g_get_monotonic_time ();
  start_waiting (self);
}

void
scope_live_runner_set_shown_only (ScopeLiveRunner *self,
                                  gboolean         shown_only)
{
  g_return_if_fail (SCOPE_IS_LIVE_RUNNER (self));
  self->shown_only = !!shown_only;
}

void
scope_live_runner_clear (ScopeLiveRunner *self)
{
  g_return_if_fail (SCOPE_IS_LIVE_RUNNER (self));

  g_clear_object (&self->waiting);
}

double
scope_live_runner_get_rate (ScopeLiveRunner *self)
{
  g_return_val_if_fail (SCOPE_IS_LIVE_RUNNER (self), 0.0);
  return rate_now (self);
}

double
scope_live_runner_get_latency (ScopeLiveRunner *self)
{
  g_return_val_if_fail (SCOPE_IS_LIVE_RUNNER (self), 0.0);
  return self->latency;
}

guint64
scope_live_runner_get_n_submitted (ScopeLiveRunner *self)
{
  g_return_val_if_fail (SCOPE_IS_LIVE_RUNNER (self), 0);
  return self->n_submitted;
}

guint64
scope_live_runner_get_n_completed (ScopeLiveRunner *self)
{
  g_return_val_if_fail (SCOPE_IS_LIVE_RUNNER (self), 0);
  return self->n_completed;
}

guint64
scope_live_runner_get_n_replaced (ScopeLiveRunner *self)
{
  g_return_val_if_fail (SCOPE_IS_LIVE_RUNNER (self), 0);
  return self->n_replaced;
}

gboolean
scope_live_runner_get_busy (ScopeLiveRunner *self)
{
  g_return_val_if_fail (SCOPE_IS_LIVE_RUNNER (self), FALSE);
  return self->running != NULL;
}

gboolean
scope_live_runner_get_has_waiting (ScopeLiveRunner *self)
{
  g_return_val_if_fail (SCOPE_IS_LIVE_RUNNER (self), FALSE);
  return self->waiting != NULL;
}

static void
scope_live_runner_dispose (GObject *object)
{
  ScopeLiveRunner *self = SCOPE_LIVE_RUNNER (object);

  drop_running (self);
  g_clear_object (&self->waiting);
  g_clear_weak_pointer (&self->workspace);
  g_queue_clear (&self->completions);

  G_OBJECT_CLASS (scope_live_runner_parent_class)->dispose (object);
}

static void
scope_live_runner_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  ScopeLiveRunner *self = SCOPE_LIVE_RUNNER (object);

  switch (prop_id)
    {
    case PROP_RATE:
      g_value_set_double (value, rate_now (self));
      break;
    case PROP_LATENCY:
      g_value_set_double (value, self->latency);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
scope_live_runner_class_init (ScopeLiveRunnerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = scope_live_runner_dispose;
  object_class->get_property = scope_live_runner_get_property;

  properties[PROP_RATE] =
    g_param_spec_double ("rate", NULL, NULL, 0.0, G_MAXDOUBLE, 0.0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LATENCY] =
    g_param_spec_double ("latency", NULL, NULL, 0.0, G_MAXDOUBLE, 0.0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
scope_live_runner_init (ScopeLiveRunner *self)
{
  g_queue_init (&self->completions);
}

ScopeLiveRunner *
scope_live_runner_new (ScopeWorkspace *workspace)
{
  ScopeLiveRunner *self;

  g_return_val_if_fail (SCOPE_IS_WORKSPACE (workspace), NULL);

  self = g_object_new (SCOPE_TYPE_LIVE_RUNNER, NULL);
  g_set_weak_pointer (&self->workspace, workspace);
  return self;
}
