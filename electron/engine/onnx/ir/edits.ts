/** Graph edits that keep a model valid: insert and remove nodes, rewire and rename values, replace and add weights. */
import { StudioError } from '../../../../shared/api/errors';
import type { NodeProto, TensorProto } from '../proto';
import {
  dependsOn,
  inputRecordFor,
  isOutOfOrder,
  renameDefinition,
  replaceUses,
  retypeValueInfos,
  setConstantValue,
  sortNodes,
  type UndoLog,
} from './edit-helpers';
import { isConstantNode, type Graph } from './graph';
import { nodeImplicitInputs } from './graph-index';

export { sortNodes } from './edit-helpers';

/** Where {@link insertNode} puts a node; without either, right after the last producer of what it reads. */
export interface InsertPosition {
  before?: NodeProto;
  after?: NodeProto;
}

/**
 * Inserts a node.
 * @param graph - the graph receiving the node
 * @param node - the new node; an empty name is replaced by a unique one
 * @param at - a neighbour to insert before or after
 * @returns the node
 * @throws StudioError `INVALID_REQUEST` when an output name is already used, an input is not defined, or the position
 * comes before the producer of an input
 */
export function insertNode(graph: Graph, node: NodeProto, at: InsertPosition = {}): NodeProto {
  const label = node.name || node.opType;
  for (const out of node.output) {
    if (out !== '' && graph.isNameUsed(out)) {
      throw request(`Cannot insert node "${label}": its output "${out}" is already a tensor of the model. Use graph.uniqueName().`);
    }
  }
  const reads = [...node.input, ...nodeImplicitInputs(node)].filter((n) => n !== '');
  let earliest = 0;
  for (const name of reads) {
    if (!graph.isVisible(name)) throw request(`Cannot insert node "${label}": its input "${name}" is not defined in the graph.`);
    const p = graph.producer(name);
    if (p) earliest = Math.max(earliest, graph.indexOf(p) + 1);
  }
  let pos = earliest;
  const anchor = at.before ?? at.after;
  if (anchor) {
    const i = graph.indexOf(anchor);
    if (i < 0) throw request(`Cannot insert node "${label}": the anchor node "${anchor.name}" is not in graph "${graph.name}".`);
    pos = at.before ? i : i + 1;
    if (pos < earliest) {
      throw request(`Cannot insert node "${label}" there: it reads a tensor produced by a node further down the graph.`);
    }
  }
  if (node.name === '') node.name = graph.uniqueNodeName(node.opType || 'node');
  graph.nodes.splice(pos, 0, node);
  graph.invalidate();
  return node;
}

/**
 * Makes every reader of `oldName` read `newName` instead: node inputs, graph outputs (renamed) and the outer-scope
 * reads of subgraphs. Nodes are re-sorted if the new value is produced after one of its new readers.
 * @param graph - the graph where `oldName` is read
 * @param options - `except`: nodes to leave alone (typically the node just inserted to read `oldName`)
 * @returns the number of reads changed
 * @throws StudioError `INVALID_REQUEST` when `newName` is not defined or the rewiring would make a cycle (nothing is
 * changed then)
 */
export function rewire(graph: Graph, oldName: string, newName: string, options: { except?: readonly NodeProto[] } = {}): number {
  if (oldName === newName) return 0;
  if (!graph.isVisible(newName)) throw request(`Cannot rewire "${oldName}" to "${newName}": "${newName}" is not defined.`);
  const undo: UndoLog = [];
  const count = replaceUses(graph, oldName, newName, new Set(options.except ?? []), undo);
  restoreOrder(graph, undo, `Rewiring "${oldName}" to "${newName}"`);
  return count;
}

/**
 * Renames a value everywhere: its definition (node output, initializer, graph input, value_info) and every read.
 * @param graph - the graph defining `oldName`
 * @throws StudioError `INVALID_REQUEST` when `newName` is already used or `oldName` is not defined here
 */
export function renameValue(graph: Graph, oldName: string, newName: string): void {
  if (oldName === newName) return;
  if (!graph.definesLocally(oldName)) throw request(`Cannot rename "${oldName}": graph "${graph.name}" does not define it.`);
  if (graph.isNameUsed(newName)) throw request(`Cannot rename "${oldName}" to "${newName}": that name is already used.`);
  const undo: UndoLog = [];
  renameDefinition(graph, oldName, newName, undo);
  replaceUses(graph, oldName, newName, new Set(), undo);
}

/**
 * Removes a node, wiring the readers of its outputs to replacement tensors.
 * @param graph - the graph holding the node
 * @param node - the node to remove
 * @param replacement - for each output (or the only one), the tensor its readers read instead; outputs nobody reads
 * need none
 * @param options - `renameGraphOutputs`: allow renaming a main-graph output to the replacement when the output name
 * cannot be kept (the replacement is a graph input, an initializer or another graph output); subgraph outputs, which
 * are matched by position, are renamed without asking, except to an outer-scope value (onnxruntime refuses those)
 * @remarks When a removed output is a graph output, the replacement's producer is renamed to it so the model's
 * interface keeps its names.
 * @throws StudioError `INVALID_REQUEST` when a read output has no usable replacement (nothing is changed then)
 */
export function removeNode(
  graph: Graph,
  node: NodeProto,
  replacement?: string | ReadonlyArray<string | undefined>,
  options: { renameGraphOutputs?: boolean } = {},
): void {
  const pos = graph.indexOf(node);
  const label = node.name || node.opType;
  if (pos < 0) throw request(`Cannot remove node "${label}": it is not in graph "${graph.name}".`);
  const replacements = typeof replacement === 'string' ? [replacement] : (replacement ?? []);
  const plan: Array<{ out: string; by: string; adopt: boolean }> = [];
  node.output.forEach((out, i) => {
    if (out === '') return;
    const readers = graph.consumers(out).filter((n) => n !== node).length + graph.implicitUsers(out).length;
    const isOutput = graph.isOutput(out);
    if (readers === 0 && !isOutput) return;
    const by = replacements[i];
    if (by === undefined) throw request(`Cannot remove node "${label}": its output "${out}" is read; give a replacement tensor.`);
    if (node.output.includes(by) || !graph.isVisible(by)) {
      throw request(`Cannot remove node "${label}": replacement "${by}" is not defined without it.`);
    }
    const p = graph.producer(by);
    if (p && dependsOn(graph, p, node)) throw request(`Cannot remove node "${label}": replacement "${by}" is computed from it.`);
    const adopt = isOutput && p !== undefined && !graph.isOutput(by) && !graph.isInput(by) && !graph.initializer(by);
    if (isOutput && !adopt && graph.parent && !graph.definesLocally(by)) {
      throw request(
        `Cannot remove node "${label}": subgraph output "${out}" would be the outer-scope value "${by}" itself, ` +
          'which onnxruntime refuses; keep the node.',
      );
    }
    if (isOutput && !adopt && !graph.parent && !options.renameGraphOutputs) {
      throw request(
        `Cannot remove node "${label}": its output "${out}" is a graph output and "${by}" cannot take its name; ` +
          'pass renameGraphOutputs to rename the output.',
      );
    }
    plan.push({ out, by, adopt });
  });
  graph.nodes.splice(pos, 1);
  graph.invalidate();
  const undo: UndoLog = [
    () => {
      graph.nodes.splice(pos, 0, node);
      graph.invalidate();
    },
  ];
  for (const { out, by, adopt } of plan) {
    if (adopt) {
      if (hasValueInfo(graph, out)) {
        const records = [...graph.valueInfo];
        graph.valueInfo.splice(0, records.length, ...records.filter((v) => v.name !== by));
        undo.push(() => graph.valueInfo.splice(0, graph.valueInfo.length, ...records));
      }
      renameDefinition(graph, by, out, undo);
      replaceUses(graph, by, out, new Set(), undo);
    } else {
      replaceUses(graph, out, by, new Set(), undo);
    }
  }
  restoreOrder(graph, undo, `Removing node "${label}"`);
}

/**
 * Replaces the data of a weight, wherever it is stored: an initializer or a Constant node's value, in this graph or an
 * enclosing one. Recorded tensor types (graph inputs, value_info) follow the new dtype and shape.
 * @param graph - the graph where the weight is read
 * @param name - the weight's tensor name
 * @param tensor - the new data; its name is set to `name`
 * @returns the TensorProto it replaces (undefined when a Constant held a `value_*` scalar or list attribute)
 * @throws StudioError `INVALID_REQUEST` when `name` is computed or fed at run time rather than stored
 */
export function replaceInitializer(graph: Graph, name: string, tensor: TensorProto): TensorProto | undefined {
  for (let g: Graph | undefined = graph; g; g = g.parent) {
    const init = g.initializer(name);
    if (init) {
      tensor.name = name;
      g.initializers[g.initializers.indexOf(init)] = tensor;
      retypeValueInfos([...g.inputs, ...g.valueInfo].filter((v) => v.name === name), tensor);
      g.invalidate();
      return init;
    }
    const producer = g.producer(name);
    if (producer) {
      if (!isConstantNode(producer)) {
        throw request(`"${name}" is computed by node "${producer.name || producer.opType}" (${producer.opType}), not stored as a weight.`);
      }
      tensor.name = name;
      const previous = setConstantValue(producer, tensor);
      retypeValueInfos(g.valueInfo.filter((v) => v.name === name), tensor);
      g.invalidate();
      return previous;
    }
    if (g.isInput(name)) throw request(`"${name}" is an input fed at run time, not a weight.`);
  }
  throw request(`There is no weight named "${name}".`);
}

/**
 * Adds an initializer (and, in an IR < 4 main graph, the graph input that version requires for it).
 * @param graph - the graph receiving it
 * @param tensor - the weight, with a name unused in the model (see `graph.uniqueName`)
 * @returns the tensor
 * @throws StudioError `INVALID_REQUEST` when the name is empty or already used
 */
export function addInitializer(graph: Graph, tensor: TensorProto): TensorProto {
  if (tensor.name === '') throw request('Cannot add an initializer without a name.');
  if (graph.isNameUsed(tensor.name)) {
    throw request(`Cannot add initializer "${tensor.name}": the name is already used. Use graph.uniqueName().`);
  }
  graph.initializers.push(tensor);
  if (!graph.parent && graph.irVersion > 0 && graph.irVersion < 4) graph.inputs.push(inputRecordFor(tensor));
  graph.invalidate();
  return tensor;
}

/** Re-sorts the nodes if an edit broke their order; on a cycle undoes the edit and refuses it. */
function restoreOrder(graph: Graph, undo: UndoLog, what: string): void {
  if (!isOutOfOrder(graph)) return;
  try {
    sortNodes(graph);
  } catch (err) {
    for (let i = undo.length - 1; i >= 0; i--) undo[i]();
    graph.invalidate();
    throw new StudioError('INVALID_REQUEST', `${what} would make a cycle in graph "${graph.name}"; nothing was changed.`, { cause: err });
  }
}

function hasValueInfo(graph: Graph, name: string): boolean {
  return graph.valueInfo.some((v) => v.name === name);
}

function request(message: string): StudioError {
  return new StudioError('INVALID_REQUEST', message);
}
