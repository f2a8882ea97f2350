/**
 * e2e: the Package place packages the sample as an app project and as a runtime bundle (downloaded as a zip from
 * the browser), and as a Triton repository; validation shows under the fields; --build readiness is listed.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, screenshot, startStudio, type Studio } from './harness';

describe('Package screen', () => {
  let studio: Studio;
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-e2e-package-'));
  beforeAll(async () => {
    studio = await startStudio({ theme: 'dark' });
  });
  afterAll(async () => {
    await studio?.close();
    fs.rmSync(out, { recursive: true, force: true });
  });

  /** Waits until the plan lists a file (the plan is refreshed shortly after each edit). */
  const planLists = (file: string) => studio.page.locator('[data-testid="package-files"] td', { hasText: file }).first().waitFor();

  it('packages the sample as an app project, with validation on the way', async () => {
    const { page } = studio;
    await page.goto(studio.url);
    await page.getByTestId('summary').waitFor();
    await page.locator('[data-place="package"]').click();
    await page.getByTestId('package-form').waitFor();
    await planLists('src/main/main.ts');

    await page.getByTestId('package-version').fill('v1.2');
    await page.getByText('"v1.2" is not a semantic version').waitFor();
    await page.getByTestId('package-app-id').fill('fashion');
    await page.getByText('"fashion" is not a reverse-DNS app id').waitFor();
    const chooser = page.waitForEvent('filechooser');
    await page.getByTestId('package-icon-choose').click();
    await (await chooser).setFiles(path.join(ROOT, 'assets/samples/fashion-mnist/images/bag/0.png'));
    await page.getByText('The icon is 28×28: it must be at least 256×256 pixels.').waitFor();
    expect(await page.getByTestId('package-run').isDisabled()).toBe(true);
    await screenshot(page, 'package-app-invalid');

    await page.getByRole('button', { name: 'Use the generated icon' }).click();
    await page.getByTestId('package-name').fill('Fashion Classifier');
    await page.getByTestId('package-version').fill('1.2.0');
    await page.getByTestId('package-app-id').fill('com.acme.fashionclassifier');
    const dest = path.join(out, 'fashion-classifier');
    await page.getByTestId('package-out').fill(dest);
    await page.locator('[data-testid="package-dest"]', { hasText: dest }).waitFor();
    await page.locator('[data-testid="package-plan"][data-ok="true"]').waitFor();
    expect(await page.getByTestId('package-inputs').textContent()).toContain('10 classes (labels.txt)');
    await screenshot(page, 'package-app-plan');

    await page.getByTestId('package-run').click();
    await page.getByTestId('package-result').waitFor();
    expect(await page.getByTestId('package-result-path').textContent()).toBe(dest);
    const pkg = JSON.parse(fs.readFileSync(path.join(dest, 'package.json'), 'utf8'));
    expect(pkg).toMatchObject({ productName: 'Fashion Classifier', version: '1.2.0' });
    expect(fs.existsSync(path.join(dest, 'src/renderer/app.tsx'))).toBe(true);
    expect(fs.existsSync(path.join(dest, 'model/model.onnx'))).toBe(true);
    expect(fs.readdirSync(out)).toEqual(['fashion-classifier']);
    await screenshot(page, 'package-app-done');
  });

  it('lists what building the installers here would need', async () => {
    const { page } = studio;
    await page.getByTestId('package-build').click({ force: true });
    const readiness = page.getByTestId('package-build-readiness');
    await readiness.waitFor();
    expect(await readiness.textContent()).toMatch(/Electron \d+\.\d+\.\d+ for linux-x64/);
    await screenshot(page, 'package-app-build-readiness');
    await page.getByTestId('package-build').click({ force: true });
    await readiness.waitFor({ state: 'detached' });
  });

  it('packages the sample as a runtime bundle and offers its zip for download', async () => {
    const { page } = studio;
    await page.getByTestId('package-format').getByText('Runtime bundle').click();
    await planLists('run.js');
    const dest = path.join(out, 'fashion-bundle');
    await page.getByTestId('package-out').fill(dest);
    await page.locator('[data-testid="package-dest"]', { hasText: dest }).waitFor();
    await page.locator('[data-testid="package-plan"][data-ok="true"]').waitFor();
    await page.getByTestId('package-run').click();
    await page.getByTestId('package-result').waitFor();
    const text = await page.getByTestId('package-result').textContent();
    expect(text).toContain(`${dest}.zip`);
    expect(text).toMatch(/Measured here: p50 \d+\.\d+ ms over 30 runs/);
    const href = await page.getByTestId('package-download').getAttribute('href');
    expect(href).toMatch(/^\/api\/download\/[A-Za-z0-9_-]+$/);
    const res = await page.request.get(new URL(href as string, page.url()).href);
    expect(res.status()).toBe(200);
    expect(res.headers()['content-disposition']).toContain('fashion-bundle.zip');
    const body = await res.body();
    expect(body.subarray(0, 2).toString()).toBe('PK');
    expect(body.equals(fs.readFileSync(`${dest}.zip`))).toBe(true);
    const anon = await fetch(new URL(href as string, page.url()).href);
    expect(anon.status).toBe(401);
    expect(fs.readFileSync(path.join(dest, 'README.md'), 'utf8')).toContain('node run.js');
    await screenshot(page, 'package-bundle-done');
  });

  it('writes a Triton repository with the chosen target', async () => {
    const { page } = studio;
    await page.getByTestId('package-format').getByText('Triton repository').click();
    await planLists('config.pbtxt');
    const repo = path.join(out, 'triton');
    await page.getByTestId('package-out').fill(repo);
    await page.getByTestId('package-target').selectOption('datacenter-nvidia-a100');
    await page.locator('[data-testid="package-inputs"]', { hasText: 'KIND_GPU' }).waitFor();
    await page.locator('[data-testid="package-plan"][data-ok="true"]').waitFor();
    await page.getByTestId('package-run').click();
    await page.getByTestId('package-result').waitFor();
    const config = fs.readFileSync(path.join(repo, 'fashion-cnn', 'config.pbtxt'), 'utf8');
    expect(config).toContain('platform: "onnxruntime_onnx"');
    expect(config).toContain('kind: KIND_GPU');
    await screenshot(page, 'package-triton-done');
  });
});
