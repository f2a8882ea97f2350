/**
 * e2e story, browser mode (issue 16, Done-means 1): the engineer's flow on an exported resnet18 in one studio. The
 * model uploads with a progress card; ImageNet preprocessing and 1000 labels are set in the Model place; calibration
 * images and a separate validation folder upload through their fields; a static int8 variant (calibrated on the
 * upload) and a 50 % channel-pruned variant are made; Compare on the validation folder shows no overlap warning and on
 * the calibration images shows it; the HTML report is named after the model; a runtime bundle carries the ImageNet
 * mean/std; after a restart of serve the same bytes opened from another path list the variants.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, screenshot, startStudio, type Studio } from './harness';

const MODEL = path.join(ROOT, 'test/fixtures/generated/resnet18.onnx');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-e2e-story-'));
const dataDir = path.join(tmp, 'data');
const granted = path.join(tmp, 'granted');
const calibDir = path.join(tmp, 'calib');
const valDir = path.join(tmp, 'val');
const labelsFile = path.join(tmp, 'labels.txt');
const bundleDir = path.join(granted, 'resnet18-bundle');
/** the class folders of the validation set: the first three labels */
const CLASSES = ['class000', 'class001', 'class002'];
const PER_CLASS = 4;
const LONG = 300_000;

/** Writes a 256×256 PNG of seeded noise (each seed a different image). */
async function writeNoisePng(file: string, seed: number): Promise<void> {
  const size = 256;
  const px = Buffer.alloc(size * size * 3);
  let s = seed * 2654435761 + 1;
  for (let i = 0; i < px.length; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    px[i] = s & 255;
  }
  await sharp(px, { raw: { width: size, height: size, channels: 3 } }).png().toFile(file);
}

/** 16 calibration images in one folder, a validation folder of class folders (other images), and 1000 labels. */
async function makeData(): Promise<void> {
  for (const dir of [dataDir, granted, calibDir]) fs.mkdirSync(dir, { recursive: true });
  for (let i = 0; i < 16; i++) await writeNoisePng(path.join(calibDir, `calib-${i}.png`), 1 + i);
  for (const [c, name] of CLASSES.entries()) {
    fs.mkdirSync(path.join(valDir, name), { recursive: true });
    for (let i = 0; i < PER_CLASS; i++) await writeNoisePng(path.join(valDir, name, `val-${i}.png`), 1000 + c * 100 + i);
  }
  fs.writeFileSync(labelsFile, `${Array.from({ length: 1000 }, (_, i) => `class${String(i).padStart(3, '0')}`).join('\n')}\n`);
}

/** Watches the page for an element matching `selector` and keeps the `data-fraction` values it showed. */
async function watchProgress(page: Page, selector: string): Promise<() => Promise<{ seen: boolean; fractions: number[] }>> {
  const key = `__watch_${Math.random().toString(36).slice(2)}`;
  // page code as text: this project's type-check has no DOM library
  await page.evaluate(`(() => {
    const state = { seen: false, fractions: [] };
    window[${JSON.stringify(key)}] = state;
    const check = () => {
      for (const el of document.querySelectorAll(${JSON.stringify(selector)})) {
        state.seen = true;
        const f = Number(el.dataset.fraction);
        if (Number.isFinite(f) && state.fractions.at(-1) !== f) state.fractions.push(f);
      }
    };
    new MutationObserver(check).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-fraction'] });
  })()`);
  return () => page.evaluate(`window[${JSON.stringify(key)}]`) as Promise<{ seen: boolean; fractions: number[] }>;
}

const variantRow = (page: Page, kind: string) => page.locator(`[data-testid="variant-row"][data-variant-kind="${kind}"]`);

describe("the engineer's story in browser mode", () => {
  let studio: Studio | undefined;
  const page = (): Page => (studio as Studio).page;
  /** the variant rows as step 4 left them */
  const made = { quantized: '', pruned: '' };
  beforeAll(async () => {
    await makeData();
    studio = await startStudio({ theme: 'light', dataDir, serveArgs: ['--allow', granted] });
  }, LONG);
  afterAll(async () => {
    await studio?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('1. uploads the exported resnet18 (45 MB) with a progress card', async () => {
    const p = page();
    await p.goto((studio as Studio).url);
    await p.getByTestId('summary').waitFor({ timeout: 60_000 });
    expect(fs.statSync(MODEL).size).toBeGreaterThan(45_000_000);
    // slow the upload down so the card can be seen and photographed (bytes per second)
    const cdp = await p.context().newCDPSession(p);
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 15 * 1024 * 1024 });
    const progress = await watchProgress(p, '[data-testid="upload-progress"]');
    const chooser = p.waitForEvent('filechooser');
    await p.getByTestId('open-model').first().click();
    await (await chooser).setFiles(MODEL);
    await p.getByTestId('upload-progress').waitFor();
    await expect.poll(async () => Number(await p.getByTestId('upload-progress').getAttribute('data-fraction').catch(() => '1')), { timeout: 60_000 }).toBeGreaterThan(0.05);
    expect(await p.getByTestId('upload-progress').textContent()).toMatch(/Uploading resnet18\.onnx.*MiB of 4\d\.\d MiB/);
    await screenshot(p, 'story-1-model-upload-progress');
    await p.getByTestId('model-title').filter({ hasText: 'resnet18.onnx' }).waitFor({ timeout: LONG });
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    const seen = await progress();
    expect(seen.seen).toBe(true);
    expect(seen.fractions.some((f) => f > 0 && f < 1)).toBe(true);
    expect(await p.getByTestId('model-path').textContent()).toBe('uploaded from your computer (a copy kept for this session)');
    await p.getByTestId('summary').waitFor();
    await screenshot(p, 'story-1-model-uploaded');
  }, LONG);

  it('2. sets ImageNet preprocessing and 1000 labels in the Model place and saves them', async () => {
    const p = page();
    const card = p.getByTestId('preprocess-card');
    await card.waitFor({ timeout: 60_000 });
    await card.getByTestId('prep-norm').getByText('ImageNet mean/std').click();
    await card.getByTestId('prep-imagenet-geometry').click();
    expect(await card.getByTestId('prep-mean').inputValue()).toBe('0.485, 0.456, 0.406');
    await card.getByTestId('prep-save').click();
    await expect.poll(async () => card.getByTestId('prep-origin').textContent(), { timeout: 60_000 }).toBe('set in the studio');
    await card.scrollIntoViewIfNeeded();
    await screenshot(p, 'story-2-preprocess-imagenet');

    const labelsCard = p.getByTestId('labels-card');
    await labelsCard.getByTestId('labels-file-input').setInputFiles(labelsFile);
    await labelsCard.getByTestId('labels-match').waitFor({ timeout: 60_000 });
    expect(await labelsCard.getByTestId('labels-count').textContent()).toContain('1,000 labels');
    await labelsCard.scrollIntoViewIfNeeded();
    await screenshot(p, 'story-2-labels');
  }, LONG);

  it('3. uploads the validation folder on Compare and the calibration images on Optimize', async () => {
    const p = page();
    await p.locator('[data-place="compare"]').click();
    await p.getByTestId('compare-variants').waitFor();
    await p.getByTestId('compare-data-path-folder-input').setInputFiles(valDir);
    await p.getByTestId('compare-data-path-uploaded').waitFor({ timeout: LONG });
    expect(await p.getByTestId('compare-data-path-uploaded').textContent()).toContain(`val (${CLASSES.length * PER_CLASS} files) · uploaded`);
    await expect.poll(() => p.getByTestId('compare-data-scan').textContent(), { timeout: 60_000 }).toMatch(new RegExp(`${CLASSES.length * PER_CLASS} of ${CLASSES.length * PER_CLASS} items \\(image-folder, 1000 classes`));
    await screenshot(p, 'story-3-validation-uploaded');

    await p.locator('[data-place="optimize"]').click();
    await p.getByTestId('variant-list').waitFor();
    await p.getByRole('tab', { name: 'Quantize' }).click();
    await p.getByTestId('quantize-panel').waitFor();
    await p.getByTestId('quantize-calibration-choose-folder').waitFor();
    await p.getByTestId('quantize-calibration-folder-input').setInputFiles(calibDir);
    await p.getByTestId('quantize-calibration-uploaded').waitFor({ timeout: LONG });
    expect(await p.getByTestId('quantize-calibration-uploaded').textContent()).toContain('calib (16 files) · uploaded');
    await screenshot(p, 'story-3-calibration-uploaded');
  }, LONG);

  it('4. makes a static int8 variant calibrated on the upload and a 50 % channel-pruned variant', async () => {
    const p = page();
    await p.getByTestId('quantize-panel').waitFor();
    await p.getByTestId('quantize-mode').getByText('Static int8').click();
    expect(await p.getByTestId('quantize-calibration-uploaded').textContent()).toContain('calib (16 files) · uploaded');
    await p.getByTestId('run-quantize').click();
    await variantRow(p, 'quantized').waitFor({ timeout: LONG });
    await p.getByTestId('quantize-report').waitFor({ timeout: 60_000 });
    expect(await p.getByTestId('quantize-report').textContent()).toMatch(/Calibrated on 16 /);
    expect(await variantRow(p, 'quantized').textContent()).toContain('int8-');
    await screenshot(p, 'story-4-quantized');

    await variantRow(p, 'original').click();
    await p.locator('[data-testid="variant-row"][data-variant-kind="original"][aria-selected="true"]').waitFor();
    await p.getByRole('tab', { name: 'Prune' }).click();
    await p.getByTestId('prune-panel').waitFor();
    await p.getByTestId('prune-method').getByText('Channels (structured)').click();
    // the sparsity slider moves by keyboard in steps of 5 %: 30 % → 50 %
    const handle = p.getByTestId('prune-panel').locator('.bp6-slider-handle').first();
    await handle.focus();
    for (let i = 0; i < 4; i++) await handle.press('ArrowRight');
    await p.getByTestId('prune-panel').getByText('Remove 50\u00a0% of the channels').first().waitFor();
    await p.locator('[data-testid="prune-preview"][data-stale="false"]', { hasText: 'of channels removed' }).waitFor({ timeout: LONG });
    await screenshot(p, 'story-4-prune-preview');
    await p.getByTestId('run-prune').click();
    await variantRow(p, 'pruned').waitFor({ timeout: LONG });
    await p.getByTestId('prune-report').waitFor({ timeout: 60_000 });
    expect(await variantRow(p, 'pruned').textContent()).toContain('channels-50');
    expect(await p.getByTestId('variant-row').count()).toBe(3);
    made.quantized = (await variantRow(p, 'quantized').textContent()) ?? '';
    made.pruned = (await variantRow(p, 'pruned').textContent()) ?? '';
    await screenshot(p, 'story-4-pruned');
  }, LONG * 2);

  it('5. compares the three on the validation folder without an overlap warning, then on the calibration images with one', async () => {
    const p = page();
    const items = CLASSES.length * PER_CLASS;
    await p.locator('[data-place="compare"]').click();
    await p.getByTestId('compare-variants').waitFor();
    expect(await p.getByTestId('compare-data-path-uploaded').textContent()).toContain(`val (${items} files) · uploaded`);
    const boxes = p.getByTestId('compare-variant');
    await expect.poll(() => boxes.count()).toBe(3);
    for (let i = 0; i < 3; i++) await boxes.nth(i).locator('label').click();
    await p.getByTestId('compare-run').click();
    await p.locator('[data-testid="compare-result"], [data-testid="compare-error"]').first().waitFor({ timeout: LONG });
    expect(await p.getByTestId('compare-error').count(), (await p.getByTestId('compare-error').textContent().catch(() => '')) ?? '').toBe(0);
    await p.getByTestId('compare-summary').filter({ hasText: new RegExp(`^${items} items of`) }).waitFor();
    await expect(p.getByTestId('compare-row').count()).resolves.toBe(3);
    expect(await p.getByTestId('compare-overlap').count()).toBe(0);
    await screenshot(p, 'story-5-compare-validation');

    // the calibration images, uploaded again on Compare: the int8 variant was calibrated on this very content
    await p.getByTestId('compare-data-path-folder-input').setInputFiles(calibDir);
    await p.getByTestId('compare-data-path-uploaded').filter({ hasText: 'calib (16 files) · uploaded' }).waitFor({ timeout: LONG });
    await p.getByTestId('compare-run').click();
    await p.getByTestId('compare-summary').filter({ hasText: /^16 items of/ }).waitFor({ timeout: LONG });
    expect(await p.getByTestId('compare-error').count()).toBe(0);
    await p.getByTestId('compare-overlap').first().waitFor();
    expect(await p.getByTestId('compare-overlap').first().textContent()).toMatch(/int8.* was calibrated on/);
    await p.getByTestId('compare-overlap').first().scrollIntoViewIfNeeded();
    await screenshot(p, 'story-5-compare-calibration-overlap');
  }, LONG * 2);

  it('6. exports the HTML report named after the model', async () => {
    const p = page();
    const download = p.waitForEvent('download', { timeout: LONG });
    await p.getByTestId('export-compare-html').click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('resnet18-comparison.html');
    const saved = path.join(tmp, file.suggestedFilename());
    await file.saveAs(saved);
    expect(fs.readFileSync(saved, 'utf8')).toContain('<svg');
    await p.getByTestId('export-done').waitFor();
    expect(await p.getByTestId('export-done').textContent()).toContain('resnet18-comparison.html');
    await screenshot(p, 'story-6-report-exported');
  }, LONG);

  it('7. packages a runtime bundle whose preprocess.json carries the ImageNet mean/std', async () => {
    const p = page();
    await p.locator('[data-place="package"]').click();
    await p.getByTestId('package-form').waitFor();
    await p.getByTestId('package-format').getByText('Runtime bundle').click();
    await p.locator('[data-testid="package-files"] td', { hasText: 'run.js' }).first().waitFor({ timeout: 60_000 });
    await p.getByTestId('package-out').fill(bundleDir);
    await p.locator('[data-testid="package-dest"]', { hasText: bundleDir }).waitFor();
    await p.locator('[data-testid="package-plan"][data-ok="true"]').waitFor({ timeout: 60_000 });
    await screenshot(p, 'story-7-package-plan');
    await p.getByTestId('package-run').click();
    await p.getByTestId('package-result').waitFor({ timeout: LONG });
    expect(await p.getByTestId('package-result').textContent()).toContain(bundleDir);
    const shipped = JSON.parse(fs.readFileSync(path.join(bundleDir, 'preprocess.json'), 'utf8')) as { mean: number[]; std: number[] };
    expect(shipped.mean).toEqual([0.485, 0.456, 0.406]);
    expect(shipped.std).toEqual([0.229, 0.224, 0.225]);
    expect(fs.readFileSync(path.join(bundleDir, 'labels.txt'), 'utf8').split('\n')[1]).toBe('class001');
    await screenshot(p, 'story-7-bundle-done');
  }, LONG);

  it('8. after a restart of serve, the same bytes opened from another path list both variants', async () => {
    await (studio as Studio).close();
    studio = undefined;
    const moved = path.join(granted, 'renamed-resnet.onnx');
    fs.copyFileSync(MODEL, moved);
    studio = await startStudio({ theme: 'light', dataDir, serveArgs: ['--allow', granted] });
    const p = studio.page;
    await p.goto(`${studio.url}&model=${encodeURIComponent(moved)}`);
    await p.getByTestId('model-title').filter({ hasText: 'renamed-resnet.onnx' }).waitFor({ timeout: LONG });
    expect(await p.getByTestId('model-path').textContent()).toBe(moved);
    await p.locator('[data-place="optimize"]').click();
    await p.getByTestId('variant-list').waitFor();
    await variantRow(p, 'quantized').waitFor({ timeout: 60_000 });
    await variantRow(p, 'pruned').waitFor({ timeout: 60_000 });
    expect(await variantRow(p, 'quantized').count()).toBe(1);
    expect(await variantRow(p, 'pruned').count()).toBe(1);
    expect(await variantRow(p, 'quantized').textContent()).toBe(made.quantized);
    expect(await variantRow(p, 'pruned').textContent()).toBe(made.pruned);
    // the place button's tooltip would cover the list in the picture
    await p.getByTestId('variant-list').hover();
    await p.locator('.bp6-tooltip').waitFor({ state: 'detached' });
    await screenshot(p, 'story-8-variants-after-restart');
  }, LONG);
});
