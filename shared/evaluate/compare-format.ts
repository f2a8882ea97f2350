/** Formatting of comparison figures and deltas, shared by the Compare screen, the reports and the CLI. */
import type { CompareRowDto } from '../api/evaluate-dto';

/** Whether a change is an improvement, a regression, or neither. */
export type Tone = 'good' | 'bad' | 'neutral';

/** @returns `92.0 %`, or `—` for null. */
export function pct(v: number | null | undefined, digits = 1): string {
  return v === null || v === undefined || Number.isNaN(v) ? '—' : `${(v * 100).toFixed(digits)} %`;
}

/** @returns a latency in ms with sensible precision. */
export function ms(v: number | null | undefined): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  return `${v < 1 ? v.toFixed(3) : v < 10 ? v.toFixed(2) : v.toFixed(1)} ms`;
}

/** @returns an SNR in dB, `exact` when the outputs equal the reference. */
export function snr(row: Pick<CompareRowDto, 'snrDb' | 'isReference' | 'maxAbsError'>): string {
  if (row.isReference) return 'reference';
  if (row.snrDb === null) return row.maxAbsError === 0 ? 'exact' : '—';
  return `${row.snrDb.toFixed(1)} dB`;
}

/** Accuracy changes under this many points of [0, 1] count as noise (one item in a thousand). */
const ACCURACY_EPS = 0.001;
/** Latency and size changes under this ratio count as noise. */
const RATIO_EPS = 0.03;

/** @returns the tone of an accuracy change (lower is bad). */
/** Coefficient of variation above which a timing is marked as noisy (the same threshold on every screen and report). */
export const NOISY_CV = 0.1;

/**
 * Standard deviation / mean of timed runs.
 * @returns 0 for fewer than two runs
 */
export function coefficientOfVariation(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
  return mean > 0 ? sd / mean : 0;
}

/**
 * Why a timing is not to be trusted, or null when it is: too few runs, or runs that varied too much.
 * @param cv - std / mean of the runs
 * @param runs - how many timed runs back it
 */
export function noiseNote(cv: number, runs: number): string | null {
  if (runs < 10) return `only ${runs} run${runs === 1 ? '' : 's'}`;
  if (cv > NOISY_CV) return `runs varied by ${(cv * 100).toFixed(0)} % (std / mean over ${runs} runs)`;
  return null;
}

export function accuracyTone(delta: number | null): Tone {
  if (delta === null || Math.abs(delta) < ACCURACY_EPS) return 'neutral';
  return delta > 0 ? 'good' : 'bad';
}

/** @returns the tone of a ratio against the reference where lower is better (latency, size). */
export function ratioTone(ratio: number): Tone {
  if (!Number.isFinite(ratio) || Math.abs(ratio - 1) < RATIO_EPS) return 'neutral';
  return ratio < 1 ? 'good' : 'bad';
}

/** @returns a signed accuracy change in points, e.g. `−1.2 pt`. */
export function accuracyDelta(delta: number | null): string {
  if (delta === null) return '—';
  const v = delta * 100;
  return `${v > 0 ? '+' : v < 0 ? '−' : '±'}${Math.abs(v).toFixed(1)} pt`;
}

/** @returns a ratio as a change, e.g. `×0.62 (−38 %)`. */
export function ratioDelta(ratio: number): string {
  if (!Number.isFinite(ratio)) return '—';
  const change = (ratio - 1) * 100;
  return `×${ratio.toFixed(2)} (${change > 0 ? '+' : change < 0 ? '−' : '±'}${Math.abs(change).toFixed(0)} %)`;
}

/** Columns of the CSV export, in order. */
export const CSV_COLUMNS = [
  'name',
  'kind',
  'reference',
  'accuracyTop1',
  'accuracyTop5',
  'agreementTop1',
  'snrDb',
  'cosine',
  'maxAbsError',
  'meanAbsError',
  'latencyP50Ms',
  'latencyP90Ms',
  'latencyP99Ms',
  'latencyMeanMs',
  'throughputPerS',
  'sizeBytes',
  'peakRssBytes',
  'params',
  'macs',
  'deltaAccuracyTop1',
  'latencyP50Ratio',
  'sizeRatio',
  'modelPath',
] as const;

function cell(v: unknown): string {
  if (v === null || v === undefined || (typeof v === 'number' && !Number.isFinite(v))) return '';
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** @returns the rows as CSV (RFC 4180, a header line, empty cells for null). */
export function compareCsv(rows: readonly CompareRowDto[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const r of rows) {
    const values = [
      r.name,
      r.kind,
      r.isReference,
      r.accuracyTop1,
      r.accuracyTop5,
      r.agreementTop1,
      r.snrDb,
      r.cosine,
      r.maxAbsError,
      r.meanAbsError,
      r.latencyMs.p50,
      r.latencyMs.p90,
      r.latencyMs.p99,
      r.latencyMs.mean,
      r.throughput,
      r.sizeBytes,
      r.peakRssBytes,
      r.params,
      r.macs,
      r.delta.accuracyTop1,
      r.delta.latencyP50Ratio,
      r.delta.sizeRatio,
      r.modelPath,
    ];
    lines.push(values.map(cell).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}
