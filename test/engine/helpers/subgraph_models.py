#!/usr/bin/python3
"""Writes small models whose work happens inside If/Loop/Scan bodies, for the quantizer and fp16 tests.

Usage: /usr/bin/python3 subgraph_models.py OUT_DIR
  vad-if.onnx     torch.jit.script: a sample-rate check (If) choosing between two Conv paths that read the stem's
                  output and weights from the outer scope; a Linear head after the If (a VAD)
  wake-loop.onnx  torch.jit.script: a recurrent step over frames (Loop) with MatMul+Tanh on an outer-scope weight,
                  the hidden state carried, a Constant inside the body (a wake-word head)
  scan-rnn.onnx   onnx.helper: a Scan whose body reads an outer-scope weight (also used by the main graph), holds its
                  own initializer and a Constant, carries a state and emits a scan output
Every model carries value_info records (shape inference), bodies included. Prints a JSON object: file name -> path.
"""

import json
import os
import sys

import numpy as np
import onnx
import torch
import torch.nn as nn
from onnx import TensorProto, helper, numpy_helper

OPSET = 17
SEED = 20240615


def export(module, args, path, inputs, outputs, dynamic_axes):
    torch.onnx.export(torch.jit.script(module.eval()), args, path, input_names=inputs, output_names=outputs,
                      dynamic_axes=dynamic_axes, opset_version=OPSET, do_constant_folding=True)


class Vad(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Conv1d(1, 16, 5, padding=2)
        self.mix = nn.Conv1d(16, 16, 1)
        self.conv16 = nn.Conv1d(16, 24, 3, padding=1)
        self.conv8 = nn.Conv1d(16, 24, 5, padding=2)
        self.gain8 = nn.Parameter(torch.rand(1, 24, 1) * 0.5 + 0.75)
        self.head = nn.Linear(24, 2)

    def forward(self, x, sr):
        f = torch.relu(self.stem(x))
        g = torch.relu(self.mix(f))
        if bool(sr == 16000):
            y = torch.relu(self.conv16(g))
        else:
            y = torch.relu(self.conv8(self.mix(f * 0.5))) * self.gain8 + 0.25
        return torch.sigmoid(self.head(y.mean(-1)))


class Wake(nn.Module):
    def __init__(self, feat: int = 20, hidden: int = 32):
        super().__init__()
        self.inp = nn.Linear(feat, hidden)
        self.rec = nn.Parameter(torch.randn(hidden, hidden) * 0.9 / hidden ** 0.5)
        self.head = nn.Linear(hidden, 3)
        self.hidden = hidden

    def forward(self, x):
        u = self.inp(x)
        h = torch.zeros(x.size(0), self.hidden)
        for t in range(x.size(1)):
            h = torch.tanh(u[:, t] + torch.matmul(h, self.rec) * 0.5)
        return torch.softmax(self.head(h), dim=-1)


def scan_rnn(path):
    rng = np.random.default_rng(SEED)
    feat, hidden, classes = 16, 32, 4
    w = lambda *shape, s: (rng.standard_normal(shape) * s).astype(np.float32)
    wx, wh, b = w(feat, hidden, s=feat ** -0.5), w(hidden, hidden, s=0.8 * hidden ** -0.5), w(hidden, s=0.1)
    f32 = TensorProto.FLOAT
    body = helper.make_graph(
        [helper.make_node("MatMul", ["x_t", "Wx"], ["xw"], name="step_x"),
         helper.make_node("MatMul", ["h_in", "Wh"], ["hw"], name="step_h"),
         helper.make_node("Constant", [], ["decay"], name="step_decay", value=numpy_helper.from_array(np.array(0.75, np.float32), "decay")),
         helper.make_node("Mul", ["hw", "decay"], ["hw_decayed"], name="step_mul"),
         helper.make_node("Add", ["xw", "hw_decayed"], ["pre"], name="step_add"),
         helper.make_node("Add", ["pre", "b"], ["pre_b"], name="step_bias"),
         helper.make_node("Tanh", ["pre_b"], ["h_out"], name="step_tanh"),
         helper.make_node("Relu", ["h_out"], ["y_t"], name="step_relu")],
        "scan_step",
        [helper.make_tensor_value_info("h_in", f32, ["batch", hidden]),
         helper.make_tensor_value_info("x_t", f32, ["batch", feat])],
        [helper.make_tensor_value_info("h_out", f32, ["batch", hidden]),
         helper.make_tensor_value_info("y_t", f32, ["batch", hidden])],
        [numpy_helper.from_array(wh, "Wh")])
    graph = helper.make_graph(
        [helper.make_node("ReduceMean", ["X"], ["x_mean"], name="mean_frames", axes=[1], keepdims=0),
         helper.make_node("MatMul", ["x_mean", "Wx"], ["h0_pre"], name="init_matmul"),
         helper.make_node("Tanh", ["h0_pre"], ["h0"], name="init_tanh"),
         helper.make_node("Scan", ["h0", "X"], ["h_last", "Y"], name="rnn_scan", body=body, num_scan_inputs=1,
                          scan_input_axes=[1], scan_output_axes=[1]),
         helper.make_node("ReduceMean", ["Y"], ["y_mean"], name="mean_steps", axes=[1], keepdims=0),
         helper.make_node("Add", ["y_mean", "h_last"], ["features"], name="features"),
         helper.make_node("Gemm", ["features", "head_w", "head_b"], ["logits"], name="head", transB=1)],
        "scan_rnn",
        [helper.make_tensor_value_info("X", f32, ["batch", "frames", feat])],
        [helper.make_tensor_value_info("logits", f32, ["batch", classes])],
        [numpy_helper.from_array(wx, "Wx"), numpy_helper.from_array(b, "b"),
         numpy_helper.from_array(w(classes, hidden, s=hidden ** -0.5), "head_w"), numpy_helper.from_array(w(classes, s=0.1), "head_b")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="deploy-studio-tests")
    model.ir_version = 8
    onnx.save(model, path)


def main():
    out_dir = sys.argv[1]
    os.makedirs(out_dir, exist_ok=True)
    torch.manual_seed(SEED)
    torch.set_num_threads(1)
    files = {}
    path = os.path.join(out_dir, "vad-if.onnx")
    export(Vad(), (torch.randn(1, 1, 256), torch.tensor(16000)), path, ["x", "sr"], ["prob"],
           {"x": {0: "batch", 2: "samples"}, "prob": {0: "batch"}})
    files["vad-if.onnx"] = path
    path = os.path.join(out_dir, "wake-loop.onnx")
    export(Wake(), (torch.randn(2, 12, 20),), path, ["x"], ["probs"], {"x": {0: "batch", 1: "frames"}, "probs": {0: "batch"}})
    files["wake-loop.onnx"] = path
    path = os.path.join(out_dir, "scan-rnn.onnx")
    scan_rnn(path)
    files["scan-rnn.onnx"] = path
    for p in files.values():
        # value_info records inside the bodies too: a converted body must keep them true to what its nodes produce
        onnx.save(onnx.shape_inference.infer_shapes(onnx.load(p)), p)
        onnx.checker.check_model(p, full_check=True)
    print(json.dumps(files))


if __name__ == "__main__":
    main()
