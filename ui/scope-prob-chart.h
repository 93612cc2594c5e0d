/* scope-prob-chart.h — the top classes as horizontal probability bars
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define SCOPE_TYPE_PROB_CHART (scope_prob_chart_get_type ())

G_DECLARE_FINAL_TYPE (ScopeProbChart, scope_prob_chart, SCOPE, PROB_CHART, GtkWidget)

GtkWidget  *scope_prob_chart_new       (void);

/* A GListModel of ScopePrediction, drawn in its order. NULL clears. */
void        scope_prob_chart_set_model (ScopeProbChart *self,
                                        GListModel     *model);
GListModel *scope_prob_chart_get_model (ScopeProbChart *self);

G_END_DECLS
