#!/usr/bin/python3
# gen-keras-fixtures.py — Keras HDF5 weight files for tests/test-keras.c
#
# Copyright 2026 The VGG Scope developers
# SPDX-License-Identifier: GPL-3.0-or-later
"""Generate the Keras fixtures in tests/fixtures/keras/ from the torchvision
reference network tests/fixtures/reference/narrow-vgg16.safetensors.

Rerun from anywhere with Debian's python3-h5py and python3-numpy (TensorFlow
and Keras are not needed, and not installed: the files are written with h5py
following the layouts Keras itself writes):

    /usr/bin/python3 tools/gen-keras-fixtures.py [OUT_DIR]

The network is narrow-vgg16 (config D, widths / 16, input 3x64x64, pool5
32x2x2, classifier 128 -> 24 -> 24 -> 10; see tests/fixtures/README.md) with
its layers renamed the way keras.applications.VGG16 names them: block1_conv1
... block5_conv3, fc1, fc2, predictions.  The weights are converted from the
torchvision layout:

  conv kernels   OIHW -> HWIO (3, 3, in, out)
  dense kernels  [out, in] -> (in, out)
  fc1 rows       C,H,W flatten order -> H,W,C order (Keras flattens NHWC):
                 keras_row (h*W + w)*C + c = torch_column c*H*W + h*W + w

so a loader that undoes this must give back narrow-vgg16 exactly, and its
outputs must match tests/fixtures/reference/narrow-vgg16-outputs.safetensors.

Files:

  narrow-vgg16-published.h5    the layout of the published
                               vgg16_weights_tf_dim_ordering_tf_kernels.h5:
                               root attribute layer_names (every layer,
                               input_1 and pools included), one group per
                               layer with attribute weight_names
                               ([b'block1_conv1_W_1:0', b'block1_conv1_b_1:0'],
                               an empty float array for layers without
                               weights), datasets directly in the group
  narrow-vgg16-notop.h5        the same without flatten/fc1/fc2/predictions
                               (like ..._notop.h5): feature maps only
  narrow-vgg16-keras2.h5       Keras 2 Model.save_weights(): layer_names,
                               backend, keras_version; weight_names
                               [b'block1_conv1/kernel:0', ...] resolved
                               relative to the layer's group
  narrow-vgg16-keras2-model.h5 Keras 2 Model.save(): the same under a
                               model_weights group (plus a model_config)
  narrow-vgg16-keras3.weights.h5
                               Keras 3 Model.save_weights(): no attributes;
                               layers/<group>/vars/0 (kernel), vars/1 (bias),
                               where Keras 3 names each group after the layer's
                               class, numbered in model order (input_layer,
                               conv2d, conv2d_1, ..., max_pooling2d, ...,
                               flatten, dense, dense_1, dense_2), so the
                               blocks must be inferred from the widths and
                               the number of max_pooling2d groups
  narrow-vgg16-userblock.h5    the published layout with a 512-byte user block
                               (the HDF5 signature at offset 512)

Malformed files (valid HDF5, wrong content), each must be refused with a
message naming the dataset or layer:

  bad-shape.h5          fc2's kernel is (24, 23)
  bad-missing.h5        weight_names names a dataset that does not exist
  bad-layer.h5          a Conv layer called 'conv2d_7' (not a Keras VGG name)
  bad-int.h5            block1_conv1's kernel is stored as int32
  bad-damaged.h5        narrow-vgg16-published.h5 with byte 837 (inside an object
                        header) set to 0x7b: libhdf5 1.10.8 reads out of bounds on
                        it and crashes or misreads, depending on the heap (found by
                        fuzzing); the loader reads HDF5 in a child process, so
                        either way the load just fails
"""

import importlib.util
import os
import sys

import h5py
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def load_reference_module():
    spec = importlib.util.spec_from_file_location(
        "gen_reference_fixtures", os.path.join(HERE, "gen-reference-fixtures.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def read_state(path):
    """The torchvision state dict of narrow-vgg16, parsed with the reference
    generator's safetensors reader (no torch needed for that)."""
    ref = load_reference_module()
    tensors, _, _ = ref.read_safetensors(path)
    return tensors


BLOCKS = [2, 2, 3, 3, 3]   # config D


def keras_layers(state, top=True):
    """[(layer_name, [(weight_suffix, array)])] in model order, with the
    weight-free layers (input, pools, flatten) given an empty list."""
    layers = [("input_1", [])]
    index = 0
    for b, n in enumerate(BLOCKS, start=1):
        for k in range(1, n + 1):
            w = np.asarray(state["features.%d.weight" % index], dtype="<f4")
            bias = np.asarray(state["features.%d.bias" % index], dtype="<f4")
            layers.append(("block%d_conv%d" % (b, k),
                           [("kernel", np.ascontiguousarray(w.transpose(2, 3, 1, 0))),
                            ("bias", bias.copy())]))
            index += 2
        layers.append(("block%d_pool" % b, []))
        index += 1
    if not top:
        return layers
    layers.append(("flatten", []))
    c = 32                                                       # pool5 channels
    w0 = np.asarray(state["classifier.0.weight"], dtype="<f4")     # [out, c*h*w]
    out, flat = w0.shape
    side = int(round((flat / c) ** 0.5))
    assert c * side * side == flat
    # torch column c*H*W + h*W + w  ->  keras row (h*W + w)*C + c
    nhwc = w0.reshape(out, c, side, side).transpose(0, 2, 3, 1).reshape(out, flat)
    dense = [("fc1", nhwc, state["classifier.0.bias"]),
             ("fc2", state["classifier.3.weight"], state["classifier.3.bias"]),
             ("predictions", state["classifier.6.weight"], state["classifier.6.bias"])]
    for name, w, bias in dense:
        layers.append((name, [("kernel", np.ascontiguousarray(np.asarray(w, dtype="<f4").T)),
                              ("bias", np.asarray(bias, dtype="<f4").copy())]))
    return layers


def names_attr(names):
    """Keras stores name lists as fixed-length byte strings (numpy 'S')."""
    return np.array([n.encode("utf8") for n in names])


def empty_attr():
    return np.asarray([])   # what np.asarray([]) gives Keras 2 for no weights: float64 (0,)


def write_published(path, layers, userblock=0, mutate=None):
    kwargs = {"userblock_size": userblock} if userblock else {}
    with h5py.File(path, "w", **kwargs) as f:
        f.attrs["layer_names"] = names_attr([n for n, _ in layers])
        for name, weights in layers:
            g = f.create_group(name)
            wnames = ["%s_%s_1:0" % (name, "W" if s == "kernel" else "b") for s, _ in weights]
            g.attrs["weight_names"] = names_attr(wnames) if weights else empty_attr()
            for wname, (_, a) in zip(wnames, weights):
                g.create_dataset(wname, data=a, track_times=False)
        if mutate:
            mutate(f)


def write_keras2(path, layers, under=None):
    with h5py.File(path, "w") as f:
        root = f
        if under:
            f.attrs["keras_version"] = b"2.11.0"
            f.attrs["backend"] = b"tensorflow"
            f.attrs["model_config"] = b'{"class_name": "Functional", "config": {}}'
            root = f.create_group(under)
        root.attrs["layer_names"] = names_attr([n for n, _ in layers])
        root.attrs["backend"] = b"tensorflow"
        root.attrs["keras_version"] = b"2.11.0"
        for name, weights in layers:
            g = root.create_group(name)
            wnames = ["%s/%s:0" % (name, s) for s, _ in weights]
            g.attrs["weight_names"] = names_attr(wnames) if weights else empty_attr()
            for wname, (_, a) in zip(wnames, weights):
                g.create_dataset(wname, data=a, track_times=False)


def keras3_class_name(name):
    """Keras 3 names the groups after the layer classes, not the layers."""
    if name == "input_1":
        return "input_layer"
    if "_conv" in name:
        return "conv2d"
    if name.endswith("_pool"):
        return "max_pooling2d"
    if name == "flatten":
        return "flatten"
    return "dense"


def write_keras3(path, layers):
    """saving_lib._save_container_state: snake_case(class name), then _1, _2, … in model
    order; a group (with an empty vars group) for every layer."""
    used = {}
    with h5py.File(path, "w") as f:
        f.create_group("vars")
        top = f.create_group("layers")
        for name, weights in layers:
            base = keras3_class_name(name)
            group = base if base not in used else "%s_%d" % (base, used[base] + 1)
            used[base] = used.get(base, -1) + 1
            v = top.create_group(group).create_group("vars")
            for i, (_, a) in enumerate(weights):
                v.create_dataset(str(i), data=a, track_times=False)
        f.create_group("optimizer").create_group("vars")


def keras3_groups(layers):
    used, names = {}, {}
    for name, _ in layers:
        base = keras3_class_name(name)
        names[name] = base if base not in used else "%s_%d" % (base, used[base] + 1)
        used[base] = used.get(base, -1) + 1
    return names


def check_roundtrip(path, state, layout):
    """Read a written file back with h5py and undo the conversion."""
    with h5py.File(path, "r") as f:
        if layout == "keras3":
            groups = keras3_groups(keras_layers(state))
            get = lambda layer, i: f["layers/%s/vars/%d" % (groups[layer], i)][()]
        else:
            root = f["model_weights"] if "model_weights" in f else f
            def get(layer, i):
                g = root[layer]
                return g[g.attrs["weight_names"][i].decode()][()]
        index = 0
        for b, n in enumerate(BLOCKS, start=1):
            for k in range(1, n + 1):
                w = get("block%d_conv%d" % (b, k), 0).transpose(3, 2, 0, 1)
                assert np.array_equal(w, state["features.%d.weight" % index])
                assert np.array_equal(get("block%d_conv%d" % (b, k), 1),
                                      state["features.%d.bias" % index])
                index += 2
            index += 1
        k1 = get("fc1", 0)                                    # (h*w*c, out)
        back = k1.T.reshape(-1, 2, 2, 32).transpose(0, 3, 1, 2).reshape(k1.shape[1], -1)
        assert np.array_equal(back, state["classifier.0.weight"])
        assert np.array_equal(get("predictions", 0).T, state["classifier.6.weight"])


def main(argv):
    out_dir = argv[1] if len(argv) > 1 else os.path.join(ROOT, "tests", "fixtures", "keras")
    os.makedirs(out_dir, exist_ok=True)
    state = read_state(os.path.join(ROOT, "tests", "fixtures", "reference",
                                    "narrow-vgg16.safetensors"))
    full = keras_layers(state)
    notop = keras_layers(state, top=False)
    p = lambda name: os.path.join(out_dir, name)

    write_published(p("narrow-vgg16-published.h5"), full)
    check_roundtrip(p("narrow-vgg16-published.h5"), state, "published")
    write_published(p("narrow-vgg16-notop.h5"), notop)
    write_published(p("narrow-vgg16-userblock.h5"), full, userblock=512)
    check_roundtrip(p("narrow-vgg16-userblock.h5"), state, "published")
    write_keras2(p("narrow-vgg16-keras2.h5"), full)
    check_roundtrip(p("narrow-vgg16-keras2.h5"), state, "keras2")
    write_keras2(p("narrow-vgg16-keras2-model.h5"), full, under="model_weights")
    check_roundtrip(p("narrow-vgg16-keras2-model.h5"), state, "keras2")
    write_keras3(p("narrow-vgg16-keras3.weights.h5"), full)
    check_roundtrip(p("narrow-vgg16-keras3.weights.h5"), state, "keras3")

    def bad_shape(f):
        del f["fc2/fc2_W_1:0"]
        f["fc2"].create_dataset("fc2_W_1:0", data=np.ones((24, 23), dtype="<f4"))

    def bad_missing(f):
        del f["block3_conv2/block3_conv2_b_1:0"]

    def bad_int(f):
        del f["block1_conv1/block1_conv1_W_1:0"]
        f["block1_conv1"].create_dataset("block1_conv1_W_1:0",
                                         data=np.ones((3, 3, 3, 4), dtype="<i4"))

    write_published(p("bad-shape.h5"), full, mutate=bad_shape)
    write_published(p("bad-missing.h5"), full, mutate=bad_missing)
    write_published(p("bad-int.h5"), full, mutate=bad_int)
    renamed = [("conv2d_7" if n == "block2_conv1" else n, w) for n, w in full]
    write_published(p("bad-layer.h5"), renamed)

    # one byte of an object header changed: libhdf5 1.10.8 reads out of bounds on it (found by
    # fuzzing); the loader must report an error instead of crashing
    with open(p("narrow-vgg16-published.h5"), "rb") as f:
        damaged = bytearray(f.read())
    assert damaged[837] == 0
    damaged[837] = 0x7b
    with open(p("bad-damaged.h5"), "wb") as f:
        f.write(damaged)

    for name in sorted(os.listdir(out_dir)):
        print("%-36s %8d bytes" % (name, os.path.getsize(p(name))))


if __name__ == "__main__":
    main(sys.argv)
