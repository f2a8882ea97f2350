/** e2e: the diff view — the sample against a copy with one node's weights changed and one node removed. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeNode } from '../../electron/engine/onnx/ir/edits';
import { ModelIR } from '../../electron/engine/onnx/ir/model-ir';
import { loadModelFile } from '../../electron/engine/onnx/load';
import type { NodeProto } from '../../electron/engine/onnx/proto';
import { saveModel } from '../../electron/engine/onnx/save';
import { ROOT, screenshot, startStudio, type Studio } from './harness';
import { showGraph } from './graph-helpers';

const SAMPLE = path.join(ROOT, 'assets/samples/fashion-mnist/fashion-cnn.onnx');

/** Writes a variant of the sample: the second Conv's weights scaled, the last Relu removed. */
async function makeVariant(): Promise<{ file: string; convName: string; reluName: string }> {
  const ir = new ModelIR(loadModelFile(SAMPLE).proto);
  const convs = ir.graph.nodes.filter((n) => n.opType === 'Conv');
  const conv = convs[1];
  const w = ir.graph.constantTensor(conv.input[1]);
  if (!w) throw new Error('the sample Conv has no stored weight');
  const copy = new Uint8Array(w.rawData);
  const values = new Float32Array(copy.buffer, 0, copy.length / 4);
  for (let i = 0; i < values.length; i++) values[i] *= 1.5;
  w.rawData = new Uint8Array(values.buffer);
  const relus = ir.graph.nodes.filter((n) => n.opType === 'Relu');
  const relu = relus[relus.length - 1] as NodeProto;
  removeNode(ir.graph, relu, relu.input[0]);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ds-diff-e2e-')), 'fashion-cnn-variant.onnx');
  await saveModel(ir.toProto(), file);
  return { file, convName: conv.name, reluName: relu.name };
}

describe('Graph diff view', () => {
  let studio: Studio;
  beforeAll(async () => {
    studio = await startStudio({ theme: 'light' });
    await studio.page.goto(studio.url);
    await studio.page.getByTestId('summary').waitFor();
  });
  afterAll(async () => {
    await studio?.close();
  });

  it('lists exactly the changed weight and the removed node, marks them, and syncs pan and zoom', async () => {
    const { page } = studio;
    const variant = await makeVariant();
    await showGraph(page);
    const chooser = page.waitForEvent('filechooser');
    await page.getByTestId('start-diff').click();
    await (await chooser).setFiles(variant.file);
    await page.getByTestId('diff-list').waitFor();
    await page.locator('[data-testid="diff-canvas-a"][data-state="ready"]').waitFor();
    await page.locator('[data-testid="diff-canvas-b"][data-state="ready"]').waitFor();
    const items = page.getByTestId('diff-change');
    expect(await items.count()).toBe(2);
    const kinds = [await items.nth(0).getAttribute('data-kind'), await items.nth(1).getAttribute('data-kind')].sort();
    expect(kinds).toEqual(['changed', 'removed']);
    const changed = items.filter({ hasText: 'changed' });
    expect(await changed.textContent()).toContain(variant.convName);
    expect(await changed.textContent()).toMatch(/values changed/);
    expect(await items.filter({ hasText: 'removed' }).textContent()).toContain(variant.reluName);
    expect(await page.getByTestId('diff-counts').textContent()).toMatch(/1 changed.*1 removed.*0 added/);
    await screenshot(page, 'graph-diff');
    await changed.click();
    await page.locator('.ds-diff-item.active').waitFor();
    // pan and zoom of one side follow the other
    const a = page.getByTestId('diff-canvas-a');
    const box = await a.boundingBox();
    if (!box) throw new Error('no canvas');
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.wheel(0, -300);
    await page.waitForTimeout(300);
    await screenshot(page, 'graph-diff-selected');
    await page.getByTestId('close-diff').click();
    await page.locator('[data-testid="graph-canvas"][data-state="ready"]').waitFor();
  });
});
