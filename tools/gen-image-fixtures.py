#!/usr/bin/python3
# gen-image-fixtures.py — makes the small pictures, tensors and .npy files the image tests use
#
# Copyright 2026 The VGG Scope developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Run with Debian's Python (python3-pil 9.4, python3-torchvision 0.14, python3-numpy):
#   /usr/bin/python3 tools/gen-image-fixtures.py [tests/fixtures/images]
#
# Everything is synthesised here (no photographs), so the fixtures carry no licence of their
# own. The expected outputs come from the reference implementations (PIL, torchvision), not
# from our code: tests/test-image.c and tests/test-preprocess.c compare the engine with them.
# Re-running the script reproduces the files byte for byte.

import io
import math
import os
import struct
import sys
import zlib

import numpy as np
import torch
from PIL import Image, ImageDraw, ImageOps
from torchvision import transforms

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "images")

MEAN = [0.485, 0.456, 0.406]
STD = [0.229, 0.224, 0.225]
CAFFE_MEAN_BGR = [103.939, 116.779, 123.68]


def path(name):
    return os.path.join(OUT, name)


def picture(width, height):
    """A natural-ish test picture: smooth gradients, soft and hard-edged shapes and a patch of
    fine stripes (which only an antialiased resize averages correctly)."""
    y, x = np.mgrid[0:height, 0:width].astype(np.float64)
    u, v = x / width, y / height
    r = 60 + 150 * u + 30 * np.sin(7 * v)
    g = 40 + 160 * v * (1 - 0.5 * u)
    b = 200 - 120 * u * v + 25 * np.cos(9 * u + 3 * v)
    # a soft blob
    d = np.hypot(x - 0.68 * width, y - 0.35 * height) / (0.18 * height)
    blob = np.exp(-d * d)
    r = r * (1 - blob) + 250 * blob
    g = g * (1 - blob) + 210 * blob
    b = b * (1 - blob) + 40 * blob
    # fine stripes in the lower left
    stripes = (x < 0.35 * width) & (y > 0.6 * height)
    wave = 0.5 + 0.5 * np.sin(x * 2.1 + y * 0.7)
    r = np.where(stripes, 30 + 200 * wave, r)
    g = np.where(stripes, 30 + 200 * wave, g)
    b = np.where(stripes, 60 + 120 * wave, b)
    rgb = np.stack([r, g, b], axis=-1)
    image = Image.fromarray(np.clip(np.rint(rgb), 0, 255).astype(np.uint8), "RGB")
    draw = ImageDraw.Draw(image)
    draw.rectangle([int(0.08 * width), int(0.1 * height), int(0.3 * width), int(0.42 * height)],
                   fill=(20, 90, 200), outline=(255, 255, 255), width=2)
    draw.ellipse([int(0.45 * width), int(0.6 * height), int(0.85 * width), int(0.92 * height)],
                 fill=(200, 30, 60))
    draw.line([(0, height - 1), (width - 1, 0)], fill=(0, 0, 0), width=1)
    return image


def torchvision_tensor(image, resize, crop):
    transform = transforms.Compose([
        transforms.Resize(resize),
        transforms.CenterCrop(crop),
        transforms.ToTensor(),
        transforms.Normalize(mean=MEAN, std=STD),
    ])
    return transform(image).numpy().astype(np.float32)


def torchvision_crop(image, resize, crop):
    """The picture torchvision's transforms hand to ToTensor (what the network sees)."""
    return transforms.CenterCrop(crop)(transforms.Resize(resize)(image))


def save_npy(name, array, version=None):
    with open(path(name), "wb") as f:
        if version is None:
            np.save(f, array)
        else:
            np.lib.format.write_array(f, array, version=version)


def png_chunk(kind, data):
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))


def write_raw_png(name, rows, width, height, bit_depth, colour_type, interlaced=False):
    """A PNG writer for what PIL cannot write: 16-bit RGB and Adam7 interlacing. @rows(x, y)
    returns the bytes of one pixel."""
    def scanlines(xs, ys):
        out = bytearray()
        for yy in ys:
            out.append(0)  # filter: none
            for xx in xs:
                out += rows(xx, yy)
        return bytes(out)

    if interlaced:
        passes = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4),
                  (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
        raw = b""
        for x0, y0, dx, dy in passes:
            xs, ys = range(x0, width, dx), range(y0, height, dy)
            if len(xs) and len(ys):
                raw += scanlines(xs, ys)
    else:
        raw = scanlines(range(width), range(height))
    ihdr = struct.pack(">IIBBBBB", width, height, bit_depth, colour_type, 0, 0,
                       1 if interlaced else 0)
    data = (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr)
            + png_chunk(b"IDAT", zlib.compress(raw, 9)) + png_chunk(b"IEND", b""))
    with open(path(name), "wb") as f:
        f.write(data)


def exif_bytes(orientation):
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "VGG Scope test"
    return exif.tobytes()


def main():
    os.makedirs(OUT, exist_ok=True)

    # --- the test picture, lossless and lossy: 360×270 so Resize(256) really downsamples
    # (to 341×256; the centre crop's left edge is round(58.5) = 58 by round-half-even).
    pic = picture(360, 270)
    pic.save(path("picture.png"), optimize=True)
    pic.save(path("picture.jpg"), quality=95)

    # A small picture that Resize(256) enlarges.
    small = picture(60, 45)
    small.save(path("small.png"), optimize=True)

    for name in ("picture.png", "small.png"):
        stem = name.replace(".", "-")
        image = Image.open(path(name)).convert("RGB")
        # torchvision's reference at full size: the picture ToTensor receives, stored losslessly
        # (a float32 .npy of 3×224×224 would be 600 KB); check that the tensor is exactly
        # ToTensor + Normalize of it, so the PNG stands for the tensor.
        crop = torchvision_crop(image, 256, 224)
        crop.save(path(f"tv224-{stem}.png"), optimize=True)
        tensor = torchvision_tensor(image, 256, 224)
        rebuilt = transforms.Normalize(MEAN, STD)(transforms.ToTensor()(crop)).numpy()
        assert np.array_equal(tensor, rebuilt), name

    for name in ("picture.png", "picture.jpg"):
        stem = name.replace(".", "-")
        image = Image.open(path(name)).convert("RGB")
        # the whole pipeline as float32, at the preset's 48×48 size: shorter side to
        # round(48·256/224) = 55, centre crop 48
        save_npy(f"tv48-{stem}.npy", torchvision_tensor(image, 55, 48))

    # caffe preset (Keras "caffe" mode): straight bilinear resize to 28×28, BGR, minus the mean
    image = Image.open(path("picture.png")).convert("RGB")
    resized = np.asarray(image.resize((28, 28), Image.BILINEAR), dtype=np.float32)
    bgr = resized[..., ::-1] - np.array(CAFFE_MEAN_BGR, dtype=np.float32)
    save_npy("caffe28-picture-png.npy", np.ascontiguousarray(bgr.transpose(2, 0, 1)))

    # plain preset, grey: shorter side to 28, centre crop 28, convert('L'), / 255
    grey = torchvision_crop(image, 28, 28).convert("L")
    save_npy("plain28-grey-picture-png.npy",
             (np.asarray(grey, dtype=np.float32) / np.float32(255))[None, :, :])
    # plain preset, RGB, non-square 24×40 (height × width): the picture is resized to just
    # cover 24×40 keeping its aspect (360×270 → 40×30), then centre-cropped
    plain = transforms.CenterCrop((24, 40))(image.resize((40, 30), Image.BILINEAR))
    save_npy("plain24x40-picture-png.npy",
             np.ascontiguousarray((np.asarray(plain, dtype=np.float32) / np.float32(255))
                                  .transpose(2, 0, 1)))

    # --- PNG variants with contents the tests can compute from the coordinates
    w, h = 40, 30
    grey_px = np.fromfunction(lambda y, x: (x * 3 + y * 5) % 256, (h, w)).astype(np.uint8)
    Image.fromarray(grey_px, "L").save(path("grey.png"))
    rgba = np.zeros((h, w, 4), np.uint8)
    yy, xx = np.mgrid[0:h, 0:w]
    rgba[..., 0] = xx * 6
    rgba[..., 1] = yy * 8
    rgba[..., 2] = 128
    rgba[..., 3] = (xx * 7 + yy * 3) % 256
    Image.fromarray(rgba, "RGBA").save(path("rgba.png"))
    la = np.stack([grey_px, ((xx + yy) * 9 % 256).astype(np.uint8)], axis=-1)
    Image.fromarray(la, "LA").save(path("grey-alpha.png"))
    palette = Image.fromarray(((xx // 4 + yy // 4) % 16).astype(np.uint8), "P")
    palette.putpalette([c for i in range(16) for c in (i * 16, 255 - i * 16, (i * 37) % 256)])
    # index 0 fully transparent, index 1 half transparent (a tRNS chunk)
    palette.save(path("palette.png"), transparency=bytes([0, 128] + [255] * 14))
    write_raw_png("rgb16.png", lambda x, y: struct.pack(">HHH", x * 1500, y * 2000, 40000 + x),
                  w, h, 16, 2)
    write_raw_png("interlaced.png", lambda x, y: bytes([x * 6, y * 8, (x * y) % 256]),
                  w, h, 8, 2, interlaced=True)

    # --- JPEG variants, each with PIL's decoding as the expected picture
    base = picture(40, 24)
    for orientation in range(1, 9):
        name = f"exif-{orientation}.jpg"
        base.save(path(name), quality=95, exif=exif_bytes(orientation))
        ImageOps.exif_transpose(Image.open(path(name))).convert("RGB").save(
            path(f"exif-{orientation}-expected.png"))
    base.convert("CMYK").save(path("cmyk.jpg"), quality=95)
    Image.open(path("cmyk.jpg")).convert("RGB").save(path("cmyk-expected.png"))
    base.convert("L").save(path("grey.jpg"), quality=95)
    Image.open(path("grey.jpg")).convert("RGB").save(path("grey-jpg-expected.png"))
    base.save(path("progressive.jpg"), quality=90, progressive=True)
    Image.open(path("progressive.jpg")).convert("RGB").save(path("progressive-expected.png"))

    # --- .npy files written by NumPy
    values = np.arange(24, dtype=np.float32).reshape(2, 3, 4) * np.float32(0.5) - 3
    save_npy("numpy-f4.npy", values)
    save_npy("numpy-f8.npy", values.astype(np.float64))
    save_npy("numpy-u1.npy", np.arange(6, dtype=np.uint8).reshape(3, 2) * 40)
    save_npy("numpy-v2.npy", values, version=(2, 0))
    save_npy("numpy-scalar.npy", np.float32(2.5))
    save_npy("numpy-fortran.npy", np.asfortranarray(values))
    save_npy("numpy-i8.npy", np.arange(4, dtype=np.int64))

    total = sum(os.path.getsize(path(f)) for f in os.listdir(OUT))
    print(f"{len(os.listdir(OUT))} files, {total} bytes in {OUT}")


if __name__ == "__main__":
    main()
