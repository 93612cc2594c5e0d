/* cli-explain.c — vgg-scope-cli explain: why this class, as .npy maps or PNG overlays
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "cli.h"
#include "scope-engine-environment.h"
#include "vgg-explain.h"
#include "vgg-occlusion.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#define METHOD_OCCLUSION VGG_EXPLAIN_N_METHODS

typedef struct
{
  int       method;           /* a VggExplainMethod or METHOD_OCCLUSION */
  gboolean  png;
  gboolean  folder;
  const char *out;
} Output;

static gboolean
is_npy_path (const char *path)
{
  return g_str_has_suffix (path, ".npy") || g_str_has_suffix (path, ".NPY");
}

/* The input tensor of @path, and the picture the network sees (for overlays): the image after
 * resizing and cropping, or the .npy tensor's channels stretched to grey. */
static gboolean
load_input (const VggModel *model,
            const char     *path,
            float          *input,
            VggImage       *seen)
{
  const VggConfig *config = vgg_model_config (model);
  VggImage image = { 0 };
  VggError error = { 0 };
  size_t plane = (size_t) config->input_height * config->input_width;

  if (is_npy_path (path))
    {
      float lo = INFINITY, hi = -INFINITY;

      if (!cli_load_input (model, path, input))
        return FALSE;
      for (size_t q = 0; q < plane * config->input_channels; q++)
        lo = fminf (lo, input[q]), hi = fmaxf (hi, input[q]);
      seen->width = config->input_width;
      seen->height = config->input_height;
      seen->pixels = g_malloc (plane * 3);
      for (size_t q = 0; q < plane; q++)
        {
          float sum = 0.0f;
          for (int c = 0; c < config->input_channels; c++)
            sum += input[c * plane + q];
          sum /= (float) config->input_channels;
          seen->pixels[3 * q] = seen->pixels[3 * q + 1] = seen->pixels[3 * q + 2]
            = (uint8_t) (hi > lo ? 255.0f * (sum - lo) / (hi - lo) : 0.0f);
        }
      return TRUE;
    }
  if (vgg_image_load (&image, path, &error) != VGG_STATUS_OK
      || vgg_model_preprocess (model, input, &image, seen, &error) != VGG_STATUS_OK)
    {
      vgg_image_clear (&image);
      cli_print_error (&error);
      return FALSE;
    }
  vgg_image_clear (&image);
  return TRUE;
}

/* A colour-mapped overlay: |map| (summed over channels) up-sampled to the input, scaled by its
 * largest value, over the picture at half strength. */
static VggStatus
save_overlay (const char     *path,
              const VggImage *seen,
              const float    *map,
              int             channels,
              int             height,
              int             width,
              VggError       *error)
{
  int h = seen->height, w = seen->width;
  g_autofree float *magnitude = g_new0 (float, (gsize) height * width);
  g_autofree float *up = g_new (float, (gsize) h * w);
  VggImage image = { w, h, g_malloc ((gsize) h * w * 3) };
  float max = 0.0f;
  VggStatus status;

  for (int c = 0; c < channels; c++)
    for (int q = 0; q < height * width; q++)
      magnitude[q] += fabsf (map[(size_t) c * height * width + q]);
  vgg_explain_upsample (up, magnitude, height, width, h, w);
  for (int q = 0; q < h * w; q++)
    max = fmaxf (max, up[q]);
  for (int q = 0; q < h * w; q++)
    {
      uint8_t rgb[3];

      vgg_colormap_lookup (VGG_COLORMAP_MAGMA, max > 0.0f ? up[q] / max : 0.0f, rgb);
      for (int k = 0; k < 3; k++)
        image.pixels[3 * q + k] = (uint8_t) ((seen->pixels[3 * q + k] + rgb[k] + 1) / 2);
    }
  status = vgg_image_save_png (&image, path, error);
  vgg_image_clear (&image);
  return status;
}

static const char *
method_name (int method)
{
  return method == METHOD_OCCLUSION ? "occlusion" : vgg_explain_method_name (method);
}

/* The file one input's result goes to. */
static char *
output_path (const Output *output,
             const char   *input)
{
  g_autofree char *base = NULL;
  char *dot;

  if (!output->folder)
    return g_strdup (output->out);
  base = g_path_get_basename (input);
  dot = strrchr (base, '.');
  if (dot != NULL && dot != base)
    *dot = '\0';
  return g_strdup_printf ("%s/%s-%s.%s", output->out, base, method_name (output->method),
                          output->png ? "png" : "npy");
}

static void
print_layers (const VggModel *model)
{
  GString *names = g_string_new (NULL);

  for (int i = 0; i < vgg_model_n_layers (model); i++)
    g_string_append_printf (names, "%s%s", i > 0 ? ", " : "", vgg_model_layer (model, i)->name);
  fprintf (stderr, "vgg-scope-cli: layers: %s\n", names->str);
  g_string_free (names, TRUE);
}

static gboolean
parse_unit (const char *text,
            int        *c,
            int        *y,
            int        *x)
{
  char end;

  return sscanf (text, "%d,%d,%d%c", c, y, x, &end) == 3;
}

/* Writes one result; returns an exit code. */
static int
write_result (const Output   *output,
              const char     *path,
              const VggImage *seen,
              const float    *map,
              int             channels,
              int             height,
              int             width,
              gboolean        plane)
{
  VggError error = { 0 };
  VggStatus status;

  if (output->png)
    status = save_overlay (path, seen, map, channels, height, width, &error);
  else
    {
      int64_t shape[3] = { channels, height, width };
      status = plane ? vgg_npy_save (path, map, 2, shape + 1, &error)
                     : vgg_npy_save (path, map, 3, shape, &error);
    }
  if (status != VGG_STATUS_OK)
    {
      cli_print_error (&error);
      return CLI_EXIT_FAILURE;
    }
  return CLI_EXIT_OK;
}

/* The top class of @input, for an occlusion map asked without --class. */
static gboolean
top_class (const VggModel *model,
           VggRun        **run,
           const float    *input,
           int            *class_index)
{
  VggError error = { 0 };
  float probability;

  if ((*run == NULL && cli_run_new (run, model, 1, &error) != VGG_STATUS_OK)
      || vgg_run_forward (*run, input, &error) != VGG_STATUS_OK)
    {
      cli_print_error (&error);
      return FALSE;
    }
  return vgg_run_top_k (*run, 0, 1, class_index, &probability) == 1;
}

static int
run_occlusion (const VggModel *model,
               char          **inputs,
               int             n_inputs,
               const Output   *output,
               int             class_index,
               int             patch,
               int             stride,
               gboolean        exhaustive)
{
  const VggConfig *config = vgg_model_config (model);
  VggOcclusion *occlusion = NULL;
  VggRun *run = NULL;
  VggOcclusionOptions options = { .class_index = class_index, .patch = patch,
                                  .stride = stride, .exhaustive = exhaustive, .batch = 0 };
  VggError error = { 0 };
  g_autofree float *input = g_new (float, (gsize) config->input_channels
                                          * config->input_height * config->input_width);
  g_autofree float *map = NULL;
  int n_y, n_x, exit_code = CLI_EXIT_OK;

  if (vgg_occlusion_map_size (model, patch, stride, &n_y, &n_x, &error) != VGG_STATUS_OK
      || vgg_occlusion_new (&occlusion, model, &error) != VGG_STATUS_OK)
    {
      cli_print_error (&error);
      return CLI_EXIT_FAILURE;
    }
  map = g_new (float, (gsize) n_y * n_x);
  for (int i = 0; i < n_inputs && exit_code == CLI_EXIT_OK; i++)
    {
      VggImage seen = { 0 };
      g_autofree char *path = output_path (output, inputs[i]);

      if (!load_input (model, inputs[i], input, &seen))
        exit_code = CLI_EXIT_FAILURE;
      else if (class_index < 0 && !top_class (model, &run, input, &options.class_index))
        exit_code = CLI_EXIT_FAILURE;
      else if (vgg_occlusion_compute (occlusion, input, &options, map, &error) != VGG_STATUS_OK)
        {
          cli_print_error (&error);
          exit_code = CLI_EXIT_FAILURE;
        }
      else
        {
          exit_code = write_result (output, path, &seen, map, 1, n_y, n_x, TRUE);
          if (exit_code == CLI_EXIT_OK)
            printf ("%s: occlusion %d×%d (patch %d, stride %d) → %s\n", inputs[i], n_y, n_x,
                    patch, stride, path);
        }
      vgg_image_clear (&seen);
    }
  vgg_occlusion_free (occlusion);
  g_clear_pointer (&run, vgg_run_free);
  return exit_code;
}

int
cli_explain (int    argc,
             char **argv)
{
  g_autofree char *weights = NULL, *method_text = NULL, *layer_name = NULL, *unit_text = NULL;
  g_autofree char *randomize_name = NULL, *format = NULL, *out = NULL;
  int class_index = -1, patch = -1, stride = -1, smooth = 0, steps = 32, repeat = 1;
  gint64 seed = 0;
  double noise = -1.0;
  gboolean exhaustive = FALSE, times_input = FALSE, average = FALSE;
  GOptionEntry entries[] = {
    { "weights", 'w', 0, G_OPTION_ARG_FILENAME, &weights,
      "Weight file (.pth, .safetensors, Keras .h5 or .onnx); default: the built-in model", "FILE" },
    { "method", 'm', 0, G_OPTION_ARG_STRING, &method_text,
      "saliency, gradcam, guided, deconv, guided-gradcam, ig, erf or occlusion", "METHOD" },
    { "class", 'c', 0, G_OPTION_ARG_INT, &class_index,
      "Class to explain (default: the top class)", "K" },
    { "layer", 'l', 0, G_OPTION_ARG_STRING, &layer_name,
      "Grad-CAM's layer (default: the last conv); the unit's layer for erf, guided, deconv",
      "NAME" },
    { "unit", 'u', 0, G_OPTION_ARG_STRING, &unit_text,
      "Channel,row,column of a unit in --layer's output (erf; guided/deconv of a unit)",
      "C,Y,X" },
    { "patch", 0, 0, G_OPTION_ARG_INT, &patch,
      "Occlusion patch side (default: input side / 7, rounded down: 32 at 224, 4 at 32)", "P" },
    { "stride", 0, 0, G_OPTION_ARG_INT, &stride, "Occlusion stride (default: patch / 2)", "S" },
    { "exhaustive", 0, 0, G_OPTION_ARG_NONE, &exhaustive,
      "Occlusion: run every patch in full instead of incrementally", NULL },
    { "times-input", 0, 0, G_OPTION_ARG_NONE, &times_input, "Saliency: gradient × input", NULL },
    { "smooth", 0, 0, G_OPTION_ARG_INT, &smooth,
      "Saliency: SmoothGrad over N noisy copies; erf: average over N noise inputs", "N" },
    { "noise", 0, 0, G_OPTION_ARG_DOUBLE, &noise,
      "SmoothGrad's noise σ in input units (default 0.15 × the input's range); erf noise σ "
      "(default 1)", "SIGMA" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, "Seed of the noise and random weights (default 0)",
      "S" },
    { "steps", 0, 0, G_OPTION_ARG_INT, &steps, "Integrated gradients' steps (default 32)", "M" },
    { "average", 0, 0, G_OPTION_ARG_NONE, &average,
      "erf: one map, the mean |∂z/∂x| over all inputs", NULL },
    { "repeat", 0, 0, G_OPTION_ARG_INT, &repeat,
      "Compute each map N times and report the median time (for benchmarks)", "N" },
    { "randomize-from", 0, 0, G_OPTION_ARG_STRING, &randomize_name,
      "Sanity check: random weights (torchvision's init, --seed) from LAYER to the top",
      "LAYER" },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format,
      "npy (raw float32) or png (overlay); default: --out's extension, npy for a folder",
      "FORMAT" },
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out,
      "Output file, or folder (several inputs: STEM-METHOD.npy or .png there)", "FILE|DIR" },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("INPUT… — why this class: "
                                                             "saliency and friends");
  g_autoptr (GError) gerror = NULL;
  Output output = { 0 };
  VggExplainerOptions options = { 0 };
  VggRunOptions run_options;
  VggExplainRequest request;
  VggError error = { 0 };
  VggModel *model = NULL;
  VggExplainer *explainer = NULL;
  const VggConfig *config;
  g_autofree float *input = NULL, *map = NULL;
  int exit_code = CLI_EXIT_USAGE, n_inputs, unit_c = 0, unit_y = 0, unit_x = 0;
  int layer_index = -1, channels, height, width;
  gboolean needs_class;
  VggStatus status;

  g_option_context_set_summary (context,
    "INPUT is an image or a preprocessed .npy tensor, as for 'classify'. The .npy result is\n"
    "the raw float32 map: [C, H, W] of the network input for saliency, guided, deconv,\n"
    "guided-gradcam, ig and erf; [H_L, W_L] for gradcam; [n_y, n_x] for occlusion. The PNG is\n"
    "its magnitude, colour-mapped over the picture the network sees.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &gerror))
    return cli_usage_error (context, "%s", gerror->message);
  n_inputs = argc - 1;
  if (n_inputs < 1)
    return cli_usage_error (context, "no input given");
  if (method_text == NULL)
    return cli_usage_error (context, "--method is required (saliency, gradcam, guided, deconv, "
                            "guided-gradcam, ig, erf or occlusion)");
  if (strcmp (method_text, "occlusion") == 0)
    output.method = METHOD_OCCLUSION;
  else
    {
      VggExplainMethod m;
      if (!vgg_explain_method_from_name (method_text, &m))
        return cli_usage_error (context, "unknown method '%s' (saliency, gradcam, guided, "
                                "deconv, guided-gradcam, ig, erf or occlusion)", method_text);
      output.method = m;
    }
  if (out == NULL)
    return cli_usage_error (context, "--out FILE|DIR is required");
  output.out = out;
  output.folder = n_inputs > 1 || g_file_test (out, G_FILE_TEST_IS_DIR)
                  || g_str_has_suffix (out, "/");
  if (average && output.method == VGG_EXPLAIN_ERF)
    output.folder = g_file_test (out, G_FILE_TEST_IS_DIR) || g_str_has_suffix (out, "/");
  if (format != NULL)
    {
      if (strcmp (format, "png") != 0 && strcmp (format, "npy") != 0)
        return cli_usage_error (context, "--format must be npy or png");
      output.png = strcmp (format, "png") == 0;
    }
  else if (output.folder || is_npy_path (out))
    output.png = FALSE;
  else if (g_str_has_suffix (out, ".png") || g_str_has_suffix (out, ".PNG"))
    output.png = TRUE;
  else
    return cli_usage_error (context, "--out must end in .npy or .png (or give --format)");
  if (unit_text != NULL && !parse_unit (unit_text, &unit_c, &unit_y, &unit_x))
    return cli_usage_error (context, "--unit takes channel,row,column (three integers), not "
                            "'%s'", unit_text);
  if (output.method == VGG_EXPLAIN_ERF && unit_text == NULL)
    return cli_usage_error (context, "erf needs --layer NAME and --unit C,Y,X");
  if (output.method == VGG_EXPLAIN_ERF && layer_name == NULL)
    return cli_usage_error (context, "erf needs --layer NAME (a conv or pool layer)");
  if ((output.method == VGG_EXPLAIN_GUIDED || output.method == VGG_EXPLAIN_DECONV)
      && (unit_text != NULL) != (layer_name != NULL))
    return cli_usage_error (context, "%s projects a unit with both --layer and --unit, or a "
                            "class with neither", method_text);
  if (stride == 0)
    return cli_usage_error (context, "--stride must be at least 1");
  if (steps < 1 || steps > 100000)
    return cli_usage_error (context, "--steps must be 1…100000");
  if (smooth < 0 || smooth > 100000)
    return cli_usage_error (context, "--smooth must be 0…100000");
  if (noise != -1.0 && !(noise >= 0.0))
    return cli_usage_error (context, "--noise must be ≥ 0");
  if (class_index < -1)
    return cli_usage_error (context, "--class must be ≥ 0");
  if (repeat < 1 || repeat > 10000)
    return cli_usage_error (context, "--repeat must be 1…10000");

  model = cli_load_model (weights);
  if (model == NULL)
    return CLI_EXIT_FAILURE;
  config = vgg_model_config (model);
  cli_print_model_banner (model, stdout);

  if (layer_name != NULL)
    {
      layer_index = vgg_model_find_layer (model, layer_name);
      if (layer_index < 0)
        {
          fprintf (stderr, "vgg-scope-cli: %s has no layer '%s'\n", vgg_model_name (model),
                   layer_name);
          print_layers (model);
          goto out;
        }
    }
  if (randomize_name != NULL)
    {
      options.randomize = TRUE;
      options.randomize_seed = (uint64_t) seed;
      options.randomize_from = vgg_model_find_layer (model, randomize_name);
      if (options.randomize_from < 0)
        {
          fprintf (stderr, "vgg-scope-cli: %s has no layer '%s' to randomise from\n",
                   vgg_model_name (model), randomize_name);
          print_layers (model);
          goto out;
        }
    }
  needs_class = output.method == METHOD_OCCLUSION
                || (output.method != VGG_EXPLAIN_ERF && unit_text == NULL);
  if (needs_class && config->n_classes == 0)
    {
      fprintf (stderr, "vgg-scope-cli: %s explains a class, and %s has no classifier (feature "
               "maps only); erf works on it, and guided or deconv with --layer and --unit\n",
               method_text, vgg_model_name (model));
      goto out;
    }
  if (class_index >= config->n_classes && needs_class)
    {
      fprintf (stderr, "vgg-scope-cli: class %d is beyond the model's %d classes (0…%d)\n",
               class_index, config->n_classes, config->n_classes - 1);
      goto out;
    }

  if (output.method == METHOD_OCCLUSION)
    {
      int side = config->input_height < config->input_width ? config->input_height
                                                             : config->input_width;
      if (patch < 0)
        patch = MAX (1, side / 7);   /* 32 at 224, 4 at 32 */
      if (patch < 1 || patch > side)
        {
          fprintf (stderr, "vgg-scope-cli: a %d-pixel patch does not fit the %d×%d input "
                   "(1…%d)\n", patch, config->input_height, config->input_width, side);
          goto out;
        }
      if (stride < 0)
        stride = patch / 2 > 0 ? patch / 2 : 1;
      if (output.folder && g_mkdir_with_parents (out, 0755) != 0)
        {
          fprintf (stderr, "vgg-scope-cli: cannot make the folder %s: %s\n", out,
                   g_strerror (errno));
          exit_code = CLI_EXIT_FAILURE;
          goto out;
        }
      exit_code = run_occlusion (model, argv + 1, n_inputs, &output, class_index, patch, stride,
                                 exhaustive);
      goto out;
    }
  if (patch >= 0 || stride >= 0 || exhaustive)
    {
      fprintf (stderr, "vgg-scope-cli: --patch, --stride and --exhaustive are occlusion's\n");
      goto out;
    }

  vgg_explain_request_init (&request, (VggExplainMethod) output.method);
  request.class_index = class_index;
  request.layer_index = layer_index;
  request.unit_channel = unit_c;
  request.unit_y = unit_y;
  request.unit_x = unit_x;
  request.times_input = times_input;
  request.steps = steps;
  request.seed = (uint64_t) seed;
  if (output.method == VGG_EXPLAIN_SALIENCY)
    request.smooth_samples = smooth;
  if (output.method == VGG_EXPLAIN_ERF)
    {
      request.noise_inputs = smooth;
      request.noise_sigma = noise > 0.0 ? (float) noise : 1.0f;
      request.n_inputs = average ? n_inputs : 1;
    }

  scope_engine_environment_run_options (&run_options);
  options.exact = run_options.exact;
  options.simd = run_options.simd;
  options.conv_memory_mib = run_options.conv_memory_mib;
  if (vgg_explainer_new (&explainer, model, &options, &error) != VGG_STATUS_OK)
    {
      cli_print_error (&error);
      exit_code = CLI_EXIT_FAILURE;
      goto out;
    }
  if (vgg_explainer_map_shape (explainer, &request, &channels, &height, &width, &error)
      != VGG_STATUS_OK)
    {
      /* what is left here is a request the model cannot take: bad usage */
      cli_print_error (&error);
      goto out;
    }
  if (output.folder && g_mkdir_with_parents (out, 0755) != 0)
    {
      fprintf (stderr, "vgg-scope-cli: cannot make the folder %s: %s\n", out, g_strerror (errno));
      exit_code = CLI_EXIT_FAILURE;
      goto out;
    }

  {
    size_t count = (size_t) config->input_channels * config->input_height * config->input_width;
    int n_runs = request.n_inputs > 1 || request.noise_inputs > 0 ? 1 : n_inputs;

    input = g_new (float, count * (size_t) (request.n_inputs > 1 ? n_inputs : 1));
    map = g_new (float, (size_t) channels * height * width);
    exit_code = CLI_EXIT_OK;
    for (int i = 0; i < n_runs && exit_code == CLI_EXIT_OK; i++)
      {
        VggImage seen = { 0 };
        VggExplainResult result;
        g_autofree char *path = output_path (&output, argv[1 + i]);
        int loaded = request.n_inputs > 1 ? n_inputs : 1;

        for (int j = 0; j < loaded; j++)
          {
            VggImage other = { 0 };
            if (!load_input (model, argv[1 + i + j], input + (size_t) j * count,
                             j == 0 ? &seen : &other))
              exit_code = CLI_EXIT_FAILURE;
            vgg_image_clear (&other);
          }
        if (exit_code != CLI_EXIT_OK)
          {
            vgg_image_clear (&seen);
            break;
          }
        if (output.method == VGG_EXPLAIN_SALIENCY && smooth > 0)
          {
            /* SmoothGrad's usual σ: 15 % of the input's range */
            float lo = INFINITY, hi = -INFINITY;
            for (size_t q = 0; q < count; q++)
              lo = fminf (lo, input[q]), hi = fmaxf (hi, input[q]);
            request.noise_sigma = noise >= 0.0 ? (float) noise : 0.15f * (hi - lo);
          }
        {
          g_autofree double *times = g_new (double, repeat);

          status = VGG_STATUS_OK;
          for (int r = 0; r < repeat && status == VGG_STATUS_OK; r++)
            {
              status = vgg_explainer_compute (explainer, input, &request, map, &result, &error);
              times[r] = result.seconds;
            }
          if (status != VGG_STATUS_OK)
            {
              cli_print_error (&error);
              exit_code = CLI_EXIT_FAILURE;
              vgg_image_clear (&seen);
              break;
            }
          /* the median of the repeats (insertion sort: few) */
          for (int r = 1; r < repeat; r++)
            for (int q = r; q > 0 && times[q] < times[q - 1]; q--)
              {
                double t = times[q];
                times[q] = times[q - 1];
                times[q - 1] = t;
              }
          result.seconds = repeat % 2 ? times[repeat / 2]
                                      : 0.5 * (times[repeat / 2 - 1] + times[repeat / 2]);
        }
        exit_code = write_result (&output, path, &seen, map, channels, height, width,
                                  output.method == VGG_EXPLAIN_GRADCAM);
        vgg_image_clear (&seen);
        if (exit_code != CLI_EXIT_OK)
          break;
        printf ("%s: %s", argv[1 + i], method_text);
        if (result.class_index >= 0)
          printf (" of class %d (%s), logit %.6g", result.class_index,
                  vgg_model_class_name (model, result.class_index), result.score);
        if (request.layer_index >= 0 && result.class_index < 0)
          printf (" of unit (%d, %d, %d) of %s, value%s %.6g", unit_c, unit_y, unit_x,
                  vgg_model_layer (model, request.layer_index)->name,
                  vgg_model_layer (model, request.layer_index)->relu ? " before ReLU" : "",
                  result.score);
        else if (result.layer_index >= 0)
          printf (" at %s", vgg_model_layer (model, result.layer_index)->name);
        printf (", %.1f ms%s → %s\n", result.seconds * 1e3,
                repeat > 1 ? " (median)" : "", path);
        if (output.method == VGG_EXPLAIN_INTEGRATED_GRADIENTS)
          printf ("  completeness gap %.6g: Σ IG %.6g, logit(x) − logit(0) %.6g "
                  "(%.6g − %.6g); %d steps, %.2f ms per step in batches of %d\n",
                  result.completeness_gap, result.ig_sum, result.score - result.baseline_score,
                  result.score, result.baseline_score, steps, result.seconds_per_step * 1e3,
                  vgg_explainer_max_batch (explainer));
        if (output.method == VGG_EXPLAIN_ERF)
          printf ("  theoretical field %d px centred at (%.1f, %.1f); %.1f %% of Σ|g| in its "
                  "central %.1f px square; 50 %% within r = %.2f px, 90 %% within r = %.2f px\n",
                  result.field_size, result.field_center_y, result.field_center_x,
                  100.0 * result.center_share, result.field_size / 2.0, result.radius_50,
                  result.radius_90);
      }
  }

out:
  vgg_explainer_free (explainer);
  vgg_model_free (model);
  return exit_code;
}
