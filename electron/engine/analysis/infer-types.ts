/** Types shared by the shape-inference driver and its per-op rules: tensor facts, node context, attribute readers. */
import { DataType, type AttributeProto, type GraphProto, type NodeProto } from '../onnx/proto';
import type { Dim } from './dims';

/**
 * What static inference knows about one tensor.
 * @remarks `value` holds the elements (row-major) of small tensors whose contents are known: shape tensors built by
 * Shape/Gather/Concat, constant initializers, folded arithmetic. Elements may be symbolic (`batch`) or unknown (null).
 */
export interface TensorFacts {
  /** ONNX `TensorProto.DataType`; 0 when unknown */
  dtype: number;
  /** null when the rank is unknown */
  shape: Dim[] | null;
  value?: Dim[];
  /** the type is not a plain tensor (sequence, map, optional): shape facts do not apply */
  nonTensor?: string;
}

/** Tensors with more elements than this do not get their values folded. */
export const MAX_FOLDED_ELEMENTS = 4096;

/** Infers the facts of a subgraph's outputs given facts about its inputs (used by If, Loop and Scan). */
export type SubgraphInfer = (graph: GraphProto, inputs: Array<TensorFacts | undefined>) => Array<TensorFacts | undefined>;

/** What a per-op rule sees. */
export interface NodeContext {
  node: NodeProto;
  /** the opset version of the node's domain */
  opset: number;
  /** facts of each input; undefined for an omitted optional input or an input nothing is known about */
  inputs: Array<TensorFacts | undefined>;
  /** true when input i is present (a non-empty name) */
  has(i: number): boolean;
  attrs: AttrReader;
  inferSubgraph: SubgraphInfer;
}

/** A per-op rule: the facts of each output (undefined where it cannot tell). */
export type InferRule = (ctx: NodeContext) => Array<TensorFacts | undefined>;

/** Typed access to a node's attributes. */
export class AttrReader {
  private readonly byName: Map<string, AttributeProto>;

  constructor(node: NodeProto) {
    this.byName = new Map(node.attribute.map((a) => [a.name, a]));
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  int(name: string, fallback: number): number;
  int(name: string): number | undefined;
  int(name: string, fallback?: number): number | undefined {
    const a = this.byName.get(name);
    return a ? Number(a.i) : fallback;
  }

  ints(name: string): number[] | undefined {
    const a = this.byName.get(name);
    return a ? a.ints.map(Number) : undefined;
  }

  float(name: string, fallback: number): number {
    const a = this.byName.get(name);
    return a ? a.f : fallback;
  }

  floats(name: string): number[] | undefined {
    return this.byName.get(name)?.floats;
  }

  string(name: string, fallback: string): string {
    const a = this.byName.get(name);
    return a ? new TextDecoder().decode(a.s) : fallback;
  }

  raw(name: string): AttributeProto | undefined {
    return this.byName.get(name);
  }
}

/** @returns facts for a tensor of known dtype and shape. */
export function tensor(dtype: number, shape: Dim[] | null, value?: Dim[]): TensorFacts {
  return value ? { dtype, shape, value } : { dtype, shape };
}

/** @returns the facts of input i with the shape replaced (dtype kept). */
export function like(input: TensorFacts | undefined, shape: Dim[] | null): TensorFacts {
  return { dtype: input?.dtype ?? 0, shape };
}

/** @returns the elements of a value when every one is a known number (integer or float), else undefined. */
export function intValues(f: TensorFacts | undefined): number[] | undefined {
  if (!f?.value || f.value.some((v) => typeof v !== 'number')) return undefined;
  return f.value as number[];
}

/** @returns the single known number a scalar (or one-element) tensor holds. */
export function scalarValue(f: TensorFacts | undefined): number | undefined {
  const v = f?.value;
  return v && v.length === 1 && typeof v[0] === 'number' ? v[0] : undefined;
}

/** @returns a normalized axis in [0, rank), or undefined when out of range. */
export function normAxis(axis: number, rank: number): number | undefined {
  const a = axis < 0 ? axis + rank : axis;
  return a >= 0 && a < rank ? a : undefined;
}

/** Integer dtypes whose values fold as exact numbers. */
export const INT_TYPES = new Set<number>([
  DataType.INT64,
  DataType.INT32,
  DataType.INT16,
  DataType.INT8,
  DataType.UINT8,
  DataType.UINT16,
  DataType.UINT32,
  DataType.UINT64,
  DataType.BOOL,
]);
