/** Dimension algebra for shape inference: known sizes, symbolic products like `batch*16`, and unknowns. */

/**
 * One dimension: a known size, a symbolic expression (a dim_param such as `batch`, or a product such as `batch*16`),
 * or null when nothing is known.
 */
export type Dim = number | string | null;

/** A product `c * s1 * s2 …` of a coefficient and symbol names (sorted). */
interface Monomial {
  c: number;
  s: string[];
}

const SYMBOL = /^[^*+()\s]+$/;

function toMono(d: number | string): Monomial | undefined {
  if (typeof d === 'number') return { c: d, s: [] };
  const parts = d.split('*');
  let c = 1;
  const s: string[] = [];
  for (const p of parts) {
    if (/^\d+$/.test(p)) c *= Number(p);
    else if (SYMBOL.test(p)) s.push(p);
    else return parts.length === 1 ? { c: 1, s: [d] } : undefined;
  }
  return { c, s: s.sort() };
}

function fromMono(m: Monomial): Dim {
  if (m.s.length === 0) return m.c;
  if (m.c === 0) return 0;
  return [...(m.c === 1 ? [] : [String(m.c)]), ...m.s].join('*');
}

/** @returns true when a dim is a known non-negative integer. */
export function isKnown(d: Dim | undefined): d is number {
  return typeof d === 'number' && Number.isFinite(d) && d >= 0;
}

/** @returns a × b (symbolic when either is), or null when either is unknown. */
export function mulDims(a: Dim, b: Dim): Dim {
  if (a === null || b === null) return null;
  if (typeof a === 'number' && typeof b === 'number') return a * b;
  if (a === 0 || b === 0) return 0;
  const ma = toMono(a);
  const mb = toMono(b);
  if (!ma || !mb) return null;
  return fromMono({ c: ma.c * mb.c, s: [...ma.s, ...mb.s].sort() });
}

/** @returns the product of dims (1 for none). */
export function productDims(dims: readonly Dim[]): Dim {
  let p: Dim = 1;
  for (const d of dims) p = mulDims(p, d);
  return p;
}

/** @returns a ÷ b when it divides exactly (symbols included), else null. */
export function divDims(a: Dim, b: Dim): Dim {
  if (a === null || b === null || b === 0) return null;
  if (typeof a === 'number' && typeof b === 'number') return a % b === 0 ? a / b : null;
  const ma = toMono(a);
  const mb = toMono(b);
  if (!ma || !mb || ma.c % mb.c !== 0) return null;
  const rest = [...ma.s];
  for (const sym of mb.s) {
    const i = rest.indexOf(sym);
    if (i < 0) return null;
    rest.splice(i, 1);
  }
  return fromMono({ c: ma.c / mb.c, s: rest });
}

/** @returns a + b for numbers or like terms (`batch + batch` = `2*batch`), else null. */
export function addDims(a: Dim, b: Dim): Dim {
  if (a === null || b === null) return null;
  if (typeof a === 'number' && typeof b === 'number') return a + b;
  if (a === 0) return b;
  if (b === 0) return a;
  const ma = toMono(a);
  const mb = toMono(b);
  if (!ma || !mb || ma.s.join('*') !== mb.s.join('*')) return null;
  return fromMono({ c: ma.c + mb.c, s: ma.s });
}

/** @returns true when two dims are certainly the same size. */
export function sameDim(a: Dim, b: Dim): boolean {
  if (a === null || b === null) return false;
  if (a === b) return true;
  if (typeof a === 'number' || typeof b === 'number') return false;
  const ma = toMono(a);
  const mb = toMono(b);
  return Boolean(ma && mb && ma.c === mb.c && ma.s.join('*') === mb.s.join('*'));
}

/** Merges two facts about one dim (e.g. If branches): the common value, else null. */
export function mergeDim(a: Dim, b: Dim): Dim {
  return sameDim(a, b) ? a : null;
}

/**
 * Multidirectional (numpy) broadcasting of shapes.
 * @returns the broadcast shape, or null when a rank is unknown
 */
export function broadcastShapes(shapes: ReadonlyArray<readonly Dim[] | null>): Dim[] | null {
  if (shapes.some((s) => s === null)) return null;
  const list = shapes as ReadonlyArray<readonly Dim[]>;
  const rank = Math.max(0, ...list.map((s) => s.length));
  const out: Dim[] = [];
  for (let i = 0; i < rank; i++) {
    const dims = list.map((s) => s[s.length - rank + i]).filter((d) => d !== undefined && d !== 1);
    const known = dims.filter(isKnown);
    if (known.some((d) => d !== known[0])) return null;
    if (known.length) out.push(known[0]);
    else if (dims.length === 0) out.push(1);
    else out.push(dims.every((d) => sameDim(d, dims[0])) ? dims[0] : null);
  }
  return out;
}

/**
 * Evaluates a dim to a number for cost figures.
 * @param d - the dim
 * @param values - sizes of symbols (missing symbols count as `fallback`)
 * @param fallback - size assumed for symbols without a value (1: per item of a batch)
 * @returns the size, or undefined when the dim is unknown or not a product of symbols
 */
export function evalDim(d: Dim, values: Readonly<Record<string, number>>, fallback = 1): number | undefined {
  if (d === null) return undefined;
  if (typeof d === 'number') return d;
  const m = toMono(d);
  if (!m) return undefined;
  return m.s.reduce((p, sym) => p * (values[sym] ?? fallback), m.c);
}

/** @returns the symbols a dim refers to (`batch*seq` → batch, seq). */
export function dimSymbols(d: Dim): string[] {
  if (typeof d !== 'string') return [];
  return toMono(d)?.s ?? [d];
}

/** Replaces symbols that have a value by that value (products are multiplied out). */
export function substituteDim(d: Dim, values: Readonly<Record<string, number>>): Dim {
  if (typeof d !== 'string') return d;
  const m = toMono(d);
  if (!m) return d;
  let c = m.c;
  const rest: string[] = [];
  for (const sym of m.s) {
    const v = values[sym];
    if (v === undefined) rest.push(sym);
    else c *= v;
  }
  return fromMono({ c, s: rest });
}
