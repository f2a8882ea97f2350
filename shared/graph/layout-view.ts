/** Runs the layered layout on a visible graph: the step shared by the renderer's worker and the CLI. */
import { layeredLayout, type LayoutOptions, type LayoutResult } from './layout';
import type { VisibleGraph } from './view-model';

/**
 * @param view - boxes in topological order and their edges
 * @param options - spacing and progress
 * @returns the centre of each box of `view.nodes`
 */
export function layoutVisible(view: VisibleGraph, options: LayoutOptions = {}): LayoutResult {
  const n = view.nodes.length;
  const index = new Map<string, number>();
  const widths = new Float64Array(n);
  const heights = new Float64Array(n);
  view.nodes.forEach((v, i) => {
    index.set(v.id, i);
    widths[i] = v.width;
    heights[i] = v.height;
  });
  const edges = new Int32Array(view.edges.length * 2);
  const which: number[] = [];
  const reversed: boolean[] = [];
  let k = 0;
  view.edges.forEach((e, i) => {
    const s = index.get(e.source);
    const t = index.get(e.target);
    if (s === undefined || t === undefined) return;
    edges[k++] = Math.min(s, t);
    edges[k++] = Math.max(s, t);
    which.push(i);
    reversed.push(s > t);
  });
  const result = layeredLayout({ widths, heights, edges: edges.subarray(0, k) }, options);
  // bends by view edge, in the edge's own direction
  const bends: LayoutResult['bends'] = new Array(view.edges.length).fill(null);
  result.bends.forEach((pts, j) => {
    if (!pts) return;
    if (reversed[j]) {
      const r = new Float64Array(pts.length);
      for (let p = 0; p < pts.length; p += 2) {
        r[pts.length - 2 - p] = pts[p];
        r[pts.length - 1 - p] = pts[p + 1];
      }
      bends[which[j]] = r;
    } else bends[which[j]] = pts;
  });
  return { ...result, bends };
}
