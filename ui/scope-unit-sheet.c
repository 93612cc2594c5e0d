/* scope-unit-sheet.c — one unit's breakdown laid out as number grids, lines and bars
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "scope-unit-sheet.h"

#define SHOWN_WINDOWS  3     /* convolution: windows and filters drawn as number grids */
#define SHOWN_CHANNELS 8     /* convolution: partial sums listed one by one */
#define SHOWN_CLASSES  12    /* softmax: classes listed one by one */

/* A number as shown: seven significant digits, enough to redo the sums on paper. */
char *
scope_unit_sheet_number (double value)
{
  return g_strdup_printf ("%.7g", value);
}

static void
remove_children (GtkWidget *container)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (container)) != NULL)
    {
      if (GTK_IS_FLOW_BOX (container))
        gtk_flow_box_remove (GTK_FLOW_BOX (container), child);
      else
        gtk_grid_remove (GTK_GRID (container), child);
    }
}

static GtkWidget *
cell (const char *text,
      const char *name,
      const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), name != NULL ? 1.0f : 0.0f);
  if (name != NULL)
    {
      gtk_widget_set_name (label, name);
      gtk_label_set_selectable (GTK_LABEL (label), TRUE);
      gtk_widget_add_css_class (label, "numeric");
    }
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  return label;
}

/* One line of a grid: what, the value (a label named @name), and a bar for |value| / largest
 * when @largest > 0. */
static void
add_line (GtkGrid    *grid,
          int         row,
          const char *what,
          double      value,
          const char *name,
          double      largest)
{
  g_autofree char *text = scope_unit_sheet_number (value);
  GtkWidget *what_label = cell (what, NULL, NULL);
  GtkWidget *value_label = cell (text, name, NULL);

  gtk_grid_attach (grid, what_label, 0, row, 1, 1);
  gtk_grid_attach (grid, value_label, 1, row, 1, 1);
  if (largest > 0.0)
    {
      GtkWidget *bar = gtk_level_bar_new_for_interval (0.0, 1.0);
      g_autofree char *accessible = g_strdup_printf ("%s: %s", what, text);

      gtk_level_bar_set_value (GTK_LEVEL_BAR (bar), fmin (1.0, fabs (value) / largest));
      gtk_widget_set_size_request (bar, 160, -1);
      gtk_widget_set_valign (bar, GTK_ALIGN_CENTER);
      /* one colour for every length (no low/high offsets); negative contributions in the
       * error colour: they pull the value down (style.css) */
      gtk_level_bar_remove_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_LOW);
      gtk_level_bar_remove_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_HIGH);
      gtk_level_bar_remove_offset_value (GTK_LEVEL_BAR (bar), GTK_LEVEL_BAR_OFFSET_FULL);
      gtk_widget_add_css_class (bar, "unit-bar");
      if (value < 0.0)
        gtk_widget_add_css_class (bar, "negative");
      gtk_accessible_update_property (GTK_ACCESSIBLE (bar), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      accessible, -1);
      gtk_grid_attach (grid, bar, 2, row, 1, 1);
    }
}

/* A small grid of numbers (@rows × @columns of @values), the entry @marked (or -1) bold. */
static GtkWidget *
number_grid (const float *values,
             const bool  *inside,
             int          rows,
             int          columns,
             int          marked)
{
  GtkWidget *grid = gtk_grid_new ();

  gtk_grid_set_column_spacing (GTK_GRID (grid), 6);
  for (int k = 0; k < rows * columns; k++)
    {
      g_autofree char *text = g_strdup_printf ("%.4g", values[k]);
      GtkWidget *label = cell (text, NULL, "numeric");

      gtk_label_set_xalign (GTK_LABEL (label), 1.0f);
      if (inside != NULL && !inside[k])
        gtk_widget_add_css_class (label, "dim-label");   /* padding */
      if (k == marked)
        gtk_widget_add_css_class (label, "heading");
      gtk_grid_attach (GTK_GRID (grid), label, k % columns, k / columns, 1, 1);
    }
  return grid;
}

static void
add_window (const ScopeUnitSheet *self,
            const char     *caption,
            GtkWidget      *left,
            const char     *operator,
            GtkWidget      *right,
            const char     *accessible)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);

  gtk_box_append (GTK_BOX (box), cell (caption, NULL, "caption"));
  gtk_box_append (GTK_BOX (row), left);
  if (right != NULL)
    {
      gtk_box_append (GTK_BOX (row), gtk_label_new (operator));
      gtk_box_append (GTK_BOX (row), right);
    }
  gtk_box_append (GTK_BOX (box), row);
  gtk_accessible_update_property (GTK_ACCESSIBLE (box), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  accessible, -1);
  gtk_flow_box_append (self->windows_box, box);
}

static char *
values_text (const float *values,
             int          count)
{
  GString *text = g_string_new (NULL);

  for (int k = 0; k < count; k++)
    g_string_append_printf (text, "%s%.4g", k > 0 ? ", " : "", values[k]);
  return g_string_free (text, FALSE);
}

static void
show_conv (const ScopeUnitSheet    *self,
           const VggUnitBreakdown *b)
{
  const VggUnitConv *conv = &b->conv;
  double largest = fabs (conv->partials[conv->order[0]]), rest = 0.0, sum = 0.0;
  int shown = MIN (SHOWN_CHANNELS, conv->channels_in), row = 0;

  for (int k = 0; k < MIN (SHOWN_WINDOWS, conv->channels_in); k++)
    {
      int c = conv->order[k];
      g_autofree char *partial = scope_unit_sheet_number (conv->partials[c]);
      /* Translators: caption of a 3×3 window of the previous layer beside the filter;
       * the first %d is an input channel, %s its partial sum */
      g_autofree char *caption = g_strdup_printf (_("Input channel %d: window × filter, sum %s"),
                                                  c, partial);
      g_autofree char *window = values_text (conv->window + c * 9, 9);
      g_autofree char *filter = values_text (conv->filter + c * 9, 9);
      /* Translators: what a screen reader says for a window and its filter */
      g_autofree char *accessible = g_strdup_printf (_("Input channel %d. Window: %s. "
                                                       "Filter: %s. Sum of products: %s"),
                                                     c, window, filter, partial);

      add_window (self, caption, number_grid (conv->window + c * 9, conv->inside, 3, 3, -1),
                  "×", number_grid (conv->filter + c * 9, NULL, 3, 3, -1), accessible);
    }

  /* the bars share one scale with the rest's */
  for (int k = shown; k < conv->channels_in; k++)
    rest += conv->partials[conv->order[k]];
  largest = fmax (largest, fabs (rest));
  gtk_label_set_text (self->terms_heading, _("Sum of each input channel’s nine products, "
                                             "strongest first"));
  for (int k = 0; k < shown; k++)
    {
      int c = conv->order[k];
      g_autofree char *what = g_strdup_printf (_("Channel %d"), c);
      g_autofree char *name = g_strdup_printf ("term-value-%d", k);

      add_line (self->terms_grid, k, what, conv->partials[c], name, largest);
    }
  if (conv->channels_in > shown)
    {
      g_autofree char *what = g_strdup_printf (ngettext ("The other channel",
                                                         "The other %d channels",
                                                         conv->channels_in - shown),
                                               conv->channels_in - shown);
      add_line (self->terms_grid, shown, what, rest, "rest-value", largest);
    }

  for (int c = 0; c < conv->channels_in; c++)
    sum += conv->partials[c];
  add_line (self->sum_grid, row++, _("Sum of all partial sums"), sum, "sum-value", 0.0);
  add_line (self->sum_grid, row++, _("+ bias"), b->bias, "bias-value", 0.0);
  add_line (self->sum_grid, row++, _("= before ReLU"), b->pre, "pre-value", 0.0);
  add_line (self->sum_grid, row++, _("ReLU → output"), b->post, "post-value", 0.0);

  if (conv->has_batch_norm)
    {
      const VggUnitBatchNorm *bn = &conv->batch_norm;
      g_autofree char *gamma = scope_unit_sheet_number (bn->gamma);
      g_autofree char *beta = scope_unit_sheet_number (bn->beta);
      g_autofree char *mean = scope_unit_sheet_number (bn->mean);
      g_autofree char *var = scope_unit_sheet_number (bn->var);
      g_autofree char *eps = scope_unit_sheet_number (bn->eps);
      g_autofree char *conv_bias = scope_unit_sheet_number (bn->conv_bias);
      g_autofree char *scale = scope_unit_sheet_number (bn->scale);
      g_autofree char *folded = scope_unit_sheet_number (bn->folded_bias);
      g_autofree char *text = NULL;

      /* Translators: the batch-norm fold explained with the layer's numbers; keep the
       * formulas. %d is the output channel, the %s are numbers */
      text = g_strdup_printf (_("Batch norm is folded into this convolution. For channel %d "
                                "the file has γ = %s, β = %s, running mean μ = %s, running "
                                "variance σ² = %s, ε = %s and the convolution’s own bias "
                                "b = %s. Every weight shown is the file’s weight × "
                                "γ/√(σ² + ε) = %s, and the bias is (b − μ)·γ/√(σ² + ε) + β "
                                "= %s."), b->channel, gamma, beta, mean, var, eps, conv_bias,
                              scale, folded);
      gtk_label_set_text (self->note_label, text);
    }
}

static void
show_pool (const ScopeUnitSheet    *self,
           const VggUnitBreakdown *b)
{
  const VggUnitPool *pool = &b->pool;
  g_autofree char *window = values_text (pool->window, 4);
  g_autofree char *largest = scope_unit_sheet_number (b->post);
  /* Translators: what a screen reader says for a max-pool window; %s are numbers */
  g_autofree char *accessible = g_strdup_printf (_("Window: %s. Largest: %s"), window,
                                                 largest);

  add_window (self, _("The 2×2 window; the largest value (bold) wins"),
              number_grid (pool->window, NULL, 2, 2, 2 * pool->argmax_y + pool->argmax_x),
              NULL, NULL, accessible);
  add_line (self->sum_grid, 0, _("Largest value → output"), b->post, "post-value", 0.0);
  gtk_label_set_text (self->note_label,
                      _("When values tie, the first in reading order wins, as in PyTorch."));
}

static void
show_dense (const ScopeUnitSheet    *self,
            const VggModel         *model,
            const VggUnitBreakdown *b)
{
  const VggUnitDense *dense = &b->dense;
  const VggLayer *previous = vgg_model_layer (model, b->layer_index - 1);
  int plane = previous->height_out * previous->width_out, row = 0;
  double largest = dense->n_top > 0 ? fabs (dense->top[0].product) : 0.0, shown = 0.0;

  largest = fmax (largest, fabs (dense->rest));
  gtk_label_set_text (self->terms_heading, _("The largest weight × activation"));
  for (int k = 0; k < dense->n_top; k++)
    {
      const VggUnitTerm *t = &dense->top[k];
      g_autofree char *name = g_strdup_printf ("term-value-%d", k);
      g_autofree char *what = NULL;

      if (plane > 1)
        /* Translators: one input of a fully connected unit: its index, its channel, row
         * and column in the previous layer, weight × activation */
        what = g_strdup_printf (_("Input %d (%d, %d, %d): %.4g × %.4g"), t->input,
                                t->input / plane, t->input % plane / previous->width_out,
                                t->input % previous->width_out, t->weight, t->activation);
      else
        /* Translators: one input of a fully connected unit: its index, weight × activation */
        what = g_strdup_printf (_("Input %d: %.4g × %.4g"), t->input, t->weight,
                                t->activation);
      add_line (self->terms_grid, k, what, t->product, name, largest);
      shown += t->product;
    }
  if (dense->n_inputs > dense->n_top)
    {
      g_autofree char *what = g_strdup_printf (ngettext ("The other input", "The other %d inputs",
                                                         dense->n_inputs - dense->n_top),
                                               dense->n_inputs - dense->n_top);
      add_line (self->terms_grid, dense->n_top, what, dense->rest, "rest-value", largest);
    }
  add_line (self->sum_grid, row++, _("Sum of all products"), shown + dense->rest, "sum-value",
            0.0);
  add_line (self->sum_grid, row++, _("+ bias"), b->bias, "bias-value", 0.0);
  if (b->layer->relu)
    {
      add_line (self->sum_grid, row++, _("= before ReLU"), b->pre, "pre-value", 0.0);
      add_line (self->sum_grid, row++, _("ReLU → output"), b->post, "post-value", 0.0);
    }
  else
    {
      add_line (self->sum_grid, row++, _("= logit (no ReLU)"), b->pre, "pre-value", 0.0);
      add_line (self->sum_grid, row++, _("Output"), b->post, "post-value", 0.0);
    }
}

static void
show_softmax (const ScopeUnitSheet    *self,
              const VggModel         *model,
              const VggUnitBreakdown *b)
{
  const VggUnitSoftmax *s = &b->softmax;
  g_autofree int *order = g_new (int, s->n_classes);
  int shown = MIN (SHOWN_CLASSES, s->n_classes);
  gboolean unit_shown = FALSE;
  g_autofree char *note = NULL, *max_logit = NULL;

  /* the largest logits first; the unit's class among them */
  for (int k = 0; k < s->n_classes; k++)
    order[k] = k;
  for (int k = 1; k < s->n_classes; k++)
    for (int j = k; j > 0 && s->logits[order[j]] > s->logits[order[j - 1]]; j--)
      {
        int t = order[j];
        order[j] = order[j - 1];
        order[j - 1] = t;
      }
  for (int k = 0; k < shown; k++)
    unit_shown |= order[k] == b->channel;
  if (!unit_shown)
    order[shown - 1] = b->channel;
  gtk_label_set_text (self->terms_heading, _("Largest logits and their exponentials"));
  for (int k = 0; k < shown; k++)
    {
      int c = order[k];
      g_autofree char *name = g_strdup_printf ("term-value-%d", k);
      /* Translators: a class, its logit and its exponential: "Ankle boot: exp(12.75) =" */
      g_autofree char *what = g_strdup_printf (_("%s: exp(%.7g) ="),
                                               vgg_model_class_name (model, c), s->logits[c]);

      add_line (self->terms_grid, k, what, s->exps[c], name, s->exps[order[0]]);
    }
  add_line (self->sum_grid, 0, _("Sum of all exponentials"), s->sum, "sum-value", 0.0);
  add_line (self->sum_grid, 1, _("This class’s exponential"), s->exps[b->channel], "pre-value",
            0.0);
  add_line (self->sum_grid, 2, _("÷ sum = probability"), b->post, "post-value", 0.0);
  max_logit = scope_unit_sheet_number (s->max_logit);
  /* Translators: how the softmax is computed without overflow; %s is the largest logit */
  note = g_strdup_printf (_("Computed without overflow: with m = %s the largest logit, "
                            "probability = exp(logit − m) / Σ exp(logit − m). The "
                            "exponentials shown are exp(logit − m) × eᵐ, the same numbers."),
                          max_logit);
  gtk_label_set_text (self->note_label, note);
}

static void
show_engine (const ScopeUnitSheet   *self,
             const VggUnitBreakdown *b)
{
  gboolean pre = b->layer->relu;
  double worked = pre ? b->pre : b->post;
  double exact = pre ? b->exact_pre : b->exact_post;
  double fast = pre ? b->fast_pre : b->fast_post;
  g_autofree char *exact_what = NULL, *fast_what = NULL;

  /* Translators: the engine's value; %s is what computed the layer ("im2col-sgemm") */
  exact_what = g_strdup_printf (pre ? _("Engine, exact run (%s), before ReLU")
                                    : _("Engine, exact run (%s)"), b->exact_algorithm);
  /* Translators: the engine's value; %s is what computed the layer ("winograd-f4x4") */
  fast_what = g_strdup_printf (pre ? _("Engine, fast run (%s), before ReLU")
                                   : _("Engine, fast run (%s)"), b->fast_algorithm);
  add_line (self->engine_grid, 0, exact_what, exact, "exact-value", 0.0);
  add_line (self->engine_grid, 1, _("Worked − exact"), worked - exact, "exact-difference",
            0.0);
  add_line (self->engine_grid, 2, fast_what, fast, "fast-value", 0.0);
  add_line (self->engine_grid, 3, _("Fast − exact"), fast - exact, "fast-difference", 0.0);
}

void
scope_unit_sheet_clear (const ScopeUnitSheet *self)
{
  remove_children (GTK_WIDGET (self->windows_box));
  remove_children (GTK_WIDGET (self->terms_grid));
  remove_children (GTK_WIDGET (self->sum_grid));
  remove_children (GTK_WIDGET (self->engine_grid));
  gtk_label_set_text (self->terms_heading, "");
  gtk_label_set_text (self->note_label, "");
}


void
scope_unit_sheet_show (const ScopeUnitSheet   *self,
                       const VggUnitBreakdown *b,
                       const VggModel         *model)
{
  g_autofree char *title = NULL;

  scope_unit_sheet_clear (self);
  switch (b->kind)
    {
    case VGG_LAYER_CONV:
      /* Translators: %s a layer name, then the unit's channel, row and column */
      title = g_strdup_printf (_("%s, unit (%d, %d, %d)"), b->layer->name, b->channel, b->y,
                               b->x);
      gtk_label_set_text (self->subtitle_label,
                          _("A 3×3 convolution: each input channel’s 3×3 window is multiplied "
                            "by the filter and summed; the sums and the bias add up to the "
                            "value before ReLU, which keeps only positive values."));
      show_conv (self, b);
      break;
    case VGG_LAYER_POOL:
      title = g_strdup_printf (_("%s, unit (%d, %d, %d)"), b->layer->name, b->channel, b->y,
                               b->x);
      gtk_label_set_text (self->subtitle_label,
                          _("A 2×2 max-pool: the largest of four neighbouring values."));
      show_pool (self, b);
      break;
    case VGG_LAYER_FC:
      /* Translators: %s a layer name, %d the unit */
      title = g_strdup_printf (_("%s, unit %d"), b->layer->name, b->channel);
      gtk_label_set_text (self->subtitle_label,
                          _("Fully connected: every input times its weight, summed, plus the "
                            "bias."));
      show_dense (self, model, b);
      break;
    case VGG_LAYER_SOFTMAX:
      /* Translators: %s a layer name, %d the class, %s its name */
      title = g_strdup_printf (_("%s, class %d (%s)"), b->layer->name, b->channel,
                               vgg_model_class_name (model, b->channel));
      gtk_label_set_text (self->subtitle_label,
                          _("Softmax: the exponential of each logit divided by their sum."));
      show_softmax (self, model, b);
      break;
    case VGG_LAYER_N_KINDS:
      break;
    }
  if (title != NULL)
    gtk_label_set_text (self->title_label, title);
  show_engine (self, b);
}
