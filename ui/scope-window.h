/* scope-window.h — the main window: one workspace and the panels that show it
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window holds a ScopeWorkspace (picture, model, running job, result) and lays out its
 * rooms: the header with the model menu, the empty page with the sample gallery, and the
 * explorer (layer table, architecture diagram, input panel, maps panel). What goes wrong is
 * shown as a toast.
 */
#pragma once

#include <adwaita.h>

#include "scope-model-store.h"
#include "scope-weights-dialog.h"
#include "scope-workspace.h"

G_BEGIN_DECLS

#define SCOPE_TYPE_WINDOW (scope_window_get_type ())

G_DECLARE_FINAL_TYPE (ScopeWindow, scope_window, SCOPE, WINDOW, AdwApplicationWindow)

/* @application is nullable (tests). @store is shared between windows (nullable: the window
 * makes its own). */
ScopeWindow        *scope_window_new                 (GtkApplication  *application,
                                                      ScopeModelStore *store);
ScopeWorkspace     *scope_window_get_workspace       (ScopeWindow     *self);

void                scope_window_open_file           (ScopeWindow     *self,
                                                      GFile           *file);
/* Opens the first of @n_files files and keeps them all in the window's picture strip, to step
 * through with Alt+Left and Alt+Right (one file: as scope_window_open_file()). */
void                scope_window_open_files          (ScopeWindow     *self,
                                                      GFile          **files,
                                                      guint            n_files);
/* What a drop does with @value (a GdkFileList, GFile, GdkTexture or a URI string; several
 * files go to the picture strip). Returns
 * FALSE if the value holds nothing the window can open. */
gboolean            scope_window_open_value          (ScopeWindow     *self,
                                                      const GValue    *value);

/* Opens (or raises) the "Get ImageNet Weights" dialog, what win.get-weights does; borrowed. */
ScopeWeightsDialog *scope_window_show_weights_dialog (ScopeWindow     *self);
/* Where the dialog downloads from: $VGG_SCOPE_MODEL_BASE_URL if set, else the model-base-url
 * setting if not empty, else torchvision's server. */
char               *scope_window_dup_model_base_url  (ScopeWindow     *self);

void                scope_window_show_toast          (ScopeWindow     *self,
                                                      const char      *message);

G_END_DECLS
