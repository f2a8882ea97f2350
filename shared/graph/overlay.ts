/** Per-node value overlays (latency, quantization error, pruned fraction, FLOPs, params): the shape and the colour scale. */
import { formatBytes } from '../format/bytes';
import { formatCount } from '../format/count';

/** A value for some nodes of a graph, coloured on a scale; later features feed their own. */
export interface NodeOverlay {
  /** stable id, e.g. `params`, `latency` */
  id: string;
  title: string;
  /** unit shown in the legend and the inspector (`params`, `FLOPs`, `bytes`, `ms`, `%`); see {@link formatOverlayValue} */
  unit: string;
  /** node name → value; nodes without a value stay grey */
  values: Record<string, number>;
  /** `log` spreads values spanning orders of magnitude (weights, FLOPs) */
  scale: 'linear' | 'log';
}

/** Units that count things: their values read with SI prefixes (`147.6 K FLOPs`). */
const COUNT_UNITS = new Set(['params', 'MACs', 'FLOPs']);

/**
 * Formats one overlay value with its unit, as the legend and the inspector show it.
 * @param value - a node's value
 * @param unit - the overlay's unit: `bytes` reads in binary units, `params`/`MACs`/`FLOPs` with SI prefixes, any other
 * unit follows four significant figures
 * @returns e.g. `1.50 MiB`, `147.6 K FLOPs`, `0.4213 ms`, `37.5 %`
 */
export function formatOverlayValue(value: number, unit: string): string {
  if (!Number.isFinite(value)) return String(value);
  if (unit === 'bytes') return formatBytes(value);
  if (COUNT_UNITS.has(unit)) return formatCount(value, unit);
  const a = Math.abs(value);
  const text = a !== 0 && (a >= 1e6 || a < 1e-3) ? value.toExponential(3) : String(Number(value.toPrecision(4)));
  return unit ? `${text} ${unit}` : text;
}

/** Colour stops of the sequential scale (low → high), readable in both themes. */
export const OVERLAY_STOPS = ['#2c4f8a', '#2a7f8f', '#3f9f5f', '#c8b02c', '#e0702c', '#d33c3c'];
/** Fill of nodes the overlay has no value for. */
export const OVERLAY_NONE = '#5f6b7c';

/** @returns the smallest and largest value (the positive ones on a log scale). */
export function overlayRange(overlay: NodeOverlay): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (const v of Object.values(overlay.values)) {
    if (!Number.isFinite(v) || (overlay.scale === 'log' && v <= 0)) continue;
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  return min <= max ? { min, max } : { min: 0, max: 0 };
}

/**
 * The colour of a value.
 * @param value - the node's value (undefined: no value)
 * @param range - from {@link overlayRange}
 * @param scale - linear or log
 */
export function overlayColor(value: number | undefined, range: { min: number; max: number }, scale: NodeOverlay['scale']): string {
  if (value === undefined || !Number.isFinite(value)) return OVERLAY_NONE;
  let t: number;
  if (range.max <= range.min) t = 1;
  else if (scale === 'log') t = value <= 0 ? 0 : (Math.log(value) - Math.log(range.min)) / (Math.log(range.max) - Math.log(range.min));
  else t = (value - range.min) / (range.max - range.min);
  t = Math.max(0, Math.min(1, t));
  const pos = t * (OVERLAY_STOPS.length - 1);
  const i = Math.min(OVERLAY_STOPS.length - 2, Math.floor(pos));
  return mix(OVERLAY_STOPS[i], OVERLAY_STOPS[i + 1], pos - i);
}

function mix(a: string, b: string, f: number): string {
  const pa = parseInt(a.slice(1), 16);
  const pb = parseInt(b.slice(1), 16);
  const ch = (shift: number) => Math.round(((pa >> shift) & 255) * (1 - f) + ((pb >> shift) & 255) * f);
  return `#${((1 << 24) | (ch(16) << 16) | (ch(8) << 8) | ch(0)).toString(16).slice(1)}`;
}
