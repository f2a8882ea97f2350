/**
 * e2e: one model, one target profile: Target's measurement, the Demo's classification and benchmark, Compare and the
 * packaged bundle's README all show the same resolved session settings (the runtime's one resolver).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, startStudio, type Studio } from './harness';

const PROFILE = 'raspberry-pi-5';

describe('session settings are the same on every screen', () => {
  let studio: Studio;
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-e2e-settings-'));
  beforeAll(async () => {
    studio = await startStudio({ theme: 'light' });
  });
  afterAll(async () => {
    await studio?.close();
    fs.rmSync(out, { recursive: true, force: true });
  });

  it('Target, Demo, Compare and the package README name the same settings for the same model and profile', async () => {
    const { page } = studio;
    await page.goto(studio.url);
    await page.getByTestId('summary').waitFor();
    const shown: Record<string, string> = {};

    await page.locator('[data-place="target"]').click();
    await page.getByTestId(`target-card-${PROFILE}`).click();
    await page.locator('[data-testid="check-result"]').waitFor();
    await page.getByTestId('measure-host').click();
    await page.getByTestId('measured').waitFor({ timeout: 120_000 });
    shown.target = (await page.getByTestId('measured').getByTestId('session-settings').textContent()) ?? '';
    await screenshot(page, 'settings-target');

    await page.locator('[data-place="demo"]').click();
    await page.getByTestId('demo-tab-bench').click();
    await page.getByTestId('bench-panel').waitFor();
    await page.getByTestId('bench-use-target').locator('xpath=..').click();
    await page.locator('#bench-runs').fill('50');
    await page.getByTestId('run-bench').click();
    await page.getByTestId('bench-result').waitFor({ timeout: 120_000 });
    shown.demoBench = (await page.getByTestId('bench-result').getByTestId('session-settings').textContent()) ?? '';
    await screenshot(page, 'settings-demo-bench');
    await page.getByTestId('demo-tab-classify').click();
    await page.getByTestId('demo-samples').waitFor();
    await page.locator('[data-testid="demo-sample"]').first().click();
    const demoCard = page.locator('[data-testid="demo-result-a"]');
    await demoCard.getByTestId('session-settings').waitFor({ timeout: 60_000 });
    shown.demoRun = (await demoCard.getByTestId('session-settings').textContent()) ?? '';
    expect(await demoCard.getByTestId('noise-mark').textContent()).toContain('only 1 run');
    await screenshot(page, 'settings-demo-classify');

    await page.locator('[data-place="compare"]').click();
    await page.getByTestId('compare-variants').waitFor();
    await expect.poll(() => page.getByTestId('compare-data-path').inputValue()).toMatch(/images$/);
    const boxes = page.getByTestId('compare-variant');
    if ((await boxes.first().getAttribute('data-checked')) !== 'true') await boxes.first().locator('label').click();
    await page.locator('#compare-target').selectOption(PROFILE);
    await page.locator('#compare-rounds').fill('10');
    await page.getByTestId('compare-run').click();
    await page.getByTestId('compare-summary').waitFor({ timeout: 150_000 });
    shown.compare = (await page.getByTestId('compare-summary').getByTestId('session-settings').textContent()) ?? '';
    await screenshot(page, 'settings-compare');

    await page.locator('[data-place="package"]').click();
    await page.getByTestId('package-form').waitFor();
    await page.getByTestId('package-format').getByText('Runtime bundle').click();
    await page.getByTestId('package-target').selectOption(PROFILE);
    const dest = path.join(out, 'bundle');
    await page.getByTestId('package-out').fill(dest);
    await page.locator('[data-testid="package-plan"][data-ok="true"]').waitFor();
    await page.getByTestId('package-run').click();
    await page.getByTestId('package-result').waitFor({ timeout: 120_000 });
    shown.package = (await page.getByTestId('package-result').getByTestId('session-settings').textContent()) ?? '';
    await screenshot(page, 'settings-package');
    const readme = fs.readFileSync(path.join(dest, 'README.md'), 'utf8');

    const expected = shown.target.trim();
    expect(expected).toMatch(new RegExp(`^\\d+ threads?, cpu, optimization all, target ${PROFILE}$`));
    for (const [where, text] of Object.entries(shown)) expect(text.trim(), where).toBe(expected);
    expect(readme).toContain(`| session settings | ${expected} |`);
  }, 600_000);
});
