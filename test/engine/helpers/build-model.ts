/** Builds small ONNX models in tests with protobuf-es, and runs them on onnxruntime. */
import { create } from '@bufbuild/protobuf';
import * as ort from 'onnxruntime-node';
import { encodeModel } from '../../../electron/engine/onnx/codec';
import {
  AttributeProtoSchema,
  AttributeType,
  DataType,
  GraphProtoSchema,
  ModelProtoSchema,
  NodeProtoSchema,
  TensorProtoSchema,
  ValueInfoProtoSchema,
  type AttributeProto,
  type GraphProto,
  type ModelProto,
  type NodeProto,
  type TensorProto,
  type ValueInfoProto,
} from '../../../electron/engine/onnx/proto';

/** An attribute value: number (float unless `int` is used), integer list, tensor or graph. */
export type AttrValue = number | { int: number } | { ints: number[] } | TensorProto | GraphProto;

/** @returns a float32 (or int64) tensor with its values in raw_data. */
export function tensor(name: string, dims: number[], values: number[], dataType: DataType = DataType.FLOAT): TensorProto {
  const raw =
    dataType === DataType.INT64
      ? new Uint8Array(BigInt64Array.from(values.map(BigInt)).buffer)
      : new Uint8Array(Float32Array.from(values).buffer);
  return create(TensorProtoSchema, { name, dims: dims.map(BigInt), dataType, rawData: raw });
}

/** @returns a node of the default domain. */
export function node(opType: string, inputs: string[], outputs: string[], attrs: Record<string, AttrValue> = {}, name = ''): NodeProto {
  return create(NodeProtoSchema, { opType, input: inputs, output: outputs, name, attribute: Object.entries(attrs).map(([k, v]) => attr(k, v)) });
}

/** @returns a tensor value record (graph input or output). */
export function value(name: string, dims: number[], elemType: DataType = DataType.FLOAT): ValueInfoProto {
  return create(ValueInfoProtoSchema, {
    name,
    type: { value: { case: 'tensorType', value: { elemType, shape: { dim: dims.map((d) => ({ value: { case: 'dimValue' as const, value: BigInt(d) } })) } } } },
  });
}

/** @returns a graph proto. */
export function graph(parts: { nodes: NodeProto[]; inputs?: ValueInfoProto[]; outputs: ValueInfoProto[]; initializers?: TensorProto[]; name?: string }): GraphProto {
  return create(GraphProtoSchema, {
    name: parts.name ?? 'g',
    node: parts.nodes,
    input: parts.inputs ?? [],
    output: parts.outputs,
    initializer: parts.initializers ?? [],
  });
}

/** @returns a model around a graph (opset 17, IR 8 unless given). */
export function model(g: GraphProto, options: { opset?: number; irVersion?: number } = {}): ModelProto {
  return create(ModelProtoSchema, {
    irVersion: BigInt(options.irVersion ?? 8),
    producerName: 'deploy-studio-tests',
    opsetImport: [{ domain: '', version: BigInt(options.opset ?? 17) }],
    graph: g,
  });
}

/**
 * Runs a model on onnxruntime, from its encoded bytes or from a file (whose external data is then found beside it).
 * @param feeds - float32 inputs by name
 * @returns every output as a plain number array
 */
export async function runModel(proto: ModelProto | string, feeds: Record<string, { dims: number[]; data: number[] }>): Promise<Record<string, number[]>> {
  const options = { intraOpNumThreads: 1, logSeverityLevel: 4 as const };
  const session = await (typeof proto === 'string'
    ? ort.InferenceSession.create(proto, options)
    : ort.InferenceSession.create(encodeModel(proto), options));
  try {
    const inputs = Object.fromEntries(Object.entries(feeds).map(([k, v]) => [k, new ort.Tensor('float32', Float32Array.from(v.data), v.dims)]));
    const out = await session.run(inputs);
    return Object.fromEntries(Object.entries(out).map(([k, t]) => [k, Array.from(t.data as Float32Array, Number)]));
  } finally {
    await session.release();
  }
}

function attr(name: string, v: AttrValue): AttributeProto {
  if (typeof v === 'number') return create(AttributeProtoSchema, { name, type: AttributeType.FLOAT, f: v });
  if ('int' in v) return create(AttributeProtoSchema, { name, type: AttributeType.INT, i: BigInt(v.int) });
  if ('ints' in v) return create(AttributeProtoSchema, { name, type: AttributeType.INTS, ints: v.ints.map(BigInt) });
  if (v.$typeName === 'onnx.TensorProto') return create(AttributeProtoSchema, { name, type: AttributeType.TENSOR, t: v });
  return create(AttributeProtoSchema, { name, type: AttributeType.GRAPH, g: v });
}
