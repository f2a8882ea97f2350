/**
 * The runtime bundle on a fresh copy: unzipped into an empty folder, `npm install --prefer-offline` (the tarballs come
 * from npm's cache, which `npm ci` of this repository fills; `npm ci` caches no registry metadata, so on a fresh machine
 * the metadata comes from the registry; no link to this repository's node_modules), then
 * `node run.js` on every sample image prints the same top-1 as the studio's own run of that image. Also: the
 * bundle's preprocessing gives the same tensor as the studio's, element for element, across configs.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PreprocessConfig } from '../../shared/api/preprocess';
import type { PackageResult } from '../../shared/api/package-api';
import { createEngine } from '../../electron/engine/features';
import { imageToTensor } from '../../electron/engine/runtime/inputs/image-input';
import { listImages } from '../../electron/engine/runtime/inputs/model-extras';
import { runtimeFor } from '../../electron/engine/runtime/engine-runtime';
import { ROOT, SAMPLE } from './fixtures';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-bundle-'));
const engine = createEngine({ dataDir: path.join(tmp, 'data'), samplePath: SAMPLE, appVersion: 'test' });
const images = listImages(path.join(path.dirname(SAMPLE), 'images'));
afterAll(() => {
  runtimeFor(engine).dispose();
  fs.rmSync(tmp, { recursive: true, force: true });
});

interface RunJson {
  model: string;
  results: Array<{ file: string; top: Array<{ index: number; label: string; probability: number }>; latencyMs: number }>;
}

describe('runtime bundle', () => {
  let result: PackageResult;
  let modelId: string;
  beforeAll(async () => {
    modelId = (await engine.call('openModel', { path: SAMPLE })).modelId;
    result = await engine.call('runPackage', { modelId, format: 'bundle', outDir: path.join(tmp, 'out', 'fashion-bundle') });
  });

  it('writes the folder, its zip and a README with measured figures', async () => {
    expect(result.zipPath).toBe(path.join(tmp, 'out', 'fashion-bundle.zip'));
    expect(fs.readdirSync(path.join(tmp, 'out')).sort()).toEqual(['fashion-bundle', 'fashion-bundle.zip']);
    const paths = result.files.map((f) => f.path);
    for (const f of ['run.js', 'lib/model-runner-core.cjs', 'model.onnx', 'runner-config.json', 'labels.txt', 'preprocess.json', 'package.json', '.npmrc', 'README.md']) expect(paths).toContain(f);
    const readme = fs.readFileSync(path.join(result.outDir, 'README.md'), 'utf8');
    expect(readme).toMatch(/latency p50 \(batch 1, 30 runs\) \| \d+\.\d+ ms/);
    expect(readme).toContain('| `input` | float32 | [batch, 1, 28, 28] | an image, preprocessed as below |');
    expect(readme).toContain('mean = [0.286] and std = [0.353]');
    expect(readme).toMatch(/The studio classified `images\/ankle-boot\/0\.png` as \*\*Ankle boot\*\*/);
    expect(result.measurement?.p50Ms).toBeGreaterThan(0);
    const dl = await engine.call('resolveDownload', { downloadId: result.downloadId as string });
    expect(dl).toMatchObject({ path: result.zipPath, fileName: 'fashion-bundle.zip', sizeBytes: fs.statSync(result.zipPath as string).size });
  });

  it('runs on a fresh copy (unzip, npm install --prefer-offline) with the same top-1 as the studio on every sample image', async () => {
    const fresh = path.join(tmp, 'fresh');
    fs.mkdirSync(fresh);
    execFileSync('unzip', ['-q', result.zipPath as string, '-d', fresh]);
    const dir = path.join(fresh, 'fashion-bundle');
    expect(fs.existsSync(path.join(dir, 'node_modules'))).toBe(false);
    const npm = spawnSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], { cwd: dir, encoding: 'utf8', timeout: 240_000 });
    expect(npm.status, `npm install --prefer-offline failed (no registry and npm's cache lacks a package? run npm ci in the repository first):\n${npm.stderr}`).toBe(0);
    expect(fs.realpathSync(path.join(dir, 'node_modules', 'onnxruntime-node'))).toContain(dir);

    const run = spawnSync(process.execPath, ['run.js', '--json', ...images.map((i) => i.path)], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
    expect(run.status, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout) as RunJson;
    expect(out.results).toHaveLength(images.length);
    let agree = 0;
    for (const [i, img] of images.entries()) {
      const studio = await engine.call('classifyImage', { modelId, imagePath: img.path, topK: 5 });
      const bundle = out.results[i].top;
      expect(bundle[0].index, img.path).toBe(studio.top[0].index);
      expect(bundle[0].label).toBe(studio.top[0].label);
      expect(bundle[0].probability).toBeCloseTo(studio.top[0].probability, 5);
      if (bundle[0].index === studio.top[0].index) agree++;
    }
    expect(agree).toBe(images.length);

    const text = spawnSync(process.execPath, ['run.js', images[0].path], { cwd: dir, encoding: 'utf8' });
    expect(text.stdout).toMatch(/top-1: Ankle boot \(class 9, p=0\.\d{4}\)/);
    const bad = spawnSync(process.execPath, ['run.js', path.join(dir, 'labels.txt')], { cwd: dir, encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^run\.js: The file cannot be read as an image/);

    // the bundle times the model on the device with the studio's protocol and statistics
    const bench = spawnSync(process.execPath, ['run.js', '--bench', '30', images[0].path, '--json'], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
    expect(bench.status, bench.stderr).toBe(0);
    const b = JSON.parse(bench.stdout) as { stats: { runs: number; p50: number; p90: number; p99: number; min: number; max: number }; latencies: number[]; settings: { intraOpNumThreads: number } };
    expect(b.latencies).toHaveLength(30);
    expect(b.stats.runs).toBe(30);
    expect(b.stats.min).toBeLessThanOrEqual(b.stats.p50);
    expect(b.stats.p50).toBeLessThanOrEqual(b.stats.p90);
    expect(b.stats.p99).toBeLessThanOrEqual(b.stats.max);
    expect(b.settings.intraOpNumThreads).toBeGreaterThanOrEqual(1);
    const benchText = spawnSync(process.execPath, ['run.js', '--bench', '20', images[0].path], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
    expect(benchText.stdout).toMatch(/20 runs after warm-up/);
    expect(benchText.stdout).toMatch(/p50 \d+\.\d{3} ms {3}p90/);
  });
});

describe("the bundle's preprocessing equals the studio's", () => {
  const core = createRequire(__filename)(path.join(ROOT, 'assets/templates/runtime-core/model-runner-core.cjs')) as {
    preprocessImage(bytes: Uint8Array, pre: PreprocessConfig, dtype?: string): Promise<{ data: ArrayLike<number>; dims: number[] }>;
  };
  const configs: PreprocessConfig[] = [
    { layout: 'NCHW', channels: 'grayscale', resize: { width: 28, height: 28, mode: 'stretch' }, scale: 255, mean: [0.286], std: [0.353] },
    { layout: 'NCHW', channels: 'rgb', resize: { width: 256, height: 256, mode: 'shorter' }, crop: { width: 224, height: 224 }, scale: 255, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] },
    { layout: 'NHWC', channels: 'bgr', resize: { width: 64, height: 48, mode: 'cover' }, scale: 1, mean: [103.9, 116.8, 123.7], std: [1] },
    { layout: 'NCHW', channels: 'rgb', resize: { width: 40, height: 40, mode: 'contain' }, scale: 255 },
  ];
  let extra: Array<{ name: string; bytes: Buffer }> = [];
  beforeAll(async () => {
    const rgba = await sharp({ create: { width: 97, height: 61, channels: 4, background: { r: 200, g: 30, b: 90, alpha: 0.5 } } }).png().toBuffer();
    const rotated = await sharp(fs.readFileSync(images[3].path)).resize(60, 30).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    const gray = fs.readFileSync(images[7].path);
    extra = [
      { name: 'rgba.png', bytes: rgba },
      { name: 'exif-rotated.jpg', bytes: rotated },
      { name: 'gray.png', bytes: gray },
    ];
  });

  it('gives identical tensors for the sample images and odd ones, across resize modes, crops, layouts and channel orders', async () => {
    const inputs = [...images.slice(0, 8).map((i) => ({ name: i.path, bytes: fs.readFileSync(i.path) })), ...extra];
    let compared = 0;
    for (const config of configs) {
      for (const dtype of ['float32', 'uint8', 'float16'] as const) {
        for (const img of inputs) {
          const studio = await imageToTensor(img.bytes, img.name, 'input', dtype, config);
          const bundle = await core.preprocessImage(img.bytes, config, dtype);
          expect(bundle.dims, img.name).toEqual(studio.tensor.dims);
          expect(Array.from(bundle.data), `${img.name} ${dtype} ${JSON.stringify(config)}`).toEqual(Array.from(studio.tensor.data as ArrayLike<number>));
          compared++;
        }
      }
    }
    expect(compared).toBe(configs.length * 3 * 11);
  });
});
