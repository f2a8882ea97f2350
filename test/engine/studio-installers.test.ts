/**
 * The studio's own installers (electron-builder.config.cjs, `npm run dist`): electron-builder's validation, the .onnx
 * file association, the resources electron/main expects under process.resourcesPath/assets, and a real
 * `electron-builder --dir` pack (with a stand-in Electron folder: no Electron binary here) that keeps the runtime
 * dependencies, unpacks their native files and ships only linux-x64 onnxruntime binaries.
 */
import { builtinModules, createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from './fixtures';

const require = createRequire(__filename);
const config = require(path.join(ROOT, 'electron-builder.config.cjs')) as Record<string, unknown> & {
  files: string[];
  asarUnpack: string[];
  extraResources: Array<{ from: string; to: string }>;
  fileAssociations: Array<{ ext: string }>;
};
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-studio-dist-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Bare module names the built parts require at run time. */
function runtimeRequires(): string[] {
  const names = new Set<string>();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.cjs')) for (const m of fs.readFileSync(p, 'utf8').matchAll(/require\("([^".][^"]*)"\)/g)) names.add(m[1]);
    }
  };
  walk(path.join(ROOT, 'out'));
  const builtin = new Set([...builtinModules, ...builtinModules.map((b) => `node:${b}`), 'electron']);
  // ws loads these optional accelerators inside try/catch
  return [...names].filter((n) => !builtin.has(n) && !['bufferutil', 'utf-8-validate'].includes(n)).sort();
}

describe("the studio's electron-builder config", () => {
  it("passes electron-builder's validation and associates .onnx files", async () => {
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as { validateConfiguration(c: unknown, l: unknown): Promise<void> };
    const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    expect(config.fileAssociations.map((f) => f.ext)).toEqual(['onnx']);
    expect(config).toMatchObject({ productName: 'Deploy Studio' });
  });

  it('ships under resources/assets what the main process and the engine read there', () => {
    const main = fs.readFileSync(path.join(ROOT, 'electron/main/main.ts'), 'utf8');
    expect(main).toContain("path.join(process.resourcesPath, 'assets', 'samples'");
    const shipped = config.extraResources.map((r) => r.to);
    for (const dir of ['samples', 'profiles', 'templates']) {
      expect(shipped).toContain(`assets/${dir}`);
      expect(fs.existsSync(path.join(ROOT, 'assets', dir)), dir).toBe(true);
    }
  });

  it('packs with electron-builder: runtime dependencies kept, natives unpacked, linux-x64 only', () => {
    expect(fs.existsSync(path.join(ROOT, 'out/main/main.cjs')), 'run `npm run build` first').toBe(true);
    const needed = runtimeRequires();
    expect(needed).toEqual(['onnxruntime-node', 'sharp']);
    const fake = path.join(tmp, 'stand-in-electron');
    fs.mkdirSync(path.join(fake, 'resources'), { recursive: true });
    fs.writeFileSync(path.join(fake, 'electron'), '#!/bin/sh\n', { mode: 0o755 });
    fs.writeFileSync(path.join(fake, 'version'), (JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules/electron/package.json'), 'utf8')) as { version: string }).version);
    const out = path.join(tmp, 'release');
    const r = spawnSync(
      process.execPath,
      [path.join(ROOT, 'node_modules/electron-builder/cli.js'), '--config', 'electron-builder.config.cjs', '--linux', '--dir', '--publish', 'never', `-c.electronDist=${fake}`, `-c.directories.output=${out}`],
      { cwd: ROOT, encoding: 'utf8', timeout: 280_000 },
    );
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
    const res = path.join(out, 'linux-unpacked', 'resources');
    expect(fs.existsSync(path.join(res, 'assets/samples/fashion-mnist/fashion-cnn.onnx'))).toBe(true);
    expect(fs.existsSync(path.join(res, 'assets/templates/runtime-core/model-runner-core.cjs'))).toBe(true);
    const asar = require('@electron/asar') as { listPackage(p: string, o: { isPack: boolean }): string[] };
    const listed = new Set(asar.listPackage(path.join(res, 'app.asar'), { isPack: false }));
    for (const f of ['/out/main/main.cjs', '/out/preload/preload.cjs', '/out/engine/engine-host.cjs', '/out/renderer/index.html', '/package.json']) expect(listed.has(f), f).toBe(true);
    for (const dep of needed) expect(listed.has(`/node_modules/${dep}/package.json`), dep).toBe(true);
    expect(listed.has('/node_modules/echarts/package.json')).toBe(false);
    const ortBin = path.join(res, 'app.asar.unpacked/node_modules/onnxruntime-node/bin/napi-v6');
    expect(fs.readdirSync(ortBin)).toEqual(['linux']);
    expect(fs.readdirSync(path.join(ortBin, 'linux'))).toEqual(['x64']);
    expect(fs.readdirSync(path.join(ortBin, 'linux', 'x64')).sort()).toEqual(['libonnxruntime.so.1', 'onnxruntime_binding.node']);
    expect(fs.readdirSync(path.join(res, 'app.asar.unpacked/node_modules/@img')).sort()).toEqual(expect.arrayContaining(['sharp-libvips-linux-x64', 'sharp-linux-x64']));
  });
});
