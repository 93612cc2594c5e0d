/* error.c — status strings and the error struct
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "engine-private.h"

#include <stdarg.h>
#include <string.h>

const char *
vgg_status_string (VggStatus status)
{
  switch (status)
    {
    case VGG_STATUS_OK: return "success";
    case VGG_STATUS_INVALID_ARGUMENT: return "invalid argument";
    case VGG_STATUS_IO: return "input/output error";
    case VGG_STATUS_FORMAT: return "file format error";
    case VGG_STATUS_UNSUPPORTED: return "unsupported content";
    case VGG_STATUS_UNSAFE: return "unsafe content refused";
    case VGG_STATUS_SHAPE: return "tensor missing or of the wrong shape";
    case VGG_STATUS_TOO_LARGE: return "too large";
    case VGG_STATUS_NO_MEMORY: return "out of memory";
    case VGG_STATUS_CANCELLED: return "cancelled";
    case VGG_STATUS_STOPPED: return "stopped by a hook";
    case VGG_STATUS_NOT_FINITE: return "not a finite number";
    case VGG_STATUS_N_STATUSES: break;
    }
  return "unknown status";
}

/* Names in messages come from untrusted files: replace invalid UTF-8 and control characters
 * so a message is always printable text. */
static void
sanitize_message (char *message)
{
  unsigned char *p = (unsigned char *) message;

  while (*p != '\0')
    {
      int extra = *p < 0x80 ? 0 : (*p & 0xe0) == 0xc0 ? 1 : (*p & 0xf0) == 0xe0 ? 2
                  : (*p & 0xf8) == 0xf0 ? 3 : -1;
      bool valid = extra >= 0 && !(extra == 1 && *p < 0xc2) && !(extra == 3 && *p > 0xf4);

      for (int i = 1; valid && i <= extra; i++)
        valid = (p[i] & 0xc0) == 0x80;
      if (!valid)
        {
          *p++ = '?';
          continue;
        }
      if (extra == 0 && (*p < 0x20 || *p == 0x7f))
        *p = '?';
      p += extra + 1;
    }
}

VggStatus
vgg_error_setv (VggError   *error,
                VggStatus   status,
                const char *prefix,
                const char *format,
                va_list     args)
{
  size_t used = 0;

  if (error == NULL)
    return status;
  error->status = status;
  error->message[0] = '\0';
  if (prefix != NULL)
    {
      used = strlen (prefix);
      if (used >= sizeof error->message)
        used = sizeof error->message - 1;
      memcpy (error->message, prefix, used);
      error->message[used] = '\0';
    }
  vsnprintf (error->message + used, sizeof error->message - used, format, args);
  sanitize_message (error->message);
  return status;
}

VggStatus
vgg_error_set (VggError   *error,
               VggStatus   status,
               const char *format,
               ...)
{
  va_list args;

  va_start (args, format);
  vgg_error_setv (error, status, NULL, format, args);
  va_end (args);
  return status;
}

void
vgg_error_clear (VggError *error)
{
  if (error != NULL)
    {
      error->status = VGG_STATUS_OK;
      error->message[0] = '\0';
    }
}

bool
vgg_mul_size (size_t  a,
              size_t  b,
              size_t *result)
{
  return !__builtin_mul_overflow (a, b, result);
}

bool
vgg_add_size (size_t  a,
              size_t  b,
              size_t *result)
{
  return !__builtin_add_overflow (a, b, result);
}
