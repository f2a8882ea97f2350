/**
 * Weights several layers read (exporters store a tied or reused module's weight once): who reads each stored tensor,
 * and the coupling that keeps such a weight stored once after pruning.
 */
import type { Graph } from '../../onnx/ir/graph';
import type { NodeProto, TensorProto } from '../../onnx/proto';
import { nodeLabel, type ChannelGraph, type WeightEdit } from './channel-graph';
import { resolveConstant } from './weights';

/** A node input reading a stored tensor (directly or through Identity nodes). */
export interface TensorRead {
  node: NodeProto;
  input: number;
}

/** The reads of one stored tensor. */
export interface TensorReads {
  reads: TensorRead[];
  /** reads pruning cannot edit: inside If/Loop/Scan bodies, graph outputs */
  opaque: string[];
}

function isIdentity(n: NodeProto): boolean {
  return n.opType === 'Identity' && (n.domain === '' || n.domain === 'ai.onnx');
}

/**
 * Finds every read of every stored tensor of the main graph (Identity nodes over a weight are seen through).
 * @returns stored tensor → its reads
 */
export function tensorReads(graph: Graph): Map<TensorProto, TensorReads> {
  const out = new Map<TensorProto, TensorReads>();
  const entry = (t: TensorProto) => {
    let e = out.get(t);
    if (!e) out.set(t, (e = { reads: [], opaque: [] }));
    return e;
  };
  for (const node of graph.nodes) {
    const through = isIdentity(node) && resolveConstant(graph, node.input[0]) !== undefined;
    node.input.forEach((name, input) => {
      if (!name || through) return;
      const t = resolveConstant(graph, name);
      if (t) entry(t).reads.push({ node, input });
    });
    for (const name of graph.implicitInputs(node)) {
      const t = resolveConstant(graph, name);
      if (t) entry(t).opaque.push(`${nodeLabel(node)} (inside its ${node.opType} body)`);
    }
  }
  for (const o of graph.outputs) {
    const t = resolveConstant(graph, o.name);
    if (t) entry(t).opaque.push(`model output "${o.name}"`);
  }
  return out;
}

/** @returns true when the stored tensor behind `name` is read by more than one node input (or by a body, or is an output). */
export function isSharedWeight(graph: Graph, name: string): boolean {
  const t = resolveConstant(graph, name);
  if (!t) return false;
  const r = tensorReads(graph).get(t);
  return r !== undefined && r.reads.length + r.opaque.length > 1;
}

/**
 * Makes layers that read one stored weight keep the same channels: for each axis of the weight, the channels every
 * reader slices along it are tied, so the pruned weight is again one tensor. Where a reader does not slice that axis
 * alike (or reads it where pruning cannot follow), the axis is pinned and the block names the sharing.
 * @remarks Tensors only elementwise constants share (exporters merge equal biases of unrelated layers) are left to be
 * copied per slicing: they are small, and tying unrelated layers would only take choices away.
 */
export function coupleSharedWeights(cg: ChannelGraph, graph: Graph): void {
  const editsOf = new Map<NodeProto, Map<number, WeightEdit[]>>();
  for (const e of cg.edits) {
    let byInput = editsOf.get(e.node);
    if (!byInput) editsOf.set(e.node, (byInput = new Map()));
    const list = byInput.get(e.input);
    if (list) list.push(e);
    else byInput.set(e.input, [e]);
  }
  for (const [t, { reads, opaque }] of tensorReads(graph)) {
    if (reads.length + opaque.length < 2) continue;
    const per = reads.map((r) => editsOf.get(r.node)?.get(r.input) ?? []);
    if (per.every((list) => list.every((e) => e.role === 'param'))) continue;
    const axes = new Set(per.flatMap((list) => list.map((e) => e.axis)));
    for (const axis of axes) {
      const lists = per.map((list) => list.filter((e) => e.axis === axis));
      const first = lists.find((l) => l.length > 0)?.[0] as WeightEdit;
      const alike = opaque.length === 0 && lists.every((l) => l.length > 0 && l.every((e) => e.ids.length === first.ids.length));
      for (const l of lists) {
        for (const e of l) {
          if (alike) cg.unite(first.ids, e.ids);
          else cg.block(e.ids, e.node, e.node.opType, `its weight "${t.name}" is shared with ${others(reads, opaque, e.node)}, which cannot keep the same channels`);
        }
      }
    }
  }
}

function others(reads: readonly TensorRead[], opaque: readonly string[], self: NodeProto): string {
  const names = [...new Set(reads.filter((r) => r.node !== self).map((r) => nodeLabel(r.node))), ...opaque];
  const shown = names.slice(0, 3).map((n) => (n.startsWith('model output') || n.includes(' (inside') ? n : `"${n}"`));
  return shown.join(', ') + (names.length > 3 ? ` and ${names.length - 3} more` : '');
}
