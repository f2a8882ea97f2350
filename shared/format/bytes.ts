/** The one byte-size formatter of the product: binary units with their IEC names, on screens, reports and the CLI. */

/** One kibibyte, 2¹⁰ bytes. */
export const KIB = 1024;
/** One mebibyte, 2²⁰ bytes. */
export const MIB = 1024 * KIB;
/** One gibibyte, 2³⁰ bytes. */
export const GIB = 1024 * MIB;

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;

/** @returns the decimals that keep about three significant figures: `1.23`, `12.3`, `123`. */
function decimals(v: number): number {
  return v >= 100 ? 0 : v >= 10 ? 1 : 2;
}

/**
 * Formats a byte size in binary units: 1 KiB = 1024 B, 1 MiB = 1024 KiB, … (IEC 80000-13 names, so a size never reads
 * as the 1000-based MB of a disk label). Every byte size a user sees goes through here.
 * @param n - a size in bytes; negative for a decrease
 * @returns `512 B`, `1.50 KiB`, `44.7 MiB`, `2.00 GiB` (about three significant figures), or `—` for null, undefined
 * or a non-finite number
 */
export function formatBytes(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  const sign = n < 0 ? '-' : '';
  let v = Math.abs(n);
  if (Math.round(v) < KIB) return `${sign}${Math.round(v)} B`;
  let u = 0;
  // step up while the value, rounded as it will be printed, reaches 1024 of its unit (1023.9 KiB reads 1.00 MiB)
  while (u < UNITS.length - 1 && Number(v.toFixed(decimals(v))) >= KIB) {
    v /= KIB;
    u++;
  }
  return `${sign}${v.toFixed(decimals(v))} ${UNITS[u]}`;
}
