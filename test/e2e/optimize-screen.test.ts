/** e2e: the Optimize place makes a graph-optimized variant of the sample; it joins the variant list with its recipe. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, startStudio, type Studio } from './harness';

describe('Optimize screen', () => {
  let studio: Studio;
  beforeAll(async () => {
    studio = await startStudio({ theme: 'light' });
  });
  afterAll(async () => {
    await studio?.close();
  });

  it('makes a variant and lists it beside the original', async () => {
    const { page } = studio;
    await page.goto(studio.url);
    await page.getByTestId('summary').waitFor();
    await page.locator('[data-place="optimize"]').click();
    await page.getByTestId('variant-list').waitFor();
    await expect(page.getByTestId('variant-row').count()).resolves.toBe(1);
    await page.getByTestId('run-graph-optimize').click();
    await page.locator('[data-testid="variant-row"][data-variant-kind="optimized"]').waitFor();
    await page.getByTestId('variant-report').waitFor();
    const report = await page.getByTestId('variant-report').textContent();
    expect(report).toContain('graph-optimize');
    expect(report).toContain('nodesAfter');
    await screenshot(page, 'optimize-graph-variant');
  });
});
