/* test-http-server.h — a small HTTP/1.1 server on 127.0.0.1 for the download tests
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A GThreadedSocketService: one request per connection, GET only, Range support, 404 for
 * paths it does not serve. It can cut a whole-file response short (a broken connection),
 * stall in the middle of one until released (for cancelling), or announce a file larger than
 * any disk (for "disk full"). Nothing leaves the machine.
 */
#pragma once

#include <gio/gio.h>

typedef struct
{
  GSocketService *service;
  guint16         port;

  GMutex          lock;
  GCond           released_cond;
  GHashTable     *files;          /* request path → GBytes */
  gsize           cut_after;      /* > 0: the next whole-file response stops after this many */
  guint64         claim_length;   /* > 0: whole-file responses announce this size, send nothing */
  gsize           stall_after;    /* > 0: responses pause after this many bytes … */
  gboolean        released;       /* … until this is set */
  int             active;         /* handlers running (under lock): stop waits for them */
  GPtrArray      *ranges;         /* the Range header of every request ("" for none) */
} TestHttpServer;

/* Listens on 127.0.0.1 at a free port (server->port). Add files to server->files
 * (request path such as "/models/x.pth" → GBytes) under server->lock once it runs. */
void test_http_server_start   (TestHttpServer *server);
/* Lets stalled responses end. */
void test_http_server_release (TestHttpServer *server);
void test_http_server_stop    (TestHttpServer *server);
