/** The cost model of one node: multiply-accumulates, floating-point operations and the class of work it does. */
import type { NodeProto } from '../onnx/proto';
import { evalDim, type Dim } from './dims';
import { bindEinsum } from './infer-einsum';
import { AttrReader, type TensorFacts } from './infer-types';

/** What kind of work a node does (the roofline treats classes differently). */
export type OpClass = 'conv' | 'matmul' | 'attention' | 'pool' | 'norm' | 'elementwise' | 'reduce' | 'data' | 'view' | 'control' | 'other';

/** Compute figures of one node for one execution. */
export interface OpCost {
  macs: number;
  flops: number;
  opClass: OpClass;
  /** false when a shape the formula needs is unknown (the figures are then 0 or partial) */
  known: boolean;
}

/** Ops that only relabel a buffer (onnxruntime runs them without copying). */
export const VIEW_OPS = new Set(['Reshape', 'Flatten', 'Squeeze', 'Unsqueeze', 'Identity', 'Dropout']);

const DATA_OPS = new Set([
  'Transpose', 'Concat', 'Split', 'Slice', 'Gather', 'GatherElements', 'GatherND', 'ScatterND', 'ScatterElements', 'Expand', 'Tile',
  'Pad', 'Cast', 'CastLike', 'Shape', 'Size', 'Constant', 'ConstantOfShape', 'Range', 'DepthToSpace', 'SpaceToDepth', 'NonZero',
  'Compress', 'OneHot', 'Where', 'TopK', 'Trilu', 'ReverseSequence', 'EyeLike',
]);

/** FLOPs per output element of normalization ops (mean, variance, normalize, scale, shift). */
const NORM_FLOPS: Record<string, number> = {
  BatchNormalization: 2,
  LayerNormalization: 7,
  SimplifiedLayerNormalization: 5,
  RMSNormalization: 5,
  SkipLayerNormalization: 8,
  SkipSimplifiedLayerNormalization: 6,
  InstanceNormalization: 7,
  GroupNormalization: 7,
  MeanVarianceNormalization: 7,
  LpNormalization: 3,
  LRN: 5,
  Softmax: 5,
  LogSoftmax: 5,
};

const REDUCE = /^(Reduce|Arg(Max|Min)$)/;
const GATES: Record<string, number> = { RNN: 1, GRU: 3, LSTM: 4 };

/**
 * Costs one node.
 * @param node - the node
 * @param inputs - facts of its inputs
 * @param outputs - facts of its outputs
 * @param dims - sizes of symbolic dims (symbols without one count as 1)
 */
export function opCost(node: NodeProto, inputs: Array<TensorFacts | undefined>, outputs: Array<TensorFacts | undefined>, dims: Readonly<Record<string, number>>): OpCost {
  const n = (shape: Dim[] | null | undefined): number | undefined => {
    if (!shape) return undefined;
    let p = 1;
    for (const d of shape) {
      const v = evalDim(d, dims);
      if (v === undefined) return undefined;
      p *= v;
    }
    return p;
  };
  const dim = (d: Dim | undefined) => (d === undefined ? undefined : evalDim(d, dims));
  const op = node.opType;
  const a = new AttrReader(node);
  const x = inputs[0]?.shape;
  const y = outputs[0]?.shape;
  const outN = n(y);
  const result = (macs: number | undefined, extraFlops: number | undefined, opClass: OpClass): OpCost => {
    const known = macs !== undefined && extraFlops !== undefined;
    const m = macs ?? 0;
    return { macs: m, flops: 2 * m + (extraFlops ?? 0), opClass, known };
  };

  switch (op) {
    case 'Conv':
    case 'ConvInteger':
    case 'QLinearConv':
    case 'FusedConv':
    case 'NhwcConv': {
      const w = inputs[op === 'QLinearConv' ? 3 : 1]?.shape;
      const perOut = w ? n(w.slice(1)) : undefined;
      const hasBias = Boolean(node.input[op === 'QLinearConv' ? 8 : 2]);
      const macs = outN !== undefined && perOut !== undefined ? outN * perOut : undefined;
      return result(macs, outN === undefined ? undefined : (hasBias ? outN : 0) + (op === 'FusedConv' ? outN : 0), 'conv');
    }
    case 'ConvTranspose': {
      const w = inputs[1]?.shape;
      const inN = n(x);
      const perIn = w ? n(w.slice(1)) : undefined;
      const macs = inN !== undefined && perIn !== undefined ? inN * perIn : undefined;
      return result(macs, outN === undefined ? undefined : node.input[2] ? outN : 0, 'conv');
    }
    case 'Gemm':
    case 'FusedGemm': {
      const k = x ? dim(a.int('transA', 0) ? x[0] : x[1]) : undefined;
      const macs = outN !== undefined && k !== undefined ? outN * k : undefined;
      return result(macs, outN === undefined ? undefined : node.input[2] ? outN : 0, 'matmul');
    }
    case 'MatMul':
    case 'MatMulInteger':
    case 'QLinearMatMul':
    case 'FusedMatMul':
    case 'MatMulNBits': {
      const k = op === 'MatMulNBits' ? a.int('K') : x ? dim(op === 'FusedMatMul' && a.int('transA', 0) && x.length > 1 ? x[x.length - 2] : x[x.length - 1]) : undefined;
      return result(outN !== undefined && k !== undefined ? outN * k : undefined, 0, 'matmul');
    }
    case 'Einsum': {
      const b = bindEinsum(a.string('equation', ''), inputs.map((f) => f?.shape));
      if (!b) return result(undefined, undefined, 'matmul');
      const all = n(b.letters.map((l) => b.sizes.get(l) ?? null));
      return inputs.length >= 2 ? result(all, 0, 'matmul') : result(0, all, 'reduce');
    }
    case 'Attention':
    case 'MultiHeadAttention':
    case 'GroupQueryAttention':
      return attentionCost(node, inputs, outputs, n, dim);
    case 'RNN':
    case 'GRU':
    case 'LSTM': {
      const hidden = a.int('hidden_size');
      const dirs = a.string('direction', 'forward') === 'bidirectional' ? 2 : 1;
      const inN = n(x);
      const inputSize = x ? dim(x[2]) : undefined;
      if (inN === undefined || !inputSize || hidden === undefined) return result(undefined, undefined, 'matmul');
      const steps = inN / inputSize; // seq × batch
      const macs = steps * dirs * GATES[op] * hidden * (inputSize + hidden);
      return result(macs, steps * dirs * GATES[op] * hidden * 4, 'matmul');
    }
    case 'MaxPool':
    case 'AveragePool':
    case 'LpPool': {
      const k = a.ints('kernel_shape') ?? [];
      return result(0, outN === undefined ? undefined : outN * k.reduce((p, v) => p * v, 1), 'pool');
    }
    case 'GlobalAveragePool':
    case 'GlobalMaxPool':
    case 'GlobalLpPool':
      return result(0, n(x), 'pool');
    case 'Resize':
    case 'Upsample': {
      const mode = a.string('mode', 'nearest');
      const perOut = mode === 'nearest' ? 0 : mode === 'cubic' ? 32 : 8;
      return result(0, outN === undefined ? undefined : outN * perOut, mode === 'nearest' ? 'data' : 'elementwise');
    }
    case 'QuantizeLinear':
    case 'DequantizeLinear':
    case 'DynamicQuantizeLinear':
      return result(0, outN === undefined ? undefined : outN * 2, 'elementwise');
    case 'If':
    case 'Loop':
    case 'Scan':
      return { macs: 0, flops: 0, opClass: 'control', known: true };
  }
  const norm = NORM_FLOPS[op];
  if (norm !== undefined) return result(0, outN === undefined ? undefined : outN * norm, 'norm');
  if (REDUCE.test(op)) return result(0, n(x), 'reduce');
  if (VIEW_OPS.has(op)) return { macs: 0, flops: 0, opClass: 'view', known: true };
  if (DATA_OPS.has(op)) return { macs: 0, flops: 0, opClass: 'data', known: true };
  const arity = node.input.filter(Boolean).length;
  const perElement = op === 'Sum' || op === 'Mean' || op === 'Max' || op === 'Min' ? Math.max(1, arity - 1) : 1;
  return result(0, outN === undefined ? undefined : outN * perElement, 'elementwise');
}

/** Attention: Q·Kᵀ and weights·V (plus the QKV projection of com.microsoft Attention) and the softmax. */
function attentionCost(
  node: NodeProto,
  inputs: Array<TensorFacts | undefined>,
  outputs: Array<TensorFacts | undefined>,
  n: (s: Dim[] | null | undefined) => number | undefined,
  dim: (d: Dim | undefined) => number | undefined,
): OpCost {
  const q = inputs[0]?.shape;
  const y = outputs[0]?.shape;
  const fused = node.domain === 'com.microsoft' && node.opType === 'Attention';
  const k = fused ? q : inputs[1]?.shape;
  // key length: [B, L, …] for 3-D keys, [B, H, L, D] for 4-D ones
  const len = k ? dim(k.length === 4 ? k[2] : k[1]) : undefined;
  const qN = n(q);
  const yN = n(y);
  const heads = new AttrReader(node).int('num_heads') ?? new AttrReader(node).int('q_num_heads') ?? 1;
  if (qN === undefined || yN === undefined || len === undefined) return { macs: 0, flops: 0, opClass: 'attention', known: false };
  let macs = (qN + yN) * len;
  const w = inputs[1]?.shape;
  const projN = fused && w ? n(w.slice(1)) : 0;
  if (fused && projN !== undefined) macs = (qN * projN) + yN * len * 2;
  const scores = (q && q.length === 4 ? qN / (dim(q[3]) ?? 1) : qN / Math.max(1, (dim(q?.[2]) ?? heads) / heads)) * len;
  return { macs, flops: 2 * macs + 5 * scores, opClass: 'attention', known: true };
}
