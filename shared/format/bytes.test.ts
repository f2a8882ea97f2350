import { describe, expect, it } from 'vitest';
import { formatBytes, GIB, KIB, MIB } from './bytes';

describe('formatBytes', () => {
  it('counts in binary units with their IEC names', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(KIB)).toBe('1.00 KiB');
    expect(formatBytes(1536)).toBe('1.50 KiB');
    expect(formatBytes(44.7 * MIB)).toBe('44.7 MiB');
    expect(formatBytes(123.4 * MIB)).toBe('123 MiB');
    expect(formatBytes(2 * GIB)).toBe('2.00 GiB');
    expect(formatBytes(3 * 1024 * GIB)).toBe('3.00 TiB');
  });

  it('is 1024-based: a million bytes is less than one MiB', () => {
    expect(formatBytes(1e6)).toBe('977 KiB');
    expect(formatBytes(1e9)).toBe('954 MiB');
  });

  it('moves to the next unit when rounding reaches 1024', () => {
    expect(formatBytes(1023.6)).toBe('1.00 KiB');
    expect(formatBytes(MIB - 1)).toBe('1.00 MiB');
  });

  it('keeps the sign of a decrease and marks missing values', () => {
    expect(formatBytes(-2048)).toBe('-2.00 KiB');
    expect(formatBytes(null)).toBe('—');
    expect(formatBytes(undefined)).toBe('—');
    expect(formatBytes(Number.NaN)).toBe('—');
  });
});
