/** Fingerprints of data files and folders, and the record of which data a variant's passes read. */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Recipe } from '../../../shared/recipes/recipe';
import { MAX_ITEM_HASHES, type DataFingerprintDto, type DataRole, type DataUseDto } from '../../../shared/evaluate/data-overlap';
import { contentHash } from '../store/content-hash';

/** Files walked in a folder at most (a bigger folder is fingerprinted by its first files, in name order). */
const MAX_FILES = 20_000;

function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (out.length >= MAX_FILES) return;
      if (e.name.startsWith('.')) continue;
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/**
 * Fingerprints a data file or folder by content.
 * @returns the fingerprint, or null when the path does not exist
 */
export function fingerprintData(p: string): DataFingerprintDto | null {
  const abs = path.resolve(p);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(abs);
  } catch {
    return null;
  }
  if (stat.isFile()) {
    const sha = contentHash(abs);
    return { path: abs, kind: 'file', sha256: sha, items: 1, itemHashes: sha ? [sha.slice(0, 16)] : [] };
  }
  const files = listFiles(abs);
  const whole = crypto.createHash('sha256');
  const items: string[] = [];
  for (const f of files) {
    const sha = contentHash(f);
    if (!sha) continue;
    whole.update(`${path.relative(abs, f)}\0${sha}\n`);
    items.push(sha.slice(0, 16));
  }
  const itemHashes = [...new Set(items)].sort().slice(0, MAX_ITEM_HASHES);
  return { path: abs, kind: 'folder', sha256: files.length ? whole.digest('hex') : null, items: files.length, itemHashes };
}

/** @returns the data paths a step reads, with their role. */
function stepData(step: Recipe['steps'][number]): Array<{ role: DataRole; p: string }> {
  const o = (step.options ?? {}) as Record<string, unknown>;
  const cal = o.calibration;
  const calPath = typeof cal === 'string' ? cal : typeof cal === 'object' && cal !== null ? (cal as { path?: unknown }).path : undefined;
  const out: Array<{ role: DataRole; p: string }> = [];
  if (typeof calPath === 'string' && calPath) out.push({ role: step.pass === 'prune-channels' && o.recover ? 'recovery' : 'calibration', p: calPath });
  if (typeof o.eval === 'string' && o.eval && o.eval !== 'random') out.push({ role: 'validation', p: o.eval });
  return out;
}

/**
 * The data a new variant was made with: what its parent was made with, plus what these steps read.
 * @param steps - the steps of this run
 * @param sourceDir - relative paths in the steps resolve against the source model's folder
 * @param inherited - the parent's record
 */
export function recordDataUse(steps: Recipe['steps'], sourceDir: string, inherited: readonly DataUseDto[] = []): DataUseDto[] {
  const out = [...inherited];
  for (const step of steps) {
    for (const { role, p } of stepData(step)) {
      const fp = fingerprintData(path.resolve(sourceDir, p));
      if (fp) out.push({ ...fp, role, pass: step.pass });
    }
  }
  return out;
}

/** @returns the data uses kept in a variant's reports (an empty list for none or a malformed entry). */
export function dataUsesOf(reports: Record<string, unknown> | undefined, key: string): DataUseDto[] {
  const v = reports?.[key];
  return Array.isArray(v) ? (v.filter((u) => u && typeof u === 'object' && Array.isArray((u as DataUseDto).itemHashes)) as DataUseDto[]) : [];
}
