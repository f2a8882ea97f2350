/** The data files a recipe's steps read (calibration, validation), checked by the session's one path rule before a run. */
import * as path from 'node:path';
import type { Recipe } from '../../../shared/recipes/recipe';
import { readablePath, type PathAccessSettings } from '../store/path-access';

/**
 * Checks every data path of `steps` is readable by this session (serve mode: its uploads and `--allow` folders).
 * @param sourceDir - the model's folder: relative paths resolve against it, and files inside it are readable
 * @throws StudioError `ACCESS_DENIED` for the first path outside the session's folders
 */
export function checkStepDataPaths(settings: PathAccessSettings, steps: Recipe['steps'], sourceDir: string): void {
  for (const step of steps) {
    const options = step.options as Record<string, unknown>;
    const calibration = options.calibration;
    const calibrationPath = typeof calibration === 'string' ? calibration : typeof calibration === 'object' && calibration !== null ? (calibration as { path?: unknown }).path : undefined;
    if (typeof calibrationPath === 'string') readablePath(settings, path.resolve(sourceDir, calibrationPath), 'The calibration data', [sourceDir]);
    if (typeof options.eval === 'string' && options.eval !== 'random') readablePath(settings, path.resolve(sourceDir, options.eval), 'The validation data', [sourceDir]);
  }
}
