/** e2e: the Graph place on real models — open, counts equal the engine's, search, weight histogram, subgraphs, SVG. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { summarize } from '../../electron/engine/analysis/summary';
import { graphDtoOf } from '../../electron/engine/graph/graph-dtos';
import { loadModelFile } from '../../electron/engine/onnx/load';
import { ROOT, screenshot, startStudio, type Studio } from './harness';
import { openByUpload, screenCounts, showGraph, waitComplete } from './graph-helpers';

const GEN = path.join(ROOT, 'test/fixtures/generated');
const SAMPLE = path.join(ROOT, 'assets/samples/fashion-mnist/fashion-cnn.onnx');

/** Checks the screen's counts against the engine's summary of the file. */
async function expectCounts(page: Page, file: string): Promise<void> {
  await waitComplete(page);
  const counts = await screenCounts(page);
  const summary = summarize(loadModelFile(file));
  const dto = graphDtoOf(loadModelFile(file), 'e2e');
  expect(counts.nodeCount).toBe(summary.nodeCount);
  expect(counts.shownNodes).toBe(summary.nodeCount);
  expect(counts.edgeCount).toBe(dto.edgeCount);
  expect(counts.representedEdges).toBe(dto.edgeCount);
  if (!counts.collapsed) expect(counts.canvasEdges).toBe(dto.edgeCount);
}

/** Searches, jumps to the first match and waits for the weight's histogram. */
async function searchAndInspect(page: Page, query: string): Promise<void> {
  await page.getByTestId('graph-search').fill(query);
  await page.getByTestId('search-count').filter({ hasText: /\/\d+/ }).waitFor();
  await page.getByTestId('graph-search').press('Enter');
  await page.getByTestId('node-inspector').waitFor();
  await page.getByTestId('tensor-histogram').locator('canvas').waitFor();
  expect(await page.getByTestId('tensor-details').textContent()).toMatch(/min \/ max/);
}

/** Exports the view as SVG and checks it draws every op box on screen. */
async function exportSvg(page: Page): Promise<string> {
  const dl = page.waitForEvent('download');
  await page.getByTestId('export-menu').click();
  await page.getByTestId('export-svg').click();
  const svg = fs.readFileSync((await (await dl).path()) as string, 'utf8');
  expect(svg.startsWith('<svg')).toBe(true);
  const boxes = Number(await page.getByTestId('graph-canvas').getAttribute('data-nodes'));
  expect((svg.match(/<g data-id="/g) ?? []).length).toBe(boxes);
  return svg;
}

describe('Graph view', () => {
  let studio: Studio;
  beforeAll(async () => {
    studio = await startStudio();
    await studio.page.goto(studio.url);
    await studio.page.getByTestId('summary').waitFor();
  });
  afterAll(async () => {
    await studio?.close();
  });

  it('the sample: counts, search, weight histogram, keyboard navigation, overlay, SVG export', async () => {
    const { page } = studio;
    await showGraph(page);
    await expectCounts(page, SAMPLE);
    await screenshot(page, 'graph-sample');
    await searchAndInspect(page, 'Conv');
    expect(await page.getByTestId('search-count').textContent()).toMatch(/1\/3/);
    expect(await page.getByTestId('node-inspector').textContent()).toContain('kernel_shape');
    await screenshot(page, 'graph-sample-weight');
    // ↓ goes to the consumer (BatchNormalization), ↑ back to the Conv
    await page.getByTestId('graph-search').press('Escape');
    await page.keyboard.press('ArrowDown');
    await page.locator('[data-testid="node-inspector"] h3', { hasText: 'BatchNormalization' }).waitFor();
    await page.keyboard.press('ArrowUp');
    await page.locator('[data-testid="node-inspector"] h3', { hasText: 'Conv' }).waitFor();
    await page.getByTestId('overlay-select').selectOption('params');
    await page.getByTestId('overlay-legend').waitFor();
    expect(await page.getByTestId('overlay-value').textContent()).toMatch(/Weight size: 144 params/);
    await screenshot(page, 'graph-sample-overlay');
    await page.getByTestId('overlay-select').selectOption('');
    await page.getByTestId('toggle-edge-labels').click();
    const svg = await exportSvg(page);
    expect(svg).toContain('float32 batch×16×28×28');
    await page.getByTestId('toggle-edge-labels').click();
    // PNG of the canvas and the graph DTO as JSON
    const png = page.waitForEvent('download');
    await page.getByTestId('export-menu').click();
    await page.getByTestId('export-png').click();
    const pngBytes = fs.readFileSync((await (await png).path()) as string);
    expect(pngBytes.subarray(1, 4).toString()).toBe('PNG');
    const json = page.waitForEvent('download');
    await page.getByTestId('export-menu').click();
    await page.getByTestId('export-json').click();
    const dto = JSON.parse(fs.readFileSync((await (await json).path()) as string, 'utf8')) as { nodeCount: number; nodes: unknown[] };
    expect(dto.nodes).toHaveLength(dto.nodeCount);
  });

  for (const [file, query] of [
    ['resnet18.onnx', 'layer2'],
    ['mobilenet_v2.onnx', 'Conv'],
    ['constant-weights.onnx', 'Conv'],
  ] as const) {
    it(`${file}: counts, search, weight histogram, SVG export`, async () => {
      const { page } = studio;
      const full = path.join(GEN, file);
      await openByUpload(page, full, file);
      await showGraph(page);
      await expectCounts(page, full);
      await screenshot(page, `graph-${file.replace('.onnx', '')}`);
      await searchAndInspect(page, query);
      if (file === 'constant-weights.onnx') expect(await page.getByTestId('tensor-details').textContent()).toContain('Constant node value');
      await screenshot(page, `graph-${file.replace('.onnx', '')}-weight`);
      await exportSvg(page);
    });
  }

  it('if-model: opens If branches as nested views with a breadcrumb, and goes back', async () => {
    const { page } = studio;
    const full = path.join(GEN, 'if-model.onnx');
    await openByUpload(page, full, 'if-model.onnx');
    await showGraph(page);
    await expectCounts(page, full);
    await screenshot(page, 'graph-if-model');
    await page.getByTestId('graph-search').fill('outer_if');
    await page.getByTestId('graph-search').press('Enter');
    await page.getByTestId('node-inspector').waitFor();
    await page.getByTestId('open-subgraph').filter({ hasText: 'then_branch' }).click();
    await page.getByTestId('graph-breadcrumb').filter({ hasText: 'outer_if.then_branch' }).waitFor();
    await page.locator('[data-testid="graph-canvas"][data-state="ready"]').waitFor();
    await waitComplete(page);
    const main = graphDtoOf(loadModelFile(full), 'e2e');
    const ifNode = main.nodes.find((n) => n.name === 'outer_if');
    const sub = graphDtoOf(loadModelFile(full), 'e2e', [{ node: ifNode?.fileIndex as number, attribute: 'then_branch', index: 0 }]);
    const counts = await screenCounts(page);
    expect(counts.nodeCount).toBe(sub.nodeCount);
    expect(counts.shownNodes).toBe(sub.nodeCount);
    expect(counts.canvasEdges).toBe(sub.edgeCount);
    await searchAndInspect(page, 'Mul');
    await screenshot(page, 'graph-if-then-branch');
    await exportSvg(page);
    await page.getByTestId('graph-search').press('Escape');
    await page.keyboard.press('Backspace');
    await page.getByTestId('graph-breadcrumb').filter({ hasNotText: 'then_branch' }).waitFor();
    await waitComplete(page);
    expect((await screenCounts(page)).nodeCount).toBe(main.nodeCount);
  });

  it('a big graph opens with groups collapsed, keeps every node counted, and expands on demand', async () => {
    const { page } = studio;
    const full = path.join(GEN, 'blocks-2000.onnx');
    if (!fs.existsSync(full)) throw new Error(`${full} is missing: run /usr/bin/python3 scripts/make-graph-fixtures.py`);
    await openByUpload(page, full, 'blocks-2000.onnx');
    await showGraph(page);
    await expectCounts(page, full);
    const before = await screenCounts(page);
    expect(before.collapsed).toBeGreaterThan(0);
    await screenshot(page, 'graph-blocks-2000');
    await page.getByTestId('graph-search').fill('/blocks.3/attn/q/MatMul');
    await page.getByTestId('graph-search').press('Enter');
    await page.locator('[data-testid="node-inspector"] h3', { hasText: 'MatMul' }).waitFor();
    await waitComplete(page);
    expect((await screenCounts(page)).shownNodes).toBe(before.nodeCount);
    await screenshot(page, 'graph-blocks-2000-revealed');
  });

  it('a 50 000-node graph shows progress while it loads, and a cancel keeps its summary', async () => {
    const { page } = studio;
    const full = path.join(GEN, 'blocks-50000.onnx');
    if (!fs.existsSync(full)) throw new Error(`${full} is missing: run /usr/bin/python3 scripts/make-graph-fixtures.py`);
    await page.locator('[data-place="graph"]').click();
    const chooser = page.waitForEvent('filechooser');
    await page.keyboard.press('Control+o');
    await (await chooser).setFiles(full);
    await page.getByTestId('cancel-layout').click({ timeout: 60_000 });
    await page.getByText('Layout cancelled').waitFor({ timeout: 60_000 });
    await page.getByTestId('graph-overview').filter({ hasText: '49,997' }).waitFor({ timeout: 60_000 });
    await screenshot(page, 'graph-cancelled');
    await page.getByRole('button', { name: 'Lay out again' }).click();
    await page.locator('[data-testid="graph-canvas"][data-state="ready"]').waitFor({ timeout: 60_000 });
    await waitComplete(page);
    const counts = await screenCounts(page);
    expect(counts.shownNodes).toBe(49_997);
    await screenshot(page, 'graph-blocks-50000');
  });
});
