/* scope-prediction.h — one row of the top-k prediction: a class and its probability
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define SCOPE_TYPE_PREDICTION (scope_prediction_get_type ())

G_DECLARE_FINAL_TYPE (ScopePrediction, scope_prediction, SCOPE, PREDICTION, GObject)

ScopePrediction *scope_prediction_new               (int         rank,
                                                     int         class_index,
                                                     const char *label,
                                                     double      probability);

int              scope_prediction_get_rank          (ScopePrediction *self);
int              scope_prediction_get_class_index   (ScopePrediction *self);
const char      *scope_prediction_get_label         (ScopePrediction *self);
double           scope_prediction_get_probability   (ScopePrediction *self);

G_END_DECLS
