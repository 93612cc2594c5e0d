#!/usr/bin/python3
# gen-visualize-fixtures.py — the bar a feature visualization has to clear
#
# Copyright 2026 The VGG Scope developers
# SPDX-License-Identifier: GPL-3.0-or-later
"""Write tests/fixtures/visualize/fashion-vgg-p99.txt with Debian's python3-torch and
python3-numpy, offline:

    /usr/bin/python3 tools/gen-visualize-fixtures.py [FASHION_MNIST_DIR]

For every convolution of the built-in model (data/fashion-vgg.safetensors) and every channel
of it: the 99th percentile (numpy's default, linear interpolation) over the 10,000
Fashion-MNIST test images of the channel's mean value before its ReLU. Each image is
preprocessed as `vgg-scope-cli eval` does it: the 28x28 garment centred on the black 32x32
input, values / 255. PyTorch (float32) runs the network from the file's tensors, not
the engine: the test (tests/test-visualize.c) asks the engine's visualization to beat these
numbers, so they must not come from the code under test.

One line per channel: "LAYER CHANNEL P99".
"""

import gzip
import importlib.util
import os
import struct
import sys

import numpy as np
import torch
import torch.nn.functional as F

torch.set_num_threads(2)

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
spec = importlib.util.spec_from_file_location(
    "genref", os.path.join(HERE, "gen-reference-fixtures.py"))
genref = importlib.util.module_from_spec(spec)
spec.loader.exec_module(genref)


def read_idx_images(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    magic, n, rows, cols = struct.unpack(">IIII", data[:16])
    if magic != 0x803:
        raise ValueError("%s: not an IDX image file" % path)
    return np.frombuffer(data, np.uint8, n * rows * cols, 16).reshape(n, rows, cols)


def main(argv):
    data_dir = argv[1] if len(argv) > 1 else "/usr/share/datasets/fashion-mnist"
    path = os.path.join(data_dir, "t10k-images-idx3-ubyte.gz")
    if not os.path.exists(path):
        path = path[:-3]
    images = read_idx_images(path)
    st, _, _ = genref.read_safetensors(os.path.join(ROOT, "data/fashion-vgg.safetensors"))
    convs = sorted({int(k.split(".")[1]) for k in st if k.startswith("features.")})

    n, rows, cols = images.shape
    x = np.zeros((n, 1, 32, 32), np.float32)
    y0, x0 = (32 - rows) // 2, (32 - cols) // 2
    x[:, 0, y0:y0 + rows, x0:x0 + cols] = images / 255.0
    x = torch.from_numpy(x)

    weights = []
    for idx in convs:
        weights.append((torch.from_numpy(np.array(st["features.%d.weight" % idx], np.float32)),
                        torch.from_numpy(np.array(st["features.%d.bias" % idx], np.float32))))
    names, means = [], []
    with torch.no_grad():
        for start in range(0, n, 500):        # in batches: the maps of 10,000 images
            h = x[start:start + 500]         # at once would take gigabytes
            block, conv_in_block, prev_channels = 1, 0, None
            for i, (w, b) in enumerate(weights):
                # a new block starts where the channel count changes (widths double)
                if prev_channels is not None and w.shape[0] != prev_channels:
                    h = F.max_pool2d(h, 2)
                    block, conv_in_block = block + 1, 0
                conv_in_block += 1
                pre = F.conv2d(h, w, b, padding=1)
                if start == 0:
                    names.append("conv%d_%d" % (block, conv_in_block))
                    means.append([])
                means[i].append(pre.mean(dim=(2, 3)).numpy())
                h = F.relu(pre)
                prev_channels = w.shape[0]
    lines = []
    for name, m in zip(names, means):
        p99 = np.percentile(np.concatenate(m), 99, axis=0)
        for c, v in enumerate(p99):
            lines.append("%s %d %.6f" % (name, c, v))
    out_dir = os.path.join(ROOT, "tests/fixtures/visualize")
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "fashion-vgg-p99.txt"), "w") as f:
        f.write("# written by tools/gen-visualize-fixtures.py: LAYER CHANNEL P99\n")
        f.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
