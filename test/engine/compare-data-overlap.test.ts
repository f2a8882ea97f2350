/**
 * A comparison flags evaluation data that a variant was made with: the calibration folder itself, a copy of it under
 * another path (same content), and a folder holding some of its images; held-out images raise nothing.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATA_USED_KEY, type DataUseDto } from '../../shared/evaluate/data-overlap';
import { createEngine } from '../../electron/engine/features';
import type { StudioEngine } from '../../electron/engine/studio-engine';
import { SAMPLE } from './fixtures';
import { SAMPLE_IMAGES } from './helpers/eval-data';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-overlap-'));
const cal = path.join(tmp, 'calibration');
const val = path.join(tmp, 'validation');
const calCopy = path.join(tmp, 'elsewhere', 'calibration-copy');
let engine: StudioEngine;
let ids: string[] = [];

/** Splits every class folder: the first half calibrates, the second half is held out. */
function split(): void {
  for (const cls of fs.readdirSync(SAMPLE_IMAGES)) {
    const files = fs.readdirSync(path.join(SAMPLE_IMAGES, cls)).sort();
    const half = Math.ceil(files.length / 2);
    files.forEach((f, i) => {
      const dest = path.join(i < half ? cal : val, cls);
      fs.mkdirSync(dest, { recursive: true });
      fs.copyFileSync(path.join(SAMPLE_IMAGES, cls, f), path.join(dest, f));
    });
  }
  fs.cpSync(cal, calCopy, { recursive: true });
}

beforeAll(async () => {
  split();
  engine = createEngine({ dataDir: path.join(tmp, 'data'), samplePath: SAMPLE, appVersion: 'test' });
  const { modelId } = await engine.call('openModel', { path: SAMPLE });
  const q = await engine.call('runPasses', { modelId, steps: [{ pass: 'quantize-static', options: { calibration: cal } }], name: 'int8' });
  const uses = q.variant.reports[DATA_USED_KEY] as DataUseDto[];
  expect(uses).toHaveLength(1);
  expect(uses[0]).toMatchObject({ role: 'calibration', pass: 'quantize-static', kind: 'folder', path: cal });
  ids = [modelId, q.variant.modelId];
}, 300_000);
afterAll(() => {
  engine?.dispose();
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function compareOn(dataPath: string) {
  return engine.call('compareVariants', { modelIds: ids, data: { path: dataPath }, timingRounds: 3, timingSeconds: 1, memory: false });
}

describe('evaluation data that overlaps calibration data', () => {
  it('held-out images raise no warning', async () => {
    const r = await compareOn(val);
    expect(r.dataOverlaps).toEqual([]);
  }, 120_000);

  it('the calibration folder itself, and a copy of it elsewhere, are flagged as the same data', async () => {
    for (const p of [cal, calCopy]) {
      const r = await compareOn(p);
      expect(r.dataOverlaps).toHaveLength(1);
      expect(r.dataOverlaps?.[0]).toMatchObject({ variant: 'int8', role: 'calibration', same: true });
      expect(r.dataOverlaps?.[0].message).toMatch(/int8 was calibrated on/);
    }
  }, 240_000);

  it('a folder holding some calibration images is flagged with the count it shares', async () => {
    const r = await compareOn(SAMPLE_IMAGES);
    const calItems = fs.readdirSync(cal).reduce((n, c) => n + fs.readdirSync(path.join(cal, c)).length, 0);
    expect(r.dataOverlaps?.[0]).toMatchObject({ same: false, sharedItems: calItems, evalItems: 50 });
  }, 120_000);
});
