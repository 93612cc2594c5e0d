/* scope-tile-render.c — a layer's tiles rendered off the main thread
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "scope-tile-render.h"

#include "scope-background.h"
#include "scope-tsan.h"

typedef struct
{
  ScopeCapture   *capture;
  ScopeTileStyle  style;
} RenderData;

static void
render_data_free (RenderData *data)
{
  scope_capture_unref (data->capture);
  g_free (data);
}

GdkTexture *
scope_tile_render_channel (const ScopeCapture   *capture,
                           int                   channel,
                           const ScopeTileStyle *style)
{
  if (style->reduced_width > 0)
    return scope_map_render_channel_reduced (capture, channel, style->normalization, style->lut,
                                             style->reduced_width, style->reduced_height);
  return scope_map_render_channel (capture, channel, style->normalization, style->lut,
                                   MAX (1, style->scale));
}

static void
render_in_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  RenderData *data = task_data;
  g_autoptr(GPtrArray) textures = NULL;

  SCOPE_TSAN_ACQUIRE (task);   /* the data, filled on the main thread */

  /* behind the main thread, as all the window's background work */
  scope_background_lower_this_thread ();
  textures = g_ptr_array_new_full ((guint) data->capture->channels, g_object_unref);

  for (int channel = 0; channel < data->capture->channels; channel++)
    {
      if (g_cancellable_is_cancelled (cancellable))
        {
          SCOPE_TSAN_RELEASE (task);
          g_task_return_error_if_cancelled (task);
          return;
        }
      g_ptr_array_add (textures, scope_tile_render_channel (data->capture, channel, &data->style));
    }
  SCOPE_TSAN_RELEASE (task);   /* the textures, to scope_tile_render_finish() */
  g_task_return_pointer (task, g_steal_pointer (&textures), (GDestroyNotify) g_ptr_array_unref);
}

void
scope_tile_render_async (ScopeCapture         *capture,
                         const ScopeTileStyle *style,
                         GCancellable         *cancellable,
                         GAsyncReadyCallback   callback,
                         gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  RenderData *data;

  g_return_if_fail (capture != NULL);
  g_return_if_fail (style != NULL);

  data = g_new0 (RenderData, 1);
  data->capture = scope_capture_ref (capture);
  data->style = *style;
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, scope_tile_render_async);
  g_task_set_name (task, "[scope] render tiles");
  g_task_set_task_data (task, data, (GDestroyNotify) render_data_free);
  SCOPE_TSAN_RELEASE (task);
  g_task_run_in_thread (task, render_in_thread);
}

GPtrArray *
scope_tile_render_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  SCOPE_TSAN_ACQUIRE (result);
  return g_task_propagate_pointer (G_TASK (result), error);
}
