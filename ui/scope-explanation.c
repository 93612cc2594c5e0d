/* scope-explanation.c — one explanation of one picture: the method, its map and its numbers
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "scope-enum-types.h"
#include "scope-explanation.h"
#include "scope-map-render.h"

struct _ScopeExplanation
{
  GObject            parent_instance;

  /* owned */
  float             *map;          /* display map, [0, 1] */
  GBytes            *raw;
  char              *summary;
  char              *error;

  /* plain state */
  ScopeExplainMethod method;
  int                class_index;
  int                layer_index;
  ScopeResultStatus  status;
  double             fraction;
  int                height, width;
  int                raw_channels, raw_height, raw_width;
};

enum {
  PROP_0,
  PROP_STATUS,
  PROP_FRACTION,
  PROP_MAP,
  PROP_SUMMARY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (ScopeExplanation, scope_explanation, G_TYPE_OBJECT)

static void
scope_explanation_finalize (GObject *object)
{
  ScopeExplanation *self = SCOPE_EXPLANATION (object);

  g_free (self->map);
  g_clear_pointer (&self->raw, g_bytes_unref);
  g_free (self->summary);
  g_free (self->error);

  G_OBJECT_CLASS (scope_explanation_parent_class)->finalize (object);
}

static void
scope_explanation_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  ScopeExplanation *self = SCOPE_EXPLANATION (object);

  switch (prop_id)
    {
    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;
    case PROP_FRACTION:
      g_value_set_double (value, self->fraction);
      break;
    case PROP_MAP:
      g_value_set_boolean (value, self->map != NULL);
      break;
    case PROP_SUMMARY:
      g_value_set_string (value, self->summary);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
scope_explanation_class_init (ScopeExplanationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = scope_explanation_finalize;
  object_class->get_property = scope_explanation_get_property;

  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL, SCOPE_TYPE_RESULT_STATUS, SCOPE_RESULT_PENDING,
                       flags);
  properties[PROP_FRACTION] = g_param_spec_double ("fraction", NULL, NULL, 0, 1, 0, flags);
  /* notified whenever the map changes (occlusion: as positions finish) */
  properties[PROP_MAP] = g_param_spec_boolean ("map", NULL, NULL, FALSE, flags);
  properties[PROP_SUMMARY] = g_param_spec_string ("summary", NULL, NULL, "", flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
scope_explanation_init (ScopeExplanation *self)
{
  self->summary = g_strdup ("");
  self->layer_index = -1;
}

ScopeExplanation *
scope_explanation_new (ScopeExplainMethod method,
                       int                class_index,
                       int                layer_index)
{
  ScopeExplanation *self = g_object_new (SCOPE_TYPE_EXPLANATION, NULL);

  self->method = method;
  self->class_index = class_index;
  self->layer_index = layer_index;
  return self;
}

ScopeExplainMethod
scope_explanation_get_method (ScopeExplanation *self)
{
  g_return_val_if_fail (SCOPE_IS_EXPLANATION (self), 0);
  return self->method;
}

int
scope_explanation_get_class (ScopeExplanation *self)
{
  g_return_val_if_fail (SCOPE_IS_EXPLANATION (self), -1);
  return self->class_index;
}

int
scope_explanation_get_layer (ScopeExplanation *self)
{
  g_return_val_if_fail (SCOPE_IS_EXPLANATION (self), -1);
  return self->layer_index;
}

ScopeResultStatus
scope_explanation_get_status (ScopeExplanation *self)
{
  g_return_val_if_fail (SCOPE_IS_EXPLANATION (self), SCOPE_RESULT_FAILED);
  return self->status;
}

double
scope_explanation_get_fraction (ScopeExplanation *self)
{
  g_return_val_if_fail (SCOPE_IS_EXPLANATION (self), 0);
  return self->fraction;
}

const char *
scope_explanation_get_error (ScopeExplanation *self)
{
  g_return_val_if_fail (SCOPE_IS_EXPLANATION (self), NULL);
  return self->error;
}

const char *
scope_explanation_get_summary (ScopeExplanation *self)
{
  g_return_val_if_fail (SCOPE_IS_EXPLANATION (self), NULL);
  return self->summary;
}

const float *
scope_explanation_get_map (ScopeExplanation *self,
                           int              *height,
                           int              *width)
{
  g_return_val_if_fail (SCOPE_IS_EXPLANATION (self), NULL);

  if (height != NULL)
    *height = self->height;
  if (width != NULL)
    *width = self->width;
  return self->map;
}

GBytes *
scope_explanation_get_raw (ScopeExplanation *self,
                           int              *channels,
                           int              *height,
                           int              *width)
{
  g_return_val_if_fail (SCOPE_IS_EXPLANATION (self), NULL);

  if (channels != NULL)
    *channels = self->raw_channels;
  if (height != NULL)
    *height = self->raw_height;
  if (width != NULL)
    *width = self->raw_width;
  return self->raw;
}

GdkTexture *
scope_explanation_render (ScopeExplanation *self,
                          const guint8     *lut)
{
  g_autoptr(GBytes) bytes = NULL;
  guint8 *pixels;
  gsize n;

  g_return_val_if_fail (SCOPE_IS_EXPLANATION (self), NULL);
  g_return_val_if_fail (lut != NULL, NULL);

  if (self->map == NULL)
    return NULL;
  n = (gsize) self->height * self->width;
  pixels = g_malloc (n * 4);
  for (gsize i = 0; i < n; i++)
    {
      float v = self->map[i];
      int index;

      if (!(v > 0.0f))   /* 0, or NaN: not computed yet */
        {
          memset (pixels + i * 4, 0, 4);
          continue;
        }
      v = MIN (v, 1.0f);
      index = (int) (v * (SCOPE_LUT_SIZE - 1) + 0.5f);
      /* premultiplied: weak evidence fades into the picture */
      {
        float alpha = powf (v, 0.7f);

        pixels[i * 4 + 0] = (guint8) (lut[index * 3 + 0] * alpha + 0.5f);
        pixels[i * 4 + 1] = (guint8) (lut[index * 3 + 1] * alpha + 0.5f);
        pixels[i * 4 + 2] = (guint8) (lut[index * 3 + 2] * alpha + 0.5f);
        pixels[i * 4 + 3] = (guint8) (alpha * 255.0f + 0.5f);
      }
    }
  bytes = g_bytes_new_take (pixels, n * 4);
  return gdk_memory_texture_new (self->width, self->height, GDK_MEMORY_R8G8B8A8_PREMULTIPLIED,
                                 bytes, (gsize) self->width * 4);
}

void
scope_explanation_set_map (ScopeExplanation *self,
                           float            *map,
                           int               height,
                           int               width,
                           GBytes           *raw,
                           int               raw_channels,
                           int               raw_height,
                           int               raw_width)
{
  g_return_if_fail (SCOPE_IS_EXPLANATION (self));

  g_free (self->map);
  self->map = map;
  self->height = height;
  self->width = width;
  if (raw != NULL)
    {
      g_clear_pointer (&self->raw, g_bytes_unref);
      self->raw = g_bytes_ref (raw);
      self->raw_channels = raw_channels;
      self->raw_height = raw_height;
      self->raw_width = raw_width;
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAP]);
}

void
scope_explanation_set_progress (ScopeExplanation *self,
                                double            fraction)
{
  g_return_if_fail (SCOPE_IS_EXPLANATION (self));

  fraction = CLAMP (fraction, 0.0, 1.0);
  if (self->fraction == fraction)
    return;
  self->fraction = fraction;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRACTION]);
}

void
scope_explanation_set_summary (ScopeExplanation *self,
                               const char       *summary)
{
  g_return_if_fail (SCOPE_IS_EXPLANATION (self));

  if (g_strcmp0 (self->summary, summary) == 0)
    return;
  g_free (self->summary);
  self->summary = g_strdup (summary != NULL ? summary : "");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUMMARY]);
}

void
scope_explanation_set_status (ScopeExplanation  *self,
                              ScopeResultStatus  status,
                              const char        *error)
{
  g_return_if_fail (SCOPE_IS_EXPLANATION (self));

  g_free (self->error);
  self->error = g_strdup (error);
  if (self->status == status)
    return;
  self->status = status;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}
