/* cli-train.c — vgg-scope-cli train: a VGG-style network trained on Fashion-MNIST
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Also home of the Fashion-MNIST helpers cli-eval.c shares (cli.h): reading the data set's
 * IDX files (gzip or plain) and turning a 28×28 garment into the model's input tensor.
 */
#include "config.h"

#include "cli.h"
#include "vgg-train.h"

#include <gio/gio.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* ---- Fashion-MNIST ---- */

const char *const cli_fashion_mnist_classes[CLI_FASHION_MNIST_N_CLASSES] = {
  "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
  "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
};

/* Reads DIR/NAME.gz (or DIR/NAME) whole, decompressed. */
static GBytes *
read_maybe_gzipped (const char  *dir,
                    const char  *name,
                    GError     **error)
{
  g_autofree char *plain = g_build_filename (dir, name, NULL);
  g_autofree char *gzipped = g_strconcat (plain, ".gz", NULL);
  g_autoptr (GFile) file = NULL;
  g_autoptr (GInputStream) raw = NULL;
  g_autoptr (GInputStream) stream = NULL;
  g_autoptr (GOutputStream) sink = NULL;
  g_autoptr (GZlibDecompressor) decompressor = NULL;

  if (!g_file_test (gzipped, G_FILE_TEST_EXISTS) && !g_file_test (plain, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT, "Fashion-MNIST not found in %s: "
                   "no %s(.gz) (Debian: apt install dataset-fashion-mnist)", dir, name);
      return NULL;
    }
  if (!g_file_test (gzipped, G_FILE_TEST_EXISTS))
    {
      char *contents;
      gsize length;

      if (!cli_check_regular_file (plain, error)
          || !g_file_get_contents (plain, &contents, &length, error))
        return NULL;
      return g_bytes_new_take (contents, length);
    }

  if (!cli_check_regular_file (gzipped, error))
    return NULL;
  file = g_file_new_for_path (gzipped);
  raw = G_INPUT_STREAM (g_file_read (file, NULL, error));
  if (raw == NULL)
    return NULL;
  decompressor = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
  stream = g_converter_input_stream_new (raw, G_CONVERTER (decompressor));
  sink = g_memory_output_stream_new_resizable ();
  if (g_output_stream_splice (sink, stream, G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE
                              | G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, error) < 0)
    {
      g_prefix_error (error, "%s: ", gzipped);
      return NULL;
    }
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (sink));
}

static gboolean
parse_idx (VggIdx     *idx,
           const char *dir,
           const char *name)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) bytes = read_maybe_gzipped (dir, name, &error);
  VggError vgg_error = { 0 };
  gsize size;
  const void *data;

  if (bytes == NULL)
    {
      fprintf (stderr, "vgg-scope-cli: %s\n", error->message);
      return FALSE;
    }
  data = g_bytes_get_data (bytes, &size);
  if (vgg_idx_parse (idx, data, size, &vgg_error) != VGG_STATUS_OK)
    {
      fprintf (stderr, "vgg-scope-cli: %s/%s: %s\n", dir, name, vgg_error.message);
      return FALSE;
    }
  return TRUE;
}

gboolean
cli_fashion_mnist_load (const char *dir,
                        gboolean    train,
                        VggIdx     *images,
                        VggIdx     *labels)
{
  const char *prefix = train ? "train" : "t10k";
  g_autofree char *images_name = g_strdup_printf ("%s-images-idx3-ubyte", prefix);
  g_autofree char *labels_name = g_strdup_printf ("%s-labels-idx1-ubyte", prefix);

  if (!parse_idx (images, dir, images_name))
    return FALSE;
  if (!parse_idx (labels, dir, labels_name))
    {
      vgg_idx_clear (images);
      return FALSE;
    }
  if (images->height == 0 || labels->height != 0 || images->count != labels->count)
    {
      fprintf (stderr, "vgg-scope-cli: %s: %s and %s do not match (%d images, %d labels)\n",
               dir, images_name, labels_name, images->count, labels->count);
      vgg_idx_clear (images);
      vgg_idx_clear (labels);
      return FALSE;
    }
  for (int i = 0; i < labels->count; i++)
    if (labels->data[i] >= CLI_FASHION_MNIST_N_CLASSES)
      {
        fprintf (stderr, "vgg-scope-cli: %s: label %d of image %d is not a class\n", dir,
                 labels->data[i], i);
        vgg_idx_clear (images);
        vgg_idx_clear (labels);
        return FALSE;
      }
  return TRUE;
}

void
cli_fashion_mnist_input (float         *input,
                         int            height,
                         int            width,
                         const uint8_t *pixels,
                         int            rows,
                         int            cols,
                         int            dy,
                         int            dx,
                         gboolean       flip)
{
  /* the garment centred on a black canvas, shifted by (dy, dx), values in [0, 1] */
  int y0 = (height - rows) / 2 + dy, x0 = (width - cols) / 2 + dx;

  memset (input, 0, sizeof (float) * (size_t) height * width);
  for (int y = 0; y < rows; y++)
    {
      int ty = y0 + y;
      if (ty < 0 || ty >= height)
        continue;
      for (int x = 0; x < cols; x++)
        {
          int tx = x0 + x;
          int sx = flip ? cols - 1 - x : x;
          if (tx < 0 || tx >= width)
            continue;
          input[(size_t) ty * width + tx] = pixels[(size_t) y * cols + sx] * (1.0f / 255.0f);
        }
    }
}

/* ---- progress ---- */

static char *
format_duration (double seconds)
{
  long s = seconds > 0 && seconds < 1e8 ? (long) (seconds + 0.5) : 0;

  if (s >= 3600)
    return g_strdup_printf ("%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
  return g_strdup_printf ("%ld:%02ld", s / 60, s % 60);
}

/* ---- training ---- */

static volatile sig_atomic_t stop_requested;

static void
on_stop_signal (int signal_number)
{
  (void) signal_number;
  stop_requested = 1;
}

typedef struct
{
  char       *arch;
  int         epochs, batch, limit;
  double      learning_rate, momentum, weight_decay, warmup, dropout;
  gint64      seed;
  gboolean    no_augment;
} TrainSettings;

/* The settings as checkpoint metadata, so --resume can refuse a different run. */
static char *
settings_describe (const TrainSettings *s)
{
  return g_strdup_printf ("arch %s epochs %d batch %d limit %d lr %g momentum %g "
                          "weight-decay %g warmup %g dropout %g seed %" G_GINT64_FORMAT
                          " augment %d", s->arch, s->epochs, s->batch, s->limit,
                          s->learning_rate, s->momentum, s->weight_decay, s->warmup,
                          s->dropout, s->seed, !s->no_augment);
}

/* "c32x2-c64x2-c128x2-fc256" (plus "-bn" for batch norm, default on) */
static gboolean
parse_architecture (const char *text,
                    VggConfig  *config)
{
  g_auto (GStrv) parts = g_strsplit (text, "-", -1);

  memset (config, 0, sizeof *config);
  for (int i = 0; parts[i] != NULL; i++)
    {
      int a, b;
      char tail;

      if (sscanf (parts[i], "c%dx%d%c", &a, &b, &tail) == 2)
        {
          if (config->n_blocks >= VGG_MAX_BLOCKS || config->n_hidden_fc > 0)
            return FALSE;
          config->block_widths[config->n_blocks] = a;
          config->block_convs[config->n_blocks++] = b;
        }
      else if (sscanf (parts[i], "fc%d%c", &a, &tail) == 1)
        {
          if (config->n_hidden_fc >= VGG_MAX_FC)
            return FALSE;
          config->hidden_fc_widths[config->n_hidden_fc++] = a;
        }
      else if (strcmp (parts[i], "bn") == 0)
        config->batch_norm = true;
      else
        return FALSE;
    }
  return config->n_blocks > 0;
}

typedef struct
{
  int  epoch, batch;
  char settings[1024];
} ResumeState;

static void
on_checkpoint_metadata (const char *key,
                        const char *value,
                        void       *user_data)
{
  ResumeState *state = user_data;

  if (strcmp (key, "vgg_scope.train.epoch") == 0)
    state->epoch = atoi (value);
  else if (strcmp (key, "vgg_scope.train.batch") == 0)
    state->batch = atoi (value);
  else if (strcmp (key, "vgg_scope.train.settings") == 0)
    g_strlcpy (state->settings, value, sizeof state->settings);
}

static gboolean
save_checkpoint (VggTrainer *trainer,
                 const char *path,
                 const char *settings,
                 int         epoch,
                 int         batch)
{
  g_autofree char *epoch_text = g_strdup_printf ("%d", epoch);
  g_autofree char *batch_text = g_strdup_printf ("%d", batch);
  VggMetadataItem items[] = {
    { "vgg_scope.train.settings", settings },
    { "vgg_scope.train.epoch", epoch_text },
    { "vgg_scope.train.batch", batch_text },
  };
  VggError error = { 0 };

  if (vgg_trainer_save_checkpoint (trainer, path, items, G_N_ELEMENTS (items), &error)
      != VGG_STATUS_OK)
    {
      cli_print_error (&error);
      return FALSE;
    }
  return TRUE;
}

/* Test-set loss and accuracy in eval mode. */
static void
evaluate (VggTrainer   *trainer,
          const VggIdx *images,
          const VggIdx *labels,
          int           batch,
          float        *input,
          int          *label_batch,
          double       *loss_out,
          double       *accuracy_out)
{
  const VggConfig *config = vgg_trainer_config (trainer);
  size_t per_image = (size_t) config->input_height * config->input_width;
  double loss = 0.0;
  int correct = 0;

  for (int start = 0; start < images->count; start += batch)
    {
      int n = MIN (batch, images->count - start), hits;
      VggError error = { 0 };

      for (int i = 0; i < n; i++)
        {
          int k = start + i;
          cli_fashion_mnist_input (input + i * per_image, config->input_height,
                                   config->input_width,
                                   images->data + (size_t) k * images->height * images->width,
                                   images->height, images->width, 0, 0, FALSE);
          label_batch[i] = labels->data[k];
        }
      if (vgg_trainer_forward (trainer, input, n, VGG_PASS_EVAL, &error) != VGG_STATUS_OK)
        {
          cli_print_error (&error);
          break;
        }
      loss += vgg_trainer_loss (trainer, label_batch, &hits) * n;
      correct += hits;
    }
  *loss_out = loss / images->count;
  *accuracy_out = (double) correct / images->count;
}

static char *
class_list (void)
{
  GString *text = g_string_new (NULL);

  for (int k = 0; k < CLI_FASHION_MNIST_N_CLASSES; k++)
    g_string_append_printf (text, "%s%s", k > 0 ? "\n" : "", cli_fashion_mnist_classes[k]);
  return g_string_free (text, FALSE);
}

/* "Fashion-MNIST VGG 32-64-128" */
static char *
default_name (const VggConfig *config)
{
  GString *name = g_string_new ("Fashion-MNIST VGG ");

  for (int b = 0; b < config->n_blocks; b++)
    g_string_append_printf (name, "%s%d", b > 0 ? "-" : "", config->block_widths[b]);
  return g_string_free (name, FALSE);
}

int
cli_train (int    argc,
           char **argv)
{
  TrainSettings s = {
    .arch = NULL, .epochs = 12, .batch = 128, .limit = 0, .learning_rate = 0.1,
    .momentum = 0.9, .weight_decay = 5e-4, .warmup = 0.2, .dropout = 0.3, .seed = 2026,
  };
  g_autofree char *data_dir = NULL, *output = NULL, *checkpoint = NULL, *name = NULL;
  gboolean resume = FALSE, quiet = FALSE;
  int threads = 0, input_side = 32;
  GOptionEntry entries[] = {
    { "data", 'd', 0, G_OPTION_ARG_FILENAME, &data_dir,
      "Fashion-MNIST IDX files (default: " CLI_FASHION_MNIST_DIR ")", "DIR" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      "Write the trained model here (safetensors, BN folded)", "FILE" },
    { "checkpoint", 'c', 0, G_OPTION_ARG_FILENAME, &checkpoint,
      "Save the training state here after every epoch and on Ctrl-C (default: OUTPUT.ckpt)",
      "FILE" },
    { "resume", 'r', 0, G_OPTION_ARG_NONE, &resume,
      "Continue from the checkpoint (run the same command again with --resume)", NULL },
    { "arch", 'a', 0, G_OPTION_ARG_STRING, &s.arch,
      "Blocks of convs and hidden FC widths (default: c32x2-c64x2-c128x2-fc256-bn)", "SPEC" },
    { "input-size", 0, 0, G_OPTION_ARG_INT, &input_side,
      "Input side: the 28×28 garment centred on a black square (default: 32)", "N" },
    { "epochs", 'e', 0, G_OPTION_ARG_INT, &s.epochs, "Epochs (default: 12)", "N" },
    { "batch", 'b', 0, G_OPTION_ARG_INT, &s.batch, "Mini-batch size (default: 128)", "N" },
    { "lr", 0, 0, G_OPTION_ARG_DOUBLE, &s.learning_rate,
      "Peak learning rate of the one-cycle schedule (default: 0.1)", "LR" },
    { "warmup", 0, 0, G_OPTION_ARG_DOUBLE, &s.warmup,
      "Fraction of steps warming up (default: 0.2)", "F" },
    { "momentum", 0, 0, G_OPTION_ARG_DOUBLE, &s.momentum,
      "Nesterov momentum (default: 0.9)", "M" },
    { "weight-decay", 0, 0, G_OPTION_ARG_DOUBLE, &s.weight_decay,
      "L2 weight decay on conv and FC weights (default: 5e-4)", "W" },
    { "dropout", 0, 0, G_OPTION_ARG_DOUBLE, &s.dropout,
      "Dropout after hidden FC layers (default: 0.3)", "P" },
    { "no-augment", 0, 0, G_OPTION_ARG_NONE, &s.no_augment,
      "No random flips and ±2-pixel shifts", NULL },
    { "seed", 's', 0, G_OPTION_ARG_INT64, &s.seed, "Random seed (default: 2026)", "N" },
    { "limit", 'n', 0, G_OPTION_ARG_INT, &s.limit,
      "Train on the first N images only (quick runs, tests)", "N" },
    { "name", 0, 0, G_OPTION_ARG_STRING, &name,
      "Display name stored in the model (default: Fashion-MNIST VGG and the block widths)",
      "TEXT" },
    { "threads", 't', 0, G_OPTION_ARG_INT, &threads, "Threads (default: all CPUs)", "N" },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "Only the per-epoch lines", NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("— train a VGG on Fashion-MNIST");
  g_autoptr (GError) error = NULL;
  VggIdx train_images = { 0 }, train_labels = { 0 }, test_images = { 0 }, test_labels = { 0 };
  VggTrainerOptions options = { 0 };
  VggTrainer *trainer = NULL;
  VggError vgg_error = { 0 };
  g_autofree char *settings = NULL, *classes = NULL;
  g_autofree float *input = NULL;
  g_autofree int *labels = NULL, *order = NULL;
  ResumeState state = { 0 };
  int status = CLI_EXIT_FAILURE, n_train, n_batches, rows, cols;
  size_t per_image;
  gint64 total_steps;
  gboolean tty = isatty (fileno (stderr));
  double run_start = g_get_monotonic_time () / 1e6, test_loss = 0.0, test_accuracy = 0.0;

  g_option_context_set_summary (context,
    "Trains a VGG-style network (3×3 same convs + ReLU, 2×2 max-pools, FC, softmax; batch\n"
    "norm while training, folded into the convs on export) on Fashion-MNIST with SGD,\n"
    "Nesterov momentum, weight decay and a one-cycle schedule. The same seed gives the same\n"
    "model. Ctrl-C saves a checkpoint; --resume continues exactly where it stopped.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return cli_usage_error (context, "%s", error->message);
  if (argc > 1)
    return cli_usage_error (context, "unexpected argument '%s'", argv[1]);
  if (output == NULL)
    return cli_usage_error (context, "--output FILE is required");
  if (s.arch == NULL)
    s.arch = g_strdup ("c32x2-c64x2-c128x2-fc256-bn");
  if (!parse_architecture (s.arch, &options.config))
    return cli_usage_error (context, "cannot read architecture '%s' (e.g. c32x2-c64x2-fc256-bn)",
                            s.arch);
  if (s.epochs < 1 || s.batch < 1 || s.batch > 4096 || s.limit < 0 || input_side < 28
      || input_side > 256 || !(s.learning_rate > 0) || !(s.dropout >= 0 && s.dropout < 1)
      || !(s.warmup >= 0 && s.warmup < 1) || !(s.momentum >= 0 && s.momentum < 1)
      || !(s.weight_decay >= 0))
    return cli_usage_error (context, "an option is out of range");
  if (checkpoint == NULL)
    checkpoint = g_strconcat (output, ".ckpt", NULL);
  if (data_dir == NULL)
    data_dir = g_strdup (CLI_FASHION_MNIST_DIR);
  if (threads > 0)
    vgg_set_threads (threads);

  options.config.input_channels = 1;
  options.config.input_height = options.config.input_width = input_side;
  options.config.n_classes = CLI_FASHION_MNIST_N_CLASSES;
  options.dropout = (float) s.dropout;
  options.max_batch = s.batch;
  options.seed = (uint64_t) s.seed;
  if (vgg_trainer_new (&trainer, &options, &vgg_error) != VGG_STATUS_OK)
    {
      cli_print_error (&vgg_error);
      return CLI_EXIT_FAILURE;
    }

  if (!cli_fashion_mnist_load (data_dir, TRUE, &train_images, &train_labels)
      || !cli_fashion_mnist_load (data_dir, FALSE, &test_images, &test_labels))
    {
      goto out;   /* cli_fashion_mnist_load() has said why */
    }

  settings = settings_describe (&s);
  if (resume)
    {
      if (vgg_trainer_load_checkpoint (trainer, checkpoint, on_checkpoint_metadata, &state,
                                       &vgg_error) != VGG_STATUS_OK)
        {
          cli_print_error (&vgg_error);
          goto out;
        }
      if (strcmp (state.settings, settings) != 0)
        {
          fprintf (stderr, "vgg-scope-cli: %s was written by a run with other settings:\n"
                   "  checkpoint: %s\n  this run:   %s\n", checkpoint, state.settings,
                   settings);
          goto out;
        }
      fprintf (stderr, "resuming from %s at epoch %d, batch %d\n", checkpoint, state.epoch + 1,
               state.batch);
    }

  rows = train_images.height;
  cols = train_images.width;
  per_image = (size_t) input_side * input_side;
  n_train = s.limit > 0 ? MIN (s.limit, train_images.count) : train_images.count;
  n_batches = n_train / s.batch;               /* the last partial batch is dropped */
  if (n_batches < 1)
    {
      fprintf (stderr, "vgg-scope-cli: %d training images do not fill a batch of %d\n",
               n_train, s.batch);
      goto out;
    }
  total_steps = (gint64) n_batches * s.epochs;
  input = g_new (float, (size_t) s.batch * per_image);
  labels = g_new (int, s.batch);
  order = g_new (int, n_train);

  {
    int64_t n_params = (int64_t) vgg_trainer_n_params (trainer), macs = 0;
    for (int i = 0; i < vgg_trainer_n_layers (trainer); i++)
      macs += vgg_trainer_layer (trainer, i)->macs;
    fprintf (stderr, "training %s on %d images (%d batches of %d, %d epochs), %" G_GINT64_FORMAT
             " parameters, %.1f M MACs per image, seed %" G_GINT64_FORMAT "\n", s.arch, n_train,
             n_batches, s.batch, s.epochs, (gint64) n_params, macs / 1e6, s.seed);
  }

  signal (SIGINT, on_stop_signal);
  signal (SIGTERM, on_stop_signal);

  for (int epoch = state.epoch; epoch < s.epochs; epoch++)
    {
      uint64_t shuffle = (uint64_t) s.seed * 0x9e3779b97f4a7c15ull + (uint64_t) epoch + 1;
      double epoch_start = g_get_monotonic_time () / 1e6, loss_sum = 0.0, last_report = 0.0;
      int correct = 0, seen = 0, first_batch = epoch == state.epoch ? state.batch : 0;
      GRand *rand;

      /* the epoch's order depends only on the seed and the epoch: a resumed run sees the same */
      rand = g_rand_new_with_seed_array ((const guint32[]) { (guint32) shuffle,
                                                             (guint32) (shuffle >> 32) }, 2);
      for (int i = 0; i < n_train; i++)
        order[i] = i;
      for (int i = n_train - 1; i > 0; i--)
        {
          int j = g_rand_int_range (rand, 0, i + 1), t = order[i];
          order[i] = order[j];
          order[j] = t;
        }
      g_rand_free (rand);

      for (int b = first_batch; b < n_batches; b++)
        {
          gint64 step = (gint64) epoch * n_batches + b;
          float lr = vgg_one_cycle_learning_rate ((float) s.learning_rate, step, total_steps,
                                                  (float) s.warmup);
          float loss;
          int hits;

          for (int i = 0; i < s.batch; i++)
            {
              int k = order[b * s.batch + i];
              /* augmentation drawn from (seed, epoch, image): reproducible across resumes */
              uint64_t h = ((uint64_t) s.seed << 32) ^ ((uint64_t) epoch << 24) ^ (uint64_t) k;
              int dy = 0, dx = 0;
              gboolean flip = FALSE;

              h = (h ^ (h >> 33)) * 0xff51afd7ed558ccdull;
              h = (h ^ (h >> 33)) * 0xc4ceb9fe1a85ec53ull;
              h ^= h >> 33;
              if (!s.no_augment)
                {
                  dy = (int) (h % 5) - 2;
                  dx = (int) (h / 5 % 5) - 2;
                  flip = (h >> 40) & 1;
                }
              cli_fashion_mnist_input (input + i * per_image, input_side, input_side,
                                       train_images.data + (size_t) k * rows * cols, rows, cols,
                                       dy, dx, flip);
              labels[i] = train_labels.data[k];
            }

          if (vgg_trainer_forward (trainer, input, s.batch, VGG_PASS_TRAIN, &vgg_error)
              != VGG_STATUS_OK)
            {
              cli_print_error (&vgg_error);
              goto out;
            }
          loss = vgg_trainer_loss (trainer, labels, &hits);
          if (!isfinite (loss))
            {
              fprintf (stderr, "\nvgg-scope-cli: the loss diverged at epoch %d, batch %d; try "
                       "a lower --lr\n", epoch + 1, b);
              goto out;
            }
          if (vgg_trainer_backward (trainer, NULL, &vgg_error) != VGG_STATUS_OK)
            {
              cli_print_error (&vgg_error);
              goto out;
            }
          vgg_trainer_sgd_step (trainer, lr, (float) s.momentum, (float) s.weight_decay, true);
          loss_sum += loss * s.batch;
          correct += hits;
          seen += s.batch;

          if (!quiet)
            {
              double now = g_get_monotonic_time () / 1e6;
              double done = (double) (b + 1 - first_batch) / (n_batches - first_batch);
              double elapsed = now - epoch_start;
              double epoch_eta = done > 0 ? elapsed / done - elapsed : 0;
              double steps_left = (double) (total_steps - step - 1);
              double per_step = elapsed / (b + 1 - first_batch);

              if ((tty && now - last_report > 0.25) || b + 1 == n_batches
                  || (!tty && now - last_report > 60))
                {
                  int width = 30, filled = (int) ((b + 1) * (double) width / n_batches);
                  char bar[64];
                  g_autofree char *eta = format_duration (epoch_eta);
                  g_autofree char *total_eta = format_duration (steps_left * per_step);

                  for (int i = 0; i < width; i++)
                    bar[i] = i < filled ? '#' : '.';
                  bar[width] = '\0';
                  fprintf (stderr, "%sepoch %d/%d [%s] %3d%%  loss %.4f  acc %.2f%%  lr %.4f  "
                           "%.0f img/s  ETA %s (all %s)%s", tty ? "\r" : "", epoch + 1,
                           s.epochs, bar, (int) (100.0 * (b + 1) / n_batches),
                           loss_sum / seen, 100.0 * correct / seen, lr, seen / elapsed, eta,
                           total_eta, tty ? "  " : "\n");
                  last_report = now;
                }
            }

          if (stop_requested)
            {
              if (tty && !quiet)
                fputc ('\n', stderr);
              if (!save_checkpoint (trainer, checkpoint, settings, epoch, b + 1))
                goto out;
              fprintf (stderr, "stopped; the state is in %s: run the same command with "
                       "--resume to continue\n", checkpoint);
              status = CLI_EXIT_FAILURE;
              goto out;
            }
        }
      if (tty && !quiet)
        fputc ('\n', stderr);

      evaluate (trainer, &test_images, &test_labels, s.batch, input, labels, &test_loss,
                &test_accuracy);
      {
        double now = g_get_monotonic_time () / 1e6;
        g_autofree char *took = format_duration (now - epoch_start);
        g_autofree char *total = format_duration (now - run_start);

        printf ("epoch %2d/%d  train loss %.4f acc %.2f%%  test loss %.4f acc %.2f%%  "
                "(%s, total %s)\n", epoch + 1, s.epochs, seen > 0 ? loss_sum / seen : 0.0,
                seen > 0 ? 100.0 * correct / seen : 0.0, test_loss, 100.0 * test_accuracy,
                took, total);
        fflush (stdout);
      }
      if (!save_checkpoint (trainer, checkpoint, settings, epoch + 1, 0))
        goto out;
    }

  if (state.epoch >= s.epochs)
    {
      /* resumed after the last epoch: measure and export again (e.g. with another --name) */
      fprintf (stderr, "%s holds a finished run: exporting it again\n", checkpoint);
      evaluate (trainer, &test_images, &test_labels, s.batch, input, labels, &test_loss,
                &test_accuracy);
    }

  classes = class_list ();
  {
    g_autofree char *accuracy = g_strdup_printf ("%.2f", 100.0 * test_accuracy);
    g_autofree char *input_size = g_strdup_printf ("%d", input_side);
    g_autofree char *display = name != NULL ? g_strdup (name) : default_name (&options.config);
    VggMetadataItem items[] = {
      { "vgg_scope.name", display },
      { "vgg_scope.preset", "fashion-mnist" },
      { "vgg_scope.classes", classes },
      { "vgg_scope.trained", "true" },
      { "vgg_scope.input_size", input_size },
      { "vgg_scope.input_channels", "1" },
      { "vgg_scope.dataset", "Fashion-MNIST (Zalando SE, MIT licence)" },
      { "vgg_scope.test_accuracy", accuracy },
      { "vgg_scope.train.settings", settings },
      { "vgg_scope.train.engine", "vgg-scope-cli train " PACKAGE_VERSION },
    };

    if (vgg_trainer_export (trainer, output, items, G_N_ELEMENTS (items), &vgg_error)
        != VGG_STATUS_OK)
      {
        cli_print_error (&vgg_error);
        goto out;
      }
    fprintf (stderr, "wrote %s (test accuracy %s%%)\n", output, accuracy);
  }
  status = CLI_EXIT_OK;

out:
  g_free (s.arch);
  vgg_trainer_free (trainer);
  vgg_idx_clear (&train_images);
  vgg_idx_clear (&train_labels);
  vgg_idx_clear (&test_images);
  vgg_idx_clear (&test_labels);
  return status;
}
