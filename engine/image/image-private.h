/* image-private.h — helpers shared by the image decoders, the resampler and the presets
 *
 * Copyright 2026 The VGG Scope developers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Not installed. @name in these functions is what error messages call the input: the file's
 * path, or "image data" for pictures passed in memory.
 */
#pragma once

#include "engine-private.h"

/* JPEG decodes keep at most this many pixels: a larger picture is decoded at 1/2, 1/4 or 1/8
 * scale (libjpeg scales in the DCT domain, so a huge photo costs little memory). */
#define VGG_JPEG_TARGET_PIXELS ((int64_t) 1 << 24)

/* The most memory libjpeg may use for its own buffers (whole-image coefficient buffers of
 * progressive files, mostly). */
#define VGG_JPEG_MAX_MEMORY ((long) 1 << 30)

/* Allocates @image->pixels for @width × @height RGB8 pixels (uninitialised; never touched, so
 * a large picture costs nothing until it is written). Checks the pixel limit. */
VggStatus vgg_image_alloc (VggImage   *image,
                           int         width,
                           int         height,
                           const char *name,
                           VggError   *error);

/* Decoders: @image is written only on success. */
VggStatus vgg_jpeg_decode (VggImage            *image,
                           const unsigned char *bytes,
                           size_t               size,
                           const char          *name,
                           VggError            *error);
VggStatus vgg_png_decode (VggImage            *image,
                          const unsigned char *bytes,
                          size_t               size,
                          const char          *name,
                          VggError            *error);
/* WebP (libwebp; the first frame of an animation), GIF (giflib; the first frame), BMP
 * (stb_image) and TIFF (libtiff; the first page). */
VggStatus vgg_webp_decode (VggImage            *image,
                           const unsigned char *bytes,
                           size_t               size,
                           const char          *name,
                           VggError            *error);
VggStatus vgg_gif_decode (VggImage            *image,
                          const unsigned char *bytes,
                          size_t               size,
                          const char          *name,
                          VggError            *error);
VggStatus vgg_bmp_decode (VggImage            *image,
                          const unsigned char *bytes,
                          size_t               size,
                          const char          *name,
                          VggError            *error);
VggStatus vgg_tiff_decode (VggImage            *image,
                           const unsigned char *bytes,
                           size_t               size,
                           const char          *name,
                           VggError            *error);

/* Composites @n_pixels RGBA8 pixels (straight alpha) over white into RGB8:
 * (c·a + 255·(255 − a)) / 255, rounded — the rule the PNG decoder follows too. @rgb may be
 * @rgba itself (it is written front to back, never ahead of what is read). */
void      vgg_image_flatten_rgba (uint8_t       *rgb,
                                  const uint8_t *rgba,
                                  size_t         n_pixels);

/* The EXIF orientation (1–8) in the payload of a JPEG APP1 marker ("Exif\0\0" + TIFF data);
 * 1 when the marker is not EXIF, has no orientation or holds a value outside 1–8. */
int       vgg_exif_orientation (const unsigned char *app1,
                                size_t               size);

/* Turns @image upright for EXIF @orientation (2–8; 1 does nothing): 2 mirrors, 3 rotates by
 * 180°, 4 flips, 5 transposes, 6 rotates 90° clockwise, 7 transverses, 8 rotates 90°
 * counter-clockwise — as PIL's ImageOps.exif_transpose(). Replaces the pixel buffer. */
VggStatus vgg_image_orient (VggImage   *image,
                            int         orientation,
                            const char *name,
                            VggError   *error);

/* PIL's antialiased bilinear resize of an 8-bit picture with @channels interleaved channels,
 * from @width_in × @height_in to a (virtual) @width_out × @height_out, of which only the
 * window [@x0, @x0 + @width) × [@y0, @y0 + @height) is computed into @out (stride
 * @channels × @width). The window must lie inside the output. Gives exactly the bytes of
 * Image.resize((width_out, height_out), Image.BILINEAR) cropped to the window. */
VggStatus vgg_resample_bilinear (uint8_t       *out,
                                 int64_t        x0,
                                 int64_t        y0,
                                 int            width,
                                 int            height,
                                 int64_t        width_out,
                                 int64_t        height_out,
                                 const uint8_t *in,
                                 int            width_in,
                                 int            height_in,
                                 int            channels,
                                 VggError      *error);
