/**
 * Which data a variant was made with (calibration, recovery, validation), and the overlap of an evaluation's data with
 * it: the same file, the same content, or some of the same items. Pure rules; the engine hashes the files.
 */

/** What a data file or folder held when it was used: its content hash and its items' hashes. */
export interface DataFingerprintDto {
  /** where it was read from (uploads may move: the hashes identify it) */
  path: string;
  kind: 'file' | 'folder';
  /** sha256 of a file's bytes, or of a folder's sorted (name, item hash) list; null when unreadable */
  sha256: string | null;
  /** files in a folder (1 for a file) */
  items: number;
  /** the first 16 hex digits of each item's sha256 (at most {@link MAX_ITEM_HASHES}), sorted */
  itemHashes: string[];
}

/** How a pass used data. */
export type DataRole = 'calibration' | 'recovery' | 'validation';

/** A variant's record of data it was made with, kept in its reports under {@link DATA_USED_KEY}. */
export interface DataUseDto extends DataFingerprintDto {
  role: DataRole;
  /** the pass that read it */
  pass: string;
}

/** The key of a variant's reports holding its {@link DataUseDto} list. */
export const DATA_USED_KEY = 'data-used';
/** Item hashes kept per data set (a bigger folder is matched by its first items and its whole hash). */
export const MAX_ITEM_HASHES = 5000;

/** An evaluation whose data was also used to make a variant. */
export interface DataOverlapDto {
  variant: string;
  role: DataRole;
  pass: string;
  usedPath: string;
  /** the evaluation data is the very same content */
  same: boolean;
  /** evaluation items that were also used (by content) */
  sharedItems: number;
  evalItems: number;
  /** one sentence for the user */
  message: string;
}

/** Accuracy backed by fewer samples than this gets a warning beside it. */
export const FEW_SAMPLES = 100;

/**
 * How much of an evaluation's data a use covered.
 * @returns whether the content is the same, and how many evaluation items share content with the used data
 */
export function overlapOf(evaluation: DataFingerprintDto, use: DataFingerprintDto): { same: boolean; sharedItems: number } {
  const same = evaluation.sha256 !== null && evaluation.sha256 === use.sha256;
  if (same) return { same, sharedItems: evaluation.items };
  const used = new Set(use.itemHashes);
  if (use.sha256) used.add(use.sha256.slice(0, 16));
  let sharedItems = 0;
  for (const h of evaluation.itemHashes) if (used.has(h)) sharedItems++;
  return { same, sharedItems };
}

/**
 * The overlaps of an evaluation's data with the data each variant was made with.
 * @param variants - each compared variant's name and data uses
 * @returns one entry per (variant, use) that shares content with the evaluation data
 */
export function findOverlaps(evaluation: DataFingerprintDto, variants: ReadonlyArray<{ name: string; uses: readonly DataUseDto[] }>): DataOverlapDto[] {
  const out: DataOverlapDto[] = [];
  for (const v of variants) {
    for (const use of v.uses) {
      const { same, sharedItems } = overlapOf(evaluation, use);
      if (!same && sharedItems === 0) continue;
      const what = same ? 'is the very data' : `shares ${sharedItems} of its ${evaluation.items} items with the data`;
      out.push({
        variant: v.name,
        role: use.role,
        pass: use.pass,
        usedPath: use.path,
        same,
        sharedItems,
        evalItems: evaluation.items,
        message: `The evaluation data ${what} ${v.name} was ${use.role === 'calibration' ? 'calibrated' : use.role === 'recovery' ? 'recovered' : 'validated'} on (${use.pass}): its figures are optimistic. Evaluate on held-out data.`,
      });
    }
  }
  return out;
}

/**
 * Wilson score interval of a proportion at 95 % confidence.
 * @param p - the observed proportion, 0..1
 * @param n - the samples behind it
 * @returns the lower and upper bound, or null for no samples
 */
export function wilson95(p: number, n: number): { low: number; high: number } | null {
  if (!(n > 0) || !Number.isFinite(p)) return null;
  const z = 1.959964;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/**
 * An accuracy with what backs it: `92.0 % (n = 500, 95 % CI 89.3–94.1 %)`.
 * @param p - the proportion, or null when not measured
 * @param n - the samples behind it
 */
export function proportionWithCi(p: number | null, n: number): string {
  if (p === null || !Number.isFinite(p)) return '—';
  const ci = wilson95(p, n);
  const head = `${(100 * p).toFixed(1)} % (n = ${n}`;
  return ci ? `${head}, 95 % CI ${(100 * ci.low).toFixed(1)}–${(100 * ci.high).toFixed(1)} %)` : `${head})`;
}

/** @returns a warning when fewer than {@link FEW_SAMPLES} samples back an accuracy, else null. */
export function fewSamplesNote(n: number): string | null {
  if (n >= FEW_SAMPLES) return null;
  return `Only ${n} sample${n === 1 ? '' : 's'} back these accuracy figures: one sample moves them by ${(100 / Math.max(1, n)).toFixed(1)} points. Use at least ${FEW_SAMPLES}.`;
}
