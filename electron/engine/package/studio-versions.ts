/** Dependency versions for generated projects, taken from the studio's own package.json (what it was built and tested with). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { StudioError } from '../../../shared/api/errors';
import { appRoot } from '../host/app-paths';

/** Packages a generated project depends on. */
export const GENERATED_DEPENDENCIES = [
  'onnxruntime-node',
  'sharp',
  'react',
  'react-dom',
  'electron',
  'electron-builder',
  'typescript',
  'esbuild',
  'vite',
  '@vitejs/plugin-react',
  '@types/react',
  '@types/react-dom',
  '@types/node',
] as const;
export type GeneratedDependency = (typeof GENERATED_DEPENDENCIES)[number];

let cached: Record<GeneratedDependency, string> | undefined;

/**
 * The exact version of each dependency: the lowest version the studio's range allows (`^1.30.0` → `1.30.0`), which
 * is the version its lock file installs and its tests ran with.
 * @throws StudioError when the studio's package.json lacks one (an installation problem)
 */
export function studioVersions(root = appRoot()): Record<GeneratedDependency, string> {
  if (cached) return cached;
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
  const all = { ...pkg.devDependencies, ...pkg.dependencies };
  const out = {} as Record<GeneratedDependency, string>;
  for (const name of GENERATED_DEPENDENCIES) {
    const range = all[name];
    const m = range ? /(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)/.exec(range) : null;
    const version = m ? m[1] : range && /^\d+\.\d+$/.test(range.trim()) ? `${range.trim()}.0` : undefined;
    if (!version) throw new StudioError('INTERNAL', `The studio's package.json does not name a version of ${name}; reinstall Deploy Studio.`);
    out[name] = version;
  }
  cached = out;
  return out;
}
