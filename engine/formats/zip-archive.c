/* zip-archive.c — the table of contents of a zip file in memory
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Layout (APPNOTE 6.3): local header + data for each entry, the central directory (one record
 * per entry), then, for zip64, a zip64 end record and its locator, and last the classic end
 * record (with up to 64 KiB of comment after it). torch.save() always writes the zip64
 * records and uses data descriptors (flag bit 3), so the local headers' sizes are zero and
 * only the central directory's are trusted.
 */
#include "config.h"

#include "zip-archive.h"

#include <stdlib.h>
#include <string.h>

#define SIG_LOCAL            0x04034b50u
#define SIG_CENTRAL          0x02014b50u
#define SIG_END              0x06054b50u
#define SIG_END64            0x06064b50u
#define SIG_END64_LOCATOR    0x07064b50u

#define LOCAL_HEADER_SIZE    30
#define CENTRAL_HEADER_SIZE  46
#define END_SIZE             22
#define END64_SIZE           56
#define END64_LOCATOR_SIZE   20
#define MAX_COMMENT          0xffff
#define MAX_ENTRIES          ((uint64_t) 1 << 20)  /* a checkpoint has one per storage */

static uint16_t
get16 (const unsigned char *p)
{
  return (uint16_t) (p[0] | (p[1] << 8));
}

static uint32_t
get32 (const unsigned char *p)
{
  return (uint32_t) p[0] | ((uint32_t) p[1] << 8) | ((uint32_t) p[2] << 16)
         | ((uint32_t) p[3] << 24);
}

static uint64_t
get64 (const unsigned char *p)
{
  return (uint64_t) get32 (p) | ((uint64_t) get32 (p + 4) << 32);
}

uint32_t
vgg_zip_crc32 (const unsigned char *bytes,
               size_t               size)
{
  /* Four bits at a time: a table small enough to write out, no lazy initialisation. */
  static const uint32_t nibbles[16] = {
    0x00000000u, 0x1db71064u, 0x3b6e20c8u, 0x26d930acu, 0x76dc4190u, 0x6b6b51f4u,
    0x4db26158u, 0x5005713cu, 0xedb88320u, 0xf00f9344u, 0xd6d6a3e8u, 0xcb61b38cu,
    0x9b64c2b0u, 0x86d3d2d4u, 0xa00ae278u, 0xbdbdf21cu,
  };
  uint32_t crc = 0xffffffffu;

  for (size_t i = 0; i < size; i++)
    {
      crc ^= bytes[i];
      crc = nibbles[crc & 0x0f] ^ (crc >> 4);
      crc = nibbles[crc & 0x0f] ^ (crc >> 4);
    }
  return crc ^ 0xffffffffu;
}

static VggStatus
damaged (const VggZipArchive *zip,
         VggError            *error,
         const char          *what)
{
  return vgg_error_set (error, VGG_STATUS_FORMAT, "%s: damaged or incomplete zip file (%s)",
                        zip->path, what);
}

/* Finds the end record: the last signature from which the record and its comment fit. */
static bool
find_end (const unsigned char *data,
          size_t               size,
          size_t              *end)
{
  size_t lowest = size - END_SIZE > MAX_COMMENT ? size - END_SIZE - MAX_COMMENT : 0;

  for (size_t pos = size - END_SIZE + 1; pos-- > lowest;)
    if (get32 (data + pos) == SIG_END && pos + END_SIZE + get16 (data + pos + 20) <= size)
      {
        *end = pos;
        return true;
      }
  return false;
}

/* Applies the zip64 extended-information extra field to the fields that overflowed. */
static VggStatus
read_zip64_extra (const VggZipArchive *zip,
                  const unsigned char *extra,
                  size_t               extra_length,
                  VggZipEntry         *entry,
                  bool                 need_size,
                  bool                 need_compressed,
                  bool                 need_offset,
                  VggError            *error)
{
  size_t pos = 0;

  while (extra_length - pos >= 4)
    {
      uint16_t id = get16 (extra + pos);
      size_t length = get16 (extra + pos + 2);
      const unsigned char *field = extra + pos + 4;
      size_t used = 0;

      if (length > extra_length - pos - 4)
        return damaged (zip, error, "an extra field runs past its record");
      if (id == 0x0001)
        {
          if (need_size)
            {
              if (length - used < 8)
                return damaged (zip, error, "short zip64 field");
              entry->size = get64 (field + used);
              used += 8;
              need_size = false;
            }
          if (need_compressed)
            {
              if (length - used < 8)
                return damaged (zip, error, "short zip64 field");
              entry->size_compressed = get64 (field + used);
              used += 8;
              need_compressed = false;
            }
          if (need_offset)
            {
              if (length - used < 8)
                return damaged (zip, error, "short zip64 field");
              entry->local_offset = get64 (field + used);
              need_offset = false;
            }
        }
      pos += 4 + length;
    }
  if (need_size || need_compressed || need_offset)
    return damaged (zip, error, "a zip64 size or offset is missing");
  return VGG_STATUS_OK;
}

static int
compare_names (const void *a,
               const void *b)
{
  const VggZipEntry *x = *(const VggZipEntry *const *) a;
  const VggZipEntry *y = *(const VggZipEntry *const *) b;

  return strcmp (x->name, y->name);
}

static int
compare_name_key (const void *key,
                  const void *element)
{
  return strcmp ((const char *) key, (*(const VggZipEntry *const *) element)->name);
}

VggStatus
vgg_zip_archive_open (VggZipArchive       *zip,
                      const unsigned char *data,
                      size_t               size,
                      const char          *path,
                      VggError            *error)
{
  uint64_t n_entries, cd_size, cd_offset, cd_limit;
  const unsigned char *end_record;
  size_t end, pos;

  memset (zip, 0, sizeof *zip);
  zip->path = path;
  zip->data = data;
  zip->size = size;

  if (size < END_SIZE || !find_end (data, size, &end))
    return damaged (zip, error, "no end-of-directory record; the file may be cut short");
  end_record = data + end;
  if (get16 (end_record + 4) != 0 || get16 (end_record + 6) != 0)
    return vgg_error_set (error, VGG_STATUS_UNSUPPORTED,
                          "%s: a zip file split over several disks", path);
  n_entries = get16 (end_record + 10);
  cd_size = get32 (end_record + 12);
  cd_offset = get32 (end_record + 16);
  cd_limit = end;

  /* zip64: a locator just before the end record points at the zip64 end record. */
  if (end >= END64_LOCATOR_SIZE && get32 (data + end - END64_LOCATOR_SIZE) == SIG_END64_LOCATOR)
    {
      const unsigned char *locator = data + end - END64_LOCATOR_SIZE;
      uint64_t end64 = get64 (locator + 8);
      const unsigned char *record;

      if (end64 > end - END64_LOCATOR_SIZE || end - END64_LOCATOR_SIZE - end64 < END64_SIZE)
        return damaged (zip, error, "the zip64 end record is out of place");
      record = data + end64;
      if (get32 (record) != SIG_END64)
        return damaged (zip, error, "bad zip64 end record");
      if (get32 (record + 16) != 0 || get32 (record + 20) != 0)
        return vgg_error_set (error, VGG_STATUS_UNSUPPORTED,
                              "%s: a zip file split over several disks", path);
      n_entries = get64 (record + 32);
      cd_size = get64 (record + 40);
      cd_offset = get64 (record + 48);
      cd_limit = end64;
    }
  else if (n_entries == 0xffff || cd_size == 0xffffffffu || cd_offset == 0xffffffffu)
    return damaged (zip, error, "zip64 sizes without a zip64 end record");

  if (cd_offset > cd_limit || cd_size > cd_limit - cd_offset)
    return damaged (zip, error, "the central directory lies outside the file");
  if (n_entries > cd_size / CENTRAL_HEADER_SIZE)
    return damaged (zip, error, "more entries than the central directory can hold");
  if (n_entries > MAX_ENTRIES)
    return vgg_error_set (error, VGG_STATUS_TOO_LARGE,
                          "%s: the zip file has %llu entries; VGG Scope reads at most %llu",
                          path, (unsigned long long) n_entries,
                          (unsigned long long) MAX_ENTRIES);

  zip->entries = calloc (n_entries > 0 ? (size_t) n_entries : 1, sizeof *zip->entries);
  zip->sorted = calloc (n_entries > 0 ? (size_t) n_entries : 1, sizeof *zip->sorted);
  if (zip->entries == NULL || zip->sorted == NULL)
    {
      vgg_zip_archive_clear (zip);
      return vgg_error_set (error, VGG_STATUS_NO_MEMORY, "%s: out of memory", path);
    }

  pos = (size_t) cd_offset;
  for (uint64_t i = 0; i < n_entries; i++)
    {
      size_t left = (size_t) (cd_offset + cd_size) - pos;
      const unsigned char *record = data + pos;
      VggZipEntry *entry = &zip->entries[i];
      size_t name_length, extra_length, comment_length;
      VggStatus status;

      if (left < CENTRAL_HEADER_SIZE || get32 (record) != SIG_CENTRAL)
        {
          vgg_zip_archive_clear (zip);
          return damaged (zip, error, "bad central directory record");
        }
      name_length = get16 (record + 28);
      extra_length = get16 (record + 30);
      comment_length = get16 (record + 32);
      if (name_length + extra_length + comment_length > left - CENTRAL_HEADER_SIZE)
        {
          vgg_zip_archive_clear (zip);
          return damaged (zip, error, "a central directory record runs past the directory");
        }
      if (name_length == 0 || memchr (record + CENTRAL_HEADER_SIZE, '\0', name_length) != NULL)
        {
          vgg_zip_archive_clear (zip);
          return damaged (zip, error, "an entry has an empty or invalid name");
        }

      entry->flags = get16 (record + 8);
      entry->method = get16 (record + 10);
      entry->crc32 = get32 (record + 16);
      entry->size_compressed = get32 (record + 20);
      entry->size = get32 (record + 24);
      entry->local_offset = get32 (record + 42);
      entry->name_length = name_length;
      entry->name = malloc (name_length + 1);
      zip->n_entries = (size_t) i + 1;
      if (entry->name == NULL)
        {
          vgg_zip_archive_clear (zip);
          return vgg_error_set (error, VGG_STATUS_NO_MEMORY, "%s: out of memory", path);
        }
      memcpy (entry->name, record + CENTRAL_HEADER_SIZE, name_length);
      entry->name[name_length] = '\0';

      if (entry->size == 0xffffffffu || entry->size_compressed == 0xffffffffu
          || entry->local_offset == 0xffffffffu)
        {
          status = read_zip64_extra (zip, record + CENTRAL_HEADER_SIZE + name_length,
                                     extra_length, entry, entry->size == 0xffffffffu,
                                     entry->size_compressed == 0xffffffffu,
                                     entry->local_offset == 0xffffffffu, error);
          if (status != VGG_STATUS_OK)
            {
              vgg_zip_archive_clear (zip);
              return status;
            }
        }
      if (entry->local_offset >= cd_offset)
        {
          vgg_zip_archive_clear (zip);
          return damaged (zip, error, "an entry starts outside the file's data");
        }
      pos += CENTRAL_HEADER_SIZE + name_length + extra_length + comment_length;
    }

  for (size_t i = 0; i < zip->n_entries; i++)
    zip->sorted[i] = &zip->entries[i];
  qsort (zip->sorted, zip->n_entries, sizeof *zip->sorted, compare_names);
  for (size_t i = 1; i < zip->n_entries; i++)
    if (strcmp (zip->sorted[i - 1]->name, zip->sorted[i]->name) == 0)
      {
        VggStatus status = vgg_error_set (error, VGG_STATUS_FORMAT,
                                          "%s: the zip file holds '%.200s' twice", path,
                                          zip->sorted[i]->name);
        vgg_zip_archive_clear (zip);
        return status;
      }
  return VGG_STATUS_OK;
}

void
vgg_zip_archive_clear (VggZipArchive *zip)
{
  for (size_t i = 0; i < zip->n_entries; i++)
    free (zip->entries[i].name);
  free (zip->entries);
  free (zip->sorted);
  zip->entries = NULL;
  zip->sorted = NULL;
  zip->n_entries = 0;
}

const VggZipEntry *
vgg_zip_archive_find (const VggZipArchive *zip,
                      const char          *name)
{
  VggZipEntry *const *found;

  if (zip->n_entries == 0)
    return NULL;
  found = bsearch (name, zip->sorted, zip->n_entries, sizeof *zip->sorted, compare_name_key);
  return found != NULL ? *found : NULL;
}

VggStatus
vgg_zip_archive_entry_data (const VggZipArchive  *zip,
                            const VggZipEntry    *entry,
                            const unsigned char **bytes,
                            VggError             *error)
{
  const unsigned char *local;
  size_t name_length, extra_length;
  uint64_t data_offset;

  *bytes = NULL;
  if (entry->flags & 0x0001)
    return vgg_error_set (error, VGG_STATUS_UNSUPPORTED, "%s: zip entry '%.200s' is encrypted",
                          zip->path, entry->name);
  if (entry->method != 0)
    return vgg_error_set (error, VGG_STATUS_UNSUPPORTED,
                          "%s: zip entry '%.200s' is compressed (method %u); VGG Scope reads "
                          "uncompressed entries, as torch.save() writes them (was the file "
                          "re-zipped?)", zip->path, entry->name, entry->method);
  if (entry->size != entry->size_compressed)
    return damaged (zip, error, "a stored entry's two sizes differ");

  if (entry->local_offset > zip->size || zip->size - entry->local_offset < LOCAL_HEADER_SIZE)
    return damaged (zip, error, "a local header lies outside the file");
  local = zip->data + entry->local_offset;
  if (get32 (local) != SIG_LOCAL)
    return damaged (zip, error, "bad local header signature");
  name_length = get16 (local + 26);
  extra_length = get16 (local + 28);
  data_offset = entry->local_offset + LOCAL_HEADER_SIZE + name_length + extra_length;
  if (data_offset > zip->size || entry->size > zip->size - data_offset)
    return vgg_error_set (error, VGG_STATUS_FORMAT,
                          "%s: zip entry '%.200s' runs past the end of the file; the file may "
                          "be cut short", zip->path, entry->name);
  if (name_length != entry->name_length
      || memcmp (local + LOCAL_HEADER_SIZE, entry->name, name_length) != 0)
    return damaged (zip, error, "a local header names a different entry");

  *bytes = zip->data + data_offset;
  return VGG_STATUS_OK;
}
