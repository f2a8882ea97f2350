/**
 * Models whose exporter stored one initializer for several layers (a reused Conv module, an encoder whose layers are
 * one module): no pass stores a shared weight twice, so none makes the model larger, and the results still run.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataType } from '../../electron/engine/onnx/proto';
import type { ChannelPruneReport } from '../../shared/prune/prune-report';
import { graph, model, node, tensor, value } from './helpers/build-model';
import { runPass, scratchDir, writeModel } from './helpers/prune-run';
import { onnxCheck } from './helpers/quantize-check';
import { compareModels, type FeedSpec } from './helpers/subgraph-check';

const dir = scratchDir();
let made: Record<string, string> = {};
beforeAll(() => {
  const script = path.join(__dirname, 'helpers', 'shared_weight_models.py');
  made = JSON.parse(execFileSync('/usr/bin/python3', [script, path.join(dir, 'models')], { encoding: 'utf8' })) as Record<string, string>;
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const PY_STATS = String.raw`
import json, sys, collections, onnx
from onnx import numpy_helper
def tensors(g):
    for t in g.initializer: yield t
    for n in g.node:
        for a in n.attribute:
            if a.type == onnx.AttributeProto.TENSOR: yield a.t
            if a.type == onnx.AttributeProto.GRAPH: yield from tensors(a.g)
out = {}
for path in sys.argv[1:]:
    m = onnx.load(path)
    g = m.graph
    weights = floats = 0
    for t in tensors(g):
        n = 1
        for d in t.dims: n *= d
        if len(t.dims) >= 2: weights += n
        if t.data_type in (1, 10, 11, 16): floats += n
    reads = collections.Counter(i for n in g.node for i in n.input)
    big = {t.name for t in g.initializer if len(t.dims) >= 2}
    out[path] = {"weights": weights, "floats": floats, "bytes": __import__("os").path.getsize(path), "shared": sorted(n for n in big if reads[n] > 1)}
print(json.dumps(out))
`;

interface Stats {
  /** elements of stored tensors of rank 2 or more (the weights; scales and biases aside) */
  weights: number;
  /** elements of stored float tensors */
  floats: number;
  bytes: number;
  /** rank ≥ 2 initializers more than one node reads */
  shared: string[];
}

function stats(files: string[]): Record<string, Stats> {
  return JSON.parse(execFileSync('/usr/bin/python3', ['-c', PY_STATS, ...files], { encoding: 'utf8', maxBuffer: 1 << 22 })) as Record<string, Stats>;
}

const FEEDS: Record<string, FeedSpec[]> = {
  'shared-cnn.onnx': [{ input: { dims: [2, 3, 32, 32] } }],
  'shared-transformer.onnx': [{ input: { dims: [2, 16, 64] } }],
};

const PASSES = [
  { pass: 'prune-channels', options: { sparsity: 0.3 }, minSnr: -Infinity },
  { pass: 'prune-magnitude', options: { sparsity: 0.5 }, minSnr: -Infinity },
  { pass: 'quantize-static', options: { errorItems: 0 }, minSnr: 20 },
  { pass: 'quantize-dynamic', options: {}, minSnr: 20 },
  { pass: 'convert-fp16', options: {}, minSnr: 30 },
] as const;

describe.each(Object.keys(FEEDS))('%s', (file) => {
  it('stores its reused weights once', () => {
    const s = stats([made[file]])[made[file]];
    expect(s.shared.length).toBeGreaterThanOrEqual(file === 'shared-cnn.onnx' ? 1 : 3);
  });

  it.each(PASSES)('$pass stores no more weights, writes no larger file, and the result runs', async ({ pass, options, minSnr }) => {
    const source = made[file];
    const { out, report } = await runPass<Record<string, unknown>>(source, pass, options, dir);
    onnxCheck([out]);
    const { [source]: a, [out]: b } = stats([source, out]);
    const r = await compareModels(source, out, FEEDS[file]);
    console.log(
      `${file} ${pass}: weights ${a.weights} → ${b.weights}, float params ${a.floats} → ${b.floats}, file ${a.bytes} → ${b.bytes} bytes, ` +
        `shared ${a.shared.length} → ${b.shared.length}, output SNR ${r.snrDb.toFixed(1)} dB (max abs diff ${r.maxAbsDiff.toExponential(2)})`,
    );
    expect(b.weights).toBeLessThanOrEqual(a.weights);
    expect(b.floats).toBeLessThanOrEqual(a.floats);
    expect(b.bytes).toBeLessThanOrEqual(a.bytes);
    expect(Number.isFinite(r.maxAbsDiff)).toBe(true);
    expect(r.snrDb).toBeGreaterThan(minSnr);
    if (pass === 'prune-channels') {
      const p = report as unknown as ChannelPruneReport;
      expect(p.paramsAfter).toBeLessThan(p.paramsBefore);
      expect(b.bytes).toBeLessThan(0.9 * a.bytes);
      // the layers sharing a weight were pruned alike: their weight is still one initializer
      expect(b.shared.length).toBe(a.shared.length);
    }
    if (pass !== 'prune-channels') expect(b.shared.length).toBeGreaterThanOrEqual(pass === 'convert-fp16' || pass === 'prune-magnitude' ? a.shared.length : 1);
  });
});

describe('a weight a body reads too', () => {
  /** x → Conv(W) → Relu → Conv(Wc) → y; If(sum(x) > 0) then Conv(x, W) else x → z: W is read in the main graph and in a branch. */
  function bodyShared() {
    const w = (n: number, seed: number) => Array.from({ length: n }, (_, i) => Math.sin(seed * 7.1 + i * 1.37) * 0.3);
    const thenBranch = graph({ name: 'then', nodes: [node('Conv', ['x', 'W'], ['t'], { pads: { ints: [1, 1, 1, 1] } }, 'branch_conv')], outputs: [value('t', [1, 4, 8, 8])] });
    const elseBranch = graph({ name: 'else', nodes: [node('Identity', ['x'], ['e'])], outputs: [value('e', [1, 4, 8, 8])] });
    return model(
      graph({
        nodes: [
          node('Conv', ['x', 'W', 'B'], ['a'], { pads: { ints: [1, 1, 1, 1] } }, 'conv_a'),
          node('Relu', ['a'], ['r']),
          node('Conv', ['r', 'Wc'], ['y'], {}, 'conv_c'),
          node('ReduceSum', ['x'], ['s'], { keepdims: { int: 0 } }),
          node('Greater', ['s', 'zero'], ['cond']),
          node('If', ['cond'], ['z'], { then_branch: thenBranch, else_branch: elseBranch }, 'branch'),
        ],
        inputs: [value('x', [1, 4, 8, 8])],
        outputs: [value('y', [1, 2, 8, 8]), value('z', [1, 4, 8, 8])],
        initializers: [tensor('W', [4, 4, 3, 3], w(144, 1)), tensor('B', [4], w(4, 2)), tensor('Wc', [2, 4, 1, 1], w(8, 3)), tensor('zero', [], [0], DataType.FLOAT)],
      }),
    );
  }

  it('keeps the layer whole and names the sharing as what blocks it', async () => {
    const source = writeModel(bodyShared(), dir, 'body-shared.onnx');
    const { out, report } = await runPass<ChannelPruneReport>(source, 'prune-channels', { sparsity: 0.5 }, dir);
    const group = report.groups.find((g) => g.layers.includes('conv_a'));
    expect(group?.status).toBe('blocked');
    expect(group?.blockedBy.map((b) => b.reason).join('\n')).toMatch(/its weight "W" is shared with branch \(inside its If body\)/);
    const { [source]: a, [out]: b } = stats([source, out]);
    expect(b.floats).toBeLessThanOrEqual(a.floats);
    const r = await compareModels(source, out, [{ x: { dims: [1, 4, 8, 8] } }]);
    expect(r.snrDb).toBe(Infinity);
  });
});
