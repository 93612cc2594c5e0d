/* scope-unit-panel.c — one unit worked out by hand with the current picture's numbers
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The value labels carry widget names ("pre-value", "post-value", "exact-value",
 * "fast-value", "bias-value", "sum-value", "term-value-N") so tests and tools can find them.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "scope-engine-environment.h"
#include "scope-unit-job.h"
#include "scope-unit-panel.h"

#define SHOWN_WINDOWS  3     /* convolution: windows and filters drawn as number grids */
#define SHOWN_CHANNELS 8     /* convolution: partial sums listed one by one */
#define SHOWN_CLASSES  12    /* softmax: classes listed one by one */

/* What is asked or shown: a unit of a layer for one input of one model. */
typedef struct
{
  ScopeModel *model;        /* not a reference: compared only */
  GBytes     *input;        /* a reference */
  int         layer, channel, y, x;
} Request;

struct _ScopeUnitPanel
{
  GtkBox            parent_instance;

  /* template children */
  GtkLabel         *title_label;
  GtkLabel         *subtitle_label;
  GtkLabel         *status_label;
  GtkWidget        *content_box;
  GtkFlowBox       *windows_box;
  GtkLabel         *terms_heading;
  GtkGrid          *terms_grid;
  GtkGrid          *sum_grid;
  GtkLabel         *note_label;
  GtkGrid          *engine_grid;

  /* owned */
  ScopeWorkspace   *workspace;
  ScopeViewState   *view_state;
  ScopeResult      *result;        /* the workspace's, watched for its input */
  VggUnitProbe     *probe;         /* NULL while lent to a job */
  ScopeModel       *probe_model;   /* the model the probe was made for */
  GCancellable     *cancellable;   /* of the running job */
  VggUnitBreakdown *breakdown;     /* shown */
  Request           shown;         /* what the breakdown is of */
  Request           running;       /* what the running job computes */

  /* plain state */
  gboolean          busy;
};

G_DEFINE_FINAL_TYPE (ScopeUnitPanel, scope_unit_panel, GTK_TYPE_BOX)

enum
{
  PROP_0,
  PROP_WORKSPACE,
  PROP_VIEW_STATE,
  PROP_BREAKDOWN,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void schedule (ScopeUnitPanel *self);

static void
request_clear (Request *request)
{
  g_clear_pointer (&request->input, g_bytes_unref);
  request->model = NULL;
}

static gboolean
request_equal (const Request *a,
               const Request *b)
{
  return a->model == b->model && a->input == b->input && a->layer == b->layer
         && a->channel == b->channel && a->y == b->y && a->x == b->x;
}

/* A number as shown: seven significant digits, enough to redo the sums on paper. */
static char *
number (double value)
{
  return g_strdup_printf ("%.7g", value);
}

static void
set_busy (ScopeUnitPanel *self,
          gboolean        busy)
{
  if (self->busy == busy)
    return;
  self->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
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
  g_autofree char *text = number (value);
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
      /* negative contributions in the error colour: they pull the value down */
      gtk_widget_add_css_class (bar, value < 0.0 ? "error" : "accent");
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
add_window (ScopeUnitPanel *self,
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
show_conv (ScopeUnitPanel         *self,
           const VggUnitBreakdown *b)
{
  const VggUnitConv *conv = &b->conv;
  double largest = fabs (conv->partials[conv->order[0]]), rest = 0.0, sum = 0.0;
  int shown = MIN (SHOWN_CHANNELS, conv->channels_in), row = 0;

  for (int k = 0; k < MIN (SHOWN_WINDOWS, conv->channels_in); k++)
    {
      int c = conv->order[k];
      g_autofree char *partial = number (conv->partials[c]);
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

  gtk_label_set_text (self->terms_heading, _("Sum of each input channel’s nine products, "
                                             "strongest first"));
  for (int k = 0; k < shown; k++)
    {
      int c = conv->order[k];
      g_autofree char *what = g_strdup_printf (_("Channel %d"), c);
      g_autofree char *name = g_strdup_printf ("term-value-%d", k);

      add_line (self->terms_grid, k, what, conv->partials[c], name, largest);
    }
  for (int k = shown; k < conv->channels_in; k++)
    rest += conv->partials[conv->order[k]];
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
      g_autofree char *gamma = number (bn->gamma), *beta = number (bn->beta);
      g_autofree char *mean = number (bn->mean), *var = number (bn->var);
      g_autofree char *eps = number (bn->eps), *conv_bias = number (bn->conv_bias);
      g_autofree char *scale = number (bn->scale), *folded = number (bn->folded_bias);
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
show_pool (ScopeUnitPanel         *self,
           const VggUnitBreakdown *b)
{
  const VggUnitPool *pool = &b->pool;
  g_autofree char *window = values_text (pool->window, 4);
  /* Translators: what a screen reader says for a max-pool window; %s are numbers */
  g_autofree char *accessible = g_strdup_printf (_("Window: %s. Largest: %s"), window,
                                                 number (b->post));

  add_window (self, _("The 2×2 window; the largest value (bold) wins"),
              number_grid (pool->window, NULL, 2, 2, 2 * pool->argmax_y + pool->argmax_x),
              NULL, NULL, accessible);
  add_line (self->sum_grid, 0, _("Largest value → output"), b->post, "post-value", 0.0);
  gtk_label_set_text (self->note_label,
                      _("When values tie, the first in reading order wins, as in PyTorch."));
}

static void
show_dense (ScopeUnitPanel         *self,
            const VggModel         *model,
            const VggUnitBreakdown *b)
{
  const VggUnitDense *dense = &b->dense;
  const VggLayer *previous = vgg_model_layer (model, b->layer_index - 1);
  int plane = previous->height_out * previous->width_out, row = 0;
  double largest = dense->n_top > 0 ? fabs (dense->top[0].product) : 0.0, shown = 0.0;

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
show_softmax (ScopeUnitPanel         *self,
              const VggModel         *model,
              const VggUnitBreakdown *b)
{
  const VggUnitSoftmax *s = &b->softmax;
  g_autofree int *order = g_new (int, s->n_classes);
  int shown = MIN (SHOWN_CLASSES, s->n_classes);
  gboolean unit_shown = FALSE;
  g_autofree char *note = NULL;

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
  /* Translators: how the softmax is computed without overflow; %s is the largest logit */
  note = g_strdup_printf (_("Computed without overflow: with m = %s the largest logit, "
                            "probability = exp(logit − m) / Σ exp(logit − m). The "
                            "exponentials shown are exp(logit − m) × eᵐ, the same numbers."),
                          number (s->max_logit));
  gtk_label_set_text (self->note_label, note);
}

static void
show_engine (ScopeUnitPanel         *self,
             const VggUnitBreakdown *b)
{
  gboolean pre = b->layer->relu;
  double worked = pre ? b->pre : b->post;
  double exact = pre ? b->exact_pre : b->exact_post;
  double fast = pre ? b->fast_pre : b->fast_post;

  add_line (self->engine_grid, 0, pre ? _("Engine, exact convolutions, before ReLU")
                                      : _("Engine, exact convolutions"), exact, "exact-value",
            0.0);
  add_line (self->engine_grid, 1, _("Worked − exact"), worked - exact, "exact-difference",
            0.0);
  add_line (self->engine_grid, 2, pre ? _("Engine, fast (Winograd), before ReLU")
                                      : _("Engine, fast (Winograd)"), fast, "fast-value", 0.0);
  add_line (self->engine_grid, 3, _("Fast − exact"), fast - exact, "fast-difference", 0.0);
}

static void
clear_view (ScopeUnitPanel *self)
{
  remove_children (GTK_WIDGET (self->windows_box));
  remove_children (GTK_WIDGET (self->terms_grid));
  remove_children (GTK_WIDGET (self->sum_grid));
  remove_children (GTK_WIDGET (self->engine_grid));
  gtk_label_set_text (self->terms_heading, "");
  gtk_label_set_text (self->note_label, "");
}

static void
show_breakdown (ScopeUnitPanel *self)
{
  const VggUnitBreakdown *b = self->breakdown;
  const VggModel *model;
  g_autofree char *title = NULL;

  clear_view (self);
  gtk_widget_set_visible (self->content_box, b != NULL);
  if (b == NULL)
    return;
  model = scope_model_get_engine (self->shown.model);
  gtk_label_set_text (self->status_label, "");
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

static void
set_breakdown (ScopeUnitPanel   *self,
               VggUnitBreakdown *breakdown,
               const Request    *request)
{
  g_clear_pointer (&self->breakdown, vgg_unit_breakdown_free);
  request_clear (&self->shown);
  self->breakdown = breakdown;
  if (breakdown != NULL)
    {
      self->shown = *request;
      self->shown.input = g_bytes_ref (request->input);
    }
  show_breakdown (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BREAKDOWN]);
}

static void
show_message (ScopeUnitPanel *self,
              const char     *message)
{
  if (self->breakdown != NULL)
    set_breakdown (self, NULL, NULL);
  gtk_label_set_text (self->title_label, _("How One Unit Is Computed"));
  gtk_label_set_text (self->subtitle_label, "");
  gtk_label_set_text (self->status_label, message);
}

/* What the panel should show now; FALSE with a message when there is nothing to compute. */
static gboolean
current_request (ScopeUnitPanel  *self,
                 Request         *request,
                 const char     **message)
{
  const VggLayer *layer;
  GBytes *input;

  *request = (Request) { 0 };
  request->model = scope_workspace_get_model (self->workspace);
  input = self->result != NULL ? scope_result_get_input (self->result) : NULL;
  if (request->model == NULL || input == NULL
      || scope_result_get_model (self->result) != request->model)
    {
      *message = _("Open a picture to see how its numbers flow through one unit.");
      return FALSE;
    }
  request->layer = scope_workspace_get_selected_layer (self->workspace);
  if (request->layer < 0 || request->layer >= scope_model_get_n_layers (request->model))
    {
      *message = _("Choose a layer, then a unit in its maps.");
      return FALSE;
    }
  layer = scope_model_get_layer (request->model, request->layer);
  request->channel = scope_view_state_get_channel (self->view_state);
  scope_view_state_get_unit (self->view_state, &request->y, &request->x);
  if (layer->kind == VGG_LAYER_FC || layer->kind == VGG_LAYER_SOFTMAX)
    request->y = request->x = 0;
  if (vgg_unit_check (scope_model_get_engine (request->model), request->layer,
                      request->channel, request->y, request->x, NULL) != VGG_STATUS_OK)
    {
      *message = _("Click a unit in the feature maps to see how it is computed.");
      return FALSE;
    }
  request->input = input;   /* borrowed until copied */
  return TRUE;
}

static void
on_computed (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  GWeakRef *weak = user_data;
  ScopeUnitPanel *self = g_weak_ref_get (weak);
  VggUnitProbe *probe = NULL;
  g_autoptr (GError) error = NULL;
  VggUnitBreakdown *breakdown = scope_unit_run_finish (result, &probe, &error);

  g_weak_ref_clear (weak);
  g_free (weak);
  if (self == NULL)
    {
      vgg_unit_probe_free (probe);
      vgg_unit_breakdown_free (breakdown);
      return;
    }
  /* the probe comes back unless the model changed meanwhile */
  if (self->probe == NULL && self->running.model == self->probe_model)
    self->probe = probe;
  else
    vgg_unit_probe_free (probe);
  g_clear_object (&self->cancellable);
  set_busy (self, FALSE);

  if (breakdown != NULL)
    {
      Request now;
      const char *message;

      if (current_request (self, &now, &message) && request_equal (&now, &self->running))
        set_breakdown (self, breakdown, &self->running);
      else
        vgg_unit_breakdown_free (breakdown);
    }
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    show_message (self, error->message);
  request_clear (&self->running);
  schedule (self);
  g_object_unref (self);
}

/* Starts computing what the view state and the workspace point at, unless it is shown or
 * already running; a running job for something else is cancelled and this one starts when
 * it has finished. */
static void
schedule (ScopeUnitPanel *self)
{
  Request request;
  const char *message = NULL;
  GWeakRef *weak;

  if (self->workspace == NULL || self->view_state == NULL)
    return;
  if (!current_request (self, &request, &message))
    {
      if (self->cancellable != NULL)
        g_cancellable_cancel (self->cancellable);
      show_message (self, message);
      return;
    }
  if (self->breakdown != NULL && request_equal (&request, &self->shown))
    return;
  if (self->busy)
    {
      if (!request_equal (&request, &self->running) && self->cancellable != NULL)
        g_cancellable_cancel (self->cancellable);
      return;
    }
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;   /* computed when shown */

  if (self->probe == NULL || self->probe_model != request.model)
    {
      VggRunOptions options;
      VggError error = { 0 };

      g_clear_pointer (&self->probe, vgg_unit_probe_free);
      g_set_object (&self->probe_model, request.model);
      scope_engine_environment_run_options (&options);
      if (vgg_unit_probe_new (&self->probe, scope_model_get_engine (request.model), &options,
                              &error) != VGG_STATUS_OK)
        {
          show_message (self, error.message);
          return;
        }
    }
  self->running = request;
  self->running.input = g_bytes_ref (request.input);
  self->cancellable = g_cancellable_new ();
  weak = g_new0 (GWeakRef, 1);
  g_weak_ref_init (weak, self);
  set_busy (self, TRUE);
  if (self->breakdown == NULL)
    gtk_label_set_text (self->status_label, _("Computing…"));
  scope_unit_run_async (request.model, g_steal_pointer (&self->probe), request.input,
                        request.layer, request.channel, request.y, request.x,
                        self->cancellable, on_computed, weak);
}

static void
on_result_changed (ScopeUnitPanel *self)
{
  ScopeResult *result = scope_workspace_get_result (self->workspace);

  if (self->result != result)
    {
      if (self->result != NULL)
        g_signal_handlers_disconnect_by_data (self->result, self);
      g_set_object (&self->result, result);
      if (result != NULL)
        g_signal_connect_object (result, "notify::seen", G_CALLBACK (schedule), self,
                                 G_CONNECT_SWAPPED);
    }
  schedule (self);
}

static void
scope_unit_panel_set_workspace (ScopeUnitPanel *self,
                                ScopeWorkspace *workspace)
{
  g_return_if_fail (self->workspace == NULL);
  self->workspace = g_object_ref (workspace);
  g_signal_connect_object (workspace, "notify::result", G_CALLBACK (on_result_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (workspace, "notify::selected-layer", G_CALLBACK (schedule), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (workspace, "notify::model", G_CALLBACK (schedule), self,
                           G_CONNECT_SWAPPED);
}

static void
scope_unit_panel_set_view_state (ScopeUnitPanel *self,
                                 ScopeViewState *view_state)
{
  g_return_if_fail (self->view_state == NULL);
  self->view_state = g_object_ref (view_state);
  g_signal_connect_object (view_state, "notify::unit-x", G_CALLBACK (schedule), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (view_state, "notify::channel", G_CALLBACK (schedule), self,
                           G_CONNECT_SWAPPED);
}

GtkWidget *
scope_unit_panel_new (ScopeWorkspace *workspace,
                      ScopeViewState *view_state)
{
  g_return_val_if_fail (SCOPE_IS_WORKSPACE (workspace), NULL);
  g_return_val_if_fail (SCOPE_IS_VIEW_STATE (view_state), NULL);

  return g_object_new (SCOPE_TYPE_UNIT_PANEL, "workspace", workspace, "view-state", view_state,
                       NULL);
}

const VggUnitBreakdown *
scope_unit_panel_get_breakdown (ScopeUnitPanel *self)
{
  g_return_val_if_fail (SCOPE_IS_UNIT_PANEL (self), NULL);
  return self->breakdown;
}

gboolean
scope_unit_panel_get_busy (ScopeUnitPanel *self)
{
  g_return_val_if_fail (SCOPE_IS_UNIT_PANEL (self), FALSE);
  return self->busy;
}

static void
scope_unit_panel_constructed (GObject *object)
{
  ScopeUnitPanel *self = SCOPE_UNIT_PANEL (object);

  G_OBJECT_CLASS (scope_unit_panel_parent_class)->constructed (object);
  on_result_changed (self);
}

static void
scope_unit_panel_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  ScopeUnitPanel *self = SCOPE_UNIT_PANEL (object);

  switch (prop_id)
    {
    case PROP_WORKSPACE:
      g_value_set_object (value, self->workspace);
      break;
    case PROP_VIEW_STATE:
      g_value_set_object (value, self->view_state);
      break;
    case PROP_BREAKDOWN:
      g_value_set_pointer (value, self->breakdown);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
scope_unit_panel_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  ScopeUnitPanel *self = SCOPE_UNIT_PANEL (object);

  switch (prop_id)
    {
    case PROP_WORKSPACE:
      scope_unit_panel_set_workspace (self, g_value_get_object (value));
      break;
    case PROP_VIEW_STATE:
      scope_unit_panel_set_view_state (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
scope_unit_panel_dispose (GObject *object)
{
  ScopeUnitPanel *self = SCOPE_UNIT_PANEL (object);

  /* a running job keeps the probe and frees it when it ends */
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->result != NULL)
    g_signal_handlers_disconnect_by_data (self->result, self);
  g_clear_object (&self->result);
  g_clear_object (&self->workspace);
  g_clear_object (&self->view_state);
  g_clear_pointer (&self->probe, vgg_unit_probe_free);
  g_clear_object (&self->probe_model);
  g_clear_pointer (&self->breakdown, vgg_unit_breakdown_free);
  request_clear (&self->shown);
  request_clear (&self->running);
  gtk_widget_dispose_template (GTK_WIDGET (self), SCOPE_TYPE_UNIT_PANEL);

  G_OBJECT_CLASS (scope_unit_panel_parent_class)->dispose (object);
}

static void
scope_unit_panel_class_init (ScopeUnitPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = scope_unit_panel_constructed;
  object_class->get_property = scope_unit_panel_get_property;
  object_class->set_property = scope_unit_panel_set_property;
  object_class->dispose = scope_unit_panel_dispose;

  properties[PROP_WORKSPACE] =
    g_param_spec_object ("workspace", NULL, NULL, SCOPE_TYPE_WORKSPACE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VIEW_STATE] =
    g_param_spec_object ("view-state", NULL, NULL, SCOPE_TYPE_VIEW_STATE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BREAKDOWN] =
    g_param_spec_pointer ("breakdown", NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/vggscope/VggScope/ui/scope-unit-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, ScopeUnitPanel, title_label);
  gtk_widget_class_bind_template_child (widget_class, ScopeUnitPanel, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, ScopeUnitPanel, status_label);
  gtk_widget_class_bind_template_child (widget_class, ScopeUnitPanel, content_box);
  gtk_widget_class_bind_template_child (widget_class, ScopeUnitPanel, windows_box);
  gtk_widget_class_bind_template_child (widget_class, ScopeUnitPanel, terms_heading);
  gtk_widget_class_bind_template_child (widget_class, ScopeUnitPanel, terms_grid);
  gtk_widget_class_bind_template_child (widget_class, ScopeUnitPanel, sum_grid);
  gtk_widget_class_bind_template_child (widget_class, ScopeUnitPanel, note_label);
  gtk_widget_class_bind_template_child (widget_class, ScopeUnitPanel, engine_grid);
}

static void
scope_unit_panel_init (ScopeUnitPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_visible (self->content_box, FALSE);
  g_signal_connect (self, "map", G_CALLBACK (schedule), NULL);
}
