/**
 * The generated app's electron-builder config, checked with electron-builder's own code: its schema validation
 * (app-builder-lib `validateConfiguration`), its asarUnpack matcher on every native file of the installed
 * onnxruntime-node, and its node_modules file matcher per platform and architecture.
 */
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_PLATFORMS, type AppPlatform } from '../../../shared/package/app-identity';
import { appBuilderConfig, ASAR_UNPACK, ORT_ARCHES, ORT_PLATFORM_DIRS } from './app-builder-config';

const require = createRequire(__filename);
const ROOT = path.resolve(__dirname, '../../..');
type Filter = (file: string, stat: { isDirectory(): boolean; moduleFullFilePath?: string }) => boolean;
const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as { validateConfiguration(c: unknown, l: unknown): Promise<void> };
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
const { FileMatcher, getNodeModuleFileMatcher } = require('app-builder-lib/out/fileMatcher') as {
  FileMatcher: new (from: string, to: string, expand: (p: string) => string, patterns: string[]) => { createFilter(): Filter };
  getNodeModuleFileMatcher(appDir: string, dest: string, expand: (p: string) => string, platformOptions: unknown, packager: unknown): { createFilter(): Filter };
};
const { expandMacro } = require('app-builder-lib/out/util/macroExpander') as { expandMacro(p: string, arch: string | null, appInfo: unknown, extra: unknown): string };

const config = appBuilderConfig({ appId: 'com.acme.fashionclassifier', productName: 'Fashion Classifier', maintainer: 'Fashion Classifier maintainers <maintainers@acme.com>', electronVersion: '45.4.1' });
const ortDir = path.join(ROOT, 'node_modules', 'onnxruntime-node');

/** Every native file of the installed onnxruntime-node: `.node`, `.so*`, `.dylib`, `.dll`. */
function ortNativeFiles(): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(ortDir, rel), { withFileTypes: true })) {
      const r = path.posix.join(rel, e.name);
      if (e.isDirectory()) walk(r);
      else if (/\.node$|\.so(\.\d+)*$|\.dylib$|\.dll$/.test(e.name)) out.push(`node_modules/onnxruntime-node/${r}`);
    }
  };
  walk('');
  return out.sort();
}

const fileStat = { isDirectory: () => false };

describe('the generated electron-builder config', () => {
  it("passes electron-builder's configuration validation", async () => {
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    await expect(validateConfiguration({ ...config, win: { targett: 'nsis' } }, new DebugLogger(false))).rejects.toThrow(/configuration/i);
  });

  it('targets NSIS + portable, AppImage + deb, dmg', () => {
    const targets = (k: string) => ((config[k] as { target: Array<{ target: string }> }).target).map((t) => t.target);
    expect(targets('win')).toEqual(['nsis', 'portable']);
    expect(targets('linux')).toEqual(['AppImage', 'deb']);
    expect(targets('mac')).toEqual(['dmg']);
  });

  it('unpacks every native file of the installed onnxruntime-node (and sharp) from the asar', () => {
    const natives = ortNativeFiles();
    expect(natives.length).toBeGreaterThanOrEqual(15);
    expect(natives.some((f) => f.endsWith('.dll')) && natives.some((f) => f.endsWith('.dylib')) && natives.some((f) => /\.so\.\d/.test(f))).toBe(true);
    const unpack = new FileMatcher(ROOT, '/dest', (p) => p, ASAR_UNPACK).createFilter();
    const missed = natives.filter((f) => !unpack(path.join(ROOT, f), fileStat));
    expect(missed).toEqual([]);
    expect(unpack(path.join(ROOT, 'node_modules/@img/sharp-linux-x64/lib/sharp-linux-x64-0.35.5.node'), fileStat)).toBe(true);
    expect(unpack(path.join(ROOT, 'out/main/main.cjs'), fileStat)).toBe(false);
  });

  it("ships only the target platform's and architecture's onnxruntime binaries", () => {
    const natives = ortNativeFiles();
    for (const platform of APP_PLATFORMS) {
      for (const arch of ORT_ARCHES[platform as AppPlatform]) {
        const expand = (p: string) => expandMacro(p, arch, { productName: 'X', sanitizedProductName: 'X' }, { os: platform });
        const platformOptions = config[platform] as { files: string[] };
        const matcher = getNodeModuleFileMatcher(ROOT, '/dest', expand, platformOptions, { config, debugLogger: { isEnabled: false } });
        const keep = matcher.createFilter();
        const kept = natives.filter((f) => keep(path.join(ROOT, f), fileStat));
        const own = `/${ORT_PLATFORM_DIRS[platform as AppPlatform]}/${arch}/`;
        expect(kept.length, `${platform} ${arch}`).toBeGreaterThan(0);
        expect(kept.filter((f) => !f.includes(own)), `${platform} ${arch}`).toEqual([]);
        expect(natives.filter((f) => f.includes(own) && !kept.includes(f)), `${platform} ${arch}`).toEqual([]);
        expect(keep(path.join(ROOT, 'node_modules/onnxruntime-node/dist/index.js'), fileStat)).toBe(true);
      }
    }
  });

  it('builds for the architectures onnxruntime-node has binaries for', () => {
    for (const platform of APP_PLATFORMS) {
      const dir = path.join(ortDir, 'bin', 'napi-v6', ORT_PLATFORM_DIRS[platform as AppPlatform]);
      expect(fs.readdirSync(dir).sort()).toEqual([...ORT_ARCHES[platform as AppPlatform]].sort());
      const archs = (config[platform] as { target: Array<{ arch: string[] }> }).target.flatMap((t) => t.arch);
      for (const a of archs) expect(ORT_ARCHES[platform as AppPlatform]).toContain(a);
    }
  });
});
