#!/usr/bin/python3
# gen-corpus.py — the fuzz targets' seed corpus (tests/fuzz/corpus/<target>/)
#
# Copyright 2026 The VGG Scope developers
# SPDX-License-Identifier: GPL-3.0-or-later
"""Write the seed inputs of the fuzz targets (tests/fuzz/fuzz-inputs.h).

Rerun from anywhere with Debian's python3-numpy, python3-h5py and python3-onnx:

    /usr/bin/python3 tests/fuzz/gen-corpus.py

Seeds are small on purpose (libFuzzer mutates whole files; a few KB each): the smallest
test fixtures are copied (tiny .pth / safetensors nets, .npy and picture edge cases), and
the containers without such a fixture are written here for the same tiny network: a 3x3
convolution 3 -> 4 channels, ReLU, 2x2 max pool, and a classifier 16 -> 5 on 3x4x4 input
(ONNX, Keras HDF5 in three layouts), plus IDX labels and images.
"""

import os
import shutil
import struct
import sys

import h5py
import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..", "fixtures")

COPIES = {
    "safetensors": ["formats/tiny.safetensors"],
    "pth": ["formats/tiny.pth", "formats/tiny-legacy.pth", "formats/tiny-legacy-proto4.pth",
            "formats/tiny-legacy-old.pth", "formats/tiny-deflated.pth", "formats/views.pth",
            "formats/malicious-legacy.pth"],
    "npy": ["images/numpy-f4.npy", "images/numpy-f8.npy", "images/numpy-fortran.npy",
            "images/numpy-u1.npy", "images/numpy-v2.npy", "images/numpy-scalar.npy"],
    "image": ["images/small.png", "images/grey-alpha.png", "images/palette.png",
              "images/interlaced.png", "images/rgb16.png", "images/exif-6.jpg",
              "images/grey.jpg", "images/cmyk.jpg", "images/progressive.jpg",
              # the other decoders (tools/gen-picture-formats.py makes these): the
              # smallest file of each kind, a few hundred bytes to a few KB
              "images/formats/rgba.webp", "images/formats/rgba-lossy.webp",
              "images/formats/palette.gif", "images/formats/transparent.gif",
              "images/formats/interlaced.gif", "images/formats/animated.gif",
              "images/formats/bilevel.bmp", "images/formats/palette.bmp",
              "images/formats/grey.bmp", "images/formats/grey.tif",
              "images/formats/palette.tif", "images/formats/rgba.tif"],
}


def tiny_weights():
    rng = np.random.default_rng(20260107)
    conv_w = rng.standard_normal((4, 3, 3, 3)).astype("<f4")   # torch layout [out, in, kh, kw]
    conv_b = rng.standard_normal(4).astype("<f4")
    fc_w = rng.standard_normal((5, 16)).astype("<f4")           # [out, in], input C,H,W order
    fc_b = rng.standard_normal(5).astype("<f4")
    return conv_w, conv_b, fc_w, fc_b


def write_onnx(path):
    conv_w, conv_b, fc_w, fc_b = tiny_weights()
    inits = [numpy_helper.from_array(a, name) for a, name in
             [(conv_w, "features.0.weight"), (conv_b, "features.0.bias"),
              (fc_w, "classifier.0.weight"), (fc_b, "classifier.0.bias")]]
    nodes = [
        helper.make_node("Conv", ["input", "features.0.weight", "features.0.bias"], ["c"],
                         kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["c"], ["r"]),
        helper.make_node("MaxPool", ["r"], ["p"], kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("Flatten", ["p"], ["f"], axis=1),
        helper.make_node("Gemm", ["f", "classifier.0.weight", "classifier.0.bias"], ["output"],
                         transB=1),
    ]
    graph = helper.make_graph(
        nodes, "tiny",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["batch", 3, 4, 4])],
        [helper.make_tensor_value_info("output", TensorProto.FLOAT, ["batch", 5])],
        inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)],
                              producer_name="vgg-scope gen-corpus")
    onnx.checker.check_model(model)
    onnx.save(model, path)


def keras_layers():
    conv_w, conv_b, fc_w, fc_b = tiny_weights()
    # torch [out, C*H*W] with input C,H,W  ->  keras [H*W*C, out] with input H,W,C
    nhwc = fc_w.reshape(5, 4, 2, 2).transpose(0, 2, 3, 1).reshape(5, 16)
    return [("input_1", []),
            ("block1_conv1", [np.ascontiguousarray(conv_w.transpose(2, 3, 1, 0)), conv_b]),
            ("block1_pool", []),
            ("flatten", []),
            ("predictions", [np.ascontiguousarray(nhwc.T), fc_b])]


def names_attr(names):
    return np.array([n.encode("utf8") for n in names])


def write_keras_published(path):
    layers = keras_layers()
    with h5py.File(path, "w", libver="earliest") as f:
        f.attrs["layer_names"] = names_attr([n for n, _ in layers])
        for name, weights in layers:
            g = f.create_group(name)
            wnames = ["%s_%s_1:0" % (name, s) for s in "Wb"][:len(weights)]
            g.attrs["weight_names"] = names_attr(wnames) if weights else np.asarray([])
            for wname, a in zip(wnames, weights):
                g.create_dataset(wname, data=a, track_times=False)


def write_keras2_model(path):
    layers = keras_layers()
    with h5py.File(path, "w", libver="latest") as f:
        f.attrs["keras_version"] = b"2.11.0"
        root = f.create_group("model_weights")
        root.attrs["layer_names"] = names_attr([n for n, _ in layers])
        for name, weights in layers:
            g = root.create_group(name)
            wnames = ["%s/%s:0" % (name, s) for s in ("kernel", "bias")][:len(weights)]
            g.attrs["weight_names"] = names_attr(wnames) if weights else np.asarray([])
            for wname, a in zip(wnames, weights):
                g.create_dataset(wname, data=a, track_times=False)


def write_keras3(path):
    classes = {"input_1": "input_layer", "block1_conv1": "conv2d",
               "block1_pool": "max_pooling2d", "flatten": "flatten", "predictions": "dense"}
    with h5py.File(path, "w") as f:
        top = f.create_group("layers")
        for name, weights in keras_layers():
            v = top.create_group(classes[name]).create_group("vars")
            for i, a in enumerate(weights):
                v.create_dataset(str(i), data=a, track_times=False)


def write_idx(path, magic_dims, dims, data):
    with open(path, "wb") as f:
        f.write(bytes([0, 0, 8, magic_dims]))
        f.write(b"".join(struct.pack(">I", d) for d in dims))
        f.write(bytes(data))


def main():
    corpus = os.path.join(HERE, "corpus")
    for target, files in COPIES.items():
        os.makedirs(os.path.join(corpus, target), exist_ok=True)
        for name in files:
            shutil.copyfile(os.path.join(FIXTURES, name),
                            os.path.join(corpus, target, os.path.basename(name)))

    out = os.path.join(corpus, "onnx")
    os.makedirs(out, exist_ok=True)
    write_onnx(os.path.join(out, "tiny.onnx"))

    out = os.path.join(corpus, "keras-h5")
    os.makedirs(out, exist_ok=True)
    write_keras_published(os.path.join(out, "tiny-published.h5"))
    write_keras2_model(os.path.join(out, "tiny-keras2-model.h5"))
    write_keras3(os.path.join(out, "tiny-keras3.weights.h5"))

    out = os.path.join(corpus, "idx")
    os.makedirs(out, exist_ok=True)
    write_idx(os.path.join(out, "labels.idx1"), 1, [3], [0, 9, 4])
    write_idx(os.path.join(out, "images.idx3"), 3, [2, 4, 4], range(32))
    write_idx(os.path.join(out, "empty.idx3"), 3, [0, 28, 28], [])
    return 0


if __name__ == "__main__":
    sys.exit(main())
