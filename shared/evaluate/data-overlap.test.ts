import { describe, expect, it } from 'vitest';
import { fewSamplesNote, findOverlaps, overlapOf, proportionWithCi, wilson95, type DataFingerprintDto, type DataUseDto } from './data-overlap';

const folder = (hashes: string[], sha: string): DataFingerprintDto => ({ path: '/d', kind: 'folder', sha256: sha, items: hashes.length, itemHashes: hashes });
const use = (fp: DataFingerprintDto, role: DataUseDto['role'] = 'calibration'): DataUseDto => ({ ...fp, role, pass: 'quantize-static' });

describe('Wilson 95 % interval', () => {
  it('matches the textbook values', () => {
    // 2 of 2: the interval is wide, 0.342..1
    const two = wilson95(1, 2)!;
    expect(two.low).toBeCloseTo(0.3424, 3);
    expect(two.high).toBe(1);
    // 90 of 100
    const hundred = wilson95(0.9, 100)!;
    expect(hundred.low).toBeCloseTo(0.8256, 3);
    expect(hundred.high).toBeCloseTo(0.9448, 3);
    expect(wilson95(0.5, 0)).toBeNull();
  });
  it('is written beside the figure with its sample count', () => {
    expect(proportionWithCi(1, 2)).toBe('100.0 % (n = 2, 95 % CI 34.2–100.0 %)');
    expect(proportionWithCi(null, 10)).toBe('—');
  });
  it('warns below 100 samples only', () => {
    expect(fewSamplesNote(2)).toMatch(/Only 2 samples/);
    expect(fewSamplesNote(100)).toBeNull();
  });
});

describe('overlap of evaluation data with the data a variant was made with', () => {
  it('sees the same content under another path', () => {
    const cal = folder(['a', 'b', 'c'], 'X');
    expect(overlapOf({ ...cal, path: '/elsewhere' }, cal)).toEqual({ same: true, sharedItems: 3 });
  });
  it('counts shared items of different folders, and none for disjoint ones', () => {
    expect(overlapOf(folder(['a', 'd'], 'Y'), folder(['a', 'b', 'c'], 'X'))).toEqual({ same: false, sharedItems: 1 });
    expect(overlapOf(folder(['d', 'e'], 'Y'), folder(['a', 'b'], 'X'))).toEqual({ same: false, sharedItems: 0 });
  });
  it('matches a single file used whole against a folder holding it', () => {
    const file: DataFingerprintDto = { path: '/c.npy', kind: 'file', sha256: 'abcdef0123456789ffff', items: 1, itemHashes: ['abcdef0123456789'] };
    expect(overlapOf(folder(['abcdef0123456789', 'z'], 'Q'), file).sharedItems).toBe(1);
  });
  it('names the variant, the role and what to do', () => {
    const cal = folder(['a', 'b'], 'X');
    const found = findOverlaps(cal, [
      { name: 'int8', uses: [use(cal)] },
      { name: 'pruned', uses: [use(folder(['q'], 'Z'), 'recovery')] },
    ]);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ variant: 'int8', same: true, role: 'calibration' });
    expect(found[0].message).toMatch(/int8 was calibrated on .* optimistic/);
  });
});
