/** The rule every pass keeps: an optimization never makes a model's stored weights larger than it says it will. */
import { StudioError } from '../../../shared/api/errors';
import { formatBytes } from '../../../shared/format/bytes';
import { formatCount } from '../../../shared/format/count';
import type { ExternalRef } from '../onnx/external-data';
import { DataType, type ModelProto, type TensorProto } from '../onnx/proto';
import { forEachTensor } from '../onnx/walk';
import type { Pass } from './pass';

/** What a model stores: float parameters (elements of float tensors), their bytes, and bytes of every stored tensor. */
export interface StoredSize {
  params: number;
  floatBytes: number;
  bytes: number;
}

const FLOAT_TYPES = new Set<number>([DataType.FLOAT, DataType.FLOAT16, DataType.DOUBLE, DataType.BFLOAT16]);

/** Bytes quantization parameters (scales, zero points) may add beyond what the weights lose, on models with few weights. */
const QUANT_SLACK_BYTES = 1024;

/** @returns the stored size of a model (each tensor of every graph, bodies and functions included, counted once). */
export function storedSize(proto: ModelProto, external: ReadonlyMap<TensorProto, ExternalRef>): StoredSize {
  let params = 0;
  let floatBytes = 0;
  let bytes = 0;
  forEachTensor(proto, (t) => {
    const n = external.get(t)?.length ?? t.rawData.length + t.floatData.length * 4 + t.int32Data.length * 4 + t.int64Data.length * 8 + t.doubleData.length * 8 + t.uint64Data.length * 8;
    bytes += n;
    if (!FLOAT_TYPES.has(t.dataType)) return;
    floatBytes += n;
    params += t.dims.reduce((k, d) => k * Number(d), 1);
  });
  return { params, floatBytes, bytes };
}

/**
 * Checks what a pass returned against what it was given and what it reports.
 * - pruning never adds float parameters nor their bytes (rewritten shape constants, split sizes aside);
 * - quantization and float16 never store more bytes than before, and store exactly what their report says.
 * @param report - the pass's report (`weightBytesAfter` is checked when present)
 * @throws StudioError `INTERNAL` naming the pass and the figures: the pass broke the rule and its model is not written
 */
export function checkPassSize(pass: Pick<Pass, 'title' | 'produces'>, before: StoredSize, after: StoredSize, report: Record<string, unknown>): void {
  const problems: string[] = [];
  if (pass.produces === 'pruned' && after.params > before.params) {
    problems.push(`float parameters grew from ${formatCount(before.params)} to ${formatCount(after.params)}`);
  }
  if (pass.produces === 'pruned' && after.floatBytes > before.floatBytes) {
    problems.push(`stored weights grew from ${formatBytes(before.floatBytes)} to ${formatBytes(after.floatBytes)}`);
  }
  if ((pass.produces === 'quantized' || pass.produces === 'fp16') && after.bytes > before.bytes + QUANT_SLACK_BYTES) {
    problems.push(`stored weights grew from ${formatBytes(before.bytes)} to ${formatBytes(after.bytes)}`);
  }
  const said = report.weightBytesAfter;
  if (typeof said === 'number' && after.bytes > said) {
    problems.push(`it stores ${formatBytes(after.bytes)} of weights where its report says ${formatBytes(said)}`);
  }
  if (problems.length === 0) return;
  throw new StudioError(
    'INTERNAL',
    `${pass.title} made the model larger than it should: ${problems.join('; ')}. No model was written. ` +
      'This is a bug of the pass (a weight stored twice is the usual cause); report it with the model.',
  );
}
