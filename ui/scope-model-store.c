/* scope-model-store.c — the models the app knows: built-in, the models folder, opened files
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "scope-background.h"
#include "scope-engine-environment.h"
#include "scope-engine-error.h"
#include "scope-model-paths.h"
#include "scope-model-store.h"
#include "scope-model.h"
#include "scope-tsan.h"

struct _ScopeModelStore
{
  GObject       parent_instance;

  /* owned */
  GFile        *directory;
  GFileMonitor *monitor;
  GPtrArray    *entries;      /* ScopeModelEntry */
  GCancellable *describing;   /* the running describe_all() pass, or NULL */
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ScopeModelStore, scope_model_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static GType
get_item_type (GListModel *model)
{
  return SCOPE_TYPE_MODEL_ENTRY;
}

static guint
get_n_items (GListModel *model)
{
  return SCOPE_MODEL_STORE (model)->entries->len;
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  ScopeModelStore *self = SCOPE_MODEL_STORE (model);

  if (position >= self->entries->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->entries, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

static gboolean
is_weight_file_name (const char *name)
{
  return g_str_has_suffix (name, ".pth") || g_str_has_suffix (name, ".pt")
         || g_str_has_suffix (name, ".safetensors") || g_str_has_suffix (name, ".h5")
         || g_str_has_suffix (name, ".onnx");
}

static int
find_file (ScopeModelStore *self,
           GFile           *file)
{
  for (guint i = 0; i < self->entries->len; i++)
    {
      GFile *entry_file = scope_model_entry_get_file (g_ptr_array_index (self->entries, i));

      if (entry_file != NULL && g_file_equal (entry_file, file))
        return (int) i;
    }
  return -1;
}

static void
append_entry (ScopeModelStore *self,
              GFile           *file)
{
  g_ptr_array_add (self->entries, scope_model_entry_new (file));
  g_list_model_items_changed (G_LIST_MODEL (self), self->entries->len - 1, 0, 1);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_utf8_collate (*(const char * const *) a, *(const char * const *) b);
}

static void
scan_directory (ScopeModelStore *self)
{
  g_autoptr(GFileEnumerator) enumerator = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  enumerator = g_file_enumerate_children (self->directory, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                          G_FILE_QUERY_INFO_NONE, NULL, NULL);
  if (enumerator == NULL)
    return;   /* no models folder yet: nothing to list */

  for (;;)
    {
      GFileInfo *info = NULL;

      if (!g_file_enumerator_iterate (enumerator, &info, NULL, NULL, NULL) || info == NULL)
        break;
      if (is_weight_file_name (g_file_info_get_name (info)))
        g_ptr_array_add (names, g_strdup (g_file_info_get_name (info)));
    }
  g_ptr_array_sort (names, compare_names);

  for (guint i = 0; i < names->len; i++)
    {
      g_autoptr(GFile) file = g_file_get_child (self->directory, g_ptr_array_index (names, i));

      if (find_file (self, file) < 0)
        append_entry (self, file);
    }
}

static void
on_directory_changed (GFileMonitor      *monitor,
                      GFile             *file,
                      GFile             *other_file,
                      GFileMonitorEvent  event,
                      ScopeModelStore   *self)
{
  g_autofree char *name = g_file_get_basename (file);
  int index;

  if (name == NULL || !is_weight_file_name (name))
    return;
  switch (event)
    {
    case G_FILE_MONITOR_EVENT_CREATED:
    case G_FILE_MONITOR_EVENT_MOVED_IN:
      if (find_file (self, file) < 0)
        append_entry (self, file);
      break;
    case G_FILE_MONITOR_EVENT_DELETED:
    case G_FILE_MONITOR_EVENT_MOVED_OUT:
      index = find_file (self, file);
      if (index >= 0)
        {
          g_ptr_array_remove_index (self->entries, (guint) index);
          g_list_model_items_changed (G_LIST_MODEL (self), (guint) index, 1, 0);
        }
      break;
    default:
      break;
    }
}

static void
scope_model_store_dispose (GObject *object)
{
  ScopeModelStore *self = SCOPE_MODEL_STORE (object);

  if (self->monitor != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->monitor, on_directory_changed, self);
      g_file_monitor_cancel (self->monitor);
    }
  if (self->describing != NULL)
    g_cancellable_cancel (self->describing);
  g_clear_object (&self->describing);
  g_clear_object (&self->monitor);
  g_clear_object (&self->directory);
  g_clear_pointer (&self->entries, g_ptr_array_unref);

  G_OBJECT_CLASS (scope_model_store_parent_class)->dispose (object);
}

static void
scope_model_store_class_init (ScopeModelStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = scope_model_store_dispose;
}

static void
scope_model_store_init (ScopeModelStore *self)
{
  self->entries = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (self->entries, scope_model_entry_new (NULL));
}

ScopeModelStore *
scope_model_store_new (GFile *directory)
{
  ScopeModelStore *self;

  g_return_val_if_fail (directory == NULL || G_IS_FILE (directory), NULL);

  self = g_object_new (SCOPE_TYPE_MODEL_STORE, NULL);
  if (directory != NULL)
    self->directory = g_object_ref (directory);
  else
    {
      g_autofree char *path = scope_model_paths_dup_models_dir ();

      self->directory = g_file_new_for_path (path);
    }
  scan_directory (self);
  self->monitor = g_file_monitor_directory (self->directory, G_FILE_MONITOR_WATCH_MOVES, NULL,
                                            NULL);
  if (self->monitor != NULL)
    g_signal_connect (self->monitor, "changed", G_CALLBACK (on_directory_changed), self);
  return self;
}

GFile *
scope_model_store_get_directory (ScopeModelStore *self)
{
  g_return_val_if_fail (SCOPE_IS_MODEL_STORE (self), NULL);
  return self->directory;
}

ScopeModelEntry *
scope_model_store_find (ScopeModelStore *self,
                        const char      *id)
{
  g_return_val_if_fail (SCOPE_IS_MODEL_STORE (self), NULL);

  if (id == NULL)
    return NULL;
  for (guint i = 0; i < self->entries->len; i++)
    if (g_strcmp0 (scope_model_entry_get_id (g_ptr_array_index (self->entries, i)), id) == 0)
      return g_ptr_array_index (self->entries, i);
  return NULL;
}

ScopeModelEntry *
scope_model_store_add_file (ScopeModelStore *self,
                            GFile           *file)
{
  int index;

  g_return_val_if_fail (SCOPE_IS_MODEL_STORE (self), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  index = find_file (self, file);
  if (index < 0)
    {
      append_entry (self, file);
      index = (int) self->entries->len - 1;
    }
  return g_ptr_array_index (self->entries, index);
}

/* ---- describing the entries ---- */

typedef struct
{
  ScopeModelEntry *entry;
  char            *description;   /* NULL: see message */
  char            *message;
} Description;

static void
description_free (Description *description)
{
  SCOPE_TSAN_ACQUIRE (description);
  g_clear_object (&description->entry);
  g_free (description->description);
  g_free (description->message);
  g_free (description);
}

static gboolean
apply_description (gpointer data)
{
  Description *description = data;

  SCOPE_TSAN_ACQUIRE (description);
  if (description->description != NULL)
    scope_model_entry_set_description (description->entry, description->description);
  else
    scope_model_entry_describe_error (description->entry, description->message);
  return G_SOURCE_REMOVE;
}

static void
describe_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  GPtrArray *entries = task_data;
  GMainContext *context = g_task_get_context (task);

  scope_background_lower_this_thread ();
  SCOPE_TSAN_ACQUIRE (task);   /* the entries, listed on the main thread */
  for (guint i = 0; i < entries->len && !g_cancellable_is_cancelled (cancellable); i++)
    {
      ScopeModelEntry *entry = g_ptr_array_index (entries, i);
      GFile *file = scope_model_entry_get_file (entry);
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;
      Description *description = g_new0 (Description, 1);
      VggError engine_error = { 0 };
      VggModel *model = NULL;
      VggStatus status;
      GSource *idle;

      description->entry = g_object_ref (entry);
      if (file != NULL && path == NULL)
        status = VGG_STATUS_IO;
      else if (file == NULL)
        status = vgg_model_new_default (&model, &engine_error);
      else
        status = vgg_model_load_with_options (&model, path, scope_engine_environment_load_options (),
                                              &engine_error);
      if (status == VGG_STATUS_OK)
        description->description = scope_model_describe (model);
      else
        {
          g_autoptr(GError) error = NULL;
          g_autofree char *basename = path != NULL ? g_path_get_basename (path) : NULL;
          g_autofree char *display = basename != NULL ? g_filename_display_name (basename) : NULL;

          scope_engine_error_set (&error, &engine_error, path, display);
          description->message = g_strdup (error->message);
        }
      g_clear_pointer (&model, vgg_model_free);
      /* an idle source, not g_main_context_invoke(): that would run it right here, on this
       * worker, whenever the main loop is not iterating at that moment */
      idle = g_idle_source_new ();
      SCOPE_TSAN_RELEASE (description);   /* to apply_description(), description_free() */
      g_source_set_callback (idle, apply_description, description,
                             (GDestroyNotify) description_free);
      g_source_attach (idle, context);
      g_source_unref (idle);
    }
  SCOPE_TSAN_RELEASE (task);
  g_task_return_boolean (task, TRUE);
}

static void
on_described (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  ScopeModelStore *self = SCOPE_MODEL_STORE (object);
  GCancellable *cancellable = g_task_get_cancellable (G_TASK (result));

  if (cancellable == self->describing)
    g_clear_object (&self->describing);
}

void
scope_model_store_describe_all (ScopeModelStore *self)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GPtrArray) entries = NULL;

  g_return_if_fail (SCOPE_IS_MODEL_STORE (self));

  if (self->describing != NULL)
    return;
  entries = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < self->entries->len; i++)
    {
      ScopeModelEntry *entry = g_ptr_array_index (self->entries, i);

      if (!scope_model_entry_get_described (entry))
        g_ptr_array_add (entries, g_object_ref (entry));
    }
  if (entries->len == 0)
    return;

  self->describing = g_cancellable_new ();
  task = g_task_new (self, self->describing, on_described, NULL);
  g_task_set_source_tag (task, scope_model_store_describe_all);
  g_task_set_task_data (task, g_steal_pointer (&entries), (GDestroyNotify) g_ptr_array_unref);
  SCOPE_TSAN_RELEASE (task);   /* the entries, to describe_thread() */
  g_task_run_in_thread (task, describe_thread);
}
