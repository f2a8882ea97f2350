/** Exports of the graph view: PNG of the canvas, SVG from the shared renderer (same layout), the graph DTO as JSON. */
import type { GraphDto } from '../../../shared/graph/graph-dto';
import { renderSvg } from '../../../shared/graph/svg';
import type { LayoutResult } from '../../../shared/graph/layout';
import type { VisibleGraph } from '../../../shared/graph/view-model';
import type { LaidOutGraph } from '../../components/graph/layout-protocol';
import { MARK_COLORS, type MarkKind } from '../../components/graph/cy-style';

/** Offers a blob as a download. */
export function download(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** @returns the SVG text of what the view shows (boxes, positions, overlay fills and marks). */
export function laidOutSvg(laid: LaidOutGraph, options: { dark: boolean; edgeLabels: boolean; fills?: ReadonlyMap<string, string> | null; marks?: ReadonlyMap<string, MarkKind> | null; title: string }): string {
  const view: VisibleGraph = { nodes: laid.nodes, edges: laid.edges, representedNodes: laid.representedNodes, representedEdges: laid.representedEdges };
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const v of laid.nodes) {
    minX = Math.min(minX, v.x - v.width / 2);
    minY = Math.min(minY, v.y - v.height / 2);
    maxX = Math.max(maxX, v.x + v.width / 2);
    maxY = Math.max(maxY, v.y + v.height / 2);
  }
  if (!laid.nodes.length) minX = minY = maxX = maxY = 0;
  const layout: LayoutResult = {
    x: Float64Array.from(laid.nodes, (v) => v.x - minX),
    y: Float64Array.from(laid.nodes, (v) => v.y - minY),
    rank: new Int32Array(laid.nodes.length),
    bends: laid.edges.map((e) => (e.bend ? Float64Array.from(e.bend, (v, i) => v - (i % 2 ? minY : minX)) : null)),
    width: maxX - minX,
    height: maxY - minY,
  };
  const outlines = new Map<string, string>();
  if (options.marks) for (const [id, kind] of options.marks) outlines.set(id, MARK_COLORS[kind]);
  return renderSvg(view, layout, { dark: options.dark, edgeLabels: options.edgeLabels, fills: options.fills ?? undefined, outlines, title: options.title });
}

/** @returns a file name stem from a model file name and the subgraph breadcrumb. */
export function exportStem(fileName: string, dto: GraphDto): string {
  const base = fileName.replace(/\.onnx$/i, '');
  const sub = dto.breadcrumb.slice(1).join('_').replace(/[^A-Za-z0-9_.-]+/g, '_');
  return sub ? `${base}-${sub}` : base;
}
