/** Per-node figures over every graph: cost, precision, weights and activation bytes, with subgraph run counts. */
import type { ComputePrecision, NodeAnalysisDto } from '../../../shared/api/analysis-api';
import { byteSize } from '../onnx/dtypes';
import type { Graph } from '../onnx/ir/graph';
import { DataType, type NodeProto } from '../onnx/proto';
import { evalDim, type Dim } from './dims';
import { scalarValue, type TensorFacts } from './infer-types';
import { opCost, VIEW_OPS } from './op-cost';
import type { GraphShapes, ShapeInference } from './shape-inference';

/**
 * Bytes of one tensor at the given sizes.
 * @returns null when its dtype or a dim is unknown
 */
export function factBytes(f: TensorFacts | undefined, dims: Readonly<Record<string, number>>): number | null {
  if (!f?.shape || !f.dtype) return null;
  let count = 1;
  for (const d of f.shape) {
    const v = evalDim(d, dims);
    if (v === undefined) return null;
    count *= v;
  }
  return byteSize(f.dtype, count);
}

const INT8_TYPES = new Set<number>([DataType.INT8, DataType.UINT8]);
const INT4_TYPES = new Set<number>([DataType.INT4, DataType.UINT4]);
const QUANTIZED_OPS = new Set(['QLinearConv', 'QLinearMatMul', 'ConvInteger', 'MatMulInteger', 'DynamicQuantizeMatMul', 'QAttention', 'QGemm']);

function dtypePrecision(dtype: number): ComputePrecision {
  if (dtype === DataType.FLOAT) return 'fp32';
  if (dtype === DataType.FLOAT16) return 'fp16';
  if (dtype === DataType.BFLOAT16) return 'bf16';
  if (dtype === DataType.DOUBLE) return 'fp64';
  if (INT8_TYPES.has(dtype)) return 'int8';
  if (INT4_TYPES.has(dtype)) return 'int4';
  return 'other';
}

/** The precision a node computes in: quantized ops and QDQ-wrapped Conv/MatMul/Gemm count as int8 (int4). */
function nodePrecision(node: NodeProto, graph: Graph, shapes: GraphShapes, inputs: Array<TensorFacts | undefined>, outputs: Array<TensorFacts | undefined>): ComputePrecision {
  if (QUANTIZED_OPS.has(node.opType)) return 'int8';
  if (node.opType === 'MatMulNBits') return 'int4';
  if (['Conv', 'MatMul', 'Gemm', 'ConvTranspose'].includes(node.opType)) {
    const dq = node.input.slice(0, 2).map((name) => graph.producer(name));
    if (dq.every((p) => p?.opType === 'DequantizeLinear')) {
      const qType = shapes.tensors.get(dq[1]!.input[0])?.facts?.dtype ?? graph.constantTensor(dq[1]!.input[0])?.dataType ?? 0;
      return INT4_TYPES.has(qType) ? 'int4' : 'int8';
    }
  }
  return dtypePrecision(inputs[0]?.dtype || outputs[0]?.dtype || 0);
}

/** Figures of every node of one inference result. */
export class NodeFigures {
  readonly nodes: NodeAnalysisDto[] = [];
  readonly notes = new Set<string>();

  constructor(
    private readonly inference: ShapeInference,
    private readonly dims: Readonly<Record<string, number>>,
  ) {}

  /** Costs the main graph (and, through control-flow nodes, every subgraph). */
  run(): this {
    this.graph(this.inference.main, 1);
    return this;
  }

  private shapesOf(g: Graph): GraphShapes | undefined {
    return this.inference.graphs.find((s) => s.graph === g);
  }

  private graph(shapes: GraphShapes, runs: number): { macs: number } {
    const g = shapes.graph;
    const lookup = (name: string): TensorFacts | undefined => {
      for (let s: Graph | undefined = g; s; s = s.parent) {
        const rec = this.shapesOf(s)?.tensors.get(name);
        if (rec) return rec.facts;
      }
      return undefined;
    };
    let macs = 0;
    g.nodes.forEach((node, index) => {
      const inputs = node.input.map((name) => (name ? lookup(name) : undefined));
      const outputs = node.output.map((name) => (name ? shapes.tensors.get(name)?.facts : undefined));
      const cost = opCost(node, inputs, outputs, this.dims);
      const view = VIEW_OPS.has(node.opType);
      let params = 0;
      let paramBytes = 0;
      let inputBytes = 0;
      node.input.forEach((name, i) => {
        if (!name) return;
        const weight = g.constantTensor(name);
        const bytes = factBytes(inputs[i], this.dims) ?? 0;
        if (weight) {
          params += weight.dims.reduce((p, d) => p * Number(d), 1);
          paramBytes += bytes;
        } else if (!view) inputBytes += bytes;
      });
      const outputBytes = view || node.opType === 'Constant' ? 0 : outputs.reduce((s, f) => s + (factBytes(f, this.dims) ?? 0), 0);
      this.nodes.push({
        index,
        name: node.name,
        opType: node.opType,
        domain: node.domain,
        graph: shapes.path,
        opClass: cost.opClass,
        precision: nodePrecision(node, g, shapes, inputs, outputs),
        macs: cost.macs,
        flops: cost.flops,
        params,
        paramBytes,
        inputBytes,
        outputBytes,
        runs,
        known: cost.known,
      });
      macs += cost.macs * runs;
      if (cost.opClass === 'control') macs += this.control(node, g, inputs, runs);
    });
    return { macs };
  }

  /** Costs the subgraphs of an If/Loop/Scan node; @returns the MACs counted. */
  private control(node: NodeProto, g: Graph, inputs: Array<TensorFacts | undefined>, runs: number): number {
    const subs = g.subgraphs(node).map((s) => this.shapesOf(s)).filter((s): s is GraphShapes => Boolean(s));
    if (node.opType === 'If') {
      // cost both branches, count the costlier one (an upper bound: which branch runs depends on data)
      const results = subs.map((s) => ({ s, from: this.nodes.length, ...this.graph(s, runs), to: 0 }));
      results.forEach((r, i) => (r.to = results[i + 1]?.from ?? this.nodes.length));
      const best = results.reduce((m, r) => (r.macs > m.macs ? r : m), results[0]);
      for (const r of results) if (r !== best) for (let i = r.from; i < r.to; i++) this.nodes[i].runs = 0;
      if (results.length > 1) this.notes.add('If: both branches are listed; the figures count the costlier one.');
      return best?.macs ?? 0;
    }
    let trips: number | undefined;
    if (node.opType === 'Loop') trips = node.input[0] ? scalarValue(inputs[0]) : undefined;
    else {
      const m = Number(node.attribute.find((a) => a.name === 'num_scan_inputs')?.i ?? 0);
      const first = inputs[inputs.length - m];
      const d: Dim | undefined = first?.shape?.[0];
      trips = d === undefined ? undefined : evalDim(d, this.dims);
    }
    if (trips === undefined) this.notes.add(`${node.opType} ${node.name || ''}: its trip count is only known at run time; its body is counted once.`.replace('  ', ' '));
    let macs = 0;
    for (const s of subs) macs += this.graph(s, runs * (trips ?? 1)).macs;
    return macs;
  }
}
