/**
 * The graph walk, for the main graph and every If/Loop/Scan body with its outer scope: every read resolves to an
 * input, initializer, earlier node output or outer value; then the interface, order and cycle rules. Calls the node
 * and tensor rules on the way.
 */
import type { AttributeProto, GraphProto, NodeProto } from '../proto';
import { checkMainTypes, checkOutputs, reportDangling } from './check-io';
import { checkNode } from './check-node';
import { reportOrder } from './check-order';
import { checkTensor } from './check-tensor';
import type { ValidateContext } from './context';
import { collectDefinitions, FIX_REEXPORT, INITIALIZER, INPUT_WITH_DEFAULT, type Definitions, type Scope } from './definitions';
import { capital, nodeText, quote, type NodeRef } from './problems';

/** The state of one graph's walk. */
class GraphWalk {
  /** names read from enclosing graphs */
  readonly free = new Set<string>();
  /** node position → outer names its subgraphs read (for the cycle search) */
  readonly implicit = new Map<number, string[]>();
  /** main-graph inputs nothing has read yet */
  readonly dangling: Set<string> | undefined;
  outOfOrder: { ref: NodeRef; name: string } | undefined;

  constructor(
    readonly ctx: ValidateContext,
    readonly graph: GraphProto,
    readonly path: string,
    readonly defs: Definitions,
  ) {
    const isMain = defs.outer === undefined;
    this.dangling = isMain ? new Set(graph.input.map((v) => v.name).filter((n) => !isWeight(defs.names.get(n)))) : undefined;
  }

  /** Resolves a read by the node at `index`; returns false when nothing defines the name. */
  read(name: string, index: number): boolean {
    if (this.dangling !== undefined && this.dangling.size > 0) this.dangling.delete(name);
    // most reads are of the previous node's outputs: comparing strings spares hashing the name
    if (index > 0) {
      const previous = this.graph.node[index - 1].output;
      for (let k = 0; k < previous.length; k++) if (previous[k] === name) return true;
    }
    const p = this.defs.names.get(name);
    if (p !== undefined) {
      if (p >= index && !this.outOfOrder) this.outOfOrder = { ref: { graph: this.path, node: this.graph.node[index], index }, name };
      return true;
    }
    if (this.defs.outer?.has(name)) {
      this.free.add(name);
      return true;
    }
    return false;
  }

  /** Checks the node at `index`: its schema, its reads, its attribute tensors and subgraphs. */
  visit(index: number): void {
    const node = this.graph.node[index];
    const ref: NodeRef = { graph: this.path, node, index };
    checkNode(this.ctx, ref);
    const inputs = node.input;
    for (let k = 0; k < inputs.length; k++) {
      const name = inputs[k];
      if (name !== '' && !this.read(name, index)) this.reportUndefined(ref, name);
    }
    const attrs = node.attribute;
    for (let k = 0; k < attrs.length; k++) this.visitAttribute(ref, attrs[k]);
  }

  private visitAttribute(ref: NodeRef, attr: AttributeProto): void {
    if (attr.t) checkTensor(this.ctx, attr.t, this.path, ref, attr.name);
    for (const t of attr.tensors) checkTensor(this.ctx, t, this.path, ref, attr.name);
    if (attr.sparseTensor?.values) checkTensor(this.ctx, attr.sparseTensor.values, this.path, ref, attr.name);
    if (attr.sparseTensor?.indices) checkTensor(this.ctx, attr.sparseTensor.indices, this.path, ref, attr.name);
    if (!attr.g && attr.graphs.length === 0) return;
    const subgraphs = attr.g ? [attr.g, ...attr.graphs] : attr.graphs;
    subgraphs.forEach((g, k) => {
      const step = `${ref.node.name || ref.index}.${attr.name}${attr.graphs.length > 0 ? `[${k}]` : ''}`;
      const reads = checkGraph(this.ctx, g, `${this.path}/${step}`, this.defs);
      if (reads.size === 0) return;
      let implicit = this.implicit.get(ref.index);
      if (!implicit) this.implicit.set(ref.index, (implicit = []));
      for (const name of reads) {
        this.read(name, ref.index);
        implicit.push(name);
      }
    });
  }

  private reportUndefined(ref: NodeRef, name: string): void {
    this.ctx.problems.addAt(ref, {
      severity: 'error',
      code: 'UNDEFINED_INPUT',
      tensor: name,
      message:
        this.defs.outer === undefined
          ? `${capital(nodeText(ref))} reads ${quote(name)}, which no graph input, initializer or node produces.`
          : this.path.startsWith('function ')
            ? `${capital(nodeText(ref))} reads ${quote(name)}, which is neither an input of the function nor an output of an earlier node of it.`
            : `${capital(nodeText(ref))} reads ${quote(name)}, which neither its subgraph nor any enclosing graph defines (no input, initializer, node output or outer value of that name).`,
      fix: `${FIX_REEXPORT} The input must name a tensor that exists, or be left empty if the operator allows.`,
    });
  }
}

function isWeight(definedAs: number | undefined): boolean {
  return definedAs === INITIALIZER || definedAs === INPUT_WITH_DEFAULT;
}

/**
 * Checks a graph and, recursively, its subgraphs.
 * @param ctx - the validation run
 * @param graph - the graph
 * @param path - `main`, or the path of a subgraph (`main/If_0.then_branch`, usable with `graph --subgraph`)
 * @param outer - what the enclosing graphs define; undefined for the main graph
 * @returns the names the graph reads from enclosing graphs
 */
export function checkGraph(ctx: ValidateContext, graph: GraphProto, path: string, outer?: Scope): Set<string> {
  const defs = collectDefinitions(ctx, graph, path, outer);
  const walk = new GraphWalk(ctx, graph, path, defs);
  for (let index = 0; index < graph.node.length; index++) walk.visit(index);
  checkOutputs(ctx, graph, path, defs, walk.free);
  if (walk.dangling) {
    for (const o of graph.output) walk.dangling.delete(o.name);
    checkMainTypes(ctx, graph);
    reportDangling(ctx, walk.dangling);
  }
  if (walk.outOfOrder) reportOrder(ctx, graph.node as NodeProto[], path, defs.names, walk.implicit, walk.outOfOrder);
  return walk.free;
}
