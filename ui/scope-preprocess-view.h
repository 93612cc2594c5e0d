/* scope-preprocess-view.h — what the network is given: the preprocessing step by step
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For the current picture and each preset that fits the model's input: the original, the
 * resize, the crop, the channel order and the normalisation (the Fashion-MNIST preset: grey,
 * polarity, the object's box, fitting and centring), as pictures with their numbers; and
 * "what if": the top-5 under another preset beside the model's own. Computed off the main
 * thread (scope-preprocess-job.c), only while active.
 */
#pragma once

#include <gtk/gtk.h>

#include "scope-workspace.h"

G_BEGIN_DECLS

#define SCOPE_TYPE_PREPROCESS_VIEW (scope_preprocess_view_get_type ())

G_DECLARE_FINAL_TYPE (ScopePreprocessView, scope_preprocess_view, SCOPE, PREPROCESS_VIEW,
                      GtkWidget)

ScopePreprocessView *scope_preprocess_view_new           (void);
void                 scope_preprocess_view_set_workspace (ScopePreprocessView *self,
                                                          ScopeWorkspace      *workspace);
void                 scope_preprocess_view_set_active    (ScopePreprocessView *self,
                                                          gboolean             active);

/* For tests: whether the steps of the current picture are shown; the presets offered; the
 * one shown; the steps' captions (title and numbers); the what-if columns' text. */
gboolean             scope_preprocess_view_get_ready     (ScopePreprocessView *self);
guint                scope_preprocess_view_get_n_presets (ScopePreprocessView *self);
void                 scope_preprocess_view_set_preset    (ScopePreprocessView *self,
                                                          guint                position);
guint                scope_preprocess_view_get_n_steps   (ScopePreprocessView *self);
char                *scope_preprocess_view_dup_step_text (ScopePreprocessView *self,
                                                          guint                step);
char                *scope_preprocess_view_dup_what_if   (ScopePreprocessView *self,
                                                          guint                column);

G_END_DECLS
