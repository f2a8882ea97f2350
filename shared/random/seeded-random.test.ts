import { describe, expect, it } from 'vitest';
import { seededRandom } from './seeded-random';

describe('seededRandom', () => {
  it('gives the same sequence for a seed on every run and machine (mulberry32 reference values)', () => {
    const take = (seed: number, n: number) => {
      const r = seededRandom(seed);
      return Array.from({ length: n }, () => r());
    };
    expect(take(1, 3)).toEqual([0.6270739405881613, 0.002735721180215478, 0.5274470399599522]);
    expect(take(0, 3)).toEqual([0.26642920868471265, 0.0003297457005828619, 0.2232720274478197]);
    expect(take(7, 3)).toEqual([0.011704753153026104, 0.06195825757458806, 0.97690763277933]);
    expect(take(1234, 3)).toEqual([0.07329497812315822, 0.7034119898453355, 0.9028560190927237]);
    expect(take(42, 1000)[999]).toBe(0.6425111389253289);
  });

  it('draws from [0, 1) and uses only the low 32 bits of the seed', () => {
    const r = seededRandom(99);
    for (let i = 0; i < 10_000; i++) {
      const v = r();
      expect(v >= 0 && v < 1).toBe(true);
    }
    expect(seededRandom(2 ** 32 + 5)()).toBe(seededRandom(5)());
  });
});
