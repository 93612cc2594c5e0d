/* test-ui-widgets.c — the views and the inference job, one at a time
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "scope-arch-diagram.h"
#include "scope-channel-view.h"
#include "scope-draw.h"
#include "scope-engine-error.h"
#include "scope-feature-grid-private.h"
#include "scope-image-view.h"
#include "scope-inference.h"
#include "scope-layer-item.h"
#include "scope-layer-list.h"
#include "scope-live-preview.h"
#include "scope-map-render.h"
#include "scope-model-store.h"
#include "scope-prediction.h"
#include "scope-prob-chart.h"
#include "test-ui-util.h"

#include <glib/gstdio.h>

#define TIMEOUT_MS 60000

static ScopeModel *
default_model (void)
{
  VggModel *model = NULL;
  VggError error = { 0 };

  g_assert_cmpint (vgg_model_new_default (&model, &error), ==, VGG_STATUS_OK);
  return scope_model_new_take (model, NULL);
}

/* A capture of layer 3 whose unit (c, y, x) holds @value (c, y, x). */
static ScopeCapture *
capture_of (int    channels,
            int    height,
            int    width,
            float (*value) (int c, int y, int x))
{
  g_autofree float *data = g_new (float, (gsize) channels * height * width);

  for (int c = 0; c < channels; c++)
    for (int y = 0; y < height; y++)
      for (int x = 0; x < width; x++)
        data[((gsize) c * height + y) * width + x] = value (c, y, x);
  return scope_capture_new (3, channels, height, width, data);
}

/* Channel c filled with c * (y + 1), so channel means rise with c except channel 0, which is
 * all zero. */
static float
ramp (int c,
      int y,
      int x)
{
  return (float) (c * (y + 1));
}

static ScopeCapture *
ramp_capture (int channels,
              int height,
              int width)
{
  return capture_of (channels, height, width, ramp);
}

/* A top-level window to show @child in (widgets need a display and a size). */
static GtkWidget *
show_in_window (GtkWidget *child,
                int        width,
                int        height)
{
  GtkWidget *window = gtk_window_new ();

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_set_child (GTK_WINDOW (window), child);
  gtk_window_present (GTK_WINDOW (window));
  test_ui_wait_drawn (child, TIMEOUT_MS);
  return window;
}

static void
destroy_window (GtkWidget *window)
{
  g_object_ref (window);
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}

static void
test_capture_statistics (void)
{
  g_autoptr(ScopeCapture) capture = ramp_capture (4, 3, 2);

  g_assert_cmpint (capture->channels, ==, 4);
  g_assert_cmpfloat (capture->channel_zero[0], ==, 1.0f);
  g_assert_cmpfloat (capture->channel_zero[1], ==, 0.0f);
  g_assert_cmpfloat_with_epsilon (capture->channel_mean[2], 2.0f * (1 + 2 + 3) / 3, 1e-6);
  g_assert_cmpfloat (capture->channel_max[3], ==, 9.0f);
  g_assert_cmpfloat (capture->layer_min, ==, 0.0f);
  g_assert_cmpfloat (capture->layer_max, ==, 9.0f);
  g_assert_cmpfloat (scope_capture_value (capture, 3, 2, 1), ==, 9.0f);
}

/* Big captures reuse the memory of dropped ones of the same size, never of one still held,
 * and what they hold is their own data with its own statistics. */
static void
test_capture_reuse (void)
{
  ScopeCapture *first = ramp_capture (8, 200, 200), *second, *third;
  guintptr first_storage = (guintptr) first->data;

  second = ramp_capture (8, 200, 200);
  g_assert_true ((guintptr) second->data != first_storage);
  scope_capture_unref (first);
  {
    g_autofree float *data = g_new (float, (gsize) 8 * 200 * 200);

    for (gsize i = 0; i < (gsize) 8 * 200 * 200; i++)
      data[i] = -1.0f - (float) (i % 7);
    third = scope_capture_new (5, 8, 200, 200, data);
  }
  g_assert_true ((guintptr) third->data == first_storage);
  g_assert_cmpint (third->layer_index, ==, 5);
  g_assert_cmpfloat (scope_capture_value (third, 7, 199, 199), ==,
                     -1.0f - (float) (((gsize) 8 * 200 * 200 - 1) % 7));
  g_assert_cmpfloat (third->layer_max, ==, -1.0f);
  g_assert_cmpfloat (third->layer_min, ==, -7.0f);
  g_assert_cmpfloat (third->channel_zero[0], ==, 0.0f);
  g_assert_cmpfloat_with_epsilon (third->channel_mean[0], -4.0f, 1e-3);
  /* the held one is untouched */
  g_assert_cmpfloat (scope_capture_value (second, 7, 2, 0), ==, 7.0f * 3);
  g_assert_cmpfloat (second->layer_max, ==, 7.0f * 200);
  scope_capture_unref (second);
  scope_capture_unref (third);
}

static void
test_map_render (void)
{
  g_autoptr(ScopeCapture) capture = ramp_capture (2, 2, 3);
  g_autoptr(GdkTexture) texture = NULL;
  guint8 lut[SCOPE_LUT_SIZE * 3];
  guchar pixels[6 * 4 * 4];

  scope_colormap_fill_lut (SCOPE_COLORMAP_GREY, lut);
  texture = scope_map_render_channel (capture, 1, SCOPE_NORMALIZATION_CHANNEL, lut, 2);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, 6);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, 4);
  gdk_texture_download (texture, pixels, 6 * 4);
  /* channel 1 is 1 on row 0 and 2 on row 1: range [0, 2] → the middle of the colour map,
   * then its top; every unit is a 2 × 2 block (grey: R = G = B, so the byte order of the
   * downloaded ARGB32 pixels does not matter) */
  g_assert_cmpint (pixels[(3 * 6 + 5) * 4 + 1], ==, lut[255 * 3 + 1]);
  g_assert_cmpint (pixels[(2 * 6 + 0) * 4 + 1], ==, lut[255 * 3 + 1]);
  g_assert_cmpint (pixels[(0 * 6 + 0) * 4 + 1], ==, lut[128 * 3 + 1]);
  g_assert_cmpint (pixels[(1 * 6 + 1) * 4 + 1], ==, pixels[(0 * 6 + 0) * 4 + 1]);
  g_assert_cmpint (lut[128 * 3 + 1], <, lut[255 * 3 + 1]);
}

/* Channels of units that vary along both axes. */
static float
pattern (int c,
         int y,
         int x)
{
  return (float) ((3 * x + y * y + c) % 7);
}

static ScopeCapture *
pattern_capture (int channels,
                 int height,
                 int width)
{
  return capture_of (channels, height, width, pattern);
}

/* A reduced map: each pixel the colour of the mean of the units it covers. */
static void
test_map_render_reduced (void)
{
  g_autoptr(ScopeCapture) capture = pattern_capture (2, 4, 6);
  g_autoptr(GdkTexture) texture = NULL;
  guint8 lut[SCOPE_LUT_SIZE * 3];
  guchar pixels[3 * 2 * 4];
  float low, high;

  scope_colormap_fill_lut (SCOPE_COLORMAP_VIRIDIS, lut);
  texture = scope_map_render_channel_reduced (capture, 1, SCOPE_NORMALIZATION_CHANNEL, lut, 3, 2);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, 3);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, 2);
  gdk_texture_download (texture, pixels, 3 * 4);
  scope_capture_channel_range (capture, 1, SCOPE_NORMALIZATION_CHANNEL, &low, &high);
  for (int y = 0; y < 2; y++)
    for (int x = 0; x < 3; x++)
      {
        const float *plane = capture->data + 4 * 6;
        float sum = 0.0f;
        int i;

        /* a 2 × 2 block of units per pixel */
        for (int dy = 0; dy < 2; dy++)
          for (int dx = 0; dx < 2; dx++)
            sum += plane[(2 * y + dy) * 6 + 2 * x + dx];
        i = (int) ((sum / 4.0f - low) * (SCOPE_LUT_SIZE - 1) / (high - low) + 0.5f);
        i = CLAMP (i, 0, SCOPE_LUT_SIZE - 1);
        /* ARGB32 in memory on a little-endian machine: B, G, R, A */
        g_assert_cmpint (pixels[(y * 3 + x) * 4 + 2], ==, lut[3 * i + 0]);
        g_assert_cmpint (pixels[(y * 3 + x) * 4 + 1], ==, lut[3 * i + 1]);
        g_assert_cmpint (pixels[(y * 3 + x) * 4 + 0], ==, lut[3 * i + 2]);
      }
}

static cairo_surface_t *
draw_node (GskRenderNode *node,
           int            width,
           int            height)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cairo_t *cr = cairo_create (surface);

  gsk_render_node_draw (node, cr);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  return surface;
}

/* The kept-surface way of drawing a texture paints what GTK's texture node paints, and makes
 * the surface once per texture. */
static void
test_draw_texture_kept (void)
{
  g_autoptr(ScopeCapture) capture = pattern_capture (1, 5, 7);
  g_autoptr(GdkTexture) texture = NULL;
  guint8 lut[SCOPE_LUT_SIZE * 3];
  const graphene_rect_t bounds[] = {
    GRAPHENE_RECT_INIT (3, 2, 14, 10),      /* the texture's own size */
    GRAPHENE_RECT_INIT (1, 4, 28, 20),      /* twice */
    GRAPHENE_RECT_INIT (0, 0, 7, 5),        /* half */
  };

  scope_colormap_fill_lut (SCOPE_COLORMAP_MAGMA, lut);
  texture = scope_map_render_channel (capture, 0, SCOPE_NORMALIZATION_CHANNEL, lut, 2);
  for (guint b = 0; b < G_N_ELEMENTS (bounds); b++)
    {
      GtkSnapshot *expected_snapshot = gtk_snapshot_new (), *kept_snapshot = gtk_snapshot_new ();
      g_autoptr(GskRenderNode) expected_node = NULL, kept_node = NULL;
      cairo_surface_t *expected, *kept;
      int max_diff = 0;

      gtk_snapshot_append_texture (expected_snapshot, texture, &bounds[b]);
      scope_draw_texture_kept (kept_snapshot, texture, &bounds[b]);
      expected_node = gtk_snapshot_free_to_node (expected_snapshot);
      kept_node = gtk_snapshot_free_to_node (kept_snapshot);
      expected = draw_node (expected_node, 32, 32);
      kept = draw_node (kept_node, 32, 32);
      for (int y = 0; y < 32; y++)
        for (int x = 0; x < 32 * 4; x++)
          {
            int e = cairo_image_surface_get_data (expected)[y * cairo_image_surface_get_stride (expected) + x];
            int k = cairo_image_surface_get_data (kept)[y * cairo_image_surface_get_stride (kept) + x];

            max_diff = MAX (max_diff, ABS (e - k));
          }
      g_assert_cmpint (max_diff, <=, 1);
      cairo_surface_destroy (expected);
      cairo_surface_destroy (kept);
    }
  g_assert_nonnull (g_object_get_data (G_OBJECT (texture), "scope-draw-cairo-surface"));
}

/* The widget's own drawing (its snapshot method, no children), as its render nodes paint it
 * with cairo (ARGB32). */
static cairo_surface_t *
draw_widget (GtkWidget *widget)
{
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);

  GTK_WIDGET_GET_CLASS (widget)->snapshot (widget, snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  return draw_node (node, width, height);
}

/* Red, green and blue of the pixel at (@x, @y). */
static void
pixel_at (cairo_surface_t *surface,
          int              x,
          int              y,
          int              rgb[3])
{
  const guint8 *p = cairo_image_surface_get_data (surface)
                    + (gsize) y * cairo_image_surface_get_stride (surface) + (gsize) x * 4;

  rgb[0] = p[2];
  rgb[1] = p[1];
  rgb[2] = p[0];
}

/* The live preview fits the frame, mirrors it for display when asked, and dims what lies
 * outside the network's region (mirrored with the frame). */
static void
test_live_preview (void)
{
  /* a 40 × 20 frame: its left half red, its right half blue */
  g_autofree guint8 *pixels = g_new (guint8, 40 * 20 * 3);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GtkWidget *preview = g_object_new (SCOPE_TYPE_LIVE_PREVIEW, NULL);
  GtkWidget *window;
  cairo_surface_t *plain, *mirrored;
  int rgb[3];

  for (int y = 0; y < 20; y++)
    for (int x = 0; x < 40; x++)
      {
        guint8 *p = pixels + (y * 40 + x) * 3;

        p[0] = x < 20 ? 255 : 0;
        p[1] = 0;
        p[2] = x < 20 ? 0 : 255;
      }
  bytes = g_bytes_new (pixels, 40 * 20 * 3);
  texture = gdk_memory_texture_new (40, 20, GDK_MEMORY_R8G8B8, bytes, 40 * 3);
  window = show_in_window (preview, 400, 200);
  scope_live_preview_set_texture (SCOPE_LIVE_PREVIEW (preview), texture);
  /* the network sees the left quarter */
  scope_live_preview_set_region (SCOPE_LIVE_PREVIEW (preview),
                                 &GRAPHENE_RECT_INIT (0.0f, 0.0f, 0.25f, 1.0f));
  test_ui_wait_drawn (preview, TIMEOUT_MS);
  g_assert_cmpint (gtk_widget_get_width (preview), >=, 200);

  plain = draw_widget (preview);
  scope_live_preview_set_mirrored (SCOPE_LIVE_PREVIEW (preview), TRUE);
  g_assert_true (scope_live_preview_get_mirrored (SCOPE_LIVE_PREVIEW (preview)));
  mirrored = draw_widget (preview);
  {
    int w = gtk_widget_get_width (preview), h = gtk_widget_get_height (preview);
    /* the frame is fitted: twice as wide as high, centred */
    int fw = MIN (w, 2 * h), x0 = (w - fw) / 2, y = h / 2;

    /* plain: inside the region (left eighth) bright red; the rest of the red half dimmed */
    pixel_at (plain, x0 + fw / 8, y, rgb);
    g_assert_cmpint (rgb[0], >, 240);
    g_assert_cmpint (rgb[2], <, 16);
    pixel_at (plain, x0 + 3 * fw / 8, y, rgb);
    g_assert_cmpint (rgb[0], >, 100);
    g_assert_cmpint (rgb[0], <, 180);
    pixel_at (plain, x0 + 7 * fw / 8, y, rgb);
    g_assert_cmpint (rgb[2], >, 100);
    g_assert_cmpint (rgb[2], <, 180);
    /* mirrored: blue on the left, the bright region at the right */
    pixel_at (mirrored, x0 + fw / 8, y, rgb);
    g_assert_cmpint (rgb[2], >, 100);
    g_assert_cmpint (rgb[2], <, 180);
    g_assert_cmpint (rgb[0], <, 16);
    pixel_at (mirrored, x0 + 7 * fw / 8, y, rgb);
    g_assert_cmpint (rgb[0], >, 240);
  }
  cairo_surface_destroy (plain);
  cairo_surface_destroy (mirrored);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_feature_grid (void)
{
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  ScopeFeatureGrid *grid = SCOPE_FEATURE_GRID (scope_feature_grid_new ());
  g_autoptr(ScopeCapture) capture = ramp_capture (512, 7, 7);
  GtkWidget *window;
  graphene_rect_t first, last;
  const int *order;
  int unit_y, unit_x;
  g_autoptr(GdkTexture) exported = NULL;

  g_autoptr(ScopeViewState) view_state = scope_view_state_new ();
  g_autoptr(ScopeCapture) other_shape = ramp_capture (512, 14, 14);

  scope_feature_grid_set_view_state (grid, view_state);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (grid));
  g_object_add_weak_pointer (G_OBJECT (grid), (gpointer *) &grid);
  window = show_in_window (scrolled, 800, 600);

  g_assert_cmpint (scope_feature_grid_get_n_channels (grid), ==, 0);
  scope_feature_grid_set_capture (grid, capture);
  test_ui_wait_drawn (GTK_WIDGET (grid), TIMEOUT_MS);
  g_assert_cmpint (scope_feature_grid_get_n_channels (grid), ==, 512);

  /* tiles in order, the first on screen, the last scrolled away */
  g_assert_true (scope_feature_grid_get_tile_bounds (grid, 0, &first));
  g_assert_true (scope_feature_grid_get_tile_bounds (grid, 511, &last));
  g_assert_cmpfloat (first.origin.y, <, last.origin.y);
  g_assert_cmpfloat (last.origin.y, >, gtk_widget_get_height (GTK_WIDGET (grid)));
  /* 7 × 7 maps are magnified by a whole factor */
  g_assert_cmpfloat (fmodf (first.size.width, 7.0f), ==, 0.0f);

  /* sorted by mean activation: the strongest channel first, the all-zero one last */
  scope_view_state_set_sort_by_activation (view_state, TRUE);
  order = scope_feature_grid_get_order (grid);
  g_assert_cmpint (order[0], ==, 511);
  g_assert_cmpint (order[511], ==, 0);
  g_assert_cmpint (scope_feature_grid_get_channel_at (grid, 1), ==, 510);
  scope_view_state_set_sort_by_activation (view_state, FALSE);
  g_assert_cmpint (scope_feature_grid_get_channel_at (grid, 1), ==, 1);

  /* the unit pointed at is shared through the view state */
  scope_view_state_set_unit (view_state, 3, 4);
  scope_view_state_get_unit (view_state, &unit_y, &unit_x);
  g_assert_cmpint (unit_y, ==, 3);
  g_assert_cmpint (unit_x, ==, 4);

  /* export: every channel at its own resolution (magnified), one-pixel gaps */
  exported = scope_feature_grid_render (grid);
  g_assert_nonnull (exported);
  g_assert_cmpint (gdk_texture_get_width (exported), ==, 23 * (7 * 9 + 1) - 1);

  /* colouring changes keep the capture */
  scope_view_state_set_colormap (view_state, SCOPE_COLORMAP_MAGMA);
  scope_view_state_set_normalization (view_state, SCOPE_NORMALIZATION_LAYER);
  test_ui_wait_drawn (GTK_WIDGET (grid), TIMEOUT_MS);
  g_assert_cmpint (scope_feature_grid_get_n_channels (grid), ==, 512);

  /* maps of another shape (another layer): the unit of the last one means nothing there */
  scope_feature_grid_set_capture (grid, other_shape);
  scope_view_state_get_unit (view_state, &unit_y, &unit_x);
  g_assert_cmpint (unit_y, ==, -1);
  g_assert_cmpint (unit_x, ==, -1);

  destroy_window (window);
  g_assert_null (grid);
}

/* Channel c falling from c * 224 in its first row to c in its last. */
static float
ramp_down (int c,
           int y,
           int x)
{
  return (float) (c * (224 - y));
}

static gboolean
grid_rendered (gpointer grid)
{
  return !_scope_feature_grid_get_rendering (grid);
}

static gboolean
surfaces_equal (cairo_surface_t *a,
                cairo_surface_t *b)
{
  int height = cairo_image_surface_get_height (a);
  int row = cairo_image_surface_get_width (a) * 4;

  if (height != cairo_image_surface_get_height (b) || row != cairo_image_surface_get_width (b) * 4)
    return FALSE;
  for (int y = 0; y < height; y++)
    if (memcmp (cairo_image_surface_get_data (a) + (gsize) y * cairo_image_surface_get_stride (a),
                cairo_image_surface_get_data (b) + (gsize) y * cairo_image_surface_get_stride (b),
                row) != 0)
      return FALSE;
  return TRUE;
}

/* The same layer's next maps (a camera's next frame): the last maps stay on screen while the
 * new tiles render on a thread, then the grid shows exactly what a grid given those maps
 * directly draws. */
static void
test_feature_grid_replace (void)
{
  ScopeFeatureGrid *grid = SCOPE_FEATURE_GRID (scope_feature_grid_new ());
  ScopeFeatureGrid *direct_grid = SCOPE_FEATURE_GRID (scope_feature_grid_new ());
  g_autoptr(ScopeViewState) view_state = scope_view_state_new ();
  g_autoptr(ScopeCapture) first = ramp_capture (16, 224, 224);
  g_autoptr(ScopeCapture) next = capture_of (16, 224, 224, ramp_down);
  GtkWidget *window, *direct_window;
  cairo_surface_t *before, *meanwhile, *after, *direct;
  graphene_rect_t tile;

  scope_feature_grid_set_view_state (grid, view_state);
  scope_feature_grid_set_view_state (direct_grid, view_state);
  window = show_in_window (GTK_WIDGET (grid), 800, 600);
  direct_window = show_in_window (GTK_WIDGET (direct_grid), 800, 600);
  scope_feature_grid_set_capture (grid, first);
  scope_feature_grid_set_capture (direct_grid, next);
  test_ui_wait_drawn (GTK_WIDGET (grid), TIMEOUT_MS);
  test_ui_wait_drawn (GTK_WIDGET (direct_grid), TIMEOUT_MS);
  /* 224 × 224 maps in tiles smaller than that: the reduced textures */
  g_assert_true (scope_feature_grid_get_tile_bounds (grid, 0, &tile));
  g_assert_cmpfloat (tile.size.width, <, 224.0f);
  before = draw_widget (GTK_WIDGET (grid));
  direct = draw_widget (GTK_WIDGET (direct_grid));
  g_assert_false (surfaces_equal (before, direct));

  scope_feature_grid_set_capture (grid, next);
  g_assert_true (_scope_feature_grid_get_rendering (grid));
  /* no turn of the main loop yet: what is drawn is the last maps, nothing is rendered here */
  meanwhile = draw_widget (GTK_WIDGET (grid));
  g_assert_true (surfaces_equal (meanwhile, before));

  test_ui_wait_until (grid_rendered, grid, TIMEOUT_MS);
  after = draw_widget (GTK_WIDGET (grid));
  g_assert_true (surfaces_equal (after, direct));

  /* a newer frame while one renders: only the newest is shown */
  scope_feature_grid_set_capture (grid, first);
  scope_feature_grid_set_capture (grid, next);
  scope_feature_grid_set_capture (grid, first);
  test_ui_wait_until (grid_rendered, grid, TIMEOUT_MS);
  cairo_surface_destroy (after);
  after = draw_widget (GTK_WIDGET (grid));
  g_assert_true (surfaces_equal (after, before));

  cairo_surface_destroy (before);
  cairo_surface_destroy (meanwhile);
  cairo_surface_destroy (after);
  cairo_surface_destroy (direct);
  destroy_window (window);
  destroy_window (direct_window);
}

static void
test_channel_view (void)
{
  ScopeChannelView *view = SCOPE_CHANNEL_VIEW (scope_channel_view_new ());
  g_autoptr(ScopeCapture) capture = ramp_capture (4, 14, 14);
  GtkWidget *window;
  float value;
  g_autoptr(GdkTexture) exported = NULL;
  g_autoptr(ScopeViewState) view_state = scope_view_state_new ();

  scope_channel_view_set_view_state (view, view_state);
  g_object_add_weak_pointer (G_OBJECT (view), (gpointer *) &view);
  window = show_in_window (GTK_WIDGET (view), 600, 600);

  g_assert_false (scope_channel_view_get_value (view, &value));
  scope_channel_view_set_capture (view, capture);
  scope_channel_view_set_channel (view, 3);
  scope_view_state_set_unit (view_state, 5, 2);
  test_ui_wait_drawn (GTK_WIDGET (view), TIMEOUT_MS);
  g_assert_true (scope_channel_view_get_value (view, &value));
  g_assert_cmpfloat (value, ==, 3.0f * 6);
  /* a unit outside the map has no value */
  scope_view_state_set_unit (view_state, 14, 0);
  g_assert_false (scope_channel_view_get_value (view, &value));
  scope_view_state_set_unit (view_state, 5, 2);

  exported = scope_channel_view_render (view);
  g_assert_cmpint (gdk_texture_get_width (exported), >=, 224);

  destroy_window (window);
  g_assert_null (view);
}

static void
test_prob_chart (void)
{
  ScopeProbChart *chart = SCOPE_PROB_CHART (scope_prob_chart_new ());
  g_autoptr(GListStore) store = g_list_store_new (SCOPE_TYPE_PREDICTION);
  GtkWidget *window;

  g_object_add_weak_pointer (G_OBJECT (chart), (gpointer *) &chart);
  window = show_in_window (GTK_WIDGET (chart), 400, 300);
  scope_prob_chart_set_model (chart, G_LIST_MODEL (store));
  /* the chart reads what it is given as it changes: rows arrive, and the last stands for
   * the smallest percentages */
  test_ui_assert_chart_shows (GTK_WIDGET (chart), G_LIST_MODEL (store));
  for (int i = 0; i < 5; i++)
    {
      g_autoptr(ScopePrediction) row = scope_prediction_new (i + 1, i, i == 0 ? "tabby" : "cat",
                                                             i < 4 ? 0.5 / (i + 1) : 0.0004);

      g_list_store_append (store, row);
    }
  test_ui_wait_drawn (GTK_WIDGET (chart), TIMEOUT_MS);
  test_ui_assert_chart_shows (GTK_WIDGET (chart), G_LIST_MODEL (store));
  g_list_store_remove (store, 0);
  test_ui_assert_chart_shows (GTK_WIDGET (chart), G_LIST_MODEL (store));

  destroy_window (window);
  g_assert_null (chart);
}

static void
test_arch_diagram (void)
{
  g_autoptr(ScopeModel) model = default_model ();
  ScopeArchDiagram *diagram = SCOPE_ARCH_DIAGRAM (scope_arch_diagram_new ());
  GtkWidget *window;
  int found = 0, previous = -1;

  g_object_add_weak_pointer (G_OBJECT (diagram), (gpointer *) &diagram);
  window = show_in_window (GTK_WIDGET (diagram), 1000, 220);
  scope_arch_diagram_set_model (diagram, model);
  test_ui_wait_drawn (GTK_WIDGET (diagram), TIMEOUT_MS);

  /* a horizontal sweep meets the layers left to right */
  for (int x = 0; x < gtk_widget_get_width (GTK_WIDGET (diagram)); x++)
    {
      int layer = scope_arch_diagram_layer_at (diagram, x,
                                               gtk_widget_get_height (GTK_WIDGET (diagram)) / 2.0);

      if (layer >= 0 && layer != previous)
        {
          g_assert_cmpint (layer, >, previous);
          previous = layer;
          found++;
        }
    }
  g_assert_cmpint (found, >=, scope_model_get_n_layers (model) - 2);
  scope_arch_diagram_set_selected_layer (diagram, 4);
  g_assert_cmpint (scope_arch_diagram_get_selected_layer (diagram), ==, 4);

  destroy_window (window);
  g_assert_null (diagram);
}

static void
test_layer_list (void)
{
  g_autoptr(ScopeModel) model = default_model ();
  ScopeLayerList *list = SCOPE_LAYER_LIST (scope_layer_list_new ());
  GtkWidget *window;
  GListModel *items;
  g_autoptr(ScopeLayerItem) first = NULL;
  g_autofree char *output = NULL, *expected = NULL;
  const VggLayer *layer0;

  g_object_add_weak_pointer (G_OBJECT (list), (gpointer *) &list);
  window = show_in_window (GTK_WIDGET (list), 500, 600);
  scope_layer_list_set_model (list, model);
  items = scope_layer_list_get_items (list);
  g_assert_cmpuint (g_list_model_get_n_items (items), ==,
                    (guint) scope_model_get_n_layers (model));
  first = g_list_model_get_item (items, 0);
  g_object_get (first, "output", &output, NULL);
  layer0 = scope_model_get_layer (model, 0);
  expected = g_strdup_printf ("%d×%d×%d", layer0->channels_out, layer0->height_out,
                              layer0->width_out);
  g_assert_cmpstr (output, ==, expected);

  scope_layer_list_set_selected_layer (list, 5);
  g_assert_cmpint (scope_layer_list_get_selected_layer (list), ==, 5);
  test_ui_wait_drawn (GTK_WIDGET (list), TIMEOUT_MS);

  destroy_window (window);
  g_assert_null (list);
}

static void
test_image_view (void)
{
  ScopeImageView *view = SCOPE_IMAGE_VIEW (scope_image_view_new ());
  guchar pixels[32 * 24 * 3] = { 0 };
  g_autoptr(GBytes) bytes = g_bytes_new (pixels, sizeof pixels);
  g_autoptr(GdkTexture) texture = gdk_memory_texture_new (32, 24, GDK_MEMORY_R8G8B8, bytes,
                                                          32 * 3);
  VggRect rect = { 3, 4, 10, 12 }, shown;
  GtkWidget *window;

  g_object_add_weak_pointer (G_OBJECT (view), (gpointer *) &view);
  window = show_in_window (GTK_WIDGET (view), 500, 300);
  scope_image_view_set_pictures (view, texture, texture, VGG_PRESET_TORCHVISION);
  g_assert_false (scope_image_view_get_receptive_rect (view, &shown));
  scope_image_view_set_receptive_rect (view, &rect);
  g_assert_true (scope_image_view_get_receptive_rect (view, &shown));
  g_assert_cmpint (shown.height, ==, 12);
  test_ui_wait_drawn (GTK_WIDGET (view), TIMEOUT_MS);
  scope_image_view_set_receptive_rect (view, NULL);
  g_assert_false (scope_image_view_get_receptive_rect (view, NULL));

  destroy_window (window);
  g_assert_null (view);
}

/* ---- inference ---- */

typedef struct
{
  gboolean               done;
  gboolean               ok;
  GError                *error;
  ScopeInferenceOutcome  outcome;
  int                    n_captured;
} RunState;

static void
on_run_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  RunState *state = user_data;

  state->ok = scope_inference_run_finish (result, &state->outcome, &state->error);
  state->done = TRUE;
}

static void
on_layer_captured (ScopeResult *result,
                   int          index,
                   RunState    *state)
{
  state->n_captured++;
}

static gboolean
run_done (gpointer data)
{
  return ((RunState *) data)->done;
}

static void
test_inference (void)
{
  g_autoptr(ScopeModel) model = default_model ();
  g_autofree char *path = test_ui_sample_path ("cat.jpg");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(ScopeSource) source = scope_source_new_for_file (file);
  g_autoptr(ScopeResult) result = scope_result_new (model, source);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  RunState state = { 0 };

  g_signal_connect (result, "layer-captured", G_CALLBACK (on_layer_captured), &state);
  scope_inference_run_async (model, source, result, cancellable, on_run_done, &state);
  test_ui_wait_until (run_done, &state, TIMEOUT_MS);
  g_assert_no_error (state.error);
  g_assert_true (state.ok);
  g_assert_cmpint (state.outcome.k, ==, 5);
  /* every layer arrived, layer by layer, before the job finished */
  g_assert_cmpint (state.n_captured, ==, scope_model_get_n_layers (model));
  g_assert_cmpint (scope_result_get_status (result), ==, SCOPE_RESULT_RUNNING);
  g_assert_nonnull (scope_result_get_seen (result));
  g_assert_cmpfloat (state.outcome.probabilities[0], >=, state.outcome.probabilities[4]);
  /* the forward pass alone: the built-in model takes well under a second */
  g_assert_cmpfloat (state.outcome.elapsed, >, 0.0);
  g_assert_cmpfloat (state.outcome.elapsed, <, 1.0);
}

/* Where the network's input comes from, as fractions of the picture: torchvision's centre
 * crop (shorter side to 256, a 224 window in the middle) for a narrow VGG11 on cat.jpg
 * (451 × 300), and the object's box for the built-in model. */
static void
test_inference_seen_region (void)
{
  g_autofree char *path = test_ui_sample_path ("cat.jpg");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(ScopeSource) source = scope_source_new_for_file (file);
  g_autoptr(ScopeModel) fashion = default_model ();
  g_autoptr(ScopeModel) narrow = NULL;
  VggConfig config;
  VggModel *engine = NULL;
  VggError error = { 0 };
  graphene_rect_t region;

  vgg_config_for_name (&config, "vgg11", NULL);
  for (int b = 0; b < config.n_blocks; b++)
    config.block_widths[b] = 4;
  config.hidden_fc_widths[0] = config.hidden_fc_widths[1] = 8;
  g_assert_cmpint (vgg_model_new_random (&engine, &config, 3, &error), ==, VGG_STATUS_OK);
  narrow = scope_model_new_take (engine, NULL);

  for (int m = 0; m < 2; m++)
    {
      ScopeModel *model = m == 0 ? narrow : fashion;
      g_autoptr(ScopeResult) result = scope_result_new (model, source);
      RunState state = { 0 };

      g_assert_false (scope_result_get_seen_region (result, &region));
      scope_inference_run_async (model, source, result, NULL, on_run_done, &state);
      test_ui_wait_until (run_done, &state, TIMEOUT_MS);
      g_assert_true (state.ok);
      g_assert_true (scope_result_get_seen_region (result, &region));
      if (m == 0)
        {
          /* 451 × 300 → 384 × 256 (torchvision's Resize truncates 451 · 256 / 300 = 384.9),
           * CenterCrop's window at (round ((384 − 224) / 2), round ((256 − 224) / 2)) */
          g_assert_cmpfloat_with_epsilon (region.origin.x, 80.0 / 384, 1e-6);
          g_assert_cmpfloat_with_epsilon (region.origin.y, 16.0 / 256, 1e-6);
          g_assert_cmpfloat_with_epsilon (region.size.width, 224.0 / 384, 1e-6);
          g_assert_cmpfloat_with_epsilon (region.size.height, 224.0 / 256, 1e-6);
        }
      else
        {
          graphene_rect_t window;

          /* the input window takes in the margins around the box, centred on it */
          g_assert_true (scope_result_get_input_window (result, &window));
          g_assert_cmpfloat (window.size.width, >=, region.size.width);
          g_assert_cmpfloat (window.size.height, >=, region.size.height);
          g_assert_cmpfloat_with_epsilon (window.origin.x + window.size.width / 2,
                                          region.origin.x + region.size.width / 2,
                                          window.size.width / 32);
          g_assert_cmpfloat_with_epsilon (window.origin.y + window.size.height / 2,
                                          region.origin.y + region.size.height / 2,
                                          window.size.height / 32);
          /* somewhere inside the picture, not nothing */
          g_assert_cmpfloat (region.origin.x, >=, 0);
          g_assert_cmpfloat (region.origin.y, >=, 0);
          g_assert_cmpfloat (region.origin.x + region.size.width, <=, 1.0 + 1e-6);
          g_assert_cmpfloat (region.origin.y + region.size.height, <=, 1.0 + 1e-6);
          g_assert_cmpfloat (region.size.width, >, 0.05);
          g_assert_cmpfloat (region.size.height, >, 0.05);
        }
    }
}

/* A Fashion-MNIST picture itself (28 × 28, dark background) goes into the built-in model's
 * 32 × 32 input as it is, two pixels in from each side: the input window on the picture is
 * (−2, −2) to (30, 30) in its pixels. */
static void
test_inference_input_window (void)
{
  g_autofree char *path = g_build_filename (SOURCE_DATADIR, "fashion-mnist", "samples",
                                            "ankle-boot-0.png", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(ScopeSource) source = scope_source_new_for_file (file);
  g_autoptr(ScopeModel) model = default_model ();
  g_autoptr(ScopeResult) result = scope_result_new (model, source);
  graphene_rect_t window, region;
  RunState state = { 0 };

  scope_inference_run_async (model, source, result, NULL, on_run_done, &state);
  test_ui_wait_until (run_done, &state, TIMEOUT_MS);
  g_assert_true (state.ok);
  g_assert_true (scope_result_get_input_window (result, &window));
  g_assert_cmpfloat_with_epsilon (window.origin.x, -2.0 / 28, 1e-6);
  g_assert_cmpfloat_with_epsilon (window.origin.y, -2.0 / 28, 1e-6);
  g_assert_cmpfloat_with_epsilon (window.size.width, 32.0 / 28, 1e-6);
  g_assert_cmpfloat_with_epsilon (window.size.height, 32.0 / 28, 1e-6);
  g_assert_true (scope_result_get_seen_region (result, &region));
  g_assert_cmpfloat_with_epsilon (region.size.width, 1.0, 1e-6);
}

static void
test_elapsed_format (void)
{
  static const struct { double seconds; const char *text; } cases[] = {
    { 0.0006, "0.6 ms" }, { 0.00004, "0.0 ms" }, { 0.0099, "9.9 ms" }, { 0.0123, "12 ms" },
    { 0.0894, "89 ms" }, { 0.9994, "999 ms" }, { 0.9996, "1.00 s" }, { 2.345, "2.35 s" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = scope_result_format_elapsed (cases[i].seconds);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

static void
test_inference_cancelled (void)
{
  g_autoptr(ScopeModel) model = default_model ();
  g_autofree char *path = test_ui_sample_path ("cat.jpg");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(ScopeSource) source = scope_source_new_for_file (file);
  g_autoptr(ScopeResult) result = scope_result_new (model, source);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  RunState state = { 0 };

  g_signal_connect (result, "layer-captured", G_CALLBACK (on_layer_captured), &state);
  scope_inference_run_async (model, source, result, cancellable, on_run_done, &state);
  g_cancellable_cancel (cancellable);
  test_ui_wait_until (run_done, &state, TIMEOUT_MS);
  g_assert_false (state.ok);
  g_assert_error (state.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  /* cancelled before the main loop ran: nothing was handed over */
  g_assert_cmpint (state.n_captured, ==, 0);
  g_assert_null (scope_result_get_original (result));
  g_clear_error (&state.error);

  /* the model's run is still good for the next job */
  {
    g_autoptr(ScopeResult) again = scope_result_new (model, source);
    RunState next = { 0 };

    scope_inference_run_async (model, source, again, NULL, on_run_done, &next);
    test_ui_wait_until (run_done, &next, TIMEOUT_MS);
    g_assert_no_error (next.error);
    g_assert_true (next.ok);
  }
}

static void
test_inference_broken (void)
{
  g_autoptr(ScopeModel) model = default_model ();
  g_autoptr(GBytes) bytes = g_bytes_new_static ("GIF89a nope", 11);
  g_autoptr(ScopeSource) source = scope_source_new_for_bytes (bytes, "clip.gif");
  g_autoptr(ScopeResult) result = scope_result_new (model, source);
  RunState state = { 0 };

  scope_inference_run_async (model, source, result, NULL, on_run_done, &state);
  test_ui_wait_until (run_done, &state, TIMEOUT_MS);
  g_assert_false (state.ok);
  g_assert_error (state.error, SCOPE_ENGINE_ERROR, VGG_STATUS_FORMAT);
  /* the message names the picture, not the engine's placeholder */
  g_assert_true (g_str_has_prefix (state.error->message, "clip.gif"));
  g_clear_error (&state.error);
}

static void
test_model_store (void)
{
  g_autofree char *dir = g_dir_make_tmp ("test-ui-store-XXXXXX", NULL);
  g_autofree char *a = g_build_filename (dir, "b-vgg16.safetensors", NULL);
  g_autofree char *b = g_build_filename (dir, "a-vgg11.pth", NULL);
  g_autofree char *other = g_build_filename (dir, "notes.txt", NULL);
  g_autoptr(GFile) directory = g_file_new_for_path (dir);
  g_autoptr(GFile) extra = g_file_new_for_path ("/tmp/elsewhere.pth");
  ScopeModelStore *store;
  g_autoptr(ScopeModelEntry) first = NULL, second = NULL, third = NULL;

  g_file_set_contents (a, "x", 1, NULL);
  g_file_set_contents (b, "x", 1, NULL);
  g_file_set_contents (other, "x", 1, NULL);

  store = scope_model_store_new (directory);
  /* built-in first, then the weight files sorted; other files are ignored */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 3);
  first = g_list_model_get_item (G_LIST_MODEL (store), 0);
  second = g_list_model_get_item (G_LIST_MODEL (store), 1);
  third = g_list_model_get_item (G_LIST_MODEL (store), 2);
  g_assert_cmpstr (scope_model_entry_get_id (first), ==, SCOPE_MODEL_ENTRY_DEFAULT_ID);
  g_assert_cmpstr (scope_model_entry_get_title (second), ==, "a-vgg11.pth");
  g_assert_cmpstr (scope_model_entry_get_title (third), ==, "b-vgg16.safetensors");

  /* opened files are added once */
  scope_model_store_add_file (store, extra);
  scope_model_store_add_file (store, extra);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 4);

  g_assert_finalize_object (store);
  g_unlink (a);
  g_unlink (b);
  g_unlink (other);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  test_ui_init (&argc, &argv);

  g_test_add_func ("/ui-widgets/capture-statistics", test_capture_statistics);
  g_test_add_func ("/ui-widgets/capture-reuse", test_capture_reuse);
  g_test_add_func ("/ui-widgets/map-render", test_map_render);
  g_test_add_func ("/ui-widgets/map-render-reduced", test_map_render_reduced);
  g_test_add_func ("/ui-widgets/draw-texture-kept", test_draw_texture_kept);
  g_test_add_func ("/ui-widgets/live-preview", test_live_preview);
  g_test_add_func ("/ui-widgets/feature-grid", test_feature_grid);
  g_test_add_func ("/ui-widgets/feature-grid-replace", test_feature_grid_replace);
  g_test_add_func ("/ui-widgets/channel-view", test_channel_view);
  g_test_add_func ("/ui-widgets/prob-chart", test_prob_chart);
  g_test_add_func ("/ui-widgets/arch-diagram", test_arch_diagram);
  g_test_add_func ("/ui-widgets/layer-list", test_layer_list);
  g_test_add_func ("/ui-widgets/image-view", test_image_view);
  g_test_add_func ("/ui-widgets/inference", test_inference);
  g_test_add_func ("/ui-widgets/inference-cancelled", test_inference_cancelled);
  g_test_add_func ("/ui-widgets/inference-seen-region", test_inference_seen_region);
  g_test_add_func ("/ui-widgets/inference-input-window", test_inference_input_window);
  g_test_add_func ("/ui-widgets/elapsed-format", test_elapsed_format);
  g_test_add_func ("/ui-widgets/inference-broken", test_inference_broken);
  g_test_add_func ("/ui-widgets/model-store", test_model_store);

  return g_test_run ();
}
