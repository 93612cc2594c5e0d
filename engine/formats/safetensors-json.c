/* safetensors-json.c — the strict JSON reader of safetensors headers
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "safetensors-json.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------------------------------------
 * Messages
 */

VggStatus VGG_PRINTF (2, 3)
vgg_json_fail (Json       *j,
               const char *format,
               ...)
{
  char prefix[VGG_ERROR_MESSAGE_SIZE];
  va_list args;

  snprintf (prefix, sizeof prefix, "%s: damaged safetensors header (byte %zu): ", j->path,
            (size_t) (j->p - j->start) + 8);
  va_start (args, format);
  vgg_error_setv (j->error, VGG_STATUS_FORMAT, prefix, format, args);
  va_end (args);
  return VGG_STATUS_FORMAT;
}

VggStatus
vgg_json_no_memory (const char *path,
                    VggError   *error)
{
  return vgg_error_set (error, VGG_STATUS_NO_MEMORY, "%s: out of memory", path);
}

/* ---------------------------------------------------------------------------------------------
 * The JSON reader
 */

void
vgg_json_skip_space (Json *j)
{
  while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
    j->p++;
}

/* Skips white space and consumes @c if it comes next. */
bool
vgg_json_accept (Json *j,
                 char  c)
{
  vgg_json_skip_space (j);
  if (j->p < j->end && *j->p == (unsigned char) c)
    {
      j->p++;
      return true;
    }
  return false;
}

VggStatus
vgg_json_expect (Json       *j,
                 char        c,
                 const char *where)
{
  if (vgg_json_accept (j, c))
    return VGG_STATUS_OK;
  if (j->p == j->end)
    return vgg_json_fail (j, "the header ends where '%c' is expected %s", c, where);
  return vgg_json_fail (j, "'%c' expected %s", c, where);
}

/* Length of the valid UTF-8 sequence at @s (@left bytes available), or 0. */
static size_t
utf8_sequence (const unsigned char *s,
               size_t               left)
{
  uint32_t cp;
  size_t n;

  if (s[0] < 0x80)
    return 1;
  if (s[0] >= 0xc2 && s[0] <= 0xdf)
    n = 1, cp = s[0] & 0x1f;
  else if (s[0] >= 0xe0 && s[0] <= 0xef)
    n = 2, cp = s[0] & 0x0f;
  else if (s[0] >= 0xf0 && s[0] <= 0xf4)
    n = 3, cp = s[0] & 0x07;
  else
    return 0;
  if (left - 1 < n)
    return 0;
  for (size_t k = 1; k <= n; k++)
    {
      if ((s[k] & 0xc0) != 0x80)
        return 0;
      cp = (cp << 6) | (s[k] & 0x3f);
    }
  if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10ffff))
      || (cp >= 0xd800 && cp <= 0xdfff))
    return 0;
  return n + 1;
}

static size_t
utf8_encode (unsigned char *out,
             uint32_t       cp)
{
  if (cp < 0x80)
    {
      out[0] = (unsigned char) cp;
      return 1;
    }
  if (cp < 0x800)
    {
      out[0] = (unsigned char) (0xc0 | (cp >> 6));
      out[1] = (unsigned char) (0x80 | (cp & 0x3f));
      return 2;
    }
  if (cp < 0x10000)
    {
      out[0] = (unsigned char) (0xe0 | (cp >> 12));
      out[1] = (unsigned char) (0x80 | ((cp >> 6) & 0x3f));
      out[2] = (unsigned char) (0x80 | (cp & 0x3f));
      return 3;
    }
  out[0] = (unsigned char) (0xf0 | (cp >> 18));
  out[1] = (unsigned char) (0x80 | ((cp >> 12) & 0x3f));
  out[2] = (unsigned char) (0x80 | ((cp >> 6) & 0x3f));
  out[3] = (unsigned char) (0x80 | (cp & 0x3f));
  return 4;
}

static bool
read_hex4 (Json     *j,
           uint32_t *value)
{
  *value = 0;
  if (j->end - j->p < 4)
    return false;
  for (int i = 0; i < 4; i++)
    {
      unsigned char c = *j->p++;
      uint32_t digit;

      if (c >= '0' && c <= '9')
        digit = (uint32_t) (c - '0');
      else if (c >= 'a' && c <= 'f')
        digit = (uint32_t) (c - 'a' + 10);
      else if (c >= 'A' && c <= 'F')
        digit = (uint32_t) (c - 'A' + 10);
      else
        return false;
      *value = (*value << 4) | digit;
    }
  return true;
}

/* Reads a string. With @out NULL it is only checked; otherwise *out is a new NUL-terminated
 * copy (strings holding U+0000 are refused: names and metadata are C strings). */
VggStatus
vgg_json_read_string (Json  *j,
                      char **out)
{
  const unsigned char *scan;
  unsigned char *copy = NULL;
  size_t n = 0;

  if (out != NULL)
    *out = NULL;
  vgg_json_skip_space (j);
  if (j->p == j->end || *j->p != '"')
    return vgg_json_fail (j, "a string is expected");
  j->p++;

  /* The decoded string is never longer than its JSON form. */
  if (out != NULL)
    {
      for (scan = j->p; scan < j->end && *scan != '"'; scan++)
        if (*scan == '\\' && scan + 1 < j->end)
          scan++;
      copy = malloc ((size_t) (scan - j->p) + 1);
      if (copy == NULL)
        return vgg_json_no_memory (j->path, j->error);
    }

  for (;;)
    {
      unsigned char c;

      if (j->p == j->end)
        {
          free (copy);
          return vgg_json_fail (j, "a string is not closed");
        }
      c = *j->p;
      if (c == '"')
        {
          j->p++;
          break;
        }
      if (c < 0x20)
        {
          free (copy);
          return vgg_json_fail (j, "a string holds a raw control character");
        }
      if (c == '\\')
        {
          uint32_t cp;

          if (j->end - j->p < 2)
            {
              free (copy);
              return vgg_json_fail (j, "a string is not closed");
            }
          c = j->p[1];
          j->p += 2;
          switch (c)
            {
            case '"': case '\\': case '/': cp = c; break;
            case 'b': cp = '\b'; break;
            case 'f': cp = '\f'; break;
            case 'n': cp = '\n'; break;
            case 'r': cp = '\r'; break;
            case 't': cp = '\t'; break;
            case 'u':
              if (!read_hex4 (j, &cp))
                {
                  free (copy);
                  return vgg_json_fail (j, "a \\u escape needs four hex digits");
                }
              if (cp >= 0xd800 && cp <= 0xdbff)
                {
                  uint32_t low;

                  if (j->end - j->p < 2 || j->p[0] != '\\' || j->p[1] != 'u')
                    {
                      free (copy);
                      return vgg_json_fail (j, "a lone UTF-16 surrogate in a \\u escape");
                    }
                  j->p += 2;
                  if (!read_hex4 (j, &low) || low < 0xdc00 || low > 0xdfff)
                    {
                      free (copy);
                      return vgg_json_fail (j, "a lone UTF-16 surrogate in a \\u escape");
                    }
                  cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
                }
              else if (cp >= 0xdc00 && cp <= 0xdfff)
                {
                  free (copy);
                  return vgg_json_fail (j, "a lone UTF-16 surrogate in a \\u escape");
                }
              if (cp == 0 && out != NULL)
                {
                  free (copy);
                  return vgg_json_fail (j, "a name or metadata string holds a NUL character");
                }
              break;
            default:
              free (copy);
              return vgg_json_fail (j, "unknown escape '\\%c'", c >= 0x20 && c < 0x7f ? c : '?');
            }
          if (copy != NULL)
            n += utf8_encode (copy + n, cp);
          continue;
        }
      {
        size_t length = utf8_sequence (j->p, (size_t) (j->end - j->p));

        if (length == 0)
          {
            free (copy);
            return vgg_json_fail (j, "a string is not valid UTF-8");
          }
        if (copy != NULL)
          {
            memcpy (copy + n, j->p, length);
            n += length;
          }
        j->p += length;
      }
    }

  if (out != NULL)
    {
      copy[n] = '\0';
      *out = (char *) copy;
    }
  return VGG_STATUS_OK;
}

/* A non-negative integer without fraction or exponent ("what" names it in messages). */
VggStatus
vgg_json_read_count (Json       *j,
                     const char *what,
                     uint64_t   *value)
{
  const unsigned char *digits;

  vgg_json_skip_space (j);
  *value = 0;
  if (j->p < j->end && *j->p == '-')
    return vgg_json_fail (j, "%s is negative", what);
  digits = j->p;
  while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
    {
      unsigned digit = (unsigned) (*j->p - '0');

      if (*value > (UINT64_MAX - digit) / 10)
        return vgg_json_fail (j, "%s is too large (above 2^64 - 1)", what);
      *value = *value * 10 + digit;
      j->p++;
    }
  if (j->p == digits)
    return vgg_json_fail (j, "%s is not a number", what);
  if (*digits == '0' && j->p - digits > 1)
    return vgg_json_fail (j, "%s has a leading zero", what);
  if (j->p < j->end && (*j->p == '.' || *j->p == 'e' || *j->p == 'E'))
    return vgg_json_fail (j, "%s is not a whole number", what);
  return VGG_STATUS_OK;
}

/* Skips a run of decimal digits; the number of digits skipped. */
static size_t
skip_digits (Json *j)
{
  const unsigned char *start = j->p;

  while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
    j->p++;
  return (size_t) (j->p - start);
}

static VggStatus
skip_number (Json *j)
{
  const unsigned char *integer;
  size_t n;

  if (j->p < j->end && *j->p == '-')
    j->p++;
  integer = j->p;
  n = skip_digits (j);
  if (n == 0 || (n > 1 && *integer == '0'))
    return vgg_json_fail (j, "a malformed number");
  if (j->p < j->end && *j->p == '.')
    {
      j->p++;
      if (skip_digits (j) == 0)
        return vgg_json_fail (j, "a malformed number");
    }
  if (j->p < j->end && (*j->p == 'e' || *j->p == 'E'))
    {
      j->p++;
      if (j->p < j->end && (*j->p == '+' || *j->p == '-'))
        j->p++;
      if (skip_digits (j) == 0)
        return vgg_json_fail (j, "a malformed number");
    }
  return VGG_STATUS_OK;
}

static VggStatus
skip_literal (Json       *j,
              const char *literal)
{
  size_t length = strlen (literal);

  if ((size_t) (j->end - j->p) < length || memcmp (j->p, literal, length) != 0)
    return vgg_json_fail (j, "unexpected character '%c'",
                          *j->p >= 0x20 && *j->p < 0x7f ? *j->p : '?');
  j->p += length;
  return VGG_STATUS_OK;
}

/* Skips any JSON value (members of a tensor entry we do not use). */
VggStatus
vgg_json_skip_value (Json *j,
                     int   depth)
{
  VggStatus status;

  if (depth > VGG_JSON_MAX_DEPTH)
    return vgg_json_fail (j, "nested deeper than %d levels", VGG_JSON_MAX_DEPTH);
  vgg_json_skip_space (j);
  if (j->p == j->end)
    return vgg_json_fail (j, "the header ends where a value is expected");

  switch (*j->p)
    {
    case '"':
      return vgg_json_read_string (j, NULL);
    case '{':
      j->p++;
      if (vgg_json_accept (j, '}'))
        return VGG_STATUS_OK;
      do
        {
          if ((status = vgg_json_read_string (j, NULL)) != VGG_STATUS_OK
              || (status = vgg_json_expect (j, ':', "after a member name")) != VGG_STATUS_OK
              || (status = vgg_json_skip_value (j, depth + 1)) != VGG_STATUS_OK)
            return status;
        }
      while (vgg_json_accept (j, ','));
      return vgg_json_expect (j, '}', "to close an object");
    case '[':
      j->p++;
      if (vgg_json_accept (j, ']'))
        return VGG_STATUS_OK;
      do
        {
          if ((status = vgg_json_skip_value (j, depth + 1)) != VGG_STATUS_OK)
            return status;
        }
      while (vgg_json_accept (j, ','));
      return vgg_json_expect (j, ']', "to close an array");
    case 't':
      return skip_literal (j, "true");
    case 'f':
      return skip_literal (j, "false");
    case 'n':
      return skip_literal (j, "null");
    default:
      if (*j->p == '-' || (*j->p >= '0' && *j->p <= '9'))
        return skip_number (j);
      return vgg_json_fail (j, "unexpected character '%c'",
                            *j->p >= 0x20 && *j->p < 0x7f ? *j->p : '?');
    }
}

