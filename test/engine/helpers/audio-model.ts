/** An audio-style model as users bring them: `[batch_size, <unnamed>]` samples in chunks of 512, an int64 sample rate. */
import { spawnSync } from 'node:child_process';

const EXPORT = String.raw`
import sys, torch, torch.nn as nn, torch.nn.functional as F, onnx
torch.manual_seed(0)
class Vad(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv1d(1, 16, kernel_size=8, stride=4)
        self.conv2 = nn.Conv1d(16, 16, kernel_size=3, padding=1)
        self.fc = nn.Linear(16, 2)
    def forward(self, audio, sr):
        x = audio.reshape(audio.shape[0], 1, 512)
        x = F.pad(x, (4, 4), mode='reflect')
        x = x * (sr.float() / 16000.0)
        x = F.relu(self.conv(x))
        x = F.relu(self.conv2(x))
        return torch.sigmoid(self.fc(x.mean(-1)))
out = sys.argv[1]
m = Vad().eval()
torch.onnx.export(m, (torch.randn(1, 512), torch.tensor(16000)), out, input_names=['audio', 'sr'], output_names=['speech'],
                  dynamic_axes={'audio': {0: 'batch_size', 1: 'samples'}, 'speech': {0: 'batch_size'}}, opset_version=13)
p = onnx.load(out)
d = p.graph.input[0].type.tensor_type.shape.dim[1]
d.ClearField('dim_param')
onnx.save(p, out)
`;

/**
 * Exports the model with torch (Debian's python3-torch) and clears the name of its sample axis.
 * @param out - the .onnx file to write
 */
export function makeAudioModel(out: string): void {
  const r = spawnSync('/usr/bin/python3', ['-c', EXPORT, out], { encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`could not export the audio model: ${r.stderr}`);
}
