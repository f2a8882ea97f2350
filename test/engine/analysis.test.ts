/** The model analysis on exported torchvision models: MACs against published figures, shapes, params, peak memory. */
import { create } from '@bufbuild/protobuf';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../electron/engine/features';
import { encodeModel } from '../../electron/engine/onnx/codec';
import { runtimeFor } from '../../electron/engine/runtime/engine-runtime';
import { DataType, ValueInfoProtoSchema } from '../../electron/engine/onnx/proto';
import { graph, model, node, value } from './helpers/build-model';
import { analyzeModel } from '../../electron/engine/analysis/model-analysis';
import { summarize } from '../../electron/engine/analysis/summary';
import { loadModelFile } from '../../electron/engine/onnx/load';
import { generated, SAMPLE } from './fixtures';

/** Published multiply-accumulate counts at 224×224 (torchvision's model tables list them as "GFLOPS"). */
const PUBLISHED_MACS: Record<string, number> = {
  'resnet18.onnx': 1.81e9,
  'mobilenet_v2.onnx': 0.3e9,
};

describe('model analysis', () => {
  for (const [name, published] of Object.entries(PUBLISHED_MACS)) {
    it(`counts ${name} MACs within 2 % of the published ${published / 1e9} G, and gives every tensor a shape`, () => {
      const { dto } = analyzeModel(loadModelFile(generated(name)));
      const ratio = dto.totals.macs / published;
      console.log(`${name}: ${(dto.totals.macs / 1e9).toFixed(4)} GMACs (published ${published / 1e9} G, ratio ${ratio.toFixed(4)}), ${(dto.totals.flops / 1e9).toFixed(3)} GFLOPs, peak activations ${(dto.totals.peakActivationBytes / 2 ** 20).toFixed(2)} MiB`);
      expect(Math.abs(ratio - 1)).toBeLessThan(0.02);
      expect(dto.complete).toBe(true);
      expect(dto.costsKnown).toBe(true);
      expect(dto.unknownTensors).toEqual([]);
      expect(dto.tensors.every((t) => t.shape !== null && t.shape.every((d) => d !== null))).toBe(true);
      expect(dto.assumedDims).toEqual({ batch: 1 });
      expect(dto.runtimeFallback.used).toBe(false);
    });
  }

  it('scales with the batch size given for the symbolic dim', () => {
    const loaded = loadModelFile(generated('resnet18.onnx'));
    const one = analyzeModel(loaded).dto.totals;
    const eight = analyzeModel(loaded, { dims: { batch: 8 } }).dto;
    expect(eight.assumedDims).toEqual({});
    expect(eight.totals.macs).toBe(one.macs * 8);
    expect(eight.totals.peakActivationBytes).toBe(one.peakActivationBytes * 8);
  });

  it('counts params like the summary and puts MACs and FLOPs in the summary', () => {
    const loaded = loadModelFile(generated('resnet18.onnx'));
    const summary = summarize(loaded);
    const { dto } = analyzeModel(loaded);
    expect(dto.totals.params).toBe(summary.paramCount);
    expect(summary.macs).toBe(dto.totals.macs);
    expect(summary.flops).toBe(dto.totals.flops);
  });

  it('gives per-node figures: conv MACs from groups and kernel, weights, activation bytes', () => {
    const { dto } = analyzeModel(loadModelFile(generated('mobilenet_v2.onnx')));
    const depthwise = dto.nodes.find((n) => n.opType === 'Conv' && n.params === 32 * 9 + 32);
    expect(depthwise).toBeDefined();
    // 32 channels, 3×3 depthwise on 112×112: 32·112·112·9 MACs
    expect(depthwise!.macs).toBe(32 * 112 * 112 * 9);
    expect(depthwise!.outputBytes).toBe(32 * 112 * 112 * 4);
    expect(depthwise!.precision).toBe('fp32');
    expect(dto.nodes.filter((n) => n.opType === 'Conv').every((n) => n.opClass === 'conv' && n.known)).toBe(true);
  });

  it('estimates peak activation memory between the largest tensor and the sum of all', () => {
    const { dto } = analyzeModel(loadModelFile(SAMPLE));
    const largest = Math.max(...dto.tensors.filter((t) => t.source !== 'weight').map((t) => t.bytes ?? 0));
    expect(dto.totals.peakActivationBytes).toBeGreaterThanOrEqual(largest);
    expect(dto.totals.peakActivationBytes).toBeLessThanOrEqual(dto.totals.activationBytes);
  });
});

describe('getAnalysis with the runtime fallback', () => {
  it('runs the model once as a job for shapes static inference cannot know (NonZero) and says so', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-analysis-'));
    const file = path.join(dir, 'nonzero.onnx');
    const g = graph({
      nodes: [node('NonZero', ['x'], ['nz']), node('Cast', ['nz'], ['f'], { to: { int: DataType.FLOAT } }), node('Relu', ['f'], ['y'])],
      inputs: [value('x', [2, 3])],
      outputs: [create(ValueInfoProtoSchema, { name: 'y' })],
    });
    fs.writeFileSync(file, encodeModel(model(g)));
    const events: string[] = [];
    const engine = createEngine({ dataDir: dir, samplePath: SAMPLE, appVersion: 'test', onJobEvent: (e) => events.push(e.kind) });
    const { modelId } = await engine.openModel({ path: file });
    const staticOnly = await engine.call('getAnalysis', { modelId, runtimeFallback: false });
    expect(staticOnly.complete).toBe(false);
    expect(staticOnly.unknownTensors).toContain('nz');
    const full = await engine.call('getAnalysis', { modelId });
    expect(full.complete).toBe(true);
    expect(full.runtimeFallback.used).toBe(true);
    expect(full.runtimeFallback.message).toContain('one onnxruntime run');
    expect(full.tensors.find((t) => t.name === 'nz')).toMatchObject({ shape: [2, 6], source: 'runtime', dtype: 'int64' });
    expect(full.tensors.find((t) => t.name === 'y')?.shape).toEqual([2, 6]);
    expect(events).toContain('ended');
    // the temporary copy goes elsewhere, never beside the user's model
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.onnx') || f.endsWith('.data'))).toEqual(['nonzero.onnx']);
    runtimeFor(engine).dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
