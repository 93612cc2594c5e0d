/* pickle-machine.h — the unpickler's state, shared by its machine and its PyTorch meanings
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * pickle.c runs the opcodes (stack, marks, memo, objects), pickle-messages.c words its
 * refusals, pickle-torch.c says what PyTorch's pickles mean: which globals may be named, how
 * a tensor is rebuilt, how storages are found by their keys. Internal to those three files.
 */
#pragma once

#include "pickle.h"

#include <stddef.h>
#include <stdint.h>

#define OBJECT_CHUNK      1024
#define MAX_ITEMS         ((size_t) 1 << 23)  /* elements of all tuples, lists and dicts */
#define MAX_GLOBAL_NAME   256
#define MAX_TEXT_NUMBER   64
#define MAX_STORAGE_KEY   1024

struct VggPickle
{
  char              *path;

  /* objects, in chunks so their addresses never move */
  VggPickleObject  **chunks;
  size_t             n_chunks;
  size_t             n_objects;
  size_t             n_items;
  size_t             n_tensors;

  /* distinct storages, and an open-addressing index of them by key (slot = index + 1) */
  VggPickleStorage **storages;
  size_t             n_storages;
  size_t             storages_capacity;
  size_t            *storage_slots;
  size_t             storage_slots_capacity;

  /* the machine, reset for every pickle */
  VggPickleObject  **stack;
  size_t             stack_len;
  size_t             stack_capacity;
  size_t             marks[VGG_PICKLE_MAX_MARKS];
  int                n_marks;
  VggPickleObject  **memo;
  size_t             memo_capacity;
  size_t             memo_count;
};

typedef struct
{
  VggPickle           *pickle;
  const unsigned char *bytes;
  size_t               size;
  size_t               pos;
  size_t               op_pos;        /* where the current opcode starts */
  size_t               base_offset;
  const char          *part;
  VggError            *error;
} Machine;

/* pickle-messages.c */
VggStatus vgg_pickle_fail (Machine *m, VggStatus status, const char *format, ...)
  VGG_PRINTF (3, 4);
VggStatus vgg_pickle_damaged (Machine *m, const char *format, ...) VGG_PRINTF (2, 3);
VggStatus vgg_pickle_truncated (Machine *m);
VggStatus vgg_pickle_no_memory (Machine *m);
void vgg_pickle_sanitize (char *out, size_t out_size, const char *text, size_t length);

/* pickle.c */
VggStatus vgg_pickle_new_object (Machine *m, VggPickleKind kind, VggPickleObject **object);
VggStatus vgg_pickle_seq_append (Machine *m, VggPickleObject *seq, VggPickleObject *item);
VggStatus vgg_pickle_push (Machine *m, VggPickleObject *object);

/* pickle-torch.c: the GLOBAL/STACK_GLOBAL, REDUCE and BINPERSID opcodes */
VggStatus vgg_pickle_push_global (Machine *m, const char *module, size_t module_length,
                                  const char *name, size_t name_length);
VggStatus vgg_pickle_reduce (Machine *m, VggPickleObject *callable, VggPickleObject *args,
                             VggPickleObject **result);
VggStatus vgg_pickle_persistent_load (Machine *m, VggPickleObject *pid,
                                      VggPickleObject **result);
