/** Graph preparation before quantization: weight reads, Conv+BatchNorm folding, Identity-of-constant removal, dead weights. */
import type { ExternalRef } from '../../onnx/external-data';
import { isConstantNode, type Graph } from '../../onnx/ir/graph';
import { addInitializer, removeNode } from '../../onnx/ir/edits';
import { DataType, type NodeProto, type TensorProto } from '../../onnx/proto';
import { tensorValues } from '../../onnx/tensor-data';
import { makeTensor } from './proto-build';

/** A float weight read from the model. */
export interface FloatWeight {
  name: string;
  dims: number[];
  values: Float32Array;
  tensor: TensorProto;
}

/** Reads float32 weights (initializers or Constant-node values) of a graph. */
export class WeightReader {
  constructor(
    private readonly graph: Graph,
    private readonly external: ReadonlyMap<TensorProto, ExternalRef>,
  ) {}

  /** @returns the weight's values when `name` is a stored float32 tensor (not a runtime input), else undefined. */
  float(name: string): FloatWeight | undefined {
    if (name === '' || this.graph.isInput(name)) return undefined;
    const tensor = this.graph.constantTensor(name);
    if (!tensor || tensor.dataType !== DataType.FLOAT) return undefined;
    const values = tensorValues(tensor, this.external.get(tensor)) as Float32Array;
    return { name, dims: tensor.dims.map(Number), values, tensor };
  }

  /** @returns true when `name` is stored in the model (any dtype). */
  isConstant(name: string): boolean {
    return name !== '' && !this.graph.isInput(name) && this.graph.constantTensor(name) !== undefined;
  }
}

/** What the preparation changed. */
export interface PrepResult {
  foldedBatchNorms: number;
  removedIdentities: number;
}

/**
 * Prepares the main graph: folds BatchNormalization into the Conv before it and bypasses Identity nodes over weights,
 * so that weights sit directly on the ops that quantize them.
 */
export function prepareGraph(graph: Graph, weights: WeightReader): PrepResult {
  let removedIdentities = 0;
  for (const node of [...graph.nodes]) {
    if (node.opType !== 'Identity' || node.domain !== '' || graph.isOutput(node.output[0])) continue;
    if (!weights.isConstant(node.input[0])) continue;
    removeNode(graph, node, node.input[0]);
    removedIdentities++;
  }
  let foldedBatchNorms = 0;
  for (const bn of [...graph.nodes]) {
    if (bn.opType === 'BatchNormalization' && bn.domain === '' && foldBatchNorm(graph, bn, weights)) foldedBatchNorms++;
  }
  removeDeadWeights(graph);
  return { foldedBatchNorms, removedIdentities };
}

function foldBatchNorm(graph: Graph, bn: NodeProto, weights: WeightReader): boolean {
  if (bn.output.filter((o) => o !== '').length !== 1) return false;
  const training = bn.attribute.find((a) => a.name === 'training_mode');
  if (training && Number(training.i) !== 0) return false;
  const x = bn.input[0];
  const conv = graph.producer(x);
  if (!conv || conv.opType !== 'Conv' || conv.domain !== '' || graph.consumers(x).length !== 1 || graph.isOutput(x)) return false;
  const w = weights.float(conv.input[1]);
  const params = [1, 2, 3, 4].map((i) => weights.float(bn.input[i]));
  if (!w || params.some((p) => !p)) return false;
  const [gamma, beta, mean, variance] = params.map((p) => (p as FloatWeight).values);
  const channels = w.dims[0];
  if ([gamma, beta, mean, variance].some((v) => v.length !== channels)) return false;
  const bias = conv.input[2] ? weights.float(conv.input[2]) : undefined;
  if (conv.input[2] && (!bias || bias.values.length !== channels)) return false;
  const epsAttr = bn.attribute.find((a) => a.name === 'epsilon');
  const eps = epsAttr ? epsAttr.f : 1e-5;
  const per = w.values.length / channels;
  const newW = new Float32Array(w.values.length);
  const newB = new Float32Array(channels);
  for (let c = 0; c < channels; c++) {
    const s = gamma[c] / Math.sqrt(variance[c] + eps);
    for (let i = 0; i < per; i++) newW[c * per + i] = w.values[c * per + i] * s;
    newB[c] = ((bias ? bias.values[c] : 0) - mean[c]) * s + beta[c];
  }
  const wName = graph.uniqueName(`${conv.input[1]}_bn_folded`);
  const bName = graph.uniqueName(`${conv.input[2] || `${conv.name || 'conv'}_bias`}_bn_folded`);
  addInitializer(graph, makeTensor(wName, DataType.FLOAT, w.dims, newW));
  addInitializer(graph, makeTensor(bName, DataType.FLOAT, [channels], newB));
  conv.input[1] = wName;
  if (conv.input.length < 3) conv.input.push(bName);
  else conv.input[2] = bName;
  const y = bn.output[0];
  const at = graph.indexOf(bn);
  graph.nodes.splice(at, 1);
  conv.output[0] = y;
  graph.invalidate();
  return true;
}

/** @returns every name some node, subgraph or graph output of `graph` reads. */
function usedNames(graph: Graph): Set<string> {
  const used = new Set<string>();
  for (const g of graph.allGraphs()) {
    for (const n of g.nodes) for (const i of n.input) if (i !== '') used.add(i);
    for (const o of g.outputs) used.add(o.name);
  }
  return used;
}

/**
 * Removes initializers and Constant nodes of the main graph nothing reads any more (and stale value_info records).
 * @returns how many were removed
 */
export function removeDeadWeights(graph: Graph): number {
  let removed = 0;
  for (;;) {
    const used = usedNames(graph);
    const before = graph.nodes.length + graph.initializers.length;
    const keepNodes = graph.nodes.filter((n) => !isConstantNode(n) || n.output.some((o) => used.has(o)));
    const keepInits = graph.initializers.filter((t) => used.has(t.name));
    const dropped = new Set(graph.initializers.filter((t) => !used.has(t.name)).map((t) => t.name));
    graph.proto.node = keepNodes;
    graph.proto.initializer = keepInits;
    if (dropped.size) graph.proto.input = graph.inputs.filter((v) => !dropped.has(v.name));
    const after = graph.nodes.length + graph.initializers.length;
    graph.invalidate();
    removed += before - after;
    if (after === before) break;
  }
  const defined = new Set<string>();
  for (const n of graph.nodes) for (const o of n.output) defined.add(o);
  graph.proto.valueInfo = graph.valueInfo.filter((v) => defined.has(v.name));
  graph.invalidate();
  return removed;
}
