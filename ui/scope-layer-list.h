/* scope-layer-list.h — the table of layers: name, output shape, parameters, MACs, receptive field
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "scope-model.h"
#include "scope-result.h"

G_BEGIN_DECLS

#define SCOPE_TYPE_LAYER_LIST (scope_layer_list_get_type ())

G_DECLARE_FINAL_TYPE (ScopeLayerList, scope_layer_list, SCOPE, LAYER_LIST, GtkWidget)

GtkWidget  *scope_layer_list_new                (void);

void        scope_layer_list_set_model          (ScopeLayerList *self,
                                                 ScopeModel     *model);
ScopeModel *scope_layer_list_get_model          (ScopeLayerList *self);
void        scope_layer_list_set_selected_layer (ScopeLayerList *self,
                                                 int             index);
int         scope_layer_list_get_selected_layer (ScopeLayerList *self);
/* The rows (ScopeLayerItem), one per layer of the model. */
GListModel *scope_layer_list_get_items          (ScopeLayerList *self);
/* Shows the times measured on @result's picture (when it ran on the model shown). */
void        scope_layer_list_set_result         (ScopeLayerList *self,
                                                 ScopeResult    *result);

G_END_DECLS
