/** Which tensors of a model train, their values as float32 arrays, and writing trained values back. */
import { clone } from '@bufbuild/protobuf';
import { DataType, ModelProtoSchema, type ModelProto, type TensorProto } from '../onnx/proto';
import { mapClonedTensors } from '../onnx/ir/model-ir';
import type { ExternalRef } from '../onnx/external-data';
import { tensorValues } from '../onnx/tensor-data';

/** Inputs of these operators that hold weights which train (by input index). */
const WEIGHT_INPUTS: Readonly<Record<string, readonly number[]>> = {
  Conv: [1, 2],
  ConvTranspose: [1, 2],
  Gemm: [0, 1, 2],
  MatMul: [0, 1],
  BatchNormalization: [1, 2],
  Add: [0, 1],
  Sub: [0, 1],
  Mul: [0, 1],
  Div: [0, 1],
};

/**
 * @returns the float32 initializers the student trains: weights and biases of Conv/Gemm/MatMul, batch-norm scale
 * and shift, and float constants of arithmetic nodes (running statistics, clip bounds and shapes stay fixed)
 */
export function trainableTensors(proto: ModelProto): TensorProto[] {
  const graph = proto.graph;
  if (!graph) return [];
  const floats = new Map(graph.initializer.filter((t) => t.dataType === DataType.FLOAT && t.dims.length > 0).map((t) => [t.name, t]));
  const picked = new Map<string, TensorProto>();
  for (const node of graph.node) {
    const slots = WEIGHT_INPUTS[node.opType];
    if (!slots || (node.domain && node.domain !== 'ai.onnx')) continue;
    for (const i of slots) {
      const t = floats.get(node.input[i] ?? '');
      if (t) picked.set(t.name, t);
    }
  }
  return [...picked.values()];
}

/** @returns each tensor's values as a fresh float32 array (external data read). */
export function readWeights(tensors: readonly TensorProto[], external: ReadonlyMap<TensorProto, ExternalRef>): Map<string, Float32Array> {
  return new Map(tensors.map((t) => [t.name, Float32Array.from(tensorValues(t, external.get(t)) as Float32Array)]));
}

/**
 * A copy of the model with new values for some float32 initializers (stored inline as raw data).
 * @returns the copy and the external references of its untouched tensors
 */
export function withWeights(proto: ModelProto, external: ReadonlyMap<TensorProto, ExternalRef>, weights: ReadonlyMap<string, Float32Array>): { proto: ModelProto; external: Map<TensorProto, ExternalRef> } {
  const copy = clone(ModelProtoSchema, proto);
  const refs = mapClonedTensors(proto, copy, external);
  for (const t of copy.graph?.initializer ?? []) {
    const w = weights.get(t.name);
    if (!w) continue;
    t.rawData = new Uint8Array(w.buffer.slice(w.byteOffset, w.byteOffset + w.byteLength));
    t.floatData = [];
    t.externalData = [];
    t.dataLocation = 0;
    refs.delete(t);
  }
  return { proto: copy, external: refs };
}
