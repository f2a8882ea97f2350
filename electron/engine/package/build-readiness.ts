/** Whether this machine can build a model-runner app's installers now, and exactly what is missing otherwise. */
import { execFileSync } from 'node:child_process';
import * as dns from 'node:dns';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BuildReadiness, BuildRequirement } from '../../../shared/api/package-api';
import type { AppPlatform } from '../../../shared/package/app-identity';
import { ORT_PLATFORM_DIRS } from './app-builder-config';
import { electronCacheDirs, electronZipName, electronZipUrl, findElectron, type ElectronBinary, type ElectronPlatform } from './electron-dist';

/** The architecture each platform's installers are built for (see app-builder-config.ts). */
export const BUILD_ARCH: Record<AppPlatform, string> = { win: 'x64', linux: 'x64', mac: 'arm64' };

/** Folder-name prefixes of the tools electron-builder downloads into its cache, per platform. */
const TOOLS: Record<AppPlatform, Array<{ prefix: string; what: string }>> = {
  linux: [
    { prefix: 'appimage', what: 'AppImage tools' },
    ...(process.platform === 'linux' && process.env.USE_SYSTEM_FPM !== 'true' ? [{ prefix: 'fpm', what: 'fpm (for the .deb)' }] : []),
  ],
  win: [{ prefix: 'nsis', what: 'NSIS' }],
  mac: [],
};

/** @returns electron-builder's cache folder (`ELECTRON_BUILDER_CACHE`, else the per-user default). */
export function builderCacheDir(): string {
  const env = process.env.ELECTRON_BUILDER_CACHE?.trim();
  if (env && path.isAbsolute(env)) return env;
  const home = os.homedir();
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Caches', 'electron-builder');
  if (process.platform === 'win32') return path.join(process.env.LOCALAPPDATA || path.join(home, 'AppData', 'Local'), 'electron-builder', 'Cache');
  return path.join(process.env.XDG_CACHE_HOME || path.join(home, '.cache'), 'electron-builder');
}

const probes = new Map<string, { at: number; result: Promise<boolean> }>();

/**
 * @returns true when a host name resolves within the timeout (a cheap "is there a network" probe; answers are
 * reused for 30 s, since the plan is asked for on every edit of the form)
 */
export function resolves(host: string, timeoutMs = 2500): Promise<boolean> {
  const hit = probes.get(host);
  if (hit && Date.now() - hit.at < 30_000) return hit.result;
  const lookup = dns.promises.lookup(host).then(
    () => true,
    () => false,
  );
  const timeout = new Promise<boolean>((r) => setTimeout(() => r(false), timeoutMs).unref());
  const result = Promise.race([lookup, timeout]);
  probes.set(host, { at: Date.now(), result });
  return result;
}

function onPath(cmd: string): string | null {
  try {
    const out = execFileSync(process.platform === 'win32' ? 'where' : 'which', [cmd], { stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 });
    return out.toString().split(/\r?\n/)[0] || null;
  } catch {
    return null;
  }
}

/**
 * Checks everything `--build` needs, without changing anything.
 * @param platform - the platform to build installers for
 * @param electronVersion - the Electron the app is pinned to
 * @param electronDist - a folder or zip the user gave
 * @returns the readiness and the Electron release to use
 */
export async function checkBuildReadiness(platform: AppPlatform, electronVersion: string, electronDist?: string): Promise<BuildReadiness & { electron: ElectronBinary | null }> {
  const req: BuildRequirement[] = [];
  const arch = BUILD_ARCH[platform];
  const ePlatform = ORT_PLATFORM_DIRS[platform] as ElectronPlatform;
  const zip = electronZipName(electronVersion, ePlatform, arch);
  const found = findElectron(electronVersion, ePlatform, arch, electronDist);
  req.push({
    what: `Electron ${electronVersion} for ${ePlatform}-${arch} (${zip})`,
    found: found.binary !== null,
    detail: found.binary
      ? `${found.binary.path}${found.binary.source === 'cache' ? ' (Electron download cache)' : ''}`
      : `${found.problem ? `${found.problem} ` : `Not in ${found.searched.join(' or ')}. `}Download ${electronZipUrl(electronVersion, ePlatform, arch)} ` +
        `(about 100 MiB) on a machine with internet, then pass its folder with --electron-dist DIR (the GUI's "Electron release" field), ` +
        `or copy it into ${electronCacheDirs()[0]} where electron-builder looks.`,
  });
  if (platform === 'mac' && process.platform !== 'darwin') {
    req.push({ what: 'macOS to build a dmg', found: false, detail: 'electron-builder builds dmg images only on macOS: write the project (without --build) and run "npm install && npm run dist" on a Mac.' });
  }
  if (platform === 'win' && process.platform !== 'win32') {
    const wine = onPath('wine') ?? onPath('wine64');
    req.push({
      what: 'Wine, to build Windows installers on this system',
      found: wine !== null,
      detail: wine ?? 'electron-builder runs the NSIS uninstaller under Wine off Windows: install it (Debian/Ubuntu: apt-get install wine), or build on Windows.',
    });
  }
  const npm = onPath(process.platform === 'win32' ? 'npm.cmd' : 'npm');
  req.push({
    what: 'npm, to install the project\'s dependencies',
    found: npm !== null,
    detail: npm ?? 'Install Node.js 20.19 or later (it includes npm) from https://nodejs.org and make sure npm is on PATH.',
  });
  const [registry, github] = await Promise.all([resolves('registry.npmjs.org'), resolves('github.com')]);
  req.push({
    what: 'the npm registry (or npm\'s cache) for onnxruntime-node, sharp, electron-builder, Vite, React and TypeScript',
    found: true,
    detail: registry ? 'registry.npmjs.org is reachable' : 'no network: npm installs from its cache only (npm install --offline); a package missing there stops the build with npm\'s message',
  });
  const cache = builderCacheDir();
  const entries = fs.existsSync(cache) ? fs.readdirSync(cache) : [];
  const missingTools = TOOLS[platform].filter((t) => !entries.some((e) => e.startsWith(t.prefix)));
  if (missingTools.length) {
    const names = missingTools.map((t) => t.what).join(', ');
    req.push({
      what: `electron-builder's packaging tools: ${names}`,
      found: github,
      detail: github
        ? `not in ${cache} yet: electron-builder downloads them from github.com on first use`
        : `not in ${cache}, and github.com is unreachable: build once on a machine with internet and copy ${cache} here, or set ELECTRON_BUILDER_BINARIES_MIRROR to a mirror you can reach.`,
    });
  }
  return { ready: req.every((r) => r.found), platform, electronVersion, requirements: req, electron: found.binary };
}

/** @returns the readiness as the message of a refused build. */
export function missingMessage(r: BuildReadiness): string {
  const missing = r.requirements.filter((q) => !q.found);
  return (
    `The installers cannot be built here; nothing was written. Missing:\n` +
    missing.map((m, i) => `  ${i + 1}. ${m.what}: ${m.detail}`).join('\n') +
    `\nWithout --build the project is written, ready for "npm install && npm run dist" on a machine that has these.`
  );
}
