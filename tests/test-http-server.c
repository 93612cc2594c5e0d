/* test-http-server.c — a small HTTP/1.1 server on 127.0.0.1 for the download tests
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "test-http-server.h"

#include <stdio.h>
#include <string.h>

static void
write_text (GOutputStream *output,
            const char    *text)
{
  g_output_stream_write_all (output, text, strlen (text), NULL, NULL, NULL);
}

static gboolean
serve (TestHttpServer    *server,
       GSocketConnection *connection)
{
  GOutputStream *output = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  g_autoptr (GDataInputStream) input =
    g_data_input_stream_new (g_io_stream_get_input_stream (G_IO_STREAM (connection)));
  g_autofree char *request_path = NULL;
  g_autofree char *range = NULL;
  g_autofree char *header = NULL;
  GBytes *file = NULL;
  gsize size = 0, start = 0, send, cut = 0, stall = 0;
  guint64 claim = 0;
  const guint8 *data = NULL;

  g_filter_input_stream_set_close_base_stream (G_FILTER_INPUT_STREAM (input), FALSE);
  for (int line_number = 0; line_number < 64; line_number++)
    {
      g_autofree char *line = g_data_input_stream_read_line (input, NULL, NULL, NULL);

      if (line == NULL)
        return TRUE;
      g_strchomp (line);
      if (line[0] == '\0')
        break;
      if (line_number == 0)
        {
          g_auto (GStrv) parts = g_strsplit (line, " ", 3);
          if (g_strv_length (parts) == 3 && g_str_equal (parts[0], "GET"))
            request_path = g_strdup (parts[1]);
        }
      else if (g_ascii_strncasecmp (line, "Range:", 6) == 0)
        range = g_strdup (g_strstrip (line + 6));
    }

  g_mutex_lock (&server->lock);
  g_ptr_array_add (server->ranges, g_strdup (range != NULL ? range : ""));
  if (request_path != NULL)
    file = g_hash_table_lookup (server->files, request_path);
  if (file != NULL)
    {
      data = g_bytes_get_data (file, &size);
      if (range == NULL)
        {
          cut = server->cut_after;
          server->cut_after = 0;
        }
      stall = server->stall_after;
      claim = server->claim_length;
    }
  g_mutex_unlock (&server->lock);

  if (file == NULL)
    {
      write_text (output, "HTTP/1.1 404 Not Found\r\nContent-Length: 10\r\n"
                          "Connection: close\r\n\r\nnot found\n");
      return TRUE;
    }
  if (range != NULL)
    {
      if (sscanf (range, "bytes=%zu-", &start) != 1)
        start = 0;
      if (start >= size)
        {
          header = g_strdup_printf ("HTTP/1.1 416 Range Not Satisfiable\r\n"
                                    "Content-Range: bytes */%zu\r\nContent-Length: 0\r\n"
                                    "Connection: close\r\n\r\n", size);
          write_text (output, header);
          return TRUE;
        }
      header = g_strdup_printf ("HTTP/1.1 206 Partial Content\r\n"
                                "Content-Range: bytes %zu-%zu/%zu\r\nContent-Length: %zu\r\n"
                                "Content-Type: application/octet-stream\r\n"
                                "Connection: close\r\n\r\n", start, size - 1, size, size - start);
    }
  else if (claim > 0)
    {
      header = g_strdup_printf ("HTTP/1.1 200 OK\r\nContent-Length: %" G_GUINT64_FORMAT "\r\n"
                                "Content-Type: application/octet-stream\r\n"
                                "Connection: close\r\n\r\n", claim);
      write_text (output, header);
      return TRUE;   /* the client gives up before reading a body */
    }
  else
    header = g_strdup_printf ("HTTP/1.1 200 OK\r\nContent-Length: %zu\r\n"
                              "Content-Type: application/octet-stream\r\n"
                              "Accept-Ranges: bytes\r\nConnection: close\r\n\r\n", size);
  write_text (output, header);

  send = size - start;
  if (cut > 0 && cut < send)
    send = cut;
  if (stall > 0 && stall < send)
    {
      gint64 deadline = g_get_monotonic_time () + 20 * G_TIME_SPAN_SECOND;

      g_output_stream_write_all (output, data + start, stall, NULL, NULL, NULL);
      g_output_stream_flush (output, NULL, NULL);
      g_mutex_lock (&server->lock);
      while (!server->released)
        if (!g_cond_wait_until (&server->released_cond, &server->lock, deadline))
          break;
      g_mutex_unlock (&server->lock);
      return TRUE;   /* the connection closes with the response unfinished */
    }
  g_output_stream_write_all (output, data + start, send, NULL, NULL, NULL);
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  return TRUE;
}

/* Counts itself in and out, so that stopping the server waits for every handler: one woken
 * from a stall must not look at the server once the test has freed it. */
static gboolean
on_run (GThreadedSocketService *service,
        GSocketConnection      *connection,
        GObject                *source_object,
        gpointer                user_data)
{
  TestHttpServer *server = user_data;
  gboolean handled;

  g_mutex_lock (&server->lock);
  server->active++;
  g_mutex_unlock (&server->lock);
  handled = serve (server, connection);
  g_mutex_lock (&server->lock);
  server->active--;
  g_cond_broadcast (&server->released_cond);
  g_mutex_unlock (&server->lock);
  return handled;
}

void
test_http_server_start (TestHttpServer *server)
{
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr (GSocketAddress) effective = NULL;
  g_autoptr (GError) error = NULL;

  g_mutex_init (&server->lock);
  server->active = 0;
  g_cond_init (&server->released_cond);
  server->files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) g_bytes_unref);
  server->ranges = g_ptr_array_new_with_free_func (g_free);
  server->service = g_threaded_socket_service_new (8);
  g_socket_listener_add_address (G_SOCKET_LISTENER (server->service), address,
                                 G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL, &effective,
                                 &error);
  g_assert_no_error (error);
  server->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  g_signal_connect (server->service, "run", G_CALLBACK (on_run), server);
  g_socket_service_start (server->service);
}

void
test_http_server_release (TestHttpServer *server)
{
  g_mutex_lock (&server->lock);
  server->released = TRUE;
  g_cond_broadcast (&server->released_cond);
  g_mutex_unlock (&server->lock);
}

void
test_http_server_stop (TestHttpServer *server)
{
  test_http_server_release (server);
  g_socket_service_stop (server->service);
  g_socket_listener_close (G_SOCKET_LISTENER (server->service));
  g_signal_handlers_disconnect_by_data (server->service, server);
  g_mutex_lock (&server->lock);
  while (server->active > 0)
    g_cond_wait (&server->released_cond, &server->lock);
  g_mutex_unlock (&server->lock);
  g_clear_object (&server->service);
  g_hash_table_unref (server->files);
  g_ptr_array_unref (server->ranges);
  g_cond_clear (&server->released_cond);
  g_mutex_clear (&server->lock);
}
