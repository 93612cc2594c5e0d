/* scope-export.h — what the views export: PNG at any scale, a layer as .npy, the layer table
 *                  as CSV
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "scope-capture.h"
#include "vgg.h"

G_BEGIN_DECLS

/* @texture enlarged @scale times (each pixel a @scale × @scale square, so maps stay crisp),
 * as PNG bytes. */
GBytes *scope_export_png (GdkTexture *texture,
                          int         scale);

/* What @widget (mapped) shows now, drawn by its window's renderer at @scale times its size
 * (text and lines drawn again at that size, not enlarged pixels); NULL when it is not shown. */
GdkTexture *scope_export_render_widget (GtkWidget *widget,
                                        int        scale);

/* Writes @capture (layer @layer's output) to @path in the layout 'vgg-scope-cli dump' writes:
 * float32 (1, C, H, W), or (1, C) for fully connected layers and the softmax. */
gboolean scope_export_npy (const ScopeCapture *capture,
                           const VggLayer     *layer,
                           const char         *path,
                           GError            **error);

/* @model's layer table as CSV (RFC 4180, a header line, one line per layer): name, kind,
 * block, input and output channels, height and width, parameters, multiply-accumulates,
 * receptive field size, jump and start. */
char   *scope_export_layer_table_csv (const VggModel *model);

G_END_DECLS
