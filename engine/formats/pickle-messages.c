/* pickle-messages.c — what the unpickler says when it refuses a pickle
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every refusal names the file, the pickle inside it and the byte of the opcode; text from
 * the file is shown escaped, never raw.
 */
#include "config.h"

#include "pickle-machine.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

VggStatus VGG_PRINTF (3, 4)
vgg_pickle_fail (Machine    *m,
                 VggStatus   status,
                 const char *format,
                 ...)
{
  char prefix[VGG_ERROR_MESSAGE_SIZE];
  va_list args;

  snprintf (prefix, sizeof prefix, "%s: ", m->pickle->path);
  va_start (args, format);
  vgg_error_setv (m->error, status, prefix, format, args);
  va_end (args);
  return status;
}

VggStatus VGG_PRINTF (2, 3)
vgg_pickle_damaged (Machine    *m,
                    const char *format,
                    ...)
{
  char prefix[VGG_ERROR_MESSAGE_SIZE];
  va_list args;

  snprintf (prefix, sizeof prefix, "%s: damaged pickle in %s at byte %zu: ", m->pickle->path,
            m->part, m->base_offset + m->op_pos);
  va_start (args, format);
  vgg_error_setv (m->error, VGG_STATUS_FORMAT, prefix, format, args);
  va_end (args);
  return VGG_STATUS_FORMAT;
}

VggStatus
vgg_pickle_truncated (Machine *m)
{
  return vgg_error_set (m->error, VGG_STATUS_FORMAT,
                        "%s: the file is cut short: it ends in the middle of %s (byte %zu)",
                        m->pickle->path, m->part, m->base_offset + m->size);
}

VggStatus
vgg_pickle_no_memory (Machine *m)
{
  return vgg_error_set (m->error, VGG_STATUS_NO_MEMORY, "%s: out of memory reading %s",
                        m->pickle->path, m->part);
}

/* Copies untrusted text into @out for a message: printable ASCII only, shortened. */
void
vgg_pickle_sanitize (char       *out,
                     size_t      out_size,
                     const char *text,
                     size_t      length)
{
  size_t n = 0;

  for (size_t i = 0; i < length && n + 4 < out_size; i++)
    {
      unsigned char c = (unsigned char) text[i];
      out[n++] = (c >= 0x20 && c < 0x7f) ? (char) c : '?';
    }
  if (n + 4 >= out_size && length > n)
    {
      memcpy (out + n, "...", 3);
      n += 3;
    }
  out[n] = '\0';
}

const char *
vgg_pickle_kind_name (VggPickleKind kind)
{
  switch (kind)
    {
    case VGG_PICKLE_NONE: return "None";
    case VGG_PICKLE_BOOL: return "a boolean";
    case VGG_PICKLE_INT: return "an integer";
    case VGG_PICKLE_BIGINT: return "a large integer";
    case VGG_PICKLE_FLOAT: return "a float";
    case VGG_PICKLE_STRING: return "a string";
    case VGG_PICKLE_BYTES: return "bytes";
    case VGG_PICKLE_TUPLE: return "a tuple";
    case VGG_PICKLE_LIST: return "a list";
    case VGG_PICKLE_DICT: return "a dict";
    case VGG_PICKLE_GLOBAL: return "a class or function";
    case VGG_PICKLE_STORAGE: return "a storage";
    case VGG_PICKLE_TENSOR: return "a tensor";
    }
  return "an object";
}

bool
vgg_pickle_utf8_validate (const char *text,
                          size_t      length)
{
  const unsigned char *s = (const unsigned char *) text;
  size_t i = 0;

  while (i < length)
    {
      unsigned char c = s[i];
      uint32_t cp;
      size_t n;

      if (c == 0)
        return false;
      if (c < 0x80)
        {
          i++;
          continue;
        }
      if (c >= 0xc2 && c <= 0xdf)
        n = 1, cp = c & 0x1f;
      else if (c >= 0xe0 && c <= 0xef)
        n = 2, cp = c & 0x0f;
      else if (c >= 0xf0 && c <= 0xf4)
        n = 3, cp = c & 0x07;
      else
        return false;
      if (length - i - 1 < n)
        return false;
      for (size_t k = 1; k <= n; k++)
        {
          if ((s[i + k] & 0xc0) != 0x80)
            return false;
          cp = (cp << 6) | (s[i + k] & 0x3f);
        }
      if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10ffff))
          || (cp >= 0xd800 && cp <= 0xdfff))
        return false;
      i += n + 1;
    }
  return true;
}

