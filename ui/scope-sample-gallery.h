/* scope-sample-gallery.h — sample pictures that suit the model, as buttons with thumbnails
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For a model with the fashion-mnist preset, Fashion-MNIST test pictures in class order (when
 * they are installed); the photographs otherwise. Each button activates win.open-sample with
 * the picture's path; the same choices are offered as a menu. Thumbnails are decoded on a
 * worker thread and appear when ready.
 */
#pragma once

#include <gtk/gtk.h>

#include "scope-model.h"

G_BEGIN_DECLS

#define SCOPE_TYPE_SAMPLE_GALLERY (scope_sample_gallery_get_type ())

G_DECLARE_FINAL_TYPE (ScopeSampleGallery, scope_sample_gallery, SCOPE, SAMPLE_GALLERY, GtkBox)

/* Offers the samples that suit @model (NULL: keeps what is shown). */
void        scope_sample_gallery_set_model     (ScopeSampleGallery *self,
                                                ScopeModel         *model);
/* The same samples as menu items (for a "Samples" submenu). Borrowed. */
GMenuModel *scope_sample_gallery_get_menu      (ScopeSampleGallery *self);
/* The paths offered, in order. */
char      **scope_sample_gallery_dup_paths     (ScopeSampleGallery *self);
/* TRUE once every thumbnail has been decoded (or failed). */
gboolean    scope_sample_gallery_get_loaded    (ScopeSampleGallery *self);

G_END_DECLS
