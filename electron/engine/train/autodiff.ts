/** Reverse-mode differentiation over an ONNX graph: emits standard ONNX nodes that compute the gradients of chosen tensors. */
import type { GraphProto, NodeProto, TensorProto } from '../onnx/proto';
import { tensorValues } from '../onnx/tensor-data';
import { GradEmitter } from './grad-emitter';
import { GradUnsupported, type GradContext } from './grad-rule';
import { FORWARD_PATCHES, GRAD_RULES, NON_DIFFERENTIABLE } from './grad-rules';

/** A node the differentiator cannot pass through, on a path from a trainable tensor to the loss. */
export interface UnsupportedNode {
  name: string;
  opType: string;
  reason: string;
}

/** Thrown before anything is built when some nodes on the gradient's path have no rule. */
export class UnsupportedGraphError extends Error {
  constructor(readonly nodes: UnsupportedNode[]) {
    super(`The gradient cannot pass through ${nodes.length} node${nodes.length === 1 ? '' : 's'}: ${nodes.slice(0, 8).map((n) => `${n.name || '(unnamed)'} (${n.opType}${n.reason ? `: ${n.reason}` : ''})`).join(', ')}${nodes.length > 8 ? ', …' : ''}.`);
    this.name = 'UnsupportedGraphError';
  }
}

export interface BackwardRequest {
  /** the forward graph (its nodes in topological order); forward patches are applied to it in place */
  graph: GraphProto;
  /** static shapes of every tensor, from the shape probe */
  shapes: ReadonlyMap<string, number[]>;
  /** the tensors whose gradients are wanted (trainable initializers, inputs) */
  wrt: readonly string[];
  /** output tensor → the tensor holding the loss's gradient with respect to it */
  seeds: ReadonlyMap<string, string>;
}

export interface BackwardGraph {
  emitter: GradEmitter;
  /** wrt tensor → its gradient's name (absent when the loss does not depend on it) */
  grads: Map<string, string>;
}

function attr(node: NodeProto, name: string) {
  return node.attribute.find((a) => a.name === name);
}

/**
 * Lists the nodes that lie between a `wrt` tensor and a seeded output and have no gradient rule.
 * @returns the nodes (empty when the graph can be differentiated)
 */
export function unsupportedNodes(graph: GraphProto, wrt: readonly string[], seeds: ReadonlyMap<string, string>): UnsupportedNode[] {
  const requires = forwardRequires(graph, wrt);
  const reaches = backwardReaches(graph, seeds);
  const out: UnsupportedNode[] = [];
  for (const node of graph.node) {
    if (!node.input.some((x) => requires.has(x)) || !node.output.some((y) => reaches.has(y))) continue;
    if (node.domain && node.domain !== 'ai.onnx') out.push({ name: node.name, opType: `${node.domain}.${node.opType}`, reason: 'custom domain' });
    else if (!GRAD_RULES[node.opType]) out.push({ name: node.name, opType: node.opType, reason: '' });
  }
  return out;
}

function forwardRequires(graph: GraphProto, wrt: readonly string[]): Set<string> {
  const requires = new Set(wrt);
  for (const node of graph.node) {
    if (NON_DIFFERENTIABLE.has(node.opType)) continue;
    if (node.input.some((x) => x && requires.has(x))) for (const y of node.output) if (y) requires.add(y);
  }
  return requires;
}

function backwardReaches(graph: GraphProto, seeds: ReadonlyMap<string, string>): Set<string> {
  const reaches = new Set(seeds.keys());
  for (let i = graph.node.length - 1; i >= 0; i--) {
    const node = graph.node[i];
    if (node.output.some((y) => reaches.has(y))) for (const x of node.input) if (x) reaches.add(x);
  }
  return reaches;
}

/**
 * Builds the backward graph.
 * @param e - the emitter to write into (one that already holds the loss head's nodes, say)
 * @returns the emitted nodes and constants, and the gradient tensor of each `wrt` tensor
 * @throws UnsupportedGraphError listing every node without a rule, before anything is emitted
 */
export function buildBackward(req: BackwardRequest, e: GradEmitter = new GradEmitter()): BackwardGraph {
  const { graph, shapes, wrt, seeds } = req;
  const missing = unsupportedNodes(graph, wrt, seeds);
  if (missing.length) throw new UnsupportedGraphError(missing);
  for (const node of graph.node) FORWARD_PATCHES[node.opType]?.(node, (h) => e.fresh(h));
  const requires = forwardRequires(graph, wrt);
  const contributions = new Map<string, string[]>();
  const add = (name: string, grad: string) => {
    const list = contributions.get(name);
    if (list) list.push(grad);
    else contributions.set(name, [grad]);
  };
  for (const [out, seed] of seeds) add(out, seed);
  const resolved = new Map<string, string>();
  const gradOf = (name: string): string | undefined => {
    if (resolved.has(name)) return resolved.get(name);
    const parts = contributions.get(name);
    if (!parts) return undefined;
    const g = e.sum(parts);
    resolved.set(name, g);
    return g;
  };
  const constants = new Map<string, TensorProto>(graph.initializer.map((t) => [t.name, t]));
  for (const node of graph.node) {
    const v = node.opType === 'Constant' ? node.attribute.find((a) => a.name === 'value')?.t : undefined;
    if (v) constants.set(node.output[0], v);
  }
  for (let i = graph.node.length - 1; i >= 0; i--) {
    const node = graph.node[i];
    if (NON_DIFFERENTIABLE.has(node.opType)) continue;
    const outGrads = node.output.map((y) => (y ? gradOf(y) : undefined));
    if (!outGrads.some(Boolean) || !node.input.some((x) => x && requires.has(x))) continue;
    const rule = GRAD_RULES[node.opType];
    const ctx: GradContext = {
      node,
      e,
      shape(name) {
        const s = shapes.get(name);
        if (!s) throw new GradUnsupported(`the shape of ${name} is unknown`);
        return s;
      },
      dOut: (k) => outGrads[k],
      needs: (k) => Boolean(node.input[k]) && requires.has(node.input[k]),
      give: (k, g) => add(node.input[k], g),
      int: (n, f) => {
        const a = attr(node, n);
        return a ? Number(a.i) : f;
      },
      ints: (n) => attr(node, n)?.ints.map(Number),
      float: (n, f) => attr(node, n)?.f ?? f,
      str: (n, f) => {
        const a = attr(node, n);
        return a ? new TextDecoder().decode(a.s) : f;
      },
      constInts: (k) => {
        const t = node.input[k] ? constants.get(node.input[k]) : undefined;
        return t ? Array.from(tensorValues(t) as ArrayLike<number | bigint>, Number) : undefined;
      },
    };
    try {
      rule(ctx);
    } catch (err) {
      if (err instanceof GradUnsupported) throw new UnsupportedGraphError([{ name: node.name, opType: node.opType, reason: err.message }]);
      throw err;
    }
  }
  const grads = new Map<string, string>();
  for (const w of wrt) {
    const g = gradOf(w);
    if (g) grads.set(w, g);
  }
  return { emitter: e, grads };
}
