/* scope-learn-room.c — the Learn view: a sidebar of lessons beside the lesson shown
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "scope-filter-grid.h"
#include "scope-layer-lesson.h"
#include "scope-learn-room.h"
#include "scope-preprocess-view.h"

struct _ScopeLearnRoom
{
  GtkWidget            parent_instance;

  /* template children */
  GtkWidget           *box;
  GtkStackSidebar     *sidebar;
  GtkStack            *stack;

  /* owned: the room's own lessons (children of the stack) */
  ScopeLayerLesson    *lesson;
  ScopeFilterGrid     *filters;
  ScopePreprocessView *preprocess;

  /* plain state */
  gboolean             active;
};

enum {
  SIGNAL_SHOW_CHANNEL,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (ScopeLearnRoom, scope_learn_room, GTK_TYPE_WIDGET)

/* The preprocessing runs the network under other presets: only while someone looks. */
static void
on_page_changed (ScopeLearnRoom *self)
{
  const char *page = gtk_stack_get_visible_child_name (self->stack);

  if (self->preprocess != NULL)
    scope_preprocess_view_set_active (self->preprocess,
                                      self->active && g_strcmp0 (page, "preprocessing") == 0);
}

static void
on_filter_activated (ScopeLearnRoom *self,
                     int             channel)
{
  g_signal_emit (self, signals[SIGNAL_SHOW_CHANNEL], 0, channel);
}

/* Every page is a bin of the room's own, so a page added again under its name is replaced by
 * swapping the bin's child: the stack and its sidebar keep their pages (and their order). */
void
scope_learn_room_add_page (ScopeLearnRoom *self,
                           GtkWidget      *child,
                           const char     *name,
                           const char     *title)
{
  GtkWidget *bin;

  g_return_if_fail (SCOPE_IS_LEARN_ROOM (self));
  g_return_if_fail (GTK_IS_WIDGET (child));
  g_return_if_fail (name != NULL && title != NULL);

  bin = gtk_stack_get_child_by_name (self->stack, name);
  if (bin == NULL)
    {
      bin = adw_bin_new ();
      gtk_stack_add_titled (self->stack, bin, name, title);
    }
  else
    gtk_stack_page_set_title (gtk_stack_get_page (self->stack, bin), title);
  adw_bin_set_child (ADW_BIN (bin), child);
}

void
scope_learn_room_show_page (ScopeLearnRoom *self,
                            const char     *name)
{
  g_return_if_fail (SCOPE_IS_LEARN_ROOM (self));

  if (gtk_stack_get_child_by_name (self->stack, name) != NULL)
    gtk_stack_set_visible_child_name (self->stack, name);
}

const char *
scope_learn_room_get_page (ScopeLearnRoom *self)
{
  g_return_val_if_fail (SCOPE_IS_LEARN_ROOM (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

GtkWidget *
scope_learn_room_get_child (ScopeLearnRoom *self,
                            const char     *name)
{
  GtkWidget *bin;

  g_return_val_if_fail (SCOPE_IS_LEARN_ROOM (self), NULL);

  bin = gtk_stack_get_child_by_name (self->stack, name);
  return bin != NULL ? adw_bin_get_child (ADW_BIN (bin)) : NULL;
}

void
scope_learn_room_set_workspace (ScopeLearnRoom *self,
                                ScopeWorkspace *workspace)
{
  g_return_if_fail (SCOPE_IS_LEARN_ROOM (self));

  scope_layer_lesson_set_workspace (self->lesson, workspace);
  scope_filter_grid_set_workspace (self->filters, workspace);
  scope_preprocess_view_set_workspace (self->preprocess, workspace);
}

void
scope_learn_room_set_view_state (ScopeLearnRoom *self,
                                 ScopeViewState *view_state)
{
  g_return_if_fail (SCOPE_IS_LEARN_ROOM (self));

  scope_filter_grid_set_view_state (self->filters, view_state);
}

void
scope_learn_room_set_active (ScopeLearnRoom *self,
                             gboolean        active)
{
  g_return_if_fail (SCOPE_IS_LEARN_ROOM (self));

  self->active = !!active;
  on_page_changed (self);
}

static void
scope_learn_room_dispose (GObject *object)
{
  ScopeLearnRoom *self = SCOPE_LEARN_ROOM (object);

  self->lesson = NULL;
  self->filters = NULL;
  self->preprocess = NULL;
  gtk_widget_dispose_template (GTK_WIDGET (self), SCOPE_TYPE_LEARN_ROOM);

  G_OBJECT_CLASS (scope_learn_room_parent_class)->dispose (object);
}

static void
scope_learn_room_class_init (ScopeLearnRoomClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = scope_learn_room_dispose;

  /* a filter was clicked: show the feature map it makes */
  signals[SIGNAL_SHOW_CHANNEL] =
    g_signal_new ("show-channel", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_INT);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/vggscope/VggScope/ui/scope-learn-room.ui");
  gtk_widget_class_bind_template_child (widget_class, ScopeLearnRoom, box);
  gtk_widget_class_bind_template_child (widget_class, ScopeLearnRoom, sidebar);
  gtk_widget_class_bind_template_child (widget_class, ScopeLearnRoom, stack);
  gtk_widget_class_bind_template_callback (widget_class, on_page_changed);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "learnroom");
}

static void
scope_learn_room_init (ScopeLearnRoom *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->lesson = scope_layer_lesson_new ();
  self->filters = scope_filter_grid_new ();
  self->preprocess = scope_preprocess_view_new ();
  g_signal_connect_object (self->filters, "filter-activated", G_CALLBACK (on_filter_activated),
                           self, G_CONNECT_SWAPPED);

  /* Translators: a lesson in the Learn view: what the selected layer does, with numbers */
  scope_learn_room_add_page (self, GTK_WIDGET (self->lesson), "layer", _("Layer"));
  /* Translators: a lesson in the Learn view: the convolution filters themselves */
  scope_learn_room_add_page (self, GTK_WIDGET (self->filters), "filters", _("Filters"));
  /* Translators: a lesson in the Learn view: how a picture becomes the network's input */
  scope_learn_room_add_page (self, GTK_WIDGET (self->preprocess), "preprocessing",
                             _("Preprocessing"));
  gtk_stack_set_visible_child_name (self->stack, "layer");
}

GtkWidget *
scope_learn_room_new (void)
{
  return g_object_new (SCOPE_TYPE_LEARN_ROOM, NULL);
}
