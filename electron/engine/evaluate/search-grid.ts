/** The grid a recipe search tries: quantization modes and calibration methods × pruning ratios, from the registered passes. */
import type { ZodType } from 'zod';
import type { Recipe, RecipeStep } from '../../../shared/recipes/recipe';
import { findPass, passIds } from '../optimize/pass';

/** One recipe of the grid. */
export interface GridCandidate {
  label: string;
  steps: RecipeStep[];
}

/** What a grid is built from. */
export interface GridOptions {
  /** the dataset (static quantization calibrates on it) */
  dataPath: string;
  /** pruning ratios to try (share of channels / weights removed) */
  pruneRatios?: number[];
  /** include fp16 conversion (it rarely speeds up CPUs, but shrinks the file) */
  fp16?: boolean;
  /** cap on calibration items (keeps the search quick) */
  calibrationLimit?: number;
}

type Def = { type: string; innerType?: ZodType; shape?: Record<string, ZodType>; entries?: Record<string, string> };

function def(schema: ZodType | undefined): Def | undefined {
  return (schema as unknown as { def?: Def } | undefined)?.def;
}

/** Unwraps optional/default/nullable layers of a zod schema. */
function unwrap(schema: ZodType | undefined): ZodType | undefined {
  let s = schema;
  for (let i = 0; i < 5; i++) {
    const d = def(s);
    if (d && ['optional', 'default', 'nullable', 'prefault'].includes(d.type) && d.innerType) s = d.innerType;
    else break;
  }
  return s;
}

/** @returns the fields of an object schema (empty for anything else). */
export function schemaFields(schema: ZodType | undefined): Record<string, ZodType> {
  const s = unwrap(schema) as unknown as { shape?: Record<string, ZodType> } | undefined;
  return s?.shape && typeof s.shape === 'object' ? s.shape : {};
}

/** @returns the values of an enum field, or undefined when it is not an enum. */
export function enumValues(schema: ZodType | undefined): string[] | undefined {
  const s = unwrap(schema) as unknown as { options?: unknown[] } | undefined;
  return def(unwrap(schema))?.type === 'enum' && Array.isArray(s?.options) ? (s.options as string[]) : undefined;
}

function kind(schema: ZodType | undefined): string | undefined {
  return def(unwrap(schema))?.type;
}

/** @returns the first field named like one of `names` with the wanted type. */
function field(fields: Record<string, ZodType>, names: string[], type: string): string | undefined {
  return names.find((n) => fields[n] && kind(fields[n]) === type);
}

/** Options that point a pass at the dataset: a string field, or an object field with a `path` (and a limit). */
function dataOptions(schema: ZodType, dataPath: string, limit: number): Record<string, unknown> {
  const fields = schemaFields(schema);
  const str = field(fields, ['calibration', 'data', 'dataPath', 'calibrationData', 'calibrationPath', 'dataset'], 'string');
  if (str) {
    const lim = field(fields, ['limit', 'calibrationLimit', 'calibrationCount', 'samples'], 'number');
    return { [str]: dataPath, ...(lim ? { [lim]: limit } : {}) };
  }
  for (const name of ['calibration', 'data', 'dataset']) {
    const inner = schemaFields(fields[name]);
    const p = field(inner, ['path', 'data', 'dataPath'], 'string');
    if (p) {
      const lim = field(inner, ['limit', 'count', 'samples'], 'number');
      return { [name]: { [p]: dataPath, ...(lim ? { [lim]: limit } : {}) } };
    }
  }
  return {};
}

function valid(passId: string, options: Record<string, unknown>): boolean {
  return findPass(passId)?.options.safeParse(options).success ?? false;
}

/** Quantization choices: dynamic int8, static int8 per calibration method, fp16. */
function quantChoices(o: GridOptions): GridCandidate[] {
  const out: GridCandidate[] = [];
  const dyn = findPass('quantize-dynamic');
  if (dyn && valid('quantize-dynamic', {})) out.push({ label: 'int8 dynamic', steps: [{ pass: 'quantize-dynamic', options: {} }] });
  const stat = findPass('quantize-static');
  if (stat) {
    const fields = schemaFields(stat.options);
    const methodField = Object.keys(fields).find((k) => enumValues(fields[k])?.includes('minmax'));
    const data = dataOptions(stat.options, o.dataPath, o.calibrationLimit ?? 64);
    const methods = methodField ? (enumValues(fields[methodField]) ?? []).filter((m) => ['minmax', 'percentile', 'entropy'].includes(m)) : [undefined];
    for (const m of methods) {
      const options = { ...data, ...(methodField && m ? { [methodField]: m } : {}) };
      if (valid('quantize-static', options)) out.push({ label: `int8 static${m ? ` (${m})` : ''}`, steps: [{ pass: 'quantize-static', options }] });
    }
  }
  if (o.fp16 && findPass('convert-fp16') && valid('convert-fp16', {})) out.push({ label: 'fp16', steps: [{ pass: 'convert-fp16', options: {} }] });
  return out;
}

/** Pruning choices: channel pruning and magnitude pruning at each ratio. */
function pruneChoices(o: GridOptions): GridCandidate[] {
  const out: GridCandidate[] = [];
  const ratios = o.pruneRatios ?? [0.25, 0.5];
  for (const [id, title] of [
    ['prune-channels', 'channels'],
    ['prune-magnitude', 'magnitude'],
  ] as const) {
    const pass = findPass(id);
    if (!pass) continue;
    const fields = schemaFields(pass.options);
    const ratioField = field(fields, ['ratio', 'sparsity', 'amount', 'fraction', 'pruneRatio'], 'number');
    if (!ratioField) continue;
    // calibration data lets a pass measure its error on real inputs, and re-fit the layers it cut when it can
    const data = dataOptions(pass.options, o.dataPath, o.calibrationLimit ?? 64);
    const recover = kind(fields.recover) === 'boolean' && Object.keys(data).length ? { recover: true } : {};
    for (const r of ratios) {
      const options = { ...data, ...recover, [ratioField]: r };
      if (valid(id, options)) out.push({ label: `prune ${title} ${Math.round(r * 100)}%`, steps: [{ pass: id, options }] });
    }
  }
  return out;
}

/**
 * Builds the grid from the passes registered now: every quantization choice, every pruning choice, and each pruning
 * followed by each int8 quantization (prune first: quantization calibrates the pruned model).
 * @returns the candidates and the pass ids they use
 */
export function buildSearchGrid(o: GridOptions): { candidates: GridCandidate[]; passes: string[] } {
  const quant = quantChoices(o);
  const prune = pruneChoices(o);
  const candidates: GridCandidate[] = [...quant, ...prune];
  for (const p of prune) {
    // unstructured sparsity does not make dense CPU kernels faster: it is tried alone, not under quantization
    if (p.steps[0].pass === 'prune-magnitude') continue;
    for (const q of quant) {
      if (q.steps[0].pass === 'convert-fp16') continue;
      candidates.push({ label: `${p.label} + ${q.label}`, steps: [...p.steps, ...q.steps] });
    }
  }
  if (!candidates.length && findPass('graph-optimize')) candidates.push({ label: 'graph optimization', steps: [{ pass: 'graph-optimize', options: {} }] });
  const used = new Set(candidates.flatMap((c) => c.steps.map((s) => s.pass)));
  return { candidates, passes: passIds().filter((id) => used.has(id)) };
}

/** @returns a recipe file for a candidate. */
export function candidateRecipe(c: GridCandidate, source: { fileName: string; sha256: string }, target?: string): Recipe {
  return { kind: 'deploy-studio-recipe', version: 1, name: c.label, ...(target ? { target } : {}), source, steps: c.steps };
}
