/* scope-export.c — what the views export: PNG at any scale, a layer as .npy, the layer table
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "scope-engine-error.h"
#include "scope-export.h"

GBytes *
scope_export_png (GdkTexture *texture,
                  int         scale)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GdkTexture) large = NULL;
  g_autofree guchar *pixels = NULL, *out = NULL;
  int width, height;
  gsize stride;

  g_return_val_if_fail (GDK_IS_TEXTURE (texture), NULL);
  g_return_val_if_fail (scale >= 1 && scale <= 16, NULL);

  if (scale == 1)
    return gdk_texture_save_to_png_bytes (texture);
  width = gdk_texture_get_width (texture);
  height = gdk_texture_get_height (texture);
  stride = (gsize) width * 4;
  pixels = g_malloc (stride * height);
  gdk_texture_download (texture, pixels, stride);
  out = g_malloc (stride * scale * height * scale);
  for (int y = 0; y < height * scale; y++)
    {
      const guint32 *src = (const guint32 *) (pixels + (gsize) (y / scale) * stride);
      guint32 *dst = (guint32 *) (out + (gsize) y * stride * scale);

      for (int x = 0; x < width * scale; x++)
        dst[x] = src[x / scale];
    }
  bytes = g_bytes_new_take (g_steal_pointer (&out), stride * scale * height * scale);
  /* gdk_texture_download() writes GDK_MEMORY_DEFAULT, premultiplied B,G,R,A in memory */
  large = gdk_memory_texture_new (width * scale, height * scale, GDK_MEMORY_DEFAULT, bytes,
                                  stride * scale);
  return gdk_texture_save_to_png_bytes (large);
}

GdkTexture *
scope_export_render_widget (GtkWidget *widget,
                            int        scale)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  GtkSnapshot *snapshot;
  GtkNative *native;
  int width, height;

  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);
  g_return_val_if_fail (scale >= 1 && scale <= 16, NULL);

  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  native = gtk_widget_get_native (widget);
  if (!gtk_widget_get_mapped (widget) || width <= 0 || height <= 0 || native == NULL)
    return NULL;
  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gtk_snapshot_scale (snapshot, scale, scale);
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  if (node == NULL)
    return NULL;
  return gsk_renderer_render_texture (gtk_native_get_renderer (native), node,
                                      &GRAPHENE_RECT_INIT (0, 0, width * scale, height * scale));
}

gboolean
scope_export_npy (const ScopeCapture *capture,
                  const VggLayer     *layer,
                  const char         *path,
                  GError            **error)
{
  int64_t shape[4] = { 1, capture->channels, capture->height, capture->width };
  int ndim = layer->kind == VGG_LAYER_FC || layer->kind == VGG_LAYER_SOFTMAX ? 2 : 4;
  VggError engine_error = { 0 };

  if (vgg_npy_save (path, capture->data, ndim, shape, &engine_error) != VGG_STATUS_OK)
    {
      g_autofree char *name = g_path_get_basename (path);

      scope_engine_error_set (error, &engine_error, path, name);
      return FALSE;
    }
  return TRUE;
}

char *
scope_export_layer_table_csv (const VggModel *model)
{
  GString *csv = g_string_new ("name,kind,block,channels_in,height_in,width_in,channels_out,"
                               "height_out,width_out,params,macs,rf_size,rf_jump,rf_start\r\n");

  for (int i = 0; i < vgg_model_n_layers (model); i++)
    {
      const VggLayer *l = vgg_model_layer (model, i);
      char start[G_ASCII_DTOSTR_BUF_SIZE];

      /* layer names are the engine's own ("conv1_1"): no quoting needed */
      g_string_append_printf (csv, "%s,%s,%d,%d,%d,%d,%d,%d,%d,%" G_GINT64_FORMAT ",%"
                              G_GINT64_FORMAT ",%d,%d,%s\r\n", l->name,
                              vgg_layer_kind_name (l->kind), l->block, l->channels_in,
                              l->height_in, l->width_in, l->channels_out, l->height_out,
                              l->width_out, l->params, l->macs, l->receptive_field.size,
                              l->receptive_field.jump,
                              g_ascii_dtostr (start, sizeof start, l->receptive_field.start));
    }
  return g_string_free (csv, FALSE);
}
