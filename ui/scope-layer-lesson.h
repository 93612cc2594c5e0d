/* scope-layer-lesson.h — the lesson of the selected layer, with the loaded model's numbers
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the layer's kind does; its input and output shapes; its parameter count and
 * multiply-adds as formulas with the numbers put in; how the receptive field grew and the
 * jump; and for a layer in a block of stacked 3×3 convolutions, what the stack saves (or
 * costs) against one large filter. The arithmetic is engine/lesson.c's (vgg-lesson.h).
 */
#pragma once

#include <gtk/gtk.h>

#include "scope-workspace.h"

G_BEGIN_DECLS

#define SCOPE_TYPE_LAYER_LESSON (scope_layer_lesson_get_type ())

G_DECLARE_FINAL_TYPE (ScopeLayerLesson, scope_layer_lesson, SCOPE, LAYER_LESSON, GtkWidget)

typedef enum
{
  SCOPE_LESSON_TITLE,
  SCOPE_LESSON_KIND,
  SCOPE_LESSON_SHAPES,
  SCOPE_LESSON_PARAMS,
  SCOPE_LESSON_MACS,
  SCOPE_LESSON_FIELD,
  SCOPE_LESSON_BLOCK,
  SCOPE_LESSON_N_PARTS
} ScopeLessonPart;

ScopeLayerLesson *scope_layer_lesson_new           (void);
void              scope_layer_lesson_set_workspace (ScopeLayerLesson *self,
                                                    ScopeWorkspace   *workspace);
/* The text shown for @part, without markup ("" when hidden); for tests. */
char             *scope_layer_lesson_dup_text      (ScopeLayerLesson *self,
                                                    ScopeLessonPart   part);

G_END_DECLS
