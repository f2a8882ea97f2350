/** Einsum: parses the equation, binds letters to dims, infers the output shape; the cost model reuses the binding. */
import { isKnown, type Dim } from './dims';
import { like, type InferRule } from './infer-types';

/** Letters of an Einsum equation bound to sizes. */
export interface EinsumBinding {
  /** size of each letter (`…` dims get the names `0`, `1`, …) */
  sizes: Map<string, Dim>;
  /** the output's letters in order */
  output: string[];
  /** every letter of the operands */
  letters: string[];
}

function terms(part: string, rank: number | undefined, ellipsisRank: number): string[] | undefined {
  const out: string[] = [];
  for (let i = 0; i < part.length; i++) {
    if (part.startsWith('...', i)) {
      const n = rank === undefined ? ellipsisRank : rank - (part.replace('...', '').length);
      if (n < 0) return undefined;
      for (let k = 0; k < n; k++) out.push(String(ellipsisRank - n + k));
      i += 2;
    } else if (/[A-Za-z]/.test(part[i])) out.push(part[i]);
  }
  return out;
}

/**
 * Binds an equation to operand shapes.
 * @returns the binding, or undefined when the equation or a rank does not fit
 */
export function bindEinsum(equation: string, shapes: ReadonlyArray<readonly Dim[] | null | undefined>): EinsumBinding | undefined {
  const eq = equation.replace(/\s/g, '');
  const [lhs, rhs] = eq.split('->');
  const parts = lhs.split(',');
  if (parts.length !== shapes.length || shapes.some((s) => !s)) return undefined;
  const ellipsisRank = Math.max(0, ...parts.map((p, i) => (p.includes('...') ? shapes[i]!.length - p.replace('...', '').length : 0)));
  const sizes = new Map<string, Dim>();
  const counts = new Map<string, number>();
  const letters: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const t = terms(parts[i], shapes[i]!.length, ellipsisRank);
    if (!t || t.length !== shapes[i]!.length) return undefined;
    t.forEach((letter, k) => {
      const d = shapes[i]![k];
      const prev = sizes.get(letter);
      if (prev === undefined || prev === 1 || (!isKnown(prev) && isKnown(d))) sizes.set(letter, d);
      counts.set(letter, (counts.get(letter) ?? 0) + 1);
      if (!letters.includes(letter)) letters.push(letter);
    });
  }
  let output: string[];
  if (rhs !== undefined) {
    const t = terms(rhs, undefined, ellipsisRank);
    if (!t) return undefined;
    output = t;
  } else {
    const ell = Array.from({ length: ellipsisRank }, (_, k) => String(k));
    output = [...ell, ...letters.filter((l) => !/^\d+$/.test(l) && counts.get(l) === 1).sort()];
  }
  return { sizes, output, letters };
}

/** The Einsum rule. */
export const einsumRule: InferRule = (ctx) => {
  const x = ctx.inputs[0];
  const binding = bindEinsum(ctx.attrs.string('equation', ''), ctx.inputs.map((f) => f?.shape));
  return [like(x, binding ? binding.output.map((l) => binding.sizes.get(l) ?? null) : null)];
};
