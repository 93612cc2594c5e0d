#!/usr/bin/python3
# gen-onnx-fixtures.py — ONNX graphs of narrow VGGs for tests/test-onnx.c
#
# Copyright 2026 The VGG Scope developers
# SPDX-License-Identifier: GPL-3.0-or-later
"""Generate the ONNX fixtures in tests/fixtures/onnx/.

Rerun from anywhere with Debian's python3-torch (1.13), python3-torchvision
and python3-onnx (1.12):

    /usr/bin/python3 tools/gen-onnx-fixtures.py [OUT_DIR]

The networks are the torchvision reference networks of
tests/fixtures/reference/ (narrow-vgg16, narrow-vgg11-bn: same seeds, same
weights, rebuilt with tools/gen-reference-fixtures.py's build_model and
checked equal to the committed .safetensors), so a loader's output can be
compared layer by layer with NAME-outputs.safetensors there.

torch.onnx.export graphs (the torchvision forward: features, avgpool,
flatten, classifier; eval mode; a dynamic batch axis):

  narrow-vgg16-torch.onnx      opset 13; AdaptiveAvgPool2d((2, 2)) at 64x64
                               exports as AveragePool kernel 1 stride 1
                               (the identity), then Flatten and Gemm
                               (transB=1); weights in raw_data
  narrow-vgg11-bn-torch.onnx   the same with TrainingMode.PRESERVE, which
                               keeps BatchNormalization nodes
  narrow-vgg11-bn-folded.onnx  the default eval export: BN folded into the
                               convolutions (initializers named onnx::Conv_N),
                               so it loads as a network without BN whose
                               outputs still match narrow-vgg11-bn's
  narrow-vgg11-gap.onnx        a third network (config A, widths / 16, no BN,
                               input 3x32x32 so pool5 is 32x1x1) with
                               AdaptiveAvgPool2d(1): exported as
                               GlobalAveragePool, the identity on a 1x1 map;
                               its own reference: narrow-vgg11-gap-input.npy
                               (2,3,32,32) and -outputs.safetensors (the same
                               layer names as the reference fixtures)

  narrow-vgg11-gap-shared.onnx the same network with every bias set to 0.05: the
                               exporter keeps one copy of equal parameters, so
                               initializers are shared between nodes and reached
                               through Identity nodes; its reference:
                               narrow-vgg11-gap-shared-input.npy (the same input)
                               and -outputs.safetensors

Graphs built node by node with onnx.helper, laid out like the ONNX model
zoo's vgg16-7 / vgg16-bn-7 (opset 7, input "data", MXNet-style names
vgg0_conv0_weight, Dropout after the hidden ReLUs, a final Softmax):

  narrow-vgg16-zoo.onnx        Conv, Relu, MaxPool, Flatten, Gemm, Dropout,
                               Softmax; biases in float_data, the rest in
                               raw_data; a Flatten before every Gemm (MXNet
                               writes one per Dense layer: the identity on
                               2-D input)
  narrow-vgg11-bn-zoo.onnx     with BatchNormalization (spatial=1) and
                               epsilon 2e-5 (running_var lowered by 1e-5 so
                               the graph computes exactly the reference's
                               var + 1e-5)
  narrow-vgg11-gap-matmul.onnx narrow-vgg11-gap with GlobalAveragePool,
                               Reshape to [0, -1] (shape from an initializer),
                               MatMul + Add for every classifier layer,
                               weights (in, out), everything in float_data
  narrow-vgg16-notop.onnx      narrow-vgg16's features only (ends with pool5)

Malformed graphs (valid ONNX, refused with a message naming the node):

  bad-op.onnx       narrow-vgg16-zoo with the ReLU after conv2_1 replaced by
                    a Sigmoid (node "vgg0_relu2_fwd")
  bad-branch.onnx   the second conv takes the graph input instead of the
                    first ReLU's output (node "vgg0_conv1_fwd")
  bad-gap.onnx      AdaptiveAvgPool2d(1) exported at 64x64: a
                    GlobalAveragePool over a 2x2 map (not the identity)
  bad-external.onnx the first weight stored as external data
"""

import collections
import importlib.util
import io
import os
import sys

import numpy as np
import onnx
import torch
import torch.nn as nn
from onnx import TensorProto, helper, numpy_helper
from torchvision.models.vgg import make_layers

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def load_reference_module():
    spec = importlib.util.spec_from_file_location(
        "gen_reference_fixtures", os.path.join(HERE, "gen-reference-fixtures.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


REF = load_reference_module()


class TorchvisionForward(nn.Module):
    """features, avgpool, flatten, classifier: torchvision's VGG.forward."""

    def __init__(self, features, avgpool, classifier):
        super().__init__()
        self.features = features
        self.avgpool = avgpool
        self.classifier = classifier

    def forward(self, x):
        return self.classifier(torch.flatten(self.avgpool(self.features(x)), 1))


def reference_model(name):
    for model_name, cfg, bn, seed, scale, _ in REF.MODELS:
        if model_name == name:
            model = REF.build_model(cfg, bn, seed, scale)
            state, _, _ = REF.read_safetensors(os.path.join(
                ROOT, "tests", "fixtures", "reference", name + ".safetensors"))
            for key, value in model.state_dict().items():
                assert np.array_equal(value.numpy(), state[key]), (name, key)
            return model, cfg, bn
    raise KeyError(name)


def export(model, path, size, **kwargs):
    buffer = io.BytesIO()
    torch.onnx.export(model, torch.zeros(1, 3, size, size), buffer,
                      input_names=["input"], output_names=["logits"],
                      dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}},
                      **kwargs)
    proto = onnx.load_from_string(buffer.getvalue())
    onnx.checker.check_model(proto)
    with open(path, "wb") as f:
        f.write(buffer.getvalue())
    return proto




# --------------------------------------------------------------------------
# zoo-style graphs built node by node

class GraphBuilder:
    def __init__(self, input_size):
        self.nodes = []
        self.initializers = []
        self.current = "data"
        self.input_size = input_size
        self.counters = collections.Counter()
        self.output_shape = ["N", "classes"]

    def name(self, kind):
        n = self.counters[kind]
        self.counters[kind] += 1
        return "vgg0_%s%d" % (kind, n)

    def tensor(self, name, array, float_data=False):
        array = np.ascontiguousarray(array, dtype=np.float32)
        if float_data:
            t = helper.make_tensor(name, TensorProto.FLOAT, array.shape, array.flatten().tolist())
        else:
            t = numpy_helper.from_array(array, name)
        self.initializers.append(t)
        return name

    def node(self, op, inputs, name, outputs=None, **attrs):
        out = outputs or [name + "_fwd_output"]
        self.nodes.append(helper.make_node(op, [self.current] + inputs, out,
                                           name=name + "_fwd", **attrs))
        self.current = out[0]
        return out[0]

    def model(self, opset, input_channels=3, graph_name="vgg_zoo_style"):
        inputs = [helper.make_tensor_value_info("data", TensorProto.FLOAT,
                                                ["N", input_channels, self.input_size,
                                                 self.input_size])]
        if opset <= 7:
            # IR version 3 (the zoo's vgg16-7) lists every initializer as a graph input too
            inputs += [helper.make_tensor_value_info(t.name, t.data_type, list(t.dims))
                       for t in self.initializers]
        graph = helper.make_graph(
            self.nodes, graph_name, inputs,
            [helper.make_tensor_value_info(self.current, TensorProto.FLOAT, self.output_shape)],
            initializer=self.initializers)
        model = helper.make_model(graph, producer_name="vgg-scope-fixtures",
                                  opset_imports=[helper.make_opsetid("", opset)])
        model.ir_version = 3 if opset <= 7 else 7
        onnx.checker.check_model(model)
        return model


def zoo_graph(model, input_size, opset=7, bn_epsilon=None, classifier="gemm",
              pool=None, biases_float_data=True, all_float_data=False,
              flatten_each=True, softmax=True, top=True):
    g = GraphBuilder(input_size)
    fd = all_float_data
    feature_layers = list(model.features)
    i = 0
    while i < len(feature_layers):
        m = feature_layers[i]
        if isinstance(m, nn.Conv2d):
            name = g.name("conv")
            w = g.tensor(name + "_weight", m.weight.detach().numpy(), fd)
            b = g.tensor(name + "_bias", m.bias.detach().numpy(), fd or biases_float_data)
            g.node("Conv", [w, b], name, kernel_shape=[3, 3], pads=[1, 1, 1, 1],
                   strides=[1, 1])
        elif isinstance(m, nn.BatchNorm2d):
            name = g.name("batchnorm")
            eps = bn_epsilon
            var = m.running_var.detach().numpy() - (eps - 1e-5)
            ins = [g.tensor(name + "_gamma", m.weight.detach().numpy(), fd),
                   g.tensor(name + "_beta", m.bias.detach().numpy(), fd),
                   g.tensor(name + "_running_mean", m.running_mean.detach().numpy(), fd),
                   g.tensor(name + "_running_var", var, fd)]
            attrs = {"epsilon": eps, "momentum": 0.9}
            if opset < 9:
                attrs["spatial"] = 1
            g.node("BatchNormalization", ins, name, **attrs)
        elif isinstance(m, nn.ReLU):
            g.node("Relu", [], g.name("relu"))
        elif isinstance(m, nn.MaxPool2d):
            g.node("MaxPool", [], g.name("pool"), kernel_shape=[2, 2], strides=[2, 2],
                   pads=[0, 0, 0, 0])
        i += 1
    if not top:
        g.output_shape = ["N", "C", "H", "W"]
        return g
    if pool == "global":
        g.node("GlobalAveragePool", [], g.name("gap"))
    linears = [m for m in model.classifier if isinstance(m, nn.Linear)]
    for k, lin in enumerate(linears):
        name = g.name("dense")
        if k == 0 or flatten_each:
            if classifier == "matmul" and k == 0:
                shape = np.array([0, -1], dtype=np.int64)
                g.initializers.append(numpy_helper.from_array(shape, name + "_shape"))
                g.node("Reshape", [name + "_shape"], name + "_reshape")
            elif classifier != "matmul":
                g.node("Flatten", [], name + "_flatten", axis=1)
        w = lin.weight.detach().numpy()
        b = lin.bias.detach().numpy()
        if classifier == "matmul":
            wt = g.tensor(name + "_weight", w.T, fd)
            g.node("MatMul", [wt], name + "_matmul")
            bt = g.tensor(name + "_bias", b, fd or biases_float_data)
            g.node("Add", [bt], name + "_add")
        else:
            wt = g.tensor(name + "_weight", w, fd)
            bt = g.tensor(name + "_bias", b, fd or biases_float_data)
            g.node("Gemm", [wt, bt], name, alpha=1.0, beta=1.0, transA=0, transB=1)
        if k + 1 < len(linears):
            g.node("Relu", [], g.name("relu"))
            if opset < 12:
                g.node("Dropout", [], g.name("dropout"), ratio=0.5)
            else:
                g.node("Dropout", [], g.name("dropout"))   # ratio became an input
    if softmax:
        g.node("Softmax", [], g.name("softmax"), axis=1)
    return g


def save(model, path):
    onnx.checker.check_model(model)
    onnx.save(model, path)


# --------------------------------------------------------------------------
# the third network, for GlobalAveragePool: config A, widths / 16, 32x32

GAP_CFG = [4, "M", 8, "M", 16, 16, "M", 32, 32, "M", 32, 32, "M"]


def build_gap_model():
    torch.manual_seed(3201)
    features = make_layers(GAP_CFG, batch_norm=False)
    classifier = nn.Sequential(nn.Linear(32, 24), nn.ReLU(True), nn.Dropout(0.5),
                               nn.Linear(24, 24), nn.ReLU(True), nn.Dropout(0.5),
                               nn.Linear(24, 10))
    with torch.no_grad():
        for m in list(features) + list(classifier):
            if isinstance(m, (nn.Conv2d, nn.Linear)):
                nn.init.kaiming_normal_(m.weight, mode="fan_in", nonlinearity="relu")
                m.bias.uniform_(-0.2, 0.2)
        classifier[6].weight.mul_(2.0)
    model = TorchvisionForward(features, nn.AdaptiveAvgPool2d(1), classifier)
    return model.eval()


def main(argv):
    out_dir = argv[1] if len(argv) > 1 else os.path.join(ROOT, "tests", "fixtures", "onnx")
    os.makedirs(out_dir, exist_ok=True)
    torch.set_num_threads(1)
    p = lambda name: os.path.join(out_dir, name)

    vgg16, _, _ = reference_model("narrow-vgg16")
    vgg11bn, _, _ = reference_model("narrow-vgg11-bn")

    # torch.onnx.export
    m16 = TorchvisionForward(vgg16.features, nn.AdaptiveAvgPool2d((2, 2)), vgg16.classifier).eval()
    proto = export(m16, p("narrow-vgg16-torch.onnx"), 64, opset_version=13)
    assert [n.op_type for n in proto.graph.node].count("AveragePool") == 1
    m11 = TorchvisionForward(vgg11bn.features, nn.AdaptiveAvgPool2d((2, 2)),
                             vgg11bn.classifier).eval()
    proto = export(m11, p("narrow-vgg11-bn-torch.onnx"), 64, opset_version=13,
                   training=torch.onnx.TrainingMode.PRESERVE)
    assert any(n.op_type == "BatchNormalization" for n in proto.graph.node)
    m11.eval()
    proto = export(m11, p("narrow-vgg11-bn-folded.onnx"), 64, opset_version=13)
    assert not any(n.op_type == "BatchNormalization" for n in proto.graph.node)

    gap = build_gap_model()
    proto = export(gap, p("narrow-vgg11-gap.onnx"), 32, opset_version=13)
    assert any(n.op_type == "GlobalAveragePool" for n in proto.graph.node)
    g = torch.Generator().manual_seed(3202)
    x = torch.randn((2, 3, 32, 32), generator=g)
    x[1].mul_(1.5).add_(0.5)
    outs, ref = REF.record_layers(gap.features, gap.classifier, x, avgpool=gap.avgpool)
    with torch.no_grad():
        assert torch.allclose(outs["fc8"], gap(x), atol=1e-5)
    REF.save_npy(p("narrow-vgg11-gap-input.npy"), x.numpy())
    REF.write_safetensors(p("narrow-vgg11-gap-outputs.safetensors"),
                          [(k, v) for k, v in outs.items()],
                          {"fixture.model": "narrow-vgg11-gap",
                           "fixture.generator": "tools/gen-onnx-fixtures.py"})

    # equal parameters: the exporter keeps one copy, shared, some behind Identity nodes
    shared = build_gap_model()
    with torch.no_grad():
        for m in list(shared.features) + list(shared.classifier):
            if isinstance(m, (nn.Conv2d, nn.Linear)):
                m.bias.fill_(0.05)
    proto = export(shared, p("narrow-vgg11-gap-shared.onnx"), 32, opset_version=13)
    assert any(n.op_type == "Identity" for n in proto.graph.node)
    outs, _ = REF.record_layers(shared.features, shared.classifier, x, avgpool=shared.avgpool)
    REF.save_npy(p("narrow-vgg11-gap-shared-input.npy"), x.numpy())
    REF.write_safetensors(p("narrow-vgg11-gap-shared-outputs.safetensors"),
                          [(k, v) for k, v in outs.items()],
                          {"fixture.model": "narrow-vgg11-gap-shared",
                           "fixture.generator": "tools/gen-onnx-fixtures.py"})

    # zoo-style graphs
    save(zoo_graph(vgg16, 64).model(7), p("narrow-vgg16-zoo.onnx"))
    save(zoo_graph(vgg11bn, 64, bn_epsilon=2e-5).model(7), p("narrow-vgg11-bn-zoo.onnx"))
    save(zoo_graph(gap, 32, opset=13, classifier="matmul", pool="global",
                   all_float_data=True, softmax=False).model(13),
         p("narrow-vgg11-gap-matmul.onnx"))
    save(zoo_graph(vgg16, 64, top=False).model(7), p("narrow-vgg16-notop.onnx"))

    # malformed graphs
    bad = zoo_graph(vgg16, 64).model(7)
    for node in bad.graph.node:
        if node.name == "vgg0_relu2_fwd":
            node.op_type = "Sigmoid"
    save(bad, p("bad-op.onnx"))
    bad = zoo_graph(vgg16, 64).model(7)
    bad.graph.node[2].input[0] = "data"
    assert bad.graph.node[2].name == "vgg0_conv1_fwd"
    save(bad, p("bad-branch.onnx"))
    mbad = TorchvisionForward(vgg16.features, nn.AdaptiveAvgPool2d(1),
                              nn.Sequential(nn.Linear(32, 10))).eval()
    export(mbad, p("bad-gap.onnx"), 64, opset_version=13)
    bad = zoo_graph(vgg16, 64).model(7)
    first = bad.graph.initializer[0]
    first.ClearField("raw_data")
    first.data_location = TensorProto.EXTERNAL
    entry = first.external_data.add()
    entry.key, entry.value = "location", "weights.bin"
    with open(p("bad-external.onnx"), "wb") as f:
        f.write(bad.SerializeToString())

    for name in sorted(os.listdir(out_dir)):
        print("%-36s %8d bytes" % (name, os.path.getsize(p(name))))


if __name__ == "__main__":
    main(sys.argv)
