/** The layered layout: layers follow the topological order, boxes never overlap, long edges bend, it scales. */
import { describe, expect, it } from 'vitest';
import { layeredLayout } from './layout';

function overlapFree(r: ReturnType<typeof layeredLayout>, widths: number[], heights: number[]): boolean {
  const n = widths.length;
  for (let a = 0; a < n; a++) {
    for (let b = a + 1; b < n; b++) {
      if (Math.abs(r.x[a] - r.x[b]) * 2 < widths[a] + widths[b] && Math.abs(r.y[a] - r.y[b]) * 2 < heights[a] + heights[b]) return false;
    }
  }
  return true;
}

describe('layeredLayout', () => {
  it('puts a chain in one straight column, top to bottom', () => {
    const r = layeredLayout({ widths: [80, 60, 100], heights: [30, 30, 30], edges: [0, 1, 1, 2] });
    expect(r.x[0]).toBeCloseTo(r.x[1]);
    expect(r.x[1]).toBeCloseTo(r.x[2]);
    expect(r.y[0]).toBeLessThan(r.y[1]);
    expect(r.y[1]).toBeLessThan(r.y[2]);
  });

  it('places branches side by side without overlaps and centres their join', () => {
    // 0 → 1, 0 → 2, 1 → 3, 2 → 3
    const widths = [80, 80, 80, 80];
    const heights = [30, 30, 30, 30];
    const r = layeredLayout({ widths, heights, edges: [0, 1, 0, 2, 1, 3, 2, 3] });
    expect(r.y[1]).toBeCloseTo(r.y[2]);
    expect(overlapFree(r, widths, heights)).toBe(true);
    expect(r.x[3]).toBeCloseTo((r.x[1] + r.x[2]) / 2);
  });

  it('routes an edge spanning layers through bend points beside the boxes it passes', () => {
    // 0 → 1 → 2 → 3 and a skip 0 → 3
    const r = layeredLayout({ widths: [80, 80, 80, 80], heights: [30, 30, 30, 30], edges: [0, 1, 1, 2, 2, 3, 0, 3] });
    expect(r.bends[0]).toBeNull();
    const bend = r.bends[3] as Float64Array;
    expect(bend).toHaveLength(4);
    // the bend points are not inside box 1 or 2
    expect(Math.abs(bend[0] - r.x[1])).toBeGreaterThan(40);
  });

  it('pulls inputs and weights down to just above their first reader', () => {
    // 0 → 1 → 2 → 3, and source 4 feeds 3 (position order: 4 comes last but must sit above 3)
    const r = layeredLayout({ widths: [50, 50, 50, 50, 50], heights: [20, 20, 20, 20, 20], edges: [0, 1, 1, 2, 2, 3, 3, 4] });
    expect(r.rank[4]).toBe(4);
    const src = layeredLayout({ widths: [50, 50, 50, 50, 50], heights: [20, 20, 20, 20, 20], edges: [0, 1, 1, 2, 2, 4, 3, 4] });
    expect(src.rank[3]).toBe(src.rank[4] - 1);
  });

  it('lays out 50 000 boxes with skip connections without recursion', () => {
    const n = 50_000;
    const widths = new Float64Array(n).fill(70);
    const heights = new Float64Array(n).fill(28);
    const edges = new Int32Array(2 * (n - 1) + 2 * Math.floor(n / 10));
    let k = 0;
    for (let i = 1; i < n; i++) {
      edges[k++] = i - 1;
      edges[k++] = i;
    }
    for (let i = 10; i < n; i += 10) {
      edges[k++] = i - 10;
      edges[k++] = i;
    }
    const r = layeredLayout({ widths, heights, edges: edges.subarray(0, k) });
    expect(r.x.every(Number.isFinite)).toBe(true);
    expect(r.height).toBeGreaterThan(n * 28);
  });
});
