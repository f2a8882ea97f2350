/** Low-level helpers for graph edits: renaming uses across subgraphs with an undo log, node order, type records. */
import { create } from '@bufbuild/protobuf';
import {
  AttributeProtoSchema,
  AttributeType,
  TypeProtoSchema,
  ValueInfoProtoSchema,
  type NodeProto,
  type TensorProto,
  type ValueInfoProto,
} from '../proto';
import type { Graph } from './graph';

/** Changes recorded so a failed edit can be rolled back. */
export type UndoLog = Array<() => void>;

/**
 * Replaces reads of `oldName` by `newName` in a graph: node inputs, graph outputs and, recursively, the outer-scope
 * reads of subgraphs that do not define `oldName` themselves.
 * @param graph - the graph
 * @param except - nodes of this graph left untouched
 * @param undo - receives one entry per change
 * @returns the number of replaced reads
 */
export function replaceUses(graph: Graph, oldName: string, newName: string, except: ReadonlySet<NodeProto>, undo: UndoLog): number {
  let count = 0;
  for (const node of graph.nodes) {
    if (except.has(node)) continue;
    node.input.forEach((name, i) => {
      if (name !== oldName) return;
      node.input[i] = newName;
      undo.push(() => (node.input[i] = oldName));
      count++;
    });
    for (const sub of graph.subgraphs(node)) {
      if (!sub.definesLocally(oldName)) count += replaceUses(sub, oldName, newName, new Set(), undo);
    }
  }
  for (const out of graph.outputs) {
    if (out.name !== oldName) continue;
    out.name = newName;
    undo.push(() => (out.name = oldName));
    count++;
  }
  if (count > 0) graph.invalidate();
  return count;
}

/**
 * Renames the definition of a value in its graph: node outputs, initializers, graph inputs and value_info records.
 * @param undo - receives one entry per change
 */
export function renameDefinition(graph: Graph, oldName: string, newName: string, undo: UndoLog): void {
  for (const node of graph.nodes) {
    node.output.forEach((name, i) => {
      if (name !== oldName) return;
      node.output[i] = newName;
      undo.push(() => (node.output[i] = oldName));
    });
  }
  const named: Array<{ name: string }> = [...graph.initializers, ...graph.inputs, ...graph.valueInfo];
  for (const s of graph.proto.sparseInitializer) if (s.values) named.push(s.values);
  for (const item of named) {
    if (item.name !== oldName) continue;
    item.name = newName;
    undo.push(() => (item.name = oldName));
  }
  graph.invalidate();
}

/**
 * Puts the nodes of a graph in topological order, in place, keeping file order where it is valid.
 * @returns true when the order changed
 * @throws StudioError `INVALID_MODEL` on a cycle (the order is then left as it was)
 */
export function sortNodes(graph: Graph): boolean {
  const order = graph.topologicalOrder();
  if (order.every((n, i) => graph.nodes[i] === n)) return false;
  graph.nodes.splice(0, graph.nodes.length, ...order);
  graph.invalidate();
  return true;
}

/** @returns true when the order of the nodes is not topological (some node reads a value produced later). */
export function isOutOfOrder(graph: Graph): boolean {
  return graph.nodes.some((node, i) =>
    [...node.input, ...graph.implicitInputs(node)].some((name) => {
      const p = name === '' ? undefined : graph.producer(name);
      return p !== undefined && graph.indexOf(p) >= i;
    }),
  );
}

/**
 * Tells whether `target` is computed from `source`'s outputs (so wiring `source`'s readers to it would make a cycle).
 * @returns true when `target` is downstream of `source` in this graph
 */
export function dependsOn(graph: Graph, target: NodeProto, source: NodeProto): boolean {
  const seen = new Set<NodeProto>();
  const stack = [target];
  while (stack.length > 0) {
    const node = stack.pop() as NodeProto;
    if (node === source) return true;
    if (seen.has(node)) continue;
    seen.add(node);
    for (const name of [...node.input, ...graph.implicitInputs(node)]) {
      const p = name === '' ? undefined : graph.producer(name);
      if (p) stack.push(p);
    }
  }
  return false;
}

/**
 * Makes the tensor types recorded for a name (graph inputs, value_info) match a new weight.
 * @param infos - the records to update (those without a tensor type are left alone)
 */
export function retypeValueInfos(infos: readonly ValueInfoProto[], tensor: TensorProto): void {
  for (const vi of infos) {
    if (vi.type && vi.type.value.case !== 'tensorType') continue;
    vi.type = create(TypeProtoSchema, {
      value: {
        case: 'tensorType',
        value: {
          elemType: tensor.dataType,
          shape: { dim: tensor.dims.map((d) => ({ value: { case: 'dimValue' as const, value: d } })) },
        },
      },
    });
  }
}

/** @returns a graph input record describing a weight (for IR < 4 models, where initializers are listed as inputs). */
export function inputRecordFor(tensor: TensorProto): ValueInfoProto {
  const record = create(ValueInfoProtoSchema, { name: tensor.name });
  retypeValueInfos([record], tensor);
  return record;
}

/**
 * Sets a Constant node's value to a tensor, dropping any other `value_*` attribute.
 * @returns the tensor it held before, when it held one
 */
export function setConstantValue(node: NodeProto, tensor: TensorProto): TensorProto | undefined {
  const current = node.attribute.find((a) => a.name === 'value' && a.t !== undefined);
  if (current) {
    const previous = current.t;
    current.t = tensor;
    return previous;
  }
  const keep = node.attribute.filter((a) => !a.name.startsWith('value'));
  keep.push(create(AttributeProtoSchema, { name: 'value', type: AttributeType.TENSOR, t: tensor }));
  node.attribute.splice(0, node.attribute.length, ...keep);
  return undefined;
}
