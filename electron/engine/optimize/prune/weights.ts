/** The constant tensors pruning reads and rewrites: resolving them (through Identity), reading floats, slicing, replacing. */
import { create } from '@bufbuild/protobuf';
import { StudioError } from '../../../../shared/api/errors';
import { dtypeInfo } from '../../onnx/dtypes';
import type { ExternalRef } from '../../onnx/external-data';
import { inputRecordFor, retypeValueInfos, setConstantValue } from '../../onnx/ir/edit-helpers';
import { addInitializer, replaceInitializer } from '../../onnx/ir/edits';
import type { Graph } from '../../onnx/ir/graph';
import { DataType, TensorProtoSchema, type NodeProto, type TensorProto } from '../../onnx/proto';
import { elementCount, rawBytes, tensorValues } from '../../onnx/tensor-data';
import { floatToHalfBits, halfBitsToFloat } from '../../runtime/host-tensor';

/** Float dtypes whose values pruning can score and rewrite. */
export const FLOAT_TYPES = new Set<number>([DataType.FLOAT, DataType.FLOAT16, DataType.DOUBLE, DataType.BFLOAT16]);

/** External references of the model being edited, keyed by TensorProto. */
export type ExternalMap = ReadonlyMap<TensorProto, ExternalRef>;

/**
 * The stored tensor behind a name: an initializer, a Constant node's value, or either seen through Identity nodes
 * (exporters deduplicate equal weights so).
 * @returns the tensor, or undefined for values computed at run time
 */
export function resolveConstant(graph: Graph, name: string): TensorProto | undefined {
  for (let depth = 0; depth < 8 && name; depth++) {
    const t = graph.constantTensor(name);
    if (t) return t;
    const p = graph.producer(name);
    if (!p || p.opType !== 'Identity' || (p.domain !== '' && p.domain !== 'ai.onnx')) return undefined;
    name = p.input[0];
  }
  return undefined;
}

/** @returns the dims of a tensor as numbers. */
export function dimsOf(t: TensorProto): number[] {
  return t.dims.map(Number);
}

/**
 * Reads a float tensor's values as float32 (float16/bfloat16/double converted).
 * @throws StudioError `UNSUPPORTED_OP` for other dtypes
 */
export function readFloats(t: TensorProto, external: ExternalMap): Float32Array {
  const values = tensorValues(t, external.get(t));
  switch (t.dataType) {
    case DataType.FLOAT:
      return values as Float32Array;
    case DataType.DOUBLE:
      return Float32Array.from(values as Float64Array);
    case DataType.FLOAT16:
      return Float32Array.from(values as Uint16Array, (b) => halfBitsToFloat(b));
    case DataType.BFLOAT16: {
      const out = new Float32Array(values.length);
      const u = new Uint32Array(out.buffer);
      const bits = values as Uint16Array;
      for (let i = 0; i < bits.length; i++) u[i] = bits[i] << 16;
      return out;
    }
    default:
      throw new StudioError('UNSUPPORTED_OP', `Weight "${t.name}" is ${dtypeInfo(t.dataType).name}; pruning reads float weights only.`);
  }
}

/**
 * Makes a tensor of a float dtype from float32 values.
 * @param dataType - the dtype to store (the original weight's)
 */
export function floatTensor(name: string, dims: readonly number[], values: Float32Array, dataType: number): TensorProto {
  let raw: Uint8Array;
  switch (dataType) {
    case DataType.FLOAT:
      raw = new Uint8Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength));
      break;
    case DataType.DOUBLE:
      raw = new Uint8Array(Float64Array.from(values).buffer);
      break;
    case DataType.FLOAT16:
      raw = new Uint8Array(Uint16Array.from(values, (v) => floatToHalfBits(v)).buffer);
      break;
    case DataType.BFLOAT16: {
      const u = new Uint32Array(Float32Array.from(values).buffer);
      raw = new Uint8Array(Uint16Array.from(u, (b) => (b + 0x7fff + ((b >>> 16) & 1)) >>> 16).buffer);
      break;
    }
    default:
      throw new StudioError('UNSUPPORTED_OP', `Cannot write a ${dtypeInfo(dataType).name} weight "${name}".`);
  }
  return create(TensorProtoSchema, { name, dims: dims.map(BigInt), dataType, rawData: raw });
}

/** @returns the tensor's bytes, little-endian, whatever field holds them. */
function bytesOf(t: TensorProto, external: ExternalMap): Uint8Array {
  const raw = rawBytes(t, external.get(t));
  if (raw) return raw;
  const v = tensorValues(t);
  return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
}

/**
 * Keeps some positions of one axis of a tensor (any dtype of whole bytes).
 * @param keep - the positions kept along `axis`, ascending
 * @returns a new tensor (the input is untouched)
 * @throws StudioError `UNSUPPORTED_OP` for packed sub-byte dtypes
 */
export function sliceAxis(t: TensorProto, external: ExternalMap, axis: number, keep: ArrayLike<number>): TensorProto {
  const info = dtypeInfo(t.dataType);
  if (info.bits % 8 !== 0 || info.bits === 0) {
    throw new StudioError('UNSUPPORTED_OP', `Weight "${t.name}" is ${info.name}; pruning cannot slice packed or string tensors.`);
  }
  const dims = dimsOf(t);
  const esize = info.bits / 8;
  const outer = dims.slice(0, axis).reduce((a, b) => a * b, 1);
  const inner = dims.slice(axis + 1).reduce((a, b) => a * b, 1) * esize;
  const len = dims[axis];
  const src = bytesOf(t, external);
  const out = new Uint8Array(outer * keep.length * inner);
  let o = 0;
  for (let i = 0; i < outer; i++) {
    const base = i * len * inner;
    for (let k = 0; k < keep.length; k++) {
      const from = base + keep[k] * inner;
      if (inner > 64) out.set(src.subarray(from, from + inner), o);
      else for (let b = 0; b < inner; b++) out[o + b] = src[from + b];
      o += inner;
    }
  }
  const newDims = [...dims];
  newDims[axis] = keep.length;
  return create(TensorProtoSchema, { name: t.name, dims: newDims.map(BigInt), dataType: t.dataType, rawData: out });
}

/**
 * Sets a node's weight input. A private initializer (read by this node alone) is replaced under its own name; a weight
 * shared with other nodes, or reached through Identity/Constant nodes, gets a new initializer for this node so the
 * others keep theirs.
 * @param index - the node input to set; past the end (an omitted optional input) appends it
 * @param base - the name wanted for a new initializer
 * @returns the name the node now reads
 */
export function setNodeWeight(graph: Graph, node: NodeProto, index: number, tensor: TensorProto, base: string): string {
  const current = index < node.input.length ? node.input[index] : '';
  if (current && graph.initializer(current) && !graph.isOutput(current) && !graph.isInput(current)) {
    const readers = graph.consumers(current).length + graph.implicitUsers(current).length;
    const reads = node.input.filter((n) => n === current).length;
    if (readers === 1 && reads === 1) {
      replaceInitializer(graph, current, tensor);
      return current;
    }
  }
  const name = graph.uniqueName(base);
  tensor.name = name;
  addInitializer(graph, tensor);
  while (node.input.length < index) node.input.push('');
  if (index < node.input.length) node.input[index] = name;
  else node.input.push(name);
  graph.invalidate();
  return name;
}

/** @returns the number of elements of a tensor. */
export function sizeOf(t: TensorProto): number {
  return elementCount(t);
}

/** @returns the name under which a weight read as `name` is stored (Identity nodes followed back to their source). */
export function storedName(graph: Graph, name: string): string {
  for (let depth = 0; depth < 8 && name; depth++) {
    if (graph.constantTensor(name)) return name;
    const p = graph.producer(name);
    if (!p || p.opType !== 'Identity') return name;
    name = p.input[0];
  }
  return name;
}

/**
 * Sets many node weights at once with one index rebuild at the end (setting them one by one rebuilds the graph's
 * indexes after every edit). Same rules as {@link setNodeWeight}: private initializers are replaced under their name,
 * shared or Constant/Identity-held weights get a new initializer for the node.
 */
export class WeightWriter {
  private readonly readers = new Map<string, number>();
  private readonly initIndex = new Map<string, number>();

  constructor(private readonly graph: Graph) {
    for (const g of graph.allGraphs()) {
      for (const n of g.nodes) for (const i of n.input) if (i) this.readers.set(i, (this.readers.get(i) ?? 0) + 1);
      for (const o of g.outputs) this.readers.set(o.name, (this.readers.get(o.name) ?? 0) + 1);
    }
    graph.initializers.forEach((t, i) => this.initIndex.set(t.name, i));
  }

  /** Sets input `index` of `node` to `tensor`. @returns the name the node now reads */
  set(node: NodeProto, index: number, tensor: TensorProto, base: string): string {
    const g = this.graph;
    const current = index < node.input.length ? node.input[index] : '';
    const at = current ? this.initIndex.get(current) : undefined;
    if (at !== undefined && this.readers.get(current) === 1 && !g.isInput(current)) {
      tensor.name = current;
      g.initializers[at] = tensor;
      retypeValueInfos(g.valueInfo.filter((v) => v.name === current), tensor);
      return current;
    }
    const name = g.uniqueName(base);
    tensor.name = name;
    g.initializers.push(tensor);
    this.initIndex.set(name, g.initializers.length - 1);
    this.readers.set(name, 1);
    if (!g.parent && g.irVersion > 0 && g.irVersion < 4) g.inputs.push(inputRecordFor(tensor));
    if (current) this.readers.set(current, (this.readers.get(current) ?? 1) - 1);
    while (node.input.length < index) node.input.push('');
    if (index < node.input.length) node.input[index] = name;
    else node.input.push(name);
    return name;
  }

  /**
   * Replaces a stored tensor under its own name, for every reader (an initializer, or a Constant node's value).
   * @returns false when `name` is neither (nothing changed)
   */
  replace(name: string, tensor: TensorProto): boolean {
    const g = this.graph;
    tensor.name = name;
    const at = this.initIndex.get(name);
    if (at !== undefined) g.initializers[at] = tensor;
    else {
      const producer = g.producer(name);
      if (!producer || producer.opType !== 'Constant') return false;
      setConstantValue(producer, tensor);
    }
    retypeValueInfos(g.valueInfo.filter((v) => v.name === name), tensor);
    return true;
  }

  /** Adds a new initializer (named from `base`). @returns its name */
  add(tensor: TensorProto, base: string): string {
    const g = this.graph;
    const name = g.uniqueName(base);
    tensor.name = name;
    g.initializers.push(tensor);
    this.initIndex.set(name, g.initializers.length - 1);
    this.readers.set(name, 0);
    if (!g.parent && g.irVersion > 0 && g.irVersion < 4) g.inputs.push(inputRecordFor(tensor));
    return name;
  }

  /** Makes input `index` of `node` read `name`. */
  point(node: NodeProto, index: number, name: string): void {
    const current = node.input[index];
    if (current === name) return;
    if (current) this.readers.set(current, (this.readers.get(current) ?? 1) - 1);
    this.readers.set(name, (this.readers.get(name) ?? 0) + 1);
    node.input[index] = name;
  }

  /** Rebuilds the graph's indexes after the edits. */
  flush(): void {
    this.graph.invalidate();
  }
}
