/* pickle.c — a restricted unpickler for PyTorch state dicts
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * See pickle.h for what it accepts. The machine follows Python 3's: MARK starts a new stack
 * frame, so an opcode can never pop past the last mark. Nothing here calls out of the
 * engine; the worst a hostile pickle gets is an error message.
 */
#include "config.h"

#include "pickle-machine.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------------------------------------
 * Objects and storages
 */

VggStatus
vgg_pickle_new (VggPickle  **pickle,
                const char  *path,
                VggError    *error)
{
  VggPickle *self;

  *pickle = NULL;
  self = calloc (1, sizeof *self);
  if (self == NULL || (self->path = strdup (path)) == NULL)
    {
      free (self);
      return vgg_error_set (error, VGG_STATUS_NO_MEMORY, "%s: out of memory", path);
    }
  *pickle = self;
  return VGG_STATUS_OK;
}

void
vgg_pickle_free (VggPickle *pickle)
{
  if (pickle == NULL)
    return;

  for (size_t i = 0; i < pickle->n_objects; i++)
    {
      VggPickleObject *object = &pickle->chunks[i / OBJECT_CHUNK][i % OBJECT_CHUNK];

      switch (object->kind)
        {
        case VGG_PICKLE_STRING:
        case VGG_PICKLE_BYTES:
        case VGG_PICKLE_BIGINT:
          free (object->string.bytes);
          break;
        case VGG_PICKLE_TUPLE:
        case VGG_PICKLE_LIST:
        case VGG_PICKLE_DICT:
          free (object->seq.items);
          break;
        case VGG_PICKLE_TENSOR:
          free (object->tensor);
          break;
        default:
          break;
        }
    }
  for (size_t i = 0; i < pickle->n_chunks; i++)
    free (pickle->chunks[i]);
  free (pickle->chunks);

  for (size_t i = 0; i < pickle->n_storages; i++)
    {
      free (pickle->storages[i]->key);
      free (pickle->storages[i]);
    }
  free (pickle->storages);
  free (pickle->storage_slots);
  free (pickle->stack);
  free (pickle->memo);
  free (pickle->path);
  free (pickle);
}

VggStatus
vgg_pickle_new_object (Machine          *m,
                       VggPickleKind     kind,
                       VggPickleObject **object)
{
  VggPickle *p = m->pickle;
  VggPickleObject *chunk;

  if (p->n_objects >= VGG_PICKLE_MAX_OBJECTS)
    return vgg_pickle_fail (m, VGG_STATUS_TOO_LARGE,
                            "%s builds more than %zu objects; a state dict needs far fewer",
                            m->part, VGG_PICKLE_MAX_OBJECTS);
  if (p->n_objects == p->n_chunks * OBJECT_CHUNK)
    {
      VggPickleObject **chunks = realloc (p->chunks, (p->n_chunks + 1) * sizeof *chunks);

      if (chunks == NULL)
        return vgg_pickle_no_memory (m);
      p->chunks = chunks;
      chunk = calloc (OBJECT_CHUNK, sizeof *chunk);
      if (chunk == NULL)
        return vgg_pickle_no_memory (m);
      p->chunks[p->n_chunks++] = chunk;
    }
  chunk = p->chunks[p->n_objects / OBJECT_CHUNK];
  *object = &chunk[p->n_objects % OBJECT_CHUNK];
  memset (*object, 0, sizeof **object);
  (*object)->kind = kind;
  p->n_objects++;
  return VGG_STATUS_OK;
}

static VggStatus
new_string (Machine              *m,
            VggPickleKind         kind,
            const unsigned char  *bytes,
            size_t                length,
            VggPickleObject     **object)
{
  VggStatus status;
  char *copy;

  copy = malloc (length + 1);
  if (copy == NULL)
    return vgg_pickle_no_memory (m);
  if (length > 0)
    memcpy (copy, bytes, length);
  copy[length] = '\0';

  status = vgg_pickle_new_object (m, kind, object);
  if (status != VGG_STATUS_OK)
    {
      free (copy);
      return status;
    }
  (*object)->string.bytes = copy;
  (*object)->string.length = length;
  return VGG_STATUS_OK;
}

VggStatus
vgg_pickle_seq_append (Machine         *m,
                       VggPickleObject *seq,
                       VggPickleObject *item)
{
  if (seq->seq.n_items == seq->seq.capacity)
    {
      size_t capacity = seq->seq.capacity ? seq->seq.capacity * 2 : 4;
      VggPickleObject **items;

      items = realloc (seq->seq.items, capacity * sizeof *items);
      if (items == NULL)
        return vgg_pickle_no_memory (m);
      seq->seq.items = items;
      seq->seq.capacity = capacity;
    }
  if (m->pickle->n_items >= MAX_ITEMS)
    return vgg_pickle_fail (m, VGG_STATUS_TOO_LARGE,
                            "%s holds more than %zu items in its lists and dicts; a state dict "
                            "needs far fewer", m->part, MAX_ITEMS);
  m->pickle->n_items++;
  seq->seq.items[seq->seq.n_items++] = item;
  return VGG_STATUS_OK;
}

/* ---------------------------------------------------------------------------------------------
 * Reading the input
 */

static bool
read_bytes (Machine              *m,
            size_t                n,
            const unsigned char **bytes)
{
  if (m->size - m->pos < n)
    return false;
  *bytes = m->bytes + m->pos;
  m->pos += n;
  return true;
}

static bool
read_uint (Machine  *m,
           size_t    n,
           uint64_t *value)
{
  const unsigned char *bytes;

  if (!read_bytes (m, n, &bytes))
    return false;
  *value = 0;
  for (size_t i = 0; i < n; i++)
    *value |= (uint64_t) bytes[i] << (8 * i);
  return true;
}

/* A newline-terminated line of at most @max bytes (the newline not counted). */
static VggStatus
read_line (Machine     *m,
           size_t       max,
           const char **line,
           size_t      *length)
{
  const unsigned char *start = m->bytes + m->pos;
  size_t left = m->size - m->pos;
  const unsigned char *newline = memchr (start, '\n', left < max + 1 ? left : max + 1);

  if (newline == NULL)
    {
      if (left <= max)
        return vgg_pickle_truncated (m);
      return vgg_pickle_damaged (m, "a text argument longer than %zu bytes", max);
    }
  *line = (const char *) start;
  *length = (size_t) (newline - start);
  m->pos += *length + 1;
  return VGG_STATUS_OK;
}

/* ---------------------------------------------------------------------------------------------
 * The stack
 */

static size_t
stack_floor (Machine *m)
{
  return m->pickle->n_marks > 0 ? m->pickle->marks[m->pickle->n_marks - 1] : 0;
}

VggStatus
vgg_pickle_push (Machine         *m,
                 VggPickleObject *object)
{
  VggPickle *p = m->pickle;

  if (p->stack_len == p->stack_capacity)
    {
      size_t capacity = p->stack_capacity ? p->stack_capacity * 2 : 64;
      VggPickleObject **stack;

      if (p->stack_len >= VGG_PICKLE_MAX_STACK)
        return vgg_pickle_fail (m, VGG_STATUS_TOO_LARGE,
                                "%s stacks up more than %zu values; a state dict needs far fewer",
                                m->part, VGG_PICKLE_MAX_STACK);
      stack = realloc (p->stack, capacity * sizeof *stack);
      if (stack == NULL)
        return vgg_pickle_no_memory (m);
      p->stack = stack;
      p->stack_capacity = capacity;
    }
  p->stack[p->stack_len++] = object;
  return VGG_STATUS_OK;
}

static VggStatus
push_new (Machine       *m,
          VggPickleKind  kind)
{
  VggPickleObject *object;
  VggStatus status = vgg_pickle_new_object (m, kind, &object);

  return status != VGG_STATUS_OK ? status : vgg_pickle_push (m, object);
}

static VggStatus
push_int (Machine *m,
          int64_t  value)
{
  VggPickleObject *object;
  VggStatus status = vgg_pickle_new_object (m, VGG_PICKLE_INT, &object);

  if (status != VGG_STATUS_OK)
    return status;
  object->integer = value;
  return vgg_pickle_push (m, object);
}

static VggStatus
pop (Machine          *m,
     VggPickleObject **object)
{
  if (m->pickle->stack_len <= stack_floor (m))
    return vgg_pickle_damaged (m, "the stack is empty");
  *object = m->pickle->stack[--m->pickle->stack_len];
  return VGG_STATUS_OK;
}

static VggStatus
top (Machine          *m,
     VggPickleObject **object)
{
  if (m->pickle->stack_len <= stack_floor (m))
    return vgg_pickle_damaged (m, "the stack is empty");
  *object = m->pickle->stack[m->pickle->stack_len - 1];
  return VGG_STATUS_OK;
}

/* Ends the frame of the last MARK: its items are stack[*start, stack_len). */
static VggStatus
pop_mark (Machine *m,
          size_t  *start)
{
  if (m->pickle->n_marks == 0)
    return vgg_pickle_damaged (m, "a MARK is missing");
  *start = m->pickle->marks[--m->pickle->n_marks];
  return VGG_STATUS_OK;
}

/* Moves stack[start, stack_len) into a new sequence of @kind. */
static VggStatus
collect (Machine          *m,
         VggPickleKind     kind,
         size_t            start,
         VggPickleObject **result)
{
  VggPickle *p = m->pickle;
  VggStatus status = vgg_pickle_new_object (m, kind, result);

  if (status != VGG_STATUS_OK)
    return status;
  for (size_t i = start; i < p->stack_len; i++)
    if ((status = vgg_pickle_seq_append (m, *result, p->stack[i])) != VGG_STATUS_OK)
      return status;
  p->stack_len = start;
  return VGG_STATUS_OK;
}


/* ---------------------------------------------------------------------------------------------
 * The machine
 */

static VggStatus
memo_put (Machine *m,
          uint64_t index)
{
  VggPickle *p = m->pickle;
  VggPickleObject *object;
  VggStatus status = top (m, &object);

  if (status != VGG_STATUS_OK)
    return status;
  if (index >= VGG_PICKLE_MAX_MEMO)
    return vgg_pickle_fail (m, VGG_STATUS_TOO_LARGE,
                            "%s uses memo slot %llu; VGG Scope allows up to %zu", m->part,
                            (unsigned long long) index, VGG_PICKLE_MAX_MEMO);
  if (index >= p->memo_capacity)
    {
      size_t capacity = p->memo_capacity ? p->memo_capacity : 64;
      VggPickleObject **memo;

      while (capacity <= index)
        capacity *= 2;
      memo = realloc (p->memo, capacity * sizeof *memo);
      if (memo == NULL)
        return vgg_pickle_no_memory (m);
      memset (memo + p->memo_capacity, 0, (capacity - p->memo_capacity) * sizeof *memo);
      p->memo = memo;
      p->memo_capacity = capacity;
    }
  if (p->memo[index] == NULL)
    p->memo_count++;
  p->memo[index] = object;
  return VGG_STATUS_OK;
}

static VggStatus
memo_get (Machine *m,
          uint64_t index)
{
  VggPickle *p = m->pickle;

  if (index >= p->memo_capacity || p->memo[index] == NULL)
    return vgg_pickle_damaged (m, "memo slot %llu is read before it is written",
                               (unsigned long long) index);
  return vgg_pickle_push (m, p->memo[index]);
}

static VggStatus
push_long (Machine             *m,
           const unsigned char *bytes,
           size_t               n)
{
  VggPickleObject *object;
  VggStatus status;

  if (n <= 8)
    {
      uint64_t value = 0;

      for (size_t i = 0; i < n; i++)
        value |= (uint64_t) bytes[i] << (8 * i);
      if (n > 0 && n < 8 && (bytes[n - 1] & 0x80))
        value |= ~(uint64_t) 0 << (8 * n);
      return push_int (m, (int64_t) value);
    }
  status = new_string (m, VGG_PICKLE_BIGINT, bytes, n, &object);
  return status != VGG_STATUS_OK ? status : vgg_pickle_push (m, object);
}

/* INT and LONG in text: "123\n", "-5\n", "01\n" (True), "00\n" (False), "7L\n". */
static VggStatus
push_text_int (Machine *m,
               bool     is_long)
{
  const char *line;
  size_t length, i = 0;
  bool negative = false;
  uint64_t value = 0;
  VggStatus status = read_line (m, MAX_TEXT_NUMBER, &line, &length);

  if (status != VGG_STATUS_OK)
    return status;
  if (is_long && length > 0 && line[length - 1] == 'L')
    length--;
  if (!is_long && length == 2 && line[0] == '0' && (line[1] == '0' || line[1] == '1'))
    {
      VggPickleObject *object;

      if ((status = vgg_pickle_new_object (m, VGG_PICKLE_BOOL, &object)) != VGG_STATUS_OK)
        return status;
      object->boolean = line[1] == '1';
      return vgg_pickle_push (m, object);
    }
  if (length > 0 && (line[0] == '-' || line[0] == '+'))
    negative = line[i++] == '-';
  if (i == length)
    return vgg_pickle_damaged (m, "an integer written as text has no digits");
  for (; i < length; i++)
    {
      if (line[i] < '0' || line[i] > '9')
        return vgg_pickle_damaged (m, "an integer written as text has a stray character");
      if (value > (UINT64_MAX - 9) / 10)
        return vgg_pickle_damaged (m, "an integer written as text is too large (above 2^64 - 1)");
      value = value * 10 + (uint64_t) (line[i] - '0');
    }
  if (value > (uint64_t) INT64_MAX + (negative ? 1 : 0))
    return vgg_pickle_damaged (m, "an integer written as text is too large "
                                  "(outside -2^63 to 2^63 - 1)");
  return push_int (m, negative ? (int64_t) (0 - value) : (int64_t) value);
}

static VggStatus
push_sized_string (Machine       *m,
                   VggPickleKind  kind,
                   size_t         width,
                   bool           is_signed)
{
  const unsigned char *bytes;
  VggPickleObject *object;
  uint64_t length;
  VggStatus status;

  if (!read_uint (m, width, &length))
    return vgg_pickle_truncated (m);
  if (is_signed && (length & 0x80000000u))
    return vgg_pickle_damaged (m, "a string has a negative length");
  if (length > m->size - m->pos)
    return vgg_error_set (m->error, VGG_STATUS_FORMAT,
                          "%s: damaged or cut short: a string at byte %zu of %s claims %llu "
                          "bytes but only %zu are left", m->pickle->path,
                          m->base_offset + m->op_pos, m->part, (unsigned long long) length,
                          m->size - m->pos);
  read_bytes (m, (size_t) length, &bytes);
  status = new_string (m, kind, bytes, (size_t) length, &object);
  return status != VGG_STATUS_OK ? status : vgg_pickle_push (m, object);
}

static VggStatus
step (Machine          *m,
      bool             *stopped,
      VggPickleObject **result)
{
  VggPickle *p = m->pickle;
  VggPickleObject *a, *b, *c;
  const unsigned char *bytes;
  uint64_t value;
  size_t start = 0;
  VggStatus status;
  unsigned char op;

  m->op_pos = m->pos;
  if (!read_bytes (m, 1, &bytes))
    return vgg_pickle_truncated (m);
  op = bytes[0];

  switch (op)
    {
    case 0x80: /* PROTO */
      if (!read_uint (m, 1, &value))
        return vgg_pickle_truncated (m);
      if (value > 5)
        return vgg_pickle_damaged (m, "pickle protocol %llu is unknown",
                                   (unsigned long long) value);
      return VGG_STATUS_OK;

    case 0x95: /* FRAME: a length hint for buffered readers */
      if (!read_uint (m, 8, &value))
        return vgg_pickle_truncated (m);
      return VGG_STATUS_OK;

    case '.': /* STOP */
      if ((status = pop (m, result)) != VGG_STATUS_OK)
        return status;
      *stopped = true;
      return VGG_STATUS_OK;

    case '(': /* MARK */
      if (p->n_marks >= VGG_PICKLE_MAX_MARKS)
        return vgg_pickle_fail (m, VGG_STATUS_TOO_LARGE,
                                "%s nests deeper than %d levels; a state dict needs a handful",
                                m->part, VGG_PICKLE_MAX_MARKS);
      p->marks[p->n_marks++] = p->stack_len;
      return VGG_STATUS_OK;

    case '0': /* POP */
      if (p->stack_len == stack_floor (m) && p->n_marks > 0)
        {
          size_t ignored;
          return pop_mark (m, &ignored);
        }
      return pop (m, &a);

    case '1': /* POP_MARK */
      if ((status = pop_mark (m, &start)) != VGG_STATUS_OK)
        return status;
      p->stack_len = start;
      return VGG_STATUS_OK;

    case '2': /* DUP */
      if ((status = top (m, &a)) != VGG_STATUS_OK)
        return status;
      return vgg_pickle_push (m, a);

    case 'N': return push_new (m, VGG_PICKLE_NONE);

    case 0x88: /* NEWTRUE */
    case 0x89: /* NEWFALSE */
      if ((status = vgg_pickle_new_object (m, VGG_PICKLE_BOOL, &a)) != VGG_STATUS_OK)
        return status;
      a->boolean = op == 0x88;
      return vgg_pickle_push (m, a);

    case 'J': /* BININT */
      if (!read_uint (m, 4, &value))
        return vgg_pickle_truncated (m);
      return push_int (m, (int64_t) (int32_t) (uint32_t) value);

    case 'K': /* BININT1 */
    case 'M': /* BININT2 */
      if (!read_uint (m, op == 'K' ? 1 : 2, &value))
        return vgg_pickle_truncated (m);
      return push_int (m, (int64_t) value);

    case 0x8a: /* LONG1 */
      if (!read_uint (m, 1, &value))
        return vgg_pickle_truncated (m);
      if (!read_bytes (m, (size_t) value, &bytes))
        return vgg_pickle_truncated (m);
      return push_long (m, bytes, (size_t) value);

    case 0x8b: /* LONG4 */
      if (!read_uint (m, 4, &value))
        return vgg_pickle_truncated (m);
      if (value & 0x80000000u)
        return vgg_pickle_damaged (m, "a LONG4 has a negative length");
      if (!read_bytes (m, (size_t) value, &bytes))
        return vgg_pickle_truncated (m);
      return push_long (m, bytes, (size_t) value);

    case 'I': return push_text_int (m, false); /* INT, Python 2's ints beyond 32 bits */
    case 'L': return push_text_int (m, true);  /* LONG */

    case 'G': /* BINFLOAT, big-endian */
      if (!read_bytes (m, 8, &bytes))
        return vgg_pickle_truncated (m);
      {
        uint64_t bits = 0;
        double number;

        for (int i = 0; i < 8; i++)
          bits = (bits << 8) | bytes[i];
        memcpy (&number, &bits, sizeof number);
        if ((status = vgg_pickle_new_object (m, VGG_PICKLE_FLOAT, &a)) != VGG_STATUS_OK)
          return status;
        a->number = number;
        return vgg_pickle_push (m, a);
      }

    case 'X': return push_sized_string (m, VGG_PICKLE_STRING, 4, false);   /* BINUNICODE */
    case 0x8c: return push_sized_string (m, VGG_PICKLE_STRING, 1, false);  /* SHORT_BINUNICODE */
    case 0x8d: return push_sized_string (m, VGG_PICKLE_STRING, 8, false);  /* BINUNICODE8 */
    case 'T': return push_sized_string (m, VGG_PICKLE_STRING, 4, true);    /* BINSTRING */
    case 'U': return push_sized_string (m, VGG_PICKLE_STRING, 1, false);   /* SHORT_BINSTRING */
    case 'B': return push_sized_string (m, VGG_PICKLE_BYTES, 4, false);    /* BINBYTES */
    case 'C': return push_sized_string (m, VGG_PICKLE_BYTES, 1, false);    /* SHORT_BINBYTES */
    case 0x8e: return push_sized_string (m, VGG_PICKLE_BYTES, 8, false);   /* BINBYTES8 */

    case ')': return push_new (m, VGG_PICKLE_TUPLE);  /* EMPTY_TUPLE */
    case ']': return push_new (m, VGG_PICKLE_LIST);   /* EMPTY_LIST */
    case '}': return push_new (m, VGG_PICKLE_DICT);   /* EMPTY_DICT */

    case 't': /* TUPLE */
    case 'l': /* LIST */
      if ((status = pop_mark (m, &start)) != VGG_STATUS_OK
          || (status = collect (m, op == 't' ? VGG_PICKLE_TUPLE : VGG_PICKLE_LIST, start, &a))
             != VGG_STATUS_OK)
        return status;
      return vgg_pickle_push (m, a);

    case 'd': /* DICT */
      if ((status = pop_mark (m, &start)) != VGG_STATUS_OK)
        return status;
      if ((p->stack_len - start) % 2 != 0)
        return vgg_pickle_damaged (m, "DICT has an odd number of items");
      if ((status = collect (m, VGG_PICKLE_DICT, start, &a)) != VGG_STATUS_OK)
        return status;
      return vgg_pickle_push (m, a);

    case 0x85: /* TUPLE1 */
    case 0x86: /* TUPLE2 */
    case 0x87: /* TUPLE3 */
      {
        size_t n = (size_t) (op - 0x84);

        if (p->stack_len - stack_floor (m) < n)
          return vgg_pickle_damaged (m, "the stack is empty");
        if ((status = collect (m, VGG_PICKLE_TUPLE, p->stack_len - n, &a)) != VGG_STATUS_OK)
          return status;
        return vgg_pickle_push (m, a);
      }

    case 'a': /* APPEND */
      if ((status = pop (m, &b)) != VGG_STATUS_OK || (status = top (m, &a)) != VGG_STATUS_OK)
        return status;
      if (a->kind != VGG_PICKLE_LIST)
        return vgg_pickle_damaged (m, "APPEND to %s", vgg_pickle_kind_name (a->kind));
      return vgg_pickle_seq_append (m, a, b);

    case 'e': /* APPENDS */
    case 'u': /* SETITEMS */
      if ((status = pop_mark (m, &start)) != VGG_STATUS_OK)
        return status;
      if (start == 0 || start - 1 < stack_floor (m))
        return vgg_pickle_damaged (m, "%s without a container", op == 'e' ? "APPENDS" : "SETITEMS");
      a = p->stack[start - 1];
      if (a->kind != (op == 'e' ? VGG_PICKLE_LIST : VGG_PICKLE_DICT))
        return vgg_pickle_damaged (m, "%s to %s", op == 'e' ? "APPENDS" : "SETITEMS",
                                   vgg_pickle_kind_name (a->kind));
      if (op == 'u' && (p->stack_len - start) % 2 != 0)
        return vgg_pickle_damaged (m, "SETITEMS has an odd number of items");
      for (size_t i = start; i < p->stack_len; i++)
        if ((status = vgg_pickle_seq_append (m, a, p->stack[i])) != VGG_STATUS_OK)
          return status;
      p->stack_len = start;
      return VGG_STATUS_OK;

    case 's': /* SETITEM */
      if ((status = pop (m, &c)) != VGG_STATUS_OK || (status = pop (m, &b)) != VGG_STATUS_OK
          || (status = top (m, &a)) != VGG_STATUS_OK)
        return status;
      if (a->kind != VGG_PICKLE_DICT)
        return vgg_pickle_damaged (m, "SETITEM to %s", vgg_pickle_kind_name (a->kind));
      if ((status = vgg_pickle_seq_append (m, a, b)) != VGG_STATUS_OK)
        return status;
      return vgg_pickle_seq_append (m, a, c);

    case 'q': /* BINPUT */
    case 'r': /* LONG_BINPUT */
      if (!read_uint (m, op == 'q' ? 1 : 4, &value))
        return vgg_pickle_truncated (m);
      return memo_put (m, value);

    case 0x94: /* MEMOIZE */
      return memo_put (m, p->memo_count);

    case 'h': /* BINGET */
    case 'j': /* LONG_BINGET */
      if (!read_uint (m, op == 'h' ? 1 : 4, &value))
        return vgg_pickle_truncated (m);
      return memo_get (m, value);

    case 'c': /* GLOBAL */
      {
        const char *module, *name;
        size_t module_length, name_length;

        if ((status = read_line (m, MAX_GLOBAL_NAME, &module, &module_length)) != VGG_STATUS_OK
            || (status = read_line (m, MAX_GLOBAL_NAME, &name, &name_length)) != VGG_STATUS_OK)
          return status;
        return vgg_pickle_push_global (m, module, module_length, name, name_length);
      }

    case 0x93: /* STACK_GLOBAL */
      if ((status = pop (m, &b)) != VGG_STATUS_OK || (status = pop (m, &a)) != VGG_STATUS_OK)
        return status;
      if (a->kind != VGG_PICKLE_STRING || b->kind != VGG_PICKLE_STRING)
        return vgg_pickle_damaged (m, "STACK_GLOBAL names are not strings");
      return vgg_pickle_push_global (m, a->string.bytes, a->string.length, b->string.bytes,
                                     b->string.length);

    case 'R': /* REDUCE */
      if ((status = pop (m, &b)) != VGG_STATUS_OK || (status = pop (m, &a)) != VGG_STATUS_OK
          || (status = vgg_pickle_reduce (m, a, b, &c)) != VGG_STATUS_OK)
        return status;
      return vgg_pickle_push (m, c);

    case 0x81: /* NEWOBJ: cls.__new__(cls, *args) */
      if ((status = pop (m, &b)) != VGG_STATUS_OK || (status = pop (m, &a)) != VGG_STATUS_OK)
        return status;
      if (a->kind != VGG_PICKLE_GLOBAL || a->global.which != VGG_PICKLE_GLOBAL_ORDERED_DICT
          || b->kind != VGG_PICKLE_TUPLE)
        return vgg_pickle_damaged (m, "NEWOBJ of %s", vgg_pickle_kind_name (a->kind));
      return push_new (m, VGG_PICKLE_DICT);

    case 'b': /* BUILD: the state (an OrderedDict's _metadata) changes no value we read */
      if ((status = pop (m, &b)) != VGG_STATUS_OK || (status = top (m, &a)) != VGG_STATUS_OK)
        return status;
      if (a->kind != VGG_PICKLE_DICT && a->kind != VGG_PICKLE_TENSOR)
        return vgg_pickle_damaged (m, "BUILD on %s", vgg_pickle_kind_name (a->kind));
      return VGG_STATUS_OK;

    case 'Q': /* BINPERSID */
      if ((status = pop (m, &a)) != VGG_STATUS_OK
          || (status = vgg_pickle_persistent_load (m, a, &b)) != VGG_STATUS_OK)
        return status;
      return vgg_pickle_push (m, b);

    default:
      break;
    }

  if (op >= 0x20 && op < 0x7f)
    return vgg_pickle_fail (m, VGG_STATUS_UNSAFE,
                            "refusing to load: %s uses pickle opcode 0x%02x ('%c') at byte %zu, "
                            "which a plain state_dict never needs", m->part, op, op,
                            m->base_offset + m->op_pos);
  return vgg_pickle_fail (m, VGG_STATUS_UNSAFE,
                          "refusing to load: %s uses pickle opcode 0x%02x at byte %zu, which a "
                          "plain state_dict never needs", m->part, op, m->base_offset + m->op_pos);
}

VggStatus
vgg_pickle_load (VggPickle            *pickle,
                 const unsigned char  *bytes,
                 size_t                size,
                 size_t                base_offset,
                 const char           *part,
                 size_t               *consumed,
                 VggPickleObject     **result,
                 VggError             *error)
{
  Machine m = {
    .pickle = pickle,
    .bytes = bytes,
    .size = size,
    .base_offset = base_offset,
    .part = part,
    .error = error,
  };
  bool stopped = false;

  *result = NULL;
  *consumed = 0;
  pickle->stack_len = 0;
  pickle->n_marks = 0;
  pickle->memo_count = 0;
  if (pickle->memo != NULL)
    memset (pickle->memo, 0, pickle->memo_capacity * sizeof *pickle->memo);

  if (size == 0)
    return vgg_pickle_truncated (&m);
  while (!stopped)
    {
      VggStatus status = step (&m, &stopped, result);

      if (status != VGG_STATUS_OK)
        {
          *result = NULL;
          return status;
        }
    }
  *consumed = m.pos;
  return VGG_STATUS_OK;
}
