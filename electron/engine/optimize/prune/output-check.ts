/** Runs a pruned model in onnxruntime against the original: outputs must keep their shapes; error metrics on the way. */
import type { FidelityMetricsDto } from '../../../../shared/api/evaluate-dto';
import { StudioError } from '../../../../shared/api/errors';
import { FidelityAccumulator } from '../../evaluate/metrics';
import type { ModelProto } from '../../onnx/proto';
import type { HostTensor } from '../../runtime/backend';
import type { ModelRuntime } from '../../runtime/calibration-run';
import { runItems, type Calibration } from './calibration';
import type { ExternalMap } from './weights';

/** A model's result against the reference. */
export interface CheckResult {
  /** fidelity of the first output */
  metrics: FidelityMetricsDto;
  /** items run */
  runs: number;
}

function hasNaN(t: HostTensor): boolean {
  const d = t.data;
  if (!(d instanceof Float32Array || d instanceof Float64Array)) return false;
  for (let i = 0; i < d.length; i++) if (Number.isNaN(d[i])) return true;
  return false;
}

/** The original model's outputs on some items, to check pruned models against. */
export class OutputChecker {
  private constructor(
    private readonly runtime: ModelRuntime,
    private readonly cal: Calibration,
    private readonly indexes: number[],
    private readonly outputs: string[],
    private readonly reference: Array<Record<string, HostTensor>>,
  ) {}

  /**
   * Runs the original once.
   * @param indexes - the items to check on (held-out calibration items)
   */
  static async create(runtime: ModelRuntime, proto: ModelProto, external: ExternalMap, cal: Calibration, indexes: number[], signal?: AbortSignal): Promise<OutputChecker> {
    const outputs = (proto.graph?.output ?? []).map((o) => o.name);
    const runner = await runtime.openTensorRunner(proto, external, { what: 'the original model', signal });
    const reference: Array<Record<string, HostTensor>> = [];
    try {
      await runItems(
        runner,
        cal,
        indexes,
        outputs,
        (out) => reference.push(Object.fromEntries(Object.entries(out).map(([k, t]) => [k, { ...t, data: t.data.slice() as HostTensor['data'] }]))),
        signal,
      );
    } finally {
      await runner.release();
    }
    return new OutputChecker(runtime, cal, indexes, outputs, reference);
  }

  /**
   * Runs a candidate on the same items.
   * @param what - what the candidate is, for messages (`the pruned model`)
   * @throws StudioError `INTERNAL` when onnxruntime refuses or fails to run it, or an output changed shape or turned NaN
   */
  async check(proto: ModelProto, external: ExternalMap, what: string, signal?: AbortSignal): Promise<CheckResult> {
    const fail = (detail: string, cause?: unknown) =>
      // a crashed or cancelled inference process says so itself; only onnxruntime's refusals are the candidate's fault
      cause instanceof StudioError && (cause.code === 'WORKER_CRASHED' || cause.code === 'JOB_CANCELLED')
        ? cause
        : new StudioError('INTERNAL', `${what} failed its check in onnxruntime (${detail}); nothing was saved. Skip the layers involved (skip option) and report the model.`, { cause });
    let runner;
    try {
      runner = await this.runtime.openTensorRunner(proto, external, { what, signal });
    } catch (err) {
      throw fail((err as Error).message, err);
    }
    const acc = new FidelityAccumulator();
    let chunk = 0;
    let runs = 0;
    try {
      await runItems(runner, this.cal, this.indexes, this.outputs, (out, items) => {
        const ref = this.reference[chunk++];
        for (const name of this.outputs) {
          const a = out[name];
          const b = ref[name];
          if (!a || a.dims.join(',') !== b.dims.join(',')) throw fail(`output "${name}" has shape [${a?.dims.join(', ')}] instead of [${b.dims.join(', ')}]`);
          if (hasNaN(a) && !hasNaN(b)) throw fail(`output "${name}" holds NaN`);
        }
        acc.add(out[this.outputs[0]], ref[this.outputs[0]], items.length);
        runs += items.length;
      }, signal);
    } catch (err) {
      if (err instanceof StudioError && (err.code === 'INTERNAL' || err.code === 'JOB_CANCELLED')) throw err;
      throw fail((err as Error).message, err);
    } finally {
      await runner.release();
    }
    return { metrics: acc.result(), runs };
  }
}
