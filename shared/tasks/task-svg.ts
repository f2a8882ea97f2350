/** Task results drawn as SVG: overlays on the input image (boxes, labels, text) and whole charts (audio, tensors). */
import { boxColor, classColor } from './palette';
import type { AudioResult, BoxDto, ClassifyResult, SequenceResult, TensorResult, TensorViewDto } from './task-types';

const FONT = 'DejaVu Sans, Segoe UI, Helvetica, Arial, sans-serif';

/** Escapes text for SVG. */
export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const pct = (p: number) => `${(p * 100).toFixed(1)} %`;

/** A label with a filled background at (x, y), text height `size`. */
function tag(x: number, y: number, text: string, fill: string, size: number): string {
  const w = Math.ceil(text.length * size * 0.62 + size * 0.6);
  const h = Math.ceil(size * 1.4);
  const top = Math.max(0, y - h);
  return `<rect x="${x}" y="${top}" width="${w}" height="${h}" fill="${fill}"/><text x="${x + size * 0.3}" y="${top + size * 1.05}" font-family="${FONT}" font-size="${size}" fill="#fff">${esc(text)}</text>`;
}

/**
 * Detection boxes over an image drawn `scale` times its source size: a 2-pixel stroke (or wider on big renders) in
 * the class's colour with crisp edges, and a label with the score above each box.
 */
export function boxesSvg(boxes: readonly BoxDto[], scale: number, imageWidth: number): string {
  const stroke = Math.max(2, Math.round((imageWidth * scale) / 300));
  const size = Math.max(10, Math.round((imageWidth * scale) / 45));
  return boxes
    .map((b) => {
      const c = boxColor(b.classIndex);
      const [x0, y0, x1, y1] = [b.x0, b.y0, b.x1, b.y1].map((v) => Math.round(v * scale));
      const label = `${b.label ?? `class ${b.classIndex}`} ${pct(b.score)}`;
      return `<rect x="${x0 + stroke / 2}" y="${y0 + stroke / 2}" width="${Math.max(1, x1 - x0 - stroke)}" height="${Math.max(1, y1 - y0 - stroke)}" fill="none" stroke="${c}" stroke-width="${stroke}" shape-rendering="crispEdges"/>${tag(x0, y0, label, c, size)}`;
    })
    .join('');
}

/** A caption band at the bottom of an image: the top classes, or a decoded text. */
export function captionSvg(lines: readonly string[], width: number, height: number): string {
  const size = Math.max(11, Math.round(width / 40));
  const h = Math.round(size * 1.5 * lines.length + size * 0.6);
  const body = lines.map((l, i) => `<text x="${size * 0.5}" y="${height - h + size * 1.3 + i * size * 1.5}" font-family="${FONT}" font-size="${size}" fill="#fff">${esc(l)}</text>`).join('');
  return `<rect x="0" y="${height - h}" width="${width}" height="${h}" fill="#000" fill-opacity="0.65"/>${body}`;
}

/** @returns the caption lines of a classification. */
export function classifyLines(r: ClassifyResult): string[] {
  return r.top.map((t, i) => `${i + 1}. ${t.label ?? `class ${t.index}`}  ${pct(t.probability)}`);
}

/** @returns the caption lines of a decoded sequence. */
export function sequenceLines(r: SequenceResult): string[] {
  return [`“${r.text}”`, `${r.tokens.length} characters, mean probability ${pct(r.meanProbability)}${r.hasCharacters ? '' : ' (no character list: class indices shown)'}`];
}

/** Axis ticks every 0.5, 1, 2, 5 … seconds so there are at most ~12. */
function tickStep(seconds: number): number {
  for (const s of [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300]) if (seconds / s <= 12) return s;
  return 600;
}

/** Colours of the audio chart, one set per theme. */
export interface ChartColors {
  background: string;
  text: string;
  grid: string;
  wave: string;
  frames: string;
  active: string;
}

/** The light theme's chart colours (the CLI renders with these). */
export const LIGHT_CHART: ChartColors = { background: '#ffffff', text: '#1c2127', grid: '#d3d8de', wave: '#404854', frames: '#c87619', active: '#72ca9b' };
/** The dark theme's chart colours. */
export const DARK_CHART: ChartColors = { background: '#1c2127', text: '#f6f7f9', grid: '#404854', wave: '#abb3bf', frames: '#fbb360', active: '#1c6e42' };

/** The plot area of the audio chart inside its width and height (so tests and the GUI can map time to x). */
export function audioPlotArea(width: number, height: number): { left: number; right: number; top: number; waveBottom: number; bottom: number } {
  return { left: 48, right: width - 12, top: 24, waveBottom: Math.round(height * 0.55), bottom: height - 28 };
}

/**
 * An audio result as a chart: the waveform on top, the model's per-frame values below (0..1 axis when they are
 * probabilities), active segments shaded over both, a time axis in seconds.
 */
export function audioSvg(r: AudioResult, width: number, height: number, colors: ChartColors = LIGHT_CHART): string {
  const a = audioPlotArea(width, height);
  const x = (s: number) => a.left + (s / Math.max(1e-9, r.durationSeconds)) * (a.right - a.left);
  const cols = r.waveform.length / 2;
  const mid = (a.top + a.waveBottom) / 2;
  const amp = Math.max(1e-6, ...r.waveform.map(Math.abs));
  const half = (a.waveBottom - a.top) / 2 - 2;
  let wave = '';
  for (let c = 0; c < cols; c++) {
    const px = a.left + ((c + 0.5) / cols) * (a.right - a.left);
    wave += `M${px.toFixed(1)} ${(mid - (r.waveform[2 * c + 1] / amp) * half).toFixed(1)}V${(mid - (r.waveform[2 * c] / amp) * half + 0.5).toFixed(1)}`;
  }
  const fTop = a.waveBottom + 10;
  const lo = Math.min(0, ...r.frames);
  const hi = Math.max(1, ...r.frames);
  const fy = (v: number) => a.bottom - ((v - lo) / (hi - lo || 1)) * (a.bottom - fTop);
  const line = r.frames.map((v, i) => `${i ? 'L' : 'M'}${x((i + 0.5) * r.frameSeconds).toFixed(1)} ${fy(v).toFixed(1)}`).join('');
  const shades = r.segments.map((s) => `<rect x="${x(s.startSeconds).toFixed(1)}" y="${a.top}" width="${Math.max(1, x(s.endSeconds) - x(s.startSeconds)).toFixed(1)}" height="${a.bottom - a.top}" fill="${colors.active}" fill-opacity="0.45"/>`).join('');
  const step = tickStep(r.durationSeconds);
  let ticks = '';
  for (let t = 0; t <= r.durationSeconds + 1e-9; t += step) {
    ticks += `<line x1="${x(t).toFixed(1)}" x2="${x(t).toFixed(1)}" y1="${a.top}" y2="${a.bottom}" stroke="${colors.grid}"/><text x="${x(t).toFixed(1)}" y="${height - 10}" font-family="${FONT}" font-size="11" fill="${colors.text}" text-anchor="middle">${Number(t.toFixed(2))} s</text>`;
  }
  const thr = `<line x1="${a.left}" x2="${a.right}" y1="${fy(r.activeThreshold).toFixed(1)}" y2="${fy(r.activeThreshold).toFixed(1)}" stroke="${colors.frames}" stroke-dasharray="4 3"/>`;
  const title = `${r.inputFile}: ${r.durationSeconds.toFixed(2)} s at ${r.sampleRate} Hz; "${r.outputName}" per ${(r.frameSeconds * 1000).toFixed(0)} ms frame; ${r.segments.length} active segment${r.segments.length === 1 ? '' : 's'} (≥ ${r.activeThreshold})`;
  return (
    `<rect width="${width}" height="${height}" fill="${colors.background}"/>${ticks}${shades}` +
    `<path d="${wave}" stroke="${colors.wave}" stroke-width="1" fill="none"/>${thr}<path d="${line}" stroke="${colors.frames}" stroke-width="2" fill="none"/>` +
    `<text x="${a.left}" y="16" font-family="${FONT}" font-size="12" fill="${colors.text}">${esc(title)}</text>` +
    `<text x="4" y="${mid}" font-family="${FONT}" font-size="10" fill="${colors.text}">wave</text><text x="4" y="${fy(hi) + 10}" font-family="${FONT}" font-size="10" fill="${colors.text}">${Number(hi.toPrecision(3))}</text><text x="4" y="${fy(lo)}" font-family="${FONT}" font-size="10" fill="${colors.text}">${Number(lo.toPrecision(3))}</text>`
  );
}

/** A colour for a value in 0..1 (viridis-like, dark to yellow). */
export function heatColor(t: number): string {
  const stops = [
    [68, 1, 84],
    [59, 82, 139],
    [33, 145, 140],
    [94, 201, 98],
    [253, 231, 37],
  ];
  const v = Math.max(0, Math.min(1, Number.isFinite(t) ? t : 0)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(v));
  const f = v - i;
  return `rgb(${stops[i].map((c, k) => Math.round(c + (stops[i + 1][k] - c) * f)).join(',')})`;
}

/** One output of the generic view drawn in a box of `width` x `height` (heatmap, line, table or scalar). */
export function tensorViewSvg(v: TensorViewDto, x0: number, y0: number, width: number, height: number, text = '#1c2127'): string {
  const s = v.stats;
  const head = `<text x="${x0}" y="${y0 + 12}" font-family="${FONT}" font-size="12" fill="${text}">${esc(`${v.name} ${v.dtype} [${v.shape.join(', ')}]${s ? `  min ${s.min.toPrecision(4)} max ${s.max.toPrecision(4)} mean ${s.mean.toPrecision(4)} std ${s.std.toPrecision(4)}${s.nanCount || s.infCount ? ` NaN ${s.nanCount} Inf ${s.infCount}` : ''}` : ''}`)}</text>`;
  const top = y0 + 20;
  const h = height - 24;
  const lo = s ? s.min : 0;
  const span = s && s.max > s.min ? s.max - s.min : 1;
  if (v.view === 'heatmap') {
    const cw = width / v.cols;
    const ch = h / v.rows;
    let cells = '';
    for (let r = 0; r < v.rows; r++) for (let c = 0; c < v.cols; c++) cells += `<rect x="${(x0 + c * cw).toFixed(2)}" y="${(top + r * ch).toFixed(2)}" width="${(cw + 0.3).toFixed(2)}" height="${(ch + 0.3).toFixed(2)}" fill="${heatColor((v.values[r * v.cols + c] - lo) / span)}"/>`;
    return head + cells;
  }
  if (v.view === 'line') {
    const path = v.values.map((val, i) => `${i ? 'L' : 'M'}${(x0 + (i / Math.max(1, v.values.length - 1)) * width).toFixed(1)} ${(top + h - ((val - lo) / span) * h).toFixed(1)}`).join('');
    return `${head}<rect x="${x0}" y="${top}" width="${width}" height="${h}" fill="none" stroke="#8f99a8"/><path d="${path}" stroke="#2d72d2" fill="none" stroke-width="1.5"/>`;
  }
  const cells = v.values.map((val, i) => `<text x="${x0 + (i % 8) * (width / 8)}" y="${top + 14 + Math.floor(i / 8) * 16}" font-family="${FONT}" font-size="11" fill="${text}">${i}: ${esc(Number(val.toPrecision(4)).toString())}</text>`).join('');
  return head + cells;
}

/** Every output of the generic view stacked, `panel` pixels high each. */
export function tensorSvg(r: TensorResult, width: number, panel = 220): { svg: string; height: number } {
  const svg = r.outputs.map((v, i) => tensorViewSvg(v, 12, 8 + i * panel, width - 24, panel - 16)).join('');
  return { svg: `<rect width="${width}" height="${r.outputs.length * panel + 8}" fill="#fff"/>${svg}`, height: r.outputs.length * panel + 8 };
}

/** Wraps SVG content in a document of the given size. */
export function svgDocument(content: string, width: number, height: number): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${content}</svg>`;
}

export { classColor };
