"""Small models for the TFLite export tests: an MLP head and a CNN using the rest of the op set (random weights)."""
import sys

import torch
from torch import nn


class Mlp(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(32, 64), nn.ReLU(), nn.Linear(64, 48), nn.Tanh(), nn.Linear(48, 10), nn.Softmax(dim=-1))

    def forward(self, x):
        return self.net(x)


class OpMix(nn.Module):
    """Concat, Slice, Split, Pad, Resize, LeakyReLU, Sigmoid, HardSwish, Sub/Mul/Div with broadcasting."""

    def __init__(self):
        super().__init__()
        self.a = nn.Conv2d(3, 8, 3, padding=1)
        self.b = nn.Conv2d(8, 8, 3, stride=2, padding=1, groups=8)
        self.c = nn.Conv2d(16, 8, 1)
        self.bn = nn.BatchNorm2d(8)
        self.pool = nn.AvgPool2d(2)
        self.fc = nn.Linear(8 * 8 * 8, 5)

    def forward(self, x):
        y = nn.functional.leaky_relu(self.a(x), 0.1)
        z = torch.sigmoid(self.b(y))
        z = nn.functional.interpolate(z, scale_factor=2.0, mode='nearest')
        u = torch.cat([y, z], dim=1)
        u = nn.functional.hardswish(self.bn(self.c(u)))
        p, q = torch.split(u, 4, dim=1)
        u = torch.cat([p * 0.5 - q, q / 2.0], dim=1)
        u = nn.functional.pad(u, (1, 1, 1, 1))[:, :, 1:-1, 1:-1]
        u = self.pool(u)
        return self.fc(u.flatten(1))


def main(out_dir):
    torch.manual_seed(0)
    for name, model, shape in [('mlp', Mlp(), (1, 32)), ('opmix', OpMix(), (1, 3, 16, 16))]:
        model.eval()
        torch.onnx.export(model, torch.randn(*shape), f'{out_dir}/{name}.onnx', input_names=['input'], output_names=['output'],
                          opset_version=17, dynamic_axes={'input': {0: 'batch'}, 'output': {0: 'batch'}})


if __name__ == '__main__':
    main(sys.argv[1])
