// Datasets and evaluateModel on real data: the sample's images, .npy arrays, ONNX test data, and broken folders.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateModel } from '../../electron/engine/evaluate';
import { modelIo, openDataset } from '../../electron/engine/evaluate/datasets';
import { loadModelFile } from '../../electron/engine/onnx/load';
import { runtimeFor } from '../../electron/engine/runtime/engine-runtime';
import { StudioEngine } from '../../electron/engine/studio-engine';
import { CONFORMANCE, SAMPLE } from './fixtures';
import { independentCount, SAMPLE_DIR, SAMPLE_IMAGES, sampleImageTensor, sampleItems, writeNpy } from './helpers/eval-data';

let tmp: string;
let engine: StudioEngine;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-eval-'));
  engine = new StudioEngine({ dataDir: path.join(tmp, 'data'), samplePath: SAMPLE, appVersion: 'test' });
});

afterAll(() => {
  runtimeFor(engine).dispose();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('image class folders', () => {
  it('gives the accuracy an independent count gives (onnxruntime directly, own preprocessing)', async () => {
    const ref = await independentCount(SAMPLE);
    const r = await evaluateModel(engine, SAMPLE, { data: { path: SAMPLE_IMAGES } });
    expect(r.dataset.kind).toBe('image-folder');
    expect(r.dataset.labelsSource).toBe('classes.json');
    expect(r.dataset.skipped.count).toBe(0);
    expect(r.evaluated).toBe(ref.n);
    expect(r.classification?.count).toBe(ref.n);
    expect(r.classification?.top1).toBe(ref.top1 / ref.n);
    expect(r.classification?.top5).toBe(ref.top5 / ref.n);
    const confusionTotal = r.classification?.confusion.flat().reduce((a, b) => a + b, 0);
    expect(confusionTotal).toBe(ref.n);
    expect(r.dataset.classNames?.[0]).toBe('T-shirt/top');
  });

  it('takes the first N or a seeded random N', async () => {
    const io = modelIo(loadModelFile(SAMPLE).proto);
    const first = openDataset({ path: SAMPLE_IMAGES, limit: 7 }, io);
    expect(first.items.map((i) => i.id)).toEqual(sampleItems().slice(0, 7).map((i) => i.id));
    const a = openDataset({ path: SAMPLE_IMAGES, limit: 7, sampling: 'random', seed: 3 }, io);
    const b = openDataset({ path: SAMPLE_IMAGES, limit: 7, sampling: 'random', seed: 3 }, io);
    const c = openDataset({ path: SAMPLE_IMAGES, limit: 7, sampling: 'random', seed: 4 }, io);
    expect(a.items.map((i) => i.id)).toEqual(b.items.map((i) => i.id));
    expect(a.items.map((i) => i.id)).not.toEqual(c.items.map((i) => i.id));
    expect(a.info.subset).toBe('random 7 (seed 3)');
    let batches = 0;
    for await (const batch of a.batches(3)) {
      batches++;
      expect(batch.inputs.input.dims[0]).toBe(batch.ids.length);
    }
    expect(batches).toBe(3);
  });

  it('skips and counts an unreadable image, an unknown class folder and a stray file, and scores the rest', async () => {
    const root = path.join(tmp, 'broken-images');
    for (const folder of ['bag', 'trouser', 'sneaker']) fs.cpSync(path.join(SAMPLE_IMAGES, folder), path.join(root, folder), { recursive: true });
    fs.cpSync(path.join(SAMPLE_IMAGES, 'coat'), path.join(root, 'socks'), { recursive: true });
    fs.writeFileSync(path.join(root, 'bag', 'broken.png'), Buffer.from('this is not a png'));
    fs.writeFileSync(path.join(root, 'trouser', 'notes.txt'), 'hello');
    fs.copyFileSync(path.join(SAMPLE_DIR, 'classes.json'), path.join(root, 'classes.json'));
    const r = await evaluateModel(engine, SAMPLE, { data: { path: root } });
    const reasons = Object.fromEntries(r.dataset.skipped.reasons.map((x) => [x.reason, x.count]));
    expect(reasons).toEqual({ 'class folder not in the labels': 5, 'unreadable image': 1, 'not an image file': 1 });
    expect(r.dataset.skipped.count).toBe(7);
    expect(r.dataset.skipped.reasons.find((x) => x.reason === 'unreadable image')?.examples[0].item).toBe('bag/broken.png');
    expect(r.dataset.skipped.reasons.find((x) => x.reason === 'class folder not in the labels')?.examples[0].detail).toMatch(/socks/);
    const good = sampleItems().filter((i) => ['bag', 'trouser', 'sneaker'].some((f) => i.id.startsWith(`${f}/`)));
    const ref = await independentCount(SAMPLE, good);
    expect(r.evaluated).toBe(15);
    expect(r.classification?.count).toBe(15);
    expect(r.classification?.top1).toBe(ref.top1 / 15);
  });

  it('with a labels file instead of classes.json, folders match labels by folded name', async () => {
    const root = path.join(tmp, 'labels-only');
    for (const folder of ['ankle-boot', 't-shirt-top']) fs.cpSync(path.join(SAMPLE_IMAGES, folder), path.join(root, folder), { recursive: true });
    const r = await evaluateModel(engine, SAMPLE, { data: { path: root, labelsPath: path.join(SAMPLE_DIR, 'labels.txt') } });
    expect(r.dataset.labelsSource).toBe('labels.txt');
    const items = sampleItems().filter((i) => i.id.startsWith('ankle-boot/') || i.id.startsWith('t-shirt-top/'));
    const ref = await independentCount(SAMPLE, items);
    expect(r.classification?.top1).toBe(ref.top1 / items.length);
    expect(r.classification?.perClass.find((c) => c.index === 9)?.count).toBe(5);
  });
});

describe('labels the model does not score', () => {
  const twelve = () => {
    const root = path.join(tmp, `twelve-${Math.random().toString(36).slice(2)}`);
    const src = sampleItems();
    for (let c = 0; c < 12; c++) {
      const dir = path.join(root, `c${String(c).padStart(2, '0')}`);
      fs.mkdirSync(dir, { recursive: true });
      fs.copyFileSync(src[c * 4].file, path.join(dir, '0.png'));
    }
    return root;
  };

  it('skips and counts items a labels file puts past the model classes, with a warning', async () => {
    const root = twelve();
    fs.writeFileSync(path.join(root, 'labels.txt'), Array.from({ length: 12 }, (_, i) => `c${String(i).padStart(2, '0')}`).join('\n'));
    const r = await evaluateModel(engine, SAMPLE, { data: { path: root } });
    expect(r.dataset.labelsSource).toBe('labels.txt');
    expect(r.dataset.skipped.reasons).toEqual([expect.objectContaining({ reason: 'label outside the model classes', count: 2 })]);
    expect(r.classification?.count).toBe(10);
    expect(r.evaluated).toBe(12);
    expect(r.warnings[0]).toMatch(/12 classes but output "logits" scores 10/);
  });

  it('computes no accuracy when unmapped class folders do not match the model classes', async () => {
    const r = await evaluateModel(engine, SAMPLE, { data: { path: twelve() }, reference: SAMPLE });
    expect(r.dataset.labelsSource).toMatch(/^sorted folder names/);
    expect(r.classification).toBeNull();
    expect(r.fidelity?.agreementTop1).toBe(1);
    expect(r.warnings[0]).toMatch(/no accuracy was computed/);
  });
});

describe('.npy arrays', () => {
  it('reads inputs and labels arrays and scores them like the images', async () => {
    const items = sampleItems();
    const x = new Float32Array(items.length * 784);
    for (let i = 0; i < items.length; i++) x.set(await sampleImageTensor(items[i].file), i * 784);
    const dir = path.join(tmp, 'npy-good');
    fs.mkdirSync(dir);
    writeNpy(path.join(dir, 'inputs.npy'), [items.length, 1, 28, 28], x);
    writeNpy(path.join(dir, 'labels.npy'), [items.length], BigInt64Array.from(items.map((i) => BigInt(i.label))));
    const ref = await independentCount(SAMPLE);
    const r = await evaluateModel(engine, SAMPLE, { data: { path: dir }, batchSize: 16 });
    expect(r.dataset.kind).toBe('npy');
    expect(r.evaluated).toBe(items.length);
    expect(r.classification?.top1).toBe(ref.top1 / ref.n);
  });

  it('refuses inputs of the wrong shape with the skip report, never a metric', async () => {
    const dir = path.join(tmp, 'npy-bad');
    fs.mkdirSync(dir);
    writeNpy(path.join(dir, 'inputs.npy'), [4, 28, 28], new Float32Array(4 * 784));
    writeNpy(path.join(dir, 'labels.npy'), [4], BigInt64Array.from([0n, 1n, 2n, 3n]));
    const err = await evaluateModel(engine, SAMPLE, { data: { path: dir } }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'INVALID_INPUT' });
    expect((err as Error).message).toMatch(/4 skipped: 4 wrong input shape/);
    expect((err as Error).message).toMatch(/expects rank 4/);
  });

  it('refuses a labels array whose length differs from the inputs', async () => {
    const dir = path.join(tmp, 'npy-labels');
    fs.mkdirSync(dir);
    writeNpy(path.join(dir, 'inputs.npy'), [3, 1, 28, 28], new Float32Array(3 * 784));
    writeNpy(path.join(dir, 'labels.npy'), [2], BigInt64Array.from([0n, 1n]));
    await expect(evaluateModel(engine, SAMPLE, { data: { path: dir } })).rejects.toThrow(/2 labels but the inputs have 3 items/);
  });
});

describe('ONNX test data', () => {
  it('matches the expected outputs of a conformance model', async () => {
    const folder = path.join(CONFORMANCE, 'node/test_relu');
    const r = await evaluateModel(engine, path.join(folder, 'model.onnx'), { data: { path: folder } });
    expect(r.dataset.kind).toBe('onnx-test-data');
    expect(r.expected?.count).toBeGreaterThan(0);
    expect(r.expected?.matched).toBe(r.expected?.count);
    expect(r.classification).toBeNull();
  });

  it('skips a set whose inputs have the wrong shape and says so', async () => {
    const folder = path.join(CONFORMANCE, 'node/test_relu');
    const copy = path.join(tmp, 'relu-sets');
    fs.cpSync(folder, copy, { recursive: true });
    fs.cpSync(path.join(CONFORMANCE, 'node/test_add_bcast/test_data_set_0'), path.join(copy, 'test_data_set_9'), { recursive: true });
    const model = loadModelFile(path.join(copy, 'model.onnx'));
    const r = await evaluateModel(engine, model, { data: { path: copy } });
    expect(r.dataset.skipped.reasons.map((x) => x.reason)).toContain('wrong number of inputs');
    expect(r.expected?.matched).toBe(r.expected?.count);
  });
});
