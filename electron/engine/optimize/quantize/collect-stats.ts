/** Calibration runs: the float model with its activations as extra outputs, streamed batch by batch into statistics. */
import type { ExternalRef } from '../../onnx/external-data';
import type { Graph } from '../../onnx/ir/graph';
import { DataType, type ModelProto, type TensorProto } from '../../onnx/proto';
import type { HostTensor } from '../../runtime/backend';
import type { ModelRuntime } from '../../runtime/calibration-run';
import type { FeedSource } from './calibration-data';
import { TensorStats } from './histogram';
import { opKind } from './op-rules';

/** Bytes of intermediate tensors fetched in one run at most; more tensors are split over several passes of the data. */
export const FETCH_BUDGET_BYTES = 384 * 2 ** 20;

export interface RunContext {
  /** where models run (the jobs' inference process) */
  runtime: ModelRuntime;
  signal?: AbortSignal;
  progress(fraction: number, stage: string): void;
  log(line: string): void;
  /** @throws StudioError `JOB_CANCELLED` once cancelled */
  throwIfCancelled?(): void;
}

/** @returns float32 activation tensors read or written by any op the quantizer knows (the ones calibration needs). */
export function calibrationTensors(graph: Graph, dtypeOf: (name: string) => number | undefined, isConstant: (name: string) => boolean): string[] {
  const out = new Set<string>();
  for (const node of graph.nodes) {
    if (!opKind(node.opType, node.domain)) continue;
    for (const n of [...node.input, ...node.output]) {
      if (n && !out.has(n) && dtypeOf(n) === DataType.FLOAT && !isConstant(n)) out.add(n);
    }
  }
  return [...out];
}

/**
 * Splits tensors into groups whose fetched bytes per batch stay under the budget.
 * @param elementsPerItem - elements of a tensor for one item (unknown dims counted as 1)
 */
export function fetchGroups(tensors: string[], elementsPerItem: (name: string) => number, batch: number): string[][] {
  const groups: string[][] = [];
  let current: string[] = [];
  let bytes = 0;
  for (const t of tensors) {
    const b = elementsPerItem(t) * 4 * batch;
    if (current.length && bytes + b > FETCH_BUDGET_BYTES) {
      groups.push(current);
      current = [];
      bytes = 0;
    }
    current.push(t);
    bytes += b;
  }
  if (current.length) groups.push(current);
  return groups;
}

/** @returns the values of a float32 host tensor (empty for other types). */
export function floatData(t: HostTensor | undefined): Float32Array {
  return t && t.dtype === 'float32' ? (t.data as Float32Array) : new Float32Array(0);
}

/**
 * Runs the model over the data and gathers statistics of each tensor.
 * @param proto - the (prepared) float model
 * @param external - its external tensors
 * @param source - calibration data
 * @param groups - tensor groups from {@link fetchGroups}; each group is one pass over the data
 * @param withHistogram - keep histograms (every method but min/max)
 */
export async function collectStats(
  proto: ModelProto,
  external: ReadonlyMap<TensorProto, ExternalRef>,
  source: FeedSource,
  groups: string[][],
  withHistogram: boolean,
  ctx: RunContext,
): Promise<Map<string, TensorStats>> {
  const stats = new Map<string, TensorStats>();
  const total = groups.length * source.count;
  let done = 0;
  for (let g = 0; g < groups.length; g++) {
    const group = groups[g];
    for (const t of group) stats.set(t, new TensorStats(withHistogram));
    const inputs = new Set(proto.graph?.input.map((v) => v.name) ?? []);
    const fromFeeds = group.filter((n) => inputs.has(n));
    const runner = await ctx.runtime.openTensorRunner(proto, external, {
      extraOutputs: group.filter((n) => !inputs.has(n)).map((name) => ({ name, elemType: DataType.FLOAT })),
      what: 'the model being calibrated',
      signal: ctx.signal,
    });
    try {
      const fetch = group.filter((n) => runner.outputs.some((o) => o.name === n));
      for await (const batch of source.batches(ctx.signal)) {
        ctx.throwIfCancelled?.();
        const out = await runner.run(batch.inputs, fetch);
        for (const name of fetch) (stats.get(name) as TensorStats).add(floatData(out[name]));
        for (const name of fromFeeds) (stats.get(name) as TensorStats).add(floatData(batch.inputs[name]));
        done += batch.count;
        ctx.progress(done / total, `calibrating: ${Math.min(done, total)} of ${total} items${groups.length > 1 ? ` (pass ${g + 1} of ${groups.length})` : ''}`);
      }
    } finally {
      await runner.release();
    }
  }
  ctx.throwIfCancelled?.();
  return stats;
}
