/* scope-camera-list.c — the cameras there are: GStreamer's device monitor and the portal
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <libportal/portal.h>

#include "scope-camera-list.h"
#include "scope-video-error.h"

struct _ScopeCameraList
{
  GObject           parent_instance;

  /* owned */
  GstDeviceMonitor *monitor;
  GListStore       *devices;
  XdpPortal        *portal;      /* only with a session bus */

  /* plain state */
  guint             bus_watch;
  gboolean          portal_camera;
};

enum {
  PROP_0,
  PROP_PORTAL_CAMERA,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (ScopeCameraList, scope_camera_list, G_TYPE_OBJECT)

static gboolean
find_device (ScopeCameraList *self,
             GstDevice       *device,
             guint           *position)
{
  return g_list_store_find (self->devices, device, position);
}

static gboolean
on_monitor_message (GstBus     *bus,
                    GstMessage *message,
                    gpointer    user_data)
{
  ScopeCameraList *self = user_data;
  g_autoptr(GstDevice) device = NULL;
  guint position;

  switch (GST_MESSAGE_TYPE (message))
    {
    case GST_MESSAGE_DEVICE_ADDED:
      gst_message_parse_device_added (message, &device);
      if (!find_device (self, device, &position))
        g_list_store_append (self->devices, device);
      break;
    case GST_MESSAGE_DEVICE_REMOVED:
      gst_message_parse_device_removed (message, &device);
      if (find_device (self, device, &position))
        g_list_store_remove (self->devices, position);
      break;
    default:
      break;
    }
  return G_SOURCE_CONTINUE;
}

#define PORTAL_NAME "org.freedesktop.portal.Desktop"

/* Whether the desktop portal runs or can be started on @bus (libportal only warns when it
 * is missing, and a warning is a failure under G_DEBUG=fatal-warnings). */
static gboolean
portal_available (GDBusConnection *bus)
{
  g_autoptr(GVariant) owned = NULL;
  g_autoptr(GVariant) names = NULL;
  g_autofree const char **list = NULL;

  owned = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", PORTAL_NAME), G_VARIANT_TYPE ("(b)"),
                                       G_DBUS_CALL_FLAGS_NONE, 1000, NULL, NULL);
  if (owned != NULL)
    {
      gboolean has_owner = FALSE;

      g_variant_get (owned, "(b)", &has_owner);
      if (has_owner)
        return TRUE;
    }
  names = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "ListActivatableNames", NULL,
                                       G_VARIANT_TYPE ("(as)"), G_DBUS_CALL_FLAGS_NONE, 1000,
                                       NULL, NULL);
  if (names == NULL)
    return FALSE;
  {
    g_autoptr(GVariant) array = g_variant_get_child_value (names, 0);

    list = g_variant_get_strv (array, NULL);
    return g_strv_contains (list, PORTAL_NAME);
  }
}

/* The portal only with a session bus: libportal 0.6 aborts without one. */
static void
probe_portal (ScopeCameraList *self)
{
  g_autoptr(GDBusConnection) bus = NULL;

  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    return;
  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  if (bus == NULL || !portal_available (bus))
    return;
  self->portal = xdp_portal_new ();
  if (self->portal != NULL)
    self->portal_camera = xdp_portal_is_camera_present (self->portal);
}

static void
on_access_camera (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  int fd;

  if (!xdp_portal_access_camera_finish (XDP_PORTAL (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_clear_error (&error);
          g_set_error (&error, SCOPE_VIDEO_ERROR, SCOPE_VIDEO_ERROR_PERMISSION,
                       _("The camera may not be used: permission denied"));
        }
      g_task_return_error (task, error);
      return;
    }
  fd = xdp_portal_open_pipewire_remote_for_camera (XDP_PORTAL (object));
  if (fd < 0)
    g_task_return_new_error (task, SCOPE_VIDEO_ERROR, SCOPE_VIDEO_ERROR_NO_CAMERA,
                             _("The camera portal gave no camera"));
  else
    g_task_return_int (task, fd);
}

void
scope_camera_list_open_portal_async (ScopeCameraList    *self,
                                     GCancellable       *cancellable,
                                     GAsyncReadyCallback callback,
                                     gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (SCOPE_IS_CAMERA_LIST (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, scope_camera_list_open_portal_async);
  if (self->portal == NULL)
    {
      g_task_return_new_error (task, SCOPE_VIDEO_ERROR, SCOPE_VIDEO_ERROR_NO_CAMERA,
                               _("The desktop offers no camera portal"));
      return;
    }
  xdp_portal_access_camera (self->portal, NULL, XDP_CAMERA_FLAG_NONE, cancellable,
                            on_access_camera, g_steal_pointer (&task));
}

int
scope_camera_list_open_portal_finish (ScopeCameraList  *self,
                                      GAsyncResult     *result,
                                      GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), -1);

  return (int) g_task_propagate_int (G_TASK (result), error);
}

GListModel *
scope_camera_list_get_devices (ScopeCameraList *self)
{
  g_return_val_if_fail (SCOPE_IS_CAMERA_LIST (self), NULL);
  return G_LIST_MODEL (self->devices);
}

gboolean
scope_camera_list_get_portal_camera (ScopeCameraList *self)
{
  g_return_val_if_fail (SCOPE_IS_CAMERA_LIST (self), FALSE);
  return self->portal_camera;
}

static void
scope_camera_list_dispose (GObject *object)
{
  ScopeCameraList *self = SCOPE_CAMERA_LIST (object);

  if (self->monitor != NULL)
    {
      g_autoptr(GstBus) bus = gst_device_monitor_get_bus (self->monitor);

      if (self->bus_watch != 0)
        gst_bus_remove_watch (bus);
      self->bus_watch = 0;
      gst_device_monitor_stop (self->monitor);
    }
  gst_clear_object (&self->monitor);
  g_clear_object (&self->devices);
  g_clear_object (&self->portal);

  G_OBJECT_CLASS (scope_camera_list_parent_class)->dispose (object);
}

static void
scope_camera_list_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  ScopeCameraList *self = SCOPE_CAMERA_LIST (object);

  switch (prop_id)
    {
    case PROP_PORTAL_CAMERA:
      g_value_set_boolean (value, self->portal_camera);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
scope_camera_list_class_init (ScopeCameraListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = scope_camera_list_dispose;
  object_class->get_property = scope_camera_list_get_property;

  properties[PROP_PORTAL_CAMERA] =
    g_param_spec_boolean ("portal-camera", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
scope_camera_list_init (ScopeCameraList *self)
{
  g_autoptr(GstCaps) caps = NULL;
  g_autoptr(GstBus) bus = NULL;
  GList *found;

  if (!gst_is_initialized ())
    gst_init (NULL, NULL);
  self->devices = g_list_store_new (GST_TYPE_DEVICE);
  self->monitor = gst_device_monitor_new ();
  caps = gst_caps_new_empty_simple ("video/x-raw");
  gst_device_monitor_add_filter (self->monitor, "Video/Source", caps);
  bus = gst_device_monitor_get_bus (self->monitor);
  self->bus_watch = gst_bus_add_watch (bus, on_monitor_message, self);
  gst_device_monitor_start (self->monitor);
  found = gst_device_monitor_get_devices (self->monitor);
  for (GList *l = found; l != NULL; l = l->next)
    g_list_store_append (self->devices, l->data);
  g_list_free_full (found, gst_object_unref);
  probe_portal (self);
}

ScopeCameraList *
scope_camera_list_new (void)
{
  return g_object_new (SCOPE_TYPE_CAMERA_LIST, NULL);
}
