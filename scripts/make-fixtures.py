#!/usr/bin/python3
"""Generates the ONNX test-model fixtures (random seeded weights, opset 17) used by the test suites.

Usage: /usr/bin/python3 scripts/make-fixtures.py [OUT_DIR] [--force] [--big] [--no-verify]
  OUT_DIR      default test/fixtures/generated/ (git-ignored)
  --force      rewrite files that already exist (default: skip them)
  --big        also write big-300mb.onnx and big-300mb-ext.onnx + big-300mb-ext.bin (~300 MB each)
  --no-verify  skip running the models with onnxruntime-node (onnx.checker always runs)
Needs Debian packages python3-torch, python3-torchvision, python3-onnx, python3-numpy.
"""

import argparse
import inspect
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SEED = 20240601
OPSET = 17


# ---------------------------------------------------------------- helpers

def ort_available():
    return bool(shutil.which("node")) and os.path.isdir(
        os.path.join(REPO, "node_modules", "onnxruntime-node"))


def ort_run(model_path, feeds):
    """Runs a model with onnxruntime-node (python onnxruntime is not installed here).

    feeds: {name: numpy array}; returns {name: numpy array} (float32/int64/bool outputs)."""
    js = r"""
const fs = require('fs'); const ort = require('onnxruntime-node');
const [model, inFile, outFile] = process.argv.slice(1);
const ctor = { float32: Float32Array, int64: BigInt64Array, bool: Uint8Array };
(async () => {
  const s = await ort.InferenceSession.create(model);
  const spec = JSON.parse(fs.readFileSync(inFile, 'utf8'));
  const feeds = {};
  for (const [name, t] of Object.entries(spec)) {
    const data = t.type === 'int64' ? BigInt64Array.from(t.data.map(BigInt)) : ctor[t.type].from(t.data);
    feeds[name] = new ort.Tensor(t.type, data, t.dims);
  }
  const res = await s.run(feeds);
  const out = {};
  for (const [name, t] of Object.entries(res)) {
    out[name] = { type: t.type, dims: t.dims, data: Array.from(t.data, (v) => Number(v)) };
  }
  fs.writeFileSync(outFile, JSON.stringify(out));
})().catch((e) => { console.error(String(e)); process.exit(1); });
"""
    np_type = {"float32": np.float32, "int64": np.int64, "bool": np.bool_}
    with tempfile.TemporaryDirectory() as tmp:
        in_file, out_file = os.path.join(tmp, "in.json"), os.path.join(tmp, "out.json")
        with open(in_file, "w") as f:
            json.dump({k: {"type": str(v.dtype) if v.dtype != np.bool_ else "bool",
                           "dims": list(v.shape), "data": v.ravel().tolist()}
                       for k, v in feeds.items()}, f)
        r = subprocess.run(["node", "-e", js, os.path.abspath(model_path), in_file, out_file],
                           cwd=REPO, capture_output=True, text=True, timeout=600)
        if r.returncode != 0:
            raise RuntimeError(f"onnxruntime-node failed on {model_path}: {r.stderr.strip()}")
        with open(out_file) as f:
            out = json.load(f)
    return {k: np.array(v["data"], dtype=np_type[v["type"]]).reshape(v["dims"]) for k, v in out.items()}


def assert_close(name, ref, got, tol=1e-3):
    ref, got = np.asarray(ref, dtype=np.float64), np.asarray(got, dtype=np.float64)
    assert ref.shape == got.shape, f"{name}: shape {got.shape} != {ref.shape}"
    err = float(np.abs(ref - got).max()) / max(1e-6, float(np.abs(ref).max()))
    assert err < tol, f"{name}: relative error {err:.2e} >= {tol}"
    return err


def torch_export(model, dummy, path, input_names, output_names, dynamic_axes):
    """torch.onnx.export via the TorchScript exporter (dynamo=False where that option exists)."""
    import torch
    kwargs = dict(input_names=input_names, output_names=output_names,
                  dynamic_axes=dynamic_axes, opset_version=OPSET, do_constant_folding=True)
    if "dynamo" in inspect.signature(torch.onnx.export).parameters:
        kwargs["dynamo"] = False
    model.eval()
    torch.onnx.export(model, dummy, path, **kwargs)


def check(path):
    # Path form lets the C++ checker resolve external data and models near the 2 GB proto limit.
    onnx.checker.check_model(path, full_check=True)


# ---------------------------------------------------------------- torch models

FASHION_MNIST = "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"


def fashion_mnist_batches(steps, batch, res):
    """Yields (images [batch,3,res,res] in [-1,1], labels) from Debian's Fashion-MNIST training split."""
    import gzip
    import struct
    import torch
    import torch.nn.functional as F
    if not os.path.exists(FASHION_MNIST):
        sys.exit(f"{FASHION_MNIST} is missing: install the Debian package dataset-fashion-mnist")
    blobs = []
    for f in (FASHION_MNIST, FASHION_MNIST.replace("images-idx3", "labels-idx1")):
        with gzip.open(f, "rb") as fh:
            data = fh.read()
        ndim = data[3]
        dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
        blobs.append(np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims))
    images = torch.tensor(blobs[0][:20000]).float() / 127.5 - 1
    labels = torch.tensor(blobs[1][:20000].astype(np.int64))
    for _ in range(steps):
        idx = torch.randint(0, images.shape[0], (batch,))
        x = F.interpolate(images[idx, None], size=(res, res), mode="bilinear", align_corners=False)
        yield x.expand(-1, 3, -1, -1), labels[idx]


def make_torchvision(name, train_steps=0):
    def build(path, verify):
        import torch
        import torchvision
        torch.manual_seed(SEED)
        model = getattr(torchvision.models, name)(weights=None)
        if train_steps:
            # A randomly initialised MobileNetV2 with data-estimated BN statistics is chaotic: 40 dB of input noise
            # leaves 20 dB at its output, which no real network does. A few SGD steps on Fashion-MNIST (32x32,
            # about 20 s) give it trained-network behaviour (the same noise leaves > 60 dB) for the quantization tests.
            opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=4e-5)
            model.train()
            for x, y in fashion_mnist_batches(train_steps, 64, 32):
                loss = torch.nn.functional.cross_entropy(model(x), y)
                opt.zero_grad()
                loss.backward()
                opt.step()
        else:
            # Fresh BN statistics (mean 0, var 1) leave e.g. mobilenet_v2 with ~1e-9 logits; re-estimate
            # them on a few random batches so outputs are O(1) and BN folding has real work to do.
            for m in model.modules():
                if isinstance(m, torch.nn.modules.batchnorm._BatchNorm):
                    m.reset_running_stats()
                    m.momentum = None  # cumulative average
            model.train()
            with torch.no_grad():
                for _ in range(2):
                    model(torch.randn(8, 3, 224, 224))
        model.eval()
        x = torch.randn(1, 3, 224, 224)
        torch_export(model, x, path, ["input"], ["logits"],
                     {"input": {0: "batch"}, "logits": {0: "batch"}})
        check(path)
        if verify:
            with torch.no_grad():
                ref = model(x).numpy()
            return "max rel err %.1e vs torch" % assert_close(name, ref, ort_run(path, {"input": x.numpy()})["logits"])
    return build


def build_transformer(path, verify):
    import torch
    import torch.nn as nn

    class TinyTransformer(nn.Module):
        """Input features [batch, 16, 64] -> projection + learned positions -> BERT-tiny-sized encoder (2 layers,
        d_model 128, 4 heads, feed-forward 512) -> 10 logits."""

        def __init__(self, features=64, d_model=128, seq=16, classes=10):
            super().__init__()
            self.proj = nn.Linear(features, d_model)
            self.pos = nn.Parameter(torch.randn(1, seq, d_model) * 0.02)
            layer = nn.TransformerEncoderLayer(d_model, nhead=4, dim_feedforward=512,
                                               dropout=0.0, batch_first=True)
            self.encoder = nn.TransformerEncoder(layer, num_layers=2, enable_nested_tensor=False)
            # TransformerEncoder deep-copies one layer, so every layer would start with the same weights and the
            # exporter would store them once; a real model's layers differ, so each gets its own initialisation.
            for m in self.encoder.modules():
                for reset in ("reset_parameters", "_reset_parameters"):
                    if m is not self.encoder and hasattr(m, reset):
                        getattr(m, reset)()
            self.norm = nn.LayerNorm(d_model)
            self.head = nn.Linear(d_model, classes)

        def forward(self, x):
            h = self.encoder(self.proj(x) + self.pos)
            return self.head(self.norm(h.mean(dim=1)))

    torch.manual_seed(SEED)
    model = TinyTransformer().eval()
    x = torch.randn(2, 16, 64)
    torch_export(model, x, path, ["input"], ["logits"],
                 {"input": {0: "batch"}, "logits": {0: "batch"}})
    check(path)
    if verify:
        with torch.no_grad():
            ref = model(x).numpy()
        return "max rel err %.1e vs torch" % assert_close("transformer", ref, ort_run(path, {"input": x.numpy()})["logits"])


def build_constant_weights(path, verify):
    """Small CNN whose weights all live in Constant nodes (Paddle2ONNX style), zero initializers."""
    import torch
    import torch.nn as nn
    torch.manual_seed(SEED)
    model = nn.Sequential(
        nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
        nn.Linear(16, 32), nn.ReLU(), nn.Linear(32, 10)).eval()
    x = torch.randn(1, 3, 32, 32)
    with tempfile.TemporaryDirectory() as tmp:
        plain = os.path.join(tmp, "plain.onnx")
        torch_export(model, x, plain, ["input"], ["logits"],
                     {"input": {0: "batch"}, "logits": {0: "batch"}})
        proto = onnx.load(plain)
    graph = proto.graph
    consts = [helper.make_node("Constant", [], [init.name], name=f"const/{init.name}", value=init)
              for init in graph.initializer]
    init_names = {init.name for init in graph.initializer}
    nodes = consts + list(graph.node)  # constants first keeps the graph topologically sorted
    kept_inputs = [i for i in graph.input if i.name not in init_names]
    del graph.node[:]
    graph.node.extend(nodes)
    del graph.initializer[:]
    del graph.input[:]
    graph.input.extend(kept_inputs)
    onnx.save_model(proto, path)
    check(path)
    assert len(onnx.load(path).graph.initializer) == 0
    if verify:
        with torch.no_grad():
            ref = model(x).numpy()
        return f"{len(consts)} Constant weights; max rel err %.1e vs torch" % assert_close(
            "constant-weights", ref, ort_run(path, {"input": x.numpy()})["logits"])
    return f"{len(consts)} Constant weights"


def build_external_data(path, verify):
    """2-layer MLP whose tensors are all stored in external-data.bin next to the model."""
    import torch
    import torch.nn as nn
    torch.manual_seed(SEED)
    model = nn.Sequential(nn.Linear(32, 64), nn.ReLU(), nn.Linear(64, 10)).eval()
    x = torch.randn(3, 32)
    with tempfile.TemporaryDirectory() as tmp:
        plain = os.path.join(tmp, "plain.onnx")
        torch_export(model, x, plain, ["input"], ["logits"],
                     {"input": {0: "batch"}, "logits": {0: "batch"}})
        proto = onnx.load(plain)
    bin_path = os.path.join(os.path.dirname(path), "external-data.bin")
    if os.path.exists(bin_path):
        os.remove(bin_path)  # onnx appends to an existing data file
    onnx.save_model(proto, path, save_as_external_data=True, all_tensors_to_one_file=True,
                    location="external-data.bin", size_threshold=0)
    check(path)
    if verify:
        with torch.no_grad():
            ref = model(x).numpy()
        return "max rel err %.1e vs torch" % assert_close(
            "external-data", ref, ort_run(path, {"input": x.numpy()})["logits"])


def build_opset9_net(path, verify):
    """A small CNN exported at opset 9, the way older exporters wrote models: Upsample, Pad/Clip/Slice/Split/TopK with
    attributes, reductions with axes attributes, Softmax on a middle axis. The opset converter's tests convert it."""
    import torch
    import torch.nn as nn
    import torch.nn.functional as F

    class Opset9Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = nn.Conv2d(3, 8, 3, padding=1)
            self.bn1 = nn.BatchNorm2d(8)
            self.conv2 = nn.Conv2d(8, 8, 3, padding=1)
            self.up = nn.Upsample(scale_factor=2, mode="nearest")
            self.drop = nn.Dropout(0.2)
            self.fc = nn.Linear(8, 10)

        def forward(self, x):
            y = torch.relu(self.bn1(self.conv1(x)))
            y = self.up(F.max_pool2d(y, 2))
            y = F.pad(y, (1, 1, 0, 0), value=0.5)
            y = torch.clamp(self.conv2(y), -1.0, 1.0)[:, :, 1:-1, :]
            a, b = torch.split(y, [3, 5], dim=1)
            s = torch.softmax(a, dim=1).sum(dim=(2, 3))
            z = torch.cat([b.mean(dim=(2, 3)), s], dim=1).unsqueeze(1).squeeze(1)
            top, _ = torch.topk(z, 2, dim=1)
            return self.fc(self.drop(z)), top

    torch.manual_seed(SEED)
    model = Opset9Net().eval()
    x = torch.randn(2, 3, 16, 16)
    kwargs = dict(input_names=["x"], output_names=["logits", "top"], dynamic_axes={"x": {0: "batch"}},
                  opset_version=9, do_constant_folding=True)
    if "dynamo" in inspect.signature(torch.onnx.export).parameters:
        kwargs["dynamo"] = False
    torch.onnx.export(model, x, path, **kwargs)
    check(path)
    if verify:
        with torch.no_grad():
            ref = model(x)
        got = ort_run(path, {"x": x.numpy()})
        err = max(assert_close("opset9-net logits", ref[0].numpy(), got["logits"]), assert_close("opset9-net top", ref[1].numpy(), got["top"]))
        return "max rel err %.1e vs torch" % err


# ---------------------------------------------------------------- hand-built graphs

def build_loop_rnn(path, verify):
    """An RNN written as an ONNX Loop: h = tanh(x U + h W + b) for 8 steps, then a Gemm head. Its body's MatMuls read
    their weights from the outer scope, as exported recurrent models do."""
    rng = np.random.default_rng(SEED)
    feat, hidden, steps, classes = 32, 64, 8, 10
    w = lambda *shape, s: (rng.standard_normal(shape) * s).astype(np.float32)
    weights = {"U0": w(feat, hidden, s=feat ** -0.5), "U": w(feat, hidden, s=feat ** -0.5), "W": w(hidden, hidden, s=0.9 * hidden ** -0.5),
               "b": w(hidden, s=0.1), "head_w": w(classes, hidden, s=hidden ** -0.5), "head_b": w(classes, s=0.1)}
    body = helper.make_graph(
        [helper.make_node("MatMul", ["X", "U"], ["xu"], name="step_input_matmul"),
         helper.make_node("MatMul", ["h_in", "W"], ["hw"], name="step_recurrent_matmul"),
         helper.make_node("Add", ["xu", "hw"], ["pre"], name="step_add"),
         helper.make_node("Add", ["pre", "b"], ["pre_b"], name="step_bias"),
         helper.make_node("Tanh", ["pre_b"], ["h_out"], name="step_tanh"),
         helper.make_node("Identity", ["cond_in"], ["cond_out"], name="step_cond")],
        "rnn_step",
        [helper.make_tensor_value_info("i", TensorProto.INT64, []),
         helper.make_tensor_value_info("cond_in", TensorProto.BOOL, []),
         helper.make_tensor_value_info("h_in", TensorProto.FLOAT, ["batch", hidden])],
        [helper.make_tensor_value_info("cond_out", TensorProto.BOOL, []),
         helper.make_tensor_value_info("h_out", TensorProto.FLOAT, ["batch", hidden])])
    graph = helper.make_graph(
        [helper.make_node("MatMul", ["X", "U0"], ["x0"], name="init_matmul"),
         helper.make_node("Tanh", ["x0"], ["h0"], name="init_tanh"),
         helper.make_node("Loop", ["trip", "keep_going", "h0"], ["h_last"], name="rnn_loop", body=body),
         helper.make_node("Gemm", ["h_last", "head_w", "head_b"], ["logits"], name="head", transB=1)],
        "loop_rnn",
        [helper.make_tensor_value_info("X", TensorProto.FLOAT, ["batch", feat])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", classes])],
        [numpy_helper.from_array(v, k) for k, v in weights.items()]
        + [numpy_helper.from_array(np.array(steps, dtype=np.int64), "trip"),
           numpy_helper.from_array(np.array(True), "keep_going")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="deploy-studio-fixtures")
    model.ir_version = 8
    onnx.save(model, path)
    check(path)
    if verify:
        x = rng.standard_normal((2, feat)).astype(np.float32)
        h = np.tanh(x @ weights["U0"])
        for _ in range(steps):
            h = np.tanh(x @ weights["U"] + h @ weights["W"] + weights["b"])
        ref = h @ weights["head_w"].T + weights["head_b"]
        return "max rel err %.1e vs numpy" % assert_close("loop-rnn", ref, ort_run(path, {"X": x})["logits"])


def build_if_model(path, verify):
    """X[N,4] -> If(ReduceSum(X) > 0) with a nested If in the then-branch; plus a Loop (3 iterations)."""
    f32 = TensorProto.FLOAT

    def scalar(name, value):
        return helper.make_node("Constant", [], [name], value=helper.make_tensor(name + "_v", f32, [], [value]))

    # inner If (inside the then-branch): ReduceMax(X) > 1 ? Sigmoid(T) : Identity(T)
    inner_then = helper.make_graph(
        [helper.make_node("Sigmoid", ["t_relu"], ["inner_then_out"])],
        "inner_then", [], [helper.make_tensor_value_info("inner_then_out", f32, None)])
    inner_else = helper.make_graph(
        [helper.make_node("Identity", ["t_relu"], ["inner_else_out"])],
        "inner_else", [], [helper.make_tensor_value_info("inner_else_out", f32, None)])
    then_branch = helper.make_graph(
        [scalar("two", 2.0),
         helper.make_node("Mul", ["X", "two"], ["t_mul"]),
         helper.make_node("Relu", ["t_mul"], ["t_relu"]),
         helper.make_node("ReduceMax", ["X"], ["t_max"], keepdims=0),
         scalar("one_t", 1.0),
         helper.make_node("Greater", ["t_max", "one_t"], ["t_cond"]),
         helper.make_node("If", ["t_cond"], ["then_out"], name="inner_if",
                          then_branch=inner_then, else_branch=inner_else)],
        "then_branch", [], [helper.make_tensor_value_info("then_out", f32, None)])
    else_branch = helper.make_graph(
        [scalar("one_e", 1.0),
         helper.make_node("Neg", ["X"], ["e_neg"]),
         helper.make_node("Add", ["e_neg", "one_e"], ["else_out"])],
        "else_branch", [], [helper.make_tensor_value_info("else_out", f32, None)])

    # Loop body: (iter, cond, acc) -> (cond, acc + Relu(X) * 0.5)
    loop_body = helper.make_graph(
        [helper.make_node("Identity", ["cond_in"], ["cond_out"]),
         helper.make_node("Relu", ["X"], ["b_relu"]),
         scalar("half", 0.5),
         helper.make_node("Mul", ["b_relu", "half"], ["b_scaled"]),
         helper.make_node("Add", ["acc_in", "b_scaled"], ["acc_out"])],
        "loop_body",
        [helper.make_tensor_value_info("iter", TensorProto.INT64, []),
         helper.make_tensor_value_info("cond_in", TensorProto.BOOL, []),
         helper.make_tensor_value_info("acc_in", f32, ["N", 4])],
        [helper.make_tensor_value_info("cond_out", TensorProto.BOOL, []),
         helper.make_tensor_value_info("acc_out", f32, ["N", 4])])

    graph = helper.make_graph(
        [helper.make_node("ReduceSum", ["X"], ["sum"], keepdims=0),
         helper.make_node("Greater", ["sum", "zero"], ["cond"]),
         helper.make_node("If", ["cond"], ["Y"], name="outer_if",
                          then_branch=then_branch, else_branch=else_branch),
         helper.make_node("Mul", ["X", "zero"], ["acc0"]),
         helper.make_node("Loop", ["trip", "keep_going", "acc0"], ["Z"], name="loop", body=loop_body)],
        "if_model",
        [helper.make_tensor_value_info("X", f32, ["N", 4])],
        [helper.make_tensor_value_info("Y", f32, ["N", 4]),
         helper.make_tensor_value_info("Z", f32, ["N", 4])],
        initializer=[numpy_helper.from_array(np.array(0.0, np.float32), "zero"),
                     numpy_helper.from_array(np.array(3, np.int64), "trip"),
                     numpy_helper.from_array(np.array(True), "keep_going")])
    model = helper.make_model(graph, producer_name="deploy-studio-fixtures",
                              opset_imports=[helper.make_opsetid("", OPSET)])
    model.ir_version = 8
    onnx.save_model(model, path)
    check(path)
    if verify:
        sig = lambda a: 1 / (1 + np.exp(-a))
        for x in (np.array([[1, 2, 3, 4], [0.5, -1, 0, 2]], np.float32),    # then, inner then
                  np.array([[0.1, 0.2, 0.1, 0.3]], np.float32),            # then, inner else
                  np.array([[-1, -2, 3, -4], [0, 0, -1, 1]], np.float32)):  # else
            relu2 = np.maximum(x * 2, 0)
            y = (sig(relu2) if x.max() > 1 else relu2) if x.sum() > 0 else 1 - x
            out = ort_run(path, {"X": x})
            assert_close("if-model Y", y, out["Y"], 1e-5)
            assert_close("if-model Z", 1.5 * np.maximum(x, 0), out["Z"], 1e-5)
        return "3 branch paths checked"


def build_big(path, verify, external):
    """Chain of 5 MatMul+Add+Relu layers, 3872x3872 float32 weights: ~300 MB of parameters."""
    dim, layers = 3872, 5
    rng = np.random.default_rng(SEED)
    nodes, inits, cur = [], [], "input"
    for i in range(layers):
        w = (rng.standard_normal((dim, dim), dtype=np.float32) / np.sqrt(dim)).astype(np.float32)
        b = (rng.standard_normal(dim, dtype=np.float32) * 0.01).astype(np.float32)
        inits += [numpy_helper.from_array(w, f"w{i}"), numpy_helper.from_array(b, f"b{i}")]
        out = "output" if i == layers - 1 else f"h{i}"
        nodes += [helper.make_node("MatMul", [cur, f"w{i}"], [f"mm{i}"]),
                  helper.make_node("Add", [f"mm{i}", f"b{i}"], [f"add{i}" if out != "output" else out])]
        if out != "output":
            nodes.append(helper.make_node("Relu", [f"add{i}"], [out]))
        cur = out
    graph = helper.make_graph(
        nodes, "big_mlp",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["batch", dim])],
        [helper.make_tensor_value_info("output", TensorProto.FLOAT, ["batch", dim])],
        initializer=inits)
    model = helper.make_model(graph, producer_name="deploy-studio-fixtures",
                              opset_imports=[helper.make_opsetid("", OPSET)])
    model.ir_version = 8
    if external:
        bin_name = os.path.splitext(os.path.basename(path))[0] + ".bin"
        bin_path = os.path.join(os.path.dirname(path), bin_name)
        if os.path.exists(bin_path):
            os.remove(bin_path)
        onnx.save_model(model, path, save_as_external_data=True, all_tensors_to_one_file=True,
                        location=bin_name, size_threshold=0)
    else:
        onnx.save_model(model, path)
    check(path)
    if verify:
        x = rng.standard_normal((1, dim), dtype=np.float32)
        ref = x.astype(np.float64)
        for i in range(layers):
            ref = ref @ numpy_helper.to_array(inits[2 * i]).astype(np.float64) + numpy_helper.to_array(inits[2 * i + 1])
            if i < layers - 1:
                ref = np.maximum(ref, 0)
        return "max rel err %.1e vs numpy" % assert_close(os.path.basename(path), ref, ort_run(path, {"input": x})["output"])


# ---------------------------------------------------------------- main

def build_trained_mobilenets(path, verify):
    import subprocess
    subprocess.run(["/usr/bin/python3", os.path.join(REPO, "scripts", "train-mobilenets.py"), os.path.dirname(path)], check=True)
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out_dir", nargs="?", default=os.path.join(REPO, "test", "fixtures", "generated"))
    ap.add_argument("--force", action="store_true", help="rewrite existing files")
    ap.add_argument("--big", action="store_true", help="also write the ~300 MB models")
    ap.add_argument("--no-verify", action="store_true", help="skip onnxruntime-node runs")
    args = ap.parse_args()

    import torch
    torch.set_num_threads(2)
    verify = not args.no_verify and ort_available()
    if not args.no_verify and not verify:
        print("note: node/onnxruntime-node not found, models are only checked with onnx.checker")

    # (files written, builder); a builder writes the first file, the others are its side files.
    jobs = [
        (["resnet18.onnx"], make_torchvision("resnet18")),
        (["mobilenet_v2.onnx"], make_torchvision("mobilenet_v2", train_steps=40)),
        (["densenet121.onnx"], make_torchvision("densenet121")),
        (["transformer.onnx"], build_transformer),
        (["if-model.onnx"], build_if_model),
        (["loop-rnn.onnx"], build_loop_rnn),
        (["constant-weights.onnx"], build_constant_weights),
        (["external-data.onnx", "external-data.bin"], build_external_data),
        (["opset9-net.onnx"], build_opset9_net),
        # trained MobileNets for the int8 fidelity tests (several minutes; kept once made)
        (["trained/mobilenet_v3_small.onnx", "trained/mobilenet_v2.onnx"], build_trained_mobilenets),
    ]
    if args.big:
        jobs += [(["big-300mb.onnx"], lambda p, v: build_big(p, v, external=False)),
                 (["big-300mb-ext.onnx", "big-300mb-ext.bin"], lambda p, v: build_big(p, v, external=True))]

    os.makedirs(args.out_dir, exist_ok=True)
    t_all = time.time()
    for files, build in jobs:
        paths = [os.path.join(args.out_dir, f) for f in files]
        if not args.force and all(os.path.exists(p) for p in paths):
            print(f"skip   {', '.join(files)} (exists; --force to rewrite)")
            continue
        t0 = time.time()
        note = build(paths[0], verify)
        sizes = ", ".join(f"{f} {os.path.getsize(p) / 1e6:.2f} MB" for f, p in zip(files, paths))
        print(f"wrote  {sizes} in {time.time() - t0:.1f}s" + (f" [{note}]" if note else ""))
    print(f"done in {time.time() - t_all:.1f}s -> {args.out_dir}")


if __name__ == "__main__":
    main()
