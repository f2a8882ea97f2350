/**
 * One colour per variant, stable across screens, charts and reports: a variant keeps its colour from one comparison to
 * the next, and no two variants of one chart share one.
 */

/** Ten colours distinct on light and dark backgrounds (Blueprint's extended palette, 3rd and 4th shades). */
export const VARIANT_COLORS = ['#2D72D2', '#D1980B', '#238551', '#CD4246', '#7961DB', '#00A396', '#C87619', '#D13913', '#634DBF', '#147EB3'] as const;

function hash(key: string): number {
  let h = 2166136261;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}

/**
 * Colours for the variants of one chart.
 * @param keys - a stable key per variant (its id, else its name), in row order
 * @returns one colour per key: the key's own colour, moved to the next free one when another variant holds it (all
 * distinct while there are at most ten variants)
 */
export function variantColors(keys: readonly string[]): string[] {
  const taken = new Set<number>();
  return keys.map((k) => {
    let i = hash(k) % VARIANT_COLORS.length;
    for (let n = 0; n < VARIANT_COLORS.length && taken.has(i); n++) i = (i + 1) % VARIANT_COLORS.length;
    taken.add(i);
    return VARIANT_COLORS[i];
  });
}

/** @returns the key a comparison row is coloured by: its variant id, else its name. */
export function rowColorKey(row: { variantId: string | null; name: string }): string {
  return row.variantId ?? row.name;
}
