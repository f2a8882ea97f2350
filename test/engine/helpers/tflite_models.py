"""Models for the TFLite export tests (random weights): an MLP head and torchvision's squeezenet1_0."""
import sys

import torch
import torchvision
from torch import nn


class Mlp(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(32, 64), nn.ReLU(), nn.Linear(64, 48), nn.Tanh(), nn.Linear(48, 10), nn.Softmax(dim=-1))

    def forward(self, x):
        return self.net(x)


def main(out_dir):
    torch.manual_seed(0)
    for name, model, shape in [('mlp', Mlp(), (1, 32)), ('squeezenet', torchvision.models.squeezenet1_0(), (1, 3, 224, 224))]:
        model.eval()
        torch.onnx.export(model, torch.randn(*shape), f'{out_dir}/{name}.onnx', input_names=['input'], output_names=['output'],
                          opset_version=17, dynamic_axes={'input': {0: 'batch'}, 'output': {0: 'batch'}})


if __name__ == '__main__':
    main(sys.argv[1])
