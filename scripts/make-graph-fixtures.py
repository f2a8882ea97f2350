#!/usr/bin/python3
"""Generates the big synthetic graphs of the graph benchmark and tests (git-ignored, test/fixtures/generated/).

Usage: /usr/bin/python3 scripts/make-graph-fixtures.py [OUT_DIR] [--sizes 200,2000,20000,50000] [--force]
  chain-N.onnx   N nodes in one long chain (flat names: the view groups them in blocks)
  blocks-N.onnx  about N nodes of transformer-like blocks with residual adds and torch-style scoped names
                 (/blocks.3/attn/q/MatMul), small distinct weights, shapes inferred
Idempotent: existing files are kept unless --force.
"""

import argparse
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
D = 8  # hidden size: small weights, so a 50 000-node model stays a few MB


def chain(n):
    nodes, inits = [], [numpy_helper.from_array(np.array([0.5], dtype=np.float32), "half")]
    prev = "x"
    ops = ["Relu", "Add", "Sigmoid", "Mul", "Tanh", "Abs"]
    for i in range(n):
        op = ops[i % len(ops)]
        out = f"t{i}"
        inputs = [prev, "half"] if op in ("Add", "Mul") else [prev]
        nodes.append(helper.make_node(op, inputs, [out], name=f"n{i}"))
        prev = out
    graph = helper.make_graph(nodes, f"chain{n}", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, D])],
                              [helper.make_tensor_value_info(prev, TensorProto.FLOAT, [1, D])], inits)
    return graph


def blocks(n):
    rng = np.random.default_rng(n)
    nodes, inits = [], []

    def w(name, shape):
        inits.append(numpy_helper.from_array(rng.standard_normal(shape).astype(np.float32), name))
        return name

    def node(op, inputs, name, **attrs):
        out = f"{name}_out"
        nodes.append(helper.make_node(op, inputs, [out], name=name, **attrs))
        return out

    x = "x"
    b = 0
    per_block = 17
    while len(nodes) + per_block <= max(n, per_block):
        p = f"/blocks.{b}"
        ln = node("LayerNormalization", [x, w(f"blocks.{b}.ln1.weight", [D]), w(f"blocks.{b}.ln1.bias", [D])], f"{p}/ln1/LayerNormalization", axis=-1)
        q = node("MatMul", [ln, w(f"blocks.{b}.attn.q.weight", [D, D])], f"{p}/attn/q/MatMul")
        k = node("MatMul", [ln, w(f"blocks.{b}.attn.k.weight", [D, D])], f"{p}/attn/k/MatMul")
        v = node("MatMul", [ln, w(f"blocks.{b}.attn.v.weight", [D, D])], f"{p}/attn/v/MatMul")
        kt = node("Transpose", [k], f"{p}/attn/Transpose", perm=[1, 0])
        s = node("MatMul", [q, kt], f"{p}/attn/MatMul")
        s = node("Mul", [s, w(f"blocks.{b}.attn.scale", [1])], f"{p}/attn/Mul")
        s = node("Softmax", [s], f"{p}/attn/Softmax", axis=-1)
        a = node("MatMul", [s, v], f"{p}/attn/MatMul_1")
        a = node("MatMul", [a, w(f"blocks.{b}.attn.proj.weight", [D, D])], f"{p}/attn/proj/MatMul")
        x1 = node("Add", [x, a], f"{p}/Add")
        ln2 = node("LayerNormalization", [x1, w(f"blocks.{b}.ln2.weight", [D]), w(f"blocks.{b}.ln2.bias", [D])], f"{p}/ln2/LayerNormalization", axis=-1)
        h = node("MatMul", [ln2, w(f"blocks.{b}.mlp.fc1.weight", [D, 2 * D])], f"{p}/mlp/fc1/MatMul")
        h = node("Add", [h, w(f"blocks.{b}.mlp.fc1.bias", [2 * D])], f"{p}/mlp/fc1/Add")
        h = node("Relu", [h], f"{p}/mlp/act/Relu")
        h = node("MatMul", [h, w(f"blocks.{b}.mlp.fc2.weight", [2 * D, D])], f"{p}/mlp/fc2/MatMul")
        x = node("Add", [x1, h], f"{p}/Add_1")
        b += 1
    graph = helper.make_graph(nodes, f"blocks{n}", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [4, D])],
                              [helper.make_tensor_value_info(x, TensorProto.FLOAT, [4, D])], inits)
    return graph


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out", nargs="?", default=os.path.join(REPO, "test", "fixtures", "generated"))
    ap.add_argument("--sizes", default="200,2000,20000,50000")
    ap.add_argument("--force", action="store_true")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    for size in [int(s) for s in args.sizes.split(",") if s]:
        for kind, build in (("chain", chain), ("blocks", blocks)):
            path = os.path.join(args.out, f"{kind}-{size}.onnx")
            if os.path.exists(path) and not args.force:
                continue
            model = helper.make_model(build(size), opset_imports=[helper.make_opsetid("", 17)], producer_name="deploy-studio-fixtures")
            model.ir_version = 8
            if kind == "blocks":
                model = onnx.shape_inference.infer_shapes(model)
            onnx.save(model, path)
            print(f"wrote {path} ({len(model.graph.node)} nodes)")


if __name__ == "__main__":
    main()
