/** e2e: the Demo place for every task against `serve`, on models the studio trained (scripts/train-task-models.py) and
 * PaddleOCR's recogniser: boxes with a score slider, a mask with opacity, before/after, audio from a file and the
 * (fake) microphone, decoded text, the generic view; side by side with a variant for each; the live (fake) camera. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { taskFile } from '../engine/helpers/task-models';
import { ROOT, screenshot, startStudio, type Studio } from './harness';

const SHOTS = process.env.DEMO_SHOTS_DIR;
const REC = path.join(ROOT, 'test', 'fixtures', 'corpus', 'ppocr-v4-rec.onnx');

async function shot(page: Page, name: string): Promise<void> {
  await page.mouse.move(1400, 880);
  const file = await screenshot(page, name);
  if (SHOTS) fs.copyFileSync(file, path.join(SHOTS, `${name}.png`));
}

/** Makes a graph-optimized variant of the open model named `fileName`, over the page's own API connection. */
async function makeVariant(page: Page, fileName: string): Promise<void> {
  await page.evaluate(async (name) => {
    const ws = new WebSocket(`ws://${(globalThis as unknown as { location: { host: string } }).location.host}/api/ws`);
    await new Promise((r) => (ws.onopen = r));
    let id = 0;
    const call = (method: string, request: unknown) =>
      new Promise<{ ok: boolean; value: unknown; error?: { message: string } }>((resolve) => {
        const mine = ++id;
        ws.addEventListener('message', (m) => {
          const msg = JSON.parse(String(m.data));
          if (msg.type === 'result' && msg.id === mine) resolve(msg);
        });
        ws.send(JSON.stringify({ type: 'call', id: mine, method, params: request }));
      });
    const models = (await call('listModels', {})).value as Array<{ modelId: string; summary: { fileName: string } }>;
    const model = models.find((m) => m.summary.fileName === name);
    const made = await call('runPasses', { modelId: model?.modelId, steps: [{ pass: 'graph-optimize', options: {} }], name: 'optimized copy' });
    if (!made.ok) throw new Error(made.error?.message);
    ws.close();
  }, fileName);
}

describe('Demo place for every task', () => {
  let studio: Studio;
  const base = () => studio.url.replace(/&model=.*$/, '');

  /** Opens a model in the Demo place, makes a variant of it and picks the variant for the side-by-side card. */
  async function openWithVariant(model: string, kind: string): Promise<Page> {
    const { page } = studio;
    await page.goto(`${base()}&model=${encodeURIComponent(model)}&place=demo`);
    await page.locator(`[data-testid="demo-task"][data-kind="${kind}"]`).waitFor({ timeout: 60_000 });
    await makeVariant(page, path.basename(model));
    await page.locator('[data-place="model"]').click();
    await page.locator('[data-place="demo"]').click();
    const select = page.locator('select[data-testid="demo-task-compare-select"]:not([disabled]), [data-testid="demo-task-compare-select"] select:not([disabled])').first();
    await select.waitFor();
    await select.selectOption((await select.locator('option').nth(1).getAttribute('value')) as string);
    return page;
  }

  const ready = (slot: 'a' | 'b', kind: string) => studio.page.locator(`[data-testid="demo-task-result-${slot}"][data-state="ready"][data-kind="${kind}"]`);

  beforeAll(async () => {
    taskFile('shapes-detector.onnx');
    studio = await startStudio({
      serveArgs: ['--model', taskFile('shapes-detector.onnx')],
      browserArgs: ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'],
    });
  });
  afterAll(async () => {
    await studio?.close();
  });

  it('detect: guessed from the model, boxes on the shapes for the model and its variant, the slider refilters', async () => {
    const page = await openWithVariant(taskFile('shapes-detector.onnx'), 'detect');
    expect(await page.getByTestId('demo-task-select').inputValue()).toBe('detect');
    expect(await page.getByTestId('demo-task-origin').textContent()).toMatch(/guessed \(high confidence\)/);
    await page.getByTestId('demo-task-file-input').setInputFiles(taskFile('shapes-test-256.png'));
    for (const slot of ['a', 'b'] as const) {
      await ready(slot, 'detect').waitFor();
      expect(await ready(slot, 'detect').getByTestId('demo-box').count()).toBe(3);
    }
    const labels = await ready('a', 'detect').getByTestId('demo-box').locator('td:first-child').allTextContents();
    expect(labels.sort()).toEqual(['circle', 'circle', 'square']);
    await shot(page, 'demo-task-detect');
    const handle = ready('a', 'detect').locator('[data-testid="demo-threshold-a"] .bp6-slider-handle, .bp6-slider-handle').first();
    await handle.focus();
    for (let i = 0; i < 20; i++) await page.keyboard.press('ArrowRight');
    await expect.poll(() => ready('a', 'detect').getByTestId('demo-box-count-a').textContent()).toBe('0 boxes');
  });

  it('tensor: another task picked, saved for the family and back to the guess', async () => {
    const { page } = studio;
    await page.getByTestId('demo-task-select').selectOption('tensor');
    await page.getByTestId('demo-task-file-input').setInputFiles(taskFile('shapes-test-64.png'));
    await ready('a', 'tensor').waitFor();
    expect(await ready('a', 'tensor').getByTestId('demo-tensor').count()).toBe(1);
    await ready('b', 'tensor').waitFor();
    await shot(page, 'demo-task-tensor');
    await page.getByTestId('demo-task-save').click();
    await expect.poll(() => page.getByTestId('demo-task-origin').textContent()).toBe('saved for this model');
    await page.getByTestId('demo-task-forget').click();
    await expect.poll(() => page.getByTestId('demo-task-origin').textContent()).toMatch(/guessed/);
    expect(await page.getByTestId('demo-task-select').inputValue()).toBe('detect');
  });

  it('segment: the mask over the shapes with an opacity slider, side by side', async () => {
    const page = await openWithVariant(taskFile('shapes-segmenter.onnx'), 'segment');
    await page.getByTestId('demo-task-file-input').setInputFiles(taskFile('shapes-test-256.png'));
    await ready('a', 'segment').waitFor();
    await ready('b', 'segment').waitFor();
    const classes = await ready('a', 'segment').getByTestId('demo-mask-class').locator('td:first-child').allTextContents();
    expect(classes).toEqual(expect.arrayContaining(['background', 'square', 'circle']));
    await shot(page, 'demo-task-segment');
  });

  it('image: before and after with a slider, side by side', async () => {
    const page = await openWithVariant(taskFile('image-invert.onnx'), 'image');
    await page.getByTestId('demo-task-file-input').setInputFiles(taskFile('shapes-test-256.png'));
    await ready('a', 'image').waitFor();
    await ready('b', 'image').waitFor();
    expect(await ready('a', 'image').getByTestId('demo-after-a').getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    await shot(page, 'demo-task-image');
  });

  it('audio: a WAV file resampled, the per-frame timeline with the speech segments; then the microphone', async () => {
    const page = await openWithVariant(taskFile('vad.onnx'), 'audio');
    await page.getByTestId('demo-task-file-input').setInputFiles(taskFile('vad-test.wav'));
    await ready('a', 'audio').waitFor();
    await ready('b', 'audio').waitFor();
    expect(await ready('a', 'audio').getByTestId('demo-audio-segment').count()).toBe(2);
    expect(await ready('a', 'audio').textContent()).toContain('resampled from 22050 Hz to 16000 Hz');
    await shot(page, 'demo-task-audio');
    await page.getByTestId('demo-mic-record').click();
    await page.getByTestId('demo-mic-stop').waitFor();
    await expect.poll(async () => Number(/([\d.]+) s/.exec((await page.getByTestId('demo-mic-stop').textContent()) ?? '')?.[1] ?? 0), { timeout: 10_000 }).toBeGreaterThan(1.5);
    await page.getByTestId('demo-mic-stop').click();
    await page.locator('[data-testid="demo-task-drop"]', { hasText: /recording-.*\.wav/ }).waitFor();
    await ready('a', 'audio').waitFor();
    await shot(page, 'demo-task-microphone');
  });

  it('sequence: PaddleOCR’s recogniser decodes per-step classes as text, side by side', async () => {
    // serve opens models from the folder it was started on: the corpus model is copied beside the task models
    const rec = path.join(path.dirname(taskFile('shapes-detector.onnx')), 'ppocr-v4-rec.onnx');
    if (!fs.existsSync(rec)) fs.copyFileSync(REC, rec);
    const page = await openWithVariant(rec, 'sequence');
    await page.getByTestId('demo-task-file-input').setInputFiles(taskFile('shapes-test-256.png'));
    await ready('a', 'sequence').waitFor({ timeout: 60_000 });
    await ready('b', 'sequence').waitFor({ timeout: 60_000 });
    expect(await ready('a', 'sequence').textContent()).toContain('CTC greedy decoding');
    await shot(page, 'demo-task-sequence');
  });

  it('live camera: frames from the (fake) camera flow through the detector, the frame rate shows', async () => {
    const { page } = studio;
    await page.goto(`${base()}&model=${encodeURIComponent(taskFile('shapes-detector.onnx'))}&place=demo`);
    await page.locator('[data-testid="demo-task"][data-kind="detect"]').waitFor({ timeout: 60_000 });
    const jobsBefore = await page.locator('[data-testid="job-row"]').count();
    await page.getByTestId('demo-camera-toggle').click();
    await expect.poll(async () => Number(/\d+/.exec((await page.getByTestId('demo-camera-frames').textContent()) ?? '0')?.[0] ?? 0), { timeout: 60_000 }).toBeGreaterThanOrEqual(4);
    expect(await page.getByTestId('demo-camera-fps').textContent()).toMatch(/^\d+(\.\d)? frames\/s$/);
    // camera frames are background work: the jobs panel does not fill with them
    expect(await page.locator('[data-testid="job-row"]').count()).toBe(jobsBefore);
    await ready('a', 'detect').waitFor();
    expect(await page.getByTestId('demo-task-drop').textContent()).toMatch(/camera-frame-\d+\.jpg/);
    await shot(page, 'demo-task-camera');
    await page.getByTestId('demo-camera-toggle').click();
    await page.getByTestId('demo-camera-video').waitFor({ state: 'detached' });
  });
});
