/** What pruning refuses before it runs, with the reason the user reads: quantized models and runs that remove nothing. */

/** Operators that mark a model as quantized (QDQ pairs or integer kernels). */
export const QUANTIZED_OPS: ReadonlySet<string> = new Set([
  'QuantizeLinear',
  'DequantizeLinear',
  'DynamicQuantizeLinear',
  'QLinearConv',
  'QLinearMatMul',
  'ConvInteger',
  'MatMulInteger',
  'QLinearAdd',
  'QLinearMul',
  'QLinearGlobalAveragePool',
]);

/** @returns whether a graph with these operator types is quantized. */
export function isQuantizedGraph(opTypes: Iterable<string>): boolean {
  for (const op of opTypes) if (QUANTIZED_OPS.has(op)) return true;
  return false;
}

/** The message every front end shows for a quantized model (the engine's error and the panel's refusal). */
export const QUANTIZED_REFUSAL =
  'Pruning a quantized model is not supported: its weights are int8 with scales and zero points that pruning cannot cut consistently. Pick the original (or a float variant) in the variant list, prune it, then quantize the pruned variant.';

/** The variant a run would start from, as far as refusing goes. */
export interface PruneSource {
  kind: string;
  recipe: { steps: Array<{ pass: string }> } | null;
}

/** The options that decide whether a run removes anything. */
export interface PruneAmount {
  method: 'channel' | 'magnitude';
  sparsity?: number;
  nm?: string;
}

/**
 * Why a pruning run must not start, or null when it may.
 * @param source - the variant being worked on (null: the original)
 * @param amount - method and sparsity of the form
 * @returns one sentence with the reason and what to do instead
 */
export function pruneRefusal(source: PruneSource | null, amount: PruneAmount): string | null {
  if (source && (source.kind === 'quantized' || source.recipe?.steps.some((s) => s.pass.startsWith('quantize')))) return QUANTIZED_REFUSAL;
  const removesNothing = amount.method === 'magnitude' ? !amount.nm && !(amount.sparsity && amount.sparsity > 0) : !(amount.sparsity && amount.sparsity > 0);
  if (removesNothing) return 'A 0 % run removes nothing and would make a copy of the model: move the slider above 0 %.';
  return null;
}
