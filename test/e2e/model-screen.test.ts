/** e2e: the Model place in a browser against `serve` — the sample's summary, a corrupt file's error, themes. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, screenshot, startStudio, type Studio } from './harness';

describe('Model screen', () => {
  let studio: Studio;
  beforeAll(async () => {
    studio = await startStudio();
  });
  afterAll(async () => {
    await studio?.close();
  });

  it('opens on the bundled sample and shows its summary', async () => {
    const { page } = studio;
    await page.goto(studio.url);
    await page.getByTestId('summary').waitFor();
    await expect(page.locator('h1').textContent()).resolves.toBe('fashion-cnn.onnx');
    const inputs = await page.getByTestId('inputs').textContent();
    expect(inputs).toContain('input');
    expect(inputs).toContain('[batch, 1, 28, 28]');
    expect(await page.getByTestId('outputs').textContent()).toContain('logits');
    expect(await page.getByTestId('status-model').textContent()).toContain('fashion-cnn.onnx');
    await page.getByTestId('operators').locator('[data-drawn="true"] canvas').waitFor();
    await screenshot(page, 'model-summary-dark');
  });

  it('shows a clear error for a corrupt file and keeps the open model', async () => {
    const { page } = studio;
    const bad = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ds-bad-')), 'corrupt.onnx');
    const sample = fs.readFileSync(path.join(ROOT, 'assets/samples/fashion-mnist/fashion-cnn.onnx'));
    fs.writeFileSync(bad, sample.subarray(0, Math.floor(sample.length / 3)));
    const chooser = page.waitForEvent('filechooser');
    await page.getByTestId('open-model').click();
    await (await chooser).setFiles(bad);
    const error = page.getByTestId('open-error');
    await error.waitFor();
    const text = await error.textContent();
    expect(text).toContain('corrupt.onnx is truncated');
    expect(text).toContain('TRUNCATED_MODEL');
    expect(await page.locator('h1').textContent()).toBe('fashion-cnn.onnx');
    await screenshot(page, 'model-error-truncated');
  });

  it('opens a dropped-in model by upload and switches to the light theme', async () => {
    const { page } = studio;
    const model = '/usr/share/libonnx-testdata/data/node/test_if/model.onnx';
    const chooser = page.waitForEvent('filechooser');
    await page.getByTestId('open-model').click();
    await (await chooser).setFiles(model);
    await page.locator('h1', { hasText: 'model.onnx' }).waitFor();
    expect(await page.getByTestId('summary').textContent()).toContain('in subgraphs');
    await page.keyboard.press('Control+Shift+L');
    await page.waitForFunction("document.body.dataset.theme === 'light'");
    await screenshot(page, 'model-if-light');
  });
});
