/** Engine tests of running models: conformance outputs reproduced, the sample classifies its images, intermediates. */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../electron/engine/features';
import { loadModelFile } from '../../electron/engine/onnx/load';
import type { HostTensor } from '../../electron/engine/runtime/backend';
import { valueAt } from '../../electron/engine/runtime/host-tensor';
import { buildFeeds } from '../../electron/engine/runtime/inputs/build-feeds';
import { modelInputs } from '../../electron/engine/runtime/inputs/input-spec';
import { parsePbTensor } from '../../electron/engine/runtime/inputs/tensor-files';
import { runtimeFor } from '../../electron/engine/runtime/engine-runtime';
import { RuntimeService } from '../../electron/engine/runtime/runtime-service';
import { CONFORMANCE, generated, SAMPLE } from './fixtures';

const runtime = new RuntimeService();
afterAll(() => runtime.dispose());

const IMAGES = path.join(path.dirname(SAMPLE), 'images');

function maxRelError(actual: HostTensor, expected: HostTensor): number {
  expect(actual.dims).toEqual(expected.dims);
  let worst = 0;
  for (let i = 0; i < actual.data.length; i++) {
    const a = valueAt(actual, i);
    const e = valueAt(expected, i);
    worst = Math.max(worst, Math.abs(a - e) / Math.max(1e-3, Math.abs(e)));
  }
  return worst;
}

describe('run reproduces the outputs of ONNX conformance data (test_data_set_0)', () => {
  for (const rel of ['pytorch-converted/test_Conv2d', 'pytorch-converted/test_Conv2d_groups', 'node/test_batchnorm_example', 'node/test_matmul_2d', 'node/test_softmax_example']) {
    it(rel, async () => {
      const dir = path.join(CONFORMANCE, rel);
      const loaded = loadModelFile(path.join(dir, 'model.onnx'));
      const inputs = modelInputs(loaded);
      const data = path.join(dir, 'test_data_set_0');
      const sources = Object.fromEntries(inputs.map((input, i) => [input.name, { kind: 'file' as const, path: path.join(data, `input_${i}.pb`) }]));
      const built = await buildFeeds({ inputs, sources });
      expect(built.used.every((u) => u.source.startsWith('file input_'))).toBe(true);
      const r = await runtime.runFeeds(loaded, built.feeds);
      const outputs = loaded.proto.graph?.output ?? [];
      outputs.forEach((o, j) => {
        const expected = parsePbTensor(fs.readFileSync(path.join(data, `output_${j}.pb`)), `output_${j}.pb`).tensor;
        expect(maxRelError(r.outputs[o.name], expected)).toBeLessThan(1e-3);
      });
    });
  }
});

describe('the sample model', () => {
  const loaded = loadModelFile(SAMPLE);

  it('classifies sample images from its preprocess.json and labels.txt', async () => {
    for (const [folder, label] of [
      ['trouser', 'Trouser'],
      ['bag', 'Bag'],
      ['sneaker', 'Sneaker'],
    ]) {
      const r = await runtime.run(loaded, { sources: { input: { kind: 'file', path: path.join(IMAGES, folder, '0.png') } }, topK: 3 });
      expect(r.inputs[0]).toMatchObject({ name: 'input', dtype: 'float32', shape: [1, 1, 28, 28], source: 'image 0.png' });
      const logits = r.outputs[0];
      expect(logits.name).toBe('logits');
      expect(logits.shape).toEqual([1, 10]);
      expect(logits.softmaxApplied).toBe(true);
      expect(logits.top?.[0].label).toBe(label);
      expect(logits.top?.[0].probability).toBeGreaterThan(0.5);
      expect(r.labelsPath).toMatch(/labels\.txt$/);
    }
  });

  it('runs seeded random inputs deterministically, with symbolic dims from the user', async () => {
    const a = await runtime.run(loaded, { dims: { batch: 3 }, sources: { input: { kind: 'random', seed: 7 } } });
    const b = await runtime.run(loaded, { dims: { batch: 3 }, sources: { input: { kind: 'random', seed: 7 } } });
    expect(a.inputs[0].shape).toEqual([3, 1, 28, 28]);
    expect(a.outputs[0].shape).toEqual([3, 10]);
    expect(a.outputs[0].preview).toEqual(b.outputs[0].preview);
    expect(b.sessionCached).toBe(true);
    expect(a.dims).toEqual({ batch: 3 });
  });

  it('fetches intermediate tensors from a temporary copy, leaving the model file alone', async () => {
    const hash = () => createHash('sha256').update(fs.readFileSync(SAMPLE)).digest('hex');
    const before = hash();
    const { feeds } = await buildFeeds({ inputs: modelInputs(loaded), sources: { input: { kind: 'random', seed: 1 } } });
    const plain = await runtime.runFeeds(loaded, feeds);
    const names = ['/Relu_output_0', '/MaxPool_1_output_0', '/fc1/Gemm_output_0', 'input'];
    const got = await runtime.runWithIntermediates(loaded, feeds, names);
    expect(got['/Relu_output_0'].dims).toEqual([1, 16, 28, 28]);
    expect(got['/MaxPool_1_output_0'].dims).toEqual([1, 32, 7, 7]);
    expect(got['/fc1/Gemm_output_0'].dims[0]).toBe(1);
    expect(got.input).toBe(feeds.input);
    expect([...(got.logits.data as Float32Array)]).toEqual([...(plain.outputs.logits.data as Float32Array)]);
    expect([...(got['/Relu_output_0'].data as Float32Array)].every((v) => v >= 0)).toBe(true);
    await expect(runtime.runWithIntermediates(loaded, feeds, ['no_such_tensor'])).rejects.toThrow(/no tensor named "no_such_tensor"/);
    expect(hash()).toBe(before);
  });
});

describe('exported torchvision models', () => {
  it('resnet18 runs on random input and gives 1000 class scores', async () => {
    const loaded = loadModelFile(generated('resnet18.onnx'));
    const r = await runtime.run(loaded, {});
    expect(r.outputs[0].shape).toEqual([1, 1000]);
    expect(r.outputs[0].top).toHaveLength(5);
    expect(r.outputs[0].stats?.nanCount).toBe(0);
  });
});

describe('the runtime API (as the Demo place calls it)', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-runtime-api-'));
  const copy = path.join(tmp, 'variant.onnx');
  fs.copyFileSync(SAMPLE, copy);
  const engine = createEngine({ dataDir: tmp, samplePath: SAMPLE, appVersion: 'test', allowPath: (p) => p.startsWith(tmp) });
  afterAll(() => {
    runtimeFor(engine).dispose();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('describes the inputs, symbolic dims, preprocess config, labels and sample images', async () => {
    const { modelId } = await engine.call('openSample', {});
    const spec = await engine.call('getInputSpec', { modelId });
    expect(spec.inputs).toEqual([{ name: 'input', dtype: 'float32', shape: ['batch', 1, 28, 28], acceptsImages: true }]);
    expect(spec.dims).toEqual([{ name: 'batch', default: 1, usedBy: ['input[0]'] }]);
    expect(spec.preprocess).toMatchObject({ layout: 'NCHW', channels: 'grayscale', scale: 255, mean: [0.286], std: [0.353] });
    expect(spec.labels).toHaveLength(10);
    const images = await engine.call('listDemoImages', { modelId });
    expect(images).toHaveLength(50);
    expect(images.every((i) => i.dataUrl.startsWith('data:image/png;base64,'))).toBe(true);
    expect(new Set(images.map((i) => i.className)).size).toBe(10);
  });

  it('classifies with a variant that has no preprocess.json of its own, using the first model\u2019s config', async () => {
    const { modelId: sampleId } = await engine.call('openSample', {});
    const spec = await engine.call('getInputSpec', { modelId: sampleId });
    const { modelId } = await engine.call('openModel', { path: copy });
    expect((await engine.call('getInputSpec', { modelId })).preprocess).toBeNull();
    const r = await engine.call('classifyImage', {
      modelId,
      imagePath: path.join(IMAGES, 'trouser', '1.png'),
      preprocess: spec.preprocess ?? undefined,
      labels: spec.labels ?? undefined,
    });
    expect(r.top[0].label).toBe('Trouser');
    expect(r.preprocessSource).toMatch(/first model/);
    expect(r.modelViewDataUrl).toMatch(/^data:image\/png;base64,/);
    expect(r.top.reduce((s, t) => s + t.probability, 0)).toBeLessThanOrEqual(1 + 1e-9);
  });

  it('refuses images outside the folders the session may read (serve mode)', async () => {
    const { modelId } = await engine.call('openModel', { path: copy });
    const outside = path.join(os.tmpdir(), `ds-outside-${process.pid}.png`);
    fs.copyFileSync(path.join(IMAGES, 'bag', '0.png'), outside);
    try {
      await expect(engine.call('classifyImage', { modelId, imagePath: outside })).rejects.toMatchObject({ code: 'ACCESS_DENIED' });
    } finally {
      fs.rmSync(outside, { force: true });
    }
  });
});
