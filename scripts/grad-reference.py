#!/usr/bin/env python3
"""Small random models for the differentiator's gradient tests: each is exported to ONNX (opset 17, batch-norm kept,
no constant folding) with torch autograd's gradients of sum(output * seed) for every parameter and for the input.

usage: grad-reference.py OUTDIR   (writes OUTDIR/manifest.json and one folder per case)
"""
import json
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


class Act(nn.Module):
    def __init__(self, fn):
        super().__init__()
        self.fn = fn

    def forward(self, x):
        return self.fn(x)


def conv_bn(cin, cout, k, s=1, p=0, g=1, d=1, act=None):
    layers = [nn.Conv2d(cin, cout, k, stride=s, padding=p, groups=g, dilation=d, bias=False), nn.BatchNorm2d(cout)]
    if act is not None:
        layers.append(act)
    return nn.Sequential(*layers)


class Residual(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.a = conv_bn(c, c, 3, p=1, act=nn.ReLU())
        self.b = conv_bn(c, c, 3, p=1)

    def forward(self, x):
        return F.relu(x + self.b(self.a(x)))


class InvertedResidual(nn.Module):
    """MobileNetV2/V3-style: expand, depthwise, squeeze-excitation, project, skip."""

    def __init__(self, c, e):
        super().__init__()
        self.expand = conv_bn(c, e, 1, act=nn.ReLU6())
        self.dw = conv_bn(e, e, 3, p=1, g=e, act=nn.Hardswish())
        self.se_fc1 = nn.Conv2d(e, 4, 1)
        self.se_fc2 = nn.Conv2d(4, e, 1)
        self.project = conv_bn(e, c, 1)

    def forward(self, x):
        y = self.dw(self.expand(x))
        s = F.adaptive_avg_pool2d(y, 1)
        s = F.hardsigmoid(self.se_fc2(F.relu(self.se_fc1(s))))
        return x + self.project(y * s)


class Concat(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Conv2d(3, 4, 1)
        self.b = nn.Conv2d(3, 2, 3, padding=1)
        self.fc = nn.Linear(6 * 8 * 8, 5)

    def forward(self, x):
        y = torch.cat([torch.sigmoid(self.a(x)), torch.tanh(self.b(x))], dim=1)
        return self.fc(torch.flatten(y.permute(0, 2, 3, 1), 1))


class MatMulHead(nn.Module):
    def __init__(self):
        super().__init__()
        self.w = nn.Parameter(torch.randn(6, 7) * 0.3)
        self.b = nn.Parameter(torch.randn(7) * 0.1)
        self.scale = nn.Parameter(torch.rand(7) + 0.5)

    def forward(self, x):  # x: [N, 4, 6]
        y = torch.matmul(x, self.w) + self.b
        y = F.leaky_relu(y, 0.1) * self.scale / (self.scale + 1.0)
        return torch.log_softmax(y.mean(dim=1), dim=-1) - torch.softmax(y.sum(dim=1), dim=-1)


def cases():
    return {
        "conv_bn_relu_maxpool_gemm": (nn.Sequential(conv_bn(1, 6, 3, p=1, act=nn.ReLU()), nn.MaxPool2d(2), conv_bn(6, 8, 3, act=nn.ReLU()), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(8 * 2 * 2, 10)), (3, 1, 14, 14)),
        "strided_dilated_grouped_conv": (nn.Sequential(nn.Conv2d(4, 8, 3, stride=2, padding=1, groups=2), nn.ReLU(), nn.Conv2d(8, 8, 3, dilation=2, padding=2), nn.Conv2d(8, 6, 2, stride=2), nn.Flatten(), nn.Linear(6 * 3 * 3, 4)), (2, 4, 13, 13)),
        "resnet_block_avgpool": (nn.Sequential(conv_bn(3, 8, 3, p=1, act=nn.ReLU()), nn.MaxPool2d(3, 2, 1), Residual(8), nn.AvgPool2d(2), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 6)), (2, 3, 10, 10)),
        "mobilenet_block": (nn.Sequential(conv_bn(3, 8, 3, s=2, p=1, act=nn.Hardswish()), InvertedResidual(8, 16), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 5), nn.Softmax(dim=-1)), (2, 3, 16, 16)),
        "concat_transpose_sigmoid_tanh": (Concat(), (2, 3, 8, 8)),
        "matmul_broadcast_div_softmax": (MatMulHead(), (3, 4, 6)),
    }


def main(out):
    torch.manual_seed(0)
    os.makedirs(out, exist_ok=True)
    manifest = []
    for name, (model, shape) in cases().items():
        model.eval()
        with torch.no_grad():  # non-trivial batch-norm statistics
            for m in model.modules():
                if isinstance(m, nn.BatchNorm2d):
                    m.running_mean.uniform_(-0.5, 0.5)
                    m.running_var.uniform_(0.5, 2.0)
                    m.weight.uniform_(0.5, 1.5)
                    m.bias.uniform_(-0.2, 0.2)
        folder = os.path.join(out, name)
        os.makedirs(folder, exist_ok=True)
        x = torch.randn(*shape)
        onnx_path = os.path.join(folder, "model.onnx")
        torch.onnx.export(model, x, onnx_path, input_names=["x"], output_names=["y"], dynamic_axes={"x": {0: "n"}, "y": {0: "n"}},
                          opset_version=17, training=torch.onnx.TrainingMode.PRESERVE, do_constant_folding=False)
        xg = x.clone().requires_grad_(True)
        y = model(xg)
        seed = torch.randn_like(y)
        (y * seed).sum().backward()
        np.save(os.path.join(folder, "x.npy"), x.numpy().astype(np.float32))
        np.save(os.path.join(folder, "seed.npy"), seed.numpy().astype(np.float32))
        np.save(os.path.join(folder, "y.npy"), y.detach().numpy().astype(np.float32))
        np.save(os.path.join(folder, "grad_x.npy"), xg.grad.numpy().astype(np.float32))
        grads = {}
        for pname, p in model.named_parameters():
            if p.grad is None:
                continue
            f = "grad_" + pname.replace(".", "_") + ".npy"
            np.save(os.path.join(folder, f), p.grad.numpy().astype(np.float32))
            grads[pname] = f
        manifest.append({"name": name, "folder": name, "grads": grads})
    with open(os.path.join(out, "manifest.json"), "w") as fh:
        json.dump(manifest, fh, indent=1)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
