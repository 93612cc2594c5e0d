/* scope-layer-item.h — one row of the layer table: a layer's description, formatted
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "vgg.h"

G_BEGIN_DECLS

#define SCOPE_TYPE_LAYER_ITEM (scope_layer_item_get_type ())

G_DECLARE_FINAL_TYPE (ScopeLayerItem, scope_layer_item, SCOPE, LAYER_ITEM, GObject)

ScopeLayerItem *scope_layer_item_new       (const VggLayer *layer);

int             scope_layer_item_get_index (ScopeLayerItem *self);
const char     *scope_layer_item_get_name  (ScopeLayerItem *self);
/* The layer's measured time on the current picture; < 0: unknown, 0: fused. */
void            scope_layer_item_set_seconds (ScopeLayerItem *self,
                                              double          seconds);
const char     *scope_layer_item_get_time  (ScopeLayerItem *self);

/* "138.4 M", "15.5 G", "1 792": a count shortened for a narrow column. */
char           *scope_format_count         (int64_t count);

G_END_DECLS
