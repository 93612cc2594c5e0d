/* scope-source.c — where an input picture comes from: a file, encoded bytes or pixels
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <stdlib.h>
#include <string.h>

#include "scope-engine-error.h"
#include "scope-source.h"

typedef enum
{
  SOURCE_FILE,
  SOURCE_BYTES,
  SOURCE_PIXELS,
} SourceKind;

struct _ScopeSource
{
  GObject     parent_instance;

  /* owned */
  GFile      *file;
  GBytes     *bytes;          /* encoded data, or RGB8 pixels for SOURCE_PIXELS */
  char       *display_name;

  /* plain state */
  SourceKind  kind;
  int         width;          /* SOURCE_PIXELS only */
  int         height;
};

G_DEFINE_FINAL_TYPE (ScopeSource, scope_source, G_TYPE_OBJECT)

static void
scope_source_finalize (GObject *object)
{
  ScopeSource *self = SCOPE_SOURCE (object);

  g_clear_object (&self->file);
  g_clear_pointer (&self->bytes, g_bytes_unref);
  g_clear_pointer (&self->display_name, g_free);

  G_OBJECT_CLASS (scope_source_parent_class)->finalize (object);
}

static void
scope_source_class_init (ScopeSourceClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = scope_source_finalize;
}

static void
scope_source_init (ScopeSource *self)
{
}

static char *
display_name_for_file (GFile *file)
{
  g_autoptr(GFileInfo) info = NULL;

  /* a cheap local query; for remote files the basename is good enough */
  if (g_file_is_native (file))
    info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_DISPLAY_NAME,
                              G_FILE_QUERY_INFO_NONE, NULL, NULL);
  if (info != NULL)
    return g_strdup (g_file_info_get_display_name (info));
  else
    {
      g_autofree char *basename = g_file_get_basename (file);

      return g_filename_display_name (basename != NULL ? basename : "?");
    }
}

ScopeSource *
scope_source_new_for_file (GFile *file)
{
  ScopeSource *self;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  self = g_object_new (SCOPE_TYPE_SOURCE, NULL);
  self->kind = SOURCE_FILE;
  self->file = g_object_ref (file);
  self->display_name = display_name_for_file (file);
  return self;
}

ScopeSource *
scope_source_new_for_bytes (GBytes     *bytes,
                            const char *display_name)
{
  ScopeSource *self;

  g_return_val_if_fail (bytes != NULL, NULL);

  self = g_object_new (SCOPE_TYPE_SOURCE, NULL);
  self->kind = SOURCE_BYTES;
  self->bytes = g_bytes_ref (bytes);
  /* Translators: the name shown for a picture that came without a file name */
  self->display_name = g_strdup (display_name != NULL ? display_name : _("Pasted image"));
  return self;
}

ScopeSource *
scope_source_new_for_texture (GdkTexture *texture,
                              const char *display_name)
{
  ScopeSource *self;
  int width, height;
  gsize stride;
  g_autofree guchar *argb = NULL;
  guchar *rgb;

  g_return_val_if_fail (GDK_IS_TEXTURE (texture), NULL);

  width = gdk_texture_get_width (texture);
  height = gdk_texture_get_height (texture);
  stride = (gsize) width * 4;
  argb = g_malloc_n ((gsize) height, stride);
  /* CAIRO_FORMAT_ARGB32: premultiplied, native-endian 32-bit pixels */
  gdk_texture_download (texture, argb, stride);

  rgb = g_malloc_n ((gsize) width * height, 3);
  for (gsize i = 0; i < (gsize) width * height; i++)
    {
      guint32 pixel;
      guint a, r, g, b;

      memcpy (&pixel, argb + 4 * i, 4);
      a = pixel >> 24;
      r = (pixel >> 16) & 0xff;
      g = (pixel >> 8) & 0xff;
      b = pixel & 0xff;
      /* premultiplied over white */
      rgb[3 * i + 0] = (guchar) MIN (255u, r + 255u - a);
      rgb[3 * i + 1] = (guchar) MIN (255u, g + 255u - a);
      rgb[3 * i + 2] = (guchar) MIN (255u, b + 255u - a);
    }

  self = g_object_new (SCOPE_TYPE_SOURCE, NULL);
  self->kind = SOURCE_PIXELS;
  self->bytes = g_bytes_new_take (rgb, (gsize) width * height * 3);
  self->width = width;
  self->height = height;
  self->display_name = g_strdup (display_name != NULL ? display_name : _("Pasted image"));
  return self;
}

ScopeSource *
scope_source_new_for_rgb (GBytes     *pixels,
                          int         width,
                          int         height,
                          const char *display_name)
{
  ScopeSource *self;

  g_return_val_if_fail (pixels != NULL, NULL);
  g_return_val_if_fail (width > 0 && height > 0, NULL);
  g_return_val_if_fail (g_bytes_get_size (pixels) == (gsize) width * height * 3, NULL);

  self = g_object_new (SCOPE_TYPE_SOURCE, NULL);
  self->kind = SOURCE_PIXELS;
  self->bytes = g_bytes_ref (pixels);
  self->width = width;
  self->height = height;
  /* Translators: the name shown for a frame from a camera */
  self->display_name = g_strdup (display_name != NULL ? display_name : _("Camera"));
  return self;
}

const char *
scope_source_get_display_name (ScopeSource *self)
{
  g_return_val_if_fail (SCOPE_IS_SOURCE (self), NULL);

  return self->display_name;
}

GFile *
scope_source_get_file (ScopeSource *self)
{
  g_return_val_if_fail (SCOPE_IS_SOURCE (self), NULL);

  return self->file;
}

static gboolean
decode_bytes (ScopeSource *self,
              GBytes      *bytes,
              VggImage    *image,
              GError     **error)
{
  VggError engine_error = { 0 };
  gsize size;
  const void *data = g_bytes_get_data (bytes, &size);

  if (vgg_image_load_memory (image, data, size, &engine_error) != VGG_STATUS_OK)
    return scope_engine_error_set (error, &engine_error, "image data", self->display_name);
  return TRUE;
}

gboolean
scope_source_decode (ScopeSource  *self,
                     VggImage     *image,
                     GCancellable *cancellable,
                     GError      **error)
{
  g_return_val_if_fail (SCOPE_IS_SOURCE (self), FALSE);
  g_return_val_if_fail (image != NULL, FALSE);

  memset (image, 0, sizeof *image);

  switch (self->kind)
    {
    case SOURCE_FILE:
      {
        g_autofree char *path = g_file_get_path (self->file);
        g_autoptr(GBytes) contents = NULL;

        if (path != NULL)
          {
            VggError engine_error = { 0 };

            if (vgg_image_load (image, path, &engine_error) != VGG_STATUS_OK)
              return scope_engine_error_set (error, &engine_error, path, self->display_name);
            return TRUE;
          }
        contents = g_file_load_bytes (self->file, cancellable, NULL, error);
        if (contents == NULL)
          return FALSE;
        return decode_bytes (self, contents, image, error);
      }

    case SOURCE_BYTES:
      return decode_bytes (self, self->bytes, image, error);

    case SOURCE_PIXELS:
      {
        gsize size;
        const guchar *pixels = g_bytes_get_data (self->bytes, &size);

        image->pixels = malloc (size);
        if (image->pixels == NULL)
          {
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                         _("Not enough memory for a %d × %d picture"),
                         self->width, self->height);
            return FALSE;
          }
        memcpy (image->pixels, pixels, size);
        image->width = self->width;
        image->height = self->height;
        return TRUE;
      }

    default:
      g_assert_not_reached ();
    }
}
