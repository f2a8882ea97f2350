/** What float16 conversion keeps in float32 (by node, in every graph) and which stored weights it converts. */
import type { Graph } from '../../onnx/ir/graph';
import { isConstantNode } from '../../onnx/ir/graph';
import type { NodeProto } from '../../onnx/proto';

/** Inputs that must stay float32 even when their op runs in float16 (by op type, input index). */
const FLOAT32_INPUTS: Readonly<Record<string, readonly number[]>> = { Resize: [2], Upsample: [1] };

/** Which nodes stay float32. */
export interface BlockRules {
  /** op types kept in float32 */
  blockOps: ReadonlySet<string>;
  /** nodes (by name) kept in float32 */
  isExcluded(node: NodeProto): boolean;
}

/**
 * The nodes that compute in float32, in every graph of the model.
 * @remarks A node holding subgraphs (If/Loop/Scan) maps to `null`: its inputs and outputs stay float32 (so both If
 * branches and a Loop's carried values keep one type) while its bodies are converted. One kept in float32 for a reason
 * keeps its whole bodies in float32 too.
 * @returns node → the reason it stays float32 (`null` for a control-flow node whose bodies are converted)
 */
export function float32Nodes(root: Graph, rules: BlockRules): Map<NodeProto, string | null> {
  const kept = new Map<NodeProto, string | null>();
  const visit = (graph: Graph, forced: string | undefined) => {
    for (const n of graph.nodes) {
      const subgraphs = graph.subgraphs(n);
      const reason =
        forced ??
        (rules.blockOps.has(n.opType)
          ? 'op type on the fp32 list'
          : rules.isExcluded(n)
            ? 'excluded by the user'
            : n.domain !== '' && n.domain !== 'ai.onnx'
              ? `custom domain ${n.domain}`
              : undefined);
      if (reason !== undefined) kept.set(n, reason);
      else if (subgraphs.length > 0) kept.set(n, null);
      const inner = forced ?? (reason !== undefined ? `inside ${n.name || n.opType}, which is kept in float32` : undefined);
      for (const sub of subgraphs) visit(sub, inner);
    }
  };
  visit(root, undefined);
  return kept;
}

/** @returns true when input `i` of `node` is computed in float16 (the node is converted and the input is not float32-only). */
export function wantsHalf(kept: ReadonlyMap<NodeProto, string | null>, node: NodeProto, i: number): boolean {
  return !kept.has(node) && !(FLOAT32_INPUTS[node.opType] ?? []).includes(i);
}

/** @returns the graph of `graph`'s scope chain that defines `name` (itself or an enclosing graph). */
export function definingGraph(graph: Graph, name: string): Graph | undefined {
  for (let g: Graph | undefined = graph; g; g = g.parent) if (g.definesLocally(name)) return g;
  return undefined;
}

/**
 * The stored weights (initializers and Constant-node values, in any graph) that some reader computes with in float16,
 * readers in nested bodies included: those are stored as float16, once, and float32 readers get a Cast.
 * @returns graph → names of its weights to convert
 */
export function halfWeights(root: Graph, kept: ReadonlyMap<NodeProto, string | null>): Map<Graph, Set<string>> {
  const out = new Map<Graph, Set<string>>();
  for (const g of root.allGraphs()) {
    for (const n of g.nodes) {
      n.input.forEach((name, i) => {
        if (name === '' || !wantsHalf(kept, n, i)) return;
        const d = definingGraph(g, name);
        // a weight that is also a graph output keeps its declared float32 type
        if (!d || d.isInput(name) || d.isOutput(name)) return;
        const producer = d.producer(name);
        if (!d.initializer(name) && !(producer && isConstantNode(producer) && !kept.has(producer))) return;
        let set = out.get(d);
        if (!set) out.set(d, (set = new Set()));
        set.add(name);
      });
    }
  }
  return out;
}
