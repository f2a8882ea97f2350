/**
 * The family's preprocessing and labels (the Model place's editor) on an exported torchvision resnet18: guessed
 * defaults, saving, the preview's statistics, and every consumer using what was set: Demo (classifyImage), run,
 * evaluation of an image folder, and static int8 calibration from images.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withImagenetGeometry, withNormalization } from '../../shared/api/preprocess-presets';
import type { PreprocessConfig } from '../../shared/api/preprocess';
import { createEngine } from '../../electron/engine/features';
import { loadModelFile } from '../../electron/engine/onnx/load';
import { tensorValues } from '../../electron/engine/onnx/tensor-data';
import { runtimeFor } from '../../electron/engine/runtime/engine-runtime';
import { valueAt } from '../../electron/engine/runtime/host-tensor';
import { imageToTensor } from '../../electron/engine/runtime/inputs/image-input';
import { generated } from './fixtures';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-prep-'));
const engine = createEngine({ dataDir: path.join(tmp, 'data'), samplePath: generated('resnet18.onnx'), appVersion: 'test' });
afterAll(() => {
  runtimeFor(engine).dispose();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const LABELS = Array.from({ length: 1000 }, (_, i) => `label-${i}`);
const UNIT: PreprocessConfig = { layout: 'NCHW', channels: 'rgb', resize: { width: 224, height: 224, mode: 'stretch' }, scale: 255 };
const IMAGENET = withImagenetGeometry(withNormalization(UNIT, 'imagenet'), { width: 224, height: 224 });
const DATA = path.join(tmp, 'val');

/** Writes class folders of synthetic photos-like images (gradients with noise, 300×260) named after three labels. */
async function makeImages(): Promise<string[]> {
  const files: string[] = [];
  for (const [c, cls] of ['label-1', 'label-2', 'label-3'].entries()) {
    fs.mkdirSync(path.join(DATA, cls), { recursive: true });
    for (let k = 0; k < 3; k++) {
      const w = 300;
      const h = 260;
      const px = Buffer.alloc(w * h * 3);
      let seed = 7 + c * 31 + k * 5;
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          seed = (seed * 1103515245 + 12345) & 0x7fffffff;
          const n = seed % 40;
          const i = (y * w + x) * 3;
          px[i] = Math.min(255, ((x * (c + 1)) % 256) + n);
          px[i + 1] = Math.min(255, ((y * (k + 2)) % 256) + n);
          px[i + 2] = Math.min(255, (((x + y) * (c + k + 1)) % 256) + n);
        }
      }
      const file = path.join(DATA, cls, `${k}.png`);
      fs.writeFileSync(file, await sharp(px, { raw: { width: w, height: h, channels: 3 } }).png().toBuffer());
      files.push(file);
    }
  }
  return files;
}

/** The studio's reference: preprocess with a config, run, top-1 index and its logit. */
async function reference(modelId: string, file: string, config: PreprocessConfig): Promise<{ index: number; logit: number }> {
  const loaded = engine.loadedModel(modelId);
  const img = await imageToTensor(fs.readFileSync(file), path.basename(file), 'input', 'float32', config);
  const r = await runtimeFor(engine).runFeeds(loaded, { input: img.tensor }, {});
  const out = r.outputs.logits;
  let best = 0;
  for (let i = 1; i < 1000; i++) if (valueAt(out, i) > valueAt(out, best)) best = i;
  return { index: best, logit: valueAt(out, best) };
}

/** @returns the scale of the QuantizeLinear fed by the graph input (the calibrated input range / 255). */
function inputScale(file: string): number {
  const m = loadModelFile(file);
  const g = m.proto.graph!;
  const q = g.node.find((n) => n.opType === 'QuantizeLinear' && n.input[0] === 'input');
  expect(q, 'the input is quantized').toBeTruthy();
  const init = g.initializer.find((t) => t.name === q!.input[1]);
  return Number(tensorValues(init!)[0]);
}

describe('the preprocessing and labels editor on resnet18', () => {
  let modelId: string;
  let images: string[];
  beforeAll(async () => {
    images = await makeImages();
    modelId = (await engine.call('openModel', { path: generated('resnet18.onnx') })).modelId;
  });

  it('guesses size, layout and channels from the input shape, and says it is a guess', async () => {
    const s = await engine.call('getPreprocessState', { modelId });
    expect(s.preprocessOrigin).toBe('guess');
    expect(s.guess).toMatchObject({ layout: 'NCHW', channels: 'rgb', resize: { width: 224, height: 224 }, scale: 255 });
    expect(s.guessWhy).toMatch(/guess/i);
    expect(s.imageInput).toMatchObject({ name: 'input', shape: ['batch', 3, 224, 224] });
    expect(s.classOutput).toEqual({ name: 'logits', classes: 1000 });
    expect(s.labels).toBeNull();
  });

  it('saves ImageNet preprocessing and labels with the family, and refuses a config the input does not take', async () => {
    const s = await engine.call('setPreprocessState', { modelId, preprocess: IMAGENET, labels: LABELS });
    expect(s.preprocessOrigin).toBe('family');
    expect(s.preprocess).toMatchObject({ mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225], crop: { width: 224, height: 224 }, resize: { width: 256, mode: 'shorter' } });
    expect(s.labelsOrigin).toBe('family');
    expect(s.labelsMatch).toBe(true);
    const short = await engine.call('setPreprocessState', { modelId, labels: LABELS.slice(0, 10) });
    expect(short.labelsMatch).toBe(false);
    expect(short.preprocessOrigin).toBe('family');
    await engine.call('setPreprocessState', { modelId, labels: LABELS });
    await expect(engine.call('setPreprocessState', { modelId, preprocess: { ...IMAGENET, crop: { width: 100, height: 100 } } })).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
      message: expect.stringMatching(/height 100 .* takes 224/),
    });
  });

  it('previews one image: the crop the model sees and per-channel statistics of the tensor', async () => {
    const p = await engine.call('previewPreprocess', { modelId, imagePath: images[0] });
    expect(p.tensorShape).toEqual([1, 3, 224, 224]);
    expect(p.fits).toBe(true);
    expect(p.channels.map((c) => c.name)).toEqual(['R', 'G', 'B']);
    const img = await imageToTensor(fs.readFileSync(images[0]), 'x', 'input', 'float32', IMAGENET);
    const plane = 224 * 224;
    const r = Array.from((img.tensor.data as Float32Array).subarray(0, plane));
    expect(p.channels[0].min).toBeCloseTo(Math.min(...r), 5);
    expect(p.channels[0].max).toBeCloseTo(Math.max(...r), 5);
    expect(p.channels[0].min).toBeLessThan(-1.5); // (0 - 0.485) / 0.229 is -2.12: mean/std applied, not [0, 1]
    const unit = await engine.call('previewPreprocess', { modelId, imagePath: images[0], preprocess: UNIT });
    expect(unit.channels.every((c) => c.min >= 0 && c.max <= 1)).toBe(true);
  });

  it('Demo and run use what was set: top-1 and its label follow the ImageNet config, not [0, 1]', async () => {
    let differs = 0;
    for (const file of images.slice(0, 4)) {
      const want = await reference(modelId, file, IMAGENET);
      const other = await reference(modelId, file, UNIT);
      if (want.index !== other.index) differs++;
      const demo = await engine.call('classifyImage', { modelId, imagePath: file, topK: 5 });
      expect(demo.top[0].index).toBe(want.index);
      expect(demo.top[0].label).toBe(`label-${want.index}`);
      expect(demo.preprocessSource).toBe('set in the studio');
    }
    expect(differs, 'ImageNet mean/std changes at least one top-1 on this model').toBeGreaterThan(0);
    const run = await engine.call('runModel', { modelId, inputs: { input: { kind: 'file', path: images[0] } }, topK: 3 });
    const want = await reference(modelId, images[0], IMAGENET);
    expect(run.outputs[0].top?.[0]).toMatchObject({ index: want.index, label: `label-${want.index}` });
    expect(run.labelsPath).toBe('set in the studio');
  });

  it('evaluation of an image folder uses the family config and maps class folders to the labels', async () => {
    const r = await engine.call('inspectDataset', { modelId, data: { path: DATA } });
    expect(r.preprocess).toMatchObject({ mean: IMAGENET.mean, crop: IMAGENET.crop });
    expect(r.classNames?.length).toBe(1000);
  });

  it('a variant finds the family settings, and static int8 calibrates from images with them', async () => {
    const steps = [{ pass: 'quantize-static' as const, options: { calibration: DATA, calibrationLimit: 6, errorItems: 0 } }];
    const withImagenet = await engine.call('runPasses', { modelId, name: 'int8-imagenet', steps });
    const state = await engine.call('getPreprocessState', { modelId: withImagenet.variant.modelId });
    expect(state.preprocessOrigin).toBe('family');
    expect(state.labels?.length).toBe(1000);
    await engine.call('setPreprocessState', { modelId, preprocess: null });
    expect((await engine.call('getPreprocessState', { modelId })).preprocessOrigin).toBe('guess');
    const withUnit = await engine.call('runPasses', { modelId, name: 'int8-unit', steps });
    // minmax ranges of the input: [0, 1] gives a scale near 1/255; ImageNet's [-2.1, 2.6] one near 4.7/255
    const a = inputScale(withImagenet.variant.path);
    const b = inputScale(withUnit.variant.path);
    expect(b).toBeLessThan(1.01 / 255);
    expect(a).toBeGreaterThan(3 / 255);
  }, 240_000);
});
