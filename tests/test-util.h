/* test-util.h — helpers shared by the tests
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "vgg.h"

/* The path of a file under tests/fixtures (from G_TEST_SRCDIR); free with g_free. */
char *test_fixture_path (const char *first_part, ...) G_GNUC_NULL_TERMINATED;

/* Asserts @status is VGG_STATUS_OK, printing the engine's message otherwise. */
#define test_assert_ok(status, error)                                                  \
  G_STMT_START {                                                                       \
    VggStatus test_status_ = (status);                                                 \
    if (test_status_ != VGG_STATUS_OK)                                                 \
      g_error ("%s:%d: expected success, got %s: %s", __FILE__, __LINE__,              \
               vgg_status_string (test_status_), (error)->message);                    \
  } G_STMT_END

/* The largest |a − b| over @count floats. */
double test_max_abs_diff (const float *a, const float *b, size_t count);
/* The largest |a| over @count floats. */
double test_max_abs (const float *a, size_t count);
