/* h5-reader.c — vgg-scope-h5-reader: reads one Keras HDF5 weight file for the engine
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: vgg-scope-h5-reader [--] FILE. Reads FILE with libhdf5, converts it to the engine's
 * tensors and writes them to standard output in the stream keras-h5.h describes. The engine
 * starts it (keras-h5-client.c) so that libhdf5, which is not safe against damaged files,
 * never runs inside the engine's process. Not meant to be run by hand: the output is binary.
 */
#include "config.h"

#include "keras-h5.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
# define UNDER_SANITIZER 1
#elif defined(__has_feature)
# if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) \
     || __has_feature(memory_sanitizer)
#  define UNDER_SANITIZER 1
# endif
#endif

/* A damaged file can make libhdf5 ask for gigabytes (a 14 KB file found by fuzzing made this
 * process grow to 4 GB for 15 s before it failed). Reading real weights takes about the
 * file's size again and then some: three times its size and 1 GiB of address space is room
 * enough, and past that libhdf5's allocations fail and the file is refused at once. (Not
 * under a sanitizer, whose shadow memory is terabytes of address space.) */
static void
limit_memory (const char *path)
{
#ifndef UNDER_SANITIZER
  struct stat st;
  struct rlimit limit;
  rlim_t want;

  if (stat (path, &st) != 0 || getrlimit (RLIMIT_AS, &limit) != 0)
    return;
  want = (rlim_t) st.st_size * 3 + ((rlim_t) 1 << 30);
  if (limit.rlim_max != RLIM_INFINITY && want > limit.rlim_max)
    want = limit.rlim_max;
  if (limit.rlim_cur == RLIM_INFINITY || want < limit.rlim_cur)
    {
      limit.rlim_cur = want;
      setrlimit (RLIMIT_AS, &limit);
    }
#else
  (void) path;
#endif
}

int
main (int    argc,
      char **argv)
{
  const char *path;
  int out;

  if (argc == 3 && strcmp (argv[1], "--") == 0)
    path = argv[2];
  else if (argc == 2 && argv[1][0] != '-')
    path = argv[1];
  else
    {
      fprintf (stderr, "Usage: vgg-scope-h5-reader [--] FILE\n"
               "Writes FILE's Keras weights to standard output for VGG Scope's engine.\n");
      return 2;
    }
  if (isatty (STDOUT_FILENO))
    {
      fprintf (stderr, "vgg-scope-h5-reader: the output is binary; VGG Scope runs this "
               "program itself\n");
      return 2;
    }

  /* the stream gets a descriptor of its own; anything a library prints to standard output
   * goes to standard error instead of corrupting it */
  out = fcntl (STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
  if (out < 0 || dup2 (STDERR_FILENO, STDOUT_FILENO) < 0)
    return 1;
  limit_memory (path);
  return vgg_keras_h5_send (out, path) ? 0 : 1;
}
