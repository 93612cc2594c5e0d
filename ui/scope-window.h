/* scope-window.h — the main window: one picture, one model, and everything the network does
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window owns the current source picture, the current model and the displayed result.
 * Opening a picture (drop, paste, dialog, command line) starts an inference job and cancels
 * the previous one; the new result is shown once its picture has decoded, so a broken file
 * leaves the last good one on screen and says why in a toast.
 */
#pragma once

#include <adwaita.h>

#include "scope-channel-view.h"
#include "scope-feature-grid.h"
#include "scope-image-view.h"
#include "scope-layer-list.h"
#include "scope-model-store.h"
#include "scope-model.h"
#include "scope-prob-chart.h"
#include "scope-result.h"
#include "scope-source.h"
#include "scope-weights-dialog.h"

G_BEGIN_DECLS

#define SCOPE_TYPE_WINDOW (scope_window_get_type ())

G_DECLARE_FINAL_TYPE (ScopeWindow, scope_window, SCOPE, WINDOW, AdwApplicationWindow)

/* @application is nullable (tests). @store is shared between windows (nullable: the window
 * makes its own). */
ScopeWindow      *scope_window_new                (GtkApplication  *application,
                                                   ScopeModelStore *store);

void              scope_window_open_file          (ScopeWindow  *self,
                                                   GFile        *file);
void              scope_window_open_source        (ScopeWindow  *self,
                                                   ScopeSource  *source);
/* What a drop does with @value (a GdkFileList, GFile, GdkTexture or a URI string). Returns
 * FALSE if the value holds nothing the window can open. */
gboolean          scope_window_open_value         (ScopeWindow  *self,
                                                   const GValue *value);

/* Uses @model from now on (and re-runs the current picture). */
void              scope_window_set_model          (ScopeWindow  *self,
                                                   ScopeModel   *model);
ScopeModel       *scope_window_get_model          (ScopeWindow  *self);
/* The result on screen, or NULL. */
ScopeResult      *scope_window_get_result         (ScopeWindow  *self);
/* The result being prepared (its picture not decoded yet), or NULL. */
ScopeResult      *scope_window_get_pending_result (ScopeWindow  *self);

void              scope_window_set_selected_layer (ScopeWindow  *self,
                                                   int           index);
int               scope_window_get_selected_layer (ScopeWindow  *self);

/* Opens (or raises) the "Get ImageNet Weights" dialog, what win.get-weights does; borrowed. */
ScopeWeightsDialog *scope_window_show_weights_dialog (ScopeWindow *self);
/* Where the dialog downloads from: $VGG_SCOPE_MODEL_BASE_URL if set, else the model-base-url
 * setting if not empty, else torchvision's server. */
char             *scope_window_dup_model_base_url (ScopeWindow  *self);

/* The sample pictures offered (empty page and Samples menu), in order. */
char            **scope_window_dup_sample_paths   (ScopeWindow  *self);

void              scope_window_show_toast         (ScopeWindow  *self,
                                                   const char   *message);
/* The text of the last toast shown (tests). */
const char       *scope_window_get_last_toast     (ScopeWindow  *self);

/* The views, for tests and tools. */
ScopeFeatureGrid *scope_window_get_feature_grid   (ScopeWindow  *self);
ScopeChannelView *scope_window_get_channel_view   (ScopeWindow  *self);
ScopeImageView   *scope_window_get_image_view     (ScopeWindow  *self);
ScopeLayerList   *scope_window_get_layer_list     (ScopeWindow  *self);
ScopeProbChart   *scope_window_get_prob_chart     (ScopeWindow  *self);
GtkWidget        *scope_window_get_arch_diagram   (ScopeWindow  *self);

G_END_DECLS
