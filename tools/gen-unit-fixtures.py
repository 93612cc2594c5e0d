#!/usr/bin/python3
# Copyright 2026 The VGG Scope developers
# SPDX-License-Identifier: GPL-3.0-or-later
"""Generate tests/fixtures/unit/: single units worked out by PyTorch, for tests/test-unit.c.

Run from anywhere (offline; Debian's python3-torch 1.13, python3-numpy, python3-pil):

    /usr/bin/python3 tools/gen-unit-fixtures.py [OUT_DIR]

Deterministic (fixed seeds, one thread); needs tests/fixtures/reference/ (made by
tools/gen-reference-fixtures.py) and the built-in model data/fashion-vgg.safetensors.

Models and inputs:
  narrow-vgg16     tests/fixtures/reference/narrow-vgg16.safetensors, sample 0 of its
                   -input.npy (plain VGG, 64x64)
  narrow-vgg11-bn  the batch-norm one, sample 0 of its -input.npy
  fashion-vgg      the built-in model (data/fashion-vgg.safetensors) on
                   data/fashion-mnist/samples/ankle-boot-0.png: the 28x28 grey picture
                   divided by 255 and centred on a black 32x32 square, written to
                   OUT_DIR/fashion-vgg-input.npy (float32 (1, 32, 32))

The network runs layer by layer with torch.nn.functional in float32 as torchvision's modules
do (conv2d, batch_norm in eval mode with eps 1e-5, relu, max_pool2d 2x2/2, linear, softmax).
For every layer it picks units with a seeded generator: random ones, the one nearest zero
before its ReLU (conv and fc), a unit on the border (conv), and for pools a window whose
maximum is tied (all-zero after a ReLU, when one exists). For each unit, OUT_DIR/NAME-units.json
holds what PyTorch says, in float64 from torch's own float32 activations:

  conv     window [C_in*9] (0 in the padding), filter [C_in*9] (BN folded in float64:
           w * gamma / sqrt(var + eps)), partials [C_in] (per input channel sum of the 9
           products), bias (folded), pre (torch's float32 value before ReLU), post; with BN
           also "bn": gamma, beta, mean, var, conv_bias
  pool     window [4] row-major, argmax [y, x] in the window from max_pool2d's
           return_indices (PyTorch: the first maximum in row-major order), post
  fc       top: the 20 largest |weight x activation| (largest first, ties by input index),
           each {input, weight, activation, product}; rest (the sum of the other products),
           bias, pre, post, and next_magnitude (the 21st |product|, to judge near-ties)
  softmax  logits, exp (float64 exp of each logit), sum, probability (torch.softmax)

and "pool_ties": hand-made 2x2 windows with tied maxima in every position, each with the
argmax [y, x] and value of max_pool2d(return_indices=True).
"""

import json
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, os.pardir))
sys.path.insert(0, HERE)
import importlib.util  # noqa: E402

_spec = importlib.util.spec_from_file_location(
    "gen_reference_fixtures", os.path.join(HERE, "gen-reference-fixtures.py"))
_ref = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_ref)

EPS = 1e-5
TOP = 20


def layers_of(state):
    """The engine's layer list from torchvision-style keys: (name, kind, tensors)."""
    convs = sorted(int(k.split(".")[1]) for k, v in state.items()
                   if k.startswith("features.") and k.endswith(".weight") and v.ndim == 4)
    bn = ("features.%d.running_mean" % (convs[0] + 1)) in state
    step = 3 if bn else 2
    layers = []
    block, i = 1, 0
    for n, idx in enumerate(convs):
        i += 1
        t = {"weight": state["features.%d.weight" % idx], "bias": state["features.%d.bias" % idx]}
        if bn:
            for part in ("weight", "bias", "running_mean", "running_var"):
                t["bn_" + part] = state["features.%d.%s" % (idx + 1, part)]
        layers.append(("conv%d_%d" % (block, i), "conv", t))
        if n + 1 == len(convs) or convs[n + 1] - idx != step:
            layers.append(("pool%d" % block, "pool", None))
            block, i = block + 1, 0
    fcs = sorted(int(k.split(".")[1]) for k in state
                 if k.startswith("classifier.") and k.endswith(".weight"))
    for n, idx in enumerate(fcs):
        layers.append(("fc%d" % (block + n), "fc",
                       {"weight": state["classifier.%d.weight" % idx],
                        "bias": state["classifier.%d.bias" % idx],
                        "relu": n + 1 < len(fcs)}))
    layers.append(("prob", "softmax", None))
    return layers


def run(layers, x):
    """[(name, kind, tensors, input, pre, post)] for one sample x [C,H,W] (float32)."""
    h = torch.from_numpy(np.array(x, dtype=np.float32))[None]
    out = []
    with torch.no_grad():
        for name, kind, t in layers:
            inp = h
            if kind == "conv":
                pre = F.conv2d(h, torch.from_numpy(np.array(t["weight"])),
                               torch.from_numpy(np.array(t["bias"])), padding=1)
                if "bn_weight" in t:
                    pre = F.batch_norm(pre, torch.from_numpy(np.array(t["bn_running_mean"])),
                                       torch.from_numpy(np.array(t["bn_running_var"])),
                                       torch.from_numpy(np.array(t["bn_weight"])),
                                       torch.from_numpy(np.array(t["bn_bias"])),
                                       training=False, eps=EPS)
                h = F.relu(pre)
            elif kind == "pool":
                pre = h = F.max_pool2d(h, 2, 2)
            elif kind == "fc":
                pre = F.linear(torch.flatten(h, 1), torch.from_numpy(np.array(t["weight"])),
                               torch.from_numpy(np.array(t["bias"])))
                h = F.relu(pre) if t["relu"] else pre
            else:
                pre = h
                h = torch.softmax(h, dim=1)
            out.append((name, kind, t, inp[0].numpy().astype(np.float64),
                        pre[0].numpy().copy(), h[0].numpy().copy()))
    return out


def conv_unit(t, inp, pre, post, c, y, x):
    cin, hh, ww = inp.shape
    padded = np.zeros((cin, hh + 2, ww + 2))
    padded[:, 1:-1, 1:-1] = inp
    window = padded[:, y:y + 3, x:x + 3]
    w = np.array(t["weight"], dtype=np.float64)[c]
    b = float(t["bias"][c])
    unit = {}
    if "bn_weight" in t:
        gamma, beta = float(t["bn_weight"][c]), float(t["bn_bias"][c])
        mean, var = float(t["bn_running_mean"][c]), float(t["bn_running_var"][c])
        scale = gamma / np.sqrt(var + EPS)
        unit["bn"] = {"gamma": gamma, "beta": beta, "mean": mean, "var": var, "conv_bias": b}
        w = w * scale
        b = (b - mean) * scale + beta
    products = window * w
    unit.update({"window": window.reshape(-1).tolist(), "filter": w.reshape(-1).tolist(),
                 "partials": products.sum(axis=(1, 2)).tolist(), "bias": b,
                 "magnitude": float(np.abs(products).sum() + abs(b)),
                 "pre": float(pre[c, y, x]), "post": float(post[c, y, x])})
    return unit


def pool_unit(inp, post, c, y, x):
    window = inp[c, 2 * y:2 * y + 2, 2 * x:2 * x + 2]
    t = torch.from_numpy(inp[None].astype(np.float32))
    _, indices = F.max_pool2d(t, 2, 2, return_indices=True)
    flat = int(indices[0, c, y, x])
    iy, ix = divmod(flat, inp.shape[2])
    return {"window": window.reshape(-1).tolist(), "argmax": [iy - 2 * y, ix - 2 * x],
            "post": float(post[c, y, x])}


def fc_unit(t, inp, pre, post, c):
    a = inp.reshape(-1)
    w = np.array(t["weight"], dtype=np.float64).reshape(t["weight"].shape[0], -1)[c]
    products = w * a
    order = sorted(range(len(a)), key=lambda i: (-abs(products[i]), i))
    top = order[:TOP]
    rest = [i for i in range(len(a)) if i not in set(top)]
    return {"top": [{"input": i, "weight": w[i], "activation": a[i], "product": products[i]}
                    for i in top],
            "rest": float(sum(products[i] for i in rest)),
            "next_magnitude": float(abs(products[order[TOP]])) if len(order) > TOP else 0.0,
            "bias": float(t["bias"][c]),
            "magnitude": float(np.abs(products).sum() + abs(float(t["bias"][c]))),
            "pre": float(pre[c]), "post": float(post[c])}


def softmax_unit(inp, post, c):
    logits = inp.reshape(-1)
    exps = np.exp(logits)
    return {"logits": logits.tolist(), "exp": exps.tolist(), "sum": float(exps.sum()),
            "probability": float(post[c])}


def pool_ties():
    """Hand-made 2x2 windows with tied maxima anywhere, and max_pool2d's winner for each."""
    windows = [[0.5, 0.5, 0.5, 0.5], [0.0, 1.0, 1.0, 0.0], [0.0, 0.0, 2.0, 2.0],
               [1.0, 0.0, 1.0, 0.0], [-1.0, -1.0, -1.0, -1.0], [-3.0, -2.0, -1.0, -1.0],
               [0.0, 0.0, 0.0, 0.25], [7.0, 7.0, 0.0, 0.0]]
    t = torch.tensor(windows, dtype=torch.float32).reshape(1, len(windows), 2, 2)
    values, indices = F.max_pool2d(t, 2, 2, return_indices=True)
    return [{"window": w, "argmax": list(divmod(int(indices[0, k, 0, 0]), 2)),
             "post": float(values[0, k, 0, 0])} for k, w in enumerate(windows)]


def pick_units(rng, name, kind, inp, pre, post):
    """[(unit, why)] for one layer."""
    units = []
    if kind in ("conv", "pool"):
        cc, hh, ww = pre.shape
        for _ in range(2):
            units.append(((int(rng.integers(cc)), int(rng.integers(hh)), int(rng.integers(ww))),
                          "random"))
        if kind == "conv":
            c, y, x = np.unravel_index(int(np.argmin(np.abs(pre))), pre.shape)
            units.append(((int(c), int(y), int(x)), "near zero"))
            units.append(((int(rng.integers(cc)), 0, int(ww - 1)), "border"))
        else:
            ties = []
            for c in range(cc):
                for y in range(hh):
                    for x in range(ww):
                        win = inp[c, 2 * y:2 * y + 2, 2 * x:2 * x + 2].reshape(-1)
                        if (win == win.max()).sum() > 1:
                            ties.append((c, y, x))
            if ties:
                units.append((ties[int(rng.integers(len(ties)))], "tie"))
            units.append(((int(rng.integers(cc)), int(rng.integers(hh)), int(rng.integers(ww))),
                          "random"))
    else:
        n = pre.shape[0]
        units.append(((int(rng.integers(n)),), "random"))
        units.append(((int(rng.integers(n)),), "random"))
        if kind == "fc":
            units.append(((int(np.argmin(np.abs(pre))),), "near zero"))
        else:
            units.append(((int(np.argmax(post)),), "top class"))
    return units


def generate_one(out_dir, name, state, x, input_file, weights_file, seed):
    rng = np.random.default_rng(seed)
    units = []
    for lname, kind, t, inp, pre, post in run(layers_of(state), x):
        for unit, why in pick_units(rng, lname, kind, inp, pre, post):
            if kind == "conv":
                entry = conv_unit(t, inp, pre, post, *unit)
            elif kind == "pool":
                entry = pool_unit(inp, post, *unit)
            elif kind == "fc":
                entry = fc_unit(t, inp, pre, post, unit[0])
            else:
                entry = softmax_unit(inp, post, unit[0])
            head = {"layer": lname, "kind": kind,
                    "unit": list(unit) if len(unit) == 3 else unit[0], "why": why}
            head.update(entry)
            units.append(head)
    doc = {"model": name, "weights": weights_file, "input": input_file,
           "generator": "tools/gen-unit-fixtures.py", "torch": torch.__version__,
           "units": units, "pool_ties": pool_ties()}
    path = os.path.join(out_dir, name + "-units.json")
    with open(path + ".tmp", "w") as f:
        json.dump(doc, f, separators=(",", ":"))
        f.write("\n")
    os.replace(path + ".tmp", path)
    kinds = {}
    for u in units:
        kinds[u["kind"]] = kinds.get(u["kind"], 0) + 1
    print("%-40s %8d bytes, units %s" % (os.path.relpath(path, ROOT), os.path.getsize(path),
                                          kinds))


def main(argv):
    if len(argv) > 2 or (len(argv) == 2 and argv[1].startswith("-")):
        print(__doc__)
        return 2
    out_dir = argv[1] if len(argv) == 2 else os.path.join(ROOT, "tests", "fixtures", "unit")
    os.makedirs(out_dir, exist_ok=True)
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    ref_dir = os.path.join(ROOT, "tests", "fixtures", "reference")

    for seed, name in ((1101, "narrow-vgg16"), (1102, "narrow-vgg11-bn")):
        state, _, _ = _ref.read_safetensors(os.path.join(ref_dir, name + ".safetensors"))
        x = np.load(os.path.join(ref_dir, name + "-input.npy"))[0]
        generate_one(out_dir, name, state, x, "reference/%s-input.npy" % name,
                     "reference/%s.safetensors" % name, seed)

    from PIL import Image
    state, _, _ = _ref.read_safetensors(os.path.join(ROOT, "data", "fashion-vgg.safetensors"))
    picture = np.asarray(Image.open(os.path.join(
        ROOT, "data", "fashion-mnist", "samples", "ankle-boot-0.png")).convert("L"),
        dtype=np.float32) / np.float32(255.0)
    x = np.zeros((1, 32, 32), dtype=np.float32)
    x[0, 2:30, 2:30] = picture
    _ref.save_npy(os.path.join(out_dir, "fashion-vgg-input.npy"), x)
    generate_one(out_dir, "fashion-vgg", state, x, "unit/fashion-vgg-input.npy",
                 "built-in", 1103)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
