/**
 * Operator schemas by domain and opset: which operators exist, their arity and attribute types. Versions up to the
 * generating onnx package's opset come from op-schemas.json (scripts/make-op-schemas.py); newer ai.onnx versions from
 * the converter's changelog table, which only says that an operator exists.
 */
import { EXPERIMENTAL } from '../convert/adapters-experimental';
import { OP_VERSIONS, REMOVED_AT } from '../convert/op-versions';
import data from './op-schemas.json';

/** One version of an operator as the ONNX schema defines it. */
export interface OpSchema {
  /** how messages name this version, e.g. `Softmax-13` */
  label: string;
  since: number;
  minInputs: number;
  maxInputs: number;
  minOutputs: number;
  maxOutputs: number;
  /** one letter per formal input: S single (required), O optional, V variadic */
  inputs: string;
  /** the attributes: name, AttributeProto.AttributeType number, whether required (a list: a few, scanned) */
  attributes: ReadonlyArray<{ name: string; type: number; required: boolean }>;
  /** true when some attribute is required */
  hasRequired: boolean;
}

/** What a lookup found. */
export type OpLookup =
  /** the operator exists; `schema` is absent when its version is newer than the schemas (existence only) */
  | { kind: 'found'; since: number; schema?: OpSchema }
  /** the operator exists only from a later opset */
  | { kind: 'not-yet'; firstSince: number }
  /** the operator was removed from the domain at `removedAt` */
  | { kind: 'removed'; removedAt: number }
  /** one of the experimental operators ONNX dropped; onnxruntime runs it up to opset 9 */
  | { kind: 'experimental' }
  /** no such operator; `hint` says what the name may have meant */
  | { kind: 'unknown'; hint?: string }
  /** the model's opset of this domain is newer than the schemas know: nothing can be said */
  | { kind: 'unchecked' };

type RawEntry = [number, number, number, number, number, string, string, number];
const DOMAINS = data.domains as unknown as Record<string, Record<string, RawEntry[]>>;
const NEWEST = data.newestOpset as Record<string, number>;

/** The onnx package version the schemas come from. */
export const SCHEMA_ONNX_VERSION: string = data.onnxVersion;

/** @returns true for the domains the schemas describe (ai.onnx, ai.onnx.ml, ai.onnx.preview.training). */
export function isStandardDomain(domain: string): boolean {
  return domain in DOMAINS;
}

const parsed = new Map<RawEntry, OpSchema>();
/** lookups by domain, opset and operator */
const cache = new Map<string, Map<number, Map<string, OpLookup>>>();

/**
 * Looks an operator up.
 * @param domain - `''` for ai.onnx (callers map `'ai.onnx'` to it), or another standard domain
 * @param opType - the operator name
 * @param opset - the model's opset of that domain
 */
export function lookupOp(domain: string, opType: string, opset: number): OpLookup {
  let byOpset = cache.get(domain);
  if (!byOpset) cache.set(domain, (byOpset = new Map()));
  let byOp = byOpset.get(opset);
  if (!byOp) byOpset.set(opset, (byOp = new Map()));
  let found = byOp.get(opType);
  if (!found) {
    found = domain === '' ? lookupDefault(opType, opset) : lookupOther(domain, opType, opset);
    byOp.set(opType, found);
  }
  return found;
}

function lookupDefault(opType: string, opset: number): OpLookup {
  const raw = DOMAINS[''][opType];
  const versions = OP_VERSIONS[opType] ?? raw?.map((e) => e[0]);
  if (!versions) {
    if (EXPERIMENTAL.has(opType)) return { kind: 'experimental' };
    return { kind: 'unknown', hint: hintFor('', opType) };
  }
  const removedAt = REMOVED_AT[opType];
  if (removedAt !== undefined && opset >= removedAt) return { kind: 'removed', removedAt };
  const since = latestAtOrBelow(versions, opset);
  if (since === undefined) {
    // ThresholdedRelu was experimental before it became standard at 10
    if (EXPERIMENTAL.has(opType)) return { kind: 'experimental' };
    return { kind: 'not-yet', firstSince: versions[0] };
  }
  const entry = raw?.find((e) => e[0] === since);
  return { kind: 'found', since, schema: entry ? schemaOf(opType, entry) : undefined };
}

function lookupOther(domain: string, opType: string, opset: number): OpLookup {
  const raw = DOMAINS[domain]?.[opType];
  const beyond = opset > (NEWEST[domain] ?? 0);
  if (!raw) return beyond ? { kind: 'unchecked' } : { kind: 'unknown', hint: hintFor(domain, opType) };
  const deprecated = raw.find((e) => e[7] === 1);
  if (deprecated && opset >= deprecated[0]) return { kind: 'removed', removedAt: deprecated[0] };
  const since = latestAtOrBelow(raw.map((e) => e[0]), opset);
  if (since === undefined) return { kind: 'not-yet', firstSince: raw[0][0] };
  // past the schemas' newest version a newer schema may apply: existence only
  if (beyond) return { kind: 'found', since };
  return { kind: 'found', since, schema: schemaOf(opType, raw.find((e) => e[0] === since) as RawEntry) };
}

function latestAtOrBelow(versions: readonly number[], opset: number): number | undefined {
  let found: number | undefined;
  for (const v of versions) if (v <= opset) found = v;
  return found;
}

function schemaOf(opType: string, entry: RawEntry): OpSchema {
  let schema = parsed.get(entry);
  if (!schema) {
    const [since, minInputs, maxInputs, minOutputs, maxOutputs, inputs, attrs] = entry;
    const attributes = (attrs ? attrs.split(',') : []).map((part) => {
      const [name, type] = part.split('=');
      return { name, type: parseInt(type, 10), required: type.endsWith('!') };
    });
    schema = {
      label: `${opType}-${since}`,
      since,
      minInputs,
      maxInputs: maxInputs < 0 ? Infinity : maxInputs,
      minOutputs,
      maxOutputs: maxOutputs < 0 ? Infinity : maxOutputs,
      inputs,
      attributes,
      hasRequired: attributes.some((a) => a.required),
    };
    parsed.set(entry, schema);
  }
  return schema;
}

/** Suggests what an unknown name may have meant: another spelling, or the domain it belongs to. */
function hintFor(domain: string, opType: string): string | undefined {
  const lower = opType.toLowerCase();
  const names = domain === '' ? Object.keys(OP_VERSIONS) : Object.keys(DOMAINS[domain] ?? {});
  const spelled = names.find((n) => n.toLowerCase() === lower);
  if (spelled) return `operator names are case-sensitive: did you mean ${spelled}?`;
  for (const other of Object.keys(DOMAINS)) {
    if (other !== domain && DOMAINS[other][opType]) {
      return `${opType} is an operator of the ${other || 'ai.onnx'} domain: set the node's domain to ${other ? `"${other}"` : '"" (ai.onnx)'}.`;
    }
  }
  return undefined;
}
