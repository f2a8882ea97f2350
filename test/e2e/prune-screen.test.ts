/**
 * e2e: the Prune tab previews pruning of the sample per layer (rounded to the host's channel multiple, then exactly), makes
 * a recovered channel-pruned variant, a magnitude-pruned variant of it, and puts the pruned fraction on the graph.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, startStudio, type Studio } from './harness';

describe('Prune panel', () => {
  let studio: Studio;
  beforeAll(async () => {
    studio = await startStudio({ theme: 'light' });
  });
  afterAll(async () => {
    await studio?.close();
  });

  it('shows the per-layer preview, makes a pruned variant and puts the pruned fraction on the graph', async () => {
    const { page } = studio;
    await page.goto(studio.url);
    await page.getByTestId('summary').waitFor();
    await page.locator('[data-place="optimize"]').click();
    await page.getByTestId('variant-list').waitFor();
    await page.getByRole('tab', { name: 'Prune' }).click();
    await page.getByTestId('prune-panel').waitFor();

    // magnitude first: the preview counts weights and says where zeros pay off
    await page.getByTestId('prune-method').getByText('Magnitude (sparse)').click();
    await page.locator('[data-testid="prune-preview"][data-stale="false"]', { hasText: 'of weights removed' }).waitFor();
    expect(await page.getByTestId('prune-panel').textContent()).toMatch(/compressed package/);

    // channels, calibrated on the images beside the model, with recovery
    await page.getByTestId('prune-method').getByText('Channels (structured)').click();
    await page.getByRole('button', { name: 'Images beside the model' }).click();
    await page.locator('[data-testid="prune-preview"][data-stale="false"]', { hasText: 'of channels removed' }).waitFor();
    // by default kept counts are rounded to the host's channel multiple, and the preview says which and why
    const rounding = (await page.getByTestId('prune-rounding').textContent()) ?? '';
    expect(rounding).toMatch(/Kept channel counts rounded to multiples of \d+ for [^:]+: (\d+ → \d+, )*\d+ → \d+ channels/);
    expect(rounding).toMatch(/The multiple: target "host": .*(measured on this host|from the ISA)/);
    expect(await page.locator('#prune-round').inputValue()).toBe('0');
    await screenshot(page, 'prune-preview-rounded');
    // the ratio exactly: no rounding
    await page.locator('#prune-round').selectOption('1');
    await page.locator('[data-testid="prune-preview"][data-stale="false"]', { hasText: '28.8 % of channels removed' }).waitFor();
    expect(await page.getByTestId('prune-rounding').textContent()).toMatch(/not rounded/);
    await page.getByTestId('prune-preview').getByTestId('prune-chart').locator('canvas').waitFor();
    await screenshot(page, 'prune-preview');

    await page.getByTestId('run-prune').click();
    await page.locator('[data-testid="variant-row"][data-variant-kind="pruned"]').waitFor({ timeout: 120_000 });
    await page.getByTestId('prune-report').waitFor();
    expect(await page.getByTestId('prune-error').textContent()).toContain('after recovery');
    expect(await page.locator('[data-testid="variant-row"][data-variant-kind="pruned"]').textContent()).toContain('channels-30-recovered');
    await screenshot(page, 'prune-variant');
    // the run did not change what is worked on: the result offers the switch
    expect(await page.getByTestId('working-on').textContent()).toBe('original');
    await page.getByTestId('switch-to-created').click();
    await page.locator('[data-testid="working-on"]', { hasText: 'channels-30-recovered' }).waitFor();

    // magnitude pruning of that variant: a chained variant whose report gives the deflated package sizes
    await page.getByTestId('prune-method').getByText('Magnitude (sparse)').click();
    await page.getByTestId('run-prune').click();
    await page.locator('[data-testid="variant-row"]', { hasText: 'magnitude-50' }).waitFor({ timeout: 120_000 });
    await page.getByTestId('prune-compressed').waitFor();
    expect(await page.getByTestId('prune-compressed').textContent()).toMatch(/compressed package .* → /);
    await screenshot(page, 'prune-magnitude-variant');

    await page.locator('[data-testid="variant-row"]', { hasText: 'channels-30-recovered' }).click();
    await page.getByTestId('prune-report').filter({ hasText: 'channel pruning' }).waitFor();

    await page.getByTestId('prune-report').getByTestId('prune-show-graph').click();
    await page.locator('[data-screen="graph"]').waitFor();
    await page.getByTestId('overlay-legend').waitFor();
    expect(await page.getByTestId('overlay-legend').textContent()).toMatch(/Pruned fraction/);
    await screenshot(page, 'prune-graph-overlay');
  });
});
