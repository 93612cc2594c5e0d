/* pickle.h — a restricted unpickler for PyTorch state dicts (internal)
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A pickle is a program for a small stack machine; Python's unpickler will call any function
 * a file names. This one never calls anything: it knows the opcodes torch.save() emits
 * (protocol 2, plus the harmless ones of protocols 3–5 and the text INT of Python 2) and a
 * short list of globals, and it builds inert objects for them:
 *
 *   collections.OrderedDict                   → a dict
 *   torch._utils._rebuild_tensor(_v2)         → a tensor description (storage, offset, size,
 *                                               stride); nothing is read yet
 *   torch._utils._rebuild_parameter           → the tensor it wraps
 *   torch[.cuda].<Float|Double|Half|BFloat16|Long|Int|Short|Char|Byte|Bool>Storage
 *                                             → a storage type with its dtype
 *
 * Any other global is refused with VGG_STATUS_UNSAFE before anything else happens, as is any
 * other opcode. Persistent ids ('storage', type, key, location, numel[, view]) become
 * storage references; the storages themselves are collected, one per key, so the container
 * (zip or legacy) can attach their bytes afterwards.
 *
 * Every read is checked against the bytes left; the stack, marks, memo and object count are
 * bounded (VGG_STATUS_TOO_LARGE past the bounds). All objects live in the VggPickle and die
 * with it; several pickles (the legacy container has five) can share one VggPickle.
 */
#pragma once

#include "engine-private.h"
#include "tensor-file.h"

#define VGG_PICKLE_MAX_OBJECTS ((size_t) 1 << 21)
#define VGG_PICKLE_MAX_STACK   ((size_t) 1 << 20)
#define VGG_PICKLE_MAX_MARKS   128
#define VGG_PICKLE_MAX_MEMO    ((size_t) 1 << 21)
#define VGG_PICKLE_MAX_TENSORS ((size_t) 1 << 18)

typedef enum
{
  VGG_PICKLE_NONE = 0,
  VGG_PICKLE_BOOL,
  VGG_PICKLE_INT,       /* fits in int64_t */
  VGG_PICKLE_BIGINT,    /* a wider LONG1/LONG4: only its little-endian bytes are kept */
  VGG_PICKLE_FLOAT,
  VGG_PICKLE_STRING,    /* str, or a Python 2 str (BINSTRING); NUL-terminated copy */
  VGG_PICKLE_BYTES,
  VGG_PICKLE_TUPLE,
  VGG_PICKLE_LIST,
  VGG_PICKLE_DICT,      /* dict or OrderedDict: pairs in insertion order, keys not deduplicated */
  VGG_PICKLE_GLOBAL,    /* one of the allowed globals */
  VGG_PICKLE_STORAGE,   /* a persistent id: a (view of a) storage */
  VGG_PICKLE_TENSOR,
} VggPickleKind;

typedef enum
{
  VGG_PICKLE_GLOBAL_ORDERED_DICT = 0,
  VGG_PICKLE_GLOBAL_REBUILD_TENSOR,
  VGG_PICKLE_GLOBAL_REBUILD_TENSOR_V2,
  VGG_PICKLE_GLOBAL_REBUILD_PARAMETER,
  VGG_PICKLE_GLOBAL_STORAGE_TYPE,
} VggPickleGlobal;

/* One storage of the file, whatever number of persistent ids name it. */
typedef struct
{
  char                *key;            /* owned; the file's storage key ("0", "94017…") */
  VggDtype             dtype;
  int64_t              numel_declared; /* what the persistent id says */

  /* filled by the container */
  bool                 resolved;
  const unsigned char *data;           /* in the file mapping */
  int64_t              numel;          /* elements really present */
} VggPickleStorage;

typedef struct VggPickleObject VggPickleObject;

typedef struct
{
  VggPickleObject *storage;       /* a VGG_PICKLE_STORAGE */
  int64_t          offset;
  int              ndim;          /* as in the file; only the first VGG_TENSOR_MAX_DIMS kept */
  int              n_strides;
  int64_t          shape[VGG_TENSOR_MAX_DIMS];
  int64_t          stride[VGG_TENSOR_MAX_DIMS];
} VggPickleTensor;

struct VggPickleObject
{
  VggPickleKind kind;
  union
  {
    bool    boolean;
    int64_t integer;
    double  number;
    struct
    {
      char  *bytes;           /* owned, NUL-terminated (for STRING, BYTES and BIGINT) */
      size_t length;
    } string;
    struct
    {
      VggPickleObject **items;  /* owned array; a dict holds key, value, key, value, … */
      size_t            n_items;
      size_t            capacity;
    } seq;
    struct
    {
      VggPickleGlobal which;
      VggDtype        dtype;    /* for VGG_PICKLE_GLOBAL_STORAGE_TYPE */
    } global;
    struct
    {
      VggPickleStorage *root;
      int64_t           view_offset;  /* 0 without a view */
      int64_t           view_numel;   /* -1: the whole storage */
    } storage;
    VggPickleTensor    *tensor;   /* owned */
  };
};

typedef struct VggPickle VggPickle;

/* @path names the file in messages. */
VggStatus               vgg_pickle_new (VggPickle **pickle, const char *path, VggError *error);
void                    vgg_pickle_free (VggPickle *pickle);

/* Runs one pickle from @bytes up to its STOP; *consumed receives the bytes used (STOP
 * included). @part names the pickle in messages ("data.pkl", "the state dict pickle") and
 * @base_offset is added to byte positions in messages. The result lives in @pickle. */
VggStatus               vgg_pickle_load (VggPickle            *pickle,
                                         const unsigned char  *bytes,
                                         size_t                size,
                                         size_t                base_offset,
                                         const char           *part,
                                         size_t               *consumed,
                                         VggPickleObject     **result,
                                         VggError             *error);

/* The distinct storages seen so far, in order of first appearance. */
VggPickleStorage      **vgg_pickle_storages (VggPickle *pickle, size_t *n_storages);
/* The storage with @key, or NULL. */
VggPickleStorage       *vgg_pickle_find_storage (VggPickle *pickle, const char *key);

/* The value for the string key @key in a dict (the last one if repeated), or NULL. */
const VggPickleObject  *vgg_pickle_dict_get (const VggPickleObject *dict, const char *key);

/* "a dict", "a tensor" and the like, for messages. */
const char             *vgg_pickle_kind_name (VggPickleKind kind);

/* True if the @length bytes at @text are valid UTF-8 without NUL characters. */
bool                    vgg_pickle_utf8_validate (const char *text, size_t length);
