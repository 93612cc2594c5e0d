/* scope-model-paths.h — where weight files come from and where they are kept
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The rules that the model store, the downloader, `vgg-scope-cli fetch` and the app's
 * "Get ImageNet Weights" dialog share, written once: the models folder
 * ($XDG_DATA_HOME/vgg-scope/models), the server the files are downloaded from, and how a
 * file in the folder is found: <folder>/<file-name> once it is complete and verified,
 * <folder>/<file-name>.part while its download is unfinished.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* torchvision's server */
#define SCOPE_MODEL_BASE_URL_DEFAULT "https://download.pytorch.org/models/"

/* $XDG_DATA_HOME/vgg-scope/models (g_get_user_data_dir()), newly allocated. */
char    *scope_model_paths_dup_models_dir (void);

/* The server to download from, newly allocated: $VGG_SCOPE_MODEL_BASE_URL when it is set and
 * not empty, else @setting (the model-base-url setting; NULL when there is none) when it is
 * not empty, else SCOPE_MODEL_BASE_URL_DEFAULT. */
char    *scope_model_paths_dup_base_url   (const char *setting);

/* <directory>/<file-name> and the unfinished download beside it, <directory>/<file-name>.part,
 * newly allocated. */
char    *scope_model_paths_build_file     (const char *directory,
                                           const char *file_name);
char    *scope_model_paths_build_part     (const char *directory,
                                           const char *file_name);

/* What @directory holds of @file_name. */
typedef enum
{
  SCOPE_MODEL_FILE_ABSENT,      /* neither the file nor a .part */
  SCOPE_MODEL_FILE_PARTIAL,     /* a non-empty .part: an interrupted download to resume */
  SCOPE_MODEL_FILE_INSTALLED,   /* the verified file */
} ScopeModelFileState;

/* Looks at the folder; @part_bytes (nullable) gets the size of the .part (0 unless PARTIAL). */
ScopeModelFileState scope_model_paths_query_file (const char *directory,
                                                  const char *file_name,
                                                  guint64    *part_bytes);

G_END_DECLS
