/** `openModel` with `deferCosts` answers without MACs/FLOPs, and `getSummary` adds the same figures a full open gives. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseRequest } from '../../shared/api/methods';
import { createEngine } from '../../electron/engine/features';
import { generated, SAMPLE } from './fixtures';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-deferred-costs-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('openModel with deferCosts', () => {
  it('leaves the costs out of the answer and getSummary fills them in', async () => {
    const engine = createEngine({ dataDir, samplePath: SAMPLE, appVersion: 'test' });
    const file = generated('resnet18.onnx');
    const full = await engine.call('openModel', { path: file });
    expect(full.summary.macs).toBeGreaterThan(1e9);

    const quick = await engine.call('openModel', { path: file, deferCosts: true });
    expect(quick.summary.macs).toBeUndefined();
    expect(quick.summary.flops).toBeUndefined();
    // everything else is the same summary
    const { macs: _m, flops: _f, ...rest } = full.summary;
    expect(quick.summary).toEqual(rest);

    const later = await engine.call('getSummary', { modelId: quick.modelId });
    expect(later.macs).toBe(full.summary.macs);
    expect(later.flops).toBe(full.summary.flops);
    // computed once, then kept
    expect(await engine.call('getSummary', { modelId: quick.modelId })).toBe(later);
    expect((await engine.call('listModels', {})).find((m) => m.modelId === quick.modelId)?.summary.macs).toBe(full.summary.macs);
  });

  it('keeps unknown costs as null (not undefined) once computed', async () => {
    const engine = createEngine({ dataDir, samplePath: SAMPLE, appVersion: 'test' });
    const opened = await engine.call('openModel', { path: SAMPLE, deferCosts: true });
    const summary = await engine.call('getSummary', { modelId: opened.modelId });
    expect(summary.macs === null || typeof summary.macs === 'number').toBe(true);
  });

  it('is a checked request field', () => {
    expect(parseRequest('openModel', { path: '/x.onnx', deferCosts: true }).ok).toBe(true);
    const bad = parseRequest('openModel', { path: '/x.onnx', deferCosts: 'yes' });
    expect(bad.ok).toBe(false);
  });
});
