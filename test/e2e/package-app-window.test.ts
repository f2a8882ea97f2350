/**
 * e2e: the window of a generated model-runner app, built here, shown in Chromium with its preload bridge standing in
 * for Electron's: `window.runner` calls the app's own runner core (onnxruntime-node + sharp) in this process, as the
 * app's main process does. A sample image picked with "Choose files…" shows its top classes and latency.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../electron/engine/features';
import { runtimeFor } from '../../electron/engine/runtime/engine-runtime';
import { chromiumPath, ROOT, screenshot } from './harness';

interface CoreRunner {
  info: Record<string, unknown> & { sessionMs: number; onnxruntimeVersion: string };
  runImage(bytes: Uint8Array, k?: number): Promise<unknown>;
  runNpy(bytes: Uint8Array, k?: number): Promise<unknown>;
  release(): Promise<void>;
}

const SAMPLE = path.join(ROOT, 'assets/samples/fashion-mnist/fashion-cnn.onnx');
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };

describe('generated app window', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-app-window-'));
  const project = path.join(tmp, 'fashion-classifier');
  const engine = createEngine({ dataDir: path.join(tmp, 'data'), samplePath: SAMPLE, appVersion: 'test' });
  let server: http.Server;
  let browser: Browser;
  let runner: CoreRunner;

  beforeAll(async () => {
    const { modelId } = await engine.call('openModel', { path: SAMPLE });
    await engine.call('runPackage', { modelId, format: 'app', outDir: project, name: 'Fashion Classifier', appId: 'com.acme.fashionclassifier', version: '1.0.0' });
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(project, 'node_modules'), 'dir');
    const build = spawnSync(process.execPath, ['build.mjs'], { cwd: project, encoding: 'utf8' });
    expect(build.status, build.stderr).toBe(0);
    const core = createRequire(__filename)(path.join(project, 'src/core/model-runner-core.cjs')) as { createRunner(dir: string): Promise<CoreRunner> };
    runner = await core.createRunner(path.join(project, 'model'));
    const root = path.join(project, 'out', 'renderer');
    server = http.createServer((req, res) => {
      const rel = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      const file = path.join(root, rel === '/' ? 'index.html' : rel);
      if (!file.startsWith(root) || !fs.existsSync(file)) return void res.writeHead(404).end();
      res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream' }).end(fs.readFileSync(file));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    browser = await chromium.launch({ executablePath: await chromiumPath(), args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    server?.close();
    await runner?.release();
    runtimeFor(engine).dispose();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('shows the top classes of a picked image', async () => {
    const context = await browser.newContext({ viewport: { width: 1100, height: 760 }, colorScheme: 'dark' });
    const page = await context.newPage();
    await page.exposeFunction('__runnerInfo', () => ({ ok: true, value: { productName: 'Fashion Classifier', version: '1.0.0', ...runner.info } }));
    await page.exposeFunction('__runnerRun', async (kind: string, b64: string) => {
      const bytes = new Uint8Array(Buffer.from(b64, 'base64'));
      try {
        return { ok: true, value: kind === 'npy' ? await runner.runNpy(bytes, 5) : await runner.runImage(bytes, 5) };
      } catch (err) {
        return { ok: false, message: (err as Error).message };
      }
    });
    await page.addInitScript(() => {
      const w = globalThis as unknown as Record<string, (...a: unknown[]) => Promise<unknown>> & { runner?: unknown };
      const toB64 = (u: Uint8Array) => {
        let s = '';
        for (let i = 0; i < u.length; i += 0x8000) s += String.fromCharCode(...u.subarray(i, i + 0x8000));
        return btoa(s);
      };
      w.runner = {
        info: () => w.__runnerInfo(),
        run: (r: { kind: string; bytes: Uint8Array }) => w.__runnerRun(r.kind, toB64(r.bytes)),
      };
    });
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    await page.getByTestId('model-info').waitFor();
    expect(await page.getByTestId('model-info').textContent()).toContain('input float32 [batch, 1, 28, 28]');
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Choose files…' }).click();
    await (await chooser).setFiles([
      path.join(ROOT, 'assets/samples/fashion-mnist/images/ankle-boot/0.png'),
      path.join(ROOT, 'assets/samples/fashion-mnist/images/trouser/3.png'),
      path.join(ROOT, 'assets/samples/fashion-mnist/labels.txt'),
    ]);
    await page.locator('[data-testid="result"] .first', { hasText: 'Trouser' }).waitFor();
    await page.locator('[data-testid="result"] .first', { hasText: 'Ankle boot' }).waitFor();
    await page.locator('[data-testid="result"] .error-text').waitFor();
    expect(await page.locator('[data-testid="result"] .error-text').textContent()).toContain('cannot be read as an image');
    expect(await page.locator('[data-testid="result"]', { hasText: 'Trouser' }).textContent()).toMatch(/\d+\.\d+ ms inference/);
    await screenshot(page, 'package-generated-app-window');
    await context.close();
  });
});
