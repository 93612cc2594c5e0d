/* scope-arch-diagram.h — the network as a row of blocks, in the style of the classic VGG figure
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every layer is a box: its height and depth show the feature map's size, its width the number
 * of channels. Layers a run has finished are coloured, the running one is marked, the selected
 * one outlined. Clicking a box (or Left/Right) selects a layer.
 */
#pragma once

#include <gtk/gtk.h>

#include "scope-model.h"
#include "scope-result.h"

G_BEGIN_DECLS

#define SCOPE_TYPE_ARCH_DIAGRAM (scope_arch_diagram_get_type ())

G_DECLARE_FINAL_TYPE (ScopeArchDiagram, scope_arch_diagram, SCOPE, ARCH_DIAGRAM, GtkWidget)

GtkWidget   *scope_arch_diagram_new                (void);

void         scope_arch_diagram_set_model          (ScopeArchDiagram *self,
                                                    ScopeModel       *model);
ScopeModel  *scope_arch_diagram_get_model          (ScopeArchDiagram *self);
/* The run whose progress is shown (nullable). */
void         scope_arch_diagram_set_result         (ScopeArchDiagram *self,
                                                    ScopeResult      *result);
ScopeResult *scope_arch_diagram_get_result         (ScopeArchDiagram *self);
void         scope_arch_diagram_set_selected_layer (ScopeArchDiagram *self,
                                                    int               index);
int          scope_arch_diagram_get_selected_layer (ScopeArchDiagram *self);
/* The layer drawn at (@x, @y), or -1. */
int          scope_arch_diagram_layer_at           (ScopeArchDiagram *self,
                                                    double            x,
                                                    double            y);

/* Marks, on every convolution and pool, the units that see input pixel (@y, @x); -1 for none. */
void              scope_arch_diagram_set_pixel          (ScopeArchDiagram *self,
                                                         int               y,
                                                         int               x);

G_END_DECLS
