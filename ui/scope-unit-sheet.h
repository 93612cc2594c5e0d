/* scope-unit-sheet.h — one unit's breakdown laid out as number grids, lines and bars
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * No widget of its own: it fills the containers of ScopeUnitPanel's template. Value labels
 * carry widget names so tests and tools can find them: "term-value-N" (the N-th strongest
 * contribution), "rest-value", "sum-value", "bias-value", "pre-value", "post-value",
 * "exact-value", "exact-difference", "fast-value", "fast-difference"; the note is "note-label".
 * Numbers are printed
 * with seven significant digits (scope_unit_sheet_number()).
 */
#pragma once

#include <gtk/gtk.h>

#include "vgg-unit.h"

G_BEGIN_DECLS

typedef struct
{
  GtkLabel   *title_label;
  GtkLabel   *subtitle_label;
  GtkFlowBox *windows_box;    /* convolution and pool: the windows as number grids */
  GtkLabel   *terms_heading;
  GtkGrid    *terms_grid;     /* the contributions, strongest first, with bars */
  GtkGrid    *sum_grid;       /* sum, bias, before and after ReLU */
  GtkLabel   *note_label;     /* the batch-norm fold, the pool's ties, the stable softmax */
  GtkGrid    *engine_grid;    /* the engine's exact and fast values */
} ScopeUnitSheet;

/* @value as the sheet prints it: "%.7g", enough to redo the sums on paper. */
char *scope_unit_sheet_number (double value);

void  scope_unit_sheet_clear  (const ScopeUnitSheet   *sheet);
/* Fills @sheet with @breakdown, a unit of @model. */
void  scope_unit_sheet_show   (const ScopeUnitSheet   *sheet,
                               const VggUnitBreakdown *breakdown,
                               const VggModel         *model);

G_END_DECLS
