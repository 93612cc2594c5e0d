/* scope-picture-list.c — the pictures opened together, and which of them is shown
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "scope-picture-list.h"

struct _ScopePictureList
{
  GObject    parent_instance;

  GPtrArray *files;      /* GFile */
  int        position;   /* −1: empty */
};

G_DEFINE_FINAL_TYPE (ScopePictureList, scope_picture_list, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_N_ITEMS,
  PROP_POSITION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

ScopePictureList *
scope_picture_list_new (void)
{
  return g_object_new (SCOPE_TYPE_PICTURE_LIST, NULL);
}

static void
replace (ScopePictureList  *self,
         GFile            **files,
         guint              n_files)
{
  guint old_n = self->files->len;
  int old_position = self->position;

  g_ptr_array_set_size (self->files, 0);
  for (guint i = 0; i < n_files; i++)
    g_ptr_array_add (self->files, g_object_ref (files[i]));
  self->position = n_files > 0 ? 0 : -1;

  if (old_n != n_files)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
  /* a new list at the same index is still a move: the file there is another one */
  if (n_files > 0 || old_position != self->position)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POSITION]);
}

void
scope_picture_list_set_files (ScopePictureList  *self,
                              GFile            **files,
                              guint              n_files)
{
  g_return_if_fail (SCOPE_IS_PICTURE_LIST (self));
  g_return_if_fail (files != NULL || n_files == 0);

  replace (self, files, n_files);
}

void
scope_picture_list_clear (ScopePictureList *self)
{
  g_return_if_fail (SCOPE_IS_PICTURE_LIST (self));

  if (self->files->len > 0)
    replace (self, NULL, 0);
}

guint
scope_picture_list_get_n_items (ScopePictureList *self)
{
  g_return_val_if_fail (SCOPE_IS_PICTURE_LIST (self), 0);
  return self->files->len;
}

int
scope_picture_list_get_position (ScopePictureList *self)
{
  g_return_val_if_fail (SCOPE_IS_PICTURE_LIST (self), -1);
  return self->position;
}

gboolean
scope_picture_list_set_position (ScopePictureList *self,
                                 int               position)
{
  g_return_val_if_fail (SCOPE_IS_PICTURE_LIST (self), FALSE);

  if (position < 0 || (guint) position >= self->files->len)
    return FALSE;
  if (position != self->position)
    {
      self->position = position;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POSITION]);
    }
  return TRUE;
}

gboolean
scope_picture_list_can_step (ScopePictureList *self,
                             int               delta)
{
  gint64 target;

  g_return_val_if_fail (SCOPE_IS_PICTURE_LIST (self), FALSE);

  target = (gint64) self->position + delta;
  return self->position >= 0 && delta != 0 && target >= 0 && target < self->files->len;
}

gboolean
scope_picture_list_step (ScopePictureList *self,
                         int               delta)
{
  g_return_val_if_fail (SCOPE_IS_PICTURE_LIST (self), FALSE);

  if (!scope_picture_list_can_step (self, delta))
    return FALSE;
  return scope_picture_list_set_position (self, self->position + delta);
}

GFile *
scope_picture_list_get_file (ScopePictureList *self,
                             guint             index)
{
  g_return_val_if_fail (SCOPE_IS_PICTURE_LIST (self), NULL);
  return index < self->files->len ? g_ptr_array_index (self->files, index) : NULL;
}

GFile *
scope_picture_list_get_current (ScopePictureList *self)
{
  g_return_val_if_fail (SCOPE_IS_PICTURE_LIST (self), NULL);
  return self->position >= 0 ? g_ptr_array_index (self->files, self->position) : NULL;
}

static void
scope_picture_list_finalize (GObject *object)
{
  ScopePictureList *self = SCOPE_PICTURE_LIST (object);

  g_ptr_array_unref (self->files);
  G_OBJECT_CLASS (scope_picture_list_parent_class)->finalize (object);
}

static void
scope_picture_list_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  ScopePictureList *self = SCOPE_PICTURE_LIST (object);

  switch (prop_id)
    {
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->files->len);
      break;
    case PROP_POSITION:
      g_value_set_int (value, self->position);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
scope_picture_list_class_init (ScopePictureListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = scope_picture_list_finalize;
  object_class->get_property = scope_picture_list_get_property;

  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_POSITION] =
    g_param_spec_int ("position", NULL, NULL, -1, G_MAXINT, -1,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
scope_picture_list_init (ScopePictureList *self)
{
  self->files = g_ptr_array_new_with_free_func (g_object_unref);
  self->position = -1;
}
