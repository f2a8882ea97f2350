/** Mean |activation| per channel of some tensors over calibration data (the activation-based importance criterion). */
import { DataType, type ModelProto } from '../../onnx/proto';
import type { ModelRuntime } from '../../runtime/calibration-run';
import { runItems, type Calibration } from './calibration';
import type { ChannelMeans } from './importance';
import type { ExternalMap } from './weights';

/** Tensors fetched per run at most (bounds the memory of one batch's extra outputs). */
const PER_RUN = 12;

/**
 * Measures channel means.
 * @param tensors - tensor names with their channel axis
 * @returns mean |x| per position of each tensor's channel axis
 */
export async function channelMeans(
  runtime: ModelRuntime,
  proto: ModelProto,
  external: ExternalMap,
  cal: Calibration,
  tensors: ReadonlyArray<{ name: string; axis: number }>,
  signal?: AbortSignal,
  progress?: (fraction: number) => void,
): Promise<ChannelMeans> {
  const means = new Map<string, Float64Array>();
  for (let start = 0; start < tensors.length; start += PER_RUN) {
    const part = tensors.slice(start, start + PER_RUN);
    const sums = new Map<string, { sum: Float64Array; count: number }>();
    const runner = await runtime.openTensorRunner(proto, external, { what: 'the original model', signal, extraOutputs: part.map((t) => ({ name: t.name, elemType: DataType.FLOAT })) });
    try {
      await runItems(runner, cal, cal.fit, part.map((t) => t.name), (out) => {
        for (const t of part) {
          const x = out[t.name];
          const data = x.data as Float32Array;
          const len = x.dims[t.axis];
          const inner = x.dims.slice(t.axis + 1).reduce((a, b) => a * b, 1);
          let acc = sums.get(t.name);
          if (!acc) sums.set(t.name, (acc = { sum: new Float64Array(len), count: 0 }));
          for (let i = 0; i < data.length; i++) acc.sum[Math.floor(i / inner) % len] += Math.abs(data[i]);
          acc.count += data.length / len;
        }
      }, signal);
    } finally {
      await runner.release();
    }
    for (const [name, { sum, count }] of sums) means.set(name, sum.map((v) => v / Math.max(1, count)));
    progress?.(Math.min(1, (start + PER_RUN) / tensors.length));
  }
  return means;
}
