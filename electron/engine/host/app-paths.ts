/** Where the studio's own files are: the package root, the bundled sample, the built parts, the data folder. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * Finds the folder holding the studio's package.json and assets, walking up from `start`.
 * @param start - a folder inside the installed studio (defaults to this file's folder)
 */
export function appRoot(start: string = __dirname): string {
  let dir = start;
  for (let i = 0; i < 8; i++) {
    if (fs.existsSync(path.join(dir, 'assets', 'samples')) && fs.existsSync(path.join(dir, 'package.json'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return process.cwd();
}

/** @returns the bundled sample model's path. */
export function samplePath(root = appRoot()): string {
  return path.join(root, 'assets', 'samples', 'fashion-mnist', 'fashion-cnn.onnx');
}

/** @returns the folder with the built parts (`out/`). */
export function outDir(root = appRoot()): string {
  return path.join(root, 'out');
}

/**
 * The per-user data folder (recent files, settings, user profiles).
 * @remarks `DEPLOY_STUDIO_DATA_DIR` overrides it (tests use a temp folder).
 */
export function userDataDir(): string {
  const override = process.env.DEPLOY_STUDIO_DATA_DIR;
  if (override) return override;
  const home = os.homedir();
  if (process.platform === 'win32') return path.join(process.env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Deploy Studio');
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Deploy Studio');
  return path.join(process.env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'deploy-studio');
}

/** @returns the studio's version from package.json. */
export function appVersion(root = appRoot()): string {
  try {
    return (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}
