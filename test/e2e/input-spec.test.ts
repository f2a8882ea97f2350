/**
 * e2e: an audio model with an unnamed sample axis and an int64 sample rate: the Model place shows the studio's guesses
 * marked as guesses; the benchmark fails naming them; the user sets the sample count, saves, and the benchmark runs.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeAudioModel } from '../engine/helpers/audio-model';
import { screenshot, startStudio, type Studio } from './harness';

describe('input spec editor', () => {
  let studio: Studio;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-e2e-spec-'));
  const model = path.join(dir, 'vad-chunk.onnx');
  beforeAll(async () => {
    makeAudioModel(model);
    studio = await startStudio({ theme: 'dark', serveArgs: ['--model', model] });
  }, 180_000);
  afterAll(async () => {
    await studio?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('shows guesses, refuses a benchmark on them with the dims named, then runs with the sizes the user set', async () => {
    const { page } = studio;
    await page.goto(studio.url);
    await page.getByTestId('summary').waitFor();
    const card = page.getByTestId('input-spec');
    await card.waitFor();
    await card.getByTestId('input-spec-guessed').waitFor();
    expect(await card.getByTestId('spec-guess').count()).toBeGreaterThanOrEqual(2);
    expect(await card.getByTestId('spec-fill-guess-sr').textContent()).toContain('value 16000');
    await screenshot(page, 'input-spec-guessed');

    await page.locator('[data-place="demo"]').click();
    await page.getByTestId('demo-tab-bench').click();
    await page.getByTestId('bench-panel').waitFor();
    await page.locator('#bench-runs').fill('5');
    await page.getByTestId('run-bench').click();
    const error = page.getByTestId('bench-error');
    await error.waitFor({ timeout: 60_000 });
    expect(await error.textContent()).toContain('--dim audio:1=N');
    await screenshot(page, 'input-spec-bench-refused');

    await page.locator('[data-place="model"]').click();
    await card.waitFor();
    await card.getByTestId('spec-dim-audio:1').fill('512');
    await card.getByTestId('spec-save').click();
    // the sample axis is now set; only the batch size stays a guess
    await expect.poll(async () => card.locator('[data-input="audio"] [data-testid="spec-guess"]').count()).toBe(1);
    await screenshot(page, 'input-spec-saved');

    await page.locator('[data-place="demo"]').click();
    await page.getByTestId('demo-tab-bench').click();
    await page.getByTestId('run-bench').click();
    await page.getByTestId('bench-result').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('bench-p50').textContent()).toMatch(/ms/);
    await screenshot(page, 'input-spec-bench-ok');
  }, 300_000);
});
