/* scope-application.h — the application: windows, app-wide actions, the shared model store
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define SCOPE_TYPE_APPLICATION (scope_application_get_type ())

G_DECLARE_FINAL_TYPE (ScopeApplication, scope_application, SCOPE, APPLICATION, AdwApplication)

ScopeApplication *scope_application_new (void);

G_END_DECLS
