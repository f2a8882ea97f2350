/** Static quantization planning: which nodes quantize, which activations get Q/DQ, which share a scale, which weights. */
import type { Graph } from '../../onnx/ir/graph';
import { removeNode } from '../../onnx/ir/edits';
import { DataType, type NodeProto } from '../../onnx/proto';
import type { WeightReader } from './graph-prep';
import { opKind, type OpKind } from './op-rules';
import { getFloatAttr, getIntAttr } from './proto-build';

export interface PlanOptions {
  includeOps: ReadonlySet<string>;
  isExcluded(node: NodeProto): boolean;
  symmetricActivations: boolean;
  perChannel: boolean;
  /** leave in float the Add/Mul/Pool/Concat nodes whose neighbours stay float (a lone Q/DQ pair only costs) */
  fusedOnly?: boolean;
}

/** A stored tensor a quantized node reads: a weight (int8), a bias (int32) or a constant operand (like an activation). */
export interface WeightUse {
  node: NodeProto;
  input: number;
  role: 'weight' | 'bias' | 'constant';
  /** channel axis of a per-channel weight */
  axis: number | null;
}

/** A node left in float, and why. */
export interface SkippedNode {
  node: string;
  op: string;
  reason: string;
}

export interface QdqPlan {
  /** quantized nodes (compute and pass-through), in graph order */
  nodes: NodeProto[];
  /** Relu/Clip nodes removed because the producer's output range now clips (name, op, the tensor that replaced them) */
  folded: Array<{ node: string; op: string; tensor: string }>;
  /** activation tensors that get QuantizeLinear and DequantizeLinear */
  tensors: Set<string>;
  /** tensor → the tensor whose scale it shares (pass-through ops) */
  groupOf: Map<string, string>;
  /** tensor → the float model's tensor whose statistics give its range (folded activations read their output's) */
  statsName: Map<string, string>;
  weights: WeightUse[];
  skipped: SkippedNode[];
  /** kind of each quantized node */
  kinds: Map<NodeProto, OpKind>;
  /** each quantized node's inputs as planned (before Q/DQ rewiring) */
  inputsAtPlan: Map<NodeProto, string[]>;
}

const FOLDABLE_PRODUCERS: ReadonlySet<OpKind> = new Set(['conv', 'gemm', 'matmul', 'binary', 'unary', 'variadic']);

/**
 * Plans static quantization of the main graph.
 * @param graph - the prepared graph; foldable Relu/Clip nodes are removed from it (their readers read the producer)
 * @param weights - reads stored tensors
 * @param dtypeOf - the element type of a tensor, when known
 * @param o - op types, exclusions, symmetric activations, per-channel weights
 */
export function planStatic(graph: Graph, weights: WeightReader, dtypeOf: (name: string) => number | undefined, o: PlanOptions): QdqPlan {
  const isAct = (n: string | undefined) => !!n && dtypeOf(n) === DataType.FLOAT && !weights.isConstant(n);
  const isConst = (n: string | undefined) => !!n && weights.float(n) !== undefined;
  const kinds = new Map<NodeProto, OpKind>();
  const skipped: SkippedNode[] = [];
  const skip = (node: NodeProto, reason: string) => skipped.push({ node: node.name || node.opType, op: node.opType, reason });
  for (const node of graph.topologicalOrder()) {
    const kind = opKind(node.opType, node.domain);
    if (!kind || !o.includeOps.has(node.opType)) continue;
    if (o.isExcluded(node)) {
      skip(node, 'excluded');
      continue;
    }
    if (kind === 'activation') continue;
    const why = eligibility(graph, node, kind, isAct, isConst, weights);
    if (why) skip(node, why);
    else kinds.set(node, kind);
  }
  for (const sub of graph.allGraphs()) {
    if (sub === graph) continue;
    for (const node of sub.nodes) {
      const kind = opKind(node.opType, node.domain);
      if (kind && kind !== 'activation' && kind !== 'same' && o.includeOps.has(node.opType)) {
        skip(node, `inside subgraph ${sub.name}: onnxruntime cannot expose a subgraph's tensors for calibration (dynamic int8 quantizes subgraphs)`);
      }
    }
  }
  if (o.fusedOnly) for (const n of unpaid(graph, kinds, o.includeOps, isConst)) skip(n, 'its inputs or output stay float, so a quantized kernel would only add conversions');
  const statsName = new Map<string, string>();
  const folded: QdqPlan['folded'] = [];
  const forced = new Set<string>();
  if (!o.symmetricActivations) {
    for (const node of [...graph.nodes]) {
      if (opKind(node.opType, node.domain) !== 'activation' || !o.includeOps.has(node.opType) || o.isExcluded(node)) continue;
      const x = node.input[0];
      const y = node.output[0];
      const producer = graph.producer(x);
      const pk = producer ? kinds.get(producer) : undefined;
      if (!pk || !FOLDABLE_PRODUCERS.has(pk) || graph.consumers(x).length !== 1 || graph.isOutput(x) || graph.isOutput(y)) continue;
      if (graph.implicitUsers(x).length || !clipsAtZero(node, weights)) continue;
      removeNode(graph, node, x);
      statsName.set(x, y);
      forced.add(x);
      folded.push({ node: node.name || node.opType, op: node.opType, tensor: x });
    }
  }
  const tensors = new Set<string>(forced);
  const weightsUsed: WeightUse[] = [];
  const need = (n: string) => {
    if (n) tensors.add(n);
  };
  for (const [node, kind] of kinds) {
    const ins = node.input;
    if (kind === 'conv') {
      need(ins[0]);
      weightsUsed.push({ node, input: 1, role: 'weight', axis: o.perChannel ? 0 : null });
      if (ins[2]) weightsUsed.push({ node, input: 2, role: 'bias', axis: null });
      need(node.output[0]);
    } else if (kind === 'gemm') {
      need(ins[0]);
      const transB = getIntAttr(node, 'transB', 0);
      weightsUsed.push({ node, input: 1, role: 'weight', axis: o.perChannel ? (transB ? 0 : 1) : null });
      if (ins[2]) weightsUsed.push({ node, input: 2, role: 'bias', axis: null });
    } else if (kind === 'matmul') {
      need(ins[0]);
      if (isConst(ins[1])) {
        const rank = (weights.float(ins[1]) as { dims: number[] }).dims.length;
        weightsUsed.push({ node, input: 1, role: 'weight', axis: o.perChannel && rank === 2 ? 1 : null });
      } else need(ins[1]);
    } else if (kind === 'binary' || kind === 'variadic') {
      ins.forEach((n, i) => (isConst(n) ? weightsUsed.push({ node, input: i, role: 'constant', axis: null }) : need(n)));
      need(node.output[0]);
    } else if (kind === 'unary') {
      need(ins[0]);
      need(node.output[0]);
    }
  }
  const groupOf = new Map<string, string>();
  const root = (t: string): string => {
    let r = t;
    while (groupOf.has(r) && groupOf.get(r) !== r) r = groupOf.get(r) as string;
    return r;
  };
  const same = [...kinds].filter(([, k]) => k === 'same').map(([n]) => n);
  const joined = new Set<NodeProto>();
  for (let changed = true; changed; ) {
    changed = false;
    for (const s of same) {
      if (joined.has(s)) continue;
      const [tin, tout] = [s.input[0], s.output[0]];
      if (!tensors.has(tin) && !tensors.has(tout)) continue;
      joined.add(s);
      tensors.add(tin);
      tensors.add(tout);
      const a = root(tin);
      const b = root(tout);
      if (a !== b) groupOf.set(b, a);
      changed = true;
    }
  }
  for (const s of same) if (!joined.has(s)) kinds.delete(s);
  // tensors a subgraph reads stay planned: Q/DQ are added beside them and the subgraph keeps reading the float value
  const resolved = new Map<string, string>();
  for (const t of tensors) resolved.set(t, root(t));
  const order = graph.nodes.filter((n) => kinds.has(n));
  const inputsAtPlan = new Map(order.map((n) => [n, [...n.input]]));
  return { nodes: order, folded, tensors, groupOf: resolved, statsName, weights: weightsUsed, skipped, kinds, inputsAtPlan };
}

const NEIGHBOUR_KINDS: ReadonlySet<OpKind> = new Set(['binary', 'unary', 'variadic']);

/**
 * Removes from `kinds` (and returns) the element-wise, pooling and concat nodes that would run as a lone integer kernel:
 * an activation input made by a node left in float (it would need its own QuantizeLinear) or an output read only by float
 * nodes (its own DequantizeLinear). Repeats until stable, since one removal can strand a neighbour.
 */
function unpaid(graph: Graph, kinds: Map<NodeProto, OpKind>, includeOps: ReadonlySet<string>, isConst: (n: string) => boolean): NodeProto[] {
  const quantizedOut = (t: string): boolean => {
    const p = graph.producer(t);
    if (!p) return false;
    if (kinds.has(p)) return true;
    // a Relu/Clip after a quantized node folds into its range
    return opKind(p.opType, p.domain) === 'activation' && includeOps.has(p.opType) && quantizedOut(p.input[0]);
  };
  const quantizedReader = (t: string): boolean =>
    graph.consumers(t).some((c) => kinds.has(c) || (opKind(c.opType, c.domain) === 'activation' && includeOps.has(c.opType) && c.output.some((o) => o && quantizedReader(o))));
  const removed: NodeProto[] = [];
  for (let changed = true; changed; ) {
    changed = false;
    for (const [node, kind] of kinds) {
      if (!NEIGHBOUR_KINDS.has(kind)) continue;
      const acts = node.input.filter((n) => n && !isConst(n));
      const paid = acts.length > 0 && acts.every(quantizedOut) && quantizedReader(node.output[0]);
      if (paid) continue;
      kinds.delete(node);
      removed.push(node);
      changed = true;
    }
  }
  return removed;
}

function eligibility(
  graph: Graph,
  node: NodeProto,
  kind: OpKind,
  isAct: (n: string | undefined) => boolean,
  isConst: (n: string | undefined) => boolean,
  weights: WeightReader,
): string | undefined {
  const ins = node.input;
  const out = node.output[0];
  const outputIsGraphOutput = graph.isOutput(out);
  if (kind === 'conv') {
    if (!isAct(ins[0])) return 'input is not a float32 activation';
    if (!isConst(ins[1])) return 'weight is not a stored float32 tensor';
    if (ins[2] && !isConst(ins[2])) return 'bias is not a stored float32 tensor';
    if (outputIsGraphOutput) return 'output is a model output (onnxruntime cannot fuse it)';
    return undefined;
  }
  if (kind === 'gemm') {
    if (!isAct(ins[0])) return 'input A is not a float32 activation';
    const b = weights.float(ins[1]);
    if (!b || b.dims.length !== 2) return 'B is not a stored 2-D float32 weight';
    if (ins[2]) {
      const c = weights.float(ins[2]);
      const n = getIntAttr(node, 'transB', 0) ? b.dims[0] : b.dims[1];
      if (!c || c.values.length !== n || c.dims.length !== 1) return 'C is not a 1-D bias';
      if (getFloatAttr(node, 'beta', 1) === 0) return 'beta is 0';
    }
    return undefined;
  }
  if (kind === 'matmul') {
    if (!isAct(ins[0])) return 'input A is not a float32 activation';
    if (!isAct(ins[1]) && !isConst(ins[1])) return 'input B is neither a float32 activation nor a weight';
    return undefined;
  }
  if (outputIsGraphOutput) return 'output is a model output';
  if (kind === 'binary' || kind === 'variadic') {
    if (!ins.every((n) => isAct(n) || isConst(n))) return 'an input is not float32';
    if (!ins.some((n) => isAct(n))) return 'no input is an activation';
    return undefined;
  }
  if (!isAct(ins[0])) return 'input is not a float32 activation';
  if (kind === 'same' && node.output.length > 1 && node.output.slice(1).some((x) => x !== '' && graph.consumers(x).length > 0)) {
    return 'a second output is used';
  }
  return undefined;
}

/** @returns true for Relu, and for Clip whose lower bound is exactly 0 (so an asymmetric scale with zero point at qmin clips the same). */
function clipsAtZero(node: NodeProto, weights: WeightReader): boolean {
  if (node.opType === 'Relu') return true;
  const minAttr = node.attribute.find((a) => a.name === 'min');
  if (minAttr) return minAttr.f === 0;
  const min = node.input[1] ? weights.float(node.input[1]) : undefined;
  if (!min || min.values.length !== 1 || min.values[0] !== 0) return false;
  const max = node.input[2] ? weights.float(node.input[2]) : undefined;
  return !node.input[2] || (max !== undefined && max.values.length === 1 && max.values[0] > 0);
}
