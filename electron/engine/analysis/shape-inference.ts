/** Static shape inference over the graph IR: every tensor's dtype and shape, symbols kept, user sizes substituted. */
import type { ExternalRef } from '../onnx/external-data';
import type { Graph } from '../onnx/ir/graph';
import type { ModelIR } from '../onnx/ir/model-ir';
import type { GraphProto, NodeProto, TensorProto } from '../onnx/proto';
import { ruleFor } from './infer-rules';
import { AttrReader, type NodeContext, type TensorFacts } from './infer-types';
import { constantFacts, fillFrom, storedFacts, typeFacts } from './tensor-facts';

/** Where a tensor's facts came from. */
export type FactSource = 'input' | 'weight' | 'inferred' | 'declared' | 'runtime' | 'unknown';

/** What is known about one tensor of one graph. */
export interface TensorRecord {
  facts: TensorFacts | undefined;
  source: FactSource;
}

/** The tensors of one graph (the main graph or a subgraph of If/Loop/Scan). */
export interface GraphShapes {
  graph: Graph;
  /** `main`, or e.g. `main/If_0.then_branch` */
  path: string;
  tensors: Map<string, TensorRecord>;
}

/** The result of inference over a whole model. */
export interface ShapeInference {
  main: GraphShapes;
  /** every graph, the main one first */
  graphs: GraphShapes[];
  /** op types without a rule (`domain::op` for other domains), with how many nodes have them */
  unknownOps: Map<string, number>;
  /** nodes whose rule threw on the facts it got (names), kept so a caller can say so */
  failedNodes: string[];
}

export interface InferOptions {
  /** sizes for symbolic dims (`{ batch: 1 }`); symbols without a size are kept */
  dims?: Readonly<Record<string, number>>;
  /** external data references (to read small external shape tensors) */
  external?: ReadonlyMap<TensorProto, ExternalRef>;
  /** fill dims inference could not find from the model's own value_info (default true) */
  useDeclared?: boolean;
  /** facts of main-graph inputs known better than their declaration (e.g. from given input data) */
  givenInputs?: ReadonlyMap<string, TensorFacts>;
}

/**
 * Infers every tensor's facts.
 * @param model - the model (not modified)
 * @param options - symbol sizes, external data, whether to use declared value_info
 * @returns the facts by graph
 */
export function inferShapes(model: ModelIR, options: InferOptions = {}): ShapeInference {
  const run = new InferenceRun(model, options);
  const main = run.graph(model.graph, 'main', undefined, undefined);
  return { main, graphs: [...run.byGraph.values()], unknownOps: run.unknownOps, failedNodes: run.failedNodes };
}

type Lookup = (name: string) => TensorFacts | undefined;

class InferenceRun {
  readonly byGraph = new Map<Graph, GraphShapes>();
  readonly unknownOps = new Map<string, number>();
  readonly failedNodes: string[] = [];
  private readonly dims: Readonly<Record<string, number>>;
  private readonly useDeclared: boolean;

  constructor(
    private readonly model: ModelIR,
    private readonly options: InferOptions,
  ) {
    this.dims = options.dims ?? {};
    this.useDeclared = options.useDeclared ?? true;
  }

  graph(g: Graph, path: string, given: Array<TensorFacts | undefined> | undefined, outer: Lookup | undefined): GraphShapes {
    const tensors = new Map<string, TensorRecord>();
    const shapes: GraphShapes = { graph: g, path, tensors };
    this.byGraph.set(g, shapes);
    const lookup: Lookup = (name) => (tensors.has(name) ? tensors.get(name)!.facts : outer?.(name));
    const declared = new Map<string, TensorFacts | undefined>();
    for (const v of [...g.valueInfo, ...g.outputs]) declared.set(v.name, typeFacts(v.type, this.dims));

    g.inputs.forEach((input, i) => {
      const stated = typeFacts(input.type, this.dims);
      const known = outer ? undefined : this.options.givenInputs?.get(input.name);
      const facts = given ? fillFrom(given[i], stated).facts : (known ?? stated);
      tensors.set(input.name, { facts, source: 'input' });
    });
    for (const t of g.initializers) tensors.set(t.name, { facts: storedFacts(t, this.options.external?.get(t)), source: 'weight' });

    for (const node of this.order(g)) {
      const outs = this.node(g, path, node, lookup);
      node.output.forEach((name, i) => {
        if (!name) return;
        let facts = outs[i];
        let source: FactSource = facts ? 'inferred' : 'unknown';
        if (this.useDeclared) {
          const filled = fillFrom(facts, declared.get(name));
          if (filled.used) source = 'declared';
          facts = filled.facts;
        }
        tensors.set(name, { facts, source });
      });
    }
    return shapes;
  }

  private order(g: Graph): NodeProto[] {
    try {
      return g.topologicalOrder();
    } catch {
      return g.nodes;
    }
  }

  private node(g: Graph, path: string, node: NodeProto, lookup: Lookup): Array<TensorFacts | undefined> {
    const std = node.domain === '' || node.domain === 'ai.onnx';
    if (std && node.opType === 'Constant') return [constantFacts(node, this.options.external)];
    const rule = ruleFor(node.opType, node.domain);
    if (!rule) {
      const key = std ? node.opType : `${node.domain}::${node.opType}`;
      this.unknownOps.set(key, (this.unknownOps.get(key) ?? 0) + 1);
      return [];
    }
    const ctx: NodeContext = {
      node,
      opset: this.model.opset(node.domain) ?? this.model.opset('') ?? 1,
      inputs: node.input.map((name) => (name ? lookup(name) : undefined)),
      has: (i) => Boolean(node.input[i]),
      attrs: new AttrReader(node),
      inferSubgraph: (proto: GraphProto, inputs) => {
        const child = g.subgraphs(node).find((s) => s.proto === proto);
        if (!child) return [];
        const attr = child.owner?.attribute ?? 'body';
        const result = this.graph(child, `${path}/${node.name || node.opType}.${attr}`, inputs, lookup);
        return child.outputs.map((o) => result.tensors.get(o.name)?.facts ?? lookup(o.name));
      },
    };
    try {
      return rule(ctx);
    } catch {
      this.failedNodes.push(node.name || node.opType);
      return [];
    }
  }
}
