/**
 * e2e (issue: real-world models): an old PyTorch export at opset 9 in the GUI — its problems and the conversion
 * suggestion in the Model place, a converted variant made in Optimize, an input spec set, then static int8.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, screenshot, startStudio, type Studio } from './harness';

const OLD = path.join(ROOT, 'test', 'fixtures', 'generated', 'opset9-net.onnx');

describe('an opset-9 export from open to int8', () => {
  let studio: Studio;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-e2e-old-'));
  const model = path.join(dir, 'old-export.onnx');
  beforeAll(async () => {
    fs.copyFileSync(OLD, model);
    studio = await startStudio({ theme: 'light', serveArgs: ['--model', model] });
  }, 120_000);
  afterAll(async () => {
    await studio?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('shows the old opset, converts it, takes an input spec and quantizes', async () => {
    const { page } = studio;
    await page.goto(studio.url);
    await page.getByTestId('summary').waitFor();
    const problems = page.getByTestId('model-problems');
    await problems.waitFor();
    expect(await problems.textContent()).toMatch(/opset 9/);
    expect(await problems.textContent()).toMatch(/convert/i);
    await screenshot(page, 'old-opset-1-problems');

    await page.locator('[data-place="optimize"]').click();
    await page.getByTestId('variant-list').waitFor();
    await page.getByRole('tab', { name: 'Convert opset' }).click();
    await page.getByTestId('convert-panel').waitFor();
    await page.getByTestId('convert-old-opset').waitFor();
    const before = await page.getByTestId('variant-row').count();
    await page.getByTestId('run-convert').click();
    await expect.poll(() => page.getByTestId('variant-row').count(), { timeout: 60_000 }).toBe(before + 1);
    await screenshot(page, 'old-opset-2-converted');

    await page.locator('[data-place="model"]').click();
    const spec = page.getByTestId('input-spec');
    await spec.waitFor();
    await spec.getByTestId('spec-dim-batch').fill('2');
    await spec.getByTestId('spec-save').click();
    await expect.poll(async () => spec.locator('[data-input="x"] [data-testid="spec-guess"]').count()).toBe(0);
    await screenshot(page, 'old-opset-3-spec');

    await page.locator('[data-place="optimize"]').click();
    await page.getByRole('tab', { name: 'Quantize' }).click();
    await page.getByTestId('quantize-panel').waitFor();
    const quantizedBefore = await page.locator('[data-testid="variant-row"][data-variant-kind="quantized"]').count();
    await page.getByTestId('run-quantize').click();
    await expect.poll(() => page.locator('[data-testid="variant-row"][data-variant-kind="quantized"]').count(), { timeout: 150_000 }).toBe(quantizedBefore + 1);
    await page.getByTestId('quantize-report').waitFor();
    await screenshot(page, 'old-opset-4-int8');
  }, 400_000);
});
