#!/usr/bin/python3
# Copyright 2026 The VGG Scope developers
# SPDX-License-Identifier: GPL-3.0-or-later
"""Generate the small reference fixtures in tests/fixtures/reference/.

Run from anywhere (offline; needs Debian's python3-torch and
python3-torchvision, i.e. torch 1.13 / torchvision 0.14, and numpy):

    /usr/bin/python3 tools/gen-reference-fixtures.py [OUT_DIR]

OUT_DIR defaults to tests/fixtures/reference next to this script's parent.
The script is deterministic (fixed seeds, one thread) and can be re-run; it
overwrites its files.  The .safetensors, .npy and -zip.pth files come out
byte-identical on re-runs; the -legacy.pth files hold the same tensors, but
torch names legacy storages after memory addresses, so their bytes change.

Models: narrow VGG-style networks built from torchvision's own pieces
(torchvision.models.vgg.make_layers for `features`, and a `classifier`
nn.Sequential laid out exactly like torchvision's VGG classifier: Linear, ReLU,
Dropout, Linear, ReLU, Dropout, Linear -> keys classifier.0/.3/.6).  There is
no adaptive average pool (in real VGG it is the identity at 224x224; these
fixtures use 64x64 inputs).  The models are in eval mode.

  narrow-vgg16     cfg D, widths / 16, no BN, input 3x64x64,
                   pool5 = 32x2x2 (so flatten order C,H,W matters),
                   classifier 128 -> 24 -> 24 -> 10
  narrow-vgg11-bn  cfg A, widths / 16, batch_norm=True, same input and
                   classifier; BN layers get random weight, bias,
                   running_mean, running_var (> 0) and num_batches_tracked

For each model NAME it writes:

  NAME.safetensors          the state_dict, same keys; F32 tensors,
                            num_batches_tracked as I64 shape [];
                            __metadata__ vgg_scope.name / .preset / .trained
  NAME-zip.pth              torch.save(state_dict) (default zip container)
  NAME-legacy.pth           torch.save(state_dict,
                                       _use_new_zipfile_serialization=False)
  NAME-input.npy            float32 (2,3,64,64), seeded normal: sample 0
                            ~ N(0, 1), sample 1 ~ N(0.5, 1.5^2)
  NAME-outputs.safetensors  F32 outputs of every layer for that batch:
                            input, conv{b}_{i}.pre (before ReLU, after BN),
                            conv{b}_{i} (after ReLU), pool{b} (b = 1..5),
                            fc6.pre, fc6, fc7.pre, fc7, fc8 (logits),
                            prob (softmax over classes); shapes (N,C,H,W)
                            or (N,C), data stored in that order

and two malformed files derived from narrow-vgg16:

  narrow-vgg16-badshape.safetensors  classifier.3.weight is [24, 23]
                                     (valid safetensors, wrong shape)
  narrow-vgg16-missing.safetensors   features.7.bias is absent

It then reads every file back (own safetensors parser with the validity
checks of the format: header length, JSON, offsets in range and contiguous, torch.load for .pth, numpy.load for .npy), re-runs
the models from the reloaded weights, and prints a summary: files, sizes and
max |value| per recorded layer.

The helpers (write_safetensors, read_safetensors, record_layers) are reused
by tools/gen-vgg16-reference.py.
"""

import collections
import json
import os
import struct
import sys

import numpy as np
import torch
import torch.nn as nn
import torchvision
from torchvision.models.vgg import make_layers

# --------------------------------------------------------------------------
# safetensors, written by hand (the pip package is not available here)

_DTYPES = {
    np.dtype("<f4"): ("F32", 4),
    np.dtype("<f2"): ("F16", 2),
    np.dtype("<f8"): ("F64", 8),
    np.dtype("<i8"): ("I64", 8),
    np.dtype("<i4"): ("I32", 4),
    np.dtype("uint8"): ("U8", 1),
}
_DTYPE_NAMES = {v[0]: (k, v[1]) for k, v in _DTYPES.items()}


def _as_numpy(t):
    if isinstance(t, torch.Tensor):
        t = t.detach().cpu().contiguous().numpy()
    a = np.asarray(t)               # (np.ascontiguousarray would turn a
    if not a.flags.c_contiguous:    # 0-d array into shape (1,))
        a = a.copy(order="C")
    if a.dtype.byteorder == ">":
        a = a.astype(a.dtype.newbyteorder("<"))
    return a


def write_safetensors(path, tensors, metadata=None):
    """tensors: iterable of (name, torch.Tensor | np.ndarray), written in that
    order.  metadata: optional dict str -> str stored as "__metadata__".
    The header is padded with spaces so the data starts 8-byte aligned."""
    arrays = [(name, _as_numpy(t)) for name, t in tensors]
    header = collections.OrderedDict()
    if metadata:
        assert all(isinstance(k, str) and isinstance(v, str)
                   for k, v in metadata.items())
        header["__metadata__"] = dict(metadata)
    off = 0
    for name, a in arrays:
        if name in header:
            raise ValueError("duplicate tensor name %r" % name)
        dt, _ = _DTYPES[a.dtype]
        header[name] = {"dtype": dt, "shape": list(a.shape),
                        "data_offsets": [off, off + a.nbytes]}
        off += a.nbytes
    hb = json.dumps(header, separators=(",", ":")).encode("utf-8")
    hb += b" " * ((-(8 + len(hb))) % 8)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(hb)))
        f.write(hb)
        for _, a in arrays:
            f.write(a.tobytes(order="C"))
    os.replace(tmp, path)


def read_safetensors(path):
    """Parse and validate a safetensors file.  Returns (tensors, metadata,
    header_len); tensors is an OrderedDict name -> np.ndarray in header
    order.  Raises ValueError on any structural problem."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 8:
        raise ValueError("short file")
    (n,) = struct.unpack("<Q", data[:8])
    if n > 100_000_000 or 8 + n > len(data):
        raise ValueError("bad header length %d" % n)
    raw = data[8:8 + n]
    if not raw.startswith(b"{"):
        raise ValueError("header does not start with '{'")

    def no_dups(pairs):
        d = collections.OrderedDict()
        for k, v in pairs:
            if k in d:
                raise ValueError("duplicate key %r" % k)
            d[k] = v
        return d

    header = json.loads(raw.decode("utf-8"), object_pairs_hook=no_dups)
    meta = header.pop("__metadata__", None)
    buf = data[8 + n:]
    spans = []
    out = collections.OrderedDict()
    for name, e in header.items():
        dt, size = _DTYPE_NAMES[e["dtype"]]
        shape = tuple(e["shape"])
        b, end = e["data_offsets"]
        numel = int(np.prod(shape, dtype=np.int64)) if shape else 1
        if end - b != numel * size:
            raise ValueError("%s: %d bytes for shape %s" % (name, end - b, shape))
        spans.append((b, end, name))
        out[name] = np.frombuffer(buf, dtype=dt, count=numel,
                                  offset=b).reshape(shape)
    pos = 0
    for b, end, name in sorted(spans):
        if b != pos:
            raise ValueError("%s: gap/overlap at %d (expected %d)" % (name, b, pos))
        pos = end
    if pos != len(buf):
        raise ValueError("data buffer is %d bytes, tensors cover %d" % (len(buf), pos))
    return out, meta, n


# --------------------------------------------------------------------------
# per-layer outputs with the Caffe-style names

def record_layers(features, classifier, x, avgpool=None):
    """Run features -> [avgpool] -> flatten -> classifier piecewise on x and
    return an OrderedDict of every layer's output (cloned, so in-place ReLUs
    cannot alter them):
      input, conv{b}_{i}.pre, conv{b}_{i}, ..., pool{b}, fc6.pre, fc6,
      fc7.pre, fc7, fc8, prob
    and the logits computed by the plain Sequential forward (for checking)."""
    outs = collections.OrderedDict()
    outs["input"] = x.clone()
    block, i, pending = 1, 0, None
    h = x
    with torch.no_grad():
        for m in features:
            if isinstance(m, nn.Conv2d):
                assert pending is None
                i += 1
                pending = "conv%d_%d" % (block, i)
                h = m(h)
            elif isinstance(m, nn.BatchNorm2d):
                assert pending is not None
                h = m(h)
            elif isinstance(m, nn.ReLU):
                assert pending is not None
                outs[pending + ".pre"] = h.clone()
                h = m(h)
                outs[pending] = h.clone()
                pending = None
            elif isinstance(m, nn.MaxPool2d):
                assert pending is None
                h = m(h)
                outs["pool%d" % block] = h.clone()
                block, i = block + 1, 0
            else:
                raise TypeError("unexpected feature layer %r" % m)
        assert block == 6, "expected 5 pooling stages"
        if avgpool is not None:
            h = avgpool(h)
        h = torch.flatten(h, 1)
        fc = 6
        pending = None
        for m in classifier:
            if isinstance(m, nn.Linear):
                if pending is not None:   # a Linear not followed by ReLU
                    outs[pending] = h.clone()
                pending = "fc%d" % fc
                fc += 1
                h = m(h)
            elif isinstance(m, nn.ReLU):
                outs[pending + ".pre"] = h.clone()
                h = m(h)
                outs[pending] = h.clone()
                pending = None
            elif isinstance(m, nn.Dropout):
                h = m(h)                  # identity in eval mode
            else:
                raise TypeError("unexpected classifier layer %r" % m)
        assert pending == "fc8", pending
        outs["fc8"] = h.clone()
        outs["prob"] = torch.softmax(h, dim=1)

        # Reference: the same modules called as whole Sequentials.
        r = features(x.clone())
        if avgpool is not None:
            r = avgpool(r)
        ref = classifier(torch.flatten(r, 1))
    return outs, ref


# --------------------------------------------------------------------------
# the narrow models

class NarrowVGG(nn.Module):
    """features + classifier exactly as torchvision's VGG, minus avgpool."""

    def __init__(self, cfg, batch_norm, flat, hidden, num_classes):
        super().__init__()
        self.features = make_layers(cfg, batch_norm=batch_norm)
        self.classifier = nn.Sequential(
            nn.Linear(flat, hidden),
            nn.ReLU(True),
            nn.Dropout(p=0.5),
            nn.Linear(hidden, hidden),
            nn.ReLU(True),
            nn.Dropout(p=0.5),
            nn.Linear(hidden, num_classes),
        )

    def forward(self, x):
        return self.classifier(torch.flatten(self.features(x), 1))


MODELS = [
    # name, cfg, batch_norm, seed, fc8 weight scale, display name
    ("narrow-vgg16",
     [4, 4, "M", 8, 8, "M", 16, 16, 16, "M", 32, 32, 32, "M", 32, 32, 32, "M"],
     False, 1601, 0.5, "Narrow VGG16 (test fixture)"),
    ("narrow-vgg11-bn",
     [4, "M", 8, "M", 16, 16, "M", 32, 32, "M", 32, 32, "M"],
     True, 1102, 3.0, "Narrow VGG11-BN (test fixture)"),
]
INPUT_SHAPE = (2, 3, 64, 64)
INPUT_MEAN_STD = [(0.0, 1.0), (0.5, 1.5)]   # sample 0 ~ N(0,1), 1 ~ N(0.5,1.5^2)
FLAT, HIDDEN, CLASSES = 32 * 2 * 2, 24, 10


def build_model(cfg, batch_norm, seed, fc8_scale):
    """Seeded construction.  The init keeps activations O(1) through all the
    layers (torchvision's own init zeroes biases, which would leave bias
    loading untested, and its N(0, 0.01) Linear weights give ~1e-3 logits)."""
    torch.manual_seed(seed)
    model = NarrowVGG(cfg, batch_norm, FLAT, HIDDEN, CLASSES)
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, (nn.Conv2d, nn.Linear)):
                nn.init.kaiming_normal_(m.weight, mode="fan_in",
                                        nonlinearity="relu")
                m.bias.uniform_(-0.2, 0.2)
            elif isinstance(m, nn.BatchNorm2d):
                m.weight.uniform_(0.5, 1.5)
                m.bias.normal_(0.0, 0.2)
                m.running_mean.normal_(0.0, 0.5)
                m.running_var.uniform_(0.25, 4.0)
                m.num_batches_tracked.fill_(int(torch.randint(1, 100000, ())))
        last = model.classifier[6]
        last.weight.mul_(fc8_scale)   # logits of a few units: non-flat softmax
    model.eval()
    return model


def make_input(g):
    """Seeded normal samples; each sample gets its own mean and spread so
    the two images (and so their logits) differ clearly."""
    x = torch.randn(INPUT_SHAPE, generator=g, dtype=torch.float32)
    for i, (mu, sigma) in enumerate(INPUT_MEAN_STD):
        x[i].mul_(sigma).add_(mu)
    return x


def model_metadata(display):
    return {"vgg_scope.name": display,
            "vgg_scope.preset": "plain",
            "vgg_scope.trained": "false"}


def outputs_metadata(name, script):
    return {"fixture.model": name,
            "fixture.generator": script,
            "fixture.torch": torch.__version__,
            "fixture.torchvision": torchvision.__version__}


def save_npy(path, arr):
    tmp = path + ".tmp.npy"
    np.save(tmp, np.ascontiguousarray(arr, dtype="<f4"))
    os.replace(tmp, path)


def torch_save(obj, path, legacy):
    # Saved straight to the final path: the zip container names its root
    # folder after the file's stem (here "NAME-zip"), so no temporary name.
    if legacy:
        torch.save(obj, path, _use_new_zipfile_serialization=False)
    else:
        torch.save(obj, path)


def check_state(sd, loaded, what):
    assert list(loaded.keys()) == list(sd.keys()), what + ": key order"
    for k, v in sd.items():
        w = loaded[k]
        w = torch.from_numpy(np.array(w)) if isinstance(w, np.ndarray) else w
        assert w.dtype == v.dtype and tuple(w.shape) == tuple(v.shape), (what, k)
        assert torch.equal(w, v), (what, k)


def generate(out_dir):
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    script = "tools/gen-reference-fixtures.py"
    written = []
    layer_stats = {}

    for name, cfg, bn, seed, fc8_scale, display in MODELS:
        model = build_model(cfg, bn, seed, fc8_scale)
        sd = model.state_dict()
        p = lambda suffix: os.path.join(out_dir, name + suffix)

        write_safetensors(p(".safetensors"), sd.items(), model_metadata(display))
        torch_save(sd, p("-zip.pth"), legacy=False)
        torch_save(sd, p("-legacy.pth"), legacy=True)
        written += [p(".safetensors"), p("-zip.pth"), p("-legacy.pth")]

        g = torch.Generator().manual_seed(seed + 1)
        x = make_input(g)
        save_npy(p("-input.npy"), x.numpy())
        written.append(p("-input.npy"))

        outs, ref = record_layers(model.features, model.classifier, x)
        assert torch.equal(outs["fc8"], ref), "piecewise != Sequential forward"
        write_safetensors(p("-outputs.safetensors"), outs.items(),
                          outputs_metadata(name, script))
        written.append(p("-outputs.safetensors"))
        layer_stats[name] = outs

        # ---- read everything back and re-run from the reloaded weights
        st, meta, _ = read_safetensors(p(".safetensors"))
        assert meta == model_metadata(display), meta
        check_state(sd, st, name + ".safetensors")
        for suffix in ("-zip.pth", "-legacy.pth"):
            loaded = torch.load(p(suffix), map_location="cpu")
            check_state(sd, loaded, name + suffix)
        xin = np.load(p("-input.npy"))
        assert xin.dtype == np.dtype("<f4") and xin.shape == INPUT_SHAPE
        assert np.array_equal(xin, x.numpy())
        m2 = NarrowVGG(cfg, bn, FLAT, HIDDEN, CLASSES)
        m2.load_state_dict({k: torch.from_numpy(np.array(v)) for k, v in st.items()})
        m2.eval()
        outs2, _ = record_layers(m2.features, m2.classifier,
                                 torch.from_numpy(np.array(xin)))
        ost, ometa, _ = read_safetensors(p("-outputs.safetensors"))
        assert list(ost.keys()) == list(outs.keys())
        for k, v in outs.items():
            assert np.array_equal(ost[k], v.numpy()), k
            assert torch.equal(outs2[k], v), k

        if name == "narrow-vgg16":
            # malformed variants
            bad = [(k, torch.randn(24, 23, generator=g) if k == "classifier.3.weight"
                    else v) for k, v in sd.items()]
            write_safetensors(p("-badshape.safetensors"), bad,
                              model_metadata(display))
            miss = [(k, v) for k, v in sd.items() if k != "features.7.bias"]
            write_safetensors(p("-missing.safetensors"), miss,
                              model_metadata(display))
            written += [p("-badshape.safetensors"), p("-missing.safetensors")]
            st, _, _ = read_safetensors(p("-badshape.safetensors"))
            assert st["classifier.3.weight"].shape == (24, 23)
            st, _, _ = read_safetensors(p("-missing.safetensors"))
            assert "features.7.bias" not in st and len(st) == len(sd) - 1

    # ---- summary
    total = 0
    print("wrote (%s):" % out_dir)
    for f in written:
        sz = os.path.getsize(f)
        total += sz
        print("  %-40s %9d bytes" % (os.path.basename(f), sz))
    print("  %-40s %9d bytes" % ("total", total))
    for name, outs in layer_stats.items():
        print("\n%s per-layer outputs (max |value|):" % name)
        for k, v in outs.items():
            print("  %-10s %-18s %.6g" % (k, tuple(v.shape), float(v.abs().max())))
        print("  argmax(prob) per sample: %s" % outs["prob"].argmax(1).tolist())


def main(argv):
    if len(argv) > 2 or (len(argv) == 2 and argv[1].startswith("-")):
        print(__doc__)
        return 2
    here = os.path.dirname(os.path.abspath(__file__))
    out_dir = argv[1] if len(argv) == 2 else os.path.join(
        here, os.pardir, "tests", "fixtures", "reference")
    out_dir = os.path.normpath(out_dir)
    os.makedirs(out_dir, exist_ok=True)
    generate(out_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
