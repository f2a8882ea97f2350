/**
 * Channel pruning rounds kept channel counts to the target's channel multiple: the host's is measured (onnxruntime's
 * NCHWc block), other profiles' come from their ISA; the report and the preview name the multiple and its source.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModelFile } from '../../electron/engine/onnx/load';
import { previewPruning } from '../../electron/engine/optimize/prune/preview';
import { hostFigures, hostProfile } from '../../electron/engine/targets/host-detect';
import { ProfileStore } from '../../electron/engine/targets/profile-store';
import type { ChannelPruneReport } from '../../shared/prune/prune-report';
import { roundingText } from '../../shared/prune/rounding-text';
import { channelMultipleOf, channelMultiplesFromIsa } from '../../shared/targets/channel-multiple';
import { generated } from './fixtures';
import { runPass, scratchDir } from './helpers/prune-run';

const dir = scratchDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const RESNET = () => generated('resnet18.onnx');

let hostMultiple: ReturnType<typeof channelMultipleOf>;
beforeAll(async () => {
  const { profile } = await new ProfileStore(path.join(dir, 'data')).get('host');
  hostMultiple = channelMultipleOf(profile);
}, 120_000);

describe("the host's channel multiple", () => {
  it('is measured from onnxruntime on x86 (its NCHWc block), and agrees with the ISA rule', async () => {
    const figures = await hostFigures();
    const isa = channelMultiplesFromIsa({ simd: figures.simd });
    if (figures.channelMultiple) {
      expect(hostMultiple.from).toBe('measured');
      expect(hostMultiple.source).toMatch(/measured on this host: onnxruntime .* NCHWc blocks of \d+ channels/);
      // MLAS's NCHWc block is the fp32 lanes of the widest vector register the ISA rule names
      if (figures.simd.some((f) => f.startsWith('avx'))) expect(figures.channelMultiple.fp32).toBe(isa.fp32);
    } else {
      expect(hostMultiple.from).toBe('isa');
    }
    expect(hostProfile((await new ProfileStore(path.join(dir, 'data')).get('host')).profile, figures).channelMultiple).toEqual(figures.channelMultiple);
    expect(hostMultiple.multiple).toBeGreaterThanOrEqual(1);
  });
});

describe('channel pruning with the host defaults', () => {
  it('keeps multiples of the host multiple in every layer that had at least that many, and names it', async () => {
    const { report } = await runPass<ChannelPruneReport>(RESNET(), 'prune-channels', { sparsity: 0.3 }, dir);
    const m = hostMultiple.multiple;
    expect(report.rounding).toMatchObject({ multiple: m, from: hostMultiple.from, target: 'host', source: hostMultiple.source });
    const conv = report.layers.filter((l) => l.outBefore !== undefined && l.outAfter !== undefined && l.op === 'Conv');
    expect(conv.length).toBeGreaterThan(10);
    for (const l of conv) if ((l.outBefore as number) >= m && l.outAfter !== l.outBefore) expect((l.outAfter as number) % m).toBe(0);
    if (m > 1) {
      expect(report.rounding!.changedLayers).toBeGreaterThan(0);
      for (const c of report.rounding!.changes) expect(c.kept % m).toBe(0);
    }
  }, 300_000);

  it('turns rounding off with roundTo 1 (the ratio alone: 45 of 64 channels)', async () => {
    const { report } = await runPass<ChannelPruneReport>(RESNET(), 'prune-channels', { sparsity: 0.3, roundTo: 1 }, dir);
    expect(report.rounding).toMatchObject({ multiple: 1, from: 'user', changes: [] });
    expect(report.layers.find((l) => l.node === '/conv1/Conv')?.outAfter).toBe(45);
  }, 300_000);
});

describe('the prune preview', () => {
  it('shows the rounded counts, the ratio-alone counts and where the multiple came from', async () => {
    const profiles = new ProfileStore(path.join(dir, 'data'));
    const preview = await previewPruning(loadModelFile(RESNET()), 'prune-channels', { sparsity: 0.3 }, { profiles });
    const m = hostMultiple.multiple;
    expect(preview.rounding?.multiple).toBe(m);
    const stem = preview.layers.find((l) => l.node === '/conv1/Conv');
    const t = roundingText(preview.rounding!);
    expect(t.why).toContain(hostMultiple.source);
    if (m === 16) {
      expect(stem).toMatchObject({ before: 64, after: 48, unrounded: 45 });
      expect(t.headline).toMatch(/^kept channel counts rounded to multiples of 16 for AVX-512[^:]*: 45 → 48, 90 → 96, 179 → 176, 358 → 352 channels/);
    }
  }, 120_000);

  it("uses another target's multiple from its ISA", async () => {
    const profiles = new ProfileStore(path.join(dir, 'data'));
    const preview = await previewPruning(loadModelFile(RESNET()), 'prune-channels', { sparsity: 0.3 }, { profiles, targetId: 'desktop-x86-avx2' });
    expect(preview.rounding).toMatchObject({ multiple: 8, from: 'isa', isa: 'AVX2', target: 'desktop-x86-avx2' });
    expect(preview.layers.find((l) => l.node === '/conv1/Conv')).toMatchObject({ after: 48 });
    expect(roundingText(preview.rounding!).headline).toMatch(/multiples of 8 for AVX2/);
  }, 120_000);
});
