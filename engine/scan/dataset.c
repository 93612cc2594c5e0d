/* dataset.c — data sets for scans: a folder of pictures or an IDX image file
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "scan-private.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define IDX_HEADER_SIZE 16
#define IDX_TEST_IMAGES "t10k-images-idx3-ubyte"

/* One picture of a folder: its name (relative path) in the data set's name block. */
typedef struct
{
  size_t  name;        /* offset into names */
  int64_t size;
  int64_t mtime_sec;
  int64_t mtime_nsec;
} FolderEntry;

struct VggDataset
{
  VggDatasetKind  kind;
  char           *root;
  char           *source;     /* the IDX file, or the root */
  char            real[PATH_MAX];

  /* a folder */
  FolderEntry    *entries;
  int64_t         n_entries;
  char           *names;
  size_t          names_size, names_capacity;
  size_t          entries_capacity;

  /* an IDX file, read through zlib (which reads an uncompressed file as it is) */
  gzFile          gz;
  int64_t         position;   /* next image the stream is at */
  int             rows, cols;
  int64_t         idx_count;
  int64_t         idx_size;
  int64_t         idx_mtime_sec, idx_mtime_nsec;
  pthread_mutex_t lock;
  bool            locked_init;
};

static bool
has_picture_extension (const char *name)
{
  static const char *const extensions[] = {
    ".jpg", ".jpeg", ".jpe", ".png", ".webp", ".gif", ".bmp", ".tif", ".tiff",
  };
  const char *dot = strrchr (name, '.');

  if (dot == NULL)
    return false;
  for (size_t i = 0; i < sizeof extensions / sizeof extensions[0]; i++)
    if (strcasecmp (dot, extensions[i]) == 0)
      return true;
  return false;
}

/* ---- a folder of pictures ---- */

static bool
add_entry (VggDataset        *self,
           const char        *name,
           const struct stat *st)
{
  size_t length = strlen (name) + 1;
  FolderEntry *entry;

  if (self->n_entries == (int64_t) self->entries_capacity)
    {
      size_t capacity = self->entries_capacity ? 2 * self->entries_capacity : 256;
      FolderEntry *grown = realloc (self->entries, capacity * sizeof *grown);

      if (grown == NULL)
        return false;
      self->entries = grown;
      self->entries_capacity = capacity;
    }
  if (self->names_size + length > self->names_capacity)
    {
      size_t capacity = self->names_capacity ? 2 * self->names_capacity : 16384;
      char *grown;

      while (capacity < self->names_size + length)
        capacity *= 2;
      grown = realloc (self->names, capacity);
      if (grown == NULL)
        return false;
      self->names = grown;
      self->names_capacity = capacity;
    }
  memcpy (self->names + self->names_size, name, length);
  entry = &self->entries[self->n_entries++];
  entry->name = self->names_size;
  entry->size = (int64_t) st->st_size;
  entry->mtime_sec = (int64_t) st->st_mtim.tv_sec;
  entry->mtime_nsec = (int64_t) st->st_mtim.tv_nsec;
  self->names_size += length;
  return true;
}

/* Lists the pictures under @relative (a path relative to the root, "" for the root itself).
 * Symbolic links to files are followed, to folders not (no loops). */
static VggStatus
list_folder (VggDataset *self,
             const char *relative,
             int         depth,
             VggError   *error)
{
  char path[PATH_MAX], child[PATH_MAX];
  DIR *dir;
  struct dirent *entry;
  VggStatus status = VGG_STATUS_OK;

  if (depth > 64)
    return VGG_STATUS_OK;
  if ((size_t) snprintf (path, sizeof path, "%s/%s", self->root, relative) >= sizeof path)
    return vgg_error_set (error, VGG_STATUS_IO, "%s/%s: path too long", self->root, relative);
  dir = opendir (path);
  if (dir == NULL)
    {
      if (depth == 0)
        return vgg_error_set (error, VGG_STATUS_IO, "%s: %s", self->root, strerror (errno));
      return VGG_STATUS_OK;   /* an unreadable subfolder holds no pictures we can use */
    }
  while (status == VGG_STATUS_OK && (entry = readdir (dir)) != NULL)
    {
      struct stat st, lst;
      char full[PATH_MAX];

      if (entry->d_name[0] == '.')
        continue;
      if ((size_t) snprintf (child, sizeof child, "%s%s%s", relative,
                             relative[0] != '\0' ? "/" : "", entry->d_name) >= sizeof child
          || (size_t) snprintf (full, sizeof full, "%s/%s", self->root, child) >= sizeof full)
        continue;
      if (lstat (full, &lst) != 0)
        continue;
      if (S_ISDIR (lst.st_mode))
        {
          status = list_folder (self, child, depth + 1, error);
          continue;
        }
      if (!has_picture_extension (entry->d_name) || stat (full, &st) != 0 || !S_ISREG (st.st_mode))
        continue;
      if (!add_entry (self, child, &st))
        status = vgg_error_set (error, VGG_STATUS_NO_MEMORY, "%s: out of memory listing "
                                "the pictures", self->root);
    }
  closedir (dir);
  return status;
}

static const VggDataset *sort_dataset;   /* qsort has no user data: set under sort_lock */
static pthread_mutex_t sort_lock = PTHREAD_MUTEX_INITIALIZER;

static int
compare_entries (const void *a,
                 const void *b)
{
  const FolderEntry *x = a, *y = b;

  return strcmp (sort_dataset->names + x->name, sort_dataset->names + y->name);
}

/* ---- an IDX file ---- */

static uint32_t
read_be32 (const uint8_t *p)
{
  return (uint32_t) p[0] << 24 | (uint32_t) p[1] << 16 | (uint32_t) p[2] << 8 | p[3];
}

static VggStatus
open_idx (VggDataset *self,
          const char *path,
          VggError   *error)
{
  struct stat st;
  uint8_t header[IDX_HEADER_SIZE];
  int fd, n;
  uint32_t count, rows, cols;
  int64_t bytes_expected, bytes_found = 0;
  static uint8_t sink[1 << 16];   /* contents not used: only the length is counted */
  static pthread_mutex_t sink_lock = PTHREAD_MUTEX_INITIALIZER;

  fd = vgg_open_regular_file (path, &st, error);
  if (fd < 0)
    return VGG_STATUS_IO;
  self->gz = gzdopen (fd, "rb");
  if (self->gz == NULL)
    {
      close (fd);
      return vgg_error_set (error, VGG_STATUS_NO_MEMORY, "%s: out of memory", path);
    }
  gzbuffer (self->gz, 1 << 17);
  self->idx_size = (int64_t) st.st_size;
  self->idx_mtime_sec = (int64_t) st.st_mtim.tv_sec;
  self->idx_mtime_nsec = (int64_t) st.st_mtim.tv_nsec;

  n = gzread (self->gz, header, sizeof header);
  if (n < 4 || header[0] != 0 || header[1] != 0)
    return vgg_error_set (error, VGG_STATUS_FORMAT, "%s: neither a folder of pictures nor an "
                          "IDX image file (bad magic number)", path);
  if (header[2] != 0x08)
    return vgg_error_set (error, VGG_STATUS_UNSUPPORTED, "%s: IDX element type 0x%02x; only "
                          "unsigned bytes (0x08) are images", path, header[2]);
  if (header[3] != 3)
    return vgg_error_set (error, VGG_STATUS_UNSUPPORTED, "%s: an IDX file with %d "
                          "dimension%s%s; images have 3 (count, rows, columns)", path,
                          header[3], header[3] == 1 ? "" : "s",
                          header[3] == 1 ? " (labels, not images)" : "");
  if (n < IDX_HEADER_SIZE)
    return vgg_error_set (error, VGG_STATUS_FORMAT, "%s: IDX header truncated", path);
  count = read_be32 (header + 4);
  rows = read_be32 (header + 8);
  cols = read_be32 (header + 12);
  if (count == 0 || rows == 0 || cols == 0)
    return vgg_error_set (error, VGG_STATUS_FORMAT, "%s: IDX images of %u × %u pixels, %u of "
                          "them: nothing to scan", path, rows, cols, count);
  if (count > (1u << 30) || rows > 4096 || cols > 4096)
    return vgg_error_set (error, VGG_STATUS_TOO_LARGE, "%s: IDX images of %u × %u pixels, %u "
                          "of them; at most 4096 × 4096 and 2^30 images", path, rows, cols,
                          count);
  self->rows = (int) rows;
  self->cols = (int) cols;
  self->idx_count = count;
  bytes_expected = (int64_t) count * rows * cols;

  /* the whole length, once: a truncated file is refused now, not in the middle of a scan */
  pthread_mutex_lock (&sink_lock);
  while ((n = gzread (self->gz, sink, sizeof sink)) > 0 && bytes_found < bytes_expected)
    bytes_found += n;
  pthread_mutex_unlock (&sink_lock);
  if (n < 0)
    return vgg_error_set (error, VGG_STATUS_FORMAT, "%s: %s", path,
                          gzerror (self->gz, &n));
  if (bytes_found < bytes_expected)
    return vgg_error_set (error, VGG_STATUS_FORMAT, "%s: IDX file truncated: %lld bytes of "
                          "images, %lld expected (%u images of %u × %u)", path,
                          (long long) bytes_found, (long long) bytes_expected, count, rows,
                          cols);
  if (gzseek (self->gz, IDX_HEADER_SIZE, SEEK_SET) < 0)
    return vgg_error_set (error, VGG_STATUS_IO, "%s: cannot seek back to the first image",
                          path);
  self->position = 0;
  pthread_mutex_init (&self->lock, NULL);
  self->locked_init = true;
  return VGG_STATUS_OK;
}

VggStatus
vgg_dataset_read_idx (VggDataset *self,
                      int64_t     first,
                      int         count,
                      uint8_t    *pixels,
                      VggError   *error)
{
  size_t per_image = (size_t) self->rows * self->cols;
  size_t want = per_image * (size_t) count;
  VggStatus status = VGG_STATUS_OK;
  int n;

  if (self->kind != VGG_DATASET_IDX || first < 0 || count < 0
      || first + count > self->idx_count)
    return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT, "IDX images %lld to %lld of %lld",
                          (long long) first, (long long) (first + count),
                          (long long) self->idx_count);
  pthread_mutex_lock (&self->lock);
  if (first != self->position
      && gzseek (self->gz, IDX_HEADER_SIZE + (z_off_t) (first * (int64_t) per_image),
                 SEEK_SET) < 0)
    status = vgg_error_set (error, VGG_STATUS_IO, "%s: cannot seek to image %lld",
                            self->source, (long long) first);
  while (status == VGG_STATUS_OK && want > 0)
    {
      unsigned chunk = want > (1u << 30) ? 1u << 30 : (unsigned) want;

      n = gzread (self->gz, pixels, chunk);
      if (n <= 0)
        {
          int code;
          status = vgg_error_set (error, VGG_STATUS_IO, "%s: %s", self->source,
                                  n < 0 ? gzerror (self->gz, &code) : "file shrank");
          break;
        }
      pixels += n;
      want -= (size_t) n;
    }
  self->position = status == VGG_STATUS_OK ? first + count : -1;
  pthread_mutex_unlock (&self->lock);
  return status;
}

void
vgg_dataset_idx_input (float         *input,
                       int            height,
                       int            width,
                       const uint8_t *pixels,
                       int            rows,
                       int            cols)
{
  int y0 = (height - rows) / 2, x0 = (width - cols) / 2;

  memset (input, 0, sizeof (float) * (size_t) height * width);
  for (int y = 0; y < rows; y++)
    for (int x = 0; x < cols; x++)
      input[(size_t) (y0 + y) * width + x0 + x] = pixels[(size_t) y * cols + x] * (1.0f / 255.0f);
}

/* ---- the object ---- */

VggStatus
vgg_dataset_open (VggDataset **dataset,
                  const char  *path,
                  VggError    *error)
{
  VggDataset *self;
  struct stat st;
  VggStatus status;

  if (dataset == NULL || path == NULL || path[0] == '\0')
    return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT, "vgg_dataset_open: no path");
  *dataset = NULL;
  if (stat (path, &st) != 0)
    return vgg_error_set (error, VGG_STATUS_IO, "%s: %s", path,
                          errno == ENOENT ? "no such file or folder" : strerror (errno));
  self = calloc (1, sizeof *self);
  if (self == NULL || (self->root = strdup (path)) == NULL)
    {
      free (self);
      return vgg_error_set (error, VGG_STATUS_NO_MEMORY, "out of memory");
    }
  if (realpath (path, self->real) == NULL)
    snprintf (self->real, sizeof self->real, "%s", path);
  /* "a/b/" and "a/b" name the same folder: keep the names relative to one spelling */
  for (size_t n = strlen (self->root); n > 1 && self->root[n - 1] == '/'; n--)
    self->root[n - 1] = '\0';

  if (S_ISDIR (st.st_mode))
    {
      char idx[PATH_MAX];
      struct stat idx_st;

      if ((size_t) snprintf (idx, sizeof idx, "%s/" IDX_TEST_IMAGES ".gz", self->root) < sizeof idx
          && (stat (idx, &idx_st) == 0
              || (snprintf (idx, sizeof idx, "%s/" IDX_TEST_IMAGES, self->root) > 0
                  && stat (idx, &idx_st) == 0)))
        {
          self->kind = VGG_DATASET_IDX;
          self->source = strdup (idx);
          status = self->source != NULL
                   ? open_idx (self, idx, error)
                   : vgg_error_set (error, VGG_STATUS_NO_MEMORY, "out of memory");
        }
      else
        {
          self->kind = VGG_DATASET_FOLDER;
          self->source = strdup (self->root);
          status = self->source != NULL
                   ? list_folder (self, "", 0, error)
                   : vgg_error_set (error, VGG_STATUS_NO_MEMORY, "out of memory");
          if (status == VGG_STATUS_OK && self->n_entries == 0)
            status = vgg_error_set (error, VGG_STATUS_FORMAT, "%s: no pictures in this folder "
                                    "or below it (JPEG, PNG, WebP, GIF, BMP or TIFF files), "
                                    "and no " IDX_TEST_IMAGES "(.gz)", path);
          if (status == VGG_STATUS_OK)
            {
              pthread_mutex_lock (&sort_lock);
              sort_dataset = self;
              qsort (self->entries, (size_t) self->n_entries, sizeof *self->entries,
                     compare_entries);
              sort_dataset = NULL;
              pthread_mutex_unlock (&sort_lock);
            }
        }
    }
  else
    {
      self->kind = VGG_DATASET_IDX;
      self->source = strdup (self->root);
      status = self->source != NULL ? open_idx (self, path, error)
                                    : vgg_error_set (error, VGG_STATUS_NO_MEMORY, "out of memory");
    }
  if (status != VGG_STATUS_OK)
    {
      vgg_dataset_free (self);
      return status;
    }
  *dataset = self;
  return VGG_STATUS_OK;
}

void
vgg_dataset_free (VggDataset *self)
{
  if (self == NULL)
    return;
  if (self->gz != NULL)
    gzclose (self->gz);
  if (self->locked_init)
    pthread_mutex_destroy (&self->lock);
  free (self->entries);
  free (self->names);
  free (self->source);
  free (self->root);
  free (self);
}

VggDatasetKind
vgg_dataset_kind (const VggDataset *self)
{
  return self->kind;
}

const char *
vgg_dataset_root (const VggDataset *self)
{
  return self->root;
}

const char *
vgg_dataset_source_path (const VggDataset *self)
{
  return self->source;
}

int64_t
vgg_dataset_count (const VggDataset *self)
{
  return self->kind == VGG_DATASET_IDX ? self->idx_count : self->n_entries;
}

int
vgg_dataset_idx_rows (const VggDataset *self)
{
  return self->kind == VGG_DATASET_IDX ? self->rows : 0;
}

int
vgg_dataset_idx_cols (const VggDataset *self)
{
  return self->kind == VGG_DATASET_IDX ? self->cols : 0;
}

const char *
vgg_dataset_name (const VggDataset *self,
                  int64_t           index)
{
  if (self->kind != VGG_DATASET_FOLDER || index < 0 || index >= self->n_entries)
    return NULL;
  return self->names + self->entries[index].name;
}

uint64_t
vgg_dataset_fingerprint (const VggDataset *self)
{
  uint64_t hash = vgg_fnv1a (VGG_FNV_OFFSET, &self->kind, sizeof self->kind);

  hash = vgg_fnv1a (hash, self->real, strlen (self->real) + 1);
  if (self->kind == VGG_DATASET_IDX)
    {
      int64_t fields[3] = { self->idx_size, self->idx_mtime_sec, self->idx_mtime_nsec };

      hash = vgg_fnv1a (hash, self->source, strlen (self->source) + 1);
      return vgg_fnv1a (hash, fields, sizeof fields);
    }
  for (int64_t i = 0; i < self->n_entries; i++)
    {
      const FolderEntry *entry = &self->entries[i];
      int64_t fields[3] = { entry->size, entry->mtime_sec, entry->mtime_nsec };
      const char *name = self->names + entry->name;

      hash = vgg_fnv1a (hash, name, strlen (name) + 1);
      hash = vgg_fnv1a (hash, fields, sizeof fields);
    }
  return hash;
}

VggStatus
vgg_dataset_check_model (const VggDataset *self,
                         const VggModel   *model,
                         VggError         *error)
{
  const VggConfig *config = vgg_model_config (model);

  if (self->kind == VGG_DATASET_IDX
      && (config->input_channels != 1 || config->input_height < self->rows
          || config->input_width < self->cols))
    return vgg_error_set (error, VGG_STATUS_SHAPE, "%s: grey IDX images of %d × %d pixels "
                          "need a model with one input channel of at least that size; %s takes "
                          "%d × %d × %d", self->source, self->rows, self->cols,
                          vgg_model_name (model), config->input_channels,
                          config->input_height, config->input_width);
  return VGG_STATUS_OK;
}

/* An IDX image's grey bytes as an RGB picture. */
static VggStatus
grey_picture (VggImage      *image,
              const uint8_t *grey,
              int            rows,
              int            cols)
{
  image->pixels = malloc ((size_t) rows * cols * 3);
  if (image->pixels == NULL)
    return VGG_STATUS_NO_MEMORY;
  image->width = cols;
  image->height = rows;
  for (size_t i = 0; i < (size_t) rows * cols; i++)
    memset (image->pixels + 3 * i, grey[i], 3);
  return VGG_STATUS_OK;
}

static VggStatus
load_idx (VggDataset     *self,
          const VggModel *model,
          int64_t         index,
          float          *input,
          VggImage       *seen,
          VggImage       *picture,
          VggError       *error)
{
  const VggConfig *config = vgg_model_config (model);
  size_t plane = (size_t) config->input_height * config->input_width;
  uint8_t *grey = malloc ((size_t) self->rows * self->cols);
  float *canvas = malloc (plane * sizeof *canvas);
  VggStatus status;

  if (grey == NULL || canvas == NULL)
    {
      free (grey);
      free (canvas);
      return vgg_error_set (error, VGG_STATUS_NO_MEMORY, "out of memory");
    }
  status = vgg_dataset_read_idx (self, index, 1, grey, error);
  if (status == VGG_STATUS_OK)
    {
      vgg_dataset_idx_input (canvas, config->input_height, config->input_width, grey,
                             self->rows, self->cols);
      if (input != NULL)
        memcpy (input, canvas, plane * sizeof *canvas);
      if (seen != NULL)
        {
          uint8_t *bytes = malloc (plane);

          status = bytes != NULL ? VGG_STATUS_OK : VGG_STATUS_NO_MEMORY;
          for (size_t i = 0; bytes != NULL && i < plane; i++)
            bytes[i] = (uint8_t) (canvas[i] * 255.0f + 0.5f);
          if (bytes != NULL)
            status = grey_picture (seen, bytes, config->input_height, config->input_width);
          free (bytes);
        }
      if (status == VGG_STATUS_OK && picture != NULL)
        status = grey_picture (picture, grey, self->rows, self->cols);
      if (status != VGG_STATUS_OK)
        vgg_error_set (error, status, "out of memory");
    }
  free (grey);
  free (canvas);
  return status;
}

VggStatus
vgg_dataset_load (VggDataset     *self,
                  const VggModel *model,
                  int64_t         index,
                  float          *input,
                  VggImage       *seen,
                  VggImage       *picture,
                  VggError       *error)
{
  char path[PATH_MAX];
  VggImage image = { 0 };
  VggStatus status;
  const VggConfig *config;
  float *scratch = NULL;

  if (self == NULL || model == NULL || index < 0 || index >= vgg_dataset_count (self))
    return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT, "vgg_dataset_load: image %lld "
                          "is not in the data set", (long long) index);
  if (seen != NULL)
    *seen = (VggImage) { 0 };
  if (picture != NULL)
    *picture = (VggImage) { 0 };
  status = vgg_dataset_check_model (self, model, error);
  if (status != VGG_STATUS_OK)
    return status;
  if (self->kind == VGG_DATASET_IDX)
    return load_idx (self, model, index, input, seen, picture, error);

  if ((size_t) snprintf (path, sizeof path, "%s/%s", self->root,
                         self->names + self->entries[index].name) >= sizeof path)
    return vgg_error_set (error, VGG_STATUS_IO, "%s: path too long",
                          self->names + self->entries[index].name);
  status = vgg_image_load (&image, path, error);
  if (status != VGG_STATUS_OK)
    return status;
  config = vgg_model_config (model);
  if (input == NULL)
    {
      scratch = malloc (sizeof (float) * (size_t) config->input_channels
                        * config->input_height * config->input_width);
      if (scratch == NULL)
        {
          vgg_image_clear (&image);
          return vgg_error_set (error, VGG_STATUS_NO_MEMORY, "out of memory");
        }
    }
  status = vgg_model_preprocess (model, input != NULL ? input : scratch, &image, seen, error);
  free (scratch);
  if (status == VGG_STATUS_OK && picture != NULL)
    *picture = image;
  else
    vgg_image_clear (&image);
  return status;
}
