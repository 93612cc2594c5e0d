/* scope-engine-error.h — engine statuses as GErrors (the one place the UI converts them)
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "vgg.h"

G_BEGIN_DECLS

#define SCOPE_ENGINE_ERROR (scope_engine_error_quark ())

/* The codes are VggStatus values. */
GQuark   scope_engine_error_quark (void);

/* Sets @error from an engine failure. The engine's message names files by their path;
 * @path (nullable) is replaced by @display_name (nullable) so a toast reads
 * "broken.jpg: not a JPEG or PNG image". Always returns FALSE. */
gboolean scope_engine_error_set   (GError        **error,
                                   const VggError *engine_error,
                                   const char     *path,
                                   const char     *display_name);

G_END_DECLS
