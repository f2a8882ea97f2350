/** Applies a pruning plan to the IR: slices every coupled weight, fixes group counts, split sizes and reshape targets. */
import { create } from '@bufbuild/protobuf';
import { AttributeProtoSchema, AttributeType, DataType, type NodeProto, type TensorProto } from '../../onnx/proto';
import type { Graph } from '../../onnx/ir/graph';
import type { ModelIR } from '../../onnx/ir/model-ir';
import { tensorValues } from '../../onnx/tensor-data';
import { nodeLabel, type ChannelGraph } from './channel-graph';
import { removeDeadWeights } from './cleanup';
import { tensorReads } from './shared-weights';
import { resolveConstant, sliceAxis, storedName, WeightWriter, type ExternalMap } from './weights';
import { intTensor } from './int-tensor';

/** How one layer changed. */
export interface LayerChange {
  node: string;
  op: string;
  /** output channels (layers that make channels) */
  outBefore?: number;
  outAfter?: number;
  /** input features of the weight (channels, or channel × spatial columns after a Flatten) */
  inBefore?: number;
  inAfter?: number;
}

/** The kept positions of a layout, or null when nothing of it is removed. */
export function keptPositions(cg: ChannelGraph, ids: Int32Array, removed: Uint8Array): Int32Array | null {
  const keep: number[] = [];
  for (let i = 0; i < ids.length; i++) if (!removed[cg.uf.find(ids[i])]) keep.push(i);
  return keep.length === ids.length ? null : Int32Array.from(keep);
}

function keptCount(cg: ChannelGraph, ids: Int32Array, removed: Uint8Array): number {
  return keptPositions(cg, ids, removed)?.length ?? ids.length;
}

function setIntAttr(node: NodeProto, name: string, value: number | number[]): void {
  const ints = Array.isArray(value);
  let a = node.attribute.find((x) => x.name === name);
  if (!a) node.attribute.push((a = create(AttributeProtoSchema, { name })));
  a.type = ints ? AttributeType.INTS : AttributeType.INT;
  if (ints) a.ints = value.map(BigInt);
  else a.i = BigInt(value);
}

type Slicing = Array<{ axis: number; keep: Int32Array }>;

/**
 * Slices every edited weight. Readers slicing one stored tensor alike share one result, written under the tensor's own
 * name when they are all its readers, so a weight exporters stored once for several layers stays stored once.
 */
function writeWeights(graph: Graph, external: ExternalMap, byWeight: Map<NodeProto, Map<number, Slicing>>, writer: WeightWriter): void {
  const reads = tensorReads(graph);
  const slicings = new Map<TensorProto, { stored: string; byKey: Map<string, { axes: Slicing; readers: Array<{ node: NodeProto; input: number }> }> }>();
  for (const [node, inputs] of byWeight) {
    for (const [input, axes] of inputs) {
      const t = resolveConstant(graph, node.input[input]) as TensorProto;
      let entry = slicings.get(t);
      if (!entry) slicings.set(t, (entry = { stored: storedName(graph, node.input[input]), byKey: new Map() }));
      const key = [...axes].sort((a, b) => a.axis - b.axis).map((a) => `${a.axis}:${a.keep.join(',')}`).join('|');
      const same = entry.byKey.get(key);
      if (same) same.readers.push({ node, input });
      else entry.byKey.set(key, { axes, readers: [{ node, input }] });
    }
  }
  for (const [t, { stored, byKey }] of slicings) {
    const r = reads.get(t);
    const all = r ? r.reads.length + r.opaque.length : 0;
    for (const { axes, readers } of byKey.values()) {
      let sliced = t;
      for (const { axis, keep } of axes) sliced = sliceAxis(sliced, external, axis, keep);
      const name = byKey.size === 1 && readers.length === all && !graph.isInput(stored) && writer.replace(stored, sliced) ? stored : writer.add(sliced, `${stored}_pruned`);
      for (const x of readers) writer.point(x.node, x.input, name);
    }
  }
}

/**
 * Removes the planned channels from a model, in place.
 * @param removed - 1 at the union-find root of each removed class
 * @returns the per-layer changes
 */
export function applyPlan(model: ModelIR, external: ExternalMap, cg: ChannelGraph, removed: Uint8Array): LayerChange[] {
  const graph = model.graph;
  const byWeight = new Map<NodeProto, Map<number, Array<{ axis: number; keep: Int32Array }>>>();
  const changes = new Map<NodeProto, LayerChange>();
  const change = (node: NodeProto) => {
    let c = changes.get(node);
    if (!c) changes.set(node, (c = { node: nodeLabel(node), op: node.opType }));
    return c;
  };
  for (const e of cg.edits) {
    const keep = keptPositions(cg, e.ids, removed);
    if (e.role === 'out' || e.role === 'in') {
      const c = change(e.node);
      const kept = keep?.length ?? e.ids.length;
      if (e.role === 'out') Object.assign(c, { outBefore: e.ids.length, outAfter: kept });
      else Object.assign(c, { inBefore: e.ids.length, inAfter: kept });
    }
    if (!keep) continue;
    let inputs = byWeight.get(e.node);
    if (!inputs) byWeight.set(e.node, (inputs = new Map()));
    const list = inputs.get(e.input) ?? [];
    list.push({ axis: e.axis, keep });
    inputs.set(e.input, list);
  }
  const writer = new WeightWriter(graph);
  writeWeights(graph, external, byWeight, writer);
  const opset = model.opset('') ?? 1;
  for (const s of cg.shapeEdits) {
    if (s.kind === 'group') {
      setIntAttr(s.node, 'group', keptCount(cg, s.ids, removed));
    } else if (s.kind === 'split') {
      const sizes = s.parts.map((p) => keptCount(cg, p, removed));
      if (opset < 13) setIntAttr(s.node, 'split', sizes);
      else {
        s.node.attribute = s.node.attribute.filter((a) => a.name !== 'num_outputs');
        writer.set(s.node, 1, intTensor([sizes.length], sizes), `${nodeLabel(s.node)}_split`);
      }
    } else {
      const t = resolveConstant(graph, s.node.input[1]) as TensorProto;
      const values = Array.from(tensorValues(t), Number);
      values[s.dim] = keptCount(cg, s.ids, removed);
      writer.set(s.node, 1, intTensor([values.length], values, t.dataType === DataType.INT32 ? DataType.INT32 : DataType.INT64), `${s.node.input[1]}_pruned`);
    }
  }
  writer.flush();
  const changed = new Set<string>();
  for (const [name, l] of cg.layouts) if (keptPositions(cg, l.ids, removed)) changed.add(name);
  graph.valueInfo.splice(0, graph.valueInfo.length, ...graph.valueInfo.filter((v) => !changed.has(v.name)));
  graph.invalidate();
  removeDeadWeights(graph);
  return [...changes.values()];
}
