/** e2e harness: starts `deploy-studio serve` on a free port and drives a headless Chromium with playwright-core. */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const ROOT = path.resolve(__dirname, '..', '..');
export const SHOTS = path.join(ROOT, 'test', 'artifacts', 'screenshots');

/** Finds a Chromium: Debian's package first, then the one @sparticuz/chromium carries. */
export async function chromiumPath(): Promise<string> {
  for (const p of [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome']) {
    if (p && fs.existsSync(p)) return p;
  }
  const sparticuz = (await import('@sparticuz/chromium')).default;
  return sparticuz.executablePath();
}

export interface Studio {
  url: string;
  browser: Browser;
  page: Page;
  server: ChildProcess;
  dataDir: string;
  close(): Promise<void>;
}

/** Starts a server and a browser page on it (the page has not navigated yet). */
export async function startStudio(opts: { theme?: 'light' | 'dark'; serveArgs?: string[]; dataDir?: string; browserArgs?: string[] } = {}): Promise<Studio> {
  // a given data folder outlives the session (a restart of serve); the caller removes it
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'ds-e2e-data-'));
  const server = spawn(process.execPath, [path.join(ROOT, 'out', 'cli', 'cli.cjs'), 'serve', '--no-open', ...(opts.serveArgs ?? [])], {
    env: { ...process.env, DEPLOY_STUDIO_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${out}`)), 30_000);
    server.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /serving on (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    server.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${out}`)));
  });
  const browser = await chromium.launch({
    executablePath: await chromiumPath(),
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage', ...(opts.browserArgs ?? [])],
  });
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme: opts.theme ?? 'dark' });
  const page = await context.newPage();
  return {
    url,
    browser,
    page,
    server,
    dataDir,
    close: async () => {
      await browser.close();
      server.kill('SIGTERM');
      if (!opts.dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Saves a screenshot under test/artifacts/screenshots. */
export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SHOTS, { recursive: true });
  const file = path.join(SHOTS, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}
