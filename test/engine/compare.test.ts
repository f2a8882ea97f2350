// compareModels on the sample and its variants: accuracy equal to an independent count, latency from alternated runs.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompareResultDto } from '../../shared/api/evaluate-dto';
import { compareModels } from '../../electron/engine/evaluate/compare';
import { runtimeFor } from '../../electron/engine/runtime/engine-runtime';
import { StudioEngine } from '../../electron/engine/studio-engine';
import { SAMPLE } from './fixtures';
import { independentCount, SAMPLE_IMAGES } from './helpers/eval-data';
import { buildSearchGrid } from '../../electron/engine/evaluate/search-grid';
import { registerBuiltinPasses } from '../../electron/engine/optimize/passes';
import { makeVariant, roundedWeightsCopy } from './helpers/eval-variants';

let tmp: string;
let engine: StudioEngine;
const variants: Array<{ name: string; path: string }> = [];
let result: CompareResultDto;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-compare-'));
  engine = new StudioEngine({ dataDir: path.join(tmp, 'data'), samplePath: SAMPLE, appVersion: 'test' });
  registerBuiltinPasses();
  variants.push({ name: 'optimized', path: await makeVariant(engine, SAMPLE, [{ pass: 'graph-optimize', options: {} }], path.join(tmp, 'optimized.onnx')) });
  variants.push({ name: 'rounded weights (15 levels)', path: await roundedWeightsCopy(SAMPLE, path.join(tmp, 'rounded.onnx'), 7) });
  // int8 and pruned variants with the options the search would use (the grid reads each pass's option schema)
  const grid = buildSearchGrid({ dataPath: SAMPLE_IMAGES, pruneRatios: [0.25] }).candidates;
  const int8 = grid.find((c) => c.steps.length === 1 && c.steps[0].pass === 'quantize-static') ?? grid.find((c) => c.steps.length === 1 && c.steps[0].pass.startsWith('quantize'));
  if (int8) variants.push({ name: 'int8', path: await makeVariant(engine, SAMPLE, int8.steps, path.join(tmp, 'int8.onnx')) });
  const pruned = grid.find((c) => c.steps.length === 1 && c.steps[0].pass === 'prune-channels');
  if (pruned) variants.push({ name: 'pruned', path: await makeVariant(engine, SAMPLE, pruned.steps, path.join(tmp, 'pruned.onnx')) });
  result = await compareModels([{ model: SAMPLE, name: 'original' }, ...variants.map((v) => ({ model: v.path, name: v.name }))], {
    data: { path: SAMPLE_IMAGES },
    timingRounds: 30,
    timingSeconds: 10,
  });
});

afterAll(() => {
  runtimeFor(engine).dispose();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('compare', () => {
  it('gives every variant the accuracy an independent count gives', async () => {
    const paths = [SAMPLE, ...variants.map((v) => v.path)];
    expect(result.rows.map((r) => r.modelPath)).toEqual(paths);
    for (let i = 0; i < paths.length; i++) {
      const ref = await independentCount(paths[i]);
      expect(result.rows[i].accuracyTop1, result.rows[i].name).toBe(ref.top1 / ref.n);
      expect(result.rows[i].accuracyTop5, result.rows[i].name).toBe(ref.top5 / ref.n);
    }
    expect(result.evaluated).toBe(50);
  });

  it('measures agreement with the reference the way an independent count does', async () => {
    const base = await independentCount(SAMPLE);
    for (let i = 1; i < result.rows.length; i++) {
      const other = await independentCount(result.rows[i].modelPath);
      const agree = other.predictions.filter((p, k) => p === base.predictions[k]).length / base.n;
      expect(result.rows[i].agreementTop1, result.rows[i].name).toBe(agree);
    }
    expect(result.rows[0].agreementTop1).toBe(1);
    expect(result.rows[0].snrDb).toBeNull();
    expect(result.rows[2].snrDb).toBeGreaterThan(0);
  });

  it('times every variant in the same alternated rounds', () => {
    for (const row of result.rows) {
      expect(row.latenciesMs).toHaveLength(result.timingRounds);
      expect(row.latencyMs.p50).toBeGreaterThan(0);
      expect(row.latencyMs.p90).toBeGreaterThanOrEqual(row.latencyMs.p50);
      expect(row.latencyMs.p99).toBeGreaterThanOrEqual(row.latencyMs.p90);
      expect(row.throughput).toBeGreaterThan(0);
      expect(row.peakRssBytes).toBeGreaterThan(10 * 2 ** 20);
      expect(row.params).toBeGreaterThan(0);
      expect(row.sizeBytes).toBe(fs.statSync(row.modelPath).size);
    }
    expect(result.timingRounds).toBeGreaterThanOrEqual(10);
    expect(result.rows[0].delta.latencyP50Ratio).toBe(1);
    expect(result.paretoFront.length).toBeGreaterThan(0);
    const ratios = result.rows.map((r) => `${r.name}: p50 ${r.latencyMs.p50.toFixed(3)} ms (×${r.delta.latencyP50Ratio.toFixed(2)}), top-1 ${r.accuracyTop1}`);
    console.log(ratios.join('\n'));
  });

  it('stops when cancelled and reports it as a cancellation', async () => {
    const controller = new AbortController();
    let stages = 0;
    const run = compareModels([{ model: SAMPLE }, { model: variants[0].path }], {
      data: { path: SAMPLE_IMAGES },
      timingRounds: 100_000,
      timingSeconds: 600,
      signal: controller.signal,
      onProgress: (f, stage) => {
        stages++;
        if (stage.startsWith('latency') && !controller.signal.aborted) controller.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ code: 'JOB_CANCELLED' });
    expect(stages).toBeGreaterThan(1);
  });
});
