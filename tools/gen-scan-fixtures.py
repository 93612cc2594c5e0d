#!/usr/bin/python3
# Copyright 2026 The VGG Scope developers
# SPDX-License-Identifier: GPL-3.0-or-later
"""Generate the data-set scan fixtures in tests/fixtures/scan/.

Run from the repository (offline; Debian's python3-torch, numpy, dataset-fashion-mnist):

    /usr/bin/python3 tools/gen-scan-fixtures.py [OUT_DIR]

A small data set: the first 40 Fashion-MNIST test images, then an all-black image (every
channel ties with every other such image), exact copies of images 3 and 7 (ties between
images: the lower index must come first) and a flat dark grey one; 44 images of 28 x 28.
Written three ways:
  images-idx3-ubyte               an uncompressed IDX file
  t10k/t10k-images-idx3-ubyte.gz  the same, gzip-compressed, as Fashion-MNIST's folder holds it
  pictures/                       the same images as grey PNGs under names whose bytewise
                                  order is not their natural order, in subfolders, with a
                                  damaged broken.png among them (skipped and counted), a
                                  notes.txt and a .hidden.png (neither is a picture of the
                                  data set)
The model is the built-in one (data/fashion-vgg.safetensors, read here with numpy) run with
torch's own conv2d / relu / max_pool2d on each image centred on the black 32 x 32 input (as
`vgg-scope-cli eval` feeds it; a 28 x 28 picture with a dark border goes through the
fashion-mnist preset unchanged). expected.json holds, for every channel of every conv layer,
the top K = 5 images: value = the channel's largest unit after ReLU (first in row-major order
on ties: numpy's argmax), ranked by value, ties to the lower index (a stable sort). Each hit
carries "clear": whether float32 rounding could reorder it (the gap to its neighbours in the
ranking and to the map's runner-up unit is more than 1e-3 of the layer's largest value, or,
for a value of exactly 0, the channel's largest pre-activation on that image is below
-1e-3 of it); the test holds only clear hits to the exact image and position.
"""

import gzip
import json
import os
import struct
import sys
import zlib

import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
FASHION = "/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz"
K = 5

# the pictures' names: sorted bytewise they are NOT in this order (upper case first, '_' after
# letters' upper case, subfolders by their names); image i of the IDX file gets NAMES[i]
def picture_names(n):
    names = []
    for i in range(n):
        folder = ["", "a/", "B/", "a/deep/"][i % 4]
        stem = ["img", "Img", "img_", "x"][(i // 4) % 4]
        names.append(f"{folder}{stem}{i:02d}.png")
    return names


def load_safetensors(path):
    data = open(path, "rb").read()
    n = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8:8 + n])
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        begin, end = info["data_offsets"]
        array = np.frombuffer(data[8 + n + begin:8 + n + end], dtype=np.float32)
        tensors[name] = torch.from_numpy(array.reshape(info["shape"]).copy())
    return tensors


def conv_layers(tensors):
    """(name, weight, bias, pool_after) for features.N in order, torchvision's numbering."""
    indices = sorted(int(k.split(".")[1]) for k in tensors if k.startswith("features.")
                     and k.endswith(".weight"))
    layers, block, conv = [], 1, 1
    for j, i in enumerate(indices):
        pool = j + 1 == len(indices) or indices[j + 1] == i + 3
        layers.append((f"conv{block}_{conv}", tensors[f"features.{i}.weight"],
                       tensors[f"features.{i}.bias"], pool))
        conv += 1
        if pool:
            block, conv = block + 1, 1
    return layers


def png_grey(pixels):
    height, width = pixels.shape
    raw = b"".join(b"\0" + pixels[y].tobytes() for y in range(height))

    def chunk(kind, body):
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body) & 0xffffffff))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0,
                                                              0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def idx_bytes(images):
    n, rows, cols = images.shape
    return struct.pack(">IIII", 0x803, n, rows, cols) + images.astype(np.uint8).tobytes()


def top_hits(values, pre_max, positions, order_ok, margin):
    """values [N, C] per image, pre_max [N, C], positions [N, C, 2]; order_ok [N] images that
    count. Returns per channel the K hits with their "clear" flags."""
    result = []
    n_images, channels = values.shape
    candidates = np.nonzero(order_ok)[0]
    for c in range(channels):
        v = values[candidates, c]
        order = candidates[np.argsort(-v, kind="stable")]
        hits = []
        for r, image in enumerate(order[:K]):
            value = float(values[image, c])
            neighbours = [values[order[s], c] for s in (r - 1, r + 1) if 0 <= s < len(order)]
            gap = min([abs(value - float(u)) for u in neighbours] + [np.inf])
            if value == 0.0:
                # every image at 0 must stay at 0 (and at (0, 0)) under any rounding
                zeros = candidates[values[candidates, c] == 0.0]
                clear = bool(np.all(pre_max[zeros, c] < -margin))
            else:
                clear = gap > margin and positions[image, c, 2] > margin
            hits.append({"image": int(image), "value": value,
                         "y": int(positions[image, c, 0]), "x": int(positions[image, c, 1]),
                         "clear": bool(clear)})
        result.append(hits)
    return result


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "tests", "fixtures", "scan")
    with gzip.open(FASHION, "rb") as f:
        data = f.read()
    n, rows, cols = struct.unpack(">III", data[4:16])
    fashion = np.frombuffer(data[16:16 + 40 * rows * cols], dtype=np.uint8).reshape(40, rows, cols)
    extra = [np.zeros((28, 28), np.uint8), fashion[3], fashion[7], np.full((28, 28), 40, np.uint8)]
    images = np.concatenate([fashion, np.stack(extra)])

    os.makedirs(os.path.join(out, "t10k"), exist_ok=True)
    with open(os.path.join(out, "images-idx3-ubyte"), "wb") as f:
        f.write(idx_bytes(images))
    with open(os.path.join(out, "t10k", "t10k-images-idx3-ubyte.gz"), "wb") as f:
        f.write(gzip.compress(idx_bytes(images), mtime=0))

    names = picture_names(len(images))
    pictures = os.path.join(out, "pictures")
    for name, image in zip(names, images):
        os.makedirs(os.path.dirname(os.path.join(pictures, name)), exist_ok=True)
        with open(os.path.join(pictures, name), "wb") as f:
            f.write(png_grey(image))
    with open(os.path.join(pictures, "a", "broken.png"), "wb") as f:
        f.write(png_grey(images[0])[:90])     # the header and a cut IDAT
    with open(os.path.join(pictures, "notes.txt"), "w") as f:
        f.write("not a picture\n")
    with open(os.path.join(pictures, ".hidden.png"), "wb") as f:
        f.write(png_grey(images[1]))
    listing = sorted(names + ["a/broken.png"], key=lambda s: s.encode())

    tensors = load_safetensors(os.path.join(ROOT, "data", "fashion-vgg.safetensors"))
    x = torch.zeros(len(images), 1, 32, 32)
    x[:, 0, 2:30, 2:30] = torch.from_numpy(images.astype(np.float32)) / 255.0

    torch.set_grad_enabled(False)
    expected = {"k": K, "layers": [], "idx": {}, "folder": {}, "folder_listing": listing}
    order_idx = np.ones(len(images), bool)
    # folder image j is listing[j]; it shows IDX image names.index(listing[j]) unless broken
    folder_source = [names.index(name) if name in names else -1 for name in listing]
    order_folder = np.array([s >= 0 for s in folder_source])
    for name, weight, bias, pool in conv_layers(tensors):
        pre = F.conv2d(x, weight, bias, padding=1).double().float()
        out_map = F.relu(pre)
        b, c, h, w = out_map.shape
        flat = out_map.reshape(b, c, h * w).numpy()
        best = flat.argmax(axis=2)                   # first maximum in row-major order
        values = np.take_along_axis(flat, best[..., None], axis=2)[..., 0]
        runner = np.sort(flat, axis=2)[..., -2]
        # positions: y, x and the gap to the runner-up (0 when the maximum is not unique)
        positions = np.stack([best // w, best % w, values - runner], axis=2)
        pre_max = pre.reshape(b, c, h * w).numpy().max(axis=2)
        margin = 1e-3 * float(values.max())
        expected["layers"].append(name)
        expected["idx"][name] = top_hits(values, pre_max, positions, order_idx, margin)
        fv = np.stack([values[s] if s >= 0 else np.zeros(c, np.float32) for s in folder_source])
        fp = np.stack([pre_max[s] if s >= 0 else np.zeros(c, np.float32) for s in folder_source])
        fpos = np.stack([positions[s] if s >= 0 else np.zeros((c, 3)) for s in folder_source])
        expected["folder"][name] = top_hits(fv, fp, fpos, order_folder, margin)
        x = F.max_pool2d(out_map, 2) if pool else out_map
    with open(os.path.join(out, "expected.json"), "w") as f:
        json.dump(expected, f, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
