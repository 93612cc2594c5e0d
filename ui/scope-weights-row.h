/* scope-weights-row.h — one network in the "Get ImageNet Weights" list
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An AdwActionRow for one catalogue entry: a radio button to choose it, its name, ImageNet
 * accuracy and download size, and a tag saying whether the file is already in the models
 * folder ("Downloaded") or was partly downloaded before. The dialog groups the radio buttons
 * and tells each row what the folder holds; the row says when it is chosen (notify::active).
 */
#pragma once

#include <adwaita.h>

#include "scope-model-catalog.h"
#include "scope-model-paths.h"

G_BEGIN_DECLS

#define SCOPE_TYPE_WEIGHTS_ROW (scope_weights_row_get_type ())

G_DECLARE_FINAL_TYPE (ScopeWeightsRow, scope_weights_row, SCOPE, WEIGHTS_ROW, AdwActionRow)

/* A row for @info, which must outlive it. */
ScopeWeightsRow      *scope_weights_row_new            (const ScopeModelInfo *info);

const ScopeModelInfo *scope_weights_row_get_info       (ScopeWeightsRow      *self);

/* Makes @self's radio button one of @group's (NULL: a group of its own). */
void                  scope_weights_row_set_group      (ScopeWeightsRow      *self,
                                                        ScopeWeightsRow      *group);

/* Whether this network is the one chosen. */
gboolean              scope_weights_row_get_active     (ScopeWeightsRow      *self);
void                  scope_weights_row_set_active     (ScopeWeightsRow      *self,
                                                        gboolean              active);

/* What the models folder holds of the file: the tag beside the name. */
void                  scope_weights_row_set_file_state (ScopeWeightsRow      *self,
                                                        ScopeModelFileState   state);

G_END_DECLS
