/* scope-dataset-room.h — the images of a data set that excite the selected channel most
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The "Data set" room: a folder of pictures or an IDX file (for a Fashion-MNIST model, the
 * test set Debian installs is offered) is scanned once in the background (progress, images
 * per second, time left, cancel, resume); then, for the layer selected in the workspace and
 * the channel in the view state, the k images whose largest unit of that channel is largest,
 * cut to that unit's receptive field (or whole, outlined), with their values. Activating an
 * image opens it as the current picture. A scan starts when a data set is chosen or the room
 * is shown with one; a new model cancels it.
 */
#pragma once

#include <gtk/gtk.h>

#include "scope-dataset-scan.h"
#include "scope-view-state.h"
#include "scope-workspace.h"

G_BEGIN_DECLS

#define SCOPE_TYPE_DATASET_ROOM (scope_dataset_room_get_type ())

/* Where Debian's dataset-fashion-mnist puts the IDX files. */
#define SCOPE_FASHION_MNIST_DIR "/usr/share/datasets/fashion-mnist"

G_DECLARE_FINAL_TYPE (ScopeDatasetRoom, scope_dataset_room, SCOPE, DATASET_ROOM, GtkBox)

void              scope_dataset_room_set_workspace  (ScopeDatasetRoom *self,
                                                     ScopeWorkspace   *workspace);
void              scope_dataset_room_set_view_state (ScopeDatasetRoom *self,
                                                     ScopeViewState   *view_state);
/* Shown or not: a data set chosen earlier is scanned when the room is first shown. */
void              scope_dataset_room_set_active     (ScopeDatasetRoom *self,
                                                     gboolean          active);
/* Chooses the data set at @path and starts scanning it if the room is shown. */
void              scope_dataset_room_set_path       (ScopeDatasetRoom *self,
                                                     const char       *path);
const char       *scope_dataset_room_get_path       (ScopeDatasetRoom *self);

/* For tests: the scan (NULL before one), the tiles' buttons in the grid, cancelling. */
ScopeDatasetScan *scope_dataset_room_get_scan       (ScopeDatasetRoom *self);
GtkFlowBox       *scope_dataset_room_get_flow_box   (ScopeDatasetRoom *self);
GtkProgressBar   *scope_dataset_room_get_progress_bar (ScopeDatasetRoom *self);
guint             scope_dataset_room_get_n_tiles    (ScopeDatasetRoom *self);
void              scope_dataset_room_cancel         (ScopeDatasetRoom *self);

G_END_DECLS
