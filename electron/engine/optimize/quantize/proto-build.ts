/** Small builders for the tensors, nodes and attributes the quantization passes add to a model. */
import { create } from '@bufbuild/protobuf';
import { AttributeProtoSchema, AttributeType, DataType, NodeProtoSchema, TensorProtoSchema, type AttributeProto, type NodeProto, type TensorProto } from '../../onnx/proto';

type Numeric = Float32Array | Int8Array | Uint8Array | Int32Array | Uint16Array | BigInt64Array;

/**
 * A tensor with raw little-endian data.
 * @param name - tensor name
 * @param dataType - ONNX element type
 * @param dims - shape ([] for a scalar)
 * @param values - the elements (copied into `raw_data`)
 */
export function makeTensor(name: string, dataType: DataType, dims: readonly number[], values: Numeric): TensorProto {
  const bytes = new Uint8Array(values.byteLength);
  bytes.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
  return create(TensorProtoSchema, { name, dataType, dims: dims.map((d) => BigInt(d)), rawData: bytes });
}

/** A float32 scalar or vector. */
export function floatTensor(name: string, values: readonly number[] | Float32Array, vector = false): TensorProto {
  const data = Float32Array.from(values);
  return makeTensor(name, DataType.FLOAT, vector || data.length !== 1 ? [data.length] : [], data);
}

/** A zero point (uint8 or int8) scalar or vector. */
export function zeroPointTensor(name: string, type: 'uint8' | 'int8', values: readonly number[] | Int8Array | Uint8Array, vector = false): TensorProto {
  const data = type === 'uint8' ? Uint8Array.from(values) : Int8Array.from(values);
  return makeTensor(name, type === 'uint8' ? DataType.UINT8 : DataType.INT8, vector || data.length !== 1 ? [data.length] : [], data);
}

/** An int attribute. */
export function intAttr(name: string, value: number): AttributeProto {
  return create(AttributeProtoSchema, { name, type: AttributeType.INT, i: BigInt(value) });
}

/** A float attribute. */
export function floatAttr(name: string, value: number): AttributeProto {
  return create(AttributeProtoSchema, { name, type: AttributeType.FLOAT, f: value });
}

/**
 * A node of the default domain (or another when given).
 * @param opType - operator
 * @param inputs - input names ('' for an omitted optional input)
 * @param outputs - output names
 * @param name - node name
 */
export function makeNode(opType: string, inputs: string[], outputs: string[], name: string, attrs: AttributeProto[] = [], domain = ''): NodeProto {
  return create(NodeProtoSchema, { opType, input: inputs, output: outputs, name, attribute: attrs, domain });
}

/** @returns the value of an int attribute, or the default. */
export function getIntAttr(node: NodeProto, name: string, fallback: number): number {
  const a = node.attribute.find((x) => x.name === name);
  return a ? Number(a.i) : fallback;
}

/** @returns the value of a float attribute, or the default. */
export function getFloatAttr(node: NodeProto, name: string, fallback: number): number {
  const a = node.attribute.find((x) => x.name === name);
  return a ? a.f : fallback;
}

/** Sets (or adds) an int attribute. */
export function setIntAttr(node: NodeProto, name: string, value: number): void {
  const a = node.attribute.find((x) => x.name === name);
  if (a) a.i = BigInt(value);
  else node.attribute.push(intAttr(name, value));
}

/** Sets (or adds) a float attribute. */
export function setFloatAttr(node: NodeProto, name: string, value: number): void {
  const a = node.attribute.find((x) => x.name === name);
  if (a) a.f = value;
  else node.attribute.push(floatAttr(name, value));
}
