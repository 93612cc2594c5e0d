/* cli.h — shared pieces of the vgg-scope-cli subcommands
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <stdio.h>

#include "vgg.h"
#include "vgg-train.h"

/* Exit codes: 0 success, 1 a failure the user can fix (bad file, wrong shape), 2 bad usage. */
enum
{
  CLI_EXIT_OK = 0,
  CLI_EXIT_FAILURE = 1,
  CLI_EXIT_USAGE = 2,
};

/* Loads @weights, or the default model when it is NULL; prints the error and returns NULL on
 * failure. */
VggModel *cli_load_model (const char *weights);

/* vgg_run_new_with_options() with the options the environment asks for
 * (scope-engine-environment.h). */
VggStatus cli_run_new (VggRun **run, const VggModel *model, int batch, VggError *error);

/* One line saying what the model is, with a warning when it is untrained. */
void      cli_print_model_banner (const VggModel *model, FILE *stream);

/* Reads @path (a JPEG/PNG image, preprocessed with the model's preset, or a .npy float32
 * tensor of shape (1,C,H,W) or (C,H,W) used as is) into @input, which holds C·H·W floats
 * for the model. Prints the error and returns FALSE on failure. */
gboolean  cli_load_input (const VggModel *model, const char *path, float *input);

void      cli_print_error (const VggError *error);

/* Refuses anything but a regular file before it is opened (a FIFO would block the open):
 * FALSE with "PATH: not a regular file but …" in @error. */
gboolean  cli_check_regular_file (const char *path, GError **error);

/* How cli_escape() writes a dangerous character: C0 and C1 controls, DEL, the bidirectional
 * overrides and isolates U+202A–U+202E and U+2066–U+2069. */
typedef enum
{
  CLI_ESCAPE_TEXT,   /* for a terminal: \x1b, \x7f, \u0085, \u202e; a byte that is not
                        UTF-8 as \xNN */
  CLI_ESCAPE_JSON,   /* for JSON text a generator wrote (C0 controls in its strings already
                        escaped): \u007f, \u0085, \u202e; a byte that is not UTF-8 as
                        \ufffd; the result stays valid JSON with the same values */
} CliEscapeMode;

/* @text (may be NULL) with every dangerous character escaped; free with g_free(). */
char       *cli_escape (const char *text, CliEscapeMode mode);
/* cli_escape (@text, CLI_ESCAPE_TEXT) for printing at once: valid until eight more calls. */
const char *cli_escaped (const char *text);

/* Reports a usage error for @context's command and returns CLI_EXIT_USAGE. */
int       cli_usage_error (GOptionContext *context, const char *format, ...) G_GNUC_PRINTF (2, 3);

int       cli_bench (int argc, char **argv);
int       cli_classify (int argc, char **argv);
int       cli_compare (int argc, char **argv);
int       cli_info (int argc, char **argv);
int       cli_dump (int argc, char **argv);
int       cli_fetch (int argc, char **argv);
int       cli_eval (int argc, char **argv);
int       cli_explain (int argc, char **argv);
int       cli_top (int argc, char **argv);
int       cli_train (int argc, char **argv);
int       cli_unit (int argc, char **argv);
int       cli_visualize (int argc, char **argv);

/* Fashion-MNIST (cli-train.c): Debian's dataset-fashion-mnist puts it here. */
#define CLI_FASHION_MNIST_DIR "/usr/share/datasets/fashion-mnist"
#define CLI_FASHION_MNIST_N_CLASSES 10
extern const char *const cli_fashion_mnist_classes[CLI_FASHION_MNIST_N_CLASSES];

/* Reads the training (or t10k test) images and labels of DIR (IDX files, .gz or plain);
 * prints the error and returns FALSE on failure. */
gboolean  cli_fashion_mnist_load (const char *dir, gboolean train, VggIdx *images,
                                  VggIdx *labels);

/* input [height, width] (one channel, values in [0, 1]): the rows × cols garment centred on
 * a black canvas, shifted by (dy, dx) and mirrored if @flip — exactly what training saw. */
void      cli_fashion_mnist_input (float *input, int height, int width, const uint8_t *pixels,
                                   int rows, int cols, int dy, int dx, gboolean flip);
