/* scope-prob-chart.c — the top classes as horizontal probability bars
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "scope-draw.h"
#include "scope-prediction.h"
#include "scope-prob-chart.h"

#define ROWS        5
#define ROW_HEIGHT  44.0f
#define BAR_HEIGHT  10.0f
#define VALUE_WIDTH 64.0f

struct _ScopeProbChart
{
  GtkWidget   parent_instance;

  /* owned */
  GListModel *model;
};

enum {
  PROP_0,
  PROP_MODEL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (ScopeProbChart, scope_prob_chart, GTK_TYPE_WIDGET)

static void
scope_prob_chart_snapshot (GtkWidget   *widget,
                           GtkSnapshot *snapshot)
{
  ScopeProbChart *self = SCOPE_PROB_CHART (widget);
  float width = gtk_widget_get_width (widget);
  guint n = self->model != NULL ? g_list_model_get_n_items (self->model) : 0;
  g_autoptr(PangoLayout) label_layout = gtk_widget_create_pango_layout (widget, NULL);
  g_autoptr(PangoLayout) value_layout = gtk_widget_create_pango_layout (widget, NULL);
  PangoAttrList *bold = pango_attr_list_new ();
  GdkRGBA fg, accent, track, dim;
  float bar_width = MAX (0.0f, width);

  scope_draw_get_fg_color (widget, &fg);
  scope_draw_lookup_color (widget, "accent_bg_color", "#3584e4", &accent);
  track = scope_draw_alpha (&fg, 0.1f);
  dim = scope_draw_alpha (&fg, 0.55f);

  pango_attr_list_insert (bold, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
  pango_layout_set_ellipsize (label_layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_width (label_layout, (int) ((width - VALUE_WIDTH) * PANGO_SCALE));
  pango_layout_set_alignment (value_layout, PANGO_ALIGN_RIGHT);
  pango_layout_set_width (value_layout, (int) (VALUE_WIDTH * PANGO_SCALE));
  pango_layout_set_attributes (value_layout, bold);

  for (guint i = 0; i < ROWS; i++)
    {
      float y = i * ROW_HEIGHT;
      GskRoundedRect bar;
      g_autoptr(ScopePrediction) prediction = NULL;

      gsk_rounded_rect_init_from_rect (&bar, &GRAPHENE_RECT_INIT (0, y + 26, bar_width,
                                                                  BAR_HEIGHT),
                                       BAR_HEIGHT / 2);
      gtk_snapshot_push_rounded_clip (snapshot, &bar);
      gtk_snapshot_append_color (snapshot, &track, &bar.bounds);

      if (i < n)
        {
          double p;
          g_autofree char *value = NULL;
          GdkRGBA color = i == 0 ? accent : scope_draw_alpha (&accent, 0.55f);

          prediction = g_list_model_get_item (self->model, i);
          p = scope_prediction_get_probability (prediction);
          gtk_snapshot_append_color (snapshot, &color,
                                     &GRAPHENE_RECT_INIT (0, y + 26, (float) (bar_width * p),
                                                          BAR_HEIGHT));
          gtk_snapshot_pop (snapshot);

          pango_layout_set_text (label_layout, scope_prediction_get_label (prediction), -1);
          pango_layout_set_attributes (label_layout, i == 0 ? bold : NULL);
          scope_draw_layout (snapshot, label_layout, 0, y + 2, &fg);

          /* Translators: a probability as a percentage; keep the %% */
          value = p >= 0.001 ? g_strdup_printf (_("%.1f %%"), p * 100.0) : g_strdup ("< 0.1 %");
          pango_layout_set_text (value_layout, value, -1);
          scope_draw_layout (snapshot, value_layout, width - VALUE_WIDTH, y + 2,
                             i == 0 ? &fg : &dim);
        }
      else
        gtk_snapshot_pop (snapshot);
    }

  pango_attr_list_unref (bold);
}

static void
scope_prob_chart_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 200;
      *natural = 320;
    }
  else
    *minimum = *natural = (int) (ROWS * ROW_HEIGHT);
}

static void
update_accessible (ScopeProbChart *self)
{
  g_autoptr(GString) description = g_string_new (NULL);
  guint n = self->model != NULL ? g_list_model_get_n_items (self->model) : 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ScopePrediction) prediction = g_list_model_get_item (self->model, i);

      if (i > 0)
        g_string_append (description, "; ");
      /* Translators: one entry of the spoken prediction list: class name, percentage */
      g_string_append_printf (description, _("%s, %.1f percent"),
                              scope_prediction_get_label (prediction),
                              scope_prediction_get_probability (prediction) * 100.0);
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  description->str, -1);
}

static void
on_items_changed (GListModel     *model,
                  guint           position,
                  guint           removed,
                  guint           added,
                  ScopeProbChart *self)
{
  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
scope_prob_chart_dispose (GObject *object)
{
  scope_prob_chart_set_model (SCOPE_PROB_CHART (object), NULL);

  G_OBJECT_CLASS (scope_prob_chart_parent_class)->dispose (object);
}

static void
scope_prob_chart_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  ScopeProbChart *self = SCOPE_PROB_CHART (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      g_value_set_object (value, self->model);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
scope_prob_chart_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  ScopeProbChart *self = SCOPE_PROB_CHART (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      scope_prob_chart_set_model (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
scope_prob_chart_class_init (ScopeProbChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = scope_prob_chart_dispose;
  object_class->get_property = scope_prob_chart_get_property;
  object_class->set_property = scope_prob_chart_set_property;

  widget_class->snapshot = scope_prob_chart_snapshot;
  widget_class->measure = scope_prob_chart_measure;

  properties[PROP_MODEL] =
    g_param_spec_object ("model", NULL, NULL, G_TYPE_LIST_MODEL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "probchart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
scope_prob_chart_init (ScopeProbChart *self)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  /* Translators: accessible name of the probability bars */
                                  _("Top five classes"), -1);
}

GtkWidget *
scope_prob_chart_new (void)
{
  return g_object_new (SCOPE_TYPE_PROB_CHART, NULL);
}

void
scope_prob_chart_set_model (ScopeProbChart *self,
                            GListModel     *model)
{
  g_return_if_fail (SCOPE_IS_PROB_CHART (self));
  g_return_if_fail (model == NULL || G_IS_LIST_MODEL (model));

  if (self->model == model)
    return;
  if (self->model != NULL)
    g_signal_handlers_disconnect_by_func (self->model, on_items_changed, self);
  g_set_object (&self->model, model);
  if (model != NULL)
    g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed), self);
  update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
}

GListModel *
scope_prob_chart_get_model (ScopeProbChart *self)
{
  g_return_val_if_fail (SCOPE_IS_PROB_CHART (self), NULL);
  return self->model;
}
