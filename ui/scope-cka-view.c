/* scope-cka-view.c — two models side by side: linear CKA between every pair of their layers
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Channels of separately trained networks do not correspond, so two models are compared by
 * their representations: every layer's Gram matrix over the sample pictures
 * (vgg_layer_grams(), each model preprocessing the pictures as its preset says), then linear
 * CKA for every pair (vgg_linear_cka()), drawn with Cairo in the app's colour map. The work
 * runs in a GTask whose data owns its copies; the current picture's top 5 under model B
 * comes from the same task.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "scope-cka-view.h"
#include "scope-engine-environment.h"
#include "scope-engine-error.h"
#include "scope-map-render.h"
#include "scope-model.h"
#include "scope-prediction.h"
#include "scope-result.h"
#include "scope-source.h"
#include "vgg-compare.h"

struct _ScopeCkaView
{
  GtkBox          parent_instance;

  /* template children */
  GtkLabel       *status_label;
  GtkDrawingArea *heat_map;
  GtkLabel       *top5_label;

  /* owned */
  ScopeWorkspace *workspace;
  ScopeViewState *view_state;
  GCancellable   *cancellable;
  double         *matrix;
  GStrv           names_a, names_b;
  char           *top5_text;

  /* plain state */
  int             n_a, n_b, n_pictures;
};

G_DEFINE_FINAL_TYPE (ScopeCkaView, scope_cka_view, GTK_TYPE_BOX)

/* Every picture of the sample folders (installed, else the source tree's), in byte order. */
static GPtrArray *
sample_pictures (void)
{
  static const char *const folders[] = { "samples", "fashion-mnist/samples" };
  GPtrArray *paths = g_ptr_array_new_with_free_func (g_free);

  for (gsize f = 0; f < G_N_ELEMENTS (folders); f++)
    {
      g_autofree char *installed = g_build_filename (PKGDATADIR, folders[f], NULL);
      g_autofree char *source = g_build_filename (SOURCE_DATADIR, folders[f], NULL);
      const char *dir_path = g_file_test (installed, G_FILE_TEST_IS_DIR) ? installed : source;
      g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
      g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
      const char *name;

      if (dir == NULL)
        continue;
      while ((name = g_dir_read_name (dir)) != NULL)
        if (g_str_has_suffix (name, ".jpg") || g_str_has_suffix (name, ".png"))
          g_ptr_array_add (names, g_strdup (name));
      g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
      for (guint i = 0; i < names->len; i++)
        g_ptr_array_add (paths, g_build_filename (dir_path, g_ptr_array_index (names, i), NULL));
    }
  return paths;
}

/* ---- the job ---- */

typedef struct
{
  ScopeModel  *model_a, *model_b;
  ScopeSource *current;      /* the current picture, for B's top 5 (may be NULL) */
  double      *matrix;
  char        *top5;
  int          n_pictures;
} CkaJob;

static void
cka_job_free (CkaJob *job)
{
  g_clear_object (&job->model_a);
  g_clear_object (&job->model_b);
  g_clear_object (&job->current);
  g_free (job->matrix);
  g_free (job->top5);
  g_free (job);
}

static double *
grams_for (const VggModel *model,
           GPtrArray      *paths,
           GError        **error)
{
  const VggConfig *config = vgg_model_config (model);
  size_t count = (size_t) config->input_channels * config->input_height * config->input_width;
  int n = (int) paths->len;
  g_autofree float *inputs = g_new (float, count * n);
  g_autofree double *grams = g_new (double, (size_t) vgg_model_n_layers (model) * n * n);
  VggError engine_error = { 0 };
  VggRunOptions options;

  for (int i = 0; i < n; i++)
    {
      const char *path = g_ptr_array_index (paths, i);
      VggImage image = { 0 };
      VggStatus status = vgg_image_load (&image, path, &engine_error);

      if (status == VGG_STATUS_OK)
        status = vgg_model_preprocess (model, inputs + count * i, &image, NULL, &engine_error);
      vgg_image_clear (&image);
      if (status != VGG_STATUS_OK)
        {
          g_autofree char *name = g_path_get_basename (path);
          scope_engine_error_set (error, &engine_error, path, name);
          return NULL;
        }
    }
  scope_engine_environment_run_options (&options);
  if (vgg_layer_grams (model, &options, inputs, n, 0.0, grams, NULL, NULL, &engine_error)
      != VGG_STATUS_OK)
    {
      scope_engine_error_set (error, &engine_error, NULL, NULL);
      return NULL;
    }
  return g_steal_pointer (&grams);
}

/* Model B's five most likely classes for the current picture, one per line. */
static char *
top5_for (const VggModel *model,
          ScopeSource    *source)
{
  const VggConfig *config = vgg_model_config (model);
  g_autofree float *input = g_new (float, (gsize) config->input_channels
                                          * config->input_height * config->input_width);
  GString *text = g_string_new (NULL);
  VggImage image = { 0 };
  VggRun *run = NULL;
  int classes[5];
  float probs[5];

  if (source == NULL || vgg_model_n_classes (model) == 0 || !scope_source_decode (source, &image,
                                                                                  NULL, NULL))
    return g_string_free (text, FALSE);
  if (vgg_model_preprocess (model, input, &image, NULL, NULL) == VGG_STATUS_OK
      && vgg_run_new (&run, model, 1, NULL) == VGG_STATUS_OK
      && vgg_run_forward (run, input, NULL) == VGG_STATUS_OK)
    {
      int k = vgg_run_top_k (run, 0, 5, classes, probs);

      for (int i = 0; i < k; i++)
        g_string_append_printf (text, "%s%s %.1f %%", i > 0 ? "\n" : "",
                                vgg_model_class_name (model, classes[i]), 100.0 * probs[i]);
    }
  vgg_run_free (run);
  vgg_image_clear (&image);
  return g_string_free (text, FALSE);
}

static void
cka_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  CkaJob *job = task_data;
  const VggModel *a = scope_model_get_engine (job->model_a);
  const VggModel *b = scope_model_get_engine (job->model_b);
  g_autoptr(GPtrArray) paths = sample_pictures ();
  g_autofree double *grams_a = NULL, *grams_b = NULL;
  int n = (int) paths->len, n_a = vgg_model_n_layers (a), n_b = vgg_model_n_layers (b);
  GError *error = NULL;

  if (n < 2)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "%s",
                               _("No sample pictures were found to compare the models on"));
      return;
    }
  if ((grams_a = grams_for (a, paths, &error)) == NULL
      || (grams_b = grams_for (b, paths, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  job->n_pictures = n;
  job->matrix = g_new (double, (size_t) n_a * n_b);
  for (int i = 0; i < n_a; i++)
    for (int j = 0; j < n_b; j++)
      job->matrix[(size_t) i * n_b + j] = vgg_linear_cka (grams_a + (size_t) i * n * n,
                                                          grams_b + (size_t) j * n * n, n);
  job->top5 = top5_for (b, job->current);
  g_task_return_boolean (task, TRUE);
}

static GStrv
layer_names (ScopeModel *model)
{
  int n = scope_model_get_n_layers (model);
  GStrv names = g_new0 (char *, n + 1);

  for (int l = 0; l < n; l++)
    names[l] = g_strdup (scope_model_get_layer (model, l)->name);
  return names;
}

static void
on_cka_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  ScopeCkaView *self = SCOPE_CKA_VIEW (object);
  CkaJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *status = NULL;

  if (g_task_get_cancellable (G_TASK (result)) != self->cancellable)
    return;
  g_clear_object (&self->cancellable);
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      gtk_label_set_text (self->status_label, error->message);
      return;
    }
  g_free (self->matrix);
  self->matrix = g_steal_pointer (&job->matrix);
  self->n_a = scope_model_get_n_layers (job->model_a);
  self->n_b = scope_model_get_n_layers (job->model_b);
  self->n_pictures = job->n_pictures;
  g_strfreev (self->names_a);
  g_strfreev (self->names_b);
  self->names_a = layer_names (job->model_a);
  self->names_b = layer_names (job->model_b);
  g_free (self->top5_text);
  /* Translators: heading of the second model's top 5; %s is the model's name */
  self->top5_text = g_strdup_printf (_("%s on this picture:\n%s"),
                                     scope_model_get_name (job->model_b), job->top5);
  gtk_label_set_text (self->top5_label, self->top5_text);
  /* Translators: %s and %s the two models, %d the number of pictures */
  status = g_strdup_printf (_("Linear CKA, %s (rows) against %s (columns), over %d sample "
                              "pictures"), scope_model_get_name (job->model_a),
                            scope_model_get_name (job->model_b), self->n_pictures);
  gtk_label_set_text (self->status_label, status);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->heat_map),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, status, -1);
  gtk_widget_queue_draw (GTK_WIDGET (self->heat_map));
}

static void
on_model_b_loaded (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(ScopeCkaView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(ScopeModel) model_b = scope_model_load_finish (result, &error);
  ScopeResult *current;
  g_autoptr(GTask) task = NULL;
  CkaJob *job;

  if (self->workspace == NULL || g_cancellable_is_cancelled (self->cancellable))
    return;
  if (model_b == NULL || scope_workspace_get_model (self->workspace) == NULL)
    {
      g_clear_object (&self->cancellable);
      gtk_label_set_text (self->status_label, error != NULL ? error->message : "");
      return;
    }
  job = g_new0 (CkaJob, 1);
  job->model_a = g_object_ref (scope_workspace_get_model (self->workspace));
  job->model_b = g_object_ref (model_b);
  current = scope_workspace_get_result (self->workspace);
  if (current != NULL && scope_result_get_source (current) != NULL)
    job->current = g_object_ref (scope_result_get_source (current));
  task = g_task_new (self, self->cancellable, on_cka_done, NULL);
  g_task_set_source_tag (task, on_model_b_loaded);
  g_task_set_task_data (task, job, (GDestroyNotify) cka_job_free);
  g_task_run_in_thread (task, cka_thread);
}

void
scope_cka_view_set_model_b (ScopeCkaView *self,
                            GFile        *file)
{
  g_return_if_fail (SCOPE_IS_CKA_VIEW (self));
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  /* Translators: while two models are compared */
  gtk_label_set_text (self->status_label, _("Comparing the two models…"));
  scope_model_load_async (file, self->cancellable, on_model_b_loaded, g_object_ref (self));
}

static void
on_choose_response (GtkNativeDialog *dialog,
                    int              response,
                    ScopeCkaView    *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
  if (file != NULL && self->workspace != NULL)
    scope_cka_view_set_model_b (self, file);
  g_object_unref (self);
}

static void
choose_model_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkFileChooserNative *dialog =
    gtk_file_chooser_native_new (_("Choose the Second Model"),
                                 GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                 GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));

  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect (dialog, "response", G_CALLBACK (on_choose_response), g_object_ref (widget));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* ---- drawing ---- */

static void
draw_heat_map (GtkDrawingArea *area,
               cairo_t        *cr,
               int             width,
               int             height,
               gpointer        user_data)
{
  ScopeCkaView *self = user_data;
  const guint8 *lut;
  double margin = 64.0, cell_w, cell_h;

  if (self->matrix == NULL || self->view_state == NULL || width <= margin || height <= margin)
    return;
  lut = scope_view_state_get_lut (self->view_state);
  cell_w = (width - margin) / self->n_b;
  cell_h = (height - margin) / self->n_a;
  for (int i = 0; i < self->n_a; i++)
    for (int j = 0; j < self->n_b; j++)
      {
        double v = self->matrix[(size_t) i * self->n_b + j];
        int k = isnan (v) ? 0 : (int) lround (CLAMP (v, 0.0, 1.0) * (SCOPE_LUT_SIZE - 1));

        cairo_set_source_rgb (cr, lut[k * 3] / 255.0, lut[k * 3 + 1] / 255.0,
                              lut[k * 3 + 2] / 255.0);
        cairo_rectangle (cr, margin + j * cell_w, i * cell_h, cell_w, cell_h);
        cairo_fill (cr);
      }
  /* layer names: A's down the left, B's along the bottom (turned) */
  cairo_set_source_rgb (cr, 0.5, 0.5, 0.5);
  cairo_set_font_size (cr, MIN (10.0, MIN (cell_h, cell_w) * 0.9));
  for (int i = 0; i < self->n_a; i++)
    {
      cairo_move_to (cr, 2.0, (i + 0.75) * cell_h);
      cairo_show_text (cr, self->names_a[i]);
    }
  for (int j = 0; j < self->n_b; j++)
    {
      cairo_save (cr);
      cairo_move_to (cr, margin + (j + 0.75) * cell_w, height - 2.0);
      cairo_rotate (cr, -G_PI / 2);
      cairo_show_text (cr, self->names_b[j]);
      cairo_restore (cr);
    }
}

static void
on_view_state_changed (ScopeCkaView *self,
                       GParamSpec   *pspec)
{
  gtk_widget_queue_draw (GTK_WIDGET (self->heat_map));
}

void
scope_cka_view_set_view_state (ScopeCkaView   *self,
                               ScopeViewState *view_state)
{
  g_return_if_fail (SCOPE_IS_CKA_VIEW (self));
  scope_view_state_follow (&self->view_state, view_state, G_CALLBACK (on_view_state_changed),
                           self);
}

void
scope_cka_view_set_workspace (ScopeCkaView   *self,
                              ScopeWorkspace *workspace)
{
  g_return_if_fail (SCOPE_IS_CKA_VIEW (self));
  g_set_object (&self->workspace, workspace);
}

gboolean
scope_cka_view_get_busy (ScopeCkaView *self)
{
  g_return_val_if_fail (SCOPE_IS_CKA_VIEW (self), FALSE);
  return self->cancellable != NULL;
}

const double *
scope_cka_view_get_matrix (ScopeCkaView *self,
                           int          *n_a,
                           int          *n_b,
                           int          *n_pictures)
{
  g_return_val_if_fail (SCOPE_IS_CKA_VIEW (self), NULL);
  *n_a = self->n_a;
  *n_b = self->n_b;
  *n_pictures = self->n_pictures;
  return self->matrix;
}

const char *
scope_cka_view_get_top5_text (ScopeCkaView *self)
{
  g_return_val_if_fail (SCOPE_IS_CKA_VIEW (self), NULL);
  return self->top5_text;
}

static void
scope_cka_view_dispose (GObject *object)
{
  ScopeCkaView *self = SCOPE_CKA_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->workspace);
  g_clear_object (&self->view_state);
  gtk_widget_dispose_template (GTK_WIDGET (self), SCOPE_TYPE_CKA_VIEW);
  G_OBJECT_CLASS (scope_cka_view_parent_class)->dispose (object);
}

static void
scope_cka_view_finalize (GObject *object)
{
  ScopeCkaView *self = SCOPE_CKA_VIEW (object);

  g_free (self->matrix);
  g_strfreev (self->names_a);
  g_strfreev (self->names_b);
  g_free (self->top5_text);
  G_OBJECT_CLASS (scope_cka_view_parent_class)->finalize (object);
}

static void
scope_cka_view_class_init (ScopeCkaViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = scope_cka_view_dispose;
  object_class->finalize = scope_cka_view_finalize;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/vggscope/VggScope/ui/scope-cka-view.ui");
  gtk_widget_class_bind_template_child (widget_class, ScopeCkaView, status_label);
  gtk_widget_class_bind_template_child (widget_class, ScopeCkaView, heat_map);
  gtk_widget_class_bind_template_child (widget_class, ScopeCkaView, top5_label);
  gtk_widget_class_install_action (widget_class, "cka.choose-model", NULL, choose_model_action);
}

static void
scope_cka_view_init (ScopeCkaView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_drawing_area_set_draw_func (self->heat_map, draw_heat_map, self, NULL);
}
