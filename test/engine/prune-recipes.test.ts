/** Pruning inside recipes: prune, then quantize (or optimize) as one replayable recipe, each step checked by running. */
import * as fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { findPass } from '../../electron/engine/optimize/pass';
import { registerBuiltinPasses } from '../../electron/engine/optimize/passes';
import type { ChannelPruneReport } from '../../shared/prune/prune-report';
import { SAMPLE } from './fixtures';
import { independentCount } from './helpers/eval-data';
import { runModel } from './helpers/build-model';
import { HAVE_FASHION, trainCalibrationNpy } from './helpers/fashion-mnist';
import { runSteps, scratchDir } from './helpers/prune-run';

const dir = scratchDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
registerBuiltinPasses();

describe('recipes with pruning', () => {
  it('chains channel pruning, magnitude pruning and graph optimization', async () => {
    const run = await runSteps(
      SAMPLE,
      [
        { pass: 'prune-channels', options: { sparsity: 0.3 } },
        { pass: 'prune-magnitude', options: { sparsity: 0.5 } },
        { pass: 'graph-optimize', options: {} },
      ],
      dir,
    );
    expect(Object.keys(run.reports)).toEqual(['1:prune-channels', '2:prune-magnitude', '3:graph-optimize']);
    const x = { dims: [2, 1, 28, 28], data: Array.from({ length: 2 * 784 }, (_, i) => Math.cos(i)) };
    expect((await runModel(run.out, { input: x })).logits.length).toBe(20);
  });

  it.skipIf(!findPass('quantize-static') || !HAVE_FASHION)('prunes with recovery, then quantizes to int8 (static), in one recipe', async () => {
    // calibrated on training images; scored on the sample's test images
    const train = trainCalibrationNpy(dir);
    const run = await runSteps(
      SAMPLE,
      [
        { pass: 'prune-channels', options: { sparsity: 0.3, recover: true, calibration: { path: train, limit: 600 } } },
        { pass: 'quantize-static', options: { calibration: train, calibrationLimit: 256 } },
      ],
      dir,
    );
    const pruned = run.reports['1:prune-channels'] as ChannelPruneReport;
    expect(pruned.macsAfter).toBeLessThan(pruned.macsBefore);
    expect(run.reports).toHaveProperty('2:quantize-static');
    const original = await independentCount(SAMPLE);
    const chained = await independentCount(run.out);
    console.log(`sample top-1: original ${original.top1}/50, pruned 30 % + recovered + int8 ${chained.top1}/50`);
    expect(chained.n).toBe(50);
    expect(original.top1 - chained.top1).toBeLessThanOrEqual(2);
  });
});
