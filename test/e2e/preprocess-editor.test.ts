/**
 * e2e: on an exported torchvision resnet18 the Model place shows the guessed preprocessing marked as a guess; the user
 * picks ImageNet mean/std with ImageNet's resize + crop, previews an image (its crop and per-channel statistics), saves,
 * loads a labels file (the count matches the 1000-class output), and Demo's top-5 shows those labels.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, startStudio, type Studio } from './harness';

const MODEL = path.resolve(__dirname, '..', 'fixtures', 'generated', 'resnet18.onnx');
const SHOTS = process.env.DS_SHOTS_DIR;

async function shot(page: Studio['page'], name: string): Promise<void> {
  const file = await screenshot(page, name);
  if (SHOTS) {
    fs.mkdirSync(SHOTS, { recursive: true });
    fs.copyFileSync(file, path.join(SHOTS, `${name}.png`));
  }
}

describe('preprocessing and labels editor', () => {
  let studio: Studio;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-e2e-prep-'));
  const image = path.join(dir, 'gradient.png');
  const labels = path.join(dir, 'labels.txt');
  beforeAll(async () => {
    const w = 320;
    const h = 240;
    const px = Buffer.alloc(w * h * 3);
    for (let i = 0; i < w * h; i++) {
      const x = i % w;
      const y = Math.floor(i / w);
      px[i * 3] = Math.round((x / w) * 255);
      px[i * 3 + 1] = Math.round((y / h) * 255);
      px[i * 3 + 2] = (x ^ y) & 255;
    }
    fs.writeFileSync(image, await sharp(px, { raw: { width: w, height: h, channels: 3 } }).png().toBuffer());
    fs.writeFileSync(labels, `${Array.from({ length: 1000 }, (_, i) => `category ${i}`).join('\n')}\n`);
    studio = await startStudio({ theme: 'light', serveArgs: ['--model', MODEL] });
  }, 180_000);
  afterAll(async () => {
    await studio?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('sets ImageNet preprocessing and labels in the Model place, previews an image, and Demo shows the labels', async () => {
    const { page } = studio;
    await page.goto(studio.url);
    await page.getByTestId('summary').waitFor({ timeout: 60_000 });
    const card = page.getByTestId('preprocess-card');
    await card.waitFor();
    await card.getByTestId('prep-guess').waitFor();
    expect(await card.getByTestId('prep-origin').textContent()).toBe('a guess');
    await card.scrollIntoViewIfNeeded();
    await shot(page, 'preprocess-guess-light');

    await card.getByTestId('prep-norm').getByText('ImageNet mean/std').click();
    await card.getByTestId('prep-imagenet-geometry').click();
    expect(await card.getByTestId('prep-mean').inputValue()).toBe('0.485, 0.456, 0.406');
    expect(await card.getByTestId('prep-ranges').textContent()).toContain('R ∈ [-2.12, 2.25]');
    await card.getByTestId('prep-file-input').setInputFiles(image);
    const stats = card.getByTestId('prep-preview-stats');
    await stats.waitFor({ timeout: 30_000 });
    await expect.poll(async () => card.getByTestId('prep-preview-shape').textContent()).toContain('224×224 px → tensor [1, 3, 224, 224]');
    // mean/std applied: the red channel of a 0…255 ramp (its middle, after the crop) goes well below 0, as [0, 1] never does
    await expect.poll(async () => Number(await stats.locator('[data-channel="R"] td').nth(1).textContent())).toBeLessThan(-1);
    await card.getByTestId('prep-save').click();
    await expect.poll(async () => card.getByTestId('prep-origin').textContent()).toBe('set in the studio');
    await card.scrollIntoViewIfNeeded();
    await shot(page, 'preprocess-imagenet-light');

    const labelsCard = page.getByTestId('labels-card');
    await labelsCard.getByTestId('labels-file-input').setInputFiles(labels);
    await labelsCard.getByTestId('labels-match').waitFor();
    expect(await labelsCard.getByTestId('labels-count').textContent()).toContain('1,000 labels');
    await labelsCard.scrollIntoViewIfNeeded();
    await shot(page, 'preprocess-labels-light');
    await page.getByRole('button', { name: 'Toggle theme' }).click();
    await page.locator('.bp6-dark').first().waitFor();
    await card.scrollIntoViewIfNeeded();
    await shot(page, 'preprocess-imagenet-dark');

    await page.locator('[data-place="demo"]').click();
    await page.getByTestId('demo-file-input').setInputFiles(image);
    const result = page.getByTestId('demo-result-a');
    await expect.poll(async () => result.getAttribute('data-state'), { timeout: 60_000 }).toBe('ready');
    const rows = result.getByTestId('demo-class');
    expect(await rows.count()).toBe(5);
    for (let i = 0; i < 5; i++) expect(await rows.nth(i).textContent()).toMatch(/category \d+/);
    await shot(page, 'preprocess-demo-labels-dark');
  }, 300_000);
});
