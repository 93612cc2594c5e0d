#!/usr/bin/python3
# gen-bad-inputs.py — writes the files of the bad-input catalogue (tests/bad-inputs/cases.tsv)
#
# Copyright 2026 The VGG Scope developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: tools/gen-bad-inputs.py OUTDIR [--stamp FILE]
#
# Every file the manifest names with '@' is written here, at test time, into OUTDIR (the build
# tree): some are large (a 16384×16384 PNG), some cannot live in git (named pipes), and all
# are quick to make. Needs Debian's python3-numpy, python3-torch (the .pth files) and
# python3-h5py (the Keras files); the committed fixtures under tests/fixtures/ are the
# starting point for the formats that need a real network (ONNX, Keras).
#
# Picture formats other than JPEG and PNG (WebP, GIF, BMP, TIFF) get their cases here when
# their decoders land: one function per format below, named after it.

import io
import json
import os
import shutil
import struct
import sys
import zlib

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "tests", "fixtures")
SAMPLE = os.path.join(ROOT, "data", "fashion-mnist", "samples", "ankle-boot-0.png")


def out(name):
    return os.path.join(OUT, name)


def write(name, data):
    with open(out(name), "wb") as f:
        f.write(data)


def fifo(name):
    if os.path.lexists(out(name)):
        os.unlink(out(name))
    os.mkfifo(out(name))


# ---- a tiny VGG: one block (3→4 convolution, pool), a 16→5 classifier; 4×4 input ----

def tiny_tensors(seed=7):
    rng = np.random.default_rng(seed)
    return {
        "features.0.weight": rng.normal(0, 0.5, (4, 3, 3, 3)).astype(np.float32),
        "features.0.bias": rng.normal(0, 0.1, (4,)).astype(np.float32),
        "classifier.0.weight": rng.normal(0, 0.5, (5, 16)).astype(np.float32),
        "classifier.0.bias": rng.normal(0, 0.1, (5,)).astype(np.float32),
    }


ST_DTYPES = {np.dtype(np.float32): "F32", np.dtype(np.float16): "F16",
             np.dtype(np.int64): "I64", np.dtype(np.float64): "F64"}


def safetensors_bytes(tensors, metadata=None, header_patch=None):
    header, blobs, offset = {}, [], 0
    if metadata is not None:
        header["__metadata__"] = metadata
    for name, array in tensors.items():
        data = np.ascontiguousarray(array).tobytes()
        header[name] = {"dtype": ST_DTYPES[array.dtype], "shape": list(array.shape),
                        "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    if header_patch is not None:
        header_patch(header)
    text = json.dumps(header, ensure_ascii=False).encode()
    text += b" " * (-len(text) % 8)
    return struct.pack("<Q", len(text)) + text + b"".join(blobs)


def tiny_safetensors(name, tensors=None, metadata=None, header_patch=None):
    meta = {"format": "pt", "vgg_scope.name": "Tiny catalogue net", "vgg_scope.trained": "true"}
    if metadata is not None:
        meta.update(metadata)
    write(name, safetensors_bytes(tensors if tensors is not None else tiny_tensors(), meta,
                                  header_patch))


def with_value(name, index, value):
    tensors = tiny_tensors()
    tensors[name] = tensors[name].copy()
    tensors[name].reshape(-1)[index] = value
    return tensors


def safetensors_cases():
    tiny_safetensors("st-ok.safetensors")
    tiny_safetensors("st-nan-conv.safetensors", with_value("features.0.weight", 5, np.nan))
    tiny_safetensors("st-inf-fc8-bias.safetensors", with_value("classifier.0.bias", 2, np.inf))
    tiny_safetensors("st-neginf-fc-weight.safetensors",
                     with_value("classifier.0.weight", 17, -np.inf))
    huge = tiny_tensors()
    huge["classifier.0.weight"] = np.full((5, 16), 3e38, np.float32)   # finite, overflows
    tiny_safetensors("st-overflow.safetensors", huge)
    f16 = {k: v.astype(np.float16) for k, v in tiny_tensors().items()}
    f16["features.0.bias"][1] = np.float16(np.nan)
    tiny_safetensors("st-nan-f16.safetensors", f16)
    tiny_safetensors("st-esc-name.safetensors",
                     metadata={"vgg_scope.name": "evil\x1b]0;owned\x07\x1b[2J name\x9b31m"})
    tiny_safetensors("st-bidi-classes.safetensors",
                     metadata={"vgg_scope.classes": "cat\u202egod\nd\x1b[31mog\nthree\u2066x\n"
                                                    "four\x7f\nfive"})
    ok = safetensors_bytes(tiny_tensors(), {"format": "pt"})
    write("st-truncated.safetensors", ok[:len(ok) - 40])
    write("st-empty.safetensors", b"")
    write("st-header-too-large.safetensors", struct.pack("<Q", 200_000_000) + b"{" + b" " * 64)
    write("st-header-past-end.safetensors", struct.pack("<Q", 4096) + b"{}")
    write("st-bad-json.safetensors", struct.pack("<Q", 16) + b'{"a": [1, 2,,]} ')

    def offsets_out(header):
        header["classifier.0.bias"]["data_offsets"] = [0, 1 << 40]
    tiny_safetensors("st-offsets-out.safetensors", header_patch=offsets_out)

    def nine_dims(header):
        header["features.0.bias"]["shape"] = [1, 1, 1, 1, 1, 1, 1, 1, 4]
    tiny_safetensors("st-nine-dims.safetensors", header_patch=nine_dims)
    wrong = tiny_tensors()
    wrong["classifier.0.weight"] = np.zeros((5, 15), np.float32)
    tiny_safetensors("st-wrong-shape.safetensors", wrong)
    missing = tiny_tensors()
    del missing["classifier.0.bias"]
    tiny_safetensors("st-missing-bias.safetensors", missing)
    wide = {"features.0.weight": np.zeros((65536, 3, 3, 3), np.float16),
            "features.0.bias": np.zeros((65536,), np.float16)}
    write("st-65536-channels.safetensors", safetensors_bytes(wide, {"format": "pt"}))
    ints = tiny_tensors()
    ints["features.0.weight"] = np.zeros((4, 3, 3, 3), np.int64)
    tiny_safetensors("st-int-weights.safetensors", ints)
    fifo("st-fifo.safetensors")


# ---- PyTorch .pth, zip and legacy ----

def pth_cases():
    import torch

    def save(name, tensors, legacy=False):
        state = {k: torch.from_numpy(v.copy()) for k, v in tensors.items()}
        torch.save(state, out(name), _use_new_zipfile_serialization=not legacy)

    save("pth-ok.pth", tiny_tensors())
    save("pth-legacy-ok.pth", tiny_tensors(), legacy=True)
    save("pth-nan-conv.pth", with_value("features.0.weight", 0, np.nan))
    save("pth-legacy-inf-bias.pth", with_value("classifier.0.bias", 4, np.inf), legacy=True)
    data = open(out("pth-ok.pth"), "rb").read()
    write("pth-truncated.pth", data[:len(data) // 2])
    data = open(out("pth-legacy-ok.pth"), "rb").read()
    write("pth-legacy-truncated.pth", data[:len(data) // 2])
    shutil.copy(os.path.join(FIXTURES, "formats", "malicious.pth"), out("pth-os-system.pth"))
    shutil.copy(os.path.join(FIXTURES, "formats", "malicious-legacy.pth"),
                out("pth-legacy-os-system.pth"))
    fifo("pth-fifo.pth")
    os.makedirs(out("pth-folder.pth"), exist_ok=True)


# ---- ONNX ----

def onnx_cases():
    source = os.path.join(FIXTURES, "onnx", "narrow-vgg11-bn-folded.onnx")
    shutil.copy(source, out("onnx-ok.onnx"))
    data = open(source, "rb").read()
    write("onnx-truncated.onnx", data[:len(data) // 3])
    shutil.copy(os.path.join(FIXTURES, "onnx", "bad-external.onnx"), out("onnx-external.onnx"))
    shutil.copy(os.path.join(FIXTURES, "onnx", "bad-op.onnx"), out("onnx-bad-op.onnx"))
    import onnx
    from onnx import numpy_helper
    model = onnx.load(source)
    for init in model.graph.initializer:
        if len(init.dims) == 4:
            array = numpy_helper.to_array(init).copy()
            array.reshape(-1)[3] = np.nan
            init.CopyFrom(numpy_helper.from_array(array, init.name))
            break
    onnx.save(model, out("onnx-nan-conv.onnx"))
    fifo("onnx-fifo.onnx")


# ---- Keras HDF5: datasets and links that lead out of the file ----

def keras_cases():
    import h5py
    source = os.path.join(FIXTURES, "keras", "narrow-vgg16-keras2.h5")
    shutil.copy(source, out("h5-ok.h5"))
    shutil.copy(os.path.join(FIXTURES, "keras", "bad-damaged.h5"), out("h5-damaged.h5"))
    kernel = "block1_conv1/block1_conv1/kernel:0"
    bias = "block1_conv1/block1_conv1/bias:0"
    # the bias's 16 bytes would come from /etc/passwd
    shutil.copy(source, out("h5-external-storage.h5"))
    with h5py.File(out("h5-external-storage.h5"), "r+") as f:
        del f[bias]
        f.create_dataset(bias, shape=(4,), dtype="<f4", external=[("/etc/passwd", 0, 16)])
    # the layer's group is another file's
    with h5py.File(out("h5-elsewhere.h5"), "w") as f:
        f.create_dataset("kernel", data=np.zeros((3, 3, 3, 4), np.float32))
    shutil.copy(source, out("h5-external-link.h5"))
    with h5py.File(out("h5-external-link.h5"), "r+") as f:
        group = f["block1_conv1"]
        del group["block1_conv1"]
        group["block1_conv1"] = h5py.ExternalLink(out("h5-elsewhere.h5"), "/")
    shutil.copy(source, out("h5-external-dataset-link.h5"))
    with h5py.File(out("h5-external-dataset-link.h5"), "r+") as f:
        del f[kernel]
        f[kernel] = h5py.ExternalLink(out("h5-elsewhere.h5"), "/kernel")
    shutil.copy(source, out("h5-soft-link.h5"))
    with h5py.File(out("h5-soft-link.h5"), "r+") as f:
        f["spare_kernel"] = f[kernel][()]
        del f[kernel]
        f[kernel] = h5py.SoftLink("/spare_kernel")
    shutil.copy(source, out("h5-virtual.h5"))
    with h5py.File(out("h5-virtual.h5"), "r+") as f:
        shape = f[kernel].shape
        del f[kernel]
        layout = h5py.VirtualLayout(shape=shape, dtype="<f4")
        layout[...] = h5py.VirtualSource(out("h5-elsewhere.h5"), "kernel", shape=shape)
        f.create_virtual_dataset(kernel, layout)
    shutil.copy(source, out("h5-nan-kernel.h5"))
    with h5py.File(out("h5-nan-kernel.h5"), "r+") as f:
        data = f[kernel][()]
        data.reshape(-1)[0] = np.nan
        f[kernel][...] = data
    fifo("h5-fifo.h5")


# ---- pictures ----

def png_bytes(width, height, rows, color_type=0, bit_depth=8, idat=None, interlace=0):
    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff))
    header = struct.pack(">IIBBBBB", width, height, bit_depth, color_type, 0, 0, interlace)
    if idat is None:
        idat = zlib.compress(rows, 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def zero_rows_stream(width, height, channels):
    """The zlib stream of @height filtered rows of zeros, made row by row (no huge buffer)."""
    compressor = zlib.compressobj(9)
    row = bytes(1 + width * channels)
    parts = [compressor.compress(row) for _ in range(height)]
    parts.append(compressor.flush())
    return b"".join(parts)


def adam7_zero_stream(width, height):
    """The zlib stream of an all-black interlaced grey picture: the seven passes' rows."""
    passes = ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2),
              (0, 1, 1, 2))
    size = 0
    for x0, y0, dx, dy in passes:
        cols = (width - x0 + dx - 1) // dx
        rows = (height - y0 + dy - 1) // dy
        if cols > 0 and rows > 0:
            size += rows * (1 + cols)
    return zlib.compress(bytes(size), 9)


def jpeg_cases():
    picture = open(os.path.join(FIXTURES, "images", "picture.jpg"), "rb").read()
    shutil.copy(os.path.join(FIXTURES, "images", "picture.jpg"), out("jpg-ok.jpg"))
    shutil.copy(os.path.join(FIXTURES, "images", "progressive.jpg"), out("jpg-progressive.jpg"))
    shutil.copy(os.path.join(FIXTURES, "images", "cmyk.jpg"), out("jpg-cmyk.jpg"))
    write("jpg-truncated.jpg", picture[:len(picture) // 2])
    write("jpg-header-only.jpg", picture[:200])
    write("jpg-text.jpg", b"this is not a picture\n")
    write("jpg-empty.jpg", b"")
    # a 60000×60000 frame header: SOF0 with the dimensions patched
    at = picture.find(b"\xff\xc0")
    if at < 0:
        at = picture.find(b"\xff\xc2")
    huge = bytearray(picture)
    huge[at + 5:at + 9] = struct.pack(">HH", 60000, 60000)
    write("jpg-60000.jpg", bytes(huge))
    fifo("jpg-fifo.jpg")


def other_picture_cases():
    """WebP, GIF, BMP and TIFF: the fixtures of tools/gen-picture-formats.py, whole and cut."""
    formats = os.path.join(FIXTURES, "images", "formats")
    for ext, kind in (("webp", "webp"), ("gif", "gif"), ("bmp", "bmp"), ("tif", "tiff")):
        picture = open(os.path.join(formats, "picture." + ext), "rb").read()
        write(kind + "-ok." + ext, picture)
        write(kind + "-truncated." + ext, picture[:len(picture) // 3])
        write(kind + "-header-only." + ext, picture[:16])
        fifo(kind + "-fifo." + ext)
    shutil.copy(os.path.join(formats, "animated.webp"), out("webp-animated.webp"))
    shutil.copy(os.path.join(formats, "animated.gif"), out("gif-animated.gif"))
    write("tiff-text.tif", b"II*\x00 this is not a TIFF\n")


def png_cases():
    shutil.copy(os.path.join(FIXTURES, "images", "picture.png"), out("png-ok.png"))
    shutil.copy(os.path.join(FIXTURES, "images", "interlaced.png"), out("png-interlaced.png"))
    shutil.copy(os.path.join(FIXTURES, "images", "rgb16.png"), out("png-rgb16.png"))
    shutil.copy(os.path.join(FIXTURES, "images", "palette.png"), out("png-palette.png"))
    data = open(os.path.join(FIXTURES, "images", "picture.png"), "rb").read()
    write("png-truncated.png", data[:len(data) // 2])
    bad_crc = bytearray(data)
    bad_crc[29] ^= 0xff     # the IHDR chunk's CRC
    write("png-bad-crc.png", bytes(bad_crc))
    write("png-1x1.png", png_bytes(1, 1, b"\x00\x80"))
    write("png-zero-width.png", png_bytes(0, 10, b""))
    # over the 256-megapixel limit: 20000×20000 (only the header is read)
    write("png-over-limit.png", png_bytes(20000, 20000, b"", idat=zlib.compress(b"\x00" * 64)))
    # the worst picture the limits accept: 16384×16384 (256 megapixels) of zeros
    write("png-16384-zeros.png", png_bytes(16384, 16384, None, 0, 8,
                                           idat=zero_rows_stream(16384, 16384, 1)))
    write("png-16384-rgb-zeros.png", png_bytes(16384, 16384, None, 2, 8,
                                               idat=zero_rows_stream(16384, 16384, 3)))
    # interlaced above 16 megapixels: Adam7 would need the whole picture in memory
    write("png-interlaced-5000.png", png_bytes(5000, 5000, None, 0, 8,
                                               idat=adam7_zero_stream(5000, 5000), interlace=1))
    fifo("png-fifo.png")


# ---- .npy inputs (for the built-in model: 1×32×32) ----

def npy_header(descr, shape, fortran=False):
    text = "{'descr': '%s', 'fortran_order': %s, 'shape': %s, }" % (
        descr, "True" if fortran else "False", shape)
    text += " " * (-(len(text) + 11) % 64) + "\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(text)) + text.encode()


def npy_cases():
    rng = np.random.default_rng(3)
    good = rng.normal(0, 1, (1, 1, 32, 32)).astype(np.float32)
    np.save(out("npy-ok.npy"), good)
    bad = good.copy()
    bad[0, 0, 3, 4] = np.nan
    np.save(out("npy-nan.npy"), bad)
    bad = good.copy()
    bad[0, 0, 31, 31] = np.inf
    np.save(out("npy-inf.npy"), bad)
    np.save(out("npy-chw.npy"), good.reshape(1, 32, 32))   # (C, H, W) is accepted too
    write("npy-negative-dim.npy", npy_header("<f4", "(-1, 3, 64, 64)"))
    write("npy-huge-dim.npy", npy_header("<f4", "(%d, 4)" % (1 << 62)))
    write("npy-nine-dims.npy", npy_header("<f4", "(1, 1, 1, 1, 1, 1, 1, 1, 4)") + bytes(16))
    write("npy-truncated.npy", npy_header("<f4", "(1, 1, 32, 32)") + bytes(100))
    write("npy-object.npy", npy_header("|O", "(1,)") + bytes(8))
    write("npy-bad-magic.npy", b"\x93NUMPX" + bytes(64))
    fifo("npy-fifo.npy")


# ---- IDX (eval --data DIR): each case is a folder with the t10k images and labels ----

def idx_case(name, images, labels):
    folder = out(name)
    os.makedirs(folder, exist_ok=True)
    for kind, data in (("images-idx3-ubyte", images), ("labels-idx1-ubyte", labels)):
        path = os.path.join(folder, "t10k-" + kind)
        if os.path.lexists(path):
            os.unlink(path)
        if data is None:
            os.mkfifo(path)
        else:
            with open(path, "wb") as f:
                f.write(data)


def idx_cases():
    n = 20
    rng = np.random.default_rng(5)
    pixels = rng.integers(0, 256, (n, 28, 28), dtype=np.uint8).tobytes()
    images = struct.pack(">BBBBIII", 0, 0, 8, 3, n, 28, 28) + pixels
    labels = struct.pack(">BBBBI", 0, 0, 8, 1, n) + bytes(i % 10 for i in range(n))
    idx_case("idx-ok", images, labels)
    idx_case("idx-bad-magic", b"\x01\x02" + images[2:], labels)
    idx_case("idx-truncated", images[:1000], labels)
    idx_case("idx-float-type", images[:2] + b"\x0d" + images[3:], labels)
    idx_case("idx-two-dims", struct.pack(">BBBBII", 0, 0, 8, 2, n, 784) + pixels, labels)
    idx_case("idx-huge-dims", struct.pack(">BBBBIII", 0, 0, 8, 3, n, 100000, 28) + pixels, labels)
    idx_case("idx-count-mismatch", images,
             struct.pack(">BBBBI", 0, 0, 8, 1, n - 1) + bytes(n - 1))
    idx_case("idx-label-range", images, labels[:8] + b"\x0c" + labels[9:])
    idx_case("idx-fifo", None, labels)


def main():
    global OUT
    args = sys.argv[1:]
    stamp = None
    if "--stamp" in args:
        at = args.index("--stamp")
        stamp = args[at + 1]
        del args[at:at + 2]
    if len(args) != 1:
        sys.exit("usage: gen-bad-inputs.py OUTDIR [--stamp FILE]")
    OUT = args[0]
    os.makedirs(OUT, exist_ok=True)
    safetensors_cases()
    pth_cases()
    onnx_cases()
    keras_cases()
    jpeg_cases()
    png_cases()
    other_picture_cases()
    npy_cases()
    idx_cases()
    shutil.copy(SAMPLE, out("sample.png"))
    if stamp is not None:
        with open(stamp, "w") as f:
            f.write(OUT + "\n")


if __name__ == "__main__":
    main()
