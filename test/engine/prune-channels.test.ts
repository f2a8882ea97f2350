/** Channel pruning on real models: coupled channels removed physically, valid ONNX that onnxruntime runs, MACs as reported. */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeModel } from '../../electron/engine/analysis/model-analysis';
import { loadModelFile } from '../../electron/engine/onnx/load';
import type { ChannelPruneReport } from '../../shared/prune/prune-report';
import { generated, SAMPLE } from './fixtures';
import { runModel } from './helpers/build-model';
import { blockingModel, residualModel, splitModel } from './helpers/prune-models';
import { onnxCheckAndMacs, runPass, scratchDir, writeModel } from './helpers/prune-run';

const dir = scratchDir();
/** The ratio exactly: no rounding to the host's channel multiple (test/engine/prune-channel-multiple.test.ts covers that). */
const EXACT = { roundTo: 1 };
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function randomInput(dims: number[], seed = 3): { dims: number[]; data: number[] } {
  let s = seed;
  const data = Array.from({ length: dims.reduce((a, b) => a * b, 1) }, () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31 - 0.5;
  });
  return { dims, data };
}

function maxAbsDiff(a: number[], b: number[]): number {
  return a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
}

const CASES = [
  { name: 'the trained sample', file: () => SAMPLE, input: [1, 1, 28, 28] },
  { name: 'resnet18 (residual adds)', file: () => generated('resnet18.onnx'), input: [1, 3, 224, 224] },
  { name: 'mobilenet_v2 (depthwise, inverted residuals)', file: () => generated('mobilenet_v2.onnx'), input: [1, 3, 224, 224] },
  { name: 'densenet121 (Concat, BN before Conv)', file: () => generated('densenet121.onnx'), input: [1, 3, 224, 224] },
];

describe.each(CASES)('channel pruning of $name', ({ file, input }) => {
  it.each([0.3, 0.5])('at %s removes coupled channels, stays valid, and MACs drop as reported', async (sparsity) => {
    const source = file();
    const { out, report } = await runPass<ChannelPruneReport>(source, 'prune-channels', { ...EXACT, sparsity }, dir);
    // every prunable group lost the requested share of its channels
    const pruned = report.groups.filter((g) => g.status === 'pruned');
    expect(pruned.length).toBeGreaterThan(0);
    for (const g of pruned) expect(Math.abs(g.removed - Math.round(sparsity * g.channels))).toBeLessThanOrEqual(0);
    // onnxruntime runs it, with the original's output shape
    const x = randomInput(input);
    const [a, b] = await Promise.all([runModel(source, { input: x }), runModel(out, { input: x })]);
    expect(Object.keys(b)).toEqual(Object.keys(a));
    for (const k of Object.keys(a)) {
      expect(b[k].length).toBe(a[k].length);
      expect(b[k].every(Number.isFinite)).toBe(true);
    }
    // the reported MACs are the analysis module's of the written file, and ONNX's own shape inference agrees on the drop
    const written = analyzeModel(loadModelFile(out)).dto.totals;
    expect(report.macsAfter).toBe(written.macs);
    expect(report.paramsAfter).toBe(written.params);
    const macs = onnxCheckAndMacs([source, out]);
    const reportedDrop = report.macsAfter / report.macsBefore;
    const referenceDrop = macs[out] / macs[source];
    expect(Math.abs(reportedDrop - referenceDrop)).toBeLessThan(0.01);
    expect(referenceDrop).toBeLessThan(sparsity === 0.5 ? 0.4 : 0.7);
    expect(report.verifiedRuns).toBeGreaterThan(0);
  });
});

describe('channel pruning couplings', () => {
  it('prunes the same channels on both branches of a residual Add, through depthwise, Concat and Flatten → Gemm, exactly', async () => {
    const file = writeModel(residualModel(), dir, 'residual.onnx');
    const { out, report } = await runPass<ChannelPruneReport>(file, 'prune-channels', { ...EXACT, sparsity: 0.25 }, dir);
    expect(report.removedChannels).toMatchObject({ convA: 2, convB: 2, convE: 1, convF: 2, fc: 0 });
    const residual = report.groups.find((g) => g.layers.includes('convA'));
    expect(residual?.layers).toEqual(['convA', 'convB']);
    const layers = Object.fromEntries(report.layers.map((l) => [l.node, l]));
    expect(layers.depthwise).toBeUndefined();
    expect(layers.convF).toMatchObject({ inBefore: 12, inAfter: 9, outBefore: 6, outAfter: 4 });
    expect(layers.fc).toMatchObject({ inBefore: 96, inAfter: 64 });
    const ir = loadModelFile(out).proto.graph!;
    const dw = ir.node.find((n) => n.name === 'depthwise')!;
    expect(Number(dw.attribute.find((a) => a.name === 'group')!.i)).toBe(6);
    const x = randomInput([1, 3, 8, 8]);
    const [a, b] = await Promise.all([runModel(file, { x }), runModel(out, { x })]);
    expect(maxAbsDiff(a.y, b.y)).toBeLessThan(1e-4);
    onnxCheckAndMacs([out]);
  });

  it('follows a per-channel Mul, fixes Split sizes and a literal Reshape target before a MatMul, exactly', async () => {
    const file = writeModel(splitModel(), dir, 'split.onnx');
    const { out, report } = await runPass<ChannelPruneReport>(file, 'prune-channels', { ...EXACT, sparsity: 0.25 }, dir);
    expect(report.removedChannels).toMatchObject({ convA: 2, convP: 1, convQ: 1, matmul: 0 });
    const x = randomInput([1, 3, 4, 4]);
    const [a, b] = await Promise.all([runModel(file, { x }), runModel(out, { x })]);
    expect(maxAbsDiff(a.y, b.y)).toBeLessThan(1e-4);
    onnxCheckAndMacs([out]);
  });

  it('reports what blocks pruning by name and leaves it intact', async () => {
    const file = writeModel(blockingModel(), dir, 'blocking.onnx');
    const { out, report, warnings } = await runPass<ChannelPruneReport>(file, 'prune-channels', { ...EXACT, sparsity: 0.3 }, dir);
    const reasons = Object.fromEntries(report.blocked.map((b) => [b.node, b.reason]));
    expect(reasons.channelSlice).toMatch(/Slice/);
    expect(reasons.groupedConv).toMatch(/grouped convolution \(2 groups\)/);
    expect(reasons.g).toMatch(/model output/);
    const status = Object.fromEntries(report.groups.map((g) => [g.layers.join('+'), g.status]));
    expect(status).toMatchObject({ convA: 'blocked', convB: 'blocked', groupedConv: 'blocked', convC: 'blocked', convH: 'pruned', convI: 'blocked' });
    expect(report.removedChannels).toMatchObject({ convA: 0, convB: 0, convH: 2 });
    expect(warnings.join(' ')).toMatch(/channelSlice/);
    const x = randomInput([1, 3, 8, 8]);
    const [a, b] = await Promise.all([runModel(file, { x }), runModel(out, { x })]);
    expect(maxAbsDiff(a.g, b.g)).toBe(0);
    expect(maxAbsDiff(a.c, b.c)).toBe(0);
    expect(b.y.length).toBe(a.y.length);
  });

  it('folds BatchNormalization into the Conv before it under the BN output name, with value_info kept consistent', async () => {
    const withShapes = path.join(dir, 'sample-value-info.onnx');
    execFileSync('/usr/bin/python3', ['-c', `import onnx; m = onnx.load(${JSON.stringify(SAMPLE)}); onnx.save(onnx.shape_inference.infer_shapes(m), ${JSON.stringify(withShapes)})`]);
    const { out, report } = await runPass<ChannelPruneReport>(withShapes, 'prune-channels', { ...EXACT, sparsity: 0.3 }, dir);
    expect(report.foldedBatchNorms).toEqual(['/bn1/BatchNormalization', '/bn2/BatchNormalization', '/bn3/BatchNormalization']);
    const g = loadModelFile(out).proto.graph!;
    expect(g.node.some((n) => n.opType === 'BatchNormalization')).toBe(false);
    expect(g.node.find((n) => n.name === '/conv2/Conv')?.output).toEqual(['/bn2/BatchNormalization_output_0']);
    // records of tensors whose channels changed are cleared; the rest must agree with ONNX's strict shape inference
    expect(g.valueInfo.some((v) => v.name === '/bn2/BatchNormalization_output_0')).toBe(false);
    onnxCheckAndMacs([out]);
  });

  it('skips a layer and everything coupled to it', async () => {
    const source = generated('resnet18.onnx');
    const { report } = await runPass<ChannelPruneReport>(source, 'prune-channels', { ...EXACT, sparsity: 0.5, skip: ['/conv1/Conv'] }, dir);
    const stem = report.groups.find((g) => g.layers.includes('/conv1/Conv'));
    expect(stem?.status).toBe('skipped');
    expect(stem?.layers).toEqual(['/conv1/Conv', '/layer1/layer1.0/conv2/Conv', '/layer1/layer1.1/conv2/Conv']);
    expect(report.removedChannels['/layer1/layer1.0/conv2/Conv']).toBe(0);
  });

  it('refuses a skip pattern that matches no layer, naming it', async () => {
    await expect(runPass(SAMPLE, 'prune-channels', { ...EXACT, sparsity: 0.3, skip: ['nope*'] }, dir)).rejects.toThrow(/No layer matches the skip pattern "nope\*"/);
  });

  it('reaches a global MACs target within a few percent', async () => {
    const { report } = await runPass<ChannelPruneReport>(generated('resnet18.onnx'), 'prune-channels', { ...EXACT, sparsity: 0.5, global: true, target: 'macs' }, dir);
    const kept = report.macsAfter / report.macsBefore;
    expect(kept).toBeGreaterThan(0.45);
    expect(kept).toBeLessThan(0.55);
  });
});
