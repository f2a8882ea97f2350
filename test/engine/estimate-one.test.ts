/** One estimator: the Target place and the Optimize panel give one latency estimate for one model on one profile. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TargetProfileSchema } from '../../shared/targets/profile-schema';
import { analyzeModel } from '../../electron/engine/analysis/model-analysis';
import { loadModelFile } from '../../electron/engine/onnx/load';
import { estimateInt8Gain } from '../../electron/engine/optimize/quantize/int8-estimate';
import { checkModel } from '../../electron/engine/targets/check-model';
import { builtInProfileDir } from '../../electron/engine/targets/profile-store';
import { SAMPLE } from './fixtures';
import { runPass } from './helpers/prune-run';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-estimate-one-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('one latency estimate per model and profile', () => {
  it('the int8 variant gets the same estimate in Optimize (float vs int8) and in the Target check', async () => {
    const { out } = await runPass(SAMPLE, 'quantize-static', { calibrationLimit: 8, errorItems: 0 }, dir);
    const profile = TargetProfileSchema.parse(JSON.parse(fs.readFileSync(path.join(builtInProfileDir(), 'raspberry-pi-5.json'), 'utf8')));
    const float = loadModelFile(SAMPLE);
    const quant = loadModelFile(out);
    const optimize = estimateInt8Gain(profile, float, quant, false);
    const session = { executionProviders: ['cpu'], intraOpThreads: 4, interOpThreads: 1, graphOptimizationLevel: profile.graphOptimizationLevel, emulated: [], notEmulated: [] };
    const targetQuant = checkModel(quant, analyzeModel(quant, {}).dto, profile, session).latency;
    const targetFloat = checkModel(float, analyzeModel(float, {}).dto, profile, session).latency;
    expect(optimize).toBeDefined();
    expect(targetQuant?.ms).toBeCloseTo(optimize?.quantizedMs ?? NaN, 9);
    expect(targetFloat?.ms).toBeCloseTo(optimize?.floatMs ?? NaN, 9);
    // Q/DQ pairs run inside the quantized kernels: the int8 model is not estimated slower than float
    expect(optimize?.quantizedMs ?? Infinity).toBeLessThan(optimize?.floatMs ?? 0);
  }, 120_000);
});
