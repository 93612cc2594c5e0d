/* cli.c — vgg-scope-cli: the command-line front end (dispatch and shared helpers)
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "cli.h"
#include "scope-engine-environment.h"
#include "scope-model-paths.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char usage_text[] =
  "Usage: vgg-scope-cli COMMAND [OPTION…]\n"
  "\n"
  "Run VGG networks on images and look inside them.\n"
  "\n"
  "Commands:\n"
  "  bench             time forward passes per layer (VGG11/13/16/19 at batch 1 and 8)\n"
  "  classify INPUT…   print the most likely classes of each image or .npy tensor\n"
  "  classify --video FILE  the same for every frame of a video (WebM, Matroska, MP4)\n"
  "  compare A B       two pictures side by side: cosine similarity per layer; with\n"
  "                    --weights-b, two models: linear CKA between every pair of layers\n"
  "  info              print the network's layers: shapes, parameters, MACs, receptive fields\n"
  "  dump INPUT        write one layer's feature maps as a PNG grid or a .npy tensor\n"
  "  explain INPUT…    why this class: saliency, Grad-CAM, guided backprop, integrated\n"
  "                    gradients, effective receptive fields, occlusion (.npy or PNG)\n"
  "  eval              measure a model's accuracy on the Fashion-MNIST test set\n"
  "  fetch [MODEL…]    list or download torchvision's ImageNet weights (verified, resumable)\n"
  "  top DATASET       the images of a data set (folder or IDX file) that excite a channel\n"
  "                    most; the scan is kept in the cache folder and resumes\n"
  "  train             train a VGG on Fashion-MNIST (backward pass, SGD, checkpoints)\n"
  "  unit INPUT        one unit worked out by hand: window, filter, partial sums, bias, ReLU\n"
  "  visualize         grow the picture a channel (or a class) wants to see (PNG)\n"
  "\n"
  "Every command takes --weights FILE (torchvision .pth, zip or legacy; .safetensors; Keras\n"
  ".h5; ONNX); without it the built-in default model is used. Run 'vgg-scope-cli COMMAND\n"
  "--help' for a command's options.\n"
  "\n"
  "Environment:\n"
  "  VGG_SCOPE_THREADS         threads for inference and training (default: all CPUs)\n"
  "  VGG_SCOPE_EXACT           1: exact convolutions (im2col + sgemm) instead of Winograd\n"
  "  VGG_SCOPE_CONV_MIB        memory for transformed convolution weights (default 120)\n"
  "  VGG_SCOPE_SIMD            kernel set: generic, avx2 or avx512 (default: the best)\n"
  "  VGG_SCOPE_WINOGRAD_BLOCK_KIB  Winograd working set per block (default 8192)\n"
  "  VGG_SCOPE_CACHE_DIR       cache of converted Keras/ONNX weights and data-set scans (default\n"
  "                            $XDG_CACHE_HOME/vgg-scope; empty: no cache)\n"
  "  VGG_SCOPE_H5_READER       the program that reads Keras files (default: the installed\n"
  "                            vgg-scope-h5-reader)\n"
  "  VGG_SCOPE_MODEL_BASE_URL  where 'fetch' downloads from\n"
  "                            (default " SCOPE_MODEL_BASE_URL_DEFAULT ")\n"
  "\n"
  "Exit status: 0 on success, 1 when an input or weight file cannot be used, 2 on bad usage.\n";

void
cli_print_error (const VggError *error)
{
  fprintf (stderr, "vgg-scope-cli: %s\n",
           cli_escaped (error->message[0] != '\0' ? error->message
                                                  : vgg_status_string (error->status)));
}

gboolean
cli_check_regular_file (const char  *path,
                        GError     **error)
{
  GStatBuf st;

  if (g_stat (path, &st) != 0)
    {
      int saved = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), "%s: %s", path,
                   saved == ENOENT ? "no such file" : g_strerror (saved));
      return FALSE;
    }
  if (!S_ISREG (st.st_mode))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "%s: not a regular file but %s",
                   path, S_ISDIR (st.st_mode) ? "a folder" : S_ISFIFO (st.st_mode)
                   ? "a named pipe (FIFO)" : "a device or socket");
      return FALSE;
    }
  return TRUE;
}

int
cli_usage_error (GOptionContext *context,
                 const char     *format,
                 ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  fprintf (stderr, "vgg-scope-cli: %s\n", cli_escaped (message));
  if (context != NULL)
    fprintf (stderr, "Try '%s --help' for more information.\n", g_get_prgname ());
  return CLI_EXIT_USAGE;
}

VggStatus
cli_run_new (VggRun        **run,
             const VggModel *model,
             int             batch,
             VggError       *error)
{
  VggRunOptions options;

  scope_engine_environment_run_options (&options);
  return vgg_run_new_with_options (run, model, batch, &options, error);
}

VggModel *
cli_load_model (const char *weights)
{
  VggError error = { 0 };
  VggModel *model = NULL;
  VggStatus status;

  if (weights != NULL)
    status = vgg_model_load_with_options (&model, weights, scope_engine_environment_load_options (), &error);
  else
    status = vgg_model_new_default (&model, &error);
  if (status != VGG_STATUS_OK)
    {
      cli_print_error (&error);
      return NULL;
    }
  return model;
}

void
cli_print_model_banner (const VggModel *model,
                        FILE           *stream)
{
  const VggConfig *config = vgg_model_config (model);

  g_autofree char *classes = config->n_classes > 0
                             ? g_strdup_printf ("%d classes", config->n_classes)
                             : g_strdup ("no classifier (feature maps only)");

  fprintf (stream, "model: %s — %s, %d×%d×%d input, %s preprocessing, %s\n",
           cli_escaped (vgg_model_name (model)), vgg_source_name (vgg_model_source (model)),
           config->input_channels, config->input_height, config->input_width,
           vgg_preset_name (vgg_model_preset (model)), classes);
  if (!vgg_model_is_trained (model))
    fprintf (stream, "warning: this model is UNTRAINED (random weights): its predictions are "
             "meaningless; use --weights FILE for real ones\n");
}

/* Never blocks: a FIFO is no .npy, and the image loader then says what it is. */
static gboolean
is_npy (const char *path)
{
  char magic[6] = { 0 };
  struct stat st;
  gboolean result;
  int fd = open (path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);

  if (fd < 0)
    return FALSE;
  result = fstat (fd, &st) == 0 && S_ISREG (st.st_mode)
           && read (fd, magic, sizeof magic) == (ssize_t) sizeof magic
           && memcmp (magic, "\x93NUMPY", 6) == 0;
  close (fd);
  return result;
}

gboolean
cli_load_input (const VggModel *model,
                const char     *path,
                float          *input)
{
  const VggConfig *config = vgg_model_config (model);
  VggError error = { 0 };

  if (is_npy (path))
    {
      VggNpy npy = { 0 };
      const int64_t *shape;
      int ndim;

      if (vgg_npy_load (&npy, path, &error) != VGG_STATUS_OK)
        {
          cli_print_error (&error);
          return FALSE;
        }
      shape = npy.shape;
      ndim = npy.ndim;
      if (ndim == 4 && shape[0] == 1)
        {
          shape++;
          ndim--;
        }
      if (ndim != 3 || shape[0] != config->input_channels || shape[1] != config->input_height
          || shape[2] != config->input_width)
        {
          GString *found = g_string_new ("(");
          for (int i = 0; i < npy.ndim; i++)
            g_string_append_printf (found, "%s%" G_GINT64_FORMAT, i > 0 ? ", " : "",
                                    npy.shape[i]);
          g_string_append (found, npy.ndim == 1 ? ",)" : ")");
          fprintf (stderr, "vgg-scope-cli: %s: tensor of shape %s, but the model takes "
                   "(1, %d, %d, %d) or (%d, %d, %d)\n", cli_escaped (path), found->str,
                   config->input_channels, config->input_height, config->input_width,
                   config->input_channels, config->input_height, config->input_width);
          g_string_free (found, TRUE);
          vgg_npy_clear (&npy);
          return FALSE;
        }
      for (size_t i = 0; i < npy.count; i++)
        if (!isfinite (npy.data[i]))
          {
            fprintf (stderr, "vgg-scope-cli: %s: element %zu is %s; every input value must be "
                     "a finite number\n", cli_escaped (path), i,
                     isnan (npy.data[i]) ? "NaN" : npy.data[i] > 0 ? "+Inf" : "-Inf");
            vgg_npy_clear (&npy);
            return FALSE;
          }
      memcpy (input, npy.data, npy.count * sizeof (float));
      vgg_npy_clear (&npy);
      return TRUE;
    }

  {
    VggImage image = { 0 };
    VggStatus status = vgg_image_load (&image, path, &error);

    if (status == VGG_STATUS_OK)
      status = vgg_model_preprocess (model, input, &image, NULL, &error);
    vgg_image_clear (&image);
    if (status != VGG_STATUS_OK)
      {
        cli_print_error (&error);
        return FALSE;
      }
  }
  return TRUE;
}

int
main (int    argc,
      char **argv)
{
  static const struct
  {
    const char *name;
    int (*run) (int argc, char **argv);
  } commands[] = {
    { "bench", cli_bench },
    { "classify", cli_classify },
    { "compare", cli_compare },
    { "dump", cli_dump },
    { "explain", cli_explain },
    { "eval", cli_eval },
    { "fetch", cli_fetch },
    { "info", cli_info },
    { "top", cli_top },
    { "train", cli_train },
    { "unit", cli_unit },
    { "visualize", cli_visualize },
  };

  setlocale (LC_ALL, "");
  /* the engine reads no environment: its thread count comes from here (or --threads) */
  scope_engine_environment_apply_threads ();

  if (argc < 2 || strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0
      || strcmp (argv[1], "help") == 0)
    {
      fputs (usage_text, argc < 2 ? stderr : stdout);
      return argc < 2 ? CLI_EXIT_USAGE : CLI_EXIT_OK;
    }
  if (strcmp (argv[1], "--version") == 0)
    {
      printf ("vgg-scope-cli %s\n", PACKAGE_VERSION);
      return CLI_EXIT_OK;
    }

  for (size_t i = 0; i < G_N_ELEMENTS (commands); i++)
    if (strcmp (argv[1], commands[i].name) == 0)
      {
        g_autofree char *prgname = g_strdup_printf ("vgg-scope-cli %s", commands[i].name);
        g_set_prgname (prgname);
        return commands[i].run (argc - 1, argv + 1);
      }

  fprintf (stderr, "vgg-scope-cli: unknown command '%s'\n\n%s", argv[1], usage_text);
  return CLI_EXIT_USAGE;
}
