/* scope-arch-diagram.c — the network as a row of blocks, in the style of the classic VGG figure
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>

#include "scope-arch-diagram.h"
#include "scope-arch-layout.h"
#include "scope-draw.h"
#include "scope-oblique-box.h"

#define PADDING        16.0f
#define LABEL_SPACE    40.0f   /* under the boxes: block names and sizes */
#define TITLE_SPACE    22.0f   /* above: the selected layer's name */


struct _ScopeArchDiagram
{
  GtkWidget    parent_instance;

  /* owned */
  ScopeModel  *model;
  ScopeResult *result;
  GArray      *boxes;           /* ScopeArchBox per layer */

  /* plain state */
  int          selected_layer;
  int          hover_layer;
  int          pixel_y;         /* the input pixel pointed at, or -1 */
  int          pixel_x;
  float        diagram_width;   /* unscaled extent of the boxes */
  float        diagram_height;
  float        baseline;        /* unscaled y of the boxes' bottom edge */
  float        scale;
  float        offset_x;
  float        offset_y;
};

enum {
  PROP_0,
  PROP_MODEL,
  PROP_RESULT,
  PROP_SELECTED_LAYER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (ScopeArchDiagram, scope_arch_diagram, GTK_TYPE_WIDGET)

/* ---- geometry ---- */

static void
build_boxes (ScopeArchDiagram *self)
{
  g_clear_pointer (&self->boxes, g_array_unref);
  self->boxes = scope_arch_layout_build (self->model != NULL ? scope_model_get_engine (self->model)
                                                             : NULL,
                                         &self->diagram_width, &self->diagram_height,
                                         &self->baseline);
}

static void
layout_boxes (ScopeArchDiagram *self)
{
  float width = gtk_widget_get_width (GTK_WIDGET (self));
  float height = gtk_widget_get_height (GTK_WIDGET (self));
  float avail_w = width - 2 * PADDING, avail_h = height - LABEL_SPACE - TITLE_SPACE - PADDING;

  if (self->boxes->len == 0 || self->diagram_width <= 0)
    return;
  self->scale = MIN (avail_w / self->diagram_width, avail_h / self->diagram_height);
  self->scale = CLAMP (self->scale, 0.2f, 2.2f);
  self->offset_x = floorf ((width - self->diagram_width * self->scale) / 2);
  self->offset_y = TITLE_SPACE + floorf ((avail_h - self->diagram_height * self->scale) / 2);

  for (guint i = 0; i < self->boxes->len; i++)
    {
      ScopeArchBox *box = &g_array_index (self->boxes, ScopeArchBox, i);
      float x = self->offset_x + box->x * self->scale;
      float y = self->offset_y + (self->baseline + box->y - box->depth) * self->scale;

      graphene_rect_init (&box->hit, x, y, (box->width + box->depth) * self->scale,
                          (box->height + box->depth) * self->scale);
    }
}

/* ---- drawing ---- */

/* @box in widget coordinates: its front face's corner at (x, y), depth going right and up. */
static ScopeObliqueBox
place_box (ScopeArchDiagram *self,
           const ScopeArchBox        *box)
{
  float s = self->scale;

  return (ScopeObliqueBox) {
    .x = self->offset_x + box->x * s,
    .y = self->offset_y + (self->baseline + box->y) * s,
    .width = box->width * s,
    .height = box->height * s,
    .depth = box->depth * s,
  };
}

static void
draw_box (ScopeArchDiagram *self,
          GtkSnapshot      *snapshot,
          const ScopeArchBox        *box,
          const VggLayer   *layer,
          gboolean          done,
          gboolean          dark)
{
  static const char *colors[VGG_LAYER_N_KINDS] = {
    "#62a0ea",   /* conv: Adwaita blue 2 */
    "#f66151",   /* pool: red 1 */
    "#c061cb",   /* fc: purple 2 */
    "#57e389",   /* softmax: green 2 */
  };
  ScopeObliqueBox placed = place_box (self, box);
  GdkRGBA base;

  gdk_rgba_parse (&base, colors[layer->kind < VGG_LAYER_N_KINDS ? layer->kind : 0]);
  if (!done)
    {
      /* not computed yet: a pale outline of itself */
      float grey = dark ? 0.32f : 0.82f;

      base.red = base.red * 0.25f + grey * 0.75f;
      base.green = base.green * 0.25f + grey * 0.75f;
      base.blue = base.blue * 0.25f + grey * 0.75f;
    }
  scope_oblique_box_fill (snapshot, &placed, &base);
}

static void
draw_outline (ScopeArchDiagram *self,
              GtkSnapshot      *snapshot,
              const ScopeArchBox        *box,
              const GdkRGBA    *color,
              float             line_width)
{
  ScopeObliqueBox placed = place_box (self, box);

  scope_oblique_box_outline (snapshot, &placed, color, line_width);
}

static gboolean
layer_done (ScopeArchDiagram *self,
            int               index)
{
  if (self->result == NULL)
    return FALSE;
  return scope_result_get_capture (self->result, index) != NULL;
}

/* Block labels under the boxes: "conv1", "224 × 224 × 64". */
static void
draw_labels (ScopeArchDiagram *self,
             GtkSnapshot      *snapshot,
             const GdkRGBA    *fg)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), NULL);
  PangoFontDescription *small = pango_font_description_from_string ("9");
  GdkRGBA dim = scope_draw_alpha (fg, 0.65f);
  int n = scope_model_get_n_layers (self->model);
  float label_y = self->offset_y + self->diagram_height * self->scale + 8;
  float last_right = -G_MAXFLOAT;

  pango_layout_set_font_description (layout, small);
  pango_font_description_free (small);

  for (int i = 0; i < n; )
    {
      const VggLayer *first = scope_model_get_layer (self->model, i);
      int end = i + 1;
      const ScopeArchBox *box_first = &g_array_index (self->boxes, ScopeArchBox, i), *box_last;
      g_autofree char *name = NULL, *shape = NULL;
      int text_w, text_h;
      float center;

      /* a group: the convs of a block and its pool, or one FC/softmax layer */
      if (first->kind == VGG_LAYER_CONV)
        while (end < n && scope_model_get_layer (self->model, end)->block == first->block)
          end++;
      box_last = &g_array_index (self->boxes, ScopeArchBox, end - 1);
      center = self->offset_x + (box_first->x + box_last->x + box_last->width) / 2 * self->scale;

      if (first->kind == VGG_LAYER_CONV)
        {
          /* Translators: label under a block of the architecture diagram; %d is its number */
          name = g_strdup_printf (_("block %d"), first->block);
          shape = g_strdup_printf ("%d×%d×%d", first->height_out, first->width_out,
                                   first->channels_out);
        }
      else
        {
          name = g_strdup (first->name);
          shape = g_strdup_printf ("%d", first->channels_out);
        }

      {
        int shape_w, shape_h, widest;

        pango_layout_set_text (layout, shape, -1);
        pango_layout_get_pixel_size (layout, &shape_w, &shape_h);
        pango_layout_set_text (layout, name, -1);
        pango_layout_get_pixel_size (layout, &text_w, &text_h);
        widest = MAX (text_w, shape_w);
        float right_edge = self->offset_x + (box_last->x + box_last->width + box_last->depth
                                             + SCOPE_ARCH_BLOCK_SPACING / 2) * self->scale;

        /* nudge a label right if it would touch the previous one, as long as it stays under
         * its own boxes; else leave it out (the tooltip still names every box) */
        if (center - widest / 2.0f < last_right + 8)
          center = last_right + 8 + widest / 2.0f;
        if (center <= right_edge)
          {
            scope_draw_layout (snapshot, layout, center - text_w / 2.0f, label_y, fg);
            pango_layout_set_text (layout, shape, -1);
            scope_draw_layout (snapshot, layout, center - shape_w / 2.0f, label_y + text_h,
                               &dim);
            last_right = center + widest / 2.0f;
          }
      }
      i = end;
    }
}

/* On each convolution and pool, the units that see the input pixel pointed at, marked on the
 * box's side (which stands for its maps). */
static void
draw_lit_units (ScopeArchDiagram *self,
                GtkSnapshot      *snapshot,
                const GdkRGBA    *accent)
{
  GdkRGBA mark = *accent;

  if (self->pixel_y < 0)
    return;
  for (guint i = 0; i < self->boxes->len; i++)
    {
      const VggLayer *layer = scope_model_get_layer (self->model, (int) i);
      ScopeObliqueBox placed = place_box (self, &g_array_index (self->boxes, ScopeArchBox, i));
      VggRect units;

      if (!vgg_model_reverse_receptive_rect (scope_model_get_engine (self->model), (int) i,
                                             self->pixel_y, self->pixel_x, &units))
        continue;
      /* (a few units of a big map would vanish: at least a sliver stays visible) */
      scope_oblique_box_mark_side (snapshot, &placed,
                                   (double) units.y / layer->height_out,
                                   MAX ((double) (units.y + units.height) / layer->height_out,
                                        (double) units.y / layer->height_out + 0.04),
                                   (double) units.x / layer->width_out,
                                   MAX ((double) (units.x + units.width) / layer->width_out,
                                        (double) units.x / layer->width_out + 0.04),
                                   &mark);
    }
}

static void
scope_arch_diagram_snapshot (GtkWidget   *widget,
                             GtkSnapshot *snapshot)
{
  ScopeArchDiagram *self = SCOPE_ARCH_DIAGRAM (widget);
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  int running = self->result != NULL ? scope_result_get_running_layer (self->result) : -1;
  GdkRGBA fg, accent;

  if (self->model == NULL || self->boxes->len == 0)
    return;

  layout_boxes (self);
  scope_draw_get_fg_color (widget, &fg);
  scope_draw_lookup_color (widget, "accent_color", "#1c71d8", &accent);

  for (guint i = 0; i < self->boxes->len; i++)
    {
      const ScopeArchBox *box = &g_array_index (self->boxes, ScopeArchBox, i);
      const VggLayer *layer = scope_model_get_layer (self->model, (int) i);
      /* without a picture, show the network in colour rather than as "pending" */
      gboolean done = self->result == NULL || layer_done (self, (int) i);

      draw_box (self, snapshot, box, layer, done, dark);
      if ((int) i == running)
        draw_outline (self, snapshot, box, &accent, 2.0f);
      else if ((int) i == self->hover_layer && (int) i != self->selected_layer)
        {
          GdkRGBA hover = scope_draw_alpha (&fg, 0.5f);

          draw_outline (self, snapshot, box, &hover, 1.0f);
        }
    }

  if (self->selected_layer >= 0 && (guint) self->selected_layer < self->boxes->len)
    {
      const ScopeArchBox *box = &g_array_index (self->boxes, ScopeArchBox, self->selected_layer);
      const VggLayer *layer = scope_model_get_layer (self->model, self->selected_layer);
      g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, layer->name);
      PangoAttrList *bold = pango_attr_list_new ();
      int text_w, text_h;
      float center = self->offset_x + (box->x + (box->width + box->depth) / 2) * self->scale;
      float top = self->offset_y + (self->baseline + box->y - box->depth) * self->scale;
      float x;

      draw_outline (self, snapshot, box, &fg, 2.0f);

      pango_attr_list_insert (bold, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
      pango_layout_set_attributes (layout, bold);
      pango_attr_list_unref (bold);
      pango_layout_get_pixel_size (layout, &text_w, &text_h);
      x = CLAMP (center - text_w / 2.0f, 2, gtk_widget_get_width (widget) - text_w - 2);
      scope_draw_layout (snapshot, layout, x, MAX (0, top - text_h - 4), &fg);
    }

  draw_lit_units (self, snapshot, &accent);
  draw_labels (self, snapshot, &fg);
}

static void
scope_arch_diagram_measure (GtkWidget      *widget,
                            GtkOrientation  orientation,
                            int             for_size,
                            int            *minimum,
                            int            *natural,
                            int            *minimum_baseline,
                            int            *natural_baseline)
{
  ScopeArchDiagram *self = SCOPE_ARCH_DIAGRAM (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 240;
      *natural = MAX (240, (int) (self->diagram_width * 1.4f + 2 * PADDING));
    }
  else
    {
      *minimum = 150;
      *natural = 200;
    }
}

/* ---- input ---- */

int
scope_arch_diagram_layer_at (ScopeArchDiagram *self,
                             double            x,
                             double            y)
{
  g_return_val_if_fail (SCOPE_IS_ARCH_DIAGRAM (self), -1);

  layout_boxes (self);
  /* later boxes are drawn over earlier ones */
  for (int i = (int) self->boxes->len - 1; i >= 0; i--)
    {
      const ScopeArchBox *box = &g_array_index (self->boxes, ScopeArchBox, i);
      graphene_rect_t hit;

      /* a little slack for the thin boxes */
      graphene_rect_inset_r (&box->hit, -2, -2, &hit);
      if (graphene_rect_contains_point (&hit, &GRAPHENE_POINT_INIT ((float) x, (float) y)))
        return i;
    }
  return -1;
}

static void
on_motion (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           ScopeArchDiagram         *self)
{
  int layer = scope_arch_diagram_layer_at (self, x, y);

  if (layer != self->hover_layer)
    {
      self->hover_layer = layer;
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
}

static void
on_leave (GtkEventControllerMotion *controller,
          ScopeArchDiagram         *self)
{
  self->hover_layer = -1;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_pressed (GtkGestureClick  *gesture,
            int               n_press,
            double            x,
            double            y,
            ScopeArchDiagram *self)
{
  int layer = scope_arch_diagram_layer_at (self, x, y);

  gtk_widget_grab_focus (GTK_WIDGET (self));
  if (layer >= 0)
    scope_arch_diagram_set_selected_layer (self, layer);
}

static gboolean
on_key_pressed (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                ScopeArchDiagram      *self)
{
  int n = self->model != NULL ? scope_model_get_n_layers (self->model) : 0;
  int layer = self->selected_layer;
  gboolean rtl = gtk_widget_get_direction (GTK_WIDGET (self)) == GTK_TEXT_DIR_RTL;

  if (n == 0 || (state & (GDK_CONTROL_MASK | GDK_ALT_MASK)) != 0)
    return GDK_EVENT_PROPAGATE;
  switch (keyval)
    {
    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
      layer += rtl ? 1 : -1;
      break;
    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
      layer += rtl ? -1 : 1;
      break;
    case GDK_KEY_Home:
      layer = 0;
      break;
    case GDK_KEY_End:
      layer = n - 1;
      break;
    default:
      return GDK_EVENT_PROPAGATE;
    }
  scope_arch_diagram_set_selected_layer (self, CLAMP (layer, 0, n - 1));
  return GDK_EVENT_STOP;
}

static gboolean
on_query_tooltip (GtkWidget        *widget,
                  int               x,
                  int               y,
                  gboolean          keyboard,
                  GtkTooltip       *tooltip,
                  ScopeArchDiagram *self)
{
  int index = keyboard ? self->selected_layer : scope_arch_diagram_layer_at (self, x, y);
  const VggLayer *layer;
  g_autofree char *text = NULL;

  if (self->model == NULL || (layer = scope_model_get_layer (self->model, index)) == NULL)
    return FALSE;
  /* Translators: tooltip of a box in the architecture diagram: layer name, kind, then the
   * output shape as channels × height × width */
  text = g_strdup_printf (_("%s (%s)\n%d × %d × %d"), layer->name,
                          vgg_layer_kind_name (layer->kind), layer->channels_out,
                          layer->height_out, layer->width_out);
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

/* ---- GObject ---- */

static void
on_result_changed (ScopeArchDiagram *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
scope_arch_diagram_dispose (GObject *object)
{
  ScopeArchDiagram *self = SCOPE_ARCH_DIAGRAM (object);

  scope_arch_diagram_set_result (self, NULL);
  g_clear_object (&self->model);
  g_clear_pointer (&self->boxes, g_array_unref);

  G_OBJECT_CLASS (scope_arch_diagram_parent_class)->dispose (object);
}

static void
scope_arch_diagram_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  ScopeArchDiagram *self = SCOPE_ARCH_DIAGRAM (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      g_value_set_object (value, self->model);
      break;
    case PROP_RESULT:
      g_value_set_object (value, self->result);
      break;
    case PROP_SELECTED_LAYER:
      g_value_set_int (value, self->selected_layer);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
scope_arch_diagram_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  ScopeArchDiagram *self = SCOPE_ARCH_DIAGRAM (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      scope_arch_diagram_set_model (self, g_value_get_object (value));
      break;
    case PROP_RESULT:
      scope_arch_diagram_set_result (self, g_value_get_object (value));
      break;
    case PROP_SELECTED_LAYER:
      scope_arch_diagram_set_selected_layer (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
scope_arch_diagram_class_init (ScopeArchDiagramClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = scope_arch_diagram_dispose;
  object_class->get_property = scope_arch_diagram_get_property;
  object_class->set_property = scope_arch_diagram_set_property;

  widget_class->snapshot = scope_arch_diagram_snapshot;
  widget_class->measure = scope_arch_diagram_measure;

  properties[PROP_MODEL] =
    g_param_spec_object ("model", NULL, NULL, SCOPE_TYPE_MODEL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RESULT] =
    g_param_spec_object ("result", NULL, NULL, SCOPE_TYPE_RESULT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SELECTED_LAYER] =
    g_param_spec_int ("selected-layer", NULL, NULL, -1, G_MAXINT, -1,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "archdiagram");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
scope_arch_diagram_init (ScopeArchDiagram *self)
{
  GtkEventController *controller;

  self->boxes = g_array_new (FALSE, TRUE, sizeof (ScopeArchBox));
  self->selected_layer = -1;
  self->hover_layer = -1;
  self->pixel_y = self->pixel_x = -1;
  self->scale = 1;

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (on_query_tooltip), self);

  controller = gtk_event_controller_motion_new ();
  g_signal_connect (controller, "motion", G_CALLBACK (on_motion), self);
  g_signal_connect (controller, "leave", G_CALLBACK (on_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = GTK_EVENT_CONTROLLER (gtk_gesture_click_new ());
  g_signal_connect (controller, "pressed", G_CALLBACK (on_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_event_controller_key_new ();
  g_signal_connect (controller, "key-pressed", G_CALLBACK (on_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (gtk_widget_queue_draw), self, G_CONNECT_SWAPPED);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  /* Translators: accessible name of the architecture diagram */
                                  _("Network architecture"), -1);
}

GtkWidget *
scope_arch_diagram_new (void)
{
  return g_object_new (SCOPE_TYPE_ARCH_DIAGRAM, NULL);
}

void
scope_arch_diagram_set_model (ScopeArchDiagram *self,
                              ScopeModel       *model)
{
  g_return_if_fail (SCOPE_IS_ARCH_DIAGRAM (self));
  g_return_if_fail (model == NULL || SCOPE_IS_MODEL (model));

  if (!g_set_object (&self->model, model))
    return;
  build_boxes (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
}

ScopeModel *
scope_arch_diagram_get_model (ScopeArchDiagram *self)
{
  g_return_val_if_fail (SCOPE_IS_ARCH_DIAGRAM (self), NULL);
  return self->model;
}

void
scope_arch_diagram_set_result (ScopeArchDiagram *self,
                               ScopeResult      *result)
{
  g_return_if_fail (SCOPE_IS_ARCH_DIAGRAM (self));
  g_return_if_fail (result == NULL || SCOPE_IS_RESULT (result));

  if (self->result == result)
    return;
  if (self->result != NULL)
    g_signal_handlers_disconnect_by_func (self->result, on_result_changed, self);
  g_set_object (&self->result, result);
  if (result != NULL)
    {
      g_signal_connect_swapped (result, "notify::running-layer",
                                G_CALLBACK (on_result_changed), self);
      g_signal_connect_swapped (result, "layer-captured", G_CALLBACK (on_result_changed), self);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RESULT]);
}

ScopeResult *
scope_arch_diagram_get_result (ScopeArchDiagram *self)
{
  g_return_val_if_fail (SCOPE_IS_ARCH_DIAGRAM (self), NULL);
  return self->result;
}

void
scope_arch_diagram_set_selected_layer (ScopeArchDiagram *self,
                                       int               index)
{
  g_return_if_fail (SCOPE_IS_ARCH_DIAGRAM (self));

  if (self->selected_layer == index)
    return;
  self->selected_layer = index;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_LAYER]);
}

int
scope_arch_diagram_get_selected_layer (ScopeArchDiagram *self)
{
  g_return_val_if_fail (SCOPE_IS_ARCH_DIAGRAM (self), -1);
  return self->selected_layer;
}

void
scope_arch_diagram_set_pixel (ScopeArchDiagram *self,
                              int               y,
                              int               x)
{
  g_return_if_fail (SCOPE_IS_ARCH_DIAGRAM (self));

  if (y < 0 || x < 0)
    y = x = -1;
  if (self->pixel_y == y && self->pixel_x == x)
    return;
  self->pixel_y = y;
  self->pixel_x = x;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}
