/** Converts a laid-out graph into cytoscape elements (preset positions; long edges bend through their layout points). */
import type { ElementDefinition } from 'cytoscape';
import { CATEGORY_COLORS } from '../../../shared/graph/op-category';
import type { LaidOutGraph, PlacedNode } from './layout-protocol';

/** @returns the fill colour of a box by its category. */
export function boxColor(v: Pick<PlacedNode, 'category'>): string {
  if (v.category === 'group') return '#5f6b7c';
  if (v.category === 'weight') return '#7a6a3a';
  return CATEGORY_COLORS[v.category];
}

/**
 * Segment distances and weights (cytoscape's `segments` edges) for points relative to the line between two centres.
 * @returns null for a degenerate line
 */
export function segmentsFor(sx: number, sy: number, tx: number, ty: number, pts: number[]): { sd: number[]; sw: number[] } | null {
  const dx = tx - sx;
  const dy = ty - sy;
  const len2 = dx * dx + dy * dy;
  if (len2 < 1) return null;
  const len = Math.sqrt(len2);
  const sd: number[] = [];
  const sw: number[] = [];
  for (let i = 0; i < pts.length; i += 2) {
    const px = pts[i] - sx;
    const py = pts[i + 1] - sy;
    sw.push(Math.round(((px * dx + py * dy) / len2) * 1000) / 1000);
    // cytoscape measures distances to the left of the source→target direction
    sd.push(Math.round(((py * dx - px * dy) / len) * 10) / 10);
  }
  return { sd, sw };
}

/** @returns the elements of a laid-out graph. */
export function toElements(laid: LaidOutGraph): ElementDefinition[] {
  const els: ElementDefinition[] = [];
  const pos = new Map<string, PlacedNode>();
  for (const v of laid.nodes) {
    pos.set(v.id, v);
    els.push({
      group: 'nodes',
      data: { id: v.id, label: v.label, w: v.width, h: v.height, color: boxColor(v), m: v.members },
      position: { x: v.x, y: v.y },
      classes: v.kind,
    });
  }
  for (const e of laid.edges) {
    const data: Record<string, unknown> = { id: e.id, source: e.source, target: e.target, label: e.label };
    const classes: string[] = [];
    if (e.implicit) classes.push('implicit');
    if (e.count > 1) classes.push('merged');
    if (e.bend) {
      const s = pos.get(e.source);
      const t = pos.get(e.target);
      const seg = s && t ? segmentsFor(s.x, s.y, t.x, t.y, e.bend) : null;
      if (seg) {
        data.sd = seg.sd;
        data.sw = seg.sw;
        classes.push('bent');
      }
    }
    els.push({ group: 'edges', data, classes: classes.join(' ') });
  }
  return els;
}
