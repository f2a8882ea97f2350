/** A mutable view of one ONNX graph over its protobuf objects, with lazy producer/consumer indexes and subgraphs. */
import type { AttributeProto, GraphProto, NodeProto, TensorProto, ValueInfoProto } from '../proto';
import { buildIndex, collectAllNames, type GraphIndex } from './graph-index';
import { topologicalSort } from './topo';

/** Where a subgraph hangs: the node and the GRAPH/GRAPHS attribute holding it. */
export interface SubgraphOwner {
  node: NodeProto;
  attribute: string;
}

/** Names in use across a whole graph tree, plus names handed out by `uniqueName` and not yet used. */
interface NameRegistry {
  values: Set<string>;
  nodes: Set<string>;
}

/**
 * One graph of a model: the main graph or a subgraph of If/Loop/Scan.
 * @remarks The NodeProto, TensorProto and ValueInfoProto objects of the proto are the storage; the indexes are
 * rebuilt lazily after {@link Graph.invalidate}, which every edit in `edits.ts` calls. Code that changes the proto
 * arrays directly must call it too.
 */
export class Graph {
  readonly proto: GraphProto;
  readonly parent: Graph | undefined;
  readonly owner: SubgraphOwner | undefined;
  /** the model's IR version (decides whether initializers must also be graph inputs) */
  readonly irVersion: number;
  private index: GraphIndex | undefined;
  private names: NameRegistry | undefined;
  private readonly reserved = { values: new Set<string>(), nodes: new Set<string>() };
  private readonly children = new Map<GraphProto, Graph>();

  /**
   * @param proto - the graph proto (kept, not copied)
   * @param options - the parent graph and owning node of a subgraph; the IR version of the model
   */
  constructor(proto: GraphProto, options: { parent?: Graph; owner?: SubgraphOwner; irVersion?: number } = {}) {
    this.proto = proto;
    this.parent = options.parent;
    this.owner = options.owner;
    this.irVersion = options.irVersion ?? options.parent?.irVersion ?? 0;
  }

  /** The graph's name, or a path like `main/If_3.then_branch` for an unnamed subgraph. */
  get name(): string {
    if (this.proto.name) return this.proto.name;
    if (!this.owner || !this.parent) return 'main';
    return `${this.parent.name}/${this.owner.node.name || this.owner.node.opType}.${this.owner.attribute}`;
  }

  get nodes(): NodeProto[] {
    return this.proto.node;
  }

  get inputs(): ValueInfoProto[] {
    return this.proto.input;
  }

  get outputs(): ValueInfoProto[] {
    return this.proto.output;
  }

  get initializers(): TensorProto[] {
    return this.proto.initializer;
  }

  get valueInfo(): ValueInfoProto[] {
    return this.proto.valueInfo;
  }

  /** The outermost graph of this tree. */
  get root(): Graph {
    return this.parent ? this.parent.root : this;
  }

  /** Marks the indexes of this graph, its ancestors (whose outer-scope reads may change) and the name registry stale. */
  invalidate(): void {
    this.index = undefined;
    this.names = undefined;
    this.parent?.invalidate();
  }

  /** @returns the index, rebuilt if an edit made it stale. */
  protected get idx(): GraphIndex {
    this.index ??= buildIndex(this.proto);
    return this.index;
  }

  /** @returns the node producing `name` in this graph, if any. */
  producer(name: string): NodeProto | undefined {
    return this.idx.producers.get(name);
  }

  /** @returns the nodes of this graph reading `name` as an explicit input, in file order. */
  consumers(name: string): readonly NodeProto[] {
    return this.idx.consumers.get(name) ?? [];
  }

  /** @returns the nodes of this graph whose subgraphs read `name` from the outer scope. */
  implicitUsers(name: string): readonly NodeProto[] {
    return this.idx.implicitUsers.get(name) ?? [];
  }

  /** @returns the outer-scope names a node's subgraphs read (empty for nodes without subgraphs). */
  implicitInputs(node: NodeProto): readonly string[] {
    return this.idx.implicitInputs.get(node) ?? [];
  }

  /** @returns the position of a node in this graph, or -1 when it is not one of its nodes. */
  indexOf(node: NodeProto): number {
    return this.idx.positions.get(node) ?? -1;
  }

  /** @returns the initializer named `name` in this graph (not in outer graphs). */
  initializer(name: string): TensorProto | undefined {
    return this.idx.initializers.get(name);
  }

  /** @returns true when `name` is one of this graph's inputs. */
  isInput(name: string): boolean {
    return this.idx.inputs.has(name);
  }

  /** @returns true when `name` is one of this graph's outputs. */
  isOutput(name: string): boolean {
    return this.idx.outputs.has(name);
  }

  /** @returns true when this graph itself defines `name` (input, initializer or node output). */
  definesLocally(name: string): boolean {
    const idx = this.idx;
    return idx.inputs.has(name) || idx.initializers.has(name) || idx.producers.has(name) || this.isSparseInitializer(name);
  }

  /** @returns true when `name` is defined here or in an enclosing graph (outer scope). */
  isVisible(name: string): boolean {
    return this.definesLocally(name) || (this.parent?.isVisible(name) ?? false);
  }

  /** @returns the inputs of a graph that are fed at run time: graph inputs without an initializer of that name. */
  runtimeInputs(): ValueInfoProto[] {
    return this.proto.input.filter((v) => !this.idx.initializers.has(v.name));
  }

  /**
   * The weight behind a name: an initializer, the `value` of a `Constant` node (Paddle2ONNX stores every weight so),
   * or such a weight in an enclosing graph.
   * @param name - a tensor name
   * @returns the TensorProto holding the data (the stored object, not a copy), or undefined for computed values
   * @remarks An initializer that is also a graph input (IR < 4 models list them so) is returned too, although a caller
   * of the session may override it.
   */
  constantTensor(name: string): TensorProto | undefined {
    const init = this.idx.initializers.get(name);
    if (init) return init;
    const producer = this.idx.producers.get(name);
    if (producer) return isConstantNode(producer) ? constantValueAttribute(producer)?.t : undefined;
    if (this.idx.inputs.has(name)) return undefined;
    return this.parent?.constantTensor(name);
  }

  /**
   * The nested graphs of a node, one Graph per GRAPH attribute and per element of a GRAPHS attribute.
   * @param node - a node of this graph
   * @returns the subgraphs (the same Graph objects on every call)
   */
  subgraphs(node: NodeProto): Graph[] {
    const out: Graph[] = [];
    for (const attr of node.attribute) {
      for (const g of attr.g ? [attr.g, ...attr.graphs] : attr.graphs) {
        let child = this.children.get(g);
        if (!child) {
          child = new Graph(g, { parent: this, owner: { node, attribute: attr.name } });
          this.children.set(g, child);
        }
        out.push(child);
      }
    }
    return out;
  }

  /** Yields this graph and every graph nested in it, depth first. */
  *allGraphs(): Generator<Graph> {
    yield this;
    for (const node of this.proto.node) {
      for (const sub of this.subgraphs(node)) yield* sub.allGraphs();
    }
  }

  /**
   * The nodes in an order where every node comes after the producers of its inputs (outer-scope reads of its
   * subgraphs included).
   * @returns the nodes; file order is kept wherever it is already valid (Kahn's algorithm, lowest index first)
   * @throws StudioError `INVALID_MODEL` naming nodes on a cycle
   */
  topologicalOrder(): NodeProto[] {
    return topologicalSort(this, this.name);
  }

  /**
   * Generates a tensor name used nowhere in the model (all graphs) and reserves it.
   * @param base - the wanted name; a `_1`, `_2` … suffix is added when it is taken
   * @returns the name
   */
  uniqueName(base: string): string {
    return this.root.reserve(base, 'values');
  }

  /**
   * Generates a node name used nowhere in the model and reserves it.
   * @param base - the wanted name, typically the op type
   */
  uniqueNodeName(base: string): string {
    return this.root.reserve(base, 'nodes');
  }

  /** @returns true when `name` is used anywhere in the model as a tensor name (or was handed out by uniqueName). */
  isNameTaken(name: string): boolean {
    const root = this.root;
    return root.registry().values.has(name) || root.reserved.values.has(name);
  }

  /** @returns true when `name` appears anywhere in the model as a tensor name (reserved names aside). */
  isNameUsed(name: string): boolean {
    return this.root.registry().values.has(name);
  }

  private reserve(base: string, kind: 'values' | 'nodes'): string {
    const used = this.registry()[kind];
    const reserved = this.reserved[kind];
    const stem = base || (kind === 'nodes' ? 'node' : 'tensor');
    let name = stem;
    for (let i = 1; used.has(name) || reserved.has(name); i++) name = `${stem}_${i}`;
    reserved.add(name);
    return name;
  }

  private registry(): NameRegistry {
    if (!this.names) {
      this.names = { values: new Set(), nodes: new Set() };
      collectAllNames(this.proto, this.names.values, this.names.nodes);
    }
    return this.names;
  }

  private isSparseInitializer(name: string): boolean {
    return this.proto.sparseInitializer.some((s) => s.values?.name === name);
  }
}

/** @returns true for a `Constant` node of the default ONNX domain. */
export function isConstantNode(node: NodeProto): boolean {
  return node.opType === 'Constant' && (node.domain === '' || node.domain === 'ai.onnx');
}

/** @returns the `value` attribute of a Constant node, when its value is a tensor. */
export function constantValueAttribute(node: NodeProto): AttributeProto | undefined {
  return node.attribute.find((a) => a.name === 'value' && a.t !== undefined);
}
