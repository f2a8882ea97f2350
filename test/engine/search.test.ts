// searchRecipes on the sample: a variant faster than the original within the drop, whose recipe the CLI replays byte for byte.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SearchResultDto } from '../../shared/api/evaluate-dto';
import { searchRecipes } from '../../electron/engine/evaluate/search';
import { loadModelFile } from '../../electron/engine/onnx/load';
import { fileSha256 } from '../../electron/engine/optimize/recipe-runner';
import { runtimeFor } from '../../electron/engine/runtime/engine-runtime';
import { StudioEngine } from '../../electron/engine/studio-engine';
import { ROOT, SAMPLE } from './fixtures';
import { independentCount, SAMPLE_IMAGES } from './helpers/eval-data';

let tmp: string;
let engine: StudioEngine;
let result: SearchResultDto;
const MAX_DROP = 0.05;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-search-'));
  engine = new StudioEngine({ dataDir: path.join(tmp, 'data'), samplePath: SAMPLE, appVersion: 'test' });
  const { result: r } = engine.jobs.start('search', 'search', (job) =>
    searchRecipes(engine, loadModelFile(SAMPLE), { data: { path: SAMPLE_IMAGES }, maxDrop: MAX_DROP, outDir: path.join(tmp, 'candidates'), timingRounds: 60, timingSeconds: 30 }, job),
  );
  result = await r;
});

afterAll(() => {
  runtimeFor(engine).dispose();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('search', () => {
  it('tries a recipe per available pass setting and measures each against the original', () => {
    expect(result.candidates.length).toBeGreaterThanOrEqual(2);
    expect(result.metric).toBe('accuracyTop1');
    expect(result.original.accuracyTop1).toBe(0.92);
    for (const c of result.candidates) {
      if (c.error) continue;
      expect(c.row?.latenciesMs.length).toBe(result.comparison.timingRounds);
      expect(c.drop).toBeCloseTo((result.original.accuracyTop1 ?? 0) - (c.row?.accuracyTop1 ?? 0), 10);
    }
    console.log(
      result.candidates
        .map((c) => `${c.label}: top-1 ${c.row?.accuracyTop1}, p50 ×${c.row?.delta.latencyP50Ratio.toFixed(3)}, size ×${c.row?.delta.sizeRatio.toFixed(2)}${c.error ? ` (${c.error})` : ''}`)
        .join('\n'),
    );
  });

  it('recommends the fastest candidate within the drop, faster than the original', async () => {
    expect(result.recommended).not.toBeNull();
    const pick = result.candidates[result.recommended as number];
    expect(pick.meetsDrop).toBe(true);
    expect(pick.drop).toBeLessThanOrEqual(MAX_DROP);
    expect(pick.row?.latencyMs.p50).toBeLessThan(result.original.latencyMs.p50);
    for (const c of result.candidates) if (c.meetsDrop && c.row) expect(c.row.latencyMs.p50).toBeGreaterThanOrEqual(pick.row?.latencyMs.p50 ?? 0);
    // its accuracy is what an independent count says
    const ref = await independentCount(pick.modelPath as string);
    expect(pick.row?.accuracyTop1).toBe(ref.top1 / ref.n);
  });

  it('keeps the recommended model, whose recipe `deploy-studio optimize` replays to the same bytes', () => {
    const pick = result.candidates[result.recommended as number];
    expect(fs.existsSync(pick.modelPath as string)).toBe(true);
    for (const c of result.candidates) if (c !== pick) expect(c.modelPath).toBeNull();
    const recipeFile = path.join(tmp, 'pick.recipe.json');
    fs.writeFileSync(recipeFile, JSON.stringify(pick.recipe, null, 2));
    const out = path.join(tmp, 'replayed.onnx');
    execFileSync(process.execPath, [path.join(ROOT, 'out/cli/cli.cjs'), 'optimize', SAMPLE, '--recipe', recipeFile, '-o', out, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    expect(fileSha256(out)).toBe(fileSha256(pick.modelPath as string));
    expect(fs.readFileSync(out).equals(fs.readFileSync(pick.modelPath as string))).toBe(true);
  });
});
