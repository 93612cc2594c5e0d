/* scope-filter-grid.c — a convolution's filters as pictures
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "scope-filter-grid.h"

/* Screen pixels per weight: the first layer's few filters large, deeper kernels smaller. */
#define FIRST_LAYER_SCALE 16
#define DEEP_LAYER_SCALE  8

struct _ScopeFilterGrid
{
  GtkWidget       parent_instance;

  /* template children */
  GtkWidget      *box;
  GtkLabel       *title_label;
  GtkLabel       *explain_label;
  GtkWidget      *tools;
  GtkCheckButton *sort_check;
  GtkCheckButton *each_check;
  GtkWidget      *channel_box;
  GtkSpinButton  *channel_spin;
  GtkAdjustment  *channel_adjustment;
  GtkFlowBox     *flow_box;

  /* owned */
  ScopeWorkspace *workspace;
  ScopeViewState *view_state;
  GArray         *order;          /* int: the filter (or kernel) each patch shows */

  /* plain state */
  int             layer;          /* the layer shown, -1 for none */
  gboolean        first;          /* the first convolution: whole filters in colour */
  gboolean        updating;
  gboolean        dirty;          /* the patches are stale: rebuilt when next shown or read */
};

enum {
  SIGNAL_FILTER_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (ScopeFilterGrid, scope_filter_grid, GTK_TYPE_WIDGET)

typedef struct
{
  int    index;
  double norm;
} Ranked;

static int
compare_norm (gconstpointer a,
              gconstpointer b)
{
  const Ranked *x = a, *y = b;

  if (x->norm != y->norm)
    return x->norm < y->norm ? 1 : -1;
  return x->index - y->index;
}

/* A 3 × 3 patch of @channels planes (1 grey, 3 colour in RGB order) at @scale, mapping
 * [@low, @high] to [0, 255]. */
static GdkTexture *
patch_texture (const float *planes[3],
               int          channels,
               float        low,
               float        high,
               int          scale)
{
  int side = 3 * scale;
  guint8 *pixels = g_malloc ((gsize) side * side * 3);
  float range = high > low ? high - low : 1.0f;
  g_autoptr(GBytes) bytes = NULL;

  for (int y = 0; y < side; y++)
    for (int x = 0; x < side; x++)
      for (int c = 0; c < 3; c++)
        {
          const float *plane = planes[channels == 3 ? c : 0];
          float t = (plane[(y / scale) * 3 + x / scale] - low) / range;

          pixels[((gsize) y * side + x) * 3 + c] = (guint8) lrintf (CLAMP (t, 0.0f, 1.0f)
                                                                    * 255.0f);
        }
  bytes = g_bytes_new_take (pixels, (gsize) side * side * 3);
  return gdk_memory_texture_new (side, side, GDK_MEMORY_R8G8B8, bytes, (gsize) side * 3);
}

static void
min_max (const float *values,
         gsize        count,
         float       *low,
         float       *high)
{
  *low = INFINITY;
  *high = -INFINITY;
  for (gsize i = 0; i < count; i++)
    {
      *low = MIN (*low, values[i]);
      *high = MAX (*high, values[i]);
    }
}

static void
clear_patches (ScopeFilterGrid *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->flow_box))) != NULL)
    gtk_flow_box_remove (self->flow_box, child);
  g_array_set_size (self->order, 0);
}

static void
add_patch (ScopeFilterGrid *self,
           GdkTexture      *texture,
           const char      *description)
{
  GtkWidget *picture = gtk_picture_new_for_paintable (GDK_PAINTABLE (texture));
  GtkWidget *child;

  gtk_picture_set_can_shrink (GTK_PICTURE (picture), FALSE);
  gtk_widget_set_tooltip_text (picture, description);
  gtk_flow_box_append (self->flow_box, picture);
  child = gtk_widget_get_parent (picture);
  gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  description, -1);
}

static void
rebuild (ScopeFilterGrid *self)
{
  ScopeModel *model = self->workspace != NULL ? scope_workspace_get_model (self->workspace)
                                              : NULL;
  const VggModel *engine = model != NULL ? scope_model_get_engine (model) : NULL;
  int index = self->workspace != NULL ? scope_workspace_get_selected_layer (self->workspace) : -1;
  const VggLayer *layer = engine != NULL ? vgg_model_layer (engine, index) : NULL;
  gboolean each = gtk_check_button_get_active (self->each_check);
  gboolean sorted = gtk_check_button_get_active (self->sort_check);
  gboolean bgr;
  const float *weight = NULL, *bias = NULL;
  g_autofree Ranked *ranked = NULL;
  g_autofree char *title = NULL;
  int n, c_in, out_channel = -1;
  float low = 0, high = 0;

  self->dirty = FALSE;
  clear_patches (self);
  self->layer = -1;
  if (layer == NULL || layer->kind != VGG_LAYER_CONV
      || !vgg_model_layer_weights (engine, index, &weight, &bias))
    {
      gtk_label_set_text (self->title_label, _("No filters here"));
      gtk_label_set_text (self->explain_label,
                          _("Only convolutions have filters: select one in the diagram or the "
                            "layer table."));
      gtk_widget_set_visible (self->tools, FALSE);
      return;
    }
  self->layer = index;
  c_in = layer->channels_in;
  self->first = index == 0;
  bgr = vgg_model_preset (engine) == VGG_PRESET_CAFFE;
  gtk_widget_set_visible (self->tools, TRUE);
  gtk_widget_set_visible (self->channel_box, !self->first);

  if (self->first)
    {
      n = layer->channels_out;
      /* Translators: title of the filter view for the first layer */
      title = g_strdup_printf (_("%s: %d filters of 3 × 3 × %d"), layer->name, n, c_in);
      gtk_label_set_text (self->explain_label,
                          c_in == 3
                          ? _("Each patch is one filter, its three input channels shown as red, "
                              "green and blue: a filter lights up where the picture looks like "
                              "it. Activate one to see the feature map it makes.")
                          : _("Each patch is one filter on the grey input: bright weights "
                              "add, dark ones subtract. Activate one to see the feature map it "
                              "makes."));
    }
  else
    {
      self->updating = TRUE;
      gtk_adjustment_set_upper (self->channel_adjustment, layer->channels_out - 1);
      if (self->view_state != NULL)
        {
          int channel = scope_view_state_get_channel (self->view_state);

          if (channel >= 0 && channel < layer->channels_out)
            gtk_adjustment_set_value (self->channel_adjustment, channel);
        }
      self->updating = FALSE;
      out_channel = (int) gtk_adjustment_get_value (self->channel_adjustment);
      out_channel = CLAMP (out_channel, 0, layer->channels_out - 1);
      n = c_in;
      /* Translators: title of the filter view for a deeper layer: layer, output channel and
       * the number of 3 × 3 kernels its filter holds */
      title = g_strdup_printf (_("%s, output channel %d: %d kernels of 3 × 3"), layer->name,
                               out_channel, c_in);
      gtk_label_set_text (self->explain_label,
                          _("A deeper filter has one 3 × 3 kernel per input channel: each patch "
                            "is what it looks for in one map of the layer before (bright "
                            "weights add, dark ones subtract)."));
    }
  gtk_label_set_text (self->title_label, title);

  /* the weights of patch i start at base + i·stride; each holds planes of 9 */
  {
    const float *base = self->first ? weight : weight + (gsize) out_channel * c_in * 9;
    int stride = self->first ? c_in * 9 : 9;
    int planes_per_patch = self->first ? c_in : 1;

    if (!each)
      min_max (base, (gsize) n * stride, &low, &high);
    ranked = g_new (Ranked, n);
    for (int i = 0; i < n; i++)
      {
        double sum = 0;

        for (int k = 0; k < stride; k++)
          sum += (double) base[(gsize) i * stride + k] * base[(gsize) i * stride + k];
        ranked[i].index = i;
        ranked[i].norm = sqrt (sum);
      }
    if (sorted)
      qsort (ranked, (size_t) n, sizeof *ranked, compare_norm);

    for (int r = 0; r < n; r++)
      {
        int i = ranked[r].index;
        const float *patch = base + (gsize) i * stride;
        const float *planes[3] = { patch, patch, patch };
        g_autoptr(GdkTexture) texture = NULL;
        g_autofree char *description = NULL;

        if (planes_per_patch == 3)
          for (int c = 0; c < 3; c++)
            planes[c] = patch + (bgr ? 2 - c : c) * 9;
        if (each)
          min_max (patch, (gsize) stride, &low, &high);
        texture = patch_texture (planes, planes_per_patch == 3 ? 3 : 1, low, high,
                                 self->first ? FIRST_LAYER_SCALE : DEEP_LAYER_SCALE);
        if (self->first)
          /* Translators: tooltip and accessible name of one filter: its channel, its L2 norm
           * and its bias */
          description = g_strdup_printf (_("Filter %d: norm %.3g, bias %.3g"), i,
                                         ranked[r].norm, bias[i]);
        else
          /* Translators: tooltip of one kernel of a deeper filter: the input channel it reads */
          description = g_strdup_printf (_("Kernel for input channel %d: norm %.3g"), i,
                                         ranked[r].norm);
        add_patch (self, texture, description);
        g_array_append_val (self->order, i);
      }
  }
}

/* Hundreds of patches are not rebuilt for every layer stepped through elsewhere: only when
 * the grid is on screen, or when asked what it shows. */
static void
queue_rebuild (ScopeFilterGrid *self)
{
  self->dirty = TRUE;
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    rebuild (self);
}

static void
ensure_built (ScopeFilterGrid *self)
{
  if (self->dirty)
    rebuild (self);
}

static void
scope_filter_grid_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (scope_filter_grid_parent_class)->map (widget);
  ensure_built (SCOPE_FILTER_GRID (widget));
}

static void
on_option_toggled (ScopeFilterGrid *self)
{
  queue_rebuild (self);
}

static void
on_channel_changed (ScopeFilterGrid *self)
{
  if (!self->updating)
    {
      if (self->view_state != NULL)
        scope_view_state_set_channel (self->view_state,
                                      (int) gtk_adjustment_get_value (self->channel_adjustment));
      queue_rebuild (self);
    }
}

static void
on_show_clicked (ScopeFilterGrid *self)
{
  g_signal_emit (self, signals[SIGNAL_FILTER_ACTIVATED], 0,
                 (int) gtk_adjustment_get_value (self->channel_adjustment));
}

static void
on_child_activated (ScopeFilterGrid *self,
                    GtkFlowBoxChild *child)
{
  scope_filter_grid_activate (self, (guint) gtk_flow_box_child_get_index (child));
}

/* A deeper layer follows the channel picked elsewhere (the maps, the unit view). */
static void
on_view_state_changed (ScopeFilterGrid *self,
                       GParamSpec      *pspec)
{
  int channel;

  if (g_strcmp0 (pspec->name, "channel") != 0)
    return;
  ensure_built (self);
  if (self->first || self->layer < 0)
    return;
  channel = scope_view_state_get_channel (self->view_state);
  if (channel >= 0 && channel <= (int) gtk_adjustment_get_upper (self->channel_adjustment)
      && channel != (int) gtk_adjustment_get_value (self->channel_adjustment))
    gtk_adjustment_set_value (self->channel_adjustment, channel);
}

void
scope_filter_grid_activate (ScopeFilterGrid *self,
                            guint            position)
{
  int channel;

  g_return_if_fail (SCOPE_IS_FILTER_GRID (self));

  ensure_built (self);
  if (position >= self->order->len || self->layer < 0)
    return;
  /* the first layer: the filter is the channel; deeper: the shown output channel */
  channel = self->first ? g_array_index (self->order, int, position)
                        : (int) gtk_adjustment_get_value (self->channel_adjustment);
  if (self->view_state != NULL)
    scope_view_state_set_channel (self->view_state, channel);
  g_signal_emit (self, signals[SIGNAL_FILTER_ACTIVATED], 0, channel);
}

void
scope_filter_grid_set_workspace (ScopeFilterGrid *self,
                                 ScopeWorkspace  *workspace)
{
  g_return_if_fail (SCOPE_IS_FILTER_GRID (self));

  if (self->workspace == workspace)
    return;
  if (self->workspace != NULL)
    g_signal_handlers_disconnect_by_data (self->workspace, self);
  g_set_object (&self->workspace, workspace);
  if (workspace != NULL)
    {
      g_signal_connect_swapped (workspace, "notify::model", G_CALLBACK (queue_rebuild), self);
      g_signal_connect_swapped (workspace, "notify::selected-layer", G_CALLBACK (queue_rebuild),
                                self);
    }
  queue_rebuild (self);
}

void
scope_filter_grid_set_view_state (ScopeFilterGrid *self,
                                  ScopeViewState  *view_state)
{
  g_return_if_fail (SCOPE_IS_FILTER_GRID (self));

  if (scope_view_state_follow (&self->view_state, view_state, G_CALLBACK (on_view_state_changed),
                               self))
    queue_rebuild (self);
}

guint
scope_filter_grid_get_n_filters (ScopeFilterGrid *self)
{
  g_return_val_if_fail (SCOPE_IS_FILTER_GRID (self), 0);
  ensure_built (self);
  return self->order->len;
}

int
scope_filter_grid_get_channel (ScopeFilterGrid *self)
{
  g_return_val_if_fail (SCOPE_IS_FILTER_GRID (self), -1);
  ensure_built (self);
  return self->first || self->layer < 0 ? -1
                                        : (int) gtk_adjustment_get_value (self->channel_adjustment);
}

int
scope_filter_grid_get_filter_at (ScopeFilterGrid *self,
                                 guint            position)
{
  g_return_val_if_fail (SCOPE_IS_FILTER_GRID (self), -1);
  ensure_built (self);
  return position < self->order->len ? g_array_index (self->order, int, position) : -1;
}

void
scope_filter_grid_set_sorted (ScopeFilterGrid *self,
                              gboolean         sorted)
{
  g_return_if_fail (SCOPE_IS_FILTER_GRID (self));
  gtk_check_button_set_active (self->sort_check, sorted);
}

void
scope_filter_grid_set_each (ScopeFilterGrid *self,
                            gboolean         each)
{
  g_return_if_fail (SCOPE_IS_FILTER_GRID (self));
  gtk_check_button_set_active (self->each_check, each);
}

static void
scope_filter_grid_dispose (GObject *object)
{
  ScopeFilterGrid *self = SCOPE_FILTER_GRID (object);

  if (self->workspace != NULL)
    g_signal_handlers_disconnect_by_data (self->workspace, self);
  g_clear_object (&self->workspace);
  scope_view_state_follow (&self->view_state, NULL, G_CALLBACK (on_view_state_changed), self);
  gtk_widget_dispose_template (GTK_WIDGET (self), SCOPE_TYPE_FILTER_GRID);

  G_OBJECT_CLASS (scope_filter_grid_parent_class)->dispose (object);
}

static void
scope_filter_grid_finalize (GObject *object)
{
  ScopeFilterGrid *self = SCOPE_FILTER_GRID (object);

  g_array_unref (self->order);

  G_OBJECT_CLASS (scope_filter_grid_parent_class)->finalize (object);
}

static void
scope_filter_grid_class_init (ScopeFilterGridClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = scope_filter_grid_dispose;
  object_class->finalize = scope_filter_grid_finalize;
  widget_class->map = scope_filter_grid_map;

  signals[SIGNAL_FILTER_ACTIVATED] =
    g_signal_new ("filter-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/vggscope/VggScope/ui/scope-filter-grid.ui");
  gtk_widget_class_bind_template_child (widget_class, ScopeFilterGrid, box);
  gtk_widget_class_bind_template_child (widget_class, ScopeFilterGrid, title_label);
  gtk_widget_class_bind_template_child (widget_class, ScopeFilterGrid, explain_label);
  gtk_widget_class_bind_template_child (widget_class, ScopeFilterGrid, tools);
  gtk_widget_class_bind_template_child (widget_class, ScopeFilterGrid, sort_check);
  gtk_widget_class_bind_template_child (widget_class, ScopeFilterGrid, each_check);
  gtk_widget_class_bind_template_child (widget_class, ScopeFilterGrid, channel_box);
  gtk_widget_class_bind_template_child (widget_class, ScopeFilterGrid, channel_spin);
  gtk_widget_class_bind_template_child (widget_class, ScopeFilterGrid, channel_adjustment);
  gtk_widget_class_bind_template_child (widget_class, ScopeFilterGrid, flow_box);
  gtk_widget_class_bind_template_callback (widget_class, on_option_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_channel_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_show_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_child_activated);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "filtergrid");
}

static void
scope_filter_grid_init (ScopeFilterGrid *self)
{
  self->order = g_array_new (FALSE, FALSE, sizeof (int));
  self->layer = -1;
  gtk_widget_init_template (GTK_WIDGET (self));
  queue_rebuild (self);
}

ScopeFilterGrid *
scope_filter_grid_new (void)
{
  return g_object_new (SCOPE_TYPE_FILTER_GRID, NULL);
}
