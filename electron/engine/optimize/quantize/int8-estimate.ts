/** The estimated latency of a float and a quantized model on a target profile (roofline, from the targets feature). */
import type { TargetProfile } from '../../../../shared/targets/profile-schema';
import { analyzeModel } from '../../analysis/model-analysis';
import type { ExternalRef } from '../../onnx/external-data';
import { fromProto } from '../../onnx/load';
import type { ModelProto, TensorProto } from '../../onnx/proto';
import { estimateLatency, fusedNodeKeys } from '../../targets/estimate';

/** A target's estimate for the float and the quantized model. */
export interface TargetEstimate {
  target: string;
  targetName: string;
  floatMs: number;
  quantizedMs: number;
  /** float ÷ quantized */
  speedup: number;
  uncertaintyFactor: number;
  /** true when the target has int8 dot-product instructions this host lacks, so only the estimate can show the gain */
  beyondHost: boolean;
  note: string;
}

/** The same estimate the Target place shows for the model (one estimator: the roofline with the target's fusions). */
function estimateMs(profile: TargetProfile, proto: ModelProto, external: ReadonlyMap<TensorProto, ExternalRef>): number {
  const loaded = fromProto(proto, '/dev/null/model.onnx', 0);
  for (const [t, ref] of external) loaded.external.set(t, ref);
  const { dto, ir } = analyzeModel(loaded, {});
  return estimateLatency(profile, dto, fusedNodeKeys(ir, profile.graphOptimizationLevel)).ms;
}

/**
 * Estimates both models on a target.
 * @param profile - the target
 * @param floatModel - the float model
 * @param quantModel - the quantized model
 * @param beyondHost - whether the target's int8 instructions are missing on this host
 * @returns the estimate, or undefined when a model cannot be analysed
 */
export function estimateInt8Gain(
  profile: TargetProfile,
  floatModel: { proto: ModelProto; external: ReadonlyMap<TensorProto, ExternalRef> },
  quantModel: { proto: ModelProto; external: ReadonlyMap<TensorProto, ExternalRef> },
  beyondHost: boolean,
): TargetEstimate | undefined {
  try {
    const floatMs = estimateMs(profile, floatModel.proto, floatModel.external);
    const quantizedMs = estimateMs(profile, quantModel.proto, quantModel.external);
    const factor = profile.uncertaintyFactor ?? 2;
    return {
      target: profile.id,
      targetName: profile.name,
      floatMs,
      quantizedMs,
      speedup: quantizedMs > 0 ? floatMs / quantizedMs : 1,
      uncertaintyFactor: factor,
      beyondHost,
      note: beyondHost
        ? `Estimated (roofline, ×/÷ ${factor}): ${profile.name} has int8 dot-product instructions this host lacks, so this gain cannot be measured here.`
        : `Estimated (roofline, ×/÷ ${factor}); measure it on this host with a benchmark.`,
    };
  } catch {
    return undefined;
  }
}
