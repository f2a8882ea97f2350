import { describe, expect, it } from 'vitest';
import { formatCount, formatOps } from './count';

describe('formatCount', () => {
  it('uses SI prefixes of 1000, never an exponent', () => {
    expect(formatCount(950)).toBe('950');
    expect(formatCount(147_600)).toBe('147.6 K');
    expect(formatCount(11_689_512)).toBe('11.69 M');
    expect(formatCount(1.476e9)).toBe('1.48 G');
    expect(formatCount(2.5e12)).toBe('2.50 T');
  });

  it('writes what is counted after the prefix', () => {
    expect(formatCount(144, 'params')).toBe('144 params');
    expect(formatCount(147_600, 'FLOPs')).toBe('147.6 K FLOPs');
    expect(formatCount(1.476e9, 'FLOPs')).toBe('1.48 G FLOPs');
  });

  it('moves to the next prefix when rounding reaches 1000', () => {
    expect(formatCount(999_960)).toBe('1.00 M');
    expect(formatCount(999.7)).toBe('1.0 K');
  });

  it('keeps the sign, rounds fractions below 1000 and marks missing values', () => {
    expect(formatCount(-2500)).toBe('-2.5 K');
    expect(formatCount(12.34567)).toBe('12.35');
    expect(formatCount(null)).toBe('—');
    expect(formatCount(Number.POSITIVE_INFINITY)).toBe('—');
  });
});

describe('formatOps', () => {
  it('prints peak compute in G or T per second', () => {
    expect(formatOps(50)).toBe('50.0 GOPS');
    expect(formatOps(973, 'FLOPS')).toBe('973 GFLOPS');
    expect(formatOps(2750)).toBe('2.8 TOPS');
    expect(formatOps(85_000)).toBe('85 TOPS');
    expect(formatOps(undefined)).toBe('—');
  });
});
