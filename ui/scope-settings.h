/* scope-settings.h — the app's GSettings, also when running from the build tree
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Settings for the org.vggscope.VggScope schema: the installed one, or else the one compiled
 * in the build tree (so build/app/vgg-scope runs without GSETTINGS_SCHEMA_DIR). NULL, with
 * a warning, if neither exists. */
GSettings *scope_settings_new (void);

G_END_DECLS
