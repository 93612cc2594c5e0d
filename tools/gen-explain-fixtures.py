#!/usr/bin/python3
# gen-explain-fixtures.py — PyTorch autograd references for the explanation methods
#
# Copyright 2026 The VGG Scope developers
# SPDX-License-Identifier: GPL-3.0-or-later
"""Generate tests/fixtures/explain/NAME-explain.safetensors for the narrow VGGs of
tests/fixtures/reference/ (narrow-vgg16: plain; narrow-vgg11-bn: batch norm, which the
engine folds at load and PyTorch runs in eval mode), with Debian's python3-torch 1.13 /
python3-torchvision 0.14, offline:

    /usr/bin/python3 tools/gen-explain-fixtures.py

Every map is computed by autograd on float32 in eval mode from sample 0 of
NAME-input.npy (the input x, 3x64x64):

  saliency           d logit_k / dx, k the top class           [3,64,64]
  saliency.class3    the same for class 3
  gradcam.L          ReLU(sum_c mean(dlogit_k/dA_c) A_c), L the last conv and pool4
  guided, deconv     ReLU backward hooks: grad_in = [z>0] max(grad_out,0) / max(grad_out,0)
  guided.unit, deconv.unit   projection of unit UNIT (in LAYER_UNIT) seeded before its ReLU
  guided-gradcam     guided * interpolate(gradcam.lastconv, bilinear, align_corners=False)
  ig                 integrated gradients, zero baseline, IG_STEPS midpoint steps
  erf.conv, erf.pool d z / dx for ERF units (z before the ReLU; the pool's output)
  erf.mean           mean over both samples of |d z / dx| for the conv ERF unit
  smoothgrad         mean of d logit_k / d(x + sigma * noise_j) over the given noise
  smoothgrad.noise   the standard normal noise used (the engine's generator differs)
plus scalars as 1-element tensors (class, logits, IG's baseline logit).
"""

import importlib.util
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
spec = importlib.util.spec_from_file_location(
    "genref", os.path.join(HERE, "gen-reference-fixtures.py"))
genref = importlib.util.module_from_spec(spec)
spec.loader.exec_module(genref)

IG_STEPS = 8
SMOOTH_N, SMOOTH_SIGMA = 3, 0.3
# (layer name, unit (c, y, x)) per model
UNITS = {
    "narrow-vgg16": {"erf.conv": ("conv3_2", (5, 7, 9)), "erf.pool": ("pool2", (3, 6, 4)),
                     "unit": ("conv4_1", (2, 2, 3))},
    "narrow-vgg11-bn": {"erf.conv": ("conv3_2", (5, 7, 9)), "erf.pool": ("pool2", (3, 6, 4)),
                        "unit": ("conv4_1", (2, 2, 3))},
}


def load_model(name):
    cfg = {m[0]: m for m in genref.MODELS}[name]
    _, layers, bn, seed, fc8_scale, _ = cfg
    model = genref.build_model(layers, bn, seed, fc8_scale)
    st, _, _ = genref.read_safetensors(
        os.path.join(ROOT, "tests/fixtures/reference", name + ".safetensors"))
    model.load_state_dict({k: torch.from_numpy(np.array(v)) for k, v in st.items()})
    # non-inplace ReLUs, so backward hooks see clean tensors
    for seq in (model.features, model.classifier):
        for i, m in enumerate(seq):
            if isinstance(m, nn.ReLU):
                seq[i] = nn.ReLU(inplace=False)
    model.eval()
    return model


def layer_modules(model):
    """Caffe-style names -> index of the module in features whose output is that layer's
    value before the ReLU (conv: the conv or its BN; pool: the pool)."""
    names, block, conv = {}, 1, 0
    feats = list(model.features)
    for i, m in enumerate(feats):
        if isinstance(m, nn.Conv2d):
            conv += 1
            j = i + 1 if i + 1 < len(feats) and isinstance(feats[i + 1], nn.BatchNorm2d) else i
            names["conv%d_%d" % (block, conv)] = j
        elif isinstance(m, nn.MaxPool2d):
            names["pool%d" % block] = i
            block, conv = block + 1, 0
    return names


def run_features(model, x, upto=None):
    """features up to module index upto (inclusive); returns every module's output"""
    outs = []
    h = x
    for i, m in enumerate(model.features):
        h = m(h)
        outs.append(h)
        if upto is not None and i == upto:
            break
    return outs


def logits_of(model, x):
    return model.classifier(torch.flatten(model.features(x), 1))


class ReluRule:
    def __init__(self, model, rule):
        self.handles = []
        for m in list(model.features) + list(model.classifier):
            if isinstance(m, nn.ReLU):
                self.handles.append(m.register_full_backward_hook(self.hook))
        self.rule = rule

    def hook(self, module, grad_input, grad_output):
        if self.rule == "guided":
            return (grad_input[0].clamp(min=0),)
        return (grad_output[0].clamp(min=0),)

    def remove(self):
        for h in self.handles:
            h.remove()


def class_gradient(model, x, k, rule=None):
    x = x.clone().requires_grad_(True)
    hooks = ReluRule(model, rule) if rule else None
    logits = logits_of(model, x)
    logits[0, k].backward()
    if hooks:
        hooks.remove()
    return x.grad[0].detach()


def unit_gradient(model, x, index, unit, rule=None):
    c, y, xx = unit
    x = x.clone().requires_grad_(True)
    hooks = ReluRule(model, rule) if rule else None
    outs = run_features(model, x, index)
    outs[index][0, c, y, xx].backward()
    if hooks:
        hooks.remove()
    return x.grad[0].detach(), float(outs[index][0, c, y, xx])


def gradcam(model, x, k, index, is_conv):
    """A: the output of module index (+1 for a conv: its ReLU)"""
    feats = list(model.features)
    a_index = index + 1 if is_conv else index
    h = x
    a = None
    for i, m in enumerate(feats):
        h = m(h)
        if i == a_index:
            h.retain_grad()
            a = h
    logits = model.classifier(torch.flatten(h, 1))
    logits[0, k].backward()
    alpha = a.grad[0].mean(dim=(1, 2))
    cam = torch.relu((alpha[:, None, None] * a[0]).sum(0))
    return cam.detach()


def generate():
    torch.set_num_threads(1)
    torch.manual_seed(0)
    out_dir = os.path.join(ROOT, "tests/fixtures/explain")
    os.makedirs(out_dir, exist_ok=True)
    for name in ("narrow-vgg16", "narrow-vgg11-bn"):
        model = load_model(name)
        names = layer_modules(model)
        xs = torch.from_numpy(np.load(os.path.join(ROOT, "tests/fixtures/reference",
                                                   name + "-input.npy")))
        x = xs[0:1].clone()
        t = {}
        with torch.no_grad():
            logits = logits_of(model, x)[0]
        k = int(torch.argmax(logits))
        t["class"] = torch.tensor([float(k)])
        t["logit"] = logits[k:k + 1].clone()
        t["saliency"] = class_gradient(model, x, k)
        t["saliency.class3"] = class_gradient(model, x, 3)
        last_conv = max((n for n in names if n.startswith("conv")), key=lambda n: names[n])
        t["gradcam.lastconv"] = gradcam(model, x, k, names[last_conv], True)
        t["gradcam.pool4"] = gradcam(model, x, k, names["pool4"], False)
        t["guided"] = class_gradient(model, x, k, "guided")
        t["deconv"] = class_gradient(model, x, k, "deconv")
        ulayer, unit = UNITS[name]["unit"]
        t["guided.unit"], _ = unit_gradient(model, x, names[ulayer], unit, "guided")
        t["deconv.unit"], _ = unit_gradient(model, x, names[ulayer], unit, "deconv")
        cam = t["gradcam.lastconv"][None, None]
        up = F.interpolate(cam, size=x.shape[2:], mode="bilinear", align_corners=False)[0, 0]
        t["guided-gradcam"] = t["guided"] * up

        total = torch.zeros_like(x[0])
        for i in range(IG_STEPS):
            total += class_gradient(model, (i + 0.5) / IG_STEPS * x, k)
        t["ig"] = x[0] * total / IG_STEPS
        with torch.no_grad():
            t["ig.baseline_logit"] = logits_of(model, torch.zeros_like(x))[0, k:k + 1].clone()

        for key in ("erf.conv", "erf.pool"):
            layer, unit = UNITS[name][key]
            t[key], _ = unit_gradient(model, x, names[layer], unit)
        layer, unit = UNITS[name]["erf.conv"]
        t["erf.mean"] = sum(unit_gradient(model, xs[j:j + 1].clone(), names[layer], unit)[0].abs()
                            for j in range(xs.shape[0])) / xs.shape[0]

        rng = np.random.default_rng(2026)
        noise = torch.from_numpy(rng.standard_normal((SMOOTH_N,) + tuple(x.shape[1:]))
                                 .astype(np.float32))
        t["smoothgrad.noise"] = noise
        t["smoothgrad"] = sum(class_gradient(model, x + SMOOTH_SIGMA * noise[j:j + 1], k)
                              for j in range(SMOOTH_N)) / SMOOTH_N

        path = os.path.join(out_dir, name + "-explain.safetensors")
        genref.write_safetensors(path, [(n, v.contiguous()) for n, v in t.items()],
                                 {"fixture.generator": "tools/gen-explain-fixtures.py",
                                  "fixture.torch": torch.__version__,
                                  "fixture.units": repr(UNITS[name]),
                                  "fixture.last_conv": last_conv})
        print("%s: class %d, logit %.4f, %d bytes"
              % (path, k, float(t["logit"]), os.path.getsize(path)))


if __name__ == "__main__":
    sys.exit(generate())
