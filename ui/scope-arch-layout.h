/* scope-arch-layout.h — where each layer's box goes in the architecture diagram
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Plain geometry, no widget: convolutions are boxes as tall and deep as their maps (on a
 * compressed scale) and as wide as the log of their channel count; pools are thin slabs;
 * dense layers small columns. Blocks are spaced apart, layers within a block close.
 */
#pragma once

#include <graphene.h>
#include <glib.h>

#include "vgg.h"

G_BEGIN_DECLS

/* Between blocks, in unscaled diagram units. */
#define SCOPE_ARCH_BLOCK_SPACING 56.0f

typedef struct
{
  float           x;            /* front face, unscaled diagram coordinates */
  float           y;
  float           width;
  float           height;
  float           depth;        /* oblique offset: right and up */
  graphene_rect_t hit;          /* widget coordinates, from the last layout */
} ScopeArchBox;

/* One ScopeArchBox per layer of @model (NULL: none), standing on a common baseline; the
 * diagram's unscaled @width and @height, and the @baseline's y with the top at 0. */
GArray *scope_arch_layout_build (const VggModel *model,
                                 float          *width,
                                 float          *height,
                                 float          *baseline);

G_END_DECLS
