/** The pruning passes' refusal of quantized models (their int8 weights and scales cannot be cut consistently). */
import { StudioError } from '../../../../shared/api/errors';
import { isQuantizedGraph, QUANTIZED_REFUSAL } from '../../../../shared/prune/prune-refusal';
import type { ModelProto } from '../../onnx/proto';

/**
 * Refuses a quantized model before any planning.
 * @throws StudioError `INVALID_REQUEST` naming why and what to prune instead
 */
export function refuseQuantized(proto: ModelProto): void {
  if (isQuantizedGraph((proto.graph?.node ?? []).map((n) => n.opType))) throw new StudioError('INVALID_REQUEST', QUANTIZED_REFUSAL);
}
