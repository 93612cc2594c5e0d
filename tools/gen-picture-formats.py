#!/usr/bin/python3
# gen-picture-formats.py — makes the WebP, GIF, BMP and TIFF fixtures and what PIL decodes them to
#
# Copyright 2026 The VGG Scope developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Run with Debian's Python (python3-pil 9.4 with libwebp and libtiff, python3-torchvision):
#   /usr/bin/python3 tools/gen-picture-formats.py [tests/fixtures/images/formats]
#
# For every picture X.webp/.gif/.bmp/.tif, X-webp-expected.png (and so on) holds what PIL
# decodes it to, as 8-bit RGB with any alpha composited over white by the engine's rule
# (c·a + 255·(255 − a)) / 255 rounded, so tests/test-image.c can demand identical pixels.
# tv48-picture-webp.npy is torchvision's whole pipeline (Resize 55, CenterCrop 48, ToTensor,
# Normalize) on PIL's decoding of picture.webp, for tests/test-preprocess.c.
# Everything is synthesised; re-running the script reproduces the files byte for byte.

import os
import struct
import sys

import numpy as np
from PIL import Image, ImageDraw
from torchvision import transforms

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "images", "formats")

MEAN = [0.485, 0.456, 0.406]
STD = [0.229, 0.224, 0.225]


def path(name):
    return os.path.join(OUT, name)


def picture(width, height):
    """Smooth gradients, a soft blob and hard-edged shapes: lossy codecs have work to do."""
    y, x = np.mgrid[0:height, 0:width].astype(np.float64)
    u, v = x / width, y / height
    r = 60 + 150 * u + 30 * np.sin(7 * v)
    g = 40 + 160 * v * (1 - 0.5 * u)
    b = 200 - 120 * u * v + 25 * np.cos(9 * u + 3 * v)
    d = np.hypot(x - 0.68 * width, y - 0.35 * height) / (0.18 * height)
    blob = np.exp(-d * d)
    r = r * (1 - blob) + 250 * blob
    g = g * (1 - blob) + 210 * blob
    b = b * (1 - blob) + 40 * blob
    rgb = np.stack([r, g, b], axis=-1)
    image = Image.fromarray(np.clip(np.rint(rgb), 0, 255).astype(np.uint8), "RGB")
    draw = ImageDraw.Draw(image)
    draw.rectangle([int(0.08 * width), int(0.1 * height), int(0.3 * width), int(0.42 * height)],
                   fill=(20, 90, 200), outline=(255, 255, 255), width=2)
    draw.ellipse([int(0.45 * width), int(0.6 * height), int(0.85 * width), int(0.92 * height)],
                 fill=(200, 30, 60))
    return image


def rgba_pattern(width, height):
    yy, xx = np.mgrid[0:height, 0:width]
    rgba = np.zeros((height, width, 4), np.uint8)
    rgba[..., 0] = xx * 6
    rgba[..., 1] = yy * 8
    rgba[..., 2] = 128
    rgba[..., 3] = (xx * 7 + yy * 3) % 256
    return Image.fromarray(rgba, "RGBA")


def palette_pattern(width, height, colours=16):
    yy, xx = np.mgrid[0:height, 0:width]
    image = Image.fromarray(((xx // 4 + yy // 4) % colours).astype(np.uint8), "P")
    image.putpalette([c for i in range(colours)
                      for c in (i * 16 % 256, (255 - i * 16) % 256, (i * 37) % 256)])
    return image


def over_white(image):
    """PIL's decoding as RGB, alpha (if any) composited over white as the engine does."""
    rgba = np.asarray(image.convert("RGBA"), dtype=np.uint32)
    alpha = rgba[..., 3:4]
    rgb = (rgba[..., :3] * alpha + 255 * (255 - alpha) + 127) // 255
    return Image.fromarray(rgb.astype(np.uint8), "RGB")


def save_expected(name):
    """Decodes fixture @name with PIL (first frame) and stores the RGB result beside it."""
    with Image.open(path(name)) as image:
        image.seek(0)
        image.load()
        expected = over_white(image)
    expected.save(path(name.replace(".", "-") + "-expected.png"), optimize=True)


def write_tiff_rgb16(name, width, height):
    """A 16-bit RGB TIFF, which PIL cannot write: samples x·1500, y·2000, 40000 + x."""
    pixels = b"".join(struct.pack("<HHH", x * 1500, y * 2000, 40000 + x)
                      for y in range(height) for x in range(width))
    entries = []
    n_entries = 10
    data_offset = 8 + 2 + n_entries * 12 + 4
    bits_offset = data_offset
    pixels_offset = bits_offset + 6

    def entry(tag, kind, count, value):
        entries.append(struct.pack("<HHI", tag, kind, count)
                       + (struct.pack("<HH", value, 0) if kind == 3 and count == 1
                          else struct.pack("<I", value)))

    entry(256, 4, 1, width)                  # ImageWidth
    entry(257, 4, 1, height)                 # ImageLength
    entry(258, 3, 3, bits_offset)            # BitsPerSample 16, 16, 16
    entry(259, 3, 1, 1)                      # no compression
    entry(262, 3, 1, 2)                      # RGB
    entry(273, 4, 1, pixels_offset)          # StripOffsets
    entry(277, 3, 1, 3)                      # SamplesPerPixel
    entry(278, 4, 1, height)                 # RowsPerStrip
    entry(279, 4, 1, len(pixels))            # StripByteCounts
    entry(284, 3, 1, 1)                      # PlanarConfiguration: contiguous
    assert len(entries) == n_entries
    data = (b"II*\x00" + struct.pack("<I", 8) + struct.pack("<H", n_entries) + b"".join(entries)
            + struct.pack("<I", 0) + struct.pack("<HHH", 16, 16, 16) + pixels)
    with open(path(name), "wb") as f:
        f.write(data)


def main():
    os.makedirs(OUT, exist_ok=True)
    pic = picture(360, 270)
    small = picture(120, 90)   # uncompressed formats: kept small
    w, h = 40, 30

    # --- WebP: what browsers hand over when a picture is dragged out of a page
    pic.save(path("picture.webp"), quality=90, method=4)
    pic.save(path("lossless.webp"), lossless=True)
    rgba_pattern(w, h).save(path("rgba.webp"), lossless=True)
    rgba_pattern(w, h).save(path("rgba-lossy.webp"), quality=80)
    # an animation: only the first frame counts
    frames = [pic.resize((90, 68)), Image.new("RGB", (90, 68), (0, 200, 0))]
    frames[0].save(path("animated.webp"), save_all=True, append_images=frames[1:],
                   duration=100, loop=0, lossless=True)

    # --- GIF: palette pictures, interlaced (PIL's default) or not, with a transparent index
    palette_pattern(w, h).save(path("palette.gif"), interlace=False)
    palette_pattern(w, h).save(path("interlaced.gif"), interlace=True)
    palette_pattern(w, h).save(path("transparent.gif"), transparency=0, interlace=False)
    pic.convert("P", palette=Image.ADAPTIVE, colors=200).save(path("picture.gif"))
    gif_frames = [palette_pattern(w, h).convert("RGB"), Image.new("RGB", (w, h), (0, 0, 255))]
    gif_frames[0].save(path("animated.gif"), save_all=True, append_images=gif_frames[1:],
                       duration=100, loop=0)

    # --- BMP: 24-bit, 8-bit palette, 1-bit, 32-bit
    small.save(path("picture.bmp"))
    palette_pattern(w, h).save(path("palette.bmp"))
    yy, xx = np.mgrid[0:h, 0:w]
    Image.fromarray((((xx // 3 + yy // 3) % 2) * 255).astype(np.uint8), "L").convert("1").save(
        path("bilevel.bmp"))
    Image.fromarray(((xx * 3 + yy * 5) % 256).astype(np.uint8), "L").save(path("grey.bmp"))

    # --- TIFF: plain, LZW, with alpha, palette, grey, 16-bit RGB
    small.save(path("picture.tif"))
    small.save(path("lzw.tif"), compression="tiff_lzw")
    rgba_pattern(w, h).save(path("rgba.tif"))
    palette_pattern(w, h).save(path("palette.tif"))
    Image.fromarray(((xx * 3 + yy * 5) % 256).astype(np.uint8), "L").save(path("grey.tif"))
    write_tiff_rgb16("rgb16.tif", w, h)

    for name in sorted(os.listdir(OUT)):
        if name.endswith((".webp", ".gif", ".bmp", ".tif")):
            save_expected(name)

    # the 16-bit TIFF: PIL keeps the high byte of each sample, as the engine does for PNG
    expected16 = np.zeros((h, w, 3), np.uint8)
    expected16[..., 0] = (xx * 1500) >> 8
    expected16[..., 1] = (yy * 2000) >> 8
    expected16[..., 2] = (40000 + xx) >> 8
    assert np.array_equal(np.asarray(Image.open(path("rgb16-tif-expected.png"))), expected16)

    # torchvision's pipeline on PIL's decoding of the lossy WebP, at the 48×48 preset
    image = Image.open(path("picture.webp")).convert("RGB")
    transform = transforms.Compose([transforms.Resize(55), transforms.CenterCrop(48),
                                    transforms.ToTensor(), transforms.Normalize(MEAN, STD)])
    with open(path("tv48-picture-webp.npy"), "wb") as f:
        np.save(f, transform(image).numpy().astype(np.float32))


if __name__ == "__main__":
    main()
