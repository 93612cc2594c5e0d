/* scope-prediction-row.c — one row of the probability chart: a class, its percentage, a bar
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "scope-draw.h"
#include "scope-prediction-row.h"

#define BAR_TOP     26.0f
#define BAR_HEIGHT  10.0f
#define TEXT_TOP    2
#define VALUE_WIDTH 64

struct _ScopePredictionRow
{
  GtkWidget        parent_instance;

  /* owned */
  ScopePrediction *prediction;

  /* children */
  GtkWidget       *class_label;
  GtkWidget       *value_label;

  /* plain state */
  gboolean         top;
};

enum {
  PROP_0,
  PROP_PREDICTION,
  PROP_TOP,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (ScopePredictionRow, scope_prediction_row, GTK_TYPE_WIDGET)

char *
scope_prediction_row_format_percent (double probability)
{
  if (probability < 0.001)
    /* Translators: a probability under a thousandth; keep the spaces as they are */
    return g_strdup (_("< 0.1 %"));
  /* Translators: a probability as a percentage; keep the %% */
  return g_strdup_printf (_("%.1f %%"), probability * 100.0);
}

static void
scope_prediction_row_snapshot (GtkWidget   *widget,
                               GtkSnapshot *snapshot)
{
  ScopePredictionRow *self = SCOPE_PREDICTION_ROW (widget);
  float width = MAX (0.0f, (float) gtk_widget_get_width (widget));
  double p = self->prediction != NULL ? scope_prediction_get_probability (self->prediction) : 0;
  GdkRGBA fg, accent, track, fill;
  GskRoundedRect bar;

  scope_draw_get_fg_color (widget, &fg);
  scope_draw_lookup_color (widget, "accent_bg_color", "#3584e4", &accent);
  track = scope_draw_alpha (&fg, 0.1f);
  fill = self->top ? accent : scope_draw_alpha (&accent, 0.55f);

  gsk_rounded_rect_init_from_rect (&bar, &GRAPHENE_RECT_INIT (0, BAR_TOP, width, BAR_HEIGHT),
                                   BAR_HEIGHT / 2);
  gtk_snapshot_push_rounded_clip (snapshot, &bar);
  gtk_snapshot_append_color (snapshot, &track, &bar.bounds);
  gtk_snapshot_append_color (snapshot, &fill,
                             &GRAPHENE_RECT_INIT (0, BAR_TOP, (float) (width * p), BAR_HEIGHT));
  gtk_snapshot_pop (snapshot);

  gtk_widget_snapshot_child (widget, self->class_label, snapshot);
  gtk_widget_snapshot_child (widget, self->value_label, snapshot);
}

static void
scope_prediction_row_measure (GtkWidget      *widget,
                              GtkOrientation  orientation,
                              int             for_size,
                              int            *minimum,
                              int            *natural,
                              int            *minimum_baseline,
                              int            *natural_baseline)
{
  ScopePredictionRow *self = SCOPE_PREDICTION_ROW (widget);
  int class_min, class_nat, value_min, value_nat;

  gtk_widget_measure (self->class_label, orientation, -1, &class_min, &class_nat, NULL, NULL);
  gtk_widget_measure (self->value_label, orientation, -1, &value_min, &value_nat, NULL, NULL);
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = class_min + MAX (value_min, VALUE_WIDTH);
      *natural = class_nat + MAX (value_nat, VALUE_WIDTH);
    }
  else
    {
      /* the text on top, the bar under it */
      *minimum = *natural = (int) (BAR_TOP + BAR_HEIGHT);
    }
}

static void
scope_prediction_row_size_allocate (GtkWidget *widget,
                                    int        width,
                                    int        height,
                                    int        baseline)
{
  ScopePredictionRow *self = SCOPE_PREDICTION_ROW (widget);
  int value_width, class_width, class_height, value_height, min;

  gtk_widget_measure (self->value_label, GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
  value_width = MAX (min, VALUE_WIDTH);
  gtk_widget_measure (self->class_label, GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
  class_width = MAX (min, width - value_width);
  gtk_widget_measure (self->class_label, GTK_ORIENTATION_VERTICAL, class_width, NULL,
                      &class_height, NULL, NULL);
  gtk_widget_measure (self->value_label, GTK_ORIENTATION_VERTICAL, value_width, NULL,
                      &value_height, NULL, NULL);

  gtk_widget_size_allocate (self->class_label,
                            &(GtkAllocation) { 0, TEXT_TOP, class_width, class_height }, -1);
  gtk_widget_size_allocate (self->value_label,
                            &(GtkAllocation) { width - value_width, TEXT_TOP, value_width,
                                               value_height }, -1);
}

static void
update (ScopePredictionRow *self)
{
  const char *label = self->prediction != NULL ? scope_prediction_get_label (self->prediction)
                                               : "";
  double p = self->prediction != NULL ? scope_prediction_get_probability (self->prediction) : 0;
  g_autofree char *value = scope_prediction_row_format_percent (p);
  g_autofree char *spoken = NULL;
  PangoAttrList *bold = pango_attr_list_new ();

  pango_attr_list_insert (bold, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
  gtk_label_set_text (GTK_LABEL (self->class_label), label);
  gtk_label_set_attributes (GTK_LABEL (self->class_label), self->top ? bold : NULL);
  gtk_label_set_text (GTK_LABEL (self->value_label), value);
  gtk_label_set_attributes (GTK_LABEL (self->value_label), bold);
  if (self->top)
    gtk_widget_remove_css_class (self->value_label, "dim-label");
  else
    gtk_widget_add_css_class (self->value_label, "dim-label");
  pango_attr_list_unref (bold);

  /* Translators: what a screen reader says for one row of the prediction chart: the class
   * name, then its percentage as shown ("Ankle boot: 99.2 %") */
  spoken = g_strdup_printf (_("%s: %s"), label, value);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, spoken,
                                  -1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
scope_prediction_row_dispose (GObject *object)
{
  ScopePredictionRow *self = SCOPE_PREDICTION_ROW (object);

  g_clear_pointer (&self->class_label, gtk_widget_unparent);
  g_clear_pointer (&self->value_label, gtk_widget_unparent);
  g_clear_object (&self->prediction);

  G_OBJECT_CLASS (scope_prediction_row_parent_class)->dispose (object);
}

static void
scope_prediction_row_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  ScopePredictionRow *self = SCOPE_PREDICTION_ROW (object);

  switch (prop_id)
    {
    case PROP_PREDICTION:
      g_value_set_object (value, self->prediction);
      break;
    case PROP_TOP:
      g_value_set_boolean (value, self->top);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
scope_prediction_row_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  ScopePredictionRow *self = SCOPE_PREDICTION_ROW (object);

  switch (prop_id)
    {
    case PROP_PREDICTION:
      g_set_object (&self->prediction, g_value_get_object (value));
      update (self);
      break;
    case PROP_TOP:
      self->top = g_value_get_boolean (value);
      update (self);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
scope_prediction_row_class_init (ScopePredictionRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = scope_prediction_row_dispose;
  object_class->get_property = scope_prediction_row_get_property;
  object_class->set_property = scope_prediction_row_set_property;

  widget_class->snapshot = scope_prediction_row_snapshot;
  widget_class->measure = scope_prediction_row_measure;
  widget_class->size_allocate = scope_prediction_row_size_allocate;

  properties[PROP_PREDICTION] =
    g_param_spec_object ("prediction", NULL, NULL, SCOPE_TYPE_PREDICTION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TOP] =
    g_param_spec_boolean ("top", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "predictionrow");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_LIST_ITEM);
}

static void
scope_prediction_row_init (ScopePredictionRow *self)
{
  self->class_label = g_object_new (GTK_TYPE_LABEL,
                                    "xalign", 0.0f,
                                    "ellipsize", PANGO_ELLIPSIZE_END,
                                    "single-line-mode", TRUE,
                                    NULL);
  gtk_widget_set_parent (self->class_label, GTK_WIDGET (self));
  self->value_label = g_object_new (GTK_TYPE_LABEL,
                                    "xalign", 1.0f,
                                    "single-line-mode", TRUE,
                                    NULL);
  gtk_widget_set_parent (self->value_label, GTK_WIDGET (self));
}

GtkWidget *
scope_prediction_row_new (ScopePrediction *prediction,
                          gboolean         top)
{
  g_return_val_if_fail (SCOPE_IS_PREDICTION (prediction), NULL);

  return g_object_new (SCOPE_TYPE_PREDICTION_ROW, "prediction", prediction, "top", top, NULL);
}

ScopePrediction *
scope_prediction_row_get_prediction (ScopePredictionRow *self)
{
  g_return_val_if_fail (SCOPE_IS_PREDICTION_ROW (self), NULL);
  return self->prediction;
}
