/**
 * e2e: figures that do not mislead and state the user controls, on the sample in browser mode. A run leaves "Working on"
 * alone and offers the switch; pruning an int8 variant is refused with the reason; delete asks and can be undone; a
 * cancelled comparison reads Cancelled; a comparison on the calibration images warns of the overlap and of few samples;
 * the jobs panel collapses and clears; the shortcuts dialog lists every group, the Graph keys included.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startStudio, type Studio } from './harness';

const SHOTS = '/tmp/shots/honest';

async function shot(page: Page, name: string, both = true): Promise<void> {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}-light.png`) });
  if (!both) return;
  await page.getByRole('button', { name: 'Toggle theme' }).click();
  await page.locator('body.bp6-dark').waitFor();
  await page.screenshot({ path: path.join(SHOTS, `${name}-dark.png`) });
  await page.getByRole('button', { name: 'Toggle theme' }).click();
  await page.locator('body:not(.bp6-dark)').waitFor();
}

describe('honest figures and user-controlled state', () => {
  let studio: Studio;
  beforeAll(async () => {
    studio = await startStudio({ theme: 'light' });
  });
  afterAll(async () => {
    await studio?.close();
  });

  it('keeps the worked-on variant after a run and offers the switch; refuses to prune int8', async () => {
    const { page } = studio;
    await page.goto(studio.url);
    await page.getByTestId('summary').waitFor();
    await page.locator('[data-place="optimize"]').click();
    await page.getByTestId('variant-list').waitFor();
    await page.getByRole('tab', { name: /quantiz/i }).click();
    const suggestion = page.locator('[data-testid="quantize-form"] [data-testid$="-suggestion"]').first();
    await suggestion.waitFor();
    await suggestion.click();
    await page.getByTestId('run-quantize').click();
    await page.locator('[data-testid="variant-row"][data-variant-kind="quantized"]').waitFor({ timeout: 150_000 });
    await page.getByTestId('created-offer').waitFor();
    expect(await page.getByTestId('working-on').textContent()).toBe('original');
    expect(await page.locator('[data-testid="variant-row"][aria-selected="true"]').getAttribute('data-variant-kind')).toBe('original');
    await shot(page, 'optimize-created-offer');

    await page.getByTestId('switch-to-created').click();
    await expect.poll(() => page.getByTestId('working-on').textContent()).toMatch(/^int8/);
    expect(await page.getByTestId('created-offer').count()).toBe(0);

    await page.getByRole('tab', { name: /prun/i }).click();
    await page.getByTestId('prune-refusal').waitFor();
    expect(await page.getByTestId('prune-refusal').textContent()).toMatch(/Pruning a quantized model is not supported/);
    expect(await page.getByTestId('run-prune').isDisabled()).toBe(true);
    expect(await page.getByTestId('prune-preview').count()).toBe(0);
    await shot(page, 'prune-refused-int8');

    // back on the original the preview runs, and previews never show up as jobs
    await page.locator('[data-testid="variant-row"][data-variant-kind="original"]').click();
    await page.locator('[data-testid="prune-preview"][data-stale="false"]').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('prune-fraction').textContent()).toMatch(/% of channels removed \(\d[\d,]* → \d[\d,]*\)/);
    const titles = await page.locator('[data-testid="job-row"] .ds-job-title').allTextContents();
    expect(titles.some((t) => /preview/i.test(t))).toBe(false);
    await shot(page, 'prune-preview-channels', false);
  });

  it('deletes a variant only after a confirmation, and Undo brings it back', async () => {
    const { page } = studio;
    const rows = page.locator('[data-testid="variant-row"][data-variant-kind="quantized"]');
    await expect(rows.count()).resolves.toBe(1);
    await rows.first().getByRole('button', { name: /^Delete / }).click();
    await page.getByTestId('delete-confirm').waitFor();
    await shot(page, 'delete-confirm', false);
    await page.getByRole('button', { name: 'Keep it' }).click();
    await expect(rows.count()).resolves.toBe(1);
    await rows.first().getByRole('button', { name: /^Delete / }).click();
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByTestId('delete-toast').waitFor();
    await expect.poll(() => rows.count()).toBe(0);
    await shot(page, 'delete-undo-toast', false);
    await page.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => rows.count()).toBe(1);
  });

  it('reports a cancelled comparison as Cancelled, then warns of overlap and few samples', async () => {
    const { page } = studio;
    await page.locator('[data-place="compare"]').click();
    await page.getByTestId('compare-variants').waitFor();
    await expect.poll(() => page.getByTestId('compare-data-path').inputValue()).toMatch(/images$/);
    const boxes = page.getByTestId('compare-variant');
    for (let i = 0; i < 2; i++) await boxes.nth(i).locator('label').click();
    await page.getByTestId('compare-run').click();
    const job = page.locator('[data-testid="job-row"][data-job-state="running"]').filter({ hasText: /Compare/ });
    await job.waitFor();
    await job.getByRole('button', { name: 'Cancel' }).click();
    await page.getByTestId('compare-cancelled').waitFor({ timeout: 60_000 });
    const ended = page.locator('[data-testid="job-row"]').filter({ hasText: /Compare/ }).first();
    expect(await ended.getAttribute('data-job-state')).toBe('cancelled');
    expect(await ended.locator('.ds-job-state').textContent()).toBe('Cancelled');
    expect(await page.getByTestId('compare-error').count()).toBe(0);
    await shot(page, 'compare-cancelled', false);

    // the sample images are what the int8 variant was calibrated on
    await page.getByTestId('compare-run').click();
    await page.locator('[data-testid="compare-result"], [data-testid="compare-error"]').first().waitFor({ timeout: 150_000 });
    expect(await page.getByTestId('compare-error').count()).toBe(0);
    await page.getByTestId('compare-overlap').waitFor();
    expect(await page.getByTestId('compare-overlap').textContent()).toMatch(/int8.* was calibrated on/);
    expect(await page.getByTestId('compare-few-samples').textContent()).toMatch(/Only 50 samples/);
    const header = await page.getByTestId('compare-table').locator('thead').textContent();
    expect(header).toContain('top-1 (n = 50)');
    await shot(page, 'compare-overlap');
  });

  it('collapses and clears the jobs panel', async () => {
    const { page } = studio;
    await page.getByTestId('jobs-toggle').click();
    expect(await page.getByTestId('job-row').count()).toBe(0);
    expect(await page.getByTestId('jobs-toggle').getAttribute('aria-expanded')).toBe('false');
    await shot(page, 'jobs-collapsed', false);
    await page.getByTestId('jobs-toggle').click();
    await expect.poll(() => page.getByTestId('job-row').count()).toBeGreaterThan(0);
    await page.getByTestId('jobs-clear').click();
    await expect.poll(() => page.getByTestId('jobs-panel').count()).toBe(0);
  });

  it('lists every shortcut group in the dialog, the Graph keys included, without F1 in the browser', async () => {
    const { page } = studio;
    await page.locator('[data-place="model"]').click();
    await page.keyboard.press('Shift+Slash');
    await page.getByTestId('shortcuts-dialog').waitFor();
    const text = (await page.getByTestId('shortcuts-dialog').textContent()) ?? '';
    for (const g of ['File', 'Go to', 'View', 'Graph (in the Graph place)', 'Help']) expect(text).toContain(g);
    for (const label of ['Zoom to fit', 'Find node, op or tensor', 'Up one graph level', 'Open a model…', 'Show keyboard shortcuts']) expect(text).toContain(label);
    expect(text).not.toMatch(/\bF1\b/i);
    // nothing cut off: the dialog fits the window (its body scrolls when it must)
    const box = await page.locator('.ds-shortcuts-dialog').boundingBox();
    expect(box).not.toBeNull();
    expect(box && box.y >= 0 && box.y + box.height <= 900).toBe(true);
    await shot(page, 'shortcuts-dialog', false);
    await page.keyboard.press('Escape');
    await page.getByTestId('shortcuts-dialog').waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Toggle theme' }).click();
    await page.locator('body.bp6-dark').waitFor();
    await page.keyboard.press('Shift+Slash');
    await page.getByTestId('shortcuts-dialog').waitFor();
    // the dialog fades in: wait until it is fully shown
    const opacity = () => page.locator('.ds-shortcuts-dialog').evaluate((d) => (globalThis as unknown as { getComputedStyle(e: unknown): { opacity: string } }).getComputedStyle(d).opacity);
    await expect.poll(opacity).toBe('1');
    await page.screenshot({ path: path.join(SHOTS, 'shortcuts-dialog-dark.png') });
  });
});
