/** Renders a laid-out visible graph as a standalone SVG document (export and `deploy-studio graph --svg`). */
import { xmlText } from '../security/untrusted-text';
import { CATEGORY_COLORS } from './op-category';
import type { LayoutResult } from './layout';
import type { VisibleGraph } from './view-model';

export interface SvgOptions {
  dark?: boolean;
  /** draw tensor shapes on edges */
  edgeLabels?: boolean;
  /** per box id: a fill colour replacing the category colour (overlays) */
  fills?: ReadonlyMap<string, string>;
  /** per box id: an outline colour (diff marks, search matches) */
  outlines?: ReadonlyMap<string, string>;
  title?: string;
}

const GROUP_FILL = '#4a5563';
const WEIGHT_FILL = '#7a6a3a';

/** Model text in the SVG: markup escaped, control characters shown escaped (XML forbids them; a terminal acts on them). */
function esc(s: string): string {
  return xmlText(s);
}

/**
 * @param view - the boxes and edges
 * @param layout - their positions (same order as `view.nodes`)
 * @param options - theme, edge labels, overlay fills, outlines
 * @returns the SVG text
 */
export function renderSvg(view: VisibleGraph, layout: LayoutResult, options: SvgOptions = {}): string {
  const margin = 24;
  const width = Math.ceil(layout.width + margin * 2);
  const height = Math.ceil(layout.height + margin * 2);
  const bg = options.dark ? '#1c2127' : '#ffffff';
  const fg = options.dark ? '#e5e8eb' : '#1c2127';
  const edgeColor = options.dark ? '#8f99a8' : '#738091';
  const index = new Map(view.nodes.map((v, i) => [v.id, i]));
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Inter, 'Segoe UI', Helvetica, Arial, sans-serif" font-size="10">`,
  );
  if (options.title) out.push(`<title>${esc(options.title)}</title>`);
  out.push(
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${edgeColor}"/></marker></defs>`,
  );
  out.push(`<rect width="100%" height="100%" fill="${bg}"/>`);
  out.push(`<g transform="translate(${margin},${margin})">`);
  out.push(`<g fill="none" stroke="${edgeColor}" stroke-width="1">`);
  view.edges.forEach((e, k) => {
    const s = index.get(e.source);
    const t = index.get(e.target);
    if (s === undefined || t === undefined) return;
    const pts: number[] = [layout.x[s], layout.y[s] + view.nodes[s].height / 2];
    const bend = layout.bends[k];
    if (bend) for (const v of bend) pts.push(v);
    pts.push(layout.x[t], layout.y[t] - view.nodes[t].height / 2);
    const dash = e.implicit ? ' stroke-dasharray="4 3"' : '';
    out.push(`<path d="${smoothPath(pts)}" marker-end="url(#arrow)"${dash}/>`);
  });
  out.push('</g>');
  if (options.edgeLabels) {
    out.push(`<g fill="${fg}" font-size="8" text-anchor="middle" opacity="0.75">`);
    for (const e of view.edges) {
      const s = index.get(e.source);
      const t = index.get(e.target);
      if (s === undefined || t === undefined || !e.label) continue;
      out.push(`<text x="${r((layout.x[s] + layout.x[t]) / 2 + 4)}" y="${r((layout.y[s] + layout.y[t]) / 2)}" text-anchor="start">${esc(e.label)}</text>`);
    }
    out.push('</g>');
  }
  view.nodes.forEach((v, i) => {
    const x = layout.x[i] - v.width / 2;
    const y = layout.y[i] - v.height / 2;
    const fill =
      options.fills?.get(v.id) ??
      (v.category === 'group' ? GROUP_FILL : v.category === 'weight' ? WEIGHT_FILL : CATEGORY_COLORS[v.category]);
    const stroke = options.outlines?.get(v.id);
    const io = v.kind === 'input' || v.kind === 'output' || v.kind === 'outer';
    const rx = io ? v.height / 2 : 4;
    out.push(
      `<g data-id="${esc(v.id)}"><rect x="${r(x)}" y="${r(y)}" width="${v.width}" height="${v.height}" rx="${r(rx)}" fill="${fill}"${
        stroke ? ` stroke="${stroke}" stroke-width="3"` : ''
      }${v.kind === 'group' ? ' stroke-dasharray="5 3" stroke="#a7b6c2"' : ''}/>`,
    );
    const lines = v.label.split('\n');
    const top = layout.y[i] - ((lines.length - 1) * 13) / 2 + 3.5;
    lines.forEach((line, k) => {
      const weight = k === 0 ? ' font-weight="600"' : '';
      out.push(`<text x="${r(layout.x[i])}" y="${r(top + k * 13)}" fill="#ffffff" text-anchor="middle"${weight}>${esc(line)}</text>`);
    });
    out.push('</g>');
  });
  out.push('</g></svg>');
  return out.join('\n');
}

/** A path through the points: vertical-tangent curves between consecutive points. */
function smoothPath(p: number[]): string {
  let d = `M${r(p[0])},${r(p[1])}`;
  for (let i = 2; i < p.length; i += 2) {
    const x0 = p[i - 2];
    const y0 = p[i - 1];
    const x1 = p[i];
    const y1 = p[i + 1];
    const my = (y0 + y1) / 2;
    d += ` C${r(x0)},${r(my)} ${r(x1)},${r(my)} ${r(x1)},${r(y1)}`;
  }
  return d;
}

function r(v: number): string {
  return (Math.round(v * 10) / 10).toString();
}
