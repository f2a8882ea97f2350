/** Drops what an edit left unused: initializers nothing reads, and Identity/Constant nodes whose outputs nobody reads. */
import type { Graph } from '../../onnx/ir/graph';

/** Names read anywhere in a graph tree (node inputs, subgraph reads, graph outputs). */
function readNames(graph: Graph): Set<string> {
  const names = new Set<string>();
  for (const g of graph.allGraphs()) {
    for (const n of g.nodes) for (const i of n.input) if (i) names.add(i);
    for (const o of g.outputs) names.add(o.name);
  }
  return names;
}

/**
 * Removes dead weights from the main graph.
 * @returns how many initializers and nodes went
 */
export function removeDeadWeights(graph: Graph): { initializers: number; nodes: number } {
  let initializers = 0;
  let nodes = 0;
  for (;;) {
    const read = readNames(graph);
    const deadNodes = graph.nodes.filter(
      (n) => (n.opType === 'Identity' || n.opType === 'Constant') && (n.domain === '' || n.domain === 'ai.onnx') && n.output.every((o) => !read.has(o)),
    );
    const deadInits = graph.initializers.filter((t) => !read.has(t.name));
    if (deadNodes.length === 0 && deadInits.length === 0) break;
    const dn = new Set(deadNodes);
    const di = new Set(deadInits.map((t) => t.name));
    graph.nodes.splice(0, graph.nodes.length, ...graph.nodes.filter((n) => !dn.has(n)));
    graph.initializers.splice(0, graph.initializers.length, ...graph.initializers.filter((t) => !di.has(t.name)));
    graph.inputs.splice(0, graph.inputs.length, ...graph.inputs.filter((v) => !di.has(v.name)));
    graph.valueInfo.splice(0, graph.valueInfo.length, ...graph.valueInfo.filter((v) => !di.has(v.name)));
    graph.invalidate();
    initializers += deadInits.length;
    nodes += deadNodes.length;
  }
  return { initializers, nodes };
}
