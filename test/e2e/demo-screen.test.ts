/** e2e: the Demo place against `serve` — a dropped image classified right, samples, a bad image, run and benchmark. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeNpy } from '../engine/helpers/npy-file';
import { ROOT, screenshot, startStudio, type Studio } from './harness';

const IMAGES = path.join(ROOT, 'assets/samples/fashion-mnist/images');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-e2e-demo-'));

describe('Demo screen', () => {
  let studio: Studio;
  beforeAll(async () => {
    studio = await startStudio();
    const { page } = studio;
    await page.goto(studio.url);
    await page.getByTestId('summary').waitFor();
    await page.locator('[data-place="demo"]').click();
    await page.getByTestId('demo-samples').waitFor();
    // away from the rail, so its tooltip is not in the screenshots
    await page.mouse.move(900, 820);
    await page.locator('.bp6-tooltip').waitFor({ state: 'detached' });
  });
  afterAll(async () => {
    await studio?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('classifies a dropped sample image: the right class on top, with its probability and latency', async () => {
    const { page } = studio;
    const b64 = fs.readFileSync(path.join(IMAGES, 'trouser', '0.png')).toString('base64');
    const dataTransfer = await page.evaluateHandle((data) => {
      const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
      // this runs in the page (the Node type-check project has no DOM types)
      const Ctor = (globalThis as unknown as { DataTransfer: new () => { items: { add(f: File): void } } }).DataTransfer;
      const dt = new Ctor();
      dt.items.add(new File([bytes], 'trouser.png', { type: 'image/png' }));
      return dt;
    }, b64);
    await page.getByTestId('demo-drop').dispatchEvent('drop', { dataTransfer });
    const card = page.locator('[data-testid="demo-result-a"][data-state="ready"]');
    await card.waitFor();
    const top = card.getByTestId('demo-class').first();
    expect(await top.locator('.ds-top-label').textContent()).toBe('Trouser');
    expect(await top.locator('.ds-top-pct').textContent()).toMatch(/%$/);
    expect(await card.getByTestId('demo-class').count()).toBe(5);
    expect(await card.getByTestId('demo-latency-a').textContent()).toMatch(/ms run/);
    expect(await page.locator('.ds-drop').count()).toBe(0);
    await page.mouse.move(900, 820);
    await screenshot(page, 'demo-classify-dropped');
  });

  it('classifies a picked sample from the strip', async () => {
    const { page } = studio;
    expect(await page.getByTestId('demo-sample').count()).toBe(50);
    await page.locator('[data-testid="demo-sample"][data-class="bag"]').first().click();
    const card = page.locator('[data-testid="demo-result-a"][data-state="ready"]');
    await card.waitFor();
    expect(await card.getByTestId('demo-class').first().locator('.ds-top-label').textContent()).toBe('Bag');
  });

  it('runs a variant side by side on the same image', async () => {
    const { page } = studio;
    // make a variant over the page's own API connection (the Optimize place's UI has its own e2e test)
    await page.evaluate(async () => {
      const ws = new WebSocket(`ws://${(globalThis as unknown as { location: { host: string } }).location.host}/api/ws`);
      await new Promise((r) => (ws.onopen = r));
      let id = 0;
      const call = (method: string, request: unknown) =>
        new Promise<{ ok: boolean; value: unknown; error?: { message: string } }>((resolve) => {
          const mine = ++id;
          ws.addEventListener('message', (m) => {
            const msg = JSON.parse(String(m.data));
            if (msg.type === 'result' && msg.id === mine) resolve(msg);
          });
          ws.send(JSON.stringify({ type: 'call', id: mine, method, params: request }));
        });
      const models = (await call('listModels', {})).value as Array<{ modelId: string; summary: { fileName: string } }>;
      const sample = models.find((m) => m.summary.fileName === 'fashion-cnn.onnx');
      const made = await call('runPasses', { modelId: sample?.modelId, steps: [{ pass: 'graph-optimize', options: {} }], name: 'optimized copy' });
      if (!made.ok) throw new Error(made.error?.message);
      ws.close();
    });
    await page.locator('[data-place="model"]').click();
    await page.locator('[data-place="demo"]').click();
    await page.locator('[data-testid="demo-compare-select"] select:not([disabled]), select[data-testid="demo-compare-select"]:not([disabled])').first().waitFor();
    await page.locator('[data-testid="demo-sample"][data-class="sneaker"]').first().click();
    await page.locator('[data-testid="demo-result-a"][data-state="ready"]').waitFor();
    const select = page.locator('[data-testid="demo-compare-select"] select, select[data-testid="demo-compare-select"]').first();
    const value = await select.locator('option').nth(1).getAttribute('value');
    await select.selectOption(value as string);
    const b = page.locator('[data-testid="demo-result-b"][data-state="ready"]');
    await b.waitFor();
    expect(await b.getByTestId('demo-class').first().locator('.ds-top-label').textContent()).toBe('Sneaker');
    expect(await page.locator('[data-testid="demo-result-a"]').getByTestId('demo-class').first().locator('.ds-top-label').textContent()).toBe('Sneaker');
    await page.mouse.move(900, 820);
    await screenshot(page, 'demo-side-by-side');
  });

  it('shows a clear error for an image that cannot be read', async () => {
    const { page } = studio;
    const bad = path.join(tmp, 'not-really.png');
    fs.writeFileSync(bad, 'this file is text, not a PNG');
    await page.getByTestId('demo-file-input').setInputFiles(bad);
    const error = page.getByTestId('demo-error-a');
    await error.waitFor();
    const text = await error.textContent();
    expect(text).toContain('not-really.png cannot be read as an image');
    expect(text).toContain('Input "input" expects an image');
    expect(text).toContain('INVALID_INPUT');
    await page.mouse.move(900, 820);
    await screenshot(page, 'demo-bad-image');
  });

  it('benchmarks the model with a profile, and names a wrong-shape input in the Run/Benchmark panel', async () => {
    const { page } = studio;
    await page.getByTestId('demo-tab-bench').click();
    await page.getByTestId('bench-panel').waitFor();
    await page.locator('#bench-runs').fill('200');
    await page.getByTestId('run-bench').click();
    await page.getByTestId('bench-result').waitFor({ timeout: 120_000 });
    await page.getByTestId('bench-profile').waitFor();
    expect(await page.getByTestId('bench-p50').textContent()).toMatch(/ms/);
    expect(await page.getByTestId('bench-session').locator('.ds-bench-stat-value').textContent()).not.toBe('0.000 ms');
    await page.getByTestId('bench-result').locator('canvas').first().waitFor();
    expect(await page.getByTestId('bench-profile').textContent()).toContain('Conv');
    await screenshot(page, 'demo-benchmark');

    const wrong = path.join(tmp, 'rgb.npy');
    writeNpy(wrong, 'float32', [1, 3, 28, 28]);
    await page.getByTestId('bench-file-input').setInputFiles(wrong);
    await page.locator('[data-testid="bench-input"] .ds-bench-file', { hasText: 'rgb.npy' }).waitFor();
    await page.getByTestId('run-once').click();
    const error = page.getByTestId('bench-error');
    await error.waitFor();
    expect(await error.textContent()).toContain('Input "input" expects shape [batch, 1, 28, 28] (float32); rgb.npy has [1, 3, 28, 28]');
    await screenshot(page, 'demo-bad-input');
  });

  it('shows the profiled node times as the graph overlay', async () => {
    const { page } = studio;
    await page.getByTestId('bench-profile').getByRole('button', { name: 'Show on graph' }).click();
    await page.locator('[data-screen="graph"]').waitFor();
    await page.getByTestId('graph-counts').waitFor();
    const select = page.locator('select[data-testid="overlay-select"], [data-testid="overlay-select"] select').first();
    expect(await select.inputValue()).toBe('latency');
    expect(await select.locator('option:checked').textContent()).toBe('Latency (profile of fashion-cnn.onnx)');
    await page.mouse.move(700, 850);
    await screenshot(page, 'demo-profile-on-graph');
  });
});
