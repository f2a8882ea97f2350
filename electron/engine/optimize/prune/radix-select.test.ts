/** The radix k-th magnitude against a sort. */
import { describe, expect, it } from 'vitest';
import { kthSmallestMagnitudeBits, magnitudeBits } from './radix-select';

describe('kthSmallestMagnitudeBits', () => {
  it('finds the k-th smallest |value| across arrays, as sorting does', () => {
    const a = Float32Array.from({ length: 1000 }, (_, i) => Math.sin(i * 7.1) * (i % 13));
    const b = Float32Array.from({ length: 333 }, (_, i) => -Math.cos(i) * 1e-3);
    const sorted = [...a, ...b].map(Math.abs).sort((x, y) => x - y);
    for (const k of [1, 2, 100, 500, 1333]) {
      expect(kthSmallestMagnitudeBits([a, b], k)).toBe(magnitudeBits(sorted[k - 1]));
    }
  });

  it('counts zeros and negative zeros as the smallest', () => {
    expect(kthSmallestMagnitudeBits([Float32Array.from([-0, 0, 3, -2])], 2)).toBe(magnitudeBits(0));
  });
});
