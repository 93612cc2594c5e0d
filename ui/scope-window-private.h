/* scope-window-private.h — the window's parts, for its own files and for tests and tools
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * scope-window.c builds the window and keeps it in step with its workspace;
 * scope-window-actions.c holds every action, its shortcut and when it is enabled;
 * scope-window-dnd.c turns drops, pastes and the Open dialog into pictures.
 */
#pragma once

#include "scope-arch-diagram.h"
#include "scope-compare-panel.h"
#include "scope-dataset-room.h"
#include "scope-explain-panel.h"
#include "scope-input-panel.h"
#include "scope-layer-list.h"
#include "scope-learn-room.h"
#include "scope-live-panel.h"
#include "scope-maps-panel.h"
#include "scope-model-menu.h"
#include "scope-picture-list.h"
#include "scope-picture-strip.h"
#include "scope-sample-gallery.h"
#include "scope-view-state.h"
#include "scope-window.h"

G_BEGIN_DECLS

struct _ScopeWindow
{
  AdwApplicationWindow  parent_instance;

  /* template children */
  AdwToastOverlay      *toast_overlay;
  GtkWidget            *drop_highlight;
  AdwWindowTitle       *window_title;
  GtkWidget            *sidebar_button;
  GtkMenuButton        *primary_menu_button;
  ScopeModelMenu       *model_menu;
  GtkProgressBar       *progress_bar;
  GtkStack             *main_stack;
  ScopeSampleGallery   *sample_gallery;
  GMenu                *samples_menu;
  AdwFlap              *flap;
  ScopeLayerList       *layer_list;
  GtkLabel             *model_summary_label;
  ScopeArchDiagram     *arch_diagram;
  ScopeInputPanel      *input_panel;
  ScopeMapsPanel       *maps_panel;
  ScopePictureStrip    *picture_strip;
  AdwViewStack         *view_stack;
  ScopeExplainPanel    *explain_panel;
  ScopeLearnRoom       *learn_room;
  ScopeLivePanel       *live_panel;
  ScopeComparePanel    *compare_panel;
  ScopeDatasetRoom     *dataset_room;

  /* owned */
  ScopeWorkspace       *workspace;
  ScopeViewState       *view_state;
  ScopePictureList     *pictures;       /* the files opened together, one shown at a time */
  GSettings            *settings;
  ScopeModelStore      *store;          /* until the workspace is made */
  char                 *last_toast;

  /* borrowed */
  ScopeWeightsDialog   *weights_dialog; /* weak: open while not NULL */

  /* plain state */
  gboolean              disposed;       /* late callbacks (paste, dialogs) do nothing */
  guint                 progress_delay; /* until a starting picture shows its progress */
  gboolean              progress_due;   /* the starting picture's progress is shown */
};

/* scope-window-actions.c */
void              _scope_window_class_actions_init (GtkWidgetClass *widget_class);
void              _scope_window_actions_init       (ScopeWindow    *self);
/* Enables and disables the actions for what the window holds now. */
void              _scope_window_actions_update     (ScopeWindow    *self);

/* scope-window-dnd.c */
void              _scope_window_dnd_init           (ScopeWindow    *self);
void              _scope_window_open_dialog        (ScopeWindow    *self);
void              _scope_window_paste              (ScopeWindow    *self);

/* For tests and tools. */
const char       *scope_window_get_last_toast      (ScopeWindow    *self);
char            **scope_window_dup_sample_paths    (ScopeWindow    *self);
ScopeViewState   *scope_window_get_view_state      (ScopeWindow    *self);
ScopePictureList *scope_window_get_pictures        (ScopeWindow    *self);
ScopePictureStrip *scope_window_get_picture_strip  (ScopeWindow    *self);
ScopeFeatureGrid *scope_window_get_feature_grid    (ScopeWindow    *self);
ScopeChannelView *scope_window_get_channel_view    (ScopeWindow    *self);
ScopeImageView   *scope_window_get_image_view      (ScopeWindow    *self);
ScopeLayerList   *scope_window_get_layer_list      (ScopeWindow    *self);
ScopeProbChart   *scope_window_get_prob_chart      (ScopeWindow    *self);
ScopeSampleGallery *scope_window_get_sample_gallery (ScopeWindow   *self);
ScopeExplainPanel *scope_window_get_explain_panel  (ScopeWindow    *self);
ScopeComparePanel *scope_window_get_compare_panel  (ScopeWindow    *self);
ScopeDatasetRoom *scope_window_get_dataset_room    (ScopeWindow    *self);
GtkWidget        *scope_window_get_arch_diagram    (ScopeWindow    *self);
ScopeLearnRoom   *scope_window_get_learn_room      (ScopeWindow    *self);

G_END_DECLS
