/* zip-archive.h — the table of contents of a zip file in memory (internal)
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Just enough of PKWARE's APPNOTE for torch.save(): the end-of-central-directory record
 * (and its zip64 form), the central directory and the local headers. Entries are used in
 * place, so only stored (uncompressed) ones can be read; torch.save() writes nothing else.
 * Every offset and size is checked against the bytes of the file; names must be unique.
 */
#pragma once

#include "engine-private.h"

typedef struct
{
  char     *name;              /* owned, NUL-terminated (names with a NUL are refused) */
  size_t    name_length;
  uint16_t  flags;
  uint16_t  method;            /* 0 = stored, 8 = deflated, … */
  uint32_t  crc32;
  uint64_t  size_compressed;
  uint64_t  size;
  uint64_t  local_offset;      /* of the local header */
} VggZipEntry;

typedef struct
{
  const char          *path;    /* borrowed, for messages */
  const unsigned char *data;    /* borrowed: the whole file */
  size_t               size;
  VggZipEntry         *entries; /* owned, in central-directory order */
  size_t               n_entries;
  VggZipEntry        **sorted;  /* owned: the entries sorted by name */
} VggZipArchive;

/* Reads the directory of the zip file in @data (borrowed; it must outlive @zip). */
VggStatus          vgg_zip_archive_open (VggZipArchive       *zip,
                                         const unsigned char *data,
                                         size_t               size,
                                         const char          *path,
                                         VggError            *error);
void               vgg_zip_archive_clear (VggZipArchive *zip);

/* The entry called @name, or NULL. */
const VggZipEntry *vgg_zip_archive_find (const VggZipArchive *zip, const char *name);

/* The bytes of a stored entry, in place; checks its local header. Compressed or encrypted
 * entries give VGG_STATUS_UNSUPPORTED. */
VggStatus          vgg_zip_archive_entry_data (const VggZipArchive  *zip,
                                               const VggZipEntry    *entry,
                                               const unsigned char **bytes,
                                               VggError             *error);

/* The CRC-32 (as zip computes it) of @size bytes. */
uint32_t           vgg_zip_crc32 (const unsigned char *bytes, size_t size);
