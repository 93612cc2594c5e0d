#!/usr/bin/python3
# gen-format-fixtures.py — small weight files for the loader tests (tests/test-*.c)
#
# Copyright 2026 The VGG Scope developers
# SPDX-License-Identifier: GPL-3.0-or-later
"""Generate the weight-file fixtures in tests/fixtures/formats/.

Rerun from the source root with Debian's python3-torch (1.13):

    /usr/bin/python3 tools/gen-format-fixtures.py

It writes, all a few KB:

  tiny.pth                 a small state dict (conv, BN with num_batches_tracked, linear and a
                           few tensors of other dtypes; an OrderedDict with _metadata), torch.save
  tiny-legacy.pth          the same, torch.save(..., _use_new_zipfile_serialization=False)
  tiny-legacy-old.pth      the same in the legacy layout of torch 0.2/0.3 under Python 2, the
                           way torchvision's vgg16-397923af.pth is written (SHORT_BINSTRING
                           names, OrderedDict built from a list of pairs, 4-argument
                           _rebuild_tensor, 'cuda:0' storages), written opcode by opcode and
                           checked by loading it back with torch
  tiny-proto4.pth, tiny-legacy-proto4.pth
                           the same with pickle_protocol=4 (FRAME, MEMOIZE, STACK_GLOBAL, …)
  tiny.safetensors         the same with a __metadata__ map (written by hand: no safetensors
                           package needed)
  tiny-checkpoint.pth      {"epoch": 3, "state_dict": <tiny>, "best_acc1": 0.5}
  tiny-deflated.pth        tiny.pth re-zipped with compression (the loader refuses it)
  tiny-module.pth          torch.save(model): a whole pickled nn.Module (refused)
  views.pth, views-legacy.pth
                           tensors that share one storage at different offsets
  noncontiguous.pth        a transposed tensor (refused: not C-contiguous)
  malicious.pth, malicious-legacy.pth
                           a pickle whose __reduce__ calls os.system("echo PWNED > "
                           "/tmp/vgg-scope-pwned-by-fixture") on load (refused, never run)
  expected.json            what the tests compare against: the tiny tensors (name, dtype,
                           shape, count, first values, sum), the metadata, and the byte offsets
                           where each pickle of the legacy files ends.

Legacy storage keys are memory addresses, so those files differ from run to run; their
contents do not.
"""

import collections
import io
import json
import os
import pickletools
import struct
import sys
import zipfile

import torch

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "formats")
PWNED = "/tmp/vgg-scope-pwned-by-fixture"

DTYPES = {
    torch.float32: ("F32", "FloatStorage", "<f"),
    torch.float64: ("F64", "DoubleStorage", "<d"),
    torch.float16: ("F16", "HalfStorage", "<e"),
    torch.bfloat16: ("BF16", "BFloat16Storage", None),
    torch.int64: ("I64", "LongStorage", "<q"),
    torch.int32: ("I32", "IntStorage", "<i"),
    torch.int16: ("I16", "ShortStorage", "<h"),
    torch.int8: ("I8", "CharStorage", "<b"),
    torch.uint8: ("U8", "ByteStorage", "<B"),
    torch.bool: ("BOOL", "BoolStorage", "<?"),
}


def tiny_state_dict():
    torch.manual_seed(20260101)
    model = torch.nn.Sequential(collections.OrderedDict([
        ("0", torch.nn.Conv2d(3, 4, 3, padding=1)),
        ("1", torch.nn.BatchNorm2d(4)),
        ("2", torch.nn.ReLU()),
    ]))
    classifier = torch.nn.Linear(4 * 2 * 2, 5)
    with torch.no_grad():
        bn = model[1]
        bn.running_mean.copy_(torch.tensor([0.5, -0.25, 0.125, 1.0]))
        bn.running_var.copy_(torch.tensor([1.5, 0.75, 2.0, 0.5]))
        bn.weight.copy_(torch.tensor([1.0, 0.5, 2.0, -1.0]))
        bn.num_batches_tracked.fill_(7)
    sd = collections.OrderedDict()
    for k, v in model.state_dict().items():
        sd["features." + k] = v
    for k, v in classifier.state_dict().items():
        sd["classifier.0." + k] = v
    # Other element types, with values every type represents exactly.
    sd["misc.f16"] = torch.tensor([0.5, -1.25, 3.0], dtype=torch.float16)
    sd["misc.bf16"] = torch.tensor([[1.0, -2.0], [0.25, 8.0]], dtype=torch.bfloat16)
    sd["misc.f64"] = torch.tensor(3.0625, dtype=torch.float64)
    sd["misc.i32"] = torch.tensor([-3, 0, 70000], dtype=torch.int32)
    sd["misc.u8"] = torch.tensor([1, 2, 255], dtype=torch.uint8)
    sd["misc.bool"] = torch.tensor([True, False, True])
    sd["misc.empty"] = torch.zeros(0, 3)
    sd._metadata = collections.OrderedDict([("", {"version": 1}), ("features.1", {"version": 2})])
    return sd


def describe(sd):
    tensors = []
    for name, t in sd.items():
        flat = t.reshape(-1).to(torch.float64)
        tensors.append({
            "name": name,
            "dtype": DTYPES[t.dtype][0],
            "shape": list(t.shape),
            "count": t.numel(),
            "values": [float(v) for v in flat[:8]],
            "sum": float(flat.sum()),
        })
    return tensors


def pickle_ends(path, n):
    """Byte offsets where each of the first n pickles of a legacy file ends."""
    with open(path, "rb") as f:
        data = f.read()
    stream = io.BytesIO(data)
    ends = []
    for _ in range(n):
        pickletools.dis(stream, out=io.StringIO())
        ends.append(stream.tell())
    return ends


# --- The torch 0.3 / Python 2 legacy layout, opcode by opcode -------------------------------

class OldPickle:
    """Emits protocol-2 pickles the way Python 2's cPickle did for torch 0.3."""

    def __init__(self):
        self.out = bytearray()
        self.memo = 0

    def put(self):
        if self.memo < 256:
            self.out += b"q" + bytes([self.memo])
        else:
            self.out += b"r" + struct.pack("<I", self.memo)
        self.memo += 1

    def string(self, s):  # a Python 2 str
        b = s.encode("ascii")
        if len(b) < 256:
            self.out += b"U" + bytes([len(b)]) + b
        else:
            self.out += b"T" + struct.pack("<i", len(b)) + b
        self.put()

    def integer(self, v):
        if 0 <= v <= 0xFF:
            self.out += b"K" + bytes([v])
        elif 0 <= v <= 0xFFFF:
            self.out += b"M" + struct.pack("<H", v)
        elif -2**31 <= v < 2**31:
            self.out += b"J" + struct.pack("<i", v)
        else:
            self.out += b"I" + str(v).encode() + b"\n"

    def glob(self, module, name):
        self.out += b"c" + module.encode() + b"\n" + name.encode() + b"\n"
        self.put()

    def int_tuple(self, values):
        if len(values) == 0:
            self.out += b")"
            return
        if len(values) > 3:
            self.out += b"("
        for v in values:
            self.integer(v)
        self.out += {1: b"\x85", 2: b"\x86", 3: b"\x87"}.get(len(values), b"t")
        self.put()


def raw_bytes(t):
    """The little-endian elements of t in C order."""
    if t.numel() == 0:
        return b""
    return t.reshape(-1).contiguous().view(torch.uint8).numpy().tobytes()


def write_old_legacy(path, sd):
    # storages: one per tensor, keys in the style of torch 0.3 (str of a C pointer)
    keys = {name: str(94000000000000 + 4096 * i) for i, name in enumerate(sd)}

    p = OldPickle()
    p.glob("collections", "OrderedDict")
    p.out += b"]"
    p.put()
    p.out += b"("
    for name, t in sd.items():
        storage_type = DTYPES[t.dtype][1]
        p.out += b"]"
        p.put()
        p.out += b"("
        p.string(name)
        p.glob("torch._utils", "_rebuild_tensor")
        p.out += b"("
        p.out += b"("
        p.string("storage")
        p.glob("torch", storage_type)
        p.string(keys[name])
        p.string("cuda:0")
        p.integer(t.numel())
        p.out += b"N"
        p.out += b"t"
        p.put()
        p.out += b"Q"
        p.integer(0)
        p.int_tuple(list(t.shape))
        p.int_tuple(list(t.stride()))
        p.out += b"t"
        p.put()
        p.out += b"R"
        p.put()
        p.out += b"e"          # APPENDS the name and the tensor to the pair list
    p.out += b"e"              # APPENDS the pairs
    p.out += b"\x85"           # TUPLE1: (pairs,)
    p.put()
    p.out += b"R."

    key_list = OldPickle()
    key_list.out += b"]"
    key_list.put()
    key_list.out += b"("
    for name in sd:
        key_list.string(keys[name])
    key_list.out += b"e."

    sys_info = (b"}q\x00(U\x10protocol_versionq\x01M\xe9\x03U\rlittle_endianq\x02\x88"
                b"U\ntype_sizesq\x03}q\x04(U\x05shortq\x05K\x02U\x03intq\x06K\x04"
                b"U\x04longq\x07K\x08uu.")
    with open(path, "wb") as f:
        f.write(b"\x80\x02\x8a\x0a" + (0x1950a86a20f9469cfc6c).to_bytes(10, "little") + b".")
        f.write(b"\x80\x02M\xe9\x03.")
        f.write(b"\x80\x02" + sys_info)
        f.write(b"\x80\x02" + bytes(p.out))
        f.write(b"\x80\x02" + bytes(key_list.out))
        for name, t in sd.items():
            f.write(struct.pack("<q", t.numel()))
            f.write(raw_bytes(t))


# --- safetensors, by hand ---------------------------------------------------------------------

def write_safetensors(path, sd, metadata):
    header = collections.OrderedDict()
    header["__metadata__"] = metadata
    blobs = []
    offset = 0
    for name, t in sd.items():
        blob = raw_bytes(t)
        header[name] = {"dtype": DTYPES[t.dtype][0], "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-(8 + len(text)) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


class Evil:
    def __reduce__(self):
        return (os.system, ("echo PWNED > " + PWNED,))


def main():
    os.makedirs(OUT, exist_ok=True)
    out = lambda name: os.path.join(OUT, name)
    sd = tiny_state_dict()

    torch.save(sd, out("tiny.pth"))
    torch.save(sd, out("tiny-legacy.pth"), _use_new_zipfile_serialization=False)
    write_old_legacy(out("tiny-legacy-old.pth"), sd)
    torch.save(sd, out("tiny-proto4.pth"), pickle_protocol=4)
    torch.save(sd, out("tiny-legacy-proto4.pth"), pickle_protocol=4,
               _use_new_zipfile_serialization=False)
    metadata = collections.OrderedDict([
        ("format", "pt"),
        ("vgg_scope.name", "Tiny test net"),
        ("vgg_scope.classes", "zero\none\ntwo\nthree\nfour"),
        ("note", "caf\u00e9 \u2713 \U0001f600 \"quoted\""),
    ])
    write_safetensors(out("tiny.safetensors"), sd, metadata)
    torch.save({"epoch": 3, "state_dict": sd, "best_acc1": 0.5}, out("tiny-checkpoint.pth"))

    with zipfile.ZipFile(out("tiny.pth")) as src, \
         zipfile.ZipFile(out("tiny-deflated.pth"), "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info.filename))

    torch.manual_seed(1)
    torch.save(torch.nn.Sequential(torch.nn.Linear(2, 2)), out("tiny-module.pth"))

    base = torch.arange(12, dtype=torch.float32)
    views = collections.OrderedDict([("a", base[2:5]), ("b", base[6:12].view(2, 3)), ("c", base)])
    torch.save(views, out("views.pth"))
    torch.save(views, out("views-legacy.pth"), _use_new_zipfile_serialization=False)
    torch.save({"t": torch.arange(6, dtype=torch.float32).reshape(2, 3).t()},
               out("noncontiguous.pth"))

    evil = collections.OrderedDict([("w", torch.zeros(2)), ("evil", Evil())])
    torch.save(evil, out("malicious.pth"))
    torch.save(evil, out("malicious-legacy.pth"), _use_new_zipfile_serialization=False)

    # The crafted files must be what torch itself reads.
    for name in ("tiny.pth", "tiny-legacy.pth", "tiny-legacy-old.pth", "tiny-proto4.pth",
                 "tiny-legacy-proto4.pth"):
        loaded = torch.load(out(name), map_location="cpu")
        assert list(loaded) == list(sd), name
        for k in sd:
            assert loaded[k].dtype == sd[k].dtype and torch.equal(loaded[k], sd[k]), (name, k)
    if os.path.exists(PWNED):
        sys.exit("the malicious fixture ran: " + PWNED + " exists")

    expected = {
        "tensors": describe(sd),
        "metadata": metadata,
        "legacy_pickle_ends": {
            "tiny-legacy.pth": pickle_ends(out("tiny-legacy.pth"), 5),
            "tiny-legacy-old.pth": pickle_ends(out("tiny-legacy-old.pth"), 5),
        },
        "pwned_marker": PWNED,
    }
    with open(out("expected.json"), "w") as f:
        json.dump(expected, f, indent=1, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    main()
