/* scope-model-entry.h — a model the user can pick: the built-in one or a weight file
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "vgg.h"

G_BEGIN_DECLS

#define SCOPE_TYPE_MODEL_ENTRY (scope_model_entry_get_type ())

/* The id of the built-in model's entry. */
#define SCOPE_MODEL_ENTRY_DEFAULT_ID "default"

G_DECLARE_FINAL_TYPE (ScopeModelEntry, scope_model_entry, SCOPE, MODEL_ENTRY, GObject)

/* @file NULL: the built-in model. */
ScopeModelEntry *scope_model_entry_new          (GFile           *file);

/* "default" or the file's URI: what the settings store. */
const char      *scope_model_entry_get_id       (ScopeModelEntry *self);
const char      *scope_model_entry_get_title    (ScopeModelEntry *self);
GFile           *scope_model_entry_get_file     (ScopeModelEntry *self);

/* What the model is, once it has been read: its name, a newline, then format, preset and
 * classes ("VGG16\nPyTorch .pth (legacy) · torchvision preprocessing · 1000 classes"); ""
 * while unknown. */
const char      *scope_model_entry_get_description (ScopeModelEntry *self);
/* Whether the description is known (the file was read once this session). */
gboolean         scope_model_entry_get_described   (ScopeModelEntry *self);
/* Whether reading it failed (the description says why). */
gboolean         scope_model_entry_get_broken      (ScopeModelEntry *self);
/* Describes the entry from @model (the network read from its file); main thread. */
void             scope_model_entry_describe        (ScopeModelEntry *self,
                                                    const VggModel  *model);
/* Sets the description from one made elsewhere (scope_model_describe() on a worker). */
void             scope_model_entry_set_description (ScopeModelEntry *self,
                                                    const char      *description);
/* The same when the file could not be read: @message says why. */
void             scope_model_entry_describe_error  (ScopeModelEntry *self,
                                                    const char      *message);

/* The description of @model alone (newly allocated). */
char            *scope_model_describe              (const VggModel  *model);

G_END_DECLS
