/* scope-layer-item.c — one row of the layer table: a layer's description, formatted
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "scope-layer-item.h"

struct _ScopeLayerItem
{
  GObject  parent_instance;

  /* owned */
  char    *name;
  char    *kind;
  char    *output;
  char    *params;
  char    *macs;
  char    *receptive_field;
  char    *time;
  char    *memory;
  char   **swatch_classes;

  /* plain state */
  int      index;
};

enum {
  PROP_0,
  PROP_INDEX,
  PROP_NAME,
  PROP_KIND,
  PROP_OUTPUT,
  PROP_PARAMS,
  PROP_MACS,
  PROP_RECEPTIVE_FIELD,
  PROP_TIME,
  PROP_MEMORY,
  PROP_SWATCH_CLASSES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (ScopeLayerItem, scope_layer_item, G_TYPE_OBJECT)

char *
scope_format_count (int64_t count)
{
  /* Translators: unit suffixes for thousand, million, billion in narrow table columns */
  if (count >= 1000000000)
    return g_strdup_printf (_("%.1f G"), count / 1e9);
  if (count >= 1000000)
    return g_strdup_printf (_("%.1f M"), count / 1e6);
  if (count >= 10000)
    return g_strdup_printf (_("%.1f K"), count / 1e3);
  return g_strdup_printf ("%" G_GINT64_FORMAT, count);
}

static void
scope_layer_item_finalize (GObject *object)
{
  ScopeLayerItem *self = SCOPE_LAYER_ITEM (object);

  g_free (self->name);
  g_free (self->kind);
  g_free (self->output);
  g_free (self->params);
  g_free (self->macs);
  g_free (self->receptive_field);
  g_free (self->time);
  g_free (self->memory);
  g_strfreev (self->swatch_classes);

  G_OBJECT_CLASS (scope_layer_item_parent_class)->finalize (object);
}

static void
scope_layer_item_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  ScopeLayerItem *self = SCOPE_LAYER_ITEM (object);

  switch (prop_id)
    {
    case PROP_INDEX:
      g_value_set_int (value, self->index);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_KIND:
      g_value_set_string (value, self->kind);
      break;
    case PROP_OUTPUT:
      g_value_set_string (value, self->output);
      break;
    case PROP_PARAMS:
      g_value_set_string (value, self->params);
      break;
    case PROP_MACS:
      g_value_set_string (value, self->macs);
      break;
    case PROP_RECEPTIVE_FIELD:
      g_value_set_string (value, self->receptive_field);
      break;
    case PROP_TIME:
      g_value_set_string (value, self->time);
      break;
    case PROP_MEMORY:
      g_value_set_string (value, self->memory);
      break;
    case PROP_SWATCH_CLASSES:
      g_value_set_boxed (value, self->swatch_classes);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
scope_layer_item_class_init (ScopeLayerItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = scope_layer_item_finalize;
  object_class->get_property = scope_layer_item_get_property;

  properties[PROP_INDEX] = g_param_spec_int ("index", NULL, NULL, 0, G_MAXINT, 0, flags);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_KIND] = g_param_spec_string ("kind", NULL, NULL, NULL, flags);
  properties[PROP_OUTPUT] = g_param_spec_string ("output", NULL, NULL, NULL, flags);
  properties[PROP_PARAMS] = g_param_spec_string ("params", NULL, NULL, NULL, flags);
  properties[PROP_MACS] = g_param_spec_string ("macs", NULL, NULL, NULL, flags);
  properties[PROP_RECEPTIVE_FIELD] =
    g_param_spec_string ("receptive-field", NULL, NULL, NULL, flags);
  /* measured on the current picture: the layer's wall time; its output's size */
  properties[PROP_TIME] =
    g_param_spec_string ("time", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MEMORY] = g_param_spec_string ("memory", NULL, NULL, NULL, flags);
  /* CSS classes for the little colour swatch, matching the architecture diagram */
  properties[PROP_SWATCH_CLASSES] =
    g_param_spec_boxed ("swatch-classes", NULL, NULL, G_TYPE_STRV, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
scope_layer_item_init (ScopeLayerItem *self)
{
}

ScopeLayerItem *
scope_layer_item_new (const VggLayer *layer)
{
  ScopeLayerItem *self;
  const char *kind;

  g_return_val_if_fail (layer != NULL, NULL);

  self = g_object_new (SCOPE_TYPE_LAYER_ITEM, NULL);
  self->index = layer->index;
  self->name = g_strdup (layer->name);
  switch (layer->kind)
    {
    case VGG_LAYER_CONV:
      /* Translators: layer kinds in the layer table */
      kind = _("Convolution 3×3 + ReLU");
      self->swatch_classes = g_strsplit ("layer-swatch conv", " ", -1);
      break;
    case VGG_LAYER_POOL:
      kind = _("Max-pool 2×2");
      self->swatch_classes = g_strsplit ("layer-swatch pool", " ", -1);
      break;
    case VGG_LAYER_FC:
      kind = layer->relu ? _("Fully connected + ReLU") : _("Fully connected (logits)");
      self->swatch_classes = g_strsplit ("layer-swatch fc", " ", -1);
      break;
    case VGG_LAYER_SOFTMAX:
    default:
      kind = _("Softmax");
      self->swatch_classes = g_strsplit ("layer-swatch softmax", " ", -1);
      break;
    }
  self->kind = g_strdup (kind);
  if (layer->height_out * layer->width_out == 1)
    self->output = g_strdup_printf ("%d", layer->channels_out);
  else
    self->output = g_strdup_printf ("%d×%d×%d", layer->channels_out, layer->height_out,
                                    layer->width_out);
  self->params = layer->params > 0 ? scope_format_count (layer->params) : g_strdup ("–");
  self->macs = layer->macs > 0 ? scope_format_count (layer->macs) : g_strdup ("–");
  if (layer->kind == VGG_LAYER_FC || layer->kind == VGG_LAYER_SOFTMAX)
    /* Translators: the receptive field of a fully connected layer: the whole picture */
    self->receptive_field = g_strdup (_("all"));
  else
    self->receptive_field = g_strdup_printf ("%d", layer->receptive_field.size);
  self->memory = g_format_size ((guint64) layer->channels_out * layer->height_out
                                * layer->width_out * sizeof (float));
  self->time = g_strdup ("–");
  return self;
}

void
scope_layer_item_set_seconds (ScopeLayerItem *self,
                              double          seconds)
{
  g_autofree char *time = NULL;

  g_return_if_fail (SCOPE_IS_LAYER_ITEM (self));

  if (seconds < 0)
    time = g_strdup ("–");
  else if (seconds == 0)
    /* Translators: in the layer table's time column: the layer ran inside the one before */
    time = g_strdup (_("fused"));
  else if (seconds < 0.001)
    /* Translators: a layer's time in microseconds, in the layer table */
    time = g_strdup_printf (_("%.0f µs"), seconds * 1e6);
  else
    /* Translators: a layer's time in milliseconds, in the layer table */
    time = g_strdup_printf (_("%.1f ms"), seconds * 1e3);
  if (g_strcmp0 (time, self->time) == 0)
    return;
  g_free (self->time);
  self->time = g_steal_pointer (&time);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIME]);
}

const char *
scope_layer_item_get_time (ScopeLayerItem *self)
{
  g_return_val_if_fail (SCOPE_IS_LAYER_ITEM (self), NULL);
  return self->time;
}

int
scope_layer_item_get_index (ScopeLayerItem *self)
{
  g_return_val_if_fail (SCOPE_IS_LAYER_ITEM (self), 0);
  return self->index;
}

const char *
scope_layer_item_get_name (ScopeLayerItem *self)
{
  g_return_val_if_fail (SCOPE_IS_LAYER_ITEM (self), NULL);
  return self->name;
}
