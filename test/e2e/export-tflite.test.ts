/** e2e: the Package place exports the sample to TFLite and shows Arm NN's agreement with onnxruntime. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, startStudio, type Studio } from './harness';

describe('Export to TFLite from Package', () => {
  let studio: Studio;
  beforeAll(async () => {
    studio = await startStudio({ theme: 'light' });
  });
  afterAll(async () => {
    await studio?.close();
  });

  it('exports the sample and shows the check figures with their sample count', async () => {
    const { page } = studio;
    await page.goto(studio.url);
    await page.getByTestId('summary').waitFor();
    await page.locator('[data-place="package"]').click();
    await page.getByTestId('export-tflite').waitFor();
    await page.getByText("NHWC (TFLite's own)").click();
    await page.getByTestId('export-tflite-run').click();
    const result = page.getByTestId('export-tflite-result');
    await result.waitFor({ timeout: 120_000 });
    const text = (await result.textContent()) ?? '';
    expect(text).toContain('CONV_2D ×3');
    expect(text).toContain('Arm NN 20.08 (CpuRef) vs onnxruntime on 8 generated inputs');
    expect(text).toContain('100.0 % of 8');
    expect(text).toContain('below 1e-4');
    const outPath = (await result.locator('code').first().textContent()) ?? '';
    expect(path.extname(outPath)).toBe('.tflite');
    expect(fs.existsSync(outPath)).toBe(true);
    await result.scrollIntoViewIfNeeded();
    await screenshot(page, 'package-export-tflite');
  }, 180_000);
});
