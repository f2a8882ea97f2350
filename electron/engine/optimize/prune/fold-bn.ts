/** Folds BatchNormalization into the Conv or Gemm right before it, so importance sees the effective weights. */
import { AttrReader } from '../../analysis/infer-types';
import { removeNode, renameValue } from '../../onnx/ir/edits';
import type { ModelIR } from '../../onnx/ir/model-ir';
import type { NodeProto } from '../../onnx/proto';
import { isSharedWeight } from './shared-weights';
import { dimsOf, floatTensor, FLOAT_TYPES, readFloats, resolveConstant, setNodeWeight, type ExternalMap } from './weights';

/** The layer a BatchNormalization can fold into, when the pattern is safe. */
function foldable(model: ModelIR, bn: NodeProto): NodeProto | undefined {
  const g = model.graph;
  if (bn.opType !== 'BatchNormalization' || (bn.domain !== '' && bn.domain !== 'ai.onnx')) return undefined;
  if (new AttrReader(bn).int('training_mode', 0) !== 0) return undefined;
  if (bn.output.slice(1).some((o) => o !== '')) return undefined;
  const layer = g.producer(bn.input[0]);
  if (!layer || (layer.opType !== 'Conv' && layer.opType !== 'Gemm') || (layer.domain !== '' && layer.domain !== 'ai.onnx')) return undefined;
  if (g.consumers(bn.input[0]).length !== 1 || g.isOutput(bn.input[0]) || g.implicitUsers(bn.input[0]).length > 0) return undefined;
  const w = resolveConstant(g, layer.input[1]);
  if (!w || !FLOAT_TYPES.has(w.dataType)) return undefined;
  // a weight other layers read too would be stored twice (folded for this layer, as it was for the others)
  if (isSharedWeight(g, layer.input[1])) return undefined;
  if (layer.input[2] && !resolveConstant(g, layer.input[2])) return undefined;
  if (layer.opType === 'Gemm' && new AttrReader(layer).float('alpha', 1) !== 1) return undefined;
  if (!bn.input.slice(1, 5).every((n) => n && resolveConstant(g, n))) return undefined;
  return layer;
}

/**
 * Folds every foldable Conv/Gemm → BatchNormalization pair.
 * @returns the names of the folded BatchNormalization nodes
 */
export function foldBatchNorms(model: ModelIR, external: ExternalMap): string[] {
  const g = model.graph;
  const folded: string[] = [];
  for (const bn of [...g.nodes]) {
    const layer = foldable(model, bn);
    if (!layer) continue;
    const [gamma, beta, mean, variance] = bn.input.slice(1, 5).map((n) => readFloats(resolveConstant(g, n)!, external));
    const eps = new AttrReader(bn).float('epsilon', 1e-5);
    const w = resolveConstant(g, layer.input[1])!;
    const wd = dimsOf(w);
    const weights = Float32Array.from(readFloats(w, external));
    const channels = gamma.length;
    const gemmCols = layer.opType === 'Gemm' && new AttrReader(layer).int('transB', 0) === 0;
    const outAxisLen = gemmCols ? wd[1] : wd[0];
    if (outAxisLen !== channels) continue;
    const scale = Float32Array.from(gamma, (gm, c) => gm / Math.sqrt(variance[c] + eps));
    if (gemmCols) {
      for (let i = 0; i < weights.length; i++) weights[i] *= scale[i % channels];
    } else {
      const per = weights.length / channels;
      for (let i = 0; i < weights.length; i++) weights[i] *= scale[Math.floor(i / per)];
    }
    const biasName = layer.input[2];
    const oldBias = biasName ? readFloats(resolveConstant(g, biasName)!, external) : undefined;
    if (oldBias && oldBias.length !== channels) continue;
    const beta0 = layer.opType === 'Gemm' ? new AttrReader(layer).float('beta', 1) : 1;
    const bias = Float32Array.from({ length: channels }, (_, c) => ((oldBias ? beta0 * oldBias[c] : 0) - mean[c]) * scale[c] + beta[c]);
    setNodeWeight(g, layer, 1, floatTensor('', wd, weights, w.dataType), `${layer.input[1]}_folded`);
    setNodeWeight(g, layer, 2, floatTensor('', [channels], bias, w.dataType), `${layer.name || layer.opType}_bias_folded`);
    if (layer.opType === 'Gemm') layer.attribute = layer.attribute.filter((a) => a.name !== 'beta');
    const bnOut = bn.output[0];
    removeNode(g, bn, layer.output[0], { renameGraphOutputs: true });
    // keep the BatchNormalization's output name: the folded layer computes that very value (recovery and error
    // reports match tensors of the original by name); its value_info record goes, the layer's is renamed
    if (layer.output[0] !== bnOut) {
      const kept = g.valueInfo.filter((v) => v.name !== bnOut);
      if (kept.length !== g.valueInfo.length) {
        g.valueInfo.splice(0, g.valueInfo.length, ...kept);
        g.invalidate();
      }
      if (!g.isNameUsed(bnOut)) renameValue(g, layer.output[0], bnOut);
    }
    folded.push(bn.name || bn.output[0]);
  }
  return folded;
}
