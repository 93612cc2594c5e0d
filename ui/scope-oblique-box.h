/* scope-oblique-box.h — a box drawn in oblique projection, as in the classic VGG figure
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Widget coordinates: the front face's top-left corner at (x, y), @depth receding to the
 * right and up at 45°. */
typedef struct
{
  float x;
  float y;
  float width;
  float height;
  float depth;
} ScopeObliqueBox;

/* The front face in @front, the top lighter, the side darker. */
void scope_oblique_box_fill    (GtkSnapshot           *snapshot,
                                const ScopeObliqueBox *box,
                                const GdkRGBA         *front);
/* The visible edges. */
void scope_oblique_box_outline (GtkSnapshot           *snapshot,
                                const ScopeObliqueBox *box,
                                const GdkRGBA         *color,
                                float                  line_width);

/* Fills the part of the side face (which stands for the layer's maps: rows down, columns into
 * the depth) from @row_0 to @row_1 and @column_0 to @column_1, as fractions in [0, 1]. */
void scope_oblique_box_mark_side (GtkSnapshot           *snapshot,
                                  const ScopeObliqueBox *box,
                                  double                 row_0,
                                  double                 row_1,
                                  double                 column_0,
                                  double                 column_1,
                                  const GdkRGBA         *color);

G_END_DECLS
