/** Engine test: sessions created and released 100 times in the inference process; its memory stays within a bound. */
import { afterAll, describe, expect, it } from 'vitest';
import { loadModelFile } from '../../electron/engine/onnx/load';
import { buildFeeds } from '../../electron/engine/runtime/inputs/build-feeds';
import { modelInputs } from '../../electron/engine/runtime/inputs/input-spec';
import { modelKeyPrefix } from '../../electron/engine/runtime/model-files';
import type { RunnerStats } from '../../electron/engine/runtime/runner/runner-protocol';
import { RuntimeService } from '../../electron/engine/runtime/runtime-service';
import { generated, SAMPLE } from './fixtures';

const MB = 1024 * 1024;
const runtime = new RuntimeService();
afterAll(() => runtime.dispose());

/**
 * The stated bounds (scripts/bench/runtime.mjs prints the figures): after 30 warm-up cycles (glibc's per-thread arenas
 * fill up during the first tens of sessions, then RSS plateaus),
 * 100 more create → run → release cycles grow the inference process's RSS by less than 32 MB for the sample and
 * 160 MB for resnet18 (45 MB of weights; glibc keeps freed arenas, so RSS swings by tens of MB without a trend), and the
 * second 50 cycles add less than 64 MB to what the first 50 left.
 */
const BOUNDS = { 'fashion-cnn.onnx': { total: 32 * MB, trend: 16 * MB }, 'resnet18.onnx': { total: 160 * MB, trend: 64 * MB } };

async function cycles(modelPath: string, n: number): Promise<{ start: number; mid: number; end: number }> {
  const loaded = loadModelFile(modelPath);
  const { feeds } = await buildFeeds({ inputs: modelInputs(loaded) });
  const rss = async () => (await runtime.runner.call<RunnerStats>({ op: 'stats' }, { what: 'a status query' })).rssBytes;
  const cycle = async () => {
    const r = await runtime.runFeeds(loaded, feeds);
    expect(r.session.cached).toBe(false);
    await runtime.runner.call({ op: 'release', modelKey: modelKeyPrefix(loaded) }, { what: 'a release' });
  };
  for (let i = 0; i < 30; i++) await cycle();
  const start = await rss();
  let mid = start;
  for (let i = 0; i < n; i++) {
    await cycle();
    if (i === n / 2 - 1) mid = await rss();
  }
  return { start, mid, end: await rss() };
}

describe('100 session create/release cycles', () => {
  for (const [name, model] of [
    ['fashion-cnn.onnx', () => SAMPLE],
    ['resnet18.onnx', () => generated('resnet18.onnx')],
  ] as const) {
    it(`keep the inference process's memory bounded (${name})`, async () => {
      const { start, mid, end } = await cycles(model(), 100);
      const bound = BOUNDS[name];
      console.log(`${name}: RSS ${(start / MB).toFixed(0)} MB → ${(mid / MB).toFixed(0)} MB (50) → ${(end / MB).toFixed(0)} MB (100 cycles)`);
      expect(end - start).toBeLessThan(bound.total);
      expect(end - mid).toBeLessThan(bound.trend);
    });
  }
});
