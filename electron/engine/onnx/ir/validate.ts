/** Cheap structural checks of a graph tree: undefined reads, duplicate definitions, node order and cycles. */
import { StudioError } from '../../../../shared/api/errors';
import type { Graph } from './graph';

/** What is wrong. */
export type GraphProblemKind = 'undefined-input' | 'undefined-output' | 'duplicate-definition' | 'unsorted' | 'cycle';

/** One structural problem. */
export interface GraphProblem {
  kind: GraphProblemKind;
  /** the graph's name or path (`main/Loop_0.body`) */
  graph: string;
  /** the node concerned, by name or op type */
  node?: string;
  /** the tensor concerned */
  tensor?: string;
  message: string;
}

/**
 * Checks a graph and its subgraphs: every node input is produced by a node, an initializer, a graph input or the outer
 * scope; every graph output is defined; no name is defined twice; nodes are in topological order; no cycles.
 * @param graph - usually `ModelIR.graph`
 * @returns the problems found, empty for a structurally valid graph
 */
export function validateGraph(graph: Graph): GraphProblem[] {
  const problems: GraphProblem[] = [];
  checkGraph(graph, problems);
  return problems;
}

function checkGraph(graph: Graph, problems: GraphProblem[]): void {
  const where = graph.name;
  const defined = new Set<string>();
  const define = (name: string, what: string, node?: string) => {
    if (defined.has(name) || graph.parent?.isVisible(name)) {
      problems.push({ kind: 'duplicate-definition', graph: where, node, tensor: name, message: `"${name}" is defined twice (${what}).` });
    }
    defined.add(name);
  };
  const inputs = new Set(graph.inputs.map((v) => v.name));
  for (const v of graph.inputs) define(v.name, 'graph input');
  const initializers = new Set<string>();
  for (const t of graph.initializers) {
    if (initializers.has(t.name) || !inputs.has(t.name)) define(t.name, 'initializer');
    initializers.add(t.name);
  }
  for (const node of graph.nodes) {
    const label = node.name || node.opType;
    for (const out of node.output) if (out !== '') define(out, `output of node "${label}"`);
  }

  let unsorted = false;
  graph.nodes.forEach((node, i) => {
    const label = node.name || node.opType;
    const explicit = node.input.filter((n) => n !== '');
    for (const name of [...explicit, ...graph.implicitInputs(node)]) {
      if (!defined.has(name) && !graph.parent?.isVisible(name)) {
        if (!explicit.includes(name)) continue;
        problems.push({
          kind: 'undefined-input',
          graph: where,
          node: label,
          tensor: name,
          message: `Node "${label}" (${node.opType}) reads "${name}", which no node, initializer, graph input or outer scope defines.`,
        });
        continue;
      }
      const p = graph.producer(name);
      if (p && graph.indexOf(p) >= i) unsorted = true;
    }
  });
  for (const out of graph.outputs) {
    if (!defined.has(out.name) && !graph.parent?.isVisible(out.name)) {
      problems.push({ kind: 'undefined-output', graph: where, tensor: out.name, message: `Graph output "${out.name}" is not defined.` });
    }
  }
  if (unsorted) {
    try {
      graph.topologicalOrder();
      problems.push({ kind: 'unsorted', graph: where, message: `The nodes of graph "${where}" are not in topological order.` });
    } catch (err) {
      const message = err instanceof StudioError ? err.message : String(err);
      problems.push({ kind: 'cycle', graph: where, message });
    }
  }
  for (const node of graph.nodes) {
    for (const sub of graph.subgraphs(node)) checkGraph(sub, problems);
  }
}
