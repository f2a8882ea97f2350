/** Resolves a subgraph path (node, attribute, branch steps) to a Graph of the model IR. */
import { StudioError } from '../../../shared/api/errors';
import type { SubgraphStep } from '../../../shared/graph/graph-dto';
import type { Graph } from '../onnx/ir/graph';

/**
 * @param root - the main graph
 * @param path - the steps; empty for the main graph
 * @returns the graph and the readable names of the path
 * @throws StudioError `INVALID_REQUEST` naming the step that does not exist
 */
export function resolveSubgraph(root: Graph, path: readonly SubgraphStep[] = []): { graph: Graph; breadcrumb: string[] } {
  let graph = root;
  const breadcrumb = ['main'];
  for (const step of path) {
    const node = graph.nodes[step.node];
    if (!node) throw bad(`graph "${graph.name}" has no node #${step.node}`);
    const attr = node.attribute.find((a) => a.name === step.attribute);
    const protos = attr ? (attr.g ? [attr.g, ...attr.graphs] : attr.graphs) : [];
    const proto = protos[step.index];
    if (!proto) throw bad(`node "${node.name || node.opType}" has no subgraph ${step.attribute}[${step.index}]`);
    const sub = graph.subgraphs(node).find((g) => g.proto === proto);
    if (!sub) throw bad(`node "${node.name || node.opType}" has no subgraph ${step.attribute}[${step.index}]`);
    graph = sub;
    breadcrumb.push(`${node.name || node.opType}.${step.attribute}${protos.length > 1 ? `[${step.index}]` : ''}`);
  }
  return { graph, breadcrumb };
}

function bad(what: string): StudioError {
  return new StudioError('INVALID_REQUEST', `The subgraph path is wrong: ${what}. Reopen the graph from the main view.`);
}

/** @returns a cache key for a path. */
export function pathKey(path: readonly SubgraphStep[] = []): string {
  return path.map((s) => `${s.node}.${s.attribute}.${s.index}`).join('/');
}
