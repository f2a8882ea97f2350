/** The first view of a laid-out graph and the order its elements are handed to cytoscape: what is seen first, first. */
import type { ElementDefinition } from 'cytoscape';
import { toElements } from './elements';
import type { LaidOutGraph } from './layout-protocol';

export interface Viewport {
  zoom: number;
  pan: { x: number; y: number };
}

const PAD = 30;

function bounds(laid: LaidOutGraph): { x1: number; y1: number; x2: number; y2: number } {
  let x1 = Infinity;
  let y1 = Infinity;
  let x2 = -Infinity;
  let y2 = -Infinity;
  for (const v of laid.nodes) {
    x1 = Math.min(x1, v.x - v.width / 2);
    y1 = Math.min(y1, v.y - v.height / 2);
    x2 = Math.max(x2, v.x + v.width / 2);
    y2 = Math.max(y2, v.y + v.height / 2);
  }
  return laid.nodes.length ? { x1, y1, x2, y2 } : { x1: 0, y1: 0, x2: 1, y2: 1 };
}

/** @returns the zoom and pan that fit the whole graph. */
export function fitViewport(laid: LaidOutGraph, width: number, height: number): Viewport {
  const b = bounds(laid);
  const zoom = Math.min(4, Math.max(0.01, Math.min((width - 2 * PAD) / Math.max(1, b.x2 - b.x1), (height - 2 * PAD) / Math.max(1, b.y2 - b.y1))));
  return { zoom, pan: { x: width / 2 - ((b.x1 + b.x2) / 2) * zoom, y: height / 2 - ((b.y1 + b.y2) / 2) * zoom } };
}

/** @returns the first view: the whole graph when it fits readably, else its top at a readable zoom (like Netron). */
export function initialViewport(laid: LaidOutGraph, width: number, height: number): Viewport {
  const fit = fitViewport(laid, width, height);
  if (fit.zoom >= 0.8) return { zoom: Math.min(fit.zoom, 1.5), pan: fitViewport(laid, width, height).pan };
  const b = bounds(laid);
  const zoom = Math.max(fit.zoom, Math.min(1, (width - 2 * PAD) / Math.max(1, b.x2 - b.x1)));
  return { zoom, pan: { x: width / 2 - ((b.x1 + b.x2) / 2) * zoom, y: PAD - b.y1 * zoom } };
}

/** Elements per batch after the first view. */
const BATCH = 60;

/**
 * Splits the elements: those near the first view (created with cytoscape, so the first paint is quick), then batches
 * ordered by distance from it. An edge goes in the batch where its second end arrives.
 */
export function planBatches(laid: LaidOutGraph, view: Viewport, width: number, height: number): { first: ElementDefinition[]; rest: ElementDefinition[][] } {
  const els = toElements(laid);
  const nodes = els.filter((e) => e.group === 'nodes');
  const edges = els.filter((e) => e.group === 'edges');
  if (els.length <= 400) return { first: els, rest: [] };
  // the visible area in model coordinates, grown by half a screen each way
  const x1 = (-view.pan.x - width / 2) / view.zoom;
  const x2 = (-view.pan.x + width * 1.5) / view.zoom;
  const y1 = (-view.pan.y - height / 2) / view.zoom;
  const y2 = (-view.pan.y + height * 1.5) / view.zoom;
  const cx = (x1 + x2) / 2;
  const cy = (y1 + y2) / 2;
  const dist = (e: ElementDefinition) => {
    const p = e.position as { x: number; y: number };
    return Math.abs(p.x - cx) + Math.abs(p.y - cy);
  };
  const near = (e: ElementDefinition) => {
    const p = e.position as { x: number; y: number };
    return p.x >= x1 && p.x <= x2 && p.y >= y1 && p.y <= y2;
  };
  const order = nodes.map((e) => ({ e, d: near(e) ? -1 : dist(e) })).sort((a, b) => a.d - b.d);
  const stage = new Map<string, number>();
  const batches: ElementDefinition[][] = [[]];
  let inBatch = 0;
  for (const { e, d } of order) {
    let k = batches.length - 1;
    if (d >= 0 && (batches.length === 1 || inBatch >= BATCH)) {
      batches.push([]);
      k++;
      inBatch = 0;
    }
    batches[k].push(e);
    stage.set(e.data.id as string, k);
    inBatch++;
  }
  for (const e of edges) {
    const k = Math.max(stage.get(e.data.source as string) ?? 0, stage.get(e.data.target as string) ?? 0);
    batches[k].push(e);
  }
  return { first: batches[0], rest: batches.slice(1).filter((b) => b.length > 0) };
}
