/** Finds an Electron release for electron-builder without a download: a given folder or zip, or @electron/get's cache. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Node's platform names, as Electron's release files use them. */
export type ElectronPlatform = 'win32' | 'linux' | 'darwin';

/** An Electron release electron-builder can use as `electronDist`. */
export interface ElectronBinary {
  kind: 'zip' | 'unpacked';
  path: string;
  source: 'option' | 'cache';
}

/** @returns the release file name, e.g. `electron-v45.4.1-linux-x64.zip`. */
export function electronZipName(version: string, platform: ElectronPlatform, arch: string): string {
  return `electron-v${version}-${platform}-${arch}.zip`;
}

/** @returns the URL of the release file on GitHub. */
export function electronZipUrl(version: string, platform: ElectronPlatform, arch: string): string {
  return `https://github.com/electron/electron/releases/download/v${version}/${electronZipName(version, platform, arch)}`;
}

/**
 * The folders @electron/get caches Electron releases in (electron-builder reads the same): `ELECTRON_CACHE`, then the
 * per-user default (`~/.cache/electron`, `~/Library/Caches/electron`, `%LOCALAPPDATA%\electron\Cache`).
 */
export function electronCacheDirs(): string[] {
  const home = os.homedir();
  const dirs: string[] = [];
  if (process.env.ELECTRON_CACHE) dirs.push(process.env.ELECTRON_CACHE);
  if (process.platform === 'darwin') dirs.push(path.join(home, 'Library', 'Caches', 'electron'));
  else if (process.platform === 'win32') dirs.push(path.join(process.env.LOCALAPPDATA || path.join(home, 'AppData', 'Local'), 'electron', 'Cache'));
  else dirs.push(path.join(process.env.XDG_CACHE_HOME || path.join(home, '.cache'), 'electron'));
  return dirs;
}

/** Looks for a file name in a folder and its direct subfolders (@electron/get keeps each URL in a hashed folder). */
function findIn(dir: string, name: string): string | null {
  if (!fs.existsSync(dir)) return null;
  const direct = path.join(dir, name);
  if (fs.existsSync(direct)) return direct;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (!e.isDirectory()) continue;
    const p = path.join(dir, e.name, name);
    if (fs.existsSync(p)) return p;
  }
  return null;
}

/** @returns the executable an unpacked Electron of this platform has. */
function executableOf(platform: ElectronPlatform): string {
  return platform === 'win32' ? 'electron.exe' : platform === 'darwin' ? 'Electron.app' : 'electron';
}

/**
 * Finds the Electron release for a build.
 * @param electronDist - a folder (with the release zip, or an unpacked Electron) or a zip the user gave
 * @returns the release, or null with where it looked and why a given path does not fit
 */
export function findElectron(
  version: string,
  platform: ElectronPlatform,
  arch: string,
  electronDist?: string,
): { binary: ElectronBinary | null; searched: string[]; problem: string | null } {
  const zip = electronZipName(version, platform, arch);
  if (electronDist) {
    const p = path.resolve(electronDist);
    if (!fs.existsSync(p)) return { binary: null, searched: [p], problem: `${p} does not exist.` };
    const stat = fs.statSync(p);
    if (stat.isFile()) {
      if (path.basename(p) !== zip) return { binary: null, searched: [p], problem: `${path.basename(p)} is not ${zip} (the release this app needs).` };
      return { binary: { kind: 'zip', path: p, source: 'option' }, searched: [p], problem: null };
    }
    if (fs.existsSync(path.join(p, zip))) return { binary: { kind: 'zip', path: path.join(p, zip), source: 'option' }, searched: [p], problem: null };
    if (fs.existsSync(path.join(p, executableOf(platform)))) {
      const versionFile = path.join(p, 'version');
      const found = fs.existsSync(versionFile) ? fs.readFileSync(versionFile, 'utf8').trim().replace(/^v/, '') : null;
      if (found && found !== version) return { binary: null, searched: [p], problem: `${p} holds Electron ${found}, but the app is pinned to ${version}.` };
      return { binary: { kind: 'unpacked', path: p, source: 'option' }, searched: [p], problem: null };
    }
    return { binary: null, searched: [p], problem: `${p} holds neither ${zip} nor an unpacked Electron (${executableOf(platform)}).` };
  }
  const dirs = electronCacheDirs();
  for (const d of dirs) {
    const hit = findIn(d, zip);
    if (hit) return { binary: { kind: 'zip', path: hit, source: 'cache' }, searched: dirs, problem: null };
  }
  return { binary: null, searched: dirs, problem: null };
}
