#!/usr/bin/python3
# Copyright 2026 The VGG Scope developers
# SPDX-License-Identifier: GPL-3.0-or-later
"""Generate the occlusion-map fixtures in tests/fixtures/occlusion/.

Run from anywhere (offline; Debian's python3-torch, python3-torchvision, numpy):

    /usr/bin/python3 tools/gen-occlusion-fixtures.py [OUT_DIR]

The models and the picture are the reference fixtures' (tools/gen-reference-fixtures.py):
tests/fixtures/reference/NAME.safetensors and sample 0 of NAME-input.npy, rebuilt here with
torchvision's own VGG pieces.  For each model and each (patch P, stride S, class k) below,
the occlusion map is computed the plain way, one full forward pass per occluded picture:

    map[i, j] = logit_k(x) - logit_k(x with x[:, iS:iS+P, jS:jS+P] = 0)

for i = 0 .. (H - P) // S, the same for j.  Written to NAME-occlusion.safetensors as F32
tensors named "p{P}-s{S}-k{k}" of shape (n_y, n_x); a deterministic, byte-identical output.
"""

import importlib.util
import os
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location(
    "gen_reference_fixtures", os.path.join(HERE, "gen-reference-fixtures.py"))
ref = importlib.util.module_from_spec(spec)
spec.loader.exec_module(ref)

# (patch, stride, class): borders reached or not, strides that do not divide the free size,
# a patch of one pixel, the whole picture
SETTINGS = {
    "narrow-vgg16": [(8, 8, 3), (13, 10, 7), (5, 3, 1), (64, 1, 0), (1, 9, 5)],
    "narrow-vgg11-bn": [(8, 8, 2), (13, 10, 4), (20, 7, 9)],
}


def occlusion_map(model, x, patch, stride, k):
    _, _, h, w = x.shape
    positions = [(y, xx) for y in range(0, h - patch + 1, stride)
                 for xx in range(0, w - patch + 1, stride)]
    with torch.no_grad():
        clean = model(x)[0, k]
        pictures = x.repeat(len(positions), 1, 1, 1)
        for n, (y, xx) in enumerate(positions):
            pictures[n, :, y:y + patch, xx:xx + patch] = 0.0
        occluded = torch.cat([model(pictures[i:i + 64])[:, k]
                              for i in range(0, len(positions), 64)])
    n_y = (h - patch) // stride + 1
    n_x = (w - patch) // stride + 1
    return (clean - occluded).reshape(n_y, n_x).numpy().astype("<f4")


def main():
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    root = os.path.dirname(HERE)
    out_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        root, "tests", "fixtures", "occlusion")
    os.makedirs(out_dir, exist_ok=True)
    models = {m[0]: m for m in ref.MODELS}

    for name, settings in SETTINGS.items():
        _, cfg, bn, _, _, _ = models[name]
        weights, _, _ = ref.read_safetensors(
            os.path.join(root, "tests", "fixtures", "reference", name + ".safetensors"))
        model = ref.NarrowVGG(cfg, bn, ref.FLAT, ref.HIDDEN, ref.CLASSES)
        model.load_state_dict({k: torch.from_numpy(np.array(v)) for k, v in weights.items()})
        model.eval()
        x = np.load(os.path.join(root, "tests", "fixtures", "reference", name + "-input.npy"))
        x = torch.from_numpy(np.array(x[:1]))

        maps = []
        for patch, stride, k in settings:
            m = occlusion_map(model, x, patch, stride, k)
            maps.append(("p%d-s%d-k%d" % (patch, stride, k), m))
            print("%s p%d s%d k%d: %s map, max |value| %.4g" %
                  (name, patch, stride, k, "x".join(map(str, m.shape)),
                   float(np.abs(m).max())))
        path = os.path.join(out_dir, name + "-occlusion.safetensors")
        ref.write_safetensors(path, maps, {"fixture.generator": "tools/gen-occlusion-fixtures.py",
                                           "fixture.torch": torch.__version__})
        back, _, _ = ref.read_safetensors(path)
        for key, m in maps:
            assert np.array_equal(back[key], m), key
        print("wrote", path, os.path.getsize(path), "bytes")


if __name__ == "__main__":
    main()
