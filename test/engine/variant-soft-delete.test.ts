/**
 * Deleting a variant is soft: it leaves the list at once, its file waits in the studio's trash, an undo in the same
 * session brings back both; the trash empties when the engine closes. Pruning refuses a quantized variant before it runs.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { StudioError } from '../../shared/api/errors';
import { createEngine } from '../../electron/engine/features';
import { SAMPLE } from './fixtures';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-soft-delete-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function engineIn(name: string) {
  return createEngine({ dataDir: path.join(dir, name), samplePath: SAMPLE, appVersion: 'test' });
}

describe('soft delete and undo of a variant', () => {
  it('removes the variant from the list, restores it with its file, and deletes the file for good when the engine closes', async () => {
    const engine = engineIn('data');
    const { modelId } = await engine.call('openModel', { path: SAMPLE });
    const made = await engine.call('runPasses', { modelId, steps: [{ pass: 'graph-optimize', options: { level: 'basic' } }], name: 'opt' });
    const file = made.variant.path;
    expect(fs.existsSync(file)).toBe(true);
    expect((await engine.call('listVariants', { modelId })).map((v) => v.id)).toContain(made.variant.id);

    await expect(engine.call('deleteVariant', { variantId: made.variant.id })).resolves.toEqual({ deleted: true });
    expect((await engine.call('listVariants', { modelId })).map((v) => v.id)).not.toContain(made.variant.id);
    expect(fs.existsSync(file)).toBe(false);

    const restored = await engine.call('restoreVariant', { variantId: made.variant.id });
    expect(restored.id).toBe(made.variant.id);
    expect(restored.name).toBe('opt');
    expect(fs.existsSync(file)).toBe(true);
    const listed = await engine.call('listVariants', { modelId });
    expect(listed.map((v) => v.id)).toContain(made.variant.id);

    const again = await engine.call('restoreVariant', { variantId: made.variant.id }).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(StudioError);
    expect((again as StudioError).message).toMatch(/not deleted in this session/);

    await engine.call('deleteVariant', { variantId: made.variant.id });
    const trashDir = path.join(dir, 'data', 'variants', '.trash');
    expect(fs.readdirSync(trashDir).length).toBeGreaterThan(0);
    engine.dispose();
    expect(fs.readdirSync(trashDir)).toEqual([]);
    expect(fs.existsSync(file)).toBe(false);
  }, 120_000);

  it('refuses to delete the original', async () => {
    const engine = engineIn('data-orig');
    const { modelId } = await engine.call('openModel', { path: SAMPLE });
    const [original] = await engine.call('listVariants', { modelId });
    await expect(engine.call('deleteVariant', { variantId: original.id })).resolves.toEqual({ deleted: false });
    engine.dispose();
  });
});

describe('pruning a quantized variant', () => {
  it('is refused before anything runs, by the preview and by the pass, with the reason', async () => {
    const engine = engineIn('data-quant');
    const { modelId } = await engine.call('openModel', { path: SAMPLE });
    const q = await engine.call('runPasses', { modelId, steps: [{ pass: 'quantize-dynamic', options: {} }], name: 'int8' });
    const preview = await engine.call('previewPruning', { modelId: q.variant.modelId, pass: 'prune-channels', options: { sparsity: 0.5 } }).catch((e: unknown) => e);
    expect(preview).toBeInstanceOf(StudioError);
    expect((preview as StudioError).message).toMatch(/Pruning a quantized model is not supported/);
    const run = await engine.call('runPasses', { modelId: q.variant.modelId, steps: [{ pass: 'prune-channels', options: { sparsity: 0.5, recover: false } }] }).catch((e: unknown) => e);
    expect(run).toBeInstanceOf(StudioError);
    expect((run as StudioError).message).toMatch(/prune it, then quantize/);
    expect((await engine.call('listVariants', { modelId })).length).toBe(2);
    engine.dispose();
  }, 120_000);
});
