/** The one rule for files the user names by path: in serve mode, only inside the folders the session may use. */
import * as path from 'node:path';
import { StudioError } from '../../../shared/api/errors';

/** What the rule needs of the engine's settings. */
export interface PathAccessSettings {
  /** when set (serve mode), only paths it accepts may be used; absent in the CLI and the desktop app */
  allowPath?: (absPath: string) => boolean;
  /** the bundled sample model, whose folder is always readable */
  samplePath: string;
}

/** @returns whether `file` is `dir` itself or lies below it. */
export function isInside(dir: string, file: string): boolean {
  const rel = path.relative(dir, file);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * Resolves a path the user gave and checks this session may read it.
 * @param settings - the engine's settings
 * @param p - the path (relative ones resolve against the working folder)
 * @param what - what the file is, for the message ("The dataset", "The labels file")
 * @param extraDirs - folders readable for this request (the models' own folders: files beside a model)
 * @returns the absolute path
 * @throws StudioError `ACCESS_DENIED` naming the path and the two ways to reach it (upload, `serve --allow`)
 */
export function readablePath(settings: PathAccessSettings, p: string, what: string, extraDirs: string[] = []): string {
  const abs = path.resolve(p);
  const allow = settings.allowPath;
  if (!allow) return abs;
  const dirs = [path.dirname(path.resolve(settings.samplePath)), ...extraDirs];
  if (abs === path.resolve(settings.samplePath) || dirs.some((d) => isInside(d, abs)) || allow(abs)) return abs;
  throw new StudioError(
    'ACCESS_DENIED',
    `${what} ${abs} is outside the folders this session may read (its uploads and the folders given with \`serve --allow\`). Upload it, or restart \`deploy-studio serve --allow <its folder>\`.`,
  );
}

/**
 * Checks this session may write a file the user named.
 * @returns the absolute path
 * @throws StudioError `ACCESS_DENIED` for a path outside the session's folders (serve mode)
 */
export function writablePath(settings: PathAccessSettings, p: string, what: string): string {
  const abs = path.resolve(p);
  if (settings.allowPath && !settings.allowPath(abs)) {
    throw new StudioError(
      'ACCESS_DENIED',
      `${what} ${abs} is outside the folders this session may write (the folders given with \`serve --allow\`). Download it instead, or restart \`deploy-studio serve --allow <a folder>\`.`,
    );
  }
  return abs;
}
