/* scope-layer-list.c — the table of layers: name, output shape, parameters, MACs, receptive field
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "scope-layer-item.h"
#include "scope-layer-list.h"

struct _ScopeLayerList
{
  GtkWidget           parent_instance;

  /* template children */
  GtkColumnView      *column_view;
  GtkSingleSelection *selection;

  /* owned */
  ScopeModel         *model;
  GListStore         *items;
  ScopeResult        *result;     /* whose measured times are shown, or NULL */
};

enum {
  PROP_0,
  PROP_MODEL,
  PROP_SELECTED_LAYER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (ScopeLayerList, scope_layer_list, GTK_TYPE_WIDGET)

static void update_times (ScopeLayerList *self);

static void
on_selected_changed (ScopeLayerList *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_LAYER]);
}

/* GTK 4.8 has no gtk_column_view_scroll_to(): ask the list view inside for it. */
static void
scroll_to (ScopeLayerList *self,
           guint           position)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->column_view));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_VIEW (child))
      {
        gtk_widget_activate_action (child, "list.scroll-to-item", "u", position);
        return;
      }
}

static void
scope_layer_list_dispose (GObject *object)
{
  ScopeLayerList *self = SCOPE_LAYER_LIST (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), SCOPE_TYPE_LAYER_LIST);
  /* the template's top-level child is not a bound one */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  if (self->result != NULL)
    g_signal_handlers_disconnect_by_data (self->result, self);
  g_clear_object (&self->result);
  g_clear_object (&self->model);
  g_clear_object (&self->items);

  G_OBJECT_CLASS (scope_layer_list_parent_class)->dispose (object);
}

static void
scope_layer_list_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  ScopeLayerList *self = SCOPE_LAYER_LIST (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      g_value_set_object (value, self->model);
      break;
    case PROP_SELECTED_LAYER:
      g_value_set_int (value, scope_layer_list_get_selected_layer (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
scope_layer_list_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  ScopeLayerList *self = SCOPE_LAYER_LIST (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      scope_layer_list_set_model (self, g_value_get_object (value));
      break;
    case PROP_SELECTED_LAYER:
      scope_layer_list_set_selected_layer (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
scope_layer_list_class_init (ScopeLayerListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = scope_layer_list_dispose;
  object_class->get_property = scope_layer_list_get_property;
  object_class->set_property = scope_layer_list_set_property;

  properties[PROP_MODEL] =
    g_param_spec_object ("model", NULL, NULL, SCOPE_TYPE_MODEL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SELECTED_LAYER] =
    g_param_spec_int ("selected-layer", NULL, NULL, -1, G_MAXINT, -1,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (SCOPE_TYPE_LAYER_ITEM);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/vggscope/VggScope/ui/scope-layer-list.ui");
  gtk_widget_class_bind_template_child (widget_class, ScopeLayerList, column_view);
  gtk_widget_class_bind_template_child (widget_class, ScopeLayerList, selection);
  gtk_widget_class_bind_template_callback (widget_class, on_selected_changed);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "layerlist");
}

static void
scope_layer_list_init (ScopeLayerList *self)
{
  self->items = g_list_store_new (SCOPE_TYPE_LAYER_ITEM);
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_single_selection_set_model (self->selection, G_LIST_MODEL (self->items));
}

GtkWidget *
scope_layer_list_new (void)
{
  return g_object_new (SCOPE_TYPE_LAYER_LIST, NULL);
}

void
scope_layer_list_set_model (ScopeLayerList *self,
                            ScopeModel     *model)
{
  g_autoptr(GPtrArray) rows = NULL;
  int selected;

  g_return_if_fail (SCOPE_IS_LAYER_LIST (self));
  g_return_if_fail (model == NULL || SCOPE_IS_MODEL (model));

  if (self->model == model)
    return;
  selected = scope_layer_list_get_selected_layer (self);
  g_set_object (&self->model, model);

  rows = g_ptr_array_new_with_free_func (g_object_unref);
  for (int i = 0; model != NULL && i < scope_model_get_n_layers (model); i++)
    g_ptr_array_add (rows, scope_layer_item_new (scope_model_get_layer (model, i)));
  g_list_store_splice (self->items, 0, g_list_model_get_n_items (G_LIST_MODEL (self->items)),
                       rows->pdata, rows->len);
  scope_layer_list_set_selected_layer (self, selected);
  update_times (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
}

ScopeModel *
scope_layer_list_get_model (ScopeLayerList *self)
{
  g_return_val_if_fail (SCOPE_IS_LAYER_LIST (self), NULL);
  return self->model;
}

void
scope_layer_list_set_selected_layer (ScopeLayerList *self,
                                     int             index)
{
  guint n;

  g_return_if_fail (SCOPE_IS_LAYER_LIST (self));

  n = g_list_model_get_n_items (G_LIST_MODEL (self->items));
  if (index < 0 || (guint) index >= n)
    index = -1;
  if (scope_layer_list_get_selected_layer (self) == index)
    return;
  gtk_single_selection_set_selected (self->selection,
                                     index < 0 ? GTK_INVALID_LIST_POSITION : (guint) index);
  if (index >= 0)
    scroll_to (self, (guint) index);
}

int
scope_layer_list_get_selected_layer (ScopeLayerList *self)
{
  guint position;

  g_return_val_if_fail (SCOPE_IS_LAYER_LIST (self), -1);

  position = gtk_single_selection_get_selected (self->selection);
  return position == GTK_INVALID_LIST_POSITION ? -1 : (int) position;
}

GListModel *
scope_layer_list_get_items (ScopeLayerList *self)
{
  g_return_val_if_fail (SCOPE_IS_LAYER_LIST (self), NULL);
  return G_LIST_MODEL (self->items);
}

/* The times measured for the result's picture, if it ran on the model shown. */
static void
update_times (ScopeLayerList *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->items));
  gboolean same = self->result != NULL && scope_result_get_model (self->result) == self->model;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(ScopeLayerItem) item = g_list_model_get_item (G_LIST_MODEL (self->items), i);

      scope_layer_item_set_seconds (item, same ? scope_result_get_layer_seconds (self->result,
                                                                                 (int) i)
                                               : -1.0);
    }
}

void
scope_layer_list_set_result (ScopeLayerList *self,
                             ScopeResult    *result)
{
  g_return_if_fail (SCOPE_IS_LAYER_LIST (self));
  g_return_if_fail (result == NULL || SCOPE_IS_RESULT (result));

  if (self->result == result)
    return;
  if (self->result != NULL)
    g_signal_handlers_disconnect_by_data (self->result, self);
  g_set_object (&self->result, result);
  if (result != NULL)
    g_signal_connect_swapped (result, "notify::profiled", G_CALLBACK (update_times), self);
  update_times (self);
}
