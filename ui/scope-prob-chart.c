/* scope-prob-chart.c — the top classes as horizontal probability bars
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each row is a ScopePredictionRow child widget, so the class names and percentages are
 * labels that a screen reader reads; the chart is their list and draws the empty tracks.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "scope-draw.h"
#include "scope-prediction-row.h"
#include "scope-prob-chart.h"

#define ROWS        5
#define ROW_HEIGHT  44
#define BAR_TOP     26.0f
#define BAR_HEIGHT  10.0f

struct _ScopeProbChart
{
  GtkWidget   parent_instance;

  /* owned */
  GListModel *model;

  /* children: one ScopePredictionRow per item of the model, in its order (at most ROWS) */
  guint       n_rows;
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
  float width = MAX (0.0f, (float) gtk_widget_get_width (widget));
  GdkRGBA fg, track;

  /* the empty tracks of the rows the model does not fill */
  scope_draw_get_fg_color (widget, &fg);
  track = scope_draw_alpha (&fg, 0.1f);
  for (guint i = self->n_rows; i < ROWS; i++)
    {
      GskRoundedRect bar;

      gsk_rounded_rect_init_from_rect (&bar,
                                       &GRAPHENE_RECT_INIT (0, i * ROW_HEIGHT + BAR_TOP, width,
                                                            BAR_HEIGHT),
                                       BAR_HEIGHT / 2);
      gtk_snapshot_push_rounded_clip (snapshot, &bar);
      gtk_snapshot_append_color (snapshot, &track, &bar.bounds);
      gtk_snapshot_pop (snapshot);
    }

  for (GtkWidget *row = gtk_widget_get_first_child (widget); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    gtk_widget_snapshot_child (widget, row, snapshot);
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
    *minimum = *natural = ROWS * ROW_HEIGHT;
}

static void
scope_prob_chart_size_allocate (GtkWidget *widget,
                                int        width,
                                int        height,
                                int        baseline)
{
  int y = 0;

  for (GtkWidget *row = gtk_widget_get_first_child (widget); row != NULL;
       row = gtk_widget_get_next_sibling (row), y += ROW_HEIGHT)
    {
      int min_width;

      gtk_widget_measure (row, GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL, NULL, NULL);
      gtk_widget_size_allocate (row, &(GtkAllocation) { 0, y, MAX (width, min_width),
                                                        ROW_HEIGHT }, -1);
    }
}

static void
remove_rows (ScopeProbChart *self)
{
  GtkWidget *row;

  while ((row = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (row);
  self->n_rows = 0;
}

/* At most ROWS items: rebuilding them all is simpler than patching and as cheap. */
static void
rebuild_rows (ScopeProbChart *self)
{
  guint n = self->model != NULL ? g_list_model_get_n_items (self->model) : 0;

  remove_rows (self);
  for (guint i = 0; i < MIN (n, ROWS); i++)
    {
      g_autoptr(ScopePrediction) prediction = g_list_model_get_item (self->model, i);

      gtk_widget_insert_before (scope_prediction_row_new (prediction, i == 0), GTK_WIDGET (self),
                                NULL);
      self->n_rows++;
    }
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

static void
on_items_changed (GListModel     *model,
                  guint           position,
                  guint           removed,
                  guint           added,
                  ScopeProbChart *self)
{
  rebuild_rows (self);
}

static void
scope_prob_chart_dispose (GObject *object)
{
  scope_prob_chart_set_model (SCOPE_PROB_CHART (object), NULL);
  remove_rows (SCOPE_PROB_CHART (object));

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
  widget_class->size_allocate = scope_prob_chart_size_allocate;

  properties[PROP_MODEL] =
    g_param_spec_object ("model", NULL, NULL, G_TYPE_LIST_MODEL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "probchart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_LIST);
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
  rebuild_rows (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
}

GListModel *
scope_prob_chart_get_model (ScopeProbChart *self)
{
  g_return_val_if_fail (SCOPE_IS_PROB_CHART (self), NULL);
  return self->model;
}
