/**
 * e2e, browser mode: variants belong to the model's content. A model uploaded in one `serve` session gets a variant;
 * after a restart of `serve` (a fresh upload folder, the same data folder) the same bytes opened by path from a
 * folder granted with `--allow`, under another name, list that variant.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, screenshot, startStudio, type Studio } from './harness';

const SAMPLE = path.join(ROOT, 'assets/samples/fashion-mnist/fashion-cnn.onnx');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-e2e-restart-'));
const dataDir = path.join(tmp, 'data');
const granted = path.join(tmp, 'granted');

describe('variants after a restart of serve', () => {
  let studio: Studio | undefined;
  afterAll(async () => {
    await studio?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('finds the variant made from an upload when the same model is opened by path after a restart', async () => {
    fs.mkdirSync(dataDir, { recursive: true });
    fs.mkdirSync(granted, { recursive: true });
    const uploaded = path.join(tmp, 'my-model.onnx');
    fs.copyFileSync(SAMPLE, uploaded);

    studio = await startStudio({ theme: 'light', dataDir });
    let page = studio.page;
    await page.goto(studio.url);
    await page.getByTestId('summary').waitFor();
    const chooser = page.waitForEvent('filechooser');
    await page.getByTestId('open-model').first().click();
    await (await chooser).setFiles(uploaded);
    await page.getByTestId('model-title').filter({ hasText: 'my-model.onnx' }).waitFor();
    await page.locator('[data-place="optimize"]').click();
    await page.getByRole('tab', { name: 'Quantize' }).click();
    await page.getByTestId('quantize-panel').waitFor();
    await page.getByTestId('quantize-mode').getByText('Dynamic int8').click();
    await page.getByTestId('run-quantize').click();
    await page.locator('[data-testid="variant-row"][data-variant-kind="quantized"]').waitFor({ timeout: 120_000 });
    const made = await page.locator('[data-testid="variant-row"][data-variant-kind="quantized"]').textContent();
    await screenshot(page, 'files-restart-1-variant-made');
    await studio.close();

    const moved = path.join(granted, 'renamed-copy.onnx');
    fs.copyFileSync(SAMPLE, moved);
    studio = await startStudio({ theme: 'light', dataDir, serveArgs: ['--allow', granted] });
    page = studio.page;
    await page.goto(`${studio.url}&model=${encodeURIComponent(moved)}`);
    await page.getByTestId('model-title').filter({ hasText: 'renamed-copy.onnx' }).waitFor();
    expect(await page.getByTestId('model-path').textContent()).toBe(moved);
    await page.locator('[data-place="optimize"]').click();
    await page.locator('[data-testid="variant-row"][data-variant-kind="quantized"]').waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-testid="variant-row"][data-variant-kind="quantized"]').textContent()).toBe(made);
    await screenshot(page, 'files-restart-2-variant-found');
  });
});
