/** e2e: the full flow on the sample — quantize, prune (or the variants the studio can make), compare three variants, view charts, export. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, SHOTS, startStudio, type Studio } from './harness';

const IMAGES = path.resolve(__dirname, '..', '..', 'assets/samples/fashion-mnist/images');

/**
 * Makes a variant of the original with a pass panel, when its tab exists.
 * @param run - the panel's run button (a selector)
 * @param prepare - fills the panel's form first
 * @returns whether it did
 */
async function makeVariantWithPanel(page: Page, tabTitle: RegExp, run: string, kind: string, prepare?: () => Promise<void>): Promise<boolean> {
  const tab = page.getByRole('tab', { name: tabTitle });
  if ((await tab.count()) === 0) return false;
  await page.locator('[data-testid="variant-row"][data-variant-kind="original"]').click();
  await tab.first().click();
  const button = page.locator(run).first();
  if ((await button.count()) === 0) return false;
  await prepare?.();
  const before = await page.locator(`[data-testid="variant-row"][data-variant-kind="${kind}"]`).count();
  await button.click();
  await page.locator(`[data-testid="variant-row"][data-variant-kind="${kind}"]`).nth(before).waitFor({ timeout: 120_000 });
  return true;
}

describe('Compare screen', () => {
  let studio: Studio;
  beforeAll(async () => {
    studio = await startStudio({ theme: 'light' });
  });
  afterAll(async () => {
    await studio?.close();
  });

  it('compares three variants of the sample, shows charts and the confusion matrix, and exports the report', async () => {
    const { page } = studio;
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(studio.url);
    await page.getByTestId('summary').waitFor();
    await page.locator('[data-place="optimize"]').click();
    await page.getByTestId('variant-list').waitFor();
    const quantized = await makeVariantWithPanel(page, /quantiz/i, '[data-testid^="run-quant"]', 'quantized', async () => {
      // calibrate on the sample images when the panel offers them
      const suggestion = page.locator('[data-testid="quantize-form"] [data-testid$="-suggestion"]').first();
      if (await suggestion.count()) await suggestion.click();
    });
    if (quantized) await screenshot(page, 'compare-flow-1-quantized');
    const pruned = await makeVariantWithPanel(page, /prun/i, '[data-testid="run-prune"]', 'pruned', async () => {
      const calibration = page.getByTestId('prune-calibration');
      if ((await calibration.count()) === 0) return;
      await calibration.fill(IMAGES);
      const recover = page.getByTestId('prune-recover');
      if ((await recover.count()) && !(await recover.isChecked())) await recover.locator('xpath=..').click();
    });
    if (pruned) await screenshot(page, 'compare-flow-2-pruned');
    // without a quantize or prune panel, the flow still needs three variants: graph optimization makes them
    while ((await page.getByTestId('variant-row').count()) < 3) {
      await page.locator('[data-testid="variant-row"][data-variant-kind="original"]').click();
      await page.getByRole('tab', { name: /graph optimization/i }).click();
      const before = await page.getByTestId('variant-row').count();
      await page.getByTestId('run-graph-optimize').click();
      await page.getByTestId('variant-row').nth(before).waitFor();
    }

    await page.locator('[data-place="compare"]').click();
    await page.getByTestId('compare-variants').waitFor();
    await expect.poll(() => page.getByTestId('compare-data-path').inputValue()).toMatch(/images$/);
    const boxes = page.getByTestId('compare-variant');
    for (let i = 0; i < 3; i++) await boxes.nth(i).locator('label').click();
    await page.getByTestId('compare-run').click();
    await screenshot(page, 'compare-flow-3-running');
    await page
      .locator('[data-testid="compare-result"], [data-testid="compare-error"]')
      .first()
      .waitFor({ timeout: 150_000 })
      .catch((e: Error) => {
        throw new Error(`${e.message}; page errors: ${pageErrors.join(' | ')}`);
      });
    expect(await page.getByTestId('compare-error').count(), (await page.getByTestId('compare-error').textContent().catch(() => '')) ?? '').toBe(0);
    await expect(page.getByTestId('compare-row').count()).resolves.toBe(3);
    const top1 = await page.getByTestId('compare-top1').first().textContent();
    expect(top1).toBe('92.0 %');
    // the charts are drawn (ECharts renders into a canvas per chart)
    await expect.poll(() => page.locator('[data-testid="compare-charts"] canvas').count()).toBeGreaterThanOrEqual(3);
    await page.getByTestId('compare-confusion').locator('canvas').first().waitFor();
    await screenshot(page, 'compare-flow-4-results');
    await page.getByTestId('compare-confusion').scrollIntoViewIfNeeded();
    await screenshot(page, 'compare-flow-5-confusion');
    await page.getByRole('button', { name: 'Toggle theme' }).click();
    await page.locator('body.bp6-dark').waitFor();
    await screenshot(page, 'compare-flow-5-confusion-dark');
    await page.getByRole('button', { name: 'Toggle theme' }).click();

    const download = page.waitForEvent('download');
    await page.getByTestId('export-compare-html').click();
    const file = await download;
    const saved = path.join(SHOTS, '..', 'compare-report-gui.html');
    await file.saveAs(saved);
    const html = fs.readFileSync(saved, 'utf8');
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/<script/i);
    await page.getByTestId('export-done').waitFor();
    expect(pageErrors).toEqual([]);
  });

  it('searches recipes, recommends one within the drop and keeps it as a variant', async () => {
    const { page } = studio;
    await page.getByRole('tab', { name: 'Recipe search' }).click();
    await page.getByTestId('search-drop').fill('5');
    await page.getByTestId('search-ratios').fill('0.5');
    await page.getByTestId('search-run').click();
    await page.locator('[data-testid="search-result"], [data-testid="search-error"]').first().waitFor({ timeout: 170_000 });
    expect(await page.getByTestId('search-error').count()).toBe(0);
    expect(await page.getByTestId('search-candidate').count()).toBeGreaterThanOrEqual(2);
    await expect(page.getByTestId('search-recommendation').textContent()).resolves.toMatch(/Recommended: /);
    const before = await page.getByTestId('compare-variant').count();
    await page.getByTestId('search-keep').click();
    await expect.poll(() => page.getByTestId('compare-variant').count(), { timeout: 60_000 }).toBe(before + 1);
    await screenshot(page, 'compare-flow-6-search');
  });
});
