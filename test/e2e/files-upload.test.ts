/**
 * e2e, browser mode: files reach the studio by upload with progress, one rule for every place. A 45 MB model uploads
 * with a progress card and the header shows its own name; calibration data (.npy) uploads on Optimize and makes a
 * static int8 variant; a validation folder of class folders uploads whole on Compare and is read as a dataset; the
 * folders granted with `serve --allow` are listed.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, screenshot, startStudio, type Studio } from './harness';

const SAMPLE_DIR = path.join(ROOT, 'assets/samples/fashion-mnist');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-e2e-files-'));
const granted = path.join(tmp, 'granted');

/** A MatMul whose weight is a 45 MB initializer (3000 × 3750 float32), and 16 calibration inputs for the sample. */
function makeFiles(): { bigModel: string; calib: string; valDir: string } {
  fs.mkdirSync(granted, { recursive: true });
  const bigModel = path.join(tmp, 'big-matmul.onnx');
  const calib = path.join(tmp, 'fashion-calib.npy');
  execFileSync('/usr/bin/python3', [
    '-c',
    `
import numpy as np, onnx
from onnx import helper, TensorProto, numpy_helper
w = np.random.default_rng(0).standard_normal((3000, 3750), dtype=np.float32)
g = helper.make_graph([helper.make_node('MatMul', ['x', 'w'], ['y'])], 'big',
    [helper.make_tensor_value_info('x', TensorProto.FLOAT, [1, 3000])],
    [helper.make_tensor_value_info('y', TensorProto.FLOAT, [1, 3750])], [numpy_helper.from_array(w, 'w')])
onnx.save(helper.make_model(g, opset_imports=[helper.make_opsetid('', 17)]), ${JSON.stringify(bigModel)})
np.save(${JSON.stringify(calib)}, np.random.default_rng(1).random((16, 1, 28, 28), dtype=np.float32))
`,
  ]);
  const valDir = path.join(tmp, 'val');
  fs.cpSync(path.join(SAMPLE_DIR, 'images'), valDir, { recursive: true });
  return { bigModel, calib, valDir };
}

/** Watches the page for an element matching `selector` and keeps the largest `data-fraction` it showed. */
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

describe('files in browser mode', () => {
  let studio: Studio;
  let files: ReturnType<typeof makeFiles>;
  beforeAll(async () => {
    files = makeFiles();
    studio = await startStudio({ theme: 'light', serveArgs: ['--allow', granted] });
  });
  afterAll(async () => {
    await studio?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('uploads a 45 MB model with a progress card, then names it by its own name', async () => {
    const { page } = studio;
    await page.goto(studio.url);
    await page.getByTestId('summary').waitFor();
    expect(fs.statSync(files.bigModel).size).toBeGreaterThan(45_000_000);
    // slow the upload down so the card can be seen and photographed (bytes per second)
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 15 * 1024 * 1024 });
    const progress = await watchProgress(page, '[data-testid="upload-progress"]');
    const chooser = page.waitForEvent('filechooser');
    await page.getByTestId('open-model').first().click();
    await (await chooser).setFiles(files.bigModel);
    await page.getByTestId('upload-progress').waitFor();
    await expect.poll(async () => Number(await page.getByTestId('upload-progress').getAttribute('data-fraction').catch(() => '1')), { timeout: 20_000 }).toBeGreaterThan(0.05);
    expect(await page.getByTestId('upload-progress').textContent()).toMatch(/Uploading big-matmul\.onnx.*MiB of 4\d\.\d MiB/);
    await screenshot(page, 'files-1-model-upload-progress');
    await page.getByTestId('model-title').filter({ hasText: 'big-matmul.onnx' }).waitFor({ timeout: 60_000 });
    const seen = await progress();
    expect(seen.seen).toBe(true);
    expect(seen.fractions.some((f) => f > 0 && f < 1)).toBe(true);
    expect(await page.getByTestId('model-path').textContent()).toBe('uploaded from your computer (a copy kept for this session)');
    expect(await page.getByTestId('model-path').textContent()).not.toContain('deploy-studio-uploads');
    await screenshot(page, 'files-2-model-uploaded');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  });

  it('uploads calibration data (.npy) on Optimize with progress and makes a static int8 variant with it', async () => {
    const { page } = studio;
    await page.getByTestId('open-sample').first().click();
    await page.getByTestId('model-title').filter({ hasText: 'fashion-cnn.onnx' }).waitFor();
    await page.locator('[data-place="optimize"]').click();
    await page.getByTestId('variant-list').waitFor();
    await page.getByRole('tab', { name: 'Quantize' }).click();
    await page.getByTestId('quantize-panel').waitFor();
    await page.getByTestId('quantize-calibration-choose-file').waitFor();
    // the folders granted with --allow are listed
    await page.getByTestId('quantize-panel').getByTestId('granted-folders-button').first().click();
    expect(await page.getByTestId('granted-folders').textContent()).toContain(granted);
    await screenshot(page, 'files-3-granted-folders');
    await page.keyboard.press('Escape');

    const cdp = await page.context().newCDPSession(page);
    // a big upload cancelled half-way leaves the field as it was, with no error
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 2 * 1024 * 1024 });
    const before = await page.getByTestId('quantize-calibration').inputValue();
    await page.getByTestId('quantize-calibration-file-input').setInputFiles(files.bigModel);
    await page.getByTestId('quantize-calibration-progress-cancel').click();
    await page.getByTestId('quantize-calibration-progress').waitFor({ state: 'detached' });
    expect(await page.getByTestId('quantize-calibration').inputValue()).toBe(before);
    expect(await page.getByTestId('quantize-calibration-error').count()).toBe(0);

    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 64 * 1024 });
    const progress = await watchProgress(page, '[data-testid="quantize-calibration-progress"]');
    await page.getByTestId('quantize-calibration-file-input').setInputFiles(files.calib);
    await page.getByTestId('quantize-calibration-progress').waitFor();
    await screenshot(page, 'files-4-calibration-upload-progress');
    await page.getByTestId('quantize-calibration-uploaded').waitFor({ timeout: 60_000 });
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    expect((await progress()).seen).toBe(true);
    expect(await page.getByTestId('quantize-calibration-uploaded').textContent()).toContain('fashion-calib.npy · uploaded');
    await screenshot(page, 'files-5-calibration-uploaded');

    await page.getByTestId('run-quantize').click();
    await page.locator('[data-testid="variant-row"][data-variant-kind="quantized"]').waitFor({ timeout: 150_000 });
    await page.getByTestId('quantize-report').waitFor();
    expect(await page.getByTestId('quantize-report').textContent()).toMatch(/Calibrated on 16 /);

    // the Prune tab's calibration field is the same field
    await page.locator('[data-testid="variant-row"][data-variant-kind="original"]').click();
    await page.getByRole('tab', { name: 'Prune' }).click();
    await page.getByTestId('prune-panel').waitFor();
    await page.getByTestId('prune-calibration-choose-folder').scrollIntoViewIfNeeded();
    expect(await page.getByTestId('prune-calibration-choose-file').textContent()).toBe('Upload file…');
    await screenshot(page, 'files-5b-prune-calibration-field');
  });

  it('uploads a validation folder of class folders on Compare, read as a dataset of 50 images in 10 classes', async () => {
    const { page } = studio;
    await page.locator('[data-place="compare"]').click();
    await page.getByTestId('compare-variants').waitFor();
    const progress = await watchProgress(page, '[data-testid="compare-data-path-progress"]');
    await page.getByTestId('compare-data-path-folder-input').setInputFiles(files.valDir);
    await page.getByTestId('compare-data-path-uploaded').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('compare-data-path-uploaded').textContent()).toContain('val (50 files) · uploaded');
    expect((await progress()).seen).toBe(true);
    await expect.poll(() => page.getByTestId('compare-data-scan').textContent(), { timeout: 20_000 }).toMatch(/50 of 50 items \(image-folder, 10 classes/);
    await screenshot(page, 'files-6-validation-folder-uploaded');
  });

  it('sends a file dropped on a field to that field, and answers a non-model dropped elsewhere with a note', async () => {
    const { page } = studio;
    const drop = async (selector: string, name: string, text: string) =>
      page.evaluate(`(() => {
        const dt = new DataTransfer();
        dt.items.add(new File([${JSON.stringify(text)}], ${JSON.stringify(name)}, { type: 'text/plain' }));
        const target = document.querySelector(${JSON.stringify(selector)});
        for (const type of ['dragenter', 'dragover', 'drop']) target.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: dt }));
      })()`);
    // the class folders' names, one a line: the labels file the folder's classes are read with
    const labels = fs.readdirSync(files.valDir).sort().join('\n');
    await drop('[data-testid="compare-labels-drop"]', 'my-labels.txt', labels);
    await page.getByTestId('compare-labels-uploaded').waitFor();
    expect(await page.getByTestId('compare-labels-uploaded').textContent()).toContain('my-labels.txt · uploaded');
    expect(await page.getByTestId('drop-note').count()).toBe(0);
    expect(await page.getByTestId('open-error').count()).toBe(0);
    await expect.poll(() => page.getByTestId('compare-data-scan').textContent(), { timeout: 20_000 }).toMatch(/50 of 50 items \(image-folder, 10 classes \(my-labels\.txt\)\)/);

    await drop('[data-testid="compare-variants"]', 'notes.txt', 'not a model');
    await page.getByTestId('drop-note').waitFor();
    expect(await page.getByTestId('drop-note').textContent()).toMatch(/notes\.txt is not a model\. Drop data, labels or images on the field that takes them/);
    await screenshot(page, 'files-7-dropped-labels-and-note');
    await page.getByRole('button', { name: 'Toggle theme' }).click();
    await page.locator('body.bp6-dark').waitFor();
    await screenshot(page, 'files-8-compare-data-dark');
  });
});
