/** Dynamic int8: int8 weights, activations quantized at run time, in the pattern onnxruntime fuses (DynamicQuantizeMatMul). */
import { clone } from '@bufbuild/protobuf';
import type { ExternalRef } from '../../onnx/external-data';
import { addInitializer } from '../../onnx/ir/edits';
import type { Graph } from '../../onnx/ir/graph';
import { mapClonedTensors, ModelIR } from '../../onnx/ir/model-ir';
import { DataType, ModelProtoSchema, type ModelProto, type NodeProto, type TensorProto } from '../../onnx/proto';
import { removeDeadWeights, WeightReader, type FloatWeight } from './graph-prep';
import { floatTensor, getFloatAttr, getIntAttr, intAttr, makeNode, makeTensor, zeroPointTensor } from './proto-build';
import type { SkippedNode } from './qdq-plan';
import { nodeMatcher, type PreparedModel } from './static-quantizer';
import { quantizeWeight } from './weight-quant';

export interface DynamicOptions {
  perChannel: boolean;
  reduceRange: boolean;
  weightType: 'int8' | 'uint8';
  includeOps: readonly string[];
  exclude: readonly string[];
}

/** A node dynamic quantization replaced. */
export interface DynamicNode {
  node: string;
  op: string;
  /** the activation it quantizes at run time */
  input: string;
  /** its output (the same name in both models) */
  output: string;
  /** the If/Loop/Scan body it is in (undefined in the main graph) */
  subgraph?: string;
}

export interface DynamicResult {
  proto: ModelProto;
  external: ReadonlyMap<TensorProto, ExternalRef>;
  nodes: DynamicNode[];
  skipped: SkippedNode[];
}

interface Candidate {
  node: NodeProto;
  /** weight as [K, N] (MatMul/Gemm) or the Conv's [C, …] */
  weight: { values: Float32Array; dims: number[] };
  bias?: Float32Array;
}

/** @returns the candidate, or why the node stays float. */
function candidate(node: NodeProto, weights: WeightReader, isAct: (n: string) => boolean): Candidate | string {
  if (!isAct(node.input[0])) return 'input is not a float32 activation';
  const w = weights.float(node.input[1]);
  if (!w) return 'weight is not a stored float32 tensor';
  if (node.opType === 'MatMul') return w.dims.length === 2 ? { node, weight: w } : 'weight is not 2-D';
  if (node.opType === 'Conv') {
    const b = node.input[2] ? weights.float(node.input[2]) : undefined;
    if (node.input[2] && !b) return 'bias is not a stored float32 tensor';
    return { node, weight: w, bias: b?.values };
  }
  // Gemm: alpha and transB are folded into the weight, beta into the bias
  if (w.dims.length !== 2 || getIntAttr(node, 'transA', 0) !== 0) return 'Gemm with transA or a non 2-D weight';
  return gemmCandidate(node, w, weights);
}

function gemmCandidate(node: NodeProto, w: FloatWeight, weights: WeightReader): Candidate | string {
  const alpha = getFloatAttr(node, 'alpha', 1);
  const beta = getFloatAttr(node, 'beta', 1);
  const transB = getIntAttr(node, 'transB', 0) !== 0;
  const [r, c] = w.dims;
  const k = transB ? c : r;
  const n = transB ? r : c;
  const values = new Float32Array(k * n);
  for (let i = 0; i < k; i++) for (let j = 0; j < n; j++) values[i * n + j] = alpha * (transB ? w.values[j * c + i] : w.values[i * c + j]);
  let bias: Float32Array | undefined;
  if (node.input[2]) {
    const b = weights.float(node.input[2]);
    if (!b || (b.values.length !== n && b.values.length !== 1)) return 'C is not a per-column bias';
    bias = new Float32Array(n).map((_, j) => beta * b.values[b.values.length === 1 ? 0 : j]);
  }
  return { node, weight: { values, dims: [k, n] }, bias };
}

/**
 * Quantizes MatMul, Gemm (and Conv when asked) dynamically.
 * @param prepared - the prepared float model (left untouched unless `inPlace`)
 * @param keepFloat - more node names to keep in float (accuracy-aware mode)
 */
export function quantizeDynamic(prepared: PreparedModel, o: DynamicOptions, keepFloat: ReadonlySet<string> = new Set(), inPlace = false): DynamicResult {
  const copy = inPlace ? prepared.proto : clone(ModelProtoSchema, prepared.proto);
  const external = inPlace ? prepared.external : mapClonedTensors(prepared.proto, copy, prepared.external);
  const main = new ModelIR(copy).graph;
  const nodes: DynamicNode[] = [];
  const skipped: SkippedNode[] = [];
  // subgraphs (If/Loop/Scan bodies) too: dynamic quantization needs no calibration. Their weights may live in an outer
  // scope: a weight is quantized once, into the graph that defines it, and every reader (main graph or body) reads it
  const store = new WeightStore();
  for (const g of [...main.allGraphs()]) {
    const weights = new WeightReader(g, external);
    const isAct = g === main
      ? (n: string) => !!n && prepared.dtypeOf(n) === DataType.FLOAT && !weights.isConstant(n)
      : (n: string) => !!n && (prepared.dtypeOf(n) ?? DataType.FLOAT) === DataType.FLOAT && !weights.isConstant(n);
    quantizeGraph(g, weights, isAct, o, keepFloat, nodes, skipped, store);
  }
  for (const g of [...main.allGraphs()].reverse()) removeDeadWeights(g);
  return { proto: copy, external, nodes, skipped };
}

function quantizeGraph(
  graph: Graph,
  weights: WeightReader,
  isAct: (n: string) => boolean,
  o: DynamicOptions,
  keepFloat: ReadonlySet<string>,
  nodes: DynamicNode[],
  skipped: SkippedNode[],
  store: WeightStore,
): void {
  const excluded = nodeMatcher(o.exclude);
  const include = new Set(o.includeOps);
  const out: NodeProto[] = [];
  const dql = new Map<string, { q: string; scale: string; zp: string }>();
  const em = new Emitter(graph, out, o, store);
  for (const node of graph.topologicalOrder()) {
    const wanted = (node.domain === '' || node.domain === 'ai.onnx') && include.has(node.opType) && ['MatMul', 'Gemm', 'Conv'].includes(node.opType);
    if (!wanted) {
      out.push(node);
      continue;
    }
    const label = node.name || node.opType;
    const c = excluded(node) || keepFloat.has(node.name) ? 'excluded' : candidate(node, weights, isAct);
    if (typeof c === 'string') {
      skipped.push({ node: label, op: node.opType, reason: c });
      out.push(node);
      continue;
    }
    const a = node.input[0];
    let q = dql.get(a);
    if (!q) {
      q = { q: graph.uniqueName(`${a}_quantized`), scale: graph.uniqueName(`${a}_scale`), zp: graph.uniqueName(`${a}_zero_point`) };
      out.push(makeNode('DynamicQuantizeLinear', [a], [q.q, q.scale, q.zp], graph.uniqueNodeName(`${a}_QuantizeLinear`)));
      dql.set(a, q);
    }
    if (node.opType === 'Conv') em.conv(c, q);
    else em.matmul(c, q);
    nodes.push({ node: label, op: node.opType, input: a, output: node.output[0], ...(graph.parent ? { subgraph: graph.name } : {}) });
  }
  graph.proto.node = out;
  graph.invalidate();
}

/** A quantized weight: int8 data and zero point, its scales, and their initializer once made. */
interface QuantizedWeight {
  q: string;
  zp: string;
  scales: Float32Array;
  scale?: string;
}

/**
 * The integer weights and float biases made so far, by the graph that defines their float source, so that readers in
 * different graphs (the main graph and a Loop body, two If branches) share one copy.
 */
class WeightStore {
  readonly weights = new Map<Graph, Map<string, QuantizedWeight>>();
  readonly biases = new Map<Graph, Map<string, string>>();

  /** @returns the graph defining `name` as seen from `graph` (itself or an enclosing one) */
  home(graph: Graph, name: string): Graph {
    for (let g: Graph | undefined = graph; g; g = g.parent) if (g.definesLocally(name)) return g;
    return graph;
  }

  static of<V>(map: Map<Graph, Map<string, V>>, g: Graph): Map<string, V> {
    let m = map.get(g);
    if (!m) map.set(g, (m = new Map()));
    return m;
  }
}

/** Writes the integer op, the Cast and the scale (and bias) multiply for one node. */
class Emitter {
  constructor(
    private readonly graph: Graph,
    private readonly out: NodeProto[],
    private readonly o: DynamicOptions,
    private readonly store: WeightStore,
  ) {}

  private init(home: Graph, base: string, t: (name: string) => TensorProto): string {
    const name = home.uniqueName(base);
    addInitializer(home, t(name));
    return name;
  }

  /** @returns the key of a node's weight after its transforms (a weight shared by several nodes is stored once) */
  private key(c: Candidate): string {
    const n = c.node;
    return `${n.input[1]}|${n.opType}|${getIntAttr(n, 'transB', 0)}|${getFloatAttr(n, 'alpha', 1)}`;
  }

  private weight(c: Candidate, axis: number): { rec: QuantizedWeight; home: Graph } {
    const home = this.store.home(this.graph, c.node.input[1]);
    const records = WeightStore.of(this.store.weights, home);
    let rec = records.get(this.key(c));
    if (!rec) {
      const w = quantizeWeight(c.weight.values, c.weight.dims, this.o.perChannel ? axis : null, this.o.reduceRange, undefined, this.o.weightType);
      const base = c.node.input[1];
      const dtype = this.o.weightType === 'uint8' ? DataType.UINT8 : DataType.INT8;
      const q = this.init(home, `${base}_quantized`, (n) => makeTensor(n, dtype, c.weight.dims, w.data));
      const zp = this.init(home, `${base}_zero_point`, (n) => zeroPointTensor(n, this.o.weightType, [w.zeroPoint]));
      rec = { q, zp, scales: w.scales };
      records.set(this.key(c), rec);
    }
    return { rec, home };
  }

  /** MatMulInteger → Cast → Mul(a_scale × b_scale) [→ Add bias]: onnxruntime fuses it into DynamicQuantizeMatMul. */
  matmul(c: Candidate, a: { q: string; scale: string; zp: string }): void {
    const y = c.node.output[0];
    const { rec: w, home } = this.weight(c, 1);
    w.scale ??= this.init(home, `${c.node.input[1]}_scale`, (n) => floatTensor(n, w.scales, w.scales.length > 1));
    const bScale = w.scale;
    this.finish(c, y, makeNode('MatMulInteger', [a.q, w.q, a.zp, w.zp], [this.graph.uniqueName(`${y}_MatMulInteger`)], this.name(c, 'MatMulInteger')), a.scale, bScale, c.bias);
  }

  /** ConvInteger → Cast → Mul(x_scale × w_scale per channel) [→ Add bias]; per-channel terms broadcast over the spatial axes. */
  conv(c: Candidate, a: { q: string; scale: string; zp: string }): void {
    const y = c.node.output[0];
    const { rec: w, home } = this.weight(c, 0);
    const perC = w.scales.length > 1;
    const spatial = Math.max(0, c.weight.dims.length - 2);
    w.scale ??= this.init(home, `${c.node.input[1]}_scale`, (n) => (perC ? makeTensor(n, DataType.FLOAT, channelDims(w.scales.length, spatial), w.scales) : floatTensor(n, w.scales)));
    const bScale = w.scale;
    const attrs = c.node.attribute.filter((x) => ['auto_pad', 'dilations', 'group', 'kernel_shape', 'pads', 'strides'].includes(x.name));
    const bias = c.bias ? Float32Array.from(c.bias) : undefined;
    this.finish(c, y, makeNode('ConvInteger', [a.q, w.q, a.zp, w.zp], [this.graph.uniqueName(`${y}_ConvInteger`)], this.name(c, 'ConvInteger'), attrs), a.scale, bScale, bias, spatial);
  }

  private name(c: Candidate, op: string): string {
    return this.graph.uniqueNodeName(`${c.node.name || c.node.opType}_${op}`);
  }

  /** @param spatial - for a convolution, how many spatial axes the bias broadcasts over */
  private finish(c: Candidate, y: string, integerOp: NodeProto, aScale: string, bScale: string, bias: Float32Array | undefined, spatial?: number): void {
    const g = this.graph;
    const cast = g.uniqueName(`${y}_cast`);
    const scale = g.uniqueName(`${y}_scale_product`);
    const scaled = bias ? g.uniqueName(`${y}_unbiased`) : y;
    this.out.push(integerOp);
    this.out.push(makeNode('Cast', [integerOp.output[0]], [cast], this.name(c, 'Cast'), [intAttr('to', DataType.FLOAT)]));
    this.out.push(makeNode('Mul', [aScale, bScale], [scale], this.name(c, 'ScaleMul')));
    this.out.push(makeNode('Mul', [cast, scale], [scaled], this.name(c, 'Mul')));
    if (bias) {
      const dims = spatial !== undefined ? channelDims(bias.length, spatial) : [bias.length];
      const source = c.node.input[2];
      const home = source ? this.store.home(g, source) : g;
      const cache = WeightStore.of(this.store.biases, home);
      const key = `${this.key(c)}|${source}|${getFloatAttr(c.node, 'beta', 1)}`;
      let b = source ? cache.get(key) : undefined;
      if (!b) {
        b = this.init(home, `${source || `${y}_bias`}_float`, (n) => makeTensor(n, DataType.FLOAT, dims, bias));
        if (source) cache.set(key, b);
      }
      this.out.push(makeNode('Add', [scaled, b], [y], this.name(c, 'BiasAdd')));
    }
  }
}

/** @returns the dims of a per-channel term broadcast against a convolution's output: [C, 1, …] with one 1 per spatial axis. */
function channelDims(channels: number, spatial: number): number[] {
  return [channels, ...new Array<number>(spatial).fill(1)];
}
