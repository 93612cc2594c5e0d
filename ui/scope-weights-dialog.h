/* scope-weights-dialog.h — the "Get ImageNet Weights" dialog: pick a VGG, download it, use it
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Lists torchvision's published VGG files (scope-model-catalog.h) with their size and
 * ImageNet accuracy, and downloads the chosen one with a ScopeModelDownloader: progress
 * (bytes, rate, time left), Cancel, resuming an earlier partial download, and verification
 * before the file is moved into the models folder. Failures are explained in the dialog.
 * When a file is in place the dialog emits "downloaded" with it; the window adds it to the
 * model store and makes it the active model. Closing the dialog cancels a download (the
 * partial file stays, so the next attempt resumes).
 */
#pragma once

#include <adwaita.h>

#include "scope-enums.h"
#include "scope-model-catalog.h"
#include "scope-model-downloader.h"

G_BEGIN_DECLS

#define SCOPE_TYPE_WEIGHTS_DIALOG (scope_weights_dialog_get_type ())

G_DECLARE_FINAL_TYPE (ScopeWeightsDialog, scope_weights_dialog, SCOPE, WEIGHTS_DIALOG,
                      AdwWindow)

/* Files come from @base_url (NULL or empty: scope_model_paths_dup_base_url (NULL), the
 * environment or torchvision's server) into @directory (NULL: the user's models folder). */
ScopeWeightsDialog *scope_weights_dialog_new            (GtkWindow          *parent,
                                                         const char         *base_url,
                                                         const char         *directory);

/* Replaces the list of files offered (tests serve their own); @models must outlive the
 * dialog. */
void                scope_weights_dialog_set_catalog    (ScopeWeightsDialog   *self,
                                                         const ScopeModelInfo *models,
                                                         gsize                 n_models);

/* The catalogue entry chosen ("vgg16"); select by name. */
const char         *scope_weights_dialog_get_selected   (ScopeWeightsDialog *self);
void                scope_weights_dialog_set_selected   (ScopeWeightsDialog *self,
                                                         const char         *name);

/* What the Download and Cancel buttons do (actions "weights.download", "weights.cancel"). */
void                scope_weights_dialog_download       (ScopeWeightsDialog *self);
void                scope_weights_dialog_cancel         (ScopeWeightsDialog *self);

ScopeWeightsState   scope_weights_dialog_get_state      (ScopeWeightsDialog *self);
/* The last failure (state FAILED), or NULL. Borrowed. */
const GError       *scope_weights_dialog_get_error      (ScopeWeightsDialog *self);
/* The downloader of the current or last download, or NULL. Borrowed. */
ScopeModelDownloader *scope_weights_dialog_get_downloader (ScopeWeightsDialog *self);
/* The message the dialog shows about the last download ("" when none). */
const char         *scope_weights_dialog_get_message    (ScopeWeightsDialog *self);

G_END_DECLS
