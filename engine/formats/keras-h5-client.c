/* keras-h5-client.c — Keras HDF5 files: detection, and reading them through the separate
 *                     vgg-scope-h5-reader program
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The engine does not link libhdf5 (keras-h5.h says why). It starts the reader program with
 * posix_spawn (a multi-threaded process may not copy itself and go on running code there) with
 * its standard output on a pipe, and rebuilds the converted tensors from the stream,
 * validating every count, length and shape. A reader that crashes, hangs or writes garbage
 * is a refusal with a message, never the caller's end.
 */
#include "config.h"

#include "converted-file.h"
#include "engine-private.h"
#include "keras-h5.h"
#include "tensor-file.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_LAYERS       4096     /* Keras VGG19 has 26 */
#define MAX_NAME_LENGTH  1024
#define MAX_TENSOR_COUNT ((int64_t) 1 << 31)
#define CHILD_TIMEOUT_MS (300 * 1000)   /* of silence from the reader */

extern char **environ;

static const unsigned char hdf5_signature[8] = { 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n' };

/* The superblock is at 0 or, after a user block, at 512, 1024, 2048, … */
bool
vgg_keras_h5_probe (const char *path)
{
  struct stat st;
  bool found = false;
  int fd = vgg_open_regular_file (path, &st, NULL);

  if (fd < 0)
    return false;
  for (off_t offset = 0; !found && offset + 8 <= st.st_size && offset <= ((off_t) 1 << 40);
       offset = offset == 0 ? 512 : offset * 2)
    {
      unsigned char head[8];

      found = pread (fd, head, sizeof head, offset) == (ssize_t) sizeof head
              && memcmp (head, hdf5_signature, sizeof head) == 0;
    }
  close (fd);
  return found;
}

typedef struct
{
  int   fd;
  pid_t child;
  bool  timed_out;
} Stream;

static bool
read_all (Stream *stream,
          void   *data,
          size_t  size)
{
  unsigned char *p = data;

  while (size > 0)
    {
      struct pollfd poll_fd = { .fd = stream->fd, .events = POLLIN };
      int ready = poll (&poll_fd, 1, CHILD_TIMEOUT_MS);
      ssize_t n;

      if (ready < 0 && errno == EINTR)
        continue;
      if (ready == 0)
        {
          stream->timed_out = true;
          return false;
        }
      if (ready < 0)
        return false;
      n = read (stream->fd, p, size);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return false;
      p += n;
      size -= (size_t) n;
    }
  return true;
}

static bool
read_u32 (Stream   *stream,
          uint32_t *value)
{
  return read_all (stream, value, sizeof *value);
}

/* A string of at most @limit bytes, NUL-terminated, malloc()ed. */
static char *
read_string (Stream *stream,
             size_t  limit)
{
  uint32_t length;
  char *text;

  if (!read_u32 (stream, &length) || length > limit
      || (text = malloc ((size_t) length + 1)) == NULL)
    return NULL;
  if (!read_all (stream, text, length))
    {
      free (text);
      return NULL;
    }
  text[length] = '\0';
  return text;
}

/* The parent's side: rebuild the VggTensorFile from the stream. */
static VggStatus
receive (Stream         *stream,
         const char     *path,
         VggTensorFile **file_out,
         VggError       *error)
{
  VggTensorFile *file = NULL;
  uint32_t magic = 0, status = 0, n = 0;
  char *message = NULL;
  VggStatus result;

  if (!read_u32 (stream, &magic) || magic != VGG_KERAS_H5_STREAM_MAGIC || !read_u32 (stream, &status)
      || (message = read_string (stream, VGG_ERROR_MESSAGE_SIZE)) == NULL)
    goto broken;
  if (status != VGG_STATUS_OK)
    {
      result = status < VGG_STATUS_N_STATUSES ? (VggStatus) status : VGG_STATUS_FORMAT;
      vgg_error_set (error, result, "%s", message);
      free (message);
      return result;
    }
  free (message);
  message = NULL;

  file = vgg_converted_file_new (VGG_SOURCE_KERAS_H5);
  if (file == NULL || !read_u32 (stream, &n) || n > 64)
    goto broken;
  for (uint32_t i = 0; i < n; i++)
    {
      char *key = read_string (stream, MAX_NAME_LENGTH);
      char *value = key != NULL ? read_string (stream, 1 << 20) : NULL;
      bool added = value != NULL && vgg_converted_file_set_metadata (file, key, value);

      free (key);
      free (value);
      if (!added)
        goto broken;
    }
  if (!read_u32 (stream, &n) || n > 2 * MAX_LAYERS)
    goto broken;
  for (uint32_t i = 0; i < n; i++)
    {
      int64_t shape[VGG_TENSOR_MAX_DIMS], count = 1;
      char *name = read_string (stream, 64);
      int32_t ndim = -1;
      float *data;
      bool added;

      if (name == NULL || !read_all (stream, &ndim, sizeof ndim) || ndim < 1 || ndim > 4
          || !read_all (stream, shape, sizeof (int64_t) * (size_t) ndim))
        {
          free (name);
          goto broken;
        }
      for (int d = 0; d < ndim; d++)
        if (shape[d] < 1 || count > MAX_TENSOR_COUNT / shape[d])
          count = -1;
        else
          count *= shape[d];
      data = count > 0 ? malloc ((size_t) count * sizeof (float)) : NULL;
      if (data == NULL || !read_all (stream, data, (size_t) count * sizeof (float)))
        {
          free (data);
          free (name);
          goto broken;
        }
      added = vgg_converted_file_add (file, name, ndim, shape, data);
      free (name);
      if (!added)
        goto broken;
    }
  if (!read_u32 (stream, &magic) || magic != VGG_KERAS_H5_STREAM_MAGIC)
    goto broken;
  *file_out = file;
  return VGG_STATUS_OK;

broken:
  free (message);
  vgg_tensor_file_free (file);
  return VGG_STATUS_N_STATUSES; /* the caller says why, once it knows how the reader ended */
}

/* Starts @reader on @path with its standard output on @out (standard input /dev/null,
 * standard error inherited). */
static int
spawn_reader (pid_t      *child,
              const char *reader,
              const char *path,
              int         out)
{
  posix_spawn_file_actions_t actions;
  char *argv[] = { (char *) reader, (char *) "--", (char *) path, NULL };
  int result;

  result = posix_spawn_file_actions_init (&actions);
  if (result != 0)
    return result;
  result = posix_spawn_file_actions_adddup2 (&actions, out, STDOUT_FILENO);
  if (result == 0)
    result = posix_spawn_file_actions_addopen (&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  if (result == 0)
    result = posix_spawn (child, reader, &actions, NULL, argv, environ);
  posix_spawn_file_actions_destroy (&actions);
  return result;
}

VggStatus
vgg_keras_h5_open (VggTensorFile **file,
                   const char     *path,
                   const char     *reader,
                   VggError       *error)
{
  Stream stream = { .fd = -1, .child = -1 };
  int fds[2], wait_status = 0, spawned;
  VggStatus status;

  if (file == NULL || path == NULL)
    return vgg_error_set (error, VGG_STATUS_INVALID_ARGUMENT, "no file to open");
  *file = NULL;
  if (reader == NULL || *reader == '\0')
    reader = access (VGG_H5_READER_INSTALLED, X_OK) != 0 && access (VGG_H5_READER_BUILT, X_OK) == 0
             ? VGG_H5_READER_BUILT : VGG_H5_READER_INSTALLED;
  if (access (reader, X_OK) != 0)
    return vgg_error_set (error, VGG_STATUS_IO, "%s: Keras HDF5 files are read by %s, which %s",
                          path, reader, errno == ENOENT ? "is missing (not installed?)"
                                                        : "cannot be run");

  /* close-on-exec: the reader gets only the dup2'd copy, and no other program started
   * meanwhile by another thread inherits the pipe */
  if (pipe2 (fds, O_CLOEXEC) != 0)
    return vgg_error_set (error, VGG_STATUS_IO, "%s: cannot create a pipe: %s", path,
                          strerror (errno));
  spawned = spawn_reader (&stream.child, reader, path, fds[1]);
  close (fds[1]);
  if (spawned != 0)
    {
      close (fds[0]);
      return vgg_error_set (error, VGG_STATUS_IO, "%s: cannot start the HDF5 reader %s: %s",
                            path, reader, strerror (spawned));
    }
  stream.fd = fds[0];
  status = receive (&stream, path, file, error);
  close (stream.fd);
  if (status != VGG_STATUS_OK)
    kill (stream.child, SIGKILL);   /* it may still be writing, or hung */
  while (waitpid (stream.child, &wait_status, 0) < 0 && errno == EINTR)
    ;
  if (status != VGG_STATUS_N_STATUSES)
    return status;

  if (stream.timed_out)
    return vgg_error_set (error, VGG_STATUS_FORMAT, "%s: reading the HDF5 file took too long "
                          "(damaged file?)", path);
  if (WIFSIGNALED (wait_status) && WTERMSIG (wait_status) != SIGKILL)
    return vgg_error_set (error, VGG_STATUS_FORMAT, "%s: libhdf5 crashed while reading the "
                          "file (signal %d; damaged HDF5 file?)", path, WTERMSIG (wait_status));
  if (WIFEXITED (wait_status) && WEXITSTATUS (wait_status) == 127)
    return vgg_error_set (error, VGG_STATUS_IO, "%s: the HDF5 reader %s could not run", path,
                          reader);
  return vgg_error_set (error, VGG_STATUS_FORMAT, "%s: libhdf5 failed while reading the file "
                        "(damaged HDF5 file, or out of memory)", path);
}
