/** Walks the graphs of a model: the main graph, every nested subgraph, function bodies and training graphs. */
import { AttributeType, type GraphProto, type ModelProto, type NodeProto, type TensorProto } from './proto';

/** Where a tensor sits: an initializer, a node attribute, a sparse tensor part, or a training graph. */
export type TensorSite = 'initializer' | 'sparse-initializer' | 'attribute';

/**
 * Calls `visit` for each nested subgraph of a node (If branches, Loop/Scan bodies, any GRAPH(S) attribute).
 * @param node - the node whose attributes are searched
 */
export function forEachSubgraph(node: NodeProto, visit: (graph: GraphProto, attributeName: string) => void): void {
  for (const attr of node.attribute) {
    if (attr.g) visit(attr.g, attr.name);
    for (const g of attr.graphs) visit(g, attr.name);
  }
}

/**
 * Visits every tensor stored in a graph and, recursively, in its subgraphs.
 * @param graph - the graph to walk
 * @param visit - called with each tensor, its site and the depth (0 = this graph)
 */
export function forEachTensorInGraph(
  graph: GraphProto,
  visit: (tensor: TensorProto, site: TensorSite, depth: number, node?: NodeProto) => void,
  depth = 0,
): void {
  for (const t of graph.initializer) visit(t, 'initializer', depth);
  for (const s of graph.sparseInitializer) {
    if (s.values) visit(s.values, 'sparse-initializer', depth);
    if (s.indices) visit(s.indices, 'sparse-initializer', depth);
  }
  for (const node of graph.node) {
    for (const attr of node.attribute) {
      if (attr.t) visit(attr.t, 'attribute', depth, node);
      for (const t of attr.tensors) visit(t, 'attribute', depth, node);
      if (attr.sparseTensor?.values) visit(attr.sparseTensor.values, 'attribute', depth, node);
      if (attr.sparseTensor?.indices) visit(attr.sparseTensor.indices, 'attribute', depth, node);
    }
    forEachSubgraph(node, (g) => forEachTensorInGraph(g, visit, depth + 1));
  }
}

/**
 * Visits every tensor of a model: main graph, functions and training-info graphs.
 */
export function forEachTensor(model: ModelProto, visit: (tensor: TensorProto, site: TensorSite) => void): void {
  if (model.graph) forEachTensorInGraph(model.graph, (t, site) => visit(t, site));
  for (const fn of model.functions) {
    for (const node of fn.node) {
      for (const attr of node.attribute) {
        if (attr.t) visit(attr.t, 'attribute');
        for (const t of attr.tensors) visit(t, 'attribute');
      }
      forEachSubgraph(node, (g) => forEachTensorInGraph(g, (t, site) => visit(t, site)));
    }
  }
  for (const ti of model.trainingInfo) {
    if (ti.initialization) forEachTensorInGraph(ti.initialization, (t, site) => visit(t, site));
    if (ti.algorithm) forEachTensorInGraph(ti.algorithm, (t, site) => visit(t, site));
  }
}

/** @returns the number of nodes nested in the subgraphs of `graph`'s nodes, at every depth. */
export function countSubgraphNodes(graph: GraphProto): number {
  let n = 0;
  for (const node of graph.node) {
    forEachSubgraph(node, (g) => {
      n += g.node.length + countSubgraphNodes(g);
    });
  }
  return n;
}

/** @returns true when the attribute holds a graph (used to tell control-flow nodes). */
export function isGraphAttribute(type: AttributeType): boolean {
  return type === AttributeType.GRAPH || type === AttributeType.GRAPHS;
}
