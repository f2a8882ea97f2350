/** What a dependency rule sees: tensor layouts, known shapes and constants, and the channel graph it adds to. */
import type { Graph } from '../../onnx/ir/graph';
import type { NodeProto, TensorProto } from '../../onnx/proto';
import { AttrReader } from '../../analysis/infer-types';
import type { ChannelGraph, Layout } from './channel-graph';

/** Services of the analysis for one node's rule. */
export interface RuleContext {
  cg: ChannelGraph;
  graph: Graph;
  /** the default-domain opset of the model */
  opset: number;
  /** @returns the layout of a tensor, when it carries channels */
  layout(name: string): Layout | undefined;
  setLayout(name: string, layout: Layout): void;
  /** @returns the known dims of a tensor (null for unknown or symbolic dims), or null when the rank is unknown */
  shape(name: string): Array<number | null> | null;
  /** @returns the elements of a small numeric tensor whose value is known (constants, folded shape tensors) */
  values(name: string): number[] | undefined;
  /** @returns the stored tensor behind a name (initializer, Constant, through Identity) */
  constant(name: string): TensorProto | undefined;
}

/** A per-op dependency rule. */
export type DepRule = (node: NodeProto, ctx: RuleContext, attrs: AttrReader) => void;

/** @returns the rank of a tensor, when known. */
export function rankOf(ctx: RuleContext, name: string): number | undefined {
  return ctx.shape(name)?.length;
}

/** Pins the channels of every input of a node that carries them. */
export function blockInputs(node: NodeProto, ctx: RuleContext, reason: string, names: readonly string[] = node.input): void {
  for (const name of names) {
    const l = name ? ctx.layout(name) : undefined;
    if (l) ctx.cg.block(l.ids, node, node.opType, reason);
  }
}

/** @returns the product of dims, or undefined when one is unknown. */
export function product(dims: ReadonlyArray<number | null>): number | undefined {
  let p = 1;
  for (const d of dims) {
    if (d === null) return undefined;
    p *= d;
  }
  return p;
}

/** @returns an axis in [0, rank), or undefined. */
export function normAxis(axis: number, rank: number): number | undefined {
  const a = axis < 0 ? axis + rank : axis;
  return a >= 0 && a < rank ? a : undefined;
}

/** @returns the axes of a node from its attribute or (newer opsets) its input `index`, normalized; undefined if unknown. */
export function axesOf(node: NodeProto, ctx: RuleContext, attrs: AttrReader, index: number, rank: number): number[] | undefined | null {
  let axes: number[] | undefined = attrs.ints('axes');
  if (!axes && node.input[index]) {
    axes = ctx.values(node.input[index]);
    if (!axes) return undefined;
  }
  if (!axes) return null;
  const out: number[] = [];
  for (const a of axes) {
    const n = normAxis(a, rank);
    if (n === undefined) return undefined;
    out.push(n);
  }
  return out;
}

/** @returns the ids repeated: each position of `ids` expanded to `inner` positions, the whole repeated `outer` times. */
export function expandIds(ids: Int32Array, outer: number, inner: number): Int32Array {
  const out = new Int32Array(outer * ids.length * inner);
  let o = 0;
  for (let i = 0; i < outer; i++) {
    for (let c = 0; c < ids.length; c++) {
      out.fill(ids[c], o, o + inner);
      o += inner;
    }
  }
  return out;
}
