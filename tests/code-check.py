#!/usr/bin/python3
# code-check.py — runs scripts written by `vgg-scope-cli info --as pytorch` for tests/test-code.c
#
# Copyright 2026 The VGG Scope developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: code-check.py JOBS
# JOBS holds one job a line, tab-separated: SCRIPT WEIGHTS INPUT OUT
#   SCRIPT   the generated Python file; run as a module (not __main__), it must define
#            `model`, `preprocess` and `load_weights`
#   WEIGHTS  a .pth or .safetensors file loaded with model.load_state_dict(..., strict=True),
#            "-" to only preprocess, or "torchvision:NAME" to compare the script's state_dict()
#            keys and shapes with torchvision.models.NAME()'s (OUT is then written empty)
#   INPUT    a .npy float32 batch used as it is, or a picture given to the script's
#            `preprocess` (as PIL's Image.open(INPUT).convert("RGB"))
#   OUT      the model's output (logits, or feature maps), or with WEIGHTS "-" the
#            preprocessed tensor, as float32 .npy; on failure OUT.err says why instead
# One process for all jobs, so torch is imported once. Debian's python3-torch and
# python3-torchvision; the C test skips when they are missing.
import runpy
import sys
import traceback

import numpy as np
import torch
from PIL import Image


def same_layout(names, name, out):
    """The script's keys and shapes against torchvision's own model, built without
    initialising its 100+ million weights (the shapes are all that is compared)."""
    import torchvision

    def skip(*args, **kwargs):
        return None

    for module in (torch.nn.Linear, torch.nn.Conv2d, torch.nn.BatchNorm2d):
        module.reset_parameters = skip
    for init in ("kaiming_normal_", "constant_", "normal_"):
        setattr(torch.nn.init, init, skip)
    theirs = {k: tuple(v.shape) for k, v in getattr(torchvision.models, name)().state_dict().items()}
    mine = {k: tuple(v.shape) for k, v in names["VGG"]().state_dict().items()}
    if mine != theirs:
        raise AssertionError(f"state_dict {mine} differs from torchvision's {theirs}")
    np.save(out, np.zeros(0, dtype=np.float32))


def run(script, weights, source, out):
    names = runpy.run_path(script, run_name="vgg_scope_code")
    if weights.startswith("torchvision:"):
        return same_layout(names, weights[len("torchvision:"):], out)
    model, preprocess = names["model"], names["preprocess"]
    if source.endswith(".npy"):
        x = torch.from_numpy(np.load(source))
    else:
        x = preprocess(Image.open(source).convert("RGB"))
        if weights == "-":
            np.save(out, x.numpy().astype(np.float32))
            return
        x = x.unsqueeze(0)
    state = names["load_weights"](weights)
    model.load_state_dict(state, strict=True)
    # the keys and shapes are the file's own, both ways
    mine = {k: tuple(v.shape) for k, v in model.state_dict().items()}
    theirs = {k: tuple(v.shape) for k, v in state.items()}
    if mine != theirs:
        raise AssertionError(f"state_dict {mine} differs from the file's {theirs}")
    model.eval()
    with torch.no_grad():
        y = model(x)
    np.save(out, y.numpy().astype(np.float32))


def main():
    torch.set_num_threads(1)
    failed = 0
    with open(sys.argv[1]) as jobs:
        for line in jobs:
            script, weights, source, out = line.rstrip("\n").split("\t")
            try:
                run(script, weights, source, out)
            except Exception:
                failed += 1
                with open(out + ".err", "w") as err:
                    err.write(traceback.format_exc())
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
