/** e2e: `deploy-studio compare --report` writes an HTML report that opens offline in Chromium with its charts drawn. */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPath, ROOT, screenshot } from './harness';

const SAMPLE = path.join(ROOT, 'assets/samples/fashion-mnist/fashion-cnn.onnx');
const IMAGES = path.join(ROOT, 'assets/samples/fashion-mnist/images');
const CLI = path.join(ROOT, 'out/cli/cli.cjs');

describe('HTML report', () => {
  let tmp: string;
  let browser: Browser;
  let report: string;
  let json: { rows: Array<{ name: string; accuracyTop1: number | null; latencyMs: { p50: number } }> };

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-report-'));
    const recipe = path.join(tmp, 'prune.recipe.json');
    fs.writeFileSync(
      recipe,
      JSON.stringify({ kind: 'deploy-studio-recipe', version: 1, steps: [{ pass: 'prune-channels', options: { sparsity: 0.5, calibration: { path: IMAGES, limit: 32 }, recover: true } }] }),
    );
    const pruned = path.join(tmp, 'pruned.onnx');
    execFileSync(process.execPath, [CLI, 'optimize', SAMPLE, '--recipe', recipe, '-o', pruned, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    report = path.join(tmp, 'report.html');
    const out = execFileSync(process.execPath, [CLI, 'compare', SAMPLE, pruned, '--data', IMAGES, '--rounds', '20', '--report', report, '--json'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    json = JSON.parse(out.toString());
    browser = await chromium.launch({ executablePath: await chromiumPath(), args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
  });

  afterAll(async () => {
    await browser?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('prints one JSON row per model with the promised keys', () => {
    expect(json.rows).toHaveLength(2);
    for (const key of ['accuracyTop1', 'accuracyTop5', 'agreementTop1', 'snrDb', 'latencyMs', 'sizeBytes', 'peakRssBytes', 'macs', 'params']) {
      expect(json.rows[0]).toHaveProperty(key);
    }
    expect(json.rows[0].accuracyTop1).toBe(0.92);
  });

  it('opens with every network request blocked and draws its charts', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'light' });
    await context.setOffline(true);
    const requests: string[] = [];
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('file://') && path.resolve(new URL(url).pathname) === report) return route.continue();
      requests.push(url);
      return route.abort();
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`file://${report}`);
    await page.getByTestId('report-table').waitFor();
    expect(requests).toEqual([]);
    expect(errors).toEqual([]);
    expect(await page.locator('script').count()).toBe(0);
    // scatter, latency, size, and a confusion matrix per variant: each an SVG with drawn paths
    const charts = page.locator('figure[data-chart]');
    expect(await charts.count()).toBe(5);
    for (const id of ['scatter', 'latency', 'size', 'confusion']) {
      const svg = page.locator(`figure[data-chart="${id}"] svg`).first();
      expect(await svg.locator('path').count(), id).toBeGreaterThan(5);
      const box = await svg.boundingBox();
      expect(box?.width ?? 0, id).toBeGreaterThan(300);
    }
    expect(await page.locator('table[data-testid="report-table"] tbody tr').count()).toBe(2);
    await page.setViewportSize({ width: 1280, height: 2000 });
    await screenshot(page, 'compare-report-offline');
    await context.close();
  });
});
