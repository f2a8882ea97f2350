/** e2e: the Target place — choose a profile, see findings and estimates with their uncertainty, make a profile in
 * the editor (refused while a field is wrong), and benchmark with a profile's settings. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, startStudio, type Studio } from './harness';

describe('Target screen', () => {
  let studio: Studio;
  beforeAll(async () => {
    studio = await startStudio();
  });
  afterAll(async () => {
    await studio?.close();
  });

  it('picks a profile and shows findings and estimates with their uncertainty', async () => {
    const { page } = studio;
    await page.goto(studio.url);
    await page.getByTestId('summary').waitFor();
    await page.locator('[data-place="target"]').click();
    await page.getByTestId('target-card-host').waitFor();
    await page.getByTestId('target-card-raspberry-pi-5').click();
    await page.locator('[data-testid="check-result"]').waitFor();
    await expect.poll(() => page.getByTestId('status-target').textContent()).toContain('Raspberry Pi 5');
    await expect.poll(() => page.getByTestId('target-name').textContent()).toContain('Raspberry Pi 5');
    const estimate = await page.getByTestId('latency-estimate').textContent();
    expect(estimate).toMatch(/≈ [\d.]+ ms/);
    expect(estimate).toContain('estimated');
    expect(estimate).toMatch(/ms – [\d.]+ ms \(×\/÷ 2\.5\)/);
    expect(await page.getByTestId('memory-card').textContent()).toMatch(/of 2\.00 GiB/);
    expect(await page.getByTestId('not-emulated').textContent()).toContain('Compute speed');
    await page.getByTestId('findings').waitFor();
    await screenshot(page, 'target-raspberry-pi');
  });

  it('makes a profile in the editor: a wrong field is named, a tiny memory budget is flagged', async () => {
    const { page } = studio;
    await page.getByTestId('new-profile').click();
    await page.getByTestId('profile-id').fill('Bad Id');
    await expect.poll(() => page.getByTestId('profile-invalid').textContent()).toContain('field "id"');
    expect(await page.getByTestId('profile-save').isDisabled()).toBe(true);
    await page.getByTestId('profile-id').fill('tiny-board');
    await page.getByTestId('profile-name').fill('Tiny board');
    const memory = page.getByTestId('profile-memory');
    await memory.fill('0.0001');
    await memory.press('Tab');
    await screenshot(page, 'target-profile-editor');
    await page.getByTestId('profile-save').click();
    await expect.poll(() => page.getByTestId('status-target').textContent()).toContain('Tiny board');
    await page.getByTestId('finding-memory-over-budget').waitFor();
    expect(await page.getByTestId('verdict').textContent()).toBe('not compatible');
    expect(await page.getByTestId('target-card-tiny-board').textContent()).toContain('yours');
    await screenshot(page, 'target-user-profile-over-budget');
  });

  it('benchmarks with the chosen profile\u2019s settings and shows estimate against measurement', async () => {
    const { page } = studio;
    await page.getByTestId('target-card-host').click();
    await expect.poll(() => page.getByTestId('status-target').textContent()).toContain('This host');
    await page.locator('[data-testid="check-result"]').waitFor();
    await page.getByTestId('measure-host').click();
    await page.getByTestId('measured').waitFor({ timeout: 120_000 });
    const ratio = await page.getByTestId('calibration-ratio').textContent();
    expect(ratio).toMatch(/Estimate \/ measured = [\d.]+/);
    expect(await page.getByTestId('measured').textContent()).toMatch(/measured p50 on this host \(50 runs/);
    await page.getByTestId('latency-card').scrollIntoViewIfNeeded();
    await screenshot(page, 'target-host-measured');
    await page.getByTestId('detect-host').click();
    await expect.poll(() => page.getByTestId('host-eps').textContent(), { timeout: 60_000 }).toContain('cpu');
    expect(await page.getByTestId('host-eps').textContent()).toMatch(/webgpu|cuda|tensorrt/);
    await page.getByTestId('host-info').scrollIntoViewIfNeeded();
    await screenshot(page, 'target-host-providers');
    await page.getByTestId('target-card-jetson-agx-orin').click();
    await page.getByTestId('finding-dynamic-shapes-tensorrt').waitFor();
    await page.keyboard.press('Control+Shift+L');
    await page.waitForFunction("document.body.dataset.theme === 'light'");
    await page.getByTestId('target-main').evaluate((el) => el.scrollTo(0, 0));
    await screenshot(page, 'target-jetson-light');
    // the graph view gets FLOPs and the chosen target's estimated latency as overlays
    await page.locator('[data-place="graph"]').click();
    await page.locator('[data-testid="graph-canvas"][data-state="ready"]').waitFor({ timeout: 60_000 });
    await expect.poll(() => page.getByTestId('overlay-select').locator('option').allTextContents()).toEqual(
      expect.arrayContaining(['FLOPs', 'Estimated latency on NVIDIA Jetson AGX Orin 64GB']),
    );
    await page.getByTestId('overlay-select').selectOption('flops');
    await page.getByTestId('overlay-legend').waitFor();
    await screenshot(page, 'graph-flops-overlay');
  });
});
