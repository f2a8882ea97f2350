/** Magnitude pruning: the requested sparsity (per layer, global, N:M), counted on the written file; the package shrinks. */
import * as fs from 'node:fs';
import * as zlib from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { loadModelFile } from '../../electron/engine/onnx/load';
import { tensorValues } from '../../electron/engine/onnx/tensor-data';
import type { MagnitudePruneReport } from '../../shared/prune/prune-report';
import { generated, SAMPLE } from './fixtures';
import { runModel } from './helpers/build-model';
import { runPass, scratchDir } from './helpers/prune-run';

const dir = scratchDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Weights of the Conv/Gemm/MatMul nodes of a written model, read back from the file. */
function layerWeights(file: string): Array<{ node: string; op: string; dims: number[]; values: Float32Array; transB: boolean }> {
  const g = loadModelFile(file).proto.graph!;
  const inits = new Map(g.initializer.map((t) => [t.name, t]));
  return g.node
    .filter((n) => ['Conv', 'Gemm', 'MatMul'].includes(n.opType) && inits.has(n.input[1]))
    .map((n) => {
      const t = inits.get(n.input[1])!;
      return { node: n.name, op: n.opType, dims: t.dims.map(Number), values: tensorValues(t) as Float32Array, transB: n.attribute.some((a) => a.name === 'transB' && a.i === 1n) };
    });
}

function zeros(a: Float32Array): number {
  return a.reduce((n, v) => n + (v === 0 ? 1 : 0), 0);
}

describe('magnitude pruning', () => {
  it('hits 50 % in every layer of resnet18 and the deflated package shrinks accordingly', async () => {
    const source = generated('resnet18.onnx');
    const { out, report, warnings } = await runPass<MagnitudePruneReport>(source, 'prune-magnitude', { sparsity: 0.5 }, dir);
    const layers = layerWeights(out);
    expect(layers.length).toBe(21);
    for (const l of layers) expect(Math.abs(zeros(l.values) / l.values.length - 0.5)).toBeLessThan(0.005);
    const total = layers.reduce((s, l) => s + l.values.length, 0);
    const zeroCount = layers.reduce((s, l) => s + zeros(l.values), 0);
    expect(Math.abs(zeroCount / total - 0.5)).toBeLessThan(0.005);
    expect(report.sparsityAchieved).toBeCloseTo(zeroCount / total, 6);
    // deflate the written file independently: the report's figure, and about half the dense original's
    const written = zlib.deflateRawSync(fs.readFileSync(out), { level: 6 }).length;
    expect(Math.abs(written - report.compressedBytesAfter) / written).toBeLessThan(0.01);
    const ratio = report.compressedBytesAfter / report.compressedBytesBefore;
    console.log(`resnet18 50 % magnitude: deflated ${report.compressedBytesBefore} → ${report.compressedBytesAfter} bytes (${(100 * ratio).toFixed(1)} %)`);
    expect(ratio).toBeLessThan(0.62);
    expect(ratio).toBeGreaterThan(0.45);
    expect(report.macsAfter).toBe(report.macsBefore);
    expect(warnings.join(' ')).toMatch(/compressed package/);
  });

  it('reaches a global sparsity within 0.5 % with one threshold', async () => {
    const { out, report } = await runPass<MagnitudePruneReport>(SAMPLE, 'prune-magnitude', { sparsity: 0.7, global: true }, dir);
    const layers = layerWeights(out);
    const total = layers.reduce((s, l) => s + l.values.length, 0);
    const zeroCount = layers.reduce((s, l) => s + zeros(l.values), 0);
    expect(Math.abs(zeroCount / total - 0.7)).toBeLessThan(0.005);
    // one threshold: layers differ in sparsity, and no kept weight is smaller than a zeroed one's magnitude bound
    const perLayer = report.layers.map((l) => l.sparsity);
    expect(Math.max(...perLayer) - Math.min(...perLayer)).toBeGreaterThan(0.05);
  });

  it('keeps 2 of every 4 input-channel weights (2:4)', async () => {
    const { out, report } = await runPass<MagnitudePruneReport>(generated('resnet18.onnx'), 'prune-magnitude', { nm: '2:4' }, dir);
    for (const l of layerWeights(out)) {
      const [o, i] = l.op === 'Conv' ? l.dims : l.transB ? [l.dims[0], l.dims[1]] : [l.dims[1], l.dims[0]];
      const inner = l.op === 'Conv' ? l.dims.slice(2).reduce((a, b) => a * b, 1) : 1;
      const at = (oo: number, ii: number, k: number) => (l.op === 'Conv' ? (oo * i + ii) * inner + k : l.transB ? oo * i + ii : ii * o + oo);
      if (i % 4 !== 0) continue;
      for (let oo = 0; oo < o; oo += 7) {
        for (let k = 0; k < inner; k++) {
          for (let g = 0; g < i; g += 4) {
            let nz = 0;
            for (let j = 0; j < 4; j++) if (l.values[at(oo, g + j, k)] !== 0) nz++;
            expect(nz).toBeLessThanOrEqual(2);
          }
        }
      }
    }
    expect(report.sparsityAchieved).toBeGreaterThan(0.49);
    expect(report.nm).toBe('2:4');
  });

  it('leaves skipped layers dense and still runs', async () => {
    const { out, report } = await runPass<MagnitudePruneReport>(SAMPLE, 'prune-magnitude', { sparsity: 0.6, skip: ['/fc*'] }, dir);
    const dense = report.layers.filter((l) => l.skipped);
    expect(dense.map((l) => l.node)).toEqual(['/fc1/Gemm', '/fc2/Gemm']);
    expect(dense.every((l) => l.zerosAfter === l.zerosBefore)).toBe(true);
    const x = { dims: [1, 1, 28, 28], data: Array.from({ length: 784 }, (_, i) => Math.sin(i)) };
    expect((await runModel(out, { input: x })).logits.length).toBe(10);
  });
});
