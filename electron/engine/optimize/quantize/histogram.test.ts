/** Unit tests of the streaming tensor statistics and the calibration methods. */
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../../shared/random/seeded-random';
import { HISTOGRAM_BINS, TensorStats } from './histogram';
import { tensorRange, type CalibrationMethod } from './range-methods';

/** Box–Muller normal samples (`1 - r()` keeps the logarithm's argument in (0, 1]). */
function gaussian(n: number, seed = 1): Float32Array {
  const r = seededRandom(seed);
  return Float32Array.from({ length: n }, () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r()));
}

describe('tensor statistics', () => {
  it('merges bins exactly when the range grows', () => {
    const a = gaussian(5000, 3).map((v) => v * 0.1);
    const b = gaussian(5000, 4).map((v) => v * 7);
    const streamed = new TensorStats(true);
    streamed.add(a);
    streamed.add(b);
    const once = new TensorStats(true);
    const all = new Float32Array(10000);
    all.set(a);
    all.set(b, 5000);
    once.add(all);
    expect(streamed.range).toBe(once.range);
    expect([...(streamed.bins as Float64Array)]).toEqual([...(once.bins as Float64Array)]);
    expect(streamed.count).toBe(10000);
    expect(streamed.min).toBe(once.min);
  });

  it('leaves NaN and infinities out and counts them', () => {
    const s = new TensorStats(true);
    s.add(Float32Array.from([1, NaN, -2, Infinity, 0]));
    expect(s.nonFinite).toBe(2);
    expect([s.min, s.max, s.count]).toEqual([-2, 1, 3]);
    const sum = (s.bins as Float64Array).reduce((x, y) => x + y, 0);
    expect(sum).toBe(3);
  });

  it('keeps zeros seen before any other value', () => {
    const s = new TensorStats(true);
    s.add(new Float32Array(10));
    s.add(Float32Array.from([1]));
    expect((s.bins as Float64Array)[HISTOGRAM_BINS / 2]).toBe(10);
  });
});

describe('calibration methods', () => {
  const heavy = new TensorStats(true);
  const g = gaussian(200_000, 9);
  g[0] = 40; // one outlier
  heavy.add(g);
  const range = (method: CalibrationMethod, type: 'uint8' | 'int8' = 'int8') => tensorRange(heavy, { method, percentile: 99.99, type, symmetric: false });

  it('min/max is the observed range', () => {
    expect(range('minmax')).toEqual({ lo: heavy.min, hi: 40 });
  });

  it.each(['percentile', 'entropy'] as const)('%s clips the outlier and stays inside the observed range', (m) => {
    const r = range(m);
    expect(r.hi).toBeLessThan(10);
    expect(r.hi).toBeGreaterThan(2.5);
    expect(r.lo).toBeGreaterThanOrEqual(heavy.min);
    expect(r.lo).toBeLessThan(-2.5);
  });

  it('mse keeps a lone outlier (clipping it costs more than the coarser step) but clips a long tail', () => {
    expect(range('mse').hi).toBeGreaterThan(20);
    const r = seededRandom(11);
    const laplace = new TensorStats(true);
    laplace.add(Float32Array.from({ length: 100_000 }, () => (r() < 0.5 ? 1 : -1) * -Math.log(1 - r())));
    const m = tensorRange(laplace, { method: 'mse', percentile: 99.99, type: 'int8', symmetric: false });
    // for 8 bits the optimal clip of a Laplace(1) tensor is near 9.9 (Banner et al., ACIQ)
    expect(m.hi).toBeLessThan(laplace.max);
    expect(m.hi).toBeGreaterThan(7);
    expect(m.lo).toBeGreaterThan(laplace.min);
  });

  it('keeps a non-negative (Relu) tensor at zero on the low side', () => {
    const relu = new TensorStats(true);
    relu.add(gaussian(50_000, 5).map((v) => Math.max(0, v)));
    for (const m of ['minmax', 'percentile', 'entropy', 'mse'] as const) {
      const r = tensorRange(relu, { method: m, percentile: 99.9, type: 'uint8', symmetric: false });
      expect(r.lo).toBe(0);
      expect(r.hi).toBeGreaterThan(2);
    }
  });
});
