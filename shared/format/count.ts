/** The one count formatter of the product (parameters, MACs, FLOPs), with SI prefixes, and peak compute figures. */

const PREFIXES = ['', 'K', 'M', 'G', 'T', 'P'] as const;

/** @returns the decimals of a count with a prefix: one for K, two from M up (`147.6 K`, `11.69 M`). */
function decimals(prefix: number): number {
  return prefix === 1 ? 1 : 2;
}

/**
 * Formats a count with an SI prefix of powers of 1000 (K = 10³, M = 10⁶, G = 10⁹, T = 10¹²), never in exponent form.
 * @param n - the count; negative for a decrease
 * @param unit - what is counted, written after the prefix: `params`, `MACs`, `FLOPs`
 * @returns `950`, `147.6 K`, `11.69 M params`, `1.48 G FLOPs`, or `—` for null, undefined or a non-finite number
 */
export function formatCount(n: number | null | undefined, unit = ''): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  const sign = n < 0 ? '-' : '';
  let v = Math.abs(n);
  let p = 0;
  // step up while the value, rounded as it will be printed, reaches 1000 (999.96 K reads 1.00 M)
  while (p < PREFIXES.length - 1 && (p === 0 ? Math.round(v) : Number(v.toFixed(decimals(p)))) >= 1000) {
    v /= 1000;
    p++;
  }
  const text = p === 0 ? String(Number.isInteger(v) ? v : Number(v.toPrecision(4))) : v.toFixed(decimals(p));
  const suffix = `${PREFIXES[p]}${PREFIXES[p] && unit ? ' ' : ''}${unit}`;
  return `${sign}${text}${suffix ? ` ${suffix}` : ''}`;
}

/**
 * Formats a peak compute figure given in billions per second.
 * @param gops - the figure in G{unit}
 * @param unit - `OPS` (integer) or `FLOPS` (floating point)
 * @returns `973 GOPS`, `85.0 TOPS`, `12.5 GFLOPS`, or `—` when unknown
 */
export function formatOps(gops: number | undefined, unit = 'OPS'): string {
  if (gops === undefined || !Number.isFinite(gops)) return '—';
  if (gops >= 1000) return `${(gops / 1000).toFixed(gops >= 10_000 ? 0 : 1)} T${unit}`;
  return `${gops.toFixed(gops >= 100 ? 0 : 1)} G${unit}`;
}
