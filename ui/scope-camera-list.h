/* scope-camera-list.h — the cameras there are: GStreamer's device monitor and the portal
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The device monitor's video sources (V4L2, and PipeWire's where its provider runs) as a
 * GListModel of GstDevice that follows hot-plugging. Where a session bus exists, the XDG
 * camera portal is asked too (libportal: xdp_portal_new() must not run without a bus); when it
 * has a camera, "portal-camera" is TRUE and scope_camera_list_open_portal_async() asks the
 * user's permission and returns a PipeWire remote for pipewiresrc.
 */
#pragma once

#include <gio/gio.h>
#include <gst/gst.h>

G_BEGIN_DECLS

#define SCOPE_TYPE_CAMERA_LIST (scope_camera_list_get_type ())

G_DECLARE_FINAL_TYPE (ScopeCameraList, scope_camera_list, SCOPE, CAMERA_LIST, GObject)

ScopeCameraList *scope_camera_list_new                (void);
/* GstDevice items; changes as cameras come and go. */
GListModel      *scope_camera_list_get_devices        (ScopeCameraList *self);
gboolean         scope_camera_list_get_portal_camera  (ScopeCameraList *self);

void             scope_camera_list_open_portal_async  (ScopeCameraList    *self,
                                                       GCancellable       *cancellable,
                                                       GAsyncReadyCallback callback,
                                                       gpointer            user_data);
/* The PipeWire remote's file descriptor (the caller owns it), or -1 with @error (permission
 * denied, no portal). */
int              scope_camera_list_open_portal_finish (ScopeCameraList  *self,
                                                       GAsyncResult     *result,
                                                       GError          **error);

G_END_DECLS
