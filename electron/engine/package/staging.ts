/** Output folders written atomically: a hidden staging folder beside the destination, renamed into place at the end. */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { StudioError } from '../../../shared/api/errors';

/** The marker file every package output carries, so a later `overwrite` knows the folder is ours to replace. */
export const MARKER_FILE = '.deploy-studio-package.json';

/** A folder being written; nothing appears at the destination until {@link Staging.commit}. */
export interface Staging {
  /** the hidden folder to write into */
  readonly dir: string;
  /** the final folder */
  readonly dest: string;
  /** a staged sibling file (for example the bundle's zip) that is moved into place with the folder */
  sibling(finalPath: string): string;
  /** moves the folder (and staged siblings) into place, replacing an earlier output when allowed */
  commit(): void;
  /** removes everything staged; safe to call twice or after commit */
  abort(): void;
}

const rand = () => crypto.randomBytes(5).toString('hex');

/** @returns true when `inner` is `outer` or inside it. */
export function isInside(inner: string, outer: string): boolean {
  const rel = path.relative(path.resolve(outer), path.resolve(inner));
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * Checks a destination folder before a package is written there.
 * @param dest - the absolute output folder
 * @param protect - files that must never be inside a replaced folder (the user's model, its data, the labels)
 * @param overwrite - whether an existing output may be replaced
 * @returns whether the folder exists now
 * @throws StudioError `OUTPUT_EXISTS` when it exists and may not be replaced, `ACCESS_DENIED` when replacing it
 * would remove a protected file or a folder that is not an earlier package output
 */
export function checkDestination(dest: string, protect: readonly string[], overwrite: boolean): boolean {
  if (path.parse(dest).root === dest) throw new StudioError('ACCESS_DENIED', `${dest} is a drive root: choose a folder inside it.`);
  for (const p of protect) {
    if (isInside(p, dest)) {
      throw new StudioError('ACCESS_DENIED', `${dest} holds ${path.basename(p)}, one of the inputs: choose an output folder outside the model's folder.`);
    }
  }
  let stat: fs.Stats;
  try {
    stat = fs.statSync(dest);
  } catch {
    return false;
  }
  if (!stat.isDirectory()) throw new StudioError('OUTPUT_EXISTS', `${dest} exists and is a file: choose a folder name that is free.`);
  const entries = fs.readdirSync(dest);
  if (entries.length === 0) return true;
  if (!overwrite) {
    throw new StudioError('OUTPUT_EXISTS', `${dest} already exists: choose another output folder, or replace it ("Replace the earlier output there"; --overwrite on the command line).`);
  }
  if (!entries.includes(MARKER_FILE)) {
    throw new StudioError(
      'ACCESS_DENIED',
      `${dest} is not empty and was not written by Deploy Studio, so it is not replaced: choose an empty or new folder.`,
    );
  }
  return true;
}

/**
 * Starts writing a folder.
 * @param dest - the final folder (its parent is created when missing)
 */
export function startStaging(dest: string): Staging {
  const parent = path.dirname(dest);
  fs.mkdirSync(parent, { recursive: true });
  const base = path.basename(dest);
  const dir = path.join(parent, `.${base}.partial-${rand()}`);
  fs.mkdirSync(dir);
  const siblings = new Map<string, string>();
  let done = false;
  return {
    dir,
    dest,
    sibling(finalPath) {
      const staged = path.join(path.dirname(finalPath), `.${path.basename(finalPath)}.partial-${rand()}`);
      siblings.set(staged, finalPath);
      return staged;
    },
    commit() {
      if (done) return;
      const old = fs.existsSync(dest) ? path.join(parent, `.${base}.old-${rand()}`) : undefined;
      if (old) fs.renameSync(dest, old);
      try {
        fs.renameSync(dir, dest);
      } catch (err) {
        if (old) fs.renameSync(old, dest);
        throw err;
      }
      done = true;
      if (old) fs.rmSync(old, { recursive: true, force: true });
      for (const [staged, final] of siblings) {
        if (fs.existsSync(staged)) fs.renameSync(staged, final);
      }
    },
    abort() {
      if (done) return;
      done = true;
      fs.rmSync(dir, { recursive: true, force: true });
      for (const staged of siblings.keys()) fs.rmSync(staged, { force: true });
    },
  };
}

/**
 * Runs `body` against a staging folder and commits it; on any error or cancellation nothing is left behind.
 * @returns what `body` returned
 */
export async function withStaging<T>(dest: string, body: (staging: Staging) => Promise<T>): Promise<T> {
  const staging = startStaging(dest);
  try {
    const value = await body(staging);
    staging.commit();
    return value;
  } catch (err) {
    staging.abort();
    throw err;
  }
}
