/* scope-code-panel.c — the loaded network as PyTorch or Keras code, to read and copy
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <stdlib.h>

#include "scope-code-panel.h"
#include "scope-model.h"

#define COPIED_SHOWN_MS 2000

struct _ScopeCodePanel
{
  GtkBox          parent_instance;

  /* template children */
  GtkLabel       *subtitle_label;
  GtkToggleButton *pytorch_button;
  GtkToggleButton *keras_button;
  GtkRevealer    *copied_revealer;
  GtkButton      *copy_button;
  GtkTextView    *text_view;

  /* owned */
  ScopeWorkspace *workspace;

  /* plain state */
  VggCodeLanguage language;
  guint           copied_timeout;
};

G_DEFINE_FINAL_TYPE (ScopeCodePanel, scope_code_panel, GTK_TYPE_BOX)

enum
{
  PROP_0,
  PROP_WORKSPACE,
  PROP_LANGUAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* What the reader should know about loading the weights into this code. */
static char *
describe (const VggModel  *model,
          VggCodeLanguage  language,
          const char      *file_name)
{
  if (language == VGG_CODE_KERAS)
    return g_strdup (_("A Keras functional model in the style of keras.applications’ VGG16: "
                       "channels last, layer names block1_conv1 … predictions."));
  if (file_name != NULL && vgg_model_code_matches_file (model))
    /* Translators: %s is a weight file's name */
    return g_strdup_printf (_("A torchvision-style module whose keys are those of %s: "
                              "load_state_dict() takes the file as it is."), file_name);
  return g_strdup (_("A torchvision-style module. Its weights, under torchvision’s keys: "
                     "vgg-scope-cli info --as pytorch --save-weights FILE."));
}

static void
update (ScopeCodePanel *self)
{
  ScopeModel *model = self->workspace != NULL ? scope_workspace_get_model (self->workspace)
                                              : NULL;
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  g_autofree char *file_name = NULL, *subtitle = NULL;
  VggError error = { 0 };
  char *text = NULL;
  GFile *file;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "code.copy", model != NULL);
  if (model == NULL)
    {
      gtk_text_buffer_set_text (buffer, "", 0);
      gtk_label_set_text (self->subtitle_label, _("No model loaded"));
      return;
    }

  file = scope_model_get_file (model);
  if (file != NULL)
    {
      g_autofree char *basename = g_file_get_basename (file);
      file_name = g_filename_display_name (basename);
    }
  if (vgg_model_write_code (scope_model_get_engine (model), self->language, file_name, &text,
                            &error) != VGG_STATUS_OK)
    {
      gtk_text_buffer_set_text (buffer, "", 0);
      /* Translators: %s says why (in English, from the engine) */
      subtitle = g_strdup_printf (_("The code could not be written: %s"), error.message);
      gtk_label_set_text (self->subtitle_label, subtitle);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "code.copy", FALSE);
      return;
    }
  gtk_text_buffer_set_text (buffer, text, -1);
  free (text);
  subtitle = describe (scope_model_get_engine (model), self->language, file_name);
  gtk_label_set_text (self->subtitle_label, subtitle);
}

static void
on_model_changed (ScopeCodePanel *self)
{
  update (self);
}

char *
scope_code_panel_dup_text (ScopeCodePanel *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  g_return_val_if_fail (SCOPE_IS_CODE_PANEL (self), NULL);

  buffer = gtk_text_view_get_buffer (self->text_view);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static gboolean
hide_copied (gpointer data)
{
  ScopeCodePanel *self = data;

  self->copied_timeout = 0;
  gtk_revealer_set_reveal_child (self->copied_revealer, FALSE);
  return G_SOURCE_REMOVE;
}

void
scope_code_panel_copy (ScopeCodePanel *self)
{
  g_autofree char *text = NULL;

  g_return_if_fail (SCOPE_IS_CODE_PANEL (self));

  text = scope_code_panel_dup_text (self);
  if (text[0] == '\0')
    return;
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), text);

  /* said beside the button, and to a screen reader */
  gtk_revealer_set_reveal_child (self->copied_revealer, TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->copy_button),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  _("The code is on the clipboard"), -1);
  g_clear_handle_id (&self->copied_timeout, g_source_remove);
  self->copied_timeout = g_timeout_add (COPIED_SHOWN_MS, hide_copied, self);
}

static void
copy_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  scope_code_panel_copy (SCOPE_CODE_PANEL (widget));
}

void
scope_code_panel_set_language (ScopeCodePanel  *self,
                               VggCodeLanguage  language)
{
  g_return_if_fail (SCOPE_IS_CODE_PANEL (self));
  g_return_if_fail ((unsigned) language < VGG_CODE_N_LANGUAGES);

  if (self->language == language)
    return;
  self->language = language;
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LANGUAGE]);
}

VggCodeLanguage
scope_code_panel_get_language (ScopeCodePanel *self)
{
  g_return_val_if_fail (SCOPE_IS_CODE_PANEL (self), VGG_CODE_PYTORCH);
  return self->language;
}

void
scope_code_panel_set_workspace (ScopeCodePanel *self,
                                ScopeWorkspace *workspace)
{
  g_return_if_fail (SCOPE_IS_CODE_PANEL (self));
  g_return_if_fail (workspace == NULL || SCOPE_IS_WORKSPACE (workspace));

  if (self->workspace == workspace)
    return;
  if (self->workspace != NULL)
    g_signal_handlers_disconnect_by_data (self->workspace, self);
  g_set_object (&self->workspace, workspace);
  if (workspace != NULL)
    g_signal_connect_object (workspace, "notify::model", G_CALLBACK (on_model_changed), self,
                             G_CONNECT_SWAPPED);
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WORKSPACE]);
}

ScopeWorkspace *
scope_code_panel_get_workspace (ScopeCodePanel *self)
{
  g_return_val_if_fail (SCOPE_IS_CODE_PANEL (self), NULL);
  return self->workspace;
}

GtkWidget *
scope_code_panel_new (ScopeWorkspace *workspace)
{
  return g_object_new (SCOPE_TYPE_CODE_PANEL, "workspace", workspace, NULL);
}

static void
scope_code_panel_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  ScopeCodePanel *self = SCOPE_CODE_PANEL (object);

  switch (prop_id)
    {
    case PROP_WORKSPACE:
      g_value_set_object (value, self->workspace);
      break;
    case PROP_LANGUAGE:
      g_value_set_string (value, vgg_code_language_name (self->language));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
scope_code_panel_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  ScopeCodePanel *self = SCOPE_CODE_PANEL (object);

  switch (prop_id)
    {
    case PROP_WORKSPACE:
      scope_code_panel_set_workspace (self, g_value_get_object (value));
      break;
    case PROP_LANGUAGE:
      {
        VggCodeLanguage language;

        if (vgg_code_language_from_name (g_value_get_string (value), &language))
          scope_code_panel_set_language (self, language);
        else
          g_warning ("ScopeCodePanel: no language '%s'", g_value_get_string (value));
      }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
scope_code_panel_dispose (GObject *object)
{
  ScopeCodePanel *self = SCOPE_CODE_PANEL (object);

  g_clear_handle_id (&self->copied_timeout, g_source_remove);
  if (self->workspace != NULL)
    g_signal_handlers_disconnect_by_data (self->workspace, self);
  g_clear_object (&self->workspace);
  gtk_widget_dispose_template (GTK_WIDGET (self), SCOPE_TYPE_CODE_PANEL);

  G_OBJECT_CLASS (scope_code_panel_parent_class)->dispose (object);
}

static void
scope_code_panel_class_init (ScopeCodePanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = scope_code_panel_dispose;
  object_class->get_property = scope_code_panel_get_property;
  object_class->set_property = scope_code_panel_set_property;

  g_type_ensure (ADW_TYPE_BUTTON_CONTENT);

  properties[PROP_WORKSPACE] =
    g_param_spec_object ("workspace", NULL, NULL, SCOPE_TYPE_WORKSPACE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LANGUAGE] =
    g_param_spec_string ("language", NULL, NULL, "pytorch",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/vggscope/VggScope/ui/scope-code-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, ScopeCodePanel, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, ScopeCodePanel, pytorch_button);
  gtk_widget_class_bind_template_child (widget_class, ScopeCodePanel, keras_button);
  gtk_widget_class_bind_template_child (widget_class, ScopeCodePanel, copied_revealer);
  gtk_widget_class_bind_template_child (widget_class, ScopeCodePanel, copy_button);
  gtk_widget_class_bind_template_child (widget_class, ScopeCodePanel, text_view);

  gtk_widget_class_install_property_action (widget_class, "code.language", "language");
  gtk_widget_class_install_action (widget_class, "code.copy", NULL, copy_activated);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "code.copy", NULL);
}

static void
scope_code_panel_init (ScopeCodePanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->language = VGG_CODE_PYTORCH;
  update (self);
}
