/* scope-prediction-row.h — one row of the probability chart: a class, its percentage, a bar
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The class name and the percentage are labels, so what is drawn is also what a screen
 * reader (and a test) reads; the row's accessible name says both ("Ankle boot: 99.2 %").
 * The bar under them is drawn by the row.
 */
#pragma once

#include <gtk/gtk.h>

#include "scope-prediction.h"

G_BEGIN_DECLS

#define SCOPE_TYPE_PREDICTION_ROW (scope_prediction_row_get_type ())

G_DECLARE_FINAL_TYPE (ScopePredictionRow, scope_prediction_row, SCOPE, PREDICTION_ROW, GtkWidget)

/* @top: the first row, drawn emphasised (bold text, the full accent colour). */
GtkWidget       *scope_prediction_row_new            (ScopePrediction *prediction,
                                                      gboolean         top);

ScopePrediction *scope_prediction_row_get_prediction (ScopePredictionRow *self);

/* What the row shows for @probability: "99.2 %", or "< 0.1 %" under a thousandth; free with
 * g_free. */
char            *scope_prediction_row_format_percent (double probability);

G_END_DECLS
