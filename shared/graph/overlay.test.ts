import { describe, expect, it } from 'vitest';
import { formatOverlayValue } from './overlay';

describe('formatOverlayValue', () => {
  it('reads counts with SI prefixes and sizes in binary units, never in exponent form', () => {
    expect(formatOverlayValue(147_600, 'FLOPs')).toBe('147.6 K FLOPs');
    expect(formatOverlayValue(1.476e9, 'FLOPs')).toBe('1.48 G FLOPs');
    expect(formatOverlayValue(144, 'params')).toBe('144 params');
    expect(formatOverlayValue(3 * 1024 * 1024, 'bytes')).toBe('3.00 MiB');
  });

  it('gives other units four significant figures', () => {
    expect(formatOverlayValue(0.421337, 'ms')).toBe('0.4213 ms');
    expect(formatOverlayValue(37.5, '%')).toBe('37.5 %');
    expect(formatOverlayValue(23.456, 'dB N/S')).toBe('23.46 dB N/S');
  });
});
