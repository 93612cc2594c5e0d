#!/usr/bin/python3
# Copyright 2026 The VGG Scope developers
# SPDX-License-Identifier: GPL-3.0-or-later
"""Generate a full-size (224x224) VGG reference for the slow end-to-end check.

    /usr/bin/python3 tools/gen-vgg16-reference.py OUT_DIR
        [--arch vgg11|vgg11_bn|vgg13|vgg13_bn|vgg16|vgg16_bn|vgg19|vgg19_bn]
        [--format legacy|zip|safetensors] [--layers NAME,NAME,...]

Offline; needs Debian's python3-torch (1.13) and python3-torchvision (0.14).
Nothing is committed from this script: its output is ~530-580 MB of random
weights plus ~110-150 MB of activations, for a local/CI scratch directory.

What it does (deterministic: fixed seeds, so re-runs give the same tensors):
  * builds torchvision.models.<arch>(weights=None) after torch.manual_seed,
    i.e. torchvision's own init (kaiming-normal convs, N(0, 0.01) Linears);
    then, since that init zeroes every bias, gives all biases small random
    values (so bias loading is actually checked), and for *_bn models random
    BN weight, bias, running_mean, running_var (> 0) and num_batches_tracked;
    the model is put in eval mode;
  * saves its state_dict to OUT_DIR in the chosen container (default legacy,
    like the official vgg16-397923af.pth):
        legacy       -> OUT_DIR/<arch>-legacy.pth  (torch.save, old container)
        zip          -> OUT_DIR/<arch>-zip.pth     (torch.save default)
        safetensors  -> OUT_DIR/<arch>.safetensors (F32, I64 num_batches_tracked,
                        __metadata__ vgg_scope.name/.preset/.trained)
  * OUT_DIR/input.npy: float32 (1,3,224,224), seeded standard normal (the
    network input as is: no further preprocessing);
  * OUT_DIR/outputs.safetensors: F32 per-layer outputs of the *full*
    torchvision model (features, avgpool, flatten, classifier) for that
    input, named as in tests/fixtures/reference:
        input, conv{b}_{i}.pre (before ReLU, after BN), conv{b}_{i} (after
        ReLU), pool{b} (b = 1..5), fc6.pre, fc6, fc7.pre, fc7, fc8 (logits),
        prob (softmax)
    (conv5_3 for vgg16, conv5_4 for vgg19; avgpool is the identity at 224,
    so its output, equal to pool5, is not stored separately).
    --layers keeps only the named outputs (default: all of them; the
    block-1 pairs alone are ~51 MB).  Its __metadata__ records arch, weights
    file, seeds and torch/torchvision versions.
It then reloads the weights file and checks it against the model, checks the
piecewise outputs against model(x), and prints what it wrote.
"""

import argparse
import importlib.util
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torchvision

sys.dont_write_bytecode = True   # no tools/__pycache__ from the import below
_HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location(
    "gen_reference_fixtures", os.path.join(_HERE, "gen-reference-fixtures.py"))
fx = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fx)

ARCHS = ["vgg11", "vgg11_bn", "vgg13", "vgg13_bn",
         "vgg16", "vgg16_bn", "vgg19", "vgg19_bn"]
SEED = 16
INPUT_SEED = 224


def build(arch):
    torch.manual_seed(SEED)
    model = getattr(torchvision.models, arch)(weights=None)
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, (nn.Conv2d, nn.Linear)):
                m.bias.uniform_(-0.05, 0.05)
            elif isinstance(m, nn.BatchNorm2d):
                m.weight.uniform_(0.5, 1.5)
                m.bias.normal_(0.0, 0.2)
                m.running_mean.normal_(0.0, 0.5)
                m.running_var.uniform_(0.25, 4.0)
                m.num_batches_tracked.fill_(int(torch.randint(1, 100000, ())))
    model.eval()
    return model


def display_name(arch):
    # "vgg16_bn" -> "VGG16-BN (random weights, test)"
    return "%s (random weights, test)" % arch.upper().replace("_", "-")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out_dir")
    ap.add_argument("--arch", default="vgg16", choices=ARCHS)
    ap.add_argument("--format", default="legacy",
                    choices=["legacy", "zip", "safetensors"])
    ap.add_argument("--layers", default=None,
                    help="comma-separated output names to keep (default all)")
    args = ap.parse_args()

    t0 = time.time()
    os.makedirs(args.out_dir, exist_ok=True)
    model = build(args.arch)
    sd = model.state_dict()

    g = torch.Generator().manual_seed(INPUT_SEED)
    x = torch.randn((1, 3, 224, 224), generator=g, dtype=torch.float32)

    outs, ref = fx.record_layers(model.features, model.classifier, x,
                                 avgpool=model.avgpool)
    with torch.no_grad():
        full = model(x)
    assert torch.equal(outs["fc8"], ref) and torch.equal(outs["fc8"], full), \
        "piecewise outputs differ from model(x)"
    assert torch.equal(model.avgpool(outs["pool5"]), outs["pool5"])
    if args.layers:
        keep = [s.strip() for s in args.layers.split(",") if s.strip()]
        unknown = [k for k in keep if k not in outs]
        if unknown:
            ap.error("unknown layer names: %s (known: %s)"
                     % (", ".join(unknown), ", ".join(outs)))
        outs = type(outs)((k, v) for k, v in outs.items() if k in keep)

    wname = {"legacy": "%s-legacy.pth", "zip": "%s-zip.pth",
             "safetensors": "%s.safetensors"}[args.format] % args.arch
    wpath = os.path.join(args.out_dir, wname)
    if args.format == "safetensors":
        fx.write_safetensors(wpath, sd.items(), {
            "vgg_scope.name": display_name(args.arch),
            "vgg_scope.preset": "plain",
            "vgg_scope.trained": "false"})
    else:
        fx.torch_save(sd, wpath, legacy=(args.format == "legacy"))
    ipath = os.path.join(args.out_dir, "input.npy")
    fx.save_npy(ipath, x.numpy())
    opath = os.path.join(args.out_dir, "outputs.safetensors")
    meta = fx.outputs_metadata(args.arch, "tools/gen-vgg16-reference.py")
    meta.update({"fixture.weights": wname, "fixture.seed": str(SEED),
                 "fixture.input_seed": str(INPUT_SEED)})
    fx.write_safetensors(opath, outs.items(), meta)

    # ---- read back
    if args.format == "safetensors":
        loaded, m, _ = fx.read_safetensors(wpath)
    else:
        loaded = torch.load(wpath, map_location="cpu")
    fx.check_state(sd, loaded, wname)
    back, _, _ = fx.read_safetensors(opath)
    assert list(back) == list(outs)
    for k, v in outs.items():
        assert np.array_equal(back[k], v.numpy()), k
    assert np.array_equal(np.load(ipath), x.numpy())

    total = 0
    print("wrote (%s), %s, %d parameters:" % (
        args.out_dir, args.arch,
        sum(p.numel() for p in model.parameters())))
    for f in (wpath, ipath, opath):
        sz = os.path.getsize(f)
        total += sz
        print("  %-28s %11d bytes" % (os.path.basename(f), sz))
    print("  %-28s %11d bytes (%.1f MiB)" % ("total", total, total / 2**20))
    print("outputs (max |value|):")
    for k, v in outs.items():
        print("  %-10s %-20s %.6g" % (k, tuple(v.shape), float(v.abs().max())))
    if "prob" in outs:
        print("top-5 classes:", outs["prob"][0].topk(5).indices.tolist())
    print("%.1f s" % (time.time() - t0))
    return 0


if __name__ == "__main__":
    sys.exit(main())
