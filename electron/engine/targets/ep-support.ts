/** Which ops and dtypes each execution provider runs: data in `assets/profiles/ep-support/*.json`, read once. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { builtInProfileDir } from './profile-store';

const EpSupportSchema = z
  .object({
    ep: z.string(),
    name: z.string(),
    /** `all`: every op of its domains; `deny`: all but `ops`; `allow`: only `ops` */
    mode: z.enum(['all', 'deny', 'allow']),
    ops: z.array(z.string()),
    /** com.microsoft ops it has kernels for (in `deny`/`allow` modes) */
    contribOps: z.array(z.string()).optional(),
    domains: z.array(z.string()),
    dtypes: z.array(z.string()),
    notes: z.string(),
    source: z.string(),
  })
  .strict();
export type EpSupport = z.infer<typeof EpSupportSchema>;

/**
 * ONNX ops defined as functions of simpler ops: onnxruntime inlines them when a provider has no kernel, so they are
 * not a reason to fall back.
 */
export const FUNCTION_OPS = new Set([
  'Celu', 'MeanVarianceNormalization', 'Mish', 'GroupNormalization', 'CenterCropPad', 'BlackmanWindow', 'HannWindow', 'HammingWindow',
  'DynamicQuantizeLinear', 'NegativeLogLikelihoodLoss', 'SoftmaxCrossEntropyLoss', 'CastLike', 'Swish', 'Bernoulli', 'HardSwish',
  'ThresholdedRelu', 'Shrink', 'Softsign', 'GreaterOrEqual', 'LessOrEqual', 'Range', 'Gelu', 'LayerNormalization',
]);

/** Ops that never reach a provider (constants are folded, identities removed by graph optimization). */
export const GRAPH_LEVEL_OPS = new Set(['Constant', 'Identity', 'Dropout']);

let cache: Map<string, EpSupport> | undefined;

/** @returns the support data of every provider that has a file, by EP name. */
export function epSupportTable(dir = path.join(builtInProfileDir(), 'ep-support')): Map<string, EpSupport> {
  if (cache) return cache;
  const table = new Map<string, EpSupport>();
  for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.json'))) {
    const parsed = EpSupportSchema.safeParse(JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')));
    if (!parsed.success) throw new Error(`Bundled EP support file ${f} is invalid: ${parsed.error.issues[0]?.message}`);
    table.set(parsed.data.ep, parsed.data);
  }
  cache = table;
  return table;
}

const DEFAULT_DOMAINS = new Set(['', 'ai.onnx']);

/**
 * Whether a provider has a kernel for an op.
 * @param support - the provider's data (undefined: nothing is known, assumed supported)
 * @param opType - the op
 * @param domain - the op's domain
 */
export function epHasOp(support: EpSupport | undefined, opType: string, domain: string): boolean {
  if (!support) return true;
  const dom = DEFAULT_DOMAINS.has(domain) ? '' : domain;
  if (!support.domains.includes(dom) && !(dom === '' && support.domains.includes('ai.onnx'))) return false;
  if (GRAPH_LEVEL_OPS.has(opType) && dom === '') return true;
  if (support.mode === 'all') return true;
  if (dom !== '') return (support.contribOps ?? []).includes(opType);
  return support.mode === 'deny' ? !support.ops.includes(opType) : support.ops.includes(opType);
}
