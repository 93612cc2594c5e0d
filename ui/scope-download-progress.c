/* scope-download-progress.c — a download's progress: title, bar, bytes, rate, time left
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "scope-download-progress.h"

struct _ScopeDownloadProgress
{
  GtkBox                parent_instance;

  /* template children */
  GtkLabel             *title_label;
  GtkLabel             *percent_label;
  GtkProgressBar       *progress_bar;
  GtkLabel             *progress_label;

  /* owned */
  ScopeModelDownloader *downloader;
};

G_DEFINE_FINAL_TYPE (ScopeDownloadProgress, scope_download_progress, GTK_TYPE_BOX)

/* "About 2 minutes left" */
static char *
format_time_left (double seconds)
{
  int s = (int) ceil (seconds);

  if (seconds < 0 || !isfinite (seconds))
    return g_strdup ("");
  if (s < 60)
    /* Translators: time left of a download */
    return g_strdup_printf (ngettext ("%d second left", "%d seconds left", s), s);
  if (s < 3600)
    {
      int minutes = (s + 30) / 60;

      /* Translators: time left of a download */
      return g_strdup_printf (ngettext ("About %d minute left", "About %d minutes left",
                                        minutes), minutes);
    }
  /* Translators: time left of a download: hours and minutes */
  return g_strdup_printf (_("About %d h %02d min left"), s / 3600, (s % 3600) / 60);
}

static void
on_progress (ScopeDownloadProgress *self)
{
  ScopeModelDownloader *downloader = self->downloader;
  guint64 received, total;
  double rate, left;
  g_autofree char *received_text = NULL, *total_text = NULL, *rate_text = NULL;
  g_autofree char *rate_line = NULL, *left_text = NULL, *line = NULL, *percent = NULL;

  if (downloader == NULL)
    return;
  received = scope_model_downloader_get_bytes_received (downloader);
  total = scope_model_downloader_get_bytes_total (downloader);
  rate = scope_model_downloader_get_bytes_per_second (downloader);
  left = scope_model_downloader_get_seconds_left (downloader);

  received_text = g_format_size (received);
  if (total > 0)
    {
      double fraction = CLAMP ((double) received / (double) total, 0.0, 1.0);

      total_text = g_format_size (total);
      gtk_progress_bar_set_fraction (self->progress_bar, fraction);
      /* Translators: how much of a download is done, in percent */
      percent = g_strdup_printf (_("%.0f %%"), floor (fraction * 100.0));
      /* Translators: download progress: bytes received of the total ("12.1 MB of 553.4 MB") */
      line = g_strdup_printf (_("%s of %s"), received_text, total_text);
    }
  else
    {
      gtk_progress_bar_pulse (self->progress_bar);
      line = g_strdup (received_text);
    }
  if (rate > 0)
    {
      g_autofree char *with_rate = NULL;

      rate_text = g_format_size ((guint64) rate);
      /* Translators: a download rate ("12.3 MB/s") */
      rate_line = g_strdup_printf (_("%s/s"), rate_text);
      with_rate = g_strconcat (line, " · ", rate_line, NULL);
      g_free (line);
      line = g_steal_pointer (&with_rate);
    }
  left_text = format_time_left (left);
  if (left_text[0] != '\0')
    {
      g_autofree char *with_left = g_strconcat (line, " · ", left_text, NULL);

      g_free (line);
      line = g_steal_pointer (&with_left);
    }
  gtk_label_set_label (self->progress_label, line);
  gtk_label_set_label (self->percent_label, percent != NULL ? percent : "");
}

static void
stop_following (ScopeDownloadProgress *self)
{
  if (self->downloader != NULL)
    g_signal_handlers_disconnect_by_data (self->downloader, self);
  g_clear_object (&self->downloader);
}

void
scope_download_progress_follow (ScopeDownloadProgress *self,
                                ScopeModelDownloader  *downloader,
                                const char            *title)
{
  g_return_if_fail (SCOPE_IS_DOWNLOAD_PROGRESS (self));
  g_return_if_fail (downloader == NULL || SCOPE_IS_MODEL_DOWNLOADER (downloader));

  stop_following (self);
  gtk_label_set_label (self->title_label, title != NULL ? title : "");
  /* Translators: under the progress bar before the first bytes arrive */
  gtk_label_set_label (self->progress_label, _("Connecting…"));
  gtk_label_set_label (self->percent_label, "");
  gtk_progress_bar_set_fraction (self->progress_bar, 0);
  if (downloader == NULL)
    return;
  self->downloader = g_object_ref (downloader);
  g_signal_connect_object (downloader, "notify::bytes-received", G_CALLBACK (on_progress), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (downloader, "notify::seconds-left", G_CALLBACK (on_progress), self,
                           G_CONNECT_SWAPPED);
}

static void
scope_download_progress_dispose (GObject *object)
{
  ScopeDownloadProgress *self = SCOPE_DOWNLOAD_PROGRESS (object);

  stop_following (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), SCOPE_TYPE_DOWNLOAD_PROGRESS);

  G_OBJECT_CLASS (scope_download_progress_parent_class)->dispose (object);
}

static void
scope_download_progress_class_init (ScopeDownloadProgressClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = scope_download_progress_dispose;

  gtk_widget_class_set_template_from_resource (
    widget_class, "/org/vggscope/VggScope/ui/scope-download-progress.ui");
  gtk_widget_class_bind_template_child (widget_class, ScopeDownloadProgress, title_label);
  gtk_widget_class_bind_template_child (widget_class, ScopeDownloadProgress, percent_label);
  gtk_widget_class_bind_template_child (widget_class, ScopeDownloadProgress, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, ScopeDownloadProgress, progress_label);
}

static void
scope_download_progress_init (ScopeDownloadProgress *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
