/**
 * Package with the preprocessing and labels set in the Model place (not files beside the model): the bundle's runner,
 * run on validation images, gives the same top-1 (index, label, probability) as the studio's Demo with ImageNet
 * mean/std set for the family of an exported torchvision resnet18.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withImagenetGeometry, withNormalization } from '../../shared/api/preprocess-presets';
import type { PackageResult } from '../../shared/api/package-api';
import { createEngine } from '../../electron/engine/features';
import { runtimeFor } from '../../electron/engine/runtime/engine-runtime';
import { generated, ROOT } from './fixtures';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-pkg-prep-'));
const engine = createEngine({ dataDir: path.join(tmp, 'data'), samplePath: generated('resnet18.onnx'), appVersion: 'test' });
afterAll(() => {
  runtimeFor(engine).dispose();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const LABELS = Array.from({ length: 1000 }, (_, i) => `kind ${i}`);
const IMAGENET = withImagenetGeometry(
  withNormalization({ layout: 'NCHW', channels: 'rgb', scale: 255 }, 'imagenet'),
  { width: 224, height: 224 },
);

/** Five validation images: coloured gradients with noise at assorted sizes and aspect ratios. */
async function validationImages(): Promise<string[]> {
  const dir = path.join(tmp, 'val');
  fs.mkdirSync(dir);
  const sizes = [[320, 240], [240, 320], [500, 300], [256, 256], [180, 400]];
  const out: string[] = [];
  for (const [k, [w, h]] of sizes.entries()) {
    const px = Buffer.alloc(w * h * 3);
    let seed = 11 + k * 17;
    for (let i = 0; i < w * h; i++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      const x = i % w;
      const y = Math.floor(i / w);
      px[i * 3] = (x * (k + 1) + (seed % 50)) % 256;
      px[i * 3 + 1] = (y * (k + 2)) % 256;
      px[i * 3 + 2] = ((x ^ y) * (k + 3)) % 256;
    }
    const file = path.join(dir, `val-${k}.${k % 2 ? 'jpg' : 'png'}`);
    const img = sharp(px, { raw: { width: w, height: h, channels: 3 } });
    fs.writeFileSync(file, await (k % 2 ? img.jpeg({ quality: 92 }) : img.png()).toBuffer());
    out.push(file);
  }
  return out;
}

describe('a bundle packaged after setting ImageNet mean/std and labels in the studio', () => {
  let modelId: string;
  let images: string[];
  let result: PackageResult;
  beforeAll(async () => {
    images = await validationImages();
    modelId = (await engine.call('openModel', { path: generated('resnet18.onnx') })).modelId;
    await engine.call('setPreprocessState', { modelId, preprocess: IMAGENET, labels: LABELS });
    result = await engine.call('runPackage', { modelId, format: 'bundle', outDir: path.join(tmp, 'out', 'resnet18-bundle') });
  }, 240_000);

  it('ships the family config and labels', async () => {
    const plan = await engine.call('planPackage', { modelId, format: 'bundle', outDir: path.join(tmp, 'out', 'other') });
    expect(plan.labelCount).toBe(1000);
    expect(plan.preprocessPath).toMatch(/preprocess\.json$/);
    const shipped = JSON.parse(fs.readFileSync(path.join(result.outDir, 'preprocess.json'), 'utf8'));
    expect(shipped).toMatchObject({ mean: IMAGENET.mean, std: IMAGENET.std, crop: { width: 224, height: 224 }, resize: { width: 256, mode: 'shorter' } });
    expect(fs.readFileSync(path.join(result.outDir, 'labels.txt'), 'utf8').split('\n')[7]).toBe('kind 7');
  });

  it("its runner gives the studio's top-1 on every validation image", async () => {
    // the fresh-copy install is package-bundle.test.ts's subject; here the runner borrows this repository's packages
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(result.outDir, 'node_modules'), 'dir');
    const run = spawnSync(process.execPath, ['run.js', '--json', ...images], { cwd: result.outDir, encoding: 'utf8', timeout: 180_000 });
    expect(run.status, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout) as { results: Array<{ top: Array<{ index: number; label: string; probability: number }> }> };
    expect(out.results).toHaveLength(images.length);
    for (const [i, file] of images.entries()) {
      const studio = await engine.call('classifyImage', { modelId, imagePath: file, topK: 5 });
      expect(studio.preprocessSource).toBe('set in the studio');
      const top = out.results[i].top[0];
      expect(top.index, file).toBe(studio.top[0].index);
      expect(top.label).toBe(studio.top[0].label);
      expect(top.probability).toBeCloseTo(studio.top[0].probability, 5);
    }
  }, 240_000);
});
