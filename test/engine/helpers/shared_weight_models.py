#!/usr/bin/python3
"""Writes models whose exporter stored one initializer for several layers, for the shared-weight tests.

Usage: /usr/bin/python3 shared_weight_models.py OUT_DIR
  shared-cnn.onnx          a CNN applying one Conv module twice (its weight and bias are one initializer each)
  shared-transformer.onnx  an nn.TransformerEncoder whose two layers are one module (ALBERT-style): every attention
                           and feed-forward weight is read by two MatMul/Gemm nodes
Prints a JSON object: file name -> path. torch's exporter deduplicates shared parameters into one initializer.
"""

import json
import os
import sys

import torch
import torch.nn as nn

OPSET = 17
SEED = 20240616


class SharedCnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 32, 3, padding=1)
        self.block = nn.Conv2d(32, 32, 3, padding=1)
        self.head = nn.Linear(32, 10)

    def forward(self, x):
        x = torch.relu(self.stem(x))
        x = torch.relu(self.block(x))
        x = torch.relu(self.block(x)) + x
        return self.head(x.mean(dim=(2, 3)))


class SharedTransformer(nn.Module):
    def __init__(self, features=64, d_model=256, classes=10):
        super().__init__()
        self.proj = nn.Linear(features, d_model)
        layer = nn.TransformerEncoderLayer(d_model, nhead=4, dim_feedforward=1024, dropout=0.0, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers=2, enable_nested_tensor=False)
        self.encoder.layers[1] = self.encoder.layers[0]
        self.head = nn.Linear(d_model, classes)

    def forward(self, x):
        return self.head(self.encoder(self.proj(x)).mean(dim=1))


def export(model, x, path):
    torch.onnx.export(model.eval(), x, path, input_names=["input"], output_names=["logits"],
                      dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}}, opset_version=OPSET,
                      do_constant_folding=True)


def main():
    out_dir = sys.argv[1]
    os.makedirs(out_dir, exist_ok=True)
    torch.manual_seed(SEED)
    torch.set_num_threads(1)
    files = {"shared-cnn.onnx": os.path.join(out_dir, "shared-cnn.onnx"),
             "shared-transformer.onnx": os.path.join(out_dir, "shared-transformer.onnx")}
    export(SharedCnn(), torch.randn(1, 3, 32, 32), files["shared-cnn.onnx"])
    export(SharedTransformer(), torch.randn(1, 16, 64), files["shared-transformer.onnx"])
    print(json.dumps(files))


if __name__ == "__main__":
    main()
