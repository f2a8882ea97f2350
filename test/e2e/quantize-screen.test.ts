/**
 * e2e: the Quantize tab offers the sample's images as calibration data, makes a static int8 variant of the sample with
 * progress, shows the sorted error table, and puts the quantization noise on the graph.
 */
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openByUpload } from './graph-helpers';
import { ROOT, screenshot, startStudio, type Studio } from './harness';

describe('Quantize panel', () => {
  let studio: Studio;
  beforeAll(async () => {
    studio = await startStudio({ theme: 'light' });
  });
  afterAll(async () => {
    await studio?.close();
  });

  it('quantizes the sample on its images and shows the error table and the variant', async () => {
    const { page } = studio;
    await page.goto(studio.url);
    await page.getByTestId('summary').waitFor();
    await page.locator('[data-place="optimize"]').click();
    await page.getByTestId('variant-list').waitFor();
    await page.getByRole('tab', { name: 'Quantize' }).click();
    await page.getByTestId('quantize-panel').waitFor();

    // the sample's images folder is offered and chosen by default; the target's defaults are named
    await page.getByTestId('quantize-defaults').waitFor();
    expect(await page.getByTestId('quantize-defaults').textContent()).toMatch(/static suggested/);
    await expect.poll(() => page.getByTestId('quantize-calibration').inputValue()).toMatch(/fashion-mnist[\\/]images$/);
    expect(await page.getByTestId('quantize-calibration-suggestion').first().textContent()).toMatch(/Images beside fashion-cnn\.onnx \(50\)/);

    await page.getByTestId('run-quantize').click();
    await page.getByTestId('quantize-progress').waitFor();
    await page.locator('[data-testid="variant-row"][data-variant-kind="quantized"]').waitFor({ timeout: 150_000 });
    await page.getByTestId('quantize-report').waitFor();
    const rows = page.getByTestId('quant-error-row');
    await expect.poll(() => rows.count()).toBeGreaterThan(5);
    const snrs = await page.locator('[data-testid="quant-error-row"] .ds-snr-cell .ds-num').allTextContents();
    const values = snrs.map(Number).filter((v) => Number.isFinite(v));
    expect(values).toEqual([...values].sort((a, b) => a - b));
    expect(await page.getByTestId('quantized-count').textContent()).toMatch(/5 quantized nodes/);
    expect(await page.getByTestId('quantize-report').textContent()).toMatch(/Calibrated on 50 images/);
    expect(await page.locator('[data-testid="variant-row"][data-variant-kind="quantized"]').textContent()).toContain('int8-');
    await screenshot(page, 'quantize-variant');

    await page.getByTestId('quantize-show-graph').click();
    await page.locator('[data-screen="graph"]').waitFor();
    await page.getByTestId('overlay-legend').waitFor();
    expect(await page.getByTestId('overlay-legend').textContent()).toMatch(/Quantization noise/);
    await screenshot(page, 'quantize-graph-overlay');
  });

  it('quantizes the Loop body of an RNN dynamically, and lists what static int8 leaves in float', async () => {
    const { page } = studio;
    await openByUpload(page, path.join(ROOT, 'test/fixtures/generated/loop-rnn.onnx'), 'loop-rnn.onnx');
    await page.locator('[data-place="optimize"]').click();
    await page.getByRole('tab', { name: 'Quantize' }).click();
    await page.getByTestId('quantize-panel').waitFor();
    await page.getByTestId('quantize-defaults').waitFor();
    await expect.poll(() => page.getByTestId('quantize-defaults').textContent()).toMatch(/dynamic suggested \(transformer\/RNN-style/);

    await page.getByTestId('quantize-mode').getByText('Dynamic int8').click();
    await page.getByTestId('run-quantize').click();
    await expect.poll(() => page.getByTestId('quantized-count').textContent(), { timeout: 120_000 }).toMatch(/4 quantized nodes/);
    expect(await page.getByTestId('quantize-report').textContent()).toMatch(/3 MatMul · 1 Gemm/);
    await screenshot(page, 'quantize-loop-dynamic');

    // back to the original (each run works on the selected variant)
    await page.locator('[data-testid="variant-row"][data-variant-kind="original"]').click();
    await page.locator('[data-testid="variant-row"][data-variant-kind="original"][aria-selected="true"]').waitFor();
    await page.getByTestId('quantize-mode').getByText('Static int8').click();
    await page.getByTestId('run-quantize').click();
    await expect.poll(() => page.getByTestId('quantized-count').textContent(), { timeout: 120_000 }).toMatch(/2 quantized nodes/);
    await page.getByTestId('quantize-skipped').getByRole('button').click();
    const skipped = await page.getByTestId('quantize-skipped').textContent();
    expect(skipped).toMatch(/step_recurrent_matmul/);
    expect(skipped).toMatch(/inside subgraph rnn_step/);
    await screenshot(page, 'quantize-loop-static-skipped');
  });
});
