/** MACs and FLOPs for the model summary: static inference only (never runs the model), null when shapes are unknown. */
import type { LoadedModel } from '../onnx/load';
import { analyzeModel } from './model-analysis';

/**
 * Totals for `inspect` and the Model screen, at size 1 for every symbolic dim (per batch item).
 * @param model - the loaded model
 * @returns `flops` and `macs`, both null when a shape they need is unknown or the analysis fails
 */
export function summaryCosts(model: LoadedModel): { flops: number | null; macs: number | null } {
  if (!model.proto.graph) return { flops: null, macs: null };
  try {
    const { dto } = analyzeModel(model);
    return dto.costsKnown ? { flops: dto.totals.flops, macs: dto.totals.macs } : { flops: null, macs: null };
  } catch {
    return { flops: null, macs: null };
  }
}
