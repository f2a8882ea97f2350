/** Streaming per-tensor statistics: exact min/max and a histogram whose range grows by exact doublings. */

/** Bins over the histogram's whole range [-R, R] (half of them on each side of zero). */
export const HISTOGRAM_BINS = 4096;

/** The smallest half-range a histogram starts at. */
const MIN_RANGE = 2 ** -24;

/**
 * Statistics of one tensor over every calibration batch, with bounded memory.
 * @remarks The histogram covers [-R, R] with R a power of two. When a batch exceeds R, R doubles and pairs of bins
 * merge: bin edges stay aligned, so the merged histogram is exactly the one a wider range would have built.
 */
export class TensorStats {
  min = Infinity;
  max = -Infinity;
  count = 0;
  /** NaN or infinite values seen (left out of the statistics) */
  nonFinite = 0;
  /** half-range of the histogram (0 until a non-zero value is seen) */
  range = 0;
  readonly bins: Float64Array | undefined;
  private zeros = 0;

  /** @param withHistogram - keep a histogram (percentile, entropy and MSE need one; min/max does not) */
  constructor(withHistogram: boolean) {
    this.bins = withHistogram ? new Float64Array(HISTOGRAM_BINS) : undefined;
  }

  /** Adds a batch of values. */
  add(values: Float32Array): void {
    let lo = Infinity;
    let hi = -Infinity;
    let bad = 0;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
      if (v !== v || v === Infinity || v === -Infinity) bad++;
    }
    if (bad > 0) {
      this.nonFinite += bad;
      lo = Infinity;
      hi = -Infinity;
      for (let i = 0; i < values.length; i++) {
        const v = values[i];
        if (!Number.isFinite(v)) continue;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
    if (lo === Infinity) return;
    this.min = Math.min(this.min, lo);
    this.max = Math.max(this.max, hi);
    this.count += values.length - bad;
    if (!this.bins) return;
    const abs = Math.max(Math.abs(lo), Math.abs(hi));
    if (abs > this.range) this.grow(abs);
    if (this.range === 0) {
      this.zeros += values.length - bad;
      return;
    }
    const bins = this.bins;
    const k = HISTOGRAM_BINS / (2 * this.range);
    const r = this.range;
    const last = HISTOGRAM_BINS - 1;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (!Number.isFinite(v)) continue;
      let b = Math.floor((v + r) * k);
      if (b > last) b = last;
      else if (b < 0) b = 0;
      bins[b]++;
    }
  }

  private grow(abs: number): void {
    const bins = this.bins as Float64Array;
    let target = Math.max(MIN_RANGE, this.range || MIN_RANGE);
    while (target < abs) target *= 2;
    if (this.range === 0) {
      this.range = target;
      if (this.zeros > 0) bins[HISTOGRAM_BINS / 2] += this.zeros;
      this.zeros = 0;
      return;
    }
    const quarter = HISTOGRAM_BINS / 4;
    while (this.range < target) {
      const merged = new Float64Array(HISTOGRAM_BINS);
      for (let j = 0; j < HISTOGRAM_BINS / 2; j++) merged[quarter + j] = bins[2 * j] + bins[2 * j + 1];
      bins.set(merged);
      this.range *= 2;
    }
  }

  /** @returns the histogram folded onto |x|: HISTOGRAM_BINS / 2 bins over [0, range]. */
  absHistogram(): Float64Array {
    const bins = this.bins as Float64Array;
    const half = HISTOGRAM_BINS / 2;
    const out = new Float64Array(half);
    for (let k = 0; k < half; k++) out[k] = bins[half + k] + bins[half - 1 - k];
    return out;
  }

  /** @returns the centre of histogram bin `b`. */
  binCenter(b: number): number {
    return -this.range + ((b + 0.5) * 2 * this.range) / HISTOGRAM_BINS;
  }

  /** @returns the width of one histogram bin. */
  get binWidth(): number {
    return (2 * this.range) / HISTOGRAM_BINS;
  }
}
