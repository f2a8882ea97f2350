/** Ridge least squares: exact fits, untouched features keep their start, merged accumulators. */
import { describe, expect, it } from 'vitest';
import { NormalEquations } from './lstsq';

describe('NormalEquations', () => {
  it('recovers the weights of an exact linear map', () => {
    const w = [
      [1, -2],
      [0.5, 3],
      [-1, 0.25],
    ];
    const eq = new NormalEquations(3, 2);
    for (let r = 0; r < 50; r++) {
      const a = [Math.sin(r), Math.cos(r * 1.3), 1];
      eq.addRow(a, [0, 1].map((o) => a.reduce((s, v, i) => s + v * w[i][o], 0)));
    }
    const sol = eq.solve(new Float64Array(6), 1e-9);
    for (let i = 0; i < 3; i++) for (let o = 0; o < 2; o++) expect(sol[i * 2 + o]).toBeCloseTo(w[i][o], 5);
    expect(eq.residual(sol)).toBeLessThan(1e-8);
  });

  it('keeps the starting weights of features it has no data for', () => {
    const eq = new NormalEquations(2, 1);
    for (let r = 0; r < 10; r++) eq.addRow([r, 0], [2 * r]);
    const sol = eq.solve(Float64Array.from([0, 7]), 1e-6);
    expect(sol[0]).toBeCloseTo(2, 4);
    expect(sol[1]).toBeCloseTo(7, 6);
  });

  it('merges accumulators as if the rows were added to one', () => {
    const a = new NormalEquations(2, 1);
    const b = new NormalEquations(2, 1);
    const all = new NormalEquations(2, 1);
    for (let r = 0; r < 8; r++) {
      (r % 2 ? a : b).addRow([r, 1], [r * 3 - 1]);
      all.addRow([r, 1], [r * 3 - 1]);
    }
    a.merge(b);
    expect(Array.from(a.gram)).toEqual(Array.from(all.gram));
    expect(a.rows).toBe(8);
  });
});
