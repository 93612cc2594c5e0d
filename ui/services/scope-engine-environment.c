/* scope-engine-environment.c — the environment variables the engine honours, read for it
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "scope-engine-environment.h"

/* A decimal number in [@min, @max] from environment variable @name, else @fallback. */
static double
env_number (const char *name,
            double      min,
            double      max,
            double      fallback)
{
  const char *value = g_getenv (name);
  char *end = NULL;
  double number;

  if (value == NULL || *value == '\0')
    return fallback;
  number = g_ascii_strtod (value, &end);
  if (end == value || *end != '\0' || !(number >= min && number <= max))
    {
      fprintf (stderr, "%s: ignoring %s=%s (not a number from %g to %g)\n", g_get_prgname (),
               name, value, min, max);
      return fallback;
    }
  return number;
}

void
scope_engine_environment_apply_threads (void)
{
  vgg_set_threads ((int) env_number ("VGG_SCOPE_THREADS", 1, 256, 0));  /* 0: all CPUs */
}

const VggLoadOptions *
scope_engine_environment_load_options (void)
{
  static VggLoadOptions options;
  static gsize initialised;

  if (g_once_init_enter (&initialised))
    {
      const char *cache = g_getenv ("VGG_SCOPE_CACHE_DIR");

      /* unset: the user's cache folder; empty: no cache */
      options.cache_dir = cache != NULL ? cache
                                        : g_build_filename (g_get_user_cache_dir (), "vgg-scope",
                                                            NULL);
      options.h5_reader = g_getenv ("VGG_SCOPE_H5_READER");
      g_once_init_leave (&initialised, 1);
    }
  return &options;
}

void
scope_engine_environment_run_options (VggRunOptions *options)
{
  const char *exact = g_getenv ("VGG_SCOPE_EXACT");

  g_return_if_fail (options != NULL);

  *options = (VggRunOptions) { 0 };
  options->exact = exact != NULL && *exact != '\0' && strcmp (exact, "0") != 0;
  options->conv_memory_mib = env_number ("VGG_SCOPE_CONV_MIB", 0.0, 1 << 20, 0.0);
  options->simd = g_getenv ("VGG_SCOPE_SIMD");
  options->winograd_block_kib = (int) env_number ("VGG_SCOPE_WINOGRAD_BLOCK_KIB", 0.0,
                                                  1 << 22, 0.0);
}

const char *
scope_engine_environment_test_camera (void)
{
  const char *description = g_getenv ("VGG_SCOPE_TEST_CAMERA");

  return description != NULL && *description != '\0' ? description : NULL;
}
