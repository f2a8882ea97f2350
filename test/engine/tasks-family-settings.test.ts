/**
 * The Demo's task runs use the preprocessing and labels set for the model's family in the Model place, before any
 * file beside the model: a copy of the sample without its preprocess.json classifies an ankle boot wrongly-scaled by
 * the shape's guess, and correctly, with the names, once the family's settings are saved.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { PreprocessConfig } from '../../shared/api/preprocess';
import { createEngine } from '../../electron/engine/features';
import { SAMPLE } from './fixtures';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-task-family-'));
const engine = createEngine({ dataDir: path.join(tmp, 'data'), samplePath: SAMPLE, appVersion: 'test' });
afterAll(() => {
  engine.dispose();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const NAMES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];
const FASHION: PreprocessConfig = { layout: 'NCHW', channels: 'grayscale', resize: { width: 28, height: 28, mode: 'stretch' }, scale: 255, mean: [0.286], std: [0.353] };

describe('task runs and the family settings', () => {
  it('use the preprocessing and labels saved for the family', async () => {
    const dir = path.join(tmp, 'bare');
    fs.mkdirSync(dir);
    const model = path.join(dir, 'fashion-bare.onnx');
    fs.copyFileSync(SAMPLE, model);
    const imagesDir = path.join(path.dirname(SAMPLE), 'images', 'ankle-boot');
    const image = path.join(imagesDir, fs.readdirSync(imagesDir).sort()[0]);
    const { modelId } = await engine.call('openModel', { path: model });

    const guessed = await engine.call('runTask', { modelId, inputPath: image, kind: 'classify' });
    expect(guessed.result.kind).toBe('classify');
    const before = (guessed.result as { top: Array<{ index: number; label: string | null; probability: number }> }).top[0];
    expect(before.label === null || !NAMES.includes(before.label)).toBe(true);

    await engine.call('setPreprocessState', { modelId, preprocess: FASHION, labels: NAMES });
    const set = await engine.call('runTask', { modelId, inputPath: image, kind: 'classify' });
    const after = (set.result as { top: Array<{ index: number; label: string | null; probability: number }> }).top[0];
    expect(after.index).toBe(9);
    expect(after.label).toBe('Ankle boot');
    expect(after.probability).not.toBeCloseTo(before.probability, 3);
  }, 120_000);
});
