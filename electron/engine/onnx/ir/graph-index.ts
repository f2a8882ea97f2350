/** The lookup tables of one graph (producers, consumers, initializers) and the outer-scope names a subgraph uses. */
import type { GraphProto, NodeProto, TensorProto } from '../proto';
import { forEachSubgraph } from '../walk';

/** Lookup tables of one graph, rebuilt from its proto after edits. */
export interface GraphIndex {
  /** node output name → the node producing it (the first one when a name is produced twice) */
  producers: Map<string, NodeProto>;
  /** node → its position in `graph.node` */
  positions: Map<NodeProto, number>;
  /** tensor name → nodes of this graph reading it as an explicit input, in file order */
  consumers: Map<string, NodeProto[]>;
  /** tensor name → nodes of this graph whose subgraphs read it from the outer scope */
  implicitUsers: Map<string, NodeProto[]>;
  /** node → outer-scope names its subgraphs read (only nodes with subgraphs that read any) */
  implicitInputs: Map<NodeProto, string[]>;
  initializers: Map<string, TensorProto>;
  inputs: Set<string>;
  outputs: Set<string>;
}

/**
 * Builds the index of a graph.
 * @param graph - the graph proto
 * @returns fresh lookup tables
 */
export function buildIndex(graph: GraphProto): GraphIndex {
  const index: GraphIndex = {
    producers: new Map(),
    positions: new Map(),
    consumers: new Map(),
    implicitUsers: new Map(),
    implicitInputs: new Map(),
    initializers: new Map(),
    inputs: new Set(graph.input.map((v) => v.name)),
    outputs: new Set(graph.output.map((v) => v.name)),
  };
  for (const t of graph.initializer) if (!index.initializers.has(t.name)) index.initializers.set(t.name, t);
  graph.node.forEach((node, i) => {
    index.positions.set(node, i);
    for (const out of node.output) {
      if (out !== '' && !index.producers.has(out)) index.producers.set(out, node);
    }
    for (const name of node.input) {
      if (name !== '') push(index.consumers, name, node);
    }
    const implicit = nodeImplicitInputs(node);
    if (implicit.length > 0) {
      index.implicitInputs.set(node, implicit);
      for (const name of implicit) push(index.implicitUsers, name, node);
    }
  });
  return index;
}

/**
 * The names a node's subgraphs read from outside themselves (outer-scope inputs), at any depth.
 * @param node - a node, usually If, Loop or Scan
 * @returns the names in first-use order, without duplicates
 */
export function nodeImplicitInputs(node: NodeProto): string[] {
  const free = new Set<string>();
  forEachSubgraph(node, (g) => {
    for (const name of freeNames(g)) free.add(name);
  });
  return [...free];
}

/**
 * The names a graph reads but does not define (its outer-scope references), including those of nested subgraphs.
 * @param graph - the subgraph
 * @returns the free names
 */
export function freeNames(graph: GraphProto): Set<string> {
  const defined = definedNames(graph);
  const free = new Set<string>();
  const use = (name: string) => {
    if (name !== '' && !defined.has(name)) free.add(name);
  };
  for (const node of graph.node) {
    for (const name of node.input) use(name);
    for (const name of nodeImplicitInputs(node)) use(name);
  }
  for (const out of graph.output) use(out.name);
  return free;
}

/** @returns the names a graph defines itself: inputs, initializers (dense and sparse) and node outputs. */
export function definedNames(graph: GraphProto): Set<string> {
  const defined = new Set<string>();
  for (const v of graph.input) defined.add(v.name);
  for (const t of graph.initializer) defined.add(t.name);
  for (const s of graph.sparseInitializer) if (s.values) defined.add(s.values.name);
  for (const node of graph.node) for (const out of node.output) if (out !== '') defined.add(out);
  return defined;
}

/**
 * Every name used anywhere in a graph tree (values, inputs, outputs, value_info), for unique-name generation.
 * @param graph - the root graph
 * @param names - the set to fill
 */
export function collectAllNames(graph: GraphProto, names: Set<string>, nodeNames: Set<string>): void {
  for (const v of graph.input) names.add(v.name);
  for (const v of graph.output) names.add(v.name);
  for (const v of graph.valueInfo) names.add(v.name);
  for (const t of graph.initializer) names.add(t.name);
  for (const s of graph.sparseInitializer) if (s.values) names.add(s.values.name);
  for (const node of graph.node) {
    if (node.name !== '') nodeNames.add(node.name);
    for (const n of node.input) names.add(n);
    for (const n of node.output) names.add(n);
    forEachSubgraph(node, (g) => collectAllNames(g, names, nodeNames));
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) {
    if (list[list.length - 1] !== value) list.push(value);
  } else {
    map.set(key, [value]);
  }
}
