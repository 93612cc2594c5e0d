/* scope-preprocess-job.h — every preset that fits a model, applied to one picture, off the
 * main thread: the steps, their pictures and the top-5 each would give
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "scope-model.h"
#include "scope-source.h"

G_BEGIN_DECLS

#define SCOPE_PREPROCESS_TOP_K 5

/* One RGB8 picture, tightly packed. */
typedef struct
{
  GBytes *pixels;
  int     width, height;
} ScopePixels;

typedef struct
{
  VggPreprocessSteps steps;
  ScopePixels        resized;      /* the whole picture resized (reduced to fit 512 pixels) */
  ScopePixels        seen;         /* what the network sees, before the normalisation */
  ScopePixels        planes[3];    /* each input channel, its range stretched to grey */
  float              plane_min[3], plane_max[3];
  guint8             centre[3];    /* the centre pixel of @seen, in RGB */
  float              centre_input[3]; /* the input tensor there, channel by channel */
  int                k;            /* classes below (0 without a classifier) */
  int                classes[SCOPE_PREPROCESS_TOP_K];
  float              probabilities[SCOPE_PREPROCESS_TOP_K];
} ScopePresetOutcome;

typedef struct
{
  int                n_presets;    /* the presets that fit the model's input */
  ScopePresetOutcome presets[VGG_PRESET_N_PRESETS];
} ScopePreprocessOutcome;

void                    scope_preprocess_outcome_free (ScopePreprocessOutcome *outcome);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScopePreprocessOutcome, scope_preprocess_outcome_free)

/* Whether @preset can feed @model's input (its channels and size). */
gboolean                scope_preset_fits_model       (VggPreset       preset,
                                                       const VggModel *model);

void                    scope_preprocess_job_run_async  (ScopeModel          *model,
                                                         ScopeSource         *source,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
ScopePreprocessOutcome *scope_preprocess_job_run_finish (GAsyncResult        *result,
                                                         GError             **error);

G_END_DECLS
