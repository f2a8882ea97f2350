/**
 * The model-runner app project on the sample: it type-checks and builds (main, preload, window) here with this
 * repository's node_modules (symlinked: no network), its electron-builder.json passes electron-builder's validation,
 * and electron-builder itself packs it (`--dir`, with a stand-in Electron folder since no Electron binary is
 * installed here; its production dependencies copied from this repository's node_modules, see
 * installProductionDeps) with onnxruntime's and sharp's native files unpacked and only linux-x64 binaries shipped.
 * `--build` without an Electron release says what is missing and writes nothing; a cancelled job leaves nothing.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobEvent } from '../../shared/api/jobs';
import type { PackageResult } from '../../shared/api/package-api';
import { createEngine } from '../../electron/engine/features';
import { runtimeFor } from '../../electron/engine/runtime/engine-runtime';
import { ROOT, SAMPLE } from './fixtures';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-app-'));
const events: JobEvent[] = [];
const engine = createEngine({ dataDir: path.join(tmp, 'data'), samplePath: SAMPLE, appVersion: 'test', onJobEvent: (e) => events.push(e) });
const bin = (name: string) => path.join(ROOT, 'node_modules', '.bin', name);
const require = createRequire(__filename);
const installed = (name: string) => (JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
afterAll(() => {
  runtimeFor(engine).dispose();
  fs.rmSync(tmp, { recursive: true, force: true });
});

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): { status: number | null; out: string } {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env, timeout: 240_000 });
  return { status: r.status, out: `${r.stdout}\n${r.stderr}` };
}

/**
 * Replaces the project's symlinked node_modules with a real one holding its production dependencies, copied from this
 * repository's in npm's layout (what `npm install` gives a user; optional packages of other platforms are not there).
 * electron-builder packs the modules `npm ls` reports, and npm cannot read a symlinked node_modules: it takes each
 * package for a link to a folder outside the project and leaves the link's own dependencies (sharp's @img packages,
 * onnxruntime-common, …) unresolved, so they are not packed. It reads them right only while it trusts the hidden
 * lockfile (node_modules/.package-lock.json), that is while nothing in node_modules is newer than it, which any later
 * write into node_modules (vite's .vite-temp, a .cache folder) ends.
 */
function installProductionDeps(project: string): void {
  const nm = path.join(project, 'node_modules');
  if (fs.lstatSync(nm, { throwIfNoEntry: false })?.isSymbolicLink()) fs.unlinkSync(nm);
  const copied = new Set<string>();
  const find = (from: string, name: string): string | undefined => {
    for (let d = from; ; d = path.dirname(d)) {
      const dir = path.join(d, 'node_modules', name);
      if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
      if (d === ROOT) return undefined;
    }
  };
  const add = (from: string, deps: Record<string, string> | undefined) => {
    for (const name of Object.keys(deps ?? {})) {
      const dir = find(from, name);
      if (!dir || copied.has(dir)) continue;
      copied.add(dir);
      fs.cpSync(dir, path.join(project, path.relative(ROOT, dir)), { recursive: true, filter: (f) => f !== path.join(dir, 'node_modules') });
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> };
      add(dir, { ...pkg.dependencies, ...pkg.optionalDependencies });
    }
  };
  add(ROOT, (JSON.parse(fs.readFileSync(path.join(project, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies);
}

describe('model-runner app project', () => {
  let modelId: string;
  let result: PackageResult;
  const out = path.join(tmp, 'projects', 'fashion-classifier');
  beforeAll(async () => {
    modelId = (await engine.call('openModel', { path: SAMPLE })).modelId;
    result = await engine.call('runPackage', { modelId, format: 'app', outDir: out, name: 'Fashion Classifier', appId: 'com.acme.fashionclassifier', version: '1.2.0', platform: 'linux' });
  });

  it('writes the project with the identity, the model and an icon', async () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(out, 'package.json'), 'utf8'));
    expect(pkg).toMatchObject({ name: 'fashion-classifier', productName: 'Fashion Classifier', version: '1.2.0', main: 'out/main/main.cjs' });
    expect(pkg.dependencies).toEqual({ 'onnxruntime-node': installed('onnxruntime-node'), sharp: installed('sharp') });
    expect(pkg.devDependencies.electron).toBe(installed('electron'));
    expect(pkg.scripts.dist).toBe('node build.mjs && electron-builder --config electron-builder.json --linux');
    const cfg = JSON.parse(fs.readFileSync(path.join(out, 'model', 'runner-config.json'), 'utf8'));
    expect(cfg).toMatchObject({ imageInput: 'input', classifierOutput: 'logits', preprocess: { channels: 'grayscale' } });
    expect(cfg.labels).toHaveLength(10);
    expect(fs.readFileSync(path.join(out, 'model', 'model.onnx')).equals(fs.readFileSync(SAMPLE))).toBe(true);
    const icon = fs.readFileSync(path.join(out, 'build', 'icon.png'));
    expect(icon.subarray(1, 4).toString()).toBe('PNG');
    expect(result.files.map((f) => f.path)).toEqual(expect.arrayContaining(['src/main/main.ts', 'src/preload/preload.ts', 'src/renderer/app.tsx', 'src/core/model-runner-core.cjs', '.npmrc', '.gitignore']));
    const main = fs.readFileSync(path.join(out, 'src/main/main.ts'), 'utf8');
    for (const s of ['contextIsolation: true', 'sandbox: true', 'nodeIntegration: false', 'Content-Security-Policy']) expect(main).toContain(s);
  });

  it('type-checks and builds its main, preload and window here', () => {
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(out, 'node_modules'), 'dir');
    for (const p of ['tsconfig.node.json', 'tsconfig.web.json']) {
      const r = run(bin('tsc'), ['-p', p], out);
      expect(r.status, r.out).toBe(0);
    }
    const b = run(process.execPath, ['build.mjs'], out);
    expect(b.status, b.out).toBe(0);
    for (const f of ['out/main/main.cjs', 'out/preload/preload.cjs', 'out/renderer/index.html']) expect(fs.existsSync(path.join(out, f)), f).toBe(true);
    const html = fs.readFileSync(path.join(out, 'out/renderer/index.html'), 'utf8');
    expect(html).toContain("script-src 'self'");
    expect(html).toMatch(/src="\.\/assets\/index-[\w-]+\.js"/);
  });

  it("passes electron-builder's configuration validation", async () => {
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as { validateConfiguration(c: unknown, l: unknown): Promise<void> };
    const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
    const config = JSON.parse(fs.readFileSync(path.join(out, 'electron-builder.json'), 'utf8'));
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    expect(config).toMatchObject({ appId: 'com.acme.fashionclassifier', productName: 'Fashion Classifier', electronVersion: installed('electron') });
  });

  it('is packed by electron-builder with natives unpacked and only linux-x64 onnxruntime binaries', () => {
    const fake = path.join(tmp, 'stand-in-electron');
    fs.mkdirSync(path.join(fake, 'resources'), { recursive: true });
    fs.writeFileSync(path.join(fake, 'electron'), '#!/bin/sh\n', { mode: 0o755 });
    fs.writeFileSync(path.join(fake, 'version'), installed('electron'));
    fs.writeFileSync(path.join(fake, 'LICENSE'), '');
    fs.writeFileSync(path.join(fake, 'LICENSES.chromium.html'), '');
    installProductionDeps(out);
    const cli = path.join(ROOT, 'node_modules/electron-builder/cli.js');
    const r = run(process.execPath, [cli, '--config', 'electron-builder.json', '--linux', '--dir', '--publish', 'never', `-c.electronDist=${fake}`], out);
    expect(r.status, r.out).toBe(0);
    const res = path.join(out, 'dist', 'linux-unpacked', 'resources');
    expect(fs.existsSync(path.join(out, 'dist', 'linux-unpacked', 'fashion-classifier'))).toBe(true);
    expect(fs.readFileSync(path.join(res, 'model', 'model.onnx')).equals(fs.readFileSync(SAMPLE))).toBe(true);
    const natives: string[] = [];
    const walk = (d: string) => fs.readdirSync(d, { withFileTypes: true }).forEach((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : /\.node$|\.so(\.\d+)*$|\.dylib$|\.dll$/.test(e.name) && natives.push(path.relative(res, path.join(d, e.name)))));
    walk(res);
    expect(natives.sort()).toEqual([
      'app.asar.unpacked/node_modules/@img/sharp-libvips-linux-x64/lib/' + fs.readdirSync(path.join(ROOT, 'node_modules/@img/sharp-libvips-linux-x64/lib')).find((f) => f.startsWith('libvips-cpp')),
      'app.asar.unpacked/node_modules/@img/sharp-linux-x64/lib/' + fs.readdirSync(path.join(ROOT, 'node_modules/@img/sharp-linux-x64/lib')).find((f) => f.endsWith('.node')),
      'app.asar.unpacked/node_modules/onnxruntime-node/bin/napi-v6/linux/x64/libonnxruntime.so.1',
      'app.asar.unpacked/node_modules/onnxruntime-node/bin/napi-v6/linux/x64/onnxruntime_binding.node',
    ]);
    const asar = require('@electron/asar') as { listPackage(p: string, o: { isPack: boolean }): string[] };
    const listed = asar.listPackage(path.join(res, 'app.asar'), { isPack: false });
    expect(listed.filter((f) => !f.startsWith('/node_modules')).sort()).toEqual(
      ['/out', '/out/main', '/out/main/main.cjs', '/out/preload', '/out/preload/preload.cjs', '/out/renderer', '/out/renderer/assets', '/out/renderer/index.html', '/package.json', ...listed.filter((f) => f.startsWith('/out/renderer/assets/'))].sort(),
    );
    expect(listed.some((f) => f.startsWith('/node_modules/react'))).toBe(false);
    expect(listed).toEqual(expect.arrayContaining(['/node_modules/onnxruntime-common/package.json', '/node_modules/@img/colour/package.json', '/node_modules/detect-libc/package.json']));
  });

  it('checks the identity before writing anything', async () => {
    const plan = await engine.call('planPackage', { modelId, format: 'app', outDir: path.join(tmp, 'bad'), name: 'a/b', appId: 'fashion', version: 'v1', iconPath: path.join(path.dirname(SAMPLE), 'images/bag/0.png') });
    expect(plan.ok).toBe(false);
    expect(plan.issues.map((i) => i.field).sort()).toEqual(['appId', 'iconPath', 'name', 'version']);
    expect(plan.issues.find((i) => i.field === 'iconPath')?.message).toContain('is 28×28: it must be at least 256×256');
    await expect(engine.call('runPackage', { modelId, format: 'app', outDir: path.join(tmp, 'bad'), name: 'a/b' })).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
    expect(fs.existsSync(path.join(tmp, 'bad'))).toBe(false);
  });

  it("finds a variant's preprocessing and labels in its original's folder, else reads the config off the input shape", async () => {
    const elsewhere = path.join(tmp, 'variant-dir');
    fs.mkdirSync(elsewhere);
    fs.copyFileSync(SAMPLE, path.join(elsewhere, 'fashion-cnn.int8.onnx'));
    const { modelId: variantId } = await engine.call('openModel', { path: path.join(elsewhere, 'fashion-cnn.int8.onnx') });
    const alone = await engine.call('planPackage', { modelId: variantId, format: 'bundle', outDir: path.join(tmp, 'v1') });
    expect(alone).toMatchObject({ preprocessPath: null, labelsPath: null, labelCount: 0 });
    const withOriginal = await engine.call('planPackage', { modelId: variantId, format: 'bundle', outDir: path.join(tmp, 'v1'), configDir: path.dirname(SAMPLE) });
    expect(withOriginal).toMatchObject({ preprocessPath: path.join(path.dirname(SAMPLE), 'preprocess.json'), labelCount: 10, ok: true });
  });

  it('--build without an Electron release says exactly what is missing and leaves no output folder', async () => {
    const dest = path.join(tmp, 'built', 'app');
    const emptyCache = path.join(tmp, 'empty-electron-cache');
    process.env.ELECTRON_CACHE = emptyCache;
    try {
      const plan = await engine.call('planPackage', { modelId, format: 'app', outDir: dest, build: true, platform: 'linux' });
      expect(plan.build?.ready).toBe(false);
      const electron = plan.build?.requirements.find((r) => r.what.startsWith('Electron'));
      expect(electron).toMatchObject({ found: false });
      const err = (await engine.call('runPackage', { modelId, format: 'app', outDir: dest, build: true, platform: 'linux' }).catch((e: unknown) => e)) as { code: string; message: string };
      expect(err.code).toBe('BUILD_TOOLS_MISSING');
      const v = installed('electron');
      expect(err.message).toContain(`Electron ${v} for linux-x64 (electron-v${v}-linux-x64.zip)`);
      expect(err.message).toContain(`https://github.com/electron/electron/releases/download/v${v}/electron-v${v}-linux-x64.zip`);
      expect(err.message).toContain('--electron-dist DIR');
      expect(err.message).toContain(emptyCache);
      expect(err.message).toContain('nothing was written');
      const wrongDist = await engine.call('planPackage', { modelId, format: 'app', outDir: dest, build: true, platform: 'linux', electronDist: tmp });
      expect(wrongDist.build?.requirements[0].detail).toContain(`holds neither electron-v${v}-linux-x64.zip nor an unpacked Electron`);
      const mac = await engine.call('planPackage', { modelId, format: 'app', outDir: dest, build: true, platform: 'mac' });
      if (process.platform !== 'darwin') expect(mac.build?.requirements.map((r) => r.what)).toContain('macOS to build a dmg');
    } finally {
      delete process.env.ELECTRON_CACHE;
    }
    expect(fs.existsSync(path.join(tmp, 'built'))).toBe(false);
  });

  it('a cancelled job leaves no folder behind', async () => {
    const big = path.join(ROOT, 'test/fixtures/generated/densenet121.onnx');
    const { modelId: bigId } = await engine.call('openModel', { path: big });
    const dest = path.join(tmp, 'cancelled', 'app');
    const jobId = 'cancel-app-1';
    const running = engine.call('runPackage', { modelId: bigId, format: 'app', outDir: dest, jobId });
    running.catch(() => undefined);
    const deadline = Date.now() + 30_000;
    while (!events.some((e) => e.kind === 'progress' && e.jobId === jobId && e.stage === 'copying the model') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    await engine.call('cancelJob', { jobId });
    await expect(running).rejects.toMatchObject({ code: 'JOB_CANCELLED' });
    expect(fs.readdirSync(path.join(tmp, 'cancelled'))).toEqual([]);
  });
});
