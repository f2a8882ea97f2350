/** Latency statistics of a benchmark and summaries of output tensors (stats, preview, top-k with softmax). */
import type { LatencyStatsDto, TensorStatsDto, TensorSummaryDto, TopClassDto } from '../../../shared/api/runtime-api';
import type { HostTensor } from './backend';
import { countElements, valueAt } from './host-tensor';

/**
 * Percentile by linear interpolation between closest ranks (numpy's default).
 * @param sorted - ascending values
 * @param p - 0..100
 */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
}

/** @returns p50/p90/p99, mean, (population) std, min and max of latencies. */
export function latencyStats(values: readonly number[]): LatencyStatsDto {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  const mean = n ? sorted.reduce((s, v) => s + v, 0) / n : NaN;
  const std = n ? Math.sqrt(sorted.reduce((s, v) => s + (v - mean) ** 2, 0) / n) : NaN;
  return {
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    mean,
    std,
    min: sorted[0] ?? NaN,
    max: sorted[n - 1] ?? NaN,
  };
}

/** @returns numerically stable softmax of `scores`. */
export function softmax(scores: readonly number[]): number[] {
  const max = scores.reduce((m, v) => (v > m ? v : m), -Infinity);
  const exps = scores.map((s) => Math.exp(s - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

/** @returns true when the values already look like probabilities (all in [0, 1], summing to 1 ± 1 %). */
export function looksLikeProbabilities(values: readonly number[]): boolean {
  if (values.some((v) => !(v >= 0 && v <= 1))) return false;
  const sum = values.reduce((a, b) => a + b, 0);
  return Math.abs(sum - 1) < 0.01;
}

/**
 * Top classes of one row of scores.
 * @param scores - the class scores (logits or probabilities)
 * @param k - how many
 * @param labels - class names by index, when known
 */
export function topK(scores: readonly number[], k: number, labels?: readonly string[] | null): { top: TopClassDto[]; softmaxApplied: boolean } {
  const probabilities = looksLikeProbabilities(scores);
  const probs = probabilities ? [...scores] : softmax(scores);
  const order = scores.map((_, i) => i).sort((a, b) => scores[b] - scores[a]);
  const top = order.slice(0, Math.min(k, order.length)).map((index) => ({ index, label: labels?.[index] ?? null, score: scores[index], probability: probs[index] }));
  return { top, softmaxApplied: !probabilities };
}

function tensorStats(t: HostTensor): TensorStatsDto | null {
  if (t.dtype === 'string' || t.dtype === 'bool') return null;
  const n = countElements(t.dims);
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let sumSq = 0;
  let finite = 0;
  let nanCount = 0;
  let infCount = 0;
  for (let i = 0; i < n; i++) {
    const v = valueAt(t, i);
    if (Number.isNaN(v)) nanCount++;
    else if (!Number.isFinite(v)) infCount++;
    else {
      finite++;
      sum += v;
      sumSq += v * v;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  const mean = finite ? sum / finite : NaN;
  return { min: finite ? min : NaN, max: finite ? max : NaN, mean, std: finite ? Math.sqrt(Math.max(0, sumSq / finite - mean * mean)) : NaN, nanCount, infCount };
}

/** @returns true for outputs shaped like class scores: [C] or [N, C] (also [N, C, 1, 1]) with C > 1, numeric. */
export function isClassScores(t: Pick<HostTensor, 'dims' | 'dtype'>): boolean {
  if (t.dtype === 'string' || t.dtype === 'bool') return false;
  const dims = t.dims.filter((d, i) => !(i >= 2 && d === 1));
  if (dims.length === 1) return dims[0] > 1;
  return dims.length === 2 && dims[1] > 1;
}

/**
 * Summarises an output for display and `--json`.
 * @param name - output name
 * @param t - the tensor
 * @param k - top-k size for class-score outputs
 * @param labels - class names, when known
 */
export function summarizeTensor(name: string, t: HostTensor, k: number, labels?: readonly string[] | null): TensorSummaryDto {
  const n = countElements(t.dims);
  const previewCount = Math.min(n, 16);
  const preview: Array<number | string> = [];
  for (let i = 0; i < previewCount; i++) preview.push(Array.isArray(t.data) ? t.data[i] : valueAt(t, i));
  let top: TopClassDto[] | null = null;
  let softmaxApplied = false;
  if (isClassScores(t)) {
    const classes = t.dims.length === 1 ? t.dims[0] : t.dims[1];
    const row = Array.from({ length: classes }, (_, i) => valueAt(t, i));
    ({ top, softmaxApplied } = topK(row, k, labels));
  }
  return { name, dtype: t.dtype, shape: [...t.dims], elementCount: n, stats: tensorStats(t), preview, top, softmaxApplied };
}
