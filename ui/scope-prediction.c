/* scope-prediction.c — one row of the top-k prediction: a class and its probability
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "scope-prediction.h"

struct _ScopePrediction
{
  GObject  parent_instance;

  /* owned */
  char    *label;

  /* plain state */
  int      rank;
  int      class_index;
  double   probability;
};

enum {
  PROP_0,
  PROP_RANK,
  PROP_CLASS_INDEX,
  PROP_LABEL,
  PROP_PROBABILITY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (ScopePrediction, scope_prediction, G_TYPE_OBJECT)

static void
scope_prediction_finalize (GObject *object)
{
  ScopePrediction *self = SCOPE_PREDICTION (object);

  g_clear_pointer (&self->label, g_free);

  G_OBJECT_CLASS (scope_prediction_parent_class)->finalize (object);
}

static void
scope_prediction_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  ScopePrediction *self = SCOPE_PREDICTION (object);

  switch (prop_id)
    {
    case PROP_RANK:
      g_value_set_int (value, self->rank);
      break;
    case PROP_CLASS_INDEX:
      g_value_set_int (value, self->class_index);
      break;
    case PROP_LABEL:
      g_value_set_string (value, self->label);
      break;
    case PROP_PROBABILITY:
      g_value_set_double (value, self->probability);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
scope_prediction_class_init (ScopePredictionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = scope_prediction_finalize;
  object_class->get_property = scope_prediction_get_property;

  properties[PROP_RANK] =
    g_param_spec_int ("rank", NULL, NULL, 0, G_MAXINT, 0,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CLASS_INDEX] =
    g_param_spec_int ("class-index", NULL, NULL, 0, G_MAXINT, 0,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_LABEL] =
    g_param_spec_string ("label", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROBABILITY] =
    g_param_spec_double ("probability", NULL, NULL, 0.0, 1.0, 0.0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
scope_prediction_init (ScopePrediction *self)
{
}

ScopePrediction *
scope_prediction_new (int         rank,
                      int         class_index,
                      const char *label,
                      double      probability)
{
  ScopePrediction *self = g_object_new (SCOPE_TYPE_PREDICTION, NULL);

  self->rank = rank;
  self->class_index = class_index;
  self->label = g_strdup (label);
  self->probability = CLAMP (probability, 0.0, 1.0);
  return self;
}

int
scope_prediction_get_rank (ScopePrediction *self)
{
  g_return_val_if_fail (SCOPE_IS_PREDICTION (self), 0);
  return self->rank;
}

int
scope_prediction_get_class_index (ScopePrediction *self)
{
  g_return_val_if_fail (SCOPE_IS_PREDICTION (self), 0);
  return self->class_index;
}

const char *
scope_prediction_get_label (ScopePrediction *self)
{
  g_return_val_if_fail (SCOPE_IS_PREDICTION (self), NULL);
  return self->label;
}

double
scope_prediction_get_probability (ScopePrediction *self)
{
  g_return_val_if_fail (SCOPE_IS_PREDICTION (self), 0.0);
  return self->probability;
}
