/**
 * e2e: a channel-pruned variant of the sample is distilled from the original in the Distil tab: the live loss curve,
 * the epoch table with validation figures and their item count, and the distilled variant in the list (light and dark).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as path from 'node:path';
import { ROOT, screenshot, startStudio, type Studio } from './harness';

const IMAGES = path.join(ROOT, 'assets/samples/fashion-mnist/images');

describe('Distil panel', () => {
  let studio: Studio;
  beforeAll(async () => {
    studio = await startStudio({ theme: 'light' });
  });
  afterAll(async () => {
    await studio?.close();
  });

  it('trains a pruned variant from the original with curves and the epoch table', async () => {
    const { page } = studio;
    await page.goto(studio.url);
    await page.getByTestId('summary').waitFor();
    await page.locator('[data-place="optimize"]').click();
    await page.getByTestId('variant-list').waitFor();

    // the original cannot be its own student: the panel says what to do
    await page.getByRole('tab', { name: 'Distil' }).click();
    await page.getByTestId('distill-panel').waitFor();
    expect(await page.getByTestId('distill-problem').textContent()).toMatch(/Pick a variant to train/);
    expect(await page.getByTestId('run-distill').isDisabled()).toBe(true);

    // a 50 % channel-pruned variant, worked on
    await page.getByRole('tab', { name: 'Prune' }).click();
    await page.getByTestId('prune-method').getByText('Channels (structured)').click();
    await page.getByTestId('run-prune').click();
    await page.locator('[data-testid="variant-row"][data-variant-kind="pruned"]').waitFor({ timeout: 120_000 });
    await page.getByTestId('switch-to-created').click();
    await page.locator('[data-testid="working-on"]', { hasText: 'channels' }).waitFor();

    await page.getByRole('tab', { name: 'Distil' }).click();
    expect(await page.getByTestId('distill-teacher').textContent()).toBe('original');
    await page.getByTestId('distill-data').fill(IMAGES);
    await page.getByTestId('distill-val').fill(IMAGES);
    await page.locator('#distill-epochs').fill('4');
    await page.locator('#distill-batch').fill('16');
    expect(await page.getByTestId('distill-problem').count()).toBe(0);
    await page.getByTestId('run-distill').click();
    await page.getByTestId('distill-curves').waitFor({ timeout: 60_000 });
    await page.locator('[data-testid="variant-row"]', { hasText: 'distilled' }).waitFor({ timeout: 180_000 });
    await page.getByTestId('switch-to-created').waitFor();
    const report = page.getByTestId('distill-report');
    await report.waitFor();
    expect(await report.textContent()).toMatch(/on 50 items from fashion-cnn\.onnx; epoch \d kept/);
    for (const e of [1, 2, 3, 4]) await page.getByTestId(`distill-epoch-${e}`).waitFor();
    expect(await page.getByTestId('distill-epoch-4').textContent()).toMatch(/^4( \(kept\))?[\d.]+\d+[\d.]+\s%[\d.]+\s%50$/);
    expect(await report.textContent()).toMatch(/Validation used 50 items/);
    await page.getByTestId('distill-curves').locator('canvas').waitFor();
    await screenshot(page, 'distill-panel');
    await page.getByTestId('distill-curves').scrollIntoViewIfNeeded();
    await screenshot(page, 'distill-panel-curves');
    await page.keyboard.press('Control+Shift+L');
    await page.locator('body.bp6-dark').waitFor();
    await page.getByTestId('distill-report').scrollIntoViewIfNeeded();
    await screenshot(page, 'distill-panel-dark');
  }, 400_000);
});
