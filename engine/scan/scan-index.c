/* scan-index.c — a scan's hits on disk: saved as it goes, read back whole or to resume
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The file (machine byte order; the cache belongs to one machine):
 *   "VGGSCAN1"                      magic
 *   u64 model key, u64 data-set key
 *   i32 k, i32 channels
 *   i64 images, i64 done, i64 skipped
 *   char[VGG_ERROR_MESSAGE_SIZE]    why the first skipped image could not be read
 *   i32 counts[channels]
 *   hits[channels × k]: i64 image, f32 value, i32 y, i32 x
 *   u64 FNV-1a of everything before
 * Anything that does not match what the scan expects is ignored: the scan starts afresh.
 */
#include "config.h"

#include "scan-private.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char magic[8] = { 'V', 'G', 'G', 'S', 'C', 'A', 'N', '1' };

#define HIT_SIZE (8 + 4 + 4 + 4)

typedef struct
{
  unsigned char *data;
  size_t         size, capacity;
} Buffer;

static void
put (Buffer     *buffer,
     const void *bytes,
     size_t      size)
{
  memcpy (buffer->data + buffer->size, bytes, size);
  buffer->size += size;
}

/* Reads @size bytes on from *@p (the file's whole length is checked before). */
static void
get (const unsigned char **p,
     void                 *bytes,
     size_t                size)
{
  memcpy (bytes, *p, size);
  *p += size;
}

static size_t
file_size_for (int n_channels,
               int k)
{
  return sizeof magic + 16 + 8 + 24 + VGG_ERROR_MESSAGE_SIZE + 4 * (size_t) n_channels
         + (size_t) n_channels * k * HIT_SIZE + 8;
}

bool
vgg_scan_index_path_for (const char *dir,
                         uint64_t    model_key,
                         uint64_t    dataset_key,
                         int         k,
                         char       *path,
                         size_t      size)
{
  uint64_t hash = vgg_fnv1a (VGG_FNV_OFFSET, &model_key, sizeof model_key);
  int n;

  hash = vgg_fnv1a (hash, &dataset_key, sizeof dataset_key);
  hash = vgg_fnv1a (hash, &k, sizeof k);
  n = snprintf (path, size, "%s/scan-%016llx.index", dir, (unsigned long long) hash);
  return n > 0 && (size_t) n < size;
}

bool
vgg_scan_index_read (VggScanIndex *index,
                     const char   *path)
{
  size_t expected = file_size_for (index->n_channels, index->k);
  unsigned char *data = malloc (expected + 1);
  const unsigned char *p = data;
  FILE *file;
  size_t got;
  char found_magic[8];
  uint64_t model_key = 0, dataset_key = 0, checksum;
  int32_t k = 0, n_channels = 0;
  int64_t n_images = 0, next = 0, n_skipped = 0;
  bool ok = false;

  if (data == NULL)
    return false;
  file = fopen (path, "rb");
  if (file == NULL)
    {
      free (data);
      return false;
    }
  got = fread (data, 1, expected + 1, file);
  fclose (file);
  if (got != expected)
    goto out;
  memcpy (&checksum, data + expected - 8, 8);
  if (checksum != vgg_fnv1a (VGG_FNV_OFFSET, data, expected - 8))
    goto out;
  get (&p, found_magic, 8);
  get (&p, &model_key, 8);
  get (&p, &dataset_key, 8);
  get (&p, &k, 4);
  get (&p, &n_channels, 4);
  get (&p, &n_images, 8);
  get (&p, &next, 8);
  get (&p, &n_skipped, 8);
  if (memcmp (found_magic, magic, 8) != 0 || model_key != index->model_key
      || dataset_key != index->dataset_key || k != index->k || n_channels != index->n_channels
      || n_images != index->n_images || next < 0 || next > n_images || n_skipped < 0
      || n_skipped > next)
    goto out;
  {
    char first_skip[VGG_ERROR_MESSAGE_SIZE];
    int *counts = malloc (sizeof *counts * (size_t) n_channels);
    VggScanHit *hits = malloc (sizeof *hits * (size_t) n_channels * k);

    ok = counts != NULL && hits != NULL;
    get (&p, first_skip, sizeof first_skip);
    first_skip[sizeof first_skip - 1] = '\0';
    for (int c = 0; ok && c < n_channels; c++)
      {
        int32_t count = 0;

        get (&p, &count, 4);
        ok = count >= 0 && count <= k && count <= next;
        counts[c] = count;
      }
    for (size_t i = 0; ok && i < (size_t) n_channels * k; i++)
      {
        VggScanHit *hit = &hits[i];
        int32_t y = 0, x = 0;

        get (&p, &hit->image, 8);
        get (&p, &hit->value, 4);
        get (&p, &y, 4);
        get (&p, &x, 4);
        hit->y = y;
        hit->x = x;
        ok = (int) (i % k) >= counts[i / k] || (hit->image >= 0 && hit->image < next);
      }
    if (ok)
      {
        memcpy (index->counts, counts, sizeof *counts * (size_t) n_channels);
        memcpy (index->hits, hits, sizeof *hits * (size_t) n_channels * k);
        index->next = next;
        index->n_skipped = n_skipped;
        memcpy (index->first_skip, first_skip, sizeof first_skip);
      }
    free (counts);
    free (hits);
  }

out:
  free (data);
  return ok;
}

/* mkdir -p */
static bool
make_dirs (const char *path)
{
  char dir[PATH_MAX];

  if ((size_t) snprintf (dir, sizeof dir, "%s", path) >= sizeof dir)
    return false;
  for (char *p = dir + 1; *p != '\0'; p++)
    if (*p == '/')
      {
        *p = '\0';
        if (mkdir (dir, 0700) != 0 && errno != EEXIST)
          return false;
        *p = '/';
      }
  return mkdir (dir, 0700) == 0 || errno == EEXIST;
}

bool
vgg_scan_index_write (const VggScanIndex *index,
                      const char         *path)
{
  size_t size = file_size_for (index->n_channels, index->k);
  Buffer buffer = { malloc (size), 0, size };
  char tmp[PATH_MAX], dir[PATH_MAX];
  char *slash;
  int32_t k = index->k, n_channels = index->n_channels;
  uint64_t checksum;
  FILE *file;
  bool ok;

  if (buffer.data == NULL
      || (size_t) snprintf (tmp, sizeof tmp, "%s.tmp", path) >= sizeof tmp
      || (size_t) snprintf (dir, sizeof dir, "%s", path) >= sizeof dir)
    {
      free (buffer.data);
      return false;
    }
  slash = strrchr (dir, '/');
  if (slash != NULL && slash != dir)
    {
      *slash = '\0';
      if (!make_dirs (dir))
        {
          free (buffer.data);
          return false;
        }
    }

  put (&buffer, magic, 8);
  put (&buffer, &index->model_key, 8);
  put (&buffer, &index->dataset_key, 8);
  put (&buffer, &k, 4);
  put (&buffer, &n_channels, 4);
  put (&buffer, &index->n_images, 8);
  put (&buffer, &index->next, 8);
  put (&buffer, &index->n_skipped, 8);
  put (&buffer, index->first_skip, VGG_ERROR_MESSAGE_SIZE);
  for (int c = 0; c < n_channels; c++)
    {
      int32_t count = index->counts[c];
      put (&buffer, &count, 4);
    }
  for (size_t i = 0; i < (size_t) n_channels * k; i++)
    {
      const VggScanHit *hit = &index->hits[i];
      int32_t y = hit->y, x = hit->x;

      put (&buffer, &hit->image, 8);
      put (&buffer, &hit->value, 4);
      put (&buffer, &y, 4);
      put (&buffer, &x, 4);
    }
  checksum = vgg_fnv1a (VGG_FNV_OFFSET, buffer.data, buffer.size);
  put (&buffer, &checksum, 8);

  file = fopen (tmp, "wb");
  ok = file != NULL;
  if (ok)
    {
      ok = fwrite (buffer.data, 1, buffer.size, file) == buffer.size;
      ok = fclose (file) == 0 && ok;
    }
  ok = ok && rename (tmp, path) == 0;
  if (!ok)
    unlink (tmp);
  free (buffer.data);
  return ok;
}
