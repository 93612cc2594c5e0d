/* scope-live-preview.c — the Live view's frame, with the part the network is given outlined
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "scope-draw.h"
#include "scope-live-preview.h"

struct _ScopeLivePreview
{
  GtkWidget        parent_instance;

  /* owned */
  GdkTexture      *texture;

  /* plain state */
  graphene_rect_t  region;
  gboolean         has_region;
  gboolean         mirrored;
};

G_DEFINE_FINAL_TYPE (ScopeLivePreview, scope_live_preview, GTK_TYPE_WIDGET)

static void
scope_live_preview_snapshot (GtkWidget   *widget,
                             GtkSnapshot *snapshot)
{
  ScopeLivePreview *self = SCOPE_LIVE_PREVIEW (widget);
  float width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);
  float frame_w, frame_h, scale;
  graphene_rect_t frame, region;
  GdkRGBA veil = { 0, 0, 0, 0.45f }, accent;

  if (self->texture == NULL)
    return;
  frame_w = gdk_texture_get_width (self->texture);
  frame_h = gdk_texture_get_height (self->texture);
  scale = MIN (width / frame_w, height / frame_h);
  graphene_rect_init (&frame, floorf ((width - frame_w * scale) / 2),
                      floorf ((height - frame_h * scale) / 2), frame_w * scale, frame_h * scale);

  gtk_snapshot_save (snapshot);
  if (self->mirrored)
    {
      /* about the frame's vertical centre line */
      gtk_snapshot_translate (snapshot,
                              &GRAPHENE_POINT_INIT (2 * frame.origin.x + frame.size.width, 0));
      gtk_snapshot_scale (snapshot, -1, 1);
    }
  scope_draw_texture (snapshot, widget, self->texture, &frame);
  if (self->has_region)
    {
      graphene_rect_init (&region, frame.origin.x + self->region.origin.x * frame.size.width,
                          frame.origin.y + self->region.origin.y * frame.size.height,
                          self->region.size.width * frame.size.width,
                          self->region.size.height * frame.size.height);
      graphene_rect_intersection (&region, &frame, &region);
      /* the frame outside the region, dimmed: above, below, left, right */
      gtk_snapshot_append_color (snapshot, &veil,
                                 &GRAPHENE_RECT_INIT (frame.origin.x, frame.origin.y,
                                                      frame.size.width,
                                                      region.origin.y - frame.origin.y));
      gtk_snapshot_append_color (snapshot, &veil,
                                 &GRAPHENE_RECT_INIT (frame.origin.x,
                                                      region.origin.y + region.size.height,
                                                      frame.size.width,
                                                      frame.origin.y + frame.size.height
                                                      - region.origin.y - region.size.height));
      gtk_snapshot_append_color (snapshot, &veil,
                                 &GRAPHENE_RECT_INIT (frame.origin.x, region.origin.y,
                                                      region.origin.x - frame.origin.x,
                                                      region.size.height));
      gtk_snapshot_append_color (snapshot, &veil,
                                 &GRAPHENE_RECT_INIT (region.origin.x + region.size.width,
                                                      region.origin.y,
                                                      frame.origin.x + frame.size.width
                                                      - region.origin.x - region.size.width,
                                                      region.size.height));
      scope_draw_lookup_color (widget, "accent_color", "#3584e4", &accent);
      scope_draw_outline (snapshot, &region, 2.0f, &accent);
    }
  gtk_snapshot_restore (snapshot);
}

static void
scope_live_preview_dispose (GObject *object)
{
  ScopeLivePreview *self = SCOPE_LIVE_PREVIEW (object);

  g_clear_object (&self->texture);
  G_OBJECT_CLASS (scope_live_preview_parent_class)->dispose (object);
}

static void
scope_live_preview_class_init (ScopeLivePreviewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = scope_live_preview_dispose;
  widget_class->snapshot = scope_live_preview_snapshot;
  gtk_widget_class_set_css_name (widget_class, "livepreview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
scope_live_preview_init (ScopeLivePreview *self)
{
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
}

void
scope_live_preview_set_texture (ScopeLivePreview *self,
                                GdkTexture       *texture)
{
  g_return_if_fail (SCOPE_IS_LIVE_PREVIEW (self));
  g_return_if_fail (texture == NULL || GDK_IS_TEXTURE (texture));

  if (g_set_object (&self->texture, texture))
    gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
scope_live_preview_set_region (ScopeLivePreview      *self,
                               const graphene_rect_t *region)
{
  gboolean has_region;

  g_return_if_fail (SCOPE_IS_LIVE_PREVIEW (self));

  has_region = region != NULL && region->size.width > 0 && region->size.height > 0;
  if (has_region == self->has_region
      && (!has_region || graphene_rect_equal (region, &self->region)))
    return;
  self->has_region = has_region;
  if (has_region)
    self->region = *region;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
scope_live_preview_set_mirrored (ScopeLivePreview *self,
                                 gboolean          mirrored)
{
  g_return_if_fail (SCOPE_IS_LIVE_PREVIEW (self));

  if (self->mirrored == !!mirrored)
    return;
  self->mirrored = !!mirrored;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gboolean
scope_live_preview_get_mirrored (ScopeLivePreview *self)
{
  g_return_val_if_fail (SCOPE_IS_LIVE_PREVIEW (self), FALSE);
  return self->mirrored;
}
