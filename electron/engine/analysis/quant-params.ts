/**
 * What counts as a parameter: weights and biases, in float or quantized form. The scales and zero points that
 * quantization adds are not parameters (they describe how weights and activations are stored), so a model keeps its
 * parameter count when it is quantized; they are counted apart.
 */
import type { GraphProto } from '../onnx/proto';

/** Inputs (by index) of each operator that carry quantization scales or zero points. */
const QUANT_PARAM_INPUTS: Readonly<Record<string, readonly number[]>> = {
  QuantizeLinear: [1, 2],
  DequantizeLinear: [1, 2],
  QLinearConv: [1, 2, 4, 5, 6, 7],
  QLinearMatMul: [1, 2, 4, 5, 6, 7],
  QLinearAdd: [1, 2, 4, 5, 6, 7],
  QLinearMul: [1, 2, 4, 5, 6, 7],
  QLinearGlobalAveragePool: [1, 2, 3, 4],
  ConvInteger: [2, 3],
  MatMulInteger: [2, 3],
  QGemm: [1, 2, 4, 5, 7, 8],
};

/**
 * @returns the names of tensors that a graph reads only as quantization scales or zero points (a tensor also read
 * as data by another input stays a parameter)
 */
export function quantParamNames(graph: GraphProto): Set<string> {
  const asQuant = new Set<string>();
  const asData = new Set<string>();
  for (const node of graph.node) {
    const quant = QUANT_PARAM_INPUTS[node.opType] ?? [];
    node.input.forEach((name, i) => {
      if (!name) return;
      (quant.includes(i) ? asQuant : asData).add(name);
    });
  }
  for (const name of asData) asQuant.delete(name);
  return asQuant;
}
