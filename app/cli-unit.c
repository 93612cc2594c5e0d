/* cli-unit.c — vgg-scope-cli unit: one unit's value worked out from the numbers that make it
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "cli.h"
#include "scope-engine-environment.h"
#include "vgg-unit.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#define SHOWN_CHANNELS 8      /* partial sums listed one by one */
#define SHOWN_WINDOWS  3      /* 3×3 windows and filters printed */
#define BAR_WIDTH      24

/* "C" or "C,Y,X": how many integers (1 or 3), or 0 when it is neither. */
static int
parse_unit (const char *text,
            int        *c,
            int        *y,
            int        *x)
{
  char end;

  *y = *x = 0;
  if (sscanf (text, "%d,%d,%d%c", c, y, x, &end) == 3)
    return 3;
  if (sscanf (text, "%d%c", c, &end) == 1)
    return 1;
  return 0;
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

/* ---- JSON, the fields in the order the documentation gives ---- */

static void
add_unit (JsonBuilder            *builder,
          const VggUnitBreakdown *b)
{
  json_builder_set_member_name (builder, "layer");
  json_builder_add_string_value (builder, b->layer->name);
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, vgg_layer_kind_name (b->kind));
  json_builder_set_member_name (builder, "unit");
  if (b->kind == VGG_LAYER_CONV || b->kind == VGG_LAYER_POOL)
    {
      json_builder_begin_array (builder);
      json_builder_add_int_value (builder, b->channel);
      json_builder_add_int_value (builder, b->y);
      json_builder_add_int_value (builder, b->x);
      json_builder_end_array (builder);
    }
  else
    json_builder_add_int_value (builder, b->channel);
}

static void
add_number (JsonBuilder *builder,
            double       value)
{
  /* JSON has no infinity: an exponential beyond double precision is null */
  if (isfinite (value))
    json_builder_add_double_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_member (JsonBuilder *builder,
            const char  *name,
            double       value)
{
  json_builder_set_member_name (builder, name);
  add_number (builder, value);
}

static char *
breakdown_json (const VggUnitBreakdown *b)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_object (builder);
  add_unit (builder, b);
  switch (b->kind)
    {
    case VGG_LAYER_CONV:
      add_member (builder, "bias", b->bias);
      json_builder_set_member_name (builder, "partials");
      json_builder_begin_array (builder);
      for (int c = 0; c < b->conv.channels_in; c++)
        add_number (builder, b->conv.partials[c]);
      json_builder_end_array (builder);
      add_member (builder, "pre", b->pre);
      add_member (builder, "post", b->post);
      break;
    case VGG_LAYER_POOL:
      json_builder_set_member_name (builder, "window");
      json_builder_begin_array (builder);
      for (int k = 0; k < 4; k++)
        add_number (builder, b->pool.window[k]);
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "argmax");
      json_builder_begin_array (builder);
      json_builder_add_int_value (builder, b->pool.argmax_y);
      json_builder_add_int_value (builder, b->pool.argmax_x);
      json_builder_end_array (builder);
      add_member (builder, "post", b->post);
      break;
    case VGG_LAYER_FC:
      add_member (builder, "bias", b->bias);
      json_builder_set_member_name (builder, "top");
      json_builder_begin_array (builder);
      for (int k = 0; k < b->dense.n_top; k++)
        {
          const VggUnitTerm *term = &b->dense.top[k];

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "input");
          json_builder_add_int_value (builder, term->input);
          add_member (builder, "weight", term->weight);
          add_member (builder, "activation", term->activation);
          add_member (builder, "product", term->product);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      add_member (builder, "rest", b->dense.rest);
      add_member (builder, "pre", b->pre);
      add_member (builder, "post", b->post);
      break;
    case VGG_LAYER_SOFTMAX:
      json_builder_set_member_name (builder, "logits");
      json_builder_begin_array (builder);
      for (int k = 0; k < b->softmax.n_classes; k++)
        add_number (builder, b->softmax.logits[k]);
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "exp");
      json_builder_begin_array (builder);
      for (int k = 0; k < b->softmax.n_classes; k++)
        add_number (builder, b->softmax.exps[k]);
      json_builder_end_array (builder);
      add_member (builder, "sum", b->softmax.sum);
      add_member (builder, "probability", b->post);
      break;
    case VGG_LAYER_N_KINDS:
      break;
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  return cli_escape (text, CLI_ESCAPE_JSON);
}

/* ---- text ---- */

static void
print_bar (double value,
           double largest)
{
  int n = largest > 0.0 ? (int) lround (BAR_WIDTH * fabs (value) / largest) : 0;

  for (int i = 0; i < n; i++)
    fputs (value < 0.0 ? "░" : "█", stdout);
}

static void
print_engine (const VggUnitBreakdown *b)
{
  gboolean relu = b->layer->relu;

  printf ("\nthe engine's exact run (the first convolution direct, the others im2col + sgemm; "
          "here %s): %s%.9g\n", b->exact_algorithm, relu ? "before ReLU " : "",
          relu ? b->exact_pre : b->exact_post);
  if (b->kind == VGG_LAYER_POOL)
    printf ("  worked − exact = %.3g (a maximum is one of the window's values: equal)\n",
            b->post - b->exact_post);
  else
    printf ("  worked − exact = %.3g (allowed: 1e-5 × (Σ|w·x| + |b|) = 1e-5 × %.6g = %.3g)\n",
            (relu ? b->pre - b->exact_pre : b->post - b->exact_post), b->magnitude,
            VGG_UNIT_RELATIVE_TOLERANCE * b->magnitude);
  printf ("the engine's fast run (Winograd where its cost model picks it; here %s): %s%.9g\n",
          b->fast_algorithm, relu ? "before ReLU " : "", relu ? b->fast_pre : b->fast_post);
  printf ("  fast − exact = %.3g: float32 rounding in another order\n",
          relu ? (double) b->fast_pre - b->exact_pre : (double) b->fast_post - b->exact_post);
}

static void
print_conv (const VggModel         *model,
            const VggUnitBreakdown *b)
{
  const VggUnitConv *conv = &b->conv;
  const char *previous = b->layer_index > 0
                         ? vgg_model_layer (model, b->layer_index - 1)->name : "the input";
  double largest = fabs (conv->partials[conv->order[0]]), rest = 0.0, sum = 0.0;
  int shown = MIN (SHOWN_CHANNELS, conv->channels_in);

  printf ("unit (%d, %d, %d) of %s: a 3×3 convolution over %d input channels of %s, "
          "then ReLU\n", b->channel, b->y, b->x, b->layer->name, conv->channels_in, previous);
  for (int k = 0; k < MIN (SHOWN_WINDOWS, conv->channels_in); k++)
    {
      int c = conv->order[k];

      printf ("\ninput channel %d: window of %s (rows %d…%d, columns %d…%d; 0 outside) × "
              "filter = partial %+.6g\n", c, previous, b->y - 1, b->y + 1, b->x - 1, b->x + 1,
              conv->partials[c]);
      for (int r = 0; r < 3; r++)
        {
          printf ("  ");
          for (int q = 0; q < 3; q++)
            printf (" %10.4g", conv->window[c * 9 + r * 3 + q]);
          printf ("   %s", r == 1 ? "×" : " ");
          for (int q = 0; q < 3; q++)
            printf (" %10.4g", conv->filter[c * 9 + r * 3 + q]);
          printf ("   %s", r == 1 ? "→" : " ");
          for (int q = 0; q < 3; q++)
            printf (" %10.4g", conv->products[c * 9 + r * 3 + q]);
          printf ("\n");
        }
    }
  printf ("\npartial sums by input channel, strongest first:\n");
  for (int k = 0; k < shown; k++)
    {
      int c = conv->order[k];

      printf ("  channel %4d  %+14.7g  ", c, conv->partials[c]);
      print_bar (conv->partials[c], largest);
      printf ("\n");
    }
  for (int k = shown; k < conv->channels_in; k++)
    rest += conv->partials[conv->order[k]];
  if (conv->channels_in > shown)
    printf ("  the other %d channels %+14.7g\n", conv->channels_in - shown, rest);
  for (int c = 0; c < conv->channels_in; c++)
    sum += conv->partials[c];
  printf ("  sum of partials       %+14.7g\n", sum);
  printf ("  + bias                %+14.7g\n", b->bias);
  printf ("  = before ReLU         %+14.7g\n", b->pre);
  printf ("  ReLU → output         %+14.7g\n", b->post);
  if (conv->has_batch_norm)
    {
      const VggUnitBatchNorm *bn = &conv->batch_norm;

      printf ("\nbatch norm, folded into the weights: γ = %.6g, β = %.6g, running mean μ = %.6g, "
              "running variance σ² = %.6g, ε = %g\n", bn->gamma, bn->beta, bn->mean, bn->var,
              bn->eps);
      printf ("  scale γ/√(σ²+ε) = %.6g: every weight of channel %d is the file's weight × "
              "%.6g\n", bn->scale, b->channel, bn->scale);
      printf ("  bias (b − μ)·scale + β = (%.6g − %.6g)·%.6g + %.6g = %.7g\n", bn->conv_bias,
              bn->mean, bn->scale, bn->beta, bn->folded_bias);
    }
  print_engine (b);
}

static void
print_pool (const VggModel         *model,
            const VggUnitBreakdown *b)
{
  const VggUnitPool *pool = &b->pool;

  printf ("unit (%d, %d, %d) of %s: the largest of a 2×2 window of %s (rows %d–%d, columns "
          "%d–%d)\n", b->channel, b->y, b->x, b->layer->name,
          vgg_model_layer (model, b->layer_index - 1)->name, 2 * b->y, 2 * b->y + 1, 2 * b->x,
          2 * b->x + 1);
  for (int r = 0; r < 2; r++)
    {
      printf ("  ");
      for (int q = 0; q < 2; q++)
        printf (" %12.7g%s", pool->window[r * 2 + q],
                r == pool->argmax_y && q == pool->argmax_x ? " ◀" : "  ");
      printf ("\n");
    }
  printf ("  winner at window row %d, column %d (on ties the first in row-major order) → %.9g\n",
          pool->argmax_y, pool->argmax_x, b->post);
  print_engine (b);
}

static void
print_dense (const VggModel         *model,
             const VggUnitBreakdown *b)
{
  const VggUnitDense *dense = &b->dense;
  const VggLayer *previous = vgg_model_layer (model, b->layer_index - 1);
  double largest = dense->n_top > 0 ? fabs (dense->top[0].product) : 0.0, shown = 0.0;
  int plane = previous->height_out * previous->width_out;

  printf ("unit %d of %s: fully connected to the %d values of %s, %s\n", b->channel,
          b->layer->name, dense->n_inputs, previous->name,
          b->layer->relu ? "then ReLU" : "no ReLU (the logit)");
  printf ("\nthe %d largest weight × activation:\n", dense->n_top);
  printf ("  %7s %-14s %13s %13s %14s\n", "input", plane > 1 ? "(c, y, x)" : "", "weight",
          "activation", "product");
  for (int k = 0; k < dense->n_top; k++)
    {
      const VggUnitTerm *t = &dense->top[k];
      g_autofree char *where = plane > 1 ? g_strdup_printf ("(%d, %d, %d)", t->input / plane,
                                                            t->input % plane
                                                            / previous->width_out,
                                                            t->input % previous->width_out)
                                         : g_strdup ("");

      printf ("  %7d %-14s %13.6g %13.6g %+14.7g  ", t->input, where, t->weight, t->activation,
              t->product);
      print_bar (t->product, largest);
      printf ("\n");
      shown += t->product;
    }
  printf ("  the other %d products %+14.7g\n", dense->n_inputs - dense->n_top, dense->rest);
  printf ("  sum                    %+14.7g\n", shown + dense->rest);
  printf ("  + bias                 %+14.7g\n", b->bias);
  printf ("  = %s %+14.7g\n", b->layer->relu ? "before ReLU     " : "logit           ",
          b->pre);
  if (b->layer->relu)
    printf ("  ReLU → output          %+14.7g\n", b->post);
  print_engine (b);
}

static void
print_softmax (const VggModel         *model,
               const VggUnitBreakdown *b)
{
  const VggUnitSoftmax *s = &b->softmax;

  printf ("unit %d of %s (%s): softmax over %d logits\n", b->channel, b->layer->name,
          cli_escaped (vgg_model_class_name (model, b->channel)), s->n_classes);
  printf ("computed stably: with m = %.7g the largest logit, probability = exp(logit − m) / "
          "Σ exp(logit − m); the exponentials shown are exp(logit − m) × e^m\n", s->max_logit);
  printf ("  %5s %14s %16s\n", "class", "logit", "exp(logit)");
  for (int k = 0; k < s->n_classes; k++)
    if (s->n_classes <= 20 || k == b->channel || s->logits[k] >= s->max_logit - 3.0)
      printf ("  %5d %14.7g %16.9g%s\n", k, s->logits[k], s->exps[k],
              k == b->channel ? "  ◀" : "");
  printf ("  sum of the %d exponentials: %.9g\n", s->n_classes, s->sum);
  printf ("  probability = %.9g / %.9g = %.9g\n", s->exps[b->channel], s->sum, b->post);
  printf ("\nthe engine's exact run: %.9g (worked − exact = %.3g)\n", b->exact_post,
          b->post - b->exact_post);
  printf ("the engine's fast run: %.9g (fast − exact = %.3g)\n", b->fast_post,
          (double) b->fast_post - b->exact_post);
}

int
cli_unit (int    argc,
          char **argv)
{
  g_autofree char *weights = NULL, *layer_name = NULL, *unit_text = NULL;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "weights", 'w', 0, G_OPTION_ARG_FILENAME, &weights,
      "Weight file (.pth, .safetensors, Keras .h5 or .onnx); default: the built-in model", "FILE" },
    { "layer", 'l', 0, G_OPTION_ARG_STRING, &layer_name, "The unit's layer (conv1_1, pool1, "
      "fc6, prob, …)", "NAME" },
    { "unit", 'u', 0, G_OPTION_ARG_STRING, &unit_text,
      "Channel,row,column of a conv or pool unit; one number for fc and softmax", "C,Y,X|C" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print one JSON object", NULL },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("INPUT — one unit worked out "
                                                             "by hand");
  g_autoptr (GError) gerror = NULL;
  g_autofree float *input = NULL;
  VggRunOptions options;
  VggUnitProbe *probe = NULL;
  VggUnitBreakdown *breakdown = NULL;
  VggError error = { 0 };
  VggModel *model;
  const VggLayer *layer;
  const VggConfig *config;
  int exit_code = CLI_EXIT_USAGE, index, arity, c, y, x;
  gboolean dense;

  g_option_context_set_summary (context,
    "INPUT is an image or a preprocessed .npy tensor, as for 'classify'. Prints the numbers\n"
    "that make the unit's value: a convolution's window, filter and partial sums per input\n"
    "channel, a pool's window and winner, a fully connected unit's largest products, a\n"
    "softmax's exponentials; the value summed from them beside the engine's exact and fast\n"
    "ones.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &gerror))
    return cli_usage_error (context, "%s", gerror->message);
  if (argc != 2)
    return cli_usage_error (context, argc < 2 ? "no input given" : "one input only");
  if (layer_name == NULL)
    return cli_usage_error (context, "--layer NAME is required");
  if (unit_text == NULL)
    return cli_usage_error (context, "--unit is required (C,Y,X for conv and pool layers, C "
                            "for fc and softmax)");
  arity = parse_unit (unit_text, &c, &y, &x);
  if (arity == 0)
    return cli_usage_error (context, "--unit takes channel,row,column (three integers) or one "
                            "integer, not '%s'", unit_text);

  model = cli_load_model (weights);
  if (model == NULL)
    return CLI_EXIT_FAILURE;
  config = vgg_model_config (model);

  index = vgg_model_find_layer (model, layer_name);
  if (index < 0)
    {
      fprintf (stderr, "vgg-scope-cli: %s has no layer '%s'\n",
               cli_escaped (vgg_model_name (model)), cli_escaped (layer_name));
      print_layers (model);
      goto out;
    }
  layer = vgg_model_layer (model, index);
  dense = layer->kind == VGG_LAYER_FC || layer->kind == VGG_LAYER_SOFTMAX;
  if (dense && arity != 1)
    {
      fprintf (stderr, "vgg-scope-cli: %s is a %s layer: --unit takes one number (0…%d), not "
               "C,Y,X\n", layer->name, layer->kind == VGG_LAYER_FC ? "fully connected"
                                                                    : "softmax",
               layer->channels_out - 1);
      goto out;
    }
  if (!dense && arity != 3)
    {
      fprintf (stderr, "vgg-scope-cli: %s is a %s layer: --unit takes channel,row,column "
               "(channel 0…%d, row 0…%d, column 0…%d), not one number\n", layer->name,
               layer->kind == VGG_LAYER_CONV ? "convolution" : "max-pool",
               layer->channels_out - 1, layer->height_out - 1, layer->width_out - 1);
      goto out;
    }
  if (vgg_unit_check (model, index, c, y, x, &error) != VGG_STATUS_OK)
    {
      cli_print_error (&error);
      goto out;
    }

  input = g_new (float, (gsize) config->input_channels * config->input_height
                        * config->input_width);
  exit_code = CLI_EXIT_FAILURE;
  if (!cli_load_input (model, argv[1], input))
    goto out;
  scope_engine_environment_run_options (&options);
  if (vgg_unit_probe_new (&probe, model, &options, &error) != VGG_STATUS_OK
      || vgg_unit_probe_compute (probe, input, index, c, y, x, &breakdown, &error)
         != VGG_STATUS_OK)
    {
      cli_print_error (&error);
      goto out;
    }

  if (json)
    {
      g_autofree char *text = breakdown_json (breakdown);
      printf ("%s\n", text);
    }
  else
    {
      cli_print_model_banner (model, stdout);
      printf ("input: %s\n", cli_escaped (argv[1]));
      switch (breakdown->kind)
        {
        case VGG_LAYER_CONV:
          print_conv (model, breakdown);
          break;
        case VGG_LAYER_POOL:
          print_pool (model, breakdown);
          break;
        case VGG_LAYER_FC:
          print_dense (model, breakdown);
          break;
        case VGG_LAYER_SOFTMAX:
          print_softmax (model, breakdown);
          break;
        case VGG_LAYER_N_KINDS:
          break;
        }
    }
  exit_code = CLI_EXIT_OK;

out:
  vgg_unit_breakdown_free (breakdown);
  vgg_unit_probe_free (probe);
  vgg_model_free (model);
  return exit_code;
}
