/* scope-source.h — where an input picture comes from: a file, encoded bytes or pixels
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A ScopeSource is immutable, so the inference worker can decode it on its own thread while
 * the window keeps it to re-run the same picture with another model.
 */
#pragma once

#include <gtk/gtk.h>

#include "vgg.h"

G_BEGIN_DECLS

#define SCOPE_TYPE_SOURCE (scope_source_get_type ())

G_DECLARE_FINAL_TYPE (ScopeSource, scope_source, SCOPE, SOURCE, GObject)

ScopeSource *scope_source_new_for_file    (GFile      *file);
/* @bytes: an encoded JPEG or PNG (from a drop or the clipboard). */
ScopeSource *scope_source_new_for_bytes   (GBytes     *bytes,
                                           const char *display_name);
/* Copies @texture's pixels (alpha composited on white). */
ScopeSource *scope_source_new_for_texture (GdkTexture *texture,
                                           const char *display_name);

/* @pixels: RGB8, @width × @height, rows of 3 × @width bytes (a video frame). */
ScopeSource *scope_source_new_for_rgb     (GBytes     *pixels,
                                           int         width,
                                           int         height,
                                           const char *display_name);

const char  *scope_source_get_display_name (ScopeSource *self);
/* The file, or NULL for pasted or dropped data. */
GFile       *scope_source_get_file         (ScopeSource *self);

/* Decodes the picture into @image (cleared by the caller with vgg_image_clear()).
 * Blocking: call it on a worker thread. */
gboolean     scope_source_decode           (ScopeSource  *self,
                                            VggImage     *image,
                                            GCancellable *cancellable,
                                            GError      **error);

G_END_DECLS
