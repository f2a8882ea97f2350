/** Calibration methods: the float range of a tensor from its statistics (min/max, percentile, entropy, MSE). */
import type { TensorStats } from './histogram';
import { computeQParams, qRange, representableRange, type QType } from './qparams';

export const CALIBRATION_METHODS = ['minmax', 'percentile', 'entropy', 'mse'] as const;
export type CalibrationMethod = (typeof CALIBRATION_METHODS)[number];

export interface RangeOptions {
  method: CalibrationMethod;
  /** percentile kept (e.g. 99.999) for the percentile method */
  percentile: number;
  type: QType;
  symmetric: boolean;
}

export interface FloatRange {
  lo: number;
  hi: number;
}

/**
 * The range a tensor is quantized over.
 * @param stats - the tensor's statistics over the calibration data
 * @param o - the method and the quantized type
 * @returns a range that includes 0 and lies within the observed [min, max]
 */
export function tensorRange(stats: TensorStats, o: RangeOptions): FloatRange {
  if (stats.count === 0) return { lo: 0, hi: 0 };
  const observed = { lo: Math.min(0, stats.min), hi: Math.max(0, stats.max) };
  if (o.method === 'minmax' || !stats.bins || stats.range === 0) return observed;
  let r: FloatRange;
  if (o.method === 'percentile') r = percentileRange(stats, o.percentile, o.symmetric);
  else if (o.method === 'entropy') r = entropyRange(stats, o);
  else r = mseRange(stats, o);
  return { lo: Math.max(observed.lo, Math.min(0, r.lo)), hi: Math.min(observed.hi, Math.max(0, r.hi)) };
}

/** @returns the value under which `fraction` of the histogram's mass lies (upper edge of the bin reaching it). */
function quantile(stats: TensorStats, fraction: number): number {
  const bins = stats.bins as Float64Array;
  const target = fraction * stats.count;
  let cum = 0;
  for (let b = 0; b < bins.length; b++) {
    cum += bins[b];
    if (cum >= target) return stats.binCenter(b) + stats.binWidth / 2;
  }
  return stats.max;
}

function percentileRange(stats: TensorStats, percentile: number, symmetric: boolean): FloatRange {
  const p = Math.min(100, Math.max(50, percentile)) / 100;
  if (symmetric || stats.min < 0) {
    if (symmetric) {
      const abs = stats.absHistogram();
      const target = p * stats.count;
      let cum = 0;
      for (let k = 0; k < abs.length; k++) {
        cum += abs[k];
        if (cum >= target) {
          const t = ((k + 1) * stats.range) / abs.length;
          return { lo: -t, hi: t };
        }
      }
      return { lo: stats.min, hi: stats.max };
    }
    const tail = (1 - p) / 2;
    return { lo: quantile(stats, tail), hi: quantile(stats, 1 - tail) };
  }
  return { lo: 0, hi: quantile(stats, p) };
}

/** Candidate thresholds examined at most, per tensor. */
const MAX_CANDIDATES = 512;

/**
 * TensorRT-style entropy calibration: the clipping threshold on |x| whose quantized distribution is closest (KL
 * divergence) to the clipped original.
 */
function entropyRange(stats: TensorStats, o: RangeOptions): FloatRange {
  const hist = stats.absHistogram();
  let last = hist.length - 1;
  while (last > 0 && hist[last] === 0) last--;
  const nonNegative = stats.min >= 0;
  const { qmin, qmax } = qRange(o.type, o.symmetric);
  // levels available on the side the data lives on
  const levels = nonNegative && !o.symmetric ? qmax - qmin : Math.floor((qmax - qmin) / 2);
  const width = stats.range / hist.length;
  if (last + 1 <= levels) return nonNegative ? { lo: 0, hi: stats.max } : { lo: stats.min, hi: stats.max };
  // The bin at zero is left out: zero is exact in every scheme, and the spike of exact zeros a Relu leaves would
  // otherwise dominate the divergence and push the threshold down.
  let total = 0;
  for (let k = 1; k <= last; k++) total += hist[k];
  if (total === 0) return { lo: 0, hi: 0 };
  const step = Math.max(1, Math.floor((last + 1 - levels) / MAX_CANDIDATES));
  let bestI = last + 1;
  let bestKl = Infinity;
  const q = new Float64Array(last + 1);
  for (let i = levels; i <= last + 1; i += step) {
    let outliers = 0;
    for (let k = i; k <= last; k++) outliers += hist[k];
    // Q: bins 1..i-1 merged into `levels` groups, each group's mass spread over its non-empty bins
    for (let j = 0; j < levels; j++) {
      const start = 1 + Math.floor((j * (i - 1)) / levels);
      const end = 1 + Math.floor(((j + 1) * (i - 1)) / levels);
      let sum = 0;
      let nonzero = 0;
      for (let k = start; k < end; k++) {
        sum += hist[k];
        if (hist[k] > 0) nonzero++;
      }
      for (let k = start; k < end; k++) q[k] = hist[k] > 0 ? sum / nonzero : 0;
    }
    let qTotal = 0;
    for (let k = 1; k < i; k++) qTotal += q[k];
    if (qTotal === 0) continue;
    let kl = 0;
    const eps = 1e-10;
    for (let k = 1; k < i; k++) {
      const pk = (hist[k] + (k === i - 1 ? outliers : 0)) / total;
      if (pk <= 0) continue;
      const qk = Math.max(q[k] / qTotal, eps);
      kl += pk * Math.log(pk / qk);
    }
    if (kl < bestKl) {
      bestKl = kl;
      bestI = i;
    }
  }
  const t = bestI * width;
  return nonNegative ? { lo: 0, hi: t } : { lo: -t, hi: t };
}

/** Scales of the observed range tried by the MSE search. */
const MSE_STEPS = 120;

/** The clipping range minimizing the expected squared error of quantize-dequantize over the histogram. */
function mseRange(stats: TensorStats, o: RangeOptions): FloatRange {
  const lo0 = Math.min(0, stats.min);
  const hi0 = Math.max(0, stats.max);
  const error = (lo: number, hi: number) => mseOf(stats, lo, hi, o);
  if (o.symmetric) {
    const abs = Math.max(-lo0, hi0);
    const t = search((f) => error(-abs * f, abs * f));
    return { lo: -abs * t, hi: abs * t };
  }
  // one side at a time: the high end with the low end at its observed value, then the low end
  const fh = search((f) => error(lo0, hi0 * f));
  const fl = lo0 < 0 ? search((f) => error(lo0 * f, hi0 * fh)) : 1;
  return { lo: lo0 * fl, hi: hi0 * fh };
}

/** @returns the factor in (0.05, 1] minimizing `err`. */
function search(err: (f: number) => number): number {
  let best = 1;
  let bestErr = Infinity;
  for (let s = 0; s < MSE_STEPS; s++) {
    const f = 1 - (s / MSE_STEPS) * 0.95;
    const e = err(f);
    if (e < bestErr) {
      bestErr = e;
      best = f;
    }
  }
  return best;
}

/** Expected squared error of quantizing the histogram over [lo, hi]: clipping outside, uniform rounding noise inside. */
function mseOf(stats: TensorStats, lo0: number, hi0: number, o: RangeOptions): number {
  const bins = stats.bins as Float64Array;
  const p = computeQParams(lo0, hi0, o.type, o.symmetric);
  const { lo, hi } = representableRange(p);
  const noise = (p.scale * p.scale) / 12;
  let err = 0;
  for (let b = 0; b < bins.length; b++) {
    const n = bins[b];
    if (n === 0) continue;
    const c = stats.binCenter(b);
    if (c < lo) err += n * (lo - c) * (lo - c);
    else if (c > hi) err += n * (c - hi) * (c - hi);
    else err += n * noise;
  }
  return err;
}
