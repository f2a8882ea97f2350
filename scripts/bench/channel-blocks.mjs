// What channel counts onnxruntime's CPU kernels like here: chains of three 3×3 Conv layers (c → c channels, 28×28)
// in float32 and in static int8 (QDQ U8S8, fused to QLinearConv), timed over channel counts around multiples of 4, 8,
// 16 and 32; best of alternated rounds at one thread (the least disturbed figure on a shared machine), reported as ns
// per c² (the chain's work grows with c²). Aligned counts that cost no more per c² than their neighbours mark the block.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);
const ort = require(path.join(root, 'node_modules', 'onnxruntime-node'));
const COUNTS = [40, 44, 45, 47, 48, 49, 52, 56, 60, 63, 64, 65, 72, 80, 96];
const HW = 28;
const ROUNDS = Number(process.env.BLOCKS_BENCH_ROUNDS ?? 40);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-channel-blocks-'));

const MAKE = String.raw`
import sys, numpy as np, onnx
from onnx import helper, TensorProto, numpy_helper as nh
out, hw, counts = sys.argv[1], int(sys.argv[2]), [int(c) for c in sys.argv[3].split(',')]
def chain(c, int8):
    rng = np.random.default_rng(0)
    init, nodes, prev = [], [], 'x'
    if int8:
        init += [nh.from_array(np.array(0.02, np.float32), 's'), nh.from_array(np.array(128, np.uint8), 'zi'), nh.from_array(np.array(0, np.uint8), 'zr')]
        nodes += [helper.make_node('QuantizeLinear', ['x', 's', 'zi'], ['xq']), helper.make_node('DequantizeLinear', ['xq', 's', 'zi'], ['xd'])]
        prev = 'xd'
    for i in range(3):
        last = i == 2
        if int8:
            init += [nh.from_array(rng.integers(-127, 128, (c, c, 3, 3)).astype(np.int8), f'w{i}'), nh.from_array(np.full(c, 0.001, np.float32), f'ws{i}'),
                     nh.from_array(np.zeros(c, np.int8), f'wz{i}'), nh.from_array(np.zeros(c, np.int32), f'b{i}'), nh.from_array(np.full(c, 2e-5, np.float32), f'bs{i}'),
                     nh.from_array(np.zeros(c, np.int32), f'bz{i}')]
            nodes += [helper.make_node('DequantizeLinear', [f'w{i}', f'ws{i}', f'wz{i}'], [f'wd{i}'], axis=0),
                      helper.make_node('DequantizeLinear', [f'b{i}', f'bs{i}', f'bz{i}'], [f'bd{i}'], axis=0),
                      helper.make_node('Conv', [prev, f'wd{i}', f'bd{i}'], [f'h{i}'], pads=[1, 1, 1, 1]), helper.make_node('Relu', [f'h{i}'], [f'r{i}']),
                      helper.make_node('QuantizeLinear', [f'r{i}', 's', 'zr'], [f'q{i}']), helper.make_node('DequantizeLinear', [f'q{i}', 's', 'zr'], ['y' if last else f'd{i}'])]
            prev = f'd{i}'
        else:
            init += [nh.from_array((rng.standard_normal((c, c, 3, 3)) * 0.05).astype(np.float32), f'w{i}'), nh.from_array(np.zeros(c, np.float32), f'b{i}')]
            nodes += [helper.make_node('Conv', [prev, f'w{i}', f'b{i}'], [f'h{i}'], pads=[1, 1, 1, 1]), helper.make_node('Relu', [f'h{i}'], ['y' if last else f'r{i}'])]
            prev = f'r{i}'
    g = helper.make_graph(nodes, 'chain', [helper.make_tensor_value_info('x', TensorProto.FLOAT, [1, c, hw, hw])], [helper.make_tensor_value_info('y', TensorProto.FLOAT, [1, c, hw, hw])], init)
    m = helper.make_model(g, opset_imports=[helper.make_opsetid('', 17)]); m.ir_version = 8
    return m
for c in counts:
    onnx.save(chain(c, False), f'{out}/fp32-{c}.onnx')
    onnx.save(chain(c, True), f'{out}/int8-{c}.onnx')
`;

async function measure(kind) {
  const sessions = [];
  for (const c of COUNTS) sessions.push(await ort.InferenceSession.create(path.join(dir, `${kind}-${c}.onnx`), { intraOpNumThreads: 1, graphOptimizationLevel: 'all', logSeverityLevel: 3 }));
  const feeds = COUNTS.map((c) => ({ x: new ort.Tensor('float32', Float32Array.from({ length: c * HW * HW }, (_, i) => Math.sin(i)), [1, c, HW, HW]) }));
  for (let i = 0; i < sessions.length; i++) for (let w = 0; w < 3; w++) await sessions[i].run(feeds[i]);
  const best = COUNTS.map(() => Infinity);
  for (let r = 0; r < ROUNDS; r++) {
    for (let i = 0; i < sessions.length; i++) {
      const t = performance.now();
      await sessions[i].run(feeds[i]);
      best[i] = Math.min(best[i], performance.now() - t);
    }
  }
  for (const s of sessions) await s.release();
  return best.map((ms, i) => (ms * 1e6) / COUNTS[i] ** 2);
}

try {
  execFileSync('/usr/bin/python3', ['-c', MAKE, dir, String(HW), COUNTS.join(',')]);
  const cpu = fs.existsSync('/proc/cpuinfo') ? /^model name\s*:\s*(.*)$/m.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'))?.[1] : os.cpus()[0]?.model;
  console.log(`${cpu}; onnxruntime ${ort.env.versions?.node ?? '?'}; 3×3 Conv chains at ${HW}×${HW}, one thread, best of ${ROUNDS} alternated rounds; load average ${os.loadavg()[0].toFixed(1)}`);
  const fp32 = await measure('fp32');
  const int8 = await measure('int8');
  const aligned = (c) => [32, 16, 8, 4].find((m) => c % m === 0) ?? 1;
  console.table(COUNTS.map((c, i) => ({ channels: c, 'largest power-of-two divisor (≤32)': aligned(c), 'fp32 ns/c²': fp32[i].toFixed(1), 'int8 ns/c²': int8[i].toFixed(1) })));
  const mean = (v, pick) => {
    const xs = v.filter((_, i) => pick(COUNTS[i]));
    return xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  };
  for (const [name, v] of [['fp32', fp32], ['int8', int8]]) {
    const odd = mean(v, (c) => c % 4 !== 0);
    const by4 = mean(v, (c) => c % 4 === 0 && c % 16 !== 0);
    const by16 = mean(v, (c) => c % 16 === 0);
    console.log(`${name}: ns/c² mean over counts not a multiple of 4 ${odd.toFixed(1)}, multiples of 4 but not 16 ${by4.toFixed(1)}, multiples of 16 ${by16.toFixed(1)}`);
  }
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
