/* scope-sample-gallery.c — sample pictures that suit the model, as buttons with thumbnails
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "scope-background.h"
#include "scope-sample-gallery.h"
#include "scope-tsan.h"

struct _ScopeSampleGallery
{
  GtkBox        parent_instance;

  /* template children */
  GtkFlowBox   *flow_box;

  /* owned */
  GMenu        *menu;
  GPtrArray    *pictures;      /* GtkPicture per sample, in order, filled as thumbnails arrive */
  GCancellable *cancellable;   /* of the thumbnails being decoded */
  char         *dir;           /* the folder shown, or NULL */

  /* plain state */
  gboolean      loaded;
};

enum {
  PROP_0,
  PROP_LOADED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (ScopeSampleGallery, scope_sample_gallery, GTK_TYPE_BOX)

typedef struct
{
  char      *path;
  char      *title;
  int        index;       /* the class it shows, G_MAXINT when unknown */
  int        width;       /* of the thumbnail */
  int        height;
  GdkPixbuf *thumbnail;   /* decoded on the worker thread */
} Sample;

static void
sample_free (Sample *sample)
{
  SCOPE_TSAN_ACQUIRE (sample);
  g_free (sample->path);
  g_free (sample->title);
  g_clear_object (&sample->thumbnail);
  g_free (sample);
}

static int
compare_samples (gconstpointer a,
                 gconstpointer b)
{
  const Sample *sample_a = *(const Sample * const *) a;
  const Sample *sample_b = *(const Sample * const *) b;

  if (sample_a->index != sample_b->index)
    return sample_a->index < sample_b->index ? -1 : 1;
  return g_strcmp0 (sample_a->path, sample_b->path);
}

/* The folder of sample pictures called @name ("samples", "fashion-mnist/samples"): installed,
 * else in the source tree (running uninstalled), else NULL. */
static char *
find_data_dir (const char *name)
{
  g_autofree char *installed = g_build_filename (PKGDATADIR, name, NULL);
  g_autofree char *source = g_build_filename (SOURCE_DATADIR, name, NULL);

  if (g_file_test (installed, G_FILE_TEST_IS_DIR))
    return g_steal_pointer (&installed);
  if (g_file_test (source, G_FILE_TEST_IS_DIR))
    return g_steal_pointer (&source);
  return NULL;
}

/* A @width × @height crop from the middle of the picture at @path, or NULL. Small pictures
 * (Fashion-MNIST's 28 × 28) are enlarged without smoothing, so their pixels stay crisp.
 * Runs on the worker thread. */
static GdkPixbuf *
decode_thumbnail (const char *path,
                  int         width,
                  int         height)
{
  g_autoptr(GdkPixbuf) full = gdk_pixbuf_new_from_file (path, NULL);
  g_autoptr(GdkPixbuf) scaled = NULL;
  g_autoptr(GdkPixbuf) cropped = NULL;
  double scale;
  int scaled_w, scaled_h;

  if (full == NULL)
    return NULL;
  scale = MAX ((double) width / gdk_pixbuf_get_width (full),
               (double) height / gdk_pixbuf_get_height (full));
  scaled_w = MAX (width, (int) ceil (gdk_pixbuf_get_width (full) * scale));
  scaled_h = MAX (height, (int) ceil (gdk_pixbuf_get_height (full) * scale));
  scaled = gdk_pixbuf_scale_simple (full, scaled_w, scaled_h,
                                    scale >= 2.0 ? GDK_INTERP_NEAREST : GDK_INTERP_BILINEAR);
  cropped = gdk_pixbuf_new_subpixbuf (scaled, (scaled_w - width) / 2, (scaled_h - height) / 2,
                                      width, height);
  /* a copy, so the whole scaled picture is not kept alive behind the crop */
  return gdk_pixbuf_copy (cropped);
}

static void
decode_thumbnails (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  GPtrArray *samples = task_data;

  scope_background_lower_this_thread ();
  SCOPE_TSAN_ACQUIRE (task);   /* the samples, listed on the main thread */
  for (guint i = 0; i < samples->len && !g_cancellable_is_cancelled (cancellable); i++)
    {
      Sample *sample = g_ptr_array_index (samples, i);

      sample->thumbnail = decode_thumbnail (sample->path, sample->width, sample->height);
      SCOPE_TSAN_RELEASE (sample);   /* to sample_free(), on whichever thread frees it */
    }
  SCOPE_TSAN_RELEASE (task);   /* the thumbnails, to on_thumbnails_decoded() */
  g_task_return_boolean (task, TRUE);
}

static void
on_thumbnails_decoded (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  ScopeSampleGallery *self = SCOPE_SAMPLE_GALLERY (object);
  GPtrArray *samples = g_task_get_task_data (G_TASK (result));

  SCOPE_TSAN_ACQUIRE (result);
  if (!g_task_propagate_boolean (G_TASK (result), NULL)
      || g_task_get_cancellable (G_TASK (result)) != self->cancellable)
    return;
  for (guint i = 0; i < samples->len && i < self->pictures->len; i++)
    {
      Sample *sample = g_ptr_array_index (samples, i);
      g_autoptr(GdkTexture) texture = NULL;

      if (sample->thumbnail == NULL)
        continue;
      texture = gdk_texture_new_for_pixbuf (sample->thumbnail);
      gtk_picture_set_paintable (g_ptr_array_index (self->pictures, i), GDK_PAINTABLE (texture));
      SCOPE_TSAN_RELEASE (sample);   /* read here, freed wherever the task goes last */
    }
  self->loaded = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
}

static void
add_button (ScopeSampleGallery *self,
            const Sample       *sample)
{
  g_autoptr(GMenuItem) item = NULL;
  GtkWidget *button, *box, *picture, *label, *frame;

  picture = gtk_picture_new ();
  gtk_picture_set_can_shrink (GTK_PICTURE (picture), FALSE);
  /* the thumbnail's size already, so nothing moves when it arrives */
  gtk_widget_set_size_request (picture, sample->width, sample->height);
  frame = gtk_frame_new (NULL);
  gtk_frame_set_child (GTK_FRAME (frame), picture);
  gtk_widget_set_halign (frame, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (frame, "sample-frame");
  label = gtk_label_new (sample->title);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
  gtk_box_append (GTK_BOX (box), frame);
  gtk_box_append (GTK_BOX (box), label);
  button = gtk_button_new ();
  gtk_button_set_child (GTK_BUTTON (button), box);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_add_css_class (button, "sample-button");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "win.open-sample");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", sample->path);
  gtk_widget_set_tooltip_text (button, sample->title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  sample->title, -1);
  gtk_flow_box_append (self->flow_box, button);
  /* the button, not the flow box's child around it, takes the focus */
  gtk_widget_set_focusable (gtk_widget_get_parent (button), FALSE);
  g_ptr_array_add (self->pictures, picture);

  item = g_menu_item_new (sample->title, NULL);
  g_menu_item_set_action_and_target (item, "win.open-sample", "s", sample->path);
  g_menu_append_item (self->menu, item);
}

/* "t-shirt-19.png" → "T-shirt/top" (and its class index in @index) when the model has a class
 * whose name starts so, else "T shirt" (and G_MAXINT). */
static char *
fashion_sample_title (const char     *file_name,
                      const VggModel *model,
                      int            *index)
{
  g_autofree char *stem = g_strndup (file_name, strcspn (file_name, "."));
  char *dash = strrchr (stem, '-');
  g_autofree char *pretty = NULL;

  /* drop the test-set index */
  if (dash != NULL && dash[1] != '\0' && strspn (dash + 1, "0123456789") == strlen (dash + 1))
    *dash = '\0';
  for (int i = 0; i < vgg_model_n_classes (model); i++)
    {
      g_autofree char *key = g_ascii_strdown (vgg_model_class_name (model, i), -1);

      g_strcanon (key, "abcdefghijklmnopqrstuvwxyz0123456789", '-');
      if (g_str_has_prefix (key, stem))
        {
          *index = i;
          return g_strdup (vgg_model_class_name (model, i));
        }
    }
  *index = G_MAXINT;
  pretty = g_strdup (stem);
  g_strdelimit (pretty, "-_", ' ');
  pretty[0] = g_ascii_toupper (pretty[0]);
  return g_steal_pointer (&pretty);
}

/* Fashion-MNIST's test pictures (the PNGs in @dir) in class order. */
static void
list_fashion_samples (GPtrArray      *samples,
                      const char     *dir,
                      const VggModel *model)
{
  g_autoptr(GDir) folder = g_dir_open (dir, 0, NULL);
  const char *name;

  while (folder != NULL && (name = g_dir_read_name (folder)) != NULL)
    if (g_str_has_suffix (name, ".png"))
      {
        Sample *sample = g_new0 (Sample, 1);

        sample->path = g_build_filename (dir, name, NULL);
        sample->title = fashion_sample_title (name, model, &sample->index);
        sample->width = sample->height = 96;
        g_ptr_array_add (samples, sample);
      }
  g_ptr_array_sort (samples, compare_samples);
}

static void
list_photo_samples (GPtrArray  *samples,
                    const char *dir)
{
  static const struct
  {
    const char *file;
    const char *title;
  } photos[] = {
    /* Translators: names of the sample photos */
    { "cat.jpg", N_("Cat") },
    { "coffee.jpg", N_("Coffee") },
    { "astronaut.jpg", N_("Astronaut") },
  };

  for (guint i = 0; dir != NULL && i < G_N_ELEMENTS (photos); i++)
    {
      g_autofree char *path = g_build_filename (dir, photos[i].file, NULL);
      Sample *sample;

      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
        continue;
      sample = g_new0 (Sample, 1);
      sample->path = g_steal_pointer (&path);
      sample->title = g_strdup (_(photos[i].title));
      sample->index = (int) i;
      sample->width = 176;
      sample->height = 132;
      g_ptr_array_add (samples, sample);
    }
}

void
scope_sample_gallery_set_model (ScopeSampleGallery *self,
                                ScopeModel         *scope_model)
{
  const VggModel *model;
  g_autoptr(GPtrArray) samples = g_ptr_array_new_with_free_func ((GDestroyNotify) sample_free);
  g_autoptr(GTask) task = NULL;
  g_autofree char *fashion = NULL, *dir = NULL;
  GtkWidget *child;

  g_return_if_fail (SCOPE_IS_SAMPLE_GALLERY (self));

  /* nothing until the model is known, so the gallery does not change under the pointer */
  if (scope_model == NULL)
    return;
  model = scope_model_get_engine (scope_model);
  if (vgg_model_preset (model) == VGG_PRESET_FASHION_MNIST)
    fashion = find_data_dir ("fashion-mnist" G_DIR_SEPARATOR_S "samples");
  if (fashion != NULL)
    list_fashion_samples (samples, fashion, model);
  /* (an empty Fashion-MNIST folder: the photographs after all) */
  dir = samples->len > 0 ? g_steal_pointer (&fashion) : find_data_dir ("samples");
  if (g_strcmp0 (dir, self->dir) == 0)
    return;
  if (samples->len == 0)
    list_photo_samples (samples, dir);

  g_free (self->dir);
  self->dir = g_steal_pointer (&dir);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->flow_box))) != NULL)
    gtk_flow_box_remove (self->flow_box, child);
  g_ptr_array_set_size (self->pictures, 0);
  g_menu_remove_all (self->menu);
  for (guint i = 0; i < samples->len; i++)
    add_button (self, g_ptr_array_index (samples, i));
  /* a row of up to five, centred */
  gtk_flow_box_set_max_children_per_line (self->flow_box, CLAMP (samples->len, 1, 5));

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->loaded = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
  task = g_task_new (self, self->cancellable, on_thumbnails_decoded, NULL);
  g_task_set_source_tag (task, scope_sample_gallery_set_model);
  g_task_set_task_data (task, g_steal_pointer (&samples), (GDestroyNotify) g_ptr_array_unref);
  SCOPE_TSAN_RELEASE (task);   /* the samples, to decode_thumbnails() */
  g_task_run_in_thread (task, decode_thumbnails);
}

GMenuModel *
scope_sample_gallery_get_menu (ScopeSampleGallery *self)
{
  g_return_val_if_fail (SCOPE_IS_SAMPLE_GALLERY (self), NULL);
  return G_MENU_MODEL (self->menu);
}

char **
scope_sample_gallery_dup_paths (ScopeSampleGallery *self)
{
  g_autoptr(GStrvBuilder) paths = g_strv_builder_new ();
  int n;

  g_return_val_if_fail (SCOPE_IS_SAMPLE_GALLERY (self), NULL);

  n = g_menu_model_get_n_items (G_MENU_MODEL (self->menu));
  for (int i = 0; i < n; i++)
    {
      g_autoptr(GVariant) target =
        g_menu_model_get_item_attribute_value (G_MENU_MODEL (self->menu), i,
                                               G_MENU_ATTRIBUTE_TARGET, G_VARIANT_TYPE_STRING);

      if (target != NULL)
        g_strv_builder_add (paths, g_variant_get_string (target, NULL));
    }
  return g_strv_builder_end (paths);
}

gboolean
scope_sample_gallery_get_loaded (ScopeSampleGallery *self)
{
  g_return_val_if_fail (SCOPE_IS_SAMPLE_GALLERY (self), FALSE);
  return self->loaded;
}

static void
scope_sample_gallery_dispose (GObject *object)
{
  ScopeSampleGallery *self = SCOPE_SAMPLE_GALLERY (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->pictures, g_ptr_array_unref);
  g_clear_object (&self->menu);
  g_clear_pointer (&self->dir, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), SCOPE_TYPE_SAMPLE_GALLERY);

  G_OBJECT_CLASS (scope_sample_gallery_parent_class)->dispose (object);
}

static void
scope_sample_gallery_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  ScopeSampleGallery *self = SCOPE_SAMPLE_GALLERY (object);

  switch (prop_id)
    {
    case PROP_LOADED:
      g_value_set_boolean (value, self->loaded);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
scope_sample_gallery_class_init (ScopeSampleGalleryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = scope_sample_gallery_dispose;
  object_class->get_property = scope_sample_gallery_get_property;

  properties[PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/vggscope/VggScope/ui/scope-sample-gallery.ui");
  gtk_widget_class_bind_template_child (widget_class, ScopeSampleGallery, flow_box);
}

static void
scope_sample_gallery_init (ScopeSampleGallery *self)
{
  self->menu = g_menu_new ();
  /* borrowed: the flow box owns them */
  self->pictures = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}
