/** Number and shape formatting for the screens. */
import type { TensorInfo } from '../../../shared/api/model-summary';

/** @returns bytes as `1.23 MB`. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = -1;
  do {
    v /= 1024;
    i++;
  } while (v >= 1024 && i < units.length - 1);
  return `${v.toFixed(v >= 100 ? 0 : v >= 10 ? 1 : 2)} ${units[i]}`;
}

/** @returns a count as `11.69 M`. */
export function formatCount(n: number): string {
  if (n < 1000) return n.toLocaleString('en-US');
  if (n < 1e6) return `${(n / 1e3).toFixed(1)} K`;
  if (n < 1e9) return `${(n / 1e6).toFixed(2)} M`;
  return `${(n / 1e9).toFixed(2)} G`;
}

/** @returns a shape as `[batch, 1, 28, 28]`. */
export function formatShape(t: Pick<TensorInfo, 'shape'>): string {
  return t.shape ? `[${t.shape.map((d) => (d === null ? '?' : String(d))).join(', ')}]` : 'unknown';
}
