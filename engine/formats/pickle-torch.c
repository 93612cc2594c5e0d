/* pickle-torch.c — what PyTorch's pickles mean to the unpickler
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A state dict names a few globals (storage types, torch._utils._rebuild_tensor_v2,
 * collections.OrderedDict) and refers to its tensors' bytes by persistent ids: only those are
 * accepted, every tensor is checked against its storage, and storages are indexed by key.
 */
#include "config.h"

#include "engine-private.h"
#include "pickle-machine.h"

#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------------------------------------
 * Storages, indexed by key
 */

static uint64_t
hash_key (const char *key)
{
  return vgg_fnv1a (VGG_FNV_OFFSET, key, strlen (key));
}

VggPickleStorage *
vgg_pickle_find_storage (VggPickle  *pickle,
                         const char *key)
{
  size_t mask, i;

  if (pickle->storage_slots_capacity == 0)
    return NULL;
  mask = pickle->storage_slots_capacity - 1;
  for (i = hash_key (key) & mask; pickle->storage_slots[i] != 0; i = (i + 1) & mask)
    {
      VggPickleStorage *storage = pickle->storages[pickle->storage_slots[i] - 1];

      if (strcmp (storage->key, key) == 0)
        return storage;
    }
  return NULL;
}

static bool
storage_index_grow (VggPickle *pickle)
{
  size_t capacity = pickle->storage_slots_capacity ? pickle->storage_slots_capacity * 2 : 64;
  size_t *slots = calloc (capacity, sizeof *slots);

  if (slots == NULL)
    return false;
  for (size_t s = 0; s < pickle->n_storages; s++)
    {
      size_t i = hash_key (pickle->storages[s]->key) & (capacity - 1);

      while (slots[i] != 0)
        i = (i + 1) & (capacity - 1);
      slots[i] = s + 1;
    }
  free (pickle->storage_slots);
  pickle->storage_slots = slots;
  pickle->storage_slots_capacity = capacity;
  return true;
}

/* Finds or adds the storage @key of @dtype. */
static VggStatus
storage_lookup (Machine           *m,
                const char        *key,
                VggDtype           dtype,
                int64_t            numel,
                VggPickleStorage **result)
{
  VggPickle *p = m->pickle;
  VggPickleStorage *storage = vgg_pickle_find_storage (p, key);
  size_t mask, i;

  if (storage != NULL)
    {
      if (storage->dtype != dtype)
        {
          char shown[64];

          vgg_pickle_sanitize (shown, sizeof shown, key, strlen (key));
          return vgg_pickle_damaged (m, "storage '%s' is used with two element types (%s and %s)",
                                     shown, vgg_dtype_name (storage->dtype),
                                     vgg_dtype_name (dtype));
        }
      *result = storage;
      return VGG_STATUS_OK;
    }

  if ((p->n_storages + 1) * 2 > p->storage_slots_capacity && !storage_index_grow (p))
    return vgg_pickle_no_memory (m);
  if (p->n_storages == p->storages_capacity)
    {
      size_t capacity = p->storages_capacity ? p->storages_capacity * 2 : 16;
      VggPickleStorage **storages = realloc (p->storages, capacity * sizeof *storages);

      if (storages == NULL)
        return vgg_pickle_no_memory (m);
      p->storages = storages;
      p->storages_capacity = capacity;
    }
  storage = calloc (1, sizeof *storage);
  if (storage == NULL || (storage->key = strdup (key)) == NULL)
    {
      free (storage);
      return vgg_pickle_no_memory (m);
    }
  storage->dtype = dtype;
  storage->numel_declared = numel;
  p->storages[p->n_storages++] = storage;

  mask = p->storage_slots_capacity - 1;
  for (i = hash_key (key) & mask; p->storage_slots[i] != 0; i = (i + 1) & mask)
    ;
  p->storage_slots[i] = p->n_storages;
  *result = storage;
  return VGG_STATUS_OK;
}

VggPickleStorage **
vgg_pickle_storages (VggPickle *pickle,
                     size_t    *n_storages)
{
  *n_storages = pickle->n_storages;
  return pickle->storages;
}

const VggPickleObject *
vgg_pickle_dict_get (const VggPickleObject *dict,
                     const char            *key)
{
  size_t length = strlen (key);

  if (dict == NULL || dict->kind != VGG_PICKLE_DICT)
    return NULL;
  for (size_t i = dict->seq.n_items; i >= 2; i -= 2)
    {
      const VggPickleObject *k = dict->seq.items[i - 2];

      if (k->kind == VGG_PICKLE_STRING && k->string.length == length
          && memcmp (k->string.bytes, key, length) == 0)
        return dict->seq.items[i - 1];
    }
  return NULL;
}

/* ---------------------------------------------------------------------------------------------
 * Globals
 */

static const struct
{
  const char *name;
  VggDtype    dtype;
} storage_types[] = {
  { "FloatStorage", VGG_DTYPE_F32 },
  { "DoubleStorage", VGG_DTYPE_F64 },
  { "HalfStorage", VGG_DTYPE_F16 },
  { "BFloat16Storage", VGG_DTYPE_BF16 },
  { "LongStorage", VGG_DTYPE_I64 },
  { "IntStorage", VGG_DTYPE_I32 },
  { "ShortStorage", VGG_DTYPE_I16 },
  { "CharStorage", VGG_DTYPE_I8 },
  { "ByteStorage", VGG_DTYPE_U8 },
  { "BoolStorage", VGG_DTYPE_BOOL },
};

/* Storage types that are harmless but hold elements the engine has no dtype for. */
static const char *const unusable_storage_types[] = {
  "ComplexFloatStorage", "ComplexDoubleStorage", "ComplexHalfStorage", "QInt8Storage",
  "QUInt8Storage", "QInt32Storage", "QUInt4x2Storage", "QUInt2x4Storage", "UntypedStorage",
};

static bool
equals (const char *text,
        size_t      length,
        const char *literal)
{
  return strlen (literal) == length && memcmp (text, literal, length) == 0;
}

VggStatus
vgg_pickle_push_global (Machine    *m,
                        const char *module,
                        size_t      module_length,
                        const char *name,
                        size_t      name_length)
{
  VggPickleObject *object;
  VggPickleGlobal which;
  VggDtype dtype = VGG_DTYPE_F32;
  char shown_module[96], shown_name[96];
  bool torch = equals (module, module_length, "torch")
               || equals (module, module_length, "torch.cuda");
  VggStatus status;

  if (equals (module, module_length, "collections") && equals (name, name_length, "OrderedDict"))
    which = VGG_PICKLE_GLOBAL_ORDERED_DICT;
  else if (equals (module, module_length, "torch._utils")
           && equals (name, name_length, "_rebuild_tensor"))
    which = VGG_PICKLE_GLOBAL_REBUILD_TENSOR;
  else if (equals (module, module_length, "torch._utils")
           && equals (name, name_length, "_rebuild_tensor_v2"))
    which = VGG_PICKLE_GLOBAL_REBUILD_TENSOR_V2;
  else if (equals (module, module_length, "torch._utils")
           && equals (name, name_length, "_rebuild_parameter"))
    which = VGG_PICKLE_GLOBAL_REBUILD_PARAMETER;
  else
    {
      bool found = false;

      for (size_t i = 0; torch && !found && i < sizeof storage_types / sizeof *storage_types; i++)
        if (equals (name, name_length, storage_types[i].name))
          {
            dtype = storage_types[i].dtype;
            found = true;
          }

      vgg_pickle_sanitize (shown_module, sizeof shown_module, module, module_length);
      vgg_pickle_sanitize (shown_name, sizeof shown_name, name, name_length);
      if (!found)
        {
          for (size_t i = 0; torch && i < sizeof unusable_storage_types / sizeof (char *); i++)
            if (equals (name, name_length, unusable_storage_types[i]))
              return vgg_pickle_fail (m, VGG_STATUS_UNSUPPORTED,
                                      "holds tensors of type '%s.%s', which VGG Scope cannot use",
                                      shown_module, shown_name);
          if (memchr (name, '.', name_length) == NULL && name_length > 0
              && name[0] >= 'A' && name[0] <= 'Z' && !torch)
            return vgg_pickle_fail (m, VGG_STATUS_UNSAFE,
                                    "refusing to load: the pickle asks for '%s.%s', which a "
                                    "plain state_dict never needs (was it saved with "
                                    "torch.save(model) instead of "
                                    "torch.save(model.state_dict())?)", shown_module, shown_name);
          return vgg_pickle_fail (m, VGG_STATUS_UNSAFE,
                                  "refusing to load: the pickle asks for '%s.%s', which a plain "
                                  "state_dict never needs", shown_module, shown_name);
        }
      which = VGG_PICKLE_GLOBAL_STORAGE_TYPE;
    }

  status = vgg_pickle_new_object (m, VGG_PICKLE_GLOBAL, &object);
  if (status != VGG_STATUS_OK)
    return status;
  object->global.which = which;
  object->global.dtype = dtype;
  return vgg_pickle_push (m, object);
}

/* ---------------------------------------------------------------------------------------------
 * Calls
 */

static VggStatus
read_dims (Machine               *m,
           const VggPickleObject *tuple,
           const char            *what,
           int64_t               *dims,
           int                   *n_dims)
{
  if (tuple->kind != VGG_PICKLE_TUPLE && tuple->kind != VGG_PICKLE_LIST)
    return vgg_pickle_damaged (m, "a tensor's %s is %s, not a tuple", what,
                               vgg_pickle_kind_name (tuple->kind));
  if (tuple->seq.n_items > 64)
    return vgg_pickle_fail (m, VGG_STATUS_UNSUPPORTED,
                            "a tensor has %zu dimensions; VGG Scope handles at most %d",
                            tuple->seq.n_items, VGG_TENSOR_MAX_DIMS);
  *n_dims = (int) tuple->seq.n_items;
  for (size_t i = 0; i < tuple->seq.n_items; i++)
    {
      const VggPickleObject *item = tuple->seq.items[i];

      if (item->kind != VGG_PICKLE_INT)
        return vgg_pickle_damaged (m, "a tensor's %s holds %s, not an integer", what,
                                   vgg_pickle_kind_name (item->kind));
      if (i < VGG_TENSOR_MAX_DIMS)
        dims[i] = item->integer;
    }
  return VGG_STATUS_OK;
}

static VggStatus
rebuild_tensor (Machine                *m,
                const VggPickleObject  *args,
                VggPickleObject       **result)
{
  const VggPickleObject *storage = args->seq.items[0];
  const VggPickleObject *offset = args->seq.items[1];
  VggPickleObject *object;
  VggPickleTensor *tensor;
  VggStatus status;

  if (storage->kind != VGG_PICKLE_STORAGE)
    return vgg_pickle_damaged (m, "a tensor is rebuilt from %s instead of a storage",
                               vgg_pickle_kind_name (storage->kind));
  if (offset->kind != VGG_PICKLE_INT)
    return vgg_pickle_damaged (m, "a tensor's storage offset is %s, not an integer",
                               vgg_pickle_kind_name (offset->kind));

  if (m->pickle->n_tensors >= VGG_PICKLE_MAX_TENSORS)
    return vgg_pickle_fail (m, VGG_STATUS_TOO_LARGE, "%s builds more than %zu tensors", m->part,
                            VGG_PICKLE_MAX_TENSORS);
  tensor = calloc (1, sizeof *tensor);
  if (tensor == NULL)
    return vgg_pickle_no_memory (m);
  status = vgg_pickle_new_object (m, VGG_PICKLE_TENSOR, &object);
  if (status != VGG_STATUS_OK)
    {
      free (tensor);
      return status;
    }
  object->tensor = tensor;
  m->pickle->n_tensors++;
  tensor->storage = (VggPickleObject *) storage;
  tensor->offset = offset->integer;
  status = read_dims (m, args->seq.items[2], "size", tensor->shape, &tensor->ndim);
  if (status == VGG_STATUS_OK)
    status = read_dims (m, args->seq.items[3], "stride", tensor->stride, &tensor->n_strides);
  *result = object;
  return status;
}

VggStatus
vgg_pickle_reduce (Machine          *m,
                   VggPickleObject  *callable,
                   VggPickleObject  *args,
                   VggPickleObject **result)
{
  VggStatus status;
  size_t n_args;

  if (callable->kind != VGG_PICKLE_GLOBAL)
    return vgg_pickle_damaged (m, "REDUCE calls %s", vgg_pickle_kind_name (callable->kind));
  if (args->kind != VGG_PICKLE_TUPLE)
    return vgg_pickle_damaged (m, "REDUCE arguments are %s, not a tuple",
                               vgg_pickle_kind_name (args->kind));
  n_args = args->seq.n_items;

  switch (callable->global.which)
    {
    case VGG_PICKLE_GLOBAL_ORDERED_DICT:
      /* Python 3 pickles OrderedDict() and adds items with SETITEMS; Python 2 passes a list of
       * [key, value] pairs. */
      status = vgg_pickle_new_object (m, VGG_PICKLE_DICT, result);
      if (status != VGG_STATUS_OK || n_args == 0)
        return status;
      if (n_args == 1 && args->seq.items[0]->kind == VGG_PICKLE_DICT)
        {
          const VggPickleObject *from = args->seq.items[0];

          for (size_t i = 0; i < from->seq.n_items; i++)
            if ((status = vgg_pickle_seq_append (m, *result, from->seq.items[i])) != VGG_STATUS_OK)
              return status;
          return VGG_STATUS_OK;
        }
      if (n_args == 1 && (args->seq.items[0]->kind == VGG_PICKLE_LIST
                          || args->seq.items[0]->kind == VGG_PICKLE_TUPLE))
        {
          const VggPickleObject *pairs = args->seq.items[0];

          for (size_t i = 0; i < pairs->seq.n_items; i++)
            {
              const VggPickleObject *pair = pairs->seq.items[i];

              if ((pair->kind != VGG_PICKLE_LIST && pair->kind != VGG_PICKLE_TUPLE)
                  || pair->seq.n_items != 2)
                return vgg_pickle_damaged (m, "OrderedDict item %zu is not a (key, value) pair", i);
              if ((status = vgg_pickle_seq_append (m, *result, pair->seq.items[0])) != VGG_STATUS_OK
                  || (status = vgg_pickle_seq_append (m, *result, pair->seq.items[1]))
                     != VGG_STATUS_OK)
                return status;
            }
          return VGG_STATUS_OK;
        }
      return vgg_pickle_damaged (m, "OrderedDict is called with unexpected arguments");

    case VGG_PICKLE_GLOBAL_REBUILD_TENSOR:
      if (n_args != 4)
        return vgg_pickle_damaged (m, "_rebuild_tensor takes 4 arguments, not %zu", n_args);
      return rebuild_tensor (m, args, result);

    case VGG_PICKLE_GLOBAL_REBUILD_TENSOR_V2:
      /* (storage, offset, size, stride, requires_grad, backward_hooks[, metadata]): the last
       * ones do not change the values. */
      if (n_args < 4 || n_args > 7)
        return vgg_pickle_damaged (m, "_rebuild_tensor_v2 takes 6 or 7 arguments, not %zu", n_args);
      return rebuild_tensor (m, args, result);

    case VGG_PICKLE_GLOBAL_REBUILD_PARAMETER:
      if (n_args < 1 || n_args > 3 || args->seq.items[0]->kind != VGG_PICKLE_TENSOR)
        return vgg_pickle_damaged (m, "_rebuild_parameter is called with unexpected arguments");
      *result = args->seq.items[0];
      return VGG_STATUS_OK;

    case VGG_PICKLE_GLOBAL_STORAGE_TYPE:
      break;
    }
  return vgg_pickle_damaged (m, "REDUCE calls a storage type");
}

/* ('storage', type, key, location, numel[, (view_key, offset, size) or None]) */
VggStatus
vgg_pickle_persistent_load (Machine          *m,
                            VggPickleObject  *pid,
                            VggPickleObject **result)
{
  const VggPickleObject *type, *key, *numel, *view = NULL;
  VggPickleStorage *storage = NULL;
  VggStatus status;

  if (pid->kind != VGG_PICKLE_TUPLE || pid->seq.n_items == 0
      || pid->seq.items[0]->kind != VGG_PICKLE_STRING)
    return vgg_pickle_damaged (m, "a persistent id is %s, not a ('storage', …) tuple",
                               vgg_pickle_kind_name (pid->kind));
  if (equals (pid->seq.items[0]->string.bytes, pid->seq.items[0]->string.length, "module"))
    return vgg_pickle_fail (m, VGG_STATUS_UNSUPPORTED,
                            "holds a whole pickled model, not a state_dict; save it with "
                            "torch.save(model.state_dict(), path)");
  if (!equals (pid->seq.items[0]->string.bytes, pid->seq.items[0]->string.length, "storage"))
    return vgg_pickle_damaged (m, "unknown kind of persistent id");
  if (pid->seq.n_items != 5 && pid->seq.n_items != 6)
    return vgg_pickle_damaged (m, "a storage id has %zu fields, not 5 or 6", pid->seq.n_items);

  type = pid->seq.items[1];
  key = pid->seq.items[2];
  numel = pid->seq.items[4];
  if (pid->seq.n_items == 6 && pid->seq.items[5]->kind != VGG_PICKLE_NONE)
    view = pid->seq.items[5];

  if (type->kind != VGG_PICKLE_GLOBAL || type->global.which != VGG_PICKLE_GLOBAL_STORAGE_TYPE)
    return vgg_pickle_damaged (m, "a storage's type is %s", vgg_pickle_kind_name (type->kind));
  if (key->kind != VGG_PICKLE_STRING || key->string.length == 0
      || key->string.length > MAX_STORAGE_KEY
      || !vgg_pickle_utf8_validate (key->string.bytes, key->string.length))
    return vgg_pickle_damaged (m, "a storage key is not a short string");
  if (numel->kind != VGG_PICKLE_INT || numel->integer < 0)
    return vgg_pickle_damaged (m, "a storage's element count is not a non-negative integer");

  status = storage_lookup (m, key->string.bytes, type->global.dtype, numel->integer, &storage);
  if (status != VGG_STATUS_OK)
    return status;
  status = vgg_pickle_new_object (m, VGG_PICKLE_STORAGE, result);
  if (status != VGG_STATUS_OK)
    return status;
  (*result)->storage.root = storage;
  (*result)->storage.view_offset = 0;
  (*result)->storage.view_numel = -1;

  if (view != NULL)
    {
      /* Old torch saved storage views as (view_key, offset, size) windows on a root. */
      if (view->kind != VGG_PICKLE_TUPLE || view->seq.n_items != 3
          || view->seq.items[1]->kind != VGG_PICKLE_INT
          || view->seq.items[2]->kind != VGG_PICKLE_INT
          || view->seq.items[1]->integer < 0 || view->seq.items[2]->integer < 0)
        return vgg_pickle_damaged (m, "a storage view is not (key, offset, size)");
      (*result)->storage.view_offset = view->seq.items[1]->integer;
      (*result)->storage.view_numel = view->seq.items[2]->integer;
    }
  return VGG_STATUS_OK;
}