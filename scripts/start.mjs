// `npm start`: builds, then opens the studio in Electron; without an Electron binary, serves it to a browser instead.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildNode, buildRenderer } from './build.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const args = process.argv.slice(2);

/** @returns the Electron binary's path when it is installed, else null. */
function electronBinary() {
  try {
    const electronDir = path.dirname(require.resolve('electron/package.json'));
    const pathFile = path.join(electronDir, 'path.txt');
    if (!fs.existsSync(pathFile)) return null;
    const bin = path.join(electronDir, 'dist', fs.readFileSync(pathFile, 'utf8').trim());
    return fs.existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}

/** Runs electron's own install.js once (npm's ignore-scripts skipped it); @returns the binary or null. */
function fetchElectronOnce() {
  let electronDir;
  try {
    electronDir = path.dirname(require.resolve('electron/package.json'));
  } catch {
    return null;
  }
  const marker = path.join(electronDir, '.deploy-studio-install-tried');
  if (fs.existsSync(marker) && !args.includes('--retry-electron')) return null;
  console.log('Electron binary not found; trying to download it once (npm start --retry-electron tries again)…');
  // its output is kept, not shown: a failed download prints a stack trace ("TypeError: fetch failed …") that tells the
  // user nothing the line below does not
  const r = spawnSync(process.execPath, [path.join(electronDir, 'install.js')], { cwd: electronDir, encoding: 'utf8', timeout: 180_000 });
  try {
    fs.writeFileSync(marker, new Date().toISOString());
  } catch {
    // read-only install: we will simply try again next time
  }
  if (r.status === 0) return electronBinary();
  const why = `${r.stderr ?? ''}\n${r.stdout ?? ''}`.match(/(ENOTFOUND|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN|fetch failed|certificate|403|404)[^\n]*/)?.[0];
  console.log(`Electron could not be downloaded${why ? ` (${why.trim().slice(0, 120)})` : r.error ? ` (${r.error.message})` : ''}.`);
  return null;
}

/** A desktop session is needed for a window on Linux. */
function hasDisplay() {
  return process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
}

await buildNode();
buildRenderer();

const forceServe = args.includes('--serve');
const electron = forceServe ? null : (electronBinary() ?? fetchElectronOnce());
if (electron && hasDisplay()) {
  console.log('Starting Deploy Studio (Electron)…');
  const child = spawn(electron, [root, ...args.filter((a) => !a.startsWith('--retry'))], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  if (!forceServe) {
    console.log(
      electron
        ? 'No display for an Electron window here: serving the studio to a browser instead.'
        : 'No Electron binary is available here: serving the studio to a browser instead.',
    );
  }
  const cli = path.join(root, 'out', 'cli', 'cli.cjs');
  const child = spawn(process.execPath, [cli, 'serve', ...args.filter((a) => a !== '--serve' && !a.startsWith('--retry'))], { stdio: 'inherit' });
  const forward = (sig) => child.kill(sig);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  child.on('exit', (code) => process.exit(code ?? 0));
}
