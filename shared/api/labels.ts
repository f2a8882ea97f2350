/** Reads class labels from the text of a labels file (.txt, one a line, or .json) or a pasted list. */

/**
 * Parses labels.
 * @param text - the content: lines of names; or JSON: an array of names, `{"0": "tench", …}`, `{"tench": 0, …}`, or
 * Keras' `{"0": ["n01440764", "tench"], …}`
 * @returns the names by class index (gaps filled with `class N`)
 * @throws Error with a message a user can act on, for JSON of another shape or an empty list
 */
export function parseLabelsText(text: string): string[] {
  const trimmed = text.trim();
  if (!trimmed) throw new Error('The labels are empty: give one class name a line, or a JSON list of names.');
  if (/^[[{]/.test(trimmed)) {
    let doc: unknown;
    try {
      doc = JSON.parse(trimmed);
    } catch (err) {
      throw new Error(`The labels look like JSON but do not parse (${(err as Error).message}).`);
    }
    return fromJson(doc);
  }
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  while (lines.length && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function nameOf(v: unknown): string | null {
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && v.length && v.every((x) => typeof x === 'string')) return v[v.length - 1] as string;
  return null;
}

function fromJson(doc: unknown): string[] {
  const shape = 'JSON labels must be a list of names, {"0": "name"}, {"name": 0} or {"0": ["id", "name"]}.';
  if (Array.isArray(doc)) {
    const names = doc.map(nameOf);
    if (names.some((n) => n === null)) throw new Error(shape);
    if (!names.length) throw new Error('The labels list is empty.');
    return names as string[];
  }
  if (!doc || typeof doc !== 'object') throw new Error(shape);
  const entries = Object.entries(doc as Record<string, unknown>);
  if (!entries.length) throw new Error('The labels object is empty.');
  const byIndex = new Map<number, string>();
  if (entries.every(([k]) => /^\d+$/.test(k))) {
    for (const [k, v] of entries) {
      const n = nameOf(v);
      if (n === null) throw new Error(shape);
      byIndex.set(Number(k), n);
    }
  } else if (entries.every(([, v]) => Number.isInteger(v) && (v as number) >= 0)) {
    for (const [k, v] of entries) byIndex.set(v as number, k);
  } else throw new Error(shape);
  const count = Math.max(...byIndex.keys()) + 1;
  if (count > 100_000) throw new Error('The labels name a class index above 100 000.');
  return Array.from({ length: count }, (_, i) => byIndex.get(i) ?? `class ${i}`);
}
